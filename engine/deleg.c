/*
 * deleg.c -- the delegation map (DETECTIONS.md P5) and the NS-dependency
 * cycle search (D5).
 *
 * Zones are learned from referrals (parent side: NS names, glue, who
 * referred) and from authoritative answers (child side: NS sets, servers
 * answering with AA=1, addresses of NS names).  The root is seeded from the
 * root hints file when there is one; the root and the hints are pinned and
 * never evicted.  Each zone caches its servers' addresses, rebuilt only
 * when its NS set or an address of one of its NS names changed, so "does
 * this server serve this zone" costs a short scan, not a walk of the map.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode/dns.h"
#include "engine/internal.h"
#include "util/addr.h"
#include "util/xmalloc.h"

#define HINTS_PATH	"/usr/share/dns/root.hints"
#define TARJAN_DEPTH	32	/* zones deep one cycle search goes */
#define CYCLE_BUDGET	1024	/* zones one cycle search visits */

struct tarjan {
	struct engine	*e;
	uint32_t	 epoch;
	int		 index;
	unsigned	 visits;
	struct zone	**stack;
	size_t		 sp, cap;
};

static void	name_zone_add(struct engine *, struct nsname *, struct ename *);
static void	zones_dirty(struct engine *, const struct nsname *);
static void	saddr_build(struct engine *, struct zone *);
static int	zns_escaped(struct engine *, const struct zns *);
static int	zns_escapes(struct engine *, const struct zone *,
		    const struct zns *);
static struct zone *zns_target(struct engine *, const struct zone *,
		    const struct zns *);
static void	tarjan_visit(struct tarjan *, struct zone *, int);
static void	cycle_report(struct engine *, struct zone **, size_t);
static void	hints_line(struct engine *, char *);

/* Free a zone and the references it holds. */
void
zone_free(struct engine *e, struct zone *z)
{
	uint8_t		 i;

	for (i = 0; i < z->nns; i++)
		name_put(e, z->ns[i].name);
	free(z->ns);
	name_puts(e, z->child_ns, z->nchild);
	free(z->child_ns);
	name_put(e, z->parent);
	z->name->zone = NULL;
	name_put(e, z->name);
	pool_put(&e->pl_zone, z);
}

/* Free an NS name's entry and its references. */
void
nsname_free(struct engine *e, struct nsname *nn)
{
	name_puts(e, nn->zones, nn->nzones);
	nn->name->ns = NULL;
	name_put(e, nn->name);
	pool_put(&e->pl_nsname, nn);
}

/* The zone entry for a name, or NULL; not touched, not held. */
struct zone *
deleg_zone_peek(const struct engine *e, const struct ename *name)
{
	(void)e;
	return name->zone;
}

/* The zone entry for a name, touched and held; made when create is set. */
struct zone *
deleg_zone(struct engine *e, struct ename *name, int create)
{
	struct zone	*z;

	if ((z = deleg_zone_peek(e, name)) != NULL) {
		table_touch(&e->zones, &z->node);
		hold(e, &e->zones, &z->node);
		return z;
	}
	if (!create)
		return NULL;
	z = pool_take(&e->pl_zone, sizeof(*z),
	    offsetof(struct zone, referrer));
	z->name = name_ref(name);
	name->zone = z;
	z->worst = ENG_SEV__MAX;
	z->saddr_dirty = 1;
	table_insert(&e->zones, &z->node, name_hash(name));
	if (name == e->root)	/* the root is never evicted */
		table_pin(&e->zones, &z->node);
	hold(e, &e->zones, &z->node);
	return z;
}

/* What is known of an NS name, or NULL; not touched, not held. */
struct nsname *
deleg_name_peek(const struct engine *e, const struct ename *name)
{
	(void)e;
	return name->ns;
}

