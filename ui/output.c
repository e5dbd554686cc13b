/*
 * output.c -- the batch views of the engine: JSON lines (--json) and the
 * text report (--report).  Both read only the engine's state.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decode/dnstab.h"
#include "engine/engine.h"
#include "ui/output.h"
#include "util/addr.h"
#include "util/xmalloc.h"

#define REPORT_ZONES	4096
#define REPORT_SERVERS	4096
#define REPORT_REPEATS	10

struct output {
	enum output_kind	 kind;
	FILE			*fp;
	struct engine		*eng;
	struct output_info	 info;
	int			 chains;
	uint64_t		 gen;		/* findings printed up to here */
};

static void	json_str(FILE *, const char *);
static void	json_time(FILE *, uint64_t);
static void	json_finding(FILE *, const struct eng_finding *);
static void	json_chain(FILE *, const struct eng_lookup *);
static void	json_summary(FILE *, struct engine *,
		    const struct output_info *);
static const char *fmt_time(uint64_t, char *, size_t);
static void	report_header(FILE *, struct engine *,
		    const struct output_info *);
static void	report_findings(FILE *, struct engine *);
static void	report_chain(FILE *, struct engine *, uint32_t, int, int);
static void	report_zones(FILE *, struct engine *);
static void	report_servers(FILE *, struct engine *);
static void	report_repeats(FILE *, struct engine *);

