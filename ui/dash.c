/*
 * dash.c -- the dashboard's loop, header, status line and help.
 *
 * One loop (STYLE.md rule 40): poll the keyboard and the capture, read a
 * bounded batch, and redraw at most DRAW_MS apart when the engine's
 * generation moved, or at once on a key or a resize (rule 9).
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

#include "ui/curses_compat.h"
#include "ui/dash_int.h"
#include "util/log.h"

#define DRAW_MS		250	/* at most 4 redraws a second */
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
static void	draw(struct dash *);
static void	draw_header(struct dash *);
static void	draw_status(struct dash *);
static void	draw_help(struct dash *, int, int);
static enum ui_action key_action(struct dash *, int);
static int	apply(struct dash *, enum ui_action);
static void	filter_key(struct dash *, int);
static void	update_rates(struct dash *);
static int	read_input(struct dash *, const struct dash_feed *);
static int	wait_input(struct dash *, const struct dash_feed *, int);

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
	    c == UIC_WARN ? A_BOLD : 0);
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

/* Is this finding new (first seen on screen in the last NEW_MS)? */
int
dash_is_new(struct dash *d, uint32_t id)
{
	unsigned	 i;

	for (i = 0; i < d->nnew; i++)
		if (d->new_id[i] == id)
			return d->now_ms - d->new_ms[i] < NEW_MS;
	if (d->nnew == DASH_NEW_MAX)
		return 0;
	d->new_id[d->nnew] = id;
	d->new_ms[d->nnew++] = d->now_ms;
	return 1;
}

/* Print one line, cut to width, padded with spaces. */
void
dash_line(int y, int x, int width, int attr, const char *fmt, ...)
{
	char	 buf[1024];
	va_list	 ap;

	if (width <= 0)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	attrset(attr);
	mvprintw(y, x, "%-*.*s", width, width, buf);
	attrset(A_NORMAL);
}

/* A finding's subject: its identifying fields joined. */
const char *
dash_finding_subject(const struct eng_finding *f, char *buf, size_t size)
{
	static const char *keys[] = { "zone", "cycle", "qname", "server",
	    "ns", "reason", "outcome", NULL };
	size_t		 len = 0;
	int		 k;
	uint8_t		 i;

	buf[0] = '\0';
	for (k = 0; keys[k] != NULL; k++)
		for (i = 0; i < f->nfields; i++)
			if (strcmp(f->fields[i].key, keys[k]) == 0 &&
			    len + 4 < size)
				len += (size_t)snprintf(buf + len, size - len,
				    "%s%s", len ? "  " : "", f->fields[i].val);
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
	case KEY_NPAGE: *sel += page; break;
	case KEY_HOME: case 'g': *sel = 0; break;
	case KEY_END: case 'G': *sel = d->nrows - 1; break;
	default: return;
	}
	if (*sel >= d->nrows)
		*sel = d->nrows - 1;
	if (*sel < 0)
		*sel = 0;
}

/* Packets and messages per second, a moving average over seconds. */
static void
update_rates(struct dash *d)
{
	const struct engine_counters	*c = engine_counters(d->eng);
	uint64_t			 dt = d->now_ms - d->rate_ms;
	double				 p, m;

	if (dt < 1000)
		return;
	p = (double)(c->health.packets - d->last_packets) * 1000.0 / dt;
	m = (double)(c->messages - d->last_msgs) * 1000.0 / dt;
	d->pps = d->rate_ms ? 0.7 * d->pps + 0.3 * p : p;
	d->mps = d->rate_ms ? 0.7 * d->mps + 0.3 * m : m;
	d->last_packets = c->health.packets;
	d->last_msgs = c->messages;
	d->rate_ms = d->now_ms;
}

