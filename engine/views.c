/*
 * views.c -- the engine's read-only state for the outputs: counters, the
 * findings sorted for a screen or a report, the findings changed since a
 * generation (for streaming), lookups, zones, servers and repeats.
 *
 * Sorted views are built only when an output asks and something changed
 * since the last build; the changed findings come from a list the engine
 * keeps in order of change, so streaming costs what changed, not the
 * table.  Nothing here formats text: names and addresses go out typed.
 *
 * With a scope (--zone, engine_conf.scope) every view shows only what is
 * at or below it: findings about such a zone or name, those zones, the
 * servers that serve one of them, lookups and repeats of such names.  The
 * engine's own work never goes through the views, so it still analyses
 * everything; counters stay whole.
 */
#include <stdlib.h>
#include <string.h>

#include "decode/dname.h"
#include "decode/dns.h"
#include "engine/internal.h"
#include "util/xmalloc.h"

static int	in_scope(const struct engine *, const struct dns_name *);
static int	finding_in_scope(const struct engine *,
		    const struct eng_finding *);
static int	finding_cmp(const void *, const void *);
static int	lookup_cmp(const void *, const void *);
static void	zone_view(struct engine *, struct zone *,
		    struct eng_zone_view *);
static int	server_shown(const struct engine *, const struct server *);

/* The engine's generation: it moves whenever its state changes. */
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

	e->c.lookups_active = e->lookups.count - e->lookups_done;
	e->c.findings = e->findings.count;
	e->c.evict_lookups = e->lookups.evictions;
	e->c.evict_zones = e->zones.evictions;
	e->c.evict_names = e->nsnames.evictions;
	e->c.evict_servers = e->servers.evictions;
	e->c.evict_findings = e->findings.evictions;
	e->c.evict_repeats = e->repeats.evictions;
	e->c.over_cap = e->pending.over_cap + e->servers.over_cap +
	    e->zones.over_cap + e->nsnames.over_cap + e->lookups.over_cap +
	    e->findings.over_cap + e->repeats.over_cap;
	return &e->c;
}

/* Whether a name is in the scope (everything is when there is none). */
static int
in_scope(const struct engine *e, const struct dns_name *n)
{
	return e->conf.scope == NULL || (n != NULL &&
	    dns_name_is_sub(n, e->conf.scope));
}

/*
 * A finding is in the scope when one of the names it is about (its zone,
 * query name, owner, cycle) is; one about no name at all (capture health)
 * concerns every zone and stays.
 */
static int
finding_in_scope(const struct engine *e, const struct eng_finding *f)
{
	const struct eng_field	*fl;
	unsigned		 k, i;
	int			 named = 0;

	if (e->conf.scope == NULL)
		return 1;
	for (k = 0; k < f->nfields && k < ENG_FIELDS_MAX; k++) {
		fl = &f->fields[k];
		if (fl->key != ENG_F_ZONE && fl->key != ENG_F_QNAME &&
		    fl->key != ENG_F_QNAMES && fl->key != ENG_F_OWNER &&
		    fl->key != ENG_F_CYCLE)
			continue;
		for (i = 0; i < fl->n && fl->off + i < f->nnames &&
		    fl->off + i < ENG_FNAMES_MAX; i++) {
			named = 1;
			if (in_scope(e, f->names[fl->off + i]))
				return 1;
		}
	}
	return !named;
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

/* All findings, most severe first (sorted when asked after a change). */
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
			if (finding_in_scope(e, &((struct finding *)n)->f))
				e->fview[i++] = &((struct finding *)n)->f;
		qsort(e->fview, i, sizeof(*e->fview), finding_cmp);
		e->fview_n = i;
		e->fview_gen = e->gen;
	}
	*out = e->fview;
	return e->fview_n;
}

/*
 * Findings changed after generation gen, in the order they changed: walked
 * back from the newest change, so the cost is what changed.
 */
