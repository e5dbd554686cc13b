/*
 * detect.c -- response classes (DETECTIONS.md P4) and the detections.
 *
 * detect_response() is called for every upstream response matched to its
 * query; it classifies the response against the queried zone, feeds the
 * delegation map and the lookup's chain, and runs the per-response checks:
 * glue (D1, D2, D3b), truncation (D3a), out-of-bailiwick data (D4), lameness
 * (D7), NS name resolution (D8), revisits (D13) and AA referrals (D14).
 * Time-driven checks (D3a outcomes, D5 cycles, D9, D16) run from
 * detect_tick(); repeated queries (D6) from detect_query().
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/dns.h"
#include "decode/dnstab.h"
#include "engine/internal.h"
#include "util/addr.h"
#include "util/xmalloc.h"

#define T_RATE_NS	(10 * NS_PER_SEC)	/* D6d window */
#define RATE_MIN	100			/* 10 q/s over T_RATE_NS */
#define PINGPONG_MIN	5			/* D6b: repeats per question */

/* A list being built into a field: "a,b,c". */
struct nlist {
	char	s[ENG_FIELD_LEN];
	size_t	len;
	int	n;
};

static void	nl_add(struct nlist *, const char *);
static void	nl_name(struct nlist *, const struct dns_name *);
static int	rr_is_addr(const struct dns_rr *);
static int	has_glue(const struct dns_msg *, const struct dns_name *);
static void	check_glue(struct engine *, const struct pending *,
		    const struct dns_msg *, const struct eng_pkt *,
		    const struct zone *, const struct dns_name *);
static void	check_bailiwick(struct engine *, const struct pending *,
		    const struct dns_msg *, const struct eng_pkt *,
		    const struct zone *, int);
static void	check_lame(struct engine *, const struct pending *,
		    const struct dns_msg *, const struct eng_pkt *,
		    struct zone *, int);
static void	check_nsname(struct engine *, const struct pending *,
		    const struct dns_msg *, const struct eng_pkt *, int);
static void	check_revisit(struct engine *, struct lookup *,
		    const struct dns_name *, const struct eng_pkt *);
static void	check_budget(struct engine *, struct lookup *, uint64_t,
		    uint64_t);
static struct repeat *repeat_get(struct engine *, const struct addr *,
		    const struct dns_name *, uint16_t, int);
static int	pingpong_class(int);
static void	check_pingpong(struct engine *, struct repeat *,
		    const struct pending *, const struct eng_pkt *);
static struct tcwatch *tcw_find(struct engine *, const struct addr *,
		    const struct addr *, const struct dns_name *, uint16_t);
static void	tcw_open(struct engine *, const struct pending *,
		    const struct eng_pkt *, const struct zone *);
static void	tcw_outcome(struct engine *, struct tcwatch *, const char *,
		    enum eng_sev);
static void	referral(struct engine *, const struct pending *,
		    const struct dns_msg *, const struct eng_pkt *,
		    struct zone *, const struct dns_rr *, struct lookup *,
		    struct eng_step *);
static unsigned	zone_addrs(struct engine *, const struct zone *,
		    struct addr *, unsigned);
static int	low_confidence(struct engine *);

/* Append an item to a comma list. */
static void
nl_add(struct nlist *l, const char *s)
{
	int	 w;

	if (l->len + strlen(s) + 2 >= sizeof(l->s))
		return;
	w = snprintf(l->s + l->len, sizeof(l->s) - l->len, "%s%s",
	    l->n ? "," : "", s);
	l->len += (size_t)w;
	l->n++;
}

