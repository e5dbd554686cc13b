/*
 * fuzz_engine.c -- libFuzzer target for engine/ and the batch outputs.
 *
 * The input is a small program.  Its operations build DNS messages byte by
 * byte (queries and responses over small pools of names, addresses, ids and
 * ports so that they pair up; referrals with NS and glue; AA answers, TC,
 * rcodes; raw bytes), send connection events and ICMP unreachables, and move
 * packet time (small steps, big jumps, backwards).  Every message goes
 * through decode/ into an engine whose tables hold one to four entries each,
 * so eviction runs all the time.  At the end every read accessor is walked,
 * and the JSON lines and the text report are written to memory and checked:
 * JSON is one object a line in UTF-8, and neither output holds a raw
 * control byte (names carry every byte value, to exercise the escapes).
 *
 * Layout: seven cap bytes (max_* = 1 + byte % 4, in engine_conf order), one
 * option byte (OPT_*), then operations: an opcode byte (OP_*) and its
 * operands.  Missing bytes read as zero.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/dname.h"
#include "decode/dns.h"
#include "engine/engine.h"
#include "ui/fmt.h"
#include "ui/json.h"
#include "ui/output.h"

#define SEC		1000000000ULL
#define TS_START	(1700000000ULL * SEC)
#define TS_MAX		(0xffffffffULL * SEC + SEC - 1)	/* pcap's latest */
#define NSENT		4	/* queries remembered for responses */
#define OPS_MAX		2048	/* operations run per input */
#define ODD_MAX		8	/* bytes of the odd label */

/* Option byte. */
#define OPT_HINTS	0x01	/* load the system root hints */
#define OPT_TINY	0x02	/* tiny thresholds and windows */
#define OPT_RESOLVER	0x04	/* name address 1 as a resolver (-R) */
#define OPT_CHAINS	0x08	/* JSON with --chains */

/* Opcodes, taken modulo OP__MAX. */
enum op {
	OP_QUERY = 0,
	OP_RESPONSE,
	OP_REFERRAL,
	OP_EVENT,
	OP_TIME,
	OP_TICK,
	OP_RAW,
	OP_ODD,
	OP_OBSERVE,
	OP_HEALTH,
	OP_RESET,
	OP__MAX
};

/* The input, read a byte at a time; zero once it runs out. */
struct fin {
	const uint8_t	*p;
	size_t		 n, pos;
};

/* A message under construction. */
struct mb {
	uint8_t		 buf[4096];
	size_t		 len;
	uint16_t	 counts[4];
};

/* A query sent, for responses and events to answer. */
struct sent {
	struct eng_pkt	 pkt;
	uint16_t	 id;
	uint8_t		 name, qtype;
};

struct fz {
	struct fin	 in;
	struct engine	*eng;
	struct dns_msg	*msg;
	uint64_t	 now, frame;
	uint8_t		 odd[ODD_MAX];
	size_t		 oddlen;
	struct sent	 sent[NSENT];
	unsigned	 nsent;
	struct output	*json, *report;
	FILE		*jfp, *rfp;
	char		*jbuf, *rbuf;
	size_t		 jlen, rlen;
	int		 fail_on;
};

/* '%' is the odd label, whose bytes the input chooses. */
static const char *const names[16] = {
	".", "com", "a.com", "b.a.com", "ns1.a.com", "ns2.a.com",
	"ns1.b.a.com", "x.b.a.com", "net", "c.net", "ns1.c.net", "%.a.com",
	"ns1.%.a.com", "%", "A.COM", "NS1.A.com"
};
static const uint16_t qtypes[8] = { DNS_T_A, DNS_T_NS, DNS_T_AAAA, DNS_T_SOA,
	DNS_T_CNAME, DNS_T_DS, DNS_T_ANY, DNS_T_PTR };
static const uint16_t rrtypes[8] = { DNS_T_A, DNS_T_NS, DNS_T_AAAA,
	DNS_T_CNAME, DNS_T_SOA, DNS_T_DNAME, DNS_T_TXT, DNS_T_DS };
