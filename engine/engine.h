/*
 * engine.h -- gluetop's state: pairing, delegation map, chains, findings.
 *
 * The engine is fed decoded DNS messages in capture order with
 * engine_message(), connection events with engine_event(), and the passage
 * of packet time with engine_tick(); it never reads a clock (STYLE.md rule
 * 39).  From them it pairs queries with responses (DETECTIONS.md P2), tells
 * resolvers from clients (P3), classifies responses (P4), keeps the
 * delegation map (P5), rebuilds lookups as chains (P6), raises findings
 * (D1-D16) and links the consequences among them to their root causes,
 * counting what each root cause broke (R2.2).  It never draws: outputs
 * read its state through the read-only accessors below and watch
 * engine_generation() to know when to redraw (rule 9).
 *
 * Every table is bounded by a cap in struct engine_conf (defaults and ranges
 * in the tunables table, engine_tunables()) and evicts its least recently
 * used entry that is not in use when full; evictions are counted in
 * engine_counters.  State goes out typed: names as struct dns_name (lower
 * case, wire form), addresses binary, finding fields as typed values
 * described by the key table (engine_key_*); the outputs make the words.
 * The engine owns all returned pointers; they stay valid until the next
 * call that feeds it (message, event, tick, end, reset).
 */
#ifndef GLUETOP_ENGINE_H
#define GLUETOP_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "decode/dname.h"

struct dns_msg;
struct dns_name;
struct engine;

/* The packet around a message, as capture saw it (capture/ not included). */
struct eng_pkt {
	uint64_t	ts_ns;
	uint64_t	frame;
	uint8_t		family;		/* 4 or 6 */
	uint8_t		tcp;		/* 1: TCP, 0: UDP */
	uint8_t		snapcut;	/* the message was cut by the snaplen */
	uint8_t		src[16], dst[16];
	uint16_t	sport, dport;
	size_t		len;		/* message bytes */
	/* dnstap input: the zone queried (query_zone), or NULL; and 1 when
	 * the message came from dnstap, which logs no ICMP or handshake. */
	const struct dns_name *zone;
	uint8_t		dnstap;
};

enum eng_event {
	ENG_EV_TCP_SYN = 1,
	ENG_EV_TCP_SYNACK,
	ENG_EV_TCP_RST,
	ENG_EV_TCP_FIN,
	ENG_EV_ICMP_UNREACH,	/* src/dst/ports of the quoted packet */
};

/* Severities, most severe first (Zonemaster's scale). */
enum eng_sev {
	ENG_SEV_CRITICAL = 0,
	ENG_SEV_ERROR,
	ENG_SEV_WARNING,
	ENG_SEV_NOTICE,
	ENG_SEV_INFO,
	ENG_SEV__MAX
};

const char	*engine_sev_name(enum eng_sev);
int		 engine_sev_from_str(const char *, enum eng_sev *);

/* Finding kinds; names are a public interface (DETECTIONS.md). */
enum eng_kind {
	ENG_K_GLUE_MISSING_IN_DOMAIN = 0,	/* D1 */
	ENG_K_GLUE_MISSING_SIBLING,		/* D2 */
	ENG_K_TRUNCATED_REFERRAL,		/* D3a */
	ENG_K_GLUE_DROPPED_WITHOUT_TC,		/* D3b */
	ENG_K_OUT_OF_BAILIWICK_DATA,		/* D4 */
	ENG_K_CIRCULAR_DELEGATION,		/* D5 */
	ENG_K_QUERY_LOOP,			/* D6 */
	ENG_K_LAME_DELEGATION,			/* D7 */
	ENG_K_NS_NAME_UNRESOLVABLE,		/* D8 */
	ENG_K_SERVER_UNRESPONSIVE,		/* D9 */
	ENG_K_ZONE_UNREACHABLE,			/* D9 */
	ENG_K_NS_SET_MISMATCH,			/* D11 */
	ENG_K_GLUE_MISMATCH,			/* D12 */
	ENG_K_REFERRAL_REVISIT,			/* D13 */
	ENG_K_AUTHORITATIVE_REFERRAL,		/* D14 */
	ENG_K_UNSOLICITED_RESPONSE,		/* D15 */
	ENG_K_CAPTURE_HEALTH,			/* D16 */
	ENG_K_REFERRAL_SIZE,			/* D3c */
	ENG_K__MAX
};

const char	*engine_kind_name(enum eng_kind);

/* A binary address (family 4 or 6; IPv4 in the first 4 bytes). */
struct eng_addr {
	uint8_t		family;
	uint8_t		b[16];
};