/* What is known of an NS name, touched and held; made when create is set. */
struct nsname *
deleg_name(struct engine *e, struct ename *name, int create)
{
	struct nsname	*ns;

	if ((ns = deleg_name_peek(e, name)) != NULL) {
		table_touch(&e->nsnames, &ns->node);
		hold(e, &e->nsnames, &ns->node);
		return ns;
	}
	if (!create)
		return NULL;
	ns = pool_take(&e->pl_nsname, sizeof(*ns),
	    offsetof(struct nsname, zones));
	ns->name = name_ref(name);
	name->ns = ns;
	table_insert(&e->nsnames, &ns->node, name_hash(name));
	hold(e, &e->nsnames, &ns->node);
	return ns;
}

/* Remember that zone z lists NS name nn (a few zones per name). */
static void
name_zone_add(struct engine *e, struct nsname *nn, struct ename *z)
{
	name_list_push(e, nn->zones, &nn->nzones, NAME_ZONES, z);
}

/* An address of nn changed: the zones listing it rebuild their servers. */
static void
zones_dirty(struct engine *e, const struct nsname *nn)
{
	struct zone	*z;
	uint8_t		 i;

	for (i = 0; i < nn->nzones; i++)
		if ((z = deleg_zone_peek(e, nn->zones[i])) != NULL) {
			z->saddr_dirty = 1;
			deleg_mark(e, z);
		}
}

/* Does the name have any address, as glue or from an AA answer? */
int
deleg_name_has_addr(const struct nsname *ns)
{
	return ns != NULL && (ns->nglue > 0 || ns->nauth > 0);
}

/* Add an address to a small set unless present or full. */
void
deleg_add_addr(struct eng_addr *set, uint8_t *n, const struct eng_addr *a)
{
	uint8_t	 i;

	for (i = 0; i < *n; i++)
		if (addr_eq(&set[i], a))
			return;
	if (*n < ADDRS_MAX)
		set[(*n)++] = *a;
}

/* Append a to set[0..n) unless present; returns the new count. */
static uint8_t
add_unique(struct eng_addr *set, uint8_t n, const struct eng_addr *a)
{
	uint8_t	 i;

	for (i = 0; i < n; i++)
		if (addr_eq(&set[i], a))
			return n;
	set[n] = *a;
	return (uint8_t)(n + 1);
}

/* Add an address to an NS name's glue or authoritative set. */
static void
name_add_addr(struct engine *e, struct nsname *nn, int glue,
    const struct eng_addr *a)
{
	uint8_t		 before = glue ? nn->nglue : nn->nauth;

	deleg_add_addr(glue ? nn->glue : nn->auth, glue ? &nn->nglue :
	    &nn->nauth, a);
	if ((glue ? nn->nglue : nn->nauth) != before)
		zones_dirty(e, nn);
}

/*
 * One bit of a zone's 64-bit address filter: a cheap mix of the address's
 * last four bytes (where IPv4 addresses and most IPv6 servers differ).
 */
static uint64_t
addr_bit(const struct eng_addr *a)
{
	uint32_t	 x;

	memcpy(&x, a->b + (a->family == 4 ? 0 : 12), sizeof(x));
	x = (x ^ a->family) * 0x9e3779b1u;
	return (uint64_t)1 << (x >> 26);
}

/* Append a to the zone's servers unless present (the filter says most). */
static void
saddr_add(struct zone *z, uint8_t *n, const struct eng_addr *a)
{
	uint64_t	 bit = addr_bit(a);

	if ((z->smask & bit) != 0 && add_unique(z->saddr, *n, a) == *n)
		return;
	z->saddr[(*n)++] = *a;
	z->smask |= bit;
}

/*
 * Rebuild a zone's server addresses: AA answerers, then the glue and
 * authoritative addresses of its NS names.
 */
