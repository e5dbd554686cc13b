/*
 * dash_int.h -- what the dashboard's files share: the dashboard state,
 * colours named by meaning (STYLE.md rule 41), the actions keys turn into
 * (rule 12), and each view's draw and key functions (rule 11).  Only ui/
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
	UI_RESET,
	UI_HELP,
	UI_VIEW_NEXT,
	UI_VIEW_SET,		/* to dash->want_view */
	UI_FILTER,
	UI_SORT,
	UI_FILTER_CLEAR,
	UI_OPEN,		/* Enter: the detail of the selection */
	UI_BACK,
	UI_REDRAW
};

enum view_id {
	VIEW_FINDINGS = 0,
	VIEW_ZONES,
	VIEW_SERVERS,
	VIEW_LOOPS,
	VIEW_LOOKUPS,
	VIEW__LIST,		/* the list views come before this */
	VIEW_DETAIL = VIEW__LIST,
	VIEW_HELP
};

enum detail_kind {
	DETAIL_FINDING = 0,
	DETAIL_ZONE,
	DETAIL_LOOKUP
};

#define DASH_FILTER_MAX	128
#define DASH_NEW_MAX	256	/* findings remembered as new at once */

struct dash {
	struct engine		*eng;
	const struct dash_info	*info;
	int			 view, prev_view, want_view;
	int			 sel[VIEW__LIST], top[VIEW__LIST];
	int			 sort[VIEW__LIST];
	int			 nrows;		/* rows of the current list */
	char			 filter[DASH_FILTER_MAX];
	int			 filtering;	/* typing into the filter */
	int			 paused, eof, colour;
	/* the detail being shown */
	int			 detail_kind;
	uint32_t		 detail_id;	/* finding or lookup id */
	char			 detail_zone[256];
	int			 detail_top;
	/* rates for the header: wall time live, packet time offline */
	double			 pps, mps;
	uint64_t		 last_packets, last_msgs;
	uint64_t		 rate_t;	/* ms, or packet ns offline */
	/* pacing (speed > 0): packet time ts_base was due at wall_base */
	uint64_t		 pace_ts, pace_wall;
	/* findings first seen recently, for highlighting: a ring */
	uint32_t		 new_hw;	/* highest finding id seen */
	uint32_t		 new_id[DASH_NEW_MAX];
	uint64_t		 new_ms[DASH_NEW_MAX];
	unsigned		 nnew;
	uint64_t		 now_ms;
};

/* dash.c helpers the views use. */
int	 dash_attr(const struct dash *, enum uic);
int	 dash_sev_attr(const struct dash *, int sev);
int	 dash_match(const struct dash *, const char *);
int	 dash_is_new(const struct dash *, uint32_t);
void	 dash_line(int y, int x, int width, int attr, const char *, ...)
	    __attribute__((format(printf, 5, 6)));
int	 dash_seg(int y, int x, int attr, const char *, ...)
	    __attribute__((format(printf, 4, 5)));
const char *dash_finding_subject(const struct eng_finding *, char *,
	    size_t);
const char *dash_field(const struct eng_finding *, enum eng_key);
int	dash_finding_has_zone(const struct eng_finding *, const char *);
const char *dash_ring(const char *, char *, size_t);
void	 dash_list_key(struct dash *, int ch, int rows);
void	 dash_scroll(struct dash *, int rows);
void	 dash_blank(int y0, int from, int rows, const char *);

/* Each view: draw rows y0..y0+rows-1; handle a key. */
void		view_findings_draw(struct dash *, int y0, int rows);
enum ui_action	view_findings_key(struct dash *, int ch);
void		view_zones_draw(struct dash *, int y0, int rows);
enum ui_action	view_zones_key(struct dash *, int ch);
void		view_servers_draw(struct dash *, int y0, int rows);
enum ui_action	view_servers_key(struct dash *, int ch);
void		view_loops_draw(struct dash *, int y0, int rows);
enum ui_action	view_loops_key(struct dash *, int ch);
void		view_lookups_draw(struct dash *, int y0, int rows);
enum ui_action	view_lookups_key(struct dash *, int ch);
void		view_detail_draw(struct dash *, int y0, int rows);
enum ui_action	view_detail_key(struct dash *, int ch);
/* Open the detail of the selected row of a list view. */
int		view_findings_open(struct dash *);
int		view_zones_open(struct dash *);
int		view_lookups_open(struct dash *);
int		view_loops_open(struct dash *);
/* How a lookup ended, in a word (view_lookups.c). */
const char	*view_lookup_outcome(const struct eng_lookup *, char *, size_t);

#endif
