/*
 * internal.h -- the engine's private state, shared by the engine/ files only.
 *
 * struct engine owns one bounded table (util/table.h) per kind of knowledge:
 * pending queries, servers (every address seen as a DNS endpoint), zones
 * and NS names (the delegation map, deleg.c), lookups (chains, lookup.c)
 * and the indexes that find a resolver's active lookups, findings
 * (finding.c), repeated queries and truncation watches (detect.c).
 *
 * Names are interned (names.c): kept once, lower-cased, in wire form, with
 * a reference count; everything holds a struct ename * and compares
 * pointers.  Text is made only by the outputs (ui/).
 *
 * Pointers into a table are good for the message being processed only:
 * every entry fetched while a message, event or tick is processed is held
 * (hold()) and released when it is done, so eviction can never free it
 * under a caller.  Across messages, entries refer to each other by lookup
 * id or by interned name, and find each other again (or find them gone).
 */
#ifndef GLUETOP_ENGINE_INTERNAL_H
#define GLUETOP_ENGINE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "decode/dname.h"
#include "engine/engine.h"
#include "util/table.h"

#define NS_PER_SEC	1000000000ULL
#define ADDRS_MAX	8	/* addresses kept per NS name */
#define ZONE_REFERRERS	4
#define FINDING_SERVERS	8	/* servers listed on one finding (R2.1) */
#define ZONE_SADDR_MAX	16	/* server addresses cached per zone */
#define NAME_ZONES	4	/* zones an NS name is remembered for */
#define IDX_IDS		4	/* lookups kept per index key */
#define NAME_IX		3	/* lookups filed inside a name */
#define NAME_CLASSES	32	/* name sizes, in steps of 16 bytes */
#define HOT_MAX		8	/* ping-pong candidates per resolver */
#define LOOPWAIT_MAX	64	/* D6 loops waiting on their lookups */
#define CDIRTY_MAX	16384	/* zones marked for the cycle search */
#define LOOKUP_STEPS_IN	4	/* steps kept inside a lookup */
#define SCACHE_BITS	12
#define SCACHE_SIZE	(1u << SCACHE_BITS)	/* server pointers cached by address */
#define ZONE_ROOTS	6	/* root causes filed under a zone (cause.c) */
#define ZONE_ORPHANS	4	/* consequences there waiting for a cause */
#define LOOKUP_CAUSES	4	/* root causes a lookup tree met */
#define IMPACT_EXACT	16	/* clients of a cause counted exactly */
#define IMPACT_WORDS	4	/* then 256 bits, linear counting */

/* query_loop identities: which rule, in the key number's top bits. */
#define LOOP_BUDGET	(1ULL << 32)
#define LOOP_REPEAT	(2ULL << 32)
#define LOOP_PINGPONG	(3ULL << 32)

struct dns_msg;
struct dns_rr;

/*
 * A free list of same-sized entries (engine.c): an entry a table lets go
 * of is kept for the next one of its kind, so a flood of new zones,
 * lookups, findings or names costs no malloc per packet.  New entries are
 * cut from chunks the pool owns, growing to 2 MiB chunks the kernel may
 * back with huge pages: entries of a kind lie together, and the tables'
 * random reaches miss the TLB less.  An entry's memory stays an entry of
 * its kind until the engine goes (the number is bounded by the tables),
 * so a pointer to a lookup whose id no longer matches is simply stale.
 * Sanitizer and fuzzing builds (GLUETOP_POISON) take each entry from
 * malloc instead and keep at most max, so bounds checks still see them.
 */
struct finding;

/*
 * A reference to a finding that may have gone since (cause.c): findings'
 * memory stays findings' (their pool never frees, as for lookups) and a
 * freed finding's id is 0, ids never reused, so the reference is good
 * while the id there is still id.
 */
struct fref {
	struct finding	*fp;
	uint32_t	 id;
};

