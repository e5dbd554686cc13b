/*
 * report.c -- the text report (--report, --report-on-exit, SIGHUP/SIGUSR1).
 *
 * report_print(), declared in output.h, writes for a human what the engine
 * knows: a header with the capture's size and health, the root causes
 * (DETECTIONS.md R2.2) with their impact, fix and consequences, then the
 * other findings by severity, each with its first chain drawn like dig
 * +trace (a chain drawn once, referred to by number after), the delegation map
 * zone by zone, the servers, and the most repeated queries.  Lines wrap at
 * RPT_WIDTH columns.  Times are UTC, so the report does not depend on TZ.
 * Names arrive escaped from the engine (STYLE.md rule 31) and are printed
 * as they are; there are no colours.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decode/dname.h"
#include "decode/dns.h"
#include "decode/dnstab.h"
#include "engine/engine.h"
#include "ui/fmt.h"
#include "ui/output.h"
#include "util/addr.h"
#include "util/xmalloc.h"

#define RPT_WIDTH	100	/* columns */
#define RPT_ZONES_MAX	2048	/* zones and servers shown at most */
#define RPT_SERVERS_MAX	4096
#define RPT_REPEATS	10
#define RPT_CHAIN_LINES	60	/* chain lines per finding */
#define RPT_CHAIN_DEPTH	6	/* sub-lookup levels drawn */
#define RPT_TEXT	1024
#define RPT_S(n)	((n) == 1 ? "" : "s")	/* plural ending */
#define RPT_CHAIN_LINES_V 100000	/* -v: chains drawn in full */

/* -v (output_info.verbose): every chain of a finding, drawn in full, and
 * the root hints' NS names one by one. */
static int	rpt_verbose;

/* A finding's chain being drawn: the lookup index and the line budget. */
struct rpt_chain {
	FILE			 *fp;
	struct engine		 *eng;
	const struct eng_lookup	**kids;		/* by parent, then start */
	size_t			  nkids;
	unsigned		  lines;	/* lines left */
	unsigned		  cut;		/* steps not drawn */
	/* referrals whose NS names were drawn in this chain: once each */
	const struct dns_name	 *ns_shown[16];
	unsigned		  nns_shown;
	/* chains drawn so far in the report: each is drawn once */
	uint32_t		 *drawn;
	size_t			  ndrawn, drawn_cap;
	/* linked consequences, by the id of their cause */
	const struct eng_finding **conseq;
	size_t			  nconseq;
};

/* Column widths of one lookup's steps. */
struct rpt_cols {
	int	zone, server, query, frame;
};

static void	rpt_wrap(FILE *, int, int, const char *);
static const char *rpt_time(uint64_t, int, char *, size_t);
static const char *rpt_span(uint64_t, uint64_t, char *, size_t);
static void	rpt_line(FILE *, const char *, const char *);
static int	rpt_one_way(struct engine *, const struct engine_counters *);
static void	rpt_header(FILE *, struct engine *,
		    const struct output_info *);
static void	rpt_counts(FILE *, struct engine *);
static void	rpt_warn(FILE *, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));
static void	rpt_warnings(FILE *, struct engine *);
static int	rpt_damage(FILE *, const struct eng_health *);
static int	rpt_evictions(FILE *, const struct engine_counters *);
static int	rpt_parent_cmp(const void *, const void *);
static void	rpt_findings(FILE *, struct engine *);
static int	rpt_cause_cmp(const void *, const void *);
static void	rpt_consequences(FILE *, struct rpt_chain *,
		    const struct eng_finding *);
static void	rpt_section(FILE *, struct rpt_chain *,
		    const struct eng_finding **, size_t);
static void	rpt_finding(FILE *, struct rpt_chain *,
		    const struct eng_finding *);
static void	rpt_evidence(FILE *, const struct eng_finding *);
static void	rpt_tree(struct rpt_chain *, uint32_t);
static int	rpt_drawn(struct rpt_chain *, uint32_t, int);
static int	rpt_budget(struct rpt_chain *);
static void	rpt_chain(struct rpt_chain *, const struct eng_lookup *, int,
		    int);
static void	rpt_chain_head(struct rpt_chain *, const struct eng_lookup *,
		    int);
static size_t	rpt_kids(struct rpt_chain *, uint32_t,
		    const struct eng_lookup ***);
static void	rpt_cols(const struct eng_lookup *, struct rpt_cols *);
static void	rpt_referral_ns(struct rpt_chain *, const struct eng_step *,
		    int);
static void	rpt_step(struct rpt_chain *, const struct eng_step *, int,
		    const struct rpt_cols *);
static int	rpt_name_cmp(const char *, const char *);
static int	rpt_zone_cmp(const void *, const void *);
static void	rpt_zones(FILE *, struct engine *);
static void	rpt_zone(FILE *, const struct eng_zone_view *);
static void	rpt_zone_ns(FILE *, const struct eng_zone_ns *);
static int	rpt_root_hint(const struct eng_zone_view *,
		    const struct eng_zone_ns *);
static void	rpt_root_hints(FILE *, const struct eng_zone_view *,
		    const struct eng_zone_ns *, unsigned);
static int	rpt_server_cmp(const void *, const void *);
static void	rpt_servers(FILE *, struct engine *);
static void	rpt_server(FILE *, const struct eng_server_view *, int);
static void	rpt_repeats(FILE *, struct engine *);

/*
 * Print s from column col and end the line, breaking before a word that
 * would pass RPT_WIDTH (but never before the first); words end at blanks
 * and after commas, and continuation lines start at column indent.
 */
