#!/bin/sh
# test_dash.sh -- the dashboard, driven for real in tmux: open a capture,
# read the header and the Findings view, open details (cycle, glue, lookup,
# server), switch views, filter, sort, pause, resize to 132x40 and back to
# 80x24, quit, check the terminal came back, and check a hangup ends the
# process.  On the multi-fault capture at 80x24: every finding at warning
# or above on the first screen, missing glue within 80 columns in Zones,
# Enter on a server, r asks before it resets, sideways scroll, the Top
# view, export, and a resize to 200x50 and back that keeps the selection;
# root causes listed with their consequences counted, and a root cause's
# detail with its fix, impact, chain and consequences (R2.2).
. "${SRCDIR:-.}/tests/lib.sh"
command -v tmux >/dev/null || skip "tmux is not installed (apt-get install tmux)"
sock=gluetop-test-$$
T() { tmux -L "$sock" "$@"; }
trap 'for t in "" 2 3 4; do tmux -L gluetop-test$t-$$ kill-server 2>/dev/null; done' EXIT
samples=$(cd "$SRCDIR/samples" && pwd)
pidfile=${TMPDIR:-/tmp}/gluetop-test-dash-$$.pid

# screen: the pane's text now.
screen() { T capture-pane -p; }
# wait_for PATTERN: poll the pane for up to 5 s.
wait_for() {
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		screen | grep -q -- "$1" && return 0
		sleep 0.25
	done
	return 1
}
# lacks PATTERN: within 5 s the pane stops showing it.
lacks() {
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		screen | grep -q -- "$1" || return 0
		sleep 0.25
	done
	return 1
}
# fits: no pane line is wider than the pane.
fits() {
	w=$(T display -p '#{pane_width}')
	screen | awk -v w="$w" 'length($0) > w { bad = 1 } END { exit bad }'
}
# start FILE ENV: run the dashboard on a sample in a fresh 80x24 session.
start() {
	T new-session -d -x 80 -y 24 "cd $samples && echo \$\$ >$pidfile && exec env $2 sh -c '$GLUETOP -r $1; echo EXITED=\$?; sleep 60'"
}

start bind-circular2.pcap TERM=xterm-256color || skip "tmux cannot start a session here"
check "header: END OF FILE and the source" wait_for "END OF FILE  bind-circular2.pcap"
check "header: rates and the lookups clients asked for" wait_for "pkt/s  client lookups [0-9]*  failed [0-9]*  in flight 0"
check "header: sparklines of queries, SERVFAIL and timeouts" wait_for "queries .*/s  SERVFAIL .*/s  timeouts .*/s"
check "header: capture health" wait_for "capture: 0 dropped 0 cut 0 skipped 0 malformed 0 evicted"
check "the Findings view lists the circular delegation" wait_for "critical circular_delegation"
check "the cycle is named as a ring" wait_for "cyc.example. -> cyc.test. ->"
check "80x24: no line overflows" fits
T send-keys Enter
check "Enter opens the detail with the loop" wait_for "The loop"
check "the detail says how to fix the cycle" wait_for "Fix: give one zone of the cycle (cyc.example., cyc.test.)"
check "the loop is drawn hop by hop" wait_for "cyc.test.  --NS ns.cyc.example.-->  cyc.example.   (back to the start)"
check "the detail has the evidence frames" wait_for "Evidence frames: [0-9]"
T send-keys G
check "the detail draws the chain like dig +trace" wait_for "test\. *@127.53.1.1 referral .*#[0-9]*>[0-9]* *-> cyc.test."
T send-keys Escape
check "Esc goes back to the list" wait_for "SEVERITY KIND"
T send-keys 2
check "2 shows the zones, worst first, with NS names" wait_for "critical cyc.*\.  .*ns.cyc"
T send-keys /
T send-keys -l cyc.ex
T send-keys Enter
check "/ filters by name and the status line shows it" wait_for 'filter "cyc.ex"'
check "the filter hides other zones" lacks "^ *test\. "
T send-keys Escape
check "Esc clears the filter" lacks 'filter "cyc.ex"'
T send-keys s
check "s changes the sort" wait_for "by name)"
T send-keys '?'
check "? shows the help" wait_for "Severities:"
T send-keys Escape 3
check "3 shows the servers" wait_for "TMOUT  LAME"
T send-keys 4
check "4 shows loops and repeats" wait_for "circular_delegation"
T send-keys 5
check "5 shows the lookups" wait_for "ID GOT"
T send-keys Enter
check "Enter on a lookup draws its chain" wait_for "lookup #"
T send-keys q
check "q in a detail goes back" wait_for "ID GOT"
T send-keys p
check "p pauses and the header says so" wait_for "PAUSED"
T send-keys p
T resize-window -x 132 -y 40
check "132x40 is redrawn (the LAST column appears)" sh -c "sleep 0.5; tmux -L $sock send-keys 1; sleep 0.5; tmux -L $sock capture-pane -p | grep -q 'COUNT CONS     LAST'"
T resize-window -x 80 -y 24
check "back to 80x24" wait_for "1 Findings"
check "back to 80x24: the LAST column is gone" lacks "COUNT CONS     LAST"
check "80x24 after resizes: no line overflows" fits
T send-keys q
check "q quits with status 0 and restores the terminal" wait_for "EXITED=0"
T kill-server

