#!/bin/sh
# test_contrib.sh -- the examples in contrib/ are what the tools they are
# for accept: promtool for the Prometheus config and alert rules (and the
# rules name only metrics gluetop exports), systemd-analyze for the unit
# (pointed at the binary under test), logrotate -d for the rotation.
# Each part runs when its tool is installed.
. "${SRCDIR:-.}/tests/lib.sh"
[ -x "$GLUETOP" ] || skip "no gluetop binary at $GLUETOP"
make_tmp contrib
writable_dir "$tmp"
c=$SRCDIR/contrib
ran=0

if command -v promtool >/dev/null; then
	ran=1
	(cd "$c/prometheus" && promtool check config prometheus.yml) >"$tmp/p" 2>&1
	check "promtool check config: $(tail -n 2 "$tmp/p" | tr '\n' ' ')" [ $? -eq 0 ]
	promtool check rules "$c/prometheus/gluetop-alerts.yml" >"$tmp/r" 2>&1
	check "promtool check rules: $(tail -n 2 "$tmp/r" | tr '\n' ' ')" [ $? -eq 0 ]
	# Every gluetop_ metric the rules use is one gluetop exports.
	"$GLUETOP" -r "$SRCDIR/samples/outage-mixed.pcap" --report --no-sandbox \
	    --metrics-file "$tmp/m.prom" >/dev/null 2>&1
	for m in $(grep -o 'gluetop_[a-z_]*' "$c/prometheus/gluetop-alerts.yml" | sort -u); do
		check "the alert rules' $m is exported" grep -q "^# TYPE $m " "$tmp/m.prom"
	done
fi
if command -v systemd-analyze >/dev/null; then
	ran=1
	sed "s|/usr/local/bin/gluetop|$(cd "$(dirname "$GLUETOP")" && pwd)/$(basename "$GLUETOP")|" \
	    "$c/systemd/gluetop.service" >"$tmp/gluetop.service"
	systemd-analyze verify --man=no "$tmp/gluetop.service" >"$tmp/s" 2>&1
	check "systemd-analyze verify: $(head -n 3 "$tmp/s" | tr '\n' ' ')" \
	    sh -c "[ ! -s '$tmp/s' ]"
fi
if command -v logrotate >/dev/null; then
	ran=1
	logrotate -d -s "$tmp/state" "$c/logrotate/gluetop" >"$tmp/l" 2>&1
	check "logrotate -d parses contrib/logrotate/gluetop: $(grep -i error "$tmp/l" | head -n 2 | tr '\n' ' ')" \
	    sh -c "! grep -qi 'error' '$tmp/l'"
fi
[ $ran -eq 1 ] || skip "none of promtool, systemd-analyze, logrotate is installed"
finish