/* A root cause a lookup tree met (cause.c): the queries it sent there. */
struct lcause {
	struct fref	 c;
	uint32_t	 queries;
	uint8_t		 slowed;	/* a timeout or lame answer there */
};

struct pool {
	void		*head;
	size_t		 n, max;
	char		*cur, *end;	/* the free part of the newest chunk */
	void		*chunks;	/* each starts with a link to the next */
	size_t		 csize;		/* the size of the next chunk */
};

struct lookup;

/* A lookup filed under a name (lookup.c): where it was, its id, how. */
struct ixslot {
	struct lookup	*lp;		/* valid while lp's id is id */
	uint32_t	 id;		/* 0: empty */
	uint8_t		 kind;		/* enum idx_kind */
};

/*
 * An interned name (names.c).  It knows its parent (interned on first
 * use, a reference held) and the zone and NS-name entries made for it, so
 * walking up a name and finding its delegation costs no hashing.
 */
struct ename {
	struct tnode	node;
	uint32_t	refs;
	struct ename	*parent;	/* NULL: the root, or not asked yet */
	struct zone	*zone;		/* the zone entry of this name, or NULL */
	struct nsname	*ns;		/* the NS-name entry, or NULL */
	/*
	 * Index entries and repeat counters keyed by this name: how many,
	 * and the one used last (cleared when it goes), so most queries
	 * find theirs, or know there is none, without a hash probe.
	 */
	struct lidx	*lidx;
	struct repeat	*rep[2];	/* most recently used first */
	uint32_t	 nlidx, nrep;
	/*
	 * The first lookups filed under this name, of any resolver and
	 * kind: most names never need an index entry of their own.
	 */
	struct ixslot	 ix[NAME_IX];
	struct dns_name	n;		/* lower-case wire form (allocated to
					   its length: never copy it whole) */
};

/* The interned name around a name the engine handed out (NULL for NULL). */
#define ename_of(p)	((p) == NULL ? NULL : (struct ename *)(void *)	\
	((char *)(uintptr_t)(p) - offsetof(struct ename, n)))

struct server {
	struct tnode	node;
	struct eng_addr	a;
	uint64_t	queries, responses, timeouts, lame, tcp_queries;
	uint64_t	rtt_count, rtt_sum, rtt_min, rtt_max;
	uint64_t	unsolicited, icmp_unreach;
	uint64_t	win_start, win_q, win_to, prev_q, prev_to;
	uint8_t		unresponsive;
	uint8_t		is_resolver;
	uint8_t		worst;		/* enum eng_sev of its findings */
	uint16_t	last_ede;
	uint32_t	rd0_sent;
	/* D9: its last TCP connection attempt, and whether it was accepted. */
	uint64_t	syn_ts, fin_ts;	/* fin: the client closed */
	uint8_t		syn_ok;
	uint8_t		nzones, nhot;
	/* Arrays from here on are read up to their counts: not zeroed. */
	struct ename	*zones[ENG_SERVER_ZONES];	/* served, newest first */
	/* D6b: this resolver's questions at the ping-pong threshold. */
	struct ename	*hot[HOT_MAX];
	uint16_t	hot_type[HOT_MAX];
};

struct pending {
	struct tnode	node;
	struct eng_addr	client, server;
	uint16_t	cport, sport, id;
	uint8_t		tcp, rd, icmp;
	uint16_t	qtype, qclass, edns_size;
	struct ename	*qname;
	struct ename	*zone;		/* the zone queried, when known */
	uint64_t	ts, frame;
	uint32_t	lookup;
	uint16_t	step;
	uint32_t	retrans;
	uint8_t		ask1;		/* its question was asked first */
	struct ask1	*a1;		/* its question's slot (upstream) */
	/*
	 * While it waits, the query pins its lookup and its repeat counter:
	 * its response finds them without a lookup, and they cannot go.
	 */
	struct lookup	*lp;
	struct repeat	*rp;
	/* Once timed out (the late table): lp, unpinned, checked by id. */
	struct lookup	*late_lp;
};

