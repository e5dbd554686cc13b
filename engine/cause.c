/*
 * cause.c -- root causes, the consequences linked to them, and what they
 * broke (DETECTIONS.md R2.2).
 *
 * A root cause (finding_root_kind()) is filed under each zone it names
 * (struct zone roots[]) once the message that raised it is done and its
 * fields are set.  Everything else finds causes through those zones or
 * through the findings' own keys, never by walking the findings table:
 *
 * - server_unresponsive links to the zone_unreachable of a zone it
 *   serves that lists it (and that finding, when it comes, adopts them);
 * - when a lookup ends failed, the root causes filed under the zones of
 *   its chain (and of its tree's sub-lookups that ended before it) explain
 *   the referral_revisit and query_loop findings raised in it, and the
 *   ns_name_unresolvable "failed" of its name; found by their keys, from
 *   the chain's steps.  A consequence no cause explains yet waits under
 *   the chain's zones (struct zone orphans[]) for a cause to come there;
 * - an ns_name_unresolvable "failed" also looks for a cause under the
 *   zones above its NS name.
 *
 * A linked consequence shows at notice and keeps its own severity aside
 * (finding_sev()); the link is a pointer both ways, undone when either
 * finding goes.  Impact is counted when a client lookup (no parent) ends,
 * from the causes its tree met (struct lookup lc[], in the tree's root).
 * Every step costs a few probes: the cost is bounded by the chain's length.
 */
#include <stddef.h>
#include <string.h>

#include "engine/internal.h"

static struct finding	*fx(const struct eng_finding *);
static struct finding	*fref_get(const struct fref *);
static void	link_to(struct engine *, struct finding *, struct finding *);
static void	unlink_from(struct engine *, struct finding *, int);
static int	can_cause(const struct finding *, const struct finding *);
static struct finding *better(struct finding *, struct finding *);
static struct finding *zone_best(struct zone *, const struct finding *);
static struct zone *zone_of(const struct dns_name *);
static int	root_slot(struct zone *, struct finding *);
static void	file_root(struct engine *, struct finding *);
static void	orphan_add(struct zone *, struct finding *);
static void	unresponsive_cause(struct engine *, struct finding *);
static void	unreachable_adopt(struct engine *, struct finding *);
static int	lists_server(const struct eng_finding *,
		    const struct eng_addr *);
static int	nsname_failed(const struct eng_finding *);
static void	nsname_cause(struct engine *, struct finding *);
static int	in_zones(const struct eng_finding *, const struct dns_name *);
static int	step_at(const struct eng_finding *, const struct eng_step *);
static int	step_slow(const struct eng_step *);
static int	step_server(const struct eng_finding *,
		    const struct eng_step *);
static void	lc_add(struct lcause *, uint8_t *, struct finding *, unsigned,
		    int);
static void	path_causes(struct lookup *, struct lcause *, uint8_t *);
static void	name_causes(struct ename *, struct lcause *, uint8_t *);
static void	explain(struct engine *, struct lookup *, struct eng_finding *,
		    const struct lcause *, uint8_t);
static void	explain_lookup(struct engine *, struct lookup *,
		    const struct lcause *, uint8_t);
static void	impact_count(struct engine *, struct lookup *,
		    const struct lcause *, uint8_t);
static void	impact_client(struct finding *, const struct eng_lookup *);
static void	impact_late(struct engine *, struct lookup *,
		    const struct lcause *, uint8_t);

static struct ename *const nokey[3] = { NULL, NULL, NULL };

/* The entry around a public finding. */
static struct finding *
fx(const struct eng_finding *f)
{
	return (struct finding *)(uintptr_t)((const char *)f -
	    offsetof(struct finding, f));
}

/* The finding a reference names, or NULL if it went. */
static struct finding *
fref_get(const struct fref *r)
{
	return r->id != 0 && r->fp != NULL && r->fp->f.id == r->id ?
	    r->fp : NULL;
}

/* The root cause a consequence is linked to, or NULL. */
const struct eng_finding *
engine_finding_cause(const struct engine *e, const struct eng_finding *f)
{
	(void)e;
	return fx(f)->cause != NULL ? &fx(f)->cause->f : NULL;
}

/*
 * Link consequence x to root cause c: x shows at notice from now on.  A
 * finding that had consequences of its own hands them on to c.
 */
