/*
 * dash.c -- the dashboard: header, status line, help, keys, mouse, and the
 * helpers the views share.
 *
 * The dashboard is a consumer of main's one event loop: main reads the
 * inputs and calls dash_step(), which applies the pending keys and mouse
 * events and redraws at most DRAW_MS apart when the engine's generation
 * moved, or at once on a key or a resize (STYLE.md rule 9).  The views are
 * a table (dash_views[]): the loop never switches on a view.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "decode/dname.h"
#include "ui/curses_compat.h"
#include "ui/dash_int.h"
#include "ui/json.h"
#include "ui/termcheck.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define DRAW_MS		250	/* at most 4 redraws a second */
#define IDLE_DRAW_MS	1000	/* rates and NEW marks age even when idle */
#define NEW_MS		5000	/* how long a new finding stays marked */
#define MSG_MS		6000	/* how long a status message stays */
#define HEADER_ROWS	5
#define SPARK_STEP_S	5	/* seconds a sparkline sample covers */
#define HSTEP		8	/* columns a sideways scroll moves */

static SCREEN	*screen;
static int	 utf8;		/* the terminal takes UTF-8 (sparklines) */

/* The views, in tab order; detail and help are reached from them. */
static const struct dash_view *const views[VIEW__LIST + 1] = {
	&view_findings, &view_zones, &view_servers, &view_loops,
	&view_lookups, &view_top, &view_detail
};

/* Colours, by meaning (rule 41): foreground, background, mono attribute. */
static const struct {
	short	fg, bg;
	int	mono;
} ui_colours[UIC__MAX] = {
	[UIC_NORMAL] = { -1, -1, A_NORMAL },
	[UIC_HEADER] = { COLOR_BLACK, COLOR_CYAN, A_REVERSE },
	[UIC_CRIT] = { COLOR_WHITE, COLOR_RED, A_BOLD | A_REVERSE },
	[UIC_ERROR] = { COLOR_RED, -1, A_BOLD },
	[UIC_WARN] = { COLOR_YELLOW, -1, A_BOLD },
	[UIC_NOTICE] = { COLOR_CYAN, -1, A_NORMAL },
	[UIC_INFO] = { COLOR_GREEN, -1, A_DIM },
	[UIC_SELECTED] = { COLOR_BLACK, COLOR_WHITE, A_REVERSE },
	[UIC_NEW] = { COLOR_MAGENTA, -1, A_BOLD | A_UNDERLINE },
	[UIC_GOOD] = { COLOR_GREEN, -1, A_NORMAL },
	[UIC_DIM] = { COLOR_BLUE, -1, A_DIM },
};

static uint64_t	now_ms(void);
static void	colours_init(struct dash *);
static const char *human(double, char *, size_t);
static void	draw(struct dash *);
static void	draw_header(struct dash *);
static void	draw_lookups(struct dash *, int);
static void	draw_sparks(struct dash *, int);
static void	draw_health(struct dash *, int);
static void	draw_tabs(struct dash *, int);
static void	draw_status(struct dash *);
static void	draw_help(struct dash *, int, int);
static enum ui_action key_action(struct dash *, int);
static enum ui_action list_key(struct dash *, int);
static int	apply(struct dash *, enum ui_action);
static void	apply_open(struct dash *);
static void	apply_reset(struct dash *);
static void	filter_key(struct dash *, int);
static int	confirm_key(struct dash *, int);
static enum ui_action mouse_action(struct dash *);
static void	update_rates(struct dash *);
static void	update_sparks(struct dash *);
static void	spark_push(struct dash_spark *, uint64_t, unsigned);
static void	spark_last(struct dash_spark *, uint64_t);
static void	note_new(struct dash *);
static void	scroll_list(struct dash *);
static void	export(struct dash *, int json);

/* Milliseconds of a monotonic clock. */
static uint64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Set the colour pairs, unless NO_COLOR or the terminal has none. */
static void
colours_init(struct dash *d)
{
	const char	*nc = getenv("NO_COLOR");
	int		 i;

	d->colour = has_colors() && (nc == NULL || *nc == '\0');
	if (!d->colour)
		return;
	start_color();
	use_default_colors();
	for (i = 1; i < UIC__MAX; i++)
		init_pair((short)i, ui_colours[i].fg, ui_colours[i].bg);
}

/* The attribute for a meaning: a colour pair, or the mono fallback. */
int
dash_attr(const struct dash *d, enum uic c)
{
	if (c == UIC_NORMAL)
		return A_NORMAL;
	if (!d->colour)
		return ui_colours[c].mono;
	return COLOR_PAIR(c) | (c == UIC_CRIT || c == UIC_ERROR ||
	    c == UIC_WARN || c == UIC_NEW ? A_BOLD : 0);
}

/* The attribute for a severity. */
int
dash_sev_attr(const struct dash *d, int sev)
{
	static const enum uic map[] = { UIC_CRIT, UIC_ERROR, UIC_WARN,
	    UIC_NOTICE, UIC_INFO };

	return dash_attr(d, sev >= 0 && sev < 5 ? map[sev] : UIC_NORMAL);
}

/* Does text pass the name filter (a case-insensitive substring)? */
int
dash_match(const struct dash *d, const char *text)
{
	size_t	 n = strlen(d->filter), i;

	if (n == 0)
		return 1;
	for (; *text != '\0'; text++) {
		for (i = 0; i < n && text[i] != '\0' &&
		    tolower((unsigned char)text[i]) ==
		    tolower((unsigned char)d->filter[i]); i++)
			;
		if (i == n)
			return 1;
	}
	return 0;
}

