/*
 * lookup.c -- lookups rebuilt as chains (DETECTIONS.md P6).
 *
 * A lookup is created by a client's query to a resolver, or by an upstream
 * query no active lookup explains.  Upstream queries extend the lookup whose
 * name they ask (or an ancestor of it, RFC 9156 QNAME minimisation); an
 * A/AAAA query for a glueless NS name of a lookup's last referral starts a
 * dependency sub-lookup.
 *
 * A resolver's active lookups are found by name: under the lookup's own
 * name (IDX_EXACT), under its ancestors (IDX_UNDER, for minimised queries,
 * a client's lookup only), and under each glueless NS name of its last
 * referral (IDX_DEP).  A name has a few slots of its own for them, which
 * is all most names need; when they are taken by running lookups, more go
 * to an index table (struct lidx) keyed by resolver and name that keeps
 * the newest few per key.  A slot holds where the lookup was and its id;
 * ids are never reused, so a stale one simply finds nothing.  The cost of
 * a query is a few probes, whatever the table sizes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/dns.h"
#include "engine/internal.h"
#include "util/xmalloc.h"

static struct lookup *lookup_new(struct engine *, const struct eng_addr *,
		    struct ename *, uint16_t, uint64_t, struct lookup *, int);
static int	lookup_matches(struct engine *, const struct lookup *,
		    const struct ename *, uint16_t);
static int	nexthop_has(struct engine *, const struct lookup *,
		    const struct eng_addr *);
static struct lookup *dependency_of(struct engine *, const struct eng_addr *,
		    struct ename *, uint16_t);
static void	path_loop(struct engine *, struct lookup *, struct ename *,
		    uint64_t, uint64_t);
static void	active_unlink(struct engine *, struct lookup *);
static void	ix_clear(struct lookup *);
static void	active_touch(struct engine *, struct lookup *);

/* Free a lookup, its steps and the names they hold. */
void
lookup_free(struct tnode *n, void *arg)
{
	struct engine	*e = arg;
	struct lookup	*l = (struct lookup *)n;
	unsigned	 i;

	if (l->l.done)
		e->lookups_done--;
	else {
		e->c.evict_active++;
		ix_clear(l);
	}
	active_unlink(e, l);
	for (i = 0; i < l->l.nsteps; i++) {
		name_put(e, ename_of(l->l.steps[i].qname));
		name_put(e, ename_of(l->l.steps[i].zone));
		name_put(e, ename_of(l->l.steps[i].referral));
	}
	if (l->l.steps != l->step0)
		free(l->l.steps);
	name_put(e, l->qname);
	name_put(e, l->last_ref);
	name_put(e, l->for_zone);
	l->l.id = 0;	/* stale pointers to it now find nothing */
	pool_put(&e->pl_lookup, l);
}

/* Free an index entry. */
void
lidx_free(struct tnode *n, void *arg)
{
	struct engine	*e = arg;

	struct lidx	*x = (struct lidx *)n;

	if (e->lidx_last == x)
		e->lidx_last = NULL;
	if (x->name->lidx == x)
		x->name->lidx = NULL;
	x->name->nlidx--;
	name_put(arg, x->name);
	pool_put(&e->pl_lidx, n);
}

