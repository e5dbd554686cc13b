/*
 * json.c -- the JSON lines objects: findings, chains and the summary.
 *
 * Every object is written with fprintf and a small escaper instead of a JSON
 * library: the objects are flat and known in advance, and the escaper below
 * is the only part that has to be right for arbitrary bytes.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/dname.h"
#include "decode/dnstab.h"
#include "engine/engine.h"
#include "ui/fmt.h"
#include "ui/json.h"
#include "ui/output.h"
#include "util/addr.h"

/* A named counter of an object, for the table-driven writers. */
struct json_num {
	const char	*key;
	uint64_t	 val;
};

static size_t	json_utf8_len(const unsigned char *);
static int	json_is_reserved(const char *);
static void	json_put_nums(FILE *, const struct json_num *, size_t);
static void	json_put_field(FILE *, const struct eng_finding *,
		    const struct eng_field *);
static void	json_put_evidence(FILE *, const struct eng_finding *);
static void	json_put_cause(FILE *, const struct eng_finding *);
static void	json_put_step(FILE *, const struct eng_step *);
static void	json_put_counts(FILE *, const struct engine_counters *);
static void	json_put_severities(FILE *, struct engine *);
static void	json_put_health(FILE *, const struct engine_counters *);

/*
 * The length of the well-formed UTF-8 sequence of two to four bytes at p
 * (RFC 3629 §4), or 0 when the byte there does not start one.  The string
 * is NUL-terminated and NUL is never a continuation byte, so this never
 * reads past its end.
 */