enum res_state {
	RES_NONE = 0, RES_ANSWER, RES_NXDOMAIN, RES_NODATA, RES_CNAME,
	RES_FAILED
};

/* What is known of an NS name: its addresses and how lookups of it went. */
struct nsname {
	struct tnode	node;
	struct ename	*name;
	uint8_t		nglue, nauth, nzones;
	uint8_t		res[2];		/* enum res_state for A, AAAA */
	/* Arrays from here on are read up to their counts: not zeroed. */
	struct ename	*zones[NAME_ZONES];	/* zones that list it as NS */
	struct eng_addr	glue[ADDRS_MAX];
	struct eng_addr	auth[ADDRS_MAX];
};

struct zns {
	struct ename	*name;
	uint8_t		in_domain;	/* name ⊑ zone */
	uint8_t		sibling;	/* below the parent, not the zone */
	uint8_t		glue;		/* glue seen in a referral */
};

struct zone {
	struct tnode	node;
	struct ename	*name;
	struct ename	*parent;	/* NULL: unknown */
	struct zns	*ns;		/* parent-side NS set */
	uint8_t		nns;
	struct ename	**child_ns;	/* child-side NS set (AA answers) */
	uint8_t		nchild;
	uint8_t		nreferrer, nauth, nlame;
	uint64_t	referrals, first_ns, last_ns;
	uint64_t	last_frame;	/* the last referral's frame */
	uint32_t	last_lookup;	/* the lookup it was seen in */
	uint8_t		worst;		/* enum eng_sev of its findings */
	uint8_t		nsaddr;
	uint8_t		saddr_dirty;
	uint64_t	smask;		/* a bit per address in saddr[] */
	uint16_t	refsize;	/* D3c's size for its NS set, 0: not yet */
	uint8_t		nroots, norphans;	/* cause.c */
	uint8_t		lookup_failed;	/* a lookup through it failed (D9) */
	uint8_t		in_cycle;	/* reported in a D5 cycle */
	/* Tarjan bookkeeping for D5 (valid when epoch is the search's). */
	uint32_t	epoch, marked;
	int		idx, low, onstack;
	/* Arrays from here on are read up to their counts: not zeroed. */
	struct eng_addr	referrer[ZONE_REFERRERS];
	struct eng_addr	auth[ADDRS_MAX];	/* servers answering AA in it */
	struct eng_addr	lame[ADDRS_MAX];
	/* Its servers' addresses, rebuilt when something they come from changed. */
	struct eng_addr	saddr[ZONE_SADDR_MAX];
	/* Root causes naming the zone, and consequences waiting for one. */
	struct fref	roots[ZONE_ROOTS];
	struct fref	orphans[ZONE_ORPHANS];
};

struct lookup {
	struct tnode	node;
	struct eng_lookup l;
	struct ename	*qname;
	struct ename	*last_ref;	/* zone of the last referral */
	struct ename	*for_zone;	/* sub-lookups: the zone whose NS it is */
	uint32_t	root;		/* id of the tree's first lookup */
	/* Where root and parent were (valid while their ids match). */
	struct lookup	*rootp, *parentp;
	struct lookup	*aprev, *anext;	/* the active list, while running */
	unsigned	steps_cap;
	uint8_t		budget_flags;
	uint8_t		nlc;
	struct lcause	lc[LOOKUP_CAUSES];	/* the tree's, in the root */
	/* Read up to l.nsteps: not zeroed. */
	struct eng_step	step0[LOOKUP_STEPS_IN];	/* the first steps */
};

/* Index of a resolver's active lookups by name (lookup.c). */
enum idx_kind { IDX_EXACT = 0, IDX_UNDER, IDX_DEP, IDX_KINDS };