static void
saddr_build(struct engine *e, struct zone *z)
{
	struct nsname	*nn;
	uint8_t		 n = 0, i, k;

	z->smask = 0;
	for (i = 0; i < z->nauth && n < ZONE_SADDR_MAX; i++)
		saddr_add(z, &n, &z->auth[i]);
	for (i = 0; i < z->nns; i++) {
		if ((nn = deleg_name_peek(e, z->ns[i].name)) == NULL)
			continue;
		for (k = 0; k < nn->nglue && n < ZONE_SADDR_MAX; k++)
			saddr_add(z, &n, &nn->glue[k]);
		for (k = 0; k < nn->nauth && n < ZONE_SADDR_MAX; k++)
			saddr_add(z, &n, &nn->auth[k]);
	}
	z->nsaddr = n;
	z->saddr_dirty = 0;
}

/* The zone's server addresses (rebuilt first if stale). */
unsigned
deleg_zone_addrs(struct engine *e, struct zone *z, const struct eng_addr **out)
{
	if (z->saddr_dirty)
		saddr_build(e, z);
	*out = z->saddr;
	return z->nsaddr;
}

/*
 * Is S one of the zone's servers (an NS address or an AA answerer)?  Most
 * zones asked about do not have S: the filter turns nearly all of them
 * away without reading the addresses.
 */
