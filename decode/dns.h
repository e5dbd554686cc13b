/*
 * dns.h -- the DNS wire decoder (RFC 1035 §4, RFC 3597, RFC 6891).
 *
 * dns_msg_decode() decodes one whole DNS message from a caller-owned buffer
 * into a caller-owned struct dns_msg.  It is pure: no allocation, no globals,
 * no I/O (STYLE.md rule 7).  Names are decompressed into fixed buffers inside
 * the struct; byte strings (TXT, keys, digests, opaque RDATA, EDNS options)
 * are struct dns_bytes offsets into the input buffer, so the buffer must stay
 * valid while the caller reads them (msg->base points at it).
 *
 * Malformed input never reads past the buffer.  The decoder stops at the first
 * fault, records it in msg->status with the byte offset and section, and keeps
 * everything decoded before it: the header and question of a truncated
 * referral stay usable.  At most DNS_MAX_RRS records are stored; further valid
 * records are counted in rr_unstored but not kept.
 *
 * A fault inside one RR's RDATA (a bad name, a length that does not fit the
 * type, malformed SvcParams or EDNS options) sets that RR's rdstatus, leaves
 * rd.opaque in its rd, and sets msg->status if it is the first fault; the
 * next RRs are still decoded, because rdlength still frames them.  Read the
 * typed rd members only when rdstatus is DNS_OK.  Empty RDATA in an UPDATE
 * (RFC 2136 §2.4) is rdstatus DNS_E_RDLEN with no message fault.
 *
 * struct dns_msg is large (about 200 KiB): allocate one and reuse it.
 */
#ifndef GLUETOP_DNS_H
#define GLUETOP_DNS_H

#include <stddef.h>
#include <stdint.h>

#include "decode/dname.h"

#define DNS_HEADER_LEN	12
#define DNS_MAX_QD	4	/* questions stored */
#define DNS_MAX_RRS	256	/* answer+authority+additional RRs stored */
#define DNS_MAX_EDE	4	/* Extended DNS Error options stored */

/* Decode status: one enum, one message table (STYLE.md rule 22). */
enum dns_status {
	DNS_OK = 0,
	DNS_E_SHORT,		/* fewer than 12 header bytes */
	DNS_E_TRUNC,		/* a field runs past the end of the message */
	DNS_E_BADPTR,		/* compression pointer not strictly backwards */
	DNS_E_PTRLOOP,		/* too many compression hops */
	DNS_E_LABEL,		/* label longer than 63 bytes */
	DNS_E_NAMELEN,		/* name longer than 255 bytes */
	DNS_E_LABELTYPE,	/* reserved label type (0x40, 0x80) */
	DNS_E_COUNTS,		/* header counts exceed what the message holds */
	DNS_E_RDLEN,		/* RDATA shorter or longer than its type needs */
	DNS_E_OPT,		/* malformed or misplaced EDNS OPT record */
	DNS_E__MAX
};

const char	*dns_strerror(enum dns_status);

enum dns_section {
	DNS_SEC_QD = 0,
	DNS_SEC_AN,
	DNS_SEC_NS,
	DNS_SEC_AR,
	DNS_SEC__MAX
};

/* Well-known numbers the rest of gluetop uses (full tables in dnstab.h). */
#define DNS_T_A		1
#define DNS_T_NS	2
#define DNS_T_CNAME	5
#define DNS_T_SOA	6
#define DNS_T_PTR	12
#define DNS_T_MX	15
#define DNS_T_TXT	16
#define DNS_T_AAAA	28
#define DNS_T_SRV	33
#define DNS_T_DNAME	39
#define DNS_T_OPT	41
#define DNS_T_DS	43
#define DNS_T_RRSIG	46
#define DNS_T_NSEC	47
#define DNS_T_DNSKEY	48
#define DNS_T_NSEC3	50
#define DNS_T_SVCB	64
#define DNS_T_HTTPS	65
#define DNS_T_ANY	255

#define DNS_C_IN	1

#define DNS_R_NOERROR	0
#define DNS_R_FORMERR	1
#define DNS_R_SERVFAIL	2
#define DNS_R_NXDOMAIN	3
#define DNS_R_NOTIMP	4
#define DNS_R_REFUSED	5

#define DNS_OP_QUERY	0

/* A byte string inside the message: base + off, len bytes. */
struct dns_bytes {
	uint16_t	off;
	uint16_t	len;
};

struct dns_header {
	uint16_t	id;
	uint8_t		qr, opcode, aa, tc, rd, ra, z, ad, cd;
	uint8_t		rcode;		/* the 4 header bits only */
	uint16_t	qdcount, ancount, nscount, arcount;
};