/* Was this finding first seen in the last NEW_MS? */
int
dash_is_new(const struct dash *d, uint32_t id)
{
	unsigned	 i;

	for (i = 0; i < d->nnew && i < DASH_NEW_MAX; i++)
		if (d->new_id[i] == id)
			return d->now_ms - d->new_ms[i] < NEW_MS;
	return 0;
}

/* Remember findings whose id is above the highest seen (ids only grow). */
static void
note_new(struct dash *d)
{
	const struct eng_finding	**f;
	size_t				  n, i;
	uint32_t			  hw = d->new_hw;
	unsigned			  k;

	n = engine_changed(d->eng, d->note_gen, &f);
	d->note_gen = engine_generation(d->eng);
	for (i = 0; i < n; i++) {
		if (f[i]->id <= d->new_hw)
			continue;
		k = d->nnew++ % DASH_NEW_MAX;
		d->new_id[k] = f[i]->id;
		d->new_ms[k] = d->now_ms;
		if (f[i]->id > hw)
			hw = f[i]->id;
	}
	d->new_hw = hw;
}

/* Copy text for the screen: bytes curses would misdraw become \DDD. */
static void
escape(char *dst, size_t size, const char *src)
{
	size_t	 len = 0;

	for (; *src != '\0' && len + 5 < size; src++) {
		if (isprint((unsigned char)*src))
			dst[len++] = *src;
		else
			len += (size_t)snprintf(dst + len, size - len, "\\%03u",
			    (unsigned char)*src);
	}
	dst[len] = '\0';
}

/* Print one line, cut to width, padded with spaces (rule 31: escaped). */
void
dash_line(int y, int x, int width, int attr, const char *fmt, ...)
{
	char	 buf[1024], out[1024];
	va_list	 ap;

	if (width <= 0 || y < 0 || y >= LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	escape(out, sizeof(out), buf);
	attrset(attr);
	mvprintw(y, x, "%-*.*s", width, width, out);
	attrset(A_NORMAL);
}

/* Print a piece of a line at x, cut at the screen edge; returns the next x. */
int
dash_seg(int y, int x, int attr, const char *fmt, ...)
{
	char	 buf[1024], out[1024];
	va_list	 ap;
	int	 len;

	if (x >= COLS)
		return x;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	escape(out, sizeof(out), buf);
	len = (int)strlen(out);
	attrset(attr);
	mvprintw(y, x, "%.*s", COLS - x, out);
	attrset(A_NORMAL);
	return x + len;
}

/* A piece of a list row at virtual column vx, scrolled sideways. */
int
dash_vseg(const struct dash *d, int y, int vx, int attr, const char *fmt, ...)
{
	char	 buf[2048], out[2048];
	va_list	 ap;
	int	 len, x, skip = 0, hoff;

	hoff = d->view < VIEW__LIST ? d->list[d->view].hoff : 0;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	escape(out, sizeof(out), buf);
	len = (int)strlen(out);
	x = vx - hoff;
	if (x < 0) {
		skip = -x;
		x = 0;
	}
	if (skip < len && x < COLS) {
		attrset(attr);
		mvprintw(y, x, "%.*s", COLS - x, out + skip);
		attrset(A_NORMAL);
	}
	return vx + len;
}

/* A whole list row: cleared in attr, then the text, scrolled sideways. */
void
dash_row(const struct dash *d, int y, int attr, const char *fmt, ...)
{
	char	 buf[2048];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	dash_line(y, 0, COLS, attr, "%s", "");
	dash_vseg(d, y, 0, attr, "%s", buf);
}

/* A list's title row: the columns, then "(n, by order)". */
void
dash_title(struct dash *d, int y, const char *fmt, ...)
{
	const struct dash_view	*v = views[d->view];
	char			 buf[1024];
	va_list			 ap;
	int			 x;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	dash_line(y, 0, COLS, A_BOLD, "%s", "");
	dash_vseg(d, y, 0, A_BOLD, "%s", buf);
	/* The count and order stay at the right edge, never scrolled. */
	if (v->sorts != NULL) {
		x = snprintf(buf, sizeof(buf), " (%d, by %s) ",
		    d->list[d->view].n, v->sorts[d->list[d->view].sort]);
		dash_seg(y, x < COLS ? COLS - x : 0, A_BOLD | A_REVERSE, "%s",
		    buf);
	} else if (d->list[d->view].hoff > 0)
		dash_seg(y, COLS - 6, A_BOLD | A_REVERSE, " >>%d ",
		    d->list[d->view].hoff);
}

/* Blank rows from..rows-1 below y0, the first with a message if any. */
void
dash_blank(int y0, int from, int rows, const char *msg)
{
	int	 r;

	for (r = from; r < rows; r++)
		dash_line(y0 + r, 0, COLS, (int)A_NORMAL, "%s",
		    r == from && msg != NULL ? msg : "");
}

/* Grow a row array to hold need entries (a failure is fatal, not hidden). */
void
dash_grow(void *rowsp, size_t *cap, size_t need, size_t size)
{
	void	**rows = rowsp;

	if (need <= *cap)
		return;
	*rows = xreallocarray(*rows, need + 64, size);
	*cap = need + 64;
}

/* A message on the status line for a few seconds. */
void
dash_say(struct dash *d, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	d->msg_ms = d->now_ms + MSG_MS;
}

/*
 * The value of a finding's field as text (lists joined with commas), or
 * "".  Four buffers in turn, so that one expression may use a few.
 */
const char *
dash_field(const struct eng_finding *f, enum eng_key key)
{
	static char	 buf[4][FMT_LIST_MAX];
	static int	 next;

	next = (next + 1) % 4;
	return fmt_key(f, key, buf[next], sizeof(buf[next]));
}

/* Does the finding name zone (its zone, or a zone of its cycle)? */
int
dash_finding_has_zone(const struct eng_finding *f, const char *zone)
{
	static const enum eng_key keys[] = { ENG_F_ZONE, ENG_F_CYCLE };
	const struct eng_field	*fl;
	char			 b[DNS_NAME_STRMAX];
	unsigned		 k, i;

	for (k = 0; k < 2; k++)
		if ((fl = engine_field(f, keys[k])) != NULL)
			for (i = 0; i < fl->n; i++)
				if (strcasecmp(fmt_name(f->names[fl->off + i],
				    b, sizeof(b)), zone) == 0)
					return 1;
	return 0;
}

/* Does the finding name this server address? */
int
dash_finding_has_addr(const struct eng_finding *f, const struct eng_addr *a)
{
	static const enum eng_key keys[] = { ENG_F_SERVER, ENG_F_SERVERS,
	    ENG_F_ADDRESSES };
	const struct eng_field	*fl;
	unsigned		 k, i;

	for (k = 0; k < 3; k++)
		if ((fl = engine_field(f, keys[k])) != NULL &&
		    (engine_key_type(keys[k]) == ENG_V_ADDR ||
		    engine_key_type(keys[k]) == ENG_V_ADDRS))
			for (i = 0; i < fl->n; i++)
				if (f->addrs[fl->off + i].family == a->family &&
				    memcmp(f->addrs[fl->off + i].b, a->b,
				    a->family == 6 ? 16 : 4) == 0)
					return 1;
	return 0;
}

/* A comma list of zones "a,b,c" drawn as the ring "a -> b -> c -> a". */
const char *
dash_ring(const char *list, char *buf, size_t size)
{
	size_t		 len = 0;
	const char	*c;

	buf[0] = '\0';
	for (c = list; *c != '\0' && len + 8 < size; c++)
		len += (size_t)snprintf(buf + len, size - len,
		    *c == ',' ? " -> " : "%c", *c);
	if (len + 8 < size && *list != '\0')
		snprintf(buf + len, size - len, " -> %.*s",
		    (int)strcspn(list, ","), list);
	return buf;
}

/* A finding's subject: its identifying fields joined; cycles as rings. */
const char *
dash_finding_subject(const struct eng_finding *f, char *buf, size_t size)
{
	static const enum eng_key keys[] = { ENG_F_ZONE, ENG_F_QNAME,
	    ENG_F_NS, ENG_F_SERVER, ENG_F_SERVERS, ENG_F_REASON,
	    ENG_F_OUTCOME };
	const struct eng_field	*fl;
	char			 v[FMT_LIST_MAX];
	size_t			 len = 0, k;

	buf[0] = '\0';
	if (f->kind == ENG_K_CIRCULAR_DELEGATION)
		return dash_ring(dash_field(f, ENG_F_CYCLE), buf, size);
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		if ((fl = engine_field(f, keys[k])) != NULL && len + 4 < size)
			len += (size_t)snprintf(buf + len, size - len,
			    "%s%s", len ? "  " : "", fmt_field(f, fl, ",", v,
			    sizeof(v)));
	return buf;
}

/* Keep the selection in the list and on screen (rows include the title). */
static void
scroll_list(struct dash *d)
{
	struct dash_list	*l = &d->list[d->view];
	int			 rows = d->body;

	if (l->sel >= l->n)
		l->sel = l->n > 0 ? l->n - 1 : 0;
	if (l->sel < 0)
		l->sel = 0;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + rows - 1)
		l->top = l->sel - rows + 2;
	if (l->top > 0 && l->top > l->n - (rows - 1))
		l->top = l->n - (rows - 1) > 0 ? l->n - (rows - 1) : 0;
	if (l->top < 0)
		l->top = 0;
}