static void
rpt_wrap(FILE *fp, int col, int indent, const char *s)
{
	size_t	 len;
	int	 blank = 0, first = 1;

	while (*s != '\0') {
		len = strcspn(s, " ,");
		if (s[len] == ',')
			len++;
		if (len > 0) {
			/* A word longer than the line overflows it. */
			if (!first && col + blank + (int)len > RPT_WIDTH) {
				fprintf(fp, "\n%*s", indent, "");
				col = indent;
				blank = 0;
			}
			fprintf(fp, "%s%.*s", blank ? " " : "", (int)len, s);
			col += blank + (int)len;
			s += len;
			blank = 0;
			first = 0;
		}
		if (*s == ' ') {
			blank = 1;
			s += strspn(s, " ");
		}
	}
	fputc('\n', fp);
}

/* A UTC time with milliseconds, with or without the date. */
static const char *
rpt_time(uint64_t ns, int date, char *buf, size_t size)
{
	struct tm	 tm;
	time_t		 t = (time_t)(ns / 1000000000);
	char		 b[32];

	if (ns == 0 || gmtime_r(&t, &tm) == NULL) {
		snprintf(buf, size, "-");
		return buf;
	}
	strftime(b, sizeof(b), date ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm);
	snprintf(buf, size, "%s.%03u", b, (unsigned)(ns % 1000000000 /
	    1000000));
	return buf;
}

/* "first .. last UTC", the date written once when both share it. */
static const char *
rpt_span(uint64_t first, uint64_t last, char *buf, size_t size)
{
	char	 a[40], b[40];

	rpt_time(first, 1, a, sizeof(a));
	rpt_time(last, 1, b, sizeof(b));
	if (strncmp(a, b, 11) == 0)
		rpt_time(last, 0, b, sizeof(b));
	snprintf(buf, size, "%s .. %s UTC", a, b);
	return buf;
}

/* A header line: a label, then its text wrapped under itself. */
static void
rpt_line(FILE *fp, const char *label, const char *text)
{
	fprintf(fp, "  %-10s ", label);
	rpt_wrap(fp, 13, 13, text);
}

/* Whether only one direction was captured: queries and no responses. */
static int
rpt_one_way(struct engine *e, const struct engine_counters *c)
{
	const struct eng_finding	**f;
	size_t				  n, i;
	const struct eng_field		 *fl;

	if (c->queries > 0 && c->responses == 0)
		return 1;
	n = engine_findings(e, &f);
	for (i = 0; i < n; i++)
		if (f[i]->kind == ENG_K_CAPTURE_HEALTH &&
		    (fl = engine_field(f[i], ENG_F_ONE_WAY)) != NULL &&
		    fl->num != 0)
			return 1;
	return 0;
}

/* The report's opening block: what was read and how healthy it was. */
static void
rpt_header(FILE *fp, struct engine *e, const struct output_info *info)
{
	const struct engine_counters	*c = engine_counters(e);
	char				 t[RPT_TEXT];

	fputs("gluetop report\n\n", fp);
	snprintf(t, sizeof(t), "%s%s", info->sources != NULL ?
	    info->sources : "-", info->live ? " (live)" : "");
	rpt_line(fp, "source", t);
	rpt_line(fp, "filter", info->filter != NULL ? info->filter : "-");
	if (info->zone != NULL) {
		snprintf(t, sizeof(t), "%s and below (--zone): the findings, "
		    "zones, servers and queries below; the counts above are "
		    "for the whole capture", info->zone);
		rpt_line(fp, "zone", t);
	}
	if (c->first_ns == 0)
		snprintf(t, sizeof(t), "- (no DNS message read)");
	else
		rpt_span(c->first_ns, c->last_ns, t, sizeof(t));
	if (c->first_ns != 0 && c->last_ns > c->first_ns)
		snprintf(t + strlen(t), sizeof(t) - strlen(t), " (%.1f s)",
		    (c->last_ns - c->first_ns) / 1e9);
	rpt_line(fp, "span", t);
	rpt_counts(fp, e);
	rpt_warnings(fp, e);
	fputc('\n', fp);
}

/* The header's counts: packets, pairing, lookups and findings. */
static void
rpt_counts(FILE *fp, struct engine *e)
{
	const struct engine_counters	*c = engine_counters(e);
	const struct eng_finding	**f;
	uint64_t			  sev[ENG_SEV__MAX] = { 0 };
	char				  t[RPT_TEXT];
	size_t				  n, i;

	snprintf(t, sizeof(t), "%" PRIu64 " read, %" PRIu64 " skipped",
	    c->health.packets, c->health.skipped);
	rpt_line(fp, "packets", t);
	snprintf(t, sizeof(t), "%" PRIu64 " DNS: %" PRIu64 " queries, %"
	    PRIu64 " responses, %" PRIu64 " malformed", c->messages,
	    c->queries, c->responses, c->dns_malformed);
	rpt_line(fp, "messages", t);
	snprintf(t, sizeof(t), "%" PRIu64 " answered, %" PRIu64 " timed out"
	    " (%" PRIu64 " by ICMP unreachable), %" PRIu64 " answered late,",
	    c->matched, c->timeouts, c->unreachable, c->late);
	rpt_line(fp, "pairing", t);
	snprintf(t, sizeof(t), "%" PRIu64 " retransmitted, %" PRIu64
	    " unsolicited, %" PRIu64 " mismatched, %" PRIu64 " unanswered at "
	    "the end", c->retransmits, c->unsolicited, c->mismatched,
	    c->unanswered_at_end);
	rpt_line(fp, "", t);
	snprintf(t, sizeof(t), "%" PRIu64 " asked by clients, %" PRIu64
	    " of them failed; %" PRIu64 " more the resolvers started for NS "
	    "addresses,", c->client_lookups, c->client_lookups_failed,
	    c->lookups - c->client_lookups);
	rpt_line(fp, "lookups", t);
	snprintf(t, sizeof(t), "%" PRIu64 " referrals followed",
	    c->referrals);
	rpt_line(fp, "", t);
	n = engine_findings(e, &f);
	for (i = 0; i < n; i++)
		if (f[i]->sev < ENG_SEV__MAX)
			sev[f[i]->sev]++;
	snprintf(t, sizeof(t), "%zu:", n);
	for (i = 0; i < ENG_SEV__MAX; i++)
		snprintf(t + strlen(t), sizeof(t) - strlen(t), "%s %" PRIu64
		    " %s", i ? "," : "", sev[i], engine_sev_name(i));
	rpt_line(fp, "findings", t);
}

