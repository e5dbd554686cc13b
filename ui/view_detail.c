/*
 * view_detail.c -- the detail of a finding, a zone, a server or a lookup:
 * the chain drawn like dig +trace (zone, @server, what the server did, RTT,
 * query>response frames; identical retries folded into one line; under
 * each referral its NS names with their glue, or "no glue"), the
 * delegation's NS names with missing glue marked, a cycle drawn as a loop,
 * a server's counts, zones and recent exchanges, and the evidence frames.
 * Lines are built into a buffer at each draw and scrolled; e/E export them
 * (dash.c).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode/dname.h"
#include "decode/dnstab.h"
#include "ui/curses_compat.h"
#include "ui/dash_int.h"
#include "util/addr.h"

#define TX_LINES	1000
#define TX_WIDTH	512
#define CHAIN_DEPTH	4	/* sub-lookups drawn below a lookup */

struct text {
	char	l[TX_LINES][TX_WIDTH];
	int	attr[TX_LINES];
	int	n;
};

/* How one lookup's steps are laid out: column widths, indent, qname. */
struct widths {
	int		 zone, server, cls, indent;
	const struct dns_name *qname;	/* the lookup's; steps show theirs
					   only when it differs (qmin) */
};

static struct text		 tx;
/* referrals whose NS names were drawn in the chain being drawn: once each */
static const struct dns_name	*ns_shown[16];
static unsigned			 nns_shown;
static const char		*txp[TX_LINES];

static void	add(int, const char *, ...) __attribute__((format(printf, 2,
		    3)));
static void	add_wrap(int, int, const char *);
static void	add_chain(struct dash *, uint32_t, int, int);
static void	add_steps(struct dash *, const struct eng_lookup *, int);
static void	add_step(struct dash *, const struct eng_step *, unsigned,
		    const struct eng_step *, const struct widths *);
static int	same_step(const struct eng_step *, const struct eng_step *);
static const struct eng_zone_view *zone_find(struct dash *, const char *);
static void	add_referral_ns(struct dash *, const struct eng_step *, int);
static void	add_server(struct dash *);
static void	draw(struct dash *, int, int);
static enum ui_action key(struct dash *, int);

const struct dash_view view_detail = {
	"detail", 0, "", NULL, NULL, draw, key, NULL
};
static int	in_zone(const char *, const char *);
static void	add_zone(struct dash *, const char *);
static void	add_cycle(struct dash *, const struct eng_finding *);
static void	add_frames(const struct eng_finding *);
static void	add_finding(struct dash *);
static void	add_one(struct dash *, const struct eng_finding *);
static void	add_cause(struct dash *, const struct eng_finding *);
static void	add_consequences(struct dash *, const struct eng_finding *);
static void	add_related(struct dash *, const char *, uint32_t);
static int	frame_cmp(const void *, const void *);

