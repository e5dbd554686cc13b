#!/bin/sh
# test_clock.sh -- one record stamped far from the others (a bad clock, a
# record from 2554) is a gap, not time passing: the findings at error and
# above, the timeouts and the unsolicited count are those of the capture
# without it, and capture_health counts the jump.
. "${SRCDIR:-.}/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is needed to edit the pcap"
tmp=${TMPDIR:-/tmp}/gluetop-clock.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

# jump IN OUT N SECONDS: copy a classic pcap, moving record N by SECONDS.
jump() {
	python3 - "$@" <<'PY'
import struct, sys
src, dst, n, secs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
data = bytearray(open(src, 'rb').read())
magic = struct.unpack('<I', data[:4])[0]
end = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
off, i = 24, 0
while off + 16 <= len(data):
    ts, us, incl, orig = struct.unpack(end + 'IIII', data[off:off + 16])
    if i == n:
        struct.pack_into(end + 'I', data, off, (ts + secs) & 0xffffffff)
    off += 16 + incl
    i += 1
open(dst, 'wb').write(bytes(data))
PY
}

# view FILE: the lines the comparison is about.
view() {
	"$GLUETOP" -r "$1" --json | python3 -c '
import json, sys
for line in sys.stdin:
    o = json.loads(line)
    if o["type"] == "finding" and o["severity"] in ("critical", "error"):
        print(o["severity"], o["kind"], o.get("zone", ""), o.get("server", ""))
    if o["type"] == "summary":
        print("timeouts", o["timeouts"], "unsolicited", o["unsolicited"])
' | sort
}

for cap in samples/unbound-dead.pcap samples/bind-lame.pcap; do
	jump "$SRCDIR/$cap" "$tmp/j.pcap" 5 3153600000	# a century ahead
	view "$SRCDIR/$cap" >"$tmp/want"
	view "$tmp/j.pcap" >"$tmp/got"
	if cmp -s "$tmp/want" "$tmp/got"; then ok; else
		bad "$cap with a record a century ahead:"
		diff "$tmp/want" "$tmp/got" >&2
	fi
	"$GLUETOP" -r "$tmp/j.pcap" --json |
	    grep '"kind":"capture_health"' >"$tmp/h"
	check "$cap: capture_health counts the jumps" \
	    grep -q '"clock_jumps":2' "$tmp/h"
done
finish
