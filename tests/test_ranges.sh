#!/bin/sh
# test_ranges.sh -- every number option is range-checked: a value out of
# range, not a number, NaN or infinite is one line naming the accepted
# range, exit status 2 (never undefined behaviour further on).
. "${SRCDIR:-.}/tests/lib.sh"
pcap=$SRCDIR/samples/unbound-noglue.pcap
tmp=${TMPDIR:-/tmp}/gluetop-ranges.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

# refused FLAG VALUE RANGE: one line "FLAG VALUE: expected ... RANGE", exit 2.
refused() {
	"$GLUETOP" "$1" "$2" -r "$pcap" --report >"$tmp/out" 2>"$tmp/err" </dev/null
	status=$?
	if [ "$status" -ne 2 ] || [ "$(wc -l <"$tmp/err")" -ne 1 ] ||
	    ! grep -qF -- "$1 $2: expected a number from $3" "$tmp/err"; then
		bad "$1 $2: status $status, stderr '$(cat "$tmp/err")'"
		return
	fi
	ok
}

# taken FLAG VALUE: accepted, the report is printed, exit 0.
taken() {
	"$GLUETOP" "$1" "$2" -r "$pcap" --report >"$tmp/out" 2>"$tmp/err" </dev/null
	status=$?
	check "$1 $2 is accepted (status $status: $(cat "$tmp/err"))" \
	    [ "$status" -eq 0 ]
}

for v in nan NaN inf -inf -1 1e400 1e7 '' x 2x 0x; do
	refused --speed "$v" "0 to 1e+06"
done
taken --speed 0
taken --speed 2.5
taken --speed 1e6
for v in 0 -1 99999999999999999999 1x ''; do
	refused -c "$v" "1 to "
done
taken -c 1
for v in -1 262145 99999999999999999999; do
	refused -s "$v" "0 to 262144"
done
taken -s 0
# -B is KiB; KiB * 1024 must fit libpcap's int.
for v in 0 2097152 4194304 -5; do
	refused -B "$v" "1 to 2097151"
done
taken -B 2097151
for v in 0 65536 -53 53.5; do
	refused --port "$v" "1 to 65535"
done
taken --port 5353
"$GLUETOP" --fail-on nan -r "$pcap" >/dev/null 2>"$tmp/err"
check "--fail-on nan: status 2 with the accepted names" \
    sh -c "[ $? -eq 2 ] && grep -q 'expected critical, error, warning' '$tmp/err'"
finish
