#!/bin/sh
# test_json.sh -- the shape of gluetop --json --chains on every capture at
# hand (samples/, and the shared corpus when it sits beside the checkout):
# each line is one JSON object with a type and no repeated key, findings
# carry their fixed members and one of the five severities, chains their
# steps, evidence points at chains that were printed, and the last line is
# the summary.  Needs python3 for its json module.
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
STEP = ("frame", "response_frame", "time", "zone", "server", "transport",
        "qname", "qtype", "class", "rcode", "aa", "rtt_ms", "detail")
CHAIN = ("id", "parent", "resolver", "qname", "qtype", "reason", "outcome",
         "failed", "depth", "queries", "referrals", "start", "end", "steps")
SUMMARY = ("packets", "messages", "queries", "responses", "malformed",
           "lookups", "lookups_failed", "findings", "by_severity", "matched",
           "unsolicited", "mismatched", "retransmits", "timeouts",
           "unanswered_at_end", "first", "last", "health", "evictions")
HEALTH = ("pcap_drop", "if_drop", "snap_cut", "skipped", "malformed",
          "evicted", "frag_incomplete", "tcp_gaps", "bad_linktype")
EVICT = ("pending", "lookups", "zones", "names", "servers", "findings",
         "repeats")
TIME = re.compile(r'"(first_seen|last_seen)":(\d+\.\d{6}|null)[,}]')


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
    for n, line in enumerate(lines, 1):
        try:
            o = json.loads(line, object_pairs_hook=nodup)
            assert isinstance(o, dict), "not an object"
            assert o.get("type") in ("finding", "chain", "summary"), "type"
            if o["type"] == "finding":
                finding(o)
                assert TIME.search(line), "times without 6 decimals"
                found[o["id"]] = o
                refs.update(o["evidence"]["chains"])
            elif o["type"] == "chain":
                chain(o)
                ids.add(o["id"])
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
finish
