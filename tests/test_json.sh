#!/bin/sh
# test_json.sh -- the shape of gluetop --json --chains on every capture at
# hand (samples/, and the shared corpus when it sits beside the checkout):
# each line is one JSON object with a type and no repeated key, findings
# carry their fixed members and one of the five severities, chains their
# steps, evidence points at chains that were printed, and the last line is
# the summary.  The contract (schema 1): every object has schema and host;
# a member's type never varies (lists are always arrays, times and counts
# numbers; what did not happen is left out, never null); in batch output
# each finding appears once, then a zone object per zone and a server
# object per server, then the summary.  Needs python3 for its json module.
. "${SRCDIR:-.}/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is needed to parse JSON"
[ -x "$GLUETOP" ] || skip "no gluetop binary at $GLUETOP"
tmp=${TMPDIR:-/tmp}/gluetop-json.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/check.py" <<'EOF'
import json
import re
import sys

SEV = ("critical", "error", "warning", "notice", "info")
FIXED = ("kind", "severity", "count", "first_seen", "last_seen", "summary",
         "evidence")
STEP = ("frame", "time", "zone", "server", "transport", "qname", "qtype",
        "class", "aa", "detail")
ZONE = ("zone", "ns", "child_ns", "servers", "referred_by", "referrals")
ZNS = ("name", "glue_status", "in_domain", "glue", "addresses")
SERVER = ("address", "resolver", "queries", "tcp_queries", "answers",
          "timeouts", "lame", "zones")
CHAIN = ("id", "parent", "resolver", "qname", "qtype", "reason", "outcome",
         "failed", "depth", "queries", "referrals", "start", "end", "steps")
SUMMARY = ("packets", "messages", "queries", "responses", "malformed",
           "lookups", "lookups_failed", "findings", "by_severity", "matched",
           "unsolicited", "mismatched", "retransmits", "timeouts",
           "unanswered_at_end", "health", "evictions")
HEALTH = ("pcap_drop", "if_drop", "snap_cut", "skipped", "malformed",
          "evicted", "frag_incomplete", "tcp_gaps", "bad_linktype")
EVICT = ("pending", "lookups", "zones", "names", "servers", "findings",
         "repeats")
TIME = re.compile(r'"(first_seen|last_seen)":(\d+\.\d{6})[,}]')


