#!/bin/sh
# live-rate.sh -- does gluetop keep up with a live interface?
#
# Makes two network namespaces joined by a veth pair (netns_pair in
# tests/lib.sh: TEST-NET-2 addresses, nothing leaves them), runs gluetop -i
# on one end with --json, replays a sample with tcpreplay from the other at
# a fixed rate, stops gluetop with SIGINT, then checks that libpcap dropped
# nothing, that every replayed packet was seen, and that the error and
# critical findings are the ones an offline run of the sample gives.
#
# Not part of make check: it sends about 100,000 packets by default.
# Needs root, ip, tcpreplay and python3; skips (exit 77) without them.
#
# usage: sh tests/live-rate.sh [-p pps] [-l copies] [-s sample.pcap]
# The sample is repeated -l times (400) into one file, restamped at the
# replay rate: tcpreplay sends it at -p packets per second (100000), and
# gluetop -r reads it for the offline findings.
# GLUETOP (default ./gluetop) is the binary, GLUETOP_ARGS extra options.
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
. "$SRCDIR/tests/lib.sh"
pps=100000
loops=400
sample=$SRCDIR/samples/outage-mixed.pcap
while getopts p:l:s: opt; do
	case $opt in
	p) pps=$OPTARG ;;
	l) loops=$OPTARG ;;
	s) sample=$OPTARG ;;
	*) echo "usage: live-rate.sh [-p pps] [-l loops] [-s sample]" >&2
	   exit 2 ;;
	esac
done
[ "$(id -u)" -eq 0 ] || skip "needs root to make network namespaces"
for c in ip tcpreplay python3; do
	command -v $c >/dev/null || skip "$c is not installed"
done
[ -x "$GLUETOP" ] || skip "no gluetop at $GLUETOP (set GLUETOP)"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gluetop-rate.XXXXXX")
chmod 755 "$tmp"
gpid=
# Stop gluetop if it still runs, remove the namespaces and (unless KEEP is
# set) the scratch folder.
cleanup() {
	[ -z "$gpid" ] || kill "$gpid" 2>/dev/null
	netns_del
	[ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT PIPE TERM

# Write $3 copies of capture $1 to $2 as one Ethernet capture, stamped
# 1/$4 s apart: tcpreplay --pps sends them at that pace whatever their
# stamps, so the offline run sees the very packets, and nearly the times,
# that gluetop sees live.  Frames with Linux cooked v2
# headers (samples made with "tcpdump -i any"; tcprewrite cannot convert
# them) get an Ethernet header instead: tcpreplay sends bytes as they are.
replay_file() {
	python3 - "$1" "$2" "$3" "$4" <<'EOF'
import struct, sys
data = open(sys.argv[1], "rb").read()
end = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
hdr = list(struct.unpack(end + "IHHiIII", data[:24]))
sll2 = hdr[6] == 276
frames, pos = [], 24
while pos + 16 <= len(data):
    sec, frac, incl, orig = struct.unpack(end + "IIII", data[pos:pos + 16])
    frame = data[pos + 16:pos + 16 + incl]
    pos += 16 + incl
    if sll2:
        frame = bytes.fromhex("020000000001020000000002") + frame[0:2] + \
            frame[20:]
        orig -= 6
    frames.append((orig, frame))
if sll2:
    hdr[6] = 1
nano = hdr[0] == 0xA1B23C4D
tick = (10**9 if nano else 10**6) / float(sys.argv[4])
start = struct.unpack(end + "I", data[24:28])[0] if frames else 0
with open(sys.argv[2], "wb") as out:
    out.write(struct.pack(end + "IHHiIII", *hdr))
    for i in range(int(sys.argv[3]) * len(frames)):
        orig, frame = frames[i % len(frames)]
        sec, frac = divmod(int(i * tick), 10**9 if nano else 10**6)
        out.write(struct.pack(end + "IIII", start + sec, frac, len(frame),
                              orig))
        out.write(frame)
EOF
}

# Print the error and critical findings of a --json file, one per line,
# sorted and without duplicates: "severity kind zone server".  A finding
# is printed again whenever it changes (live, more often than offline), so
# only its last state counts.
serious() {
	python3 - "$1" <<'EOF'
import json, sys
last = {}
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o.get("type") == "finding":
        last[o["id"]] = o
seen = set("%s %s %s %s" % (o["severity"], o["kind"], o.get("zone"),
                            o.get("server"))
           for o in last.values() if o["severity"] in ("error", "critical"))
print("\n".join(sorted(seen)))
EOF
}

# Print one member of the summary object of a --json file, or of its
# health object.
summary() {
	python3 -c 'import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o.get("type") == "summary":
        print(o.get(sys.argv[2], o.get("health", {}).get(sys.argv[2],
                                                         "missing")))' \
	    "$1" "$2"
}

replay_file "$sample" "$tmp/replay.pcap" "$loops" "$pps"
"$GLUETOP" -r "$tmp/replay.pcap" --json >"$tmp/offline.json"
netns_pair
# shellcheck disable=SC2086
ip netns exec $NS_R "$GLUETOP" -i $VETH_R -p --json ${GLUETOP_ARGS:-} \
    >"$tmp/live.json" 2>"$tmp/err" &
gpid=$!
sleep 1
ip netns exec $NS_A tcpreplay --pps="$pps" -i $VETH_A "$tmp/replay.pcap" \
    >"$tmp/replay.out" 2>&1
sleep 1
kill -INT $gpid
wait $gpid
status=$?
gpid=
sent=$(sed -n 's/^Actual: \([0-9]*\) packets.*/\1/p' "$tmp/replay.out")
rate=$(sed -n 's/^Rated: .*, \([0-9.]*\) pps.*/\1/p' "$tmp/replay.out")
seen=$(summary "$tmp/live.json" packets)
pdrop=$(summary "$tmp/live.json" pcap_drop)
idrop=$(summary "$tmp/live.json" if_drop)
serious "$tmp/offline.json" >"$tmp/offline.serious"
serious "$tmp/live.json" >"$tmp/live.serious"
printf 'sent %s packets at %s pps (asked %s); gluetop saw %s, pcap_drop %s, if_drop %s\n' \
    "$sent" "$rate" "$pps" "$seen" "$pdrop" "$idrop"
check "gluetop exits 0 on SIGINT (status $status): $(cat "$tmp/err")" \
    [ "$status" -eq 0 ]
check "tcpreplay sent packets: $(cat "$tmp/replay.out")" [ -n "$sent" ]
check "no packets dropped by libpcap ($pdrop) or the interface ($idrop)" \
    [ "$pdrop" = 0 ] && [ "$idrop" = 0 ]
check "every packet sent was seen ($seen of $sent)" [ "$seen" = "$sent" ]
check "live error and critical findings equal the offline run:
$(diff "$tmp/offline.serious" "$tmp/live.serious")" \
    cmp -s "$tmp/offline.serious" "$tmp/live.serious"
finish
