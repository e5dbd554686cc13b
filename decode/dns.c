/*
 * dns.c -- decode a whole DNS message (RFC 1035 §4) into struct dns_msg:
 * header, questions, the three RR sections with typed RDATA, and EDNS
 * (RFC 6891) with Extended DNS Errors (RFC 8914).  Pure: no allocation,
 * no globals, no I/O.  Stops at the first fault, keeping what came before.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "decode/dns.h"
#include "util/cursor.h"

#define OPT_COOKIE	10	/* RFC 7873 */
#define OPT_ECS		8	/* RFC 7871 */
#define OPT_EDE		15	/* RFC 8914 */

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

static void	fail(struct dns_msg *, enum dns_status, size_t, int);
static int	decode_header(struct cur *, struct dns_msg *);
static int	decode_question(struct cur *, struct dns_msg *, int);
static int	decode_rr(struct cur *, struct dns_msg *, int);
static int	decode_rdata(const struct cur *, struct dns_rr *);
static int	rd_name(struct cur *, struct dns_name *, int);
static int	rd_bytes(struct cur *, size_t, struct dns_bytes *);
static int	decode_opt(struct dns_msg *, const struct dns_rr *);

/* The message for a status. */
const char *
dns_strerror(enum dns_status s)
{
	if ((unsigned)s >= DNS_E__MAX)
		return "unknown error";
	return status_msgs[s];
}

/* Record the first fault. */
static void
fail(struct dns_msg *m, enum dns_status s, size_t off, int section)
{
	if (m->status != DNS_OK)
		return;
	m->status = s;
	m->err_off = (uint16_t)(off > 0xffff ? 0xffff : off);
	m->err_section = (uint8_t)section;
}

/* The 12-byte header (RFC 1035 §4.1.1). */
static int
decode_header(struct cur *c, struct dns_msg *m)
{
	struct dns_header	*h = &m->hdr;
	uint16_t		 f;

	if (cur_left(c) < DNS_HEADER_LEN) {
		fail(m, DNS_E_SHORT, cur_left(c), DNS_SEC_QD);
		if (cur_left(c) >= 2)
			h->id = cur_u16(c);
		if (cur_left(c) >= 2) {
			f = cur_u16(c);
			h->qr = f >> 15;
		}
		return -1;
	}
	h->id = cur_u16(c);
	f = cur_u16(c);
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
	m->rcode = h->rcode;
	h->qdcount = cur_u16(c);
	h->ancount = cur_u16(c);
	h->nscount = cur_u16(c);
	h->arcount = cur_u16(c);
	return 0;
}

/* One question entry (RFC 1035 §4.1.2). */
static int
decode_question(struct cur *c, struct dns_msg *m, int store)
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
	if (store && m->nqd < DNS_MAX_QD)
		m->qd[m->nqd++] = q;
	return 0;
}

/* A name inside RDATA; the cursor is bounded by the RDATA. */
static int
rd_name(struct cur *c, struct dns_name *n, int allow_ptr)
{
	return dns_name_read(c, n, allow_ptr);
}

/* A byte string of n bytes inside RDATA. */
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

/*
 * Typed RDATA.  mc is the whole message, positioned at the RDATA; names
 * may point anywhere before them, but fixed fields must stay inside rdlen.
 * RFC 3597 §4: compression is followed in the RFC 1035 types and in SRV;
 * RRSIG signers and NSEC next names must not be compressed (RFC 4034) and
 * are still read leniently, as resolvers do.
 */
