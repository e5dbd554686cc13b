#!/bin/sh
# test_logging.sh -- what gluetop leaves for the operator's log pipeline:
# -w with tcpdump's -C/-G/-W (sizes, names, the ring of files, the stop
# after -W periods), --json-file (the same lines as --json, appended,
# reopened on SIGHUP as logrotate expects) and --syslog (each new root
# cause at warning or above, one line, to a log socket this test listens
# on).  Everything runs under the default sandbox.
. "${SRCDIR:-.}/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is needed"
[ -x "$GLUETOP" ] || skip "no gluetop binary at $GLUETOP"
make_tmp logging
chmod 755 "$tmp"
mkdir "$tmp/w"
writable_dir "$tmp/w"
cap=$SRCDIR/samples/outage-mixed.pcap
w=$tmp/w

# A capture of several MB: a resolver's upstream traffic, generated.
python3 "$SRCDIR/bench/gen-dns-pcap.py" --pairs 15000 --seed 3 --out "$w/all.pcap" >/dev/null 2>"$tmp/err"
size=$(wc -c <"$w/all.pcap")
check "a capture of several MB to rotate ($size bytes; $(head -c 200 "$tmp/err"))" [ "$size" -gt 3000000 ]
packets() { "$GLUETOP" -r "$1" --dump | wc -l; }
total=$(packets "$w/all.pcap")

# -C 1 -W 3: at most 3 files of at most 1,000,000 bytes, the newest
# packets kept, named all0 all1 all2.
"$GLUETOP" -r "$w/all.pcap" --report -w "$w/ring" -C 1 -W 3 >/dev/null 2>"$tmp/err"
check "-C 1 -W 3 exits 0 ($(head -c 200 "$tmp/err"))" [ $? -eq 0 ]
n=$(ls "$w" | grep -c '^ring')
check "-C 1 -W 3 leaves 3 files (found $n: $(ls "$w" | tr '\n' ' '))" [ "$n" -eq 3 ]
for f in ring0 ring1 ring2; do
	s=$(wc -c <"$w/$f" 2>/dev/null || echo 0)
	check "$f is a pcap of at most 1,000,000 bytes, most of it full ($s)" \
	    sh -c "[ $s -le 1000000 ] && [ $s -gt 100000 ]"
	"$GLUETOP" -r "$w/$f" --dump >/dev/null 2>"$tmp/err"
	check "$f reads back ($(head -c 200 "$tmp/err"))" [ $? -eq 0 ]
done
kept=$(($(packets "$w/ring0") + $(packets "$w/ring1") + $(packets "$w/ring2")))
check "the ring holds fewer packets than the input ($kept of $total)" [ "$kept" -lt "$total" ]
# -C 1 alone: all, all1, all2, ... and nothing lost.
"$GLUETOP" -r "$w/all.pcap" --report -w "$w/seq.pcap" -C 1 >/dev/null 2>&1
n=$(ls "$w" | grep -c '^seq.pcap')
sum=0
for f in "$w"/seq.pcap*; do
	sum=$((sum + $(packets "$f")))
done
check "-C 1: $n files named seq.pcap, seq.pcap1, ... with every packet ($sum of $total)" \
    sh -c "[ -e '$w/seq.pcap' ] && [ -e '$w/seq.pcap1' ] && [ $sum -eq $total ]"

# -G: files named by the packets' own time (UTC), one per period.
"$GLUETOP" -r "$cap" --report -w "$w/g-%Y%m%dT%H%M%S.pcap" -G 2 >/dev/null 2>"$tmp/err"
check "-G 2 exits 0 ($(head -c 200 "$tmp/err"))" [ $? -eq 0 ]
first=$("$GLUETOP" -r "$cap" --dump -tt | head -n 1 | cut -d' ' -f2 | cut -d. -f1)
start=$(python3 -c "import sys,time; t=int(sys.argv[1]); print(time.strftime('%Y%m%dT%H%M%S', time.gmtime(t - t % 2)))" "$first")
check "-G 2: the first file is named by the first packet's period ($start)" [ -s "$w/g-$start.pcap" ]
ng=$(ls "$w" | grep -c '^g-')
sum=0
for f in "$w"/g-*; do
	sum=$((sum + $(packets "$f")))
done
check "-G 2: $ng files with every packet ($sum of $(packets "$cap"))" \
    sh -c "[ $ng -ge 2 ] && [ $sum -eq $(packets "$cap") ]"
"$GLUETOP" -r "$cap" --report -w "$w/h-%H%M%S.pcap" -G 1 -W 2 >/dev/null 2>&1
n=$(ls "$w" | grep -c '^h-')
check "-G 1 -W 2: stops after 2 files (found $n)" [ "$n" -eq 2 ]

one_error "-C without -w" '^gluetop: -C and -G need -w FILE' -r "$cap" --report -C 1
one_error "-W alone" '^gluetop: -W needs -C or -G' -r "$cap" --report -w "$w/x" -W 2
one_error "-C 0" '^gluetop: -C 0: expected a number from 1 to' -r "$cap" --report -w "$w/x" -C 0
one_error "-G -1" '^gluetop: -G -1: expected a number from 1 to' -r "$cap" --report -w "$w/x" -G -1

