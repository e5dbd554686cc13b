#!/bin/sh
# test_dnstap.sh -- dnstap input (-r FILE.dnstap, --dnstap-socket).
#
# 1. Each samples/RESOLVER-SCENARIO.dnstap against the capture of the same
#    lab run (RESOLVER-SCENARIO.dnstap.pcap, samples/lab/dnstap.sh): the
#    critical and error findings (kind and zone) must be the same, except
#    for the differences listed in $expected (explained in samples/README.md).
# 2. A truncated, a corrupt and a non-dnstap file: one line on stderr, exit
#    2, no crash, what was read before still reported; pcap and dnstap
#    files in one run are refused.
# 3. --dnstap-socket: two writers at once share one log's frames and close
#    without waiting for FINISH, as unbound does; a writer of another
#    content type is turned away; fstrm_replay then streams another run's
#    log; SIGINT stops gluetop, and both logs' findings are printed.
. "${SRCDIR:-.}/tests/lib.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gluetop-dnstap.XXXXXX") || exit 1
gpid=
trap '[ -n "$gpid" ] && kill "$gpid" 2>/dev/null; rm -rf "$tmp"' EXIT
S=$SRCDIR/samples

# The critical and error findings of a JSON run, one "severity kind zone"
# a line, sorted.
crit() {
	python3 -c '
import json, sys
out = set()
for line in open(sys.argv[1]):
    try:
        o = json.loads(line)
    except ValueError:
        continue
    if o.get("type") == "finding" and o.get("severity") in ("critical", "error"):
        out.add("%s %s %s" % (o["severity"], o["kind"], o.get("zone", "-")))
for x in sorted(out):
    print(x)
' "$1"
}

# Documented differences, "PAIR -|+severity kind zone" ("-": only in the
# capture, "+": only in dnstap).  See samples/README.md, "dnstap".
expected='bind-dead -critical zone_unreachable dead.test.'