static void
link_to(struct engine *e, struct finding *x, struct finding *c)
{
	struct finding	*k;

	if (x == c || x->cause != NULL || c->cause != NULL)
		return;
	while ((k = x->conseq) != NULL) {
		unlink_from(e, k, 1);
		link_to(e, k, c);
	}
	x->cause = c;
	x->sprev = NULL;
	x->snext = c->conseq;
	if (c->conseq != NULL)
		c->conseq->sprev = x;
	c->conseq = x;
	c->f.nconsequences++;
	x->own_sev = x->f.sev;
	if (x->f.sev < ENG_SEV_NOTICE)
		x->f.sev = ENG_SEV_NOTICE;
	x->f.caused_by = c->f.id;
	finding_changed(e, &x->f);
	finding_changed(e, &c->f);
}

/* Undo x's link; live: x stays (else only its cause is marked changed). */
static void
unlink_from(struct engine *e, struct finding *x, int live)
{
	struct finding	*c = x->cause;

	if (x->sprev != NULL)
		x->sprev->snext = x->snext;
	else
		c->conseq = x->snext;
	if (x->snext != NULL)
		x->snext->sprev = x->sprev;
	x->sprev = x->snext = NULL;
	x->cause = NULL;
	c->f.nconsequences--;
	finding_changed(e, &c->f);
	if (!live)
		return;
	x->f.caused_by = 0;
	x->f.sev = x->own_sev;
	finding_changed(e, &x->f);
}

/* A finding goes: its link, and its consequences' links, go with it. */
void
cause_free(struct engine *e, struct finding *x)
{
	if (x->cause != NULL)
		unlink_from(e, x, 0);
	while (x->conseq != NULL)
		unlink_from(e, x->conseq, 1);
}

/*
 * Can c explain consequence x?  A root cause not linked itself; an NS set
 * mismatch makes no lookup fail.
 */
static int
can_cause(const struct finding *c, const struct finding *x)
{
	return c != NULL && c != x && c->cause == NULL &&
	    finding_root_kind(&c->f) &&
	    c->f.kind != ENG_K_NS_SET_MISMATCH;
}

/* The more severe of two causes (the older on a tie), either may be NULL. */
static struct finding *
better(struct finding *a, struct finding *b)
{
	if (a == NULL || b == NULL)
		return a != NULL ? a : b;
	if (a->f.sev != b->f.sev)
		return a->f.sev < b->f.sev ? a : b;
	return a->f.id < b->f.id ? a : b;
}

/* The best cause filed under zone z for x, or NULL. */
static struct finding *
zone_best(struct zone *z, const struct finding *x)
{
	struct finding	*best = NULL, *c;
	uint8_t		 i;

	for (i = 0; z != NULL && i < z->nroots; i++)
		if (can_cause((c = fref_get(&z->roots[i])), x))
			best = better(best, c);
	return best;
}

/* The zone entry of a name the engine handed out, or NULL. */
static struct zone *
zone_of(const struct dns_name *n)
{
	return n != NULL ? ename_of(n)->zone : NULL;
}

/*
 * The slot of zone z's roots for cause x: its own, a free one, a gone
 * one's, or the least severe one's if x is more severe; -1: none.
 */
static int
root_slot(struct zone *z, struct finding *x)
{
	struct finding	*o, *least = NULL;
	uint8_t		 j, w = 0;

	for (j = 0; j < z->nroots; j++)
		if (fref_get(&z->roots[j]) == x)
			return j;
	if (z->nroots < ZONE_ROOTS)
		return z->nroots++;
	for (j = 0; j < z->nroots; j++) {
		if ((o = fref_get(&z->roots[j])) == NULL)
			return j;
		if (least == NULL || better(least, o) == least) {
			least = o;
			w = j;
		}
	}
	return better(least, x) == x ? w : -1;
}

/*
 * File root cause x under the zones it names, and give it the
 * consequences waiting there.
 */
static void
file_root(struct engine *e, struct finding *x)
{
	static const enum eng_key zk[] = { ENG_F_ZONE, ENG_F_CYCLE };
	const struct eng_field	*fl;
	struct finding		*o;
	struct zone		*z;
	uint8_t			 i, k, j;
	int			 s;

	for (k = 0; k < 2; k++) {
		if ((fl = engine_field(&x->f, zk[k])) == NULL)
			continue;
		for (i = 0; i < fl->n; i++) {
			if ((z = zone_of(x->f.names[fl->off + i])) == NULL)
				continue;
			if ((s = root_slot(z, x)) >= 0) {
				z->roots[s].fp = x;
				z->roots[s].id = x->f.id;
			}
			if (!can_cause(x, NULL))
				continue;
			for (j = 0; j < z->norphans; j++)
				if ((o = fref_get(&z->orphans[j])) != NULL)
					link_to(e, o, x);
			z->norphans = 0;
		}
	}
}

