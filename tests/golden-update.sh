#!/bin/sh
# golden-update.sh [NAME...] -- rewrite the expected files of the named
# golden tests (all of them without arguments) from the current binary.
# Run from the source tree after building; review the diff before committing.
set -e
cd "$(dirname "$0")/.."
GLUETOP=${GLUETOP:-./gluetop}
export TZ=GMT0
grep -v '^#' tests/TESTLIST | grep -v '^ *$' | while read -r name cap kind flags; do
	if [ $# -gt 0 ]; then
		case " $* " in *" $name "*) ;; *) continue ;; esac
	fi
	out=tests/golden/$name.$kind
	if [ "$kind" = findings ]; then
		# shellcheck disable=SC2086
		"$GLUETOP" -r "$cap" --json $flags | python3 tests/golden.py >"$out"
	else
		# shellcheck disable=SC2086
		"$GLUETOP" -r "$cap" --report $flags >"$out"
	fi
	echo "wrote $out"
done
