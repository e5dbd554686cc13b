/*
 * dash.c -- the dashboard's loop, header, status line and help.
 *
 * One loop (STYLE.md rule 40): poll the keyboard and the capture, read a
 * bounded batch, and redraw at most DRAW_MS apart when the engine's
 * generation moved, or at once on a key or a resize (rule 9).  The helpers
 * the views share (lines, colours, the filter, the selection) live here too.
 */
#include <ctype.h>
#include <inttypes.h>
#include <poll.h>
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
#include "ui/termcheck.h"
#include "util/log.h"

#define DRAW_MS		250	/* at most 4 redraws a second */
#define IDLE_DRAW_MS	1000	/* rates and NEW marks age even when idle */
#define BATCH		256	/* packets per read when not pacing */
#define READ_MS		30	/* reading time per loop turn */
#define NEW_MS		5000	/* how long a new finding stays marked */
#define HEADER_ROWS	4

static SCREEN	*screen;

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

static const char *view_names[] = {
	"1 Findings", "2 Zones", "3 Servers", "4 Loops", "5 Lookups"
};

static uint64_t	now_ms(void);
static void	colours_init(struct dash *);
static const char *human(double, char *, size_t);
static void	draw(struct dash *);
static void	draw_header(struct dash *);
static void	draw_rates(struct dash *, int);
static void	draw_health(struct dash *, int);
static void	draw_tabs(struct dash *, int);
static void	draw_status(struct dash *);
static void	draw_help(struct dash *, int, int);
static enum ui_action key_action(struct dash *, int);
static int	apply(struct dash *, enum ui_action);
static void	apply_open(struct dash *);
static void	filter_key(struct dash *, int);
static void	update_rates(struct dash *);
static void	note_new(struct dash *);
static int	pace_wait(struct dash *);
static int	read_input(struct dash *, const struct dash_feed *);
static int	wait_input(struct dash *, const struct dash_feed *, int);
static int	handle_keys(struct dash *);
static void	idle_tick(struct dash *);

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

	n = engine_findings(d->eng, &f);
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
	char	 buf[512], out[512];
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

/* Blank rows from..rows-1 below y0, the first with a message if any. */
void
dash_blank(int y0, int from, int rows, const char *msg)
{
	int	 r;

	for (r = from; r < rows; r++)
		dash_line(y0 + r, 0, COLS, (int)A_NORMAL, "%s",
		    r == from && msg != NULL ? msg : "");
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

/* Move the selection of a list view. */
void
dash_list_key(struct dash *d, int ch, int rows)
{
	int	*sel = &d->sel[d->view], page = rows > 1 ? rows - 1 : 1;

	switch (ch) {
	case KEY_UP: case 'k': (*sel)--; break;
	case KEY_DOWN: case 'j': (*sel)++; break;
	case KEY_PPAGE: *sel -= page; break;
	case KEY_NPAGE: case ' ': *sel += page; break;
	case KEY_HOME: case 'g': *sel = 0; break;
	case KEY_END: case 'G': *sel = d->nrows - 1; break;
	default: return;
	}
	if (*sel >= d->nrows)
		*sel = d->nrows - 1;
	if (*sel < 0)
		*sel = 0;
}

/* Keep the selection in the list and on screen (rows include the title). */
void
dash_scroll(struct dash *d, int rows)
{
	int	*sel = &d->sel[d->view], *top = &d->top[d->view];

	if (*sel >= d->nrows)
		*sel = d->nrows > 0 ? d->nrows - 1 : 0;
	if (*sel < *top)
		*top = *sel;
	if (*sel >= *top + rows - 1)
		*top = *sel - rows + 2;
	if (*top > 0 && *top > d->nrows - (rows - 1))
		*top = d->nrows - (rows - 1) > 0 ? d->nrows - (rows - 1) : 0;
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

/* The header: state, source, filter, then rates, health and the tabs. */
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
	draw_rates(d, 1);
	draw_health(d, 2);
	draw_tabs(d, 3);
}

/* Header row: capture time span, rates, lookups in flight and failed. */
static void
draw_rates(struct dash *d, int y)
{
	const struct engine_counters	*c = engine_counters(d->eng);
	char				 a[16], b[16], p[16], m[16];
	time_t				 t;
	struct tm			 tm;
	int				 x;

	t = (time_t)(c->first_ns / 1000000000);
	strftime(a, sizeof(a), "%H:%M:%S", gmtime_r(&t, &tm));
	t = (time_t)(c->last_ns / 1000000000);
	strftime(b, sizeof(b), "%H:%M:%S", gmtime_r(&t, &tm));
	dash_line(y, 0, COLS, (int)A_NORMAL, "%s", "");
	x = dash_seg(y, 0, (int)A_NORMAL, " %s-%s (%" PRIu64 "s)",
	    c->first_ns ? a : "--:--:--", c->last_ns ? b : "--:--:--",
	    c->last_ns > c->first_ns ? (c->last_ns - c->first_ns) /
	    1000000000 : 0);
	x = dash_seg(y, x, (int)A_NORMAL, "  %s pkt/s  %s msg/s",
	    human(d->pps, p, sizeof(p)), human(d->mps, m, sizeof(m)));
	x = dash_seg(y, x, (int)A_NORMAL, "  in flight %" PRIu64,
	    c->lookups_active);
	x = dash_seg(y, x, c->lookups_failed ? dash_attr(d, UIC_WARN) :
	    (int)A_NORMAL, "  failed %" PRIu64, c->lookups_failed);
	dash_seg(y, x, (int)A_NORMAL, "/%" PRIu64 " lookups", c->lookups);
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
	v[4] = h->cap_evicted + c->evict_pending + c->evict_lookups +
	    c->evict_zones + c->evict_names + c->evict_servers +
	    c->evict_findings + c->evict_repeats;
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
		    A_BOLD : (int)A_NORMAL, " %s ", view_names[i]) + 1;
	if (d->view == VIEW_DETAIL)
		dash_seg(y, x, A_BOLD, " > detail");
	else if (d->view == VIEW_HELP)
		dash_seg(y, x, A_BOLD, " > help");
}

