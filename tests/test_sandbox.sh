#!/bin/sh
# test_sandbox.sh -- once the capture is open gluetop holds no capability
# (CapEff and CapPrm zero), has no_new_privs and, built with libseccomp,
# runs under a seccomp filter: started as root it also runs as the drop
# user; started as nobody from a copy given CAP_NET_RAW,CAP_NET_ADMIN with
# setcap it keeps neither.  --no-sandbox leaves the filter out, not the drop.
# Live capture on lo is used, so that the capabilities are really needed.
. "${SRCDIR:-.}/tests/lib.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root (to capture on lo and to setcap)"
id nobody >/dev/null 2>&1 || skip "there is no user nobody"
[ -r /proc/self/status ] || skip "no /proc"
tmp=${TMPDIR:-/tmp}/gluetop-sandbox.$$
mkdir -p "$tmp"
chmod 755 "$tmp"
writable_dir "$tmp"
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
seccomp=0
grep -q '^#define HAVE_SECCOMP 1' "$(dirname "$GLUETOP")/config.h" 2>/dev/null &&
    seccomp=2

# start CMD...: run CMD in the background (exec'd, so $pid is gluetop's),
# live on lo, and wait up to 5 s for no_new_privs (the capture is open).
start() {
	sh -c 'echo $$ >"$0"; exec "$@"' "$tmp/pid" "$@" -i lo --json \
	    >"$tmp/out" 2>"$tmp/err" </dev/null &
	sleep 0.2
	pid=$(cat "$tmp/pid")
	for _ in $(seq 1 25); do
		grep -q '^NoNewPrivs:.*1' "/proc/$pid/status" 2>/dev/null && break
		sleep 0.2
	done
	cp "/proc/$pid/status" "$tmp/status" 2>/dev/null
}

# field NAME: a field of the status taken by start.
field() { awk -v f="$1:" '$1 == f { print $2 }' "$tmp/status"; }

# stop DESC: SIGINT ends the run cleanly with the summary (not SIGSYS).
stop() {
	kill -INT "$pid"
	wait "$pid"
	st=$?
	pid=
	check "$1: SIGINT ends the run with status 0 (got $st: $(cat "$tmp/err"))" \
	    [ "$st" -eq 0 ]
	check "$1: the summary is printed" grep -q '"type":"summary"' "$tmp/out"
}

# dropped DESC UID: the status taken shows no capability and the sandbox.
dropped() {
	check "$1: runs as uid $2 (Uid: $(field Uid))" [ "$(field Uid)" = "$2" ]
	check "$1: CapEff is zero ($(field CapEff))" \
	    [ "$(field CapEff)" = 0000000000000000 ]
	check "$1: CapPrm is zero ($(field CapPrm))" \
	    [ "$(field CapPrm)" = 0000000000000000 ]
	check "$1: CapAmb is zero" [ "$(field CapAmb)" = 0000000000000000 ]
	check "$1: NoNewPrivs is set" [ "$(field NoNewPrivs)" = 1 ]
	check "$1: Seccomp is $seccomp (filter mode)" [ "$(field Seccomp)" = "$seccomp" ]
}

nobody=$(id -u nobody)
start "$GLUETOP" -w "$tmp/root.pcap"
[ -s "$tmp/status" ] || skip "cannot capture on lo here: $(cat "$tmp/err")"
dropped "started as root" "$nobody"
check "started as root: -w belongs to nobody" \
    [ "$(stat -c %u "$tmp/root.pcap")" = "$nobody" ]
stop "started as root"

if command -v setcap >/dev/null && command -v setpriv >/dev/null; then
	cp "$GLUETOP" "$tmp/gluetop-caps"
	if setcap cap_net_raw,cap_net_admin+ep "$tmp/gluetop-caps" 2>/dev/null; then
		start setpriv --reuid nobody --regid nogroup --clear-groups \
		    "$tmp/gluetop-caps"
		dropped "nobody with file capabilities" "$nobody"
		stop "nobody with file capabilities"
	else
		printf 'note: setcap failed here; the file capability case is skipped\n'
	fi
else
	printf 'note: setcap or setpriv missing; the file capability case is skipped\n'
fi

# --no-sandbox: no filter and no no_new_privs, but still no capability.
sh -c 'echo $$ >"$0"; exec "$@"' "$tmp/pid" "$GLUETOP" --no-sandbox -i lo \
    --json >"$tmp/out" 2>"$tmp/err" </dev/null &
sleep 1.5
pid=$(cat "$tmp/pid")
cp "/proc/$pid/status" "$tmp/status"
check "--no-sandbox: Seccomp is 0" [ "$(field Seccomp)" = 0 ]
check "--no-sandbox: CapEff is still zero" [ "$(field CapEff)" = 0000000000000000 ]
stop "--no-sandbox"
finish
