/*
 * engine.c -- feeding the engine: pairing (P2), roles (P3), counters,
 * holding what a message uses, packet time.  The read-only views the
 * outputs use are in views.c.
 */
#include <sys/mman.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode/dns.h"
#include "engine/internal.h"
#include "util/addr.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define PFREE_MAX	1024	/* freed pending entries kept for reuse */
#define POOL_MAX	4096	/* freed entries of each kind kept */

static void	pending_free(struct tnode *, void *);
static void	late_free(struct tnode *, void *);
static void	server_free(struct tnode *, void *);
static struct server **scache_slot(struct engine *, const struct eng_addr *);
static void	zone_evict(struct tnode *, void *);
static void	nsname_evict(struct tnode *, void *);
static uint32_t	pending_hash(const struct eng_addr *, const struct eng_addr *,
		    uint16_t, uint16_t, uint16_t, int);
static struct pending *pending_find(struct table *, uint32_t,
		    const struct eng_addr *, const struct eng_addr *, uint16_t,
		    uint16_t, uint16_t, int, const struct ename *,
		    const struct dns_question *, int *);
static void	release(struct engine *);
static void	pending_unpin(struct engine *, struct pending *);
static void	tick(struct engine *, uint64_t);
static void	pending_fail(struct engine *, struct pending *, uint64_t);
static void	on_query(struct engine *, const struct eng_pkt *,
		    const struct dns_msg *);
static void	on_response(struct engine *, const struct eng_pkt *,
		    const struct dns_msg *);
static int	is_resolver(struct engine *, const struct eng_addr *);
static void	expire_pending(struct engine *, uint64_t, int);
static void	client_answer(struct lookup *, const struct dns_msg *);

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
	[ENG_K_REFERRAL_SIZE] = "referral_size",
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
addr_from(struct eng_addr *a, int family, const uint8_t *b)
{
	memset(a, 0, sizeof(*a));
	a->family = (uint8_t)family;
	memcpy(a->b, b, family == 6 ? 16 : 4);
}

/* Hash of an address, continuing from h. */
uint32_t
addr_hash(uint32_t h, const struct eng_addr *a)
{
	return table_hash(h, a, sizeof(*a));
}

#define CHUNK_FIRST	(64u << 10)	/* a pool's first chunk */
#define CHUNK_HUGE	(2u << 20)	/* the largest, huge-page sized */
#define ENTRY_ALIGN	16

#ifndef GLUETOP_POISON
/*
 * A new entry cut from the pool's chunk; a new chunk when it is used up,
 * each twice the last up to CHUNK_HUGE (a small capture stays small).
 */
static void *
pool_cut(struct pool *pl, size_t size)
{
	void	*c, *x;

	size = (size + ENTRY_ALIGN - 1) & ~(size_t)(ENTRY_ALIGN - 1);
	if (pl->cur == NULL || (size_t)(pl->end - pl->cur) < size) {
		if (pl->csize == 0)
			pl->csize = CHUNK_FIRST;
		if (pl->csize < CHUNK_HUGE)
			c = xmalloc(pl->csize);
		else if (posix_memalign(&c, CHUNK_HUGE, pl->csize) != 0)
			fatal("out of memory allocating %zu bytes", pl->csize);
		else
			(void)madvise(c, pl->csize, MADV_HUGEPAGE);
		memcpy(c, &pl->chunks, sizeof(pl->chunks));
		pl->chunks = c;
		pl->cur = (char *)c + ENTRY_ALIGN;
		pl->end = (char *)c + pl->csize;
		if (pl->csize < CHUNK_HUGE)
			pl->csize *= 2;
	}
	x = pl->cur;
	pl->cur += size;
	return x;
}
#endif

/*
 * An entry of size bytes, a kept one or a new one, with its first zero
 * bytes cleared.  Entries put their arrays (read only up to their counts)
 * after that: a reused entry's cold lines are not written for nothing.
 * Sanitizer and fuzzing builds fill the rest with a pattern, so code that
 * reads what it did not write shows in the tests.
 */
