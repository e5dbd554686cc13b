/*
 * internal.h -- the engine's private state, shared by the engine/ files only.
 *
 * struct engine owns one bounded table (table.h) per kind of knowledge:
 * pending queries, servers (every address seen as a DNS endpoint),
 * zones and NS names (the delegation map, deleg.c), lookups (chains,
 * lookup.c), findings (finding.c), repeated queries and truncation watches
 * (detect.c).  Names inside the engine are always lower-cased wire names.
 */
#ifndef GLUETOP_ENGINE_INTERNAL_H
#define GLUETOP_ENGINE_INTERNAL_H

#include <stdint.h>

#include "decode/dname.h"
#include "engine/engine.h"
#include "util/table.h"

#define NS_PER_SEC	1000000000ULL
#define ACTIVE_MAX	128	/* active lookups remembered per resolver */
#define ADDRS_MAX	8	/* addresses kept per NS name */
#define ZONE_REFERRERS	4

struct dns_msg;
struct dns_rr;

struct addr {
	uint8_t		family;
	uint8_t		b[16];
};

struct server {
	struct tnode	node;
	struct addr	a;
	uint64_t	queries, responses, timeouts, lame, tcp_queries;
	uint64_t	rtt_count, rtt_sum, rtt_min, rtt_max;
	uint64_t	unsolicited, icmp_unreach;
	uint64_t	win_start, win_q, win_to, prev_q, prev_to;
	uint8_t		unresponsive;
	uint8_t		is_resolver;
	uint16_t	last_ede;
	uint32_t	rd0_sent;
	uint32_t	active[ACTIVE_MAX];
	unsigned	active_pos;
};

struct pending {
	struct tnode	node;
	struct addr	client, server;
	uint16_t	cport, sport, id;
	uint8_t		tcp, rd, icmp;
	uint16_t	qtype, qclass, edns_size;
	struct dns_name	qname;
	uint64_t	ts, frame;
	uint32_t	lookup;
	uint16_t	step;
	uint32_t	retrans;
};

enum res_state {
	RES_NONE = 0, RES_ANSWER, RES_NXDOMAIN, RES_NODATA, RES_CNAME,
	RES_FAILED
};

struct nsname {
	struct tnode	node;
	struct dns_name	name;
	struct addr	glue[ADDRS_MAX];
	uint8_t		nglue;
	struct addr	auth[ADDRS_MAX];
	uint8_t		nauth;
	uint8_t		res[2];		/* enum res_state for A, AAAA */
	struct dns_name	zone;		/* a zone that lists it as NS */
};

struct zns {
	struct dns_name	name;
	uint8_t		in_domain;	/* name ⊑ zone */
	uint8_t		sibling;	/* below the parent, not the zone */
	uint8_t		glue;		/* glue seen in a referral */
};

struct zone {
	struct tnode	node;
	struct dns_name	name;
	struct dns_name	parent;		/* len 0: unknown */
	struct zns	*ns;		/* parent-side NS set */
	uint8_t		nns;
	struct dns_name	*child_ns;	/* child-side NS set (AA answers) */
	uint8_t		nchild;
	struct addr	referrer[ZONE_REFERRERS];
	uint8_t		nreferrer;
	struct addr	auth[ADDRS_MAX];	/* servers answering AA in it */
	uint8_t		nauth;
	struct addr	lame[ADDRS_MAX];
	uint8_t		nlame;
	uint64_t	referrals, first_ns, last_ns;
	uint64_t	last_frame;	/* the last referral's frame */
	uint32_t	last_lookup;	/* the lookup it was seen in */
	uint8_t		mismatch_done;
	/* Tarjan bookkeeping for D5. */
	int		idx, low, onstack;
};

struct lookup {
	struct tnode	node;
	struct eng_lookup l;
	struct dns_name	qname;
	struct dns_name	last_ref;	/* zone of the last referral */
	uint32_t	root;		/* id of the tree's first lookup */
	unsigned	steps_cap;
	uint8_t		budget_flags;
};

struct finding {
	struct tnode	node;
	struct eng_finding f;
	char		subject[1100];
};

struct repeat {
	struct tnode	node;
	struct addr	resolver;
	struct dns_name	qname;
	uint16_t	qtype;
	uint64_t	win_start, count, total, rate_start, rate_count;
	uint64_t	repeats;	/* in the window, to servers that answered */
	uint8_t		last_cls;	/* class of the last answer */
	uint8_t		pingpong;	/* D6b already raised in this window */
	struct addr	servers[ADDRS_MAX];
	uint8_t		answered[ADDRS_MAX];	/* that server answered */
	uint8_t		nservers;
};