/* A JSON string, escaped (RFC 8259 §7). */
static void
json_str(FILE *fp, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;

	fputc('"', fp);
	for (; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(fp, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(fp, "\\u%04x", *p);
		else
			fputc(*p, fp);
	}
	fputc('"', fp);
}

/* Seconds since the epoch with microseconds, as a JSON number. */
static void
json_time(FILE *fp, uint64_t ns)
{
	fprintf(fp, "%" PRIu64 ".%06" PRIu64, ns / 1000000000,
	    ns % 1000000000 / 1000);
}

/* One finding object. */
static void
json_finding(FILE *fp, const struct eng_finding *f)
{
	const struct eng_field	*fl;
	char			 item[ENG_FIELD_LEN], *tok, *save;
	uint8_t			 i;
	int			 first;

	fprintf(fp, "{\"type\":\"finding\",\"id\":%u,\"kind\":\"%s\","
	    "\"severity\":\"%s\"", f->id, engine_kind_name(f->kind),
	    engine_sev_name(f->sev));
	for (i = 0; i < f->nfields; i++) {
		fl = &f->fields[i];
		fprintf(fp, ",\"%s\":", fl->key);
		if (fl->type == ENG_FT_NUM || fl->type == ENG_FT_BOOL)
			fputs(fl->val[0] ? fl->val : "null", fp);
		else if (fl->type == ENG_FT_LIST) {
			snprintf(item, sizeof(item), "%s", fl->val);
			fputc('[', fp);
			first = 1;
			for (tok = strtok_r(item, ",", &save); tok != NULL;
			    tok = strtok_r(NULL, ",", &save)) {
				if (!first)
					fputc(',', fp);
				json_str(fp, tok);
				first = 0;
			}
			fputc(']', fp);
		} else
			json_str(fp, fl->val);
	}
	fprintf(fp, ",\"count\":%" PRIu64 ",\"first_seen\":", f->count);
	json_time(fp, f->first_ns);
	fputs(",\"last_seen\":", fp);
	json_time(fp, f->last_ns);
	fputs(",\"summary\":", fp);
	json_str(fp, f->summary);
	fputs(",\"evidence\":{\"chains\":[", fp);
	for (i = 0; i < f->nchains; i++)
		fprintf(fp, "%s%u", i ? "," : "", f->chains[i]);
	fputs("],\"frames\":[", fp);
	for (i = 0; i < f->nframes; i++)
		fprintf(fp, "%s%" PRIu64, i ? "," : "", f->frames[i]);
	fputs("]}}\n", fp);
}

/* One chain object with its steps. */
static void
json_chain(FILE *fp, const struct eng_lookup *l)
{
	const struct eng_step	*s;
	char			 a[ADDR_STRLEN], t[16], r[16];
	unsigned		 i;

	fprintf(fp, "{\"type\":\"chain\",\"id\":%u,\"parent\":%u,"
	    "\"resolver\":\"%s\"", l->id, l->parent,
	    addr_str(l->family, l->resolver, a, sizeof(a)));
	if (l->has_client)
		fprintf(fp, ",\"client\":\"%s\"", addr_str(l->client_family,
		    l->client, a, sizeof(a)));
	fputs(",\"qname\":", fp);
	json_str(fp, l->qname);
	fprintf(fp, ",\"qtype\":\"%s\",\"reason\":", dns_type_str(l->qtype, t,
	    sizeof(t)));
	json_str(fp, l->reason);
	fprintf(fp, ",\"outcome\":\"%s\",\"failed\":%s,\"depth\":%u,"
	    "\"queries\":%u,\"referrals\":%u,\"start\":",
	    engine_class_name(l->outcome), l->failed ? "true" : "false",
	    l->depth, l->queries, l->referrals);
	json_time(fp, l->start_ns);
	fputs(",\"end\":", fp);
	json_time(fp, l->last_ns);
	fputs(",\"steps\":[", fp);
	for (i = 0; i < l->nsteps; i++) {
		s = &l->steps[i];
		fprintf(fp, "%s{\"frame\":%" PRIu64 ",\"response_frame\":%"
		    PRIu64 ",\"time\":", i ? "," : "", s->frame, s->rframe);
		json_time(fp, s->ts_ns);
		fputs(",\"zone\":", fp);
		json_str(fp, s->zone);
		fprintf(fp, ",\"server\":\"%s\",\"transport\":\"%s\","
		    "\"qname\":", addr_str(s->family, s->server, a, sizeof(a)),
		    s->tcp ? "tcp" : "udp");
		json_str(fp, s->qname);
		fprintf(fp, ",\"qtype\":\"%s\",\"class\":\"%s\",\"rcode\":"
		    "\"%s\",\"aa\":%s,\"rtt_ms\":%.3f,\"detail\":",
		    dns_type_str(s->qtype, t, sizeof(t)),
		    engine_class_name(s->cls), s->cls == ENG_C_NONE ||
		    s->cls == ENG_C_TIMEOUT ? "" : dns_rcode_str(s->rcode, r,
		    sizeof(r)), s->aa ? "true" : "false", s->rtt_us / 1000.0);
		json_str(fp, s->detail);
		fputc('}', fp);
	}
	fputs("]}\n", fp);
}

/* The closing summary object. */
static void
json_summary(FILE *fp, struct engine *e, const struct output_info *info)
{
	const struct engine_counters	*c = engine_counters(e);
	const struct eng_finding	**f;
	uint64_t			 sev[ENG_SEV__MAX] = { 0 };
	size_t				 n, i;

	n = engine_findings(e, &f);
	for (i = 0; i < n; i++)
		sev[f[i]->sev]++;
	fputs("{\"type\":\"summary\",\"sources\":", fp);
	json_str(fp, info->sources ? info->sources : "");
	fputs(",\"filter\":", fp);
	json_str(fp, info->filter ? info->filter : "");
	fprintf(fp, ",\"packets\":%" PRIu64 ",\"messages\":%" PRIu64
	    ",\"queries\":%" PRIu64 ",\"responses\":%" PRIu64 ",\"malformed\":%"
	    PRIu64 ",\"lookups\":%" PRIu64 ",\"lookups_failed\":%" PRIu64
	    ",\"findings\":%zu,\"by_severity\":{", c->health.packets,
	    c->messages, c->queries, c->responses, c->dns_malformed,
	    c->lookups, c->lookups_failed, n);
	for (i = 0; i < ENG_SEV__MAX; i++)
		fprintf(fp, "%s\"%s\":%" PRIu64, i ? "," : "",
		    engine_sev_name((enum eng_sev)i), sev[i]);
	fprintf(fp, "},\"matched\":%" PRIu64 ",\"unsolicited\":%" PRIu64
	    ",\"mismatched\":%" PRIu64 ",\"retransmits\":%" PRIu64
	    ",\"timeouts\":%" PRIu64 ",\"unreachable\":%" PRIu64 ",\"late\":%"
	    PRIu64 ",\"unanswered_at_end\":%" PRIu64 ",\"first\":",
	    c->matched, c->unsolicited, c->mismatched, c->retransmits,
	    c->timeouts, c->unreachable, c->late, c->unanswered_at_end);
	json_time(fp, c->first_ns);
	fputs(",\"last\":", fp);
	json_time(fp, c->last_ns);
	fprintf(fp, ",\"health\":{\"pcap_drop\":%" PRIu64 ",\"if_drop\":%"
	    PRIu64 ",\"snap_cut\":%" PRIu64 ",\"skipped\":%" PRIu64
	    ",\"malformed\":%" PRIu64 ",\"evicted\":%" PRIu64
	    ",\"frag_incomplete\":%" PRIu64 ",\"tcp_gaps\":%" PRIu64
	    ",\"bad_linktype\":%" PRIu64 "}", c->health.pcap_drop,
	    c->health.if_drop, c->health.snap_cut, c->health.skipped,
	    c->health.malformed, c->health.cap_evicted,
	    c->health.frag_incomplete, c->health.tcp_gaps,
	    c->health.bad_linktype);
	fprintf(fp, ",\"evictions\":{\"pending\":%" PRIu64 ",\"lookups\":%"
	    PRIu64 ",\"zones\":%" PRIu64 ",\"names\":%" PRIu64 ",\"servers\":%"
	    PRIu64 ",\"findings\":%" PRIu64 ",\"repeats\":%" PRIu64 "}}\n",
	    c->evict_pending, c->evict_lookups, c->evict_zones,
	    c->evict_names, c->evict_servers, c->evict_findings,
	    c->evict_repeats);
}

struct output *
output_create(enum output_kind kind, FILE *fp, struct engine *e,
    const struct output_info *info, int chains)
{
	struct output	*o = xcalloc(1, sizeof(*o));

	o->kind = kind;
	o->fp = fp;
	o->eng = e;
	o->info = *info;
	o->chains = chains;
	return o;
}

/* JSON: stream the findings that changed since the last batch. */
void
output_batch(struct output *o)
{
	const struct eng_finding	**f;
	size_t				 n, i;

	if (o->kind != OUTPUT_JSON || engine_generation(o->eng) == o->gen)
		return;
	n = engine_changed(o->eng, o->gen, &f);
	for (i = 0; i < n; i++)
		json_finding(o->fp, f[i]);
	o->gen = engine_generation(o->eng);
	if (n > 0)
		fflush(o->fp);
}

/* SIGHUP/SIGUSR1: the report so far (JSON: a summary line). */
void
output_report_now(struct output *o)
{
	if (o->kind == OUTPUT_JSON) {
		output_batch(o);
		json_summary(o->fp, o->eng, &o->info);
	} else
		report_print(o->fp, o->eng, &o->info);
	fflush(o->fp);
}

/* Print what remains; 1 when a finding at or above fail_on exists. */
int
output_finish(struct output *o, int fail_on)
{
	const struct eng_finding	**f;
	const struct eng_lookup		**l;
	size_t				 n, i;

	if (o->kind == OUTPUT_JSON) {
		output_batch(o);
		if (o->chains) {
			n = engine_lookups(o->eng, &l);
			for (i = n; i > 0; i--)
				json_chain(o->fp, l[i - 1]);
		}
		json_summary(o->fp, o->eng, &o->info);
	} else
		report_print(o->fp, o->eng, &o->info);
	fflush(o->fp);
	n = engine_findings(o->eng, &f);
	return fail_on >= 0 && n > 0 && f[0]->sev <= fail_on;
}

void
output_destroy(struct output *o)
{
	free(o);
}

/* UTC time of day with milliseconds; the date when asked. */
static const char *
fmt_time(uint64_t ns, char *buf, size_t size)
{
	struct tm	 tm;
	time_t		 t = (time_t)(ns / 1000000000);
	char		 b[32];

	if (ns == 0 || gmtime_r(&t, &tm) == NULL) {
		snprintf(buf, size, "-");
		return buf;
	}
	strftime(b, sizeof(b), "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(buf, size, "%s.%03u", b, (unsigned)(ns % 1000000000 /
	    1000000));
	return buf;
}

