/*
 * dump.c -- tcpdump-style lines for decoded DNS messages (--dump).
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "decode/dns.h"
#include "decode/dnstab.h"
#include "ui/dump.h"
#include "util/addr.h"

/* A bounded string builder; output past the end is cut, never overrun. */
struct sbuf {
	char	*p;
	size_t	 size;
	size_t	 len;
};

static void	sb_init(struct sbuf *, char *, size_t);
static void	sb_printf(struct sbuf *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	sb_name(struct sbuf *, const struct dns_name *);
static void	sb_hex(struct sbuf *, const uint8_t *, size_t);
static void	sb_base64(struct sbuf *, const uint8_t *, size_t);
static void	sb_base32hex(struct sbuf *, const uint8_t *, size_t);
static void	sb_types(struct sbuf *, const uint8_t *, size_t);
static void	sb_charstrs(struct sbuf *, const uint8_t *, size_t);
static void	sb_time(struct sbuf *, uint32_t);
static void	sb_svcparams(struct sbuf *, const uint8_t *, size_t);
static void	dump_flags(struct sbuf *, const struct dns_msg *);
static void	dump_question(struct sbuf *, const struct dns_msg *);
static void	dump_extras(struct sbuf *, const struct dns_msg *,
		    const struct dump_pkt *);
static void	dump_referral(struct sbuf *, const struct dns_msg *);
static void	dump_answers(struct sbuf *, const struct dns_msg *);
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

/* Append formatted text, cutting at the end of the buffer. */
static void
sb_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (sb->len + 1 >= sb->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(sb->p + sb->len, sb->size - sb->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sb->size - sb->len)
		sb->len = sb->size - 1;
	else
		sb->len += (size_t)n;
}

/* Append a name in presentation form. */
static void
sb_name(struct sbuf *sb, const struct dns_name *name)
{
	char	 buf[DNS_NAME_STRMAX];

	dns_name_to_str(name, buf, sizeof(buf));
	sb_printf(sb, "%s", buf);
}

/* Append bytes as upper-case hex. */
static void
sb_hex(struct sbuf *sb, const uint8_t *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		sb_printf(sb, "%02X", p[i]);
}

/* Append bytes in base64 (RFC 4648 §4). */
static void
sb_base64(struct sbuf *sb, const uint8_t *p, size_t n)
{
	static const char	 tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t		 v;
	size_t			 i;

	for (i = 0; i < n; i += 3) {
		v = (uint32_t)p[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		sb_printf(sb, "%c%c%c%c", tab[v >> 18 & 63], tab[v >> 12 & 63],
		    i + 1 < n ? tab[v >> 6 & 63] : '=',
		    i + 2 < n ? tab[v & 63] : '=');
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
			sb_printf(sb, "%c", tab[acc >> (bits - 5) & 31]);
			bits -= 5;
		}
	}
	if (bits > 0)
		sb_printf(sb, "%c", tab[acc << (5 - bits) & 31]);
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
			sb_printf(sb, " <bad bitmap>");
			return;
		}
		for (i = 0; i < blen; i++)
			for (bit = 0; bit < 8; bit++)
				if (p[pos + i] & (0x80 >> bit))
					sb_printf(sb, " %s", dns_type_str(
					    (uint16_t)(window * 256 + i * 8 +
					    bit), tbuf, sizeof(tbuf)));
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
		sb_printf(sb, "%s\"", pos > 1 ? " " : "");
		for (i = 0; i < len; i++) {
			c = p[pos + i];
			if (c == '"' || c == '\\')
				sb_printf(sb, "\\%c", c);
			else if (c < 0x20 || c > 0x7e)
				sb_printf(sb, "\\%03u", c);
			else
				sb_printf(sb, "%c", c);
		}
		sb_printf(sb, "\"");
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
		sb_printf(sb, "%" PRIu32, t);
	else
		sb_printf(sb, "%s", buf);
}