/* A rate or count in at most five characters: 950, 12k, 3.4M. */
static const char *
human(double v, char *buf, size_t size)
{
	if (v < 9999.5)
		snprintf(buf, size, "%.0f", v);
	else if (v < 999500)
		snprintf(buf, size, "%.*fk", v < 99950 ? 1 : 0, v / 1e3);
	else
		snprintf(buf, size, "%.1fM", v / 1e6);
	return buf;
}

/* Packets and messages per second, a moving average: over wall time when
 * live, over packet time for files (which are read faster than real time). */
static void
update_rates(struct dash *d)
{
	const struct engine_counters	*c = engine_counters(d->eng);
	uint64_t			 t, dt, unit;
	double				 p, m;

	t = d->info->live ? d->now_ms : c->last_ns;
	unit = d->info->live ? 1000 : 1000000000;
	if (!d->info->live && d->eof && d->pps == 0 && c->last_ns >
	    c->first_ns) {
		/* The file was read before a second of it passed: its mean. */
		d->pps = (double)c->health.packets * 1e9 /
		    (double)(c->last_ns - c->first_ns);
		d->mps = (double)c->messages * 1e9 /
		    (double)(c->last_ns - c->first_ns);
	}
	if (c->messages < d->last_msgs || c->health.packets <
	    d->last_packets || t < d->rate_t)
		d->rate_t = 0;		/* reset or a new file: start again */
	if (d->rate_t == 0) {
		d->rate_t = t;
		d->last_packets = c->health.packets;
		d->last_msgs = c->messages;
		return;
	}
	if ((dt = t - d->rate_t) < unit)
		return;
	p = (double)(c->health.packets - d->last_packets) * unit / dt;
	m = (double)(c->messages - d->last_msgs) * unit / dt;
	d->pps = d->pps > 0 ? 0.7 * d->pps + 0.3 * p : p;
	d->mps = d->mps > 0 ? 0.7 * d->mps + 0.3 * m : m;
	d->last_packets = c->health.packets;
	d->last_msgs = c->messages;
	d->rate_t = t;
}