/* The report's opening block: what was read and how healthy it was. */
static void
report_header(FILE *fp, struct engine *e, const struct output_info *info)
{
	const struct engine_counters	*c = engine_counters(e);
	const struct eng_health		*h = &c->health;
	char				 a[40], b[40];

	fprintf(fp, "gluetop report\n");
	fprintf(fp, "  source     %s\n", info->sources ? info->sources : "-");
	fprintf(fp, "  filter     %s\n", info->filter ? info->filter : "-");
	fprintf(fp, "  span       %s .. %s UTC\n", fmt_time(c->first_ns, a,
	    sizeof(a)), fmt_time(c->last_ns, b, sizeof(b)));
	fprintf(fp, "  packets    %" PRIu64 " (%" PRIu64 " skipped), DNS "
	    "messages %" PRIu64 " (%" PRIu64 " queries, %" PRIu64
	    " responses, %" PRIu64 " malformed)\n", h->packets, h->skipped,
	    c->messages, c->queries, c->responses, c->dns_malformed);
	fprintf(fp, "  pairing    %" PRIu64 " answered, %" PRIu64 " timed out"
	    " (%" PRIu64 " ICMP unreachable, %" PRIu64 " answered late), %"
	    PRIu64 " retransmitted, %" PRIu64 " unsolicited, %" PRIu64
	    " unanswered at the end\n", c->matched, c->timeouts,
	    c->unreachable, c->late, c->retransmits,
	    c->unsolicited + c->mismatched, c->unanswered_at_end);
	fprintf(fp, "  lookups    %" PRIu64 " rebuilt, %" PRIu64 " failed, %"
	    PRIu64 " referrals followed\n", c->lookups, c->lookups_failed,
	    c->referrals);
	if (h->pcap_drop + h->if_drop + h->snap_cut + h->cap_evicted +
	    h->frag_incomplete + h->tcp_gaps + h->bad_linktype +
	    c->evict_pending + c->evict_lookups + c->evict_zones > 0)
		fprintf(fp, "  WARNING: the capture is incomplete: %" PRIu64
		    " dropped, %" PRIu64 " cut by the snaplen, %" PRIu64
		    " fragments lost, %" PRIu64 " TCP gaps, %" PRIu64
		    " unsupported link type, %" PRIu64 " evicted\n",
		    h->pcap_drop + h->if_drop, h->snap_cut, h->frag_incomplete,
		    h->tcp_gaps, h->bad_linktype, h->cap_evicted +
		    c->evict_pending + c->evict_lookups + c->evict_zones);
	fputc('\n', fp);
}