/* Append SVCB SvcParams as key=value (RFC 9460 §2.1). */
static void
sb_svcparams(struct sbuf *sb, const uint8_t *p, size_t n)
{
	static const char	*keys[] = { "mandatory", "alpn",
	    "no-default-alpn", "port", "ipv4hint", "ech", "ipv6hint" };
	char			 abuf[INET6_ADDRSTRLEN];
	size_t			 pos = 0, len, i;
	unsigned		 key;

	while (n - pos >= 4) {
		key = (unsigned)(p[pos] << 8 | p[pos + 1]);
		len = (size_t)(p[pos + 2] << 8 | p[pos + 3]);
		pos += 4;
		if (len > n - pos) {
			sb_printf(sb, " <bad svcparam>");
			return;
		}
		if (key < sizeof(keys) / sizeof(keys[0]))
			sb_printf(sb, " %s", keys[key]);
		else
			sb_printf(sb, " key%u", key);
		if (key == 3 && len == 2)
			sb_printf(sb, "=%u", (unsigned)(p[pos] << 8 |
			    p[pos + 1]));
		else if ((key == 4 && len % 4 == 0) ||
		    (key == 6 && len % 16 == 0)) {
			for (i = 0; i < len; i += key == 4 ? 4 : 16)
				sb_printf(sb, "%c%s", i == 0 ? '=' : ',',
				    inet_ntop(key == 4 ? AF_INET : AF_INET6,
				    p + pos + i, abuf, sizeof(abuf)));
		} else if (key == 1) {
			sb_printf(sb, "=");
			sb_charstrs(sb, p + pos, len);
		} else if (len > 0) {
			sb_printf(sb, "=");
			sb_hex(sb, p + pos, len);
		}
		pos += len;
	}
}


