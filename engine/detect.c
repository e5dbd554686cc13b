/*
 * detect.c -- response classes (DETECTIONS.md P4) and the detections.
 *
 * detect_response() is called for every upstream response matched to its
 * query; it works out once what the response is (struct rctx: the server,
 * the queried zone, the class, the referral's child zone, the lookup and
 * its step), feeds the delegation map and the lookup's chain, and hands the
 * context to the per-response checks: glue (D1, D2, D3b), referral size
 * (D3c), truncation (D3a), out-of-bailiwick data (D4), lameness (D7), NS
 * name resolution (D8), revisits (D13) and AA referrals (D14).
 * Time-driven checks (D3a outcomes, D5 cycles, D6 loops waiting on their
 * lookups, D9, D16) run from detect_tick(); repeated queries (D6) from
 * detect_query(); the end of a lookup (D8 "failed", D9 per lookup) from
 * detect_lookup_end().  Delegation faults are one finding per zone (and
 * NS name) with the servers that showed them (R2.1, fault_raise).
 * Findings carry typed fields only; the outputs write the words.
 */
#include <stdlib.h>
#include <string.h>

#include "decode/dns.h"
#include "engine/internal.h"
#include "util/addr.h"
#include "util/xmalloc.h"

#define T_RATE_NS	(10 * NS_PER_SEC)	/* D6d window */
#define RATE_MIN	100			/* 10 q/s over T_RATE_NS */
#define PINGPONG_MIN	5			/* D6b: repeats per question */

static int	rr_is_addr(const struct dns_rr *);
static int	has_glue(const struct dns_msg *, const struct dns_name *);
static void	check_glue(struct engine *, struct rctx *);
static void	check_bailiwick(struct engine *, struct rctx *);
static void	check_lame(struct engine *, struct rctx *);
static void	check_nsname(struct engine *, struct rctx *);
static void	check_revisit(struct engine *, struct lookup *,
		    struct zone *, const struct eng_pkt *);
static void	check_budget(struct engine *, struct lookup *, uint64_t,
		    uint64_t);
static struct repeat *repeat_get(struct engine *, const struct eng_addr *,
		    struct ename *, uint16_t, int);
static int	pingpong_class(int);
static void	check_pingpong(struct engine *, struct repeat *,
		    const struct pending *, const struct eng_pkt *);
static struct tcwatch *tcw_find(struct engine *, const struct eng_addr *,
		    const struct eng_addr *, const struct ename *, uint16_t);
static void	tcw_open(struct engine *, struct rctx *);
static void	tcw_outcome(struct engine *, struct tcwatch *, struct zone *,
		    const char *, enum eng_sev);
static void	referral(struct engine *, struct rctx *);
static void	repeat_count(struct engine *, struct repeat *,
		    const struct eng_addr *, uint64_t);
static int	low_confidence(struct engine *);
static void	repeat_raise(struct engine *, struct repeat *, uint64_t,
		    uint64_t, uint32_t);
static int	loop_shown(struct engine *, struct lookup *, uint32_t,
		    uint64_t);
static void	loop_wait(struct engine *, struct repeat *const *, size_t,
		    uint64_t, const struct eng_pkt *, uint32_t);
static void	loopwait_drop(struct engine *, size_t);
static void	loopwait_check(struct engine *, uint64_t, int);
static void	pingpong_raise(struct engine *, const struct eng_addr *,
		    struct ename *const *, size_t, uint64_t, uint64_t,
		    uint32_t);

static struct ename *const nokey[3] = { NULL, NULL, NULL };

/* Free a repeat counter. */
void
repeat_free(struct tnode *n, void *arg)
{
	struct repeat	*rp = (struct repeat *)n;
	struct ename	*q = rp->qname;

	if (q->rep[0] == rp) {
		q->rep[0] = q->rep[1];
		q->rep[1] = NULL;
	} else if (q->rep[1] == rp)
		q->rep[1] = NULL;
	rp->qname->nrep--;
	name_put(arg, rp->qname);
	pool_put(&((struct engine *)arg)->pl_repeat, n);
}

/* Free a truncation watch. */
void
tcw_free(struct tnode *n, void *arg)
{
	name_put(arg, ((struct tcwatch *)n)->qname);
	name_put(arg, ((struct tcwatch *)n)->parent);
	free(n);
}

/* Is the record a decoded A or AAAA? */
static int
rr_is_addr(const struct dns_rr *rr)
{
	return rr->rdstatus == DNS_OK &&
	    (rr->type == DNS_T_A || rr->type == DNS_T_AAAA);
}

/* Does the additional section hold an address for name n? */
static int
has_glue(const struct dns_msg *m, const struct dns_name *n)
{
	uint16_t	 k;

	for (k = 0; k < m->nrr; k++)
		if (m->rr[k].section == DNS_SEC_AR && rr_is_addr(&m->rr[k]) &&
		    dns_name_equal(&m->rr[k].owner, n))
			return 1;
	return 0;
}

/*
 * Classify a response to (q, qtype) from a server of zone z (NULL when
 * unknown), as unbound's iterator does (P4).  *ns_rr gets the authority NS
 * record that makes it a referral (or an upward/sideways one).
 */
int
detect_classify(const struct dns_msg *m, const struct dns_name *q,
    uint16_t qtype, const struct zone *z, int query_rd,
    const struct dns_rr **ns_rr)
{
	const struct dns_rr	*rr, *nsr = NULL, *soa = NULL;
	int			 answer = 0, cname = 0, cls;
	uint16_t		 k;

	*ns_rr = NULL;
	if (m->hdr.tc)
		return ENG_C_TRUNCATED;
	if (m->rcode != DNS_R_NOERROR && m->rcode != DNS_R_NXDOMAIN)
		return ENG_C_RCODE_ERROR;
	for (k = 0; k < m->nrr; k++) {
		rr = &m->rr[k];
		if (rr->section == DNS_SEC_AN && dns_name_equal(&rr->owner, q)) {
			if (rr->type == qtype || qtype == DNS_T_ANY)
				answer = 1;
			else if (rr->type == DNS_T_CNAME ||
			    rr->type == DNS_T_DNAME)
				cname = 1;
		}
		if (rr->type == DNS_T_NS && nsr == NULL &&
		    (rr->section == DNS_SEC_NS || (rr->section == DNS_SEC_AN &&
		    qtype == DNS_T_NS && !m->hdr.aa)))
			nsr = rr;
		if (rr->type == DNS_T_SOA && rr->section == DNS_SEC_NS)
			soa = rr;
	}
	if (m->rcode == DNS_R_NXDOMAIN)
		return ENG_C_NXDOMAIN;
	if (answer && !(qtype == DNS_T_NS && !m->hdr.aa && nsr != NULL &&
	    nsr->section == DNS_SEC_AN && z != NULL &&
	    !dns_name_equal(&nsr->owner, &z->name->n)))
		cls = ENG_C_ANSWER;
	else if (cname)
		cls = ENG_C_CNAME;
	else if (soa != NULL && dns_name_is_sub(q, &soa->owner))
		cls = ENG_C_NODATA;
	else if (nsr != NULL) {
		*ns_rr = nsr;
		if (!dns_name_is_sub(q, &nsr->owner))
			cls = ENG_C_SIDEWAYS_NS;
		else if (z == NULL || (dns_name_is_sub(&nsr->owner, &z->name->n) &&
		    !dns_name_equal(&nsr->owner, &z->name->n)))
			cls = ENG_C_REFERRAL;
		else if (dns_name_equal(&nsr->owner, &z->name->n) && m->hdr.aa)
			cls = ENG_C_NODATA;
		else
			cls = ENG_C_UPWARD_REFERRAL;
	} else if (m->nrr == 0 || (m->nrr == 1 && m->edns.present))
		cls = ENG_C_EMPTY;
	else
		cls = m->count[DNS_SEC_AN] ? ENG_C_ANSWER : ENG_C_NODATA;
	if (m->hdr.ra && !m->hdr.aa && !query_rd && cls != ENG_C_REFERRAL)
		return ENG_C_REC_LAME;
	return cls;
}

/* Is the capture too damaged to trust a missing response (D9 guards)? */
static int
low_confidence(struct engine *e)
{
	/* An ICMP error coming back shows the return path too. */
	return e->c.health.pcap_drop > 0 || e->c.health.if_drop > 0 ||
	    (e->c.responses == 0 && e->c.unreachable == 0) ||
	    e->c.health.frag_incomplete > 0;
}

/*
 * One finding per fault (R2.1): kind k for the zone and NS names in key,
 * whichever server showed it.  parent is the zone of the server that
 * did, s that server (either NULL when not known); s is the finding's
 * first server and joins its servers.
 */