/* The bottom line: keys, the filter in force, or the filter being typed. */
static void
draw_status(struct dash *d)
{
	int	 x, attr = dash_attr(d, UIC_HEADER);

	if (d->filtering) {
		dash_line(LINES - 1, 0, COLS, attr, " filter: %s_   "
		    "(Enter keeps it, Esc clears)", d->filter);
		return;
	}
	dash_line(LINES - 1, 0, COLS, attr, "%s", "");
	x = 0;
	if (d->filter[0] != '\0')
		x = dash_seg(LINES - 1, 0, attr | A_BOLD, " filter \"%s\" "
		    "(Esc clears) ", d->filter);
	if (d->view == VIEW_DETAIL || d->view == VIEW_HELP)
		dash_seg(LINES - 1, x, attr, " Esc/q:back  arrows/PgUp/PgDn:"
		    "scroll  ?:help  Q:quit");
	else
		dash_seg(LINES - 1, x, attr, " ?:help 1-5/Tab:views "
		    "Enter:detail /:filter s:sort p:pause r:reset q:quit");
}

/* The help screen. */
static void
draw_help(struct dash *d, int y0, int rows)
{
	static const char *lines[] = {
		"Views (one key away; Tab cycles)",
		"  1 F  Findings  delegation problems, worst first; NEW marks new ones",
		"  2 Z  Zones     the delegation map: each zone's NS names, glue, parent",
		"  3 S  Servers   queries, answers, timeouts %, lame %, mean RTT",
		"  4 L  Loops     circular delegations as rings, most repeated queries",
		"  5 K  Lookups   rebuilt lookups, failed first",
		"Keys",
		"  Up/Down j/k PgUp/PgDn Home/End  move     Enter  open the detail",
		"  Esc Backspace q  back from a detail      /      filter by name",
		"  s  change the sort order                 p      pause the screen",
		"  r  reset counters and findings           q      quit",
		"Detail: the lookup chain like dig +trace (zone, @server, response,",
		"  RTT, query>response frames), NS names with MISSING GLUE, the",
		"  cycle as a ring, the evidence frames (open them in Wireshark).",
		"Severities: critical error warning notice info.  The header's",
		"  capture counts turn to the warning colour when not zero.",
	};
	int	 i, n = (int)(sizeof(lines) / sizeof(lines[0]));

	for (i = 0; i < rows; i++)
		dash_line(y0 + i, 0, COLS, i < n && lines[i][0] != ' ' ?
		    (int)A_BOLD : (int)A_NORMAL, " %s", i < n ? lines[i] : "");
	(void)d;
}

