/*
 * engine.c -- feeding the engine: pairing (P2), roles (P3), counters, and
 * the read-only views the outputs use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode/dns.h"
#include "engine/internal.h"
#include "util/addr.h"
#include "util/xmalloc.h"

static void	pending_free(struct tnode *, void *);
static void	plain_free(struct tnode *, void *);
static void	finding_free(struct tnode *, void *);
static void	zone_evict(struct tnode *, void *);
static uint32_t	pending_hash(const struct addr *, const struct addr *,
		    uint16_t, uint16_t, uint16_t, int);
static struct pending *pending_find(struct table *, const struct addr *,
		    const struct addr *, uint16_t, uint16_t, uint16_t, int,
		    const struct dns_question *, int *);
static void	pending_fail(struct engine *, struct pending *, uint64_t);
static void	on_query(struct engine *, const struct eng_pkt *,
		    const struct dns_msg *);
static void	on_response(struct engine *, const struct eng_pkt *,
		    const struct dns_msg *);
static int	is_resolver(struct engine *, const struct addr *);
static void	expire_pending(struct engine *, uint64_t, int);
static int	finding_cmp(const void *, const void *);
static int	lookup_cmp(const void *, const void *);

static const char *sev_names[ENG_SEV__MAX] = {
	"critical", "error", "warning", "notice", "info"
};

static const char *kind_names[ENG_K__MAX] = {
	[ENG_K_GLUE_MISSING_IN_DOMAIN] = "glue_missing_in_domain",
	[ENG_K_GLUE_MISSING_SIBLING] = "glue_missing_sibling",
	[ENG_K_TRUNCATED_REFERRAL] = "truncated_referral",
	[ENG_K_GLUE_DROPPED_WITHOUT_TC] = "glue_dropped_without_tc",
	[ENG_K_OUT_OF_BAILIWICK_DATA] = "out_of_bailiwick_data",
	[ENG_K_CIRCULAR_DELEGATION] = "circular_delegation",
	[ENG_K_QUERY_LOOP] = "query_loop",
	[ENG_K_LAME_DELEGATION] = "lame_delegation",
	[ENG_K_NS_NAME_UNRESOLVABLE] = "ns_name_unresolvable",
	[ENG_K_SERVER_UNRESPONSIVE] = "server_unresponsive",
	[ENG_K_ZONE_UNREACHABLE] = "zone_unreachable",
	[ENG_K_NS_SET_MISMATCH] = "ns_set_mismatch",
	[ENG_K_GLUE_MISMATCH] = "glue_mismatch",
	[ENG_K_REFERRAL_REVISIT] = "referral_revisit",
	[ENG_K_AUTHORITATIVE_REFERRAL] = "authoritative_referral",
	[ENG_K_UNSOLICITED_RESPONSE] = "unsolicited_response",
	[ENG_K_CAPTURE_HEALTH] = "capture_health",
};

static const char *class_names[ENG_C__MAX] = {
	"none", "truncated", "rcode_error", "answer", "cname", "nxdomain",
	"nodata", "referral", "upward_referral", "sideways_ns", "empty",
	"rec_lame", "timeout"
};

/* Name of a severity. */
const char *
engine_sev_name(enum eng_sev s)
{
	return s < ENG_SEV__MAX ? sev_names[s] : "?";
}

/* Parse a severity name; returns 0 or -1. */
int
engine_sev_from_str(const char *s, enum eng_sev *out)
{
	int	 i;

	for (i = 0; i < ENG_SEV__MAX; i++) {
		if (strcasecmp(s, sev_names[i]) == 0) {
			*out = (enum eng_sev)i;
			return 0;
		}
	}
	return -1;
}

/* Name of a finding kind. */
const char *
engine_kind_name(enum eng_kind k)
{
	return k < ENG_K__MAX ? kind_names[k] : "?";
}

/* Name of a response class. */
const char *
engine_class_name(enum eng_class c)
{
	return c < ENG_C__MAX ? class_names[c] : "?";
}

