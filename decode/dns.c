/*
 * dns.c -- decode a whole DNS message (RFC 1035 §4) into struct dns_msg:
 * header, questions, the three RR sections with typed RDATA, and EDNS
 * (RFC 6891) with Extended DNS Errors (RFC 8914).  Pure: no allocation,
 * no globals, no I/O.  Stops at the first framing fault, keeping what came
 * before; a fault inside one RDATA marks that RR and the message but does
 * not stop the walk, because the RR's framing (rdlength) still holds.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "decode/dns.h"
#include "util/cursor.h"

#define DNS_T_LOC	29	/* RFC 1876 */
#define DNS_OP_UPDATE	5	/* RFC 2136 */

#define OPT_ECS		8	/* RFC 7871 */
#define OPT_COOKIE	10	/* RFC 7873 */
#define OPT_EDE		15	/* RFC 8914 */

#define SVC_MANDATORY	0	/* RFC 9460 §14.3.2 */
#define SVC_ALPN	1
#define SVC_NODEFALPN	2
#define SVC_PORT	3
#define SVC_IPV4HINT	4
#define SVC_ECH		5
#define SVC_IPV6HINT	6

/* A typed RDATA decoder: reads the RDATA at c (bounded by the RDATA's end). */
struct rd_decoder {
	uint16_t	  type;
	int		(*fn)(struct cur *, struct dns_rr *);
};

static void	fail(struct dns_msg *, enum dns_status, size_t, int);
static void	decode_flags(struct dns_header *, uint16_t);
static int	decode_header(struct cur *, struct dns_msg *);
static int	counts_fit(const struct dns_header *, size_t);
static int	decode_question(struct cur *, struct dns_msg *);
static int	decode_rr(struct cur *, struct dns_msg *, int);
static void	rr_rdata(const struct cur *, struct dns_msg *, struct dns_rr *);
static int	decode_rdata(const struct cur *, struct dns_rr *);
static int	rd_bytes(struct cur *, size_t, struct dns_bytes *);
static int	rd_rest(struct cur *, struct dns_bytes *);
static int	rd_typemap(const struct cur *, struct dns_bytes);
static int	rd_a(struct cur *, struct dns_rr *);
static int	rd_aaaa(struct cur *, struct dns_rr *);
static int	rd_name(struct cur *, struct dns_rr *);
static int	rd_soa(struct cur *, struct dns_rr *);
static int	rd_mx(struct cur *, struct dns_rr *);
static int	rd_txt(struct cur *, struct dns_rr *);
static int	rd_srv(struct cur *, struct dns_rr *);
static int	rd_ds(struct cur *, struct dns_rr *);
static int	rd_dnskey(struct cur *, struct dns_rr *);
static int	rd_rrsig(struct cur *, struct dns_rr *);
static int	rd_nsec(struct cur *, struct dns_rr *);
static int	rd_nsec3(struct cur *, struct dns_rr *);
static int	rd_svcb(struct cur *, struct dns_rr *);
static int	rd_loc(struct cur *, struct dns_rr *);
static int	svc_params(struct cur *);
static int	svc_value(uint16_t, const uint8_t *, uint16_t);
static int	decode_opt(struct dns_msg *, struct dns_rr *);
static int	opt_options(struct dns_msg *, const struct dns_rr *);
static int	opt_one(struct dns_edns *, uint16_t, const uint8_t *, uint16_t,
		    size_t);

static const char *status_msgs[DNS_E__MAX] = {
	[DNS_OK] = "ok",
	[DNS_E_SHORT] = "message shorter than the 12-byte header",
	[DNS_E_TRUNC] = "field runs past the end of the message",
	[DNS_E_BADPTR] = "compression pointer does not point backwards",
	[DNS_E_PTRLOOP] = "too many compression pointers in one name",
	[DNS_E_LABEL] = "label longer than 63 bytes",
	[DNS_E_NAMELEN] = "name longer than 255 bytes",
	[DNS_E_LABELTYPE] = "reserved label type",
	[DNS_E_COUNTS] = "header counts exceed what the message holds",
	[DNS_E_RDLEN] = "RDATA length does not fit its type",
	[DNS_E_OPT] = "malformed or misplaced EDNS OPT record",
};