# 1. dnstap against the capture of the same run.
n=0
for f in "$S"/*.dnstap; do
	b=$(basename "$f" .dnstap)
	[ -f "$f.pcap" ] || { bad "$b: no capture $b.dnstap.pcap"; continue; }
	n=$((n + 1))
	"$GLUETOP" -r "$f" --json >"$tmp/dt.json" 2>"$tmp/dt.err"
	st=$?
	check "$b.dnstap: exit $st, stderr '$(cat "$tmp/dt.err")'" test "$st" -eq 0 -a ! -s "$tmp/dt.err"
	"$GLUETOP" -r "$f.pcap" --json >"$tmp/pc.json" 2>/dev/null
	crit "$tmp/dt.json" >"$tmp/dt"
	crit "$tmp/pc.json" >"$tmp/pc"
	diff "$tmp/pc" "$tmp/dt" | sed -n 's/^< /-/p; s/^> /+/p' |
	    sed "s/^/$b /" >"$tmp/diff"
	printf '%s\n' "$expected" | grep "^$b " >"$tmp/want"
	if cmp -s "$tmp/diff" "$tmp/want"; then ok; else
		bad "$b: dnstap and pcap differ: $(tr '\n' ';' <"$tmp/diff"), expected: $(tr '\n' ';' <"$tmp/want")"
	fi
	# Every run finds something but the healthy ones.
	case $b in
	*-healthy) check "$b: no critical finding" [ ! -s "$tmp/dt" ] ;;
	*-dead) ;;
	*) check "$b: critical findings" [ -s "$tmp/dt" ] ;;
	esac
done
check "at least 10 dnstap samples (found $n)" [ "$n" -ge 10 ]

# D9 from dnstap: medium confidence (no ICMP, no handshake).
"$GLUETOP" -r "$S/unbound-dead.dnstap" --json >"$tmp/out" 2>&1
check "server_unresponsive from dnstap has confidence medium" \
    grep -q '"kind":"server_unresponsive".*"confidence":"medium"' "$tmp/out"
"$GLUETOP" -r "$S/unbound-dead.dnstap.pcap" --json >"$tmp/out" 2>&1
check "server_unresponsive from a capture has no confidence field" \
    sh -c "! grep -q '\"confidence\"' '$tmp/out'"

# 2. Broken files: one line, exit 2, what came before is reported.
src=$S/unbound-lame.dnstap
head -c 5000 "$src" >"$tmp/trunc.dnstap"
python3 - "$src" "$tmp/corrupt.dnstap" "$tmp/badpb.dnstap" <<'EOF'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
off = 8 + struct.unpack(">I", d[4:8])[0]	# after the START frame
first = off
for _ in range(5):
    off += 4 + struct.unpack(">I", d[off:off + 4])[0]
c = bytearray(d)
c[off:off + 4] = struct.pack(">I", 0x7fffff00)	# frame 6: a huge length
open(sys.argv[2], "wb").write(c)
n = struct.unpack(">I", d[first:first + 4])[0]
d[first + 4:first + 4 + n] = b"\x0a" * n	# frame 1: not protobuf
open(sys.argv[3], "wb").write(d)
EOF
one_error "truncated dnstap" 'trunc\.dnstap: truncated: frame 45 needs' -r "$tmp/trunc.dnstap" --json
check "truncated dnstap: the 44 frames before are reported" grep -q '"messages":44,' "$tmp/out"
one_error "corrupt dnstap" 'corrupt\.dnstap: frame 6 claims 2147483392 bytes' -r "$tmp/corrupt.dnstap" --json
check "corrupt dnstap: the summary is printed" grep -q '"type":"summary"' "$tmp/out"
one_error "not protobuf" 'badpb\.dnstap: frame 1 is not a dnstap payload' -r "$tmp/badpb.dnstap" --json
printf '\0\0\0\0\0\0\0\034\0\0\0\002\0\0\0\001\0\0\0\020protobuf:foo.Bar' >"$tmp/other.fs"
one_error "another content type" 'other\.fs: Frame Streams, but its content type is not protobuf:dnstap\.Dnstap' -r "$tmp/other.fs"
head -c 20 "$src" >"$tmp/short.dnstap"
one_error "a cut control frame" 'short\.dnstap: truncated' -r "$tmp/short.dnstap"
one_error "pcap and dnstap mixed" 'not dnstap, but other -r files are' -r "$src" -r "$S/unbound-lame.dnstap.pcap"
one_error "dnstap and pcap mixed" 'not dnstap, but other -r files are' -r "$S/unbound-lame.dnstap.pcap" -r "$src"
one_error "-w with dnstap" 'dnstap input has no packets to write' -r "$src" -w "$tmp/x.pcap"
one_error "--dnstap-socket with -r" 'cannot be mixed' --dnstap-socket "$tmp/s" -r "$src"
: >"$tmp/plain"
one_error "--dnstap-socket on a file" 'exists and is not a socket' --dnstap-socket "$tmp/plain" --json
# Two dnstap files in one run: read one after the other.
"$GLUETOP" -r "$S/unbound-noglue.dnstap" -r "$S/bind-lame.dnstap" --json >"$tmp/out" 2>&1
check "two dnstap files: both files' findings" sh -c "grep -q glue_missing_in_domain '$tmp/out' && grep -q lame_delegation '$tmp/out'"

# 3. The socket: a resolver's stream (fstrm_replay plays one back).
if command -v fstrm_replay >/dev/null 2>&1; then
	sock=$tmp/dnstap.sock
	"$GLUETOP" --dnstap-socket "$sock" --json >"$tmp/live.json" 2>"$tmp/live.err" &
	gpid=$!
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		[ -S "$sock" ] && break
		sleep 0.1
	done
	check "--dnstap-socket: listens" [ -S "$sock" ]
	# Two writers at once, as unbound does it: READY, START, data, STOP,
	# then close without reading FINISH (which then meets a closed socket:
	# no SIGPIPE may kill gluetop).  They share one log's frames, odd and
	# even, so the feed must order and pair across connections (writers at
	# once must share a clock: two replayed logs of different runs would
	# not).  Then one offering another content type, turned away.
	python3 - "$sock" "$S/unbound-noglue.dnstap" <<'EOF2' >"$tmp/py" 2>&1
import socket, struct, sys
def ctl(t, ct=b"protobuf:dnstap.Dnstap"):
    body = struct.pack(">I", t) + struct.pack(">II", 1, len(ct)) + ct
    return struct.pack(">II", 0, len(body)) + body
d = open(sys.argv[2], "rb").read()
off = 8 + struct.unpack(">I", d[4:8])[0]
frames = []
while True:
    n = struct.unpack(">I", d[off:off + 4])[0]
    if n == 0:
        break
    frames.append(d[off:off + 4 + n])
    off += 4 + n
conns = []
for _ in range(2):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sys.argv[1])
    s.sendall(ctl(4))			# READY
    acc = s.recv(512)
    assert struct.unpack(">I", acc[8:12])[0] == 1, acc	# ACCEPT
    s.sendall(ctl(2))			# START
    conns.append(s)
for i, f in enumerate(frames):
    conns[i % 2].sendall(f)
for s in conns:
    s.sendall(struct.pack(">III", 0, 4, 3))	# STOP, and no wait
    s.close()
o = socket.socket(socket.AF_UNIX)
o.connect(sys.argv[1])
o.sendall(ctl(4, b"protobuf:other.Thing"))
o.settimeout(5)
assert o.recv(512) == b"", "another content type was accepted"
print("ok", len(frames))
EOF2
	check "two writers at once, another content type: $(cat "$tmp/py")" grep -q '^ok ' "$tmp/py"
	# Another run's log, after the first (fstrm_replay's handshake).
	sleep 1
	fstrm_replay -t protobuf:dnstap.Dnstap -r "$S/bind-lame.dnstap" -u "$sock" >"$tmp/r2" 2>&1
	st2=$?
	check "fstrm_replay: exits 0 ($st2: $(cat "$tmp/r2"))" test "$st2" -eq 0
	sleep 1
	kill -INT "$gpid"
	wait "$gpid"
	st=$?
	gpid=
	check "--dnstap-socket: exit 0 after SIGINT (got $st, $(cat "$tmp/live.err"))" [ "$st" -eq 0 ]
	check "--dnstap-socket: glue_missing_in_domain of noglue.test." \
	    grep -q '"kind":"glue_missing_in_domain","severity":"critical","zone":"noglue.test."' "$tmp/live.json"
	check "--dnstap-socket: lame_delegation of lame.test." \
	    grep -q '"kind":"lame_delegation","severity":"critical","zone":"lame.test."' "$tmp/live.json"
	check "--dnstap-socket: a summary, live" grep -q '"type":"summary".*"live":true' "$tmp/live.json"
else
	echo "fstrm_replay missing (apt-get install fstrm-bin): socket test skipped"
fi
finish