void *
pool_take(struct pool *pl, size_t size, size_t zero)
{
	void	*x;

	if ((x = pl->head) != NULL) {
		memcpy(&pl->head, x, sizeof(pl->head));
		pl->n--;
	} else
#ifdef GLUETOP_POISON
		x = xmalloc(size);
	memset(x, 0xa5, size);
#else
		x = pool_cut(pl, size);
#endif
	memset(x, 0, zero);
	return x;
}

/* A zeroed entry of size bytes: a kept one, else a new one. */
void *
pool_get(struct pool *pl, size_t size)
{
	return pool_take(pl, size, size);
}

/* Give an entry back, for the next of its kind. */
void
pool_put(struct pool *pl, void *x)
{
	if (x == NULL)
		return;
#ifdef GLUETOP_POISON
	if (pl->n >= pl->max) {
		free(x);
		return;
	}
#endif
	memcpy(x, &pl->head, sizeof(pl->head));
	pl->head = x;
	pl->n++;
}

/* Free the pool's memory: every entry it gave out is gone. */
void
pool_drain(struct pool *pl)
{
	void	*x;

#ifdef GLUETOP_POISON
	while ((x = pl->head) != NULL) {
		memcpy(&pl->head, x, sizeof(pl->head));
		free(x);
	}
#endif
	while ((x = pl->chunks) != NULL) {
		memcpy(&pl->chunks, x, sizeof(pl->chunks));
		free(x);
	}
	memset(pl, 0, sizeof(*pl));
}

/*
 * Hold an entry until the current message, event or tick is done: it
 * cannot be evicted under the code that fetched it (released by release()).
 */
void
hold(struct engine *e, struct table *t, struct tnode *n)
{
	if (e->nheld == e->held_cap) {
		e->held_cap = e->held_cap ? e->held_cap * 2 : 64;
		e->held = xreallocarray(e->held, e->held_cap,
		    sizeof(*e->held));
	}
	table_pin(t, n);
	e->held[e->nheld].t = t;
	e->held[e->nheld++].n = n;
}

/*
 * File the findings raised so far in this message as causes or
 * consequences (R2.2); release() does it again, which changes nothing.
 */
void
held_causes(struct engine *e)
{
	size_t	 i;

	for (i = 0; i < e->nheld; i++)
		if (e->held[i].t == &e->findings)
			cause_finding_done(e, &((struct finding *)
			    e->held[i].n)->f);
}

/* Let go of everything held for the message just processed. */
static void
release(struct engine *e)
{
	size_t	 i;

	held_causes(e);
	for (i = 0; i < e->nheld; i++)
		if (e->held[i].t == &e->findings)
			finding_mark_worst(e, &((struct finding *)
			    e->held[i].n)->f);
	while (e->nheld > 0) {
		e->nheld--;
		table_unpin(e->held[e->nheld].t, e->held[e->nheld].n);
	}
}

/* Free callbacks for the tables. */
static void
pending_free(struct tnode *n, void *arg)
{
	struct engine	*e = arg;

	e->c.evict_pending++;
	late_free(n, e);
}

static void
late_free(struct tnode *n, void *arg)
{
	struct engine	*e = arg;
	struct pending	*p = (struct pending *)n;

	pending_unpin(e, p);
	name_put(e, p->qname);
	name_put(e, p->zone);
	if (e->npfree < PFREE_MAX) {
		/* Kept for the next query: no malloc per packet. */
		p->node.next = (struct tnode *)(void *)e->pfree;
		e->pfree = p;
		e->npfree++;
	} else
		free(p);
}

