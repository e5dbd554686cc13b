/*
 * view_findings.c -- the Findings view: every finding, worst first (or by
 * count, or by recency), new ones marked for a few seconds, Enter for the
 * evidence.  The LAST column appears when the terminal is wide enough.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/curses_compat.h"
#include "ui/dash_int.h"

#define WIDE	100	/* columns from which the LAST column is shown */

static size_t	rows_of(struct dash *, const struct eng_finding ***);
static int	by_count(const void *, const void *);
static int	by_last(const void *, const void *);
static void	draw_row(struct dash *, int, const struct eng_finding *, int);

static const struct eng_finding	**shown;
static size_t			  nshown, capshown;

/* Most counted first, then the worst. */
static int
by_count(const void *a, const void *b)
{
	const struct eng_finding *x = *(const struct eng_finding *const *)a;
	const struct eng_finding *y = *(const struct eng_finding *const *)b;

	return x->count < y->count ? 1 : x->count > y->count ? -1 :
	    x->sev - y->sev;
}

/* Most recent first. */
static int
by_last(const void *a, const void *b)
{
	const struct eng_finding *x = *(const struct eng_finding *const *)a;
	const struct eng_finding *y = *(const struct eng_finding *const *)b;

	return x->last_ns < y->last_ns ? 1 : x->last_ns > y->last_ns ? -1 : 0;
}

/* The findings that pass the filter, in the chosen order. */
static size_t
rows_of(struct dash *d, const struct eng_finding ***out)
{
	const struct eng_finding	**all, **p;
	char				  subj[600];
	size_t				  n, i;

	n = engine_findings(d->eng, &all);
	if (capshown < n + 1) {
		if ((p = realloc(shown, (n + 64) * sizeof(*shown))) == NULL)
			n = capshown > 0 ? capshown - 1 : 0;
		else {
			shown = p;
			capshown = n + 64;
		}
	}
	for (nshown = 0, i = 0; i < n; i++)
		if (dash_match(d, dash_finding_subject(all[i], subj,
		    sizeof(subj))) || dash_match(d,
		    engine_kind_name(all[i]->kind)))
			shown[nshown++] = all[i];
	if (d->sort[VIEW_FINDINGS] == 1)
		qsort(shown, nshown, sizeof(*shown), by_count);
	else if (d->sort[VIEW_FINDINGS] == 2)
		qsort(shown, nshown, sizeof(*shown), by_last);
	*out = shown;
	return nshown;
}

/* One finding: severity word in its colour, kind, count, subject. */
static void
draw_row(struct dash *d, int y, const struct eng_finding *f, int selected)
{
	char		 subj[600], when[16];
	struct tm	 tm;
	time_t		 t;
	int		 isnew = dash_is_new(d, f->id), attr, x;

	t = (time_t)(f->last_ns / 1000000000);
	strftime(when, sizeof(when), " %H:%M:%S", gmtime_r(&t, &tm));
	attr = selected ? dash_attr(d, UIC_SELECTED) : (int)A_NORMAL;
	dash_line(y, 0, COLS, attr, "%s", "");
	x = dash_seg(y, 0, attr, " ");
	x = dash_seg(y, x, selected ? attr : dash_sev_attr(d, f->sev),
	    "%-8s", engine_sev_name(f->sev));
	x = dash_seg(y, x, attr, " %-23s %6" PRIu64 "%s ",
	    engine_kind_name(f->kind), f->count, COLS >= WIDE ? when : "");
	x = dash_seg(y, x, isnew ? attr | dash_attr(d, UIC_NEW) : attr,
	    "%s", isnew ? "NEW" : "   ");
	dash_seg(y, x, attr, " %s", dash_finding_subject(f, subj,
	    sizeof(subj)));
}

/* Draw the list. */
void
view_findings_draw(struct dash *d, int y0, int rows)
{
	static const char		*sorts[] = { "severity", "count",
	    "last seen" };
	const struct eng_finding	**f;
	size_t				  n;
	int				  i, r;

	n = rows_of(d, &f);
	d->nrows = (int)n;
	dash_scroll(d, rows);
	dash_line(y0, 0, COLS, A_BOLD, " %-8s %-23s %6s%s     %s   "
	    "(%zu, by %s)", "SEVERITY", "KIND", "COUNT", COLS >= WIDE ?
	    "     LAST" : "", "SUBJECT", n, sorts[d->sort[VIEW_FINDINGS]]);
	for (r = 1; r < rows; r++) {
		i = d->top[VIEW_FINDINGS] + r - 1;
		if (i >= (int)n) {
			dash_blank(y0, r, rows, n > 0 ? NULL :
			    d->filter[0] ? "  no finding matches the filter" :
			    "  no findings yet: the delegations seen look "
			    "healthy");
			break;
		}
		draw_row(d, y0 + r, f[i], i == d->sel[VIEW_FINDINGS]);
	}
}

/* Keys of the list. */
enum ui_action
view_findings_key(struct dash *d, int ch)
{
	if (ch == '\n' || ch == '\r' || ch == KEY_ENTER || ch == KEY_RIGHT)
		return UI_OPEN;
	dash_list_key(d, ch, LINES - 6);
	return UI_NONE;
}

/* Open the selected finding's detail; 0 when there is none. */
int
view_findings_open(struct dash *d)
{
	const struct eng_finding	**f;
	size_t				  n = rows_of(d, &f);

	if (n == 0 || d->sel[VIEW_FINDINGS] >= (int)n)
		return 0;
	d->detail_kind = DETAIL_FINDING;
	d->detail_id = f[d->sel[VIEW_FINDINGS]]->id;
	return 1;
}
