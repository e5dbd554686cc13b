#!/bin/sh
# test_revisit.sh -- D13 referral_revisit is a loop inside one descent, not
# a resolver starting over.  pdns_recursor restarts a glueless NS name's
# lookup from the root when the cached delegation leads nowhere, and the
# root refers it to the TLD it already passed through: that is no revisit.
# The faults those captures show must still be reported.
. "${SRCDIR:-.}/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is needed to read the JSON"
[ -x "$GLUETOP" ] || skip "no gluetop binary at $GLUETOP"
tmp=${TMPDIR:-/tmp}/gluetop-revisit.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

# findings NAME: the reduced findings of samples/NAME.pcap in $tmp/NAME.
findings() {
	"$GLUETOP" -r "$SRCDIR/samples/$1.pcap" --json |
	    python3 "$SRCDIR/tests/golden.py" >"$tmp/$1"
}

# has NAME PATTERN: a finding line of NAME matches the extended regex.
has() { grep -qE -- "$2" "$tmp/$1"; }

# lacks NAME PATTERN: no finding line of NAME matches.
lacks() { ! has "$@"; }

for s in pdns-noglue pdns-circular2 pdns-circular3; do
	findings $s
	check "$s: no referral_revisit: $(grep revisit "$tmp/$s")" \
	    lacks $s ' referral_revisit '
done
check "pdns-noglue: the missing glue is still critical" \
    has pdns-noglue '^critical glue_missing_in_domain zone=noglue\.test\. '
check "pdns-circular2: the cycle is still critical" \
    has pdns-circular2 '^critical circular_delegation .*cycle=cyc\.example\.,cyc\.test\. '
check "pdns-circular3: the cycle is still critical" \
    has pdns-circular3 '^critical circular_delegation .*cycle=c1\.test\.,c2\.example\.,c3\.test\. '
check "pdns-circular3: the sibling glue is still missing" \
    has pdns-circular3 '^error glue_missing_sibling zone=c3\.test\. '
finish