static struct eng_finding *
fault_raise(struct engine *e, enum eng_kind k, enum eng_sev sev,
    struct ename *const key[3], struct ename *parent,
    const struct eng_addr *s, uint64_t ts, uint64_t frame, uint32_t chain)
{
	struct eng_finding	*f;

	f = finding_raise(e, k, sev, key, NULL, 0, ts, frame, chain);
	finding_name(e, f, ENG_F_ZONE, key[0]);
	if (parent != NULL)
		finding_name(e, f, ENG_F_PARENT, parent);
	if (s != NULL) {
		if (engine_field(f, ENG_F_SERVER) == NULL)
			finding_addr(f, ENG_F_SERVER, s);
		finding_addr_add(f, ENG_F_SERVERS, s, FINDING_SERVERS);
	}
	return f;
}

/* A glue finding (D1, D2, D3b) for the referral in x, missing names ns. */
static struct eng_finding *
glue_raise(struct engine *e, struct rctx *x, enum eng_kind k,
    enum eng_sev sev, struct ename *const *ns, unsigned nns)
{
	struct eng_finding	*f;
	struct ename		*key[3] = { x->child->name, NULL, NULL };

	f = fault_raise(e, k, sev, key, x->z != NULL ? x->z->name : NULL,
	    &x->s, x->pkt->ts_ns, x->pkt->frame, x->p->lookup);
	finding_names_add(e, f, ENG_F_NS, ns, nns, ENG_ZONE_NS_MAX);
	return f;
}

/* D1, D2, D3b: required glue missing from a referral for the child. */
static void
check_glue(struct engine *e, struct rctx *x)
{
	struct eng_finding	*f;
	struct zone		*c = x->child;
	struct ename		*miss[ENG_ZONE_NS_MAX], *sib[ENG_ZONE_NS_MAX];
	unsigned		 nmiss = 0, nsib = 0, nin = 0, nsb = 0, i;
	int			 all;

	for (i = 0; i < c->nns; i++) {
		if (c->ns[i].in_domain) {
			nin++;
			if (!has_glue(x->m, &c->ns[i].name->n))
				miss[nmiss++] = c->ns[i].name;
		} else if (c->ns[i].sibling && x->z != NULL) {
			nsb++;
			if (!has_glue(x->m, &c->ns[i].name->n))
				sib[nsib++] = c->ns[i].name;
		}
	}
	if (nmiss > 0) {
		all = nin == c->nns && nmiss == nin;
		glue_raise(e, x, ENG_K_GLUE_MISSING_IN_DOMAIN, all ?
		    ENG_SEV_CRITICAL : ENG_SEV_ERROR, miss, nmiss);
		if (x->pkt->len + 16 > x->p->edns_size) {
			f = glue_raise(e, x, ENG_K_GLUE_DROPPED_WITHOUT_TC,
			    ENG_SEV_ERROR, miss, nmiss);
			finding_num(f, ENG_F_SIZE, x->pkt->len);
			finding_num(f, ENG_F_LIMIT, x->p->edns_size);
		}
	}
	if (nsib > 0)
		glue_raise(e, x, ENG_K_GLUE_MISSING_SIBLING, nsb == c->nns &&
		    nsib == nsb ? ENG_SEV_ERROR : ENG_SEV_NOTICE, sib, nsib);
}

/* Is a record outside the bailiwick of the server's zone z? */
static int
out_of_bailiwick(const struct rctx *x, const struct dns_rr *rr)
{
	if (rr->section == DNS_SEC_AN || rr->type == DNS_T_OPT ||
	    rr->type == 250 || rr->type == 24)
		return 0;
	return !dns_name_is_sub(&rr->owner, &x->z->name->n) ||
	    (x->cls == ENG_C_SIDEWAYS_NS && rr->type == DNS_T_NS &&
	    rr->section == DNS_SEC_NS);
}

/* D4: records outside the server's bailiwick z, and sideways NS. */
static void
check_bailiwick(struct engine *e, struct rctx *x)
{
	struct eng_finding	*f;
	const struct dns_rr	*rr;
	struct ename		*key[3] = { NULL, NULL, NULL };
	uint16_t		 k;

	if (x->z == NULL)
		return;
	for (k = 0; k < x->m->nrr; k++) {
		rr = &x->m->rr[k];
		if (!out_of_bailiwick(x, rr))
			continue;
		key[0] = x->z->name;
		key[1] = name_get(e, &rr->owner);
		f = finding_raise(e, ENG_K_OUT_OF_BAILIWICK_DATA,
		    ENG_SEV_WARNING, key, &x->s, 0, x->pkt->ts_ns,
		    x->pkt->frame, x->p->lookup);
		if (f->count == 1) {
			finding_name(e, f, ENG_F_ZONE, x->z->name);
			finding_addr(f, ENG_F_SERVER, &x->s);
			finding_name(e, f, ENG_F_OWNER, key[1]);
			finding_num(f, ENG_F_GLUE_RR, rr_is_addr(rr) &&
			    rr->section == DNS_SEC_AR);
		}
		name_put(e, key[1]);
	}
}

/* Why a response from a server of the queried zone is lame, or NULL (D7). */
static const char *
lame_reason(const struct rctx *x)
{
	const struct dns_msg	*m = x->m;

	if (m->rcode == DNS_R_REFUSED)
		return "refused";
	if (m->rcode == DNS_R_SERVFAIL)
		return "servfail";
	if (x->cls == ENG_C_UPWARD_REFERRAL)
		return "upward_referral";
	if (x->cls == ENG_C_REC_LAME)
		return "recursive";
	if (x->cls == ENG_C_EMPTY && !m->hdr.aa)
		return "empty";
	if (m->rcode == DNS_R_NOERROR && !m->hdr.aa &&
	    x->cls != ENG_C_REFERRAL && x->cls != ENG_C_TRUNCATED)
		return "not_auth";
	return NULL;
}

/* How many of the zone's servers are lame or unresponsive; *na all of them. */
static unsigned
zone_bad(struct engine *e, struct zone *z, unsigned *na)
{
	const struct eng_addr	*addrs;
	struct server		*sv;
	unsigned		 i, bad = 0;
	uint8_t			 k;
	int			 lame;

	*na = deleg_zone_addrs(e, z, &addrs);
	for (i = 0; i < *na; i++) {
		for (lame = 0, k = 0; k < z->nlame; k++)
			lame |= addr_eq(&z->lame[k], &addrs[i]);
		sv = server_peek(e, &addrs[i]);
		if (lame || (sv != NULL && sv->unresponsive))
			bad++;
	}
	return bad;
}

/* D7: a lame answer from a server of zone z. */
static void
check_lame(struct engine *e, struct rctx *x)
{
	struct eng_finding	*f;
	struct zone		*z = x->z;
	struct ename		*key[3] = { NULL, NULL, NULL };
	const char		*reason;
	unsigned		 na, bad, i;
	enum eng_sev		 sev;

	if (z == NULL || (reason = lame_reason(x)) == NULL)
		return;
	deleg_add_addr(z->lame, &z->nlame, &x->s);
	x->sv->lame++;
	bad = zone_bad(e, z, &na);
	sev = na > 0 && bad >= na ? ENG_SEV_CRITICAL : na > 0 && bad * 2 >=
	    na && na > 1 ? ENG_SEV_ERROR : ENG_SEV_WARNING;
	key[0] = z->name;
	/* The zone's share of lame servers sets every one's severity. */
	for (i = 0; i < z->nlame; i++)
		if ((f = finding_get(e, ENG_K_LAME_DELEGATION, key,
		    &z->lame[i], 0)) != NULL)
			finding_sev(e, f, sev);
	f = finding_raise(e, ENG_K_LAME_DELEGATION, sev, key, &x->s, 0,
	    x->pkt->ts_ns, x->pkt->frame, x->p->lookup);
	if (f->count == 1) {
		finding_name(e, f, ENG_F_ZONE, z->name);
		finding_addr(f, ENG_F_SERVER, &x->s);
	}
	finding_word(f, ENG_F_REASON, reason);
	finding_num(f, ENG_F_BAD, bad);
	finding_num(f, ENG_F_NSERVERS, na);
}

/* Record what a lookup of NS name nn found (A or AAAA, by t). */
static void
nsname_result(struct nsname *nn, const struct rctx *x, int t)
{
	const struct dns_msg	*m = x->m;

	if (x->cls == ENG_C_NXDOMAIN && m->hdr.aa)
		nn->res[t] = RES_NXDOMAIN;
	else if (x->cls == ENG_C_NODATA && m->hdr.aa)
		nn->res[t] = RES_NODATA;
	else if (x->cls == ENG_C_CNAME)
		nn->res[t] = RES_CNAME;
	else if (x->cls == ENG_C_ANSWER)
		nn->res[t] = RES_ANSWER;
}

/* An AA answer giving a private address from a public server? */
static int
private_answer(const struct rctx *x)
{
	uint16_t	 k;

	if (x->cls != ENG_C_ANSWER || !x->m->hdr.aa)
		return 0;
	for (k = 0; k < x->m->nrr; k++)
		if (x->m->rr[k].section == DNS_SEC_AN &&
		    x->m->rr[k].type == DNS_T_A &&
		    x->m->rr[k].rdstatus == DNS_OK &&
		    addr_is_private(4, x->m->rr[k].rd.a) &&
		    !addr_is_private(x->pkt->family, x->pkt->src))
			return 1;
	return 0;
}

