/*
 * view_lookups.c -- the Lookups view: rebuilt lookups, failed first then
 * the most recent (the engine's order), with their outcome, upstream query
 * count and depth; Enter draws the chain.
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
static void	draw_row(struct dash *, int, const struct eng_lookup *, int,
		    int);

static const struct eng_lookup	**rows_l;
static size_t			  nrows_l, caprows_l;

/* Lookups passing the filter. */
static size_t
load(struct dash *d)
{
	const struct eng_lookup	**all, **p;
	char			  q[DNS_NAME_STRMAX];
	size_t			  n, i;

	n = engine_lookups(d->eng, &all);
	if (caprows_l < n + 1) {
		if ((p = realloc(rows_l, (n + 64) * sizeof(*rows_l))) == NULL)
			n = caprows_l > 0 ? caprows_l - 1 : 0;
		else {
			rows_l = p;
			caprows_l = n + 64;
		}
	}
	for (nrows_l = 0, i = 0; i < n; i++)
		if (dash_match(d, fmt_name(all[i]->qname, q, sizeof(q))))
			rows_l[nrows_l++] = all[i];
	return nrows_l;
}

/* How a lookup ended, in a word: the client's rcode when it failed. */
const char *
view_lookup_outcome(const struct eng_lookup *l, char *buf, size_t size)
{
	if (!l->done)
		return "in flight";
	if (l->outcome == ENG_C_NONE)
		return "unanswered";
	if (l->outcome == ENG_C_RCODE_ERROR && l->client_rcode != 0)
		return dns_rcode_str(l->client_rcode, buf, size);
	return engine_class_name(l->outcome);
}

/* One lookup; failed ones in the error colour. */
static void
draw_row(struct dash *d, int y, const struct eng_lookup *l, int qw, int sel)
{
	char	 a[ADDR_STRLEN], t[16], o[16], q[DNS_NAME_STRMAX];

	dash_line(y, 0, COLS, sel ? dash_attr(d, UIC_SELECTED) : l->failed ?
	    dash_attr(d, UIC_ERROR) : (int)A_NORMAL, " %6u %-11s %4u %3u  "
	    "%-*s %-5s %s%s", l->id, view_lookup_outcome(l, o, sizeof(o)),
	    l->queries, l->depth, qw, fmt_name(l->qname, q, sizeof(q)),
	    dns_type_str(l->qtype, t,
	    sizeof(t)), addr_str(l->family, l->resolver, a, sizeof(a)),
	    l->parent ? "  (sub-lookup)" : "");
}

/* Draw the list. */
void
view_lookups_draw(struct dash *d, int y0, int rows)
{
	size_t	 n = load(d), i;
	char	 q[DNS_NAME_STRMAX];
	int	 r, j, qw = 12, room = COLS - 31 - 6 - 16, len;

	for (i = 0; i < n; i++)
		if ((len = (int)strlen(fmt_name(rows_l[i]->qname, q,
		    sizeof(q)))) > qw)
			qw = len;
	if (qw > room)
		qw = room > 12 ? room : 12;
	d->nrows = (int)n;
	dash_scroll(d, rows);
	dash_line(y0, 0, COLS, A_BOLD, " %6s %-11s %4s %3s  %-*s %-5s %s   "
	    "(%zu, failed first)", "ID", "OUTCOME", "QRYS", "DEP", qw, "QNAME",
	    "TYPE", "RESOLVER", n);
	for (r = 1; r < rows; r++) {
		if ((j = d->top[VIEW_LOOKUPS] + r - 1) >= (int)n) {
			dash_blank(y0, r, rows, n ? NULL : "  no lookups yet");
			break;
		}
		draw_row(d, y0 + r, rows_l[j], qw, j == d->sel[VIEW_LOOKUPS]);
	}
}

/* Keys of the list. */
enum ui_action
view_lookups_key(struct dash *d, int ch)
{
	if (ch == '\n' || ch == '\r' || ch == KEY_ENTER || ch == KEY_RIGHT)
		return UI_OPEN;
	dash_list_key(d, ch, LINES - 6);
	return UI_NONE;
}

/* Open the selected lookup's chain. */
int
view_lookups_open(struct dash *d)
{
	size_t	 n = load(d);

	if (n == 0 || d->sel[VIEW_LOOKUPS] >= (int)n)
		return 0;
	d->detail_kind = DETAIL_LOOKUP;
	d->detail_id = rows_l[d->sel[VIEW_LOOKUPS]]->id;
	return 1;
}
