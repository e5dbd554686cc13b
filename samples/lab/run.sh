#!/bin/bash
# run.sh -- a private DNS hierarchy on loopback, real resolvers, captures.
#
# Starts NSD authoritative servers on 127.53.0.0/16 (a private root, the
# TLDs test. and example., one child zone per scenario), then for each
# resolver (unbound, BIND named, Knot Resolver kresd, PowerDNS Recursor) and
# each scenario: starts the resolver with
# a cold cache and root hints pointing at the private root, captures lo with
# tcpdump while dig asks it, and stops it.  Writes samples/RESOLVER-SCENARIO.pcap
# and samples/outage-mixed.pcap.  Everything it starts is stopped by PID.
# Nothing leaves loopback: no address outside 127.0.0.0/8 is in any config.
#
# usage: run.sh [--only SCENARIO] [--resolver NAME] [--out DIR]
#   NAME: unbound, bind, kresd or pdns; several as "unbound bind" or
#   unbound,bind.  outage-mixed (unbound and BIND together) is made when
#   both are among the resolvers, or with --only mixed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=$(cd "$here/.." && pwd)
only=
resolvers="unbound bind kresd pdns"
usage="usage: run.sh [--only SCENARIO] [--resolver unbound|bind|kresd|pdns] [--out DIR]"
while [ $# -gt 0 ]; do
	case $1 in
	--only) only=$2; shift 2 ;;
	--resolver) resolvers=${2//,/ }; shift 2 ;;
	--out) out=$2; shift 2 ;;
	*) echo "$usage" >&2; exit 2 ;;
	esac
done
for r in $resolvers; do
	case $r in
	unbound | bind | kresd | pdns) ;;
	*) echo "run.sh: no resolver $r (unbound, bind, kresd, pdns)" >&2; exit 2 ;;
	esac
done
has() { [[ " $resolvers " == *" $1 "* ]]; }
# need PROGRAM PACKAGE
need() {
	command -v "$1" >/dev/null || {
		echo "run.sh: $1 is missing (apt-get install $2)" >&2
		exit 1
	}
}
need nsd nsd
need tcpdump tcpdump
need dig bind9-dnsutils
need ip iproute2
need ss iproute2
mixed=
if [ "$only" = mixed ] || { [ -z "$only" ] && has unbound && has bind; }; then
	mixed=1
fi
if has unbound || [ -n "$mixed" ]; then need unbound unbound; fi
if has bind || [ -n "$mixed" ]; then need named bind9; fi
if has kresd; then need kresd knot-resolver; fi
if has pdns; then need pdns_recursor pdns-recursor; fi
[ "$(id -u)" -eq 0 ] || { echo "run.sh: run as root (daemons bind port 53, tcpdump)" >&2; exit 1; }

mkdir -p "$out"
work=$(mktemp -d /tmp/gluetop-lab.XXXXXX)
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

# Scenario: name, queries (qname/qtype) asked in it.
SCENARIOS="healthy noglue halfglue sibling circular2 circular3 lame upward nxns dead big tc qmin
    partial tcpsilent tcptc servfail dnssec multi"
queries() {
	case $1 in
	healthy) echo "www.healthy.test/A" ;;
	noglue) echo "www.noglue.test/A" ;;
	halfglue) echo "www.halfglue.test/A" ;;
	sibling) echo "www.sib.test/A" ;;
	circular2) echo "www.cyc.test/A" ;;
	circular3) echo "www.c1.test/A" ;;
	lame) echo "www.lame.test/A" ;;
	upward) echo "www.up.test/A" ;;
	nxns) echo "www.nxns.test/A" ;;
	dead) echo "www.dead.test/A" ;;
	big) echo "www.big.test/A" ;;
	tc) echo "www.tc.test/A" ;;
	qmin) echo "www.deep.healthy.test/A" ;;
	partial) echo "www.pa.test/A www.pb.example/A" ;;
	tcpsilent) echo "www.ts.test/A" ;;
	tcptc) echo "www.tt.test/A" ;;
	servfail) echo "www.sf.test/A a.sf.test/A b.sf.test/A c.sf.test/A d.sf.test/A e.sf.test/A f.sf.test/A g.sf.test/A h.sf.test/A i.sf.test/A j.sf.test/A k.sf.test/A l.sf.test/A m.sf.test/A n.sf.test/A o.sf.test/A" ;;
	dnssec) echo "www.a.b.c.d.e.sec.test/A" ;;
	multi) echo "www.healthy.test/A www.noglue.test/A www.lame.test/A www.dead.test/A www.cyc.test/A" ;;
	esac
}