/* Fill an engine address from capture bytes. */
void
addr_from(struct addr *a, int family, const uint8_t *b)
{
	memset(a, 0, sizeof(*a));
	a->family = (uint8_t)family;
	memcpy(a->b, b, family == 6 ? 16 : 4);
}

/* Address equality. */
int
addr_eq(const struct addr *a, const struct addr *b)
{
	return a->family == b->family && memcmp(a->b, b->b, 16) == 0;
}

/* Text form of an engine address. */
const char *
eaddr_str(const struct addr *a, char *buf, size_t size)
{
	return addr_str(a->family, a->b, buf, size);
}

/* Text form of a name. */
const char *
ename_str(const struct dns_name *n, char *buf, size_t size)
{
	if (n->len == 0)
		snprintf(buf, size, "?");
	else
		dns_name_to_str(n, buf, size);
	return buf;
}

/* Free callbacks for the tables. */
static void
pending_free(struct tnode *n, void *arg)
{
	struct engine	*e = arg;

	e->c.evict_pending++;
	free(n);
}

static void
plain_free(struct tnode *n, void *arg)
{
	(void)arg;
	free(n);
}

static void
finding_free(struct tnode *n, void *arg)
{
	struct engine	*e = arg;

	e->gen++;
	free(n);
}

static void
zone_evict(struct tnode *n, void *arg)
{
	(void)arg;
	zone_free((struct zone *)n);
}

#define DEF(x, d)	((x) ? (x) : (d))
#define ICMP_LOOK	4096	/* pending queries an ICMP error is matched to */

/* Create an engine with the caps and thresholds of conf (0: defaults). */
struct engine *
engine_create(const struct engine_conf *conf)
{
	struct engine	*e = xcalloc(1, sizeof(*e));
	struct engine_conf *c = &e->conf;

	*c = *conf;
	c->max_pending = DEF(c->max_pending, 65536);
	c->max_lookups = DEF(c->max_lookups, 8192);
	c->max_zones = DEF(c->max_zones, 16384);
	c->max_names = DEF(c->max_names, 32768);
	c->max_servers = DEF(c->max_servers, 16384);
	c->max_findings = DEF(c->max_findings, 4096);
	c->max_repeats = DEF(c->max_repeats, 65536);
	c->t_resp_ns = DEF(c->t_resp_ns, 5 * NS_PER_SEC);
	c->t_tcp_ns = DEF(c->t_tcp_ns, 3 * NS_PER_SEC);
	c->w_lookup_ns = DEF(c->w_lookup_ns, 10 * NS_PER_SEC);
	c->w_rep_ns = DEF(c->w_rep_ns, 60 * NS_PER_SEC);
	c->k_rep = DEF(c->k_rep, 10);
	c->w_srv_ns = DEF(c->w_srv_ns, 60 * NS_PER_SEC);
	c->srv_min_queries = DEF(c->srv_min_queries, 5);
	table_init(&e->pending, c->max_pending, pending_free, e);
	table_init(&e->late, c->max_pending / 4 + 1, plain_free, e);
	table_init(&e->servers, c->max_servers, plain_free, e);
	table_init(&e->zones, c->max_zones, zone_evict, e);
	table_init(&e->names, c->max_names, plain_free, e);
	table_init(&e->lookups, c->max_lookups, lookup_free, e);
	table_init(&e->findings, c->max_findings, finding_free, e);
	table_init(&e->repeats, c->max_repeats, plain_free, e);
	table_init(&e->tcw, 4096, plain_free, e);
	e->next_lookup = 1;
	e->next_finding = 1;
	e->gen = 1;
	deleg_load_hints(e, c->root_hints);
	return e;
}

/* Free everything. */
void
engine_destroy(struct engine *e)
{
	if (e == NULL)
		return;
	e->pending.evict = plain_free;
	table_free(&e->pending);
	table_free(&e->late);
	table_free(&e->servers);
	table_free(&e->zones);
	table_free(&e->names);
	table_free(&e->lookups);
	table_free(&e->findings);
	table_free(&e->repeats);
	table_free(&e->tcw);
	free(e->fview);
	free(e->lview);
	free(e->cview);
	free(e);
}