/* One loud line, wrapped under its text: "WARNING: ...". */
static void
rpt_warn(FILE *fp, const char *fmt, ...)
{
	char	 t[RPT_TEXT];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(t, sizeof(t), fmt, ap);
	va_end(ap);
	fputs("WARNING: ", fp);
	rpt_wrap(fp, 9, 9, t);
}

/* Loud lines for anything that makes the capture or the tables partial. */
static void
rpt_warnings(FILE *fp, struct engine *e)
{
	const struct engine_counters	*c = engine_counters(e);
	const struct eng_health		*h = &c->health;
	int				 any = 0;

	if (h->pcap_drop + h->if_drop > 0 && ++any)
		rpt_warn(fp, "%" PRIu64 " packet%s dropped (%" PRIu64 " by the "
		    "kernel, %" PRIu64 " by the interface): findings may be "
		    "missing and timeouts may be false", h->pcap_drop +
		    h->if_drop, RPT_S(h->pcap_drop + h->if_drop), h->pcap_drop,
		    h->if_drop);
	if (h->snap_cut > 0 && ++any)
		rpt_warn(fp, "%" PRIu64 " packet%s cut by the snaplen: their "
		    "DNS messages are incomplete", h->snap_cut,
		    RPT_S(h->snap_cut));
	if (rpt_one_way(e, c) && ++any)
		rpt_warn(fp, "one-way capture, %" PRIu64 " queries and %" PRIu64
		    " responses: timeouts and unresponsive servers are not to "
		    "be trusted", c->queries, c->responses);
	any |= rpt_damage(fp, h);
	any |= rpt_evictions(fp, c);
	if (!any)
		rpt_line(fp, "health", "ok: no drops, snaplen cuts or "
		    "evictions, both directions seen");
}

/* A WARNING for lost fragments, TCP gaps and unsupported links, if any. */
static int
rpt_damage(FILE *fp, const struct eng_health *h)
{
	char	 t[RPT_TEXT] = "";

	if (h->frag_incomplete > 0)
		snprintf(t + strlen(t), sizeof(t) - strlen(t), ", %" PRIu64
		    " fragmented packet%s never completed", h->frag_incomplete,
		    RPT_S(h->frag_incomplete));
	if (h->tcp_gaps > 0)
		snprintf(t + strlen(t), sizeof(t) - strlen(t), ", %" PRIu64
		    " TCP gap%s", h->tcp_gaps, RPT_S(h->tcp_gaps));
	if (h->bad_linktype > 0)
		snprintf(t + strlen(t), sizeof(t) - strlen(t), ", %" PRIu64
		    " packet%s of an unsupported link type", h->bad_linktype,
		    RPT_S(h->bad_linktype));
	if (t[0] == '\0')
		return 0;
	rpt_warn(fp, "capture damage: %s", t + 2);
	return 1;
}

/*
 * A WARNING when state still in use was lost (queries waiting, lookups
 * running, findings, capture buffers) or packet time jumped; a plain line
 * for the normal turnover of full tables (finished lookups, the oldest
 * zones, names, servers and counters), which loses nothing in use.
 */
static int
rpt_evictions(FILE *fp, const struct engine_counters *c)
{
	uint64_t	 lost, turn;
	char		 t[RPT_TEXT];
	int		 any = 0;

	lost = c->evict_pending + c->evict_active + c->evict_findings +
	    c->health.cap_evicted;
	turn = c->evict_lookups - c->evict_active + c->evict_zones +
	    c->evict_names + c->evict_servers + c->evict_repeats;
	if (lost > 0 && ++any)
		rpt_warn(fp, "tables were full and lost what was in use: %"
		    PRIu64 " queries waiting, %" PRIu64 " running lookups, %"
		    PRIu64 " findings, %" PRIu64 " capture buffers: the report "
		    "is partial", c->evict_pending, c->evict_active,
		    c->evict_findings, c->health.cap_evicted);
	if (c->clock_jumps > 0 && ++any)
		rpt_warn(fp, "the packet clock jumped %" PRIu64 " time%s (more "
		    "than t_jump): nothing was timed out across a jump",
		    c->clock_jumps, RPT_S(c->clock_jumps));
	if (turn > 0) {
		snprintf(t, sizeof(t), "%" PRIu64 " finished lookups, %" PRIu64
		    " zones, %" PRIu64 " NS names, %" PRIu64 " servers, %"
		    PRIu64 " repeat counters (the oldest, at full tables; see "
		    "THRESHOLDS)", c->evict_lookups - c->evict_active,
		    c->evict_zones, c->evict_names, c->evict_servers,
		    c->evict_repeats);
		rpt_line(fp, "recycled", t);
	}
	return any;
}

