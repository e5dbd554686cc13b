# shellcheck shell=sh
# lib.sh -- helpers shared by the shell tests (sourced, not run).
#
# Each test counts its checks with ok/bad and ends with finish, which prints
# "N passed, M failed" and exits 1 if anything failed.  GLUETOP is the binary
# under test and SRCDIR the source tree (both set by make check).

: "${GLUETOP:=./gluetop}"
: "${SRCDIR:=.}"
npass=0
nfail=0

# Record a passing check.
ok() { npass=$((npass + 1)); }

# Record a failing check with its reason on stderr.
bad() { nfail=$((nfail + 1)); printf 'FAIL: %s\n' "$*" >&2; }

# check DESCRIPTION CONDITION...: run the condition, record the outcome.
check() {
	desc=$1; shift
	if "$@"; then ok; else bad "$desc"; fi
}

# The shared corpus beside the checkout, or empty.
shared_dir() {
	for d in "${GLUETOP_SHARED:-}" "$SRCDIR/../shared" "$SRCDIR/../../shared"; do
		if [ -n "$d" ] && [ -d "$d/corpus" ]; then
			(cd "$d" && pwd)
			return
		fi
	done
}

# Print the summary and exit with the right status.
finish() {
	printf '%d passed, %d failed\n' "$npass" "$nfail"
	[ "$nfail" -eq 0 ]
	exit
}

# one_error DESC PATTERN ARGS...: gluetop ARGS exits 2 with exactly one
# stderr line matching the extended regex PATTERN (uses $tmp).
one_error() {
	desc=$1 pat=$2; shift 2
	"$GLUETOP" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	status=$?
	if [ "$status" -ne 2 ] || [ "$(wc -l <"$tmp/err")" -ne 1 ] ||
	    ! grep -qE -- "$pat" "$tmp/err"; then
		bad "$desc: status $status, stderr '$(head -c 300 "$tmp/err")'"
		return
	fi
	ok
}

# writable_dir DIR: as root, give DIR to the user gluetop drops to, so that
# -w (opened after the drop, as tcpdump does) can create files in it.
writable_dir() {
	if [ "$(id -u)" -eq 0 ]; then
		chown nobody "$1" || chmod 1777 "$1"
	fi
}

# make_tmp NAME: a scratch directory $tmp, removed when the test exits.
make_tmp() {
	tmp=${TMPDIR:-/tmp}/gluetop-$1.$$
	mkdir -p "$tmp"
	trap 'rm -rf "$tmp"' EXIT
}

# Skip the whole test (automake's code 77) with a reason.
skip() {
	printf 'SKIP: %s\n' "$*"
	exit 77
}

# netns_pair: make two network namespaces, $NS_A and $NS_R, joined by a
# veth pair $VETH_A/$VETH_R with 198.51.100.1/24 and 198.51.100.2/24
# (TEST-NET-2, RFC 5737), their loopbacks up.  Nothing is routed out of
# them.  Skips the test when they cannot be made; netns_del removes them.
netns_pair() {
	NS_A=gta$$ NS_R=gtr$$ VETH_A=va$$ VETH_R=vr$$
	ip netns add $NS_A 2>/dev/null ||
	    skip "cannot create network namespaces here"
	ip netns add $NS_R
	ip link add $VETH_A netns $NS_A type veth peer name $VETH_R \
	    netns $NS_R || skip "cannot create a veth pair"
	ip -n $NS_A addr add 198.51.100.1/24 dev $VETH_A
	ip -n $NS_R addr add 198.51.100.2/24 dev $VETH_R
	for ns in $NS_A $NS_R; do
		ip -n $ns link set lo up
	done
	ip -n $NS_A link set $VETH_A up
	ip -n $NS_R link set $VETH_R up
}

# netns_del: remove what netns_pair made (safe to call when it made nothing).
netns_del() {
	[ -n "${NS_A:-}" ] || return 0
	ip netns del $NS_A 2>/dev/null
	ip netns del $NS_R 2>/dev/null
}

# Make the sanitizers stop at the first report with an unmistakable status.
san_env() {
	export ASAN_OPTIONS="detect_leaks=1:exitcode=86:${ASAN_OPTIONS:-}"
	export LSAN_OPTIONS="exitcode=86:${LSAN_OPTIONS:-}"
	export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=86:${UBSAN_OPTIONS:-}"
}

# The sanitizer report in a stderr file as one line, or nothing: the
# SUMMARY or runtime error line, with the function that freed the memory
# (use-after-free) or allocated it (leak).
san_site() {
	awk '
	function frame() {
		if ($0 ~ /interceptor|libc|xmalloc|xcalloc|xrealloc|xstrdup|table_remove|table_insert|table_clear/)
			return ""
		return $4 " " $5
	}
	/runtime error:/ && s == "" { s = $0 }
	/SUMMARY: .*leaked in/ { next }
	/SUMMARY: / && s == "" { s = $0 }
	/ERROR: (Leak|Address)Sanitizer/ && e == "" { e = $0 }
	/^(Direct|Indirect) leak of/ { want = "leak allocated in" ; next }
	/freed by thread/ { want = "freed in" ; next }
	want != "" && / #[0-9]+ / && (f = frame()) != "" {
		if (w == "") w = want " " f
		want = ""
	}
	END {
		if (s == "") s = e
		sub(/^==[0-9]+==/, "", s)
		s = s (w != "" ? "; " w : "")
		while (src != "/" && (i = index(s, src)) > 0)
			s = substr(s, 1, i - 1) substr(s, i + length(src))
		if (s != "") print s
	}' src="${SRCDIR:-.}/" "$1"
}