/* Let consequence x wait under zone z for a cause (the oldest goes). */
static void
orphan_add(struct zone *z, struct finding *x)
{
	uint8_t		 i;

	if (z == NULL)
		return;
	for (i = 0; i < z->norphans; i++)
		if (fref_get(&z->orphans[i]) == x)
			return;
	if (z->norphans == ZONE_ORPHANS) {
		memmove(z->orphans, z->orphans + 1, (ZONE_ORPHANS - 1) *
		    sizeof(z->orphans[0]));
		z->norphans--;
	}
	z->orphans[z->norphans].fp = x;
	z->orphans[z->norphans++].id = x->f.id;
}

/* Is server s listed in the SERVERS field of f? */
static int
lists_server(const struct eng_finding *f, const struct eng_addr *s)
{
	const struct eng_field	*fl = engine_field(f, ENG_F_SERVERS);
	uint8_t			 i;

	for (i = 0; fl != NULL && i < fl->n; i++)
		if (addr_eq(&f->addrs[fl->off + i], s))
			return 1;
	return 0;
}

/*
 * server_unresponsive x: the zone_unreachable of its zone, or of a zone
 * the server is known to serve, that lists it.
 */
static void
unresponsive_cause(struct engine *e, struct finding *x)
{
	const struct eng_field	*fs = engine_field(&x->f, ENG_F_SERVER);
	const struct eng_field	*fz = engine_field(&x->f, ENG_F_ZONE);
	struct ename		*key[3] = { NULL, NULL, NULL };
	struct eng_finding	*u;
	struct server		*s;
	uint8_t			 i;

	if (fs == NULL || fs->n != 1)
		return;
	s = server_peek(e, &x->f.addrs[fs->off]);
	for (i = 0; i <= (s != NULL ? s->nzones : 0); i++) {
		if (i == 0)
			key[0] = fz != NULL && fz->n == 1 ?
			    ename_of(x->f.names[fz->off]) : NULL;
		else
			key[0] = s->zones[i - 1];
		if (key[0] == NULL || (u = finding_get(e,
		    ENG_K_ZONE_UNREACHABLE, key, NULL, 0)) == NULL)
			continue;
		if (lists_server(u, &x->f.addrs[fs->off]) &&
		    can_cause(fx(u), x)) {
			link_to(e, x, fx(u));
			return;
		}
	}
}

/* zone_unreachable x takes the server_unresponsive of the servers listed. */
static void
unreachable_adopt(struct engine *e, struct finding *x)
{
	const struct eng_field	*fl = engine_field(&x->f, ENG_F_SERVERS);
	struct eng_finding	*u;
	uint8_t			 i;

	for (i = 0; fl != NULL && i < fl->n; i++)
		if ((u = finding_get(e, ENG_K_SERVER_UNRESPONSIVE, nokey,
		    &x->f.addrs[fl->off + i], 0)) != NULL)
			link_to(e, fx(u), x);
}

/* Is x an ns_name_unresolvable whose NS name's own lookup failed? */
static int
nsname_failed(const struct eng_finding *f)
{
	const struct eng_field	*fl = engine_field(f, ENG_F_REASON);

	return f->kind == ENG_K_NS_NAME_UNRESOLVABLE && fl != NULL &&
	    fl->word != NULL && strcmp(fl->word, "failed") == 0;
}

/*
 * ns_name_unresolvable "failed" x: a cause filed under the zones above its
 * NS name (the path its lookup took); else it waits there for one.
 */
static void
nsname_cause(struct engine *e, struct finding *x)
{
	const struct eng_field	*fl = engine_field(&x->f, ENG_F_NS);
	struct finding		*best = NULL;
	struct ename		*a;

	if (fl == NULL || fl->n == 0)
		return;
	for (a = ename_of(x->f.names[fl->off]); a != NULL; a = a->parent)
		best = better(best, zone_best(a->zone, x));
	if (best != NULL) {
		link_to(e, x, best);
		return;
	}
	for (a = ename_of(x->f.names[fl->off]); a != NULL; a = a->parent)
		orphan_add(a->zone, x);
}

/*
 * A finding raised by the message just done, its fields set: file a root
 * cause under its zones, link a consequence to its cause.
 */