/* Why an NS name does not resolve, from its A and AAAA results, or NULL. */
static const char *
nsname_reason(const struct nsname *nn)
{
	int	 a = nn->res[0], b = nn->res[1];

	if (a == RES_NXDOMAIN || b == RES_NXDOMAIN)
		return "nxdomain";
	if ((a == RES_NODATA || a == RES_NXDOMAIN) &&
	    (b == RES_NODATA || b == RES_NXDOMAIN))
		return "nodata";
	if (a == RES_CNAME || b == RES_CNAME)
		return "cname";
	if (a == RES_FAILED && b != RES_ANSWER)
		return "failed";
	return NULL;
}

/*
 * The zone that lists NS name nn without glue, newest first, or NULL: a
 * name that came with glue in the referral naming it never needed
 * resolving (R2.1).
 */
static struct zone *
nsname_zone(struct engine *e, const struct nsname *nn)
{
	struct zone	*z;
	uint8_t		 i, k;

	for (i = nn->nzones; i-- > 0;) {
		if ((z = deleg_zone(e, nn->zones[i], 0)) == NULL)
			continue;
		for (k = 0; k < z->nns; k++)
			if (z->ns[k].name == nn->name && !z->ns[k].glue)
				return z;
	}
	return NULL;
}

/* D8: NS name nn does not resolve, for reason; chain is the evidence. */
static void
nsname_unresolvable(struct engine *e, struct nsname *nn, const char *reason,
    uint64_t ts, uint64_t frame, uint32_t chain)
{
	struct eng_finding	*f;
	struct nsname		*o;
	struct zone		*z;
	struct ename		*key[3] = { NULL, NULL, NULL };
	int			 others = 0;
	uint8_t			 i;

	if ((z = nsname_zone(e, nn)) == NULL)
		return;
	for (i = 0; i < z->nns; i++)
		if (z->ns[i].name != nn->name && (z->ns[i].glue ||
		    ((o = deleg_name_peek(e, z->ns[i].name)) != NULL &&
		    deleg_name_has_addr(o))))
			others = 1;
	key[0] = z->name;
	key[1] = nn->name;
	/*
	 * Zonemaster: an NS name that is a CNAME (DELEGATION05), or that
	 * does not resolve while others do, is an error (R2.1).
	 */
	f = fault_raise(e, ENG_K_NS_NAME_UNRESOLVABLE, strcmp(reason,
	    "private_addr") == 0 ? ENG_SEV_WARNING : ENG_SEV_ERROR, key, NULL,
	    NULL, ts, frame, chain);
	finding_names(e, f, ENG_F_NS, &key[1], 1);
	finding_referrers(f, z);
	finding_word(f, ENG_F_REASON, reason);
	finding_num(f, ENG_F_OTHERS, (uint64_t)others);
}

/* D8: what a response to a query for an NS name's address found. */
static void
check_nsname(struct engine *e, struct rctx *x)
{
	struct nsname		*nn;
	const char		*reason;

	if ((x->p->qtype != DNS_T_A && x->p->qtype != DNS_T_AAAA) ||
	    (nn = deleg_name(e, x->p->qname, 0)) == NULL || nn->nzones == 0)
		return;
	nsname_result(nn, x, x->p->qtype == DNS_T_AAAA);
	reason = private_answer(x) ? "private_addr" : nsname_reason(nn);
	if (reason != NULL)
		nsname_unresolvable(e, nn, reason, x->pkt->ts_ns,
		    x->pkt->frame, x->p->lookup);
}

/*
 * D8: lookup l ended failed.  When it was the resolver's own lookup of an
 * NS name's address, and its servers failed it (errors or timeouts, not a
 * lookup given up after a referral), the name's result is "failed": only
 * then (R2.1), not when one server failed one query.
 */
static void
nsname_lookup_failed(struct engine *e, struct lookup *l)
{
	struct nsname	*nn;
	const char	*reason;
	int		 t = l->l.qtype == DNS_T_AAAA;

	if ((l->l.qtype != DNS_T_A && l->l.qtype != DNS_T_AAAA) ||
	    (l->l.outcome != ENG_C_RCODE_ERROR &&
	    l->l.outcome != ENG_C_TIMEOUT) ||
	    (nn = deleg_name(e, l->qname, 0)) == NULL || nn->nzones == 0 ||
	    nn->res[t] == RES_ANSWER)
		return;
	nn->res[t] = RES_FAILED;
	if ((reason = nsname_reason(nn)) != NULL)
		nsname_unresolvable(e, nn, reason, l->l.last_ns,
		    l->l.nsteps ? l->l.steps[l->l.nsteps - 1].frame : 0, l->l.id);
}

/*
 * D13: a lookup referred to a zone it had already entered.  Only the
 * path since the lookup last asked the root counts: no referral leads to
 * the root (P4), so a query there is the resolver starting its descent
 * again (pdns restarts a glueless NS name's lookup from the root), and
 * the root's referral to a zone already passed is not a loop.
 */
static void
check_revisit(struct engine *e, struct lookup *l, struct zone *c,
    const struct eng_pkt *pkt)
{
	struct eng_finding	*f;
	struct ename		*key[3] = { l->qname, c->name, NULL };
	const struct eng_step	*st;
	unsigned		 i, from = 0, referred = 0;

	for (i = 0; i < l->l.nsteps; i++)
		if (l->l.steps[i].zone == &e->root->n)
			from = i;
	for (i = from; i + 1 < l->l.nsteps; i++) {
		st = &l->l.steps[i];
		if (st->cls == ENG_C_REFERRAL && st->referral == &c->name->n)
			referred = 1;
		else if (referred && st->zone != NULL &&
		    name_is_sub(ename_of(st->zone), c->name))
			break;
	}
	if (i + 1 >= l->l.nsteps)
		return;
	f = finding_raise(e, ENG_K_REFERRAL_REVISIT, ENG_SEV_ERROR, key, NULL,
	    0, pkt->ts_ns, pkt->frame, l->l.id);
	finding_name(e, f, ENG_F_QNAME, l->qname);
	finding_name(e, f, ENG_F_ZONE, c->name);
}

/* D6c: per-lookup query, referral and depth budgets. */
static void
check_budget(struct engine *e, struct lookup *l, uint64_t ts, uint64_t frame)
{
	static const struct {
		const char	*what;
		unsigned	 limit;
		enum eng_sev	 sev;
		uint8_t		 bit, id;
	} b[] = {
		{ "queries", 32, ENG_SEV_NOTICE, 0x01, 0 },
		{ "queries", 50, ENG_SEV_WARNING, 0x02, 0 },
		{ "tree_queries", 200, ENG_SEV_ERROR, 0x04, 1 },
		{ "referrals", 20, ENG_SEV_WARNING, 0x08, 2 },
		{ "depth", 4, ENG_SEV_NOTICE, 0x10, 3 },
		{ "depth", 7, ENG_SEV_WARNING, 0x20, 3 },
	};
	struct eng_finding	*f;
	struct lookup		*root;
	struct ename		*key[3] = { l->qname, NULL, NULL };
	struct eng_addr		 r;
	unsigned		 i, v;

	root = lookup_root(l);
	for (i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
		v = i < 2 ? l->l.queries : i == 2 ? (root ? root->l.tree_queries :
		    0) : i == 3 ? l->l.referrals : l->l.depth;
		if (v <= b[i].limit || (l->budget_flags & b[i].bit))
			continue;
		l->budget_flags |= b[i].bit;
		addr_from(&r, l->l.family, l->l.resolver);
		f = finding_raise(e, ENG_K_QUERY_LOOP, b[i].sev, key, &r,
		    LOOP_BUDGET | (uint64_t)l->l.qtype << 8 | b[i].id, ts,
		    frame, l->l.id);
		finding_name(e, f, ENG_F_QNAME, l->qname);
		finding_num(f, ENG_F_QTYPE, l->l.qtype);
		finding_addr(f, ENG_F_RESOLVER, &r);
		finding_num(f, ENG_F_COUNT, v);
		finding_word(f, ENG_F_REASON, b[i].what);
		finding_num(f, ENG_F_BAD, b[i].limit);
	}
}

/* Hash of a repeat counter's key. */
static uint32_t
repeat_hash(const struct eng_addr *r, const struct ename *q, uint16_t qtype)
{
	struct {
		struct eng_addr	 r;
		const void	*q;
		uint16_t	 qtype;
	} k;

	memset(&k, 0, sizeof(k));
	k.r = *r;
	k.q = q;
	k.qtype = qtype;
	return table_hash(TABLE_HASH_INIT, &k, sizeof(k));
}

/* Put rp first in its name's cache of counters. */
static void
repeat_cache(struct ename *q, struct repeat *rp)
{
	if (q->rep[0] != rp) {
		q->rep[1] = q->rep[0];
		q->rep[0] = rp;
	}
}

/*
 * The repeat counter for (resolver, qname, qtype); held.  A name caches
 * its two counters used last: when it has no others (one resolver asking
 * for A and AAAA), the table is not probed.
 */