/* Order by id. */
static int
byid_cmp(const void *a, const void *b)
{
	const struct lbyid *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * A lookup by id, or NULL (not held: for the outputs).  The lookups table
 * has no index (the engine reaches lookups through the names they are
 * filed under), so the outputs search an array sorted by id, made again
 * when lookups were created since.  A lookup gone since then finds its id
 * changed, and is not returned.
 */
struct lookup *
lookup_get(struct engine *e, uint32_t id)
{
	struct tnode	*n;
	size_t		 lo, hi, mid;

	if (id == 0)
		return NULL;
	if (e->byid == NULL || e->byid_next != e->next_lookup) {
		if (e->byid_cap < e->lookups.count + 1) {
			e->byid_cap = e->lookups.count + 64;
			e->byid = xreallocarray(e->byid, e->byid_cap,
			    sizeof(*e->byid));
		}
		e->byid_n = 0;
		for (n = table_newest(&e->lookups); n != NULL;
		    n = table_older(&e->lookups, n)) {
			e->byid[e->byid_n].id = ((struct lookup *)n)->l.id;
			e->byid[e->byid_n++].lp = (struct lookup *)n;
		}
		qsort(e->byid, e->byid_n, sizeof(*e->byid), byid_cmp);
		e->byid_next = e->next_lookup;
	}
	for (lo = 0, hi = e->byid_n; lo < hi; ) {
		mid = lo + (hi - lo) / 2;
		if (e->byid[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < e->byid_n && e->byid[lo].id == id ?
	    lookup_at(e->byid[lo].lp, id) : NULL;
}

/*
 * The lookup with id that was at l, or NULL: lookups stay struct lookups
 * (their pool never frees) and ids are never reused, so when the id there
 * is another, the one looked for is gone.
 */
struct lookup *
lookup_at(struct lookup *l, uint32_t id)
{
	return id != 0 && l != NULL && l->l.id == id ? l : NULL;
}

/* The first lookup of l's tree, or NULL if it is gone. */
struct lookup *
lookup_root(struct lookup *l)
{
	return l->root == l->l.id ? l : lookup_at(l->rootp, l->root);
}

/* Hash of an index key. */
static uint32_t
lidx_hash(const struct eng_addr *r, const struct ename *name)
{
	struct {
		struct eng_addr	 r;
		const void	*name;
	} k;

	memset(&k, 0, sizeof(k));
	k.r = *r;
	k.name = name;
	return table_hash(TABLE_HASH_INIT, &k, sizeof(k));
}

/*
 * The index entry for (resolver, name), holding its lookups of every
 * kind; made when create is set.  A query asks the same key for the kinds
 * in turn, so the last entry used is tried first.
 */
static struct lidx *
lidx_get(struct engine *e, const struct eng_addr *r, struct ename *name,
    int create)
{
	struct tnode	*n = NULL;
	struct lidx	*x = e->lidx_last;
	uint32_t	 h;

	if (x != NULL && x->name == name && addr_eq(&x->r, r))
		return x;
	if ((x = name->lidx) != NULL && addr_eq(&x->r, r))
		return e->lidx_last = x;
	if (name->nlidx == 0 && !create)
		return NULL;
	h = lidx_hash(r, name);
	while (name->nlidx > 0 && (n = table_next(&e->lidx, h, n)) != NULL) {
		x = (struct lidx *)n;
		if (x->name == name && addr_eq(&x->r, r))
			return e->lidx_last = name->lidx = x;
	}
	if (!create)
		return NULL;
	x = pool_take(&e->pl_lidx, sizeof(*x), offsetof(struct lidx, lp));
	x->r = *r;
	x->name = name_ref(name);
	name->nlidx++;
	table_insert(&e->lidx, &x->node, h);
	return e->lidx_last = name->lidx = x;
}

/*
 * A lookup that ends leaves the slot of its own name empty, so the next
 * lookups of the name find it free without reading the old one.  (Slots
 * under other names are found stale when next read.)
 */
static void
ix_clear(struct lookup *l)
{
	struct ixslot	*s;
	unsigned	 i;

	for (i = 0; i < NAME_IX; i++) {
		s = &l->qname->ix[i];
		if (s->id == l->l.id && s->kind == IDX_EXACT) {
			s->id = 0;
			s->lp = NULL;
		}
	}
}

/* Is l a lookup of resolver r? */
static int
lookup_by(const struct lookup *l, const struct eng_addr *r)
{
	return l->l.family == r->family &&
	    memcmp(l->l.resolver, r->b, sizeof(r->b)) == 0;
}

/* The lookup a slot holds, if it is still there and running. */
static struct lookup *
ix_live(const struct ixslot *s)
{
	struct lookup	*l = lookup_at(s->lp, s->id);

	return l != NULL && !l->l.done ? l : NULL;
}

/*
 * File lookup l under (resolver, name, kind): in a slot of the name when
 * one is free (empty, or its lookup gone or finished), else in the index
 * table, which keeps the newest few per key.
 */
static void
lidx_add(struct engine *e, const struct eng_addr *r, struct ename *name,
    int kind, struct lookup *l)
{
	struct ixslot	*s, *slot = NULL;
	struct lidx	*x;
	uint32_t	*ids, id = l->l.id;
	struct lookup	**lp;
	unsigned	 i;

	for (i = 0; i < NAME_IX; i++) {
		s = &name->ix[i];
		if (s->id == id && s->kind == kind)
			return;
		if (slot == NULL && ix_live(s) == NULL)
			slot = s;
	}
	if (slot != NULL) {
		slot->lp = l;
		slot->id = id;
		slot->kind = (uint8_t)kind;
		return;
	}
	x = lidx_get(e, r, name, 1);
	ids = x->ids[kind];
	lp = x->lp[kind];
	table_touch(&e->lidx, &x->node);
	for (i = 0; i < IDX_IDS - 1 && ids[i] != id; i++)
		;
	memmove(ids + 1, ids, i * sizeof(ids[0]));
	memmove(lp + 1, lp, i * sizeof(lp[0]));
	ids[0] = id;
	lp[0] = l;
}

/*
 * The running lookups of r filed under (name, kind): those in the name's
 * slots, then those of its index entry.  At most NAME_IX + IDX_IDS.
 */
static unsigned
lidx_find(struct engine *e, const struct eng_addr *r, struct ename *name,
    int kind, struct lookup **out)
{
	struct lookup	*l;
	struct lidx	*x;
	unsigned	 i, n = 0;

	for (i = 0; i < NAME_IX; i++)
		if (name->ix[i].kind == kind &&
		    (l = ix_live(&name->ix[i])) != NULL && lookup_by(l, r))
			out[n++] = l;
	if (name->nlidx == 0 || (x = lidx_get(e, r, name, 0)) == NULL)
		return n;
	for (i = 0; i < IDX_IDS && x->ids[kind][i] != 0; i++)
		if ((l = lookup_at(x->lp[kind][i], x->ids[kind][i])) != NULL &&
		    !l->l.done)
			out[n++] = l;
	return n;
}

/* Make a lookup for resolver r and file it in the index. */
static struct lookup *
lookup_new(struct engine *e, const struct eng_addr *r, struct ename *q,
    uint16_t qtype, uint64_t ts, struct lookup *parent, int client)
{
	struct lookup	*l = pool_take(&e->pl_lookup, sizeof(*l),
	    offsetof(struct lookup, step0));
	struct ename	*a;

	l->l.id = e->next_lookup++;
	l->l.family = r->family;
	memcpy(l->l.resolver, r->b, 16);
	l->qname = name_ref(q);
	l->l.qname = &q->n;
	l->l.qtype = qtype;
	l->l.start_ns = l->l.last_ns = ts;
	l->l.outcome = ENG_C_NONE;
	l->root = l->l.id;
	l->rootp = l;
	if (parent != NULL) {
		l->l.parent = parent->l.id;
		l->parentp = parent;
		l->l.depth = parent->l.depth + 1;
		l->root = parent->root;
		l->rootp = parent->rootp;
	}
	table_insert(&e->lookups, &l->node, l->l.id);
	lidx_add(e, r, q, IDX_EXACT, l);
	/*
	 * Minimised queries (RFC 9156) and priming ask ancestors of the
	 * name: a client's lookup is filed under each of them.  One the
	 * resolver started itself is not: its first query already was the
	 * minimised name.
	 */
	for (a = client ? name_parent(e, q) : NULL; a != NULL;
	    a = name_parent(e, a))
		lidx_add(e, r, a, IDX_UNDER, l);
	active_touch(e, l);
	e->c.lookups++;
	if (l->l.parent == 0)
		e->c.client_lookups++;
	return l;
}

/* Does query (q, qtype) belong to lookup l (same name, or minimised)? */
static int
lookup_matches(struct engine *e, const struct lookup *l,
    const struct ename *q, uint16_t qtype)
{
	(void)e;
	if (l->qname == q)
		return qtype == l->l.qtype || qtype == DNS_T_NS ||
		    qtype == DNS_T_A;
	if (qtype != DNS_T_A && qtype != DNS_T_NS && qtype != DNS_T_AAAA)
		return 0;
	return q->n.nlabels < l->qname->n.nlabels &&
	    name_is_sub(l->qname, q);
}

/* Is s among the servers of the zone l was last referred to? */
static int
nexthop_has(struct engine *e, const struct lookup *l, const struct eng_addr *s)
{
	struct zone	*z;

	if (l->last_ref == NULL ||
	    (z = deleg_zone_peek(e, l->last_ref)) == NULL)
		return 0;
	return deleg_serves(e, z, s);
}

/*
 * RFC 9156 §2.3: some resolvers ask "_.label" for ancestors; the name the
 * index knows is the one without the "_" label (NULL if not interned).
 */
static struct ename *
unminimised(struct engine *e, struct ename *q)
{
	if (q->n.len > 2 && q->n.wire[0] == 1 && q->n.wire[1] == '_')
		return name_parent(e, q);
	return q;
}

/*
 * The best active lookup of r for (q, qtype) among those filed under q:
 * one whose next hop is s, else the most recently active.
 */
static struct lookup *
best_match(struct engine *e, const struct eng_addr *r, struct ename *q,
    uint16_t qtype, const struct eng_addr *s)
{
	static const int kinds[] = { IDX_EXACT, IDX_UNDER };
	struct lookup	*l, *cand = NULL, *v[NAME_IX + IDX_IDS];
	struct ename	*key;
	unsigned	 k, i, n;

	for (k = 0; k < 2; k++) {
		key = k == 0 ? q : unminimised(e, q);
		if (key == NULL)
			continue;
		n = lidx_find(e, r, key, kinds[k], v);
		for (i = 0; i < n; i++) {
			l = v[i];
			if (!lookup_matches(e, l, q == key ? q : key, qtype))
				continue;
			if (nexthop_has(e, l, s))
				return l;
			if (cand == NULL || l->l.last_ns > cand->l.last_ns)
				cand = l;
		}
	}
	return cand;
}

/* An active lookup of r whose last referral lists q as a glueless NS. */
static struct lookup *
dependency_of(struct engine *e, const struct eng_addr *r, struct ename *q,
    uint16_t qtype)
{
	struct lookup	*l, *v[NAME_IX + IDX_IDS];
	struct zone	*z;
	unsigned	 i, n;
	uint8_t		 k;

	if (qtype != DNS_T_A && qtype != DNS_T_AAAA)
		return NULL;
	n = lidx_find(e, r, q, IDX_DEP, v);
	for (i = 0; i < n; i++) {
		l = v[i];
		if (l->last_ref == NULL ||
		    (z = deleg_zone_peek(e, l->last_ref)) == NULL)
			continue;
		for (k = 0; k < z->nns; k++)
			if (!z->ns[k].glue && z->ns[k].name == q)
				return l;
	}
	return NULL;
}

/*
 * LOOP_ON_PATH (D5): a sub-lookup for an NS of zone c while c is already
 * being resolved further up the same tree.
 */
static void
path_loop(struct engine *e, struct lookup *sub, struct ename *c, uint64_t ts,
    uint64_t frame)
{
	struct eng_finding	*f;
	struct ename		*cyc[16], *key[3] = { NULL, NULL, NULL };
	struct lookup		*a;
	unsigned		 n = 0, guard = 0, i;
	uint64_t		 h = 0;

	for (a = lookup_at(sub->parentp, sub->l.parent); a != NULL &&
	    guard++ < 16; a = lookup_at(a->parentp, a->l.parent)) {
		if (a->last_ref != NULL && n < 16)
			cyc[n++] = a->last_ref;
		if (a->l.parent == 0 || a == sub)
			break;
		if (a->last_ref == c && a->l.id != sub->l.parent) {
			for (i = 0; i < n; i++)
				h = h * 31 + table_hash(0, &cyc[i],
				    sizeof(cyc[i]));
			key[0] = cyc[0];
			f = finding_raise(e, ENG_K_CIRCULAR_DELEGATION,
			    ENG_SEV_ERROR, key, NULL, h, ts, frame, sub->l.id);
			finding_names(e, f, ENG_F_CYCLE, cyc, n);
			finding_name(e, f, ENG_F_NS, sub->qname);
			finding_num(f, ENG_F_PARTIAL, 0);
			finding_word(f, ENG_F_DETECTED, "loop_on_path");
			finding_num(f, ENG_F_ROOT, sub->root);
			return;
		}
	}
}

/* The lookup an upstream query from r belongs to, created if needed. */
struct lookup *
lookup_for_query(struct engine *e, const struct eng_addr *r, struct ename *q,
    uint16_t qtype, const struct eng_addr *s, uint64_t ts, uint64_t frame)
{
	struct lookup	*l, *parent;

	if ((l = best_match(e, r, q, qtype, s)) != NULL)
		return l;
	if ((parent = dependency_of(e, r, q, qtype)) == NULL)
		return lookup_new(e, r, q, qtype, ts, NULL, 0);
	/* Creating the sub-lookup must not evict its parent. */
	hold(e, &e->lookups, &parent->node);
	l = lookup_new(e, r, q, qtype, ts, parent, 0);
	l->for_zone = name_ref(parent->last_ref);
	l->l.for_zone = &parent->last_ref->n;
	path_loop(e, l, parent->last_ref, ts, frame);
	return l;
}

/* The lookup for a client's query to resolver r. */
struct lookup *
lookup_for_client(struct engine *e, const struct eng_addr *r,
    const struct eng_addr *client, struct ename *q, uint16_t qtype,
    uint64_t ts)
{
	struct lookup	*l;

	l = lookup_new(e, r, q, qtype, ts, NULL, 1);
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
	active_touch(e, l);
	if (l->l.nsteps == ENG_STEPS_MAX) {
		l->l.steps_dropped++;
		return NULL;
	}
	if (l->l.nsteps == l->steps_cap) {
		/* The first few in the lookup itself, then on the heap. */
		if (l->steps_cap == 0) {
			l->l.steps = l->step0;
			l->steps_cap = LOOKUP_STEPS_IN;
		} else if (l->l.steps == l->step0) {
			l->l.steps = xreallocarray(NULL, l->steps_cap * 2,
			    sizeof(*l->l.steps));
			memcpy(l->l.steps, l->step0, sizeof(l->step0));
			l->steps_cap *= 2;
		} else {
			l->steps_cap *= 2;
			l->l.steps = xreallocarray(l->l.steps, l->steps_cap,
			    sizeof(*l->l.steps));
		}
	}
	st = &l->l.steps[l->l.nsteps++];
	memset(st, 0, sizeof(*st));
	st->ts_ns = p->ts;
	st->frame = p->frame;
	st->qname = &name_ref(p->qname)->n;
	st->qtype = p->qtype;
	if (z != NULL)
		st->zone = &name_ref(z->name)->n;
	st->family = p->server.family;
	memcpy(st->server, p->server.b, 16);
	st->tcp = p->tcp;
	st->cls = ENG_C_NONE;
	return st;
}

/*
 * Lookup l was referred to zone c: remember it, and file l under c's
 * glueless NS names, whose address lookups are its dependencies.
 */
void
lookup_referred(struct engine *e, struct lookup *l, struct zone *c)
{
	struct eng_addr	 r;
	uint8_t		 k;

	name_put(e, l->last_ref);
	l->last_ref = name_ref(c->name);
	l->l.referrals++;
	addr_from(&r, l->l.family, l->l.resolver);
	for (k = 0; k < c->nns; k++)
		if (!c->ns[k].glue)
			lidx_add(e, &r, c->ns[k].name, IDX_DEP, l);
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
	ix_clear(l);
	active_unlink(e, l);
	e->lookups_done++;
	l->l.outcome = (uint8_t)cls;
	if (cls == ENG_C_RCODE_ERROR || cls == ENG_C_TIMEOUT ||
	    cls == ENG_C_NONE || (l->l.has_client &&
	    l->l.client_rcode == DNS_R_SERVFAIL)) {
		l->l.failed = 1;
		e->c.lookups_failed++;
		if (l->l.parent == 0)
			e->c.client_lookups_failed++;
	}
	/*
	 * First what the failure proves (D9's zone_unreachable, D8), filed
	 * as a cause at once, then what the lookup is counted to.
	 */
	detect_lookup_end(e, l);
	held_causes(e);
	cause_lookup_end(e, l);
	e->gen++;
}

/*
 * A client's SERVFAIL after the lookup had ended (the client's query had
 * timed out first): it failed after all.  Its impact was counted at the
 * end, as it stood then.
 */
void
lookup_failed_late(struct engine *e, struct lookup *l)
{
	l->l.failed = 1;
	e->c.lookups_failed++;
	if (l->l.parent == 0)
		e->c.client_lookups_failed++;
	e->gen++;
}

/* Take a lookup off the active list (if on it). */
static void
active_unlink(struct engine *e, struct lookup *l)
{
	if (l->aprev != NULL)
		l->aprev->anext = l->anext;
	else if (e->ahead == l)
		e->ahead = l->anext;
	else
		return;
	if (l->anext != NULL)
		l->anext->aprev = l->aprev;
	else
		e->atail = l->aprev;
	l->aprev = l->anext = NULL;
}

/* Put a running lookup at the recent end of the active list. */
static void
active_touch(struct engine *e, struct lookup *l)
{
	active_unlink(e, l);
	l->aprev = e->atail;
	if (e->atail != NULL)
		e->atail->anext = l;
	else
		e->ahead = l;
	e->atail = l;
}

/*
 * Close lookups idle for W_lookup (all when now is UINT64_MAX).  Only
 * running lookups are on the active list, oldest activity first, so the
 * walk stops at the first that is still fresh.
 */
void
lookup_expire(struct engine *e, uint64_t now)
{
	struct lookup	*l;
	int		 cls;

	if (now != UINT64_MAX && now < e->lookup_checked + NS_PER_SEC)
		return;
	e->lookup_checked = now;
	while ((l = e->ahead) != NULL) {
		if (now != UINT64_MAX && l->l.last_ns + e->conf.w_lookup_ns >
		    now)
			break;
		cls = l->l.nsteps ? l->l.steps[l->l.nsteps - 1].cls :
		    ENG_C_NONE;
		lookup_end(e, l, cls == ENG_C_ANSWER || cls == ENG_C_CNAME ||
		    cls == ENG_C_NXDOMAIN || cls == ENG_C_NODATA ? cls :
		    cls == ENG_C_REFERRAL ? ENG_C_NONE : cls);
	}
}
