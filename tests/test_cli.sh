#!/bin/sh
# test_cli.sh -- the command line: help, version, errors that name the
# problem on one line with exit status 2, and the broken corpus files.
. "${SRCDIR:-.}/tests/lib.sh"
SHARED=$(shared_dir)
tmp=${TMPDIR:-/tmp}/gluetop-cli.$$
mkdir -p "$tmp"
writable_dir "$tmp"
trap 'rm -rf "$tmp"' EXIT

# run ARGS...: run gluetop, keep stdout, stderr and the status.
run() {
	"$GLUETOP" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	status=$?
}

# expect_error STATUS PATTERN ARGS...: one stderr line matching PATTERN.
expect_error() {
	want=$1 pat=$2; shift 2
	run "$@"
	if [ "$status" -ne "$want" ]; then
		bad "gluetop $*: status $status, want $want"
		return
	fi
	if [ "$(wc -l <"$tmp/err")" -ne 1 ] || ! grep -qE -- "$pat" "$tmp/err"; then
		bad "gluetop $*: stderr '$(cat "$tmp/err")' does not match '$pat'"
		return
	fi
	ok
}

run -h
check "-h exits 0" [ "$status" -eq 0 ]
check "-h prints usage" grep -q '^usage: gluetop' "$tmp/out"
run --version
check "--version prints the version" grep -qE '^gluetop [0-9]+\.[0-9]+' "$tmp/out"
expect_error 2 'unknown option -Q' -Q
expect_error 2 'unknown option --bogus' --bogus
expect_error 2 'no input' --report
expect_error 2 'missing\.pcap: No such file' -r "$tmp/missing.pcap"
expect_error 2 'needs an argument' -r
expect_error 2 'fail-on nope' --fail-on nope -r "$tmp/missing.pcap"
expect_error 2 '-c 0: expected a number' -c 0 -r x
expect_error 2 'R 999\.1\.1\.1: not an IPv4 or IPv6 address' -R 999.1.1.1
expect_error 2 'set bogus=1: unknown name' --set bogus=1 -r x

expect_error 2 'write-flagged needs -w' --write-flagged -r x
# A pcapng whose two interfaces have different link types (crafted).
expect_error 2 'two-linktypes\.pcapng: pcapng with more than one link type.*split' \
    -r "$SRCDIR/tests/data/two-linktypes.pcapng" --dump
if [ "$(id -u)" -eq 0 ]; then
	expect_error 2 'Z nosuchuser: no such user' -Z nosuchuser \
	    -r "$SRCDIR/samples/unbound-noglue.pcap"
	expect_error 2 'nosuch0: no such interface \(gluetop -D lists them\)' \
	    -i nosuch0
fi
# -w --write-flagged keeps exactly the frames that are evidence.
run -r "$SRCDIR/samples/unbound-noglue.pcap" -w "$tmp/flagged.pcap" \
    --write-flagged --json
check "--write-flagged: status 0" [ "$status" -eq 0 ]
frames=$(grep -o '"frames":\[[0-9,]*\]' "$tmp/out" | tr -cd '0-9,' | tr ',' '\n' |
    grep -c .)
check "--write-flagged: one packet per evidence frame ($frames)" \
    [ "$("$GLUETOP" -r "$tmp/flagged.pcap" --dump | wc -l)" -eq "$frames" ]

if [ -z "$SHARED" ]; then
	printf 'note: ../shared/corpus not found; corpus error cases skipped\n'
	finish
fi
c=$SHARED/corpus
expect_error 2 'bad filter' -r "$c/dnscap/dns.pcap" --dump 'prot 53'
expect_error 2 'empty\.pcap: .*empty' -r "$c/derived/empty.pcap" --dump
expect_error 2 'not-a-pcap\.pcap: .*(not a pcap|unknown file format)' \
    -r "$c/derived/not-a-pcap.pcap" --dump
# A cut file: everything before the cut is analysed, then a clear error.
run -r "$c/derived/dns-cut.pcap" --dump
check "cut file: status 2" [ "$status" -eq 2 ]
check "cut file: error names the file" grep -q 'dns-cut\.pcap: .*truncat' "$tmp/err"
check "cut file: messages before the cut are printed" \
    [ "$(wc -l <"$tmp/out")" -ge 60 ]
run -r "$c/derived/dns-cut.pcap" --report
check "cut file: the report is still printed" grep -q 'gluetop report' "$tmp/out"
# Several files in order, and standard input.
run -r "$c/tcpdump/dns_udp.pcap" -r "$c/tcpdump/dns_udp_2.pcap" --dump
check "two files give 4 messages" [ "$(wc -l <"$tmp/out")" -eq 4 ]
"$GLUETOP" -r - --dump <"$c/tcpdump/dns_udp.pcap" >"$tmp/out" 2>"$tmp/err"
check "-r - reads standard input" [ "$(wc -l <"$tmp/out")" -eq 2 ]
expect_error 2 'standard input can be read only once' -r - -r -
# A filter narrows what is read; a port sets what is DNS.
run -r "$c/tcpdump/dns_udp_8053.pcap" --dump
check "port 8053 is not DNS by default" [ ! -s "$tmp/out" ]
run -r "$c/tcpdump/dns_udp_8053.pcap" --dump --port 8053 port 8053
check "--port 8053 with a filter decodes it" [ "$(wc -l <"$tmp/out")" -eq 2 ]
finish
