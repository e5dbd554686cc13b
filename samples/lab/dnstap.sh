#!/bin/bash
# dnstap.sh -- the lab's scenarios logged by dnstap beside tcpdump.
#
# The same private hierarchy as run.sh (NSD on 127.53.0.0/16, root hints at
# the private root, a cold cache per scenario), for unbound and BIND only:
# unbound streams dnstap to a Unix socket that fstrm_capture (fstrm-bin)
# writes to a file, BIND writes its file itself.  For each run it writes
# samples/RESOLVER-SCENARIO.dnstap and, of the same run, the capture
# samples/RESOLVER-SCENARIO.dnstap.pcap (the committed RESOLVER-SCENARIO.pcap
# files of run.sh are left alone: the golden tests read them).
# tests/test_dnstap.sh compares gluetop's findings on each pair.  Everything
# it starts is stopped by PID; nothing leaves loopback.
#
# With --live GLUETOP, unbound streams to "GLUETOP --dnstap-socket" instead
# of fstrm_capture (no .dnstap file is written; the JSON goes to
# RESOLVER-SCENARIO.live.json in DIR): a real resolver's handshake.
#
# usage: dnstap.sh [--only SCENARIO] [--resolver unbound|bind] [--out DIR]
#                  [--live GLUETOP]
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=$(cd "$here/.." && pwd)
only=
live=
resolvers="unbound bind"
usage="usage: dnstap.sh [--only SCENARIO] [--resolver unbound|bind] [--out DIR] [--live GLUETOP]"
while [ $# -gt 0 ]; do
	case $1 in
	--only) only=$2; shift 2 ;;
	--resolver) resolvers=${2//,/ }; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--live) live=$2; resolvers=unbound; shift 2 ;;
	*) echo "$usage" >&2; exit 2 ;;
	esac
done
for r in $resolvers; do
	case $r in
	unbound | bind) ;;
	*) echo "dnstap.sh: no resolver $r (unbound, bind)" >&2; exit 2 ;;
	esac
done
need() {
	command -v "$1" >/dev/null || {
		echo "dnstap.sh: $1 is missing (apt-get install $2)" >&2
		exit 1
	}
}
need nsd nsd
need tcpdump tcpdump
need dig bind9-dnsutils
need ip iproute2
need ss iproute2
need fstrm_capture fstrm-bin
need unbound unbound
need named bind9
[ "$(id -u)" -eq 0 ] || { echo "dnstap.sh: run as root (daemons bind port 53, tcpdump)" >&2; exit 1; }
# Another lab run (run.sh) would share the addresses and the capture.
if ss -lun | grep -q ' 127\.53\.'; then
	echo "dnstap.sh: something listens on 127.53.0.0/16 already (another lab run?)" >&2
	exit 1
fi

mkdir -p "$out"
work=$(mktemp -d /tmp/gluetop-dnstap.XXXXXX)
pids=()
added_addr=
cleanup() {
	[ -n "$added_addr" ] && ip addr del 127.53.200.2/32 dev lo 2>/dev/null
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	sleep 0.5
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT
say() { printf 'lab: %s\n' "$*"; }

# The scenarios of run.sh that dnstap is compared on, and their queries.
SCENARIOS="healthy noglue lame dead circular2"
queries() {
	case $1 in
	healthy) echo "www.healthy.test/A" ;;
	noglue) echo "www.noglue.test/A" ;;
	circular2) echo "www.cyc.test/A" ;;
	lame) echo "www.lame.test/A" ;;
	dead) echo "www.dead.test/A" ;;
	esac
}