/* Find (or with create, make) the entry for an address. */
struct server *
server_get(struct engine *e, const struct addr *a, int create)
{
	struct tnode	*n = NULL;
	struct server	*s;
	uint32_t	 h = table_hash(TABLE_HASH_INIT, a, sizeof(*a));

	while ((n = table_next(&e->servers, h, n)) != NULL) {
		s = (struct server *)n;
		if (addr_eq(&s->a, a)) {
			table_touch(&e->servers, n);
			return s;
		}
	}
	if (!create)
		return NULL;
	s = xcalloc(1, sizeof(*s));
	s->a = *a;
	s->rtt_min = UINT64_MAX;
	s->last_ede = 0xffff;
	table_insert(&e->servers, &s->node, h);
	return s;
}

/* Hash of the transaction tuple without the question (P2). */
static uint32_t
pending_hash(const struct addr *c, const struct addr *s, uint16_t cport,
    uint16_t sport, uint16_t id, int tcp)
{
	uint32_t	 h = TABLE_HASH_INIT;
	uint16_t	 v[4] = { cport, sport, id, (uint16_t)tcp };

	h = table_hash(h, c, sizeof(*c));
	h = table_hash(h, s, sizeof(*s));
	return table_hash(h, v, sizeof(v));
}

/*
 * The oldest pending query with the full key (P2); *partial is set when
 * only the question differs (MISMATCHED).
 */
static struct pending *
pending_find(struct table *t, const struct addr *c, const struct addr *s,
    uint16_t cport, uint16_t sport, uint16_t id, int tcp,
    const struct dns_question *q, int *partial)
{
	struct tnode	*n = NULL;
	struct pending	*p, *best = NULL;
	uint32_t	 h = pending_hash(c, s, cport, sport, id, tcp);

	*partial = 0;
	while ((n = table_next(t, h, n)) != NULL) {
		p = (struct pending *)n;
		if (p->cport != cport || p->sport != sport || p->id != id ||
		    p->tcp != tcp || !addr_eq(&p->client, c) ||
		    !addr_eq(&p->server, s))
			continue;
		if (q == NULL || p->qtype != q->qtype ||
		    p->qclass != q->qclass ||
		    !dns_name_equal(&p->qname, &q->qname)) {
			*partial = 1;
			continue;
		}
		if (best == NULL || p->ts < best->ts)
			best = p;
	}
	return best;
}

/* Is this address a resolver: named with -R, or seen sending RD=0? */
static int
is_resolver(struct engine *e, const struct addr *a)
{
	struct server	*s;
	unsigned	 i;

	for (i = 0; i < e->conf.nresolvers; i++)
		if (e->conf.resolver_family[i] == a->family &&
		    memcmp(e->conf.resolvers[i], a->b,
		    a->family == 6 ? 16 : 4) == 0)
			return 1;
	s = server_get(e, a, 0);
	return s != NULL && s->is_resolver;
}