/* Lookups by parent id, then by start time: each one's children in order. */
static int
rpt_parent_cmp(const void *a, const void *b)
{
	const struct eng_lookup *x = *(const struct eng_lookup *const *)a;
	const struct eng_lookup *y = *(const struct eng_lookup *const *)b;

	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	if (x->start_ns != y->start_ns)
		return x->start_ns < y->start_ns ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Consequences by the id of their cause, then as the engine sorts them. */
static int
rpt_cause_cmp(const void *a, const void *b)
{
	const struct eng_finding *x = *(const struct eng_finding *const *)a;
	const struct eng_finding *y = *(const struct eng_finding *const *)b;

	if (x->caused_by != y->caused_by)
		return x->caused_by < y->caused_by ? -1 : 1;
	return x < y ? -1 : x > y;
}

/*
 * The root causes first (R2.2), then the other findings (neither root
 * causes nor linked to one) by severity, most severe first; a linked
 * consequence is a line under its cause.
 */
static void
rpt_findings(FILE *fp, struct engine *e)
{
	const struct eng_finding	**f;
	const struct eng_lookup		**all;
	struct rpt_chain		  ch;
	size_t				  n, i, nroot = 0;

	n = engine_findings(e, &f);
	if (n == 0) {
		fputs("== FINDINGS ==\n\nNo findings.\n\n", fp);
		return;
	}
	memset(&ch, 0, sizeof(ch));
	ch.fp = fp;
	ch.eng = e;
	ch.nkids = engine_lookups(e, &all);
	ch.kids = xreallocarray(NULL, ch.nkids + 1, sizeof(*ch.kids));
	memcpy(ch.kids, all, ch.nkids * sizeof(*ch.kids));
	qsort(ch.kids, ch.nkids, sizeof(*ch.kids), rpt_parent_cmp);
	ch.conseq = xreallocarray(NULL, n, sizeof(*ch.conseq));
	for (i = 0; i < n; i++) {
		nroot += (size_t)engine_finding_is_root(f[i]);
		if (f[i]->caused_by != 0)
			ch.conseq[ch.nconseq++] = f[i];
	}
	qsort(ch.conseq, ch.nconseq, sizeof(*ch.conseq), rpt_cause_cmp);
	if (nroot > 0) {
		fprintf(fp, "== CAUSES (%zu) ==\n\n", nroot);
		for (i = 0; i < n; i++)
			if (engine_finding_is_root(f[i]))
				rpt_finding(fp, &ch, f[i]);
	}
	rpt_section(fp, &ch, f, n);
	free(ch.conseq);
	free(ch.drawn);
	free(ch.kids);
}

/* The findings neither root causes nor consequences, by severity. */
static void
rpt_section(FILE *fp, struct rpt_chain *ch, const struct eng_finding **f,
    size_t n)
{
	char		 up[16];
	size_t		 i, k, m, c;

	for (i = 0; i < n; i = m) {
		for (c = 0, m = i; m < n && f[m]->sev == f[i]->sev; m++)
			c += !engine_finding_is_root(f[m]) &&
			    f[m]->caused_by == 0;
		if (c == 0)
			continue;
		snprintf(up, sizeof(up), "%s", engine_sev_name(f[i]->sev));
		for (k = 0; up[k] != '\0'; k++)
			up[k] = (char)(up[k] >= 'a' && up[k] <= 'z' ?
			    up[k] - 32 : up[k]);
		fprintf(fp, "== %s (%zu) ==\n\n", up, c);
		for (k = i; k < m; k++)
			if (!engine_finding_is_root(f[k]) &&
			    f[k]->caused_by == 0)
				rpt_finding(fp, ch, f[k]);
	}
}

/* The consequences linked to root cause f, one line each. */
static void
rpt_consequences(FILE *fp, struct rpt_chain *ch, const struct eng_finding *f)
{
	const struct eng_finding	*x;
	char				 t[RPT_TEXT];
	size_t				 lo = 0, hi = ch->nconseq, mid;
	int				 col;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ch->conseq[mid]->caused_by < f->id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == ch->nconseq || ch->conseq[lo]->caused_by != f->id)
		return;
	fprintf(fp, "  consequences (%" PRIu32 "), shown at notice:\n",
	    f->nconsequences);
	for (; lo < ch->nconseq && (x = ch->conseq[lo])->caused_by == f->id;
	    lo++) {
		col = fprintf(fp, "    %s (#%" PRIu32 ") ",
		    engine_kind_name(x->kind), x->id);
		rpt_wrap(fp, col, 6, fmt_summary(x, t, sizeof(t)));
	}
}

/* One finding: kind, summary, fields, when, evidence and first chain. */
static void
rpt_finding(FILE *fp, struct rpt_chain *ch, const struct eng_finding *f)
{
	const struct eng_field	*fl;
	char			 t[RPT_TEXT], *fix;
	unsigned		 k;
	int			 col;

	fprintf(fp, "%s %s (#%" PRIu32 ")\n", engine_sev_name(f->sev),
	    engine_kind_name(f->kind), f->id);
	fputs("  ", fp);
	rpt_wrap(fp, 2, 2, fmt_summary(f, t, sizeof(t)));
	if ((fix = fmt_fix_dup(f, "fix: ")) != NULL) {
		fputs("  ", fp);
		rpt_wrap(fp, 2, 7, fix);
		free(fix);
	}
	if (engine_finding_is_root(f))
		rpt_line(fp, "impact", fmt_impact(f, t, sizeof(t)));
	for (k = 0; k < f->nfields && k < ENG_FIELDS_MAX; k++) {
		fl = &f->fields[k];
		if (engine_key_hidden((enum eng_key)fl->key))
			continue;
		col = fprintf(fp, "  %-10s ", engine_key_name((enum eng_key)
		    fl->key));
		fmt_field(f, fl, ", ", t, sizeof(t));
		rpt_wrap(fp, col, 13, t[0] != '\0' ? t : "-");
	}
	rpt_evidence(fp, f);
	for (k = 0; k < f->nchains && k < 4 && (k == 0 || rpt_verbose); k++)
		rpt_tree(ch, f->chains[k]);
	if (f->nchains > 1 && !rpt_verbose)
		fprintf(fp, "  (%u more chain%s: -v draws %s)\n",
		    f->nchains - 1, RPT_S(f->nchains - 1), f->nchains == 2 ?
		    "it" : "them");
	rpt_consequences(fp, ch, f);
	fputc('\n', fp);
}