/*
 * Types with an RDATA decoder; everything else stays opaque (RFC 3597).
 * Compression (RFC 3597 §4): followed in the RFC 1035 types (NS, CNAME,
 * SOA, PTR, MX) and in SRV and DNAME, which receivers decompress in
 * practice.  RRSIG signers and NSEC next names must not be compressed (RFC
 * 4034 §3.1.7, §4.1.1) but are still read leniently, like the SIG and NXT
 * they replace (RFC 3597 §4: SHOULD decompress).  SVCB/HTTPS targets must
 * not be compressed (RFC 9460 §2.2) and a pointer there is DNS_E_BADPTR:
 * the type is new, so no legacy sender has an excuse.
 */
static const struct rd_decoder rd_decoders[] = {
	{ DNS_T_A, rd_a },		/* RFC 1035 §3.4.1 */
	{ DNS_T_NS, rd_name },		/* RFC 1035 §3.3.11 */
	{ DNS_T_CNAME, rd_name },	/* RFC 1035 §3.3.1 */
	{ DNS_T_SOA, rd_soa },		/* RFC 1035 §3.3.13 */
	{ DNS_T_PTR, rd_name },		/* RFC 1035 §3.3.12 */
	{ DNS_T_MX, rd_mx },		/* RFC 1035 §3.3.9 */
	{ DNS_T_TXT, rd_txt },		/* RFC 1035 §3.3.14 */
	{ DNS_T_AAAA, rd_aaaa },	/* RFC 3596 §2.2 */
	{ DNS_T_LOC, rd_loc },		/* RFC 1876 §2 */
	{ DNS_T_SRV, rd_srv },		/* RFC 2782 */
	{ DNS_T_DNAME, rd_name },	/* RFC 6672 §2.1 */
	{ DNS_T_DS, rd_ds },		/* RFC 4034 §5.1 */
	{ DNS_T_RRSIG, rd_rrsig },	/* RFC 4034 §3.1 */
	{ DNS_T_NSEC, rd_nsec },	/* RFC 4034 §4.1 */
	{ DNS_T_DNSKEY, rd_dnskey },	/* RFC 4034 §2.1 */
	{ DNS_T_NSEC3, rd_nsec3 },	/* RFC 5155 §3.2 */
	{ DNS_T_SVCB, rd_svcb },	/* RFC 9460 §2.2 */
	{ DNS_T_HTTPS, rd_svcb },	/* RFC 9460 §9 */
	{ 0, NULL }
};

/* The message for a status. */
const char *
dns_strerror(enum dns_status s)
{
	if ((unsigned)s >= DNS_E__MAX)
		return "unknown error";
	return status_msgs[s];
}

/* Record the first fault; later ones are dropped. */
static void
fail(struct dns_msg *m, enum dns_status s, size_t off, int section)
{
	if (m->status != DNS_OK)
		return;
	m->status = s;
	m->err_off = (uint16_t)(off > 0xffff ? 0xffff : off);
	m->err_section = (uint8_t)section;
}

/* The flag word of the header (RFC 1035 §4.1.1, RFC 4035 §3.2 AD/CD). */
static void
decode_flags(struct dns_header *h, uint16_t f)
{
	h->qr = f >> 15 & 1;
	h->opcode = f >> 11 & 15;
	h->aa = f >> 10 & 1;
	h->tc = f >> 9 & 1;
	h->rd = f >> 8 & 1;
	h->ra = f >> 7 & 1;
	h->z = f >> 6 & 1;
	h->ad = f >> 5 & 1;
	h->cd = f >> 4 & 1;
	h->rcode = f & 15;
}

/*
 * The 12-byte header (RFC 1035 §4.1.1).  A short message still yields the
 * ID and flags when it holds them, so the engine can say whose it was.
 */
static int
decode_header(struct cur *c, struct dns_msg *m)
{
	struct dns_header	*h = &m->hdr;

	if (cur_left(c) < DNS_HEADER_LEN) {
		fail(m, DNS_E_SHORT, cur_left(c), DNS_SEC_QD);
		if (cur_left(c) >= 2)
			h->id = cur_u16(c);
		if (cur_left(c) >= 2)
			decode_flags(h, cur_u16(c));
		m->rcode = h->rcode;
		return -1;
	}
	h->id = cur_u16(c);
	decode_flags(h, cur_u16(c));
	m->rcode = h->rcode;
	h->qdcount = cur_u16(c);
	h->ancount = cur_u16(c);
	h->nscount = cur_u16(c);
	h->arcount = cur_u16(c);
	return 0;
}