static const uint16_t ids[4] = { 0, 1, 0x1234, 0xffff };
static const uint16_t ports[4] = { 53, 53, 40000, 5353 };

int		LLVMFuzzerTestOneInput(const uint8_t *, size_t);
static uint8_t	in_u8(struct fin *);
static void	put8(struct mb *, unsigned);
static void	put16(struct mb *, unsigned);
static void	put_name(struct mb *, const struct fz *, unsigned);
static void	put_addr(uint8_t *, int, unsigned);
static void	mb_header(struct mb *, unsigned, unsigned);
static void	mb_question(struct mb *, const struct fz *, unsigned,
		    unsigned);
static void	mb_rr(struct mb *, const struct fz *, int, unsigned, unsigned,
		    unsigned);
static void	mb_opt(struct mb *, int);
static void	mb_finish(struct mb *);
static void	feed(struct fz *, struct mb *, const struct eng_pkt *);
static void	pkt_pool(struct eng_pkt *, uint8_t);
static void	pkt_reverse(struct eng_pkt *, const struct eng_pkt *);
static void	op_query(struct fz *);
static void	op_response(struct fz *);
static void	op_referral(struct fz *);
static void	op_event(struct fz *);
static void	op_time(struct fz *);
static void	op_raw(struct fz *);
static void	op_odd(struct fz *);
static void	op_health(struct fz *);
static void	run_op(struct fz *, uint8_t);
static void	walk_findings(struct engine *);
static void	walk_lookups(struct engine *);
static void	walk_views(struct engine *);
static void	walk(struct engine *);
static size_t	cap_from(struct fin *);
static void	conf_from(struct fin *, struct engine_conf *);
static void	fz_open(struct fz *);
static void	fz_close(struct fz *);
static int	utf8_len(const uint8_t *, size_t);
static void	check_text(const char *, size_t, int);

/* The next input byte, or 0 past the end. */
static uint8_t
in_u8(struct fin *in)
{
	if (in->pos >= in->n)
		return 0;
	return in->p[in->pos++];
}

/* Append a byte; the buffer is sized so that no operation can fill it. */
static void
put8(struct mb *m, unsigned v)
{
	if (m->len < sizeof(m->buf))
		m->buf[m->len++] = (uint8_t)v;
}

/* Append a 16-bit value in network order. */
static void
put16(struct mb *m, unsigned v)
{
	put8(m, v >> 8);
	put8(m, v & 0xff);
}

/* Append pool name i uncompressed (RFC 1035 §3.1). */
static void
put_name(struct mb *m, const struct fz *f, unsigned i)
{
	const char	*s = names[i & 15], *dot;
	size_t		 n, k;

	while (*s != '\0' && strcmp(s, ".") != 0) {
		dot = strchr(s, '.');
		n = dot != NULL ? (size_t)(dot - s) : strlen(s);
		if (n == 1 && *s == '%') {
			put8(m, (unsigned)f->oddlen);
			for (k = 0; k < f->oddlen; k++)
				put8(m, f->odd[k]);
		} else {
			put8(m, (unsigned)n);
			for (k = 0; k < n; k++)
				put8(m, (uint8_t)s[k]);
		}
		s += n + (dot != NULL);
	}
	put8(m, 0);
}

/* Pool address i of a family; the last is a.root-servers.net's. */
static void
put_addr(uint8_t *a, int family, unsigned i)
{
	static const uint8_t	 root4[4] = { 198, 41, 0, 4 };
	static const uint8_t	 root6[16] = { 0x20, 0x01, 0x05, 0x03, 0xba,
	    0x3e, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x30 };

	memset(a, 0, 16);
	i &= 3;
	if (family == 4) {
		if (i == 3)
			memcpy(a, root4, 4);
		else {
			a[0] = 10;
			a[3] = (uint8_t)(i + 1);
		}
	} else if (i == 3)
		memcpy(a, root6, 16);
	else {
		a[0] = 0x20;
		a[1] = 0x01;
		a[2] = 0x0d;
		a[3] = 0xb8;
		a[15] = (uint8_t)(i + 1);
	}
}