/* A query: note the roles, keep it pending, attach it to a lookup. */
static void
on_query(struct engine *e, const struct eng_pkt *pkt, const struct dns_msg *m)
{
	struct pending	*p;
	struct server	*cs, *ss;
	struct lookup	*l;
	struct addr	 c, s;
	int		 partial;

	addr_from(&c, pkt->family, pkt->src);
	addr_from(&s, pkt->family, pkt->dst);
	e->c.queries++;
	p = pending_find(&e->pending, &c, &s, pkt->sport, pkt->dport,
	    m->hdr.id, pkt->tcp, &m->qd[0], &partial);
	if (p != NULL && pkt->ts_ns - p->ts < e->conf.t_resp_ns) {
		e->c.retransmits++;
		p->retrans++;
		return;
	}
	p = xcalloc(1, sizeof(*p));
	p->client = c;
	p->server = s;
	p->cport = pkt->sport;
	p->sport = pkt->dport;
	p->id = m->hdr.id;
	p->tcp = pkt->tcp;
	p->rd = m->hdr.rd;
	p->qname = m->qd[0].qname;
	dns_name_lower(&p->qname);
	p->qtype = m->qd[0].qtype;
	p->qclass = m->qd[0].qclass;
	p->edns_size = m->edns.present ? (m->edns.udp_size < 512 ? 512 :
	    m->edns.udp_size) : 512;
	p->ts = pkt->ts_ns;
	p->frame = pkt->frame;
	cs = server_get(e, &c, 1);
	ss = server_get(e, &s, 1);
	if (!m->hdr.rd) {
		/* Upstream: c iterates, s is asked (P3). */
		e->c.upstream_queries++;
		cs->rd0_sent++;
		cs->is_resolver = 1;
		ss->queries++;
		if (pkt->tcp)
			ss->tcp_queries++;
		l = lookup_for_query(e, &c, &p->qname, p->qtype, &s,
		    pkt->ts_ns, pkt->frame);
		p->lookup = l->l.id;
		p->step = (uint16_t)l->l.nsteps;
		lookup_add_step(e, l, p,
		    deleg_queried_zone(e, &p->qname, &s));
	} else {
		/* Downstream: a client asks s, a resolver (or forwarder). */
		e->c.downstream_queries++;
		ss->is_resolver = ss->is_resolver || is_resolver(e, &s);
		l = lookup_for_client(e, &s, &c, &p->qname, p->qtype,
		    pkt->ts_ns);
		p->lookup = l->l.id;
		p->step = UINT16_MAX;
	}
	table_insert(&e->pending, &p->node, pending_hash(&c, &s, p->cport,
	    p->sport, p->id, p->tcp));
	detect_query(e, p, pkt);
}

/* A response: pair it (P2), then let the detectors read it. */
static void
on_response(struct engine *e, const struct eng_pkt *pkt,
    const struct dns_msg *m)
{
	struct pending	*p;
	struct server	*ss;
	struct lookup	*l;
	struct addr	 c, s;
	uint64_t	 rtt;
	int		 partial, late_partial;

	addr_from(&s, pkt->family, pkt->src);
	addr_from(&c, pkt->family, pkt->dst);
	e->c.responses++;
	e->c.rcodes[m->rcode & 15]++;
	p = pending_find(&e->pending, &c, &s, pkt->dport, pkt->sport,
	    m->hdr.id, pkt->tcp, &m->qd[0], &partial);
	if (p == NULL && (p = pending_find(&e->late, &c, &s, pkt->dport,
	    pkt->sport, m->hdr.id, pkt->tcp, &m->qd[0], &late_partial)) !=
	    NULL) {
		/* The answer came after we had called it a timeout. */
		table_remove(&e->late, &p->node);
		free(p);
		e->c.late++;
		return;
	}
	if (p == NULL) {
		if (partial)
			e->c.mismatched++;
		else
			e->c.unsolicited++;
		detect_unsolicited(e, &s, pkt->ts_ns, pkt->frame, partial);
		return;
	}
	table_remove(&e->pending, &p->node);
	e->c.matched++;
	rtt = pkt->ts_ns > p->ts ? (pkt->ts_ns - p->ts) / 1000 : 0;
	ss = server_get(e, &s, 1);
	ss->responses++;
	ss->rtt_count++;
	ss->rtt_sum += rtt;
	ss->rtt_min = rtt < ss->rtt_min ? rtt : ss->rtt_min;
	ss->rtt_max = rtt > ss->rtt_max ? rtt : ss->rtt_max;
	if (m->edns.nede > 0)
		ss->last_ede = m->edns.ede_code[0];
	if (p->rd) {
		if ((l = lookup_get(e, p->lookup)) != NULL) {
			l->l.client_rcode = m->rcode;
			lookup_end(e, l, m->rcode == DNS_R_SERVFAIL ?
			    ENG_C_RCODE_ERROR : ENG_C_ANSWER);
		}
	} else
		detect_response(e, p, m, pkt);
	free(p);
}

/* Feed one decoded message. */
void
engine_message(struct engine *e, const struct eng_pkt *pkt,
    const struct dns_msg *m)
{
	engine_tick(e, pkt->ts_ns);
	e->c.messages++;
	if (m->status != DNS_OK)
		e->c.dns_malformed++;
	if (m->status == DNS_E_SHORT || m->nqd == 0 ||
	    m->hdr.opcode != DNS_OP_QUERY)
		return;
	if (m->hdr.qr)
		on_response(e, pkt, m);
	else
		on_query(e, pkt, m);
	e->gen++;
}

