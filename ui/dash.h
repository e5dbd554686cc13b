/*
 * dash.h -- the ncurses dashboard (the only place curses is used).
 *
 * The dashboard is one consumer of main's event loop.  dash_open() starts
 * curses ahead of everything, so that the caller learns once, before any
 * output exists, whether the dashboard can run: it needs a terminal on
 * standard input and output and a TERM curses knows.  dash_start() makes
 * the dashboard's state; main then calls dash_step() on every turn of its
 * loop (after reading a batch of packets, and whenever standard input is
 * readable): it applies the pending keys and redraws from the engine's
 * state at most a few times a second when engine_generation() moves, or
 * at once on a key or resize (STYLE.md rule 9).  dash_wait_ms() says how
 * long main may sleep before the next redraw is due.  Files stay on screen
 * at their end until q.  dash_end() (or dash_restore() from the fatal hook
 * and the signal path) gives the terminal back (rule 25).
 */
#ifndef GLUETOP_DASH_H
#define GLUETOP_DASH_H

#include <stdint.h>

struct engine;


struct dash_info {
	const char	*sources;	/* "eth0" or "a.pcap, b.pcap" */
	const char	*filter;
	int		 live;
	double		 speed;		/* 0: as fast as possible */
	const char	*host;		/* the sensor's name, for exports */
};

struct dash;

/* Start curses; -1 (the terminal untouched) when it cannot start. */
int		 dash_open(void);
/* The dashboard over an engine (opening curses if need be), or NULL. */
struct dash	*dash_start(struct engine *, const struct dash_info *);
/* Keys, then a redraw when due; eof: the input has ended.  1 to quit. */
int		 dash_step(struct dash *, int eof);
int		 dash_wait_ms(const struct dash *);
void		 dash_end(struct dash *);
void		 dash_restore(void);

#endif
