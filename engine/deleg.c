/*
 * deleg.c -- the delegation map (DETECTIONS.md P5) and the NS-dependency
 * cycle search (D5).
 *
 * Zones are learned from referrals (parent side: NS names, glue, who
 * referred) and from authoritative answers (child side: NS sets, servers
 * answering with AA=1, addresses of NS names).  The root is seeded from the
 * root hints file when there is one.
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
#define TARJAN_DEPTH	512

struct tarjan {
	struct engine	*e;
	int		 index;
	struct zone	**stack;
	size_t		 sp, cap;
};

static int	zns_escaped(struct engine *, const struct zns *);
static struct zone *zns_target(struct engine *, const struct zone *,
		    const struct zns *);
static void	tarjan_visit(struct tarjan *, struct zone *, int);
static void	cycle_report(struct engine *, struct zone **, size_t);
static void	hints_line(struct engine *, char *);

/* Free a zone and its arrays. */
void
zone_free(struct zone *z)
{
	free(z->ns);
	free(z->child_ns);
	free(z);
}

/* The zone entry for a name; created empty when create is set. */
struct zone *
deleg_zone(struct engine *e, const struct dns_name *name, int create)
{
	struct tnode	*n = NULL;
	struct zone	*z;
	uint32_t	 h = dns_name_hash(name);

	while ((n = table_next(&e->zones, h, n)) != NULL) {
		z = (struct zone *)n;
		if (dns_name_equal(&z->name, name))
			return z;
	}
	if (!create)
		return NULL;
	z = xcalloc(1, sizeof(*z));
	z->name = *name;
	dns_name_lower(&z->name);
	table_insert(&e->zones, &z->node, h);
	return z;
}

/* What is known of an NS name; created empty when create is set. */
struct nsname *
deleg_name(struct engine *e, const struct dns_name *name, int create)
{
	struct tnode	*n = NULL;
	struct nsname	*ns;
	uint32_t	 h = dns_name_hash(name);

	while ((n = table_next(&e->names, h, n)) != NULL) {
		ns = (struct nsname *)n;
		if (dns_name_equal(&ns->name, name))
			return ns;
	}
	if (!create)
		return NULL;
	ns = xcalloc(1, sizeof(*ns));
	ns->name = *name;
	dns_name_lower(&ns->name);
	table_insert(&e->names, &ns->node, h);
	return ns;
}

/* Does the name have any address, as glue or from an AA answer? */
int
deleg_name_has_addr(const struct nsname *ns)
{
	return ns != NULL && (ns->nglue > 0 || ns->nauth > 0);
}

/* Add an address to a small set unless present or full. */
void
deleg_add_addr(struct addr *set, uint8_t *n, const struct addr *a)
{
	uint8_t	 i;

	for (i = 0; i < *n; i++)
		if (addr_eq(&set[i], a))
			return;
	if (*n < ADDRS_MAX)
		set[(*n)++] = *a;
}

/* Is S one of the zone's servers (an NS address or an AA answerer)? */
int
deleg_serves(struct engine *e, const struct zone *z, const struct addr *s)
{
	struct nsname	*ns;
	uint8_t		 i, k;

	for (i = 0; i < z->nauth; i++)
		if (addr_eq(&z->auth[i], s))
			return 1;
	for (i = 0; i < z->nns; i++) {
		if ((ns = deleg_name(e, &z->ns[i].name, 0)) == NULL)
			continue;
		for (k = 0; k < ns->nglue; k++)
			if (addr_eq(&ns->glue[k], s))
				return 1;
		for (k = 0; k < ns->nauth; k++)
			if (addr_eq(&ns->auth[k], s))
				return 1;
	}
	return 0;
}

/* The queried zone: the deepest known zone above q that S serves (P5). */
struct zone *
deleg_queried_zone(struct engine *e, const struct dns_name *q,
    const struct addr *s)
{
	struct dns_name	 cur;
	struct zone	*z;
	int		 n;

	for (n = q->nlabels; n >= 0; n--) {
		dns_name_suffix(q, (unsigned)n, &cur);
		if ((z = deleg_zone(e, &cur, 0)) != NULL &&
		    deleg_serves(e, z, s))
			return z;
	}
	return NULL;
}

