/*
 * view_lookups.c -- the Lookups view: rebuilt lookups, failed first, with
 * their outcome, depth and query count; Enter draws the chain.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "decode/dnstab.h"
#include "ui/curses_compat.h"
#include "ui/dash_int.h"
#include "util/addr.h"

static const struct eng_lookup	**rows_l;
static size_t			  nrows_l, caprows_l;

/* Lookups passing the filter. */
static size_t
load(struct dash *d)
{
	const struct eng_lookup	**all;
	size_t			  n, i;

	n = engine_lookups(d->eng, &all);
	if (caprows_l < n + 1) {
		caprows_l = n + 64;
		if ((rows_l = realloc(rows_l, caprows_l * sizeof(*rows_l))) ==
		    NULL) {
			caprows_l = 0;
			return nrows_l = 0;
		}
	}
	for (nrows_l = 0, i = 0; i < n; i++)
		if (dash_match(d, all[i]->qname))
			rows_l[nrows_l++] = all[i];
	return nrows_l;
}

/* Draw the list. */
void
view_lookups_draw(struct dash *d, int y0, int rows)
{
	const struct eng_lookup	*l;
	char			 a[ADDR_STRLEN], t[16];
	size_t			 n = load(d);
	int			 r, i, *top = &d->top[VIEW_LOOKUPS];

	d->nrows = (int)n;
	if (d->sel[VIEW_LOOKUPS] < *top)
		*top = d->sel[VIEW_LOOKUPS];
	if (d->sel[VIEW_LOOKUPS] >= *top + rows - 1)
		*top = d->sel[VIEW_LOOKUPS] - rows + 2;
	dash_line(y0, 0, COLS, A_BOLD, " %6s %-12s %5s %4s  %-36s %-5s %s",
	    "ID", "OUTCOME", "STEPS", "DEP", "QNAME", "TYPE", "RESOLVER");
	for (r = 1; r < rows; r++) {
		i = *top + r - 1;
		if (i >= (int)n) {
			dash_line(y0 + r, 0, COLS, (int)A_NORMAL, "%s", "");
			continue;
		}
		l = rows_l[i];
		dash_line(y0 + r, 0, COLS, i == d->sel[VIEW_LOOKUPS] ?
		    dash_attr(d, UIC_SELECTED) : l->failed ? dash_attr(d,
		    UIC_ERROR) : (int)A_NORMAL, " %6u %-12s %5u %4u  %-36s %-5s %s%s",
		    l->id, l->done ? engine_class_name(l->outcome) :
		    "in flight", l->nsteps, l->depth, l->qname,
		    dns_type_str(l->qtype, t, sizeof(t)), addr_str(l->family,
		    l->resolver, a, sizeof(a)), l->parent ? "  (sub-lookup)" :
		    "");
	}
}

enum ui_action
view_lookups_key(struct dash *d, int ch)
{
	if (ch == '\n' || ch == KEY_ENTER)
		return UI_OPEN;
	dash_list_key(d, ch, LINES - 6);
	return UI_NONE;
}

/* Open the selected lookup's chain. */
int
view_lookups_open(struct dash *d)
{
	size_t	 n = load(d);

	if (d->view != VIEW_LOOKUPS || n == 0 || d->sel[VIEW_LOOKUPS] >= (int)n)
		return 0;
	d->detail_kind = DETAIL_LOOKUP;
	d->detail_id = rows_l[d->sel[VIEW_LOOKUPS]]->id;
	return 1;
}