void
cause_finding_done(struct engine *e, struct eng_finding *f)
{
	struct finding	*x = fx(f);

	if (x->cause != NULL)
		return;
	if (nsname_failed(f))
		nsname_cause(e, x);
	else if (f->kind == ENG_K_SERVER_UNRESPONSIVE)
		unresponsive_cause(e, x);
	if (x->cause != NULL || !finding_root_kind(f))
		return;
	file_root(e, x);
	if (f->kind == ENG_K_ZONE_UNREACHABLE)
		unreachable_adopt(e, x);
}

/* Is name n one of the zones (ZONE or CYCLE) finding f names? */
static int
in_zones(const struct eng_finding *f, const struct dns_name *n)
{
	const struct eng_field	*fl;
	uint8_t			 i;

	if (n == NULL)
		return 0;
	if ((fl = engine_field(f, ENG_F_ZONE)) == NULL)
		fl = engine_field(f, ENG_F_CYCLE);
	for (i = 0; fl != NULL && i < fl->n; i++)
		if (f->names[fl->off + i] == n)
			return 1;
	return 0;
}

/* Did step st go into the fault root cause f names? */
static int
step_at(const struct eng_finding *f, const struct eng_step *st)
{
	switch (f->kind) {
	case ENG_K_LAME_DELEGATION:
		return step_server(f, st) && in_zones(f, st->zone);
	case ENG_K_TRUNCATED_REFERRAL:
		return step_server(f, st);
	case ENG_K_ZONE_UNREACHABLE:
	case ENG_K_NS_SET_MISMATCH:
	case ENG_K_GLUE_MISMATCH:
		return in_zones(f, st->zone);
	case ENG_K_CIRCULAR_DELEGATION:
		return in_zones(f, st->zone) || in_zones(f, st->referral);
	default:	/* glue and NS names: the referral that lacked them */
		return in_zones(f, st->referral);
	}
}

/* Was step st's server the finding's one server? */
static int
step_server(const struct eng_finding *f, const struct eng_step *st)
{
	const struct eng_field	*fl = engine_field(f, ENG_F_SERVER);
	struct eng_addr		 a;

	if (fl == NULL || fl->n != 1)
		return 0;
	addr_from(&a, st->family, st->server);
	return addr_eq(&f->addrs[fl->off], &a);
}

/* Did step st cost time: a timeout or a lame answer? */
static int
step_slow(const struct eng_step *st)
{
	return st->cls == ENG_C_TIMEOUT || st->cls == ENG_C_RCODE_ERROR ||
	    st->cls == ENG_C_UPWARD_REFERRAL || st->cls == ENG_C_REC_LAME ||
	    st->cls == ENG_C_EMPTY;
}

/* Add q queries into cause c to a tree's set (full: dropped). */
static void
lc_add(struct lcause *set, uint8_t *n, struct finding *c, unsigned q,
    int slowed)
{
	uint8_t		 i;

	/* Compared by value: c is at hand, the others need not be read. */
	for (i = 0; i < *n; i++)
		if (set[i].c.fp == c && set[i].c.id == c->f.id)
			break;
	if (i == *n) {
		for (i = 0; i < *n && fref_get(&set[i].c) != NULL; i++)
			continue;
		if (i == LOOKUP_CAUSES)
			return;
		if (i == *n)
			(*n)++;
		memset(&set[i], 0, sizeof(set[i]));
		set[i].c.fp = c;
		set[i].c.id = c->f.id;
	}
	set[i].queries += q;
	set[i].slowed |= (uint8_t)(slowed != 0);
}

/*
 * The root causes lookup l's chain met, into set: those filed under the
 * zones its steps asked or were referred to, and under the zone whose NS
 * name a sub-lookup resolves (all its queries are spent on that fault).
 */