/* Draw the whole screen. */
static void
draw(struct dash *d)
{
	int	 y0 = HEADER_ROWS, rows = LINES - HEADER_ROWS - 1;

	if (rows < 2 || COLS < 40) {
		erase();
		mvprintw(0, 0, "gluetop: terminal too small");
		refresh();
		return;
	}
	draw_header(d);
	switch (d->view) {
	case VIEW_FINDINGS: view_findings_draw(d, y0, rows); break;
	case VIEW_ZONES: view_zones_draw(d, y0, rows); break;
	case VIEW_SERVERS: view_servers_draw(d, y0, rows); break;
	case VIEW_LOOPS: view_loops_draw(d, y0, rows); break;
	case VIEW_LOOKUPS: view_lookups_draw(d, y0, rows); break;
	case VIEW_DETAIL: view_detail_draw(d, y0, rows); break;
	default: draw_help(d, y0, rows); break;
	}
	draw_status(d);
	refresh();
}

/* Typing into the filter. */
static void
filter_key(struct dash *d, int ch)
{
	size_t	 len = strlen(d->filter);

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
	memset(d->sel, 0, sizeof(d->sel));
	memset(d->top, 0, sizeof(d->top));
}

/* Keys common to every view, then the view's own. */
static enum ui_action
key_action(struct dash *d, int ch)
{
	static const char	 vkeys[] = "12345", vmn[] = "FZSLK";
	const char		*p;

	if (ch == 'Q' || (ch == 'q' && d->view < VIEW__LIST))
		return UI_QUIT;
	if (ch > 0 && ch < 128 && ((p = strchr(vkeys, ch)) != NULL ||
	    (p = strchr(vmn, ch)) != NULL)) {
		d->want_view = (int)(p - (strchr(vkeys, ch) ? vkeys : vmn));
		return UI_VIEW_SET;
	}
	switch (ch) {
	case '\t': return UI_VIEW_NEXT;
	case '?': case 'h': case KEY_F(1):
		return d->view == VIEW_HELP ? UI_BACK : UI_HELP;
	case 'p': return UI_PAUSE;
	case 'r': return UI_RESET;
	case '/': return UI_FILTER;
	case 's': return UI_SORT;
	case KEY_RESIZE: case 12: return UI_REDRAW;
	case 27:
		if (d->view < VIEW__LIST && d->filter[0] != '\0')
			return UI_FILTER_CLEAR;
		break;
	}
	switch (d->view) {
	case VIEW_FINDINGS: return view_findings_key(d, ch);
	case VIEW_ZONES: return view_zones_key(d, ch);
	case VIEW_SERVERS: return view_servers_key(d, ch);
	case VIEW_LOOPS: return view_loops_key(d, ch);
	case VIEW_LOOKUPS: return view_lookups_key(d, ch);
	case VIEW_DETAIL: return view_detail_key(d, ch);
	default: return ch == 27 || ch == KEY_BACKSPACE || ch == 127 ||
	    ch == 'q' || ch == KEY_LEFT ? UI_BACK : UI_NONE;
	}
}

/* Open the detail of the current list's selection, if it has one. */
static void
apply_open(struct dash *d)
{
	int	 opened = 0;

	if (d->view == VIEW_FINDINGS)
		opened = view_findings_open(d);
	else if (d->view == VIEW_ZONES)
		opened = view_zones_open(d);
	else if (d->view == VIEW_LOOKUPS)
		opened = view_lookups_open(d);
	else if (d->view == VIEW_LOOPS)
		opened = view_loops_open(d);
	if (opened) {
		d->prev_view = d->view;
		d->view = VIEW_DETAIL;
		d->detail_top = 0;
	}
}

/* Apply an action; returns 1 to quit. */
static int
apply(struct dash *d, enum ui_action a)
{
	switch (a) {
	case UI_QUIT:
		return 1;
	case UI_PAUSE:
		d->paused = !d->paused;
		break;
	case UI_RESET:
		engine_reset(d->eng);
		d->nnew = 0;
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
		if (d->view < VIEW__LIST)
			d->sort[d->view] = (d->sort[d->view] + 1) % 3;
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
	default:
		break;
	}
	return 0;
}

