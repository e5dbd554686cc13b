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

# Skip the whole test (automake's code 77) with a reason.
skip() {
	printf 'SKIP: %s\n' "$*"
	exit 77
}