/* RDATA in presentation form; RFC 3597 generic form for the rest. */
void
dump_rdata(const struct dns_msg *m, const struct dns_rr *rr, char *buf,
    size_t size)
{
	struct sbuf	 sb;
	char		 tbuf[16], abuf[INET6_ADDRSTRLEN];
	const uint8_t	*rd = m->base + rr->rdoff;

	sb_init(&sb, buf, size);
	if (rr->rdstatus != DNS_OK && rr->type != DNS_T_OPT) {
		sb_printf(&sb, "\\# %u ", rr->rdlen);
		sb_hex(&sb, rd, rr->rdlen);
		return;
	}
	switch (rr->type) {
	case DNS_T_A:
		sb_printf(&sb, "%s", addr_str(4, rr->rd.a, abuf,
		    sizeof(abuf)));
		break;
	case DNS_T_AAAA:
		sb_printf(&sb, "%s", addr_str(6, rr->rd.aaaa, abuf,
		    sizeof(abuf)));
		break;
	case DNS_T_NS:
	case DNS_T_CNAME:
	case DNS_T_DNAME:
	case DNS_T_PTR:
		sb_name(&sb, &rr->rd.name);
		break;
	case DNS_T_SOA:
		sb_name(&sb, &rr->rd.soa.mname);
		sb_printf(&sb, " ");
		sb_name(&sb, &rr->rd.soa.rname);
		sb_printf(&sb, " %" PRIu32 " %" PRIu32 " %" PRIu32 " %" PRIu32
		    " %" PRIu32, rr->rd.soa.serial, rr->rd.soa.refresh,
		    rr->rd.soa.retry, rr->rd.soa.expire, rr->rd.soa.minimum);
		break;
	case DNS_T_MX:
		sb_printf(&sb, "%u ", rr->rd.mx.pref);
		sb_name(&sb, &rr->rd.mx.exchange);
		break;
	case DNS_T_TXT:
		sb_charstrs(&sb, dns_bytes_ptr(m, rr->rd.txt.strings),
		    rr->rd.txt.strings.len);
		break;
	case DNS_T_SRV:
		sb_printf(&sb, "%u %u %u ", rr->rd.srv.priority,
		    rr->rd.srv.weight, rr->rd.srv.port);
		sb_name(&sb, &rr->rd.srv.target);
		break;
	case DNS_T_DS:
		sb_printf(&sb, "%u %u %u ", rr->rd.ds.keytag, rr->rd.ds.alg,
		    rr->rd.ds.digest_type);
		sb_hex(&sb, dns_bytes_ptr(m, rr->rd.ds.digest),
		    rr->rd.ds.digest.len);
		break;
	case DNS_T_DNSKEY:
		sb_printf(&sb, "%u %u %u ", rr->rd.dnskey.flags,
		    rr->rd.dnskey.proto, rr->rd.dnskey.alg);
		sb_base64(&sb, dns_bytes_ptr(m, rr->rd.dnskey.key),
		    rr->rd.dnskey.key.len);
		break;
	case DNS_T_RRSIG:
		sb_printf(&sb, "%s %u %u %" PRIu32 " ",
		    dns_type_str(rr->rd.rrsig.covered, tbuf, sizeof(tbuf)),
		    rr->rd.rrsig.alg, rr->rd.rrsig.labels,
		    rr->rd.rrsig.orig_ttl);
		sb_time(&sb, rr->rd.rrsig.expiration);
		sb_printf(&sb, " ");
		sb_time(&sb, rr->rd.rrsig.inception);
		sb_printf(&sb, " %u ", rr->rd.rrsig.keytag);
		sb_name(&sb, &rr->rd.rrsig.signer);
		sb_printf(&sb, " ");
		sb_base64(&sb, dns_bytes_ptr(m, rr->rd.rrsig.sig),
		    rr->rd.rrsig.sig.len);
		break;
	case DNS_T_NSEC:
		sb_name(&sb, &rr->rd.nsec.next);
		sb_types(&sb, dns_bytes_ptr(m, rr->rd.nsec.types),
		    rr->rd.nsec.types.len);
		break;
	case DNS_T_NSEC3:
		sb_printf(&sb, "%u %u %u ", rr->rd.nsec3.hash_alg,
		    rr->rd.nsec3.flags, rr->rd.nsec3.iterations);
		if (rr->rd.nsec3.salt.len == 0)
			sb_printf(&sb, "-");
		sb_hex(&sb, dns_bytes_ptr(m, rr->rd.nsec3.salt),
		    rr->rd.nsec3.salt.len);
		sb_printf(&sb, " ");
		sb_base32hex(&sb, dns_bytes_ptr(m, rr->rd.nsec3.next),
		    rr->rd.nsec3.next.len);
		sb_types(&sb, dns_bytes_ptr(m, rr->rd.nsec3.types),
		    rr->rd.nsec3.types.len);
		break;
	case DNS_T_SVCB:
	case DNS_T_HTTPS:
		sb_printf(&sb, "%u ", rr->rd.svcb.priority);
		sb_name(&sb, &rr->rd.svcb.target);
		sb_svcparams(&sb, dns_bytes_ptr(m, rr->rd.svcb.params),
		    rr->rd.svcb.params.len);
		break;
	default:
		sb_printf(&sb, "\\# %u", rr->rdlen);
		if (rr->rdlen > 0)
			sb_printf(&sb, " ");
		sb_hex(&sb, rd, rr->rdlen);
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
		sb_printf(sb, "aa,");
	if (h->tc)
		sb_printf(sb, "tc,");
	if (h->rd)
		sb_printf(sb, "rd,");
	if (h->ra)
		sb_printf(sb, "ra,");
	if (h->ad)
		sb_printf(sb, "ad,");
	if (h->cd)
		sb_printf(sb, "cd,");
	if (sb->len == start)
		sb_printf(sb, "-");
	else
		sb->p[--sb->len] = '\0';
}

/* The first question as "QNAME QTYPE", or "- -" when there is none. */
static void
dump_question(struct sbuf *sb, const struct dns_msg *m)
{
	char	 tbuf[16];

	if (m->nqd == 0) {
		sb_printf(sb, " - -");
		return;
	}
	sb_printf(sb, " ");
	sb_name(sb, &m->qd[0].qname);
	sb_printf(sb, " %s", dns_type_str(m->qd[0].qtype, tbuf, sizeof(tbuf)));
	if (m->qd[0].qclass != DNS_C_IN)
		sb_printf(sb, "/%s", dns_class_str(m->qd[0].qclass, tbuf,
		    sizeof(tbuf)));
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
	char			 abuf[INET6_ADDRSTRLEN];
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
	sb_printf(sb, " referral=");
	sb_name(sb, &zone->owner);
	for (i = 0; i < m->nrr; i++) {
		rr = &m->rr[i];
		if (rr->section != DNS_SEC_NS || rr->type != DNS_T_NS ||
		    rr->rdstatus != DNS_OK ||
		    !dns_name_equal(&rr->owner, &zone->owner))
			continue;
		sb_printf(sb, "%s", nns++ == 0 ? " ns=" : ",");
		sb_name(sb, &rr->rd.name);
	}
	for (i = 0; i < m->nrr; i++) {
		rr = &m->rr[i];
		if (rr->section != DNS_SEC_AR || rr->rdstatus != DNS_OK ||
		    (rr->type != DNS_T_A && rr->type != DNS_T_AAAA))
			continue;
		sb_printf(sb, "%s", nglue++ == 0 ? " glue=" : ",");
		sb_name(sb, &rr->owner);
		sb_printf(sb, "/%s", addr_str(rr->type == DNS_T_A ? 4 : 6,
		    rr->type == DNS_T_A ? rr->rd.a : rr->rd.aaaa, abuf,
		    sizeof(abuf)));
	}
	if (nglue == 0)
		sb_printf(sb, " glue=-");
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
			sb_printf(sb, ",...");
			break;
		}
		dump_rdata(m, &m->rr[i], rbuf, sizeof(rbuf));
		sb_printf(sb, "%s%s:%s", n == 1 ? " ans=" : ",",
		    dns_type_str(m->rr[i].type, tbuf, sizeof(tbuf)), rbuf);
	}
}