/* How often and when a finding was seen, and its frames. */
static void
rpt_evidence(FILE *fp, const struct eng_finding *f)
{
	char		 t[RPT_TEXT], s[96];
	unsigned	 k;

	snprintf(t, sizeof(t), "%" PRIu64 " time%s, %s", f->count,
	    f->count == 1 ? "" : "s", rpt_span(f->first_ns, f->last_ns, s,
	    sizeof(s)));
	rpt_line(fp, "seen", t);
	if (f->nframes == 0)
		return;
	t[0] = '\0';
	for (k = 0; k < f->nframes && k < ENG_EVIDENCE_MAX; k++)
		snprintf(t + strlen(t), sizeof(t) - strlen(t), "%s%" PRIu64,
		    k ? " " : "", f->frames[k]);
	rpt_line(fp, "frames", t);
}

/*
 * A finding's evidence chain with its sub-lookups, within a line budget;
 * a chain already drawn in the report is named, not drawn again.
 */
static void
rpt_tree(struct rpt_chain *ch, uint32_t id)
{
	const struct eng_lookup	*l = engine_lookup(ch->eng, id);

	ch->lines = rpt_verbose ? RPT_CHAIN_LINES_V : RPT_CHAIN_LINES;
	if (rpt_drawn(ch, id, 2))
		return;
	if (l == NULL) {
		fprintf(ch->fp, "  chain #%" PRIu32 " is no longer kept\n", id);
		return;
	}
	ch->cut = 0;
	rpt_chain(ch, l, 2, 0);
	if (ch->cut > 0)
		fprintf(ch->fp, "  (%u more steps and sub-lookups not shown; "
		    "--json --chains has them)\n", ch->cut);
}

/*
 * Was chain id drawn before in the report?  Then a line at indent names
 * it; else it is noted as drawn now.
 */
static int
rpt_drawn(struct rpt_chain *ch, uint32_t id, int indent)
{
	size_t	 i;

	for (i = 0; i < ch->ndrawn; i++)
		if (ch->drawn[i] == id) {
			if (rpt_budget(ch))
				fprintf(ch->fp, "%*ssee chain #%" PRIu32
				    " above\n", indent, "", id);
			return 1;
		}
	if (ch->ndrawn == ch->drawn_cap) {
		ch->drawn_cap = ch->drawn_cap ? 2 * ch->drawn_cap : 64;
		ch->drawn = xreallocarray(ch->drawn, ch->drawn_cap,
		    sizeof(*ch->drawn));
	}
	ch->drawn[ch->ndrawn++] = id;
	return 0;
}

/* Take one line from the budget; when it is spent, count what is cut. */
static int
rpt_budget(struct rpt_chain *ch)
{
	if (ch->lines == 0) {
		ch->cut++;
		return 0;
	}
	ch->lines--;
	return 1;
}

/* A lookup's steps, each sub-lookup drawn where it began in time. */
static void
rpt_chain(struct rpt_chain *ch, const struct eng_lookup *l, int indent,
    int depth)
{
	const struct eng_lookup	**kids;
	struct rpt_cols		  w;
	size_t			  nk, k = 0;
	unsigned		  i, n = l->steps != NULL ? l->nsteps : 0;

	if (depth > RPT_CHAIN_DEPTH) {
		ch->cut++;
		return;
	}
	if (depth == 0)
		ch->nns_shown = 0;
	else if (rpt_drawn(ch, l->id, indent))
		return;
	rpt_chain_head(ch, l, indent);
	nk = rpt_kids(ch, l->id, &kids);
	rpt_cols(l, &w);
	for (i = 0; i < n; i++) {
		while (k < nk && kids[k]->start_ns < l->steps[i].ts_ns)
			rpt_chain(ch, kids[k++], indent + 4, depth + 1);
		rpt_step(ch, &l->steps[i], indent + 2, &w);
	}
	while (k < nk)
		rpt_chain(ch, kids[k++], indent + 4, depth + 1);
	if (l->steps_dropped > 0 && rpt_budget(ch))
		fprintf(ch->fp, "%*s(%u more steps not kept by the engine)\n",
		    indent + 2, "", l->steps_dropped);
}

/*
 * The line that opens a lookup: what, for whom or why, and how it ended;
 * the ending moves to a line of its own rather than break mid-phrase.
 */
static void
rpt_chain_head(struct rpt_chain *ch, const struct eng_lookup *l, int indent)
{
	char	 t[RPT_TEXT], o[128], a[ADDR_STRLEN], c[ADDR_STRLEN], q[32];
	char	 n[DNS_NAME_STRMAX], r[RPT_TEXT];

	if (!rpt_budget(ch))
		return;
	snprintf(t, sizeof(t), "chain #%" PRIu32 " %s %s", l->id,
	    fmt_name(l->qname, n, sizeof(n)), dns_type_str(l->qtype, q,
	    sizeof(q)));
	if (fmt_lookup_reason(l, r, sizeof(r))[0] != '\0')
		snprintf(t + strlen(t), sizeof(t) - strlen(t), " (%s)", r);
	else
		snprintf(t + strlen(t), sizeof(t) - strlen(t), " from %s%s%s%s",
		    addr_str(l->family, l->resolver, a, sizeof(a)),
		    l->has_client ? " (client " : "", l->has_client ?
		    addr_str(l->client_family, l->client, c, sizeof(c)) : "",
		    l->has_client ? ")" : "");
	if (!l->done)
		snprintf(o, sizeof(o), "unfinished");
	else
		snprintf(o, sizeof(o), "%s%s%s", !l->failed ? "" :
		    l->has_client && l->client_answered &&
		    l->client_rcode != DNS_R_SERVFAIL ?
		    "failed upstream; " : "failed: ", l->has_client ?
		    "the client got " : "", fmt_lookup_outcome(l, r,
		    sizeof(r)));
	if (l->client_ede != 0)
		snprintf(o + strlen(o), sizeof(o) - strlen(o), " with %s",
		    fmt_ede(l->client_ede - 1, r, sizeof(r)));
	snprintf(o + strlen(o), sizeof(o) - strlen(o), ", %u quer%s, %u "
	    "referral%s", l->queries, l->queries == 1 ? "y" : "ies",
	    l->referrals, RPT_S(l->referrals));
	fprintf(ch->fp, "%*s", indent, "");
	if (indent + strlen(t) + 2 + strlen(o) <= RPT_WIDTH) {
		fprintf(ch->fp, "%s: %s\n", t, o);
		return;
	}
	snprintf(t + strlen(t), sizeof(t) - strlen(t), ":");
	rpt_wrap(ch->fp, indent, indent + 4, t);
	fprintf(ch->fp, "%*s%s\n", indent + 4, "", o);
}

