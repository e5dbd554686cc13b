/*
 * view_findings.c -- the Findings view: the root causes and the findings
 * no root cause explains, worst first (or by count, or by recency), new
 * ones marked for a few seconds, Enter for the evidence.  A consequence
 * linked to a root cause (DETECTIONS.md R2.2) is not a row: the CONS
 * column counts them beside their cause, whose detail lists them.  The
 * LAST column appears when the terminal is wide enough.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/curses_compat.h"
#include "ui/dash_int.h"

#define WIDE	100	/* columns from which the LAST column is shown */

static size_t	load(struct dash *);
static void	draw(struct dash *, int, int);
static int	open_row(struct dash *);
static int	by_count(const void *, const void *);
static int	by_last(const void *, const void *);
static void	draw_row(struct dash *, int, const struct eng_finding *, int);

static const char *const sorts[] = { "severity", "count", "last seen",
	NULL };

const struct dash_view view_findings = {
	"Findings", 'F', "root causes, worst first, +N their consequences; "
	"NEW marks new ones",
	sorts, load, draw, NULL, open_row
};

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
load(struct dash *d)
{
	const struct eng_finding	**all;
	char				  subj[600];
	size_t				  n, i, k = 0;

	n = engine_findings(d->eng, &all);
	dash_grow(&d->frows, &d->frows_cap, n, sizeof(*d->frows));
	for (i = 0; i < n; i++)
		if (all[i]->caused_by == 0 && (dash_match(d,
		    dash_finding_subject(all[i], subj,
		    sizeof(subj))) || dash_match(d,
		    engine_kind_name(all[i]->kind))))
			d->frows[k++] = all[i];
	if (d->list[VIEW_FINDINGS].sort == 1)
		qsort(d->frows, k, sizeof(*d->frows), by_count);
	else if (d->list[VIEW_FINDINGS].sort == 2)
		qsort(d->frows, k, sizeof(*d->frows), by_last);
	return k;
}

/*
 * One finding: severity word in its colour, kind, count, consequences,
 * subject.
 */
static void
draw_row(struct dash *d, int y, const struct eng_finding *f, int selected)
{
	char		 subj[600], when[16], cons[16];
	struct tm	 tm;
	time_t		 t;
	int		 isnew = dash_is_new(d, f->id), attr, x;

	cons[0] = '\0';
	if (f->nconsequences > 0)
		snprintf(cons, sizeof(cons), "+%" PRIu32, f->nconsequences);
	t = (time_t)(f->last_ns / 1000000000);
	strftime(when, sizeof(when), " %H:%M:%S", gmtime_r(&t, &tm));
	attr = selected ? dash_attr(d, UIC_SELECTED) : (int)A_NORMAL;
	dash_line(y, 0, COLS, attr, "%s", "");
	x = dash_vseg(d, y, 0, attr, " ");
	x = dash_vseg(d, y, x, selected ? attr : dash_sev_attr(d, f->sev),
	    "%-8s", engine_sev_name(f->sev));
	x = dash_vseg(d, y, x, attr, " %-23s %6" PRIu64 " %4s%s ",
	    engine_kind_name(f->kind), f->count, cons, COLS >= WIDE ? when :
	    "");
	x = dash_vseg(d, y, x, isnew ? attr | dash_attr(d, UIC_NEW) : attr,
	    "%s", isnew ? "NEW" : "   ");
	dash_vseg(d, y, x, attr, " %s", dash_finding_subject(f, subj,
	    sizeof(subj)));
}

/* What an empty list means: nothing matches, nothing since a reset, or
 * nothing at all (only then may it say the delegations look healthy). */
static const char *
empty(struct dash *d, char *buf, size_t size)
{
	struct tm	 tm;
	time_t		 t = (time_t)(d->reset_ns / 1000000000);
	char		 when[16];

	if (d->filter[0] != '\0')
		return "  no finding matches the filter";
	if (d->resets > 0) {
		strftime(when, sizeof(when), "%H:%M:%SZ", gmtime_r(&t, &tm));
		snprintf(buf, size, "  no findings since the reset at %s; "
		    "what was found before it is gone%s", d->reset_ns ? when :
		    "the start", d->info->live ? "" :
		    " (read the file again to see it)");
		return buf;
	}
	if (!d->eof && !d->info->live)
		return "  no findings yet (still reading)";
	return "  no findings: the delegations seen look healthy";
}

/* Draw the list. */
static void
draw(struct dash *d, int y0, int rows)
{
	struct dash_list	*l = &d->list[VIEW_FINDINGS];
	char			 msg[200];
	int			 i, r;

	dash_title(d, y0, " %-8s %-23s %6s %4s%s     %s", "SEVERITY", "KIND",
	    "COUNT", "CONS", COLS >= WIDE ? "     LAST" : "", "SUBJECT");
	for (r = 1; r < rows; r++) {
		i = l->top + r - 1;
		if (i >= l->n) {
			dash_blank(y0, r, rows, l->n > 0 ? NULL :
			    empty(d, msg, sizeof(msg)));
			break;
		}
		draw_row(d, y0 + r, d->frows[i], i == l->sel);
	}
}

/* Open the selected finding's detail; 0 when there is none. */
static int
open_row(struct dash *d)
{
	struct dash_list	*l = &d->list[VIEW_FINDINGS];

	if (l->sel >= l->n)
		return 0;
	d->detail_kind = DETAIL_FINDING;
	d->detail_id = d->frows[l->sel]->id;
	return 1;
}