# start_nsd NAME ADDR... -- ZONE...: as run.sh's.
start_nsd() {
	local name=$1 dir=$work/nsd-$1; shift
	mkdir -p "$dir"
	{
		echo "server:"
		while [ "$1" != -- ]; do echo "  ip-address: $1"; shift; done
		shift
		echo "  port: 53"
		echo "  username: \"\""
		echo "  chroot: \"\""
		echo "  database: \"\""
		echo "  zonesdir: \"$here/zones\""
		echo "  pidfile: \"$dir/nsd.pid\""
		echo "  zonelistfile: \"$dir/zone.list\""
		echo "  xfrdfile: \"$dir/xfrd.state\""
		echo "  xfrdir: \"$dir\""
		echo "  logfile: \"$dir/nsd.log\""
		echo "  hide-version: yes"
		echo "  minimal-responses: no"
		echo "remote-control:"
		echo "  control-enable: no"
		for z in "$@"; do
			f=$z.zone
			[ "$z" = . ] && f=root.zone
			printf 'zone:\n  name: "%s"\n  zonefile: "%s"\n' "$z" "$f"
		done
	} >"$dir/nsd.conf"
	nsd -d -c "$dir/nsd.conf" >"$dir/out.log" 2>&1 &
	pids+=($!)
}

# The authoritative servers these scenarios need (run.sh's start_auth).
start_auth() {
	start_nsd root 127.53.0.1 -- .
	start_nsd test 127.53.1.1 -- test
	start_nsd example 127.53.2.1 -- example sibhost.test
	start_nsd healthy 127.53.10.1 127.53.10.2 -- healthy.test
	start_nsd lame 127.53.14.2 127.53.14.3 -- other.test
	sleep 1.5
	for a in 127.53.0.1 127.53.1.1 127.53.2.1 127.53.10.1 127.53.14.2; do
		dig +norec +time=2 +tries=1 @"$a" test. SOA >/dev/null || {
			echo "dnstap.sh: nsd on $a does not answer; see $work/nsd-*/out.log" >&2
			exit 1
		}
	done
	say "authoritative servers up"
}

printf '. 3600000 NS a.root.test.\na.root.test. 3600000 A 127.53.0.1\n' >"$work/root.hints"
if ! ip -4 addr show dev lo | grep -q '127\.53\.200\.2/'; then
	ip addr add 127.53.200.2/32 dev lo && added_addr=1
fi

raddr_of() {
	case $1 in
	unbound) echo 127.53.200.1 ;;
	bind) echo 127.53.200.2 ;;
	esac
}

# write_conf KIND: run.sh's configuration (no QNAME minimisation) plus dnstap
# of the resolver and client sides.
write_conf() {
	local kind=$1 dir=$work/$1
	rm -rf "$dir"; mkdir -p "$dir"
	case $kind in
	unbound)
		cat >"$dir/unbound.conf" <<CONF
server:
  interface: 127.53.200.1
  outgoing-interface: 127.53.200.1
  port: 53
  do-ip6: no
  do-not-query-localhost: no
  access-control: 127.0.0.0/8 allow
  root-hints: "$work/root.hints"
  username: ""
  chroot: ""
  directory: "$dir"
  pidfile: "$dir/unbound.pid"
  logfile: "$dir/unbound.log"
  use-syslog: no
  module-config: "iterator"
  qname-minimisation: no
  harden-referral-path: no
  prefetch: no
  local-zone: "test." nodefault
  local-zone: "example." nodefault
remote-control:
  control-enable: no
dnstap:
  dnstap-enable: yes
  dnstap-bidirectional: yes
  dnstap-socket-path: "$dir/dnstap.sock"
  dnstap-log-resolver-query-messages: yes
  dnstap-log-resolver-response-messages: yes
  dnstap-log-client-query-messages: yes
  dnstap-log-client-response-messages: yes
CONF
		;;
	bind)
		cat >"$dir/named.conf" <<CONF
options {
	directory "$dir";
	pid-file "$dir/named.pid";
	listen-on port 53 { 127.53.200.2; };
	listen-on-v6 { none; };
	query-source address 127.53.200.2;
	recursion yes;
	allow-query { 127.0.0.0/8; };
	dnssec-validation no;
	qname-minimization off;
	notify no;
	empty-zones-enable no;
	dnstap { resolver; client; };
	dnstap-output file "$dir/dnstap.fs";
};
controls { };
zone "." { type hint; file "$work/root.hints"; };
CONF
		;;
	esac
}