struct tcwatch {
	struct tnode	node;
	struct addr	r, s;
	struct dns_name	qname;
	uint16_t	qtype;
	uint64_t	ts, frame;
	uint8_t		syn, synack, rst, tcp_query, answered, tc_tcp;
	struct dns_name	zone;
	uint32_t	lookup;
};

struct engine {
	struct engine_conf	conf;
	struct table		pending, late, servers, zones, names, lookups;
	struct table		findings, repeats, tcw;
	struct engine_counters	c;
	uint64_t		gen;
	uint64_t		now;
	uint32_t		next_lookup, next_finding;
	int			deleg_dirty;
	uint64_t		deleg_checked;
	uint64_t		lookup_checked;
	/* Sorted views, rebuilt when gen moves. */
	const struct eng_finding **fview;
	size_t			fview_n, fview_cap;
	uint64_t		fview_gen;
	const struct eng_lookup	**lview;
	size_t			lview_n, lview_cap;
	uint64_t		lview_gen;
	const struct eng_finding **cview;
	size_t			cview_cap;
};

/* engine.c */
struct server	*server_get(struct engine *, const struct addr *, int create);
void		 addr_from(struct addr *, int family, const uint8_t *);
int		 addr_eq(const struct addr *, const struct addr *);
const char	*eaddr_str(const struct addr *, char *, size_t);
const char	*ename_str(const struct dns_name *, char *, size_t);

/* deleg.c: the delegation map (P5) and the cycle search (D5). */
struct zone	*deleg_zone(struct engine *, const struct dns_name *, int);
struct nsname	*deleg_name(struct engine *, const struct dns_name *, int);
struct zone	*deleg_queried_zone(struct engine *, const struct dns_name *,
		    const struct addr *);
struct zone	*deleg_zone_of(struct engine *, const struct dns_name *);
int		 deleg_serves(struct engine *, const struct zone *,
		    const struct addr *);
int		 deleg_name_has_addr(const struct nsname *);
void		 deleg_add_addr(struct addr *, uint8_t *, const struct addr *);
void		 deleg_learn_referral(struct engine *, struct zone *child,
		    const struct dns_name *parent, const struct dns_msg *,
		    const struct addr *server, uint64_t ts);
void		 deleg_learn_auth(struct engine *, const struct dns_msg *,
		    const struct addr *server, uint64_t ts);
void		 deleg_load_hints(struct engine *, const char *path);
void		 deleg_cycles(struct engine *);
void		 zone_free(struct zone *);

/* finding.c */
struct eng_finding *finding_raise(struct engine *, enum eng_kind,
		    enum eng_sev, const char *subject, uint64_t ts,
		    uint64_t frame, uint32_t chain);
void		 finding_set(struct eng_finding *, const char *key,
		    enum eng_ftype, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));
void		 finding_summary(struct eng_finding *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
struct eng_finding *finding_get(struct engine *, enum eng_kind,
		    const char *subject);

/* lookup.c: chains (P6). */
struct lookup	*lookup_get(struct engine *, uint32_t);
struct lookup	*lookup_for_query(struct engine *, const struct addr *r,
		    const struct dns_name *q, uint16_t qtype,
		    const struct addr *s, uint64_t ts, uint64_t frame);
struct lookup	*lookup_for_client(struct engine *, const struct addr *r,
		    const struct addr *client, const struct dns_name *q,
		    uint16_t qtype, uint64_t ts);
struct eng_step	*lookup_add_step(struct engine *, struct lookup *,
		    const struct pending *, const struct zone *);
void		 lookup_end(struct engine *, struct lookup *, int cls);
void		 lookup_expire(struct engine *, uint64_t now);
void		 lookup_free(struct tnode *, void *);
struct eng_step	*lookup_step(struct lookup *, const struct pending *);

/* detect.c: detections on responses, timeouts and time. */
int		 detect_classify(const struct dns_msg *,
		    const struct dns_name *q, uint16_t qtype,
		    const struct zone *z, int query_rd,
		    const struct dns_rr **ns_rr);
void		 detect_response(struct engine *, const struct pending *,
		    const struct dns_msg *, const struct eng_pkt *);
void		 detect_query(struct engine *, const struct pending *,
		    const struct eng_pkt *);
void		 detect_timeout(struct engine *, const struct pending *);
void		 detect_event(struct engine *, const struct eng_pkt *,
		    enum eng_event);
void		 detect_tick(struct engine *, uint64_t now, int final);
void		 detect_health(struct engine *);
void		 detect_zone_changed(struct engine *, struct zone *,
		    uint64_t ts, uint64_t frame);
void		 detect_unsolicited(struct engine *, const struct addr *,
		    uint64_t ts, uint64_t frame, int mismatched);

#endif
