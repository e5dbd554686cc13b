#!/bin/sh
# test_metrics.sh -- --metrics-file and --metrics: the Prometheus text
# format (promtool check metrics when it is installed), numbers that agree
# with the JSON summary of the same run, labels from fixed sets only, the
# HTTP side (200 on /metrics, 404 elsewhere, 405 for POST) under the
# sandbox, bad arguments as one line and exit 2, and a real Prometheus
# server (when installed) scraping gluetop on loopback.
. "${SRCDIR:-.}/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is needed"
[ -x "$GLUETOP" ] || skip "no gluetop binary at $GLUETOP"
make_tmp metrics
writable_dir "$tmp"
cap=$SRCDIR/samples/outage-mixed.pcap

# A free TCP port on loopback.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# GET URL: "CODE CONTENT-TYPE" on the first line, the body after it.
http_get() {
	python3 - "$1" "${2:-GET}" <<'PY'
import sys, urllib.request, urllib.error
req = urllib.request.Request(sys.argv[1], method=sys.argv[2],
                             data=b"x" if sys.argv[2] == "POST" else None)
try:
    with urllib.request.urlopen(req, timeout=5) as r:
        print(r.status, r.headers.get("Content-Type"))
        sys.stdout.write(r.read().decode())
except urllib.error.HTTPError as e:
    print(e.code, e.headers.get("Content-Type"))
except Exception as e:
    print("000", type(e).__name__)
PY
}