/* Start a message: id and the flags word (RFC 1035 §4.1.1). */
static void
mb_header(struct mb *m, unsigned id, unsigned flags)
{
	memset(m->counts, 0, sizeof(m->counts));
	m->len = 0;
	put16(m, id);
	put16(m, flags);
	m->len = 12;
	memset(m->buf + 4, 0, 8);
}

/* A question for pool name i and qtype. */
static void
mb_question(struct mb *m, const struct fz *f, unsigned i, unsigned qtype)
{
	put_name(m, f, i);
	put16(m, qtype);
	put16(m, DNS_C_IN);
	m->counts[0]++;
}

/*
 * An RR in section sec: owner name, type, and RDATA from pool index d; bit 6
 * of d cuts the RDATA's last byte, bit 7 sets the TTL to 0.
 */
static void
mb_rr(struct mb *m, const struct fz *f, int sec, unsigned owner,
    unsigned type, unsigned d)
{
	size_t	 at;
	uint8_t	 a[16];

	put_name(m, f, owner);
	put16(m, type);
	put16(m, DNS_C_IN);
	put16(m, 0);
	put16(m, d & 0x80 ? 0 : 3600);
	at = m->len;
	put16(m, 0);
	if (type == DNS_T_A || type == DNS_T_AAAA) {
		put_addr(a, type == DNS_T_A ? 4 : 6, d);
		memcpy(m->buf + m->len, a, type == DNS_T_A ? 4 : 16);
		m->len += type == DNS_T_A ? 4 : 16;
	} else if (type == DNS_T_TXT) {
		put8(m, 1);
		put8(m, d);
	} else if (type == DNS_T_DS) {
		put16(m, d);
		put16(m, 0x0802);
		put8(m, d);
	} else {
		put_name(m, f, d);
		if (type == DNS_T_SOA) {
			put_name(m, f, d >> 4);
			memset(m->buf + m->len, 0, 20);
			m->len += 20;
		}
	}
	if ((d & 0x40) && m->len > at + 2)
		m->len--;	/* malformed: the RDATA's last byte cut */
	m->buf[at] = (uint8_t)((m->len - at - 2) >> 8);
	m->buf[at + 1] = (uint8_t)(m->len - at - 2);
	m->counts[sec]++;
}

/* OPT with a UDP size, and an Extended DNS Error (RFC 8914) if ede. */
static void
mb_opt(struct mb *m, int ede)
{
	put8(m, 0);
	put16(m, DNS_T_OPT);
	put16(m, 1232);
	put16(m, 0);
	put16(m, 0);
	put16(m, ede ? 8 : 0);
	if (ede) {
		put16(m, 15);		/* EDE */
		put16(m, 4);
		put16(m, 22);		/* No Reachable Authority */
		put16(m, 0x1bc3);	/* text: ESC, then half a UTF-8 char */
	}
	m->counts[3]++;
}

/* Write the section counts into the header. */
static void
mb_finish(struct mb *m)
{
	int	 i;

	for (i = 0; i < 4; i++) {
		m->buf[4 + 2 * i] = (uint8_t)(m->counts[i] >> 8);
		m->buf[5 + 2 * i] = (uint8_t)m->counts[i];
	}
}

/* Decode a message and hand it to the engine as sent in pkt. */
static void
feed(struct fz *f, struct mb *m, const struct eng_pkt *pkt)
{
	struct eng_pkt	 p = *pkt;

	p.ts_ns = f->now;
	p.frame = ++f->frame;
	p.len = m->len;
	dns_msg_decode(m->buf, m->len, f->msg);
	engine_message(f->eng, &p, f->msg);
}

/*
 * A packet between pool addresses: bits 0-1 source, 2-3 destination, 4 IPv6,
 * 5 TCP, 6-7 the source port (the destination port is 53).
 */