/* The sub-lookups of id, in the order they began. */
static size_t
rpt_kids(struct rpt_chain *ch, uint32_t id, const struct eng_lookup ***out)
{
	size_t	 lo = 0, hi = ch->nkids, mid, end;

	/* The first lookup whose parent is not below id. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ch->kids[mid]->parent < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < ch->nkids && ch->kids[end]->parent == id; end++)
		continue;
	*out = ch->kids + lo;
	return id == 0 ? 0 : end - lo;
}

/* Column widths that line up one lookup's steps. */
static void
rpt_cols(const struct eng_lookup *l, struct rpt_cols *w)
{
	const struct eng_step	*s;
	char			 a[ADDR_STRLEN], t[32], n[DNS_NAME_STRMAX];
	unsigned		 i, ns = l->steps != NULL ? l->nsteps : 0;
	int			 len;

	w->zone = 1;
	w->server = 7;
	w->query = 5;
	w->frame = 1;
	for (i = 0; i < ns; i++) {
		s = &l->steps[i];
		if ((len = snprintf(t, sizeof(t), "%" PRIu64, s->frame)) >
		    w->frame)
			w->frame = len;
		if ((len = (int)strlen(fmt_name(s->zone, n, sizeof(n)))) >
		    w->zone)
			w->zone = len;
		len = (int)strlen(addr_str(s->family, s->server, a,
		    sizeof(a))) + (s->tcp ? 4 : 0);
		if (len > w->server)
			w->server = len;
		len = (int)(strlen(fmt_name(s->qname, n, sizeof(n))) + 1 +
		    strlen(dns_type_str(s->qtype, t, sizeof(t))));
		if (len > w->query)
			w->query = len;
	}
	w->zone = w->zone > 24 ? 24 : w->zone;
	w->query = w->query > 40 ? 40 : w->query;
}

/* One step like a dig +trace line: zone, server, query, RTT, frame, class. */
static void
rpt_step(struct rpt_chain *ch, const struct eng_step *s, int indent,
    const struct rpt_cols *w)
{
	char	 b[ADDR_STRLEN], a[ADDR_STRLEN + 4], t[32], q[DNS_NAME_STRMAX + 40];
	char	 rtt[24], n[DNS_NAME_STRMAX], z[DNS_NAME_STRMAX];
	char	 d[DNS_NAME_STRMAX + 8];

	if (!rpt_budget(ch))
		return;
	snprintf(a, sizeof(a), "%s%s", addr_str(s->family, s->server, b,
	    sizeof(b)), s->tcp ? " tcp" : "");
	snprintf(q, sizeof(q), "%s %s", fmt_name(s->qname, n, sizeof(n)),
	    dns_type_str(s->qtype, t, sizeof(t)));
	fmt_step_detail(s, d, sizeof(d));
	if (s->cls == ENG_C_NONE || s->cls == ENG_C_TIMEOUT)
		snprintf(rtt, sizeof(rtt), "-");
	else
		snprintf(rtt, sizeof(rtt), "%.1f ms", s->rtt_us / 1000.0);
	fprintf(ch->fp, "%*s%-*s %-*s %-*s %9s #%-*" PRIu64 " %s%s%s\n",
	    indent, "", w->zone, fmt_name(s->zone, z, sizeof(z)),
	    w->server, a, w->query, q, rtt, w->frame, s->frame,
	    fmt_step_what(s, t, sizeof(t)), d[0] != '\0' ? " " : "", d);
	if (s->cls == ENG_C_REFERRAL && s->referral != NULL)
		rpt_referral_ns(ch, s, indent + w->zone + 1);
}

/* Under a referral, as dig +trace shows it: each NS name with its glue,
 * or "no glue" (MISSING GLUE when the parent had to give it). */
static void
rpt_referral_ns(struct rpt_chain *ch, const struct eng_step *s, int indent)
{
	const struct eng_zone_ns	*ns;
	struct eng_zone_view		 z;
	char				 n[DNS_NAME_STRMAX], g[FMT_LIST_MAX];
	unsigned			 k;

	for (k = 0; k < ch->nns_shown; k++)
		if (ch->ns_shown[k] == s->referral)
			return;
	if (ch->nns_shown < 16)
		ch->ns_shown[ch->nns_shown++] = s->referral;
	if (engine_zone(ch->eng, s->referral, &z) != 0)
		return;
	for (k = 0; k < z.nns && rpt_budget(ch); k++) {
		ns = &z.ns[k];
		fprintf(ch->fp, "%*sNS %s  %s\n", indent, "", fmt_name(ns->name,
		    n, sizeof(n)), fmt_ns_glue(ns, g, sizeof(g)));
	}
}

/* DNS canonical order (RFC 4034 §6.1) on presentation names, roughly. */
static int
rpt_name_cmp(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b), sa, sb, n;
	int	 r;

	la -= la > 0 && a[la - 1] == '.';
	lb -= lb > 0 && b[lb - 1] == '.';
	while (la > 0 && lb > 0) {
		for (sa = la; sa > 0 && a[sa - 1] != '.'; sa--)
			continue;
		for (sb = lb; sb > 0 && b[sb - 1] != '.'; sb--)
			continue;
		n = la - sa < lb - sb ? la - sa : lb - sb;
		if ((r = strncmp(a + sa, b + sb, n)) != 0)
			return r;
		if (la - sa != lb - sb)
			return la - sa < lb - sb ? -1 : 1;
		la = sa > 0 ? sa - 1 : 0;
		lb = sb > 0 ? sb - 1 : 0;
	}
	return (la > 0) - (lb > 0);
}