/*
 * Rule 43: can len bytes hold the counts at all?  A question takes at
 * least 5 bytes (root name, type, class), an RR at least 11 (root owner,
 * type, class, TTL, rdlength).
 */
static int
counts_fit(const struct dns_header *h, size_t len)
{
	uint32_t	 need;

	need = (uint32_t)h->qdcount * 5 + ((uint32_t)h->ancount +
	    h->nscount + h->arcount) * 11;
	return need <= len - DNS_HEADER_LEN;
}

/* One question entry (RFC 1035 §4.1.2); stores the first DNS_MAX_QD. */
static int
decode_question(struct cur *c, struct dns_msg *m)
{
	struct dns_question	 q;
	size_t			 start = c->pos;
	int			 st;

	if ((st = dns_name_read(c, &q.qname, 1)) != DNS_OK) {
		fail(m, (enum dns_status)st, start, DNS_SEC_QD);
		return -1;
	}
	q.qtype = cur_u16(c);
	q.qclass = cur_u16(c);
	if (c->err) {
		fail(m, DNS_E_TRUNC, start, DNS_SEC_QD);
		return -1;
	}
	if (m->nqd < DNS_MAX_QD)
		m->qd[m->nqd++] = q;
	m->count[DNS_SEC_QD]++;
	return 0;
}

/* n bytes of RDATA as a byte string. */
static int
rd_bytes(struct cur *c, size_t n, struct dns_bytes *b)
{
	if (!cur_need(c, n))
		return DNS_E_RDLEN;
	b->off = (uint16_t)c->pos;
	b->len = (uint16_t)n;
	c->pos += n;
	return DNS_OK;
}

/* The rest of the RDATA as a byte string. */
static int
rd_rest(struct cur *c, struct dns_bytes *b)
{
	if (c->err)
		return DNS_E_RDLEN;
	return rd_bytes(c, cur_left(c), b);
}

/*
 * A type bit map (RFC 4034 §4.1.2, RFC 5155 §3.2.1): window blocks in
 * increasing order, each with a bitmap length of 1 to 32.
 */
static int
rd_typemap(const struct cur *mc, struct dns_bytes b)
{
	struct cur	 c;
	int		 last = -1;
	uint8_t		 win, len;

	cur_init(&c, mc->base + b.off, b.len);
	while (cur_left(&c) > 0) {
		win = cur_u8(&c);
		len = cur_u8(&c);
		if (c.err || (int)win <= last || len == 0 || len > 32)
			return DNS_E_RDLEN;
		cur_skip(&c, len);
		last = win;
	}
	return c.err ? DNS_E_RDLEN : DNS_OK;
}

/* A: one IPv4 address (RFC 1035 §3.4.1). */
static int
rd_a(struct cur *c, struct dns_rr *rr)
{
	cur_copy(c, rr->rd.a, sizeof(rr->rd.a));
	return DNS_OK;
}

/* AAAA: one IPv6 address (RFC 3596 §2.2). */
static int
rd_aaaa(struct cur *c, struct dns_rr *rr)
{
	cur_copy(c, rr->rd.aaaa, sizeof(rr->rd.aaaa));
	return DNS_OK;
}

/* NS, CNAME, PTR, DNAME: a single, possibly compressed, name. */
static int
rd_name(struct cur *c, struct dns_rr *rr)
{
	return dns_name_read(c, &rr->rd.name, 1);
}

/* SOA: two names and five 32-bit fields (RFC 1035 §3.3.13). */
static int
rd_soa(struct cur *c, struct dns_rr *rr)
{
	int	 st;

	if ((st = dns_name_read(c, &rr->rd.soa.mname, 1)) != DNS_OK ||
	    (st = dns_name_read(c, &rr->rd.soa.rname, 1)) != DNS_OK)
		return st;
	rr->rd.soa.serial = cur_u32(c);
	rr->rd.soa.refresh = cur_u32(c);
	rr->rd.soa.retry = cur_u32(c);
	rr->rd.soa.expire = cur_u32(c);
	rr->rd.soa.minimum = cur_u32(c);
	return DNS_OK;
}