# Wait up to 5 s for something to listen on a port.
wait_port() {
	i=0
	while [ $i -lt 50 ]; do
		python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$1" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# The metrics of a file run agree with its JSON summary.
"$GLUETOP" -r "$cap" --json --metrics-file "$tmp/m.prom" >"$tmp/run.json" 2>"$tmp/err"
check "--metrics-file: the run exits 0 ($(head -c 200 "$tmp/err"))" [ $? -eq 0 ]
check "--metrics-file: the file is there, and no temporary beside it" \
    sh -c "[ -s '$tmp/m.prom' ] && [ ! -e '$tmp/m.prom.tmp' ]"
if command -v promtool >/dev/null; then
	check "promtool check metrics passes: $(promtool check metrics <"$tmp/m.prom" 2>&1 | head -3)" \
	    sh -c "promtool check metrics <'$tmp/m.prom' >/dev/null 2>&1"
fi
python3 - "$tmp/m.prom" "$tmp/run.json" >"$tmp/cmp" 2>&1 <<'PY'
import json, re, sys
samples = {}
for line in open(sys.argv[1]):
    if line.startswith("#") or not line.strip():
        continue
    m = re.match(r'^([a-z_]+)(\{(.*)\})? (\d+)$', line.strip())
    if not m:
        print("not a sample line:", line.strip()); continue
    labels = dict(re.findall(r'([a-z_]+)="((?:[^"\\]|\\.)*)"', m.group(3) or ""))
    samples.setdefault(m.group(1), []).append((labels, int(m.group(4))))
summ = [json.loads(l) for l in open(sys.argv[2]) if '"summary"' in l][-1]
def one(name, **want):
    for labels, v in samples.get(name, []):
        if all(labels.get(k) == w for k, w in want.items()):
            return v
    print("missing", name, want); return None
checks = [
    ("gluetop_packets_total", {}, summ["packets"]),
    ("gluetop_messages_total", {}, summ["messages"]),
    ("gluetop_timeouts_total", {}, summ["timeouts"]),
    ("gluetop_queries_total", {"role": "upstream"}, summ["upstream_queries"]),
    ("gluetop_queries_total", {"role": "client"}, summ["downstream_queries"]),
    ("gluetop_client_lookups_failed_total", {}, summ["client_lookups_failed"]),
    ("gluetop_table_evictions_total", {"table": "lookups"}, summ["evictions"]["lookups"]),
]
for name, labels, want in checks:
    got = one(name, **labels)
    if got != want:
        print("%s%s is %s, the JSON summary says %s" % (name, labels, got, want))
active = sum(v for _, v in samples.get("gluetop_findings_active", []))
if active != summ["findings"]:
    print("findings_active sums to", active, "the summary has", summ["findings"])
for sev, n in summ["by_severity"].items():
    got = sum(v for l, v in samples.get("gluetop_findings_active", []) if l["severity"] == sev)
    if got != n:
        print("severity", sev, got, "!=", n)
kinds = {json.loads(l)["kind"] for l in open(sys.argv[2]) if '"finding"' in l}
for l, _ in samples.get("gluetop_findings_active", []):
    if l["kind"] not in kinds:
        print("kind", l["kind"], "is in the metrics but not in the JSON")
resp = sum(v for _, v in samples.get("gluetop_responses_total", []))
if resp != summ["responses"]:
    print("responses by rcode sum to", resp, "not", summ["responses"])
# Labels are words from fixed sets, never a name or an address.
for name, ss in samples.items():
    for labels, _ in ss:
        for k, v in labels.items():
            if k in ("version", "host"):
                continue
            if not re.fullmatch(r'[a-z][a-z_]*', v):
                print("label %s=%r of %s is not a fixed word" % (k, v, name))
print("compared")
PY
check "metrics agree with the JSON summary: $(grep -v '^compared$' "$tmp/cmp" | head -5)" \
    sh -c "[ \"\$(cat '$tmp/cmp')\" = compared ]"

# --host-name is the sensor's name in gluetop_info.
"$GLUETOP" -r "$cap" --report --host-name 'dns "edge" 1' --metrics-file "$tmp/h.prom" >/dev/null 2>&1
check "--host-name is escaped into gluetop_info" \
    grep -q 'host="dns \\"edge\\" 1"' "$tmp/h.prom"

# Bad arguments: one line, exit 2.
one_error "--metrics with no port" '^gluetop: --metrics .*expected a number' -r "$cap" --report --metrics 127.0.0.1:
one_error "--metrics port 0" '^gluetop: --metrics 0: expected a number from 1 to 65535' -r "$cap" --report --metrics 0
one_error "--metrics with a bad address" '^gluetop: --metrics nonsense:9: not an IPv4 or IPv6 address' -r "$cap" --report --metrics nonsense:9
one_error "--metrics with --dump" '^gluetop: --metrics and --metrics-file need the engine' -r "$cap" --dump --metrics 9
one_error "--metrics-file in a missing folder" '^gluetop: --metrics-file /nonexistent/x.prom: No such file or directory' -r "$cap" --report --metrics-file /nonexistent/x.prom
port=$(free_port)
python3 -c 'import socket,time,sys; s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); time.sleep(10)' "$port" &
holder=$!
wait_port "$port" || bad "the port holder did not listen on $port"
one_error "--metrics on a port in use" "^gluetop: --metrics 127.0.0.1:$port: cannot listen" -r "$cap" --report --metrics "127.0.0.1:$port"
kill $holder 2>/dev/null
wait $holder 2>/dev/null

# HTTP while a slow replay runs (the sandbox on, as by default).
port=$(free_port)
"$GLUETOP" -r "$cap" --json --speed 0.2 --metrics "127.0.0.1:$port" >"$tmp/live.json" 2>"$tmp/live.err" &
pid=$!
if wait_port "$port"; then
	ok
	http_get "http://127.0.0.1:$port/metrics" >"$tmp/get"
	check "GET /metrics: 200 text/plain version 0.0.4 ($(head -n 1 "$tmp/get"))" \
	    grep -q '^200 text/plain; version=0.0.4' "$tmp/get"
	check "GET /metrics: has gluetop_packets_total" grep -q '^gluetop_packets_total [0-9]' "$tmp/get"
	if command -v promtool >/dev/null; then
		tail -n +2 "$tmp/get" >"$tmp/get.prom"
		check "promtool accepts the scrape" sh -c "promtool check metrics <'$tmp/get.prom' >/dev/null 2>&1"
	fi
	code=$(http_get "http://127.0.0.1:$port/other" | head -n 1 | cut -d' ' -f1)
	check "GET /other: 404 (got $code)" [ "$code" = 404 ]
	code=$(http_get "http://127.0.0.1:$port/metrics" POST | head -n 1 | cut -d' ' -f1)
	check "POST /metrics: 405 (got $code)" [ "$code" = 405 ]
else
	bad "--metrics: nothing listened on $port ($(head -c 200 "$tmp/live.err"))"
fi
kill -INT $pid 2>/dev/null
wait $pid
check "the served run ends cleanly on SIGINT (status $?; $(head -c 200 "$tmp/live.err"))" \
    sh -c "[ ! -s '$tmp/live.err' ] && grep -q '\"type\":\"summary\"' '$tmp/live.json'"

# A real Prometheus scrapes a live gluetop on loopback and has its series.
if command -v prometheus >/dev/null && [ "$(id -u)" -eq 0 ]; then
	gport=$(free_port)
	pport=$(free_port)
	"$GLUETOP" -i lo --json --metrics "127.0.0.1:$gport" 'udp port 9' >/dev/null 2>"$tmp/g.err" &
	gpid=$!
	cat >"$tmp/prom.yml" <<EOF
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: gluetop
    static_configs:
      - targets: ['127.0.0.1:$gport']
EOF
	mkdir -p "$tmp/tsdb"
	prometheus --config.file="$tmp/prom.yml" --storage.tsdb.path="$tmp/tsdb" \
	    --web.listen-address="127.0.0.1:$pport" >"$tmp/prom.log" 2>&1 &
	ppid=$!
	found=
	i=0
	while [ $i -lt 60 ] && [ -z "$found" ]; do
		sleep 0.5
		found=$(python3 - "$pport" <<'PY' 2>/dev/null
import json, sys, urllib.request
u = "http://127.0.0.1:%s/api/v1/query?query=gluetop_info" % sys.argv[1]
r = json.load(urllib.request.urlopen(u, timeout=2))
res = r["data"]["result"]
print(res[0]["metric"]["job"] if res else "")
PY
)
		i=$((i + 1))
	done
	check "Prometheus scraped gluetop_info from gluetop (after $i tries; $(tail -n 2 "$tmp/prom.log" | head -c 300))" [ "$found" = gluetop ]
	kill $ppid 2>/dev/null
	kill -INT $gpid 2>/dev/null
	wait $ppid 2>/dev/null
	wait $gpid 2>/dev/null
fi
finish