int
deleg_serves(struct engine *e, struct zone *z, const struct eng_addr *s)
{
	const struct eng_addr *a;
	unsigned	 n, i;

	n = deleg_zone_addrs(e, z, &a);
	if ((z->smask & addr_bit(s)) == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (addr_eq(&a[i], s))
			return 1;
	return 0;
}

/* The queried zone: the deepest known zone above q that S serves (P5). */
struct zone *
deleg_queried_zone(struct engine *e, struct ename *q, const struct eng_addr *s)
{
	struct zone	*z;

	for (; q != NULL; q = name_parent(e, q)) {
		if ((z = q->zone) == NULL || !deleg_serves(e, z, s))
			continue;
		table_touch(&e->zones, &z->node);
		hold(e, &e->zones, &z->node);
		return z;
	}
	return NULL;
}

/* The deepest known delegated zone that contains name n; not held. */
struct zone *
deleg_zone_of(struct engine *e, struct ename *name)
{
	for (; name != NULL; name = name_parent(e, name))
		if (name->zone != NULL && name->zone->nns > 0)
			return name->zone;
	return NULL;
}

/*
 * The child of zone parent on the way down to name q: the zone below parent
 * known to be delegated from it, else the name one label below parent.
 * NULL when q is not below parent.  Not held: q keeps its ancestors.
 */
struct ename *
deleg_child_toward(struct engine *e, struct ename *parent, struct ename *q)
{
	struct ename	*n, *below = NULL, *known = NULL;

	for (n = q; n != NULL && n != parent; n = name_parent(e, n)) {
		if (known == NULL && n->zone != NULL &&
		    n->zone->parent == parent)
			known = n;
		below = n;
	}
	if (n == NULL)
		return NULL;
	return known != NULL ? known : below;
}

/* The parent-side NS set of a referral for child c, glue flags kept. */
static uint8_t
referral_ns(struct engine *e, const struct zone *c, const struct ename *parent,
    const struct dns_msg *m, struct zns *ns)
{
	const struct dns_rr	*rr;
	uint8_t			 n = 0, i;
	uint16_t		 k;

	for (k = 0; k < m->nrr && n < ENG_ZONE_NS_MAX; k++) {
		rr = &m->rr[k];
		if (rr->type != DNS_T_NS || rr->rdstatus != DNS_OK ||
		    (rr->section != DNS_SEC_NS && rr->section != DNS_SEC_AN) ||
		    !dns_name_equal(&rr->owner, &c->name->n))
			continue;
		/* A referral mostly repeats the set known: no interning then. */
		ns[n].name = n < c->nns && dns_name_equal(&rr->rd.name,
		    &c->ns[n].name->n) ? name_ref(c->ns[n].name) :
		    name_get(e, &rr->rd.name);
		for (i = 0; i < n; i++)
			if (ns[i].name == ns[n].name)
				break;
		if (i < n) {	/* listed twice */
			name_put(e, ns[n].name);
			continue;
		}
		ns[n].in_domain = name_is_sub(ns[n].name, c->name);
		ns[n].sibling = !ns[n].in_domain && parent != NULL &&
		    name_is_sub(ns[n].name, parent);
		for (i = 0; i < c->nns; i++)	/* glue stays learned */
			if (c->ns[i].name == ns[n].name)
				ns[n].glue = c->ns[i].glue;
		n++;
	}
	return n;
}

/* Glue of a referral: addresses for its NS names in the additional section. */
static void
referral_glue(struct engine *e, const struct dns_msg *m, struct zns *ns,
    uint8_t n)
{
	const struct dns_rr	*rr;
	struct eng_addr		 a;
	uint8_t			 i;
	uint16_t		 k;

	for (k = 0; k < m->nrr; k++) {
		rr = &m->rr[k];
		if (rr->section != DNS_SEC_AR || rr->rdstatus != DNS_OK ||
		    (rr->type != DNS_T_A && rr->type != DNS_T_AAAA))
			continue;
		for (i = 0; i < n; i++) {
			if (!dns_name_equal(&rr->owner, &ns[i].name->n))
				continue;
			ns[i].glue = 1;
			addr_from(&a, rr->type == DNS_T_A ? 4 : 6,
			    rr->type == DNS_T_A ? rr->rd.a : rr->rd.aaaa);
			name_add_addr(e, deleg_name(e, ns[i].name, 1), 1, &a);
		}
	}
}

/* Is the new NS set the one the zone already has? */
static int
same_ns(const struct zone *c, const struct zns *ns, uint8_t n)
{
	uint8_t	 i;

	if (c->nns != n)
		return 0;
	for (i = 0; i < n; i++)
		if (c->ns[i].name != ns[i].name)
			return 0;
	return 1;
}

/* Record the parent side of a delegation from one referral. */
void
deleg_learn_referral(struct engine *e, struct zone *c, struct ename *parent,
    const struct dns_msg *m, const struct eng_addr *server, uint64_t ts)
{
	struct zns	 ns[ENG_ZONE_NS_MAX];
	uint8_t		 n, i;
	int		 changed;

	memset(ns, 0, sizeof(ns));
	n = referral_ns(e, c, parent, m, ns);
	referral_glue(e, m, ns, n);
	for (i = 0; i < n; i++)
		name_zone_add(e, deleg_name(e, ns[i].name, 1), c->name);
	if ((changed = !same_ns(c, ns, n))) {
		/* A new NS set: its servers and its cycles are looked at again. */
		for (i = 0; i < c->nns; i++)
			name_put(e, c->ns[i].name);
		free(c->ns);
		c->ns = xreallocarray(NULL, n ? n : 1, sizeof(*c->ns));
		memcpy(c->ns, ns, n * sizeof(*ns));
		c->nns = n;
		c->refsize = 0;
		c->saddr_dirty = 1;
	} else {
		/* The set known, repeated (most referrals): glue may be new. */
		for (i = 0; i < n; i++) {
			changed |= c->ns[i].glue != ns[i].glue;
			c->ns[i] = ns[i];
			name_put(e, ns[i].name);
		}
	}
	if (parent != NULL && c->parent != parent) {
		name_put(e, c->parent);
		c->parent = name_ref(parent);
		c->refsize = 0;		/* siblings are the new parent's */
	}
	for (i = 0; i < c->nreferrer; i++)
		if (addr_eq(&c->referrer[i], server))
			break;
	if (i == c->nreferrer && c->nreferrer < ZONE_REFERRERS)
		c->referrer[c->nreferrer++] = *server;
	c->referrals++;
	if (c->first_ns == 0)
		c->first_ns = ts;
	c->last_ns = ts;
	/* A cycle's zone referred again: its finding counts it (R2.1). */
	if (changed || c->in_cycle)
		deleg_mark(e, c);
}

/* Child side: an AA NS RRset for zone z. */
static void
learn_child_ns(struct engine *e, struct zone *z, const struct dns_msg *m)
{
	const struct dns_rr	*rr;
	struct ename		*tmp[ENG_ZONE_NS_MAX], **cn;
	uint8_t			 n = 0, k;
	uint16_t		 r;

	cn = tmp;
	for (r = 0; r < m->nrr && n < ENG_ZONE_NS_MAX; r++) {
		rr = &m->rr[r];
		if (rr->type != DNS_T_NS || rr->rdstatus != DNS_OK ||
		    rr->section == DNS_SEC_AR ||
		    !dns_name_equal(&rr->owner, &z->name->n))
			continue;
		/* Mostly the set known: no interning then. */
		if (n < z->nchild && dns_name_equal(&rr->rd.name,
		    &z->child_ns[n]->n))
			cn[n] = name_ref(z->child_ns[n]);
		else
			cn[n] = name_get(e, &rr->rd.name);
		n++;
	}
	if (n == z->nchild && z->child_ns != NULL &&
	    memcmp(cn, z->child_ns, n * sizeof(*cn)) == 0) {
		/* The set known, repeated (most AA answers): kept. */
		name_puts(e, cn, n);
		cn = z->child_ns;
	} else {
		name_puts(e, z->child_ns, z->nchild);
		free(z->child_ns);
		z->child_ns = xreallocarray(NULL, n ? n : 1, sizeof(*cn));
		memcpy(z->child_ns, tmp, n * sizeof(*cn));
		z->nchild = n;
		cn = z->child_ns;
	}
	if (z->nns == 0 && n > 0) {
		/* Known only from the child (priming, warm cache). */
		free(z->ns);
		z->ns = xcalloc(n, sizeof(*z->ns));
		for (k = 0; k < n; k++) {
			z->ns[k].name = name_ref(cn[k]);
			z->ns[k].in_domain = name_is_sub(cn[k], z->name);
			name_zone_add(e, deleg_name(e, cn[k], 1), z->name);
		}
		z->nns = n;
		z->refsize = 0;
		z->saddr_dirty = 1;
	}
	deleg_mark(e, z);
}

/* An AA record naming a zone (SOA, or NS above the question): note it. */
static void
learn_auth_zone(struct engine *e, const struct dns_msg *m, uint16_t k,
    const struct eng_addr *server, uint64_t ts)
{
	const struct dns_rr	*rr = &m->rr[k];
	struct ename		*owner = name_get(e, &rr->owner);
	struct zone		*z = deleg_zone(e, owner, 1);
	uint8_t			 before = z->nauth;

	name_put(e, owner);
	deleg_add_addr(z->auth, &z->nauth, server);
	if (z->nauth != before)
		z->saddr_dirty = 1;
	if (z->first_ns == 0)
		z->first_ns = ts;
	z->last_ns = ts;
	if (rr->type == DNS_T_NS && (k == 0 || m->rr[k - 1].type != DNS_T_NS ||
	    !dns_name_equal(&m->rr[k - 1].owner, &rr->owner)))
		learn_child_ns(e, z, m);
}

/* Learn from an AA=1 response: zone servers, NS sets, addresses. */
void
deleg_learn_auth(struct engine *e, const struct dns_msg *m, struct ename *q,
    const struct eng_addr *server, uint64_t ts)
{
	const struct dns_rr	*rr;
	struct ename		*owner;
	struct nsname		*nn;
	struct eng_addr		 a;
	uint16_t		 k;

	for (k = 0; k < m->nrr; k++) {
		rr = &m->rr[k];
		if (rr->rdstatus != DNS_OK)
			continue;
		if ((rr->type == DNS_T_SOA && rr->section != DNS_SEC_AR) ||
		    (rr->type == DNS_T_NS && rr->section != DNS_SEC_AR &&
		    dns_name_is_sub(&m->qd[0].qname, &rr->owner))) {
			learn_auth_zone(e, m, k, server, ts);
			continue;
		}
		if (rr->type != DNS_T_A && rr->type != DNS_T_AAAA)
			continue;
		/* Mostly the question's own name, already interned. */
		owner = dns_name_equal(&rr->owner, &q->n) ? q :
		    name_find(e, &rr->owner);
		if (owner == NULL || (nn = deleg_name(e, owner, 0)) == NULL)
			continue;
		addr_from(&a, rr->type == DNS_T_A ? 4 : 6,
		    rr->type == DNS_T_A ? rr->rd.a : rr->rd.aaaa);
		name_add_addr(e, nn, 0, &a);
	}
}

/* One root hint: an NS name of the root; pinned for good. */
static void
hint_ns(struct engine *e, const struct dns_name *target)
{
	struct zone	*z = deleg_zone(e, e->root, 1);
	struct ename	*t;
	struct nsname	*nn;

	if (z->nns >= ENG_ZONE_NS_MAX)
		return;
	t = name_get(e, target);
	z->ns = xreallocarray(z->ns, z->nns + 1u, sizeof(*z->ns));
	memset(&z->ns[z->nns], 0, sizeof(z->ns[0]));
	z->ns[z->nns].name = t;
	z->ns[z->nns++].glue = 1;
	z->refsize = 0;
	z->saddr_dirty = 1;
	nn = deleg_name(e, t, 1);
	if (nn->node.pins == 1)
		table_pin(&e->nsnames, &nn->node);
	name_zone_add(e, nn, z->name);
}

/* One line of a root hints file: ". NS a.root-servers.net." or an A. */
static void
hints_line(struct engine *e, char *line)
{
	char		*f[5], *save = NULL, *t;
	struct dns_name	 owner, target;
	struct ename	*on;
	struct nsname	*nn;
	struct eng_addr	 a;
	int		 n = 0;

	for (t = strtok_r(line, " \t\r\n", &save); t != NULL && n < 5;
	    t = strtok_r(NULL, " \t\r\n", &save))
		f[n++] = t;
	if (n < 4 || f[0][0] == ';' || dns_name_from_str(f[0], &owner) != 0)
		return;
	if (strcasecmp(f[n - 2], "NS") == 0 && owner.len == 1 &&
	    dns_name_from_str(f[n - 1], &target) == 0)
		hint_ns(e, &target);
	else if ((strcasecmp(f[n - 2], "A") == 0 ||
	    strcasecmp(f[n - 2], "AAAA") == 0) &&
	    addr_parse(f[n - 1], &a.family, a.b) == 0) {
		on = name_get(e, &owner);
		nn = deleg_name(e, on, 1);
		name_put(e, on);
		if (nn->node.pins == 1)
			table_pin(&e->nsnames, &nn->node);
		name_add_addr(e, nn, 1, &a);
	}
}

/* Seed the root from a hints file; quietly nothing if there is none. */
void
deleg_load_hints(struct engine *e, const char *path)
{
	FILE	*fp;
	char	 line[512];

	if (path == NULL || *path == '\0')
		path = HINTS_PATH;
	if (strcmp(path, "-") == 0 || (fp = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), fp) != NULL)
		hints_line(e, line);
	fclose(fp);
}

