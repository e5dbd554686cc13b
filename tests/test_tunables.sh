#!/bin/sh
# test_tunables.sh -- the tunables table is the one source: every entry
# that --set help prints is in the manual's THRESHOLDS with the same
# default and range, every entry is accepted at its default and refused
# just outside its range with a message naming the range (exit 2).
. "${SRCDIR:-.}/tests/lib.sh"
tmp=${TMPDIR:-/tmp}/gluetop-tun.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
man=$SRCDIR/gluetop.8
cap=$SRCDIR/samples/unbound-noglue.pcap

"$GLUETOP" --set help >"$tmp/table" 2>&1
check "--set help exits 0 and prints a header" grep -q '^name ' "$tmp/table"
n=$(($(wc -l <"$tmp/table") - 1))
check "--set help lists at least 15 tunables" [ "$n" -ge 15 ]
# The manual, section THRESHOLDS only.
sed -n '/^\.Sh THRESHOLDS/,/^\.Sh /p' "$man" >"$tmp/man"
tail -n +2 "$tmp/table" | while read -r name def lo hi _; do
	echo "$name $def $lo $hi"
done >"$tmp/list"
while read -r name def lo hi; do
	if grep -A1 "^\.It Cm $name\$" "$tmp/man" |
	    grep -q "default $def, range $lo to $hi\."; then
		ok
	else
		bad "gluetop.8 THRESHOLDS lacks $name (default $def, range $lo to $hi)"
	fi
	if "$GLUETOP" -r "$cap" --report --set "$name=$def" >/dev/null 2>&1; then
		ok
	else
		bad "--set $name=$def (its default) is refused"
	fi
	"$GLUETOP" -r "$cap" --report --set "$name=${hi}0" >/dev/null 2>"$tmp/err"
	st=$?
	if [ $st -eq 2 ] && grep -q "from $lo to $hi" "$tmp/err" &&
	    [ "$(wc -l <"$tmp/err")" -eq 1 ]; then
		ok
	else
		bad "--set $name=${hi}0: status $st, '$(cat "$tmp/err")'"
	fi
done <"$tmp/list"
# Every entry of the manual's list is a tunable (nothing stale).
grep '^\.It Cm ' "$tmp/man" | sed 's/^\.It Cm //' | while read -r name; do
	grep -q "^$name " "$tmp/list" || echo "$name"
done >"$tmp/stale"
check "gluetop.8 THRESHOLDS names no unknown tunable ($(cat "$tmp/stale"))" \
    [ ! -s "$tmp/stale" ]
for v in nan inf -1 1e30 abc 5x ""; do
	"$GLUETOP" -r "$cap" --report --set "k_rep=$v" >/dev/null 2>"$tmp/err"
	check "--set k_rep='$v' is refused with exit 2" [ $? -eq 2 ]
done
"$GLUETOP" -r "$cap" --report --set bogus=1 >/dev/null 2>"$tmp/err"
check "--set bogus=1 is refused" grep -q 'unknown name' "$tmp/err"
finish