/*
 * The fields a finding may carry.  One table (engine_key_*) gives each its
 * JSON name and its type; a finding lists the ones its kind sets, in the
 * order they were set.  Hidden fields feed the outputs' one-line summary
 * and are not printed as fields.
 */
enum eng_key {
	ENG_F_ZONE = 0, ENG_F_PARENT, ENG_F_SERVER, ENG_F_NS, ENG_F_CYCLE,
	ENG_F_SERVERS, ENG_F_OWNER, ENG_F_QNAME, ENG_F_QTYPE, ENG_F_RESOLVER,
	ENG_F_QNAMES, ENG_F_COUNT, ENG_F_WINDOW, ENG_F_REASON, ENG_F_OUTCOME,
	ENG_F_PARTIAL, ENG_F_DETECTED, ENG_F_SIZE, ENG_F_LIMIT,
	ENG_F_TIMEOUTS, ENG_F_QUERIES, ENG_F_CONFIDENCE, ENG_F_GLUE,
	ENG_F_ADDRESSES, ENG_F_PARENT_NS, ENG_F_CHILD_NS, ENG_F_MISMATCHED,
	ENG_F_DROPPED, ENG_F_TRUNCATED, ENG_F_ONE_WAY, ENG_F_EVICTED,
	ENG_F_FRAGMENTS_LOST, ENG_F_TCP_GAPS, ENG_F_UNSUPPORTED_LINK,
	ENG_F_CLOCK_JUMPS,
	/* hidden */
	ENG_F_BAD, ENG_F_NSERVERS, ENG_F_OTHERS, ENG_F_ROOT, ENG_F_ICMP,
	ENG_F_GLUE_RR,
	ENG_F__MAX
};

enum eng_vtype {
	ENG_V_NAME = 0,		/* one name */
	ENG_V_NAMES,		/* a list of names */
	ENG_V_ADDR,		/* one address */
	ENG_V_ADDRS,		/* a list of addresses */
	ENG_V_NUM,		/* an unsigned integer */
	ENG_V_BOOL,
	ENG_V_WORD,		/* a fixed keyword (reason, outcome, ...) */
	ENG_V_QTYPE,		/* an RR type */
};

const char	*engine_key_name(enum eng_key);
enum eng_vtype	 engine_key_type(enum eng_key);
int		 engine_key_hidden(enum eng_key);

#define ENG_FIELDS_MAX		12
#define ENG_EVIDENCE_MAX	16
#define ENG_FNAMES_MAX		40	/* names in one finding's lists */
#define ENG_FADDRS_MAX		24	/* addresses in one finding's lists */

/* One field: a value, or n items of the finding's names[] or addrs[]. */
struct eng_field {
	uint8_t		 key;		/* enum eng_key */
	uint8_t		 n;		/* items (lists, NAME, ADDR) */
	uint8_t		 off;		/* first item in names[] or addrs[] */
	uint64_t	 num;		/* NUM, BOOL, QTYPE */
	const char	*word;		/* WORD: static text */
};

/*
 * What a root cause broke (DETECTIONS.md R2.2), counted when a client
 * lookup (one with no parent) ends, from its chain and the chains of the
 * sub-lookups that ended before it.
 */
struct eng_impact {
	uint64_t	lookups_failed;	/* ended in SERVFAIL or no answer */
	uint64_t	lookups_slowed;	/* answered after a timeout or a lame
					 * answer at the fault */
	uint64_t	clients;	/* distinct client addresses among them,
					 * estimated (256-bit linear counting:
					 * exact in practice up to a few dozen) */
	uint64_t	queries_spent;	/* their upstream queries into the fault */
};

struct eng_finding {
	uint32_t	 id;
	uint8_t		 kind;		/* enum eng_kind */
	uint8_t		 sev;		/* enum eng_sev */
	uint8_t		 nfields, nnames, naddrs, nframes, nchains;
	/*
	 * Not seen again for w_clear of packet time: the fault looks over.
	 * Streamed JSON says so ("event":"cleared"); seen again, it is not.
	 */
	uint8_t		 cleared;
	uint64_t	 count;
	uint64_t	 first_ns, last_ns;
	uint64_t	 gen;		/* engine generation when it last changed */
	/*
	 * R2.2: a consequence names its root cause's id and is shown at
	 * notice while the cause is kept (the link goes with the cause);
	 * a root cause counts its linked consequences and its impact.
	 */
	uint32_t	 caused_by;	/* 0: none */
	uint32_t	 nconsequences;
	struct eng_impact impact;
	/* Each array is valid up to its count above. */
	struct eng_field fields[ENG_FIELDS_MAX];
	const struct dns_name *names[ENG_FNAMES_MAX];
	struct eng_addr	 addrs[ENG_FADDRS_MAX];
	uint64_t	 frames[ENG_EVIDENCE_MAX];	/* first frames seen */
	uint32_t	 chains[4];	/* lookup ids */
};