/* Escapes(C) membership: glue seen in a referral, or an address known. */
static int
zns_escaped(struct engine *e, const struct zns *ns)
{
	return ns->glue || deleg_name_has_addr(deleg_name_peek(e, ns->name));
}

/*
 * Does NS name ns of zone z not make z depend on its zone (D5)?  R2.1:
 * only when the referral for z gave it glue a resolver keeps (for a name
 * in the zone or below its parent; out-of-bailiwick names never have
 * glue), whatever is learned of the name later.  A zone known only from
 * its own servers (no referral seen) has no such glue to go by: any
 * address known for the name counts.
 */
static int
zns_escapes(struct engine *e, const struct zone *z, const struct zns *ns)
{
	if (z->referrals == 0)
		return zns_escaped(e, ns);
	return ns->glue && (ns->in_domain || ns->sibling);
}

/* The zone an NS name of z makes it depend on, or NULL. */
static struct zone *
zns_target(struct engine *e, const struct zone *z, const struct zns *ns)
{
	struct zone	*t;

	if (zns_escapes(e, z, ns))
		return NULL;
	t = deleg_zone_of(e, ns->name);
	return t == z ? NULL : t;
}

/* Tarjan's strongly connected components, from zone v. */
static void
tarjan_visit(struct tarjan *tj, struct zone *v, int depth)
{
	struct zone	*w;
	size_t		 start;
	uint8_t		 i;

	v->epoch = tj->epoch;
	v->idx = v->low = ++tj->index;
	if (tj->sp == tj->cap) {
		tj->cap = tj->cap ? tj->cap * 2 : 64;
		tj->stack = xreallocarray(tj->stack, tj->cap,
		    sizeof(*tj->stack));
	}
	tj->stack[tj->sp++] = v;
	v->onstack = 1;
	tj->visits++;
	for (i = 0; i < v->nns && depth < TARJAN_DEPTH; i++) {
		if ((w = zns_target(tj->e, v, &v->ns[i])) == NULL)
			continue;
		if (w->epoch != tj->epoch) {
			if (tj->visits >= CYCLE_BUDGET)
				continue;	/* bounded: the rest next time */
			tarjan_visit(tj, w, depth + 1);
			v->low = w->low < v->low ? w->low : v->low;
		} else if (w->onstack)
			v->low = w->idx < v->low ? w->idx : v->low;
	}
	if (v->low != v->idx)
		return;
	start = tj->sp;
	do
		tj->stack[--start]->onstack = 0;
	while (tj->stack[start] != v);
	if (tj->sp - start > 1)
		cycle_report(tj->e, tj->stack + start, tj->sp - start);
	tj->sp = start;
}

