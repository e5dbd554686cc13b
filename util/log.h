/*
 * log.h -- messages on stderr and the fatal path.
 *
 * warnx() prints one line "gluetop: ..." on stderr.  fatal() does the same and
 * exits with status 2 after running the hook set with log_set_fatal_hook(), so
 * the dashboard can restore the terminal first (STYLE.md rule 25).  fatal() is
 * for bugs and exhausted memory, never for bad packets.
 */
#ifndef GLUETOP_LOG_H
#define GLUETOP_LOG_H

#define LOG_EXIT_USAGE	2	/* exit status for usage and input errors */

void	log_set_fatal_hook(void (*)(void));
void	warnx_(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#define warnx warnx_

#endif