/* Append a name to a comma list. */
static void
nl_name(struct nlist *l, const struct dns_name *n)
{
	char	 b[DNS_NAME_STRMAX];

	nl_add(l, ename_str(n, b, sizeof(b)));
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
	    !dns_name_equal(&nsr->owner, &z->name)))
		cls = ENG_C_ANSWER;
	else if (cname)
		cls = ENG_C_CNAME;
	else if (soa != NULL && dns_name_is_sub(q, &soa->owner))
		cls = ENG_C_NODATA;
	else if (nsr != NULL) {
		*ns_rr = nsr;
		if (!dns_name_is_sub(q, &nsr->owner))
			cls = ENG_C_SIDEWAYS_NS;
		else if (z == NULL || (dns_name_is_sub(&nsr->owner, &z->name) &&
		    !dns_name_equal(&nsr->owner, &z->name)))
			cls = ENG_C_REFERRAL;
		else if (dns_name_equal(&nsr->owner, &z->name) && m->hdr.aa)
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

/* Addresses of a zone's servers (glue, AA addresses, AA answerers). */
static unsigned
zone_addrs(struct engine *e, const struct zone *z, struct addr *out,
    unsigned max)
{
	struct nsname	*nn;
	uint8_t		 n = 0, i, k;

	for (i = 0; i < z->nauth; i++)
		deleg_add_addr(out, &n, &z->auth[i]);
	for (i = 0; i < z->nns; i++) {
		if ((nn = deleg_name(e, &z->ns[i].name, 0)) == NULL)
			continue;
		for (k = 0; k < nn->nglue; k++)
			deleg_add_addr(out, &n, &nn->glue[k]);
		for (k = 0; k < nn->nauth; k++)
			deleg_add_addr(out, &n, &nn->auth[k]);
	}
	return n < max ? n : max;
}

/* Is the capture too damaged to trust a missing response (D9 guards)? */
static int
low_confidence(struct engine *e)
{
	return e->c.health.pcap_drop > 0 || e->c.health.if_drop > 0 ||
	    e->c.responses == 0 || e->c.health.frag_incomplete > 0;
}

/* D1, D2, D3b: required glue missing from a referral for child c. */
static void
check_glue(struct engine *e, const struct pending *p, const struct dns_msg *m,
    const struct eng_pkt *pkt, const struct zone *z, const struct dns_name *c)
{
	struct eng_finding	*f;
	struct nlist		 miss, sib;
	struct dns_name		 n;
	char			 subj[1100], cb[DNS_NAME_STRMAX];
	char			 pb[DNS_NAME_STRMAX], sb[ADDR_STRLEN];
	int			 nin = 0, nsib = 0, nall = 0;
	uint16_t		 k;

	memset(&miss, 0, sizeof(miss));
	memset(&sib, 0, sizeof(sib));
	for (k = 0; k < m->nrr; k++) {
		if (m->rr[k].type != DNS_T_NS || m->rr[k].rdstatus != DNS_OK ||
		    !dns_name_equal(&m->rr[k].owner, c))
			continue;
		n = m->rr[k].rd.name;
		dns_name_lower(&n);
		nall++;
		if (dns_name_is_sub(&n, c)) {
			nin++;
			if (!has_glue(m, &n))
				nl_name(&miss, &n);
		} else if (z != NULL && dns_name_is_sub(&n, &z->name)) {
			nsib++;
			if (!has_glue(m, &n))
				nl_name(&sib, &n);
		}
	}
	if (miss.n == 0 && sib.n == 0)
		return;
	ename_str(c, cb, sizeof(cb));
	if (z != NULL)
		ename_str(&z->name, pb, sizeof(pb));
	else
		snprintf(pb, sizeof(pb), "?");
	addr_str(pkt->family, pkt->src, sb, sizeof(sb));
	snprintf(subj, sizeof(subj), "%s|%s|%s", cb, pb, sb);
	if (miss.n > 0) {
		f = finding_raise(e, ENG_K_GLUE_MISSING_IN_DOMAIN,
		    nin == nall && miss.n == nin ? ENG_SEV_CRITICAL :
		    ENG_SEV_ERROR, subj, pkt->ts_ns, pkt->frame, p->lookup);
		if (f->count == 1) {	/* the subject fixes the fields */
			finding_set(f, "zone", ENG_FT_STR, "%s", cb);
			finding_set(f, "parent", ENG_FT_STR, "%s", pb);
			finding_set(f, "server", ENG_FT_STR, "%s", sb);
			finding_set(f, "ns", ENG_FT_LIST, "%s", miss.s);
			finding_summary(f, "%s refers %s to in-domain %s without"
			    " glue%s", sb, cb, miss.s, nin == nall &&
			    miss.n == nin ? ": the delegation cannot be followed" :
			    "");
		}
		if (pkt->len + 16 > p->edns_size) {
			f = finding_raise(e, ENG_K_GLUE_DROPPED_WITHOUT_TC,
			    ENG_SEV_ERROR, subj, pkt->ts_ns, pkt->frame,
			    p->lookup);
			if (f->count == 1) {
				finding_set(f, "zone", ENG_FT_STR, "%s", cb);
				finding_set(f, "parent", ENG_FT_STR, "%s", pb);
				finding_set(f, "server", ENG_FT_STR, "%s", sb);
				finding_set(f, "ns", ENG_FT_LIST, "%s", miss.s);
			}
			finding_set(f, "size", ENG_FT_NUM, "%zu", pkt->len);
			finding_set(f, "limit", ENG_FT_NUM, "%u", p->edns_size);
			finding_summary(f, "%s dropped glue for %s from a %zu-byte"
			    " referral (limit %u) without setting TC", sb, cb,
			    pkt->len, p->edns_size);
		}
	}
	if (sib.n > 0) {
		f = finding_raise(e, ENG_K_GLUE_MISSING_SIBLING, nsib == nall &&
		    sib.n == nsib ? ENG_SEV_ERROR : ENG_SEV_NOTICE, subj,
		    pkt->ts_ns, pkt->frame, p->lookup);
		if (f->count == 1) {
			finding_set(f, "zone", ENG_FT_STR, "%s", cb);
			finding_set(f, "parent", ENG_FT_STR, "%s", pb);
			finding_set(f, "server", ENG_FT_STR, "%s", sb);
			finding_set(f, "ns", ENG_FT_LIST, "%s", sib.s);
			finding_summary(f, "%s refers %s to sibling %s without "
			    "glue", sb, cb, sib.s);
		}
	}
}

/* D4: records outside the server's bailiwick z, and sideways NS. */
static void
check_bailiwick(struct engine *e, const struct pending *p,
    const struct dns_msg *m, const struct eng_pkt *pkt, const struct zone *z,
    int cls)
{
	struct eng_finding	*f;
	const struct dns_rr	*rr;
	char			 subj[1100], zb[DNS_NAME_STRMAX];
	char			 ob[DNS_NAME_STRMAX], sb[ADDR_STRLEN];
	uint16_t		 k;

	if (z == NULL)
		return;
	for (k = 0; k < m->nrr; k++) {
		rr = &m->rr[k];
		if (rr->section == DNS_SEC_AN || rr->type == DNS_T_OPT ||
		    rr->type == 250 || rr->type == 24)
			continue;
		if (dns_name_is_sub(&rr->owner, &z->name) &&
		    !(cls == ENG_C_SIDEWAYS_NS && rr->type == DNS_T_NS &&
		    rr->section == DNS_SEC_NS))
			continue;
		ename_str(&z->name, zb, sizeof(zb));
		ename_str(&rr->owner, ob, sizeof(ob));
		addr_str(pkt->family, pkt->src, sb, sizeof(sb));
		snprintf(subj, sizeof(subj), "%s|%s|%s", zb, sb, ob);
		f = finding_raise(e, ENG_K_OUT_OF_BAILIWICK_DATA,
		    ENG_SEV_WARNING, subj, pkt->ts_ns, pkt->frame, p->lookup);
		if (f->count > 1)
			continue;
		finding_set(f, "zone", ENG_FT_STR, "%s", zb);
		finding_set(f, "server", ENG_FT_STR, "%s", sb);
		finding_set(f, "owner", ENG_FT_STR, "%s", ob);
		finding_summary(f, "%s, serving %s, sent %s data for %s",
		    sb, zb, rr_is_addr(rr) && rr->section == DNS_SEC_AR ?
		    "out-of-bailiwick glue" : "out-of-bailiwick", ob);
	}
}

/* D7: classify a lame answer from a server of zone z. */
static void
check_lame(struct engine *e, const struct pending *p, const struct dns_msg *m,
    const struct eng_pkt *pkt, struct zone *z, int cls)
{
	struct eng_finding	*f;
	struct addr		 addrs[ADDRS_MAX * 4], s;
	struct server		*sv;
	const char		*reason = NULL;
	char			 subj[1100], zb[DNS_NAME_STRMAX], sb[ADDR_STRLEN];
	unsigned		 na, i, bad = 0;
	enum eng_sev		 sev;

	if (z == NULL)
		return;
	if (m->rcode == DNS_R_REFUSED)
		reason = "refused";
	else if (m->rcode == DNS_R_SERVFAIL)
		reason = "servfail";
	else if (cls == ENG_C_UPWARD_REFERRAL)
		reason = "upward_referral";
	else if (cls == ENG_C_REC_LAME)
		reason = "recursive";
	else if (cls == ENG_C_EMPTY && !m->hdr.aa)
		reason = "empty";
	else if (m->rcode == DNS_R_NOERROR && !m->hdr.aa &&
	    cls != ENG_C_REFERRAL && cls != ENG_C_TRUNCATED)
		reason = "not_auth";
	if (reason == NULL)
		return;
	addr_from(&s, pkt->family, pkt->src);
	deleg_add_addr(z->lame, &z->nlame, &s);
	if ((sv = server_get(e, &s, 0)) != NULL)
		sv->lame++;
	na = zone_addrs(e, z, addrs, ADDRS_MAX * 4);
	for (i = 0; i < na; i++) {
		sv = server_get(e, &addrs[i], 0);
		for (uint8_t k = 0; k < z->nlame; k++)
			if (addr_eq(&z->lame[k], &addrs[i]))
				sv = NULL, bad++;
		if (sv != NULL && sv->unresponsive)
			bad++;
	}
	sev = na > 0 && bad >= na ? ENG_SEV_CRITICAL : na > 0 && bad * 2 >= na &&
	    na > 1 ? ENG_SEV_ERROR : ENG_SEV_WARNING;
	ename_str(&z->name, zb, sizeof(zb));
	/* The zone's share of lame servers sets every one's severity. */
	for (i = 0; i < z->nlame; i++) {
		snprintf(subj, sizeof(subj), "%s|%s", zb, eaddr_str(&z->lame[i],
		    sb, sizeof(sb)));
		if ((f = finding_get(e, ENG_K_LAME_DELEGATION, subj)) != NULL &&
		    f->sev > sev) {
			f->sev = (uint8_t)sev;
			f->gen = ++e->gen;
		}
	}
	eaddr_str(&s, sb, sizeof(sb));
	snprintf(subj, sizeof(subj), "%s|%s", zb, sb);
	f = finding_raise(e, ENG_K_LAME_DELEGATION, sev, subj, pkt->ts_ns,
	    pkt->frame, p->lookup);
	if (f->count == 1) {
		finding_set(f, "zone", ENG_FT_STR, "%s", zb);
		finding_set(f, "server", ENG_FT_STR, "%s", sb);
	}
	finding_set(f, "reason", ENG_FT_STR, "%s", reason);
	finding_summary(f, "%s is listed for %s but answers %s (%u of %u "
	    "servers of the zone bad)", sb, zb, reason, bad, na);
}

/* D8: what the lookups of an NS name found. */
static void
check_nsname(struct engine *e, const struct pending *p,
    const struct dns_msg *m, const struct eng_pkt *pkt, int cls)
{
	struct eng_finding	*f;
	struct nsname		*nn;
	struct zone		*z;
	const char		*reason = NULL;
	char			 subj[1100], zb[DNS_NAME_STRMAX];
	char			 nb[DNS_NAME_STRMAX];
	int			 t, others = 0, a, b;
	uint8_t			 i;
	uint16_t		 k;

	if ((p->qtype != DNS_T_A && p->qtype != DNS_T_AAAA) ||
	    (nn = deleg_name(e, &p->qname, 0)) == NULL || nn->zone.len == 0)
		return;
	t = p->qtype == DNS_T_AAAA;
	if (cls == ENG_C_NXDOMAIN && m->hdr.aa)
		nn->res[t] = RES_NXDOMAIN;
	else if (cls == ENG_C_NODATA && m->hdr.aa)
		nn->res[t] = RES_NODATA;
	else if (cls == ENG_C_CNAME)
		nn->res[t] = RES_CNAME;
	else if (cls == ENG_C_RCODE_ERROR && m->rcode == DNS_R_SERVFAIL)
		nn->res[t] = RES_FAILED;
	else if (cls == ENG_C_ANSWER) {
		nn->res[t] = RES_ANSWER;
		for (k = 0; k < m->nrr; k++)
			if (m->rr[k].section == DNS_SEC_AN &&
			    m->rr[k].type == DNS_T_A && m->hdr.aa &&
			    addr_is_private(4, m->rr[k].rd.a) &&
			    !addr_is_private(pkt->family, pkt->src))
				reason = "private_addr";
	}
	a = nn->res[0];
	b = nn->res[1];
	if (reason != NULL)
		;
	else if (a == RES_NXDOMAIN || b == RES_NXDOMAIN)
		reason = "nxdomain";
	else if ((a == RES_NODATA || a == RES_NXDOMAIN) &&
	    (b == RES_NODATA || b == RES_NXDOMAIN))
		reason = "nodata";
	else if (a == RES_CNAME || b == RES_CNAME)
		reason = "cname";
	else if (a == RES_FAILED && b != RES_ANSWER)
		reason = "failed";
	if (reason == NULL || (z = deleg_zone(e, &nn->zone, 0)) == NULL)
		return;
	for (i = 0; i < z->nns; i++)
		if (!dns_name_equal(&z->ns[i].name, &nn->name) &&
		    (z->ns[i].glue || deleg_name_has_addr(deleg_name(e,
		    &z->ns[i].name, 0))))
			others = 1;
	ename_str(&z->name, zb, sizeof(zb));
	ename_str(&nn->name, nb, sizeof(nb));
	snprintf(subj, sizeof(subj), "%s|%s", zb, nb);
	f = finding_raise(e, ENG_K_NS_NAME_UNRESOLVABLE, strcmp(reason,
	    "cname") == 0 || strcmp(reason, "private_addr") == 0 || others ?
	    ENG_SEV_WARNING : ENG_SEV_ERROR, subj, pkt->ts_ns, pkt->frame,
	    p->lookup);
	finding_set(f, "zone", ENG_FT_STR, "%s", zb);
	finding_set(f, "ns", ENG_FT_STR, "%s", nb);
	finding_set(f, "reason", ENG_FT_STR, "%s", reason);
	finding_summary(f, "NS %s of %s does not resolve (%s)%s", nb, zb,
	    reason, others ? "; other NS of the zone do" :
	    "; no other NS of the zone resolves");
}

/* D13: a lookup referred to a zone it had already entered. */
static void
check_revisit(struct engine *e, struct lookup *l, const struct dns_name *c,
    const struct eng_pkt *pkt)
{
	struct eng_finding	*f;
	struct dns_name		 zn;
	char			 cb[DNS_NAME_STRMAX], subj[1100];
	unsigned		 i, referred = 0;

	ename_str(c, cb, sizeof(cb));
	for (i = 0; i + 1 < l->l.nsteps; i++) {
		if (l->l.steps[i].cls == ENG_C_REFERRAL &&
		    strcmp(l->l.steps[i].detail + 3, cb) == 0)
			referred = 1;
		else if (referred && l->l.steps[i].zone[0] != '\0' &&
		    dns_name_from_str(l->l.steps[i].zone, &zn) == 0 &&
		    dns_name_is_sub(&zn, c))
			break;
	}
	if (i + 1 >= l->l.nsteps)
		return;
	snprintf(subj, sizeof(subj), "%s|%s", l->l.qname, cb);
	f = finding_raise(e, ENG_K_REFERRAL_REVISIT, ENG_SEV_ERROR, subj,
	    pkt->ts_ns, pkt->frame, l->l.id);
	finding_set(f, "qname", ENG_FT_STR, "%s", l->l.qname);
	finding_set(f, "zone", ENG_FT_STR, "%s", cb);
	finding_summary(f, "lookup of %s was referred back to %s after "
	    "entering it", l->l.qname, cb);
}

/* D6c: per-lookup query, referral and depth budgets. */
static void
check_budget(struct engine *e, struct lookup *l, uint64_t ts, uint64_t frame)
{
	static const struct {
		const char	*what;
		unsigned	 limit;
		enum eng_sev	 sev;
		uint8_t		 bit;
	} b[] = {
		{ "queries", 32, ENG_SEV_NOTICE, 0x01 },
		{ "queries", 50, ENG_SEV_WARNING, 0x02 },
		{ "tree_queries", 200, ENG_SEV_ERROR, 0x04 },
		{ "referrals", 20, ENG_SEV_WARNING, 0x08 },
		{ "depth", 4, ENG_SEV_NOTICE, 0x10 },
		{ "depth", 7, ENG_SEV_WARNING, 0x20 },
	};
	struct eng_finding	*f;
	struct lookup		*root = lookup_get(e, l->root);
	char			 subj[1100], rb[ADDR_STRLEN], tb[16];
	unsigned		 i, v;

	for (i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
		v = i < 2 ? l->l.queries : i == 2 ? (root ? root->l.tree_queries :
		    0) : i == 3 ? l->l.referrals : l->l.depth;
		if (v <= b[i].limit || (l->budget_flags & b[i].bit))
			continue;
		l->budget_flags |= b[i].bit;
		addr_str(l->l.family, l->l.resolver, rb, sizeof(rb));
		dns_type_str(l->l.qtype, tb, sizeof(tb));
		snprintf(subj, sizeof(subj), "budget|%s|%s|%s|%s", rb,
		    l->l.qname, tb, b[i].what);
		f = finding_raise(e, ENG_K_QUERY_LOOP, b[i].sev, subj, ts,
		    frame, l->l.id);
		finding_set(f, "qname", ENG_FT_STR, "%s", l->l.qname);
		finding_set(f, "qtype", ENG_FT_STR, "%s", tb);
		finding_set(f, "resolver", ENG_FT_STR, "%s", rb);
		finding_set(f, "count", ENG_FT_NUM, "%u", v);
		finding_set(f, "reason", ENG_FT_STR, "%s", b[i].what);
		finding_summary(f, "lookup of %s %s by %s went over %u %s",
		    l->l.qname, tb, rb, b[i].limit, b[i].what);
	}
}

/* The repeat counter for (resolver, qname, qtype). */
static struct repeat *
repeat_get(struct engine *e, const struct addr *r, const struct dns_name *q,
    uint16_t qtype, int create)
{
	struct tnode	*n = NULL;
	struct repeat	*rp;
	uint32_t	 h;

	h = table_hash(dns_name_hash(q), r, sizeof(*r));
	h = table_hash(h, &qtype, sizeof(qtype));
	while ((n = table_next(&e->repeats, h, n)) != NULL) {
		rp = (struct repeat *)n;
		if (rp->qtype == qtype && addr_eq(&rp->resolver, r) &&
		    dns_name_equal(&rp->qname, q)) {
			table_touch(&e->repeats, n);
			return rp;
		}
	}
	if (!create)
		return NULL;
	rp = xcalloc(1, sizeof(*rp));
	rp->resolver = *r;
	rp->qname = *q;
	rp->qtype = qtype;
	table_insert(&e->repeats, &rp->node, h);
	return rp;
}

/* D6a/d on every upstream query; TCP follow-ups for D3a; budgets. */
void
detect_query(struct engine *e, const struct pending *p,
    const struct eng_pkt *pkt)
{
	struct eng_finding	*f;
	struct repeat		*rp;
	struct tcwatch		*w;
	struct lookup		*l, *root;
	struct server		*s;
	char			 subj[1100], rb[ADDR_STRLEN], tb[16];
	char			 qb[DNS_NAME_STRMAX];
	struct nlist		 sv;
	uint8_t			 i;

	if ((s = server_get(e, &p->server, 1)) != NULL) {
		if (pkt->ts_ns - s->win_start > e->conf.w_srv_ns) {
			s->prev_q = s->win_q;
			s->prev_to = s->win_to;
			s->win_q = s->win_to = 0;
			s->win_start = pkt->ts_ns;
		}
		s->win_q++;
	}
	if (p->rd)
		return;
	if (p->tcp && (w = tcw_find(e, &p->client, &p->server, &p->qname,
	    p->qtype)) != NULL)
		w->tcp_query = 1;
	if ((l = lookup_get(e, p->lookup)) != NULL) {
		if ((root = lookup_get(e, l->root)) != NULL)
			root->l.tree_queries++;
		check_budget(e, l, pkt->ts_ns, pkt->frame);
	}
	rp = repeat_get(e, &p->client, &p->qname, p->qtype, 1);
	if (pkt->ts_ns - rp->win_start > e->conf.w_rep_ns) {
		rp->win_start = pkt->ts_ns;
		rp->count = rp->repeats = 0;
		rp->pingpong = 0;
	}
	if (pkt->ts_ns - rp->rate_start >= T_RATE_NS) {
		rp->rate_start = pkt->ts_ns;
		rp->rate_count = 0;
	}
	/*
	 * D6a counts a question asked again of a server that has already
	 * answered it: retries after timeouts or errors are not loops.
	 */
	for (i = 0; i < rp->nservers; i++)
		if (addr_eq(&rp->servers[i], &p->server))
			break;
	if (i == rp->nservers && rp->nservers < ADDRS_MAX)
		rp->servers[rp->nservers++] = p->server;
	if (i < rp->nservers && rp->answered[i])
		rp->repeats++;
	rp->count++;
	rp->total++;
	rp->rate_count++;
	check_pingpong(e, rp, p, pkt);
	if (rp->count < e->conf.k_rep || rp->repeats + 1 < e->conf.k_rep)
		return;
	addr_str(p->client.family, p->client.b, rb, sizeof(rb));
	dns_type_str(p->qtype, tb, sizeof(tb));
	ename_str(&p->qname, qb, sizeof(qb));
	snprintf(subj, sizeof(subj), "repeat|%s|%s|%s", rb, qb, tb);
	f = finding_raise(e, ENG_K_QUERY_LOOP, rp->rate_count >= RATE_MIN ?
	    ENG_SEV_ERROR : ENG_SEV_WARNING, subj, pkt->ts_ns, pkt->frame,
	    p->lookup);
	memset(&sv, 0, sizeof(sv));
	for (i = 0; i < rp->nservers; i++)
		nl_add(&sv, eaddr_str(&rp->servers[i], rb, sizeof(rb)));
	addr_str(p->client.family, p->client.b, rb, sizeof(rb));
	finding_set(f, "qname", ENG_FT_STR, "%s", qb);
	finding_set(f, "qtype", ENG_FT_STR, "%s", tb);
	finding_set(f, "resolver", ENG_FT_STR, "%s", rb);
	finding_set(f, "servers", ENG_FT_LIST, "%s", sv.s);
	finding_set(f, "count", ENG_FT_NUM, "%" PRIu64, rp->count);
	finding_set(f, "window", ENG_FT_NUM, "%.0f",
	    (double)e->conf.w_rep_ns / 1e9);
	finding_summary(f, "%s asked %s %s %" PRIu64 " times within %.0f s "
	    "although it was answered", rb, qb, tb, rp->count,
	    (double)e->conf.w_rep_ns / 1e9);
}

/* Does a class keep a resolver going without an answer (D6b)? */
static int
pingpong_class(int cls)
{
	return cls == ENG_C_REFERRAL || cls == ENG_C_NODATA ||
	    cls == ENG_C_RCODE_ERROR;
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
	struct repeat		*set[8], *o;
	struct eng_finding	*f;
	struct tnode		*n;
	struct nlist		 names;
	char			 subj[1100], rb[ADDR_STRLEN], qb[DNS_NAME_STRMAX];
	size_t			 k = 0, i;

	if (rp->count != PINGPONG_MIN || rp->pingpong ||
	    !pingpong_class(rp->last_cls))
		return;
	set[k++] = rp;
	for (n = table_newest(&e->repeats); n != NULL && k < 8;
	    n = table_older(&e->repeats, n)) {
		o = (struct repeat *)n;
		if (o != rp && addr_eq(&o->resolver, &rp->resolver) &&
		    o->count >= PINGPONG_MIN && !o->pingpong &&
		    pkt->ts_ns - o->win_start <= e->conf.w_rep_ns &&
		    pingpong_class(o->last_cls))
			set[k++] = o;
	}
	if (k < 2)
		return;
	memset(&names, 0, sizeof(names));
	for (i = 0; i < k; i++) {
		set[i]->pingpong = 1;
		nl_name(&names, &set[i]->qname);
	}
	eaddr_str(&rp->resolver, rb, sizeof(rb));
	snprintf(subj, sizeof(subj), "pingpong|%s|%s", rb, ename_str(
	    &rp->qname, qb, sizeof(qb)));
	f = finding_raise(e, ENG_K_QUERY_LOOP, ENG_SEV_WARNING, subj,
	    pkt->ts_ns, pkt->frame, p->lookup);
	finding_set(f, "qname", ENG_FT_STR, "%s", qb);
	finding_set(f, "resolver", ENG_FT_STR, "%s", rb);
	finding_set(f, "qnames", ENG_FT_LIST, "%s", names.s);
	finding_set(f, "count", ENG_FT_NUM, "%zu", k);
	finding_set(f, "window", ENG_FT_NUM, "%.0f",
	    (double)e->conf.w_rep_ns / 1e9);
	finding_set(f, "reason", ENG_FT_STR, "ping_pong");
	finding_summary(f, "%s goes round %zu questions (%s), each asked %u+ "
	    "times and never answered", rb, k, names.s, PINGPONG_MIN);
}

/* The truncation watch for (resolver, server, qname, qtype). */
static struct tcwatch *
tcw_find(struct engine *e, const struct addr *r, const struct addr *s,
    const struct dns_name *q, uint16_t qtype)
{
	struct tnode	*n = NULL;
	struct tcwatch	*w;
	uint32_t	 h;

	h = table_hash(table_hash(TABLE_HASH_INIT, r, sizeof(*r)), s,
	    sizeof(*s));
	while ((n = table_next(&e->tcw, h, n)) != NULL) {
		w = (struct tcwatch *)n;
		if (addr_eq(&w->r, r) && addr_eq(&w->s, s) &&
		    (q == NULL || (w->qtype == qtype &&
		    dns_name_equal(&w->qname, q))))
			return w;
	}
	return NULL;
}

/* D3a: a TC=1 response over UDP; watch for the TCP retry. */
static void
tcw_open(struct engine *e, const struct pending *p, const struct eng_pkt *pkt,
    const struct zone *z)
{
	struct tcwatch	*w;

	if (tcw_find(e, &p->client, &p->server, &p->qname, p->qtype) != NULL)
		return;
	w = xcalloc(1, sizeof(*w));
	w->r = p->client;
	w->s = p->server;
	w->qname = p->qname;
	w->qtype = p->qtype;
	w->ts = pkt->ts_ns;
	w->frame = pkt->frame;
	w->lookup = p->lookup;
	if (z != NULL)
		w->zone = z->name;
	table_insert(&e->tcw, &w->node, table_hash(table_hash(TABLE_HASH_INIT,
	    &w->r, sizeof(w->r)), &w->s, sizeof(w->s)));
}

/* Report a truncation watch's outcome and drop it. */
static void
tcw_outcome(struct engine *e, struct tcwatch *w, const char *outcome,
    enum eng_sev sev)
{
	struct eng_finding	*f;
	char			 subj[1100], zb[DNS_NAME_STRMAX], sb[ADDR_STRLEN];

	ename_str(&w->zone, zb, sizeof(zb));
	if (w->zone.len == 0)
		ename_str(&w->qname, zb, sizeof(zb));
	eaddr_str(&w->s, sb, sizeof(sb));
	snprintf(subj, sizeof(subj), "%s|%s|%s", zb, sb, outcome);
	f = finding_raise(e, ENG_K_TRUNCATED_REFERRAL, sev, subj, w->ts,
	    w->frame, w->lookup);
	finding_set(f, "zone", ENG_FT_STR, "%s", zb);
	finding_set(f, "server", ENG_FT_STR, "%s", sb);
	finding_set(f, "outcome", ENG_FT_STR, "%s", outcome);
	finding_summary(f, "%s truncated its answer for %s; %s", sb, zb,
	    strcmp(outcome, "tcp_answered") == 0 ? "the retry over TCP was "
	    "answered" : strcmp(outcome, "no_tcp_retry") == 0 ?
	    "the resolver did not retry over TCP" : "the TCP fallback failed");
	table_remove(&e->tcw, &w->node);
	free(w);
}

/* A REFERRAL: learn it, draw it, check its glue and its path. */
static void
referral(struct engine *e, const struct pending *p, const struct dns_msg *m,
    const struct eng_pkt *pkt, struct zone *z, const struct dns_rr *nsr,
    struct lookup *l, struct eng_step *st)
{
	struct eng_finding	*f;
	struct zone		*c;
	struct addr		 s;
	char			 cb[DNS_NAME_STRMAX], subj[1100], sb[ADDR_STRLEN];

	addr_from(&s, pkt->family, pkt->src);
	c = deleg_zone(e, &nsr->owner, 1);
	deleg_learn_referral(e, c, z != NULL ? &z->name : NULL, m, &s,
	    pkt->ts_ns);
	c->last_frame = pkt->frame;
	c->last_lookup = p->lookup;
	e->c.referrals++;
	ename_str(&c->name, cb, sizeof(cb));
	if (st != NULL)
		snprintf(st->detail, sizeof(st->detail), "-> %s", cb);
	if (!m->hdr.tc)
		check_glue(e, p, m, pkt, z, &c->name);
	if (m->hdr.aa) {
		snprintf(subj, sizeof(subj), "%s|%s", cb, eaddr_str(&s, sb,
		    sizeof(sb)));
		f = finding_raise(e, ENG_K_AUTHORITATIVE_REFERRAL, ENG_SEV_INFO,
		    subj, pkt->ts_ns, pkt->frame, p->lookup);
		if (f->count == 1) {
			finding_set(f, "zone", ENG_FT_STR, "%s", cb);
			finding_set(f, "server", ENG_FT_STR, "%s", sb);
			finding_summary(f, "%s sets AA=1 on its referral to %s",
			    sb, cb);
		}
	}
	if (l != NULL) {
		l->last_ref = c->name;
		l->l.referrals++;
		check_revisit(e, l, &c->name, pkt);
	}
	detect_zone_changed(e, c, pkt->ts_ns, pkt->frame);
}

/* Everything one upstream response tells. */
void
detect_response(struct engine *e, const struct pending *p,
    const struct dns_msg *m, const struct eng_pkt *pkt)
{
	const struct dns_rr	*nsr;
	struct eng_step		*st;
	struct lookup		*l = lookup_get(e, p->lookup);
	struct zone		*z;
	struct repeat		*rp;
	struct tcwatch		*w;
	struct addr		 s;
	char			 tb[16];
	int			 cls;

	addr_from(&s, pkt->family, pkt->src);
	z = deleg_queried_zone(e, &p->qname, &s);
	cls = detect_classify(m, &p->qname, p->qtype, z, p->rd, &nsr);
	if ((st = lookup_step(l, p)) != NULL) {
		st->rframe = pkt->frame;
		st->cls = (uint8_t)cls;
		st->rcode = m->rcode;
		st->aa = m->hdr.aa;
		st->rtt_us = (uint32_t)((pkt->ts_ns - p->ts) / 1000);
		if (cls != ENG_C_REFERRAL)
			snprintf(st->detail, sizeof(st->detail), "%s %u/%u/%u",
			    dns_rcode_str(m->rcode, tb, sizeof(tb)),
			    m->count[DNS_SEC_AN], m->count[DNS_SEC_NS],
			    m->count[DNS_SEC_AR]);
	}
	if (l != NULL)
		l->l.last_ns = pkt->ts_ns;
	if (m->hdr.aa)
		deleg_learn_auth(e, m, &s, pkt->ts_ns);
	if (cls == ENG_C_REFERRAL && nsr != NULL)
		referral(e, p, m, pkt, z, nsr, l, st);
	if (cls == ENG_C_TRUNCATED && !p->tcp)
		tcw_open(e, p, pkt, z);
	if (p->tcp && (w = tcw_find(e, &p->client, &s, &p->qname,
	    p->qtype)) != NULL)
		tcw_outcome(e, w, m->hdr.tc ? "tcp_failed" : "tcp_answered",
		    m->hdr.tc ? ENG_SEV_ERROR : ENG_SEV_INFO);
	if (!m->hdr.tc && (rp = repeat_get(e, &p->client, &p->qname,
	    p->qtype, 0)) != NULL && (rp->last_cls = (uint8_t)cls, 1))
		for (uint8_t i = 0; i < rp->nservers; i++)
			if (addr_eq(&rp->servers[i], &s))
				rp->answered[i] = 1;
	check_bailiwick(e, p, m, pkt, z, cls);
	check_lame(e, p, m, pkt, z, cls);
	check_nsname(e, p, m, pkt, cls);
	if (l != NULL && m->hdr.aa && (cls == ENG_C_ANSWER ||
	    cls == ENG_C_NXDOMAIN || cls == ENG_C_NODATA) && !l->l.has_client)
		lookup_end(e, l, cls);
	if (z != NULL && m->hdr.aa)
		detect_zone_changed(e, z, pkt->ts_ns, pkt->frame);
}

/* D12: glue for an NS name that differs from its authoritative address. */
static void
check_glue_addrs(struct engine *e, const struct zone *z, uint64_t ts,
    uint64_t frame)
{
	struct eng_finding	*f;
	struct nsname		*nn;
	struct nlist		 g, a;
	char			 zb[DNS_NAME_STRMAX], nb[DNS_NAME_STRMAX];
	char			 subj[1100], ab[ADDR_STRLEN];
	uint8_t			 i, k, j;
	int			 overlap;

	for (i = 0; i < z->nns; i++) {
		nn = deleg_name(e, &z->ns[i].name, 0);
		if (nn == NULL || nn->nglue == 0 || nn->nauth == 0)
			continue;
		overlap = 0;
		for (k = 0; k < nn->nglue; k++)
			for (j = 0; j < nn->nauth; j++)
				overlap |= addr_eq(&nn->glue[k], &nn->auth[j]) ||
				    nn->glue[k].family != nn->auth[j].family;
		if (overlap)
			continue;
		memset(&g, 0, sizeof(g));
		memset(&a, 0, sizeof(a));
		for (k = 0; k < nn->nglue; k++)
			nl_add(&g, eaddr_str(&nn->glue[k], ab, sizeof(ab)));
		for (k = 0; k < nn->nauth; k++)
			nl_add(&a, eaddr_str(&nn->auth[k], ab, sizeof(ab)));
		ename_str(&z->name, zb, sizeof(zb));
		ename_str(&nn->name, nb, sizeof(nb));
		snprintf(subj, sizeof(subj), "%s|%s", zb, nb);
		f = finding_raise(e, ENG_K_GLUE_MISMATCH, ENG_SEV_WARNING, subj,
		    ts, frame, 0);
		finding_set(f, "zone", ENG_FT_STR, "%s", zb);
		finding_set(f, "ns", ENG_FT_STR, "%s", nb);
		finding_set(f, "glue", ENG_FT_LIST, "%s", g.s);
		finding_set(f, "addresses", ENG_FT_LIST, "%s", a.s);
		finding_summary(f, "glue for %s (%s) differs from its "
		    "authoritative addresses (%s)", nb, g.s, a.s);
	}
}

/* D11 and D12 for zone z after the map changed. */
void
detect_zone_changed(struct engine *e, struct zone *z, uint64_t ts,
    uint64_t frame)
{
	struct eng_finding	*f;
	struct nlist		 par, chi, onlyp, onlyc;
	char			 zb[DNS_NAME_STRMAX];
	uint8_t			 i, k;
	int			 found;

	check_glue_addrs(e, z, ts, frame);
	if (z->referrals == 0 || z->nchild == 0)
		return;
	memset(&par, 0, sizeof(par));
	memset(&chi, 0, sizeof(chi));
	memset(&onlyp, 0, sizeof(onlyp));
	memset(&onlyc, 0, sizeof(onlyc));
	for (i = 0; i < z->nns; i++) {
		nl_name(&par, &z->ns[i].name);
		for (found = 0, k = 0; k < z->nchild; k++)
			found |= dns_name_equal(&z->ns[i].name, &z->child_ns[k]);
		if (!found)
			nl_name(&onlyp, &z->ns[i].name);
	}
	for (k = 0; k < z->nchild; k++) {
		nl_name(&chi, &z->child_ns[k]);
		for (found = 0, i = 0; i < z->nns; i++)
			found |= dns_name_equal(&z->ns[i].name, &z->child_ns[k]);
		if (!found)
			nl_name(&onlyc, &z->child_ns[k]);
	}
	if (onlyp.n == 0 && onlyc.n == 0)
		return;
	ename_str(&z->name, zb, sizeof(zb));
	f = finding_raise(e, ENG_K_NS_SET_MISMATCH, onlyp.n ? ENG_SEV_WARNING :
	    ENG_SEV_NOTICE, zb, ts, frame, 0);
	finding_set(f, "zone", ENG_FT_STR, "%s", zb);
	finding_set(f, "parent_ns", ENG_FT_LIST, "%s", par.s);
	finding_set(f, "child_ns", ENG_FT_LIST, "%s", chi.s);
	finding_summary(f, "the parent lists %s for %s, the zone itself %s",
	    par.s, zb, chi.s);
}

/* A query went unanswered for T_resp (D9). */
void
detect_timeout(struct engine *e, const struct pending *p)
{
	struct eng_finding	*f;
	struct eng_step		*st;
	struct server		*s = server_get(e, &p->server, 1);
	struct zone		*z;
	struct addr		 addrs[ADDRS_MAX * 4];
	struct nlist		 sl;
	char			 sb[ADDR_STRLEN], zb[DNS_NAME_STRMAX];
	unsigned		 na, i, dead = 0;
	uint64_t		 q, to;
	int			 low = low_confidence(e);

	s->timeouts++;
	s->win_to++;
	if ((st = lookup_step(lookup_get(e, p->lookup), p)) != NULL) {
		st->cls = ENG_C_TIMEOUT;
		snprintf(st->detail, sizeof(st->detail), "%s", p->icmp ?
		    "ICMP unreachable" : "no response");
	}
	q = s->win_q + s->prev_q;
	to = s->win_to + s->prev_to;
	if (p->icmp)
		s->icmp_unreach++;
	/* An ICMP unreachable proves nobody listens: no minimum then. */
	if ((q < e->conf.srv_min_queries && s->icmp_unreach == 0) ||
	    to * 2 < q)
		return;
	s->unresponsive = 1;
	z = deleg_queried_zone(e, &p->qname, &p->server);
	eaddr_str(&p->server, sb, sizeof(sb));
	f = finding_raise(e, ENG_K_SERVER_UNRESPONSIVE, low ? ENG_SEV_NOTICE :
	    ENG_SEV_WARNING, sb, p->ts, p->frame, p->lookup);
	finding_set(f, "server", ENG_FT_STR, "%s", sb);
	if (z != NULL)
		finding_set(f, "zone", ENG_FT_STR, "%s", ename_str(&z->name, zb,
		    sizeof(zb)));
	finding_set(f, "reason", ENG_FT_STR, "%s", s->icmp_unreach ?
	    "icmp_unreachable" : "timeout");
	finding_set(f, "timeouts", ENG_FT_NUM, "%" PRIu64, to);
	finding_set(f, "queries", ENG_FT_NUM, "%" PRIu64, q);
	if (low)
		finding_set(f, "confidence", ENG_FT_STR, "low");
	finding_summary(f, "%s left %" PRIu64 " of %" PRIu64 " queries "
	    "unanswered%s%s", sb, to, q, p->icmp ? " (ICMP unreachable)" : "",
	    low ? "; the capture may be missing packets" : "");
	if (z == NULL)
		return;
	na = zone_addrs(e, z, addrs, ADDRS_MAX * 4);
	memset(&sl, 0, sizeof(sl));
	for (i = 0; i < na; i++) {
		struct server *o = server_get(e, &addrs[i], 0);

		if (o != NULL && o->unresponsive)
			dead++;
		nl_add(&sl, eaddr_str(&addrs[i], sb, sizeof(sb)));
	}
	if (na == 0 || dead < na)
		return;
	f = finding_raise(e, ENG_K_ZONE_UNREACHABLE, low ? ENG_SEV_NOTICE :
	    ENG_SEV_CRITICAL, zb, p->ts, p->frame, p->lookup);
	finding_set(f, "zone", ENG_FT_STR, "%s", zb);
	finding_set(f, "servers", ENG_FT_LIST, "%s", sl.s);
	finding_summary(f, "no server of %s answers (%s)", zb, sl.s);
}

/* TCP events and ICMP errors for the truncation watches (D3a). */
void
detect_event(struct engine *e, const struct eng_pkt *pkt, enum eng_event ev)
{
	struct tcwatch	*w;
	struct addr	 a, b;

	addr_from(&a, pkt->family, pkt->src);
	addr_from(&b, pkt->family, pkt->dst);
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
detect_unsolicited(struct engine *e, const struct addr *s, uint64_t ts,
    uint64_t frame, int mismatched)
{
	struct eng_finding	*f;
	struct server		*sv = server_get(e, s, 1);
	char			 sb[ADDR_STRLEN];

	sv->unsolicited++;
	eaddr_str(s, sb, sizeof(sb));
	f = finding_raise(e, ENG_K_UNSOLICITED_RESPONSE, ENG_SEV_NOTICE, sb,
	    ts, frame, 0);
	if (f->count == 1)
		finding_set(f, "server", ENG_FT_STR, "%s", sb);
	finding_set(f, "count", ENG_FT_NUM, "%" PRIu64, sv->unsolicited);
	if (mismatched)
		finding_set(f, "mismatched", ENG_FT_BOOL, "true");
	finding_summary(f, "%" PRIu64 " responses from %s matched no query "
	    "seen (the capture may have started after them, or spoofing)",
	    sv->unsolicited, sb);
}

/* Time-driven checks: D3a outcomes, D5 cycles, capture health. */
void
detect_tick(struct engine *e, uint64_t now, int final)
{
	struct tnode	*n, *older;
	struct tcwatch	*w;

	for (n = table_newest(&e->tcw); n != NULL; n = older) {
		older = table_older(&e->tcw, n);
		w = (struct tcwatch *)n;
		if (!w->syn && !w->tcp_query && (final ||
		    now > w->ts + e->conf.t_tcp_ns)) {
			if (final && now <= w->ts + e->conf.t_tcp_ns)
				continue;
			tcw_outcome(e, w, "no_tcp_retry", ENG_SEV_WARNING);
		} else if ((w->syn || w->tcp_query) && (w->rst || final ||
		    now > w->ts + e->conf.t_tcp_ns + e->conf.t_resp_ns))
			tcw_outcome(e, w, "tcp_failed", ENG_SEV_ERROR);
	}
	if (e->deleg_dirty && (final || now >= e->deleg_checked +
	    NS_PER_SEC)) {
		e->deleg_checked = now;
		deleg_cycles(e);
	}
}

/* D16: say loudly what the capture could not see. */
void
detect_health(struct engine *e)
{
	const struct eng_health	*h = &e->c.health;
	struct eng_finding	*f;
	uint64_t		 evicted;
	int			 one_way;
	enum eng_sev		 sev;

	evicted = h->cap_evicted + e->c.evict_pending + e->lookups.evictions +
	    e->zones.evictions + e->names.evictions + e->findings.evictions;
	one_way = (e->c.queries >= 10 && e->c.responses == 0) ||
	    (e->c.responses >= 10 && e->c.queries == 0);
	if (h->pcap_drop + h->if_drop + h->snap_cut + evicted +
	    h->bad_linktype + h->frag_incomplete + h->tcp_gaps == 0 && !one_way)
		return;
	sev = h->pcap_drop || h->if_drop || one_way || evicted ?
	    ENG_SEV_WARNING : ENG_SEV_NOTICE;
	f = finding_raise(e, ENG_K_CAPTURE_HEALTH, sev, "capture", e->now, 0, 0);
	f->count = 1;
	finding_set(f, "dropped", ENG_FT_NUM, "%" PRIu64, h->pcap_drop +
	    h->if_drop);
	finding_set(f, "truncated", ENG_FT_NUM, "%" PRIu64, h->snap_cut);
	finding_set(f, "one_way", ENG_FT_BOOL, "%s", one_way ? "true" :
	    "false");
	finding_set(f, "evicted", ENG_FT_NUM, "%" PRIu64, evicted);
	finding_set(f, "fragments_lost", ENG_FT_NUM, "%" PRIu64,
	    h->frag_incomplete);
	finding_set(f, "tcp_gaps", ENG_FT_NUM, "%" PRIu64, h->tcp_gaps);
	finding_set(f, "unsupported_link", ENG_FT_NUM, "%" PRIu64,
	    h->bad_linktype);
	finding_summary(f, "the capture is incomplete: %" PRIu64 " dropped, %"
	    PRIu64 " cut by the snaplen, %" PRIu64 " evicted%s",
	    h->pcap_drop + h->if_drop, h->snap_cut, evicted, one_way ?
	    ", traffic seen in one direction only" : "");
}