static size_t
json_utf8_len(const unsigned char *p)
{
	unsigned char	 lo = 0x80, hi = 0xbf;
	size_t		 n, i;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	/* The second byte's range excludes overlongs and surrogates. */
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

/* A JSON string for any bytes (RFC 8259 §7). */
void
json_put_str(FILE *fp, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n;

	fputc('"', fp);
	while (*p != '\0') {
		if (*p == '"' || *p == '\\') {
			fputc('\\', fp);
			fputc(*p++, fp);
		} else if (*p < 0x20 || *p == 0x7f)
			fprintf(fp, "\\u%04x", *p++);
		else if (*p < 0x80)
			fputc(*p++, fp);
		else if ((n = json_utf8_len(p)) > 0) {
			fwrite(p, 1, n, fp);
			p += n;
		} else
			/* Not UTF-8: keep the byte, read as Latin-1. */
			fprintf(fp, "\\u%04x", *p++);
	}
	fputc('"', fp);
}

/* Seconds since the epoch with microseconds, as a JSON number. */
void
json_put_time(FILE *fp, uint64_t ns)
{
	fprintf(fp, "%" PRIu64 ".%06" PRIu64, ns / 1000000000,
	    ns % 1000000000 / 1000);
}

/* Whether a field's key is one of the members every finding has. */
static int
json_is_reserved(const char *key)
{
	static const char	*fixed[] = { "type", "id", "kind", "severity",
	    "count", "first_seen", "last_seen", "summary", "fix", "evidence",
	    "caused_by", "impact", NULL };
	size_t			 i;

	for (i = 0; fixed[i] != NULL; i++)
		if (strcmp(key, fixed[i]) == 0)
			return 1;
	return 0;
}

/* Members ,"key":number for each counter of a table. */
static void
json_put_nums(FILE *fp, const struct json_num *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		fprintf(fp, "%s\"%s\":%" PRIu64, i ? "," : "", v[i].key,
		    v[i].val);
}

/* A name as a JSON string. */
static void
json_put_name(FILE *fp, const struct dns_name *n)
{
	char	 b[DNS_NAME_STRMAX];

	json_put_str(fp, n != NULL ? fmt_name(n, b, sizeof(b)) : "");
}

/* A typed field's value: a string, an array, a number or a boolean. */
static void
json_put_value(FILE *fp, const struct eng_finding *f,
    const struct eng_field *fl)
{
	char		 b[ADDR_STRLEN];
	unsigned	 i;

	switch (engine_key_type((enum eng_key)fl->key)) {
	case ENG_V_NAME:
		json_put_name(fp, fl->n > 0 ? f->names[fl->off] : NULL);
		break;
	case ENG_V_ADDR:
		json_put_str(fp, fl->n > 0 ? fmt_addr(&f->addrs[fl->off], b,
		    sizeof(b)) : "");
		break;
	case ENG_V_NAMES:
	case ENG_V_ADDRS:
		fputc('[', fp);
		for (i = 0; i < fl->n; i++) {
			if (i > 0)
				fputc(',', fp);
			if (engine_key_type((enum eng_key)fl->key) ==
			    ENG_V_NAMES)
				json_put_name(fp, f->names[fl->off + i]);
			else
				json_put_str(fp, fmt_addr(&f->addrs[fl->off +
				    i], b, sizeof(b)));
		}
		fputc(']', fp);
		break;
	case ENG_V_BOOL:
		fputs(fl->num ? "true" : "false", fp);
		break;
	case ENG_V_WORD:
	case ENG_V_QTYPE:
		json_put_str(fp, fmt_field(f, fl, ",", b, sizeof(b)));
		break;
	default:
		fprintf(fp, "%" PRIu64, fl->num);
		break;
	}
}

/*
 * One field of a finding as a member; a key that would repeat a fixed
 * member (query_loop's count) gets the prefix field_.
 */
static void
json_put_field(FILE *fp, const struct eng_finding *f,
    const struct eng_field *fl)
{
	const char	*name = engine_key_name((enum eng_key)fl->key);

	if (engine_key_hidden((enum eng_key)fl->key))
		return;
	fprintf(fp, ",\"%s%s\":", json_is_reserved(name) ? "field_" : "",
	    name);
	json_put_value(fp, f, fl);
}

/* The evidence member: chain ids and frame numbers. */
static void
json_put_evidence(FILE *fp, const struct eng_finding *f)
{
	unsigned	 i, n;

	fputs(",\"evidence\":{\"chains\":[", fp);
	n = f->nchains < 4 ? f->nchains : 4;
	for (i = 0; i < n; i++)
		fprintf(fp, "%s%" PRIu32, i ? "," : "", f->chains[i]);
	fputs("],\"frames\":[", fp);
	n = f->nframes < ENG_EVIDENCE_MAX ? f->nframes : ENG_EVIDENCE_MAX;
	for (i = 0; i < n; i++)
		fprintf(fp, "%s%" PRIu64, i ? "," : "", f->frames[i]);
	fputs("]}", fp);
}

/*
 * R2.2: a consequence's caused_by (its root causes' ids), a root cause's
 * impact (always all four numbers).
 */
static void
json_put_cause(FILE *fp, const struct eng_finding *f)
{
	const struct json_num	 v[] = {
		{ "lookups_failed", f->impact.lookups_failed },
		{ "lookups_slowed", f->impact.lookups_slowed },
		{ "clients", f->impact.clients },
		{ "queries_spent", f->impact.queries_spent },
	};

	/* A list, as DETECTIONS.md has it: one cause today. */
	if (f->caused_by != 0)
		fprintf(fp, ",\"caused_by\":[%" PRIu32 "]", f->caused_by);
	if (!engine_finding_is_root(f))
		return;
	fputs(",\"impact\":{", fp);
	json_put_nums(fp, v, sizeof(v) / sizeof(v[0]));
	fputc('}', fp);
}

/* The members every object starts with: type, schema, host. */
static void
json_head(FILE *fp, const char *type, const char *host)
{
	fprintf(fp, "{\"type\":\"%s\",\"schema\":%d,\"host\":", type,
	    JSON_SCHEMA);
	json_put_str(fp, host != NULL ? host : "");
}

/* A list of addresses as a JSON array of strings. */
static void
json_put_addrs(FILE *fp, const struct eng_addr *a, unsigned n)
{
	char		 b[ADDR_STRLEN];
	unsigned	 i;

	fputc('[', fp);
	for (i = 0; i < n; i++) {
		if (i > 0)
			fputc(',', fp);
		json_put_str(fp, fmt_addr(&a[i], b, sizeof(b)));
	}
	fputc(']', fp);
}

/* A list of names as a JSON array of strings. */
static void
json_put_names(FILE *fp, const struct dns_name *const *v, unsigned n)
{
	unsigned	 i;

	fputc('[', fp);
	for (i = 0; i < n; i++) {
		if (i > 0)
			fputc(',', fp);
		json_put_name(fp, v[i]);
	}
	fputc(']', fp);
}

/* One finding object; event ("new", "update", "cleared") when streamed. */
void
json_write_finding(FILE *fp, const char *host, const struct eng_finding *f,
    const char *event)
{
	char		 sum[2 * FMT_LIST_MAX], *fix;
	unsigned	 i, n;

	json_head(fp, "finding", host);
	if (event != NULL)
		fprintf(fp, ",\"event\":\"%s\"", event);
	fprintf(fp, ",\"id\":%" PRIu32 ",\"kind\":", f->id);
	json_put_str(fp, engine_kind_name(f->kind));
	fputs(",\"severity\":", fp);
	json_put_str(fp, engine_sev_name(f->sev));
	n = f->nfields < ENG_FIELDS_MAX ? f->nfields : ENG_FIELDS_MAX;
	for (i = 0; i < n; i++)
		json_put_field(fp, f, &f->fields[i]);
	fprintf(fp, ",\"count\":%" PRIu64 ",\"first_seen\":", f->count);
	json_put_time(fp, f->first_ns);
	fputs(",\"last_seen\":", fp);
	json_put_time(fp, f->last_ns);
	fputs(",\"summary\":", fp);
	json_put_str(fp, fmt_summary(f, sum, sizeof(sum)));
	if ((fix = fmt_fix_dup(f, "")) != NULL) {
		fputs(",\"fix\":", fp);
		json_put_str(fp, fix);
		free(fix);
	}
	json_put_cause(fp, f);
	json_put_evidence(fp, f);
	fputs("}\n", fp);
}

/* One step of a chain: the query, and what came back. */
static void
json_put_step(FILE *fp, const struct eng_step *s)
{
	char	 a[ADDR_STRLEN], t[32], d[DNS_NAME_STRMAX + 8];
	int	 answered = s->cls != ENG_C_NONE && s->cls != ENG_C_TIMEOUT;

	/* What did not happen is left out: a member's type never varies. */
	fprintf(fp, "{\"frame\":%" PRIu64, s->frame);
	if (s->rframe != 0)
		fprintf(fp, ",\"response_frame\":%" PRIu64, s->rframe);
	fputs(",\"time\":", fp);
	json_put_time(fp, s->ts_ns);
	fputs(",\"zone\":", fp);
	json_put_name(fp, s->zone);
	fputs(",\"server\":", fp);
	json_put_str(fp, addr_str(s->family, s->server, a, sizeof(a)));
	fprintf(fp, ",\"transport\":\"%s\",\"qname\":", s->tcp ? "tcp" :
	    "udp");
	json_put_name(fp, s->qname);
	fputs(",\"qtype\":", fp);
	json_put_str(fp, dns_type_str(s->qtype, t, sizeof(t)));
	fputs(",\"class\":", fp);
	json_put_str(fp, engine_class_name(s->cls));
	if (answered) {
		fputs(",\"rcode\":", fp);
		json_put_str(fp, dns_rcode_str(s->rcode, t, sizeof(t)));
	}
	fprintf(fp, ",\"aa\":%s", s->aa ? "true" : "false");
	if (answered)
		fprintf(fp, ",\"rtt_ms\":%.3f", s->rtt_us / 1000.0);
	fputs(",\"detail\":", fp);
	json_put_str(fp, fmt_step_detail(s, d, sizeof(d)));
	fputc('}', fp);
}

/* One chain object: a rebuilt lookup with its steps. */
void
json_write_chain(FILE *fp, const char *host, const struct eng_lookup *l)
{
	char		 a[ADDR_STRLEN], t[32], r[2 * DNS_NAME_STRMAX + 40];
	unsigned	 i, n;

	json_head(fp, "chain", host);
	fprintf(fp, ",\"id\":%" PRIu32 ",\"parent\":%" PRIu32
	    ",\"resolver\":", l->id, l->parent);
	json_put_str(fp, addr_str(l->family, l->resolver, a, sizeof(a)));
	if (l->has_client) {
		fputs(",\"client\":", fp);
		json_put_str(fp, addr_str(l->client_family, l->client, a,
		    sizeof(a)));
	}
	fputs(",\"qname\":", fp);
	json_put_name(fp, l->qname);
	fputs(",\"qtype\":", fp);
	json_put_str(fp, dns_type_str(l->qtype, t, sizeof(t)));
	fputs(",\"reason\":", fp);
	json_put_str(fp, fmt_lookup_reason(l, r, sizeof(r)));
	fputs(",\"outcome\":", fp);
	json_put_str(fp, engine_class_name(l->outcome));
	fprintf(fp, ",\"done\":%s,\"failed\":%s,\"depth\":%u,\"queries\":%u,"
	    "\"referrals\":%u,\"tree_queries\":%" PRIu32 ",\"steps_dropped\":"
	    "%u,\"start\":", l->done ? "true" : "false", l->failed ? "true" :
	    "false", l->depth, l->queries, l->referrals, l->tree_queries,
	    l->steps_dropped);
	json_put_time(fp, l->start_ns);
	fputs(",\"end\":", fp);
	json_put_time(fp, l->last_ns);
	fputs(",\"steps\":[", fp);
	n = l->steps != NULL ? l->nsteps : 0;
	for (i = 0; i < n; i++) {
		if (i > 0)
			fputc(',', fp);
		json_put_step(fp, &l->steps[i]);
	}
	fputs("]}\n", fp);
}

/* The summary's traffic and pairing counters. */
static void
json_put_counts(FILE *fp, const struct engine_counters *c)
{
	const struct json_num	 v[] = {
		{ "packets", c->health.packets },
		{ "messages", c->messages },
		{ "queries", c->queries },
		{ "responses", c->responses },
		{ "malformed", c->dns_malformed },
		{ "upstream_queries", c->upstream_queries },
		{ "downstream_queries", c->downstream_queries },
		{ "auth_queries", c->auth_queries },
		{ "matched", c->matched },
		{ "unsolicited", c->unsolicited },
		{ "mismatched", c->mismatched },
		{ "retransmits", c->retransmits },
		{ "timeouts", c->timeouts },
		{ "unreachable", c->unreachable },
		{ "late", c->late },
		{ "unanswered_at_end", c->unanswered_at_end },
		{ "lookups", c->lookups },
		{ "lookups_active", c->lookups_active },
		{ "lookups_failed", c->lookups_failed },
		{ "client_lookups", c->client_lookups },
		{ "client_lookups_failed", c->client_lookups_failed },
		{ "referrals", c->referrals },
	};

	fputc(',', fp);
	json_put_nums(fp, v, sizeof(v) / sizeof(v[0]));
}

/* The summary's finding totals, and their count per severity. */
static void
json_put_severities(FILE *fp, struct engine *e)
{
	const struct eng_finding	**f;
	uint64_t			 sev[ENG_SEV__MAX] = { 0 };
	size_t				 n, i;

	n = engine_findings(e, &f);
	for (i = 0; i < n; i++)
		if (f[i]->sev < ENG_SEV__MAX)
			sev[f[i]->sev]++;
	fprintf(fp, ",\"findings\":%zu,\"by_severity\":{", n);
	for (i = 0; i < ENG_SEV__MAX; i++)
		fprintf(fp, "%s\"%s\":%" PRIu64, i ? "," : "",
		    engine_sev_name((enum eng_sev)i), sev[i]);
	fputc('}', fp);
}

/* The summary's capture health and table evictions. */
static void
json_put_health(FILE *fp, const struct engine_counters *c)
{
	const struct eng_health	*h = &c->health;
	const struct json_num	 hv[] = {
		{ "pcap_drop", h->pcap_drop }, { "if_drop", h->if_drop },
		{ "snap_cut", h->snap_cut }, { "skipped", h->skipped },
		{ "malformed", h->malformed }, { "evicted", h->cap_evicted },
		{ "frag_incomplete", h->frag_incomplete },
		{ "tcp_gaps", h->tcp_gaps },
		{ "bad_linktype", h->bad_linktype },
		{ "clock_jumps", c->clock_jumps },
	};
	const struct json_num	 ev[] = {
		{ "pending", c->evict_pending },
		{ "lookups", c->evict_lookups },
		{ "zones", c->evict_zones }, { "names", c->evict_names },
		{ "servers", c->evict_servers },
		{ "findings", c->evict_findings },
		{ "repeats", c->evict_repeats },
		{ "lookups_running", c->evict_active },
		{ "over_cap", c->over_cap },
	};

	fputs(",\"health\":{", fp);
	json_put_nums(fp, hv, sizeof(hv) / sizeof(hv[0]));
	fputs("},\"evictions\":{", fp);
	json_put_nums(fp, ev, sizeof(ev) / sizeof(ev[0]));
	fputc('}', fp);
}

/* The summary object: what was read, paired, rebuilt and found. */
void
json_write_summary(FILE *fp, struct engine *e, const struct output_info *info)
{
	const struct engine_counters	*c = engine_counters(e);

	json_head(fp, "summary", info->host);
	fputs(",\"sources\":", fp);
	json_put_str(fp, info->sources != NULL ? info->sources : "");
	fputs(",\"filter\":", fp);
	json_put_str(fp, info->filter != NULL ? info->filter : "");
	fprintf(fp, ",\"live\":%s", info->live ? "true" : "false");
	json_put_counts(fp, c);
	json_put_severities(fp, e);
	/* No DNS message read: no span (left out, rather than the epoch). */
	if (c->first_ns != 0) {
		fputs(",\"first\":", fp);
		json_put_time(fp, c->first_ns);
	}
	if (c->last_ns != 0) {
		fputs(",\"last\":", fp);
		json_put_time(fp, c->last_ns);
	}
	json_put_health(fp, c);
	fputs("}\n", fp);
}

/* A zone object: what the report's ZONES shows of one delegation. */
void
json_write_zone(FILE *fp, const char *host, const struct eng_zone_view *z)
{
	static const char *const glue[] = { "present", "missing",
	    "not_needed", "unknown" };
	const struct eng_zone_ns *ns;
	unsigned	 i;

	json_head(fp, "zone", host);
	fputs(",\"zone\":", fp);
	json_put_name(fp, z->name);
	if (z->parent != NULL) {
		fputs(",\"parent\":", fp);
		json_put_name(fp, z->parent);
	}
	fputs(",\"ns\":[", fp);
	for (i = 0; i < z->nns && i < ENG_ZONE_NS_MAX; i++) {
		ns = &z->ns[i];
		fputs(i > 0 ? ",{\"name\":" : "{\"name\":", fp);
		json_put_name(fp, ns->name);
		fprintf(fp, ",\"glue_status\":\"%s\",\"in_domain\":%s,"
		    "\"glue\":", glue[ns->glue_state < 4 ? ns->glue_state :
		    3], ns->in_domain ? "true" : "false");
		json_put_addrs(fp, ns->glue, ns->nglue);
		fputs(",\"addresses\":", fp);
		json_put_addrs(fp, ns->addrs, ns->naddrs);
		fputc('}', fp);
	}
	fputs("],\"child_ns\":", fp);
	json_put_names(fp, z->child_ns, z->nchild_ns < ENG_ZONE_NS_MAX ?
	    z->nchild_ns : ENG_ZONE_NS_MAX);
	fputs(",\"servers\":", fp);
	json_put_addrs(fp, z->servers, z->nservers);
	fputs(",\"referred_by\":", fp);
	json_put_addrs(fp, z->referred_by, z->nreferrers);
	fprintf(fp, ",\"referrals\":%" PRIu64, z->referrals);
	if (z->last_ns != 0) {
		fputs(",\"last_seen\":", fp);
		json_put_time(fp, z->last_ns);
	}
	if (z->worst < ENG_SEV__MAX)
		fprintf(fp, ",\"worst\":\"%s\"", engine_sev_name(z->worst));
	fputs("}\n", fp);
}

/* A server object: the report's SERVERS row of one address. */
void
json_write_server(FILE *fp, const char *host,
    const struct eng_server_view *s)
{
	char		 a[ADDR_STRLEN];
	const struct json_num v[] = {
		{ "queries", s->queries }, { "tcp_queries", s->tcp_queries },
		{ "answers", s->responses }, { "timeouts", s->timeouts },
		{ "lame", s->lame },
	};

	json_head(fp, "server", host);
	fputs(",\"address\":", fp);
	json_put_str(fp, addr_str(s->family, s->addr, a, sizeof(a)));
	fprintf(fp, ",\"resolver\":%s,", s->is_resolver ? "true" : "false");
	json_put_nums(fp, v, sizeof(v) / sizeof(v[0]));
	if (s->rtt_count > 0)
		fprintf(fp, ",\"rtt_avg_ms\":%.3f,\"rtt_min_ms\":%.3f,"
		    "\"rtt_max_ms\":%.3f", s->rtt_sum_us / 1000.0 /
		    s->rtt_count, s->rtt_min_us / 1000.0, s->rtt_max_us /
		    1000.0);
	fputs(",\"zones\":", fp);
	json_put_names(fp, s->zones, s->nzones);
	if (s->last_ede != 0xffff)
		fprintf(fp, ",\"last_ede\":%u", (unsigned)s->last_ede);
	if (s->worst < ENG_SEV__MAX)
		fprintf(fp, ",\"worst\":\"%s\"", engine_sev_name(s->worst));
	fputs("}\n", fp);
}
