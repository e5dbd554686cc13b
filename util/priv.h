/*
 * priv.h -- give up root once every capture is open.
 *
 * gluetop parses hostile packets, often as root.  Like tcpdump, it opens its
 * capture sources first and then priv_drop() makes it an unprivileged user:
 * the one named with -Z, or "nobody" by default ("-Z root" keeps root on
 * purpose).  It also empties every capability set, which matters for a
 * non-root binary given CAP_NET_RAW with setcap(8).
 *
 * Once every file and the terminal are open, priv_sandbox() sets
 * no_new_privs and, on Linux with libseccomp, loads a filter that allows
 * only the system calls of the steady state (reading packets, writing
 * output, curses, memory, time, signals, exit) and kills the process on
 * any other: no open (except, for the dashboard's export, creating a new
 * file), no exec, no socket.
 */
#ifndef GLUETOP_PRIV_H
#define GLUETOP_PRIV_H

#define PRIV_DEFAULT_USER	"nobody"

/* Drop to user (NULL: the default): 1 done, 0 nothing to drop, -1 with
 * *cause set on failure. */
int	priv_drop(const char *user, int live, char **cause);

/* What the filter allows beyond the steady state (priv_sandbox flags). */
#define PRIV_SB_CREATE	0x1	/* new files created, never truncated */
#define PRIV_SB_REPLACE	0x2	/* a file rewritten and renamed into place */
#define PRIV_SB_SERVE	0x4	/* connections taken on a listening socket */
#define PRIV_SB_APPEND	0x8	/* a file reopened for appending (SIGHUP) */
#define PRIV_SB_SYSLOG	0x10	/* syslog(3), reconnecting when it must */

/* no_new_privs and the seccomp filter (live: what live capture needs too;
 * flags: PRIV_SB_*); -1 with *cause on failure. */
int	priv_sandbox(int live, int flags, char **cause);

#endif