# Glue: the detail marks the NS names that lack glue.
sock=gluetop-test2-$$
start bind-noglue.pcap "NO_COLOR=1 TERM=xterm"
check "NO_COLOR: findings are named by words" wait_for "critical glue_missing_in_domain"
T send-keys Enter
check "the glue detail marks the missing glue" wait_for "!! MISSING GLUE"
T send-keys Q
check "Q quits from a detail" wait_for "EXITED=0"
T kill-server

# The multi-fault capture, as an operator in an outage would read it.
sock=gluetop-test4-$$
export_dir=$(mktemp -d)
chmod 777 "$export_dir"
T new-session -d -x 80 -y 24 "cd $export_dir && exec env TERM=xterm-256color sh -c '$GLUETOP -r $samples/outage-mixed.pcap; echo EXITED=\$?; sleep 60'"
wait_for "END OF FILE" >/dev/null
want=$($GLUETOP --json -r "$samples/outage-mixed.pcap" 2>/dev/null |
    python3 -c 'import json,sys
n=0
for l in sys.stdin:
    o=json.loads(l)
    if o.get("type")=="finding" and o["severity"] in ("critical","error","warning"): n+=1
print(n)')
got=$(screen | grep -cE "^ (critical|error|warning) ")
check "80x24: the first screen lists all $want findings at warning or above (saw $got)" [ "$got" = "$want" ]
# R2.2: root causes with their consequences counted beside them; the
# consequences are no rows; Enter shows fix, impact, chain, consequences.
check "Findings: the consequences are counted beside their cause" \
    wait_for "^ critical zone_unreachable  *11   +2 "
check "Findings: a consequence linked to its cause is no row" \
    lacks "server_unresponsive"
T send-keys / && T send-keys -l dead.test && T send-keys Enter
check "the filter leaves the dead zone's root cause" \
    wait_for "^ critical zone_unreachable"
T send-keys Enter
check "Enter on a root cause shows its fix" \
    wait_for "^ Fix: 127.53.16.1, 127.53.16.2 do not answer for dead.test."
check "the root cause's detail shows its impact" \
    wait_for "^ Impact: 6 client lookups failed, 0 slowed, 5 clients, 12 queries spent"
check "the root cause's detail draws its chain" wait_for "^ lookup #9  www.dead.test. A"
T send-keys G
check "the root cause's detail ends with its consequences" \
    wait_for "^ Consequences (2), shown at notice"
check "each consequence is named, at notice" \
    wait_for "^   notice   server_unresponsive (#4)"
check "80x24: the cause's detail fits" fits
T send-keys Escape Escape Home
check "Esc, Esc: back to the whole list" wait_for "^ critical lame_delegation"
T send-keys 2
wait_for "GLUE" >/dev/null
missing=$($GLUETOP --json -r "$samples/outage-mixed.pcap" 2>/dev/null |
    python3 -c 'import json,sys
z=set()
for l in sys.stdin:
    o=json.loads(l)
    if o.get("kind") in ("glue_missing_in_domain","glue_missing_sibling"): z.add(o["zone"])
print(" ".join(sorted(z)))')
for z in $missing; do
	check "Zones at 80 columns: $z shows MISSING glue" sh -c "tmux -L $sock capture-pane -p | grep -q ' $z *MISSING [0-9]'"
done
check "Zones: every NS name after its status" wait_for "MISSING ns1.noglue.test."
T send-keys Right Right
check "Right scrolls a long row sideways" lacks "^ critical noglue"
T send-keys Left Left
check "Left scrolls back" wait_for "^ critical noglue"
T send-keys 3
wait_for "TMOUT" >/dev/null
T send-keys Down
sel=$(screen | sed -n 8p | awk '{print $1}')
T send-keys Enter
check "Enter on a server opens its detail ($sel)" wait_for "server $sel"
check "the server detail has its counts and zones" wait_for "asked .* answered .* timed out"
check "the server detail lists its recent exchanges" wait_for "Recent exchanges"
T send-keys e
check "e exports the detail as text" wait_for "exported to gluetop-server-"
check "the export is a file with the detail's text" sh -c "grep -q 'server $sel' $export_dir/gluetop-server-*.txt"
T send-keys Escape 1 Enter
wait_for "Evidence frames" >/dev/null
T send-keys E
check "E exports the finding as JSON" wait_for "exported to gluetop-finding-"
check "the JSON export parses and names its kind" sh -c "python3 -c 'import json,sys; o=json.loads(open(sys.argv[1]).readline()); sys.exit(0 if o[\"kind\"] else 1)' $export_dir/gluetop-finding-*.json"
T send-keys Down Down	# past the Impact line (R2.2)
check "a referral step shows its NS names and glue, as dig +trace" wait_for "NS ns1.lame.test.  127.53.14"
T send-keys Escape 6
check "6 shows the Top view (query names)" wait_for "by query names)"
check "the Top view counts www.dead.test." wait_for "www.dead.test."
T send-keys s
check "s moves the Top view to the sources" wait_for "by sources)"
T send-keys 1 Down Down
sleep 0.3
sel=$(screen | sed -n 9p | awk '{print $2}')
T resize-window -x 200 -y 50
sleep 0.5
T resize-window -x 80 -y 24
sleep 0.5
T send-keys 1
T send-keys Enter
check "a resize to 200x50 and back keeps the selection ($sel)" wait_for "^ [a-z]*  $sel   seen"
T send-keys Escape
T send-keys r
check "r asks before it resets" wait_for "reset all counters and findings? y/N"
T send-keys n
check "n keeps everything" wait_for "nothing was reset"
check "n keeps everything: the findings are still there" wait_for "lame_delegation"
T send-keys r y
check "y resets" wait_for "reset at 05:31:08Z"
check "after a reset of a file it does not claim health" sh -c "sleep 0.3; ! tmux -L $sock capture-pane -p | grep -q 'look healthy'"
check "after a reset it says what is gone" wait_for "no findings since the reset"
T send-keys q
check "q quits after a reset" wait_for "EXITED=0"
T kill-server
rm -rf "$export_dir"

# A hangup (the terminal goes away) ends the dashboard instead of spinning.
sock=gluetop-test3-$$
start unbound-circular2.pcap TERM=xterm
wait_for "END OF FILE" >/dev/null
pid=$(pgrep -P "$(cat "$pidfile")" 2>/dev/null | head -1)
T kill-server
gone() {
	[ -n "$pid" ] || return 0
	for _ in $(seq 1 50); do	# 10 s: the sanitizer build is slow
		# exited, or a zombie nobody reaps (PID 1 in a container)
		case $(ps -o stat= -p "$pid" 2>/dev/null) in
		''|Z*) return 0 ;;
		esac
		sleep 0.2
	done
	return 1
}
check "a hangup ends the dashboard" gone
rm -f "$pidfile"
finish