# start_nsd NAME ADDR... -- ZONE...: one NSD serving the zones on the addresses.
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
			# NAME=FILE: a zone file elsewhere (the signed ones)
			case $z in *=*) f=${z#*=}; z=${z%%=*} ;; esac
			[ "$z" = . ] && [ "$f" = ..zone ] && f=root.zone
			[ "$z" = up-root ] && { z=.; f=root.zone; }
			printf 'zone:\n  name: "%s"\n  zonefile: "%s"\n' "$z" "$f"
		done
	} >"$dir/nsd.conf"
	nsd -d -c "$dir/nsd.conf" >"$dir/out.log" 2>&1 &
	pids+=($!)
}

start_auth() {
	local big=() tc=()
	for i in $(seq 1 13); do big+=("127.53.17.$i"); tc+=("127.53.18.$i"); done
	start_nsd root 127.53.0.1 -- .
	start_nsd test 127.53.1.1 -- test
	start_nsd example 127.53.2.1 -- example sibhost.test
	start_nsd healthy 127.53.10.1 127.53.10.2 -- healthy.test
	start_nsd halfglue 127.53.12.1 127.53.12.2 -- halfglue.test
	start_nsd sib 127.53.13.1 -- sib.test
	start_nsd lame 127.53.14.2 127.53.14.3 -- other.test
	start_nsd up 127.53.15.1 -- up-root
	start_nsd big "${big[@]}" -- big.test
	start_nsd tc "${tc[@]}" -- tc.test
	start_nsd partial 127.53.19.1 127.53.19.3 -- pa.test
	start_nsd partialb 127.53.19.2 -- pb.example
	start_nsd servfail 127.53.21.2 -- sf.test
	start_responder tcpsilent 127.53.20.1
	start_responder tcptc 127.53.22.1
	start_responder tcptc 127.53.22.2
	start_responder servfail 127.53.21.1
	sign_sec
	local n=32 z
	start_nsd sroot 127.53.30.1 -- ".=$work/sec/root.zone.signed"
	start_nsd stest 127.53.31.1 -- "test=$work/sec/test.zone.signed"
	for z in sec.test e.sec.test d.e.sec.test c.d.e.sec.test b.c.d.e.sec.test \
	    a.b.c.d.e.sec.test; do
		start_nsd "s$n" "127.53.$n.1" -- "$z=$work/sec/$z.zone.signed"
		n=$((n + 1))
	done
	sleep 1.5
	for a in 127.53.0.1 127.53.1.1 127.53.2.1 127.53.10.1 127.53.14.2; do
		dig +norec +time=2 +tries=1 @"$a" test. SOA >/dev/null || {
			echo "run.sh: nsd on $a does not answer; see $work/nsd-*/out.log" >&2
			cat "$work"/nsd-*/out.log >&2
			exit 1
		}
	done
	say "authoritative servers up"
}

# start_responder MODE ADDR: responder.py misbehaving on ADDR (tcpsilent, tcptc, servfail).
start_responder() {
	python3 "$here/responder.py" "$1" "$2" >"$work/responder-$1-$2.log" 2>&1 &
	pids+=($!)
}

