#!/bin/sh
# test_dash.sh -- the dashboard, driven for real in tmux: open a capture,
# read the header and the Findings view, open a detail, switch views,
# resize to 80x24 and back, quit, and check the terminal came back.
. "${SRCDIR:-.}/tests/lib.sh"
command -v tmux >/dev/null || skip "tmux is not installed (apt-get install tmux)"
sock=gluetop-test-$$
T() { tmux -L "$sock" "$@"; }
trap 'T kill-server 2>/dev/null; tmux -L gluetop-test-$$ kill-server 2>/dev/null' EXIT
samples=$(cd "$SRCDIR/samples" && pwd)

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

T new-session -d -x 80 -y 24 "cd $samples && TERM=xterm-256color $GLUETOP -r bind-circular2.pcap; echo EXITED=\$?; sleep 60" ||
    skip "tmux cannot start a session here"
check "header names the source and the end of the file" wait_for "END .*bind-circular2.pcap"
check "the Findings view lists the circular delegation" wait_for "critical circular_delegation"
check "the capture health line is there" wait_for "capture: 0 dropped"
T send-keys Enter
check "Enter opens the detail with the cycle as a loop" wait_for "The loop"
check "the loop is drawn hop by hop" wait_for "cyc.test.  --NS ns.cyc.example.-->  cyc.example.   (back to the start)"
check "the detail draws the chain" wait_for "lookup #"
T send-keys Escape
check "Esc goes back to the list" wait_for "SEVERITY KIND"
T send-keys 2
check "2 shows the zones with their NS" wait_for "cyc.test. .*ns.cyc.example."
T send-keys /
T send-keys -l cyc.ex
T send-keys Enter
check "/ filters by name" wait_for "cyc.example. .*example."
check "the filter hides other zones" sh -c "! tmux -L $sock capture-pane -p | grep -q '^ test\.'"
T send-keys '?'
check "? shows the help" wait_for "Severities:"
T send-keys Escape 5
check "5 shows the lookups" wait_for "OUTCOME"
T resize-window -x 132 -y 40
check "a larger terminal is redrawn" wait_for "1 Findings"
T resize-window -x 80 -y 24
check "back to 80x24" wait_for "1 Findings"
T send-keys q
check "q quits with status 0 and restores the terminal" wait_for "EXITED=0"
T kill-server
sock=gluetop-test2-$$

# Without colour it still reads: severity words are there.
T new-session -d -x 80 -y 24 "cd $samples && NO_COLOR=1 TERM=xterm $GLUETOP -r unbound-noglue.pcap; echo EXITED=\$?; sleep 60"
check "NO_COLOR: findings are named by words" wait_for "critical glue_missing_in_domain"
T send-keys q
check "NO_COLOR: quits cleanly" wait_for "EXITED=0"
finish