def nodup(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("repeated key in %s" % keys)
    return dict(pairs)


def isnum(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def finding(o):
    for k in FIXED:
        assert k in o, "finding without %s" % k
    assert o["severity"] in SEV, "severity %r" % o["severity"]
    assert isinstance(o["count"], int) and o["count"] >= 1, "count"
    assert isnum(o["first_seen"]) and isnum(o["last_seen"]), "times"
    assert o["first_seen"] <= o["last_seen"], "first_seen after last_seen"
    ev = o["evidence"]
    assert isinstance(ev["chains"], list) and isinstance(ev["frames"], list)
    assert all(isinstance(x, int) for x in ev["chains"] + ev["frames"])


def chain(o):
    for k in CHAIN:
        assert k in o, "chain without %s" % k
    for s in o["steps"]:
        for k in STEP:
            assert k in s, "step without %s" % k
        assert s["transport"] in ("udp", "tcp"), "transport"
        assert isinstance(s.get("response_frame", 0), int), "response_frame"
        assert isnum(s.get("rtt_ms", 0)), "rtt_ms"
        assert isinstance(s.get("rcode", ""), str), "rcode"
        assert ("rcode" in s) == ("rtt_ms" in s), "rcode without rtt_ms"


def zone(o):
    for k in ZONE:
        assert k in o, "zone without %s" % k
    assert isinstance(o["ns"], list) and o["ns"], "zone ns"
    for ns in o["ns"]:
        for k in ZNS:
            assert k in ns, "zone ns without %s" % k
        assert ns["glue_status"] in ("present", "missing", "not_needed",
                                     "unknown"), "glue_status"
        assert isinstance(ns["glue"], list), "glue"
        assert isinstance(ns["addresses"], list), "addresses"
    for k in ("child_ns", "servers", "referred_by"):
        assert isinstance(o[k], list), k
    assert isinstance(o["referrals"], int), "referrals"
    assert o.get("worst", "critical") in SEV, "worst"


def server(o):
    for k in SERVER:
        assert k in o, "server without %s" % k
    for k in ("queries", "tcp_queries", "answers", "timeouts", "lame"):
        assert isinstance(o[k], int) and o[k] >= 0, k
    assert isinstance(o["resolver"], bool), "resolver"
    assert isinstance(o["zones"], list), "zones"
    if "rtt_avg_ms" in o:
        assert o["rtt_min_ms"] <= o["rtt_avg_ms"] <= o["rtt_max_ms"], "rtt"


def summary(o, nfind):
    for k in SUMMARY:
        assert k in o, "summary without %s" % k
    assert all(k in o["evictions"] for k in EVICT), "evictions members"
    assert sorted(o["by_severity"]) == sorted(SEV), "by_severity keys"
    assert sum(o["by_severity"].values()) == o["findings"], "severity sum"
    if o["evictions"]["findings"] == 0:
        assert o["findings"] == len(nfind), "findings %d, %d printed" % (
            o["findings"], len(nfind))
    assert all(k in o["health"] for k in HEALTH), "health members"


def main():
    lines = sys.stdin.read().split("\n")
    assert lines.pop() == "", "output does not end with a newline"
    assert lines, "no output"
    ids, refs, found, last = set(), set(), {}, None
    order = {"finding": 0, "chain": 1, "zone": 2, "server": 3, "summary": 4}
    at = 0
    for n, line in enumerate(lines, 1):
        try:
            o = json.loads(line, object_pairs_hook=nodup)
            assert isinstance(o, dict), "not an object"
            assert o.get("type") in order, "type"
            assert o.get("schema") == 1, "schema"
            assert isinstance(o.get("host"), str) and o["host"], "host"
            assert "null" not in line.replace('"null"', ""), "a null member"
            assert order[o["type"]] >= at, "%s after %s" % (o["type"], at)
            at = order[o["type"]]
            if o["type"] == "finding":
                finding(o)
                assert TIME.search(line), "times without 6 decimals"
                assert o["id"] not in found, "finding %d twice" % o["id"]
                assert "event" not in o, "an event in batch output"
                found[o["id"]] = o
                refs.update(o["evidence"]["chains"])
            elif o["type"] == "chain":
                chain(o)
                ids.add(o["id"])
            elif o["type"] == "zone":
                zone(o)
            elif o["type"] == "server":
                server(o)
            last = o
        except (ValueError, AssertionError, KeyError, TypeError) as e:
            sys.exit("line %d: %s: %s" % (n, e, line[:200]))
    if last["type"] != "summary":
        sys.exit("the last line is not a summary")
    try:
        summary(last, found)
    except (AssertionError, KeyError) as e:
        sys.exit("summary: %s" % e)
    if ids and last["evictions"]["lookups"] == 0 and not refs <= ids:
        sys.exit("evidence names chains never printed: %s" % (refs - ids))


main()
EOF

# The captures to read: samples/, plus the shared corpus if present.
ls "$SRCDIR"/samples/*.pcap >"$tmp/caps" 2>/dev/null
sd=$(shared_dir)
if [ -n "$sd" ]; then
	ls "$sd"/corpus/*/*.pcap "$sd"/corpus/*/*.pcapng >>"$tmp/caps" \
	    2>/dev/null
fi
[ -s "$tmp/caps" ] || skip "no capture in samples/ nor a shared corpus"

while read -r cap; do
	"$GLUETOP" -r "$cap" --json --chains >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -ne 0 ] && [ ! -s "$tmp/out" ]; then
		# A file gluetop cannot read at all: nothing to check.
		ok
		continue
	fi
	if msg=$(python3 "$tmp/check.py" <"$tmp/out" 2>&1); then
		ok
	else
		bad "$cap: $msg"
	fi
done <"$tmp/caps"
# --stream: every finding line has an event; an id's first line is new,
# later ones update or cleared; with a short w_clear some clear before the
# end; no zone or server objects; the summary last.
cat >"$tmp/stream.py" <<'EOF'
import json, sys
seen, cleared, n, last = set(), 0, 0, None
for line in sys.stdin:
    o = json.loads(line)
    assert o["schema"] == 1 and o["host"], "schema, host"
    assert o["type"] in ("finding", "chain", "summary"), o["type"]
    last = o
    if o["type"] != "finding":
        continue
    n += 1
    ev = o.get("event")
    want = ("update", "cleared") if o["id"] in seen else ("new",)
    assert ev in want, "finding %d: event %r, not %s" % (o["id"], ev, want)
    seen.add(o["id"])
    cleared += ev == "cleared"
assert last["type"] == "summary", "the last line is not the summary"
assert n > len(seen), "nothing printed twice"
assert cleared > 0, "nothing cleared"
print("ok %d lines, %d findings, %d cleared" % (n, len(seen), cleared))
EOF
"$GLUETOP" -r "$SRCDIR/samples/outage-mixed.pcap" --json --stream \
    --set w_clear=1 >"$tmp/stream.json" 2>"$tmp/err"
msg=$(python3 "$tmp/stream.py" <"$tmp/stream.json" 2>&1 | tail -n 1)
check "--stream: events new, update, cleared ($msg $(head -c 200 "$tmp/err"))" \
    sh -c "echo '$msg' | grep -q '^ok '"
"$GLUETOP" -r "$SRCDIR/samples/outage-mixed.pcap" --json --stream \
    --speed 2 --stats-interval 1 >"$tmp/stats.json" 2>/dev/null
n=$(grep -c '"type":"summary"' "$tmp/stats.json")
check "--stats-interval 1 on a replay of a few seconds: a summary each second ($n)" [ "$n" -ge 2 ]
finish