start_resolver_nowarm() {
	local kind=$1 dir=$work/$1
	raddr=$(raddr_of "$kind")
	case $kind in
	unbound)
		unbound -d -c "$dir/unbound.conf" >"$dir/out.log" 2>&1 & ;;
	bind)
		rm -f "$dir"/*.jnl "$dir"/managed-keys* "$dir/dnstap.fs"
		named -4 -g -u root -c "$dir/named.conf" >"$dir/out.log" 2>&1 & ;;
	esac
	rpid=$!
	pids+=("$rpid")
}

# A warm-up start that checks the resolver answers, as run.sh's.
start_resolver() {
	local kind=$1
	write_conf "$kind"
	start_resolver_nowarm "$kind"
	for _ in $(seq 1 50); do
		dig +time=1 +tries=1 @"$raddr" a.root.test. A 2>/dev/null | grep -q 'status: NOERROR' && return 0
		kill -0 "$rpid" 2>/dev/null || break
		sleep 0.2
	done
	echo "dnstap.sh: $kind did not start; its log:" >&2
	tail -n 20 "$work/$kind/out.log" >&2
	exit 1
}

start_resolver_cold() {
	local kind=$1
	start_resolver_nowarm "$kind"
	for _ in $(seq 1 50); do
		ss -lun | grep -q "$raddr:53 " && return 0
		sleep 0.1
	done
	echo "dnstap.sh: $kind did not listen on $raddr" >&2
	exit 1
}

stop_pid() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }

capture() {
	tcpdump -n -i lo -s 0 -U -w "$1" 'net 127.53.0.0/16' >/dev/null 2>&1 &
	tpid=$!
	pids+=("$tpid")
	sleep 1
}

# fstrm_capture (or, with --live, gluetop) on unbound's socket, before
# unbound starts; PID in $fpid.
collect() {
	rm -f "$2"
	if [ -n "$live" ]; then
		"$live" --dnstap-socket "$1" --json >"${2%.dnstap}.live.json" 2>"${2%.dnstap}.live.err" &
	else
		fstrm_capture -t protobuf:dnstap.Dnstap -u "$1" -w "$2" >"$work/fstrm.log" 2>&1 &
	fi
	fpid=$!
	pids+=("$fpid")
	for _ in $(seq 1 30); do [ -S "$1" ] && return 0; sleep 0.1; done
	echo "dnstap.sh: fstrm_capture did not listen on $1" >&2
	exit 1
}

run_scenario() {
	local kind=$1 sc=$2 dir=$work/$1 file=$out/$1-$2 q
	start_resolver "$kind"
	stop_pid "$rpid"
	[ "$kind" = unbound ] && collect "$dir/dnstap.sock" "$file.dnstap"
	# The capture starts first: it sees whatever the log sees (BIND
	# primes the root as it starts).
	capture "$file.dnstap.pcap"
	start_resolver_cold "$kind"
	for q in $(queries "$sc"); do
		dig +time=12 +tries=1 -b 127.53.250.1 @"$raddr" "${q%/*}" "${q#*/}" >/dev/null 2>&1
	done
	sleep 1
	stop_pid "$tpid"; stop_pid "$rpid"
	if [ -n "$live" ]; then
		kill -INT "$fpid"; wait "$fpid"
		say "$(basename "$file").live.json: exit $?, $(grep -c '"type":"finding"' "$file.live.json") findings"
		return
	elif [ "$kind" = unbound ]; then
		stop_pid "$fpid"
	else
		cp "$dir/dnstap.fs" "$file.dnstap"
	fi
	say "$(basename "$file").dnstap: $(wc -c <"$file.dnstap") bytes;" \
	    "$(tcpdump -n -r "$file.dnstap.pcap" 2>/dev/null | wc -l) packets"
}

start_auth
for kind in $resolvers; do
	for sc in $SCENARIOS; do
		[ -n "$only" ] && [ "$only" != "$sc" ] && continue
		run_scenario "$kind" "$sc"
	done
done
say "done; dnstap files and their captures in $out"
