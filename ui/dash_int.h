/*
 * dash_int.h -- what the dashboard's files share: the dashboard state,
 * colours named by meaning (STYLE.md rule 41), the actions keys turn into
 * (rule 12), and the views table (rule 11): each view is one struct
 * dash_view of name, key, help, sort orders and functions, as tcpdump's
 * printer table, so the loop in dash.c never switches on a view.  Only ui/
 * includes this.
 */
#ifndef GLUETOP_DASH_INT_H
#define GLUETOP_DASH_INT_H

#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"
#include "ui/dash.h"
#include "ui/fmt.h"

/* Colour pairs by meaning. */
enum uic {
	UIC_NORMAL = 0,
	UIC_HEADER,
	UIC_CRIT,
	UIC_ERROR,
	UIC_WARN,
	UIC_NOTICE,
	UIC_INFO,
	UIC_SELECTED,
	UIC_NEW,
	UIC_GOOD,
	UIC_DIM,
	UIC__MAX
};

/* What a key asks for, applied by the loop in dash.c. */
enum ui_action {
	UI_NONE = 0,
	UI_QUIT,
	UI_PAUSE,
	UI_RESET,		/* asks first */
	UI_HELP,
	UI_VIEW_NEXT,
	UI_VIEW_SET,		/* to dash->want_view */
	UI_FILTER,
	UI_SORT,
	UI_FILTER_CLEAR,
	UI_OPEN,		/* Enter: the detail of the selection */
	UI_BACK,
	UI_REDRAW,
	UI_EXPORT_TEXT,		/* e: the detail shown, as text */
	UI_EXPORT_JSON		/* E: the finding shown, as JSON */
};

enum view_id {
	VIEW_FINDINGS = 0,
	VIEW_ZONES,
	VIEW_SERVERS,
	VIEW_LOOPS,
	VIEW_LOOKUPS,
	VIEW_TOP,
	VIEW__LIST,		/* the list views come before this */
	VIEW_DETAIL = VIEW__LIST,
	VIEW_HELP,
	VIEW__MAX
};

enum detail_kind {
	DETAIL_FINDING = 0,
	DETAIL_ZONE,
	DETAIL_LOOKUP,
	DETAIL_SERVER
};

#define DASH_FILTER_MAX	128
#define DASH_NEW_MAX	256	/* findings remembered as new at once */
#define DASH_MSG_MAX	160
#define DASH_SPARK	60	/* samples in a sparkline */

struct dash;

/* One view.  load() fills the dashboard's rows for the list and returns
 * how many; draw() draws rows y0..y0+rows-1 (the first is the title);
 * key() takes the keys the list does not (NULL: none); open() makes the
 * detail of the selected row (NULL: rows have none). */
struct dash_view {
	const char	 *name;
	int		  mnemonic;	/* a capital letter */
	const char	 *help;		/* one line for the help screen */
	const char *const *sorts;	/* NULL-terminated sort orders */
	size_t		(*load)(struct dash *);
	void		(*draw)(struct dash *, int y0, int rows);
	enum ui_action	(*key)(struct dash *, int ch);
	int		(*open)(struct dash *);
};

extern const struct dash_view view_findings, view_zones, view_servers,
		    view_loops, view_lookups, view_top, view_detail;

/* A list's place: the selected row, the first shown, the sort order and
 * how far it is scrolled sideways. */
struct dash_list {
	int	sel, top, sort, hoff;
	int	n;		/* rows after load() */
};

/* A counter's recent history for a sparkline: one sample a step. */
struct dash_spark {
	uint64_t	last;		/* the counter at the last sample */
	uint32_t	v[DASH_SPARK];
	unsigned	n;		/* samples taken */
};

struct loop_row {
	const struct eng_finding	*f;	/* or NULL: a repeat */
	const struct eng_repeat_view	*r;
};