/* Zones in canonical order, so that a child follows its parent. */
static int
rpt_zone_cmp(const void *a, const void *b)
{
	char	 x[DNS_NAME_STRMAX], y[DNS_NAME_STRMAX];

	return rpt_name_cmp(fmt_name((*(const struct eng_zone_view *const *)
	    a)->name, x, sizeof(x)), fmt_name((*(const struct eng_zone_view
	    *const *)b)->name, y, sizeof(y)));
}

/*
 * The delegation map: each zone, its NS names and their glue.  Views are
 * large: room is made for as many as the map holds, up to the most shown,
 * and pointers to them are sorted.
 */
static void
rpt_zones(FILE *fp, struct engine *e)
{
	struct eng_zone_view	 *z, **o;
	size_t			  n, i, cap = engine_zones_max(e);

	cap = cap < RPT_ZONES_MAX ? cap : RPT_ZONES_MAX;
	z = xreallocarray(NULL, cap + 1, sizeof(*z));
	n = engine_zones(e, z, cap);
	o = xreallocarray(NULL, n + 1, sizeof(*o));
	for (i = 0; i < n; i++)
		o[i] = &z[i];
	qsort(o, n, sizeof(*o), rpt_zone_cmp);
	fprintf(fp, "== ZONES (%zu) ==\n\n", n);
	if (n == RPT_ZONES_MAX)
		fprintf(fp, "(only the %zu most recently seen zones)\n\n", n);
	for (i = 0; i < n; i++)
		rpt_zone(fp, o[i]);
	if (n == 0)
		fputs("No delegations seen.\n\n", fp);
	free(o);
	free(z);
}

/* One zone: parent, NS names with glue status, servers, worst finding. */
static void
rpt_zone(FILE *fp, const struct eng_zone_view *z)
{
	char		 t[RPT_TEXT], p[DNS_NAME_STRMAX], r[RPT_TEXT];
	unsigned	 k, n = z->nns < ENG_ZONE_NS_MAX ? z->nns :
			    ENG_ZONE_NS_MAX, hints, folded;
	int		 col;

	fmt_addrs(z->referred_by, z->nreferrers, ", ", r, sizeof(r));
	snprintf(t, sizeof(t), "parent %s, %" PRIu64 " referral%s%s%s, "
	    "worst finding %s", z->parent != NULL ? fmt_name(z->parent, p,
	    sizeof(p)) : "-", z->referrals, z->referrals == 1 ? "" : "s",
	    r[0] != '\0' ? " from " : "", r,
	    z->worst < ENG_SEV__MAX ? engine_sev_name(z->worst) : "none");
	col = fprintf(fp, "%s  ", fmt_name(z->name, p, sizeof(p)));
	rpt_wrap(fp, col, 4, t);
	for (k = 0, hints = 0; k < n; k++)
		hints += rpt_root_hint(z, &z->ns[k]);
	for (k = 0, folded = 0; k < n; k++) {
		if (rpt_verbose || hints < 2 || !rpt_root_hint(z, &z->ns[k]))
			rpt_zone_ns(fp, &z->ns[k]);
		else if (!folded++)
			rpt_root_hints(fp, z, &z->ns[k], hints);
	}
	fmt_addrs(z->servers, z->nservers, ", ", t, sizeof(t));
	col = fprintf(fp, "  servers   ");
	rpt_wrap(fp, col, 12, t[0] != '\0' ? t : "none known");
	if (z->nchild_ns > 0) {
		fmt_names(z->child_ns, z->nchild_ns, ", ", t, sizeof(t));
		col = fprintf(fp, "  child NS  ");
		rpt_wrap(fp, col, 12, t);
	}
	fputc('\n', fp);
}

/* Whether ns is one of the root's NS names under root-servers.net. */
static int
rpt_root_hint(const struct eng_zone_view *z, const struct eng_zone_ns *ns)
{
	char	 b[DNS_NAME_STRMAX];
	size_t	 len;

	if (z->parent != NULL || z->name == NULL ||
	    strcmp(fmt_name(z->name, b, sizeof(b)), ".") != 0)
		return 0;
	len = strlen(fmt_name(ns->name, b, sizeof(b)));
	return len > 18 && strcmp(b + len - 18, ".root-servers.net.") == 0;
}

/*
 * The root's root-servers.net. names as one line, where the first was:
 * the hints every resolver knows say little, and pushed the zones that
 * matter off the screen (-v lists them).
 */
static void
rpt_root_hints(FILE *fp, const struct eng_zone_view *z,
    const struct eng_zone_ns *first, unsigned hints)
{
	char		 t[RPT_TEXT], nb[DNS_NAME_STRMAX];
	unsigned	 k, n = z->nns < ENG_ZONE_NS_MAX ? z->nns :
			    ENG_ZONE_NS_MAX, noglue = 0;

	for (k = 0; k < n; k++)
		if (rpt_root_hint(z, &z->ns[k]))
			noglue += z->ns[k].glue_state != ENG_GLUE_PRESENT;
	if (noglue > 0)
		snprintf(t, sizeof(t), "%u without glue", noglue);
	else
		snprintf(t, sizeof(t), "all with glue");
	fprintf(fp, "  NS %s and %u more root hints, %s (-v lists them)\n",
	    fmt_name(first->name, nb, sizeof(nb)), hints - 1, t);
}

