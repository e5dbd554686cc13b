/*
 * tunables.c -- the one table of the engine's caps and thresholds: name,
 * default, range, unit and help.  --set, the engine's defaults and the
 * manual's THRESHOLDS section all come from it (a test checks the manual).
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"

#define CAP(m, d, h) { #m, offsetof(struct engine_conf, m),		\
	sizeof(((struct engine_conf *)0)->m), ENG_TU_COUNT, d, 1,	\
	1u << 24, h }
#define SECS(m, n, d, lo, hi, h) { n, offsetof(struct engine_conf, m),	\
	sizeof(((struct engine_conf *)0)->m), ENG_TU_SECONDS, d, lo, hi, h }
#define NUM(m, d, lo, hi, h) { #m, offsetof(struct engine_conf, m),	\
	sizeof(((struct engine_conf *)0)->m), ENG_TU_COUNT, d, lo, hi, h }

/* Times are kept in milliseconds here, nanoseconds in engine_conf. */
static const struct eng_tunable tunables[] = {
	SECS(t_resp_ns, "t_resp", 5000, 10, 3600000,
	    "a query without response is a timeout after this"),
	SECS(t_tcp_ns, "t_tcp", 3000, 10, 3600000,
	    "time for a TCP retry after TC=1"),
	SECS(w_lookup_ns, "w_lookup", 10000, 10, 3600000,
	    "a lookup idle this long ends"),
	SECS(w_rep_ns, "w_rep", 60000, 1000, 86400000,
	    "window in which repeated queries are counted"),
	NUM(k_rep, 10, 2, 1000000,
	    "a question asked this often in w_rep, though answered, is a loop"),
	SECS(w_srv_ns, "w_srv", 60000, 1000, 86400000,
	    "window in which a server's timeouts are counted"),
	NUM(srv_min_queries, 5, 1, 1000000,
	    "queries a server must have been sent to be called unresponsive"),
	SECS(w_clear_ns, "w_clear", 600000, 1000, 86400000,
	    "a finding not seen again for this long is cleared (live JSON)"),
	SECS(t_jump_ns, "t_jump", 3600000, 1000, 864000000,
	    "packet time moving more than this is a gap, not time passing"),
	CAP(max_pending, 65536, "queries waiting for a response"),
	CAP(max_lookups, 8192, "lookups kept, running and finished"),
	CAP(max_zones, 16384, "zones in the delegation map"),
	CAP(max_names, 32768, "NS names with their addresses"),
	CAP(max_servers, 16384, "addresses seen as DNS servers or resolvers"),
	CAP(max_findings, 4096, "findings kept"),
	CAP(max_repeats, 65536,
	    "questions asked again counted for repeats (as many asked once kept)"),
};

#define NTUNABLES	(sizeof(tunables) / sizeof(tunables[0]))

/* The table. */
const struct eng_tunable *
engine_tunables(size_t *n)
{
	*n = NTUNABLES;
	return tunables;
}

/* Store v (count, or nanoseconds) in the member t describes. */
static void
tunable_store(struct engine_conf *c, const struct eng_tunable *t, uint64_t v)
{
	char	*p = (char *)c + t->off;

	if (t->size == sizeof(size_t)) {
		size_t	 s = (size_t)v;

		memcpy(p, &s, sizeof(s));
	} else
		memcpy(p, &v, sizeof(v));
}

/* Set a tunable from text; -1 with a reason naming the range. */
int
engine_conf_set(struct engine_conf *c, const char *name, const char *value,
    char *err, size_t errlen)
{
	const struct eng_tunable *t = NULL;
	double		 v, lo, hi, scale;
	char		*end;
	size_t		 i;

	for (i = 0; i < NTUNABLES; i++)
		if (strcmp(tunables[i].name, name) == 0)
			t = &tunables[i];
	if (t == NULL) {
		snprintf(err, errlen, "unknown name (see gluetop(8), "
		    "THRESHOLDS)");
		return -1;
	}
	scale = t->unit == ENG_TU_SECONDS ? 1000.0 : 1.0;
	lo = (double)t->min / scale;
	hi = (double)t->max / scale;
	errno = 0;
	v = strtod(value, &end);
	if (end == value || *end != '\0' || errno != 0 || !isfinite(v) ||
	    v < lo || v > hi || (t->unit == ENG_TU_COUNT && v != (double)(uint64_t)v)) {
		snprintf(err, errlen, "expected %s from %.10g to %.10g", t->unit ==
		    ENG_TU_SECONDS ? "seconds" : "a whole number", lo, hi);
		return -1;
	}
	tunable_store(c, t, t->unit == ENG_TU_SECONDS ?
	    (uint64_t)(v * 1e9 + 0.5) : (uint64_t)v);
	return 0;
}

/* Fill every member left 0 with its default. */
void
tunables_defaults(struct engine_conf *c)
{
	uint64_t	 v;
	size_t		 s, i;
	char		*p;

	for (i = 0; i < NTUNABLES; i++) {
		p = (char *)c + tunables[i].off;
		if (tunables[i].size == sizeof(size_t)) {
			memcpy(&s, p, sizeof(s));
			v = s;
		} else
			memcpy(&v, p, sizeof(v));
		if (v != 0)
			continue;
		v = tunables[i].def;
		if (tunables[i].unit == ENG_TU_SECONDS)
			v *= 1000000;	/* ms to ns */
		tunable_store(c, &tunables[i], v);
	}
}