/* A TCP connection event or an ICMP unreachable. */
void
engine_event(struct engine *e, const struct eng_pkt *pkt, enum eng_event ev)
{
	struct pending	*p;
	struct tnode	*n, *older;
	struct addr	 c, s;
	unsigned	 looked = 0;

	engine_tick(e, pkt->ts_ns);
	if (ev == ENG_EV_ICMP_UNREACH) {
		/*
		 * The quoted packet was a UDP query from src to dst: it
		 * failed.  Its DNS ID is not quoted, so look through the
		 * newest pending queries (bounded: an ICMP flood stays cheap).
		 */
		addr_from(&c, pkt->family, pkt->src);
		addr_from(&s, pkt->family, pkt->dst);
		for (n = table_newest(&e->pending); n != NULL &&
		    looked++ < ICMP_LOOK; n = older) {
			older = table_older(&e->pending, n);
			p = (struct pending *)n;
			if (p->tcp || p->cport != pkt->sport ||
			    p->sport != pkt->dport || !addr_eq(&p->client, &c) ||
			    !addr_eq(&p->server, &s))
				continue;
			table_remove(&e->pending, n);
			p->icmp = 1;
			pending_fail(e, p, pkt->ts_ns);
		}
	}
	detect_event(e, pkt, ev);
}

/*
 * A query that will get no answer in time: a timeout (or an ICMP error).
 * It is kept a while longer so that a late answer is not unsolicited.
 */
static void
pending_fail(struct engine *e, struct pending *p, uint64_t now)
{
	struct tnode	*n;

	e->c.timeouts++;
	if (p->icmp)
		e->c.unreachable++;
	detect_timeout(e, p);
	while ((n = table_oldest(&e->late)) != NULL &&
	    ((struct pending *)n)->ts + 6 * e->conf.t_resp_ns < now) {
		table_remove(&e->late, n);
		free(n);
	}
	table_insert(&e->late, &p->node, p->node.hash);
}

/* Time out pending queries older than T_resp (all of them when final). */
static void
expire_pending(struct engine *e, uint64_t now, int final)
{
	struct tnode	*n;
	struct pending	*p;

	while ((n = table_oldest(&e->pending)) != NULL) {
		p = (struct pending *)n;
		if (!final && p->ts + e->conf.t_resp_ns > now)
			break;
		table_remove(&e->pending, n);
		if (p->ts + e->conf.t_resp_ns > now) {
			e->c.unanswered_at_end++;
			free(p);
		} else
			pending_fail(e, p, now);
		e->gen++;
	}
}

/* Packet time moved to now: expire what waited too long. */
void
engine_tick(struct engine *e, uint64_t now)
{
	if (now == 0)
		return;
	if (e->c.first_ns == 0 || now < e->c.first_ns)
		e->c.first_ns = now;
	if (now <= e->now)
		return;
	e->now = now;
	e->c.last_ns = now;
	expire_pending(e, now, 0);
	lookup_expire(e, now);
	detect_tick(e, now, 0);
}

/* End of input: close what is still open and run the final checks. */
void
engine_end(struct engine *e)
{
	expire_pending(e, e->now, 1);
	lookup_expire(e, UINT64_MAX);
	detect_tick(e, e->now, 1);
	detect_health(e);
	e->gen++;
}

/* Capture health counters from main (D16). */
void
engine_set_health(struct engine *e, const struct eng_health *h)
{
	if (memcmp(&e->c.health, h, sizeof(*h)) != 0) {
		e->c.health = *h;
		e->gen++;
	}
}

