/* log.c -- one-line messages on stderr and the fatal exit. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/log.h"

static void	(*fatal_hook)(void);

/* Set the function fatal() calls before printing (terminal restore). */
void
log_set_fatal_hook(void (*hook)(void))
{
	fatal_hook = hook;
}

/* Print "gluetop: message" on stderr. */
void
warnx_(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	fputs("gluetop: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* Print a message and exit with the usage/input error status. */
void
fatal(const char *fmt, ...)
{
	va_list	 ap;

	if (fatal_hook != NULL)
		fatal_hook();
	va_start(ap, fmt);
	fputs("gluetop: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(LOG_EXIT_USAGE);
}
