/*
 * view_zones.c -- the Zones view: the delegation map.  Each zone leads with
 * its worst finding and what its glue is (MISSING first, so that 80
 * columns show it), then the referrals seen and its NS names, each behind
 * its own status: MISSING (needed, not given), glue (in the zone, given),
 * sibling (in the parent, given), oob (outside the parent: none needed).
 * Sorted by the worst finding, by name, or by referrals.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode/dname.h"
#include "ui/curses_compat.h"
#include "ui/dash_int.h"

static size_t	load(struct dash *);
static void	draw(struct dash *, int, int);
static int	open_row(struct dash *);
static int	by_worst(const void *, const void *);
static int	by_name(const void *, const void *);
static int	by_refs(const void *, const void *);
static const char *ns_status(const struct eng_zone_ns *);
static const char *glue_summary(const struct eng_zone_view *, char *,
		    size_t, int *);

static const char *const sorts[] = { "worst finding", "name", "referrals",
	NULL };

const struct dash_view view_zones = {
	"Zones", 'Z', "the delegation map: glue status first, then NS names",
	sorts, load, draw, NULL, open_row
};

/* Worst findings first, then the most referred to. */
static int
by_worst(const void *a, const void *b)
{
	const struct eng_zone_view *x = a, *y = b;

	return x->worst != y->worst ? x->worst - y->worst : by_refs(a, b);
}

/* By name, the way a sorted zone file lists them. */
static int
by_name(const void *a, const void *b)
{
	char	 x[DNS_NAME_STRMAX], y[DNS_NAME_STRMAX];

	return strcasecmp(fmt_name(((const struct eng_zone_view *)a)->name, x,
	    sizeof(x)), fmt_name(((const struct eng_zone_view *)b)->name, y,
	    sizeof(y)));
}

/* Most referrals first. */
static int
by_refs(const void *a, const void *b)
{
	const struct eng_zone_view *x = a, *y = b;

	return x->referrals < y->referrals ? 1 : x->referrals > y->referrals ?
	    -1 : by_name(a, b);
}

/* Load the zones that pass the filter (zone or NS name), sorted. */
static size_t
load(struct dash *d)
{
	static int	(*cmp[])(const void *, const void *) = { by_worst,
	    by_name, by_refs };
	struct eng_zone_view *z = d->zrows;
	char		 b[DNS_NAME_STRMAX];
	size_t		 n, i, k = 0;
	unsigned	 j;
	int		 hit;

	n = engine_zones(d->eng, z, DASH_ZONES_MAX);
	for (i = 0; i < n; i++) {
		hit = dash_match(d, fmt_name(z[i].name, b, sizeof(b)));
		for (j = 0; !hit && j < z[i].nns; j++)
			hit = dash_match(d, fmt_name(z[i].ns[j].name, b,
			    sizeof(b)));
		if (hit)
			z[k++] = z[i];
	}
	qsort(z, k, sizeof(*z), cmp[d->list[VIEW_ZONES].sort]);
	return k;
}

/* One NS name's status, in a word. */
static const char *
ns_status(const struct eng_zone_ns *ns)
{
	switch (ns->glue_state) {
	case ENG_GLUE_PRESENT:
		return ns->in_domain ? "glue" : "sibling";
	case ENG_GLUE_MISSING:
		return "MISSING";
	case ENG_GLUE_NOT_NEEDED:
		return "oob";
	default:
		return "?";
	}
}

/* The zone's glue in one word or two: "MISSING 1/2", "ok", "oob". */
static const char *
glue_summary(const struct eng_zone_view *z, char *buf, size_t size,
    int *missing)
{
	unsigned	 k, miss = 0, oob = 0;

	for (k = 0; k < z->nns; k++) {
		miss += z->ns[k].glue_state == ENG_GLUE_MISSING;
		oob += z->ns[k].glue_state == ENG_GLUE_NOT_NEEDED;
	}
	*missing = miss > 0;
	if (miss > 0)
		snprintf(buf, size, "MISSING %u/%u", miss, z->nns);
	else if (z->parent == NULL && z->name->len == 1)
		snprintf(buf, size, "hints");
	else if (oob == z->nns)
		snprintf(buf, size, "oob");
	else
		snprintf(buf, size, "ok");
	return buf;
}

/* One zone: worst, name, glue, referrals, then each NS behind its status. */
static void
draw_row(struct dash *d, int y, const struct eng_zone_view *z, int zw,
    int sel)
{
	char	 zn[DNS_NAME_STRMAX], g[32], nb[DNS_NAME_STRMAX];
	int	 attr, x, missing;
	unsigned k;

	attr = sel ? dash_attr(d, UIC_SELECTED) : (int)A_NORMAL;
	dash_line(y, 0, COLS, attr, "%s", "");
	x = dash_vseg(d, y, 0, attr, " ");
	x = dash_vseg(d, y, x, !sel && z->worst < ENG_SEV__MAX ?
	    dash_sev_attr(d, z->worst) : attr, "%-8s", z->worst <
	    ENG_SEV__MAX ? engine_sev_name(z->worst) : "");
	x = dash_vseg(d, y, x, attr, " %-*s ", zw, fmt_name(z->name, zn,
	    sizeof(zn)));
	glue_summary(z, g, sizeof(g), &missing);
	x = dash_vseg(d, y, x, !sel && missing ? dash_attr(d, UIC_ERROR) :
	    attr, "%-11s", g);
	x = dash_vseg(d, y, x, attr, " %4" PRIu64 " ", z->referrals);
	if (z->parent == NULL && z->name->len == 1) {
		dash_vseg(d, y, x, attr, " %u root servers from the hints",
		    z->nns);
		return;
	}
	for (k = 0; k < z->nns; k++) {
		x = dash_vseg(d, y, x, !sel && z->ns[k].glue_state ==
		    ENG_GLUE_MISSING ? dash_attr(d, UIC_ERROR) : attr, " %s",
		    ns_status(&z->ns[k]));
		x = dash_vseg(d, y, x, attr, " %s%s", fmt_name(z->ns[k].name,
		    nb, sizeof(nb)), k + 1 < z->nns ? "," : "");
	}
}

/* Draw the map. */
static void
draw(struct dash *d, int y0, int rows)
{
	struct dash_list	*l = &d->list[VIEW_ZONES];
	char			 zn[DNS_NAME_STRMAX];
	int			 r, j, zw = 12, len;

	for (j = 0; j < l->n; j++)
		if ((len = (int)strlen(fmt_name(d->zrows[j].name, zn,
		    sizeof(zn)))) > zw)
			zw = len;
	zw = zw > COLS / 4 ? COLS / 4 : zw;
	dash_title(d, y0, " %-8s %-*s %-11s %4s  %s", "WORST", zw, "ZONE",
	    "GLUE", "REFS", "NS NAMES");
	for (r = 1; r < rows; r++) {
		if ((j = l->top + r - 1) >= l->n) {
			dash_blank(y0, r, rows, l->n ? NULL :
			    "  no zones yet");
			break;
		}
		draw_row(d, y0 + r, &d->zrows[j], zw, j == l->sel);
	}
}

/* Open the selected zone. */
static int
open_row(struct dash *d)
{
	d->detail_kind = DETAIL_ZONE;
	fmt_name(d->zrows[d->list[VIEW_ZONES].sel].name, d->detail_zone,
	    sizeof(d->detail_zone));
	return 1;
}
