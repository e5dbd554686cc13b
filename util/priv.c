/*
 * priv.c -- give up root and every capability once the captures are open,
 * as tcpdump -Z does, then confine the process with a seccomp filter.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif
#ifdef HAVE_SECCOMP
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <seccomp.h>
#include <termios.h>
#endif

#include "util/priv.h"
#include "util/xmalloc.h"

static char	*priv_cause(const char *, const char *, const char *);
static int	 priv_setuser(const char *, char **);
static int	 priv_caps_clear(char **);
#ifdef HAVE_SECCOMP
static int	 priv_filter_load(int, int, char **);
static int	 priv_allow(scmp_filter_ctx, const char *const *);
static int	 priv_allow_open(scmp_filter_ctx, int);
static int	 priv_filter_rules(scmp_filter_ctx);
static int	 priv_filter_live(scmp_filter_ctx);

/*
 * The steady state: reading packets (files: read/lseek; live: the
 * PACKET_MMAP ring, recvfrom and pcap_stats' getsockopt), stdio on the
 * outputs, curses on the terminal, malloc, time, signals and the exit.
 * Every file was opened before the filter, so there is no open at all.
 */
static const char *const priv_allowed[] = {
	"read", "readv", "write", "writev", "pread64", "lseek", "close",
	"fstat", "newfstatat",	/* stdio sizes its buffer on first use */
	"poll", "ppoll", "select", "pselect6",
	"recvfrom", "recvmsg", "getsockopt",
	"brk", "munmap", "mremap", "madvise",
	"futex", "set_robust_list", "rseq",
	"clock_gettime", "clock_nanosleep", "nanosleep", "gettimeofday",
	"time", "getpid", "gettid", "getuid", "geteuid", "getrandom",
	"sysinfo",	/* glibc qsort sizes its buffer by physical memory */
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack",
	"tgkill", "exit", "exit_group",
	NULL
};

/*
 * A call not listed kills the process.  In sanitizer builds it is only
 * logged (to the kernel's audit log): the sanitizer runtimes open /proc,
 * trace the process for the leak check and exec a symbolizer for their
 * reports, and a report must never be lost to SIGSYS.  The plain build's
 * make check runs the filter for real.
 */
#if defined(__SANITIZE_ADDRESS__) || defined(GLUETOP_ASAN)
#define PRIV_DEFAULT_ACTION	SCMP_ACT_LOG
#else
#define PRIV_DEFAULT_ACTION	SCMP_ACT_KILL_PROCESS
#endif

/* Terminal ioctls: the termios state curses keeps and the window size. */
static const unsigned long priv_ioctls[] = {
	TCGETS, TCSETS, TCSETSW, TCSETSF, TIOCGWINSZ, FIONREAD, 0
};
#endif

/* Format a one-line cause "what[ arg]: why". */
static char *
priv_cause(const char *what, const char *arg, const char *why)
{
	char	 buf[512];

	snprintf(buf, sizeof(buf), "%s%s%s: %s", what, arg != NULL ? " " : "",
	    arg != NULL ? arg : "", why);
	return xstrdup(buf);
}

/* Become user (groups included); 1 done, 0 nothing to do, -1 failed. */
static int
priv_setuser(const char *user, char **cause)
{
	struct passwd	*pw;

	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		*cause = priv_cause("-Z", user, "no such user (name another with -Z,"
		    " or -Z root to keep root)");
		return -1;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) != 0 ||
	    setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0) {
		*cause = priv_cause("-Z", user, strerror(errno));
		return -1;
	}
	if (pw->pw_uid != 0 && setuid(0) == 0) {
		*cause = priv_cause("-Z", user, "root could be regained");
		return -1;
	}
	return 1;
}

/*
 * Empty the effective, permitted, inheritable and ambient capability sets
 * and check that they stay empty: a non-root binary given CAP_NET_RAW with
 * setcap(8) keeps it otherwise, since setuid() does not apply.
 */
static int
priv_caps_clear(char **cause)
{
#ifdef __linux__
	struct __user_cap_header_struct	 h;
	struct __user_cap_data_struct	 d[_LINUX_CAPABILITY_U32S_3];
	int				 i;

	memset(&h, 0, sizeof(h));
	memset(d, 0, sizeof(d));
	h.version = _LINUX_CAPABILITY_VERSION_3;
	(void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (syscall(SYS_capset, &h, d) != 0 || syscall(SYS_capget, &h,
	    d) != 0) {
		*cause = priv_cause("cannot drop capabilities", NULL,
		    strerror(errno));
		return -1;
	}
	for (i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		if (d[i].effective != 0 || d[i].permitted != 0) {
			*cause = priv_cause("capabilities", NULL,
			    "still held after dropping them");
			return -1;
		}
#else
	(void)cause;
#endif
	return 0;
}

/* Drop root (unless -Z root) and every capability.  See priv.h. */
int
priv_drop(const char *user, int live, char **cause)
{
	int	 rc = 0;

	(void)live;
	if (user == NULL)
		user = PRIV_DEFAULT_USER;
	if (geteuid() == 0) {
		if (strcmp(user, "root") == 0)
			return 0;	/* kept on purpose */
		if ((rc = priv_setuser(user, cause)) < 0)
			return -1;
	}
	if (priv_caps_clear(cause) != 0)
		return -1;
	return rc;
}

#ifdef HAVE_SECCOMP
/* Allow every call of a NULL-ended list; -1 when libseccomp refuses one. */
static int
priv_allow(scmp_filter_ctx ctx, const char *const *calls)
{
	int	 i, nr;

	for (i = 0; calls[i] != NULL; i++) {
		/* Names this architecture lacks are skipped. */
		if ((nr = seccomp_syscall_resolve_name(calls[i])) ==
		    __NR_SCMP_ERROR)
			continue;
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0) != 0)
			return -1;
	}
	return 0;
}