/* A field of a finding by key, or NULL. */
const struct eng_field *engine_field(const struct eng_finding *,
		    enum eng_key);
/*
 * Does the finding name something to change (DETECTIONS.md R2.2 root
 * causes): D1, D2, D3b, D5, D7, D8, zone_unreachable, D11, D12, and D3a when
 * the TCP fallback failed or was never tried?  A finding linked to another
 * root cause (caused_by) is a consequence, not a root cause.
 */
int		 engine_finding_is_root(const struct eng_finding *);
/* The root cause a consequence is linked to, or NULL (valid as above). */
const struct eng_finding *engine_finding_cause(const struct engine *,
		    const struct eng_finding *);

/* Response classes (DETECTIONS.md P4). */
enum eng_class {
	ENG_C_NONE = 0,		/* no response (yet) */
	ENG_C_TRUNCATED,
	ENG_C_RCODE_ERROR,
	ENG_C_ANSWER,
	ENG_C_CNAME,
	ENG_C_NXDOMAIN,
	ENG_C_NODATA,
	ENG_C_REFERRAL,
	ENG_C_UPWARD_REFERRAL,
	ENG_C_SIDEWAYS_NS,
	ENG_C_EMPTY,
	ENG_C_REC_LAME,
	ENG_C_TIMEOUT,
	ENG_C__MAX
};

const char	*engine_class_name(enum eng_class);

/* One step of a lookup: a query, and what came back (P6). */
struct eng_step {
	uint64_t	ts_ns;
	uint64_t	frame;		/* the query's frame */
	uint64_t	rframe;		/* the response's frame, 0 if none */
	const struct dns_name *qname;
	uint16_t	qtype;
	const struct dns_name *zone;	/* queried zone, NULL when unknown */
	uint8_t		family;
	uint8_t		server[16];
	uint8_t		tcp;
	uint8_t		cls;		/* enum eng_class */
	uint16_t	rcode;
	uint8_t		aa;
	uint32_t	rtt_us;
	uint8_t		icmp;		/* a timeout proven by ICMP */
	uint16_t	an, ns, ar;	/* the response's section counts */
	const struct dns_name *referral;	/* the zone referred to */
};

#define ENG_STEPS_MAX	32	/* steps kept per lookup; more are counted */

struct eng_lookup {
	uint32_t	id;
	uint32_t	parent;		/* 0: none */
	uint8_t		family;
	uint8_t		resolver[16];
	uint8_t		has_client;
	uint8_t		client[16];
	uint8_t		client_family;
	const struct dns_name *qname;
	uint16_t	qtype;
	const struct dns_name *for_zone;	/* sub-lookups: the address of
					 * NS qname for this zone */
	uint64_t	start_ns, last_ns;
	uint8_t		done;
	uint8_t		outcome;	/* enum eng_class of the end */
	uint16_t	client_rcode;	/* valid when client_answered */
	uint8_t		client_answered;	/* the client got a response
					 * (perhaps after its timeout) */
	uint32_t	client_ede;	/* the first EDE code the client got,
					 * plus one; 0: none */
	uint8_t		failed;		/* SERVFAIL, timeout or loop */
	unsigned	depth;
	unsigned	queries;	/* upstream queries in this lookup */
	unsigned	referrals;
	unsigned	nsteps;		/* steps stored (<= ENG_STEPS_MAX) */
	unsigned	steps_dropped;
	struct eng_step	*steps;		/* nsteps of them, oldest first */
	uint32_t	tree_queries;	/* upstream queries in the whole tree */
};

#define ENG_ZONE_NS_MAX		16
#define ENG_ADDRS_MAX		8
#define ENG_SERVER_ZONES	8

/* A delegation's NS name with what is known of its addresses. */
struct eng_zone_ns {
	const struct dns_name *name;
	uint8_t		glue_state;	/* enum eng_glue */
	uint8_t		in_domain;	/* n ⊑ zone */
	uint8_t		nglue, naddrs;
	struct eng_addr	glue[ENG_ADDRS_MAX];	/* seen as glue */
	struct eng_addr	addrs[ENG_ADDRS_MAX];	/* from AA answers */
};

enum eng_glue {
	ENG_GLUE_PRESENT = 0,	/* glue seen */
	ENG_GLUE_MISSING,	/* needed (in-domain or sibling) but absent */
	ENG_GLUE_NOT_NEEDED,	/* out of the parent's bailiwick */
	ENG_GLUE_UNKNOWN,	/* parent zone unknown */
};

