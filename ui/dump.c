/*
 * dump.c -- tcpdump-style lines for decoded DNS messages (--dump).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "decode/dname.h"
#include "decode/dns.h"
#include "decode/dnstab.h"
#include "ui/dump.h"
#include "util/addr.h"
#include "util/cursor.h"

/* A bounded string builder; output past the end is cut, never overrun. */
struct sbuf {
	char	*p;
	size_t	 size;
	size_t	 len;
};

static void	sb_init(struct sbuf *, char *, size_t);
static void	sb_put(struct sbuf *, const char *, size_t);
static void	sb_str(struct sbuf *, const char *);
static void	sb_char(struct sbuf *, char);
static void	sb_uint(struct sbuf *, uint64_t);
static void	sb_zpad(struct sbuf *, unsigned, int);
static void	sb_addr(struct sbuf *, int, const uint8_t *);
static void	sb_name(struct sbuf *, const struct dns_name *);
static void	sb_hex(struct sbuf *, const uint8_t *, size_t);
static void	sb_base64(struct sbuf *, const uint8_t *, size_t);
static void	sb_base32hex(struct sbuf *, const uint8_t *, size_t);
static void	sb_types(struct sbuf *, const uint8_t *, size_t);
static void	sb_charstrs(struct sbuf *, const uint8_t *, size_t);
static void	sb_time(struct sbuf *, uint32_t);
static void	sb_svcparams(struct sbuf *, const uint8_t *, size_t);
static void	sb_svcvalue(struct sbuf *, unsigned, const uint8_t *,
		    size_t);
static void	sb_uint3(struct sbuf *, uint32_t, uint32_t, uint32_t);
static void	sb_keyval(struct sbuf *, const char *, uint64_t);
static void	dump_rdata_dnssec(struct sbuf *, const struct dns_msg *,
		    const struct dns_rr *);
static void	dump_rdata_nsec3(struct sbuf *, const struct dns_msg *,
		    const struct dns_rr *);
static void	dump_rdata_soa(struct sbuf *, const struct dns_rr *);
static void	dump_rdata_generic(struct sbuf *, const struct dns_rr *,
		    const uint8_t *, int);
static void	dump_flags(struct sbuf *, const struct dns_msg *);
static void	dump_question(struct sbuf *, const struct dns_msg *);
static void	dump_edns(struct sbuf *, const struct dns_edns *);
static void	dump_extras(struct sbuf *, const struct dns_msg *,
		    const struct dump_pkt *);
static void	dump_referral(struct sbuf *, const struct dns_msg *);
static void	dump_answers(struct sbuf *, const struct dns_msg *);
static void	dump_time(struct sbuf *, uint64_t);
static void	dump_delta(struct sbuf *, uint64_t, uint64_t);
static const char *icmp_reason(int, unsigned, unsigned);
static void	dump_endpoints(struct sbuf *, const struct dump_pkt *);
static void	dump_opt(struct sbuf *, const struct dns_msg *,
		    const struct dns_rr *);
static void	dump_record(struct sbuf *, const struct dns_msg *,
		    const struct dns_rr *);
static void	dump_records(FILE *, const struct dns_msg *);

static const char *section_names[DNS_SEC__MAX] = {
	"QUESTION", "ANSWER", "AUTHORITY", "ADDITIONAL"
};

/* Short tokens for decode faults, used in the malformed= key. */
static const char *status_tokens[DNS_E__MAX] = {
	[DNS_OK] = "ok",
	[DNS_E_SHORT] = "short",
	[DNS_E_TRUNC] = "truncated",
	[DNS_E_BADPTR] = "badptr",
	[DNS_E_PTRLOOP] = "ptrloop",
	[DNS_E_LABEL] = "label",
	[DNS_E_NAMELEN] = "namelen",
	[DNS_E_LABELTYPE] = "labeltype",
	[DNS_E_COUNTS] = "counts",
	[DNS_E_RDLEN] = "rdata",
	[DNS_E_OPT] = "opt",
};

/* Start an empty builder over buf. */
static void
sb_init(struct sbuf *sb, char *buf, size_t size)
{
	sb->p = buf;
	sb->size = size;
	sb->len = 0;
	if (size > 0)
		buf[0] = '\0';
}

/*
 * Append n bytes, cutting at the end of the buffer.  Every sb_ function
 * ends here: lines are built by hand rather than with printf(3), which
 * used to take most of --dump's time.
 */