/* Add steps samples to a sparkline: what the counter grew by since the
 * last sample, then zeros for the steps nothing was seen in. */
static void
spark_push(struct dash_spark *s, uint64_t counter, unsigned steps)
{
	uint64_t	 grew = counter >= s->last ? counter - s->last : 0;
	unsigned	 i;

	s->last = counter;
	for (i = 0; i < steps && i < DASH_SPARK; i++) {
		s->v[s->n % DASH_SPARK] = i == 0 ? (uint32_t)(grew > UINT32_MAX ?
		    UINT32_MAX : grew) : 0;
		s->n++;
	}
}

/* Add what the counter grew by to the last sample (a partial step). */
static void
spark_last(struct dash_spark *s, uint64_t counter)
{
	if (s->n == 0) {
		spark_push(s, counter, 1);
		return;
	}
	s->v[(s->n - 1) % DASH_SPARK] += (uint32_t)(counter - s->last);
	s->last = counter;
}

/* Sample the sparklines every SPARK_STEP_S of wall time live, of packet
 * time in files. */
static void
update_sparks(struct dash *d)
{
	const struct engine_counters	*c = engine_counters(d->eng);
	uint64_t			 t, step, n;

	t = d->info->live ? d->now_ms * 1000000 : c->last_ns;
	step = (uint64_t)SPARK_STEP_S * 1000000000;
	if (t == 0)
		return;
	if (d->spark_t == 0 || t < d->spark_t) {
		/* The first step starts at the first packet (files) or now
		 * (live), from the counters at the start or at a reset. */
		d->spark_t = d->info->live || c->first_ns == 0 ? t :
		    c->first_ns;
		d->sp_q.last = d->sp_sf.last = d->sp_to.last = 0;
		if (t == d->spark_t)
			return;
	}
	if (t - d->spark_t < step && (!d->eof || t == d->spark_t))
		return;
	n = (t - d->spark_t) / step;
	if (n == 0) {
		/* The end of a file: what is left goes into the last step. */
		spark_last(&d->sp_q, c->queries);
		spark_last(&d->sp_sf, c->rcodes[2]);
		spark_last(&d->sp_to, c->timeouts);
		d->spark_t = t;
		return;
	}
	spark_push(&d->sp_q, c->queries, (unsigned)(n > DASH_SPARK ?
	    DASH_SPARK : n));
	spark_push(&d->sp_sf, c->rcodes[2], (unsigned)(n > DASH_SPARK ?
	    DASH_SPARK : n));
	spark_push(&d->sp_to, c->timeouts, (unsigned)(n > DASH_SPARK ?
	    DASH_SPARK : n));
	d->spark_t += n * step;
}

/* Draw the last width samples of a sparkline at x; returns the next x. */
static int
spark_draw(struct dash *d, int y, int x, int width, const char *label,
    const struct dash_spark *s, int warn)
{
	static const char *const blocks[] = { " ", "\u2581", "\u2582",
	    "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588" };
	static const char ascii[] = " .:-=+*#@";
	unsigned	 i, n = s->n < (unsigned)width ? s->n : (unsigned)width;
	uint32_t	 max = 0, v, now;
	int		 level, attr;
	char		 r[16];

	for (i = 0; i < n; i++)
		if ((v = s->v[(s->n - 1 - i) % DASH_SPARK]) > max)
			max = v;
	now = s->n ? s->v[(s->n - 1) % DASH_SPARK] : 0;
	attr = warn && now > 0 ? dash_attr(d, UIC_WARN) : (int)A_NORMAL;
	x = dash_seg(y, x, (int)A_NORMAL, " %s ", label);
	if (x >= COLS)
		return x;
	attrset(attr);
	for (i = 0; i < (unsigned)width && x < COLS; i++, x++) {
		/* oldest at the left; blanks before the first sample */
		if ((unsigned)width - i > n) {
			mvaddstr(y, x, " ");
			continue;
		}
		v = s->v[(s->n - ((unsigned)width - i)) % DASH_SPARK];
		level = max == 0 ? 0 : v == 0 ? 0 : 1 + (int)((uint64_t)v * 7 /
		    max);
		if (utf8)
			mvaddstr(y, x, blocks[level]);
		else
			mvaddch(y, x, (chtype)ascii[level]);
	}
	attrset(A_NORMAL);
	return dash_seg(y, x, attr, " %s/s", human((double)now / SPARK_STEP_S,
	    r, sizeof(r)));
}

/* The header: state, source, filter; lookups; rates; health; the tabs. */
static void
draw_header(struct dash *d)
{
	const char	*state, *filter = d->info->filter;
	int		 x, hdr = dash_attr(d, UIC_HEADER);

	state = d->paused ? "PAUSED" : d->eof ? "END OF FILE" :
	    d->info->live ? "LIVE" : d->info->speed > 0 ? "REPLAY" : "READING";
	if (filter == NULL || strncmp(filter, "(default)", 9) == 0)
		filter = "default";
	dash_line(0, 0, COLS, hdr, "%s", "");
	x = dash_seg(0, 0, hdr, " gluetop  ");
	x = dash_seg(0, x, hdr | A_BOLD, "%s", state);
	x = dash_seg(0, x, hdr, "  %s  filter: %s", d->info->sources, filter);
	draw_lookups(d, 1);
	draw_sparks(d, 2);
	draw_health(d, 3);
	draw_tabs(d, 4);
}

