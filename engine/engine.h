/*
 * engine.h -- gluetop's state: pairing, delegation map, chains, findings.
 *
 * The engine is fed decoded DNS messages in capture order with
 * engine_message(), connection events with engine_event(), and the passage
 * of packet time with engine_tick(); it never reads a clock (STYLE.md rule
 * 39).  From them it pairs queries with responses (DETECTIONS.md P2), tells
 * resolvers from clients (P3), classifies responses (P4), keeps the
 * delegation map (P5), rebuilds lookups as chains (P6) and raises findings
 * (D1-D16).  It never draws: outputs read its state through the read-only
 * accessors below and watch engine_generation() to know when to redraw
 * (rule 9).
 *
 * Every table is bounded by a cap in struct engine_conf and evicts its least
 * recently used entry when full; evictions are counted in engine_counters.
 * The engine owns all returned pointers; they stay valid until the next call
 * that feeds it (message, event, tick, end, reset).
 */
#ifndef GLUETOP_ENGINE_H
#define GLUETOP_ENGINE_H

#include <stddef.h>
#include <stdint.h>

struct dns_msg;
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
	ENG_K__MAX
};

const char	*engine_kind_name(enum eng_kind);

/* A field of a finding: its value is text; type says how to print it. */
enum eng_ftype {
	ENG_FT_STR = 0,
	ENG_FT_NUM,		/* a JSON number */
	ENG_FT_BOOL,		/* "true" or "false" */
	ENG_FT_LIST,		/* comma-separated items, a JSON array */
};

#define ENG_FIELDS_MAX		10
#define ENG_FIELD_LEN		512
#define ENG_EVIDENCE_MAX	16

struct eng_field {
	const char	*key;
	uint8_t		 type;		/* enum eng_ftype */
	char		 val[ENG_FIELD_LEN];
};

struct eng_finding {
	uint32_t	 id;
	uint8_t		 kind;		/* enum eng_kind */
	uint8_t		 sev;		/* enum eng_sev */
	uint8_t		 nfields;
	struct eng_field fields[ENG_FIELDS_MAX];
	char		 summary[256];	/* one line for humans */
	uint64_t	 count;
	uint64_t	 first_ns, last_ns;
	uint64_t	 gen;		/* engine generation when it last changed */
	uint8_t		 nframes;
	uint64_t	 frames[ENG_EVIDENCE_MAX];	/* first frames seen */
	uint8_t		 nchains;
	uint32_t	 chains[4];	/* lookup ids */
};

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
	char		qname[256];
	uint16_t	qtype;
	char		zone[256];	/* queried zone, "" when unknown */
	uint8_t		family;
	uint8_t		server[16];
	uint8_t		tcp;
	uint8_t		cls;		/* enum eng_class */
	uint16_t	rcode;
	uint8_t		aa;
	uint32_t	rtt_us;
	char		detail[160];	/* e.g. the zone referred to, answer */
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
	char		qname[256];
	uint16_t	qtype;
	char		reason[300];	/* for sub-lookups: "address of NS n for zone C" */
	uint64_t	start_ns, last_ns;
	uint8_t		done;
	uint8_t		outcome;	/* enum eng_class of the end */
	uint16_t	client_rcode;
	uint8_t		failed;		/* SERVFAIL, timeout or loop */
	unsigned	depth;
	unsigned	queries;	/* upstream queries in this lookup */
	unsigned	referrals;
	unsigned	nsteps;		/* steps stored (<= ENG_STEPS_MAX) */
	unsigned	steps_dropped;
	struct eng_step	*steps;		/* nsteps of them, oldest first */
	uint32_t	tree_queries;	/* upstream queries in the whole tree */
};

/* A delegation's NS name with what is known of its addresses. */
struct eng_zone_ns {
	char		name[256];
	uint8_t		glue_state;	/* enum eng_glue */
	uint8_t		in_domain;	/* n ⊑ zone */
	char		glue[160];	/* addresses seen as glue */
	char		addrs[160];	/* addresses from AA answers */
};

enum eng_glue {
	ENG_GLUE_PRESENT = 0,	/* glue seen */
	ENG_GLUE_MISSING,	/* needed (in-domain or sibling) but absent */
	ENG_GLUE_NOT_NEEDED,	/* out of the parent's bailiwick */
	ENG_GLUE_UNKNOWN,	/* parent zone unknown */
};

#define ENG_ZONE_NS_MAX	16

struct eng_zone_view {
	char		name[256];
	char		parent[256];
	unsigned	nns;
	struct eng_zone_ns ns[ENG_ZONE_NS_MAX];
	unsigned	nchild_ns;
	char		child_ns[512];	/* from AA NS answers, comma list */
	char		servers[512];	/* addresses of the NS set */
	char		referred_by[256];	/* parent servers seen */
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
	char		zones[256];	/* zones served, comma list */
	uint16_t	last_ede;	/* last EDE code seen from it, 0xffff none */
};

struct eng_repeat_view {
	char		qname[256];
	uint16_t	qtype;
	uint8_t		family;
	uint8_t		resolver[16];
	uint64_t	count;		/* in the current window */
	uint64_t	total;
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
	uint64_t	referrals;
	uint64_t	findings;
	uint64_t	evict_pending, evict_lookups, evict_zones, evict_names;
	uint64_t	evict_servers, evict_findings, evict_repeats;
	uint64_t	first_ns, last_ns;	/* capture time span */
	uint64_t	rcodes[16];
	struct eng_health health;
};

struct engine_conf {
	/* Caps (0: the default in parentheses). */
	size_t		max_pending;	/* (65536) */
	size_t		max_lookups;	/* (16384) active and recent */
	size_t		max_zones;	/* (16384) */
	size_t		max_names;	/* (65536) NS names */
	size_t		max_servers;	/* (16384) */
	size_t		max_findings;	/* (4096) */
	size_t		max_repeats;	/* (65536) */
	/* Thresholds (DETECTIONS.md defaults). */
	uint64_t	t_resp_ns;	/* 5 s */
	uint64_t	t_tcp_ns;	/* 3 s */
	uint64_t	w_lookup_ns;	/* 10 s */
	uint64_t	w_rep_ns;	/* 60 s */
	unsigned	k_rep;		/* 10 */
	uint64_t	w_srv_ns;	/* 60 s */
	unsigned	srv_min_queries;/* 5 */
	/* Addresses named resolvers with -R. */
	unsigned	nresolvers;
	uint8_t		resolver_family[16];
	uint8_t		resolvers[16][16];
	/* Root hints file ("" or NULL: the Debian path; "-": none). */
	const char	*root_hints;
};

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
size_t		 engine_zones(const struct engine *, struct eng_zone_view *,
		    size_t max);
size_t		 engine_servers(const struct engine *,
		    struct eng_server_view *, size_t max);
size_t		 engine_repeats(const struct engine *,
		    struct eng_repeat_view *, size_t max);
/* Findings that changed since generation gen (for JSON streaming). */
size_t		 engine_changed(const struct engine *, uint64_t gen,
		    const struct eng_finding ***);

#endif