static struct repeat *
repeat_get(struct engine *e, const struct eng_addr *r, struct ename *q,
    uint16_t qtype, int create)
{
	struct tnode	*n = NULL;
	struct repeat	*rp;
	uint32_t	 h, cached = 0;
	unsigned	 i;

	for (i = 0; i < 2 && (rp = q->rep[i]) != NULL; i++, cached++)
		if (rp->qtype == qtype && addr_eq(&rp->resolver, r)) {
			repeat_cache(q, rp);
			goto found;
		}
	if (q->nrep == cached && !create)
		return NULL;
	h = repeat_hash(r, q, qtype);
	while (q->nrep > cached && (n = table_next(&e->repeats, h, n)) !=
	    NULL) {
		rp = (struct repeat *)n;
		if (rp->qtype == qtype && rp->qname == q &&
		    addr_eq(&rp->resolver, r)) {
			repeat_cache(q, rp);
			goto found;
		}
	}
	if (!create)
		return NULL;
	rp = pool_take(&e->pl_repeat, sizeof(*rp),
	    offsetof(struct repeat, servers));
	rp->resolver = *r;
	rp->qname = name_ref(q);
	rp->qtype = qtype;
	repeat_cache(q, rp);
	q->nrep++;
	table_insert(&e->repeats, &rp->node, h);
	hold(e, &e->repeats, &rp->node);
	return rp;
found:
	table_touch(&e->repeats, &rp->node);
	hold(e, &e->repeats, &rp->node);
	return rp;
}

/* A server's query window for D9: roll it over when it is over. */
static void
server_window(struct engine *e, struct server *s, uint64_t ts)
{
	if (ts - s->win_start > e->conf.w_srv_ns) {
		s->prev_q = s->win_q;
		s->prev_to = s->win_to;
		s->win_q = s->win_to = 0;
		s->win_start = ts;
	}
	s->win_q++;
}

/* Count one more asking of rp's question, to server s (D6a). */
static void
repeat_count(struct engine *e, struct repeat *rp, const struct eng_addr *s,
    uint64_t ts)
{
	uint8_t		 i;

	if (ts - rp->win_start > e->conf.w_rep_ns) {
		rp->win_start = ts;
		rp->count = rp->repeats = 0;
		rp->pingpong = 0;
		rp->waiting = 0;
	}
	if (ts - rp->rate_start >= T_RATE_NS) {
		rp->rate_start = ts;
		rp->rate_count = 0;
	}
	/*
	 * D6a counts a question asked again of a server that has already
	 * answered it: retries after timeouts or errors are not loops.
	 */
	for (i = 0; i < rp->nservers; i++)
		if (addr_eq(&rp->servers[i], s))
			break;
	if (i == rp->nservers && rp->nservers < ADDRS_MAX) {
		rp->servers[i] = *s;
		rp->answered[rp->nservers++] = 0;
	}
	if (i < rp->nservers && rp->answered[i])
		rp->repeats++;
	rp->count++;
	rp->total++;
	rp->rate_count++;
	rp->last_ts = ts;
}

/*
 * Most questions are asked once.  A repeat counter for each would cost an
 * entry, a hash slot and an eviction per query, and would keep the name
 * alive as long; instead the first asking is noted in a direct-mapped
 * array (as many slots as max_repeats allows counters, a newer question
 * taking an older one's slot), and the second asking makes the counter,
 * replaying the first, so that it counts exactly as if it had had one
 * from the start.
 */
struct ask1 *
ask1_slot(struct engine *e, const struct eng_addr *r, const struct ename *q,
    uint16_t qtype)
{
	struct {
		struct eng_addr	 r;
		uint16_t	 qtype;
		uint32_t	 nhash;
	} k;

	memset(&k, 0, sizeof(k));
	k.r = *r;
	k.qtype = qtype;
	k.nhash = name_hash(q);
	return &e->ask1[table_hash(TABLE_HASH_INIT, &k, sizeof(k)) &
	    (e->nask1 - 1)];
}

/* The slot of a pending query's question (found when it was sent). */
static struct ask1 *
pending_ask1(struct engine *e, const struct pending *p)
{
	return p->a1 != NULL ? p->a1 : ask1_slot(e, &p->client, p->qname,
	    p->qtype);
}

/* Does slot a hold the first asking of (r, q, qtype)? */
static int
ask1_is(const struct ask1 *a, const struct eng_addr *r,
    const struct ename *q, uint16_t qtype)
{
	return a->used && a->qtype == qtype && a->nhash == name_hash(q) &&
	    addr_eq(&a->resolver, r);
}

/*
 * The repeat counter of p's question if it was asked before (made from
 * the first asking), else NULL, the asking noted as the first.
 */
static struct repeat *
ask_again(struct engine *e, const struct pending *p, uint64_t ts)
{
	struct ask1	*a = pending_ask1(e, p);
	struct repeat	*rp;

	if (!ask1_is(a, &p->client, p->qname, p->qtype)) {
		memset(a, 0, sizeof(*a));
		a->resolver = p->client;
		a->server = p->server;
		a->nhash = name_hash(p->qname);
		a->qtype = p->qtype;
		a->ts = ts;
		a->used = 1;
		((struct pending *)(uintptr_t)p)->ask1 = 1;
		return NULL;
	}
	rp = repeat_get(e, &p->client, p->qname, p->qtype, 1);
	repeat_count(e, rp, &a->server, a->ts);
	if (a->has_cls)
		rp->last_cls = a->cls;
	if (a->answered)
		rp->answered[0] = 1;
	a->used = 0;
	return rp;
}

/* D6a/d on every upstream query; TCP follow-ups for D3a; budgets. */
void
detect_query(struct engine *e, const struct pending *p, struct server *ss,
    const struct eng_pkt *pkt)
{
	struct repeat		*rp;
	struct tcwatch		*w;
	struct lookup		*l, *root;

	server_window(e, ss, pkt->ts_ns);
	if (p->rd)
		return;
	if (p->tcp && (w = tcw_find(e, &p->client, &p->server, p->qname,
	    p->qtype)) != NULL)
		w->tcp_query = 1;
	if ((l = p->lp) != NULL) {
		root = lookup_root(l);
		if (root != NULL)
			root->l.tree_queries++;
		check_budget(e, l, pkt->ts_ns, pkt->frame);
	}
	if ((rp = repeat_get(e, &p->client, p->qname, p->qtype, 0)) == NULL &&
	    (rp = ask_again(e, p, pkt->ts_ns)) == NULL)
		return;		/* asked once: nothing to count yet */
	pending_pin(e, (struct pending *)(uintptr_t)p, NULL, rp);
	if (p->lp != NULL) {
		rp->lookup = p->lookup;
		rp->lp = p->lp;
	}
	repeat_count(e, rp, &p->server, pkt->ts_ns);
	check_pingpong(e, rp, p, pkt);
	if (rp->count < e->conf.k_rep || rp->repeats + 1 < e->conf.k_rep)
		return;
	if (loop_shown(e, rp->lp, rp->lookup, pkt->ts_ns))
		repeat_raise(e, rp, pkt->ts_ns, pkt->frame, p->lookup);
	else if (!rp->waiting) {
		rp->waiting = 1;
		loop_wait(e, &rp, 1, LOOP_REPEAT | rp->qtype, pkt, p->lookup);
	}
}

/* D6a: rp's question asked k_rep times of servers that answered it. */
static void
repeat_raise(struct engine *e, struct repeat *rp, uint64_t ts, uint64_t frame,
    uint32_t chain)
{
	struct eng_finding	*f;
	struct ename		*key[3] = { rp->qname, NULL, NULL };

	f = finding_raise(e, ENG_K_QUERY_LOOP, rp->rate_count >= RATE_MIN ?
	    ENG_SEV_ERROR : ENG_SEV_WARNING, key, &rp->resolver, LOOP_REPEAT |
	    rp->qtype, ts, frame, chain);
	finding_name(e, f, ENG_F_QNAME, rp->qname);
	finding_num(f, ENG_F_QTYPE, rp->qtype);
	finding_addr(f, ENG_F_RESOLVER, &rp->resolver);
	finding_addrs(f, ENG_F_SERVERS, rp->servers, rp->nservers);
	finding_num(f, ENG_F_COUNT, rp->count);
	finding_num(f, ENG_F_WINDOW, e->conf.w_rep_ns / NS_PER_SEC);
}

/*
 * Has the lookup (id, where it was) a repeated question was asked in
 * shown a loop at time now: it, or the tree it is part of, failed, went
 * over a budget or has gone on for W_rep?  Re-priming (". NS", a zone
 * apex's NS, DNSKEY or DS, an NS name's address) while a delegation works
 * repeats questions in lookups that succeed quickly (R2.1).
 */
static int
loop_shown(struct engine *e, struct lookup *lp, uint32_t id, uint64_t now)
{
	struct lookup	*l = lookup_at(lp, id), *t[2];
	uint64_t	 end;
	unsigned	 i;

	if (l == NULL)
		return 0;
	t[0] = l;
	t[1] = lookup_root(l);
	for (i = 0; i < 2 && t[i] != NULL; i++) {
		end = t[i]->l.done ? t[i]->l.last_ns : now;
		if (t[i]->l.failed || t[i]->budget_flags != 0 ||
		    (end > t[i]->l.start_ns && end - t[i]->l.start_ns >=
		    e->conf.w_rep_ns))
			return 1;
	}
	return 0;
}

