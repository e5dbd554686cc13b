#!/bin/sh
# test_mutate.sh -- broken captures must give a clear result, never a crash:
# mutate.py writes a fixed-seed set of mutants of the samples (bit flips,
# truncations, caplen above len, snaplen 0 and 0xffffffff, other link
# types, random bytes, bogus pcapng blocks), and each goes through gluetop
# --report and --dump.  A run passes with exit status 0, 1 or 2 where a 2
# says why in one line; it fails on a signal, a hang (10 s), a sanitizer
# report or a wordless or many-line error.  Runs go two at a time.
. "${SRCDIR:-.}/tests/lib.sh"

SEED=${GLUETOP_MUTATE_SEED:-20261203}
COUNT=${GLUETOP_MUTATE_COUNT:-330}

# One run (the xargs worker): mutant mode.
mutate_one() {
	err=$1.$2.err
	timeout 10 "$GLUETOP" -r "$1" "--$2" >/dev/null 2>"$err"
	st=$?
	site=$(san_site "$err")
	lines=$(grep -c . "$err")
	if [ -n "$site" ]; then
		echo "FAIL ${1##*/} --$2: status $st: $site"
	elif [ "$st" -gt 2 ]; then
		echo "FAIL ${1##*/} --$2: status $st (signal or hang): $(head -c 200 "$err")"
	elif [ "$st" -eq 2 ] && [ "$lines" -ne 1 ]; then
		echo "FAIL ${1##*/} --$2: status 2 with $lines lines of error: $(head -c 300 "$err")"
	else
		echo ok
	fi
	rm -f "$err"
}

if [ "${1:-}" = --one ]; then
	shift
	mutate_one "$@"
	exit 0
fi

command -v python3 >/dev/null || skip "python3 not found"
tmp=${TMPDIR:-/tmp}/gluetop-mutate.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
python3 "$SRCDIR/tests/mutate.py" "$SEED" "$COUNT" "$tmp" \
    "$SRCDIR"/samples/*.pcap || bad "mutate.py failed"

san_env
export SRCDIR GLUETOP
results=$(for f in "$tmp"/*.pcap; do
	echo "$f report"
	echo "$f dump"
done | xargs -P2 -L1 sh "$0" --one)

echo "mutants: $COUNT (seed $SEED), $(printf '%s\n' "$results" | grep -c .) runs"
printf '%s\n' "$results" | grep '^FAIL' >&2
npass=$(printf '%s\n' "$results" | grep -c '^ok$')
nfail=$(printf '%s\n' "$results" | grep -c '^FAIL')
finish