struct dash {
	struct engine		*eng;
	const struct dash_info	*info;
	int			 view, prev_view, want_view;
	struct dash_list	 list[VIEW__LIST];
	int			 body;		/* rows under the header */
	char			 filter[DASH_FILTER_MAX];
	int			 filtering;	/* typing into the filter */
	int			 confirm;	/* asking "reset? y/N" */
	int			 paused, eof, colour;
	/* the detail being shown */
	int			 detail_kind;
	uint32_t		 detail_id;	/* finding or lookup id */
	char			 detail_zone[1024];
	struct eng_addr		 detail_addr;	/* server */
	int			 detail_top;
	/* a message on the status line until msg_ms */
	char			 msg[DASH_MSG_MAX];
	uint64_t		 msg_ms;
	/* resets: how many, and the packet time of the last one */
	unsigned		 resets;
	uint64_t		 reset_ns;
	/* rates for the header: wall time live, packet time offline */
	double			 pps, mps;
	uint64_t		 last_packets, last_msgs;
	uint64_t		 rate_t;	/* ms, or packet ns offline */
	/* sparklines: queries, SERVFAIL, timeouts per step */
	struct dash_spark	 sp_q, sp_sf, sp_to;
	uint64_t		 spark_t;	/* when the last sample was due */
	/* findings first seen recently, for highlighting: a ring */
	uint32_t		 new_hw;	/* highest finding id seen */
	uint32_t		 new_id[DASH_NEW_MAX];
	uint64_t		 new_ms[DASH_NEW_MAX];
	unsigned		 nnew;
	uint64_t		 now_ms;
	uint64_t		 drawn_ms;	/* the last redraw */
	uint64_t		 gen;		/* the engine's, then */
	uint64_t		 note_gen;	/* new findings noted up to */
	/* the rows of the list views, owned here (grown, never shrunk) */
	const struct eng_finding **frows;
	size_t			 frows_cap;
	const struct eng_lookup	**lrows;
	size_t			 lrows_cap;
	struct eng_zone_view	*zrows;
	struct eng_server_view	*srows;
	struct eng_repeat_view	*reps;
	struct loop_row		*looprows;
	struct eng_top_entry	*toprows;
	int			 topdim;	/* the Top view's dimension */
	uint64_t		 toptotal;
};

#define DASH_ZONES_MAX		2048	/* rows the Zones view shows */
#define DASH_SERVERS_MAX	2048
#define DASH_REPEATS_MAX	256
#define DASH_LOOPS_MAX		(DASH_REPEATS_MAX + 256)
#define DASH_TOP_MAX		64

/* dash.c helpers the views use. */
int	 dash_attr(const struct dash *, enum uic);
int	 dash_sev_attr(const struct dash *, int sev);
int	 dash_match(const struct dash *, const char *);
int	 dash_is_new(const struct dash *, uint32_t);
void	 dash_line(int y, int x, int width, int attr, const char *, ...)
	    __attribute__((format(printf, 5, 6)));
int	 dash_seg(int y, int x, int attr, const char *, ...)
	    __attribute__((format(printf, 4, 5)));
/* A list row piece at virtual column vx, scrolled sideways by the view's
 * hoff; returns the next virtual column.  dash_row() clears the row. */
int	 dash_vseg(const struct dash *, int y, int vx, int attr,
	    const char *, ...) __attribute__((format(printf, 5, 6)));
void	 dash_row(const struct dash *, int y, int attr, const char *, ...)
	    __attribute__((format(printf, 4, 5)));
const char *dash_finding_subject(const struct eng_finding *, char *,
	    size_t);
const char *dash_field(const struct eng_finding *, enum eng_key);
int	 dash_finding_has_zone(const struct eng_finding *, const char *);
int	 dash_finding_has_addr(const struct eng_finding *,
	    const struct eng_addr *);
const char *dash_ring(const char *, char *, size_t);
void	 dash_blank(int y0, int from, int rows, const char *);
void	 dash_grow(void *rowsp, size_t *cap, size_t need, size_t size);
void	 dash_say(struct dash *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* The title of a list, with its count and sort order at the right. */
void	 dash_title(struct dash *, int y, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

/* The detail's text, as shown, for export (view_detail.c): lines. */
int		 view_detail_text(struct dash *, const char ***);

#endif