struct lidx {
	struct tnode	node;
	struct eng_addr	r;
	struct ename	*name;
	uint32_t	ids[IDX_KINDS][IDX_IDS];	/* by kind, newest first */
	/*
	 * Where each was: lookups are type-stable, ids never reused.  Read
	 * only where ids[][] is not 0: not zeroed.
	 */
	struct lookup	*lp[IDX_KINDS][IDX_IDS];
};

struct finding {
	struct tnode	node;
	struct eng_finding f;
	struct ename	*key[3];	/* names in its identity */
	struct eng_addr	key_addr;
	uint64_t	key_num;
	struct finding	*cprev, *cnext;	/* the changed list, by gen */
	/* R2.2 (cause.c): the link to a root cause, both ways. */
	struct finding	*cause;		/* NULL: not linked */
	struct finding	*conseq;	/* the first linked consequence */
	struct finding	*sprev, *snext;	/* consequences of one cause */
	uint8_t		 own_sev;	/* its severity while linked */
	uint8_t		 nchash;
	uint32_t	 chash[IMPACT_EXACT];	/* its clients' hashes */
	uint64_t	 cbits[IMPACT_WORDS];	/* and past those, bits */
};

struct repeat {
	struct tnode	node;
	struct eng_addr	resolver;
	struct ename	*qname;
	uint16_t	qtype;
	uint64_t	win_start, count, total, rate_start, rate_count;
	uint64_t	last_ts;	/* when it was last asked */
	uint64_t	repeats;	/* in the window, to servers that answered */
	uint8_t		last_cls;	/* class of the last answer */
	uint8_t		pingpong;	/* D6b already raised in this window */
	uint8_t		waiting;	/* D6a waits on its lookup (loopwait) */
	uint8_t		nservers;
	uint32_t	lookup;		/* the lookup it was last asked in */
	struct lookup	*lp;		/* where that was (lookup_at) */
	/* Read up to nservers: not zeroed. */
	struct eng_addr	servers[ADDRS_MAX];
	uint8_t		answered[ADDRS_MAX];	/* that server answered */
};

/*
 * A question asked once (detect.c): who asked whom, when, and how it was
 * answered.  Kept in a direct-mapped array instead of a repeat counter;
 * the second asking makes the counter from it.
 */
struct ask1 {
	struct eng_addr	 resolver, server;
	uint32_t	 nhash;		/* the name's table hash */
	uint16_t	 qtype;
	uint8_t		 used, answered, has_cls, cls;
	uint64_t	 ts;
};

/*
 * A D6a/b loop seen, waiting for its lookups to show it is one (R2.1):
 * a question a resolver repeats while it revalidates a working delegation
 * is not a loop; one whose lookup fails, goes over a budget or goes on
 * for W_rep is.  Checked from detect_tick.
 */
struct loopwait {
	struct eng_addr	 resolver;
	uint64_t	 rule;		/* LOOP_REPEAT | qtype, LOOP_PINGPONG */
	uint64_t	 ts, frame;
	uint32_t	 chain;
	uint8_t		 n;
	struct ename	*names[HOT_MAX];	/* the questions (refs) */
	uint32_t	 ids[HOT_MAX];		/* and their lookups */
	struct lookup	*lp[HOT_MAX];
};

struct tcwatch {
	struct tnode	node;
	struct eng_addr	r, s;
	struct ename	*qname;
	uint16_t	qtype;
	uint64_t	ts, frame;
	uint8_t		syn, synack, rst, tcp_query, answered, tc_tcp;
	struct ename	*parent;	/* the truncating server's zone, or NULL */
	uint32_t	lookup;
	uint32_t	size;		/* the truncated response's length */
	uint16_t	limit;		/* the query's EDNS buffer (512: none) */
};

/* A lookup's id and where it was (lookup_get). */
struct lbyid {
	uint32_t	 id;
	struct lookup	*lp;
};

