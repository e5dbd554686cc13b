#!/bin/sh
# bench.sh -- gluetop's speed and memory against the bare libpcap read loop.
#
# Generates the workloads (cached), builds the floor, then for each workload
# runs the floor (median of BENCH_RUNS) and gluetop in each output mode, and
# prints CPU seconds, the ratio to the floor, packets per CPU second and
# peak RSS, then one verdict line per target.  A benchmark, not a test:
# absolute numbers depend on the machine, the ratios much less.
# See bench/README.md.
set -eu

# Print the usage and fail.
usage()
{
	cat >&2 <<EOF
usage: bench.sh [--pairs N] [--zones N] [--runs N] [--timeout S]
                [--workloads "big uniq zones"] [--modes "--dump --report --json"]
                [--gluetop PATH]
EOF
	exit 2
}

srcdir=$(cd "$(dirname "$0")/.." && pwd)
pairs=${BENCH_PAIRS:-1000000}
zones=${BENCH_ZONES:-200000}
runs=${BENCH_RUNS:-3}
limit=${BENCH_TIMEOUT:-0}
workloads=${BENCH_WORKLOADS:-big uniq zones}
modes=${BENCH_MODES:---dump --report --json}
flat=20000
gluetop=${GLUETOP:-}
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage
	case $1 in
	--pairs) pairs=$2 ;;
	--zones) zones=$2 ;;
	--runs) runs=$2 ;;
	--timeout) limit=$2 ;;
	--workloads) workloads=$2 ;;
	--modes) modes=$2 ;;
	--gluetop) gluetop=$2 ;;
	*) usage ;;
	esac
	shift 2
done
if [ -z "$gluetop" ]; then
	for gluetop in ./gluetop "$srcdir/gluetop" ""; do
		[ -x "$gluetop" ] && break
	done
fi
[ -x "$gluetop" ] || { echo "bench.sh: no gluetop; build it or pass --gluetop" >&2; exit 2; }
cache=${TMPDIR:-/tmp}/gluetop-bench
mkdir -p "$cache"
work=$(mktemp -d "$cache/run.XXXXXX")
trap 'rm -rf "$work"' EXIT
tab=$(printf '\t')

# Build the floor and the measuring helper for this run.
build_helpers()
{
	pcap=$(pkg-config --cflags --libs libpcap 2>/dev/null || echo -lpcap)
	${CC:-cc} -O2 -o "$work/pcap-floor" "$srcdir/bench/pcap-floor.c" $pcap
	${CC:-cc} -O2 -o "$work/runstat" "$srcdir/bench/runstat.c"
}

# Print the cached capture for workload $1, generating it first if needed.
# The name carries every parameter and the generator's checksum, so a
# changed generator never reuses a stale file.
workload_file()
{
	gen=$srcdir/bench/gen-dns-pcap.py
	sum=$(cksum <"$gen" | cut -d' ' -f1)
	case $1 in
	big) set -- --pairs "$pairs" --seed 7 ;;
	uniq) set -- --pairs "$pairs" --seed 9 --unique-names ;;
	zones) set -- --zones "$zones" --seed 7 ;;
	esac
	f=$cache/$(echo "$*" | tr -d ' -')-g$sum.pcap
	if [ ! -s "$f" ]; then
		echo "generating $f" >&2
		python3 "$gen" "$@" --out "$f.$$" && mv "$f.$$" "$f"
	fi
	echo "$f"
}

# Run "$@" under runstat; set cpu (user+sys seconds), rss (KiB) and status.
measure()
{
	set -- $("$work/runstat" -t "$limit" -e "$work/stderr" "$@")
	cpu=$(awk -v u="$1" -v s="$2" 'BEGIN { printf "%.6f", u + s }')
	rss=$3
	shift 3
	status=$*
}

# Set floor to the median CPU time of $runs floor runs over file $1.
measure_floor()
{
	i=0
	: >"$work/floor.times"
	while [ $i -lt "$runs" ]; do
		measure "$work/pcap-floor" "$1"
		echo "$cpu" >>"$work/floor.times"
		i=$((i + 1))
	done
	floor=$(sort -n "$work/floor.times" |
	    awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }')
	floorrss=$rss
}

