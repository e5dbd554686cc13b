/*
 * view_zones.c -- the Zones view: the delegation map, each zone with its
 * parent, the referrals seen, and its NS names with the glue status of each
 * (MISSING GLUE stands out; names outside the parent need none).  Sorted by
 * the worst finding on the zone, by name, or by referrals.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode/dname.h"
#include "ui/curses_compat.h"
#include "ui/dash_int.h"

#define ZONES_MAX	2048

static size_t	load(struct dash *);
static int	by_worst(const void *, const void *);
static int	by_name(const void *, const void *);
static int	by_refs(const void *, const void *);
static const char *ns_list(const struct eng_zone_view *, char *, size_t);

static struct eng_zone_view	*zones;
static size_t			 nzones;

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
	static int	(*sorts[])(const void *, const void *) = { by_worst,
	    by_name, by_refs };
	char		 b[DNS_NAME_STRMAX];
	size_t		 n, i, k = 0;
	unsigned	 j;
	int		 hit;

	if (zones == NULL && (zones = calloc(ZONES_MAX, sizeof(*zones))) ==
	    NULL)
		return 0;
	n = engine_zones(d->eng, zones, ZONES_MAX);
	for (i = 0; i < n; i++) {
		hit = dash_match(d, fmt_name(zones[i].name, b, sizeof(b)));
		for (j = 0; !hit && j < zones[i].nns; j++)
			hit = dash_match(d, fmt_name(zones[i].ns[j].name, b,
			    sizeof(b)));
		if (hit)
			zones[k++] = zones[i];
	}
	qsort(zones, k, sizeof(*zones), sorts[d->sort[VIEW_ZONES] % 3]);
	return nzones = k;
}

/* A zone's NS names, each with its glue mark. */
static const char *
ns_list(const struct eng_zone_view *z, char *buf, size_t size)
{
	static const char	*mark[] = { " (glue)", " (MISSING GLUE)", "",
	    " (?)" };
	char			 b[DNS_NAME_STRMAX];
	size_t			 len = 0;
	unsigned		 k;

	buf[0] = '\0';
	for (k = 0; k < z->nns && len + 1 < size; k++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s%s",
		    k ? ", " : "", fmt_name(z->ns[k].name, b, sizeof(b)),
		    mark[z->ns[k].glue_state & 3]);
	return buf;
}

/* Draw the map. */
void
view_zones_draw(struct dash *d, int y0, int rows)
{
	static const char	*sorts[] = { "worst finding", "name",
	    "referrals" };
	char			 nsl[2048], zn[DNS_NAME_STRMAX];
	char			 pn[DNS_NAME_STRMAX];
	size_t			 n = load(d), i;
	int			 r, j, zw = 12, attr, len;

	for (i = 0; i < n; i++)
		if ((len = (int)strlen(fmt_name(zones[i].name, zn,
		    sizeof(zn)))) > zw)
			zw = len;
	zw = zw > COLS / 3 ? COLS / 3 : zw;
	d->nrows = (int)n;
	dash_scroll(d, rows);
	dash_line(y0, 0, COLS, A_BOLD, " %-8s %-*s %-12s %4s  %s   "
	    "(%zu, by %s)", "WORST", zw, "ZONE", "PARENT", "REFS",
	    "NS NAMES (glue)", n, sorts[d->sort[VIEW_ZONES] % 3]);
	for (r = 1; r < rows; r++) {
		if ((j = d->top[VIEW_ZONES] + r - 1) >= (int)n) {
			dash_blank(y0, r, rows, n ? NULL : "  no zones yet");
			break;
		}
		attr = j == d->sel[VIEW_ZONES] ? dash_attr(d, UIC_SELECTED) :
		    (int)A_NORMAL;
		dash_line(y0 + r, 0, COLS, attr, " %-8s %-*s %-12s %4" PRIu64
		    "  %s", "", zw, fmt_name(zones[j].name, zn, sizeof(zn)),
		    fmt_name(zones[j].parent, pn, sizeof(pn)),
		    zones[j].referrals,
		    ns_list(&zones[j], nsl, sizeof(nsl)));
		if (zones[j].worst < ENG_SEV__MAX)
			dash_seg(y0 + r, 1, attr == (int)A_NORMAL ?
			    dash_sev_attr(d, zones[j].worst) : attr, "%-8s",
			    engine_sev_name(zones[j].worst));
	}
}

/* Keys of the map. */
enum ui_action
view_zones_key(struct dash *d, int ch)
{
	if (ch == '\n' || ch == '\r' || ch == KEY_ENTER || ch == KEY_RIGHT)
		return UI_OPEN;
	dash_list_key(d, ch, LINES - 6);
	return UI_NONE;
}

/* Open the selected zone. */
int
view_zones_open(struct dash *d)
{
	size_t	 n = load(d);

	if (n == 0 || d->sel[VIEW_ZONES] >= (int)n)
		return 0;
	d->detail_kind = DETAIL_ZONE;
	fmt_name(zones[d->sel[VIEW_ZONES]].name, d->detail_zone,
	    sizeof(d->detail_zone));
	return 1;
}
