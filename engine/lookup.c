/*
 * lookup.c -- lookups rebuilt as chains (DETECTIONS.md P6).
 *
 * A lookup is created by a client's query to a resolver, or by an upstream
 * query no active lookup explains.  Upstream queries extend the lookup whose
 * name they ask (or an ancestor of it, RFC 9156 QNAME minimisation); an
 * A/AAAA query for a glueless NS name of a lookup's last referral starts a
 * dependency sub-lookup.  Each resolver remembers its active lookups in a
 * small ring; lookups themselves live in a bounded table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/dns.h"
#include "engine/internal.h"
#include "util/xmalloc.h"

static struct lookup *lookup_new(struct engine *, const struct addr *,
		    const struct dns_name *, uint16_t, uint64_t,
		    struct lookup *);
static int	lookup_matches(const struct lookup *, const struct dns_name *,
		    uint16_t);
static int	nexthop_has(struct engine *, const struct lookup *,
		    const struct addr *);
static struct lookup *dependency_of(struct engine *, struct server *,
		    const struct dns_name *, uint16_t, struct zns **);
static void	path_loop(struct engine *, struct lookup *,
		    const struct dns_name *, uint64_t, uint64_t);

/* Free a lookup and its steps. */
void
lookup_free(struct tnode *n, void *arg)
{
	struct lookup	*l = (struct lookup *)n;

	(void)arg;
	free(l->l.steps);
	free(l);
}

/* A lookup by id, or NULL. */
struct lookup *
lookup_get(struct engine *e, uint32_t id)
{
	struct tnode	*n = NULL;
	uint32_t	 h = table_hash(TABLE_HASH_INIT, &id, sizeof(id));

	if (id == 0)
		return NULL;
	while ((n = table_next(&e->lookups, h, n)) != NULL)
		if (((struct lookup *)n)->l.id == id)
			return (struct lookup *)n;
	return NULL;
}

/* Make a lookup for resolver r and remember it as active there. */
static struct lookup *
lookup_new(struct engine *e, const struct addr *r, const struct dns_name *q,
    uint16_t qtype, uint64_t ts, struct lookup *parent)
{
	struct lookup	*l = xcalloc(1, sizeof(*l));
	struct server	*rs = server_get(e, r, 1);

	l->l.id = e->next_lookup++;
	l->l.family = r->family;
	memcpy(l->l.resolver, r->b, 16);
	l->qname = *q;
	ename_str(q, l->l.qname, sizeof(l->l.qname));
	l->l.qtype = qtype;
	l->l.start_ns = l->l.last_ns = ts;
	l->l.outcome = ENG_C_NONE;
	l->root = l->l.id;
	if (parent != NULL) {
		l->l.parent = parent->l.id;
		l->l.depth = parent->l.depth + 1;
		l->root = parent->root;
	}
	table_insert(&e->lookups, &l->node, table_hash(TABLE_HASH_INIT,
	    &l->l.id, sizeof(l->l.id)));
	rs->active[rs->active_pos++ % ACTIVE_MAX] = l->l.id;
	e->c.lookups++;
	return l;
}

/* Does query (q, qtype) belong to lookup l (same name, or minimised)? */
static int
lookup_matches(const struct lookup *l, const struct dns_name *q,
    uint16_t qtype)
{
	struct dns_name	 strip;

	if (dns_name_equal(&l->qname, q))
		return qtype == l->l.qtype || qtype == DNS_T_NS ||
		    qtype == DNS_T_A;
	if (qtype != DNS_T_A && qtype != DNS_T_NS && qtype != DNS_T_AAAA)
		return 0;
	/* RFC 9156 §2.3: some resolvers ask "_.label" for ancestors. */
	if (q->len > 2 && q->wire[0] == 1 && q->wire[1] == '_' &&
	    dns_name_parent(q, &strip) == 0)
		q = &strip;
	return q->nlabels < l->qname.nlabels && dns_name_is_sub(&l->qname, q);
}