/* Is the lookup (id, where it was) and its tree over, or gone? */
static int
loop_over(struct lookup *lp, uint32_t id)
{
	struct lookup	*l = lookup_at(lp, id), *root;

	if (l == NULL)
		return 1;
	root = lookup_root(l);
	return l->l.done && (root == NULL || root->l.done);
}

/*
 * Wait for the lookups of n repeated questions (set) to show whether
 * they loop; the oldest wait goes when the list is full.
 */
static void
loop_wait(struct engine *e, struct repeat *const *set, size_t n,
    uint64_t rule, const struct eng_pkt *pkt, uint32_t chain)
{
	struct loopwait	*w;
	size_t		 i;

	if (e->nlw == LOOPWAIT_MAX)
		loopwait_drop(e, 0);
	w = &e->lw[e->nlw++];
	memset(w, 0, sizeof(*w));
	w->resolver = set[0]->resolver;
	w->rule = rule;
	w->ts = pkt->ts_ns;
	w->frame = pkt->frame;
	w->chain = chain;
	for (i = 0; i < n && i < HOT_MAX; i++) {
		w->names[i] = name_ref(set[i]->qname);
		w->ids[i] = set[i]->lookup;
		w->lp[i] = set[i]->lp;
	}
	w->n = (uint8_t)i;
}

/* Drop wait i, keeping the others in order. */
static void
loopwait_drop(struct engine *e, size_t i)
{
	name_puts(e, e->lw[i].names, e->lw[i].n);
	memmove(&e->lw[i], &e->lw[i + 1], (e->nlw - i - 1) *
	    sizeof(e->lw[0]));
	e->nlw--;
}

/* Raise a waiting loop whose lookups have shown it (or drop it). */
static void
loopwait_raise(struct engine *e, struct loopwait *w)
{
	struct repeat	*rp;
	uint8_t		 k;

	if (w->rule == LOOP_PINGPONG)
		pingpong_raise(e, &w->resolver, w->names, w->n, w->ts,
		    w->frame, w->chain);
	else if ((rp = repeat_get(e, &w->resolver, w->names[0],
	    (uint16_t)(w->rule & 0xffff), 0)) != NULL)
		repeat_raise(e, rp, w->ts, w->frame, w->chain);
	/* Raised after its lookups ended: their causes are known (R2.2). */
	for (k = 0; k < w->n; k++)
		cause_lookup_late(e, lookup_at(w->lp[k], w->ids[k]));
}

/*
 * The waiting loops (R2.1): raised once a lookup shows the loop, dropped
 * once every lookup is over without showing one.  At most LOOPWAIT_MAX,
 * looked at once a second.
 */
static void
loopwait_check(struct engine *e, uint64_t now, int final)
{
	struct loopwait	*w;
	size_t		 i, k;
	int		 shown, over;

	if (!final && now < e->lw_checked + NS_PER_SEC)
		return;
	e->lw_checked = now;
	for (i = 0; i < e->nlw;) {
		w = &e->lw[i];
		for (shown = 0, over = 1, k = 0; k < w->n; k++) {
			shown |= loop_shown(e, w->lp[k], w->ids[k], now);
			over &= loop_over(w->lp[k], w->ids[k]);
		}
		if (shown)
			loopwait_raise(e, w);
		if (shown || over || final)
			loopwait_drop(e, i);
		else
			i++;
	}
}

/* Forget the waiting loops (reset, destroy). */
void
detect_clear(struct engine *e)
{
	while (e->nlw > 0)
		loopwait_drop(e, e->nlw - 1);
}

/* Does a class keep a resolver going without an answer (D6b)? */
static int
pingpong_class(int cls)
{
	return cls == ENG_C_REFERRAL || cls == ENG_C_NODATA ||
	    cls == ENG_C_RCODE_ERROR;
}

/* Is rp a ping-pong candidate at time ts? */
static int
pingpong_ready(struct engine *e, const struct repeat *rp, uint64_t ts)
{
	return rp->count >= PINGPONG_MIN && !rp->pingpong &&
	    ts - rp->win_start <= e->conf.w_rep_ns &&
	    pingpong_class(rp->last_cls);
}

/*
 * The other questions of resolver rs that are ping-pong candidates now:
 * its short list of questions that reached the threshold (no table walk).
 * rp joins the list.
 */
static size_t
pingpong_set(struct engine *e, struct server *rs, struct repeat *rp,
    uint64_t ts, struct repeat **set)
{
	struct repeat	*o;
	size_t		 k = 0;
	uint8_t		 i;

	set[k++] = rp;
	for (i = 0; i < rs->nhot && k < HOT_MAX; i++) {
		o = repeat_get(e, &rp->resolver, rs->hot[i], rs->hot_type[i], 0);
		if (o != NULL && o != rp && pingpong_ready(e, o, ts))
			set[k++] = o;
	}
	if (rs->nhot == HOT_MAX)
		name_put(e, rs->hot[--rs->nhot]);
	memmove(rs->hot + 1, rs->hot, rs->nhot * sizeof(rs->hot[0]));
	memmove(rs->hot_type + 1, rs->hot_type, rs->nhot *
	    sizeof(rs->hot_type[0]));
	rs->hot[0] = name_ref(rp->qname);
	rs->hot_type[0] = rp->qtype;
	rs->nhot++;
	return k;
}

/*
 * D6b: within W_rep the resolver keeps asking 2 to 8 questions, each at
 * least PINGPONG_MIN times, each answered only with a referral, NODATA or
 * an error: it is going round in a circle.  Looked for once per question
 * and window, when it reaches PINGPONG_MIN.
 */
static void
check_pingpong(struct engine *e, struct repeat *rp, const struct pending *p,
    const struct eng_pkt *pkt)
{
	struct repeat		*set[HOT_MAX];
	struct ename		*names[HOT_MAX];
	size_t			 k, i;
	int			 shown;

	if (rp->count != PINGPONG_MIN || rp->pingpong ||
	    !pingpong_class(rp->last_cls))
		return;
	k = pingpong_set(e, server_get(e, &rp->resolver, 1), rp, pkt->ts_ns,
	    set);
	if (k < 2)
		return;
	for (shown = 0, i = 0; i < k; i++) {
		set[i]->pingpong = 1;
		names[i] = set[i]->qname;
		shown |= loop_shown(e, set[i]->lp, set[i]->lookup, pkt->ts_ns);
	}
	if (shown)
		pingpong_raise(e, &rp->resolver, names, k, pkt->ts_ns,
		    pkt->frame, p->lookup);
	else
		loop_wait(e, set, k, LOOP_PINGPONG, pkt, p->lookup);
}

/* D6b: resolver r goes round the k questions in names. */
static void
pingpong_raise(struct engine *e, const struct eng_addr *r,
    struct ename *const *names, size_t k, uint64_t ts, uint64_t frame,
    uint32_t chain)
{
	struct eng_finding	*f;
	struct ename		*key[3] = { names[0], NULL, NULL };

	f = finding_raise(e, ENG_K_QUERY_LOOP, ENG_SEV_WARNING, key, r,
	    LOOP_PINGPONG, ts, frame, chain);
	finding_name(e, f, ENG_F_QNAME, names[0]);
	finding_addr(f, ENG_F_RESOLVER, r);
	finding_names(e, f, ENG_F_QNAMES, names, (unsigned)k);
	finding_num(f, ENG_F_COUNT, k);
	finding_num(f, ENG_F_WINDOW, e->conf.w_rep_ns / NS_PER_SEC);
	finding_word(f, ENG_F_REASON, "ping_pong");
	finding_num(f, ENG_F_BAD, PINGPONG_MIN);
}

/* Hash of a truncation watch's key (resolver, server). */
static uint32_t
tcw_hash(const struct eng_addr *r, const struct eng_addr *s)
{
	return addr_hash(addr_hash(TABLE_HASH_INIT, r), s);
}

/* The truncation watch for (resolver, server, qname, qtype). */
static struct tcwatch *
tcw_find(struct engine *e, const struct eng_addr *r, const struct eng_addr *s,
    const struct ename *q, uint16_t qtype)
{
	struct tnode	*n = NULL;
	struct tcwatch	*w;
	uint32_t	 h = tcw_hash(r, s);

	while ((n = table_next(&e->tcw, h, n)) != NULL) {
		w = (struct tcwatch *)n;
		if (addr_eq(&w->r, r) && addr_eq(&w->s, s) &&
		    (q == NULL || (w->qtype == qtype && w->qname == q))) {
			hold(e, &e->tcw, n);
			return w;
		}
	}
	return NULL;
}