size_t
engine_changed(const struct engine *ce, uint64_t gen,
    const struct eng_finding ***out)
{
	struct engine	*e = (struct engine *)ce;
	struct finding	*f;
	size_t		 k = 0, i, n;

	for (f = e->ctail; f != NULL && f->f.gen > gen; f = f->cprev)
		k++;
	if (e->cview_cap < k + 1) {
		e->cview_cap = k + 64;
		e->cview = xreallocarray(e->cview, e->cview_cap,
		    sizeof(*e->cview));
	}
	for (i = k, f = e->ctail; i > 0; f = f->cprev)
		e->cview[--i] = &f->f;
	if (e->conf.scope != NULL) {
		/* Keep the order of change, without what is out of scope. */
		for (n = 0, i = 0; i < k; i++)
			if (finding_in_scope(e, e->cview[i]))
				e->cview[n++] = e->cview[i];
		k = n;
	}
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
	struct eng_lookup *l;
	size_t		 i = 0;

	if (e->lview_gen != e->gen || e->lview == NULL) {
		if (e->lview_cap < e->lookups.count + 1) {
			e->lview_cap = e->lookups.count + 64;
			e->lview = xreallocarray(e->lview, e->lview_cap,
			    sizeof(*e->lview));
		}
		for (n = table_newest(&e->lookups); n != NULL;
		    n = table_older(&e->lookups, n)) {
			l = &((struct lookup *)n)->l;
			/* A sub-lookup for a zone in scope belongs to it. */
			if (in_scope(e, l->qname) || (e->conf.scope != NULL &&
			    l->for_zone != NULL && in_scope(e, l->for_zone)))
				e->lview[i++] = l;
		}
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

/* Copy addresses into a view's array. */
static unsigned
copy_addrs(struct eng_addr *dst, const struct eng_addr *src, unsigned n,
    unsigned max)
{
	n = n < max ? n : max;
	memcpy(dst, src, n * sizeof(*dst));
	return n;
}

/* One zone as the outputs see it. */
static void
zone_view(struct engine *e, struct zone *z, struct eng_zone_view *v)
{
	struct nsname	*nn;
	struct eng_zone_ns *o;
	size_t		 i;

	/* A view is large and read up to its counts: only those are set. */
	v->name = &z->name->n;
	v->parent = z->parent != NULL ? &z->parent->n : NULL;
	v->nns = z->nns < ENG_ZONE_NS_MAX ? z->nns : ENG_ZONE_NS_MAX;
	for (i = 0; i < v->nns; i++) {
		o = &v->ns[i];
		o->name = &z->ns[i].name->n;
		o->nglue = o->naddrs = 0;
		o->in_domain = z->ns[i].in_domain;
		o->glue_state = z->ns[i].glue ? ENG_GLUE_PRESENT :
		    (z->ns[i].in_domain || z->ns[i].sibling) ?
		    ENG_GLUE_MISSING : z->parent != NULL ?
		    ENG_GLUE_NOT_NEEDED : ENG_GLUE_UNKNOWN;
		if ((nn = deleg_name_peek(e, z->ns[i].name)) == NULL)
			continue;
		o->nglue = (uint8_t)copy_addrs(o->glue, nn->glue, nn->nglue,
		    ENG_ADDRS_MAX);
		o->naddrs = (uint8_t)copy_addrs(o->addrs, nn->auth, nn->nauth,
		    ENG_ADDRS_MAX);
	}
	v->nchild_ns = z->nchild < ENG_ZONE_NS_MAX ? z->nchild :
	    ENG_ZONE_NS_MAX;
	for (i = 0; i < v->nchild_ns; i++)
		v->child_ns[i] = &z->child_ns[i]->n;
	v->nreferrers = copy_addrs(v->referred_by, z->referrer, z->nreferrer,
	    4);
	v->nservers = copy_addrs(v->servers, z->auth, z->nauth,
	    ENG_ADDRS_MAX);
	v->referrals = z->referrals;
	v->last_ns = z->last_ns;
	v->worst = z->worst;
}

/* At most how many zones engine_zones() can give. */
size_t
engine_zones_max(const struct engine *e)
{
	return e->zones.count;
}

/* The delegation map for the outputs, most recently seen first. */
size_t
engine_zones(const struct engine *ce, struct eng_zone_view *v, size_t max)
{
	struct engine	*e = (struct engine *)ce;
	struct tnode	*n;
	struct zone	*z;
	size_t		 k = 0;

	for (n = table_newest(&e->zones); n != NULL && k < max;
	    n = table_older(&e->zones, n)) {
		z = (struct zone *)n;
		if (z->nns > 0 && in_scope(e, &z->name->n))
			zone_view(e, z, &v[k++]);
	}
	return k;
}

/* Every zone of the map, one view at a time (no array of them). */
size_t
engine_each_zone(const struct engine *ce,
    void (*fn)(void *, const struct eng_zone_view *), void *arg)
{
	struct engine		*e = (struct engine *)ce;
	struct eng_zone_view	*v = xmalloc(sizeof(*v));
	struct tnode		*n;
	struct zone		*z;
	size_t			 k = 0;

	for (n = table_newest(&e->zones); n != NULL;
	    n = table_older(&e->zones, n)) {
		z = (struct zone *)n;
		if (z->nns > 0 && in_scope(e, &z->name->n)) {
			zone_view(e, z, v);
			fn(arg, v);
			k++;
		}
	}
	free(v);
	return k;
}

/* One server as the outputs see it. */
static void
server_view(const struct server *s, struct eng_server_view *v)
{
	uint8_t		 i;

	memset(v, 0, sizeof(*v));
	v->family = s->a.family;
	memcpy(v->addr, s->a.b, 16);
	v->queries = s->queries;
	v->responses = s->responses;
	v->timeouts = s->timeouts;
	v->lame = s->lame;
	v->tcp_queries = s->tcp_queries;
	v->rtt_count = s->rtt_count;
	v->rtt_sum_us = s->rtt_sum;
	v->rtt_min_us = s->rtt_count ? s->rtt_min : 0;
	v->rtt_max_us = s->rtt_max;
	v->is_resolver = s->is_resolver;
	v->worst = s->worst;
	v->last_ede = s->last_ede;
	for (i = 0; i < s->nzones && s->queries; i++)
		v->zones[v->nzones++] = &s->zones[i]->n;
}

/* One zone by name; -1 when the map does not have it. */
int
engine_zone(const struct engine *ce, const struct dns_name *name,
    struct eng_zone_view *v)
{
	struct engine	*e = (struct engine *)ce;
	struct ename	*n = name_find(e, name);
	struct zone	*z;

	if (n == NULL || (z = deleg_zone_peek(e, n)) == NULL || z->nns == 0)
		return -1;
	zone_view(e, z, v);
	return 0;
}

/* One server by address; -1 when it is not kept. */
int
engine_server(const struct engine *ce, const struct eng_addr *a,
    struct eng_server_view *v)
{
	struct server	*s = server_peek(ce, a);

	if (s == NULL)
		return -1;
	server_view(s, v);
	return 0;
}

/* Servers seen, most recently active first. */
/* A server the views show: one that did DNS, in the scope. */
static int
server_shown(const struct engine *ce, const struct server *s)
{
	unsigned	 i;

	if (s->queries == 0 && s->responses == 0 && !s->is_resolver)
		return 0;
	if (ce->conf.scope == NULL)
		return 1;
	/* In scope: it serves a zone at or below the scope. */
	for (i = 0; i < s->nzones; i++)
		if (in_scope(ce, &s->zones[i]->n))
			return 1;
	return 0;
}

size_t
engine_servers(const struct engine *ce, struct eng_server_view *v,
    size_t max)
{
	struct tnode	*n;
	struct server	*s;
	size_t		 k = 0;

	for (n = table_newest(&ce->servers); n != NULL && k < max;
	    n = table_older(&ce->servers, n)) {
		s = (struct server *)n;
		if (server_shown(ce, s))
			server_view(s, &v[k++]);
	}
	return k;
}

/* Every server the views show, one view at a time. */
size_t
engine_each_server(const struct engine *ce,
    void (*fn)(void *, const struct eng_server_view *), void *arg)
{
	struct eng_server_view	 v;
	struct tnode		*n;
	size_t			 k = 0;

	for (n = table_newest(&ce->servers); n != NULL;
	    n = table_older(&ce->servers, n))
		if (server_shown(ce, (struct server *)n)) {
			server_view((struct server *)n, &v);
			fn(arg, &v);
			k++;
		}
	return k;
}

/* Repeated queries, most repeated first, then the last asked (top max). */
size_t
engine_repeats(const struct engine *ce, struct eng_repeat_view *v,
    size_t max)
{
	struct tnode	*n;
	struct repeat	*r;
	size_t		 k = 0, i, j;
	struct eng_repeat_view tmp;

	for (n = table_newest(&ce->repeats); n != NULL && max > 0;
	    n = table_older(&ce->repeats, n)) {
		r = (struct repeat *)n;
		if (r->total < 2 || !in_scope(ce, &r->qname->n))
			continue;
		memset(&tmp, 0, sizeof(tmp));
		tmp.qname = &r->qname->n;
		tmp.qtype = r->qtype;
		tmp.family = r->resolver.family;
		memcpy(tmp.resolver, r->resolver.b, 16);
		tmp.count = r->count;
		tmp.total = r->total;
		tmp.last_ns = r->last_ts;
		for (i = 0; i < k && (v[i].total > tmp.total ||
		    (v[i].total == tmp.total && v[i].last_ns >= tmp.last_ns));
		    i++)
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