/* MX: preference and exchange (RFC 1035 §3.3.9). */
static int
rd_mx(struct cur *c, struct dns_rr *rr)
{
	rr->rd.mx.pref = cur_u16(c);
	if (c->err)
		return DNS_E_RDLEN;
	return dns_name_read(c, &rr->rd.mx.exchange, 1);
}

/*
 * TXT: one or more character-strings (RFC 1035 §3.3.14), counted and kept
 * raw.  An empty RDATA (no string at all) is accepted with count 0, as
 * most servers and tshark do.
 */
static int
rd_txt(struct cur *c, struct dns_rr *rr)
{
	rr->rd.txt.count = 0;
	rr->rd.txt.strings.off = (uint16_t)c->pos;
	rr->rd.txt.strings.len = (uint16_t)cur_left(c);
	while (cur_left(c) > 0 && !c->err) {
		cur_skip(c, cur_u8(c));
		rr->rd.txt.count++;
	}
	return DNS_OK;
}

/* SRV: priority, weight, port, target (RFC 2782). */
static int
rd_srv(struct cur *c, struct dns_rr *rr)
{
	rr->rd.srv.priority = cur_u16(c);
	rr->rd.srv.weight = cur_u16(c);
	rr->rd.srv.port = cur_u16(c);
	if (c->err)
		return DNS_E_RDLEN;
	return dns_name_read(c, &rr->rd.srv.target, 1);
}

/* DS: key tag, algorithm, digest type, digest (RFC 4034 §5.1). */
static int
rd_ds(struct cur *c, struct dns_rr *rr)
{
	rr->rd.ds.keytag = cur_u16(c);
	rr->rd.ds.alg = cur_u8(c);
	rr->rd.ds.digest_type = cur_u8(c);
	return rd_rest(c, &rr->rd.ds.digest);
}

/* DNSKEY: flags, protocol, algorithm, key (RFC 4034 §2.1). */
static int
rd_dnskey(struct cur *c, struct dns_rr *rr)
{
	rr->rd.dnskey.flags = cur_u16(c);
	rr->rd.dnskey.proto = cur_u8(c);
	rr->rd.dnskey.alg = cur_u8(c);
	return rd_rest(c, &rr->rd.dnskey.key);
}

/* RRSIG: 18 fixed bytes, signer, signature (RFC 4034 §3.1). */
static int
rd_rrsig(struct cur *c, struct dns_rr *rr)
{
	int	 st;

	rr->rd.rrsig.covered = cur_u16(c);
	rr->rd.rrsig.alg = cur_u8(c);
	rr->rd.rrsig.labels = cur_u8(c);
	rr->rd.rrsig.orig_ttl = cur_u32(c);
	rr->rd.rrsig.expiration = cur_u32(c);
	rr->rd.rrsig.inception = cur_u32(c);
	rr->rd.rrsig.keytag = cur_u16(c);
	if (c->err)
		return DNS_E_RDLEN;
	if ((st = dns_name_read(c, &rr->rd.rrsig.signer, 1)) != DNS_OK)
		return st;
	return rd_rest(c, &rr->rd.rrsig.sig);
}

/* NSEC: next owner name and type bit maps (RFC 4034 §4.1). */
static int
rd_nsec(struct cur *c, struct dns_rr *rr)
{
	int	 st;

	if ((st = dns_name_read(c, &rr->rd.nsec.next, 1)) != DNS_OK ||
	    (st = rd_rest(c, &rr->rd.nsec.types)) != DNS_OK)
		return st;
	return rd_typemap(c, rr->rd.nsec.types);
}

