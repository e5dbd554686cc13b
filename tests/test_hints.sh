#!/bin/sh
# test_hints.sh -- --root-hints is an input like -r: a missing or unreadable
# file is one error line naming it and exit status 2 (it was skipped
# silently), and the file is read before privileges are dropped, so a
# root-only hints file works when gluetop starts as root.
. "${SRCDIR:-.}/tests/lib.sh"
pcap=$SRCDIR/samples/unbound-noglue.pcap
tmp=${TMPDIR:-/tmp}/gluetop-hints.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

one_error "missing hints" "^gluetop: --root-hints $tmp/none: No such file" \
    -r "$pcap" --report --root-hints "$tmp/none"
one_error "hints is a directory" "^gluetop: --root-hints $tmp: not a regular file" \
    -r "$pcap" --json --root-hints "$tmp"
"$GLUETOP" -r "$pcap" --report --root-hints - >/dev/null 2>"$tmp/err"
check "--root-hints - seeds nothing, status 0" [ $? -eq 0 ]
printf '.  3600000  NS  a.root-servers.net.\na.root-servers.net. 3600000 A 198.41.0.4\n' \
    >"$tmp/hints"
chmod 600 "$tmp/hints"
chmod 700 "$tmp"
"$GLUETOP" -r "$pcap" --report --root-hints "$tmp/hints" >/dev/null 2>"$tmp/err"
check "a readable hints file: status 0 ($(cat "$tmp/err"))" [ $? -eq 0 ]

# Started as root, the root-only file is read before the drop to nobody.
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	if command -v strace >/dev/null; then
		# LeakSanitizer cannot run under ptrace.
		ASAN_OPTIONS=detect_leaks=0 strace -f -o "$tmp/trace" \
		    -e trace=openat,setuid,setresuid \
		    "$GLUETOP" -r "$pcap" --report --root-hints "$tmp/hints" \
		    >/dev/null 2>"$tmp/err"
		check "root-only hints, as root: status $? ($(cat "$tmp/err"))" \
		    [ ! -s "$tmp/err" ]
		check "the hints are opened (and succeed) before setuid" awk -v h="$tmp/hints" '
		    index($0, "openat(") && index($0, "\"" h "\"") &&
			!/= -1/ && !drop { seen = 1 }
		    /setuid\(|setresuid\(/ { drop = 1 }
		    END { exit !(seen && drop) }' "$tmp/trace"
	else
		printf 'note: strace missing; the order check is skipped\n'
	fi
fi
finish