static void
pkt_pool(struct eng_pkt *p, uint8_t b)
{
	memset(p, 0, sizeof(*p));
	p->family = b & 0x10 ? 6 : 4;
	p->tcp = (b & 0x20) != 0;
	put_addr(p->src, p->family, b);
	put_addr(p->dst, p->family, b >> 2);
	p->sport = ports[(b >> 6) & 3];
	p->dport = 53;
}

/* The packet going the other way. */
static void
pkt_reverse(struct eng_pkt *r, const struct eng_pkt *p)
{
	*r = *p;
	memcpy(r->src, p->dst, sizeof(r->src));
	memcpy(r->dst, p->src, sizeof(r->dst));
	r->sport = p->dport;
	r->dport = p->sport;
}

/*
 * A query.  Operands: the packet (pkt_pool); name (bits 0-3), qtype (4-6),
 * EDNS (7); id (bits 0-1), RD (2), no question (3), cut by snaplen (4),
 * destination port from the pool (5).
 */
static void
op_query(struct fz *f)
{
	struct mb	 m;
	struct sent	*s = &f->sent[f->nsent++ % NSENT];
	uint8_t		 b1 = in_u8(&f->in), b2 = in_u8(&f->in);
	uint8_t		 b3 = in_u8(&f->in);

	pkt_pool(&s->pkt, b1);
	s->pkt.snapcut = (b3 & 0x10) != 0;
	if (b3 & 0x20)
		s->pkt.dport = ports[(b2 >> 4) & 3];
	s->id = ids[b3 & 3];
	s->name = b2 & 15;
	s->qtype = (b2 >> 4) & 7;
	mb_header(&m, s->id, b3 & 4 ? 0x0100 : 0);
	if (!(b3 & 8))
		mb_question(&m, f, s->name, qtypes[s->qtype]);
	if (b2 & 0x80)
		mb_opt(&m, 0);
	mb_finish(&m);
	feed(f, &m, &s->pkt);
}

/*
 * A response to a remembered query.  Operands: which query (bits 0-1), AA
 * (2), TC (3), RA (4), wrong id (5), from another address (6), no question
 * (7); rcode (bits 0-3), answers (4-5), authority RRs (6-7); additional RRs
 * (bits 0-1), EDNS (2), EDE (3); then two bytes per RR: owner (bits 0-3),
 * type (4-6), owner is the qname (7); RDATA pool index.
 */
static void
op_response(struct fz *f)
{
	struct mb	 m;
	struct eng_pkt	 p;
	const struct sent *s;
	uint8_t		 b1 = in_u8(&f->in), b2 = in_u8(&f->in);
	uint8_t		 b3 = in_u8(&f->in), r1, r2;
	unsigned	 n[3], sec, i;

	s = &f->sent[b1 & 3];
	pkt_reverse(&p, &s->pkt);
	if (b1 & 0x40)
		put_addr(p.src, p.family, b2 >> 2);
	mb_header(&m, s->id ^ (b1 & 0x20 ? 1 : 0), 0x8000 | (b1 & 4 ? 0x0400 :
	    0) | (b1 & 8 ? 0x0200 : 0) | (b1 & 0x10 ? 0x0080 : 0) | (b2 & 15));
	if (!(b1 & 0x80))
		mb_question(&m, f, s->name, qtypes[s->qtype]);
	n[0] = (b2 >> 4) & 3;
	n[1] = b2 >> 6;
	n[2] = b3 & 3;
	for (sec = 0; sec < 3; sec++)
		for (i = 0; i < n[sec]; i++) {
			r1 = in_u8(&f->in);
			r2 = in_u8(&f->in);
			mb_rr(&m, f, (int)sec + 1, r1 & 0x80 ? s->name : r1,
			    rrtypes[(r1 >> 4) & 7], r2);
		}
	if (b3 & 4)
		mb_opt(&m, (b3 & 8) != 0);
	mb_finish(&m);
	feed(f, &m, &p);
}