static void
sb_put(struct sbuf *sb, const char *s, size_t n)
{
	size_t	 room;

	if (sb->len + 1 >= sb->size)
		return;
	room = sb->size - 1 - sb->len;
	if (n > room)
		n = room;
	memcpy(sb->p + sb->len, s, n);
	sb->len += n;
	sb->p[sb->len] = '\0';
}

/* Append a string. */
static void
sb_str(struct sbuf *sb, const char *s)
{
	sb_put(sb, s, strlen(s));
}

/* Append one character. */
static void
sb_char(struct sbuf *sb, char c)
{
	sb_put(sb, &c, 1);
}

/* Append a number in decimal. */
static void
sb_uint(struct sbuf *sb, uint64_t v)
{
	char	 tmp[20];
	size_t	 o = sizeof(tmp);

	do
		tmp[--o] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	sb_put(sb, tmp + o, sizeof(tmp) - o);
}

/* Append a number in decimal, zero-padded to width digits (10 at most). */
static void
sb_zpad(struct sbuf *sb, unsigned v, int width)
{
	char	 tmp[10];
	size_t	 o = sizeof(tmp);

	while (o > 0 && (v != 0 || sizeof(tmp) - o < (size_t)width)) {
		tmp[--o] = (char)('0' + v % 10);
		v /= 10;
	}
	sb_put(sb, tmp + o, sizeof(tmp) - o);
}

/* Append an address in its usual text form. */
static void
sb_addr(struct sbuf *sb, int family, const uint8_t *addr)
{
	char	 buf[ADDR_STRLEN];

	sb_str(sb, addr_str(family, addr, buf, sizeof(buf)));
}

/*
 * Append a name in presentation form: in place when the longest name
 * fits, else through a copy, so that a cut line still ends where it always
 * did (mid-escape if need be).
 */
static void
sb_name(struct sbuf *sb, const struct dns_name *name)
{
	char	 buf[DNS_NAME_STRMAX];

	if (sb->size - sb->len > DNS_NAME_STRMAX) {
		sb->len += dns_name_to_str(name, sb->p + sb->len,
		    sb->size - sb->len);
		return;
	}
	dns_name_to_str(name, buf, sizeof(buf));
	sb_str(sb, buf);
}

/* Append bytes as upper-case hex. */
static void
sb_hex(struct sbuf *sb, const uint8_t *p, size_t n)
{
	static const char	 tab[] = "0123456789ABCDEF";
	char			 two[2];
	size_t			 i;

	for (i = 0; i < n; i++) {
		two[0] = tab[p[i] >> 4];
		two[1] = tab[p[i] & 15];
		sb_put(sb, two, 2);
	}
}

/* Append bytes in base64 (RFC 4648 §4). */
static void
sb_base64(struct sbuf *sb, const uint8_t *p, size_t n)
{
	static const char	 tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char			 four[4];
	uint32_t		 v;
	size_t			 i;

	for (i = 0; i < n; i += 3) {
		v = (uint32_t)p[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		four[0] = tab[v >> 18 & 63];
		four[1] = tab[v >> 12 & 63];
		four[2] = i + 1 < n ? tab[v >> 6 & 63] : '=';
		four[3] = i + 2 < n ? tab[v & 63] : '=';
		sb_put(sb, four, 4);
	}
}

/* Append bytes in base32hex without padding (RFC 4648 §7, RFC 5155). */
static void
sb_base32hex(struct sbuf *sb, const uint8_t *p, size_t n)
{
	static const char	 tab[] = "0123456789abcdefghijklmnopqrstuv";
	uint32_t		 acc = 0;
	int			 bits = 0;
	size_t			 i;

	for (i = 0; i < n; i++) {
		acc = (acc << 8 | p[i]) & 0xffff;
		bits += 8;
		while (bits >= 5) {
			sb_char(sb, tab[acc >> (bits - 5) & 31]);
			bits -= 5;
		}
	}
	if (bits > 0)
		sb_char(sb, tab[acc << (5 - bits) & 31]);
}

/* Append an NSEC/NSEC3 type bitmap as type names (RFC 4034 §4.1.2). */
static void
sb_types(struct sbuf *sb, const uint8_t *p, size_t n)
{
	char	 tbuf[16];
	size_t	 pos = 0, i;
	unsigned window, blen, bit;

	while (n - pos >= 2) {
		window = p[pos];
		blen = p[pos + 1];
		pos += 2;
		if (blen == 0 || blen > 32 || blen > n - pos) {
			sb_str(sb, " <bad bitmap>");
			return;
		}
		for (i = 0; i < blen; i++)
			for (bit = 0; bit < 8; bit++) {
				if (!(p[pos + i] & (0x80 >> bit)))
					continue;
				sb_char(sb, ' ');
				sb_str(sb, dns_type_str((uint16_t)(window *
				    256 + i * 8 + bit), tbuf, sizeof(tbuf)));
			}
		pos += blen;
	}
}

/* Append <character-string>s quoted, escaping as RFC 1035 §5.1 does. */
static void
sb_charstrs(struct sbuf *sb, const uint8_t *p, size_t n)
{
	size_t	 pos = 0, len, i;
	uint8_t	 c;

	while (pos < n) {
		len = p[pos++];
		if (len > n - pos)
			len = n - pos;
		sb_str(sb, pos > 1 ? " \"" : "\"");
		for (i = 0; i < len; i++) {
			c = p[pos + i];
			if (c == '"' || c == '\\' || c < 0x20 || c > 0x7e)
				sb_char(sb, '\\');
			if (c < 0x20 || c > 0x7e)
				sb_zpad(sb, c, 3);
			else
				sb_char(sb, (char)c);
		}
		sb_char(sb, '"');
		pos += len;
	}
}

/* Append an RRSIG time as YYYYMMDDHHmmSS (RFC 4034 §3.2). */
static void
sb_time(struct sbuf *sb, uint32_t t)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;
	char		 buf[32];

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%Y%m%d%H%M%S", &tm) == 0)
		sb_uint(sb, t);
	else
		sb_str(sb, buf);
}