/*
 * Allow openat with exactly these access, creation and truncation flags
 * (O_CLOEXEC, O_NOFOLLOW and the like are not looked at).
 */
static int
priv_allow_open(scmp_filter_ctx ctx, int flags)
{
	return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1,
	    SCMP_A2(SCMP_CMP_MASKED_EQ, O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC |
	    O_APPEND, flags));
}

/* Add the allow rules; -1 when libseccomp refuses one. */
static int
priv_filter_rules(scmp_filter_ctx ctx)
{
	int	 i;

	if (priv_allow(ctx, priv_allowed) != 0)
		return -1;
	for (i = 0; priv_ioctls[i] != 0; i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
		    SCMP_A1(SCMP_CMP_EQ, priv_ioctls[i])) != 0)
			return -1;
	/* Memory may be mapped (malloc), never made executable. */
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
	    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) != 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
	    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) != 0)
		return -1;
	return 0;
}

/*
 * Live capture needs two more: libpcap's pcap_stats() reads the interface
 * drop counters from /sys/class/net/IF/statistics (so openat, read-only:
 * no create, truncate or write), and pcap_close() tears the packet ring
 * down with setsockopt(SOL_PACKET).
 */
static int
priv_filter_live(scmp_filter_ctx ctx)
{
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1,
	    SCMP_A2(SCMP_CMP_MASKED_EQ, O_ACCMODE | O_CREAT | O_TRUNC |
	    O_APPEND, O_RDONLY)) != 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(setsockopt), 1,
	    SCMP_A1(SCMP_CMP_EQ, SOL_PACKET)) != 0)
		return -1;
	return 0;
}

/*
 * The dashboard exports what it shows to new files (e and E): openat may
 * create a file for writing, only with O_EXCL, so nothing that exists can
 * be truncated or appended to.
 */
static int
priv_filter_create(scmp_filter_ctx ctx)
{
	return priv_allow_open(ctx, O_WRONLY | O_CREAT | O_EXCL);
}

/*
 * --metrics-file, -C and -G: a file written in full and renamed over the
 * last one, or the next file of a rotation (create or truncate, then
 * fdopen), and the temporary removed when a write fails.
 */
static int
priv_filter_replace(scmp_filter_ctx ctx)
{
	static const char *const calls[] = { "rename", "renameat",
	    "renameat2", "unlink", "unlinkat", NULL };

	if (priv_allow(ctx, calls) != 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(fcntl), 1,
	    SCMP_A1(SCMP_CMP_EQ, F_GETFL)) != 0)	/* fdopen(3) */
		return -1;
	return priv_allow_open(ctx, O_WRONLY | O_CREAT | O_TRUNC);
}

/*
 * --metrics: the HTTP server's socket, opened before the filter, takes
 * connections and answers them (libmicrohttpd run from the event loop:
 * no thread, no new listening socket).
 */
static int
priv_filter_serve(scmp_filter_ctx ctx)
{
	static const char *const calls[] = { "accept", "accept4", "sendto",
	    "sendmsg", "shutdown", "setsockopt", "getsockname", "getpeername",
	    "fcntl", NULL };

	return priv_allow(ctx, calls);
}

/* --json-file: reopened on SIGHUP (fopen "a"). */
static int
priv_filter_append(scmp_filter_ctx ctx)
{
	return priv_allow_open(ctx, O_WRONLY | O_CREAT | O_APPEND);
}

/*
 * --syslog: syslog(3) sends on the socket openlog() connected, and makes
 * a new local socket when the log daemon went away.
 */
static int
priv_filter_syslog(scmp_filter_ctx ctx)
{
	static const char *const calls[] = { "sendto", "connect", NULL };

	if (priv_allow(ctx, calls) != 0)
		return -1;
	return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1,
	    SCMP_A0(SCMP_CMP_EQ, AF_UNIX));
}

/* Build and load the filter: anything not listed kills the process. */
static int
priv_filter_load(int live, int flags, char **cause)
{
	scmp_filter_ctx	 ctx;

	if ((ctx = seccomp_init(PRIV_DEFAULT_ACTION)) == NULL) {
		*cause = xstrdup("sandbox: seccomp_init failed (run with "
		    "--no-sandbox)");
		return -1;
	}
	if (priv_filter_rules(ctx) != 0 || (live && priv_filter_live(ctx) !=
	    0) || ((flags & PRIV_SB_CREATE) && priv_filter_create(ctx) != 0) ||
	    ((flags & PRIV_SB_REPLACE) && priv_filter_replace(ctx) != 0) ||
	    ((flags & PRIV_SB_SERVE) && priv_filter_serve(ctx) != 0) ||
	    ((flags & PRIV_SB_APPEND) && priv_filter_append(ctx) != 0) ||
	    ((flags & PRIV_SB_SYSLOG) && priv_filter_syslog(ctx) != 0) ||
	    seccomp_load(ctx) != 0) {
		*cause = xstrdup("sandbox: the seccomp filter could not be "
		    "loaded (run with --no-sandbox)");
		seccomp_release(ctx);
		return -1;
	}
	seccomp_release(ctx);
	return 0;
}
#endif

/* No new privileges, then the seccomp filter.  See priv.h. */
int
priv_sandbox(int live, int flags, char **cause)
{
#ifdef __linux__
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		*cause = priv_cause("sandbox: no_new_privs", NULL,
		    strerror(errno));
		return -1;
	}
#endif
#ifdef HAVE_SECCOMP
	return priv_filter_load(live, flags, cause);
#else
	(void)live;
	(void)flags;
	(void)cause;
	return 0;
#endif
}