/*
 * A referral answering a remembered query.  Operands: which query (bits
 * 0-1), AA (2), TC (3), rcode NXDOMAIN (4); zone (bits 0-3), NS count - 1
 * (4-5); then per NS: its name (bits 0-3), A glue (4), AAAA glue (5), glue
 * address (6-7).
 */
static void
op_referral(struct fz *f)
{
	struct mb	 m;
	struct eng_pkt	 p;
	const struct sent *s;
	uint8_t		 b1 = in_u8(&f->in), b2 = in_u8(&f->in), ns[4];
	unsigned	 i, nns = 1 + ((b2 >> 4) & 3);

	s = &f->sent[b1 & 3];
	pkt_reverse(&p, &s->pkt);
	mb_header(&m, s->id, 0x8000 | (b1 & 4 ? 0x0400 : 0) | (b1 & 8 ?
	    0x0200 : 0) | (b1 & 0x10 ? DNS_R_NXDOMAIN : 0));
	mb_question(&m, f, s->name, qtypes[s->qtype]);
	for (i = 0; i < nns; i++) {
		ns[i] = in_u8(&f->in);
		mb_rr(&m, f, 2, b2, DNS_T_NS, ns[i]);
	}
	for (i = 0; i < nns; i++) {
		if (ns[i] & 0x10)
			mb_rr(&m, f, 3, ns[i], DNS_T_A, ns[i] >> 6);
		if (ns[i] & 0x20)
			mb_rr(&m, f, 3, ns[i], DNS_T_AAAA, ns[i] >> 6);
	}
	mb_finish(&m);
	feed(f, &m, &p);
}

/*
 * A TCP event or ICMP unreachable.  Operands: the event (bits 0-2), about a
 * remembered query (3) or a pool packet (the next byte), which query (4-5),
 * the other direction (6).
 */
static void
op_event(struct fz *f)
{
	struct eng_pkt	 p, q;
	uint8_t		 b = in_u8(&f->in);

	if (b & 8)
		q = f->sent[(b >> 4) & 3].pkt;
	else
		pkt_pool(&q, in_u8(&f->in));
	if (b & 0x40)
		pkt_reverse(&p, &q);
	else
		p = q;
	p.ts_ns = f->now;
	p.frame = ++f->frame;
	p.len = 0;
	engine_event(f->eng, &p, (enum eng_event)(ENG_EV_TCP_SYN + (b & 7) %
	    5));
}

/*
 * Move packet time.  Operands: how (bits 0-2), by how much.  Time stays in
 * what a pcap can hold, but may go backwards or jump centuries.
 */
static void
op_time(struct fz *f)
{
	uint8_t		 how = in_u8(&f->in), v = in_u8(&f->in);
	uint64_t	 d = 0;

	switch (how & 7) {
	case 0: d = v * (SEC / 1000); break;
	case 1: d = v * (SEC / 10); break;
	case 2: d = v * SEC; break;
	case 3: d = v * 60 * SEC; break;
	case 4: d = (1ULL << (v % 32)) * SEC; break;
	case 5: f->now = f->now > v * SEC ? f->now - v * SEC : 0; break;
	case 6: f->now = v; break;
	case 7: f->now = TS_MAX - v * SEC; break;
	}
	f->now = d > TS_MAX - f->now ? TS_MAX : f->now + d;
}

/* Raw bytes as a message.  Operands: the packet (pkt_pool), a length. */
static void
op_raw(struct fz *f)
{
	struct mb	 m;
	struct eng_pkt	 p;
	unsigned	 len, i;

	pkt_pool(&p, in_u8(&f->in));
	len = in_u8(&f->in);
	m.len = 0;
	for (i = 0; i < len; i++)
		put8(&m, in_u8(&f->in));
	feed(f, &m, &p);
}

