/* termcheck.c -- is TERM known?  See termcheck.h. */
#include "ui/curses_compat.h"
#include <term.h>

#include "ui/termcheck.h"

/* Set up the terminal description quietly, then free it again. */
int
termcheck_known(int fd)
{
	int	 err = 0;

	if (setupterm(NULL, fd, &err) != OK)
		return 0;
	del_curterm(cur_term);
	return 1;
}
