/*
 * view_loops.c -- the Loops view: circular delegations drawn as rings and
 * query loops first, then the most repeated questions (TsuNAME-style loops
 * show up there).  Enter on a cycle or loop opens its detail; on a repeated
 * question it shows the Lookups view filtered to that name.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "decode/dname.h"
#include "decode/dnstab.h"
#include "ui/curses_compat.h"
#include "ui/dash_int.h"
#include "util/addr.h"

#define REPEAT_WARN	10	/* the k_rep tunable's default */

static size_t	load(struct dash *);
static void	draw(struct dash *, int, int);
static int	open_row(struct dash *);
static void	draw_row(struct dash *, int, const struct loop_row *, int);

const struct dash_view view_loops = {
	"Loops", 'L', "circular delegations as rings, most repeated questions",
	NULL, load, draw, NULL, open_row
};

/* The rows: cycles and loops (findings), then repeats, all filtered. */
static size_t
load(struct dash *d)
{
	const struct eng_finding	**f;
	struct loop_row			 *lr = d->looprows;
	char				  subj[600], q[DNS_NAME_STRMAX];
	size_t				  n, i, nr, k = 0;

	n = engine_findings(d->eng, &f);
	for (i = 0; i < n && k < DASH_LOOPS_MAX - DASH_REPEATS_MAX; i++)
		if ((f[i]->kind == ENG_K_CIRCULAR_DELEGATION ||
		    f[i]->kind == ENG_K_QUERY_LOOP) && dash_match(d,
		    dash_finding_subject(f[i], subj, sizeof(subj)))) {
			lr[k].f = f[i];
			lr[k++].r = NULL;
		}
	nr = engine_repeats(d->eng, d->reps, DASH_REPEATS_MAX);
	for (i = 0; i < nr; i++)
		if (dash_match(d, fmt_name(d->reps[i].qname, q, sizeof(q)))) {
			lr[k].f = NULL;
			lr[k++].r = &d->reps[i];
		}
	return k;
}

/* One row: a finding with its severity, or a repeated question. */
static void
draw_row(struct dash *d, int y, const struct loop_row *lr, int sel)
{
	const struct eng_repeat_view	*r = lr->r;
	char				 subj[600], a[ADDR_STRLEN], t[16];
	char				 q[DNS_NAME_STRMAX];
	int				 attr, x;

	attr = sel ? dash_attr(d, UIC_SELECTED) : (int)A_NORMAL;
	if (lr->f != NULL) {
		dash_line(y, 0, COLS, attr, "%s", "");
		x = dash_vseg(d, y, 0, attr, " ");
		x = dash_vseg(d, y, x, sel ? attr : dash_sev_attr(d,
		    lr->f->sev), "%-8s", engine_sev_name(lr->f->sev));
		dash_vseg(d, y, x, attr, " %-20s %7" PRIu64 "  %s%s",
		    engine_kind_name(lr->f->kind), lr->f->count,
		    dash_finding_subject(lr->f, subj, sizeof(subj)),
		    strcmp(dash_field(lr->f, ENG_F_PARTIAL), "true") == 0 ?
		    "  (partial)" : "");
		return;
	}
	if (!sel && r->count >= REPEAT_WARN)
		attr = dash_attr(d, UIC_WARN);
	dash_row(d, y, attr, " %-8s repeated %-11s %7" PRIu64
	    "  %s  from %s, %" PRIu64 " in the window", "",
	    dns_type_str(r->qtype, t, sizeof(t)), r->total,
	    fmt_name(r->qname, q, sizeof(q)),
	    addr_str(r->family, r->resolver, a, sizeof(a)), r->count);
}

/* Draw the list. */
static void
draw(struct dash *d, int y0, int rows)
{
	struct dash_list	*l = &d->list[VIEW_LOOPS];
	int			 r, i;

	dash_title(d, y0, " %-8s %-20s %7s  %s", "SEVERITY", "LOOP", "COUNT",
	    "CYCLE, OR REPEATED QUESTION");
	for (r = 1; r < rows; r++) {
		if ((i = l->top + r - 1) >= l->n) {
			dash_blank(y0, r, rows, l->n ? NULL :
			    "  no cycles, loops or repeated questions seen");
			break;
		}
		draw_row(d, y0 + r, &d->looprows[i], i == l->sel);
	}
}

/* Enter: a finding's detail, or the lookups that repeated a question. */
static int
open_row(struct dash *d)
{
	const struct loop_row	*lr = &d->looprows[d->list[VIEW_LOOPS].sel];

	if (lr->f != NULL) {
		d->detail_kind = DETAIL_FINDING;
		d->detail_id = lr->f->id;
		return 1;
	}
	fmt_name(lr->r->qname, d->filter, sizeof(d->filter));
	d->list[VIEW_LOOKUPS].sel = d->list[VIEW_LOOKUPS].top = 0;
	d->view = VIEW_LOOKUPS;
	return 0;
}
