/*
 * dash.h -- the ncurses dashboard (the only place curses is used).
 *
 * dash_run() owns the terminal and the event loop while the dashboard is
 * shown: it polls the keyboard and the capture's selectable descriptor,
 * asks main for bounded batches of packets through struct dash_feed (STYLE.md
 * rule 40), and redraws from the engine's state at most a few times a second
 * when engine_generation() moves, or on a key or resize (rule 9).
 * dash_open() starts curses ahead of dash_run(), so that the caller can
 * learn once, before any output exists, whether the dashboard can run: it
 * needs a terminal on standard input and output and a TERM curses knows.  Offline
 * files play through (at capture pace times speed when speed > 0) and stay on
 * screen at the end until q.  dash_restore() ends curses; the normal exit,
 * the fatal hook and the signal path all call it (rule 25).
 */
#ifndef GLUETOP_DASH_H
#define GLUETOP_DASH_H

#include <signal.h>
#include <stdint.h>

struct engine;

struct dash_feed {
	void	*arg;
	/* Read at most max packets: >0 read, 0 none ready, -1 input ended. */
	int	(*read)(void *arg, int max);
	/* A descriptor to poll for packets, or -1 (files). */
	int	(*fd)(void *arg);
	/* Capture health for the header (pcap_stats drops etc.). */
	void	(*health)(void *arg);
	volatile sig_atomic_t *stop;	/* set by SIGINT/SIGTERM */
};

struct dash_info {
	const char	*sources;	/* "eth0" or "a.pcap, b.pcap" */
	const char	*filter;
	int		 live;
	double		 speed;		/* 0: as fast as possible */
};

/* Start curses; -1 (the terminal untouched) when it cannot start. */
int	dash_open(void);
/* Run until q or *stop (opening curses if dash_open() was not called);
 * returns 0, or -1 with no terminal. */
int	dash_run(struct engine *, const struct dash_info *,
	    const struct dash_feed *);
void	dash_restore(void);

#endif