/* Pin what a waiting query refers to (its lookup, its repeat counter). */
void
pending_pin(struct engine *e, struct pending *p, struct lookup *l,
    struct repeat *rp)
{
	if (l != NULL && p->lp == NULL) {
		p->lp = l;
		table_pin(&e->lookups, &l->node);
	}
	if (rp != NULL && p->rp == NULL) {
		p->rp = rp;
		table_pin(&e->repeats, &rp->node);
	}
}

/* Let go of what a query pinned. */
static void
pending_unpin(struct engine *e, struct pending *p)
{
	if (p->lp != NULL)
		table_unpin(&e->lookups, &p->lp->node);
	if (p->rp != NULL)
		table_unpin(&e->repeats, &p->rp->node);
	p->lp = NULL;
	p->rp = NULL;
}

static void
server_free(struct tnode *n, void *arg)
{
	struct server	*s = (struct server *)n;

	struct server	**slot = scache_slot(arg, &s->a);

	name_puts(arg, s->zones, s->nzones);
	name_puts(arg, s->hot, s->nhot);
	/*
	 * Only the slot of its own address can point to a server: cleared
	 * here, the cache never hands out one that is back in the pool.
	 */
	if (*slot == s)
		*slot = NULL;
	pool_put(&((struct engine *)arg)->pl_server, s);
}

static void
zone_evict(struct tnode *n, void *arg)
{
	zone_free(arg, (struct zone *)n);
}

static void
nsname_evict(struct tnode *n, void *arg)
{
	nsname_free(arg, (struct nsname *)n);
}

#define ICMP_LOOK	4096	/* pending queries an ICMP error is matched to */


/* Create an engine with the caps and thresholds of conf (0: defaults). */
struct engine *
engine_create(const struct engine_conf *conf)
{
	struct engine	*e = xcalloc(1, sizeof(*e));
	struct engine_conf *c = &e->conf;
	struct dns_name	 root;

	*c = *conf;
	tunables_defaults(c);
	/*
	 * Lookups and findings are type-stable (see struct pool): stale
	 * pointers to them are checked by id, so they are kept without limit.
	 */
	e->pl_lookup.max = e->pl_server.max = e->pl_finding.max = SIZE_MAX;
	e->pl_lidx.max = e->pl_repeat.max = POOL_MAX;
	e->pl_zone.max = e->pl_nsname.max = POOL_MAX;
	table_init(&e->names, SIZE_MAX, NULL, e);
	table_init(&e->pending, c->max_pending, pending_free, e);
	table_init(&e->late, c->max_pending / 4 + 1, late_free, e);
	table_init(&e->servers, c->max_servers, server_free, e);
	/* Zones and NS names are reached through their names: no index. */
	table_init_list(&e->zones, c->max_zones, zone_evict, e);
	table_init_list(&e->nsnames, c->max_names, nsname_evict, e);
	table_init_list(&e->lookups, c->max_lookups, lookup_free, e);
	table_init(&e->lidx, c->max_lookups * 2, lidx_free, e);
	table_init(&e->findings, c->max_findings, finding_free, e);
	table_init(&e->repeats, c->max_repeats, repeat_free, e);
	for (e->nask1 = 64; e->nask1 < c->max_repeats; e->nask1 *= 2)
		;
	e->ask1 = xcalloc(e->nask1, sizeof(*e->ask1));
	table_init(&e->tcw, 4096, tcw_free, e);
	if (c->top)
		e->top = top_create();
	e->next_lookup = 1;
	e->next_finding = 1;
	e->gen = 1;
	dns_name_root(&root);
	e->root = name_get(e, &root);
	deleg_load_hints(e, c->root_hints);
	release(e);
	return e;
}

