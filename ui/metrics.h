/*
 * metrics.h -- the engine's counters in the Prometheus text format.
 *
 * metrics_write() prints one exposition (text format 0.0.4) of an engine's
 * state: packets, messages, queries by role, responses by rcode class,
 * pairing outcomes, capture losses by reason, table evictions by table,
 * lookups, and the findings active by kind and severity.  Every label is
 * from a fixed set (kind, severity, role, table, reason, rcode): never a
 * name or an address, so the number of series is bounded whatever the
 * traffic.
 *
 * What capture knows (drops, packets skipped by reason) is handed in by
 * main.c as struct metrics_capture; ui/ never reaches into capture/.
 *
 * The serving side: metrics_file_write() replaces a file atomically (for
 * node_exporter's textfile collector), and metrics_http_*() answer
 * GET /metrics with libmicrohttpd, run from the caller's own event loop
 * (no thread: the engine is read between packets, never under them).
 */
#ifndef GLUETOP_METRICS_H
#define GLUETOP_METRICS_H

#include <poll.h>
#include <stdint.h>
#include <stdio.h>

struct engine;

#define METRICS_REASONS_MAX	32

struct metrics_capture {
	uint64_t	 pcap_drop;	/* pcap_stats: dropped by the kernel */
	uint64_t	 if_drop;	/* dropped by the interface */
	unsigned	 nreasons;
	const char	*reason[METRICS_REASONS_MAX];	/* static names */
	uint64_t	 skipped[METRICS_REASONS_MAX];
};

/* Fills in what capture knows, at the time of a scrape or a write. */
typedef void	(*metrics_capture_fn)(void *, struct metrics_capture *);

struct metrics_src {
	struct engine		*eng;
	metrics_capture_fn	 capture;
	void			*arg;
	const char		*host;	/* the sensor's name (a const label) */
};

void	metrics_write(FILE *, const struct metrics_src *);

/* Write the exposition to path.tmp, then rename it over path; -1 with
 * errno set when that fails. */
int	metrics_file_write(const char *path, const struct metrics_src *);

struct metrics_http;

/*
 * Listen on addr ("" or NULL: every address) and port; NULL with a
 * one-line *cause when the port cannot be had or libmicrohttpd is
 * missing.
 */
struct metrics_http *metrics_http_start(const char *addr, unsigned port,
		    const struct metrics_src *, char **cause);
/* Its descriptors to poll (at most max; returns how many). */
int	metrics_http_fds(struct metrics_http *, struct pollfd *, int max);
/* Answer what is ready; never blocks. */
void	metrics_http_run(struct metrics_http *);
void	metrics_http_stop(struct metrics_http *);

#endif