/* Append one SvcParam's value after its key (RFC 9460 §7). */
static void
sb_svcvalue(struct sbuf *sb, unsigned key, const uint8_t *p, size_t len)
{
	size_t	 i, step = key == 4 ? 4 : 16;

	if (key == 3 && len == 2) {
		sb_char(sb, '=');
		sb_uint(sb, (unsigned)(p[0] << 8 | p[1]));
	} else if ((key == 4 || key == 6) && len % step == 0) {
		for (i = 0; i < len; i += step) {
			sb_char(sb, i == 0 ? '=' : ',');
			sb_addr(sb, key == 4 ? 4 : 6, p + i);
		}
	} else if (key == 1) {
		sb_char(sb, '=');
		sb_charstrs(sb, p, len);
	} else if (len > 0) {
		sb_char(sb, '=');
		sb_hex(sb, p, len);
	}
}

/* Append SVCB SvcParams as key=value (RFC 9460 §2.1). */
static void
sb_svcparams(struct sbuf *sb, const uint8_t *p, size_t n)
{
	static const char	*keys[] = { "mandatory", "alpn",
	    "no-default-alpn", "port", "ipv4hint", "ech", "ipv6hint" };
	size_t			 pos = 0, len;
	unsigned		 key;

	while (n - pos >= 4) {
		key = (unsigned)(p[pos] << 8 | p[pos + 1]);
		len = (size_t)(p[pos + 2] << 8 | p[pos + 3]);
		pos += 4;
		if (len > n - pos) {
			sb_str(sb, " <bad svcparam>");
			return;
		}
		sb_char(sb, ' ');
		if (key < sizeof(keys) / sizeof(keys[0]))
			sb_str(sb, keys[key]);
		else {
			sb_str(sb, "key");
			sb_uint(sb, key);
		}
		sb_svcvalue(sb, key, p + pos, len);
		pos += len;
	}
}

/* Append three numbers, each followed by a space: "A B C ". */
static void
sb_uint3(struct sbuf *sb, uint32_t a, uint32_t b, uint32_t c)
{
	sb_uint(sb, a);
	sb_char(sb, ' ');
	sb_uint(sb, b);
	sb_char(sb, ' ');
	sb_uint(sb, c);
	sb_char(sb, ' ');
}

