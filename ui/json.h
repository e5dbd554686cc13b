/*
 * json.h -- the objects of gluetop's JSON lines output (--json).
 *
 * Each json_write_*() function prints one complete object of one line on a
 * stream: a finding, a chain (a rebuilt lookup with its steps) or the run's
 * summary.  They only read the engine state they are given; the caller owns
 * the stream and decides when to flush.  Strings are escaped for any byte
 * (RFC 8259 §7): quotes, backslashes and control characters are escaped,
 * valid UTF-8 passes through and any other byte becomes \u00XX, so the
 * output is always valid JSON in UTF-8.  No JSON library is used.
 *
 * This header is private to ui/: main.c reaches these objects through
 * output.h.
 */
#ifndef GLUETOP_JSON_H
#define GLUETOP_JSON_H

#include <stdint.h>
#include <stdio.h>

struct engine;
struct eng_finding;
struct eng_lookup;
struct eng_server_view;
struct eng_zone_view;
struct output_info;

/* The version of the objects' shape, in each object's "schema". */
#define JSON_SCHEMA	1

void	json_put_str(FILE *, const char *);
void	json_put_time(FILE *, uint64_t ns);
/* event: NULL in batch output, else "new", "update" or "cleared". */
void	json_write_finding(FILE *, const char *host,
	    const struct eng_finding *, const char *event);
void	json_write_chain(FILE *, const char *host, const struct eng_lookup *);
void	json_write_zone(FILE *, const char *host,
	    const struct eng_zone_view *);
void	json_write_server(FILE *, const char *host,
	    const struct eng_server_view *);
void	json_write_summary(FILE *, struct engine *,
	    const struct output_info *);

#endif
