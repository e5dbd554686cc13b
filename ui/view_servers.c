/*
 * view_servers.c -- the Servers view: per address, queries, answers,
 * timeouts and lame answers as shares, RTT, and the zones it serves.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ui/curses_compat.h"
#include "ui/dash_int.h"
#include "util/addr.h"

#define SERVERS_MAX	2048

static int	by_queries(const void *, const void *);
static int	by_timeouts(const void *, const void *);

static int
by_queries(const void *a, const void *b)
{
	const struct eng_server_view *x = a, *y = b;

	return x->queries < y->queries ? 1 : x->queries > y->queries ? -1 : 0;
}

static int
by_timeouts(const void *a, const void *b)
{
	const struct eng_server_view *x = a, *y = b;
	double xs = x->queries ? (double)x->timeouts / x->queries : 0;
	double ys = y->queries ? (double)y->timeouts / y->queries : 0;

	return xs < ys ? 1 : xs > ys ? -1 : by_queries(a, b);
}

/* Draw the table. */
void
view_servers_draw(struct dash *d, int y0, int rows)
{
	static struct eng_server_view	*s;
	static const char		*sorts[] = { "recent", "queries",
	    "timeouts" };
	char				 a[ADDR_STRLEN];
	size_t				 n, i, k = 0;
	int				 r, j, *top = &d->top[VIEW_SERVERS];

	if (s == NULL && (s = calloc(SERVERS_MAX, sizeof(*s))) == NULL)
		return;
	n = engine_servers(d->eng, s, SERVERS_MAX);
	for (i = 0; i < n; i++)
		if (dash_match(d, addr_str(s[i].family, s[i].addr, a,
		    sizeof(a))) || dash_match(d, s[i].zones))
			s[k++] = s[i];
	if (d->sort[VIEW_SERVERS] == 1)
		qsort(s, k, sizeof(*s), by_queries);
	else if (d->sort[VIEW_SERVERS] == 2)
		qsort(s, k, sizeof(*s), by_timeouts);
	d->nrows = (int)k;
	if (d->sel[VIEW_SERVERS] < *top)
		*top = d->sel[VIEW_SERVERS];
	if (d->sel[VIEW_SERVERS] >= *top + rows - 1)
		*top = d->sel[VIEW_SERVERS] - rows + 2;
	dash_line(y0, 0, COLS, A_BOLD, " %-18s %7s %7s %6s %5s %8s  %s   "
	    "(by %s)", "SERVER", "QUERIES", "ANSWERS", "TMOUT", "LAME", "RTT",
	    "ZONES", sorts[d->sort[VIEW_SERVERS]]);
	for (r = 1; r < rows; r++) {
		j = *top + r - 1;
		if (j >= (int)k) {
			dash_line(y0 + r, 0, COLS, (int)A_NORMAL, "%s", "");
			continue;
		}
		dash_line(y0 + r, 0, COLS, j == d->sel[VIEW_SERVERS] ?
		    dash_attr(d, UIC_SELECTED) : s[j].queries &&
		    s[j].timeouts * 2 >= s[j].queries ? dash_attr(d,
		    UIC_ERROR) : s[j].lame ? dash_attr(d, UIC_WARN) :
		    (int)A_NORMAL, " %-18s %7" PRIu64 " %7" PRIu64 " %5.0f%% %4.0f%%"
		    " %6.1fms  %s%s", addr_str(s[j].family, s[j].addr, a,
		    sizeof(a)), s[j].queries, s[j].responses, s[j].queries ?
		    100.0 * s[j].timeouts / s[j].queries : 0.0, s[j].queries ?
		    100.0 * s[j].lame / s[j].queries : 0.0, s[j].rtt_count ?
		    s[j].rtt_sum_us / 1000.0 / s[j].rtt_count : 0.0,
		    s[j].is_resolver ? "(resolver) " : "", s[j].zones);
	}
}

enum ui_action
view_servers_key(struct dash *d, int ch)
{
	dash_list_key(d, ch, LINES - 6);
	return UI_NONE;
}