/* The deepest known zone that contains name n. */
struct zone *
deleg_zone_of(struct engine *e, const struct dns_name *n)
{
	struct dns_name	 cur;
	struct zone	*z;
	int		 k;

	for (k = n->nlabels; k >= 0; k--) {
		dns_name_suffix(n, (unsigned)k, &cur);
		if ((z = deleg_zone(e, &cur, 0)) != NULL && z->nns > 0)
			return z;
	}
	return NULL;
}

/* Record the parent side of a delegation from one referral. */
void
deleg_learn_referral(struct engine *e, struct zone *c,
    const struct dns_name *parent, const struct dns_msg *m,
    const struct addr *server, uint64_t ts)
{
	const struct dns_rr	*rr;
	struct zns		*ns;
	struct nsname		*nn;
	struct addr		 a;
	uint8_t			 n = 0, i;
	uint16_t		 k;

	ns = xcalloc(ENG_ZONE_NS_MAX, sizeof(*ns));
	for (k = 0; k < m->nrr && n < ENG_ZONE_NS_MAX; k++) {
		rr = &m->rr[k];
		if (rr->type != DNS_T_NS || rr->rdstatus != DNS_OK ||
		    (rr->section != DNS_SEC_NS && rr->section != DNS_SEC_AN) ||
		    !dns_name_equal(&rr->owner, &c->name))
			continue;
		ns[n].name = rr->rd.name;
		dns_name_lower(&ns[n].name);
		ns[n].in_domain = dns_name_is_sub(&ns[n].name, &c->name);
		ns[n].sibling = !ns[n].in_domain && parent != NULL &&
		    parent->len > 0 && dns_name_is_sub(&ns[n].name, parent);
		for (i = 0; i < c->nns; i++)	/* glue stays learned */
			if (dns_name_equal(&c->ns[i].name, &ns[n].name))
				ns[n].glue = c->ns[i].glue;
		n++;
	}
	for (k = 0; k < m->nrr; k++) {
		rr = &m->rr[k];
		if (rr->section != DNS_SEC_AR || rr->rdstatus != DNS_OK ||
		    (rr->type != DNS_T_A && rr->type != DNS_T_AAAA))
			continue;
		for (i = 0; i < n; i++) {
			if (!dns_name_equal(&rr->owner, &ns[i].name))
				continue;
			ns[i].glue = 1;
			addr_from(&a, rr->type == DNS_T_A ? 4 : 6,
			    rr->type == DNS_T_A ? rr->rd.a : rr->rd.aaaa);
			nn = deleg_name(e, &ns[i].name, 1);
			deleg_add_addr(nn->glue, &nn->nglue, &a);
		}
	}
	for (i = 0; i < n; i++) {
		nn = deleg_name(e, &ns[i].name, 1);
		if (nn->zone.len == 0)
			nn->zone = c->name;
	}
	free(c->ns);
	c->ns = ns;
	c->nns = n;
	if (parent != NULL && parent->len > 0)
		c->parent = *parent;
	for (i = 0; i < c->nreferrer; i++)
		if (addr_eq(&c->referrer[i], server))
			break;
	if (i == c->nreferrer && c->nreferrer < ZONE_REFERRERS)
		c->referrer[c->nreferrer++] = *server;
	c->referrals++;
	if (c->first_ns == 0)
		c->first_ns = ts;
	c->last_ns = ts;
	e->deleg_dirty = 1;
}

/* Child side: an AA NS RRset for zone z, and its servers' addresses. */
static void
learn_child_ns(struct engine *e, struct zone *z, const struct dns_msg *m)
{
	const struct dns_rr	*rr;
	uint8_t			 n = 0;
	uint16_t		 k;

	free(z->child_ns);
	z->child_ns = xcalloc(ENG_ZONE_NS_MAX, sizeof(*z->child_ns));
	for (k = 0; k < m->nrr && n < ENG_ZONE_NS_MAX; k++) {
		rr = &m->rr[k];
		if (rr->type == DNS_T_NS && rr->rdstatus == DNS_OK &&
		    rr->section != DNS_SEC_AR &&
		    dns_name_equal(&rr->owner, &z->name)) {
			z->child_ns[n] = rr->rd.name;
			dns_name_lower(&z->child_ns[n++]);
		}
	}
	z->nchild = n;
	if (z->nns == 0 && n > 0) {
		/* Known only from the child (priming, warm cache). */
		z->ns = xcalloc(n, sizeof(*z->ns));
		for (k = 0; k < n; k++) {
			z->ns[k].name = z->child_ns[k];
			z->ns[k].in_domain = dns_name_is_sub(&z->child_ns[k],
			    &z->name);
		}
		z->nns = n;
	}
	e->deleg_dirty = 1;
}