/* Set the odd label.  Operands: a length (1-8), then its bytes. */
static void
op_odd(struct fz *f)
{
	size_t	 i;

	f->oddlen = 1 + in_u8(&f->in) % ODD_MAX;
	for (i = 0; i < f->oddlen; i++)
		f->odd[i] = in_u8(&f->in);
}

/* Capture health counters (D16).  Operands: four small counts. */
static void
op_health(struct fz *f)
{
	struct eng_health	 h;

	memset(&h, 0, sizeof(h));
	h.packets = f->frame + in_u8(&f->in);
	h.pcap_drop = in_u8(&f->in);
	h.snap_cut = in_u8(&f->in);
	h.malformed = in_u8(&f->in);
	h.tcp_gaps = h.malformed / 2;
	engine_set_health(f->eng, &h);
}

/* Run one operation. */
static void
run_op(struct fz *f, uint8_t op)
{
	switch (op % OP__MAX) {
	case OP_QUERY: op_query(f); break;
	case OP_RESPONSE: op_response(f); break;
	case OP_REFERRAL: op_referral(f); break;
	case OP_EVENT: op_event(f); break;
	case OP_TIME: op_time(f); break;
	case OP_TICK: engine_tick(f->eng, f->now); break;
	case OP_RAW: op_raw(f); break;
	case OP_ODD: op_odd(f); break;
	case OP_OBSERVE: walk(f->eng); output_batch(f->json); break;
	case OP_HEALTH: op_health(f); break;
	case OP_RESET: engine_reset(f->eng); break;
	}
}

/* Every finding, through its typed fields, summary and chains. */
static void
walk_findings(struct engine *e)
{
	const struct eng_finding	**f;
	const struct eng_field		 *fl;
	char				  t[2 * FMT_LIST_MAX];
	size_t				  n, i, k, j;

	n = engine_findings(e, &f);
	for (i = 0; i < n; i++) {
		if (f[i]->kind >= ENG_K__MAX || f[i]->sev >= ENG_SEV__MAX ||
		    f[i]->nfields > ENG_FIELDS_MAX ||
		    f[i]->nnames > ENG_FNAMES_MAX ||
		    f[i]->naddrs > ENG_FADDRS_MAX ||
		    f[i]->nframes > ENG_EVIDENCE_MAX || f[i]->nchains > 4)
			abort();
		(void)engine_kind_name((enum eng_kind)f[i]->kind);
		(void)engine_sev_name((enum eng_sev)f[i]->sev);
		for (k = 0; k < f[i]->nfields; k++) {
			fl = &f[i]->fields[k];
			if (fl->key >= ENG_F__MAX)
				abort();
			/* List items lie inside the finding's pools. */
			if ((engine_key_type((enum eng_key)fl->key) ==
			    ENG_V_NAMES || engine_key_type((enum eng_key)
			    fl->key) == ENG_V_NAME) && (size_t)fl->off + fl->n >
			    f[i]->nnames)
				abort();
			for (j = 0; j < fl->n && engine_key_type((enum eng_key)
			    fl->key) == ENG_V_NAMES; j++)
				if (f[i]->names[fl->off + j] == NULL)
					abort();
			(void)fmt_field(f[i], fl, ",", t, sizeof(t));
		}
		(void)fmt_summary(f[i], t, sizeof(t));
		for (k = 0; k < f[i]->nchains; k++)
			(void)engine_lookup(e, f[i]->chains[k]);
	}
	n = engine_changed(e, 0, &f);
	for (i = 0; i < n; i++)
		(void)fmt_summary(f[i], t, sizeof(t));
}

