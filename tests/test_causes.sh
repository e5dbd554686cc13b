#!/bin/sh
# test_causes.sh -- causes, impact and fix (DETECTIONS.md R2.2) on real
# captures: every root cause at error or above has a fix and an impact of
# four integers, every other finding at warning or above is linked to a
# root cause (caused_by) and so shows at notice, a link names a root cause
# of the same run, root causes come first in the JSON, and outage-mixed's
# causes whose chains failed count what they broke.  The report opens with
# the causes, each chain drawn once.
. "${SRCDIR:-.}/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is needed to read the JSON"
[ -x "$GLUETOP" ] || skip "no gluetop binary at $GLUETOP"
make_tmp causes

cat >"$tmp/check.py" <<'PY'
import json
import sys

SEV = ("critical", "error", "warning", "notice", "info")
IMPACT = ("lookups_failed", "lookups_slowed", "clients", "queries_spent")

objs = [json.loads(line) for line in sys.stdin]
found = [o for o in objs if o["type"] == "finding"]
byid = dict((o["id"], o) for o in found)
seen_other = False
for o in found:
    what = "%s #%d" % (o["kind"], o["id"])
    root = "impact" in o
    if root and seen_other:
        print("BAD %s: a root cause after a consequence" % what)
    seen_other = seen_other or not root
    if root:
        imp = o["impact"]
        if sorted(imp) != sorted(IMPACT) or not all(
                type(imp[k]) is int and imp[k] >= 0 for k in IMPACT):
            print("BAD %s: impact %r" % (what, imp))
        if "caused_by" in o:
            print("BAD %s: a root cause with caused_by" % what)
        if SEV.index(o["severity"]) <= 1 and not o.get("fix"):
            print("BAD %s: a root cause at %s without a fix" %
                  (what, o["severity"]))
        print("ROOT %s %s %s" % (o["kind"], o.get("zone", ",".join(
            o.get("cycle", []))), " ".join(str(imp[k]) for k in IMPACT)))
        continue
    c = o.get("caused_by")
    if c is None:
        if SEV.index(o["severity"]) <= 2:
            print("BAD %s at %s has no caused_by" % (what, o["severity"]))
        continue
    if type(c) is not list or len(c) != 1 or c[0] not in byid or \
            "impact" not in byid[c[0]]:
        print("BAD %s: caused_by %r is no root cause" % (what, c))
    if SEV.index(o["severity"]) < 3:
        print("BAD %s: linked but at %s" % (what, o["severity"]))
    c = c[0] if type(c) is list and c else c
    print("LINK %s -> %s" % (o["kind"], byid[c]["kind"] if c in byid else c))
PY

# run NAME: check samples/NAME.pcap; the lines are in $tmp/NAME.out.
run() {
	"$GLUETOP" -r "$SRCDIR/samples/$1.pcap" --json >"$tmp/$1.json" \
	    2>"$tmp/err" </dev/null || bad "$1: gluetop failed: $(cat "$tmp/err")"
	python3 "$tmp/check.py" <"$tmp/$1.json" >"$tmp/$1.out" 2>&1
	if grep -q '^BAD\|Error' "$tmp/$1.out"; then
		bad "$1: $(grep -v '^ROOT\|^LINK' "$tmp/$1.out" | head -n 5)"
	elif grep -q '^ROOT' "$tmp/$1.out"; then
		ok
	else
		bad "$1: no root cause"
	fi
}

for r in bind kresd pdns unbound; do
	for s in dead lame circular2; do
		run "$r-$s"
	done
done
run outage-mixed

# links NAME PATTERN: a LINK line of NAME matches the extended regex.
links() { grep -qE "^LINK $2" "$tmp/$1.out"; }
for r in bind kresd pdns unbound; do
	check "$r-dead: server_unresponsive linked to zone_unreachable" \
	    links "$r-dead" "server_unresponsive -> zone_unreachable"
done
check "unbound-lame: the ping-pong linked to the lame delegation" \
    links unbound-lame "query_loop -> lame_delegation"
check "outage-mixed: the ping-pong linked to the lame delegation" \
    links outage-mixed "query_loop -> lame_delegation"

# impact NAME KIND ZONE: that root cause failed lookups of clients and
# spent queries (fields 4, 6 and 7 of its ROOT line are not 0).
impact() {
	awk -v k="$2" -v z="$3" '$1 == "ROOT" && $2 == k && $3 == z &&
	    $4 > 0 && $6 > 0 && $7 > 0 { hit = 1 } END { exit !hit }' \
	    "$tmp/$1.out"
}
for kz in "zone_unreachable dead.test." "lame_delegation lame.test." \
    "glue_missing_in_domain noglue.test." \
    "ns_name_unresolvable nxns.test." \
    "circular_delegation cyc.example.,cyc.test."; do
	# shellcheck disable=SC2086
	check "outage-mixed: $kz counts failed lookups, clients, queries" \
	    impact outage-mixed $kz
done
check "outage-mixed: a healthy zone's lookups are no cause's" \
    [ "$(grep -c healthy "$tmp/outage-mixed.out")" -eq 0 ]

# The report: causes first, with impact and folded consequences; a chain
# is drawn once and named after that.
"$GLUETOP" -r "$SRCDIR/samples/outage-mixed.pcap" --report >"$tmp/report" \
    </dev/null
check "report: the CAUSES section comes first" [ "$(grep -E \
    '^== [A-Z]' "$tmp/report" | head -n 1)" = "== CAUSES (10) ==" ]
check "report: an impact line per root cause" [ "$(grep -c \
    '^  impact     [0-9]* client lookups\{0,1\} failed' "$tmp/report")" -eq 10 ]
check "report: the consequences folded under zone_unreachable" grep -q \
    '^    server_unresponsive (#4) 127.53.16.1 left' "$tmp/report"
check "report: no section of its own for a linked consequence" \
    [ "$(grep -c '^notice server_unresponsive' "$tmp/report")" -eq 0 ]
grep -E '^ *chain #[0-9]+ ' "$tmp/report" | awk '{print $2}' | sort |
    uniq -d >"$tmp/twice"
check "report: each chain drawn once ($(tr '\n' ' ' <"$tmp/twice"))" \
    [ ! -s "$tmp/twice" ]
check "report: a chain drawn before is referred to" grep -q \
    '^  see chain #16 above$' "$tmp/report"
finish