/* An entry held for the message being processed. */
struct held {
	struct table	*t;
	struct tnode	*n;
};

/* Everything one upstream response tells, worked out once (detect.c). */
struct rctx {
	const struct pending	*p;
	const struct dns_msg	*m;
	const struct eng_pkt	*pkt;
	struct eng_addr		 s;		/* the server that answered */
	struct server		*sv;
	struct zone		*z;		/* queried zone, or NULL */
	int			 cls;		/* enum eng_class */
	const struct dns_rr	*nsr;		/* NS record making a referral */
	struct zone		*child;		/* the zone referred to */
	struct lookup		*l;
	struct eng_step		*st;
};

struct engine {
	struct engine_conf	conf;
	struct table		names, pending, late, servers, zones, nsnames;
	struct table		lookups, lidx, findings, repeats, tcw;
	struct engine_counters	c;
	uint8_t			 dnstap;	/* fed from dnstap: no ICMP */
	struct pending		*pfree;		/* freed pending entries */
	size_t			 npfree;
	struct pool		 pl_lookup, pl_lidx, pl_repeat, pl_finding;
	struct pool		 pl_zone, pl_nsname, pl_server;
	struct pool		 pl_name[NAME_CLASSES];	/* by size / 16 */
	/* Questions asked once (detect.c), by a hash of the question. */
	struct ask1		*ask1;
	size_t			 nask1;		/* a power of two */
	/* Servers used lately, by address bits (type-stable: checked). */
	struct server		*scache[SCACHE_SIZE];
	uint64_t		gen;
	uint64_t		now;
	uint64_t		clock_jumps;
	uint32_t		next_lookup, next_finding;
	uint64_t		deleg_checked;
	uint64_t		tcw_checked;
	/* Zones the next cycle search starts from (deleg.c). */
	struct ename		*cdirty[CDIRTY_MAX];
	size_t			 ncdirty;
	/* D6 loops waiting on their lookups (detect.c), oldest first. */
	struct loopwait		 lw[LOOPWAIT_MAX];
	size_t			 nlw;
	uint64_t		 lw_checked;
	uint32_t		 cyc_epoch;
	uint64_t		lookup_checked;
	uint64_t		lookups_done;	/* finished lookups kept */
	struct lookup		*ahead, *atail;	/* running, oldest first */
	struct lidx		*lidx_last;	/* the index entry used last */
	struct ename		*root;		/* the root name */
	/* Entries held for the message being processed. */
	struct held		*held;
	size_t			 nheld, held_cap;
	int			 depth;
	/* Findings in order of their last change, oldest first. */
	struct finding		*chead, *ctail;
	/* The sweep that clears findings not seen for w_clear. */
	struct finding		*sweep;		/* next to look at, or NULL */
	uint64_t		 sweep_ns;	/* packet time of the last turn */
	/* Sorted views, rebuilt when asked and something changed. */
	const struct eng_finding **fview;
	size_t			fview_n, fview_cap;
	uint64_t		fview_gen;
	/* Lookups by id for the outputs, rebuilt when new ones came. */
	struct lbyid		*byid;
	size_t			byid_n, byid_cap;
	uint32_t		byid_next;	/* next_lookup when built */
	const struct eng_lookup	**lview;
	size_t			lview_n, lview_cap;
	uint64_t		lview_gen;
	const struct eng_finding **cview;
	size_t			cview_cap;
	struct eng_zone_view	*zview;
	size_t			zview_cap;
	struct eng_server_view	*sview;
	size_t			sview_cap;
	struct top		*top;		/* NULL unless conf.top */
};

/* top.c */
struct top	*top_create(void);
void		 top_destroy(struct top *);
void		 top_reset(struct top *);
void		 top_message(struct top *, const struct eng_pkt *,
		    const struct dns_msg *);

