#!/bin/sh
# test_report.sh -- the text report: its header and section titles, the
# severity sections in order, the same text whatever TZ says, the report as
# the default when stdout is no tty, and --fail-on's exit status (1 when a
# finding at or above the named severity exists, 0 otherwise) in both the
# report and the JSON modes.
. "${SRCDIR:-.}/tests/lib.sh"
[ -x "$GLUETOP" ] || skip "no gluetop binary at $GLUETOP"
tmp=${TMPDIR:-/tmp}/gluetop-report.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
SEVS="critical error warning notice info"

# Captures: one with findings and one without when samples/ has them,
# else the shared corpus's dnscap capture.
caps=
for c in samples/unbound-noglue.pcap samples/bind-halfglue.pcap \
    samples/unbound-tc.pcap samples/unbound-healthy.pcap \
    samples/outage-mixed.pcap; do
	[ -f "$SRCDIR/$c" ] && caps="$caps $SRCDIR/$c"
done
sd=$(shared_dir)
if [ -z "$caps" ] && [ -n "$sd" ] && [ -f "$sd/corpus/dnscap/dns.pcap" ]; then
	caps=$sd/corpus/dnscap/dns.pcap
fi
[ -n "$caps" ] || skip "no capture in samples/ nor a shared corpus"

# has FILE PATTERN: the report holds a line matching the extended regex.
has() { grep -Eq -- "$2" "$1"; }

# rank SEVERITY: 0 for critical .. 4 for info.
rank() {
	r=0
	for s in $SEVS; do
		[ "$s" = "$1" ] && { echo $r; return; }
		r=$((r + 1))
	done
	echo 9
}

# The report's layout on one capture.
check_layout() {
	cap=$1 out=$tmp/report
	"$GLUETOP" -r "$cap" --report >"$out" 2>"$tmp/err"
	check "$cap: --report exits 0 without --fail-on" [ $? -eq 0 ]
	check "$cap: first line" [ "$(head -n 1 "$out")" = "gluetop report" ]
	for label in source filter span packets messages pairing lookups \
	    findings; do
		check "$cap: header line $label" has "$out" "^  $label +[^ ]"
	done
	check "$cap: health or a WARNING line" has "$out" \
	    '^(  health +ok|WARNING: )'
	check "$cap: findings section" has "$out" \
	    '^== ((CAUSES|CRITICAL|ERROR|WARNING|NOTICE|INFO) \([0-9]+\)|FINDINGS) ==$'
	check "$cap: the causes come before the other findings" [ "$(grep -E \
	    '^== (CAUSES|CRITICAL|ERROR|WARNING|NOTICE|INFO) ' "$out" |
	    grep -n CAUSES | cut -d: -f1)" = "$(grep -qE '^== CAUSES' "$out" &&
	    echo 1)" ]
	for title in 'ZONES \([0-9]+\)' 'SERVERS \([0-9]+\)' \
	    'REPEATED QUERIES'; do
		check "$cap: section $title" has "$out" "^== $title ==$"
	done
	check "$cap: servers table header" has "$out" \
	    '^address +queries +answers +tmout +lame +rtt avg +min +max +zones$'
	grep -E '^== (CRITICAL|ERROR|WARNING|NOTICE|INFO) ' "$out" |
	    awk '{print $2}' | tr 'A-Z' 'a-z' >"$tmp/order"
	for s in $SEVS; do
		grep -x "$s" "$tmp/order"
	done >"$tmp/want"
	check "$cap: severity sections in order" cmp -s "$tmp/order" "$tmp/want"
	TZ=America/New_York "$GLUETOP" -r "$cap" --report >"$tmp/tz" 2>&1
	check "$cap: the report does not depend on TZ" cmp -s "$out" "$tmp/tz"
	"$GLUETOP" -r "$cap" </dev/null >"$tmp/auto" 2>&1
	check "$cap: the report is the default off a tty" cmp -s "$out" \
	    "$tmp/auto"
}

# --fail-on SEV exits 1 exactly when a finding at or above SEV exists (the
# header's count per severity: root causes are not in severity sections).
check_fail_on() {
	cap=$1
	worst=9
	for s in $SEVS; do
		if has "$tmp/report" "^  findings .*[ ,][1-9][0-9]* $s"; then
			worst=$(rank "$s")
			break
		fi
	done
	for s in $SEVS; do
		want=0
		[ "$worst" -le "$(rank "$s")" ] && want=1
		for mode in --report --json; do
			"$GLUETOP" -r "$cap" "$mode" --fail-on "$s" >/dev/null \
			    2>&1
			got=$?
			check "$cap: $mode --fail-on $s: exit $got, want $want" \
			    [ "$got" -eq "$want" ]
		done
	done
}

for cap in $caps; do
	check_layout "$cap"
	check_fail_on "$cap"
done
finish