/* Is s among the servers of the zone l was last referred to? */
static int
nexthop_has(struct engine *e, const struct lookup *l, const struct addr *s)
{
	struct zone	*z;

	if (l->last_ref.len == 0 || (z = deleg_zone(e, &l->last_ref, 0)) ==
	    NULL)
		return 0;
	return deleg_serves(e, z, s);
}

/* An active lookup of rs whose last referral lists q as a glueless NS. */
static struct lookup *
dependency_of(struct engine *e, struct server *rs, const struct dns_name *q,
    uint16_t qtype, struct zns **nsp)
{
	struct lookup	*l;
	struct zone	*z;
	unsigned	 i;
	uint8_t		 k;

	if (qtype != DNS_T_A && qtype != DNS_T_AAAA)
		return NULL;
	for (i = 0; i < ACTIVE_MAX; i++) {
		l = lookup_get(e, rs->active[(rs->active_pos - 1 - i) %
		    ACTIVE_MAX]);
		if (l == NULL || l->l.done || l->last_ref.len == 0 ||
		    (z = deleg_zone(e, &l->last_ref, 0)) == NULL)
			continue;
		for (k = 0; k < z->nns; k++) {
			if (!z->ns[k].glue &&
			    dns_name_equal(&z->ns[k].name, q)) {
				*nsp = &z->ns[k];
				return l;
			}
		}
	}
	return NULL;
}

/*
 * LOOP_ON_PATH (D5): a sub-lookup for an NS of zone c while c is already
 * being resolved further up the same tree.
 */
static void
path_loop(struct engine *e, struct lookup *sub, const struct dns_name *c,
    uint64_t ts, uint64_t frame)
{
	struct eng_finding	*f;
	struct lookup		*a;
	char			 cyc[ENG_FIELD_LEN], b[DNS_NAME_STRMAX];
	size_t			 len = 0;
	unsigned		 guard = 0;

	cyc[0] = '\0';
	for (a = lookup_get(e, sub->l.parent); a != NULL && guard++ < 16;
	    a = lookup_get(e, a->l.parent)) {
		if (a->last_ref.len && len + 260 < sizeof(cyc))
			len += (size_t)snprintf(cyc + len, sizeof(cyc) - len,
			    "%s%s", len ? "," : "", ename_str(&a->last_ref, b,
			    sizeof(b)));
		if (a->l.parent == 0 || a == sub)
			break;
		if (a->last_ref.len && dns_name_equal(&a->last_ref, c) &&
		    a->l.id != sub->l.parent) {
			f = finding_raise(e, ENG_K_CIRCULAR_DELEGATION,
			    ENG_SEV_ERROR, cyc, ts, frame, sub->l.id);
			finding_set(f, "cycle", ENG_FT_LIST, "%s", cyc);
			finding_set(f, "ns", ENG_FT_LIST, "%s", sub->l.qname);
			finding_set(f, "partial", ENG_FT_BOOL, "false");
			finding_set(f, "detected", ENG_FT_STR, "loop_on_path");
			finding_summary(f, "lookup %u loops: resolving an NS "
			    "name of %s needs %s again", sub->root, b, b);
			return;
		}
	}
}

/* The lookup an upstream query from r belongs to, created if needed. */
struct lookup *
lookup_for_query(struct engine *e, const struct addr *r,
    const struct dns_name *q, uint16_t qtype, const struct addr *s,
    uint64_t ts, uint64_t frame)
{
	struct server	*rs = server_get(e, r, 1);
	struct lookup	*l, *cand = NULL, *parent;
	struct zns	*ns = NULL;
	char		 b[DNS_NAME_STRMAX];
	unsigned	 i;

	for (i = 0; i < ACTIVE_MAX; i++) {
		l = lookup_get(e, rs->active[(rs->active_pos - 1 - i) %
		    ACTIVE_MAX]);
		if (l == NULL || l->l.done || !lookup_matches(l, q, qtype))
			continue;
		if (nexthop_has(e, l, s))
			return l;
		if (cand == NULL || l->l.last_ns > cand->l.last_ns)
			cand = l;
	}
	if (cand != NULL)
		return cand;
	if ((parent = dependency_of(e, rs, q, qtype, &ns)) == NULL)
		return lookup_new(e, r, q, qtype, ts, NULL);
	l = lookup_new(e, r, q, qtype, ts, parent);
	snprintf(l->l.reason, sizeof(l->l.reason), "address of NS %s for "
	    "zone %s", l->l.qname, ename_str(&parent->last_ref, b, sizeof(b)));
	path_loop(e, l, &parent->last_ref, ts, frame);
	return l;
}