/* One NS name of a zone: glue / MISSING / n/a, glue and answer addresses. */
static void
rpt_zone_ns(FILE *fp, const struct eng_zone_ns *ns)
{
	static const char	*gs[] = { "glue", "MISSING", "n/a", "unknown" };
	const char		*st;
	char			 g[RPT_TEXT / 2], a[RPT_TEXT / 2], t[RPT_TEXT];
	char			 nb[DNS_NAME_STRMAX];
	int			 col;

	st = gs[ns->glue_state < 4 ? ns->glue_state : 3];
	fmt_addrs(ns->glue, ns->nglue, ", ", g, sizeof(g));
	fmt_addrs(ns->addrs, ns->naddrs, ", ", a, sizeof(a));
	fmt_name(ns->name, nb, sizeof(nb));
	snprintf(t, sizeof(t), "%s%s%s%s", g, g[0] != '\0' && a[0] != '\0' ?
	    "; " : "", a[0] != '\0' ? "answers " : "", a);
	if (t[0] == '\0') {
		fprintf(fp, "  NS %-30s %s\n", nb, st);
		return;
	}
	col = fprintf(fp, "  NS %-30s %-7s ", nb, st);
	rpt_wrap(fp, col, 44, t);
}

/* Servers by queries received, busiest first. */
static int
rpt_server_cmp(const void *a, const void *b)
{
	const struct eng_server_view	*x = a, *y = b;

	if (x->queries != y->queries)
		return x->queries > y->queries ? -1 : 1;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return memcmp(x->addr, y->addr, sizeof(x->addr));
}

/* Servers: queries, answers, timeouts, lameness, RTT and zones. */
static void
rpt_servers(FILE *fp, struct engine *e)
{
	struct eng_server_view	*s = NULL;
	char			 a[ADDR_STRLEN];
	size_t			 n, i, cap = 256;
	int			 w = 7, len;

	for (;;) {
		s = xreallocarray(s, cap, sizeof(*s));
		n = engine_servers(e, s, cap);
		if (n < cap || cap >= RPT_SERVERS_MAX)
			break;
		cap *= 2;
	}
	qsort(s, n, sizeof(*s), rpt_server_cmp);
	for (i = 0; i < n; i++)
		if ((len = (int)strlen(addr_str(s[i].family, s[i].addr, a,
		    sizeof(a)))) > w)
			w = len;
	fprintf(fp, "== SERVERS (%zu) ==\n\n", n);
	if (n == cap)
		fprintf(fp, "(only the %zu most recently active servers)\n\n",
		    n);
	fprintf(fp, "%-*s %7s %7s %6s %5s %8s %8s %8s  %s\n", w, "address",
	    "queries", "answers", "tmout", "lame", "rtt avg", "min", "max",
	    "zones");
	for (i = 0; i < n; i++)
		rpt_server(fp, &s[i], w);
	fputc('\n', fp);
	free(s);
}

/* One row of the servers table. */
static void
rpt_server(FILE *fp, const struct eng_server_view *s, int w)
{
	char	 a[ADDR_STRLEN], r[3][24], z[RPT_TEXT], t[RPT_TEXT];
	double	 ms[3];
	int	 col, i;

	ms[0] = s->rtt_count > 0 ? s->rtt_sum_us / 1000.0 / s->rtt_count : 0;
	ms[1] = s->rtt_min_us / 1000.0;
	ms[2] = s->rtt_max_us / 1000.0;
	for (i = 0; i < 3; i++)
		if (s->rtt_count > 0)
			snprintf(r[i], sizeof(r[i]), "%.1fms", ms[i]);
		else
			snprintf(r[i], sizeof(r[i]), "-");
	fmt_names(s->zones, s->nzones, ", ", z, sizeof(z));
	snprintf(t, sizeof(t), "%s%s", s->is_resolver ? "(resolver) " : "",
	    z[0] != '\0' ? z : s->is_resolver ? "" : "-");
	col = fprintf(fp, "%-*s %7" PRIu64 " %7" PRIu64 " %5.1f%% %5" PRIu64
	    " %8s %8s %8s  ", w, addr_str(s->family, s->addr, a, sizeof(a)),
	    s->queries, s->responses, s->queries > 0 ? 100.0 * s->timeouts /
	    s->queries : 0.0, s->lame, r[0], r[1], r[2]);
	rpt_wrap(fp, col, col < 80 ? col : 4, t);
}

/* The most repeated questions. */
static void
rpt_repeats(FILE *fp, struct engine *e)
{
	struct eng_repeat_view	 r[RPT_REPEATS];
	char			 a[ADDR_STRLEN], t[32], q[DNS_NAME_STRMAX];
	size_t			 n, i;

	n = engine_repeats(e, r, RPT_REPEATS);
	fputs("== REPEATED QUERIES ==\n\n", fp);
	if (n == 0) {
		fputs("No repeated queries.\n\n", fp);
		return;
	}
	fprintf(fp, "%7s %7s  %-15s  %s\n", "total", "window", "from", "query");
	for (i = 0; i < n; i++)
		fprintf(fp, "%7" PRIu64 " %7" PRIu64 "  %-15s  %s %s\n",
		    r[i].total, r[i].count, addr_str(r[i].family,
		    r[i].resolver, a, sizeof(a)), fmt_name(r[i].qname, q,
		    sizeof(q)),
		    dns_type_str(r[i].qtype, t, sizeof(t)));
	fputc('\n', fp);
}

/* The whole text report. */
void
report_print(FILE *fp, struct engine *e, const struct output_info *info)
{
	rpt_verbose = info->verbose;
	rpt_header(fp, e, info);
	rpt_findings(fp, e);
	rpt_zones(fp, e);
	rpt_servers(fp, e);
	rpt_repeats(fp, e);
	fflush(fp);
}