/* RDATA of the DNSSEC types in presentation form (RFC 4034, RFC 5155). */
static void
dump_rdata_dnssec(struct sbuf *sb, const struct dns_msg *m,
    const struct dns_rr *rr)
{
	char		 tbuf[16];

	switch (rr->type) {
	case DNS_T_DS:
		sb_uint3(sb, rr->rd.ds.keytag, rr->rd.ds.alg,
		    rr->rd.ds.digest_type);
		sb_hex(sb, dns_bytes_ptr(m, rr->rd.ds.digest),
		    rr->rd.ds.digest.len);
		break;
	case DNS_T_DNSKEY:
		sb_uint3(sb, rr->rd.dnskey.flags, rr->rd.dnskey.proto,
		    rr->rd.dnskey.alg);
		sb_base64(sb, dns_bytes_ptr(m, rr->rd.dnskey.key),
		    rr->rd.dnskey.key.len);
		break;
	case DNS_T_RRSIG:
		sb_str(sb, dns_type_str(rr->rd.rrsig.covered, tbuf,
		    sizeof(tbuf)));
		sb_char(sb, ' ');
		sb_uint3(sb, rr->rd.rrsig.alg, rr->rd.rrsig.labels,
		    rr->rd.rrsig.orig_ttl);
		sb_time(sb, rr->rd.rrsig.expiration);
		sb_char(sb, ' ');
		sb_time(sb, rr->rd.rrsig.inception);
		sb_char(sb, ' ');
		sb_uint(sb, rr->rd.rrsig.keytag);
		sb_char(sb, ' ');
		sb_name(sb, &rr->rd.rrsig.signer);
		sb_char(sb, ' ');
		sb_base64(sb, dns_bytes_ptr(m, rr->rd.rrsig.sig),
		    rr->rd.rrsig.sig.len);
		break;
	case DNS_T_NSEC:
		sb_name(sb, &rr->rd.nsec.next);
		sb_types(sb, dns_bytes_ptr(m, rr->rd.nsec.types),
		    rr->rd.nsec.types.len);
		break;
	default:
		dump_rdata_nsec3(sb, m, rr);
		break;
	}
}

/* NSEC3 RDATA in presentation form (RFC 5155 §3.3). */
static void
dump_rdata_nsec3(struct sbuf *sb, const struct dns_msg *m,
    const struct dns_rr *rr)
{
	sb_uint3(sb, rr->rd.nsec3.hash_alg, rr->rd.nsec3.flags,
	    rr->rd.nsec3.iterations);
	if (rr->rd.nsec3.salt.len == 0)
		sb_char(sb, '-');
	sb_hex(sb, dns_bytes_ptr(m, rr->rd.nsec3.salt),
	    rr->rd.nsec3.salt.len);
	sb_char(sb, ' ');
	sb_base32hex(sb, dns_bytes_ptr(m, rr->rd.nsec3.next),
	    rr->rd.nsec3.next.len);
	sb_types(sb, dns_bytes_ptr(m, rr->rd.nsec3.types),
	    rr->rd.nsec3.types.len);
}

/* SOA RDATA in presentation form (RFC 1035 §3.3.13). */
static void
dump_rdata_soa(struct sbuf *sb, const struct dns_rr *rr)
{
	sb_name(sb, &rr->rd.soa.mname);
	sb_char(sb, ' ');
	sb_name(sb, &rr->rd.soa.rname);
	sb_keyval(sb, " ", rr->rd.soa.serial);
	sb_keyval(sb, " ", rr->rd.soa.refresh);
	sb_keyval(sb, " ", rr->rd.soa.retry);
	sb_keyval(sb, " ", rr->rd.soa.expire);
	sb_keyval(sb, " ", rr->rd.soa.minimum);
}

/* RDATA in the RFC 3597 generic form: "\# LEN HEX". */
static void
dump_rdata_generic(struct sbuf *sb, const struct dns_rr *rr,
    const uint8_t *rd, int space)
{
	sb_str(sb, "\\# ");
	sb_uint(sb, rr->rdlen);
	if (space)
		sb_char(sb, ' ');
	sb_hex(sb, rd, rr->rdlen);
}

