/*
 * view_detail.c -- the detail of a finding, a zone or a lookup: the chain
 * drawn like dig +trace (zone, server, response class, RTT, frame), the
 * referral's NS names with missing glue marked, a cycle drawn as a loop,
 * and the evidence frames.  Lines are built into a buffer and scrolled.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "decode/dnstab.h"
#include "ui/curses_compat.h"
#include "ui/dash_int.h"
#include "util/addr.h"

#define LINES_MAX	400

struct text {
	char	l[LINES_MAX][200];
	int	attr[LINES_MAX];
	int	n;
};

static struct text	tx;

static void	add(int, const char *, ...) __attribute__((format(printf, 2,
		    3)));
static void	add_chain(struct dash *, uint32_t, int, int);
static void	add_zone(struct dash *, const char *);
static void	add_finding(struct dash *);

/* Append a line. */
static void
add(int attr, const char *fmt, ...)
{
	va_list	 ap;

	if (tx.n == LINES_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(tx.l[tx.n], sizeof(tx.l[0]), fmt, ap);
	va_end(ap);
	tx.attr[tx.n++] = attr;
}

/* A lookup and its sub-lookups, like dig +trace. */
static void
add_chain(struct dash *d, uint32_t id, int indent, int depth)
{
	const struct eng_lookup	*l = engine_lookup(d->eng, id), **all;
	const struct eng_step	*s;
	char			 a[ADDR_STRLEN], t[16], rtt[16];
	size_t			 n, i;
	unsigned		 k;

	if (l == NULL || depth > 4) {
		add((int)A_NORMAL, "%*s(lookup %u no longer kept)", indent, "", id);
		return;
	}
	add(A_BOLD, "%*slookup #%u  %s %s  from %s%s%s%s", indent, "", l->id,
	    l->qname, dns_type_str(l->qtype, t, sizeof(t)), addr_str(l->family,
	    l->resolver, a, sizeof(a)), l->reason[0] ? "  (" : "", l->reason,
	    l->reason[0] ? ")" : "");
	for (k = 0; k < l->nsteps; k++) {
		s = &l->steps[k];
		snprintf(rtt, sizeof(rtt), s->cls == ENG_C_TIMEOUT ||
		    s->cls == ENG_C_NONE ? "-" : "%.1fms", s->rtt_us / 1000.0);
		add(s->cls == ENG_C_TIMEOUT || s->cls == ENG_C_RCODE_ERROR ||
		    s->cls == ENG_C_UPWARD_REFERRAL ? dash_attr(d, UIC_ERROR) :
		    (int)A_NORMAL, "%*s  %-16s %-15s %-5s %-15s %7s #%-5" PRIu64 " %s",
		    indent, "", s->zone[0] ? s->zone : "?", addr_str(s->family,
		    s->server, a, sizeof(a)), dns_type_str(s->qtype, t,
		    sizeof(t)), engine_class_name(s->cls), rtt, s->frame,
		    s->detail);
	}
	n = engine_lookups(d->eng, &all);
	for (i = 0; i < n; i++)
		if (all[i]->parent == l->id)
			add_chain(d, all[i]->id, indent + 4, depth + 1);
}

/* A zone's delegation: NS names with glue status, servers. */
static void
add_zone(struct dash *d, const char *name)
{
	static struct eng_zone_view	 z[1024];
	size_t				 n, i;
	unsigned			 k;

	n = engine_zones(d->eng, z, 1024);
	for (i = 0; i < n; i++) {
		if (strcmp(z[i].name, name) != 0)
			continue;
		add(A_BOLD, "zone %s   parent %s   %" PRIu64 " referrals from %s",
		    z[i].name, z[i].parent[0] ? z[i].parent : "?",
		    z[i].referrals, z[i].referred_by[0] ? z[i].referred_by :
		    "-");
		for (k = 0; k < z[i].nns; k++)
			add(z[i].ns[k].glue_state == ENG_GLUE_MISSING ?
			    dash_attr(d, UIC_ERROR) : (int)A_NORMAL,
			    "  NS %-40s %s %s%s%s", z[i].ns[k].name,
			    z[i].ns[k].glue_state == ENG_GLUE_MISSING ?
			    "GLUE MISSING" : z[i].ns[k].glue_state ==
			    ENG_GLUE_PRESENT ? "glue" : "(no glue needed)",
			    z[i].ns[k].glue, z[i].ns[k].addrs[0] ?
			    "  auth " : "", z[i].ns[k].addrs);
		if (z[i].nchild_ns)
			add((int)A_NORMAL, "  the zone's own NS set: %s",
			    z[i].child_ns);
		return;
	}
	add((int)A_NORMAL, "zone %s is no longer in the map", name);
}

/* A finding: summary, fields, the cycle, the zone, frames, chains. */
static void
add_finding(struct dash *d)
{
	const struct eng_finding	**all, *f = NULL;
	const char			 *zone = NULL;
	char				  ring[600];
	size_t				  n, i;
	uint8_t				  k;

	n = engine_findings(d->eng, &all);
	for (i = 0; i < n; i++)
		if (all[i]->id == d->detail_id)
			f = all[i];
	if (f == NULL) {
		add((int)A_NORMAL, "this finding is no longer kept (reset?)");
		return;
	}
	add(dash_sev_attr(d, f->sev), "%s  %s", engine_sev_name(f->sev),
	    engine_kind_name(f->kind));
	add(A_BOLD, "%s", f->summary);
	for (k = 0; k < f->nfields; k++) {
		add((int)A_NORMAL, "  %-10s %s", f->fields[k].key, f->fields[k].val);
		if (strcmp(f->fields[k].key, "cycle") == 0) {
			snprintf(ring, sizeof(ring), "%s", f->fields[k].val);
			for (char *c = ring; (c = strchr(c, ',')) != NULL; )
				*c = '\0', c++;
			add(A_BOLD, "  the loop:");
			for (char *c = ring; c < ring + strlen(f->fields[k].val);
			    c += strlen(c) + 1)
				add(dash_attr(d, UIC_ERROR), "    %s -> needs "
				    "an NS name inside the next zone", c);
			add(dash_attr(d, UIC_ERROR), "    -> back to %s: "
			    "no glue breaks the loop", ring);
		}
		if (strcmp(f->fields[k].key, "zone") == 0 &&
		    (f->kind == ENG_K_GLUE_MISSING_IN_DOMAIN ||
		    f->kind == ENG_K_GLUE_MISSING_SIBLING ||
		    f->kind == ENG_K_GLUE_DROPPED_WITHOUT_TC))
			zone = f->fields[k].val;
	}
	add((int)A_NORMAL, "  seen %" PRIu64 " times", f->count);
	ring[0] = '\0';
	for (k = 0; k < f->nframes; k++)
		snprintf(ring + strlen(ring), sizeof(ring) - strlen(ring),
		    " %" PRIu64, f->frames[k]);
	add((int)A_NORMAL, "  evidence frames:%s", ring[0] ? ring : " -");
	if (zone != NULL) {
		/* The delegation as the map knows it, missing glue marked. */
		add((int)A_NORMAL, "%s", "");
		add_zone(d, zone);
	}
	for (k = 0; k < f->nchains; k++) {
		add((int)A_NORMAL, "%s", "");
		add_chain(d, f->chains[k], 0, 0);
	}
}

/* Draw the detail, scrolled. */
void
view_detail_draw(struct dash *d, int y0, int rows)
{
	int	 r, i;

	tx.n = 0;
	if (d->detail_kind == DETAIL_FINDING)
		add_finding(d);
	else if (d->detail_kind == DETAIL_ZONE)
		add_zone(d, d->detail_zone);
	else
		add_chain(d, d->detail_id, 0, 0);
	if (d->detail_top > tx.n - rows)
		d->detail_top = tx.n - rows > 0 ? tx.n - rows : 0;
	for (r = 0; r < rows; r++) {
		i = d->detail_top + r;
		dash_line(y0 + r, 0, COLS, i < tx.n ? tx.attr[i] : (int)A_NORMAL,
		    " %s", i < tx.n ? tx.l[i] : "");
	}
}

/* Scroll, or go back. */
enum ui_action
view_detail_key(struct dash *d, int ch)
{
	switch (ch) {
	case 27: case KEY_BACKSPACE: case 127: case 'q': case KEY_LEFT:
		return UI_BACK;
	case KEY_UP: case 'k': d->detail_top--; break;
	case KEY_DOWN: case 'j': d->detail_top++; break;
	case KEY_PPAGE: d->detail_top -= LINES - 6; break;
	case KEY_NPAGE: d->detail_top += LINES - 6; break;
	case KEY_HOME: d->detail_top = 0; break;
	}
	if (d->detail_top < 0)
		d->detail_top = 0;
	return UI_NONE;
}