/* A lookup drawn like dig +trace, its sub-lookups indented under it. */
static void
report_chain(FILE *fp, struct engine *e, uint32_t id, int indent, int depth)
{
	const struct eng_lookup		*l = engine_lookup(e, id);
	const struct eng_lookup		**all;
	const struct eng_step		*s;
	char				 a[ADDR_STRLEN], t[16], rtt[16];
	size_t				 n, i;
	unsigned			 k;

	if (l == NULL || depth > 4)
		return;
	fprintf(fp, "%*schain #%u: %s %s from %s%s%s%s\n", indent, "", l->id,
	    l->qname, dns_type_str(l->qtype, t, sizeof(t)),
	    addr_str(l->family, l->resolver, a, sizeof(a)),
	    l->reason[0] ? " (" : "", l->reason, l->reason[0] ? ")" : "");
	for (k = 0; k < l->nsteps; k++) {
		s = &l->steps[k];
		if (s->cls == ENG_C_TIMEOUT || s->cls == ENG_C_NONE)
			snprintf(rtt, sizeof(rtt), "-");
		else
			snprintf(rtt, sizeof(rtt), "%.1f ms", s->rtt_us /
			    1000.0);
		fprintf(fp, "%*s  %-20s %-15s %-3s %-5s %-15s %8s  #%-6" PRIu64
		    " %s\n", indent, "", s->zone[0] ? s->zone : "?",
		    addr_str(s->family, s->server, a, sizeof(a)),
		    s->tcp ? "tcp" : "udp", dns_type_str(s->qtype, t, sizeof(t)),
		    engine_class_name(s->cls), rtt, s->frame, s->detail);
	}
	if (l->steps_dropped)
		fprintf(fp, "%*s  (%u more steps not kept)\n", indent, "",
		    l->steps_dropped);
	n = engine_lookups(e, &all);
	for (i = 0; i < n; i++)
		if (all[i]->parent == l->id)
			report_chain(fp, e, all[i]->id, indent + 4, depth + 1);
}

/* Findings by severity, each with its evidence and first chain. */
static void
report_findings(FILE *fp, struct engine *e)
{
	const struct eng_finding	**f;
	char				 a[40], b[40];
	size_t				 n, i;
	int				 sev = -1;
	uint8_t				 k;

	n = engine_findings(e, &f);
	if (n == 0) {
		fprintf(fp, "No findings.\n\n");
		return;
	}
	for (i = 0; i < n; i++) {
		if (f[i]->sev != sev) {
			sev = f[i]->sev;
			fprintf(fp, "== %s ==\n\n", engine_sev_name(sev));
		}
		fprintf(fp, "%s %s\n", engine_sev_name(f[i]->sev),
		    engine_kind_name(f[i]->kind));
		fprintf(fp, "  %s\n", f[i]->summary);
		for (k = 0; k < f[i]->nfields; k++)
			fprintf(fp, "  %-10s %s\n", f[i]->fields[k].key,
			    f[i]->fields[k].val);
		fprintf(fp, "  seen %" PRIu64 " time%s, %s .. %s\n",
		    f[i]->count, f[i]->count == 1 ? "" : "s",
		    fmt_time(f[i]->first_ns, a, sizeof(a)),
		    fmt_time(f[i]->last_ns, b, sizeof(b)));
		if (f[i]->nframes > 0) {
			fprintf(fp, "  frames    ");
			for (k = 0; k < f[i]->nframes; k++)
				fprintf(fp, " %" PRIu64, f[i]->frames[k]);
			fputc('\n', fp);
		}
		if (f[i]->nchains > 0)
			report_chain(fp, e, f[i]->chains[0], 2, 0);
		fputc('\n', fp);
	}
}