/* Header row: capture time span, then the lookups clients asked for. */
static void
draw_lookups(struct dash *d, int y)
{
	const struct engine_counters	*c = engine_counters(d->eng);
	char				 a[16], b[16], p[16];
	time_t				 t;
	struct tm			 tm;
	int				 x;

	t = (time_t)(c->first_ns / 1000000000);
	strftime(a, sizeof(a), "%H:%M:%S", gmtime_r(&t, &tm));
	t = (time_t)(c->last_ns / 1000000000);
	strftime(b, sizeof(b), "%H:%M:%S", gmtime_r(&t, &tm));
	dash_line(y, 0, COLS, (int)A_NORMAL, "%s", "");
	x = dash_seg(y, 0, (int)A_NORMAL, " %s-%sZ (%" PRIu64 "s)  %s pkt/s",
	    c->first_ns ? a : "--:--:--", c->last_ns ? b : "--:--:--",
	    c->last_ns > c->first_ns ? (c->last_ns - c->first_ns) /
	    1000000000 : 0, human(d->pps, p, sizeof(p)));
	x = dash_seg(y, x, (int)A_NORMAL, "  client lookups %" PRIu64,
	    c->client_lookups);
	x = dash_seg(y, x, c->client_lookups_failed ? dash_attr(d, UIC_WARN) :
	    (int)A_NORMAL, "  failed %" PRIu64, c->client_lookups_failed);
	x = dash_seg(y, x, (int)A_NORMAL, "  in flight %" PRIu64,
	    c->lookups_active);
	if (d->resets > 0)
		dash_seg(y, x, dash_attr(d, UIC_WARN), "  (since reset)");
}

/* Header row: queries, SERVFAIL and timeouts over the last minutes. */
static void
draw_sparks(struct dash *d, int y)
{
	int	 w = (COLS - 48) / 3, x;

	if (w > 24)
		w = 24;
	dash_line(y, 0, COLS, (int)A_NORMAL, "%s", "");
	if (w < 4) {
		dash_seg(y, 0, (int)A_NORMAL, " (wider for sparklines)");
		return;
	}
	x = spark_draw(d, y, 0, w, "queries", &d->sp_q, 0);
	x = spark_draw(d, y, x + 1, w, "SERVFAIL", &d->sp_sf, 1);
	spark_draw(d, y, x + 1, w, "timeouts", &d->sp_to, 1);
}

/* Header row: capture health, each non-zero count in the warning colour. */
static void
draw_health(struct dash *d, int y)
{
	const struct engine_counters	*c = engine_counters(d->eng);
	const struct eng_health		*h = &c->health;
	uint64_t			 v[6];
	static const char		*names[6] = { "dropped", "cut",
	    "skipped", "malformed", "evicted", "gaps" };
	int				 i, x;

	v[0] = h->pcap_drop + h->if_drop;
	v[1] = h->snap_cut;
	v[2] = h->skipped;
	v[3] = h->malformed + c->dns_malformed;
	v[4] = h->cap_evicted + c->evict_pending + c->evict_active;
	v[5] = h->frag_incomplete + h->tcp_gaps;
	dash_line(y, 0, COLS, (int)A_NORMAL, "%s", "");
	x = dash_seg(y, 0, (int)A_NORMAL, " capture:");
	for (i = 0; i < 6; i++)
		if (i < 5 || v[i] != 0)
			x = dash_seg(y, x, v[i] ? dash_attr(d, UIC_WARN) :
			    (int)A_NORMAL, " %" PRIu64 " %s", v[i], names[i]);
	dash_seg(y, x, (int)A_NORMAL, "   %" PRIu64 " timeouts", c->timeouts);
}

/* Header row: the views, the current one marked. */
static void
draw_tabs(struct dash *d, int y)
{
	int	 i, x = 0, cur;

	cur = d->view < VIEW__LIST ? d->view : d->prev_view;
	dash_line(y, 0, COLS, (int)A_NORMAL, "%s", "");
	for (i = 0; i < VIEW__LIST; i++)
		x = dash_seg(y, x, i == cur ? dash_attr(d, UIC_SELECTED) |
		    A_BOLD : (int)A_NORMAL, "%d %s", i + 1,
		    views[i]->name) + 1;
	if (d->view == VIEW_DETAIL)
		dash_seg(y, x, A_BOLD, "> detail");
	else if (d->view == VIEW_HELP)
		dash_seg(y, x, A_BOLD, "> help");
}

/* The bottom line: a question, a message, the filter, or the keys. */
static void
draw_status(struct dash *d)
{
	int	 x, attr = dash_attr(d, UIC_HEADER);

	if (d->confirm) {
		dash_line(LINES - 1, 0, COLS, attr | A_BOLD, " reset all "
		    "counters and findings? y/N%s", d->info->live ? "" :
		    "  (they come back only by reading the file again)");
		return;
	}
	if (d->filtering) {
		dash_line(LINES - 1, 0, COLS, attr, " filter: %s_   "
		    "(Enter keeps it, Esc clears)", d->filter);
		return;
	}
	if (d->msg[0] != '\0' && d->now_ms < d->msg_ms) {
		dash_line(LINES - 1, 0, COLS, attr | A_BOLD, " %s", d->msg);
		return;
	}
	dash_line(LINES - 1, 0, COLS, attr, "%s", "");
	x = 0;
	if (d->filter[0] != '\0')
		x = dash_seg(LINES - 1, 0, attr | A_BOLD, " filter \"%s\" "
		    "(Esc clears) ", d->filter);
	if (d->view == VIEW_DETAIL)
		dash_seg(LINES - 1, x, attr, " Esc:back  arrows/PgUp/PgDn:"
		    "scroll  e/E:export text/JSON  ?:help");
	else if (d->view == VIEW_HELP)
		dash_seg(LINES - 1, x, attr, " Esc:back  q:quit");
	else
		dash_seg(LINES - 1, x, attr, " ?:help 1-6/Tab:views "
		    "Enter:detail /:filter s:sort <>:scroll r:reset q:quit");
}

