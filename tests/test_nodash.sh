#!/bin/sh
# test_nodash.sh -- when the dashboard cannot start (no terminal on standard
# input or output, TERM unset or unknown) gluetop prints the text report, or
# for an explicit --dashboard one error line and exit status 2; never a
# signal.  The mode is decided once, before any output exists.
. "${SRCDIR:-.}/tests/lib.sh"
command -v script >/dev/null || skip "script(1) is not installed (bsdutils)"
pcap=$SRCDIR/tests/data/dash-noterm-unbound-noglue.pcap
tmp=${TMPDIR:-/tmp}/gluetop-nodash.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

# on_tty COMMAND: run COMMAND with a pseudo-terminal as its terminal; the
# terminal's text goes to $tmp/tty, COMMAND's status to $tmp/rc.
on_tty() {
	script -qec "$1; echo \$? >$tmp/rc" "$tmp/tty" </dev/null >/dev/null 2>&1
}

# reported DESC: the report reached the terminal, status 0.
reported() {
	check "$1: status $(cat "$tmp/rc" 2>/dev/null), want 0" \
	    [ "$(cat "$tmp/rc" 2>/dev/null)" = 0 ]
	check "$1: the text report is printed" grep -aq 'gluetop report' "$tmp/tty"
}

# --dashboard with neither side a terminal: one line, exit 2.
"$GLUETOP" -r "$pcap" --dashboard </dev/null >"$tmp/out" 2>"$tmp/err"
status=$?
check "--dashboard without a terminal: status $status, want 2" [ "$status" -eq 2 ]
check "--dashboard without a terminal: one error line" \
    sh -c "[ \$(wc -l <'$tmp/err') -eq 1 ] && grep -q 'dashboard needs a terminal' '$tmp/err'"
check "--dashboard without a terminal: nothing on stdout" [ ! -s "$tmp/out" ]
"$GLUETOP" -r "$pcap" --dashboard >/dev/null 2>"$tmp/err" </dev/null
check "--dashboard >/dev/null: status $?, one error line" \
    grep -q 'dashboard needs a terminal' "$tmp/err"

# A pipe on standard input, a terminal on standard output.
on_tty "cat '$pcap' | '$GLUETOP' -r -"
reported "a pipe on stdin, a terminal on stdout"
on_tty "'$GLUETOP' -r '$pcap' </dev/null"
reported "stdin from /dev/null, a terminal on stdout"
# TERM unset, TERM unknown: the terminal cannot be driven.
on_tty "env -u TERM '$GLUETOP' -r '$pcap'"
reported "TERM unset"
on_tty "env TERM=no-such-terminal '$GLUETOP' -r '$pcap'"
reported "TERM unknown"
on_tty "env TERM=no-such-terminal '$GLUETOP' -r '$pcap' --dashboard 2>$tmp/err"
check "--dashboard with TERM unknown: status 2" [ "$(cat "$tmp/rc")" = 2 ]
check "--dashboard with TERM unknown: the error names TERM" \
    grep -q 'TERM=no-such-terminal' "$tmp/err"
finish
