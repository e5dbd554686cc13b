#!/bin/sh
# test_fix.sh -- the fix of a root cause (DETECTIONS.md R2.2): every root
# cause at severity error or above says what to change and names its zone,
# and no other finding has a fix.  Runs real captures; the list of root
# kinds (tests/roots.py) mirrors engine_finding_is_root(): a finding linked to another
# root cause (caused_by) is a consequence, with no fix of its own.
. "${SRCDIR:-.}/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is needed to read the JSON"
[ -x "$GLUETOP" ] || skip "no gluetop binary at $GLUETOP"
make_tmp fix

cat >"$tmp/check.py" <<'PY'
import json
import sys

from roots import is_root  # tests/roots.py: the root kinds


def zones(o):
    if "zone" in o:
        return [o["zone"]]
    return o.get("cycle", [])


last = {}
for line in sys.stdin:
    o = json.loads(line)
    if o["type"] == "finding":
        last[o["id"]] = o
nfix = 0
for o in last.values():
    what = "%s #%d" % (o["kind"], o["id"])
    fix = o.get("fix")
    if not is_root(o):
        if fix is not None:
            print("BAD %s is no root cause but has a fix: %r" % (what, fix))
        continue
    if fix is None:
        print("BAD %s is a root cause without a fix" % what)
        continue
    nfix += 1
    for bad in ("(null)", "  ", ",,", ", ,"):
        if bad in fix:
            print("BAD %s: %r in its fix %r" % (what, bad, fix))
    if o["severity"] not in ("critical", "error"):
        continue
    if not fix or not zones(o):
        print("BAD %s: empty fix %r or no zone" % (what, fix))
    for z in zones(o):
        if z not in fix:
            print("BAD %s: its zone %s is not in its fix %r" % (what, z, fix))
print("FIXES %d" % nfix)
PY

# sample NAME: check the fixes of samples/NAME.pcap; at least one root cause.
sample() {
	"$GLUETOP" -r "$SRCDIR/samples/$1.pcap" --json >"$tmp/$1.json" \
	    2>"$tmp/err" </dev/null || bad "$1: gluetop failed: $(cat "$tmp/err")"
	PYTHONPATH="$SRCDIR/tests" python3 "$tmp/check.py" <"$tmp/$1.json" >"$tmp/$1.out" 2>&1
	if grep -q -v '^FIXES' "$tmp/$1.out"; then
		bad "$1: $(grep -v '^FIXES' "$tmp/$1.out" | head -n 5)"
	elif grep -q '^FIXES [1-9]' "$tmp/$1.out"; then
		ok
	else
		bad "$1: no root cause with a fix"
	fi
}

for s in bind-noglue bind-halfglue unbound-circular2 bind-circular3 \
    bind-lame bind-upward bind-dead unbound-dead bind-nxns bind-sibling \
    bind-big outage-mixed; do
	sample $s
done

# has NAME TEXT: a fix of samples/NAME.pcap holds the fixed string TEXT.
has() {
	python3 -c 'import json, sys
sys.exit(not any(sys.argv[1] in json.loads(l).get("fix", "")
                 for l in sys.stdin))' "$2" <"$tmp/$1.json"
}

check "bind-noglue: glue for both NS names, in the parent" has bind-noglue \
    "add glue A/AAAA records for ns1.noglue.test., ns2.noglue.test. to the delegation of noglue.test. in test."
check "unbound-circular2: the cycle's zones" has unbound-circular2 \
    "give one zone of the cycle (cyc.example., cyc.test.) an NS name outside it"
check "bind-lame: the zone and the lame server" has bind-lame \
    "load lame.test. on 127.53.14.2 or remove"
check "bind-dead: the silent servers" has bind-dead \
    "127.53.16.1, 127.53.16.2 do not answer for dead.test."
check "bind-sibling: sibling glue" has bind-sibling \
    "add sibling glue for ns.sibhost.test. to the delegation of sib.test. in test."

# bind-tc: the retry over TCP was answered: no root cause, no fix.
"$GLUETOP" -r "$SRCDIR/samples/bind-tc.pcap" --json >"$tmp/tc.json" </dev/null
check "bind-tc: a truncated referral answered over TCP has no fix" \
    [ "$(grep -c '"fix"' "$tmp/tc.json")" -eq 0 ]
PYTHONPATH="$SRCDIR/tests" python3 "$tmp/check.py" <"$tmp/tc.json" >"$tmp/tc.out"
check "bind-tc: $(grep -v '^FIXES' "$tmp/tc.out" | head -n 3)" \
    [ "$(grep -vc '^FIXES' "$tmp/tc.out")" -eq 0 ]

# The report: a fix: line right under each root cause's summary.
"$GLUETOP" -r "$SRCDIR/samples/bind-noglue.pcap" --report >"$tmp/report" \
    </dev/null
check "the report has a fix: line" \
    grep -q '^  fix: add glue A/AAAA records for ns1.noglue.test.' "$tmp/report"
nroot=$(grep -c '"fix"' "$tmp/bind-noglue.json")
check "the report has one fix: line per fix of the JSON ($nroot)" \
    [ "$(grep -c '^  fix: ' "$tmp/report")" -eq "$nroot" ]
finish