/* Free everything. */
void
engine_destroy(struct engine *e)
{
	struct pending	*p;
	size_t		 i;

	if (e == NULL)
		return;
	release(e);
	e->pending.evict = late_free;
	table_free(&e->pending);
	table_free(&e->late);
	table_free(&e->findings);
	table_free(&e->lookups);
	table_free(&e->lidx);
	table_free(&e->repeats);
	table_free(&e->tcw);
	table_free(&e->zones);
	table_free(&e->nsnames);
	table_free(&e->servers);
	name_puts(e, e->cdirty, (unsigned)e->ncdirty);
	detect_clear(e);
	name_put(e, e->root);
	table_free(&e->names);
	top_destroy(e->top);
	while ((p = e->pfree) != NULL) {
		e->pfree = (struct pending *)(void *)p->node.next;
		free(p);
	}
	pool_drain(&e->pl_lookup);
	pool_drain(&e->pl_lidx);
	pool_drain(&e->pl_repeat);
	pool_drain(&e->pl_finding);
	pool_drain(&e->pl_zone);
	pool_drain(&e->pl_nsname);
	pool_drain(&e->pl_server);
	for (i = 0; i < NAME_CLASSES; i++)
		pool_drain(&e->pl_name[i]);
	free(e->held);
	free(e->fview);
	free(e->lview);
	free(e->byid);
	free(e->ask1);
	free(e->cview);
	free(e->zview);
	free(e->sview);
	free(e);
}

/*
 * The server cache slot of an address: a cheap mix of its bits (crafted
 * addresses that share a slot only cost a probe of the keyed table).
 */
static unsigned
scache_index(const struct eng_addr *a)
{
	uint32_t	 x, y;

	memcpy(&x, a->b, sizeof(x));
	memcpy(&y, a->b + 12, sizeof(y));
	x = (x ^ y ^ a->family) * 0x9e3779b1u;
	return x >> (32 - SCACHE_BITS);
}

static struct server **
scache_slot(struct engine *e, const struct eng_addr *a)
{
	return &e->scache[scache_index(a)];
}

/* The entry for an address, or NULL; not touched, not held. */
struct server *
server_peek(const struct engine *e, const struct eng_addr *a)
{
	struct tnode	*n = NULL;
	struct server	*s = e->scache[scache_index(a)];
	uint32_t	 h;

	if (s != NULL && addr_eq(&s->a, a))
		return s;
	h = addr_hash(TABLE_HASH_INIT, a);
	while ((n = table_next(&e->servers, h, n)) != NULL)
		if (addr_eq(&((struct server *)n)->a, a))
			return (struct server *)n;
	return NULL;
}

/* Find (or with create, make) the entry for an address; held. */
struct server *
server_get(struct engine *e, const struct eng_addr *a, int create)
{
	struct server	**slot = scache_slot(e, a);
	struct server	*s;
	uint32_t	 h;

	/* A freed server has left the cache (server_free). */
	if ((s = *slot) != NULL && addr_eq(&s->a, a))
		goto found;
	if ((s = server_peek(e, a)) != NULL) {
		*slot = s;
		goto found;
	}
	if (!create)
		return NULL;
	h = addr_hash(TABLE_HASH_INIT, a);
	s = pool_take(&e->pl_server, sizeof(*s),
	    offsetof(struct server, zones));
	*slot = s;
	s->a = *a;
	s->rtt_min = UINT64_MAX;
	s->last_ede = 0xffff;
	s->worst = ENG_SEV__MAX;
	table_insert(&e->servers, &s->node, h);
	hold(e, &e->servers, &s->node);
	return s;
found:
	table_touch(&e->servers, &s->node);
	hold(e, &e->servers, &s->node);
	return s;
}

/* Remember that a server serves zone z (newest first, bounded). */
void
server_add_zone(struct engine *e, struct server *s, struct ename *z)
{
	name_list_push(e, s->zones, &s->nzones, ENG_SERVER_ZONES, z);
}

/* Hash of the transaction tuple without the question (P2). */
static uint32_t
pending_hash(const struct eng_addr *c, const struct eng_addr *s,
    uint16_t cport, uint16_t sport, uint16_t id, int tcp)
{
	struct {
		struct eng_addr	 c, s;
		uint16_t	 v[4];
	} k;

	memset(&k, 0, sizeof(k));
	k.c = *c;
	k.s = *s;
	k.v[0] = cport;
	k.v[1] = sport;
	k.v[2] = id;
	k.v[3] = (uint16_t)tcp;
	return table_hash(TABLE_HASH_INIT, &k, sizeof(k));
}