/* RDATA in presentation form; RFC 3597 generic form for the rest. */
void
dump_rdata(const struct dns_msg *m, const struct dns_rr *rr, char *buf,
    size_t size)
{
	struct sbuf	 sb;
	const uint8_t	*rd = m->base + rr->rdoff;

	sb_init(&sb, buf, size);
	if (rr->rdstatus != DNS_OK && rr->type != DNS_T_OPT) {
		dump_rdata_generic(&sb, rr, rd, 1);
		return;
	}
	switch (rr->type) {
	case DNS_T_A:
		sb_addr(&sb, 4, rr->rd.a);
		break;
	case DNS_T_AAAA:
		sb_addr(&sb, 6, rr->rd.aaaa);
		break;
	case DNS_T_NS:
	case DNS_T_CNAME:
	case DNS_T_DNAME:
	case DNS_T_PTR:
		sb_name(&sb, &rr->rd.name);
		break;
	case DNS_T_SOA:
		dump_rdata_soa(&sb, rr);
		break;
	case DNS_T_MX:
		sb_uint(&sb, rr->rd.mx.pref);
		sb_char(&sb, ' ');
		sb_name(&sb, &rr->rd.mx.exchange);
		break;
	case DNS_T_TXT:
		sb_charstrs(&sb, dns_bytes_ptr(m, rr->rd.txt.strings),
		    rr->rd.txt.strings.len);
		break;
	case DNS_T_SRV:
		sb_uint3(&sb, rr->rd.srv.priority, rr->rd.srv.weight,
		    rr->rd.srv.port);
		sb_name(&sb, &rr->rd.srv.target);
		break;
	case DNS_T_DS:
	case DNS_T_DNSKEY:
	case DNS_T_RRSIG:
	case DNS_T_NSEC:
	case DNS_T_NSEC3:
		dump_rdata_dnssec(&sb, m, rr);
		break;
	case DNS_T_SVCB:
	case DNS_T_HTTPS:
		sb_uint(&sb, rr->rd.svcb.priority);
		sb_char(&sb, ' ');
		sb_name(&sb, &rr->rd.svcb.target);
		sb_svcparams(&sb, dns_bytes_ptr(m, rr->rd.svcb.params),
		    rr->rd.svcb.params.len);
		break;
	default:
		dump_rdata_generic(&sb, rr, rd, rr->rdlen > 0);
		break;
	}
}

/* Header flags as "aa,tc,rd,ra,ad,cd", or "-" when none is set. */
static void
dump_flags(struct sbuf *sb, const struct dns_msg *m)
{
	const struct dns_header	*h = &m->hdr;
	size_t			 start = sb->len;

	if (h->aa)
		sb_str(sb, "aa,");
	if (h->tc)
		sb_str(sb, "tc,");
	if (h->rd)
		sb_str(sb, "rd,");
	if (h->ra)
		sb_str(sb, "ra,");
	if (h->ad)
		sb_str(sb, "ad,");
	if (h->cd)
		sb_str(sb, "cd,");
	if (sb->len == start)
		sb_char(sb, '-');
	else
		sb->p[--sb->len] = '\0';
}

/* The first question as "QNAME QTYPE", or "- -" when there is none. */
static void
dump_question(struct sbuf *sb, const struct dns_msg *m)
{
	char	 tbuf[16];

	if (m->nqd == 0) {
		sb_str(sb, " - -");
		return;
	}
	sb_char(sb, ' ');
	sb_name(sb, &m->qd[0].qname);
	sb_char(sb, ' ');
	sb_str(sb, dns_type_str(m->qd[0].qtype, tbuf, sizeof(tbuf)));
	if (m->qd[0].qclass != DNS_C_IN) {
		sb_char(sb, '/');
		sb_str(sb, dns_class_str(m->qd[0].qclass, tbuf,
		    sizeof(tbuf)));
	}
}

/*
 * A referral as the keys zone=, ns= and glue=: a NOERROR response with no
 * answer, no SOA and an NS RRset in authority.  This is the wire view only;
 * the engine decides what it means relative to the queried zone.
 */
static void
dump_referral(struct sbuf *sb, const struct dns_msg *m)
{
	const struct dns_rr	*rr, *zone = NULL;
	int			 nns = 0, nglue = 0;
	uint16_t		 i;

	if (!m->hdr.qr || m->rcode != DNS_R_NOERROR || m->count[DNS_SEC_AN])
		return;
	for (i = 0; i < m->nrr; i++) {
		rr = &m->rr[i];
		if (rr->section == DNS_SEC_NS && rr->type == DNS_T_SOA)
			return;
		if (rr->section == DNS_SEC_NS && rr->type == DNS_T_NS &&
		    zone == NULL)
			zone = rr;
	}
	if (zone == NULL)
		return;
	sb_str(sb, " referral=");
	sb_name(sb, &zone->owner);
	for (i = 0; i < m->nrr; i++) {
		rr = &m->rr[i];
		if (rr->section != DNS_SEC_NS || rr->type != DNS_T_NS ||
		    rr->rdstatus != DNS_OK ||
		    !dns_name_equal(&rr->owner, &zone->owner))
			continue;
		sb_str(sb, nns++ == 0 ? " ns=" : ",");
		sb_name(sb, &rr->rd.name);
	}
	for (i = 0; i < m->nrr; i++) {
		rr = &m->rr[i];
		if (rr->section != DNS_SEC_AR || rr->rdstatus != DNS_OK ||
		    (rr->type != DNS_T_A && rr->type != DNS_T_AAAA))
			continue;
		sb_str(sb, nglue++ == 0 ? " glue=" : ",");
		sb_name(sb, &rr->owner);
		sb_char(sb, '/');
		sb_addr(sb, rr->type == DNS_T_A ? 4 : 6,
		    rr->type == DNS_T_A ? rr->rd.a : rr->rd.aaaa);
	}
	if (nglue == 0)
		sb_str(sb, " glue=-");
}