/* NSEC3: hash parameters, salt, next hashed owner, bit maps (RFC 5155). */
static int
rd_nsec3(struct cur *c, struct dns_rr *rr)
{
	int	 st;

	rr->rd.nsec3.hash_alg = cur_u8(c);
	rr->rd.nsec3.flags = cur_u8(c);
	rr->rd.nsec3.iterations = cur_u16(c);
	if (c->err ||
	    (st = rd_bytes(c, cur_u8(c), &rr->rd.nsec3.salt)) != DNS_OK ||
	    (st = rd_bytes(c, cur_u8(c), &rr->rd.nsec3.next)) != DNS_OK ||
	    (st = rd_rest(c, &rr->rd.nsec3.types)) != DNS_OK)
		return DNS_E_RDLEN;
	return rd_typemap(c, rr->rd.nsec3.types);
}

/* SVCB and HTTPS: priority, uncompressed target, SvcParams (RFC 9460). */
static int
rd_svcb(struct cur *c, struct dns_rr *rr)
{
	struct cur	 p;
	int		 st;

	rr->rd.svcb.priority = cur_u16(c);
	if (c->err)
		return DNS_E_RDLEN;
	if ((st = dns_name_read(c, &rr->rd.svcb.target, 0)) != DNS_OK ||
	    (st = rd_rest(c, &rr->rd.svcb.params)) != DNS_OK)
		return st;
	cur_init(&p, c->base + rr->rd.svcb.params.off, rr->rd.svcb.params.len);
	return svc_params(&p);
}

/*
 * SvcParams (RFC 9460 §2.2): key, length, value, keys strictly
 * increasing, each value well-formed for the keys this decoder knows.
 */
static int
svc_params(struct cur *c)
{
	int32_t		 last = -1;
	uint16_t	 key, len;

	while (cur_left(c) > 0) {
		key = cur_u16(c);
		len = cur_u16(c);
		if (c->err || (int32_t)key <= last || !cur_need(c, len))
			return DNS_E_RDLEN;
		if (svc_value(key, c->base + c->pos, len) != DNS_OK)
			return DNS_E_RDLEN;
		c->pos += len;
		last = key;
	}
	return DNS_OK;
}

/* One SvcParamValue by key (RFC 9460 §7); unknown keys are opaque. */
static int
svc_value(uint16_t key, const uint8_t *v, uint16_t len)
{
	uint16_t	 i;

	switch (key) {
	case SVC_MANDATORY:		/* §8: a non-empty list of keys */
		return len > 0 && len % 2 == 0 ? DNS_OK : DNS_E_RDLEN;
	case SVC_ALPN:			/* §7.1.1: non-empty strings */
		if (len == 0)
			return DNS_E_RDLEN;
		for (i = 0; i < len; i += (uint16_t)(v[i] + 1))
			if (v[i] == 0 || v[i] > len - i - 1)
				return DNS_E_RDLEN;
		return DNS_OK;
	case SVC_NODEFALPN:		/* §7.1.1: empty */
		return len == 0 ? DNS_OK : DNS_E_RDLEN;
	case SVC_PORT:			/* §7.2 */
		return len == 2 ? DNS_OK : DNS_E_RDLEN;
	case SVC_IPV4HINT:		/* §7.3 */
		return len > 0 && len % 4 == 0 ? DNS_OK : DNS_E_RDLEN;
	case SVC_IPV6HINT:
		return len > 0 && len % 16 == 0 ? DNS_OK : DNS_E_RDLEN;
	default:			/* SVC_ECH and the rest: opaque */
		return DNS_OK;
	}
}

/*
 * LOC: version 0 is exactly 16 bytes (RFC 1876 §2); other versions are
 * undefined and stay opaque.  The RR keeps rd.opaque either way.
 */
static int
rd_loc(struct cur *c, struct dns_rr *rr)
{
	rr->rd.opaque.off = (uint16_t)c->pos;
	rr->rd.opaque.len = (uint16_t)cur_left(c);
	if (cur_left(c) > 0 && c->base[c->pos] == 0 && cur_left(c) != 16)
		return DNS_E_RDLEN;
	c->pos = c->len;
	return DNS_OK;
}

/*
 * Typed RDATA.  mc is the whole message positioned at the RDATA; the copy
 * is cut at the RDATA's end, so fixed fields and labels stay inside it
 * while compression pointers may still reach back into the message.  The
 * decoder must consume the RDATA exactly.
 */