/* Is zone z one of the k zones in set? */
static int
in_set(struct zone *const *set, size_t k, const struct zone *z)
{
	size_t	 i;

	for (i = 0; i < k; i++)
		if (set[i] == z)
			return 1;
	return 0;
}

/* Canonical order of two names' presentation forms (for a stable start). */
static int
name_before(const struct ename *a, const struct ename *b)
{
	char	 x[DNS_NAME_STRMAX], y[DNS_NAME_STRMAX];

	dns_name_to_str(&a->n, x, sizeof(x));
	dns_name_to_str(&b->n, y, sizeof(y));
	return strcmp(x, y) < 0;
}

/* Does some NS name of the component escape it (glue, or outside)? */
static int
cycle_partial(struct engine *e, struct zone **k, size_t nk)
{
	size_t	 i;
	uint8_t	 j;

	for (i = 0; i < nk; i++)
		for (j = 0; j < k[i]->nns; j++)
			if (zns_escapes(e, k[i], &k[i]->ns[j]) ||
			    !in_set(k, nk, deleg_zone_of(e, k[i]->ns[j].name)))
				return 1;
	return 0;
}

/* Raise circular_delegation for one strongly connected component. */
static void
cycle_report(struct engine *e, struct zone **k, size_t nk)
{
	struct eng_finding	*f;
	struct ename		*cycle[ENG_FNAMES_MAX / 2];
	struct ename		*nsl[ENG_FNAMES_MAX / 2];
	struct ename		*key[3] = { NULL, NULL, NULL };
	struct zone		*cur, *next;
	size_t			 i, nc = 0, nn = 0, steps;
	uint64_t		 h = 0;
	uint8_t			 j;
	int			 partial = cycle_partial(e, k, nk);

	/* Start at the smallest name so the identity is stable. */
	cur = k[0];
	for (i = 1; i < nk; i++)
		if (name_before(k[i]->name, cur->name))
			cur = k[i];
	for (steps = 0; steps < nk && nc < ENG_FNAMES_MAX / 2; steps++) {
		cycle[nc++] = cur->name;
		next = NULL;
		for (j = 0; j < cur->nns && next == NULL; j++) {
			next = zns_target(e, cur, &cur->ns[j]);
			if (next != NULL && !in_set(k, nk, next))
				next = NULL;
			if (next != NULL && nn < ENG_FNAMES_MAX / 2)
				nsl[nn++] = cur->ns[j].name;
		}
		if (next == NULL)
			break;
		cur = next;
	}
	for (i = 0; i < nc; i++)
		h = h * 31 + table_hash(0, &cycle[i], sizeof(cycle[i]));
	key[0] = cycle[0];
	f = finding_raise(e, ENG_K_CIRCULAR_DELEGATION, partial ?
	    ENG_SEV_WARNING : ENG_SEV_CRITICAL, key, NULL, h, k[0]->last_ns,
	    k[0]->last_frame, k[0]->last_lookup);
	for (i = 1; i < nk; i++)
		finding_raise(e, ENG_K_CIRCULAR_DELEGATION, (enum eng_sev)f->sev,
		    key, NULL, h, k[i]->last_ns, k[i]->last_frame,
		    k[i]->last_lookup);
	/* Its observations: the referrals seen for the cycle's zones. */
	for (f->count = 0, i = 0; i < nk; i++) {
		f->count += k[i]->referrals;
		k[i]->in_cycle = 1;
	}
	if (f->count == 0)
		f->count = 1;
	finding_names(e, f, ENG_F_CYCLE, cycle, (unsigned)nc);
	finding_names(e, f, ENG_F_NS, nsl, (unsigned)nn);
	finding_num(f, ENG_F_PARTIAL, (uint64_t)partial);
	for (i = 0; i < nk; i++)
		finding_referrers(f, k[i]);
}