/* D3a: a TC=1 response over UDP; watch for the TCP retry. */
static void
tcw_open(struct engine *e, struct rctx *x)
{
	const struct pending	*p = x->p;
	struct tcwatch		*w;

	if (tcw_find(e, &p->client, &p->server, p->qname, p->qtype) != NULL)
		return;
	w = xcalloc(1, sizeof(*w));
	w->r = p->client;
	w->s = p->server;
	w->qname = name_ref(p->qname);
	w->qtype = p->qtype;
	w->ts = x->pkt->ts_ns;
	w->frame = x->pkt->frame;
	w->lookup = p->lookup;
	w->size = (uint32_t)x->pkt->len;
	w->limit = p->edns_size;
	if (x->z != NULL)
		w->parent = name_ref(x->z->name);
	table_insert(&e->tcw, &w->node, tcw_hash(&w->r, &w->s));
	hold(e, &e->tcw, &w->node);
}

/*
 * Report a truncation watch's outcome and drop it.  The finding names the
 * delegation the truncated referral was for (DETECTIONS.md R2.1): child,
 * the zone of the complete referral over TCP, when there was one; else the
 * child of the server's zone on the way to the QNAME; else the QNAME.
 */
static void
tcw_outcome(struct engine *e, struct tcwatch *w, struct zone *child,
    const char *outcome, enum eng_sev sev)
{
	struct eng_finding	*f;
	struct ename		*key[3] = { NULL, w->parent, NULL };

	if (child != NULL)
		key[0] = child->name;
	else if ((key[0] = deleg_child_toward(e, w->parent, w->qname)) ==
	    NULL)
		key[0] = w->qname;
	else if (key[0] == w->qname && key[0]->zone == NULL &&
	    w->qtype != DNS_T_NS && w->qtype != DNS_T_DS)
		/*
		 * A name just below the server's zone, not known as a zone,
		 * asked for other than its delegation: what was cut was an
		 * answer of the server's own zone, not a referral.
		 */
		key[0] = w->parent;
	f = finding_raise(e, ENG_K_TRUNCATED_REFERRAL, sev, key, &w->s,
	    (uint64_t)(uintptr_t)outcome, w->ts, w->frame, w->lookup);
	finding_name(e, f, ENG_F_ZONE, key[0]);
	if (w->parent != NULL)
		finding_name(e, f, ENG_F_PARENT, w->parent);
	finding_addr(f, ENG_F_SERVER, &w->s);
	finding_word(f, ENG_F_OUTCOME, outcome);
	finding_num(f, ENG_F_SIZE, w->size);
	finding_num(f, ENG_F_LIMIT, w->limit);
	w->syn = w->tcp_query = 0;
	w->ts = UINT64_MAX;	/* done: dropped by detect_tick */
}

/*
 * D3c (Zonemaster DELEGATION03): the size of a referral to zone c for a
 * QNAME of 255 octets, carrying c's NS set (each owner a pointer to the
 * QNAME, each NS name compressed against the zone's name) and, when some
 * NS name needs glue, one A and one AAAA glue record.  RFC 1035 4.1.
 */
static size_t
referral_size(struct zone *c)
{
	struct dns_name	 sfx;
	size_t		 size = 12 + DNS_NAME_MAX + 4;	/* header, question */
	unsigned	 k, glue = 0;
	uint8_t		 i;

	/* Kept until the NS set changes (most referrals repeat it). */
	if (c->refsize != 0)
		return c->refsize;
	for (i = 0; i < c->nns; i++) {
		k = dns_name_common(&c->ns[i].name->n, &c->name->n);
		dns_name_suffix(&c->ns[i].name->n, k, &sfx);
		/* Owner pointer, type, class, TTL, RDLENGTH; the RDATA. */
		size += 2 + 10 + c->ns[i].name->n.len - (k > 0 ? sfx.len - 2 :
		    0);
		glue |= c->ns[i].in_domain || c->ns[i].sibling;
	}
	size += glue ? 2 + 10 + 4 + 2 + 10 + 16 : 0;
	c->refsize = (uint16_t)(size < UINT16_MAX ? size : UINT16_MAX);
	return size;
}

/* D3c: a referral to c too large for 512 octets (R2.1: a warning). */
static void
check_referral_size(struct engine *e, struct rctx *x)
{
	struct eng_finding	*f;
	struct ename		*key[3] = { x->child->name, NULL, NULL };
	size_t			 size = referral_size(x->child);

	if (size <= 512)
		return;
	f = fault_raise(e, ENG_K_REFERRAL_SIZE, ENG_SEV_WARNING, key,
	    x->z != NULL ? x->z->name : NULL, &x->s, x->pkt->ts_ns,
	    x->pkt->frame, x->p->lookup);
	finding_num(f, ENG_F_SIZE, size);
	finding_num(f, ENG_F_LIMIT, 512);
}

/* A REFERRAL: learn it, draw it, check its glue and its path. */
static void
referral(struct engine *e, struct rctx *x)
{
	struct eng_finding	*f;
	struct ename		*owner = name_get_near(e, x->p->qname,
				    &x->nsr->owner);
	struct ename		*key[3] = { owner, NULL, NULL };
	struct zone		*c = deleg_zone(e, owner, 1);

	name_put(e, owner);
	x->child = c;
	deleg_learn_referral(e, c, x->z != NULL ? x->z->name : NULL, x->m,
	    &x->s, x->pkt->ts_ns);
	c->last_frame = x->pkt->frame;
	c->last_lookup = x->p->lookup;
	e->c.referrals++;
	if (x->st != NULL)
		x->st->referral = &name_ref(c->name)->n;
	if (!x->m->hdr.tc) {
		check_glue(e, x);
		check_referral_size(e, x);
	}
	if (x->m->hdr.aa) {
		f = finding_raise(e, ENG_K_AUTHORITATIVE_REFERRAL, ENG_SEV_INFO,
		    key, &x->s, 0, x->pkt->ts_ns, x->pkt->frame, x->p->lookup);
		if (f->count == 1) {
			finding_name(e, f, ENG_F_ZONE, c->name);
			finding_addr(f, ENG_F_SERVER, &x->s);
		}
	}
	if (x->l != NULL) {
		lookup_referred(e, x->l, c);
		check_revisit(e, x->l, c, x->pkt);
	}
	detect_zone_changed(e, c, x->pkt->ts_ns, x->pkt->frame);
}

/* The response on its lookup step. */
static void
step_answered(struct rctx *x)
{
	struct eng_step	*st = x->st;

	st->rframe = x->pkt->frame;
	st->cls = (uint8_t)x->cls;
	st->rcode = x->m->rcode;
	st->aa = x->m->hdr.aa;
	st->rtt_us = (uint32_t)((x->pkt->ts_ns - x->p->ts) / 1000);
	st->an = x->m->count[DNS_SEC_AN];
	st->ns = x->m->count[DNS_SEC_NS];
	st->ar = x->m->count[DNS_SEC_AR];
}

/* Note which server answered a repeated question, and how. */
static void
repeat_answered(struct engine *e, struct rctx *x)
{
	const struct pending *p = x->p;
	struct repeat	*rp;
	struct ask1	*a;
	uint8_t		 i;

	if (x->m->hdr.tc)
		return;
	/* Asked once when sent: maybe asked again since. */
	if ((rp = p->rp) == NULL && p->ask1 && (rp = repeat_get(e, &p->client,
	    p->qname, p->qtype, 0)) == NULL) {
		a = pending_ask1(e, p);
		if (ask1_is(a, &p->client, p->qname, p->qtype)) {
			a->cls = (uint8_t)x->cls;
			a->has_cls = 1;
			if (addr_eq(&a->server, &x->s))
				a->answered = 1;
		}
		return;
	}
	if (rp == NULL)
		return;
	rp->last_cls = (uint8_t)x->cls;
	for (i = 0; i < rp->nservers; i++)
		if (addr_eq(&rp->servers[i], &x->s))
			rp->answered[i] = 1;
}

/*
 * The zone a response answers for: the one worked out when the query was
 * sent, while it is still known and served by the server; else afresh.
 */
static struct zone *
queried_zone(struct engine *e, const struct pending *p,
    const struct eng_addr *s)
{
	struct zone	*z;

	if (p->zone != NULL && (z = deleg_zone_peek(e, p->zone)) != NULL &&
	    deleg_serves(e, z, s)) {
		hold(e, &e->zones, &z->node);
		return z;
	}
	return deleg_queried_zone(e, p->qname, s);
}

