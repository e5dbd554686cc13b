#!/bin/sh
# test_longname.sh -- a file or interface name far longer than any buffer
# (1,100 and 5,000 bytes) gives one error line naming it and exit status 2,
# with no sanitizer report (the cause was formatted into a fixed stack
# buffer and overflowed it).
. "${SRCDIR:-.}/tests/lib.sh"
tmp=${TMPDIR:-/tmp}/gluetop-longname.$$
mkdir -p "$tmp"
writable_dir "$tmp"
trap 'rm -rf "$tmp"' EXIT

# name N: N bytes of 'a'.
name() { head -c "$1" /dev/zero | tr '\0' a; }

long=$(name 1100)
one_error "-r 1,100-byte name" "^gluetop: $tmp/$long: File name too long\$" \
    -r "$tmp/$long" --report
one_error "-r 1,100-byte path of short parts" "$tmp/(a{100}/){10}x: No such file" \
    -r "$tmp$(for _ in 1 2 3 4 5 6 7 8 9 10; do printf /%s "$(name 100)"; done)/x" --report
one_error "-r 5,000-byte path" "File name too long" \
    -r "$tmp/$(name 5000)" --dump
one_error "-i 1,100-byte name" "$long" -i "$long" --report
one_error "-w 1,100-byte name" "$long" \
    -r "$SRCDIR/samples/unbound-noglue.pcap" -w "$tmp/$long" --report
finish