/* engine.c */
void		*pool_get(struct pool *, size_t);
void		*pool_take(struct pool *, size_t, size_t);
void		 pool_put(struct pool *, void *);
void		 pool_drain(struct pool *);
void		 hold(struct engine *, struct table *, struct tnode *);
struct server	*server_get(struct engine *, const struct eng_addr *, int create);
struct server	*server_peek(const struct engine *, const struct eng_addr *);
void		 addr_from(struct eng_addr *, int family, const uint8_t *);
/* Address equality (inline: the hottest comparison in the engine). */
static inline int
addr_eq(const struct eng_addr *a, const struct eng_addr *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}
uint32_t	 addr_hash(uint32_t, const struct eng_addr *);
void		 server_add_zone(struct engine *, struct server *,
		    struct ename *);
void		 pending_pin(struct engine *, struct pending *, struct lookup *,
		    struct repeat *);

/* tunables.c */
void		 tunables_defaults(struct engine_conf *);

/* names.c: interned names. */
struct ename	*name_get(struct engine *, const struct dns_name *);
struct ename	*name_find(struct engine *, const struct dns_name *);
struct ename	*name_get_near(struct engine *, struct ename *,
		    const struct dns_name *);
struct ename	*name_parent(struct engine *, struct ename *);
struct ename	*name_ref(struct ename *);
void		 name_put(struct engine *, struct ename *);
void		 name_puts(struct engine *, struct ename **, unsigned);
void		 name_list_push(struct engine *, struct ename **, uint8_t *,
		    uint8_t max, struct ename *);
uint32_t	 name_hash(const struct ename *);
int		 name_is_sub(const struct ename *, const struct ename *);

/* deleg.c: the delegation map (P5) and the cycle search (D5). */
struct zone	*deleg_zone(struct engine *, struct ename *, int create);
struct zone	*deleg_zone_peek(const struct engine *, const struct ename *);
struct nsname	*deleg_name(struct engine *, struct ename *, int create);
struct nsname	*deleg_name_peek(const struct engine *, const struct ename *);
struct zone	*deleg_queried_zone(struct engine *, struct ename *,
		    const struct eng_addr *);
struct zone	*deleg_zone_of(struct engine *, struct ename *);
struct ename	*deleg_child_toward(struct engine *, struct ename *parent,
		    struct ename *);
int		 deleg_serves(struct engine *, struct zone *,
		    const struct eng_addr *);
int		 deleg_name_has_addr(const struct nsname *);
void		 deleg_add_addr(struct eng_addr *, uint8_t *, const struct eng_addr *);
unsigned	 deleg_zone_addrs(struct engine *, struct zone *,
		    const struct eng_addr **);
void		 deleg_learn_referral(struct engine *, struct zone *child,
		    struct ename *parent, const struct dns_msg *,
		    const struct eng_addr *server, uint64_t ts);
void		 deleg_learn_auth(struct engine *, const struct dns_msg *,
		    struct ename *qname, const struct eng_addr *server,
		    uint64_t ts);
void		 deleg_load_hints(struct engine *, const char *path);
void		 deleg_mark(struct engine *, struct zone *);
void		 deleg_cycles(struct engine *);
void		 zone_free(struct engine *, struct zone *);
void		 nsname_free(struct engine *, struct nsname *);

/* finding.c */
struct eng_finding *finding_raise(struct engine *, enum eng_kind,
		    enum eng_sev, struct ename *const key[3],
		    const struct eng_addr *key_addr, uint64_t key_num,
		    uint64_t ts, uint64_t frame, uint32_t chain);
void		 finding_name(struct engine *, struct eng_finding *,
		    enum eng_key, struct ename *);
void		 finding_names(struct engine *, struct eng_finding *,
		    enum eng_key, struct ename *const *, unsigned);
void		 finding_addr(struct eng_finding *, enum eng_key,
		    const struct eng_addr *);
void		 finding_addrs(struct eng_finding *, enum eng_key,
		    const struct eng_addr *, unsigned);