/* The lookup for a client's query to resolver r. */
struct lookup *
lookup_for_client(struct engine *e, const struct addr *r,
    const struct addr *client, const struct dns_name *q, uint16_t qtype,
    uint64_t ts)
{
	struct lookup	*l;

	l = lookup_new(e, r, q, qtype, ts, NULL);
	l->l.has_client = 1;
	l->l.client_family = client->family;
	memcpy(l->l.client, client->b, 16);
	return l;
}

/* Append the step for pending query p, queried zone z (may be NULL). */
struct eng_step *
lookup_add_step(struct engine *e, struct lookup *l, const struct pending *p,
    const struct zone *z)
{
	struct eng_step	*st;

	table_touch(&e->lookups, &l->node);
	l->l.queries++;
	l->l.last_ns = p->ts;
	if (l->l.nsteps == ENG_STEPS_MAX) {
		l->l.steps_dropped++;
		return NULL;
	}
	if (l->l.nsteps == l->steps_cap) {
		l->steps_cap = l->steps_cap ? l->steps_cap * 2 : 4;
		l->l.steps = xreallocarray(l->l.steps, l->steps_cap,
		    sizeof(*l->l.steps));
	}
	st = &l->l.steps[l->l.nsteps++];
	memset(st, 0, sizeof(*st));
	st->ts_ns = p->ts;
	st->frame = p->frame;
	ename_str(&p->qname, st->qname, sizeof(st->qname));
	st->qtype = p->qtype;
	if (z != NULL)
		ename_str(&z->name, st->zone, sizeof(st->zone));
	st->family = p->server.family;
	memcpy(st->server, p->server.b, 16);
	st->tcp = p->tcp;
	st->cls = ENG_C_NONE;
	return st;
}

/* The step a pending query created, or NULL. */
struct eng_step *
lookup_step(struct lookup *l, const struct pending *p)
{
	if (l == NULL || p->step >= l->l.nsteps ||
	    l->l.steps[p->step].frame != p->frame)
		return NULL;
	return &l->l.steps[p->step];
}

/* Close a lookup with its final class. */
void
lookup_end(struct engine *e, struct lookup *l, int cls)
{
	if (l->l.done)
		return;
	l->l.done = 1;
	l->l.outcome = (uint8_t)cls;
	if (cls == ENG_C_RCODE_ERROR || cls == ENG_C_TIMEOUT ||
	    cls == ENG_C_NONE || (l->l.has_client &&
	    l->l.client_rcode == DNS_R_SERVFAIL)) {
		l->l.failed = 1;
		e->c.lookups_failed++;
	}
	e->gen++;
}

/* Close lookups idle for W_lookup (all when now is UINT64_MAX). */
void
lookup_expire(struct engine *e, uint64_t now)
{
	struct tnode	*n;
	struct lookup	*l;
	int		 cls;

	if (now != UINT64_MAX && now < e->lookup_checked + NS_PER_SEC)
		return;
	e->lookup_checked = now;
	for (n = table_oldest(&e->lookups); n != NULL; n = n->prev) {
		if (n == &e->lookups.lru)
			break;
		l = (struct lookup *)n;
		if (now != UINT64_MAX && l->l.last_ns + e->conf.w_lookup_ns >
		    now)
			break;
		if (l->l.done)
			continue;
		cls = l->l.nsteps ? l->l.steps[l->l.nsteps - 1].cls :
		    ENG_C_NONE;
		lookup_end(e, l, cls == ENG_C_ANSWER || cls == ENG_C_CNAME ||
		    cls == ENG_C_NXDOMAIN || cls == ENG_C_NODATA ? cls :
		    cls == ENG_C_REFERRAL ? ENG_C_NONE : cls);
	}
}
