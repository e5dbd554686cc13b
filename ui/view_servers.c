/*
 * view_servers.c -- the Servers view: per address, queries, answers,
 * timeouts and lame answers as shares of the queries, mean RTT, and the
 * zones it serves.  Sorted worst first (timeouts and lame answers), by
 * queries, or most recent first (the engine's order).  Enter opens the
 * server's detail (view_detail.c).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ui/curses_compat.h"
#include "ui/dash_int.h"
#include "util/addr.h"

static int	by_queries(const void *, const void *);
static int	by_trouble(const void *, const void *);
static double	share(uint64_t, uint64_t);
static size_t	load(struct dash *);
static void	draw(struct dash *, int, int);
static int	open_row(struct dash *);
static void	draw_row(struct dash *, int, const struct eng_server_view *,
		    int);

static const char *const sorts[] = { "trouble", "queries", "recent",
	NULL };

const struct dash_view view_servers = {
	"Servers", 'S', "queries, answers, timeouts %, lame %, mean RTT",
	sorts, load, draw, NULL, open_row
};

/* A part of a whole in per cent, 0 when the whole is 0. */
static double
share(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/* Most queried first. */
static int
by_queries(const void *a, const void *b)
{
	const struct eng_server_view *x = a, *y = b;

	return x->queries < y->queries ? 1 : x->queries > y->queries ? -1 : 0;
}

/* The biggest share of timeouts and lame answers first. */
static int
by_trouble(const void *a, const void *b)
{
	const struct eng_server_view *x = a, *y = b;
	double xs = share(x->timeouts + x->lame, x->queries);
	double ys = share(y->timeouts + y->lame, y->queries);

	return xs < ys ? 1 : xs > ys ? -1 : by_queries(a, b);
}

/* The servers that pass the filter (address or zone), sorted. */
static size_t
load(struct dash *d)
{
	struct eng_server_view	*srv = d->srows;
	char			 a[ADDR_STRLEN], z[FMT_LIST_MAX];
	size_t			 n, i, k = 0;

	n = engine_servers(d->eng, srv, DASH_SERVERS_MAX);
	for (i = 0; i < n; i++)
		if (dash_match(d, addr_str(srv[i].family, srv[i].addr, a,
		    sizeof(a))) || dash_match(d, fmt_names(srv[i].zones,
		    srv[i].nzones, ",", z, sizeof(z))))
			srv[k++] = srv[i];
	if (d->list[VIEW_SERVERS].sort == 0)
		qsort(srv, k, sizeof(*srv), by_trouble);
	else if (d->list[VIEW_SERVERS].sort == 1)
		qsort(srv, k, sizeof(*srv), by_queries);
	return k;
}

/* One server; half or more timing out is an error, any lame a warning. */
static void
draw_row(struct dash *d, int y, const struct eng_server_view *s, int sel)
{
	char	 a[ADDR_STRLEN], rtt[16], z[FMT_LIST_MAX];
	int	 attr;

	if (s->rtt_count)
		snprintf(rtt, sizeof(rtt), "%.1fms", (double)s->rtt_sum_us /
		    1000.0 / (double)s->rtt_count);
	else
		snprintf(rtt, sizeof(rtt), "-");
	attr = sel ? dash_attr(d, UIC_SELECTED) : s->queries &&
	    s->timeouts * 2 >= s->queries ? dash_attr(d, UIC_ERROR) :
	    s->lame ? dash_attr(d, UIC_WARN) : (int)A_NORMAL;
	dash_row(d, y, attr, " %-18s %7" PRIu64 " %7" PRIu64
	    " %5.0f%% %4.0f%% %8s  %s%s", addr_str(s->family, s->addr, a,
	    sizeof(a)), s->queries, s->responses, share(s->timeouts,
	    s->queries), share(s->lame, s->queries), rtt, s->is_resolver ?
	    "(resolver) " : "", fmt_names(s->zones, s->nzones, ",", z,
	    sizeof(z)));
}

/* Draw the table. */
static void
draw(struct dash *d, int y0, int rows)
{
	struct dash_list	*l = &d->list[VIEW_SERVERS];
	int			 r, j;

	dash_title(d, y0, " %-18s %7s %7s %6s %5s %8s  %s", "SERVER",
	    "QUERIES", "ANSWERS", "TMOUT", "LAME", "RTT", "ZONES");
	for (r = 1; r < rows; r++) {
		if ((j = l->top + r - 1) >= l->n) {
			dash_blank(y0, r, rows, l->n ? NULL :
			    "  no servers yet");
			break;
		}
		draw_row(d, y0 + r, &d->srows[j], j == l->sel);
	}
}

/* Open the selected server's detail. */
static int
open_row(struct dash *d)
{
	const struct eng_server_view *s = &d->srows[d->list[VIEW_SERVERS].sel];

	d->detail_kind = DETAIL_SERVER;
	memset(&d->detail_addr, 0, sizeof(d->detail_addr));
	d->detail_addr.family = s->family;
	memcpy(d->detail_addr.b, s->addr, 16);
	return 1;
}
