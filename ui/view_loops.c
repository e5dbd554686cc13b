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

#define REPEATS_MAX	256
#define LOOP_ROWS_MAX	(REPEATS_MAX + 256)
#define REPEAT_WARN	10	/* DETECTIONS.md K_rep */

struct loop_row {
	const struct eng_finding	*f;	/* or NULL: a repeat */
	const struct eng_repeat_view	*r;
};

static size_t	load(struct dash *);
static void	draw_row(struct dash *, int, const struct loop_row *, int);

static struct eng_repeat_view	rp[REPEATS_MAX];
static struct loop_row		lrows[LOOP_ROWS_MAX];

/* The rows: cycles and loops (findings), then repeats, all filtered. */
static size_t
load(struct dash *d)
{
	const struct eng_finding	**f;
	char				  subj[600], q[DNS_NAME_STRMAX];
	size_t				  n, i, nr, k = 0;

	n = engine_findings(d->eng, &f);
	for (i = 0; i < n && k < LOOP_ROWS_MAX - REPEATS_MAX; i++)
		if ((f[i]->kind == ENG_K_CIRCULAR_DELEGATION ||
		    f[i]->kind == ENG_K_QUERY_LOOP) && dash_match(d,
		    dash_finding_subject(f[i], subj, sizeof(subj)))) {
			lrows[k].f = f[i];
			lrows[k++].r = NULL;
		}
	nr = engine_repeats(d->eng, rp, REPEATS_MAX);
	for (i = 0; i < nr; i++)
		if (dash_match(d, fmt_name(rp[i].qname, q, sizeof(q)))) {
			lrows[k].f = NULL;
			lrows[k++].r = &rp[i];
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
	int				 attr;

	attr = sel ? dash_attr(d, UIC_SELECTED) : (int)A_NORMAL;
	if (lr->f != NULL) {
		dash_line(y, 0, COLS, attr, " %-8s %-20s %7" PRIu64 "  %s%s",
		    "", engine_kind_name(lr->f->kind), lr->f->count,
		    dash_finding_subject(lr->f, subj, sizeof(subj)),
		    strcmp(dash_field(lr->f, ENG_F_PARTIAL), "true") == 0 ?
		    "  (partial)" : "");
		dash_seg(y, 1, sel ? attr : dash_sev_attr(d, lr->f->sev),
		    "%-8s", engine_sev_name(lr->f->sev));
		return;
	}
	if (!sel && r->count >= REPEAT_WARN)
		attr = dash_attr(d, UIC_WARN);
	dash_line(y, 0, COLS, attr, " %-8s repeated %-11s %7" PRIu64
	    "  %s  from %s, %" PRIu64 " in the window", "",
	    dns_type_str(r->qtype, t, sizeof(t)), r->total,
	    fmt_name(r->qname, q, sizeof(q)),
	    addr_str(r->family, r->resolver, a, sizeof(a)), r->count);
}

/* Draw the list. */
void
view_loops_draw(struct dash *d, int y0, int rows)
{
	size_t	 n = load(d);
	int	 r, i;

	d->nrows = (int)n;
	dash_scroll(d, rows);
	dash_line(y0, 0, COLS, A_BOLD, " %-8s %-20s %7s  %s", "SEVERITY",
	    "LOOP", "COUNT", "CYCLE, OR REPEATED QUESTION");
	for (r = 1; r < rows; r++) {
		if ((i = d->top[VIEW_LOOPS] + r - 1) >= (int)n) {
			dash_blank(y0, r, rows, n ? NULL :
			    "  no cycles, loops or repeated questions seen");
			break;
		}
		draw_row(d, y0 + r, &lrows[i], i == d->sel[VIEW_LOOPS]);
	}
}

/* Keys of the list. */
enum ui_action
view_loops_key(struct dash *d, int ch)
{
	if (ch == '\n' || ch == '\r' || ch == KEY_ENTER || ch == KEY_RIGHT)
		return UI_OPEN;
	dash_list_key(d, ch, LINES - 6);
	return UI_NONE;
}

/* Enter: a finding's detail, or the lookups that repeated a question. */
int
view_loops_open(struct dash *d)
{
	size_t	 n = load(d);
	int	 i = d->sel[VIEW_LOOPS];

	if (n == 0 || i >= (int)n)
		return 0;
	if (lrows[i].f != NULL) {
		d->detail_kind = DETAIL_FINDING;
		d->detail_id = lrows[i].f->id;
		return 1;
	}
	fmt_name(lrows[i].r->qname, d->filter, sizeof(d->filter));
	d->sel[VIEW_LOOKUPS] = d->top[VIEW_LOOKUPS] = 0;
	d->view = VIEW_LOOKUPS;
	return 0;
}
