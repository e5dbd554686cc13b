/* priv.c -- drop root after opening captures, as tcpdump -Z does. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/priv.h"
#include "util/xmalloc.h"

/* Format a one-line cause. */
static char *
priv_cause(const char *user, const char *what)
{
	char	 buf[256];

	snprintf(buf, sizeof(buf), "-Z %s: %s", user, what);
	return xstrdup(buf);
}

/* Become user, group list included; verify root cannot be regained. */
int
priv_drop(const char *user, int live, char **cause)
{
	struct passwd	*pw;

	(void)live;
	if (geteuid() != 0)
		return 0;
	if (user == NULL)
		user = PRIV_DEFAULT_USER;
	if (strcmp(user, "root") == 0)
		return 0;
	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		*cause = priv_cause(user, "no such user (name another with -Z,"
		    " or -Z root to keep root)");
		return -1;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) != 0 ||
	    setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0) {
		*cause = priv_cause(user, strerror(errno));
		return -1;
	}
	if (pw->pw_uid != 0 && setuid(0) == 0) {
		*cause = priv_cause(user, "root could be regained");
		return -1;
	}
	return 1;
}
