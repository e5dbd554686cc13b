/*
 * view_top.c -- the Top view, as dnstop shows traffic: the query names,
 * query sources, servers asked, query types and response codes seen most,
 * each with its count and share.  s moves to the next table.  Counts come
 * from the engine's bounded heavy-hitter summaries: a count is at most
 * "err" over the truth, shown as "~" when it is not exact.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "decode/dname.h"
#include "decode/dnstab.h"
#include "ui/curses_compat.h"
#include "ui/dash_int.h"

static size_t	load(struct dash *);
static void	draw(struct dash *, int, int);
static const char *label(const struct dash *, const struct eng_top_entry *,
		    char *, size_t);

static const char *const sorts[] = { "query names", "sources", "servers",
	"query types", "rcodes", NULL };

const struct dash_view view_top = {
	"Top", 'T', "top query names, sources, servers, types, rcodes (s: next)",
	sorts, load, draw, NULL, NULL
};

/* The table chosen by the sort order, filtered. */
static size_t
load(struct dash *d)
{
	struct eng_top_entry	*t = d->toprows;
	char			 b[DNS_NAME_STRMAX];
	size_t			 n, i, k = 0;

	d->topdim = d->list[VIEW_TOP].sort;
	n = engine_top(d->eng, (enum eng_top)d->topdim, t, DASH_TOP_MAX,
	    &d->toptotal);
	for (i = 0; i < n; i++)
		if (dash_match(d, label(d, &t[i], b, sizeof(b))))
			t[k++] = t[i];
	return k;
}

/* An entry's key as text. */
static const char *
label(const struct dash *d, const struct eng_top_entry *e, char *buf,
    size_t size)
{
	switch (d->topdim) {
	case ENG_TOP_QNAME:
		return fmt_name(&e->name, buf, size);
	case ENG_TOP_SOURCE:
	case ENG_TOP_SERVER:
		return fmt_addr(&e->addr, buf, size);
	case ENG_TOP_QTYPE:
		return dns_type_str(e->code, buf, size);
	default:
		return dns_rcode_str(e->code, buf, size);
	}
}

/* Draw the table. */
static void
draw(struct dash *d, int y0, int rows)
{
	struct dash_list		*l = &d->list[VIEW_TOP];
	const struct eng_top_entry	*e;
	char				 b[DNS_NAME_STRMAX];
	int				 r, j;

	dash_title(d, y0, " %4s %10s %6s  %s", "RANK", "COUNT", "SHARE",
	    d->topdim == ENG_TOP_RCODE ? "RCODE (responses)" :
	    d->topdim == ENG_TOP_SOURCE ? "SOURCE (queries from)" :
	    d->topdim == ENG_TOP_SERVER ? "SERVER (queries to)" :
	    d->topdim == ENG_TOP_QTYPE ? "QTYPE" : "QNAME");
	for (r = 1; r < rows; r++) {
		if ((j = l->top + r - 1) >= l->n) {
			dash_blank(y0, r, rows, l->n ? NULL : "  nothing "
			    "counted yet (s: next table)");
			break;
		}
		e = &d->toprows[j];
		dash_row(d, y0 + r, j == l->sel ? dash_attr(d, UIC_SELECTED) :
		    (int)A_NORMAL, " %4d %s%9" PRIu64 " %5.1f%%  %s", j + 1,
		    e->err ? "~" : " ", e->count, d->toptotal ? 100.0 *
		    (double)e->count / (double)d->toptotal : 0.0,
		    label(d, e, b, sizeof(b)));
	}
}