/* The first answers as ans=TYPE:RDATA,... (three at most). */
static void
dump_answers(struct sbuf *sb, const struct dns_msg *m)
{
	char		 tbuf[16], rbuf[256];
	int		 n = 0;
	uint16_t	 i;

	for (i = 0; i < m->nrr; i++) {
		if (m->rr[i].section != DNS_SEC_AN)
			continue;
		if (n++ == 3) {
			sb_str(sb, ",...");
			break;
		}
		dump_rdata(m, &m->rr[i], rbuf, sizeof(rbuf));
		sb_str(sb, n == 1 ? " ans=" : ",");
		sb_str(sb, dns_type_str(m->rr[i].type, tbuf, sizeof(tbuf)));
		sb_char(sb, ':');
		sb_str(sb, rbuf);
	}
}

/* Append a fixed string, such as " edns=" or "/", then a number. */
static void
sb_keyval(struct sbuf *sb, const char *key, uint64_t v)
{
	sb_str(sb, key);
	sb_uint(sb, v);
}

/* The EDNS keys: edns=SIZE[,vN][,do][,cookie][,ecs] and ede=CODE,... */
static void
dump_edns(struct sbuf *sb, const struct dns_edns *e)
{
	uint8_t	 i;

	sb_keyval(sb, " edns=", e->udp_size);
	if (e->version != 0)
		sb_keyval(sb, ",v", e->version);
	if (e->do_bit)
		sb_str(sb, ",do");
	if (e->has_cookie)
		sb_str(sb, ",cookie");
	if (e->has_ecs)
		sb_str(sb, ",ecs");
	for (i = 0; i < e->nede; i++)
		sb_keyval(sb, i == 0 ? " ede=" : ",", e->ede_code[i]);
}

/* The key=value tail: EDNS, EDE, faults, referral, answers. */
static void
dump_extras(struct sbuf *sb, const struct dns_msg *m,
    const struct dump_pkt *pkt)
{
	if (m->edns.present)
		dump_edns(sb, &m->edns);
	if (m->rcode != m->hdr.rcode)
		sb_keyval(sb, " hdr-rcode=", m->hdr.rcode);
	if (pkt->len < pkt->wire_len) {
		sb_keyval(sb, " cut=", pkt->len);
		sb_keyval(sb, "/", pkt->wire_len);
	}
	if (m->status != DNS_OK) {
		sb_str(sb, " malformed=");
		sb_str(sb, m->status < DNS_E__MAX ?
		    status_tokens[m->status] : "?");
		sb_keyval(sb, "@", m->err_off);
		sb_char(sb, '/');
		sb_str(sb, m->err_section < DNS_SEC__MAX ?
		    section_names[m->err_section] : "?");
	}
	if (m->trailing)
		sb_keyval(sb, " trailing=", m->trailing);
	if (m->rr_unstored)
		sb_keyval(sb, " unstored=", m->rr_unstored);
	dump_referral(sb, m);
	dump_answers(sb, m);
}

/* An OPT pseudo-RR's line (RFC 6891 §6.1.2), after its owner. */
static void
dump_opt(struct sbuf *sb, const struct dns_msg *m, const struct dns_rr *rr)
{
	static const char	 hex[] = "0123456789abcdef";
	char			 flags[4];
	int			 i;

	for (i = 0; i < 4; i++)
		flags[i] = hex[m->edns.flags >> (12 - 4 * i) & 15];
	sb_keyval(sb, " OPT udp=", rr->rclass);
	sb_keyval(sb, " ext-rcode=", m->edns.ext_rcode);
	sb_keyval(sb, " version=", m->edns.version);
	sb_str(sb, " flags=0x");
	sb_put(sb, flags, 4);
	sb_keyval(sb, " options=", m->edns.noptions);
}

