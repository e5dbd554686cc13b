/*
 * output.h -- the batch outputs: JSON lines and the text report.
 *
 * Both are views of the engine's state (STYLE.md rule 42), like the
 * dashboard.  An output is created over an engine and a stream; main calls
 * output_batch() after every batch of packets (JSON streams the findings that
 * changed since the last call), output_report_now() on SIGHUP/SIGUSR1, and
 * output_finish() at the end, which prints what remains (JSON: changed
 * findings, chains with --chains, the summary line; report: the whole
 * report).  output_finish() returns 1 when a finding at or above fail_on
 * (an enum eng_sev, or -1 for none) exists, else 0.
 *
 * report_print() writes the text report of an engine on any stream; the
 * dashboard's --report-on-exit uses it too.
 */
#ifndef GLUETOP_OUTPUT_H
#define GLUETOP_OUTPUT_H

#include <stdio.h>

struct engine;
struct output;

enum output_kind {
	OUTPUT_JSON = 0,
	OUTPUT_REPORT,
};

/* What the outputs say of the run itself (sources, filter). */
struct output_info {
	const char	*sources;	/* "dns.pcap, b.pcap" or "eth0" */
	const char	*filter;
	int		 live;
	int		 verbose;	/* -v: report every chain, root hints
					 * one by one; JSON the cited chains */
	const char	*zone;		/* --zone as given, or NULL */
	const char	*host;		/* the sensor's name in every object */
	int		 stream;	/* --stream: JSON as it changes, also
					 * from files */
};

struct output	*output_create(enum output_kind, FILE *, struct engine *,
		    const struct output_info *, int chains);
void		 output_batch(struct output *);
void		 output_report_now(struct output *);
/* --stats-interval: a summary line now (JSON only). */
void		 output_stats(struct output *);
int		 output_finish(struct output *, int fail_on);
void		 output_set_stream(struct output *, FILE *);
void		 output_destroy(struct output *);

void		 report_print(FILE *, struct engine *,
		    const struct output_info *);

#endif