/*
 * A zone's NS set, an escape of one of its NS names, or the zone itself is
 * new: the cycle search starts from it next time.  When the list is full
 * a bounded search runs at once to make room: never a walk of the map.
 */
void
deleg_mark(struct engine *e, struct zone *z)
{
	if (z->marked == e->cyc_epoch + 1)
		return;
	if (e->ncdirty == CDIRTY_MAX)
		deleg_cycles(e);
	z->marked = e->cyc_epoch + 1;
	e->cdirty[e->ncdirty++] = name_ref(z->name);
}

/*
 * Look for NS-dependency cycles (D5) from the zones marked since the last
 * search, oldest first: a new cycle goes through a changed zone, so the
 * search costs what changed, not the size of the map.  One search visits
 * at most CYCLE_BUDGET zones, TARJAN_DEPTH deep; the marks it does not
 * reach wait for the next.
 */
void
deleg_cycles(struct engine *e)
{
	struct tarjan	 tj;
	struct zone	*z;
	size_t		 i;

	memset(&tj, 0, sizeof(tj));
	tj.e = e;
	tj.epoch = ++e->cyc_epoch;
	for (i = 0; i < e->ncdirty && tj.visits < CYCLE_BUDGET; i++) {
		z = deleg_zone_peek(e, e->cdirty[i]);
		if (z != NULL && z->epoch != tj.epoch && z->nns > 0)
			tarjan_visit(&tj, z, 0);
		name_put(e, e->cdirty[i]);
	}
	memmove(e->cdirty, e->cdirty + i, (e->ncdirty - i) *
	    sizeof(e->cdirty[0]));
	e->ncdirty -= i;
	/* Those left are marked for the next search, not this one. */
	for (i = 0; i < e->ncdirty; i++)
		if ((z = deleg_zone_peek(e, e->cdirty[i])) != NULL)
			z->marked = e->cyc_epoch + 1;
	free(tj.stack);
}