/* One record's line, dig style, into sb (cleared first). */
static void
dump_record(struct sbuf *sb, const struct dns_msg *m, const struct dns_rr *rr)
{
	static char	 rbuf[65536 * 2];
	char		 tbuf[16];

	sb->len = 0;
	sb_char(sb, '\t');
	sb_name(sb, &rr->owner);
	if (rr->type == DNS_T_OPT) {
		dump_opt(sb, m, rr);
		sb_char(sb, '\n');
		return;
	}
	dump_rdata(m, rr, rbuf, sizeof(rbuf));
	sb_keyval(sb, " ", rr->ttl);
	sb_char(sb, ' ');
	sb_str(sb, dns_class_str(rr->rclass, tbuf, sizeof(tbuf)));
	sb_char(sb, ' ');
	sb_str(sb, dns_type_str(rr->type, tbuf, sizeof(tbuf)));
	sb_char(sb, ' ');
	sb_str(sb, rbuf);
	if (rr->rdstatus != DNS_OK)
		sb_str(sb, " ; malformed");
	sb_char(sb, '\n');
}

/* Every record, dig style, grouped by section. */
static void
dump_records(FILE *fp, const struct dns_msg *m)
{
	static char	 line[DNS_NAME_STRMAX + 65536 * 2 + 128];
	struct sbuf	 sb;
	int		 sec = -1;
	uint16_t	 i;

	sb_init(&sb, line, sizeof(line));
	for (i = 0; i < m->nrr; i++) {
		if (m->rr[i].section != sec) {
			sec = m->rr[i].section;
			fputs("\t;; ", fp);
			fputs(sec < DNS_SEC__MAX ? section_names[sec] : "?",
			    fp);
			fputc('\n', fp);
		}
		dump_record(&sb, m, &m->rr[i]);
		fwrite(line, 1, sb.len, fp);
	}
}

/* The time stamp's form: how many -t were given (tcpdump's family). */
static int	tstamp_mode;

/* Choose the time stamp: 0 or 4 (-tttt) UTC date and time with Z, 1 (-t)
 * none, 2 (-tt) epoch seconds, 3 (-ttt) since the previous line, 5
 * (-ttttt) since the first line. */
void
dump_set_tstamp(int mode)
{
	tstamp_mode = mode;
}

/* A signed span of nanoseconds as seconds with microseconds. */
static void
dump_delta(struct sbuf *sb, uint64_t now, uint64_t then)
{
	uint64_t	 d;

	if (now < then) {
		sb_char(sb, '-');
		d = then - now;
	} else
		d = now - then;
	sb_uint(sb, d / 1000000000);
	sb_char(sb, '.');
	sb_zpad(sb, (unsigned)(d % 1000000000 / 1000), 6);
}

/*
 * " TIME" in the chosen form; the default is ISO 8601 in UTC with
 * microseconds and a Z, so that a dump reads the same in every zone.
 * gmtime_r and strftime run once per second of capture time, not once
 * per message.
 */