/*
 * The oldest pending query with the full key (P2); *partial is set when
 * only the question differs (MISMATCHED).
 */
static struct pending *
pending_find(struct table *t, uint32_t h, const struct eng_addr *c,
    const struct eng_addr *s, uint16_t cport, uint16_t sport, uint16_t id,
    int tcp, const struct ename *qn, const struct dns_question *q,
    int *partial)
{
	struct tnode	*n = NULL;
	struct pending	*p, *best = NULL;

	*partial = 0;
	while ((n = table_next(t, h, n)) != NULL) {
		p = (struct pending *)n;
		if (p->cport != cport || p->sport != sport || p->id != id ||
		    p->tcp != tcp || !addr_eq(&p->client, c) ||
		    !addr_eq(&p->server, s))
			continue;
		if (q == NULL || p->qtype != q->qtype ||
		    p->qclass != q->qclass || (qn != NULL ? p->qname != qn :
		    !dns_name_equal(&p->qname->n, &q->qname))) {
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
is_resolver(struct engine *e, const struct eng_addr *a)
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

/* A new pending query from a message. */
static struct pending *
pending_new(struct engine *e, const struct eng_pkt *pkt,
    const struct dns_msg *m, const struct eng_addr *c,
    const struct eng_addr *s, struct ename *qn)
{
	struct pending	*p;

	if ((p = e->pfree) != NULL) {
		e->pfree = (struct pending *)(void *)p->node.next;
		e->npfree--;
		memset(p, 0, sizeof(*p));
	} else
		p = xcalloc(1, sizeof(*p));

	p->client = *c;
	p->server = *s;
	p->cport = pkt->sport;
	p->sport = pkt->dport;
	p->id = m->hdr.id;
	p->tcp = pkt->tcp;
	p->rd = m->hdr.rd;
	p->qname = qn;
	p->qtype = m->qd[0].qtype;
	p->qclass = m->qd[0].qclass;
	p->edns_size = m->edns.present ? (m->edns.udp_size < 512 ? 512 :
	    m->edns.udp_size) : 512;
	p->ts = pkt->ts_ns;
	p->frame = pkt->frame;
	return p;
}

/*
 * The zone a query asks: the resolver's own word when its dnstap log gives
 * it (query_zone, above the QNAME), else the deepest known zone the server
 * serves (P5).
 */
static struct zone *
query_zone(struct engine *e, const struct eng_pkt *pkt, struct ename *q,
    const struct eng_addr *s)
{
	struct ename	*zn;
	struct zone	*z;

	if (pkt->zone == NULL || pkt->zone->len == 0 ||
	    !dns_name_is_sub(&q->n, pkt->zone))
		return deleg_queried_zone(e, q, s);
	zn = name_get(e, pkt->zone);
	z = deleg_zone(e, zn, 1);
	name_put(e, zn);
	return z;
}

/* A query: note the roles, keep it pending, attach it to a lookup. */
static void
on_query(struct engine *e, const struct eng_pkt *pkt, const struct dns_msg *m)
{
	struct pending	*p;
	struct server	*cs, *ss;
	struct lookup	*l;
	struct zone	*z;
	struct ename	*qn;
	struct eng_addr	 c, s;
	struct ask1	*a1 = NULL;
	uint32_t	 h;
	int		 partial;

	addr_from(&c, pkt->family, pkt->src);
	addr_from(&s, pkt->family, pkt->dst);
	e->c.queries++;
	qn = name_get(e, &m->qd[0].qname);
	/*
	 * A name seen for the first time in a while: what its upstream query
	 * will touch far from the cache is fetched ahead, while the rest is
	 * worked out: the slot noting its question (detect.c), and the
	 * lookup a new one would evict.
	 */
	if (!m->hdr.rd && qn->nrep == 0 && qn->nlidx == 0) {
		a1 = ask1_slot(e, &c, qn, m->qd[0].qtype);
		__builtin_prefetch(a1, 1, 1);
		__builtin_prefetch(table_oldest(&e->lookups), 1, 1);
	}
	h = pending_hash(&c, &s, pkt->sport, pkt->dport, m->hdr.id, pkt->tcp);
	p = pending_find(&e->pending, h, &c, &s, pkt->sport, pkt->dport,
	    m->hdr.id, pkt->tcp, qn, &m->qd[0], &partial);
	if (p != NULL && pkt->ts_ns - p->ts < e->conf.t_resp_ns) {
		e->c.retransmits++;
		p->retrans++;
		name_put(e, qn);
		return;
	}
	p = pending_new(e, pkt, m, &c, &s, qn);
	p->a1 = a1;
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
		l = lookup_for_query(e, &c, p->qname, p->qtype, &s,
		    pkt->ts_ns, pkt->frame);
		p->lookup = l->l.id;
		pending_pin(e, p, l, NULL);
		p->step = (uint16_t)l->l.nsteps;
		if ((z = query_zone(e, pkt, p->qname, &s)) != NULL) {
			server_add_zone(e, ss, z->name);
			p->zone = name_ref(z->name);
		}
		lookup_add_step(e, l, p, z);
	} else {
		/* Downstream: a client asks s, a resolver (or forwarder). */
		e->c.downstream_queries++;
		ss->is_resolver = ss->is_resolver || is_resolver(e, &s);
		l = lookup_for_client(e, &s, &c, p->qname, p->qtype,
		    pkt->ts_ns);
		p->lookup = l->l.id;
		pending_pin(e, p, l, NULL);
		p->step = UINT16_MAX;
	}
	table_insert(&e->pending, &p->node, h);
	hold(e, &e->pending, &p->node);
	detect_query(e, p, ss, pkt);
}

/* Server counters for a matched response. */
static void
server_answered(struct server *ss, const struct dns_msg *m, uint64_t rtt)
{
	ss->responses++;
	ss->rtt_count++;
	ss->rtt_sum += rtt;
	ss->rtt_min = rtt < ss->rtt_min ? rtt : ss->rtt_min;
	ss->rtt_max = rtt > ss->rtt_max ? rtt : ss->rtt_max;
	if (m->edns.nede > 0)
		ss->last_ede = m->edns.ede_code[0];
}

/* What the client of lookup l got: the response's rcode and first EDE. */
static void
client_answer(struct lookup *l, const struct dns_msg *m)
{
	l->l.client_answered = 1;
	l->l.client_rcode = m->rcode;
	l->l.client_ede = m->edns.nede > 0 ? (uint32_t)m->edns.ede_code[0] + 1 :
	    0;
}

/* A response: pair it (P2), then let the detectors read it. */
static void
on_response(struct engine *e, const struct eng_pkt *pkt,
    const struct dns_msg *m)
{
	struct pending	*p;
	struct server	*ss;
	struct lookup	*l;
	struct eng_addr	 c, s;
	uint32_t	 h;
	int		 partial, late_partial;

	addr_from(&s, pkt->family, pkt->src);
	addr_from(&c, pkt->family, pkt->dst);
	e->c.responses++;
	e->c.rcodes[m->rcode & 15]++;
	h = pending_hash(&c, &s, pkt->dport, pkt->sport, m->hdr.id, pkt->tcp);
	p = pending_find(&e->pending, h, &c, &s, pkt->dport, pkt->sport,
	    m->hdr.id, pkt->tcp, NULL, &m->qd[0], &partial);
	if (p == NULL && (p = pending_find(&e->late, h, &c, &s, pkt->dport,
	    pkt->sport, m->hdr.id, pkt->tcp, NULL, &m->qd[0], &late_partial)) !=
	    NULL) {
		/*
		 * The answer came after we had called it a timeout.  A
		 * client's still tells what the client got in the end.
		 */
		if (p->rd && (l = lookup_at(p->late_lp, p->lookup)) != NULL) {
			client_answer(l, m);
			if (!l->l.done)
				lookup_end(e, l, m->rcode == DNS_R_SERVFAIL ?
				    ENG_C_RCODE_ERROR : ENG_C_ANSWER);
			else if (m->rcode == DNS_R_SERVFAIL && !l->l.failed)
				lookup_failed_late(e, l);
		}
		table_remove(&e->late, &p->node);
		late_free(&p->node, e);
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
	ss = server_get(e, &s, 1);
	server_answered(ss, m, pkt->ts_ns > p->ts ?
	    (pkt->ts_ns - p->ts) / 1000 : 0);
	if (p->rd) {
		if ((l = p->lp) != NULL) {
			client_answer(l, m);
			lookup_end(e, l, m->rcode == DNS_R_SERVFAIL ?
			    ENG_C_RCODE_ERROR : ENG_C_ANSWER);
		}
	} else
		detect_response(e, p, ss, m, pkt);
	late_free(&p->node, e);
}

/* Feed one decoded message. */
void
engine_message(struct engine *e, const struct eng_pkt *pkt,
    const struct dns_msg *m)
{
	tick(e, pkt->ts_ns);
	e->c.messages++;
	e->dnstap |= pkt->dnstap;
	if (e->top != NULL)
		top_message(e->top, pkt, m);
	if (m->status != DNS_OK)
		e->c.dns_malformed++;
	if (m->status != DNS_E_SHORT && m->nqd > 0 &&
	    m->hdr.opcode == DNS_OP_QUERY) {
		if (m->hdr.qr)
			on_response(e, pkt, m);
		else
			on_query(e, pkt, m);
		e->gen++;
	}
	release(e);
}

/*
 * An ICMP unreachable quoting a UDP query from src to dst: it failed.  Its
 * DNS ID is not quoted, so look through the newest pending queries
 * (bounded: an ICMP flood stays cheap).
 */
static void
icmp_unreach(struct engine *e, const struct eng_pkt *pkt)
{
	struct pending	*p;
	struct tnode	*n, *older;
	struct eng_addr	 c, s;
	unsigned	 looked = 0;

	addr_from(&c, pkt->family, pkt->src);
	addr_from(&s, pkt->family, pkt->dst);
	for (n = table_newest(&e->pending); n != NULL &&
	    looked++ < ICMP_LOOK; n = older) {
		older = table_older(&e->pending, n);
		p = (struct pending *)n;
		if (p->tcp || p->cport != pkt->sport ||
		    p->sport != pkt->dport || !addr_eq(&p->client, &c) ||
		    !addr_eq(&p->server, &s) || n->pins > 0)
			continue;
		table_remove(&e->pending, n);
		p->icmp = 1;
		pending_fail(e, p, pkt->ts_ns);
	}
}

/* A TCP connection event or an ICMP unreachable. */
void
engine_event(struct engine *e, const struct eng_pkt *pkt, enum eng_event ev)
{
	tick(e, pkt->ts_ns);
	if (ev == ENG_EV_ICMP_UNREACH)
		icmp_unreach(e, pkt);
	detect_event(e, pkt, ev);
	release(e);
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
	p->late_lp = p->lp;
	pending_unpin(e, p);
	while ((n = table_oldest(&e->late)) != NULL &&
	    ((struct pending *)n)->ts + 6 * e->conf.t_resp_ns < now) {
		table_remove(&e->late, n);
		late_free(n, e);
	}
	table_insert(&e->late, &p->node, p->node.hash);
}

/*
 * Did a query over TCP go unanswered though its time is not up (D9,
 * R2.1): the client closed the connection after sending it, or T_tcp
 * passed?
 */
static int
tcp_unanswered(struct engine *e, const struct pending *p, uint64_t now)
{
	struct server	*sv;

	if (!p->tcp)
		return 0;
	if (now >= p->ts + e->conf.t_tcp_ns)
		return 1;
	return (sv = server_peek(e, &p->server)) != NULL && sv->fin_ts > p->ts;
}

/* Time out pending queries older than T_resp (all of them when final). */
static void
expire_pending(struct engine *e, uint64_t now, int final)
{
	struct tnode	*n;
	struct pending	*p;

	while ((n = table_oldest(&e->pending)) != NULL && n->pins == 0) {
		p = (struct pending *)n;
		if (!final && p->ts + e->conf.t_resp_ns > now)
			break;
		table_remove(&e->pending, n);
		if (p->ts + e->conf.t_resp_ns > now &&
		    !tcp_unanswered(e, p, now)) {
			e->c.unanswered_at_end++;
			late_free(n, e);
		} else
			pending_fail(e, p, now);
		e->gen++;
	}
}

/*
 * Packet time moved to now: expire what waited too long.  A jump of more
 * than t_jump either way (a bad clock, a record stamped in 2554, files
 * from different days) is a gap, not time passing: it is counted, and
 * the clock moves without ageing pending state across it.
 */
static void
tick(struct engine *e, uint64_t now)
{
	uint64_t	 gap;

	if (now == 0)
		return;
	if (e->now != 0) {
		gap = now > e->now ? now - e->now : e->now - now;
		if (gap > e->conf.t_jump_ns) {
			e->c.clock_jumps++;
			e->now = now;
			return;
		}
	}
	if (e->c.first_ns == 0 || now < e->c.first_ns)
		e->c.first_ns = now;
	if (now <= e->now)
		return;
	e->now = now;
	e->c.last_ns = now;
	expire_pending(e, now, 0);
	lookup_expire(e, now);
	detect_tick(e, now, 0);
	finding_sweep(e, now);
}

/* Packet time moved to now (live idle ticks). */
void
engine_tick(struct engine *e, uint64_t now)
{
	tick(e, now);
	release(e);
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
	release(e);
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

/* Forget counters, findings and lookups; keep the map. */
void
engine_reset(struct engine *e)
{
	struct eng_health h = e->c.health;
	struct tnode	*n;
	struct server	*s;

	/* Queries in flight pin lookups and repeats: they go first. */
	e->pending.evict = late_free;
	table_clear(&e->pending);
	table_clear(&e->late);
	e->pending.evict = pending_free;
	table_clear(&e->findings);
	e->chead = e->ctail = NULL;
	table_clear(&e->lidx);
	table_clear(&e->lookups);
	table_clear(&e->repeats);
	detect_clear(e);
	memset(e->ask1, 0, e->nask1 * sizeof(*e->ask1));
	table_clear(&e->tcw);
	for (n = table_newest(&e->servers); n != NULL;
	    n = table_older(&e->servers, n)) {
		s = (struct server *)n;
		s->queries = s->responses = s->timeouts = s->lame = 0;
		s->tcp_queries = s->rtt_count = s->rtt_sum = s->rtt_max = 0;
		s->rtt_min = UINT64_MAX;
		s->win_q = s->win_to = s->prev_q = s->prev_to = 0;
		s->unresponsive = 0;
		s->worst = ENG_SEV__MAX;
		name_puts(e, s->hot, s->nhot);
		s->nhot = 0;
	}
	for (n = table_newest(&e->zones); n != NULL;
	    n = table_older(&e->zones, n)) {
		((struct zone *)n)->worst = ENG_SEV__MAX;
		((struct zone *)n)->lookup_failed = 0;
	}
	memset(&e->c, 0, sizeof(e->c));
	top_reset(e->top);
	e->lookups_done = 0;
	e->c.health = h;
	e->gen++;
}