static void
path_causes(struct lookup *l, struct lcause *set, uint8_t *n)
{
	struct zone		*fz = l->for_zone != NULL ? l->for_zone->zone :
				    NULL, *z[2];
	const struct eng_step	*st;
	struct finding		*c;
	unsigned		 i, k, slow = 0;
	uint8_t			 j;
	int			 at;

	for (i = 0; i < l->l.nsteps; i++)
		slow |= (unsigned)step_slow(&l->l.steps[i]);
	for (j = 0; fz != NULL && j < fz->nroots; j++)
		if ((c = fref_get(&fz->roots[j])) != NULL)
			lc_add(set, n, c, l->l.queries, (int)slow);
	for (i = 0; i < l->l.nsteps; i++) {
		st = &l->l.steps[i];
		z[0] = zone_of(st->zone);
		z[1] = zone_of(st->referral);
		for (k = 0; k < 2; k++) {
			if (z[k] == NULL || z[k] == fz || (k == 1 &&
			    z[1] == z[0]))
				continue;
			for (j = 0; j < z[k]->nroots; j++) {
				if ((c = fref_get(&z[k]->roots[j])) == NULL)
					continue;
				at = step_at(&c->f, st);
				lc_add(set, n, c, (unsigned)at, at &&
				    step_slow(st));
			}
		}
	}
}

/*
 * The root causes filed under the zones above name q: a client lookup
 * answered from the resolver's cache has no chain, but went through them.
 */
static void
name_causes(struct ename *q, struct lcause *set, uint8_t *n)
{
	struct finding	*c;
	struct ename	*a;
	uint8_t		 j;

	for (a = q; a != NULL; a = a->parent)
		for (j = 0; a->zone != NULL && j < a->zone->nroots; j++)
			if ((c = fref_get(&a->zone->roots[j])) != NULL)
				lc_add(set, n, c, 0, 0);
}

/*
 * Consequence f (or NULL) in failed lookup l: link it to the best cause
 * of the set, else let it wait under the chain's zones.
 */
static void
explain(struct engine *e, struct lookup *l, struct eng_finding *f,
    const struct lcause *set, uint8_t n)
{
	struct finding	*x, *best = NULL;
	unsigned	 i;
	uint8_t		 k;

	if (f == NULL || (x = fx(f))->cause != NULL)
		return;
	for (k = 0; k < n; k++)
		if (can_cause(fref_get(&set[k].c), x))
			best = better(best, fref_get(&set[k].c));
	if (best != NULL) {
		link_to(e, x, best);
		return;
	}
	orphan_add(l->for_zone != NULL ? l->for_zone->zone : NULL, x);
	for (i = 0; i < l->l.nsteps; i++) {
		orphan_add(zone_of(l->l.steps[i].zone), x);
		orphan_add(zone_of(l->l.steps[i].referral), x);
	}
}

/*
 * Failed lookup l: the consequences raised in it, found by their keys
 * from its steps (detect.c): referral_revisit (its name, a zone it was
 * referred to), query_loop (budgets on its name; repeats and ping-pong on
 * each question asked), ns_name_unresolvable "failed" for its own name.
 */
static void
explain_lookup(struct engine *e, struct lookup *l, const struct lcause *set,
    uint8_t n)
{
	struct ename		*key[3] = { l->qname, NULL, NULL };
	const struct eng_step	*st;
	struct eng_finding	*f;
	struct nsname		*nn;
	struct eng_addr		 r;
	unsigned		 i;

	addr_from(&r, l->l.family, l->l.resolver);
	for (i = 0; i < 4; i++)
		explain(e, l, finding_get(e, ENG_K_QUERY_LOOP, key, &r,
		    LOOP_BUDGET | (uint64_t)l->l.qtype << 8 | i), set, n);
	for (i = 0; i < l->l.nsteps; i++) {
		st = &l->l.steps[i];
		key[0] = l->qname;
		key[1] = ename_of(st->referral);
		if (st->cls == ENG_C_REFERRAL && key[1] != NULL)
			explain(e, l, finding_get(e, ENG_K_REFERRAL_REVISIT,
			    key, NULL, 0), set, n);
		key[1] = NULL;
		if (i > 0 && st->qname == st[-1].qname &&
		    st->qtype == st[-1].qtype)
			continue;
		key[0] = ename_of(st->qname);
		explain(e, l, finding_get(e, ENG_K_QUERY_LOOP, key, &r,
		    LOOP_REPEAT | st->qtype), set, n);
		explain(e, l, finding_get(e, ENG_K_QUERY_LOOP, key, &r,
		    LOOP_PINGPONG), set, n);
	}
	if ((nn = l->qname->ns) == NULL)
		return;
	key[1] = l->qname;
	for (i = 0; i < nn->nzones; i++) {
		key[0] = nn->zones[i];
		if ((f = finding_get(e, ENG_K_NS_NAME_UNRESOLVABLE, key, NULL,
		    0)) != NULL && nsname_failed(f))
			explain(e, l, f, set, n);
	}
}

