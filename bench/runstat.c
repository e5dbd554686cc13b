/*
 * runstat.c -- run a command and report what it cost: CPU seconds in user
 * and kernel mode with microsecond resolution, peak resident set and exit
 * status.  bench/bench.sh uses it because /usr/bin/time rounds to 10 ms,
 * too coarse for the fast floor, and a helper forked from a big interpreter
 * would lend the child its own resident set (the kernel keeps the peak of
 * the address space replaced at exec).  Not part of gluetop.
 *
 * Usage: runstat [-t seconds] [-e errfile] command [argument ...]
 * The command's stdout goes to /dev/null, its stderr to errfile (default
 * /dev/null).  Prints "USER SYS MAXRSS_KIB STATUS"; STATUS is the exit
 * code, "signal N", or "timeout" when it was killed after -t seconds.
 */
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static volatile sig_atomic_t	runstat_expired;
static pid_t			runstat_child;

static void	runstat_alarm(int);
static void	runstat_exec(char **, const char *);
static void	runstat_print(int, const struct rusage *);

/* Kill the command when its time is up. */
static void
runstat_alarm(int sig)
{
	(void)sig;
	runstat_expired = 1;
	kill(runstat_child, SIGKILL);
}

/* In the child: point stdout and stderr away and run the command. */
static void
runstat_exec(char **argv, const char *errpath)
{
	int	out, err;

	out = open("/dev/null", O_WRONLY);
	err = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out == -1 || err == -1 || dup2(out, 1) == -1 || dup2(err, 2) == -1)
		_exit(126);
	execvp(argv[0], argv);
	_exit(127);
}

/* Print the usage line for a reaped command. */
static void
runstat_print(int status, const struct rusage *ru)
{
	printf("%ld.%06ld %ld.%06ld %ld ", (long)ru->ru_utime.tv_sec,
	    (long)ru->ru_utime.tv_usec, (long)ru->ru_stime.tv_sec,
	    (long)ru->ru_stime.tv_usec, ru->ru_maxrss);
	if (runstat_expired)
		printf("timeout\n");
	else if (WIFSIGNALED(status))
		printf("signal %d\n", WTERMSIG(status));
	else
		printf("%d\n", WEXITSTATUS(status));
}

/* Run the command line and report its cost. */
int
main(int argc, char **argv)
{
	struct rusage	 ru;
	const char	*errpath = "/dev/null";
	unsigned	 limit = 0;
	int		 ch, status;

	while ((ch = getopt(argc, argv, "+e:t:")) != -1) {
		if (ch == 'e')
			errpath = optarg;
		else if (ch == 't')
			limit = (unsigned)strtoul(optarg, NULL, 10);
		else
			goto usage;
	}
	if (optind >= argc)
		goto usage;
	if ((runstat_child = fork()) == -1) {
		perror("runstat: fork");
		return 2;
	}
	if (runstat_child == 0)
		runstat_exec(argv + optind, errpath);
	signal(SIGALRM, runstat_alarm);
	alarm(limit);
	while (wait4(runstat_child, &status, 0, &ru) == -1) {
		if (errno != EINTR) {	/* EINTR: the alarm went off */
			perror("runstat: wait4");
			return 2;
		}
	}
	runstat_print(status, &ru);
	return 0;
usage:
	fprintf(stderr,
	    "usage: runstat [-t seconds] [-e errfile] command ...\n");
	return 2;
}