/* The help screen: the views from the table, then the keys. */
static void
draw_help(struct dash *d, int y0, int rows)
{
	static const char *keys[] = {
		"Keys",
		"  Up/Down j/k PgUp/PgDn Home/End  move     Enter  open the detail",
		"  Left/Right  scroll a list sideways        /      filter by name",
		"  Esc Backspace  back from a detail         s      next sort order",
		"  e E  export the detail (text, JSON)       p      pause the screen",
		"  r  reset counters and findings (asks)     q      quit",
		"  mouse: click selects, double-click opens, wheel scrolls",
		"Detail: the lookup chain like dig +trace (zone, @server, what came",
		"  back, NS names and glue of each referral, RTT, frames), MISSING",
		"  glue marked, the cycle as a ring, the evidence frames.",
		"Severities: critical error warning notice info.",
	};
	int	 i, r = 0, n = (int)(sizeof(keys) / sizeof(keys[0]));

	dash_line(y0 + r++, 0, COLS, A_BOLD, " %s", "Views (Tab cycles)");
	for (i = 0; i < VIEW__LIST && r < rows; i++)
		dash_line(y0 + r++, 0, COLS, (int)A_NORMAL, "   %d %c  %-9s %s",
		    i + 1, views[i]->mnemonic, views[i]->name, views[i]->help);
	for (i = 0; i < n && r < rows; i++)
		dash_line(y0 + r++, 0, COLS, keys[i][0] != ' ' ? (int)A_BOLD :
		    (int)A_NORMAL, " %s", keys[i]);
	dash_blank(y0, r, rows, NULL);
	(void)d;
}

/* Draw the whole screen. */
static void
draw(struct dash *d)
{
	int	 y0 = HEADER_ROWS;

	d->body = LINES - HEADER_ROWS - 1;
	if (d->body < 3 || COLS < 40) {
		erase();
		mvprintw(0, 0, "gluetop: terminal too small");
		refresh();
		return;
	}
	draw_header(d);
	if (d->view == VIEW_HELP)
		draw_help(d, y0, d->body);
	else {
		if (d->view < VIEW__LIST) {
			d->list[d->view].n = (int)views[d->view]->load(d);
			scroll_list(d);
		}
		views[d->view]->draw(d, y0, d->body);
	}
	draw_status(d);
	refresh();
}

/* Typing into the filter. */
static void
filter_key(struct dash *d, int ch)
{
	size_t	 len = strlen(d->filter);
	int	 i;

	if (ch == '\n' || ch == '\r' || ch == KEY_ENTER)
		d->filtering = 0;
	else if (ch == 27) {
		d->filter[0] = '\0';
		d->filtering = 0;
	} else if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && len > 0)
		d->filter[len - 1] = '\0';
	else if (ch >= 32 && ch < 127 && len + 1 < sizeof(d->filter)) {
		d->filter[len] = (char)ch;
		d->filter[len + 1] = '\0';
	}
	for (i = 0; i < VIEW__LIST; i++)
		d->list[i].sel = d->list[i].top = 0;
}

/* The answer to "reset? y/N"; returns 1 when it was a key for it. */
static int
confirm_key(struct dash *d, int ch)
{
	d->confirm = 0;
	if (ch == 'y' || ch == 'Y')
		apply_reset(d);
	else
		dash_say(d, "nothing was reset");
	return 1;
}

/* Keys every list shares: moving, sideways, sort, Enter. */
static enum ui_action
list_key(struct dash *d, int ch)
{
	struct dash_list	*l = &d->list[d->view];
	int			 page = d->body > 2 ? d->body - 2 : 1;

	switch (ch) {
	case KEY_UP: case 'k': l->sel--; break;
	case KEY_DOWN: case 'j': l->sel++; break;
	case KEY_PPAGE: l->sel -= page; break;
	case KEY_NPAGE: case ' ': l->sel += page; break;
	case KEY_HOME: case 'g': l->sel = 0; break;
	case KEY_END: case 'G': l->sel = l->n - 1; break;
	case KEY_LEFT: case '<':
		l->hoff = l->hoff > HSTEP ? l->hoff - HSTEP : 0;
		break;
	case KEY_RIGHT: case '>':
		if (l->hoff < 4 * COLS)
			l->hoff += HSTEP;
		break;
	case '\n': case '\r': case KEY_ENTER:
		return UI_OPEN;
	case 's':
		return UI_SORT;
	default:
		return views[d->view]->key != NULL ?
		    views[d->view]->key(d, ch) : UI_NONE;
	}
	if (l->sel >= l->n)
		l->sel = l->n - 1;
	if (l->sel < 0)
		l->sel = 0;
	return UI_NONE;
}

/* Keys common to every view, then the view's own. */
static enum ui_action
key_action(struct dash *d, int ch)
{
	int	 i;

	if (ch == 'Q' || (ch == 'q' && d->view < VIEW__LIST))
		return UI_QUIT;
	if (ch >= '1' && ch < '1' + VIEW__LIST) {
		d->want_view = ch - '1';
		return UI_VIEW_SET;
	}
	for (i = 0; i < VIEW__LIST; i++)
		if (ch == views[i]->mnemonic) {
			d->want_view = i;
			return UI_VIEW_SET;
		}
	switch (ch) {
	case '\t': return UI_VIEW_NEXT;
	case '?': case 'h': case KEY_F(1):
		return d->view == VIEW_HELP ? UI_BACK : UI_HELP;
	case 'p': return UI_PAUSE;
	case 'r': return UI_RESET;
	case '/': return UI_FILTER;
	case KEY_RESIZE: case 12: return UI_REDRAW;
	case KEY_MOUSE: return mouse_action(d);
	case 'e': return UI_EXPORT_TEXT;
	case 'E': return UI_EXPORT_JSON;
	case 27:
		if (d->view < VIEW__LIST && d->filter[0] != '\0')
			return UI_FILTER_CLEAR;
		break;
	}
	if (d->view < VIEW__LIST)
		return list_key(d, ch);
	if (d->view == VIEW_DETAIL)
		return view_detail.key(d, ch);
	return ch == 27 || ch == KEY_BACKSPACE || ch == 127 || ch == 'q' ||
	    ch == KEY_LEFT ? UI_BACK : UI_NONE;
}