static int
decode_rdata(const struct cur *mc, struct dns_rr *rr)
{
	struct cur	 c = *mc;
	size_t		 end = mc->pos + rr->rdlen;
	int		 st = DNS_OK;

	c.len = end;	/* fixed fields stop at the RDATA's end */
	switch (rr->type) {
	case DNS_T_A:
		if (rr->rdlen != 4)
			return DNS_E_RDLEN;
		cur_copy(&c, rr->rd.a, 4);
		break;
	case DNS_T_AAAA:
		if (rr->rdlen != 16)
			return DNS_E_RDLEN;
		cur_copy(&c, rr->rd.aaaa, 16);
		break;
	case DNS_T_NS:
	case DNS_T_CNAME:
	case DNS_T_DNAME:
	case DNS_T_PTR:
		st = rd_name(&c, &rr->rd.name, 1);
		break;
	case DNS_T_SOA:
		if ((st = rd_name(&c, &rr->rd.soa.mname, 1)) == DNS_OK)
			st = rd_name(&c, &rr->rd.soa.rname, 1);
		rr->rd.soa.serial = cur_u32(&c);
		rr->rd.soa.refresh = cur_u32(&c);
		rr->rd.soa.retry = cur_u32(&c);
		rr->rd.soa.expire = cur_u32(&c);
		rr->rd.soa.minimum = cur_u32(&c);
		break;
	case DNS_T_MX:
		rr->rd.mx.pref = cur_u16(&c);
		st = rd_name(&c, &rr->rd.mx.exchange, 1);
		break;
	case DNS_T_TXT:
		rr->rd.txt.count = 0;
		rr->rd.txt.strings.off = (uint16_t)c.pos;
		rr->rd.txt.strings.len = rr->rdlen;
		while (c.pos < end && !c.err) {
			cur_skip(&c, cur_u8(&c));
			rr->rd.txt.count++;
		}
		break;
	case DNS_T_SRV:
		rr->rd.srv.priority = cur_u16(&c);
		rr->rd.srv.weight = cur_u16(&c);
		rr->rd.srv.port = cur_u16(&c);
		st = rd_name(&c, &rr->rd.srv.target, 1);
		break;
	case DNS_T_DS:
		rr->rd.ds.keytag = cur_u16(&c);
		rr->rd.ds.alg = cur_u8(&c);
		rr->rd.ds.digest_type = cur_u8(&c);
		if (!c.err)
			st = rd_bytes(&c, end - c.pos, &rr->rd.ds.digest);
		break;
	case DNS_T_DNSKEY:
		rr->rd.dnskey.flags = cur_u16(&c);
		rr->rd.dnskey.proto = cur_u8(&c);
		rr->rd.dnskey.alg = cur_u8(&c);
		if (!c.err)
			st = rd_bytes(&c, end - c.pos, &rr->rd.dnskey.key);
		break;
	case DNS_T_RRSIG:
		rr->rd.rrsig.covered = cur_u16(&c);
		rr->rd.rrsig.alg = cur_u8(&c);
		rr->rd.rrsig.labels = cur_u8(&c);
		rr->rd.rrsig.orig_ttl = cur_u32(&c);
		rr->rd.rrsig.expiration = cur_u32(&c);
		rr->rd.rrsig.inception = cur_u32(&c);
		rr->rd.rrsig.keytag = cur_u16(&c);
		if (!c.err &&
		    (st = rd_name(&c, &rr->rd.rrsig.signer, 1)) == DNS_OK &&
		    !c.err)
			st = rd_bytes(&c, end - c.pos, &rr->rd.rrsig.sig);
		break;
	case DNS_T_NSEC:
		if ((st = rd_name(&c, &rr->rd.nsec.next, 1)) == DNS_OK)
			st = rd_bytes(&c, end - c.pos, &rr->rd.nsec.types);
		break;
	case DNS_T_NSEC3:
		rr->rd.nsec3.hash_alg = cur_u8(&c);
		rr->rd.nsec3.flags = cur_u8(&c);
		rr->rd.nsec3.iterations = cur_u16(&c);
		if (c.err || (st = rd_bytes(&c, cur_u8(&c),
		    &rr->rd.nsec3.salt)) != DNS_OK || c.err ||
		    (st = rd_bytes(&c, cur_u8(&c), &rr->rd.nsec3.next)) !=
		    DNS_OK || c.err)
			break;
		st = rd_bytes(&c, end - c.pos, &rr->rd.nsec3.types);
		break;
	case DNS_T_SVCB:
	case DNS_T_HTTPS:
		rr->rd.svcb.priority = cur_u16(&c);
		if (!c.err && (st = rd_name(&c, &rr->rd.svcb.target, 0)) ==
		    DNS_OK)
			st = rd_bytes(&c, end - c.pos, &rr->rd.svcb.params);
		break;
	default:
		rr->rd.opaque.off = rr->rdoff;
		rr->rd.opaque.len = rr->rdlen;
		return DNS_OK;
	}
	if (st != DNS_OK)
		return st == DNS_E_TRUNC ? DNS_E_RDLEN : st;
	if (c.err || c.pos != end)
		return DNS_E_RDLEN;
	return DNS_OK;
}

