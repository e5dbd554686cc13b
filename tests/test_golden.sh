#!/bin/sh
# test_golden.sh -- run every line of tests/TESTLIST against samples/ and
# compare with the expected files in tests/golden/.
. "${SRCDIR:-.}/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is needed to read the JSON"
cd "$SRCDIR" || exit 1
tmp=${TMPDIR:-/tmp}/gluetop-golden.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

# golden_run NAME CAPTURE KIND FLAGS...: print what NAME produces.
golden_run() {
	name=$1 cap=$2 kind=$3; shift 3
	if [ "$kind" = findings ]; then
		"$GLUETOP" -r "$cap" --json "$@" | python3 tests/golden.py
	else
		"$GLUETOP" -r "$cap" --report "$@"
	fi
}

grep -v '^#' tests/TESTLIST | grep -v '^ *$' >"$tmp/list"
while read -r name cap kind flags; do
	want=tests/golden/$name.$kind
	if [ ! -f "$cap" ] || [ ! -f "$want" ]; then
		bad "$name: $cap or $want is missing"
		continue
	fi
	# shellcheck disable=SC2086
	golden_run "$name" "$cap" "$kind" $flags >"$tmp/got" 2>"$tmp/err"
	if cmp -s "$want" "$tmp/got"; then
		ok
	else
		bad "$name: output differs from $want:"
		diff -u "$want" "$tmp/got" | head -n 40 >&2
	fi
done <"$tmp/list"
finish