/* A click selects a row or a tab; a double click opens; the wheel moves. */
static enum ui_action
mouse_action(struct dash *d)
{
	MEVENT			 ev;
	struct dash_list	*l;
	int			 i, x = 0, row;

	if (getmouse(&ev) != OK)
		return UI_NONE;
	if (ev.bstate & BUTTON4_PRESSED)
		return key_action(d, KEY_UP);
#ifdef BUTTON5_PRESSED
	if (ev.bstate & BUTTON5_PRESSED)
		return key_action(d, KEY_DOWN);
#endif
	if (!(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED |
	    BUTTON1_DOUBLE_CLICKED)))
		return UI_NONE;
	if (ev.y == HEADER_ROWS - 1) {
		for (i = 0; i < VIEW__LIST; i++) {
			x += (int)strlen(views[i]->name) + 3;
			if (ev.x < x) {
				d->want_view = i;
				return UI_VIEW_SET;
			}
		}
		return UI_NONE;
	}
	if (d->view >= VIEW__LIST || ev.y <= HEADER_ROWS || ev.y >= LINES - 1)
		return UI_NONE;
	l = &d->list[d->view];
	row = l->top + ev.y - HEADER_ROWS - 1;
	if (row >= l->n)
		return UI_NONE;
	l->sel = row;
	return ev.bstate & BUTTON1_DOUBLE_CLICKED ? UI_OPEN : UI_NONE;
}

/* Open the detail of the current list's selection, if it has one. */
static void
apply_open(struct dash *d)
{
	const struct dash_view	*v = views[d->view];

	if (v->open == NULL)
		return;
	d->list[d->view].n = (int)v->load(d);
	if (d->list[d->view].sel < d->list[d->view].n && v->open(d)) {
		d->prev_view = d->view;
		d->view = VIEW_DETAIL;
		d->detail_top = 0;
	}
}

/* Reset, confirmed: the engine forgets, the screen says so. */
static void
apply_reset(struct dash *d)
{
	char		 when[16];
	struct tm	 tm;
	time_t		 t;

	d->reset_ns = engine_counters(d->eng)->last_ns;
	engine_reset(d->eng);
	d->nnew = 0;
	d->resets++;
	memset(&d->sp_q, 0, sizeof(d->sp_q));
	memset(&d->sp_sf, 0, sizeof(d->sp_sf));
	memset(&d->sp_to, 0, sizeof(d->sp_to));
	d->spark_t = 0;
	t = (time_t)(d->reset_ns / 1000000000);
	strftime(when, sizeof(when), "%H:%M:%SZ", gmtime_r(&t, &tm));
	dash_say(d, "reset at %s: counters and findings start again",
	    d->reset_ns ? when : "the start");
}

/* Apply an action; returns 1 to quit. */
static int
apply(struct dash *d, enum ui_action a)
{
	struct dash_list	*l;

	switch (a) {
	case UI_QUIT:
		return 1;
	case UI_PAUSE:
		d->paused = !d->paused;
		break;
	case UI_RESET:
		d->confirm = 1;
		break;
	case UI_HELP:
		if (d->view < VIEW__LIST)
			d->prev_view = d->view;
		d->view = VIEW_HELP;
		break;
	case UI_VIEW_NEXT:
		d->view = d->view < VIEW__LIST ? (d->view + 1) % VIEW__LIST :
		    d->prev_view;
		break;
	case UI_VIEW_SET:
		d->view = d->want_view;
		break;
	case UI_FILTER:
		d->filtering = 1;
		break;
	case UI_FILTER_CLEAR:
		filter_key(d, 27);
		break;
	case UI_SORT:
		l = &d->list[d->view];
		if (views[d->view]->sorts != NULL &&
		    views[d->view]->sorts[++l->sort] == NULL)
			l->sort = 0;
		break;
	case UI_OPEN:
		apply_open(d);
		break;
	case UI_BACK:
		d->view = d->prev_view;
		break;
	case UI_REDRAW:
		clearok(curscr, TRUE);
		break;
	case UI_EXPORT_TEXT:
	case UI_EXPORT_JSON:
		export(d, a == UI_EXPORT_JSON);
		break;
	default:
		break;
	}
	return 0;
}

/*
 * e/E: write what the detail shows (opening the selection first when a
 * list is shown) to a new file in the current directory: the text as on
 * screen, or the finding and its chains as JSON lines.  An existing file
 * is never overwritten.
 */