/* Forget counters, findings and lookups; keep the delegation map. */
void
engine_reset(struct engine *e)
{
	struct eng_health h = e->c.health;
	struct tnode	*n;
	struct server	*s;

	table_clear(&e->findings);
	table_clear(&e->lookups);
	table_clear(&e->repeats);
	table_clear(&e->tcw);
	for (n = table_newest(&e->servers); n != NULL;
	    n = table_older(&e->servers, n)) {
		s = (struct server *)n;
		s->queries = s->responses = s->timeouts = s->lame = 0;
		s->tcp_queries = s->rtt_count = s->rtt_sum = s->rtt_max = 0;
		s->rtt_min = UINT64_MAX;
		s->win_q = s->win_to = s->prev_q = s->prev_to = 0;
		s->unresponsive = 0;
		memset(s->active, 0, sizeof(s->active));
	}
	memset(&e->c, 0, sizeof(e->c));
	e->c.health = h;
	e->gen++;
}

uint64_t
engine_generation(const struct engine *e)
{
	return e->gen;
}

/* Counters, with the table sizes filled in. */
const struct engine_counters *
engine_counters(const struct engine *ce)
{
	struct engine	*e = (struct engine *)ce;
	struct tnode	*n;
	uint64_t	 active = 0;

	for (n = table_newest(&e->lookups); n != NULL;
	    n = table_older(&e->lookups, n))
		if (!((struct lookup *)n)->l.done)
			active++;
	e->c.lookups_active = active;
	e->c.findings = e->findings.count;
	e->c.evict_lookups = e->lookups.evictions;
	e->c.evict_zones = e->zones.evictions;
	e->c.evict_names = e->names.evictions;
	e->c.evict_servers = e->servers.evictions;
	e->c.evict_findings = e->findings.evictions;
	e->c.evict_repeats = e->repeats.evictions;
	return &e->c;
}