# sign_sec: the dnssec scenario's hierarchy signed bottom up in $work/sec
# (one ECDSA P-256 key per zone, new at every run, never committed), each
# parent holding its child's DS; the root's DS is the trust anchor.
sign_sec() {
	local d=$work/sec z f prev=
	need dnssec-keygen bind9
	need dnssec-signzone bind9
	mkdir -p "$d/keys"
	for z in a.b.c.d.e.sec.test b.c.d.e.sec.test c.d.e.sec.test d.e.sec.test \
	    e.sec.test sec.test test .; do
		f=$z.zone
		[ "$z" = . ] && f=root.zone
		cp "$here/zones/sec/$f" "$d/$f"
		[ -n "$prev" ] && cat "$d/dsset-$prev." >>"$d/$f"
		if ! dnssec-keygen -q -a ECDSAP256SHA256 -f KSK -K "$d/keys" "$z" \
		    >"$d/sign.log" 2>&1 ||
		    ! dnssec-signzone -q -S -z -K "$d/keys" -d "$d" -o "$z" \
		    -f "$d/$f.signed" "$d/$f" >"$d/sign.log" 2>&1; then
			echo "run.sh: could not sign $z: $(cat "$d/sign.log")" >&2
			exit 1
		fi
		prev=$z
		[ "$z" = . ] && prev=
	done
	# the trust anchor: the root's DS (dsset-. holds ". IN DS TAG ALG TYPE DIGEST")
	read -r _ _ _ ta_tag ta_alg ta_dt ta_digest <"$d/dsset-."
	printf '. 3600000 NS a.root.test.\na.root.test. 3600000 A 127.53.30.1\n' >"$work/sec.hints"
	cp "$d/dsset-." "$work/root.ds"
}

printf '. 3600000 NS a.root.test.\na.root.test. 3600000 A 127.53.0.1\n' >"$work/root.hints"
# BIND listens only on interface addresses: give lo the resolver's address.
if ! ip -4 addr show dev lo | grep -q '127\.53\.200\.2/'; then
	ip addr add 127.53.200.2/32 dev lo && added_addr=1
fi

# raddr_of KIND: the resolver's own loopback address (it listens and sends from it).
raddr_of() {
	case $1 in
	unbound) echo 127.53.200.1 ;;
	bind) echo 127.53.200.2 ;;
	kresd) echo 127.53.200.3 ;;
	pdns) echo 127.53.200.4 ;;
	esac
}

# write_conf KIND QMIN: the resolver's configuration in $work/KIND.  With
# dnssec=yes (the dnssec scenario only) it validates, with the signed
# hierarchy's root (127.53.30.1) and its DS as the only trust anchor.
dnssec=no
write_conf() {
	local kind=$1 qmin=$2 dir=$work/$1 hints=$work/root.hints root=127.53.0.1
	rm -rf "$dir"; mkdir -p "$dir"
	[ "$dnssec" = yes ] && { hints=$work/sec.hints; root=127.53.30.1; }
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
  root-hints: "$hints"
  username: ""
  chroot: ""
  directory: "$dir"
  pidfile: "$dir/unbound.pid"
  logfile: "$dir/unbound.log"
  use-syslog: no
$( if [ "$dnssec" = yes ]; then
	echo '  module-config: "validator iterator"'
	echo "  trust-anchor-file: \"$work/root.ds\""
else
	echo '  module-config: "iterator"'
fi)
  qname-minimisation: $qmin
  harden-referral-path: no
  prefetch: no
  # unbound answers test. and others locally by default (RFC 6761).
  local-zone: "test." nodefault
  local-zone: "example." nodefault
remote-control:
  control-enable: no
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
	dnssec-validation $( [ "$dnssec" = yes ] && echo yes || echo no );
	qname-minimization $( [ "$qmin" = yes ] && echo relaxed || echo off );
	notify no;
	empty-zones-enable no;
};
controls { };
zone "." { type hint; file "$hints"; };
CONF
		[ "$dnssec" = yes ] && cat >>"$dir/named.conf" <<CONF
trust-anchors { . static-ds $ta_tag $ta_alg $ta_dt "$ta_digest"; };
CONF
		;;
	kresd)
		cat >"$dir/kresd.conf" <<CONF