/* Append a line. */
static void
add(int attr, const char *fmt, ...)
{
	va_list	 ap;

	if (tx.n == TX_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(tx.l[tx.n], sizeof(tx.l[0]), fmt, ap);
	va_end(ap);
	tx.attr[tx.n++] = attr;
}

/* Append text wrapped at spaces to the screen width, indented. */
static void
add_wrap(int attr, int indent, const char *text)
{
	int	 width = COLS - 2 - indent, len, cut;

	if (width < 20)
		width = 20;
	while (*text != '\0') {
		len = (int)strlen(text);
		cut = len;
		if (len > width) {
			for (cut = width; cut > 0 && text[cut] != ' '; cut--)
				;
			if (cut == 0)
				cut = width;
		}
		add(attr, "%*s%.*s", indent, "", cut, text);
		text += cut;
		while (*text == ' ')
			text++;
	}
}

/* Do two steps differ only in time and frames (a retry)? */
static int
same_step(const struct eng_step *a, const struct eng_step *b)
{
	return a->cls == b->cls && a->qtype == b->qtype && a->family ==
	    b->family && memcmp(a->server, b->server, 16) == 0 &&
	    a->zone == b->zone && a->qname == b->qname && a->referral ==
	    b->referral && a->rcode == b->rcode && a->an == b->an &&
	    a->ns == b->ns && a->ar == b->ar && a->icmp == b->icmp;
}

/* One step (or a run of n identical ones ending at last), dig +trace
 * style; the detail goes on its own line when the row is too narrow. */
static void
add_step(struct dash *d, const struct eng_step *s, unsigned n,
    const struct eng_step *last, const struct widths *w)
{
	char	 a[ADDR_STRLEN], t[16], rtt[16], fr[48], more[2200], row[1400];
	char	 det[DNS_NAME_STRMAX + 8], qn[DNS_NAME_STRMAX];
	char	 zn[DNS_NAME_STRMAX], what[32];
	int	 attr, len, indent = w->indent, q;

	if (s->cls == ENG_C_TIMEOUT || s->cls == ENG_C_NONE)
		snprintf(rtt, sizeof(rtt), "-");
	else
		snprintf(rtt, sizeof(rtt), "%.1fms", s->rtt_us / 1000.0);
	if (s->rframe)
		snprintf(fr, sizeof(fr), "#%" PRIu64 ">%" PRIu64, s->frame,
		    s->rframe);
	else
		snprintf(fr, sizeof(fr), "#%" PRIu64, s->frame);
	if (n > 1)
		snprintf(fr + strlen(fr), sizeof(fr) - strlen(fr), " ..#%"
		    PRIu64 " x%u", last->frame, n);
	q = s->qname != NULL && s->qname != w->qname;
	fmt_step_detail(s, det, sizeof(det));
	snprintf(more, sizeof(more), "%s%s%s%s%s%s", det,
	    det[0] && q ? "  " : "", q ? "asked " : "", q ? fmt_name(s->qname,
	    qn, sizeof(qn)) : "", q ? " " : "", q ? dns_type_str(s->qtype, t,
	    sizeof(t)) : "");
	attr = s->cls == ENG_C_TIMEOUT || s->cls == ENG_C_RCODE_ERROR ||
	    s->cls == ENG_C_UPWARD_REFERRAL || s->cls == ENG_C_REC_LAME ||
	    s->cls == ENG_C_SIDEWAYS_NS ? dash_attr(d, UIC_ERROR) :
	    (int)A_NORMAL;
	len = snprintf(row, sizeof(row), "%*s  %-*s @%-*s %-*s %7s  %-9s",
	    indent, "", w->zone, fmt_name(s->zone, zn, sizeof(zn)), w->server,
	    addr_str(s->family, s->server, a, sizeof(a)), w->cls,
	    fmt_step_what(s, what, sizeof(what)), rtt, fr);
	if (len + 2 + (int)strlen(more) <= COLS - 2 || more[0] == '\0')
		add(attr, "%s  %s", row, more);
	else {
		add(attr, "%s", row);
		add(attr, "%*s    %s", indent + w->zone, "", more);
	}
	if (s->cls == ENG_C_REFERRAL && s->referral != NULL)
		add_referral_ns(d, s, indent + w->zone + 4);
}

/* Under a referral, as dig +trace shows it: each NS name with its glue
 * addresses, or "no glue" (MISSING when the parent had to give it). */
static void
add_referral_ns(struct dash *d, const struct eng_step *s, int indent)
{
	const struct eng_zone_ns	*ns;
	struct eng_zone_view		 z;
	char				 nb[DNS_NAME_STRMAX], g[FMT_LIST_MAX];
	unsigned			 k;

	for (k = 0; k < nns_shown; k++)
		if (ns_shown[k] == s->referral)
			return;
	if (nns_shown < 16)
		ns_shown[nns_shown++] = s->referral;
	if (engine_zone(d->eng, s->referral, &z) != 0)
		return;
	for (k = 0; k < z.nns; k++) {
		ns = &z.ns[k];
		add(ns->glue_state == ENG_GLUE_MISSING ? dash_attr(d,
		    UIC_ERROR) : (int)A_NORMAL, "%*sNS %s  %s", indent, "",
		    fmt_name(ns->name, nb, sizeof(nb)), fmt_ns_glue(ns, g,
		    sizeof(g)));
	}
}

/* The steps of a lookup, identical retries folded, columns aligned. */
static void
add_steps(struct dash *d, const struct eng_lookup *l, int indent)
{
	struct widths	 w = { 4, 7, 6, indent, l->qname };
	char		 what[32];
	char		 a[ADDR_STRLEN], zn[DNS_NAME_STRMAX];
	unsigned	 k, j;
	int		 v;

	for (k = 0; k < l->nsteps; k++) {
		if ((v = (int)strlen(fmt_name(l->steps[k].zone, zn,
		    sizeof(zn)))) > w.zone)
			w.zone = v > 24 ? 24 : v;
		if ((v = (int)strlen(addr_str(l->steps[k].family,
		    l->steps[k].server, a, sizeof(a)))) > w.server)
			w.server = v;
		if ((v = (int)strlen(fmt_step_what(&l->steps[k], what,
		    sizeof(what)))) > w.cls)
			w.cls = v;
	}
	if (l->nsteps == 0)
		add_wrap((int)A_NORMAL, indent + 2, "no upstream query seen "
		    "(answered from the cache, or asked before the capture "
		    "began)");
	for (k = 0; k < l->nsteps; k = j) {
		for (j = k + 1; j < l->nsteps && same_step(&l->steps[k],
		    &l->steps[j]); j++)
			;
		add_step(d, &l->steps[k], j - k, &l->steps[j - 1], &w);
	}
	if (l->steps_dropped)
		add((int)A_NORMAL, "%*s  ... %u more steps not kept", indent,
		    "", l->steps_dropped);
}

/* A lookup and its sub-lookups, like dig +trace. */
static void
add_chain(struct dash *d, uint32_t id, int indent, int depth)
{
	const struct eng_lookup	*l = engine_lookup(d->eng, id), **all;
	char			 a[ADDR_STRLEN], t[16], o[32], head[3200];
	char			 q[DNS_NAME_STRMAX], r[2 * DNS_NAME_STRMAX + 40];
	char			 ede[96];
	size_t			 n, i;

	if (depth == 0)
		nns_shown = 0;
	if (l == NULL) {
		add((int)A_NORMAL, "%*slookup #%u is no longer kept", indent,
		    "", id);
		return;
	}
	fmt_lookup_reason(l, r, sizeof(r));
	if (l->client_ede != 0)
		fmt_ede(l->client_ede - 1, ede, sizeof(ede));
	snprintf(head, sizeof(head), "lookup #%u  %s %s  via %s:  %s %s%s%s  "
	    "(%u upstream quer%s%s%s)", l->id, fmt_name(l->qname, q,
	    sizeof(q)), dns_type_str(l->qtype, t, sizeof(t)),
	    addr_str(l->family, l->resolver, a, sizeof(a)), !l->done ? "" :
	    l->has_client ? "the client got" : "ended:",
	    fmt_lookup_outcome(l, o, sizeof(o)), l->client_ede ? " with " :
	    "", l->client_ede ? ede : "", l->queries,
	    l->queries == 1 ? "y" : "ies", r[0] ? "; " : "", r);
	add_wrap(A_BOLD | (l->failed ? dash_attr(d, UIC_ERROR) : 0), indent,
	    head);
	add_steps(d, l, indent);
	if (depth >= CHAIN_DEPTH)
		return;
	n = engine_lookups(d->eng, &all);
	for (i = 0; i < n; i++)
		if (all[i]->parent == l->id)
			add_chain(d, all[i]->id, indent + 4, depth + 1);
}

/* The zone map entry of a name, or NULL. */
static const struct eng_zone_view *
zone_find(struct dash *d, const char *name)
{
	static struct eng_zone_view	 z;
	struct dns_name			 n;

	if (dns_name_from_str(name, &n) != 0 ||
	    engine_zone(d->eng, &n, &z) != 0)
		return NULL;
	return &z;
}

/* Is name equal to or below zone, label by label? */
static int
in_zone(const char *name, const char *zone)
{
	size_t	 n = strlen(name), z = strlen(zone);

	if (strcmp(zone, ".") == 0)
		return 1;
	return n >= z && strcasecmp(name + n - z, zone) == 0 && (n == z ||
	    name[n - z - 1] == '.');
}

/* A zone's delegation: NS names with glue status, servers, own NS set. */
static void
add_zone(struct dash *d, const char *name)
{
	static const char		*gs[] = { "glue", "MISSING GLUE",
	    "outside the parent: no glue needed", "glue unknown" };
	const struct eng_zone_view	*z = zone_find(d, name);
	const struct eng_zone_ns	*ns;
	char				 buf[FMT_LIST_MAX], p[DNS_NAME_STRMAX];
	char				 g[FMT_LIST_MAX], an[FMT_LIST_MAX];
	char				 nb[DNS_NAME_STRMAX];
	unsigned			 k;

	if (z == NULL) {
		add((int)A_NORMAL, " zone %s is not in the map (yet)", name);
		return;
	}
	fmt_addrs(z->referred_by, z->nreferrers, ",", buf, sizeof(buf));
	add(A_BOLD, " zone %s   parent %s   %" PRIu64 " referral%s from %s",
	    name, fmt_name(z->parent, p, sizeof(p)), z->referrals,
	    z->referrals == 1 ? "" : "s", buf[0] ? buf : "-");
	for (k = 0; k < z->nns; k++) {
		ns = &z->ns[k];
		fmt_addrs(ns->glue, ns->nglue, ",", g, sizeof(g));
		fmt_addrs(ns->addrs, ns->naddrs, ",", an, sizeof(an));
		add(ns->glue_state == ENG_GLUE_MISSING ? dash_attr(d,
		    UIC_ERROR) : (int)A_NORMAL, "   NS %-28s %s%s%s%s%s%s",
		    fmt_name(ns->name, nb, sizeof(nb)), ns->glue_state ==
		    ENG_GLUE_MISSING ? "!! " : "", gs[ns->glue_state & 3],
		    g[0] ? " " : "", g, an[0] ? "   answers: " : "", an);
	}
	if (z->nservers) {
		snprintf(buf, sizeof(buf), "servers: ");
		fmt_addrs(z->servers, z->nservers, ",", buf + 9,
		    sizeof(buf) - 9);
		add_wrap((int)A_NORMAL, 3, buf);
	}
	if (z->nchild_ns)
		add((int)A_NORMAL, "   the zone's own NS set: %s",
		    fmt_names(z->child_ns, z->nchild_ns, ",", buf,
		    sizeof(buf)));
}

/* A circular delegation drawn as a loop, hop by hop, from the map. */
static void
add_cycle(struct dash *d, const struct eng_finding *f)
{
	char		 zones[8][DNS_NAME_STRMAX], via[DNS_NAME_STRMAX], *p;
	char		 list[FMT_LIST_MAX];
	const char	*nsl = dash_field(f, ENG_F_NS), *c;
	int		 n = 0, i, len;

	snprintf(list, sizeof(list), "%s", dash_field(f, ENG_F_CYCLE));
	for (p = strtok(list, ","); p != NULL && n < 8; p = strtok(NULL, ","))
		snprintf(zones[n++], sizeof(zones[0]), "%s", p);
	add(A_BOLD, " The loop (no zone in it can be reached first):");
	for (i = 0; i < n; i++) {
		/* The NS name of zone i that lies in zone i+1. */
		snprintf(via, sizeof(via), "?");
		for (c = nsl; *c != '\0'; c += len + (c[len] == ',')) {
			len = (int)strcspn(c, ",");
			snprintf(list, sizeof(list), "%.*s", len, c);
			if (in_zone(list, zones[(i + 1) % n]))
				snprintf(via, sizeof(via), "%s", list);
		}
		add(dash_attr(d, UIC_ERROR), "   %s%s  --NS %s-->  %s%s",
		    i == 0 ? "" : "-> ", zones[i], via, zones[(i + 1) % n],
		    i == n - 1 ? "   (back to the start)" : "");
	}
	for (i = 0; i < n; i++) {
		add((int)A_NORMAL, "%s", "");
		add_zone(d, zones[i]);
	}
}

/* Compare frame numbers for qsort. */
static int
frame_cmp(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The evidence frames, in capture order. */
static void
add_frames(const struct eng_finding *f)
{
	uint64_t	 fr[ENG_EVIDENCE_MAX];
	char		 buf[ENG_EVIDENCE_MAX * 22];
	size_t		 len = 0;
	uint8_t		 k;

	memcpy(fr, f->frames, f->nframes * sizeof(fr[0]));
	qsort(fr, f->nframes, sizeof(fr[0]), frame_cmp);
	buf[0] = '\0';
	for (k = 0; k < f->nframes; k++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, " %"
		    PRIu64, fr[k]);
	add(A_BOLD, " Evidence frames:%s%s", len ? buf : " -",
	    f->count > f->nframes ? "  (the first ones)" : "");
}

/* A finding: what, why, the loop or the delegation, frames, chains. */
static void
add_finding(struct dash *d)
{
	const struct eng_finding	**all, *f = NULL;
	char				  t[2 * FMT_LIST_MAX], *fix;
	size_t				  n, i;
	uint8_t				  k;

	n = engine_findings(d->eng, &all);
	for (i = 0; i < n && f == NULL; i++)
		if (all[i]->id == d->detail_id)
			f = all[i];
	if (f == NULL) {
		add((int)A_NORMAL, " this finding is no longer kept (reset?)");
		return;
	}
	add(dash_sev_attr(d, f->sev), " %s  %s   seen %" PRIu64 " time%s",
	    engine_sev_name(f->sev), engine_kind_name(f->kind), f->count,
	    f->count == 1 ? "" : "s");
	add_wrap(A_BOLD, 1, fmt_summary(f, t, sizeof(t)));
	if ((fix = fmt_fix_dup(f, "Fix: ")) != NULL) {
		add_wrap((int)A_NORMAL, 1, fix);
		free(fix);
	}
	add_cause(d, f);
	for (k = 0; k < f->nfields; k++)
		if (!engine_key_hidden((enum eng_key)f->fields[k].key))
			add((int)A_NORMAL, "   %-10s %s", engine_key_name(
			    (enum eng_key)f->fields[k].key), fmt_field(f,
			    &f->fields[k], ",", t, sizeof(t)));
	add_frames(f);
	add((int)A_NORMAL, "%s", "");
	if (f->kind == ENG_K_CIRCULAR_DELEGATION)
		add_cycle(d, f);
	else if (dash_field(f, ENG_F_ZONE)[0] != '\0')
		add_zone(d, dash_field(f, ENG_F_ZONE));
	if (f->nchains)
		add((int)A_NORMAL, "%s", "");
	for (k = 0; k < f->nchains; k++) {
		if (k > 0)
			add((int)A_NORMAL, "%s", "");
		add_chain(d, f->chains[k], 1, 0);
	}
	add_consequences(d, f);
}

/*
 * R2.2: a root cause's impact, or the root cause a consequence is linked
 * to, under the summary.
 */
static void
add_cause(struct dash *d, const struct eng_finding *f)
{
	const struct eng_finding	*c;
	char				 t[2 * FMT_LIST_MAX], u[FMT_LIST_MAX];

	if (engine_finding_is_root(f)) {
		snprintf(u, sizeof(u), "Impact: %s", fmt_impact(f, t,
		    sizeof(t)));
		add_wrap((int)A_NORMAL, 1, u);
	}
	if ((c = engine_finding_cause(d->eng, f)) == NULL)
		return;
	add((int)A_NORMAL, " Caused by #%" PRIu32 " %s %s (so shown at "
	    "notice)", c->id, engine_sev_name(c->sev),
	    engine_kind_name(c->kind));
	add_wrap((int)A_NORMAL, 3, fmt_summary(c, t, sizeof(t)));
}

/* The consequences linked to root cause f, one line each. */
static void
add_consequences(struct dash *d, const struct eng_finding *f)
{
	const struct eng_finding	**all;
	size_t				  n, i;

	if (f->nconsequences == 0)
		return;
	add((int)A_NORMAL, "%s", "");
	add(A_BOLD, " Consequences (%" PRIu32 "), shown at notice",
	    f->nconsequences);
	n = engine_findings(d->eng, &all);
	for (i = 0; i < n; i++)
		if (all[i]->caused_by == f->id)
			add_one(d, all[i]);
}

/* One finding as a line of another's detail: severity, kind, summary. */
static void
add_one(struct dash *d, const struct eng_finding *f)
{
	char	 t[2 * FMT_LIST_MAX];

	add(dash_sev_attr(d, f->sev), "   %-8s %s (#%" PRIu32 ")",
	    engine_sev_name(f->sev), engine_kind_name(f->kind), f->id);
	add_wrap((int)A_NORMAL, 5, fmt_summary(f, t, sizeof(t)));
}

/* The findings about a zone or a lookup, one line each. */
static void
add_related(struct dash *d, const char *zone, uint32_t lookup)
{
	const struct eng_finding	**f;
	size_t				  n, i;
	uint8_t				  k;
	int				  hit, any = 0;

	n = engine_findings(d->eng, &f);
	for (i = 0; i < n; i++) {
		hit = zone != NULL && dash_finding_has_zone(f[i], zone);
		for (k = 0; zone == NULL && k < f[i]->nchains; k++)
			hit |= f[i]->chains[k] == lookup;
		if (!hit)
			continue;
		if (!any++)
			add(A_BOLD, "%s", " Findings");
		add_one(d, f[i]);
	}
}

/*
 * A server: what it was asked and how it answered, the zones it serves,
 * the findings about it, and its last exchanges in the lookups kept.
 */
static void
add_server(struct dash *d)
{
	struct eng_server_view		 v;
	const struct eng_finding	**f;
	const struct eng_lookup		**l;
	const struct eng_step		 *s;
	char				  a[ADDR_STRLEN], t[2 * FMT_LIST_MAX];
	char				  q[DNS_NAME_STRMAX], ty[16], w[32];
	size_t				  n, i;
	unsigned			  k, shown = 0;

	fmt_addr(&d->detail_addr, a, sizeof(a));
	if (engine_server(d->eng, &d->detail_addr, &v) != 0) {
		add((int)A_NORMAL, " server %s is no longer kept (reset?)", a);
		return;
	}
	add(A_BOLD, " server %s%s", a, v.is_resolver ? "  (a resolver)" : "");
	add((int)A_NORMAL, "   asked %" PRIu64 " time%s (%" PRIu64 " over TCP)"
	    ", answered %" PRIu64 ", timed out %" PRIu64 ", lame %" PRIu64,
	    v.queries, v.queries == 1 ? "" : "s", v.tcp_queries, v.responses,
	    v.timeouts, v.lame);
	if (v.rtt_count)
		add((int)A_NORMAL, "   RTT min %.1fms  mean %.1fms  max %.1fms"
		    "  (%" PRIu64 " answers timed)", v.rtt_min_us / 1000.0,
		    (double)v.rtt_sum_us / 1000.0 / (double)v.rtt_count,
		    v.rtt_max_us / 1000.0, v.rtt_count);
	if (v.last_ede != 0xffff)
		add((int)A_NORMAL, "   the last extended DNS error it sent: %s",
		    fmt_ede(v.last_ede, t, sizeof(t)));
	snprintf(t, sizeof(t), "serves: ");
	fmt_names(v.zones, v.nzones, ", ", t + 8, sizeof(t) - 8);
	add_wrap((int)A_NORMAL, 3, v.nzones ? t : "serves no zone seen");
	add((int)A_NORMAL, "%s", "");
	n = engine_findings(d->eng, &f);
	for (i = 0; i < n; i++) {
		if (!dash_finding_has_addr(f[i], &d->detail_addr))
			continue;
		if (shown++ == 0)
			add(A_BOLD, "%s", " Findings");
		add(dash_sev_attr(d, f[i]->sev), "   %-8s %s",
		    engine_sev_name(f[i]->sev), engine_kind_name(f[i]->kind));
		add_wrap((int)A_NORMAL, 5, fmt_summary(f[i], t, sizeof(t)));
	}
	/* The newest lookups kept (a bounded look: this runs at each draw). */
	n = engine_lookups(d->eng, &l);
	for (shown = 0, i = 0; i < n && i < 4096 && shown < 20; i++)
		for (k = 0; k < l[i]->nsteps && shown < 20; k++) {
			s = &l[i]->steps[k];
			if (s->family != d->detail_addr.family ||
			    memcmp(s->server, d->detail_addr.b, 16) != 0)
				continue;
			if (shown++ == 0) {
				add((int)A_NORMAL, "%s", "");
				add(A_BOLD, "%s", " Recent exchanges (lookup, "
				    "question, what it did, frames)");
			}
			fmt_step_detail(s, t, sizeof(t));
			add(s->cls == ENG_C_TIMEOUT || s->cls ==
			    ENG_C_RCODE_ERROR ? dash_attr(d, UIC_ERROR) :
			    (int)A_NORMAL, "   #%-6u %s %s  %s  %s  #%" PRIu64
			    "%s", l[i]->id, fmt_name(s->qname, q, sizeof(q)),
			    dns_type_str(s->qtype, ty, sizeof(ty)),
			    fmt_step_what(s, w, sizeof(w)), t, s->frame,
			    s->rframe ? "" : " (no answer)");
		}
}

/* Build the detail's lines. */
static void
build(struct dash *d)
{
	tx.n = 0;
	if (d->detail_kind == DETAIL_FINDING)
		add_finding(d);
	else if (d->detail_kind == DETAIL_ZONE) {
		add_zone(d, d->detail_zone);
		add((int)A_NORMAL, "%s", "");
		add_related(d, d->detail_zone, 0);
	} else if (d->detail_kind == DETAIL_SERVER)
		add_server(d);
	else {
		add_chain(d, d->detail_id, 1, 0);
		add((int)A_NORMAL, "%s", "");
		add_related(d, NULL, d->detail_id);
	}
}

/* The detail's lines, as drawn, for export. */
int
view_detail_text(struct dash *d, const char ***out)
{
	int	 i;

	build(d);
	for (i = 0; i < tx.n; i++)
		txp[i] = tx.l[i];
	*out = txp;
	return tx.n;
}

/* Draw the detail, scrolled. */
static void
draw(struct dash *d, int y0, int rows)
{
	int	 r, i;

	build(d);
	if (d->detail_top > tx.n - rows)
		d->detail_top = tx.n - rows > 0 ? tx.n - rows : 0;
	for (r = 0; r < rows; r++) {
		i = d->detail_top + r;
		dash_line(y0 + r, 0, COLS, i < tx.n ? tx.attr[i] :
		    (int)A_NORMAL, "%s", i < tx.n ? tx.l[i] : "");
	}
	if (tx.n > rows)
		dash_seg(y0 - 1, COLS - 20, A_REVERSE, " lines %d-%d of %d ",
		    d->detail_top + 1, d->detail_top + rows < tx.n ?
		    d->detail_top + rows : tx.n, tx.n);
}

/* Scroll, or go back. */
static enum ui_action
key(struct dash *d, int ch)
{
	int	 page = d->body > 1 ? d->body - 1 : 1;

	switch (ch) {
	case 27: case KEY_BACKSPACE: case 127: case 8: case 'q': case KEY_LEFT:
		return UI_BACK;
	case KEY_UP: case 'k': d->detail_top--; break;
	case KEY_DOWN: case 'j': d->detail_top++; break;
	case KEY_PPAGE: d->detail_top -= page; break;
	case KEY_NPAGE: case ' ': d->detail_top += page; break;
	case KEY_HOME: case 'g': d->detail_top = 0; break;
	case KEY_END: case 'G': d->detail_top = TX_LINES; break;
	}
	if (d->detail_top < 0)
		d->detail_top = 0;
	return UI_NONE;
}