/* Learn from an AA=1 response: zone servers, NS sets, addresses. */
void
deleg_learn_auth(struct engine *e, const struct dns_msg *m,
    const struct addr *server, uint64_t ts)
{
	const struct dns_rr	*rr;
	struct nsname		*nn;
	struct zone		*z;
	struct addr		 a;
	uint16_t		 k;

	for (k = 0; k < m->nrr; k++) {
		rr = &m->rr[k];
		if (rr->rdstatus != DNS_OK)
			continue;
		if ((rr->type == DNS_T_SOA && rr->section != DNS_SEC_AR) ||
		    (rr->type == DNS_T_NS && rr->section != DNS_SEC_AR &&
		    dns_name_is_sub(&m->qd[0].qname, &rr->owner))) {
			z = deleg_zone(e, &rr->owner, 1);
			deleg_add_addr(z->auth, &z->nauth, server);
			if (z->first_ns == 0)
				z->first_ns = ts;
			z->last_ns = ts;
			if (rr->type == DNS_T_NS &&
			    (k == 0 || m->rr[k - 1].type != DNS_T_NS ||
			    !dns_name_equal(&m->rr[k - 1].owner, &rr->owner)))
				learn_child_ns(e, z, m);
			continue;
		}
		if (rr->type != DNS_T_A && rr->type != DNS_T_AAAA)
			continue;
		if ((nn = deleg_name(e, &rr->owner, 0)) == NULL)
			continue;
		addr_from(&a, rr->type == DNS_T_A ? 4 : 6,
		    rr->type == DNS_T_A ? rr->rd.a : rr->rd.aaaa);
		deleg_add_addr(nn->auth, &nn->nauth, &a);
		e->deleg_dirty = 1;
	}
}