void		 finding_addr_add(struct eng_finding *, enum eng_key,
		    const struct eng_addr *, unsigned max);
void		 finding_referrers(struct eng_finding *, const struct zone *);
void		 finding_names_add(struct engine *, struct eng_finding *,
		    enum eng_key, struct ename *const *, unsigned,
		    unsigned max);
void		 finding_num(struct eng_finding *, enum eng_key, uint64_t);
void		 finding_word(struct eng_finding *, enum eng_key,
		    const char *);
void		 finding_sev(struct engine *, struct eng_finding *,
		    enum eng_sev);
struct eng_finding *finding_get(struct engine *, enum eng_kind,
		    struct ename *const key[3], const struct eng_addr *, uint64_t);
void		 finding_changed(struct engine *, struct eng_finding *);
void		 finding_sweep(struct engine *, uint64_t now);
void		 finding_mark_worst(struct engine *, struct eng_finding *);
void		 finding_free(struct tnode *, void *);
int		 finding_root_kind(const struct eng_finding *);

/* cause.c: root causes, their consequences and impact (R2.2). */
void		 cause_finding_done(struct engine *, struct eng_finding *);
void		 cause_lookup_end(struct engine *, struct lookup *);
void		 cause_lookup_late(struct engine *, struct lookup *);
void		 held_causes(struct engine *);
void		 cause_free(struct engine *, struct finding *);

/* lookup.c: chains (P6). */
struct lookup	*lookup_get(struct engine *, uint32_t);
struct lookup	*lookup_at(struct lookup *, uint32_t);
struct lookup	*lookup_root(struct lookup *);
struct lookup	*lookup_for_query(struct engine *, const struct eng_addr *r,
		    struct ename *q, uint16_t qtype, const struct eng_addr *s,
		    uint64_t ts, uint64_t frame);
struct lookup	*lookup_for_client(struct engine *, const struct eng_addr *r,
		    const struct eng_addr *client, struct ename *q,
		    uint16_t qtype, uint64_t ts);
struct eng_step	*lookup_add_step(struct engine *, struct lookup *,
		    const struct pending *, const struct zone *);
void		 lookup_referred(struct engine *, struct lookup *,
		    struct zone *);
void		 lookup_end(struct engine *, struct lookup *, int cls);
void		 lookup_failed_late(struct engine *, struct lookup *);
void		 lookup_expire(struct engine *, uint64_t now);
void		 lookup_free(struct tnode *, void *);
void		 lidx_free(struct tnode *, void *);
struct eng_step	*lookup_step(struct lookup *, const struct pending *);

/* detect.c: detections on responses, timeouts and time. */
int		 detect_classify(const struct dns_msg *,
		    const struct dns_name *q, uint16_t qtype,
		    const struct zone *z, int query_rd,
		    const struct dns_rr **ns_rr);
void		 detect_response(struct engine *, const struct pending *,
		    struct server *, const struct dns_msg *,
		    const struct eng_pkt *);
void		 detect_query(struct engine *, const struct pending *,
		    struct server *, const struct eng_pkt *);
void		 detect_timeout(struct engine *, const struct pending *);
void		 detect_lookup_end(struct engine *, struct lookup *);
void		 detect_event(struct engine *, const struct eng_pkt *,
		    enum eng_event);
void		 detect_tick(struct engine *, uint64_t now, int final);
void		 detect_health(struct engine *);
void		 detect_zone_changed(struct engine *, struct zone *,
		    uint64_t ts, uint64_t frame);
void		 detect_unsolicited(struct engine *, const struct eng_addr *,
		    uint64_t ts, uint64_t frame, int mismatched);
void		 repeat_free(struct tnode *, void *);
void		 detect_clear(struct engine *);
struct ask1	*ask1_slot(struct engine *, const struct eng_addr *,
		    const struct ename *, uint16_t);
void		 tcw_free(struct tnode *, void *);

#endif
