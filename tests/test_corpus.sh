#!/bin/sh
# test_corpus.sh -- every capture of ../shared/corpus through gluetop --dump:
# message, query and response counts, rcodes and distinct qnames equal the
# tshark truth beside each file, except where the EXCEPTIONS below say why;
# no file crashes or hangs gluetop; broken files give clear errors.
. "${SRCDIR:-.}/tests/lib.sh"
SHARED=$(shared_dir)
[ -n "$SHARED" ] || skip "../shared/corpus not found beside the source tree"
tmp=${TMPDIR:-/tmp}/gluetop-corpus.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

# Files where gluetop rightly differs from tshark, with the reason.
EXCEPTIONS='
zeek/dns-inverse-query.pcap FDDI link type is not supported: its frames are counted as skipped (unsupported link type)
tcpdump/ppp_ip_udp_dns.pcap PPP link type is not supported (tshark also finds no DNS in it)
'
# Single keys where gluetop rightly differs: file key reason.
KEY_EXCEPTIONS='
tcpdump/dns-badlabel.pcap qnames_distinct the question name is longer than 255 bytes: gluetop reports it malformed and keeps no name; tshark counts its placeholder "<Name too long>"
tcpdump/dns_fwdptr.pcap qnames_distinct the question name is longer than 255 bytes through forward pointers: malformed, no name; tshark counts "<Name too long>"
zeek/dns_dns-invalid-names.pcap qnames_distinct all three names are malformed (a pointer loop, a forward pointer, a bad count): no name kept; tshark counts its placeholder "<Name contains a pointer that loops>"
'
# Files that are meant to fail: the expected error.
ERRORS='
derived/empty.pcap empty
derived/not-a-pcap.pcap not a pcap|unknown file format
'

# The truth value of KEY for a file (0 when absent).
truth() { v=$(grep "^$2=" "$1.truth.txt" | cut -d= -f2); echo "${v:-0}"; }

# Name of a 4-bit header rcode as the truth files write it.
rname() {
	case $1 in
	0) echo NOERROR ;; 1) echo FORMERR ;; 2) echo SERVFAIL ;;
	3) echo NXDOMAIN ;; 4) echo NOTIMP ;; 5) echo REFUSED ;;
	*) echo "RCODE$1" ;;
	esac
}

# Summarise a --dump output in the truth's keys.
summarise() {
	awk '
	/^[0-9]/ && $6 != "ICMP" {
		n++; if ($8 == "q") q++; else r++
		if ($6 == "tcp") tcp++
		if ($12 != "-") names[tolower($12)] = 1
		if ($8 == "r") {
			rc = $11
			for (i = 14; i <= NF; i++)
				if ($i ~ /^hdr-rcode=/) { split($i, a, "="); rc = "#" a[2] }
			rcodes[rc]++
		}
	}
	END {
		printf "messages=%d\nqueries=%d\nresponses=%d\nmessages_over_tcp=%d\n", n, q, r, tcp
		for (k in names) d++
		printf "qnames_distinct=%d\n", d
		for (k in rcodes) printf "rcode.%s=%d\n", k, rcodes[k]
	}' "$1"
}

for f in $(cd "$SHARED/corpus" && ls */*.pcap */*.pcapng 2>/dev/null); do
	path=$SHARED/corpus/$f
	timeout 60 "$GLUETOP" -r "$path" --dump >"$tmp/out" 2>"$tmp/err"
	status=$?
	if [ "$status" -gt 2 ]; then
		bad "$f: gluetop crashed or hung (status $status): $(head -c 300 "$tmp/err")"
		continue
	fi
	want_err=$(printf '%s\n' "$ERRORS" | awk -v f="$f" '$1 == f { $1 = ""; sub(/^ /, ""); print }')
	if [ -n "$want_err" ]; then
		if [ "$status" -eq 2 ] && grep -qE "$want_err" "$tmp/err" &&
		    [ "$(wc -l <"$tmp/err")" -eq 1 ]; then ok; else
			bad "$f: want one error line matching '$want_err', got status $status: $(cat "$tmp/err")"
		fi
		continue
	fi
	if printf '%s\n' "$EXCEPTIONS" | grep -q "^$f "; then
		check "$f: analysed without error" [ "$status" -eq 0 ]
		continue
	fi
	if [ "$f" = derived/dns-cut.pcap ]; then
		check "$f: a truncated file is an error" [ "$status" -eq 2 ]
	else
		check "$f: exit status $status: $(head -c 200 "$tmp/err")" [ "$status" -eq 0 ]
	fi
	summarise "$tmp/out" >"$tmp/sum"
	for key in messages queries responses messages_over_tcp qnames_distinct; do
		if printf '%s\n' "$KEY_EXCEPTIONS" | grep -q "^$f $key "; then
			continue
		fi
		want=$(truth "$path" $key)
		got=$(grep "^$key=" "$tmp/sum" | cut -d= -f2)
		check "$f: $key=$got, tshark says $want" [ "${got:-0}" = "$want" ]
	done
	# rcodes: compare the header rcode as tshark counts it.
	sed -n 's/^rcode\.\(.*\)=\(.*\)$/\1 \2/p' "$tmp/sum" | while read -r rc n; do
		case $rc in \#*) rc=$(rname "${rc#\#}") ;; esac
		echo "$rc $n"
	done | awk '{ s[$1] += $2 } END { for (k in s) printf "rcode.%s=%d\n", k, s[k] }' |
	    sort >"$tmp/got_rc"
	grep '^rcode\.' "$path.truth.txt" | sort >"$tmp/want_rc"
	check "$f: rcodes $(tr '\n' ' ' <"$tmp/got_rc") vs tshark $(tr '\n' ' ' <"$tmp/want_rc")" \
	    cmp -s "$tmp/got_rc" "$tmp/want_rc"
	# The report and JSON paths must survive every file too.
	timeout 60 "$GLUETOP" -r "$path" --json >/dev/null 2>&1
	check "$f: --json status" [ $? -le 2 ]
done
finish
