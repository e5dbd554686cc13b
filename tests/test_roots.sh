#!/bin/sh
# test_roots.sh -- one root cause per fault (DETECTIONS.md R2.2), on real
# captures.  For every capture listed in samples/lab/faults: the root
# causes of severity warning and above (no caused_by, a root kind: the list
# in tests/roots.py mirrors engine_finding_is_root()) are as many as the faults, of the
# listed kinds, each with a fix and an impact; every other finding of
# severity warning and above has caused_by.  On the healthy captures
# (*-healthy, *-dnssec, *-qmin-on, *-qmin-off): no finding of severity
# warning and above.
. "${SRCDIR:-.}/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is needed to read the JSON"
[ -x "$GLUETOP" ] || skip "no gluetop binary at $GLUETOP"
make_tmp roots

cat >"$tmp/check.py" <<'PY'
import json
import sys

from roots import is_root  # tests/roots.py: the root kinds
LOUD = ("critical", "error", "warning")


def name(o):
    return "%s %s #%d" % (o["severity"], o["kind"], o["id"])


mode, want = sys.argv[1], sys.argv[2:]
last = {}
for line in sys.stdin:
    o = json.loads(line)
    if o.get("type") == "finding":
        last[o["id"]] = o
loud = [o for o in last.values() if o["severity"] in LOUD]
if mode == "healthy":
    for o in loud:
        print("BAD %s on a healthy capture" % name(o))
    sys.exit(0)
nfaults, kinds = int(want[0]), sorted(want[1].split(","))
roots = [o for o in loud if is_root(o)]
if len(roots) != nfaults:
    print("BAD %d root causes at warning or above, want %d: %s" %
          (len(roots), nfaults, ", ".join(name(o) for o in roots)))
got = sorted(o["kind"] for o in roots)
if got != kinds:
    print("BAD root kinds %s, want %s" % (",".join(got), ",".join(kinds)))
for o in roots:
    for m in ("fix", "impact"):
        if m not in o:
            print("BAD root cause %s has no %s" % (name(o), m))
for o in loud:
    if not is_root(o) and "caused_by" not in o:
        print("BAD %s is no root cause and has no caused_by" % name(o))
PY

# run NAME MODE [NFAULTS KINDS]: check samples/NAME.pcap.
run() {
	cap=$SRCDIR/samples/$1.pcap
	if [ ! -f "$cap" ]; then
		bad "$1: no capture $cap"
		return
	fi
	"$GLUETOP" -r "$cap" --json >"$tmp/$1.json" 2>"$tmp/err" </dev/null ||
	    { bad "$1: gluetop failed: $(cat "$tmp/err")"; return; }
	n=$1; shift
	PYTHONPATH="$SRCDIR/tests" python3 "$tmp/check.py" "$@" <"$tmp/$n.json" >"$tmp/$n.out" 2>&1
	if [ -s "$tmp/$n.out" ]; then
		bad "$n: $(head -n 8 "$tmp/$n.out")"
	else
		ok
	fi
}

grep -v '^#' "$SRCDIR/samples/lab/faults" | grep -v '^[[:space:]]*$' >"$tmp/faults"
check "samples/lab/faults lists captures" [ -s "$tmp/faults" ]
while read -r sample nfaults kinds; do
	run "$sample" faults "$nfaults" "$kinds"
done <"$tmp/faults"

for cap in "$SRCDIR"/samples/*-healthy.pcap "$SRCDIR"/samples/*-dnssec.pcap \
    "$SRCDIR"/samples/*-qmin-on.pcap "$SRCDIR"/samples/*-qmin-off.pcap; do
	[ -f "$cap" ] || continue
	run "$(basename "$cap" .pcap)" healthy
done
finish