struct dns_question {
	struct dns_name	qname;
	uint16_t	qtype;
	uint16_t	qclass;
};

struct dns_rr {
	struct dns_name	owner;
	uint16_t	type;
	uint16_t	rclass;		/* for OPT: the UDP payload size */
	uint32_t	ttl;		/* for OPT: ext-rcode, version, flags */
	uint16_t	rdoff;		/* RDATA offset in the message */
	uint16_t	rdlen;
	uint8_t		section;	/* enum dns_section */
	uint8_t		rdstatus;	/* enum dns_status of the RDATA */
	/*
	 * Decoded RDATA by type; rd.opaque (== rdoff/rdlen) for types without
	 * a decoder (RFC 3597) and for RDATA that failed to decode.
	 */
	union {
		uint8_t		a[4];
		uint8_t		aaaa[16];
		struct dns_name	name;		/* NS, CNAME, DNAME, PTR */
		struct {
			struct dns_name	mname, rname;
			uint32_t	serial, refresh, retry, expire, minimum;
		} soa;
		struct {
			uint16_t	pref;
			struct dns_name	exchange;
		} mx;
		struct {
			uint16_t	count;		/* character-strings */
			struct dns_bytes strings;	/* the raw RDATA */
		} txt;
		struct {
			uint16_t	priority, weight, port;
			struct dns_name	target;
		} srv;
		struct {
			uint16_t	keytag;
			uint8_t		alg, digest_type;
			struct dns_bytes digest;
		} ds;
		struct {
			uint16_t	flags;
			uint8_t		proto, alg;
			struct dns_bytes key;
		} dnskey;
		struct {
			uint16_t	covered;
			uint8_t		alg, labels;
			uint32_t	orig_ttl, expiration, inception;
			uint16_t	keytag;
			struct dns_name	signer;
			struct dns_bytes sig;
		} rrsig;
		struct {
			struct dns_name	next;
			struct dns_bytes types;		/* type bitmaps */
		} nsec;
		struct {
			uint8_t		hash_alg, flags;
			uint16_t	iterations;
			struct dns_bytes salt, next, types;
		} nsec3;
		struct {
			uint16_t	priority;
			struct dns_name	target;
			struct dns_bytes params;	/* SvcParams */
		} svcb;				/* SVCB and HTTPS */
		struct dns_bytes opaque;
	} rd;
};

/* EDNS(0) from the OPT pseudo-RR (RFC 6891), with EDE (RFC 8914). */
struct dns_edns {
	uint8_t		present;
	uint8_t		version;
	uint8_t		do_bit;
	uint8_t		ext_rcode;	/* upper 8 bits of the 12-bit rcode */
	uint16_t	udp_size;
	uint16_t	flags;		/* the 16 flag bits, DO included */
	struct dns_bytes options;	/* all options, raw */
	uint16_t	noptions;
	uint8_t		nede;
	uint16_t	ede_code[DNS_MAX_EDE];
	struct dns_bytes ede_text[DNS_MAX_EDE];
	uint8_t		has_cookie;
	uint8_t		has_ecs;
};

struct dns_msg {
	const uint8_t	*base;		/* the input buffer (borrowed) */
	uint16_t	 len;		/* its length (messages are <= 65535) */

	struct dns_header hdr;
	uint16_t	 rcode;		/* full rcode: ext_rcode << 4 | hdr.rcode */

	uint8_t		 nqd;		/* questions stored (<= DNS_MAX_QD) */
	struct dns_question qd[DNS_MAX_QD];

	uint16_t	 nrr;		/* RRs stored in rr[] (<= DNS_MAX_RRS) */
	uint16_t	 count[DNS_SEC__MAX];	/* RRs decoded per section */
	uint32_t	 rr_unstored;	/* decoded but beyond DNS_MAX_RRS */
	struct dns_rr	 rr[DNS_MAX_RRS];

	struct dns_edns	 edns;

	enum dns_status	 status;	/* DNS_OK or the first fault */
	uint16_t	 err_off;	/* byte offset of the fault */
	uint8_t		 err_section;	/* section being decoded at the fault */
	uint16_t	 trailing;	/* bytes left after the last section */
};

/*
 * Decode len bytes at buf into *msg (which is overwritten entirely).
 * Returns msg->status.  Lengths above 65535 are cut to 65535 and reported
 * as DNS_E_TRUNC.
 */
enum dns_status	 dns_msg_decode(const uint8_t *buf, size_t len,
		    struct dns_msg *msg);

/* Pointer to the bytes a struct dns_bytes names inside msg. */
static inline const uint8_t *
dns_bytes_ptr(const struct dns_msg *msg, struct dns_bytes b)
{
	return msg->base + b.off;
}

#endif