/* Every lookup, its steps and its parent. */
static void
walk_lookups(struct engine *e)
{
	const struct eng_lookup	**l;
	const struct eng_lookup	 *p;
	char			  t[2 * DNS_NAME_STRMAX + 40];
	size_t			  n, i, k;

	n = engine_lookups(e, &l);
	for (i = 0; i < n; i++) {
		if (l[i]->nsteps > ENG_STEPS_MAX || l[i]->outcome >= ENG_C__MAX ||
		    l[i]->qname == NULL)
			abort();
		(void)engine_class_name((enum eng_class)l[i]->outcome);
		(void)fmt_lookup_reason(l[i], t, sizeof(t));
		for (k = 0; k < l[i]->nsteps; k++)
			if (l[i]->steps[k].qname == NULL ||
			    l[i]->steps[k].cls >= ENG_C__MAX ||
			    strlen(fmt_step_detail(&l[i]->steps[k], t,
			    sizeof(t))) >= sizeof(t))
				abort();
		if (l[i]->parent != 0 &&
		    (p = engine_lookup(e, l[i]->parent)) != NULL)
			(void)fmt_name(p->qname, t, sizeof(t));
		if (engine_lookup(e, l[i]->id) != l[i])
			abort();
	}
}

/* The zone, server and repeat tables, which must respect their max. */
static void
walk_views(struct engine *e)
{
	static struct eng_zone_view	 z[5];
	static struct eng_server_view	 s[5];
	static struct eng_repeat_view	 r[5];
	char				 t[DNS_NAME_STRMAX];
	size_t				 n, i;

	n = engine_zones(e, z, 4);
	for (i = 0; i < n; i++)
		if (i >= 4 || z[i].nns > ENG_ZONE_NS_MAX ||
		    z[i].nservers > ENG_ADDRS_MAX ||
		    strlen(fmt_name(z[i].name, t, sizeof(t))) > 1004)
			abort();
	n = engine_servers(e, s, 4);
	for (i = 0; i < n; i++)
		if (i >= 4 || s[i].nzones > ENG_SERVER_ZONES)
			abort();
	n = engine_repeats(e, r, 4);
	for (i = 0; i < n; i++)
		if (i >= 4 || r[i].qname == NULL)
			abort();
}

/* Every read accessor. */
static void
walk(struct engine *e)
{
	const struct engine_counters	*c = engine_counters(e);

	if (c->matched > c->responses)
		abort();
	(void)engine_generation(e);
	walk_findings(e);
	walk_lookups(e);
	walk_views(e);
}

/*
 * A cap from an input byte, 1 to 4.  FUZZ_ENGINE_MIN_CAP=2 (or 3, 4) raises
 * the floor, to look past a known bug that only a cap of 1 shows.
 */
static size_t
cap_from(struct fin *in)
{
	static int	 lo;
	const char	*s;

	if (lo == 0) {
		s = getenv("FUZZ_ENGINE_MIN_CAP");
		lo = s != NULL && *s >= '1' && *s <= '4' ? *s - '0' : 1;
	}
	return (size_t)lo + in_u8(in) % (5 - lo);
}

/* Caps and options from the first eight input bytes. */
static void
conf_from(struct fin *in, struct engine_conf *c)
{
	uint8_t	 o;

	memset(c, 0, sizeof(*c));
	c->max_pending = cap_from(in);
	c->max_lookups = cap_from(in);
	c->max_zones = cap_from(in);
	c->max_names = cap_from(in);
	c->max_servers = cap_from(in);
	c->max_findings = cap_from(in);
	c->max_repeats = cap_from(in);
	o = in_u8(in);
	c->root_hints = o & OPT_HINTS ? NULL : "-";
	if (o & OPT_TINY) {
		c->t_resp_ns = SEC / 10;
		c->t_tcp_ns = SEC / 10;
		c->w_lookup_ns = SEC;
		c->w_rep_ns = 2 * SEC;
		c->k_rep = 2;
		c->w_srv_ns = 2 * SEC;
		c->srv_min_queries = 1;
	}
	if (o & OPT_RESOLVER) {
		c->nresolvers = 1;
		c->resolver_family[0] = 4;
		put_addr(c->resolvers[0], 4, 1);
	}
}

