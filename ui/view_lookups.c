/*
 * view_lookups.c -- the Lookups view: rebuilt lookups, failed first then
 * the most recent (the engine's order), with what the client got, the
 * upstream query count and depth; Enter draws the chain.  Sub-lookups (an
 * NS address the resolver needed) are marked: clients never saw them.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "decode/dname.h"
#include "decode/dnstab.h"
#include "ui/curses_compat.h"
#include "ui/dash_int.h"
#include "util/addr.h"

static size_t	load(struct dash *);
static void	draw(struct dash *, int, int);
static int	open_row(struct dash *);
static void	draw_row(struct dash *, int, const struct eng_lookup *, int,
		    int);

static const char *const sorts[] = { "failed first", NULL };

const struct dash_view view_lookups = {
	"Lookups", 'K', "rebuilt lookups, failed first; Enter draws the chain",
	sorts, load, draw, NULL, open_row
};

/* Lookups passing the filter. */
static size_t
load(struct dash *d)
{
	const struct eng_lookup	**all;
	char			  q[DNS_NAME_STRMAX];
	size_t			  n, i, k = 0;

	n = engine_lookups(d->eng, &all);
	dash_grow(&d->lrows, &d->lrows_cap, n, sizeof(*d->lrows));
	for (i = 0; i < n; i++)
		if (dash_match(d, fmt_name(all[i]->qname, q, sizeof(q))))
			d->lrows[k++] = all[i];
	return k;
}

/* One lookup; failed ones in the error colour. */
static void
draw_row(struct dash *d, int y, const struct eng_lookup *l, int qw, int sel)
{
	char	 a[ADDR_STRLEN], t[16], o[32], q[DNS_NAME_STRMAX];

	dash_row(d, y, sel ? dash_attr(d, UIC_SELECTED) : l->failed ?
	    dash_attr(d, UIC_ERROR) : (int)A_NORMAL, " %6u %-11s %4u %3u  "
	    "%-*s %-5s %s%s", l->id, fmt_lookup_outcome(l, o, sizeof(o)),
	    l->queries, l->depth, qw, fmt_name(l->qname, q, sizeof(q)),
	    dns_type_str(l->qtype, t, sizeof(t)), addr_str(l->family,
	    l->resolver, a, sizeof(a)), l->parent ? "  (sub-lookup)" : "");
}

/* Draw the list. */
static void
draw(struct dash *d, int y0, int rows)
{
	struct dash_list	*l = &d->list[VIEW_LOOKUPS];
	char			 q[DNS_NAME_STRMAX];
	int			 r, j, qw = 12, room = COLS - 31 - 6 - 16, len;

	for (j = 0; j < l->n; j++)
		if ((len = (int)strlen(fmt_name(d->lrows[j]->qname, q,
		    sizeof(q)))) > qw)
			qw = len;
	if (qw > room)
		qw = room > 12 ? room : 12;
	dash_title(d, y0, " %6s %-11s %4s %3s  %-*s %-5s %s", "ID", "GOT",
	    "QRYS", "DEP", qw, "QNAME", "TYPE", "RESOLVER");
	for (r = 1; r < rows; r++) {
		if ((j = l->top + r - 1) >= l->n) {
			dash_blank(y0, r, rows, l->n ? NULL :
			    "  no lookups yet");
			break;
		}
		draw_row(d, y0 + r, d->lrows[j], qw, j == l->sel);
	}
}

/* Open the selected lookup's chain. */
static int
open_row(struct dash *d)
{
	d->detail_kind = DETAIL_LOOKUP;
	d->detail_id = d->lrows[d->list[VIEW_LOOKUPS].sel]->id;
	return 1;
}