/* The header: source, state, rates, counts and capture health. */
static void
draw_header(struct dash *d)
{
	const struct engine_counters	*c = engine_counters(d->eng);
	const struct eng_health		*h = &c->health;
	char				 a[32], b[32];
	time_t				 t;
	struct tm			 tm;
	uint64_t			 bad;
	int				 w = COLS, i, x;

	t = (time_t)(c->first_ns / 1000000000);
	strftime(a, sizeof(a), "%H:%M:%S", gmtime_r(&t, &tm));
	t = (time_t)(c->last_ns / 1000000000);
	strftime(b, sizeof(b), "%H:%M:%S", gmtime_r(&t, &tm));
	dash_line(0, 0, w, dash_attr(d, UIC_HEADER), " gluetop  %-7s  %s  "
	    "filter: %s", d->paused ? "PAUSED" : d->eof ? "END" :
	    d->info->live ? "LIVE" : "READING", d->info->sources,
	    d->info->filter == NULL || strncmp(d->info->filter, "(default)",
	    9) == 0 ? "default" : d->info->filter);
	dash_line(1, 0, w, (int)A_NORMAL, " %s-%s UTC  %.0f pkt/s %.0f msg/s  "
	    "%" PRIu64 " msgs  lookups %" PRIu64 ": %" PRIu64 " active %"
	    PRIu64 " failed", c->first_ns ? a : "-", c->last_ns ? b : "-",
	    d->pps, d->mps, c->messages, c->lookups, c->lookups_active,
	    c->lookups_failed);
	bad = h->pcap_drop + h->if_drop + h->snap_cut + h->cap_evicted +
	    c->evict_pending + c->evict_lookups + c->evict_zones +
	    h->frag_incomplete + h->tcp_gaps;
	dash_line(2, 0, w, bad ? dash_attr(d, UIC_WARN) : dash_attr(d,
	    UIC_GOOD), " capture%s %" PRIu64 " dropped %" PRIu64 " cut %" PRIu64
	    " skipped %" PRIu64 " malformed %" PRIu64 " evicted %" PRIu64
	    " timeouts", bad ? " INCOMPLETE:" : ":", h->pcap_drop + h->if_drop,
	    h->snap_cut, h->skipped, h->malformed + c->dns_malformed,
	    h->cap_evicted + c->evict_pending + c->evict_lookups +
	    c->evict_zones + c->evict_names, c->timeouts);
	move(3, 0);
	clrtoeol();
	for (i = 0, x = 0; i < VIEW__LIST; i++) {
		attrset(i == d->view || (d->view >= VIEW__LIST &&
		    i == d->prev_view) ? dash_attr(d, UIC_SELECTED) :
		    (int)A_NORMAL);
		mvprintw(3, x, " %s ", view_names[i]);
		x += (int)strlen(view_names[i]) + 3;
	}
	attrset(A_NORMAL);
}

/* The bottom line: keys, or the filter being typed. */
static void
draw_status(struct dash *d)
{
	if (d->filtering)
		dash_line(LINES - 1, 0, COLS, dash_attr(d, UIC_HEADER),
		    " filter: %s_   (Enter to keep, Esc to clear)", d->filter);
	else
		dash_line(LINES - 1, 0, COLS, dash_attr(d, UIC_HEADER),
		    " ?:help 1-5/Tab:views Enter:detail /:filter s:sort "
		    "p:pause r:reset q:quit%s", d->paused ? "   PAUSED" : "");
}

/* The help screen. */
static void
draw_help(struct dash *d, int y0, int rows)
{
	static const char *lines[] = {
		"Views",
		"  1 F  Findings   delegation problems, worst first (new ones marked)",
		"  2 Z  Zones      the delegation map: NS names and their glue",
		"  3 S  Servers    queries, answers, timeouts, lame answers, RTT",
		"  4 L  Loops      most repeated questions and circular delegations",
		"  5 K  Lookups    rebuilt lookups, failed first",
		"  Tab             next view",
		"",
		"Keys",
		"  Up/Down j/k PgUp/PgDn Home/End   move",
		"  Enter           open the detail: chain like dig +trace, glue, cycle",
		"  Esc/Backspace   back from a detail or this help",
		"  /               filter by name (Esc clears)",
		"  s               change the sort order",
		"  p               pause the screen (capture goes on)",
		"  r               reset counters and findings",
		"  q               quit",
		"",
		"Severities: CRITICAL ERROR WARNING NOTICE INFO (see gluetop(8)).",
	};
	int	 i;

	(void)d;
	for (i = 0; i < rows; i++)
		dash_line(y0 + i, 0, COLS, i < (int)(sizeof(lines) /
		    sizeof(lines[0])) && lines[i][0] != ' ' && lines[i][0] ?
		    A_BOLD : (int)(int)A_NORMAL, "  %s", i < (int)(sizeof(lines) /
		    sizeof(lines[0])) ? lines[i] : "");
}