/* Pacing (speed > 0): milliseconds until the packet last read is due. */
static int
pace_wait(struct dash *d)
{
	uint64_t	 ts = engine_counters(d->eng)->last_ns, due, now;

	if (d->info->speed <= 0 || ts == 0)
		return 0;
	now = now_ms();
	if (d->pace_ts == 0 || ts < d->pace_ts) {
		d->pace_ts = ts;	/* the start, or after a reset */
		d->pace_wall = now;
		return 0;
	}
	due = d->pace_wall + (uint64_t)((double)(ts - d->pace_ts) / 1e6 /
	    d->info->speed);
	return due > now ? (int)(due - now > DRAW_MS ? DRAW_MS : due - now) :
	    0;
}

/* Read packets for up to READ_MS (one at a time when pacing); returns how
 * many, or the milliseconds to wait as a negative number when pacing. */
static int
read_input(struct dash *d, const struct dash_feed *f)
{
	uint64_t	 start = now_ms();
	int		 n, total = 0, wait;

	do {
		if ((wait = pace_wait(d)) > 0)
			return total > 0 ? total : -wait;
		n = f->read(f->arg, d->info->speed > 0 ? 1 : BATCH);
		if (n < 0) {
			d->eof = 1;
			engine_end(d->eng);
			break;
		}
		total += n;
	} while (n > 0 && now_ms() - start < READ_MS);
	return total;
}

/* Wait for a key or packets, at most ms milliseconds; returns -1 when the
 * terminal went away (hangup), so the loop ends instead of spinning. */
static int
wait_input(struct dash *d, const struct dash_feed *f, int ms)
{
	struct pollfd	 p[2];
	int		 n = 1;

	p[0].fd = STDIN_FILENO;
	p[0].events = POLLIN;
	p[0].revents = 0;
	if (!d->eof && f->fd != NULL && (p[1].fd = f->fd(f->arg)) >= 0) {
		p[1].events = POLLIN;
		n = 2;
	}
	if (poll(p, (nfds_t)n, ms) > 0 &&
	    (p[0].revents & (POLLHUP | POLLERR | POLLNVAL)) != 0)
		return -1;
	return 0;
}

/* Live and idle: let packet time follow the clock, so timeouts fire. */
static void
idle_tick(struct dash *d)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	engine_tick(d->eng, (uint64_t)ts.tv_sec * 1000000000 +
	    (uint64_t)ts.tv_nsec);
}

/* Apply every pending key; returns 1 to quit, 2 when something changed. */
static int
handle_keys(struct dash *d)
{
	int	 ch, changed = 0;

	while ((ch = getch()) != ERR) {
		changed = 2;
		if (d->filtering) {
			filter_key(d, ch);
			continue;
		}
		if (apply(d, key_action(d, ch)))
			return 1;
	}
	return changed;
}

/* Start curses on the terminal, or return -1 without touching it. */
int
dash_open(void)
{
	if (screen != NULL)
		return 0;
	/* Look TERM up first: a newterm() that fails leaks its screen. */
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO) ||
	    !termcheck_known(STDOUT_FILENO) ||
	    (screen = newterm(NULL, stdout, stdin)) == NULL)
		return -1;
	log_set_fatal_hook(dash_restore);
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
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
int
dash_run(struct engine *eng, const struct dash_info *info,
    const struct dash_feed *feed)
{
	struct dash	 d;
	uint64_t	 gen = 0, drawn = 0;
	int		 got = 0, k, dirty = 1;

	if (dash_open() != 0)
		return -1;
	memset(&d, 0, sizeof(d));
	d.eng = eng;
	d.info = info;
	colours_init(&d);
	while (!*feed->stop) {
		d.now_ms = now_ms();
		got = d.eof ? 0 : read_input(&d, feed);
		if (got == 0 && info->live && !d.eof)
			idle_tick(&d);
		if ((k = handle_keys(&d)) == 1)
			break;
		dirty |= k;
		if (!d.paused && (d.now_ms - drawn >= IDLE_DRAW_MS ||
		    (engine_generation(eng) != gen && d.now_ms - drawn >=
		    DRAW_MS)))
			dirty = 1;
		if (dirty) {
			if (feed->health != NULL)
				feed->health(feed->arg);
			gen = engine_generation(eng);
			note_new(&d);
			update_rates(&d);
			draw(&d);
			drawn = d.now_ms;
			dirty = 0;
		}
		if (wait_input(&d, feed, got < 0 ? -got : d.eof ? 250 :
		    got == 0 && info->live ? 100 : 0) != 0)
			break;
	}
	dash_restore();
	return 0;
}