/* The key=value tail: EDNS, EDE, faults, referral, answers. */
static void
dump_extras(struct sbuf *sb, const struct dns_msg *m,
    const struct dump_pkt *pkt)
{
	const struct dns_edns	*e = &m->edns;
	uint8_t			 i;

	if (e->present) {
		sb_printf(sb, " edns=%u", e->udp_size);
		if (e->version != 0)
			sb_printf(sb, ",v%u", e->version);
		if (e->do_bit)
			sb_printf(sb, ",do");
		if (e->has_cookie)
			sb_printf(sb, ",cookie");
		if (e->has_ecs)
			sb_printf(sb, ",ecs");
		for (i = 0; i < e->nede; i++)
			sb_printf(sb, "%s%u", i == 0 ? " ede=" : ",",
			    e->ede_code[i]);
	}
	if (m->rcode != m->hdr.rcode)
		sb_printf(sb, " hdr-rcode=%u", m->hdr.rcode);
	if (pkt->len < pkt->wire_len)
		sb_printf(sb, " cut=%zu/%zu", pkt->len, pkt->wire_len);
	if (m->status != DNS_OK)
		sb_printf(sb, " malformed=%s@%u/%s",
		    m->status < DNS_E__MAX ? status_tokens[m->status] : "?",
		    m->err_off, m->err_section < DNS_SEC__MAX ?
		    section_names[m->err_section] : "?");
	if (m->trailing)
		sb_printf(sb, " trailing=%u", m->trailing);
	if (m->rr_unstored)
		sb_printf(sb, " unstored=%" PRIu32, m->rr_unstored);
	dump_referral(sb, m);
	dump_answers(sb, m);
}

/* Every record, dig style, grouped by section. */
static void
dump_records(FILE *fp, const struct dns_msg *m)
{
	char		 name[DNS_NAME_STRMAX], tbuf[16], cbuf[16];
	static char	 rbuf[65536 * 2];
	const struct dns_rr *rr;
	int		 sec = -1;
	uint16_t	 i;

	for (i = 0; i < m->nrr; i++) {
		rr = &m->rr[i];
		if (rr->section != sec) {
			sec = rr->section;
			fprintf(fp, "\t;; %s\n", sec < DNS_SEC__MAX ?
			    section_names[sec] : "?");
		}
		dns_name_to_str(&rr->owner, name, sizeof(name));
		if (rr->type == DNS_T_OPT) {
			fprintf(fp, "\t%s OPT udp=%u ext-rcode=%u version=%u"
			    " flags=0x%04x options=%u\n", name, rr->rclass,
			    m->edns.ext_rcode, m->edns.version,
			    m->edns.flags, m->edns.noptions);
			continue;
		}
		dump_rdata(m, rr, rbuf, sizeof(rbuf));
		fprintf(fp, "\t%s %" PRIu32 " %s %s %s%s\n", name, rr->ttl,
		    dns_class_str(rr->rclass, cbuf, sizeof(cbuf)),
		    dns_type_str(rr->type, tbuf, sizeof(tbuf)), rbuf,
		    rr->rdstatus != DNS_OK ? " ; malformed" : "");
	}
}

/* One line for the message, then its records when verbose. */
void
dump_msg(FILE *fp, const struct dump_pkt *pkt, const struct dns_msg *m,
    int verbose)
{
	static char	 line[8192];
	struct sbuf	 sb;
	struct tm	 tm;
	time_t		 secs = (time_t)(pkt->ts_ns / 1000000000);
	char		 src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	char		 tbuf[32], obuf[16], rbuf[16];

	if (localtime_r(&secs, &tm) == NULL ||
	    strftime(tbuf, sizeof(tbuf), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		snprintf(tbuf, sizeof(tbuf), "%lld", (long long)secs);
	sb_init(&sb, line, sizeof(line));
	sb_printf(&sb, "%" PRIu64 " %s.%06u %s.%u > %s.%u %s %u %c %s ",
	    pkt->frame, tbuf, (unsigned)(pkt->ts_ns % 1000000000 / 1000),
	    addr_str(pkt->family, pkt->src, src, sizeof(src)), pkt->sport,
	    addr_str(pkt->family, pkt->dst, dst, sizeof(dst)), pkt->dport,
	    pkt->tcp ? "tcp" : "udp", m->hdr.id, m->hdr.qr ? 'r' : 'q',
	    dns_opcode_str(m->hdr.opcode, obuf, sizeof(obuf)));
	dump_flags(&sb, m);
	sb_printf(&sb, " %s", dns_rcode_str(m->rcode, rbuf, sizeof(rbuf)));
	dump_question(&sb, m);
	sb_printf(&sb, " %u/%u/%u", m->hdr.ancount, m->hdr.nscount,
	    m->hdr.arcount);
	dump_extras(&sb, m, pkt);
	fprintf(fp, "%s\n", line);
	if (verbose)
		dump_records(fp, m);
}