# Print one table row: workload, what, packets, then cpu and rss as set.
row()
{
	awk -v w="$1" -v what="$2" -v n="$3" -v c="$cpu" -v f="$floor" \
	    -v r="$rss" -v st="$status" 'BEGIN {
		printf "%-6s %-9s %9d %9.3f %8.1fx %11.0f %9.1f  %s\n", w,
		    what, n, c, c / (f > 0 ? f : 1e-9), n / (c > 0 ? c : 1e-9),
		    r / 1024, st }'
}

# Record a result for the verdicts: workload, mode, ratio, rss, status.
record()
{
	ratio=$(awk -v c="$cpu" -v f="$floor" \
	    'BEGIN { printf "%.2f", c / (f > 0 ? f : 1e-9) }')
	printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$ratio" "$rss" "$status" \
	    >>"$work/results"
}

# Measure the floor and every mode on workload $1.
run_workload()
{
	f=$(workload_file "$1")
	packets=$("$work/pcap-floor" "$f" | cut -d' ' -f1)
	measure_floor "$f"
	cpu=$floor rss=$floorrss status=0
	row "$1" floor "$packets"
	for m in $modes; do
		measure "$gluetop" -r "$f" "$m"
		row "$1" "$m" "$packets"
		record "$1" "$m"
		[ "$1$m" != big--json ] || bigjson=$cpu bigpackets=$packets
	done
}

# Print one verdict: label, workload, mode, limit, unit (x or MiB).
verdict()
{
	awk -F "$tab" -v w="$2" -v m="$3" -v lim="$4" -v unit="$5" \
	    -v label="$1" '
	$1 == w && (m == "*" || $2 == m) {
		v = unit == "x" ? $3 : $4 / 1024
		if (v > worst) worst = v
		if ($5 != "0") bad = bad " " $2 "=" $5
		seen = 1
	}
	END {
		if (!seen) { printf "verdict %-22s not run\n", label; exit }
		ok = worst <= lim && bad == ""
		printf "verdict %-22s %8.1f%s (target <= %s%s)  %s%s\n", label,
		    worst, unit, lim, unit, ok ? "PASS" : "FAIL",
		    bad == "" ? "" : "  exit:" bad }' "$work/results"
}

# Per-packet CPU of --json on the first $flat packets of big against the
# whole file: a cost that grows with history shows as a ratio above 1.
flat_cost()
{
	[ -n "${bigjson:-}" ] || { echo "flat cost: needs big and --json"; return; }
	[ "$flat" -le "$bigpackets" ] || flat=$bigpackets
	measure "$gluetop" -r "$(workload_file big)" -c "$flat" --json
	awk -v c1="$cpu" -v n1="$flat" -v c2="$bigjson" -v n2="$bigpackets" \
	    'BEGIN { a = c1 / n1 * 1e9; b = c2 / n2 * 1e9
		printf "flat cost --json: %d packets %.0f ns/packet, %d packets %.0f ns/packet, ratio %.2f (1.00 = flat)\n",
		    n1, a, n2, b, b / a
		printf "verdict %-22s %8.2f  (target <= 1.2)  %s\n", "flat cost", b / a,
		    b / a <= 1.2 ? "PASS" : "FAIL" }'
}

build_helpers
: >"$work/results"
echo "$("$gluetop" -V 2>&1 | head -n 1) ($gluetop); $(uname -m), $(nproc) CPUs; floor = median of $runs"
printf '%-6s %-9s %9s %9s %9s %11s %9s  %s\n' load what packets cpu_s x_floor \
    packets/s peak_MiB exit
for w in $workloads; do
	run_workload "$w"
done
verdict "--dump big" big --dump 8 x
verdict "--report big" big --report 10 x
verdict "--json big" big --json 10 x
verdict "--dump uniq" uniq --dump 8 x
verdict "--report uniq" uniq --report 10 x
verdict "--json uniq" uniq --json 10 x
verdict "--report zones flood" zones --report 20 x
verdict "peak RSS big" big "*" 64 MiB
flat_cost