static int
decode_rdata(const struct cur *mc, struct dns_rr *rr)
{
	const struct rd_decoder	*d;
	struct cur		 c = *mc;
	int			 st;

	c.len = mc->pos + rr->rdlen;
	for (d = rd_decoders; d->fn != NULL; d++)
		if (d->type == rr->type)
			break;
	if (d->fn == NULL) {
		rr->rd.opaque.off = rr->rdoff;
		rr->rd.opaque.len = rr->rdlen;
		return DNS_OK;
	}
	st = d->fn(&c, rr);
	if (st == DNS_E_TRUNC || (st == DNS_OK && (c.err || c.pos != c.len)))
		st = DNS_E_RDLEN;
	return st;
}

/*
 * One EDNS option (RFC 6891 §6.1.2).  Cookies must be 8 or 16 to 40 bytes
 * (RFC 7873 §4), ECS needs its 4 fixed bytes and at most a whole address
 * (RFC 7871 §6), EDE its 2-byte code (RFC 8914 §2); the first DNS_MAX_EDE
 * EDEs are kept.  off is the value's offset in the message.
 */
static int
opt_one(struct dns_edns *e, uint16_t code, const uint8_t *v, uint16_t len,
    size_t off)
{
	uint16_t	 fam;

	e->noptions++;
	switch (code) {
	case OPT_COOKIE:
		e->has_cookie = 1;
		if (len != 8 && (len < 16 || len > 40))
			return DNS_E_OPT;
		break;
	case OPT_ECS:
		e->has_ecs = 1;
		if (len < 4)
			return DNS_E_OPT;
		fam = (uint16_t)(v[0] << 8 | v[1]);
		if ((fam == 1 && len > 4 + 4) || (fam == 2 && len > 4 + 16))
			return DNS_E_OPT;
		break;
	case OPT_EDE:
		if (len < 2)
			return DNS_E_OPT;
		if (e->nede >= DNS_MAX_EDE)
			break;
		e->ede_code[e->nede] = (uint16_t)(v[0] << 8 | v[1]);
		e->ede_text[e->nede].off = (uint16_t)(off + 2);
		e->ede_text[e->nede].len = (uint16_t)(len - 2);
		e->nede++;
		break;
	}
	return DNS_OK;
}

/* Walk the options of the OPT RDATA with bounds checks (RFC 6891 §6.1.2). */
static int
opt_options(struct dns_msg *m, const struct dns_rr *rr)
{
	struct cur	 c;
	uint16_t	 code, len;
	int		 st = DNS_OK, r;

	cur_init(&c, m->base, (size_t)rr->rdoff + rr->rdlen);
	c.pos = rr->rdoff;
	while (cur_left(&c) > 0) {
		code = cur_u16(&c);
		len = cur_u16(&c);
		if (c.err || !cur_need(&c, len))
			return DNS_E_OPT;
		r = opt_one(&m->edns, code, c.base + c.pos, len, c.pos);
		if (st == DNS_OK)
			st = r;
		c.pos += len;
	}
	return st;
}

/*
 * EDNS from the OPT pseudo-RR (RFC 6891 §6.1): root owner, additional
 * section only, at most one per message.  A bad OPT after a good one
 * leaves the first in place.
 */
static int
decode_opt(struct dns_msg *m, struct dns_rr *rr)
{
	struct dns_edns	*e = &m->edns;

	rr->rd.opaque.off = rr->rdoff;
	rr->rd.opaque.len = rr->rdlen;
	if (e->present || rr->section != DNS_SEC_AR || rr->owner.len != 1)
		return DNS_E_OPT;
	e->present = 1;
	e->udp_size = rr->rclass;
	e->ext_rcode = (uint8_t)(rr->ttl >> 24);
	e->version = (uint8_t)(rr->ttl >> 16);
	e->flags = (uint16_t)rr->ttl;
	e->do_bit = (uint8_t)(rr->ttl >> 15 & 1);
	e->options.off = rr->rdoff;
	e->options.len = rr->rdlen;
	m->rcode = (uint16_t)(e->ext_rcode << 4 | m->hdr.rcode);
	return opt_options(m, rr);
}

/*
 * The RDATA of one RR whose framing holds.  A bad RDATA marks the RR
 * (rdstatus, rd.opaque) and the message, and the walk goes on.
 */