struct eng_zone_view {
	const struct dns_name *name;
	const struct dns_name *parent;	/* NULL: unknown */
	unsigned	nns;
	struct eng_zone_ns ns[ENG_ZONE_NS_MAX];
	unsigned	nchild_ns;
	const struct dns_name *child_ns[ENG_ZONE_NS_MAX];	/* AA NS set */
	unsigned	nservers;
	struct eng_addr	servers[ENG_ADDRS_MAX];	/* answering with AA=1 */
	unsigned	nreferrers;
	struct eng_addr	referred_by[4];		/* parent servers seen */
	uint64_t	referrals;
	uint64_t	last_ns;
	uint8_t		worst;		/* enum eng_sev of its findings, or _MAX */
};

struct eng_server_view {
	uint8_t		family;
	uint8_t		addr[16];
	uint64_t	queries;
	uint64_t	responses;
	uint64_t	timeouts;
	uint64_t	lame;
	uint64_t	tcp_queries;
	uint64_t	rtt_count;
	uint64_t	rtt_sum_us, rtt_min_us, rtt_max_us;
	uint8_t		is_resolver;
	uint8_t		worst;		/* enum eng_sev of its findings, or _MAX */
	unsigned	nzones;
	const struct dns_name *zones[ENG_SERVER_ZONES];	/* served */
	uint16_t	last_ede;	/* last EDE code seen from it, 0xffff none */
};

struct eng_repeat_view {
	const struct dns_name *qname;
	uint16_t	qtype;
	uint8_t		family;
	uint8_t		resolver[16];
	uint64_t	count;		/* in the current window */
	uint64_t	total;
	uint64_t	last_ns;	/* last asked */
};

/* The heaviest hitters, as dnstop counts them (engine_conf.top). */
enum eng_top {
	ENG_TOP_QNAME = 0,	/* queries by name */
	ENG_TOP_SOURCE,		/* queries by source address */
	ENG_TOP_SERVER,		/* queries by destination address */
	ENG_TOP_QTYPE,		/* queries by type */
	ENG_TOP_RCODE,		/* responses by rcode */
	ENG_TOP__MAX
};

struct eng_top_entry {
	uint64_t	count;		/* an upper bound ... */
	uint64_t	err;		/* ... over by at most this */
	struct dns_name	name;		/* ENG_TOP_QNAME */
	struct eng_addr	addr;		/* ENG_TOP_SOURCE, ENG_TOP_SERVER */
	uint16_t	code;		/* ENG_TOP_QTYPE, ENG_TOP_RCODE */
};

/* Capture health handed in by main from capture/ (D16). */
struct eng_health {
	uint64_t	packets;
	uint64_t	pcap_drop;
	uint64_t	if_drop;
	uint64_t	snap_cut;
	uint64_t	skipped;
	uint64_t	malformed;	/* IP/UDP/TCP level */
	uint64_t	cap_evicted;	/* fragments and TCP flows */
	uint64_t	frag_incomplete;
	uint64_t	tcp_gaps;
	uint64_t	bad_linktype;
};

struct engine_counters {
	uint64_t	messages, queries, responses;
	uint64_t	dns_malformed;
	uint64_t	upstream_queries, downstream_queries, auth_queries;
	uint64_t	matched, unsolicited, mismatched, retransmits, timeouts;
	uint64_t	late;		/* responses after their query timed out */
	uint64_t	unreachable;	/* queries answered by ICMP unreachable */
	uint64_t	unanswered_at_end;
	uint64_t	lookups, lookups_active, lookups_failed;
	/* Lookups a client asked for (no sub-lookups the resolver started
	 * to find an NS address): what clients saw. */
	uint64_t	client_lookups, client_lookups_failed;
	uint64_t	referrals;
	uint64_t	findings;
	uint64_t	evict_pending, evict_lookups, evict_zones, evict_names;
	uint64_t	evict_servers, evict_findings, evict_repeats;
	uint64_t	evict_active;	/* of that, lookups still running */
	uint64_t	over_cap;	/* inserts past a cap: all in use */
	uint64_t	clock_jumps;	/* packet time jumps not aged across */
	uint64_t	first_ns, last_ns;	/* capture time span */
	uint64_t	rcodes[16];
	struct eng_health health;
};

/*
 * Caps and thresholds.  Their names, defaults, ranges and help are in one
 * table (engine_tunables()); a member left 0 takes its default there.
 */