/* Severity first, then count, then first seen. */
static int
finding_cmp(const void *a, const void *b)
{
	const struct eng_finding *x = *(const struct eng_finding *const *)a;
	const struct eng_finding *y = *(const struct eng_finding *const *)b;

	if (x->sev != y->sev)
		return x->sev < y->sev ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* All findings, most severe first. */
size_t
engine_findings(const struct engine *ce, const struct eng_finding ***out)
{
	struct engine	*e = (struct engine *)ce;
	struct tnode	*n;
	size_t		 i = 0;

	if (e->fview_gen != e->gen || e->fview == NULL) {
		if (e->fview_cap < e->findings.count + 1) {
			e->fview_cap = e->findings.count + 64;
			e->fview = xreallocarray(e->fview, e->fview_cap,
			    sizeof(*e->fview));
		}
		for (n = table_newest(&e->findings); n != NULL;
		    n = table_older(&e->findings, n))
			e->fview[i++] = &((struct finding *)n)->f;
		qsort(e->fview, i, sizeof(*e->fview), finding_cmp);
		e->fview_n = i;
		e->fview_gen = e->gen;
	}
	*out = e->fview;
	return e->fview_n;
}

/* Findings whose generation is above gen, in id order. */
size_t
engine_changed(const struct engine *ce, uint64_t gen,
    const struct eng_finding ***out)
{
	struct engine	*e = (struct engine *)ce;
	const struct eng_finding **all;
	size_t		 n, i, k = 0;

	n = engine_findings(ce, &all);
	if (e->cview_cap < n + 1) {
		e->cview_cap = n + 64;
		e->cview = xreallocarray(e->cview, e->cview_cap,
		    sizeof(*e->cview));
	}
	for (i = 0; i < n; i++)
		if (all[i]->gen > gen)
			e->cview[k++] = all[i];
	*out = e->cview;
	return k;
}

/* Failed lookups first, then the most recent. */
static int
lookup_cmp(const void *a, const void *b)
{
	const struct eng_lookup *x = *(const struct eng_lookup *const *)a;
	const struct eng_lookup *y = *(const struct eng_lookup *const *)b;

	if (x->failed != y->failed)
		return x->failed ? -1 : 1;
	if (x->last_ns != y->last_ns)
		return x->last_ns > y->last_ns ? -1 : 1;
	return x->id > y->id ? -1 : x->id < y->id;
}

/* All lookups kept, failed first, then most recent. */
size_t
engine_lookups(const struct engine *ce, const struct eng_lookup ***out)
{
	struct engine	*e = (struct engine *)ce;
	struct tnode	*n;
	size_t		 i = 0;

	if (e->lview_gen != e->gen || e->lview == NULL) {
		if (e->lview_cap < e->lookups.count + 1) {
			e->lview_cap = e->lookups.count + 64;
			e->lview = xreallocarray(e->lview, e->lview_cap,
			    sizeof(*e->lview));
		}
		for (n = table_newest(&e->lookups); n != NULL;
		    n = table_older(&e->lookups, n))
			e->lview[i++] = &((struct lookup *)n)->l;
		qsort(e->lview, i, sizeof(*e->lview), lookup_cmp);
		e->lview_n = i;
		e->lview_gen = e->gen;
	}
	*out = e->lview;
	return e->lview_n;
}

/* One lookup by id, or NULL when unknown or evicted. */
const struct eng_lookup *
engine_lookup(const struct engine *ce, uint32_t id)
{
	struct lookup	*l = lookup_get((struct engine *)ce, id);

	return l != NULL ? &l->l : NULL;
}

/* Servers seen, most recently active first. */
size_t
engine_servers(const struct engine *ce, struct eng_server_view *v,
    size_t max)
{
	struct engine	*e = (struct engine *)ce;
	struct tnode	*n, *zn;
	struct server	*s;
	struct zone	*z;
	size_t		 k = 0, zl;
	char		 buf[DNS_NAME_STRMAX];

	for (n = table_newest(&e->servers); n != NULL && k < max;
	    n = table_older(&e->servers, n)) {
		s = (struct server *)n;
		if (s->queries == 0 && s->responses == 0 && !s->is_resolver)
			continue;
		memset(&v[k], 0, sizeof(v[k]));
		v[k].family = s->a.family;
		memcpy(v[k].addr, s->a.b, 16);
		v[k].queries = s->queries;
		v[k].responses = s->responses;
		v[k].timeouts = s->timeouts;
		v[k].lame = s->lame;
		v[k].tcp_queries = s->tcp_queries;
		v[k].rtt_count = s->rtt_count;
		v[k].rtt_sum_us = s->rtt_sum;
		v[k].rtt_min_us = s->rtt_count ? s->rtt_min : 0;
		v[k].rtt_max_us = s->rtt_max;
		v[k].is_resolver = s->is_resolver;
		v[k].last_ede = s->last_ede;
		zl = 0;
		for (zn = table_newest(&e->zones); zn != NULL && s->queries;
		    zn = table_older(&e->zones, zn)) {
			z = (struct zone *)zn;
			if (!deleg_serves(e, z, &s->a))
				continue;
			ename_str(&z->name, buf, sizeof(buf));
			if (zl + strlen(buf) + 2 >= sizeof(v[k].zones))
				break;
			zl += (size_t)snprintf(v[k].zones + zl,
			    sizeof(v[k].zones) - zl, "%s%s", zl ? "," : "",
			    buf);
		}
		k++;
	}
	return k;
}

/* Repeated queries, most repeated in their window first. */
size_t
engine_repeats(const struct engine *ce, struct eng_repeat_view *v,
    size_t max)
{
	struct engine	*e = (struct engine *)ce;
	struct tnode	*n;
	struct repeat	*r;
	size_t		 k = 0, i, j;
	struct eng_repeat_view tmp;

	for (n = table_newest(&e->repeats); n != NULL;
	    n = table_older(&e->repeats, n)) {
		r = (struct repeat *)n;
		if (r->total < 2)
			continue;
		memset(&tmp, 0, sizeof(tmp));
		ename_str(&r->qname, tmp.qname, sizeof(tmp.qname));
		tmp.qtype = r->qtype;
		tmp.family = r->resolver.family;
		memcpy(tmp.resolver, r->resolver.b, 16);
		tmp.count = r->count;
		tmp.total = r->total;
		/* Insertion into a top-max list, biggest count first. */
		for (i = 0; i < k && v[i].total >= tmp.total; i++)
			;
		if (i >= max)
			continue;
		for (j = k < max ? k : max - 1; j > i; j--)
			v[j] = v[j - 1];
		v[i] = tmp;
		if (k < max)
			k++;
	}
	return k;
}
