#!/bin/sh
# test_cli2.sh -- command-line habits (tcpdump's): options after the filter
# expression, -w that names an input, -v in --report and --json, ICMP
# unreachables and the -t family in --dump, --since/--until, --zone, and
# the root hints folded in the report's ZONES.  All on the real samples.
. "${SRCDIR:-.}/tests/lib.sh"
case $GLUETOP in /*) ;; *) GLUETOP=$(pwd)/$GLUETOP ;; esac
S=$SRCDIR/samples
dead=$S/unbound-dead.pcap
mixed=$S/outage-mixed.pcap
tmp=${TMPDIR:-/tmp}/gluetop-cli2.$$
mkdir -p "$tmp"
writable_dir "$tmp"
trap 'rm -rf "$tmp"' EXIT
# As root, -Z root keeps file modes out of the way (except for -w below).
Z=
[ "$(id -u)" -eq 0 ] && Z="-Z root"

# run ARGS...: gluetop with -Z root as root; stdout, stderr, status kept.
run() {
	# shellcheck disable=SC2086
	"$GLUETOP" $Z "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	status=$?
}

# line N FILE: line N of FILE.
line() { sed -n "${1}p" "$2"; }

# 1. Options after the expression, as getopt_long permutes them.
run -r "$dead" 'port 53' --json
check "options after the filter: status 0 ($(head -c 200 "$tmp/err"))" \
    [ "$status" -eq 0 ]
mv "$tmp/out" "$tmp/after"
run --json -r "$dead" 'port 53'
check "-r f 'port 53' --json equals --json -r f 'port 53'" \
    cmp -s "$tmp/after" "$tmp/out"
check "--json after the filter prints JSON" \
    grep -q '^{"type":"summary".*"filter":"port 53"' "$tmp/after"
run -r "$dead" udp port 53 --dump -c 3
check "words of the filter around options: 3 lines" \
    [ "$(wc -l <"$tmp/out")" -eq 3 ]
# shellcheck disable=SC2086
"$GLUETOP" $Z -r - 'port 53' --dump <"$dead" >"$tmp/out" 2>"$tmp/err"
check "-r - with options after the filter reads stdin" \
    [ "$(wc -l <"$tmp/out")" -eq 20 ]
# "--" still ends the options: "-v" after it is a filter word.
one_error "-- ends the options" "bad filter '-v'" $Z -r "$dead" --dump -- -v

# 2. -w naming an input: refused before anything is opened for writing,
# also as root without -Z (the drop to nobody made it "Permission denied").
cp "$dead" "$tmp/x.pcap"
before=$(cksum <"$tmp/x.pcap")
for flags in "--report" "--json --write-flagged"; do
	(cd "$tmp" && "$GLUETOP" -r x.pcap -w ./x.pcap $flags \
	    >/dev/null 2>err)
	st=$?
	if [ "$st" -ne 2 ] || [ "$(wc -l <"$tmp/err")" -ne 1 ] ||
	    ! grep -q '^gluetop: -w \./x\.pcap: is also an input (x\.pcap)' \
	    "$tmp/err"; then
		bad "-r X -w X $flags: status $st, stderr '$(cat "$tmp/err")'"
	else
		ok
	fi
done
check "-r X -w X leaves X unchanged" [ "$(cksum <"$tmp/x.pcap")" = "$before" ]

# 3. -v: the report draws every chain of a finding; JSON adds the chains
# the findings cite (and only with -v or --chains).
run -r "$mixed" --report
c0=$(grep -c '^ *chain #' "$tmp/out")
check "--report without -v: one chain per finding, the others counted" \
    grep -q 'more chains\{0,1\}: -v draws' "$tmp/out"
run -r "$mixed" --report -v
c1=$(grep -c '^ *chain #' "$tmp/out")
check "--report -v draws more chains ($c1 > $c0)" [ "$c1" -gt "$c0" ]
check "--report -v has no hint of hidden chains" \
    [ "$(grep -c 'draws' "$tmp/out")" -eq 0 ]
run -r "$mixed" --json
check "--json alone: no chain objects" \
    [ "$(grep -c '"type":"chain"' "$tmp/out")" -eq 0 ]
run -r "$mixed" --json -v
n=$(grep -c '"type":"chain"' "$tmp/out")
check "--json -v: the cited chains ($n)" [ "$n" -gt 0 ]
cited=$(grep '"type":"finding"' "$tmp/out" | grep -o '"chains":\[[0-9,]*\]' |
    tr -cd '0-9,\n' | tr ',' '\n' | grep . | sort -un | wc -l)
check "--json -v: one chain object per cited id ($n, $cited)" \
    [ "$n" -eq "$cited" ]

# 4. --dump: ICMP unreachables that are evidence, UTC times with Z, -t.
run -r "$dead" --dump
check "--dump prints the ICMP unreachables (13)" \
    [ "$(grep -c ' ICMP port unreachable for ' "$tmp/out")" -eq 13 ]
check "--dump: the ICMP line names the quoted query" [ "$(line 9 "$tmp/out")" = \
    "9 2026-11-25T04:46:31.857622Z 127.53.16.1 > 127.53.200.1 ICMP port unreachable for 127.53.200.1.52923 > 127.53.16.1.53 udp 65003 www.dead.test. A" ]
TZ=EST5EDT "$GLUETOP" $Z -r "$dead" --dump >"$tmp/est" 2>/dev/null
check "--dump times are UTC with Z whatever TZ says" cmp -s "$tmp/out" "$tmp/est"
check "--dump: the time of frame 1" \
    [ "$(line 1 "$tmp/out" | cut -d' ' -f2)" = 2026-11-25T04:46:31.856892Z ]
run -r "$dead" --dump -tttt
check "-tttt: the date and time in UTC" cmp -s "$tmp/out" "$tmp/est"
run -r "$dead" --dump -t
check "-t: no time" [ "$(line 1 "$tmp/out" | cut -d' ' -f1-2)" = \
    "1 127.53.250.1.36265" ]
run -r "$dead" --dump -tt
check "-tt: epoch seconds" \
    [ "$(line 1 "$tmp/out" | cut -d' ' -f2)" = 1795581991.856892 ]
run -r "$dead" --dump -ttt
check "-ttt: since the previous line" \
    [ "$(line 2 "$tmp/out" | cut -d' ' -f2)$(line 3 "$tmp/out" | cut -d' ' -f2)" = \
    0.0001670.000081 ]
run -r "$dead" --dump -ttttt
check "-ttttt: since the first line" \
    [ "$(line 1 "$tmp/out" | cut -d' ' -f2) $(line 3 "$tmp/out" | cut -d' ' -f2)" = \
    "0.000000 0.000248" ]

# 5. --since/--until: skipped before the engine, counted, frames keep
# their numbers in the file.
run -r "$dead" --dump --since 2026-11-25T04:46:33Z --until 1795581994.9
check "--since/--until: frames 16 to 21" \
    [ "$(cut -d' ' -f1 "$tmp/out" | tr '\n' ' ')" = "16 17 18 19 20 21 " ]
run -r "$dead" --json --since 2026-11-25T04:46:33
check "--since without Z is UTC; skipped frames in health.skipped" \
    grep -q '"packets":33,.*"skipped":15' "$tmp/out"
check "--since: the span starts after it" grep -q '"first":1795581993\.361991' \
    "$tmp/out"
run -r "$dead" --report --until 2026-11-25T04:46:31.857300Z
check "--until with a fraction: the report counts what was skipped" \
    grep -q 'packets    33 read, 27 skipped' "$tmp/out"
one_error "--since bad" '^gluetop: --since yesterday: expected' $Z \
    -r "$dead" --since yesterday
one_error "--until bad date" '^gluetop: --until 2026-13-01T00:00:00Z: expected' \
    $Z -r "$dead" --until 2026-13-01T00:00:00Z
one_error "--since after --until" 'since is after --until' $Z -r "$dead" \
    --since 1795581995 --until 1795581994

# 6. --zone: every output shows only the subtree; the engine saw it all.
run -r "$mixed" --json
all=$(grep -c '"type":"finding"' "$tmp/out")
run -r "$mixed" --json --zone dead.test
n=$(grep -c '"type":"finding"' "$tmp/out")
check "--zone dead.test: fewer findings ($n of $all)" \
    [ "$n" -gt 0 -a "$n" -lt "$all" ]
grep '"type":"finding"' "$tmp/out" | grep -v '"zone":"dead\.test\."' >"$tmp/rest"
check "--zone dead.test: every finding is about dead.test." [ ! -s "$tmp/rest" ]
check "--zone: the summary counts the scoped findings" \
    grep -q "\"findings\":$n," "$tmp/out"
run -r "$mixed" --json --chains --zone DEAD.test.
grep '"type":"chain"' "$tmp/out" >"$tmp/chains"
grep -v '"qname":"[a-z0-9.]*dead\.test\."' "$tmp/chains" >"$tmp/rest"
check "--zone: chains of names below it only" \
    [ -s "$tmp/chains" -a ! -s "$tmp/rest" ]
run -r "$mixed" --report --zone dead.test
check "--zone: the report's ZONES has dead.test. alone" \
    grep -q '^== ZONES (1) ==' "$tmp/out"
check "--zone: the report says so" grep -q '^  zone       dead.test and below' \
    "$tmp/out"
sed -n '/^== SERVERS/,/^== REPEATED/p' "$tmp/out" | grep '^127' >"$tmp/srv"
grep -v ' dead\.test\.$' "$tmp/srv" >"$tmp/rest"
check "--zone: servers of dead.test. only" [ -s "$tmp/srv" -a ! -s "$tmp/rest" ]
one_error "--zone bad" '^gluetop: --zone a\.\.b: not a domain name' $Z \
    -r "$dead" --zone a..b

# 7. The root hints fold into one line of the ZONES unless -v.
: >"$tmp/hints"
for l in a b c d e f g h i j k l m; do
	printf '.  3600000  NS  %s.root-servers.net.\n%s.root-servers.net. 3600000 A 192.0.2.%d\n' \
	    "$l" "$l" "$(printf '%d' "'$l")" >>"$tmp/hints"
done
run -r "$dead" --report --root-hints "$tmp/hints"
check "root hints: one line" \
    [ "$(grep -c 'root-servers\.net\.' "$tmp/out")" -eq 1 ]
check "root hints: the line says how many and their glue" \
    grep -q '^  NS a\.root-servers\.net\. and 12 more root hints, all with glue' \
    "$tmp/out"
run -r "$dead" --report --root-hints "$tmp/hints" -v
check "root hints: -v lists all 13" \
    [ "$(grep -c '^  NS [a-m]\.root-servers\.net\. ' "$tmp/out")" -eq 13 ]
finish