/* EDNS from the OPT pseudo-RR (RFC 6891 §6.1), EDE (RFC 8914 §2). */
static int
decode_opt(struct dns_msg *m, const struct dns_rr *rr)
{
	struct dns_edns	*e = &m->edns;
	struct cur	 c;
	uint16_t	 code, len;

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
	cur_init(&c, m->base, (size_t)rr->rdoff + rr->rdlen);
	c.pos = rr->rdoff;
	while (cur_left(&c) > 0) {
		code = cur_u16(&c);
		len = cur_u16(&c);
		if (c.err || !cur_need(&c, len))
			return DNS_E_OPT;
		e->noptions++;
		if (code == OPT_COOKIE)
			e->has_cookie = 1;
		else if (code == OPT_ECS)
			e->has_ecs = 1;
		else if (code == OPT_EDE && len >= 2 && e->nede < DNS_MAX_EDE) {
			e->ede_code[e->nede] = (uint16_t)(c.base[c.pos] << 8 |
			    c.base[c.pos + 1]);
			e->ede_text[e->nede].off = (uint16_t)(c.pos + 2);
			e->ede_text[e->nede].len = (uint16_t)(len - 2);
			e->nede++;
		}
		c.pos += len;
	}
	return DNS_OK;
}

/* One resource record (RFC 1035 §4.1.3). */
static int
decode_rr(struct cur *c, struct dns_msg *m, int section)
{
	struct dns_rr	 tmp, *rr;
	size_t		 start = c->pos;
	int		 st;

	rr = m->nrr < DNS_MAX_RRS ? &m->rr[m->nrr] : &tmp;
	memset(rr, 0, offsetof(struct dns_rr, rd));
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
	if (rr->type == DNS_T_OPT)
		st = decode_opt(m, rr);
	else
		st = decode_rdata(c, rr);
	if (st != DNS_OK) {
		rr->rdstatus = (uint8_t)st;
		rr->rd.opaque.off = rr->rdoff;
		rr->rd.opaque.len = rr->rdlen;
		fail(m, (enum dns_status)st, rr->rdoff, section);
	}
	c->pos += rr->rdlen;
	m->count[section]++;
	if (rr == &tmp)
		m->rr_unstored++;
	else
		m->nrr++;
	return 0;
}

/* Decode a whole message; see dns.h. */
enum dns_status
dns_msg_decode(const uint8_t *buf, size_t len, struct dns_msg *m)
{
	struct cur	 c;
	uint32_t	 claimed, i;
	uint16_t	 counts[DNS_SEC__MAX];
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
	counts[DNS_SEC_QD] = m->hdr.qdcount;
	counts[DNS_SEC_AN] = m->hdr.ancount;
	counts[DNS_SEC_NS] = m->hdr.nscount;
	counts[DNS_SEC_AR] = m->hdr.arcount;
	/* Rule 43: 5 bytes per question and 11 per RR at the least. */
	claimed = (uint32_t)counts[0] * 5 + ((uint32_t)counts[1] + counts[2] +
	    counts[3]) * 11;
	if (claimed > len - DNS_HEADER_LEN)
		fail(m, DNS_E_COUNTS, DNS_HEADER_LEN, DNS_SEC_QD);
	for (i = 0; i < counts[DNS_SEC_QD]; i++) {
		if (decode_question(&c, m, 1) != 0)
			return m->status;
		m->count[DNS_SEC_QD]++;
	}
	for (sec = DNS_SEC_AN; sec < DNS_SEC__MAX; sec++)
		for (i = 0; i < counts[sec]; i++)
			if (decode_rr(&c, m, sec) != 0)
				return m->status;
	m->trailing = (uint16_t)cur_left(&c);
	return m->status;
}