/* The engine, the message and the two outputs over memory streams. */
static void
fz_open(struct fz *f)
{
	static const struct output_info	 info = { "fuzz.pcap", NULL, 0 };
	struct engine_conf		 c;
	uint8_t				 o;

	conf_from(&f->in, &c);
	o = f->in.pos > 0 ? f->in.p[f->in.pos - 1] : 0;
	f->fail_on = (o >> 4) % 3 == 0 ? -1 : ENG_SEV_ERROR;
	f->eng = engine_create(&c);
	f->msg = malloc(sizeof(*f->msg));
	f->jfp = open_memstream(&f->jbuf, &f->jlen);
	f->rfp = open_memstream(&f->rbuf, &f->rlen);
	if (f->msg == NULL || f->jfp == NULL || f->rfp == NULL)
		abort();
	f->json = output_create(OUTPUT_JSON, f->jfp, f->eng, &info,
	    (o & OPT_CHAINS) != 0);
	f->report = output_create(OUTPUT_REPORT, f->rfp, f->eng, &info, 0);
	f->now = TS_START;
	f->odd[0] = '.';
	f->oddlen = 1;
}

/* End the run: every output and accessor, then check and free. */
static void
fz_close(struct fz *f)
{
	static const struct output_info	 info = { "fuzz.pcap", "port 53", 1 };
	const struct eng_lookup		**l;
	const struct eng_finding	**fi;
	size_t				  n, i;

	engine_end(f->eng);
	walk(f->eng);
	(void)output_finish(f->json, f->fail_on);
	(void)output_finish(f->report, f->fail_on);
	n = engine_findings(f->eng, &fi);
	for (i = 0; i < n; i++)
		json_write_finding(f->jfp, "fuzz", fi[i], i % 2 ? "update" :
		    NULL);
	n = engine_lookups(f->eng, &l);
	for (i = 0; i < n; i++)
		json_write_chain(f->jfp, "fuzz", l[i]);
	json_write_summary(f->jfp, f->eng, &info);
	report_print(f->rfp, f->eng, &info);
	output_destroy(f->json);
	output_destroy(f->report);
	fclose(f->jfp);
	fclose(f->rfp);
	check_text(f->jbuf, f->jlen, 1);
	check_text(f->rbuf, f->rlen, 0);
	free(f->jbuf);
	free(f->rbuf);
	engine_destroy(f->eng);
	free(f->msg);
}

/*
 * Length of the well-formed UTF-8 sequence at p (RFC 3629 §4), or 0.  Kept
 * apart from json.c's on purpose: the check must not share its bugs.
 */
static int
utf8_len(const uint8_t *p, size_t left)
{
	int	 need, k;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		need = 1;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		need = 2;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		need = 3;
	else
		return 0;
	if ((size_t)need >= left)
		return 0;
	for (k = 1; k <= need; k++)
		if ((p[k] & 0xc0) != 0x80)
			return 0;
	return need + 1;
}

/*
 * No raw control byte but newline in an output; for JSON also UTF-8 only
 * and one object a line.
 */
static void
check_text(const char *s, size_t n, int json)
{
	const uint8_t	*p = (const uint8_t *)s;
	size_t		 i, bol = 0;
	int		 k;

	for (i = 0; i < n; i++) {
		if (p[i] == '\n') {
			if (json && (i == bol || p[bol] != '{' ||
			    p[i - 1] != '}'))
				abort();
			bol = i + 1;
		} else if (p[i] < 0x20 || p[i] == 0x7f)
			abort();
		else if (json && p[i] >= 0x80) {
			if ((k = utf8_len(p + i, n - i)) == 0)
				abort();
			i += (size_t)k - 1;
		}
	}
	if (bol != n)
		abort();
}

/* One input: a run of operations over a fresh engine. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz	 f;
	unsigned	 ops = 0;

	memset(&f, 0, sizeof(f));
	f.in.p = data;
	f.in.n = size;
	fz_open(&f);
	while (f.in.pos < f.in.n && ops++ < OPS_MAX)
		run_op(&f, in_u8(&f.in));
	fz_close(&f);
	return 0;
}
