#!/bin/sh
# test_write_errors.sh -- output that cannot be written (/dev/full) is an
# error in every mode: one line naming standard output or the -w file, and
# exit status 2, never a silent 0.
. "${SRCDIR:-.}/tests/lib.sh"
[ -w /dev/full ] || skip "/dev/full is missing"
pcap=$SRCDIR/samples/unbound-noglue.pcap
tmp=${TMPDIR:-/tmp}/gluetop-wfull.$$
mkdir -p "$tmp"
writable_dir "$tmp"
trap 'rm -rf "$tmp"' EXIT

# full DESC PATTERN ARGS...: stdout is /dev/full unless -w says otherwise.
full() {
	desc=$1 pat=$2; shift 2
	"$GLUETOP" "$@" 2>"$tmp/err" </dev/null
	status=$?
	if [ "$status" -ne 2 ] || ! grep -qE -- "$pat" "$tmp/err"; then
		bad "$desc: status $status, stderr '$(cat "$tmp/err")'"
		return
	fi
	ok
}

full "--report >/dev/full" '^gluetop: standard output: ' \
    -r "$pcap" --report >/dev/full
full "--json >/dev/full" '^gluetop: standard output: ' \
    -r "$pcap" --json >/dev/full
full "--json --chains >/dev/full" '^gluetop: standard output: ' \
    -r "$pcap" --json --chains >/dev/full
full "--dump >/dev/full" '^gluetop: standard output: ' \
    -r "$pcap" --dump >/dev/full
full "--dump -v >/dev/full" '^gluetop: standard output: ' \
    -r "$pcap" --dump -v >/dev/full
full "-w /dev/full" '^gluetop: /dev/full: No space left on device$' \
    -r "$pcap" -w /dev/full --report >/dev/null
full "-w /dev/full --write-flagged" '^gluetop: /dev/full: ' \
    -r "$pcap" -w /dev/full --write-flagged --json >/dev/null
full "-h >/dev/full" '^gluetop: standard output: ' -h >/dev/full
full "-V >/dev/full" '^gluetop: standard output: ' -V >/dev/full
# Healthy output still exits 0.
"$GLUETOP" -r "$pcap" --report -w "$tmp/ok.pcap" >"$tmp/out" 2>"$tmp/err"
check "a writable stdout and -w file: status 0" [ $? -eq 0 ]
check "a writable stdout and -w file: no message" [ ! -s "$tmp/err" ]
finish
