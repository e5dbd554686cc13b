#!/bin/sh
# test_sweep.sh -- every table cap at its smallest: gluetop --report and
# --json over every sample, every capture of ../shared/corpus and every
# ../shared/repro/*.pcap, with --set max_X=V for each of the seven caps and
# V = 1, 2, 3.  A run fails on an exit status other than 0 or 1 (2 only for
# the files meant to be refused), a hang, or any sanitizer report.
#
# Full sweep in a sanitizer build (--enable-asan): --report at V = 1, 2, 3
# and --json at V = 1 except on the corpus (files over 500 kB: V = 1 only).  A reduced one
# otherwise: V = 1, --report only.  GLUETOP_SWEEP=full or =quick overrides.  The runs
# go two at a time (xargs -P2); each prints one line, "ok" or the failure
# with the sanitizer's SUMMARY line.
. "${SRCDIR:-.}/tests/lib.sh"

CAPS="max_pending max_lookups max_zones max_names max_servers max_findings
max_repeats"
# Files that must be refused with exit status 2 (see test_corpus.sh).
REFUSED="derived/empty.pcap derived/not-a-pcap.pcap derived/dns-cut.pcap"

# One run (the xargs worker): file mode cap value.
sweep_one() {
	err=$(mktemp "${TMPDIR:-/tmp}/gluetop-sweep.XXXXXX")
	timeout 60 "$GLUETOP" -r "$1" "--$2" --set "$3=$4" >/dev/null 2>"$err"
	st=$?
	site=$(san_site "$err")
	name=${1#"${SHARED:-/nonexistent}/"}
	name=${name#"$SRCDIR/"}
	ok_st=1
	case " $REFUSED " in *" ${name#corpus/} "*) ok_st=2 ;; esac
	if [ -n "$site" ]; then
		echo "FAIL $name --$2 --set $3=$4: status $st: $site"
	elif [ "$st" -gt "$ok_st" ]; then
		echo "FAIL $name --$2 --set $3=$4: status $st: $(head -c 200 "$err")"
	else
		echo ok
	fi
	rm -f "$err"
}

if [ "${1:-}" = --one ]; then
	shift
	sweep_one "$@"
	exit 0
fi

# Is the binary under test built with the sanitizers?
level=${GLUETOP_SWEEP:-}
if [ -z "$level" ]; then
	level=quick
	cfg=$(dirname "$GLUETOP")/config.status
	[ -x "$cfg" ] && "$cfg" --config | grep -q enable-asan && level=full
fi

# The runs, one a line: --report at every cap and value (quick: value 1),
# --json at value 1 but for the corpus (test_corpus.sh runs it there);
# files over 500 kB only at value 1, for time's sake.
jobs() {
	for f in $files; do
		values="1 2 3"
		[ "$level" = full ] && [ "$(wc -c <"$f")" -le 500000 ] ||
		    values=1
		json=$level
		case $f in "${SHARED:-/nonexistent}"/corpus/*) json=quick ;; esac
		for c in $CAPS; do
			for v in $values; do
				echo "$f report $c $v"
			done
			[ "$json" = full ] && echo "$f json $c 1"
		done
	done
}

# The inputs: samples, then the shared corpus and repro files if present.
SHARED=$(shared_dir)
files=$(ls "$SRCDIR"/samples/*.pcap)
if [ -n "$SHARED" ]; then
	files="$files $(ls "$SHARED"/corpus/*/*.pcap "$SHARED"/corpus/*/*.pcapng \
	    "$SHARED"/repro/*.pcap 2>/dev/null)"
else
	echo "note: ../shared not found beside the source tree: samples only"
fi

san_env
export REFUSED SRCDIR GLUETOP SHARED
results=$(jobs | xargs -P2 -L1 sh "$0" --one)

runs=$(printf '%s\n' "$results" | grep -c .)
echo "sweep ($level): $runs runs"
printf '%s\n' "$results" | grep '^FAIL' | sort >&2
printf '%s\n' "$results" | grep '^FAIL' | sed 's/.*status [0-9]*: //' |
    sort | uniq -c | sort -rn | sed 's/^/site: /'
npass=$(printf '%s\n' "$results" | grep -c '^ok$')
nfail=$(printf '%s\n' "$results" | grep -c '^FAIL')
finish
