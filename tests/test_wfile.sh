#!/bin/sh
# test_wfile.sh -- -w is opened after privileges are dropped (the file
# belongs to the drop user), with O_NOFOLLOW in a world-writable directory,
# and never names an input: "-r X -w X" (also through a symlink or standard
# input) exits 2 and leaves X unchanged (device and inode are compared).
. "${SRCDIR:-.}/tests/lib.sh"
pcap=$SRCDIR/samples/unbound-noglue.pcap
tmp=${TMPDIR:-/tmp}/gluetop-wfile.$$
mkdir -p "$tmp/own" "$tmp/pub"
chmod 1777 "$tmp/pub"
writable_dir "$tmp/own"
trap 'rm -rf "$tmp"' EXIT
# As root, -Z root keeps the input checks independent of file modes.
Z=
[ "$(id -u)" -eq 0 ] && Z="-Z root"

# refused DESC PATTERN ARGS...: exit 2, one line, $tmp/own/x.pcap intact.
refused() {
	desc=$1 pat=$2; shift 2
	before=$(cksum <"$tmp/own/x.pcap")
	# shellcheck disable=SC2086
	"$GLUETOP" $Z "$@" >/dev/null 2>"$tmp/err"
	status=$?
	if [ "$status" -ne 2 ] || [ "$(wc -l <"$tmp/err")" -ne 1 ] ||
	    ! grep -qE -- "$pat" "$tmp/err"; then
		bad "$desc: status $status, stderr '$(cat "$tmp/err")'"
	elif [ "$(cksum <"$tmp/own/x.pcap")" != "$before" ]; then
		bad "$desc: the input was changed"
	else
		ok
	fi
}

cp "$pcap" "$tmp/own/x.pcap"
chmod 666 "$tmp/own/x.pcap"
x=$tmp/own/x.pcap
refused "-r X -w X" "^gluetop: -w $x: is also an input \\($x\\)" \
    -r "$x" -w "$x" --report
ln -s x.pcap "$tmp/own/link.pcap"
refused "-r X -w link-to-X" "is also an input" \
    -r "$x" -w "$tmp/own/link.pcap" --report
refused "-r - <X -w X" "is also an input \\(\\(stdin\\)\\)" \
    -r - -w "$x" --report <"$x"
refused "the second of two inputs" "is also an input" \
    -r "$pcap" -r "$x" -w "$x" --dump
# A symlink planted in a world-writable directory is not followed.
ln -s "$x" "$tmp/pub/planted.pcap"
refused "a symlink in a world-writable directory" \
    "planted\\.pcap: is a symbolic link in a directory anyone can write to" \
    -r "$pcap" -w "$tmp/pub/planted.pcap" --report
# Elsewhere a symlink to a new file is followed, as tcpdump does.
ln -s new.pcap "$tmp/own/tonew.pcap"
"$GLUETOP" $Z -r "$pcap" -w "$tmp/own/tonew.pcap" --report >/dev/null 2>"$tmp/err"
check "a symlink in a private directory is followed: $(cat "$tmp/err")" \
    [ -s "$tmp/own/new.pcap" ]
# An existing output file is truncated and rewritten.
cp "$pcap" "$tmp/own/old.pcap"
cat "$pcap" >>"$tmp/own/old.pcap"
"$GLUETOP" $Z -r "$pcap" -w "$tmp/own/old.pcap" --report >/dev/null
check "an existing -w file is truncated" cmp -s "$pcap" "$tmp/own/old.pcap"

# Started as root: the file is created by (and belongs to) the drop user.
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	"$GLUETOP" -r "$pcap" -w "$tmp/own/mine.pcap" --report >/dev/null 2>"$tmp/err"
	check "as root: -w belongs to nobody ($(cat "$tmp/err"))" \
	    [ "$(stat -c %U "$tmp/own/mine.pcap" 2>/dev/null)" = nobody ]
	mkdir "$tmp/rootonly"
	chmod 700 "$tmp/rootonly"
	"$GLUETOP" -r "$pcap" -w "$tmp/rootonly/f.pcap" --report >/dev/null 2>"$tmp/err"
	check "as root: a directory nobody cannot write is refused (exit $?)" \
	    grep -q 'Permission denied (it is opened after dropping privileges; see -Z)' "$tmp/err"
fi
finish