static void
dump_time(struct sbuf *sb, uint64_t ts_ns)
{
	static time_t	 last = (time_t)-1;
	static char	 tbuf[32];
	static uint64_t	 first, prev;
	static int	 any;
	struct tm	 tm;
	time_t		 secs = (time_t)(ts_ns / 1000000000);

	if (!any) {
		first = prev = ts_ns;
		any = 1;
	}
	switch (tstamp_mode) {
	case 1:
		return;
	case 2:
		sb_char(sb, ' ');
		dump_delta(sb, ts_ns, 0);
		return;
	case 3:
		sb_char(sb, ' ');
		dump_delta(sb, ts_ns, prev);
		prev = ts_ns;
		return;
	case 5:
		sb_char(sb, ' ');
		dump_delta(sb, ts_ns, first);
		return;
	default:
		break;
	}
	if (secs != last) {
		if (gmtime_r(&secs, &tm) == NULL || strftime(tbuf,
		    sizeof(tbuf), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
			snprintf(tbuf, sizeof(tbuf), "%lld", (long long)secs);
		last = secs;
	}
	sb_char(sb, ' ');
	sb_str(sb, tbuf);
	sb_char(sb, '.');
	sb_zpad(sb, (unsigned)(ts_ns % 1000000000 / 1000), 6);
	sb_char(sb, 'Z');
}

/* What an ICMP or ICMPv6 destination unreachable code means. */
static const char *
icmp_reason(int family, unsigned type, unsigned code)
{
	static const char *v4[] = { "net unreachable", "host unreachable",
	    "protocol unreachable", "port unreachable" };
	static const char *v6[] = { "no route", "administratively prohibited",
	    "beyond scope", "address unreachable", "port unreachable" };

	if (family == 4 && type == 3 && code < 4)
		return v4[code];
	if (family == 4 && type == 3 && (code == 9 || code == 10 ||
	    code == 13))
		return "administratively prohibited";
	if (family == 6 && type == 1 && code < 5)
		return v6[code];
	return "unreachable";
}

/*
 * One line for an ICMP unreachable that quotes a DNS packet:
 * "FRAME TIME SRC > DST ICMP port unreachable for QSRC.QPORT > QDST.QPORT
 * udp ID QNAME QTYPE", the quoted message's ID, name and type when as much
 * was quoted.
 */
void
dump_icmp(FILE *fp, uint64_t frame, uint64_t ts_ns, int family,
    const uint8_t *isrc, const uint8_t *idst, unsigned type, unsigned code,
    const uint8_t *qsrc, const uint8_t *qdst, uint16_t sport, uint16_t dport,
    const uint8_t *data, size_t len)
{
	static char	 line[2048];
	struct sbuf	 sb;
	struct cur	 c;
	struct dns_name	 qname;
	const char	*why = icmp_reason(family, type, code);
	char		 tbuf[16];
	uint16_t	 qtype;

	sb_init(&sb, line, sizeof(line));
	sb_uint(&sb, frame);
	dump_time(&sb, ts_ns);
	sb_char(&sb, ' ');
	sb_addr(&sb, family, isrc);
	sb_str(&sb, " > ");
	sb_addr(&sb, family, idst);
	sb_str(&sb, " ICMP ");
	sb_str(&sb, why);
	if (strcmp(why, "unreachable") == 0)
		sb_keyval(&sb, " code=", code);
	sb_str(&sb, " for ");
	sb_addr(&sb, family, qsrc);
	sb_keyval(&sb, ".", sport);
	sb_str(&sb, " > ");
	sb_addr(&sb, family, qdst);
	sb_keyval(&sb, ".", dport);
	sb_str(&sb, " udp");
	if (data != NULL && len >= 2)
		sb_keyval(&sb, " ", (unsigned)(data[0] << 8 | data[1]));
	if (data != NULL && len > 12 && (data[4] << 8 | data[5]) > 0) {
		/* The question, if it was quoted whole. */
		cur_init(&c, data, len);
		cur_skip(&c, 12);
		if (dns_name_read(&c, &qname, 0) == DNS_OK) {
			qtype = cur_u16(&c);
			sb_char(&sb, ' ');
			sb_name(&sb, &qname);
			if (!c.err) {
				sb_char(&sb, ' ');
				sb_str(&sb, dns_type_str(qtype, tbuf,
				    sizeof(tbuf)));
			}
		}
	}
	line[sb.len] = '\n';
	fwrite(line, 1, sb.len + 1, fp);
}

/* "SRC.PORT > DST.PORT udp|tcp". */
static void
dump_endpoints(struct sbuf *sb, const struct dump_pkt *pkt)
{
	sb_char(sb, ' ');
	sb_addr(sb, pkt->family, pkt->src);
	sb_keyval(sb, ".", pkt->sport);
	sb_str(sb, " > ");
	sb_addr(sb, pkt->family, pkt->dst);
	sb_keyval(sb, ".", pkt->dport);
	sb_str(sb, pkt->tcp ? " tcp" : " udp");
}

/* One line for the message, then its records when verbose. */
void
dump_msg(FILE *fp, const struct dump_pkt *pkt, const struct dns_msg *m,
    int verbose)
{
	static char	 line[8192];
	struct sbuf	 sb;
	char		 obuf[16], rbuf[16];

	sb_init(&sb, line, sizeof(line));
	sb_uint(&sb, pkt->frame);
	dump_time(&sb, pkt->ts_ns);
	dump_endpoints(&sb, pkt);
	sb_keyval(&sb, " ", m->hdr.id);
	sb_str(&sb, m->hdr.qr ? " r " : " q ");
	sb_str(&sb, dns_opcode_str(m->hdr.opcode, obuf, sizeof(obuf)));
	sb_char(&sb, ' ');
	dump_flags(&sb, m);
	sb_char(&sb, ' ');
	sb_str(&sb, dns_rcode_str(m->rcode, rbuf, sizeof(rbuf)));
	dump_question(&sb, m);
	sb_keyval(&sb, " ", m->hdr.ancount);
	sb_keyval(&sb, "/", m->hdr.nscount);
	sb_keyval(&sb, "/", m->hdr.arcount);
	dump_extras(&sb, m, pkt);
	/* The newline goes in even when the line was cut at the buffer. */
	line[sb.len] = '\n';
	fwrite(line, 1, sb.len + 1, fp);
	if (verbose)
		dump_records(fp, m);
}