/* Draw the whole screen. */
static void
draw(struct dash *d)
{
	int	 y0 = HEADER_ROWS, rows = LINES - HEADER_ROWS - 1;

	if (rows < 1 || COLS < 20) {
		erase();
		mvprintw(0, 0, "terminal too small");
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

	if (ch == '\n' || ch == KEY_ENTER)
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

	if (ch == 'q' && d->view < VIEW__LIST)
		return UI_QUIT;
	if (ch == 'Q')
		return UI_QUIT;
	if ((p = strchr(vkeys, ch)) != NULL || (ch != 0 &&
	    (p = strchr(vmn, ch)) != NULL)) {
		d->want_view = (int)(p - (strchr(vkeys, ch) ? vkeys : vmn));
		return UI_VIEW_SET;
	}
	switch (ch) {
	case '\t': return UI_VIEW_NEXT;
	case '?': case 'h': return UI_HELP;
	case 'p': return UI_PAUSE;
	case 'r': return UI_RESET;
	case '/': return UI_FILTER;
	case 's': return UI_SORT;
	case KEY_RESIZE: case 12: return UI_REDRAW;
	}
	switch (d->view) {
	case VIEW_FINDINGS: return view_findings_key(d, ch);
	case VIEW_ZONES: return view_zones_key(d, ch);
	case VIEW_SERVERS: return view_servers_key(d, ch);
	case VIEW_LOOPS: return view_loops_key(d, ch);
	case VIEW_LOOKUPS: return view_lookups_key(d, ch);
	case VIEW_DETAIL: return view_detail_key(d, ch);
	default: return ch == 27 || ch == KEY_BACKSPACE || ch == 'q' ?
	    UI_BACK : UI_NONE;
	}
}

/* Apply an action; returns 1 to quit. */
static int
apply(struct dash *d, enum ui_action a)
{
	int	 opened = 0;

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
	case UI_SORT:
		if (d->view < VIEW__LIST)
			d->sort[d->view] = (d->sort[d->view] + 1) % 3;
		break;
	case UI_OPEN:
		if (d->view == VIEW_FINDINGS)
			opened = view_findings_open(d);
		else if (d->view == VIEW_ZONES)
			opened = view_zones_open(d);
		else if (d->view == VIEW_LOOKUPS || d->view == VIEW_LOOPS)
			opened = view_lookups_open(d);
		if (opened) {
			d->prev_view = d->view;
			d->view = VIEW_DETAIL;
			d->detail_top = 0;
		}
		break;
	case UI_BACK:
		d->view = d->prev_view;
		break;
	default:
		break;
	}
	return 0;
}

/* Read packets for up to READ_MS (one at a time when pacing). */
static int
read_input(struct dash *d, const struct dash_feed *f)
{
	const struct engine_counters	*c;
	static uint64_t			 wall0, ts0;
	uint64_t			 start = now_ms(), due;
	int				 n, total = 0;

	do {
		if (d->info->speed > 0) {
			c = engine_counters(d->eng);
			if (wall0 == 0 && c->first_ns != 0) {
				wall0 = start;
				ts0 = c->first_ns;
			}
			due = wall0 + (uint64_t)((double)(c->last_ns - ts0) /
			    1e6 / d->info->speed);
			if (wall0 != 0 && due > now_ms())
				break;
		}
		n = f->read(f->arg, d->info->speed > 0 ? 1 : BATCH);
		if (n < 0) {
			d->eof = 1;
			engine_end(d->eng);
			break;
		}
		total += n;
		if (n == 0)
			break;
	} while (now_ms() - start < READ_MS);
	return total;
}

/* Wait for a key or packets, at most ms milliseconds. */
static int
wait_input(struct dash *d, const struct dash_feed *f, int ms)
{
	struct pollfd	 p[2];
	int		 n = 1;

	p[0].fd = STDIN_FILENO;
	p[0].events = POLLIN;
	if (!d->eof && f->fd != NULL && (p[1].fd = f->fd(f->arg)) >= 0) {
		p[1].events = POLLIN;
		n = 2;
	}
	return poll(p, (nfds_t)n, ms);
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
	int		 ch, dirty = 1;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO) ||
	    (screen = newterm(NULL, stdout, stdin)) == NULL)
		return -1;
	log_set_fatal_hook(dash_restore);
	memset(&d, 0, sizeof(d));
	d.eng = eng;
	d.info = info;
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	colours_init(&d);
	while (!*feed->stop) {
		d.now_ms = now_ms();
		if (!d.eof)
			read_input(&d, feed);
		if (feed->health != NULL && d.now_ms - d.rate_ms >= 1000)
			feed->health(feed->arg);
		update_rates(&d);
		while ((ch = getch()) != ERR) {
			dirty = 1;
			if (d.filtering) {
				filter_key(&d, ch);
				continue;
			}
			if (apply(&d, key_action(&d, ch)))
				goto out;
		}
		if (engine_generation(eng) != gen && !d.paused)
			dirty = dirty || d.now_ms - drawn >= DRAW_MS;
		if (dirty) {
			gen = engine_generation(eng);
			draw(&d);
			drawn = d.now_ms;
			dirty = 0;
		}
		if (d.eof || d.info->live || d.paused)
			wait_input(&d, feed, d.eof ? 250 : 100);
	}
out:
	dash_restore();
	return 0;
}
