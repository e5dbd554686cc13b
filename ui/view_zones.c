/*
 * view_zones.c -- the Zones view: the delegation map, each zone with its
 * NS names and the glue status of each, its parent and its servers.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ui/curses_compat.h"
#include "ui/dash_int.h"

#define ZONES_MAX	2048

static struct eng_zone_view	*zones;
static size_t			 nzones;

/* Load the zones that pass the filter. */
static size_t
load(struct dash *d)
{
	size_t	 n, i, k = 0;

	if (zones == NULL && (zones = calloc(ZONES_MAX, sizeof(*zones))) ==
	    NULL)
		return 0;
	n = engine_zones(d->eng, zones, ZONES_MAX);
	for (i = 0; i < n; i++)
		if (dash_match(d, zones[i].name))
			zones[k++] = zones[i];
	return nzones = k;
}

/* Draw the map. */
void
view_zones_draw(struct dash *d, int y0, int rows)
{
	static const char	*gs[] = { "glue", "MISSING", "n/a", "?" };
	char			 nsl[512];
	size_t			 n = load(d), len;
	unsigned		 k;
	int			 r, i, missing, *top = &d->top[VIEW_ZONES];

	d->nrows = (int)n;
	if (d->sel[VIEW_ZONES] < *top)
		*top = d->sel[VIEW_ZONES];
	if (d->sel[VIEW_ZONES] >= *top + rows - 1)
		*top = d->sel[VIEW_ZONES] - rows + 2;
	dash_line(y0, 0, COLS, A_BOLD, " %-28s %-14s %4s  %s   (%zu zones)",
	    "ZONE", "PARENT", "REFS", "NS (glue)", n);
	for (r = 1; r < rows; r++) {
		i = *top + r - 1;
		if (i >= (int)n) {
			dash_line(y0 + r, 0, COLS, (int)A_NORMAL, "%s", "");
			continue;
		}
		nsl[0] = '\0';
		for (len = 0, missing = 0, k = 0; k < zones[i].nns; k++) {
			len += (size_t)snprintf(nsl + len, sizeof(nsl) - len,
			    "%s%s(%s)", k ? " " : "", zones[i].ns[k].name,
			    gs[zones[i].ns[k].glue_state & 3]);
			missing |= zones[i].ns[k].glue_state == ENG_GLUE_MISSING;
			if (len >= sizeof(nsl))
				break;
		}
		dash_line(y0 + r, 0, COLS, i == d->sel[VIEW_ZONES] ?
		    dash_attr(d, UIC_SELECTED) : missing ? dash_attr(d,
		    UIC_WARN) : (int)A_NORMAL, " %-28s %-14s %4" PRIu64 "  %s",
		    zones[i].name, zones[i].parent[0] ? zones[i].parent : "?",
		    zones[i].referrals, nsl);
	}
}

enum ui_action
view_zones_key(struct dash *d, int ch)
{
	if (ch == '\n' || ch == KEY_ENTER)
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
	snprintf(d->detail_zone, sizeof(d->detail_zone), "%s",
	    zones[d->sel[VIEW_ZONES]].name);
	return 1;
}
