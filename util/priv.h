/*
 * priv.h -- give up root once every capture is open.
 *
 * gluetop parses hostile packets, often as root.  Like tcpdump, it opens its
 * capture sources first and then becomes an unprivileged user: the one named
 * with -Z, or "nobody" by default.  "-Z root" keeps root on purpose.  When
 * not running as root, nothing happens.
 */
#ifndef GLUETOP_PRIV_H
#define GLUETOP_PRIV_H

#define PRIV_DEFAULT_USER	"nobody"

/* Drop to user (NULL: the default): 1 done, 0 nothing to drop, -1 with
 * *cause set on failure. */
int	priv_drop(const char *user, int live, char **cause);

#endif