# --json-file: the same findings as --json, in any mode.
"$GLUETOP" -r "$cap" --json >"$tmp/stdout.json"
"$GLUETOP" -r "$cap" --report --json-file "$w/f.json" >/dev/null 2>"$tmp/err"
check "--json-file with --report exits 0 ($(head -c 200 "$tmp/err"))" [ $? -eq 0 ]
grep '"type":"finding"' "$tmp/stdout.json" | sort >"$tmp/a"
grep '"type":"finding"' "$w/f.json" | sort >"$tmp/b"
check "--json-file holds the findings --json prints ($(wc -l <"$tmp/b") lines)" \
    sh -c "[ -s '$tmp/a' ] && cmp -s '$tmp/a' '$tmp/b'"
"$GLUETOP" -r "$cap" --report --json-file "$w/f.json" >/dev/null 2>&1
check "--json-file appends (two runs, two summaries)" \
    [ "$(grep -c '"type":"summary"' "$w/f.json")" -eq 2 ]
one_error "--json-file in a missing folder" '^gluetop: --json-file /nonexistent/f.json: No such file or directory' -r "$cap" --report --json-file /nonexistent/f.json

# SIGHUP reopens it: the run's lines go to the new file, none to the old.
rm -f "$w/r.json"
"$GLUETOP" -r "$cap" --report --speed 0.3 --json-file "$w/r.json" >"$tmp/r.report" 2>"$tmp/r.err" &
pid=$!
sleep 1
mv "$w/r.json" "$w/r.json.1" 2>/dev/null
kill -HUP $pid
sleep 0.5
kill -INT $pid
wait $pid
check "SIGHUP: the old file kept nothing of the run, the new one has it all ($(head -c 200 "$tmp/r.err"))" \
    sh -c "[ -e '$w/r.json.1' ] && [ ! -s '$w/r.json.1' ] && grep -q '\"type\":\"summary\"' '$w/r.json'"
check "SIGHUP with --json-file prints no report before the end" \
    [ "$(grep -c '^gluetop report' "$tmp/r.report")" -eq 1 ]

# --syslog: a log socket of our own at /dev/log, in a mount namespace of
# this test when the machine has one already.
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null; then
	cat >"$tmp/logd.py" <<'PY'
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o666)
s.settimeout(3)
with open(sys.argv[2], "w") as out:
    print("ready", file=out, flush=True)
    try:
        while True:
            out.write(s.recv(65536).decode(errors="replace") + "\n")
            out.flush()
    except socket.timeout:
        pass
PY
	cat >"$tmp/syslog.sh" <<EOF
set -e
if [ "\$1" = bind ]; then mount --bind "$tmp/log.sock" /dev/log; fi
"$GLUETOP" -r "$cap" --report --syslog >/dev/null
EOF
	python3 "$tmp/logd.py" "$tmp/log.sock" "$tmp/log.txt" &
	lpid=$!
	i=0
	while [ ! -s "$tmp/log.txt" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	if [ -e /dev/log ]; then
		unshare -m --propagation private sh "$tmp/syslog.sh" bind 2>"$tmp/s.err"
	else
		ln -s "$tmp/log.sock" /dev/log
		sh "$tmp/syslog.sh" plain 2>"$tmp/s.err"
		rm -f /dev/log
	fi
	check "--syslog: the run exits 0 ($(head -c 200 "$tmp/s.err"))" [ $? -eq 0 ]
	wait $lpid
	PYTHONPATH="$SRCDIR/tests" python3 - "$cap" "$tmp/log.txt" "$GLUETOP" >"$tmp/s.cmp" 2>&1 <<'PY'
import json, subprocess, sys
from roots import ROOT  # tests/roots.py: the root kinds
out = subprocess.run([sys.argv[3], "-r", sys.argv[1], "--json"], capture_output=True, text=True).stdout
want = set()
for l in out.splitlines():
    o = json.loads(l)
    if o["type"] == "finding" and o["kind"] in ROOT and o["severity"] in ("critical", "error", "warning") and "caused_by" not in o:
        want.add((o["kind"], o["id"]))
got = set()
for l in open(sys.argv[2]):
    if "gluetop[" not in l:
        continue
    # <PRI>TIMESTAMP gluetop[PID]: SEV KIND (#ID): summary
    rest = l.split("]: ", 1)[1].split()
    got.add((rest[1], int(rest[2].strip("(#):"))))
if not want:
    print("no root cause at warning or above to log")
if not want <= got:
    print("not logged:", sorted(want - got)[:5])
extra = {g for g in got if g[0] not in ROOT}
if extra:
    print("logged but not a root cause:", sorted(extra)[:5])
print("compared", len(got))
PY
	check "--syslog: one line per root cause at warning or above ($(head -n 3 "$tmp/s.cmp" | tr '\n' ' '))" \
	    sh -c "[ \"\$(grep -c . '$tmp/s.cmp')\" -eq 1 ] && grep -q '^compared [1-9]' '$tmp/s.cmp'"
fi
finish