/* Everything one upstream response tells. */
void
detect_response(struct engine *e, const struct pending *p, struct server *sv,
    const struct dns_msg *m, const struct eng_pkt *pkt)
{
	struct rctx	 x;
	struct tcwatch	*w;

	memset(&x, 0, sizeof(x));
	x.p = p;
	x.m = m;
	x.pkt = pkt;
	addr_from(&x.s, pkt->family, pkt->src);
	x.sv = sv;
	if ((x.z = queried_zone(e, p, &x.s)) != NULL)
		server_add_zone(e, x.sv, x.z->name);
	x.cls = detect_classify(m, &p->qname->n, p->qtype, x.z, p->rd,
	    &x.nsr);
	x.l = p->lp;
	if ((x.st = lookup_step(x.l, p)) != NULL)
		step_answered(&x);
	if (x.l != NULL)
		x.l->l.last_ns = pkt->ts_ns;
	if (m->hdr.aa)
		deleg_learn_auth(e, m, p->qname, &x.s, pkt->ts_ns);
	if (x.cls == ENG_C_REFERRAL && x.nsr != NULL)
		referral(e, &x);
	else if (x.cls == ENG_C_UPWARD_REFERRAL && x.nsr != NULL &&
	    x.st != NULL && x.st->referral == NULL)
		x.st->referral = &name_get(e, &x.nsr->owner)->n;
	if (x.cls == ENG_C_TRUNCATED && !p->tcp)
		tcw_open(e, &x);
	if (p->tcp && (w = tcw_find(e, &p->client, &x.s, p->qname,
	    p->qtype)) != NULL && w->ts != UINT64_MAX)
		tcw_outcome(e, w, x.cls == ENG_C_REFERRAL ? x.child : NULL,
		    m->hdr.tc ? "tcp_failed" : "tcp_answered",
		    m->hdr.tc ? ENG_SEV_ERROR : ENG_SEV_INFO);
	repeat_answered(e, &x);
	check_bailiwick(e, &x);
	check_lame(e, &x);
	check_nsname(e, &x);
	if (x.l != NULL && m->hdr.aa && (x.cls == ENG_C_ANSWER ||
	    x.cls == ENG_C_NXDOMAIN || x.cls == ENG_C_NODATA) &&
	    !x.l->l.has_client)
		lookup_end(e, x.l, x.cls);
	if (x.z != NULL && m->hdr.aa)
		detect_zone_changed(e, x.z, pkt->ts_ns, pkt->frame);
}

/* Do the glue and the authoritative addresses of nn share nothing? */
static int
glue_differs(const struct nsname *nn)
{
	uint8_t		 k, j;

	if (nn->nglue == 0 || nn->nauth == 0)
		return 0;
	for (k = 0; k < nn->nglue; k++)
		for (j = 0; j < nn->nauth; j++)
			if (addr_eq(&nn->glue[k], &nn->auth[j]) ||
			    nn->glue[k].family != nn->auth[j].family)
				return 0;
	return 1;
}

/* D12: glue for an NS name that differs from its authoritative address. */
static void
check_glue_addrs(struct engine *e, const struct zone *z, uint64_t ts,
    uint64_t frame)
{
	struct eng_finding	*f;
	struct nsname		*nn;
	struct ename		*key[3] = { z->name, NULL, NULL };
	uint8_t			 i;

	for (i = 0; i < z->nns; i++) {
		nn = deleg_name_peek(e, z->ns[i].name);
		if (nn == NULL || !glue_differs(nn))
			continue;
		key[1] = nn->name;
		/* Zonemaster CONSISTENCY05: an error (R2.1). */
		f = fault_raise(e, ENG_K_GLUE_MISMATCH, ENG_SEV_ERROR, key,
		    NULL, NULL, ts, frame, 0);
		finding_names(e, f, ENG_F_NS, &key[1], 1);
		finding_referrers(f, z);
		finding_addrs(f, ENG_F_GLUE, nn->glue, nn->nglue);
		finding_addrs(f, ENG_F_ADDRESSES, nn->auth, nn->nauth);
	}
}