/* Count client lookup l's client for cause c: exact, then estimated. */
static void
impact_client(struct finding *c, const struct eng_lookup *l)
{
	struct eng_addr	 a;
	uint32_t	 h;
	uint8_t		 i;

	if (!l->has_client)
		return;
	addr_from(&a, l->client_family, l->client);
	h = addr_hash(TABLE_HASH_INIT, &a);
	for (i = 0; i < c->nchash; i++)
		if (c->chash[i] == h)
			return;
	if (c->nchash < IMPACT_EXACT) {
		c->chash[c->nchash++] = h;
		c->f.impact.clients++;
	} else if (!(c->cbits[h / 64 % IMPACT_WORDS] & 1ULL << h % 64)) {
		/* Linear counting past the exact list: a lower bound. */
		c->cbits[h / 64 % IMPACT_WORDS] |= 1ULL << h % 64;
		c->f.impact.clients++;
	}
}

/* Client lookup l ended: what each cause its tree met broke. */
static void
impact_count(struct engine *e, struct lookup *l, const struct lcause *set,
    uint8_t n)
{
	struct finding	*c, *done[LOOKUP_CAUSES];
	uint8_t		 k, i, nd = 0;

	for (k = 0; k < n; k++) {
		if ((c = fref_get(&set[k].c)) == NULL || (!l->l.failed &&
		    !set[k].slowed))
			continue;
		if (c->cause != NULL)
			c = c->cause;	/* a linked one's goes to its cause */
		c->f.impact.queries_spent += set[k].queries;
		finding_changed(e, &c->f);
		for (i = 0; i < nd && done[i] != c; i++)
			continue;
		if (i < nd)
			continue;	/* the lookup counted once per cause */
		done[nd++] = c;
		if (l->l.failed)
			c->f.impact.lookups_failed++;
		else
			c->f.impact.lookups_slowed++;
		impact_client(c, &l->l);
	}
}

/*
 * Sub-lookup l ended after its client lookup root, whose impact is
 * counted already: the queries it spent go to the causes it met, and a
 * cause root's own chain had not met (or not slowed at) counts root now.
 */
static void
impact_late(struct engine *e, struct lookup *root, const struct lcause *own,
    uint8_t nown)
{
	struct lcause	 one;
	struct finding	*c;
	uint8_t		 k, i;
	int		 was;

	for (k = 0; k < nown; k++) {
		if ((c = fref_get(&own[k].c)) == NULL)
			continue;
		for (i = 0; i < root->nlc && fref_get(&root->lc[i].c) != c; i++)
			continue;
		was = i < root->nlc && (root->l.failed || root->lc[i].slowed);
		lc_add(root->lc, &root->nlc, c, own[k].queries, own[k].slowed);
		if (was) {
			c = c->cause != NULL ? c->cause : c;
			c->f.impact.queries_spent += own[k].queries;
			finding_changed(e, &c->f);
		} else if (root->l.failed || own[k].slowed) {
			one = own[k];
			one.slowed = 1;
			impact_count(e, root, &one, 1);
		}
	}
}

/*
 * Lookup l ended: the causes its chain met join its tree's; a failed one
 * explains its consequences; a client lookup counts the impact (and a
 * sub-lookup that ends after it adds to that).
 */
/*
 * A consequence raised after its lookup ended (a D6 loop waits for its
 * lookup to show it, R2.1): the lookup's own path explains it now.
 */
void
cause_lookup_late(struct engine *e, struct lookup *l)
{
	struct lcause	 own[LOOKUP_CAUSES];
	uint8_t		 n = 0;

	if (l == NULL || !l->l.done || !l->l.failed)
		return;
	path_causes(l, own, &n);
	if (l->l.parent == 0)
		name_causes(l->qname, own, &n);
	explain_lookup(e, l, own, n);
}

void
cause_lookup_end(struct engine *e, struct lookup *l)
{
	struct lookup	*root = lookup_root(l);
	struct lcause	 own[LOOKUP_CAUSES];
	struct lcause	*set = root != NULL ? root->lc : own;
	uint8_t		 nown = 0, *n = root != NULL ? &root->nlc : &nown;

	if (root != NULL && root != l && root->l.done) {
		path_causes(l, own, &nown);
		impact_late(e, root, own, nown);
	} else
		path_causes(l, set, n);
	if (l->l.parent == 0)
		name_causes(l->qname, set, n);
	if (l->l.failed)
		explain_lookup(e, l, set, *n);
	if (l->l.parent == 0)
		impact_count(e, l, set, *n);
}