static void
export(struct dash *d, int json)
{
	const struct eng_finding	**all, *f = NULL;
	const char			**lines;
	char				  path[64], *buf = NULL;
	size_t				  len = 0, n, i, off;
	FILE				 *fp;
	ssize_t				  w;
	int				  fd, nl, k;

	if (d->view < VIEW__LIST) {
		apply_open(d);
		if (d->view != VIEW_DETAIL) {
			dash_say(d, "export: select a row with a detail first");
			return;
		}
	}
	if (d->view != VIEW_DETAIL)
		return;
	if (json && d->detail_kind == DETAIL_FINDING) {
		n = engine_findings(d->eng, &all);
		for (i = 0; i < n && f == NULL; i++)
			if (all[i]->id == d->detail_id)
				f = all[i];
	}
	if (json && f == NULL && d->detail_kind != DETAIL_LOOKUP) {
		dash_say(d, "export: JSON is for a finding or a lookup; e "
		    "writes text");
		return;
	}
	snprintf(path, sizeof(path), "gluetop-%s-%u.%s", d->detail_kind ==
	    DETAIL_FINDING ? "finding" : d->detail_kind == DETAIL_LOOKUP ?
	    "lookup" : d->detail_kind == DETAIL_ZONE ? "zone" : "server",
	    d->detail_kind == DETAIL_FINDING || d->detail_kind ==
	    DETAIL_LOOKUP ? d->detail_id : (unsigned)(d->now_ms % 100000),
	    json ? "json" : "txt");
	if ((fp = open_memstream(&buf, &len)) == NULL) {
		dash_say(d, "export: %s", strerror(errno));
		return;
	}
	if (json && f != NULL) {
		json_write_finding(fp, d->info->host, f, NULL);
		for (k = 0; k < f->nchains; k++)
			if (engine_lookup(d->eng, f->chains[k]) != NULL)
				json_write_chain(fp, d->info->host,
				    engine_lookup(d->eng, f->chains[k]));
	} else if (json) {
		if (engine_lookup(d->eng, d->detail_id) != NULL)
			json_write_chain(fp, d->info->host, engine_lookup(d->eng,
			    d->detail_id));
	} else {
		nl = view_detail_text(d, &lines);
		for (k = 0; k < nl; k++)
			fprintf(fp, "%s\n", lines[k]);
	}
	fclose(fp);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd == -1) {
		dash_say(d, "export: %s: %s", path, strerror(errno));
		free(buf);
		return;
	}
	for (off = 0; off < len; off += (size_t)w)
		if ((w = write(fd, buf + off, len - off)) <= 0)
			break;
	if (off < len || close(fd) != 0)
		dash_say(d, "export: %s: %s", path, strerror(errno));
	else
		dash_say(d, "exported to %s (%zu bytes)", path, len);
	free(buf);
}

/* Start curses on the terminal, or return -1 without touching it. */
int
dash_open(void)
{
	const char	*cs;

	if (screen != NULL)
		return 0;
	/* Look TERM up first: a newterm() that fails leaks its screen. */
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO) ||
	    !termcheck_known(STDOUT_FILENO))
		return -1;
	/* The character set only: sparklines in UTF-8 when it is. */
	setlocale(LC_CTYPE, "");
	cs = nl_langinfo(CODESET);
	utf8 = cs != NULL && strcasecmp(cs, "UTF-8") == 0;
	if ((screen = newterm(NULL, stdout, stdin)) == NULL)
		return -1;
	log_set_fatal_hook(dash_restore);
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
	    | BUTTON5_PRESSED
#endif
	    , NULL);
	mouseinterval(200);
	return 0;
}

/* End curses, once; safe from the fatal path. */
void
dash_restore(void)
{
	if (screen == NULL)
		return;
	endwin();
	delscreen(screen);
	screen = NULL;
}

/* The dashboard; see dash.h. */
struct dash *
dash_start(struct engine *eng, const struct dash_info *info)
{
	struct dash	*d;

	if (dash_open() != 0)
		return NULL;
	d = xcalloc(1, sizeof(*d));
	d->eng = eng;
	d->info = info;
	d->zrows = xcalloc(DASH_ZONES_MAX, sizeof(*d->zrows));
	d->srows = xcalloc(DASH_SERVERS_MAX, sizeof(*d->srows));
	d->reps = xcalloc(DASH_REPEATS_MAX, sizeof(*d->reps));
	d->looprows = xcalloc(DASH_LOOPS_MAX, sizeof(*d->looprows));
	d->toprows = xcalloc(DASH_TOP_MAX, sizeof(*d->toprows));
	d->body = LINES - HEADER_ROWS - 1;
	colours_init(d);
	return d;
}

/* Keys, then a redraw when due; see dash.h. */
int
dash_step(struct dash *d, int eof)
{
	int	 ch, dirty = 0;

	d->now_ms = now_ms();
	if (eof && !d->eof) {
		d->eof = 1;
		dirty = 1;
	}
	while ((ch = getch()) != ERR) {
		dirty = 1;
		if (d->confirm)
			confirm_key(d, ch);
		else if (d->filtering)
			filter_key(d, ch);
		else if (apply(d, key_action(d, ch)))
			return 1;
	}
	if (!d->paused && (d->now_ms - d->drawn_ms >= IDLE_DRAW_MS ||
	    (engine_generation(d->eng) != d->gen && d->now_ms - d->drawn_ms >=
	    DRAW_MS)))
		dirty = 1;
	if (dirty) {
		d->gen = engine_generation(d->eng);
		note_new(d);
		update_rates(d);
		update_sparks(d);
		draw(d);
		d->drawn_ms = d->now_ms;
	}
	return 0;
}

/* Milliseconds until dash_step() wants to run again to redraw. */
int
dash_wait_ms(const struct dash *d)
{
	uint64_t	 now = now_ms(), due = d->drawn_ms + DRAW_MS;

	return due > now ? (int)(due - now) : 0;
}

/* Leave the dashboard: the terminal back as it was. */
void
dash_end(struct dash *d)
{
	dash_restore();
	if (d == NULL)
		return;
	free(d->frows);
	free(d->lrows);
	free(d->zrows);
	free(d->srows);
	free(d->reps);
	free(d->looprows);
	free(d->toprows);
	free(d);
}
