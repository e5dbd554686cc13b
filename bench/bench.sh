#!/bin/sh
# bench.sh [CAPTURE] [COPIES] -- packets per second and peak memory of
# gluetop (report and dump modes) against the bare libpcap read loop on the
# same file.  Not a test: numbers vary with the machine; compare runs made
# on one machine.
set -e
cd "$(dirname "$0")/.."
cap=${1:-samples/outage-mixed.pcap}
copies=${2:-200}
tmp=${TMPDIR:-/tmp}/gluetop-bench
mkdir -p "$tmp"
cc -O2 -o "$tmp/readloop" bench/readloop.c $(pkg-config --cflags --libs libpcap)
python3 bench/mkbig.py "$cap" "$tmp/big.pcap" "$copies"
n=$("$tmp/readloop" "$tmp/big.pcap")
printf 'file: %s x %s = %s packets, %s bytes\n' "$cap" "$copies" "$n" \
    "$(wc -c <"$tmp/big.pcap")"
printf '%-28s %12s %14s %10s\n' what seconds packets/s peak_KiB
for what in readloop "gluetop --report" "gluetop --json" "gluetop --dump"; do
	case $what in
	readloop) set -- "$tmp/readloop" "$tmp/big.pcap" ;;
	*) set -- ./gluetop -r "$tmp/big.pcap" ${what#gluetop } ;;
	esac
	/usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err" || true
	read -r secs kib <"$tmp/time"
	printf '%-28s %12s %14s %10s\n' "$what" "$secs" \
	    "$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')" "$kib"
done