-- Knot Resolver: private root only, no DNSSEC, IPv4 only, loopback only.
net.ipv6 = false
net.listen('127.53.200.3', 53, { kind = 'dns' })
net.outgoing_v4('127.53.200.3')
-- the packaged root key is loaded by default: removed; the dnssec
-- scenario adds the lab's own root DS instead
trust_anchors.remove('.')
$( [ "$dnssec" = yes ] && echo "trust_anchors.add('. 3600 IN DS $ta_tag $ta_alg $ta_dt $ta_digest')")
modules.load('hints > iterate')
hints.root({ ['a.root.test.'] = '$root' })
-- kresd answers test. itself (RFC 6761, NOTSUP): not in the lab
policy.special_names = {}
cache.open(10 * MB, 'lmdb://$dir/cache')
-- the lab's servers are on loopback, which kresd does not ask by default
option('ALLOW_LOCAL', true)
option('NO_MINIMIZE', $( [ "$qmin" = yes ] && echo false || echo true ))
CONF
		;;
	pdns)
		# dont-query: every IPv4 address but 127.0.0.0/8, and all of IPv6.
		cat >"$dir/recursor.conf" <<CONF
local-address=127.53.200.4
local-port=53
query-local-address=127.53.200.4
allow-from=127.0.0.0/8
dont-query=0.0.0.0/2, 64.0.0.0/3, 96.0.0.0/4, 112.0.0.0/5, 120.0.0.0/6, 124.0.0.0/7, 126.0.0.0/8, 128.0.0.0/1, ::/0
hint-file=$hints
$( if [ "$dnssec" = yes ]; then
	echo dnssec=validate
	echo "lua-config-file=$dir/recursor.lua"
else
	echo dnssec=off
fi)
qname-minimization=$qmin
security-poll-suffix=
socket-dir=$dir
daemon=no
threads=1
statistics-interval=0
disable-syslog=yes
CONF
		# the built-in root anchors replaced by the lab's
		printf 'clearTA(".")\naddTA(".", "%s %s %s %s")\n' \
		    "$ta_tag" "$ta_alg" "$ta_dt" "$ta_digest" >"$dir/recursor.lua"
		;;
	esac
}

# start_resolver KIND QMIN: a fresh resolver, checked by one warm-up query
# (through the private root); its PID in $rpid.
start_resolver() {
	local kind=$1
	write_conf "$kind" "$2"
	start_resolver_nowarm "$kind"
	for _ in $(seq 1 50); do
		dig +time=1 +tries=1 @"$raddr" a.root.test. A 2>/dev/null | grep -q 'status: NOERROR' && return 0
		kill -0 "$rpid" 2>/dev/null || break
		sleep 0.2
	done
	echo "run.sh: $kind did not start; its log:" >&2
	tail -n 20 "$work/$kind/out.log" >&2
	exit 1
}

stop_pid() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }

# capture FILE IFACE: start tcpdump; its PID in $tpid.
capture() {
	tcpdump -n -i "$2" -s 0 -U -w "$1" 'net 127.53.0.0/16' >/dev/null 2>&1 &
	tpid=$!
	pids+=("$tpid")
	sleep 1
}