struct engine_conf {
	size_t		max_pending;
	size_t		max_lookups;	/* active and recent */
	size_t		max_zones;
	size_t		max_names;	/* NS names */
	size_t		max_servers;
	size_t		max_findings;
	size_t		max_repeats;
	uint64_t	t_resp_ns;
	uint64_t	t_tcp_ns;
	uint64_t	w_lookup_ns;
	uint64_t	w_rep_ns;
	uint64_t	k_rep;
	uint64_t	w_srv_ns;
	uint64_t	srv_min_queries;
	uint64_t	w_clear_ns;	/* a finding not seen this long clears */
	uint64_t	t_jump_ns;	/* packet time jump treated as a gap */
	/* Addresses named resolvers with -R. */
	unsigned	nresolvers;
	uint8_t		resolver_family[16];
	uint8_t		resolvers[16][16];
	/* Root hints file ("" or NULL: the Debian path; "-": none). */
	const char	*root_hints;
	/* Count the heaviest hitters (engine_top()). */
	int		 top;
	/*
	 * --zone: the read-only views (engine_findings, engine_changed,
	 * engine_lookups, engine_zones, engine_servers, engine_repeats) show
	 * only what is at or below this name; the engine still analyses
	 * everything.  NULL: everything.  Lower case; the caller keeps it.
	 */
	const struct dns_name *scope;
};

enum eng_tunit { ENG_TU_COUNT = 0, ENG_TU_SECONDS };

struct eng_tunable {
	const char	*name;		/* --set name */
	size_t		 off;		/* in struct engine_conf */
	uint8_t		 size;		/* sizeof the member */
	uint8_t		 unit;		/* enum eng_tunit */
	uint64_t	 def, min, max;	/* in the unit (seconds or count) */
	const char	*help;		/* one line */
};

/* The tunables table, n entries. */
const struct eng_tunable *engine_tunables(size_t *n);
/*
 * Set a tunable from its text value ("5", "0.5" for seconds); returns 0,
 * or -1 with a one-line reason naming the accepted range in err.
 */
int		 engine_conf_set(struct engine_conf *, const char *name,
		    const char *value, char *err, size_t errlen);

struct engine	*engine_create(const struct engine_conf *);
void		 engine_destroy(struct engine *);

void		 engine_message(struct engine *, const struct eng_pkt *,
		    const struct dns_msg *);
void		 engine_event(struct engine *, const struct eng_pkt *,
		    enum eng_event);
void		 engine_tick(struct engine *, uint64_t now_ns);
/* End of input: run the detectors that wait for time to pass. */
void		 engine_end(struct engine *);
void		 engine_set_health(struct engine *, const struct eng_health *);
/* Forget counters and findings (the dashboard's r key); keep the map. */
void		 engine_reset(struct engine *);

/* Read-only state. */
uint64_t	 engine_generation(const struct engine *);
const struct engine_counters *engine_counters(const struct engine *);
size_t		 engine_findings(const struct engine *,
		    const struct eng_finding ***);	/* sorted: sev, count */
const struct eng_lookup *engine_lookup(const struct engine *, uint32_t id);
size_t		 engine_lookups(const struct engine *,
		    const struct eng_lookup ***);	/* failed first, recent */
/* At most how many zones engine_zones() can give. */
size_t		 engine_zones_max(const struct engine *);
size_t		 engine_zones(const struct engine *, struct eng_zone_view *,
		    size_t max);
size_t		 engine_servers(const struct engine *,
		    struct eng_server_view *, size_t max);
/* Every zone (server) of those views in turn, without an array of views:
 * fn's view is valid during the call.  Returns how many. */
size_t		 engine_each_zone(const struct engine *,
		    void (*)(void *, const struct eng_zone_view *), void *);
size_t		 engine_each_server(const struct engine *,
		    void (*)(void *, const struct eng_server_view *), void *);
size_t		 engine_repeats(const struct engine *,
		    struct eng_repeat_view *, size_t max);
/* One zone or one server by name or address; 0, or -1 when unknown. */
int		 engine_zone(const struct engine *, const struct dns_name *,
		    struct eng_zone_view *);
int		 engine_server(const struct engine *, const struct eng_addr *,
		    struct eng_server_view *);
/* The heaviest hitters of a dimension, most counted first, at most max;
 * *total: everything counted in it.  0 unless engine_conf.top. */
size_t		 engine_top(const struct engine *, enum eng_top,
		    struct eng_top_entry *, size_t max, uint64_t *total);
/* Findings that changed since generation gen (for JSON streaming). */
size_t		 engine_changed(const struct engine *, uint64_t gen,
		    const struct eng_finding ***);

#endif