static void
rr_rdata(const struct cur *c, struct dns_msg *m, struct dns_rr *rr)
{
	int	 st;

	if (rr->type == DNS_T_OPT)
		st = decode_opt(m, rr);
	else if (rr->rdlen == 0 && m->hdr.opcode == DNS_OP_UPDATE) {
		/*
		 * RFC 2136 §2.4, §2.5: prerequisites and deletes carry empty
		 * RDATA of any type.  The message is fine, but the RR has no
		 * typed RDATA, so it is marked for readers of rd.
		 */
		rr->rdstatus = DNS_E_RDLEN;
		rr->rd.opaque.off = rr->rdoff;
		rr->rd.opaque.len = 0;
		return;
	} else
		st = decode_rdata(c, rr);
	if (st != DNS_OK) {
		rr->rdstatus = (uint8_t)st;
		rr->rd.opaque.off = rr->rdoff;
		rr->rd.opaque.len = rr->rdlen;
		fail(m, (enum dns_status)st, rr->rdoff, rr->section);
	}
}

/*
 * One resource record (RFC 1035 §4.1.3).  Records beyond DNS_MAX_RRS are
 * decoded into a scratch RR and only counted.
 */
static int
decode_rr(struct cur *c, struct dns_msg *m, int section)
{
	struct dns_rr	 tmp, *rr;
	size_t		 start = c->pos;
	int		 st;

	rr = m->nrr < DNS_MAX_RRS ? &m->rr[m->nrr] : &tmp;
	/* The owner is set by dns_name_read (its length, not all 255 bytes). */
	memset(&rr->type, 0, offsetof(struct dns_rr, rd) -
	    offsetof(struct dns_rr, type));
	if ((st = dns_name_read(c, &rr->owner, 1)) != DNS_OK) {
		fail(m, (enum dns_status)st, start, section);
		return -1;
	}
	rr->type = cur_u16(c);
	rr->rclass = cur_u16(c);
	rr->ttl = cur_u32(c);
	rr->rdlen = cur_u16(c);
	rr->section = (uint8_t)section;
	rr->rdoff = (uint16_t)c->pos;
	if (c->err || !cur_need(c, rr->rdlen)) {
		fail(m, DNS_E_TRUNC, start, section);
		return -1;
	}
	rr_rdata(c, m, rr);
	c->pos += rr->rdlen;
	m->count[section]++;
	if (rr == &tmp)
		m->rr_unstored++;
	else
		m->nrr++;
	return 0;
}

/*
 * Decode a whole message; see dns.h.  Header counts are claims (rule 30,
 * 43): an impossible total is DNS_E_COUNTS at once, and the sections are
 * still walked to the claimed counts, stopping at the first framing fault.
 */
enum dns_status
dns_msg_decode(const uint8_t *buf, size_t len, struct dns_msg *m)
{
	struct cur	 c;
	uint16_t	 counts[DNS_SEC__MAX];
	uint32_t	 i;
	int		 sec;

	memset(m, 0, offsetof(struct dns_msg, rr));
	memset(&m->edns, 0, sizeof(*m) - offsetof(struct dns_msg, edns));
	m->base = buf;
	if (len > 0xffff) {
		len = 0xffff;
		fail(m, DNS_E_TRUNC, len, DNS_SEC_QD);
	}
	m->len = (uint16_t)len;
	cur_init(&c, buf, len);
	if (decode_header(&c, m) != 0)
		return m->status;
	if (!counts_fit(&m->hdr, len))
		fail(m, DNS_E_COUNTS, DNS_HEADER_LEN, DNS_SEC_QD);
	for (i = 0; i < m->hdr.qdcount; i++)
		if (decode_question(&c, m) != 0)
			return m->status;
	counts[DNS_SEC_AN] = m->hdr.ancount;
	counts[DNS_SEC_NS] = m->hdr.nscount;
	counts[DNS_SEC_AR] = m->hdr.arcount;
	for (sec = DNS_SEC_AN; sec < DNS_SEC__MAX; sec++)
		for (i = 0; i < counts[sec]; i++)
			if (decode_rr(&c, m, sec) != 0)
				return m->status;
	m->trailing = (uint16_t)cur_left(&c);
	return m->status;
}
