/*
 * view_findings.c -- the Findings view: every finding, worst first (or by
 * count, or by recency), new ones marked, Enter for the evidence.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/curses_compat.h"
#include "ui/dash_int.h"

static size_t	rows_of(struct dash *, const struct eng_finding ***);
static int	by_count(const void *, const void *);
static int	by_last(const void *, const void *);

static const struct eng_finding	**shown;
static size_t			  nshown, capshown;

/* Most counted first. */
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
	const struct eng_finding	**all;
	char				  subj[600];
	size_t				  n, i;

	n = engine_findings(d->eng, &all);
	if (capshown < n + 1) {
		capshown = n + 64;
		shown = realloc(shown, capshown * sizeof(*shown));
		if (shown == NULL) {
			capshown = nshown = 0;
			return 0;
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

/* Draw the list. */
void
view_findings_draw(struct dash *d, int y0, int rows)
{
	static const char		*sorts[] = { "severity", "count",
	    "last seen" };
	const struct eng_finding	**f;
	char				  subj[600], when[16];
	struct tm			  tm;
	time_t				  t;
	size_t				  n;
	int				  i, r, attr, *top = &d->top[VIEW_FINDINGS];

	n = rows_of(d, &f);
	d->nrows = (int)n;
	if (d->sel[VIEW_FINDINGS] >= d->nrows)
		d->sel[VIEW_FINDINGS] = d->nrows ? d->nrows - 1 : 0;
	if (d->sel[VIEW_FINDINGS] < *top)
		*top = d->sel[VIEW_FINDINGS];
	if (d->sel[VIEW_FINDINGS] >= *top + rows - 1)
		*top = d->sel[VIEW_FINDINGS] - rows + 2;
	dash_line(y0, 0, COLS, A_BOLD, " %-8s %-24s %6s %8s  %s   (%zu, by %s)",
	    "SEVERITY", "KIND", "COUNT", "LAST", "SUBJECT", n,
	    sorts[d->sort[VIEW_FINDINGS]]);
	for (r = 1; r < rows; r++) {
		i = *top + r - 1;
		if (i >= (int)n) {
			dash_line(y0 + r, 0, COLS, (int)A_NORMAL, "%s", n == 0 &&
			    r == 1 ? "  no findings yet" : "");
			continue;
		}
		t = (time_t)(f[i]->last_ns / 1000000000);
		strftime(when, sizeof(when), "%H:%M:%S", gmtime_r(&t, &tm));
		attr = i == d->sel[VIEW_FINDINGS] ? dash_attr(d, UIC_SELECTED) :
		    (int)A_NORMAL;
		dash_line(y0 + r, 0, COLS, attr, " %-8s %-24s %6" PRIu64
		    " %8s  %s%s", "", engine_kind_name(f[i]->kind),
		    f[i]->count, when, dash_is_new(d, f[i]->id) ? "NEW " : "",
		    dash_finding_subject(f[i], subj, sizeof(subj)));
		attrset(i == d->sel[VIEW_FINDINGS] ? attr :
		    dash_sev_attr(d, f[i]->sev));
		mvprintw(y0 + r, 1, "%-8s", engine_sev_name(f[i]->sev));
		attrset((int)A_NORMAL);
	}
}

/* Keys of the list. */
enum ui_action
view_findings_key(struct dash *d, int ch)
{
	if (ch == '\n' || ch == KEY_ENTER)
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