/* The delegation map: each zone, its NS names and their glue. */
static void
report_zones(FILE *fp, struct engine *e)
{
	static const char		*gs[] = { "glue", "MISSING", "n/a", "?" };
	struct eng_zone_view		*z = xcalloc(REPORT_ZONES, sizeof(*z));
	size_t				 n, i;
	unsigned			 k;

	n = engine_zones(e, z, REPORT_ZONES);
	fprintf(fp, "== zones (%zu) ==\n\n", n);
	for (i = 0; i < n; i++) {
		fprintf(fp, "%s  parent %s, %" PRIu64 " referral%s%s%s\n",
		    z[i].name, z[i].parent[0] ? z[i].parent : "?",
		    z[i].referrals, z[i].referrals == 1 ? "" : "s",
		    z[i].referred_by[0] ? " from " : "", z[i].referred_by);
		for (k = 0; k < z[i].nns; k++)
			fprintf(fp, "  NS %-30s %-7s %s%s%s\n", z[i].ns[k].name,
			    gs[z[i].ns[k].glue_state < 4 ?
			    z[i].ns[k].glue_state : 3], z[i].ns[k].glue,
			    z[i].ns[k].addrs[0] ? " auth " : "",
			    z[i].ns[k].addrs);
		if (z[i].nchild_ns)
			fprintf(fp, "  child NS %s\n", z[i].child_ns);
	}
	fputc('\n', fp);
	free(z);
}

/* Servers: queries, answers, timeouts, lameness, RTT. */
static void
report_servers(FILE *fp, struct engine *e)
{
	struct eng_server_view	*s = xcalloc(REPORT_SERVERS, sizeof(*s));
	char			 a[ADDR_STRLEN];
	size_t			 n, i;

	n = engine_servers(e, s, REPORT_SERVERS);
	fprintf(fp, "== servers (%zu) ==\n\n", n);
	fprintf(fp, "%-39s %7s %7s %6s %5s %9s %9s %9s  %s\n", "address",
	    "queries", "answers", "tmout%", "lame", "rtt avg", "min", "max",
	    "zones");
	for (i = 0; i < n; i++) {
		fprintf(fp, "%-39s %7" PRIu64 " %7" PRIu64 " %5.1f%% %5" PRIu64
		    " %7.1fms %7.1fms %7.1fms  %s%s\n", addr_str(s[i].family,
		    s[i].addr, a, sizeof(a)), s[i].queries, s[i].responses,
		    s[i].queries ? 100.0 * s[i].timeouts / s[i].queries : 0.0,
		    s[i].lame, s[i].rtt_count ? s[i].rtt_sum_us / 1000.0 /
		    s[i].rtt_count : 0.0, s[i].rtt_min_us / 1000.0,
		    s[i].rtt_max_us / 1000.0, s[i].is_resolver ? "(resolver) " :
		    "", s[i].zones);
	}
	fputc('\n', fp);
	free(s);
}

/* The most repeated questions. */
static void
report_repeats(FILE *fp, struct engine *e)
{
	struct eng_repeat_view	 r[REPORT_REPEATS];
	char			 a[ADDR_STRLEN], t[16];
	size_t			 n, i;

	n = engine_repeats(e, r, REPORT_REPEATS);
	if (n == 0)
		return;
	fprintf(fp, "== most repeated queries ==\n\n");
	for (i = 0; i < n; i++)
		fprintf(fp, "%7" PRIu64 "  %s %s from %s\n", r[i].total,
		    r[i].qname, dns_type_str(r[i].qtype, t, sizeof(t)),
		    addr_str(r[i].family, r[i].resolver, a, sizeof(a)));
	fputc('\n', fp);
}

/* The whole text report. */
void
report_print(FILE *fp, struct engine *e, const struct output_info *info)
{
	report_header(fp, e, info);
	report_findings(fp, e);
	report_zones(fp, e);
	report_servers(fp, e);
	report_repeats(fp, e);
}