/* One line of a root hints file: ". NS a.root-servers.net." or an A. */
static void
hints_line(struct engine *e, char *line)
{
	char		*f[5], *save = NULL, *t;
	struct dns_name	 owner, target, root;
	struct zone	*z;
	struct nsname	*nn;
	struct addr	 a;
	int		 n = 0;

	for (t = strtok_r(line, " \t\r\n", &save); t != NULL && n < 5;
	    t = strtok_r(NULL, " \t\r\n", &save))
		f[n++] = t;
	if (n < 4 || f[0][0] == ';' || dns_name_from_str(f[0], &owner) != 0)
		return;
	dns_name_root(&root);
	if (strcasecmp(f[n - 2], "NS") == 0 && dns_name_equal(&owner, &root) &&
	    dns_name_from_str(f[n - 1], &target) == 0) {
		z = deleg_zone(e, &root, 1);
		if (z->nns >= ENG_ZONE_NS_MAX)
			return;
		z->ns = xreallocarray(z->ns, z->nns + 1u, sizeof(*z->ns));
		memset(&z->ns[z->nns], 0, sizeof(z->ns[0]));
		z->ns[z->nns].name = target;
		dns_name_lower(&z->ns[z->nns].name);
		z->ns[z->nns++].glue = 1;
		(void)deleg_name(e, &target, 1);
	} else if ((strcasecmp(f[n - 2], "A") == 0 ||
	    strcasecmp(f[n - 2], "AAAA") == 0) &&
	    addr_parse(f[n - 1], &a.family, a.b) == 0) {
		nn = deleg_name(e, &owner, 1);
		deleg_add_addr(nn->glue, &nn->nglue, &a);
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
	return ns->glue || deleg_name_has_addr(deleg_name(e,
	    (struct dns_name *)&ns->name, 0));
}

/* The zone an unescaped NS name depends on, or NULL. */
static struct zone *
zns_target(struct engine *e, const struct zone *z, const struct zns *ns)
{
	struct zone	*t;

	if (zns_escaped(e, ns))
		return NULL;
	t = deleg_zone_of(e, &ns->name);
	return t == z ? NULL : t;
}

/* Tarjan's strongly connected components, from zone v. */
static void
tarjan_visit(struct tarjan *tj, struct zone *v, int depth)
{
	struct zone	*w;
	size_t		 start;
	uint8_t		 i;

	v->idx = v->low = ++tj->index;
	if (tj->sp == tj->cap) {
		tj->cap = tj->cap ? tj->cap * 2 : 64;
		tj->stack = xreallocarray(tj->stack, tj->cap,
		    sizeof(*tj->stack));
	}
	tj->stack[tj->sp++] = v;
	v->onstack = 1;
	for (i = 0; i < v->nns && depth < TARJAN_DEPTH; i++) {
		if ((w = zns_target(tj->e, v, &v->ns[i])) == NULL)
			continue;
		if (w->idx == 0) {
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

/* Raise circular_delegation for one strongly connected component. */
static void
cycle_report(struct engine *e, struct zone **k, size_t nk)
{
	struct eng_finding	*f;
	struct zone		*cur, *next;
	char			 cycle[ENG_FIELD_LEN], nsl[ENG_FIELD_LEN];
	char			 buf[DNS_NAME_STRMAX];
	size_t			 i, cl = 0, nl = 0, steps;
	uint8_t			 j;
	int			 partial = 0;

	/* Start at the smallest name so the subject is stable. */
	cur = k[0];
	for (i = 1; i < nk; i++) {
		char a[DNS_NAME_STRMAX];

		ename_str(&k[i]->name, a, sizeof(a));
		ename_str(&cur->name, buf, sizeof(buf));
		if (strcmp(a, buf) < 0)
			cur = k[i];
	}
	for (i = 0; i < nk; i++)
		for (j = 0; j < k[i]->nns; j++)
			if (zns_escaped(e, &k[i]->ns[j]) ||
			    !in_set(k, nk, deleg_zone_of(e, &k[i]->ns[j].name)))
				partial = 1;
	cycle[0] = nsl[0] = '\0';
	for (steps = 0; steps < nk; steps++) {
		next = NULL;
		for (j = 0; j < cur->nns && next == NULL; j++) {
			next = zns_target(e, cur, &cur->ns[j]);
			if (next != NULL && !in_set(k, nk, next))
				next = NULL;
			if (next != NULL && nl + 260 < sizeof(nsl))
				nl += (size_t)snprintf(nsl + nl, sizeof(nsl) -
				    nl, "%s%s", nl ? "," : "", ename_str(
				    &cur->ns[j].name, buf, sizeof(buf)));
		}
		if (cl + 260 < sizeof(cycle))
			cl += (size_t)snprintf(cycle + cl, sizeof(cycle) - cl,
			    "%s%s", cl ? "," : "", ename_str(&cur->name, buf,
			    sizeof(buf)));
		if (next == NULL)
			break;
		cur = next;
	}
	f = finding_raise(e, ENG_K_CIRCULAR_DELEGATION, partial ?
	    ENG_SEV_WARNING : ENG_SEV_CRITICAL, cycle, k[0]->last_ns,
	    k[0]->last_frame, k[0]->last_lookup);
	for (i = 1; i < nk; i++)
		finding_raise(e, ENG_K_CIRCULAR_DELEGATION, (enum eng_sev)f->sev,
		    cycle, 0, k[i]->last_frame, k[i]->last_lookup)->count--;
	f->count = 1;
	finding_set(f, "cycle", ENG_FT_LIST, "%s", cycle);
	finding_set(f, "ns", ENG_FT_LIST, "%s", nsl);
	finding_set(f, "partial", ENG_FT_BOOL, "%s", partial ? "true" :
	    "false");
	finding_summary(f, "%s: %s depend on each other's NS names (%s)%s",
	    partial ? "partly circular delegation" : "circular delegation",
	    cycle, nsl, partial ? "; some NS names have an escape" :
	    " with no glue to break the loop");
}

/* Recompute the strongly connected components of the NS graph (D5). */
void
deleg_cycles(struct engine *e)
{
	struct tarjan	 tj;
	struct tnode	*n;
	struct zone	*z;

	memset(&tj, 0, sizeof(tj));
	tj.e = e;
	for (n = table_newest(&e->zones); n != NULL;
	    n = table_older(&e->zones, n)) {
		z = (struct zone *)n;
		z->idx = z->low = z->onstack = 0;
	}
	for (n = table_newest(&e->zones); n != NULL;
	    n = table_older(&e->zones, n)) {
		z = (struct zone *)n;
		if (z->idx == 0 && z->nns > 0)
			tarjan_visit(&tj, z, 0);
	}
	free(tj.stack);
	e->deleg_dirty = 0;
}

/* The delegation map for the outputs, most recently seen first. */
size_t
engine_zones(const struct engine *ce, struct eng_zone_view *v, size_t max)
{
	struct engine	*e = (struct engine *)ce;
	struct tnode	*n;
	struct zone	*z;
	struct nsname	*nn;
	size_t		 k = 0, i;
	uint8_t		 j;
	char		 b[ADDR_STRLEN], nb[DNS_NAME_STRMAX];

	for (n = table_newest(&e->zones); n != NULL && k < max;
	    n = table_older(&e->zones, n)) {
		z = (struct zone *)n;
		if (z->nns == 0)
			continue;
		memset(&v[k], 0, sizeof(v[k]));
		ename_str(&z->name, v[k].name, sizeof(v[k].name));
		if (z->parent.len)
			ename_str(&z->parent, v[k].parent, sizeof(v[k].parent));
		v[k].nns = z->nns;
		for (i = 0; i < z->nns; i++) {
			struct eng_zone_ns *o = &v[k].ns[i];

			ename_str(&z->ns[i].name, o->name, sizeof(o->name));
			o->in_domain = z->ns[i].in_domain;
			o->glue_state = z->ns[i].glue ? ENG_GLUE_PRESENT :
			    (z->ns[i].in_domain || z->ns[i].sibling) ?
			    ENG_GLUE_MISSING : z->parent.len ?
			    ENG_GLUE_NOT_NEEDED : ENG_GLUE_UNKNOWN;
			if ((nn = deleg_name(e, &z->ns[i].name, 0)) == NULL)
				continue;
			for (j = 0; j < nn->nglue; j++)
				snprintf(o->glue + strlen(o->glue),
				    sizeof(o->glue) - strlen(o->glue), "%s%s",
				    j ? "," : "", eaddr_str(&nn->glue[j], b,
				    sizeof(b)));
			for (j = 0; j < nn->nauth; j++)
				snprintf(o->addrs + strlen(o->addrs),
				    sizeof(o->addrs) - strlen(o->addrs), "%s%s",
				    j ? "," : "", eaddr_str(&nn->auth[j], b,
				    sizeof(b)));
		}
		v[k].nchild_ns = z->nchild;
		for (i = 0; i < z->nchild; i++)
			snprintf(v[k].child_ns + strlen(v[k].child_ns),
			    sizeof(v[k].child_ns) - strlen(v[k].child_ns),
			    "%s%s", i ? "," : "", ename_str(&z->child_ns[i],
			    nb, sizeof(nb)));
		for (i = 0; i < z->nreferrer; i++)
			snprintf(v[k].referred_by + strlen(v[k].referred_by),
			    sizeof(v[k].referred_by) -
			    strlen(v[k].referred_by), "%s%s", i ? "," : "",
			    eaddr_str(&z->referrer[i], b, sizeof(b)));
		for (i = 0; i < z->nauth; i++)
			snprintf(v[k].servers + strlen(v[k].servers),
			    sizeof(v[k].servers) - strlen(v[k].servers),
			    "%s%s", i ? "," : "", eaddr_str(&z->auth[i], b,
			    sizeof(b)));
		v[k].referrals = z->referrals;
		v[k].last_ns = z->last_ns;
		v[k].worst = ENG_SEV__MAX;
		k++;
	}
	return k;
}
