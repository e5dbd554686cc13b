/*
 * output.c -- the batch output object: when to print what.
 *
 * The objects themselves are written by json.c (JSON lines) and report.c
 * (the text report); this file keeps the stream, the mode and the engine
 * generation up to which findings were streamed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine/engine.h"
#include "ui/json.h"
#include "ui/output.h"
#include "util/xmalloc.h"

struct output {
	enum output_kind	 kind;
	FILE			*fp;
	struct engine		*eng;
	struct output_info	 info;
	int			 chains;	/* --chains */
	uint64_t		 gen;		/* streamed up to here */
	uint32_t		 max_id;	/* streamed: the newest id printed */
};

static int	output_id_cmp(const void *, const void *);
static void	output_changes(struct output *);
static void	output_chains(struct output *);
static void	output_cited(struct output *);

/* An output of the given kind on fp over e; info is copied, not its text. */
struct output *
output_create(enum output_kind kind, FILE *fp, struct engine *e,
    const struct output_info *info, int chains)
{
	struct output	*o = xcalloc(1, sizeof(*o));

	o->kind = kind;
	o->fp = fp;
	o->eng = e;
	o->info = *info;
	o->chains = chains;
	return o;
}

/*
 * JSON, live or --stream: stream the findings that changed since the last
 * call.  A file is otherwise not streamed: each finding is printed once,
 * in its final state, when the input ends (output_finish), rather than
 * once per change.
 */
void
output_batch(struct output *o)
{
	if (o->info.live || o->info.stream)
		output_changes(o);
}

/*
 * A streamed finding's lines: "new" the first time, "update" after; a
 * finding cleared since is then "cleared" (after its "new" when it came
 * and went between two calls).
 */
static void
output_streamed(const struct output *o, const struct eng_finding *f)
{
	if (f->id > o->max_id)
		json_write_finding(o->fp, o->info.host, f, "new");
	if (f->cleared || f->id <= o->max_id)
		json_write_finding(o->fp, o->info.host, f, f->cleared ?
		    "cleared" : "update");
}

/*
 * Print the findings that changed since the last print: the root causes
 * first, then the rest (DETECTIONS.md R2.2), each in the order they
 * changed.
 */
static void
output_changes(struct output *o)
{
	const struct eng_finding	**f;
	uint64_t			 gen;
	size_t				 n, i;
	int				 root, streamed;

	if (o->kind != OUTPUT_JSON || o->eng == NULL)
		return;
	gen = engine_generation(o->eng);
	if (gen == o->gen)
		return;
	n = engine_changed(o->eng, o->gen, &f);
	streamed = o->info.live || o->info.stream;
	/*
	 * Ids only grow, and every finding made since the last call is in
	 * the changes: one above the newest printed before is new.
	 */
	for (root = 1; root >= 0; root--)
		for (i = 0; i < n; i++) {
			if (engine_finding_is_root(f[i]) != root)
				continue;
			if (streamed)
				output_streamed(o, f[i]);
			else
				json_write_finding(o->fp, o->info.host, f[i],
				    NULL);
		}
	for (i = 0; i < n; i++)
		if (f[i]->id > o->max_id)
			o->max_id = f[i]->id;
	o->gen = gen;
	if (n > 0)
		fflush(o->fp);
}

/* SIGHUP/SIGUSR1: the report so far (JSON: the changes, then a summary). */
void
output_report_now(struct output *o)
{
	if (o->eng == NULL)
		return;
	if (o->kind == OUTPUT_JSON) {
		output_changes(o);
		json_write_summary(o->fp, o->eng, &o->info);
	} else
		report_print(o->fp, o->eng, &o->info);
	fflush(o->fp);
}

/* Lookups in id order, so that chains print in the order they began. */
static int
output_id_cmp(const void *a, const void *b)
{
	const struct eng_lookup *x = *(const struct eng_lookup *const *)a;
	const struct eng_lookup *y = *(const struct eng_lookup *const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* Every lookup the engine still keeps, as chain objects. */
static void
output_chains(struct output *o)
{
	const struct eng_lookup	**all, **l;
	size_t			 n, i;

	n = engine_lookups(o->eng, &all);
	if (n == 0)
		return;
	/* Sort a copy: the engine's array is its own. */
	l = xreallocarray(NULL, n, sizeof(*l));
	for (i = 0; i < n; i++)
		l[i] = all[i];
	qsort(l, n, sizeof(*l), output_id_cmp);
	for (i = 0; i < n; i++)
		json_write_chain(o->fp, o->info.host, l[i]);
	free(l);
}

/* -v: the chains the findings cite (--chains prints all of them). */
static void
output_cited(struct output *o)
{
	const struct eng_finding	**f;
	const struct eng_lookup		**l, *one;
	size_t				  n, i, k = 0, m;
	unsigned			  j;

	n = engine_findings(o->eng, &f);
	l = xreallocarray(NULL, 4 * n + 1, sizeof(*l));
	for (i = 0; i < n; i++)
		for (j = 0; j < f[i]->nchains && j < 4; j++)
			if ((one = engine_lookup(o->eng, f[i]->chains[j])) !=
			    NULL)
				l[k++] = one;
	qsort(l, k, sizeof(*l), output_id_cmp);
	for (i = 0, m = 0; i < k; i++)
		if (i == 0 || l[i] != l[m - 1])
			l[m++] = l[i];
	for (i = 0; i < m; i++)
		json_write_chain(o->fp, o->info.host, l[i]);
	free(l);
}

/* Each of a zone (server) view as an object, for engine_each_*(). */
static void
output_zone(void *arg, const struct eng_zone_view *z)
{
	struct output	*o = arg;

	json_write_zone(o->fp, o->info.host, z);
}

static void
output_server(void *arg, const struct eng_server_view *s)
{
	struct output	*o = arg;

	json_write_server(o->fp, o->info.host, s);
}

/* --stats-interval: the summary so far, streamed. */
void
output_stats(struct output *o)
{
	if (o->kind != OUTPUT_JSON || o->eng == NULL)
		return;
	output_changes(o);
	json_write_summary(o->fp, o->eng, &o->info);
	fflush(o->fp);
}

/* Print what remains; 1 when a finding at or above fail_on exists. */
int
output_finish(struct output *o, int fail_on)
{
	const struct eng_finding	**f;
	size_t				 n, i;
	int				 hit = 0;

	if (o->eng == NULL)
		return 0;
	if (o->kind == OUTPUT_JSON) {
		output_changes(o);
		if (o->chains)
			output_chains(o);
		else if (o->info.verbose)
			output_cited(o);
		/* A batch ends with the map and the servers, as the report. */
		if (!o->info.live && !o->info.stream) {
			engine_each_zone(o->eng, output_zone, o);
			engine_each_server(o->eng, output_server, o);
		}
		json_write_summary(o->fp, o->eng, &o->info);
	} else
		report_print(o->fp, o->eng, &o->info);
	fflush(o->fp);
	n = engine_findings(o->eng, &f);
	for (i = 0; i < n && fail_on >= 0; i++)
		if ((int)f[i]->sev <= fail_on)
			hit = 1;
	return hit;
}

/* Write to fp from now on (--json-file reopened on SIGHUP). */
void
output_set_stream(struct output *o, FILE *fp)
{
	o->fp = fp;
}

/* Free the output; the stream and the engine stay the caller's. */
void
output_destroy(struct output *o)
{
	free(o);
}