run_scenario() {
	local kind=$1 sc=$2 qmin=no file q t=12 dflags=
	[ "$sc" = qmin ] && qmin=yes
	dnssec=no
	[ "$sc" = dnssec ] && { dnssec=yes; dflags=+dnssec; }
	# tcpsilent, tcptc: let each resolver's own timeouts play out
	[ "$sc" = tcpsilent ] && t=15
	[ "$sc" = tcptc ] && t=20
	for variant in $( [ "$sc" = qmin ] && echo "yes no" || echo "$qmin" ); do
		file=$out/$kind-$sc.pcap
		[ "$sc" = qmin ] && file=$out/$kind-qmin-$( [ "$variant" = yes ] && echo on || echo off ).pcap
		start_resolver "$kind" "$variant"
		# The warm-up query above is not in the capture: restart cold.
		stop_pid "$rpid"
		case $kind in
		kresd | pdns)
			# Both prime the root cache as they start (kresd also
			# looks up the root server's address): capture that too,
			# so the capture holds the whole iteration from the root.
			capture "$file" lo; start_resolver_cold "$kind" "$variant"; sleep 1 ;;
		*)
			start_resolver_cold "$kind" "$variant"; capture "$file" lo ;;
		esac
		for q in $(queries "$sc"); do
			dig +time=$t +tries=1 $dflags -b 127.53.250.1 @"$raddr" "${q%/*}" "${q#*/}" \
			    >"$work/dig.out" 2>&1
			say "$kind $sc ${q%/*}: $(grep -o 'status: [A-Z]*' "$work/dig.out" || echo 'no answer')$(
			    [ -n "$dflags" ] && grep -q '^;; flags:.* ad[ ;]' "$work/dig.out" && echo ', AD=1')"
		done
		sleep 1
		stop_pid "$tpid"; stop_pid "$rpid"
		# -n: without it tcpdump would ask the host resolver for PTR names
		say "$(basename "$file"): $(tcpdump -n -r "$file" 2>/dev/null | wc -l) packets"
	done
}

# A cold start that waits on the port without asking anything.
start_resolver_cold() {
	local kind=$1
	start_resolver_nowarm "$@"
	for _ in $(seq 1 50); do
		ss -lun | grep -q "$raddr:53 " && return 0
		sleep 0.1
	done
	echo "run.sh: $kind did not listen on $raddr" >&2
	exit 1
}

start_resolver_nowarm() {
	local kind=$1 dir=$work/$1
	raddr=$(raddr_of "$kind")
	case $kind in
	unbound)
		unbound -d -c "$dir/unbound.conf" >"$dir/out.log" 2>&1 & ;;
	bind)
		rm -f "$dir"/*.jnl "$dir"/managed-keys*
		named -4 -g -u root -c "$dir/named.conf" >"$dir/out.log" 2>&1 & ;;
	kresd)
		# the cache is on disk: empty it
		rm -rf "$dir/cache"
		kresd -n -c "$dir/kresd.conf" "$dir" >"$dir/out.log" 2>&1 </dev/null & ;;
	pdns)
		pdns_recursor --config-dir="$dir" >"$dir/out.log" 2>&1 </dev/null & ;;
	esac
	rpid=$!
	pids+=("$rpid")
}

# The outage: both resolvers, clients asking healthy and broken names at once.
run_mixed() {
	dnssec=no
	local file=$out/outage-mixed.pcap i n
	start_resolver unbound no; stop_pid "$rpid"; start_resolver_cold unbound no
	local u=$rpid
	start_resolver bind no; stop_pid "$rpid"; start_resolver_cold bind no
	local b=$rpid
	capture "$file" any
	n=0
	for i in $(seq 1 6); do
		for name in www.healthy.test www.noglue.test www.cyc.test www.lame.test \
		    www.dead.test www.nxns.test www.halfglue.test www.c1.test; do
			n=$((n + 1))
			dig +time=3 +tries=1 -b 127.53.250.$((n % 20 + 1)) @127.53.200.$((n % 2 + 1)) \
			    "$name" A >/dev/null 2>&1 &
		done
		sleep 1
	done
	wait_digs
	sleep 1
	stop_pid "$tpid"; stop_pid "$u"; stop_pid "$b"
	say "outage-mixed.pcap: $(tcpdump -n -r "$file" 2>/dev/null | wc -l) packets"
}

wait_digs() { for _ in $(seq 1 40); do pgrep -x dig >/dev/null || return; sleep 0.5; done; }

start_auth
for kind in $resolvers; do
	for sc in $SCENARIOS; do
		[ -n "$only" ] && [ "$only" != "$sc" ] && continue
		run_scenario "$kind" "$sc"
	done
done
[ -n "$mixed" ] && run_mixed
say "done; captures in $out"