/* Is name n in the list? */
static int
in_names(struct ename *const *v, unsigned n, const struct ename *x)
{
	unsigned	 i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

/* D11 and D12 for zone z after the map changed. */
void
detect_zone_changed(struct engine *e, struct zone *z, uint64_t ts,
    uint64_t frame)
{
	struct eng_finding	*f;
	struct ename		*par[ENG_ZONE_NS_MAX], *key[3] = { NULL, NULL,
				    NULL };
	unsigned		 onlyp = 0, onlyc = 0, i;

	check_glue_addrs(e, z, ts, frame);
	if (z->referrals == 0 || z->nchild == 0)
		return;
	for (i = 0; i < z->nns; i++) {
		par[i] = z->ns[i].name;
		onlyp += !in_names(z->child_ns, z->nchild, par[i]);
	}
	for (i = 0; i < z->nchild; i++)
		onlyc += !in_names(par, z->nns, z->child_ns[i]);
	if (onlyp == 0 && onlyc == 0)
		return;
	key[0] = z->name;
	/* Names only at the parent: Zonemaster DELEGATION07, an error. */
	f = fault_raise(e, ENG_K_NS_SET_MISMATCH, onlyp ? ENG_SEV_ERROR :
	    ENG_SEV_NOTICE, key, NULL, NULL, ts, frame, 0);
	finding_names(e, f, ENG_F_PARENT_NS, par, z->nns);
	finding_names(e, f, ENG_F_CHILD_NS, z->child_ns, z->nchild);
	finding_referrers(f, z);
}

/*
 * D9 zone_unreachable: every known server of z is unresponsive, and a
 * lookup through z failed (R2.1).
 */
static void
check_unreachable(struct engine *e, struct zone *z, uint64_t ts,
    uint64_t frame, uint32_t chain, int low)
{
	const struct eng_addr	*addrs;
	struct eng_finding	*f;
	struct server		*o;
	struct ename		*key[3] = { z->name, NULL, NULL };
	unsigned		 na, i, dead = 0;

	if (!z->lookup_failed)
		return;
	na = deleg_zone_addrs(e, z, &addrs);
	for (i = 0; i < na; i++)
		if ((o = server_peek(e, &addrs[i])) != NULL && o->unresponsive)
			dead++;
	if (na == 0 || dead < na)
		return;
	f = finding_raise(e, ENG_K_ZONE_UNREACHABLE, low ? ENG_SEV_NOTICE :
	    ENG_SEV_CRITICAL, key, NULL, 0, ts, frame, chain);
	finding_name(e, f, ENG_F_ZONE, z->name);
	finding_addrs(f, ENG_F_SERVERS, addrs, na);
}

/*
 * D9: server a (entry s) is unresponsive; the query that showed it was
 * for zone z (NULL: unknown), at ts in frame, in lookup chain.
 */
static void
server_dead(struct engine *e, struct server *s, const struct eng_addr *a,
    struct zone *z, uint64_t ts, uint64_t frame, uint32_t chain, int icmp)
{
	struct eng_finding	*f;
	int			 low = low_confidence(e);

	s->unresponsive = 1;
	f = finding_raise(e, ENG_K_SERVER_UNRESPONSIVE, low ? ENG_SEV_NOTICE :
	    ENG_SEV_WARNING, nokey, a, 0, ts, frame, chain);
	finding_addr(f, ENG_F_SERVER, a);
	if (z != NULL)
		finding_name(e, f, ENG_F_ZONE, z->name);
	finding_word(f, ENG_F_REASON, s->icmp_unreach ? "icmp_unreachable" :
	    "timeout");
	/* The server's own totals, as the Servers view and table show
	 * them: one number in every place (the rule above is windowed). */
	finding_num(f, ENG_F_TIMEOUTS, s->timeouts);
	finding_num(f, ENG_F_QUERIES, s->queries);
	f->count = s->timeouts;	/* seen once per unanswered query */
	/* dnstap logs no ICMP and no TCP handshake (R2.4): a silent
	 * server and a closed port look alike there. */
	if (low)
		finding_word(f, ENG_F_CONFIDENCE, "low");
	else if (e->dnstap)
		finding_word(f, ENG_F_CONFIDENCE, "medium");
	finding_num(f, ENG_F_ICMP, (uint64_t)icmp);
	if (z != NULL)
		check_unreachable(e, z, ts, frame, chain, low);
}

/* Is step st a query to server a? */
static int
step_to(const struct eng_step *st, const struct eng_addr *a)
{
	struct eng_addr	 b;

	addr_from(&b, st->family, st->server);
	return addr_eq(&b, a);
}

/* Did step st of lookup l go unanswered (timed out, or given up on)? */
static int
step_unanswered(const struct lookup *l, const struct eng_step *st)
{
	return st->cls == ENG_C_TIMEOUT || (st->cls == ENG_C_NONE &&
	    l->l.done && l->l.failed);
}

/*
 * D9 without a query count (R2.1): did every query lookup l sent to
 * server a go unanswered, at least 2 of them (a TCP connection attempt
 * that was refused or never accepted counts), with the resolver gone on
 * to another server or given up?  A query still waiting when the lookup
 * failed went unanswered too: the resolver gave up on it.  *last gets the
 * last query to a.
 */
static int
lookup_server_dead(struct engine *e, const struct lookup *l,
    const struct eng_addr *a, const struct eng_step **last)
{
	const struct eng_step	*st, *first = NULL;
	struct server		*sv;
	unsigned		 i, n = 0, later = 0;

	*last = NULL;
	for (i = 0; i < l->l.nsteps; i++) {
		st = &l->l.steps[i];
		if (!step_to(st, a)) {
			later += *last != NULL;
			continue;
		}
		if (!step_unanswered(l, st))
			return 0;
		if (first == NULL)
			first = st;
		*last = st;
		later = 0;
		n++;
	}
	if (n == 0)
		return 0;
	if ((sv = server_peek(e, a)) != NULL && sv->syn_ts >= first->ts_ns &&
	    !sv->syn_ok && !(*last)->tcp)
		n++;
	return n >= 2 && (later > 0 || l->l.done);
}

/* D9 for server a from the queries lookup l sent it (see above). */
static void
check_lookup_server(struct engine *e, struct lookup *l,
    const struct eng_addr *a)
{
	const struct eng_step	*st;
	struct server		*s;
	struct zone		*z = NULL;

	if (!lookup_server_dead(e, l, a, &st) ||
	    (s = server_peek(e, a)) == NULL || s->unresponsive)
		return;
	if (st->zone != NULL)
		z = deleg_zone(e, ename_of(st->zone), 0);
	server_dead(e, s, a, z, st->ts_ns, st->frame, l->l.id, st->icmp);
}

/*
 * A lookup ended: D8 when it was an NS name's and failed; D9 for each
 * server it timed out on (once each); the zones it went through noted as
 * failed for zone_unreachable.  At most ENG_STEPS_MAX steps.
 */
void
detect_lookup_end(struct engine *e, struct lookup *l)
{
	const struct eng_step	*st;
	struct eng_addr		 a;
	struct zone		*z;
	unsigned		 i, k;

	if (l->l.failed)
		nsname_lookup_failed(e, l);
	for (i = 0; i < l->l.nsteps; i++) {
		st = &l->l.steps[i];
		if (l->l.failed && st->zone != NULL && (z = deleg_zone(e,
		    ename_of(st->zone), 0)) != NULL && !z->lookup_failed) {
			z->lookup_failed = 1;
			check_unreachable(e, z, l->l.last_ns, st->frame, l->l.id,
			    low_confidence(e));
		}
		if (!step_unanswered(l, st))
			continue;
		addr_from(&a, st->family, st->server);
		for (k = 0; k < i && !(step_unanswered(l, &l->l.steps[k]) &&
		    step_to(&l->l.steps[k], &a)); k++)
			continue;
		if (k == i)
			check_lookup_server(e, l, &a);
	}
}

/* A query went unanswered for T_resp (D9). */
void
detect_timeout(struct engine *e, const struct pending *p)
{
	struct eng_step		*st;
	struct server		*s = server_get(e, &p->server, 1);
	uint64_t		 q, to;

	s->timeouts++;
	s->win_to++;
	if ((st = lookup_step(p->lp, p)) != NULL) {
		st->cls = ENG_C_TIMEOUT;
		st->icmp = p->icmp;
	}
	q = s->win_q + s->prev_q;
	to = s->win_to + s->prev_to;
	if (p->icmp)
		s->icmp_unreach++;
	/*
	 * The ratio rule over W_srv, with a minimum of queries; an ICMP
	 * unreachable proves nobody listens: no minimum then.  Else the
	 * per-lookup rule (R2.1).
	 */
	if ((q >= e->conf.srv_min_queries || s->icmp_unreach > 0) &&
	    to * 2 >= q)
		server_dead(e, s, &p->server, deleg_queried_zone(e, p->qname,
		    &p->server), p->ts, p->frame, p->lookup, p->icmp);
	else if (p->lp != NULL)
		check_lookup_server(e, p->lp, &p->server);
}

/* Note a TCP connection attempt to a server, and its fate (D9). */
static void
tcp_attempt(struct engine *e, const struct eng_addr *src,
    const struct eng_addr *dst, enum eng_event ev, uint64_t ts)
{
	struct server	*sv;

	if (ev == ENG_EV_TCP_SYN && (sv = server_peek(e, dst)) != NULL) {
		sv->syn_ts = ts;
		sv->syn_ok = 0;
	} else if (ev == ENG_EV_TCP_SYNACK && (sv = server_peek(e, src)) !=
	    NULL)
		sv->syn_ok = 1;
	else if (ev == ENG_EV_TCP_RST && (sv = server_peek(e, src)) != NULL)
		sv->syn_ok = 0;
	else if (ev == ENG_EV_TCP_FIN && (sv = server_peek(e, dst)) != NULL)
		sv->fin_ts = ts;
}

/* TCP events and ICMP errors for the truncation watches (D3a). */
void
detect_event(struct engine *e, const struct eng_pkt *pkt, enum eng_event ev)
{
	struct tcwatch	*w;
	struct eng_addr	 a, b;

	addr_from(&a, pkt->family, pkt->src);
	addr_from(&b, pkt->family, pkt->dst);
	tcp_attempt(e, &a, &b, ev, pkt->ts_ns);
	if ((w = tcw_find(e, &a, &b, NULL, 0)) == NULL &&
	    (w = tcw_find(e, &b, &a, NULL, 0)) == NULL)
		return;
	if (ev == ENG_EV_TCP_SYN)
		w->syn = 1;
	else if (ev == ENG_EV_TCP_SYNACK)
		w->synack = 1;
	else if (ev == ENG_EV_TCP_RST)
		w->rst = 1;
}

/* Responses from a server with no query waiting (D15). */
void
detect_unsolicited(struct engine *e, const struct eng_addr *s, uint64_t ts,
    uint64_t frame, int mismatched)
{
	struct eng_finding	*f;
	struct server		*sv = server_get(e, s, 1);

	sv->unsolicited++;
	f = finding_raise(e, ENG_K_UNSOLICITED_RESPONSE, ENG_SEV_NOTICE, nokey,
	    s, 0, ts, frame, 0);
	if (f->count == 1)
		finding_addr(f, ENG_F_SERVER, s);
	finding_num(f, ENG_F_COUNT, sv->unsolicited);
	if (mismatched)
		finding_num(f, ENG_F_MISMATCHED, 1);
}

/* Time-driven checks: D3a outcomes, D5 cycles. */
void
detect_tick(struct engine *e, uint64_t now, int final)
{
	struct tnode	*n, *older;
	struct tcwatch	*w;

	if (!final && now < e->tcw_checked + NS_PER_SEC / 10)
		goto cycles;
	e->tcw_checked = now;
	for (n = table_newest(&e->tcw); n != NULL; n = older) {
		older = table_older(&e->tcw, n);
		w = (struct tcwatch *)n;
		if (w->ts == UINT64_MAX) {
			if (n->pins == 0) {
				table_remove(&e->tcw, n);
				tcw_free(n, e);
			}
		} else if (!w->syn && !w->tcp_query && (final ||
		    now > w->ts + e->conf.t_tcp_ns)) {
			if (final && now <= w->ts + e->conf.t_tcp_ns)
				continue;
			tcw_outcome(e, w, NULL, "no_tcp_retry",
			    ENG_SEV_WARNING);
		} else if ((w->syn || w->tcp_query) && (w->rst || final ||
		    now > w->ts + e->conf.t_tcp_ns + e->conf.t_resp_ns))
			tcw_outcome(e, w, NULL, "tcp_failed", ENG_SEV_ERROR);
	}
cycles:
	loopwait_check(e, now, final);
	if (e->ncdirty > 0 && (final ||
	    now >= e->deleg_checked + NS_PER_SEC)) {
		e->deleg_checked = now;
		deleg_cycles(e);
	}
	/* At the end, every mark is searched from, a bounded search each. */
	while (final && e->ncdirty > 0)
		deleg_cycles(e);
}

/* D16: say loudly what the capture could not see. */
void
detect_health(struct engine *e)
{
	const struct eng_health	*h = &e->c.health;
	struct eng_finding	*f;
	uint64_t		 lost;
	int			 one_way;

	/* Capture-side losses and state lost while in use; not turnover. */
	lost = h->cap_evicted + e->c.evict_pending + e->c.evict_active +
	    e->findings.evictions;
	one_way = (e->c.queries >= 10 && e->c.responses == 0 &&
	    e->c.unreachable == 0) || (e->c.responses >= 10 &&
	    e->c.queries == 0);
	if (h->pcap_drop + h->if_drop + h->snap_cut + lost + h->bad_linktype +
	    h->frag_incomplete + h->tcp_gaps + e->c.clock_jumps == 0 &&
	    !one_way)
		return;
	f = finding_raise(e, ENG_K_CAPTURE_HEALTH, h->pcap_drop || h->if_drop ||
	    one_way || lost ? ENG_SEV_WARNING : ENG_SEV_NOTICE, nokey, NULL, 0,
	    e->now, 0, 0);
	f->count = 1;
	finding_num(f, ENG_F_DROPPED, h->pcap_drop + h->if_drop);
	finding_num(f, ENG_F_TRUNCATED, h->snap_cut);
	finding_num(f, ENG_F_ONE_WAY, (uint64_t)one_way);
	finding_num(f, ENG_F_EVICTED, lost);
	finding_num(f, ENG_F_FRAGMENTS_LOST, h->frag_incomplete);
	finding_num(f, ENG_F_TCP_GAPS, h->tcp_gaps);
	finding_num(f, ENG_F_UNSUPPORTED_LINK, h->bad_linktype);
	finding_num(f, ENG_F_CLOCK_JUMPS, e->c.clock_jumps);
}
