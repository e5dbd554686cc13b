/*
 * test_dns.c -- the message decoder: the edge table of STYLE.md rule 34
 * (names, pointers, counts, trailing bytes, truncation), every typed RDATA
 * with its fields, EDNS and EDE, the type/rcode tables, the malformed
 * messages of the corpus (tests/data/bad/), and rule 44's sweep over every
 * prefix of real messages (tests/data/msgs/).  The ASan build runs it too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/dns.h"
#include "decode/dnstab.h"

/* A message builder: header, then raw bytes. */
struct wb {
	uint8_t	 b[8192];
	size_t	 n;
};

static void	wb_header(struct wb *, unsigned, unsigned, unsigned, unsigned,
		    unsigned);
static void	wb_raw(struct wb *, const void *, size_t);
static void	wb_u16(struct wb *, unsigned);
static void	wb_label(struct wb *, size_t);
static enum dns_status decode(struct wb *);
static enum dns_status one_rr(unsigned, const void *, size_t);
static size_t	slurp(const char *, const char *, uint8_t *, size_t);

static struct dns_msg	 msg;

/* Header with flags and the four counts. */
static void
wb_header(struct wb *w, unsigned flags, unsigned qd, unsigned an, unsigned ns,
    unsigned ar)
{
	w->n = 0;
	wb_u16(w, 0x1234);
	wb_u16(w, flags);
	wb_u16(w, qd);
	wb_u16(w, an);
	wb_u16(w, ns);
	wb_u16(w, ar);
}

/* Append n raw bytes. */
static void
wb_raw(struct wb *w, const void *p, size_t n)
{
	memcpy(w->b + w->n, p, n);
	w->n += n;
}

/* Append a big-endian 16-bit value. */
static void
wb_u16(struct wb *w, unsigned v)
{
	w->b[w->n++] = (uint8_t)(v >> 8);
	w->b[w->n++] = (uint8_t)v;
}

/* A label of n copies of 'a'. */
static void
wb_label(struct wb *w, size_t n)
{
	w->b[w->n++] = (uint8_t)n;
	memset(w->b + w->n, 'a', n);
	w->n += n;
}

/* Decode the builder's bytes into msg. */
static enum dns_status
decode(struct wb *w)
{
	return dns_msg_decode(w->b, w->n, &msg);
}

/*
 * A response to foo.test (question at 12, 14 bytes) with one answer of the
 * type, owner compressed to the question, TTL 60, and the given RDATA at
 * offset 38.
 */
static enum dns_status
one_rr(unsigned type, const void *rdata, size_t rdlen)
{
	static struct wb w;

	wb_header(&w, 0x8180, 1, 1, 0, 0);
	wb_raw(&w, "\3foo\4test\0\0\1\0\1", 14);
	wb_raw(&w, "\xc0\x0c", 2);
	wb_u16(&w, type);
	wb_raw(&w, "\0\1\0\0\0\x3c", 6);
	wb_u16(&w, (unsigned)rdlen);
	wb_raw(&w, rdata, rdlen);
	return decode(&w);
}

/* Read a whole file of dir into buf; returns its length. */
static size_t
slurp(const char *dir, const char *name, uint8_t *buf, size_t size)
{
	char	 path[4096];
	FILE	*fp;
	size_t	 n;

	snprintf(path, sizeof(path), "%s/tests/data/%s/%s", GLUETOP_SRCDIR,
	    dir, name);
	fp = fopen(path, "rb");
	if (fp == NULL)
		fail_msg("cannot open %s", path);
	n = fread(buf, 1, size, fp);
	fclose(fp);
	return n;
}

/* A 63-byte label decodes; a length byte of 64 is the 0x40 label type. */
static void
label_63_valid_64_malform(void **state)
{
	struct wb	 w;

	(void)state;
	wb_header(&w, 0, 1, 0, 0, 0);
	wb_label(&w, 63);
	wb_raw(&w, "\0\0\1\0\1", 5);
	assert_int_equal(decode(&w), DNS_OK);
	assert_int_equal(msg.qd[0].qname.len, 65);
	wb_header(&w, 0, 1, 0, 0, 0);
	wb_label(&w, 64);
	wb_raw(&w, "\0\0\1\0\1", 5);
	assert_int_equal(decode(&w), DNS_E_LABELTYPE);	/* 0x40: reserved */
	assert_int_equal(msg.err_off, 12);
	assert_int_equal(msg.err_section, DNS_SEC_QD);
}

/* 255 wire bytes decode; 256 do not, in place or through a pointer. */
static void
name_255_valid_256_malform(void **state)
{
	struct wb	 w;

	(void)state;
	wb_header(&w, 0, 1, 0, 0, 0);
	wb_label(&w, 63);
	wb_label(&w, 63);
	wb_label(&w, 63);
	wb_label(&w, 61);	/* 64 * 3 + 62 + 1 = 255 */
	wb_raw(&w, "\0\0\1\0\1", 5);
	assert_int_equal(decode(&w), DNS_OK);
	assert_int_equal(msg.qd[0].qname.len, 255);
	wb_header(&w, 0, 1, 0, 0, 0);
	wb_label(&w, 63);
	wb_label(&w, 63);
	wb_label(&w, 63);
	wb_label(&w, 62);	/* 256 */
	wb_raw(&w, "\0\0\1\0\1", 5);
	assert_int_equal(decode(&w), DNS_E_NAMELEN);
}

/* An owner of one label plus a pointer to a 254-byte name: 256 bytes. */
static void
name_256_through_pointer_malform(void **state)
{
	struct wb	 w;

	(void)state;
	wb_header(&w, 0x8000, 1, 1, 0, 0);
	wb_label(&w, 63);
	wb_label(&w, 63);
	wb_label(&w, 63);
	wb_label(&w, 60);	/* 254 */
	wb_raw(&w, "\0\0\1\0\1", 5);
	wb_raw(&w, "\1a\xc0\x0c\0\1\0\1\0\0\0\0\0\4\1\2\3\4", 18);
	assert_int_equal(decode(&w), DNS_E_NAMELEN);
	assert_int_equal(msg.nqd, 1);
	assert_int_equal(msg.nrr, 0);
	assert_int_equal(msg.err_section, DNS_SEC_AN);
	assert_int_equal(msg.err_off, 12 + 254 + 4);
}

/* The question name points at itself. */
static void
self_pointer_malform(void **state)
{
	struct wb	 w;

	(void)state;
	wb_header(&w, 0, 1, 0, 0, 0);
	wb_raw(&w, "\xc0\x0c\0\1\0\1", 6);
	assert_int_equal(decode(&w), DNS_E_BADPTR);
	assert_int_equal(msg.err_off, 12);
	assert_int_equal(msg.hdr.id, 0x1234);
}

/* The question name points forward, to a well-formed name. */
static void
forward_pointer_malform(void **state)
{
	struct wb	 w;

	(void)state;
	wb_header(&w, 0, 1, 0, 0, 0);
	wb_raw(&w, "\xc0\x12\0\1\0\1\3www\0", 11);
	assert_int_equal(decode(&w), DNS_E_BADPTR);
}

/* A pointer past the end of the message, and one cut in half. */
static void
pointer_past_end_malform(void **state)
{
	struct wb	 w;

	(void)state;
	wb_header(&w, 0, 1, 0, 0, 0);
	wb_raw(&w, "\xc3\xff\0\1\0\1", 6);
	assert_int_equal(decode(&w), DNS_E_BADPTR);
	wb_header(&w, 0, 1, 0, 0, 0);
	wb_raw(&w, "\1a\0\0\1\xc0", 6);		/* class cut in half */
	assert_int_equal(decode(&w), DNS_E_TRUNC);
	assert_int_equal(msg.nqd, 0);
}

/*
 * A loop: the opaque RDATA at 31 holds "b" and a pointer to 35; the owner
 * at 35 points back to 31.  The second jump is not below the first target.
 */
static void
pointer_loop_malform(void **state)
{
	struct wb	 w;

	(void)state;
	wb_header(&w, 0x8000, 1, 2, 0, 0);
	wb_raw(&w, "\1a\0\0\1\0\1", 7);				/* 12..18 */
	wb_raw(&w, "\xc0\x0c\xff\0\0\1\0\0\0\0\0\4", 12);	/* 19..30 */
	wb_raw(&w, "\1b\xc0\x23", 4);				/* 31..34 */
	wb_raw(&w, "\xc0\x1f\xff\0\0\1\0\0\0\0\0\0", 12);	/* 35.. */
	assert_int_equal(decode(&w), DNS_E_BADPTR);
	assert_int_equal(msg.err_section, DNS_SEC_AN);
	assert_int_equal(msg.err_off, 35);
	assert_int_equal(msg.nrr, 1);
}

/*
 * A chain of backward pointers n long, kept in an opaque RDATA, and an RR
 * whose owner points at its end: every hop is legal, only the cap stops it.
 */
static enum dns_status
pointer_chain(unsigned n)
{
	struct wb	 w;
	unsigned	 i, at;

	wb_header(&w, 0x8000, 1, 2, 0, 0);
	wb_raw(&w, "\1a\0\0\1\0\1", 7);			/* 12..18 */
	wb_raw(&w, "\xc0\x0c\xff\0\0\1\0\0\0\0", 10);	/* 19..28 */
	wb_u16(&w, n * 2);					/* rdlen */
	for (i = 0; i < n; i++) {				/* from 31 */
		at = i == 0 ? 12 : 31 + (i - 1) * 2;
		wb_u16(&w, 0xc000 | at);
	}
	wb_u16(&w, 0xc000 | (31 + (n - 1) * 2));
	wb_raw(&w, "\xff\0\0\1\0\0\0\0\0\0", 10);	/* opaque, empty */
	return decode(&w);
}

/* The hop cap: DNS_PTR_HOPS pointers are fine, more are a loop. */
static void
pointer_chain_hop_cap_edge(void **state)
{
	(void)state;
	assert_int_equal(pointer_chain(10), DNS_OK);
	assert_int_equal(msg.rr[1].owner.nlabels, 1);
	assert_int_equal(pointer_chain(DNS_PTR_HOPS - 1), DNS_OK);
	assert_int_equal(pointer_chain(DNS_PTR_HOPS + 5), DNS_E_PTRLOOP);
}

/* 0x80 and 0x40 label types in an owner name. */
static void
reserved_label_type_malform(void **state)
{
	struct wb	 w;

	(void)state;
	wb_header(&w, 0x8000, 1, 1, 0, 0);
	wb_raw(&w, "\1a\0\0\1\0\1", 7);
	wb_raw(&w, "\x80\0\0\1\0\1\0\0\0\0\0\0", 12);
	assert_int_equal(decode(&w), DNS_E_LABELTYPE);
	assert_int_equal(msg.err_off, 19);
	w.b[19] = 0x41;
	assert_int_equal(decode(&w), DNS_E_LABELTYPE);
}

/* Rule 43: counts the message cannot hold; what is there is kept. */
static void
counts_larger_than_message_malform(void **state)
{
	struct wb	 w;

	(void)state;
	wb_header(&w, 0x8000, 1, 200, 0, 0);
	wb_raw(&w, "\3www\0\0\1\0\1", 9);
	wb_raw(&w, "\xc0\x0c\0\1\0\1\0\0\0\1\0\4\xc0\0\2\1", 16);
	assert_int_equal(decode(&w), DNS_E_COUNTS);
	assert_int_equal(msg.err_off, DNS_HEADER_LEN);
	assert_int_equal(msg.nqd, 1);
	assert_int_equal(msg.qd[0].qtype, 1);
	assert_int_equal(msg.nrr, 1);		/* decoded up to the end */
	assert_memory_equal(msg.rr[0].rd.a, "\xc0\0\2\1", 4);
	assert_true(msg.hdr.qr);
	wb_header(&w, 0, 0xffff, 0xffff, 0xffff, 0xffff);
	assert_int_equal(decode(&w), DNS_E_COUNTS);
	assert_int_equal(msg.nqd, 0);
}

/* Bytes after the last section are reported, and the status stays OK. */
static void
trailing_garbage_edge(void **state)
{
	struct wb	 w;

	(void)state;
	wb_header(&w, 0, 1, 0, 0, 0);
	wb_raw(&w, "\3www\0\0\1\0\1GARBAGE", 16);
	assert_int_equal(decode(&w), DNS_OK);
	assert_int_equal(msg.trailing, 7);
}

/* Short headers keep the ID and flags when they hold them. */
static void
truncated_header_malform(void **state)
{
	struct wb	 w;

	(void)state;
	wb_header(&w, 0x8183, 0, 0, 0, 0);
	w.n = 5;
	assert_int_equal(decode(&w), DNS_E_SHORT);
	assert_int_equal(msg.hdr.id, 0x1234);
	assert_true(msg.hdr.qr);
	assert_int_equal(msg.rcode, 3);
	assert_string_equal(dns_strerror(DNS_E_SHORT),
	    "message shorter than the 12-byte header");
	w.n = 0;
	assert_int_equal(decode(&w), DNS_E_SHORT);
	w.n = 11;
	assert_int_equal(decode(&w), DNS_E_SHORT);
	w.n = 12;
	assert_int_equal(decode(&w), DNS_OK);
	assert_int_equal(msg.hdr.opcode, 0);
	assert_true(msg.hdr.rd && msg.hdr.ra);
}

/* A length above 65535 is cut and reported; a question past it fails. */
static void
oversize_input_malform(void **state)
{
	static uint8_t	 big[70000];

	(void)state;
	memcpy(big, "\x12\x34\x81\x80\0\0\0\0\0\0\0\0", 12);
	assert_int_equal(dns_msg_decode(big, sizeof(big), &msg), DNS_E_TRUNC);
	assert_int_equal(msg.len, 65535);
	assert_int_equal(msg.trailing, 65535 - 12);
}

/* Five questions: four stored, five counted. */
static void
questions_beyond_max_edge(void **state)
{
	struct wb	 w;
	int		 i;

	(void)state;
	wb_header(&w, 0, DNS_MAX_QD + 1, 0, 0, 0);
	for (i = 0; i < DNS_MAX_QD + 1; i++)
		wb_raw(&w, "\1q\0\0\1\0\1", 7);
	assert_int_equal(decode(&w), DNS_OK);
	assert_int_equal(msg.nqd, DNS_MAX_QD);
	assert_int_equal(msg.count[DNS_SEC_QD], DNS_MAX_QD + 1);
}

/* 300 records: DNS_MAX_RRS stored, the rest counted in rr_unstored. */
static void
records_beyond_max_edge(void **state)
{
	struct wb	 w;
	int		 i;

	(void)state;
	wb_header(&w, 0x8000, 1, 300, 0, 0);
	wb_raw(&w, "\1q\0\0\1\0\1", 7);
	for (i = 0; i < 300; i++)
		wb_raw(&w, "\xc0\x0c\0\1\0\1\0\0\0\1\0\4\xc0\0\2\1", 16);
	assert_int_equal(decode(&w), DNS_OK);
	assert_int_equal(msg.nrr, DNS_MAX_RRS);
	assert_int_equal(msg.rr_unstored, 300 - DNS_MAX_RRS);
	assert_int_equal(msg.count[DNS_SEC_AN], 300);
}

/* A, AAAA and the single-name types. */
static void
rdata_address_and_name_valid(void **state)
{
	static const unsigned types[] = { DNS_T_NS, DNS_T_CNAME, DNS_T_DNAME,
	    DNS_T_PTR };
	char		 s[DNS_NAME_STRMAX];
	size_t		 i;

	(void)state;
	assert_int_equal(one_rr(DNS_T_A, "\xc0\0\2\1", 4), DNS_OK);
	assert_memory_equal(msg.rr[0].rd.a, "\xc0\0\2\1", 4);
	assert_int_equal(msg.rr[0].ttl, 60);
	assert_int_equal(msg.rr[0].rdoff, 38);
	assert_int_equal(one_rr(DNS_T_AAAA, "\x20\x01\x0d\xb8" "\0\0\0\0"
	    "\0\0\0\0" "\0\0\0\1", 16), DNS_OK);
	assert_memory_equal(msg.rr[0].rd.aaaa, "\x20\x01\x0d\xb8", 4);
	assert_int_equal(msg.rr[0].rd.aaaa[15], 1);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		assert_int_equal(one_rr(types[i], "\2ns\xc0\x0c", 5), DNS_OK);
		assert_int_equal(msg.rr[0].rdstatus, DNS_OK);
		dns_name_to_str(&msg.rr[0].rd.name, s, sizeof(s));
		assert_string_equal(s, "ns.foo.test.");
	}
}

/* SOA, MX, TXT, SRV. */
static void
rdata_soa_mx_txt_srv_valid(void **state)
{
	char		 s[DNS_NAME_STRMAX];

	(void)state;
	assert_int_equal(one_rr(DNS_T_SOA, "\2ns\xc0\x0c\4host\xc0\x0c"
	    "\0\0\0\1\0\0\0\2\0\0\0\3\0\0\0\4\0\0\0\5", 32), DNS_OK);
	dns_name_to_str(&msg.rr[0].rd.soa.mname, s, sizeof(s));
	assert_string_equal(s, "ns.foo.test.");
	dns_name_to_str(&msg.rr[0].rd.soa.rname, s, sizeof(s));
	assert_string_equal(s, "host.foo.test.");
	assert_int_equal(msg.rr[0].rd.soa.serial, 1);
	assert_int_equal(msg.rr[0].rd.soa.refresh, 2);
	assert_int_equal(msg.rr[0].rd.soa.retry, 3);
	assert_int_equal(msg.rr[0].rd.soa.expire, 4);
	assert_int_equal(msg.rr[0].rd.soa.minimum, 5);
	assert_int_equal(one_rr(DNS_T_MX, "\0\x0a\2mx\xc0\x0c", 7), DNS_OK);
	assert_int_equal(msg.rr[0].rd.mx.pref, 10);
	dns_name_to_str(&msg.rr[0].rd.mx.exchange, s, sizeof(s));
	assert_string_equal(s, "mx.foo.test.");
	assert_int_equal(one_rr(DNS_T_TXT, "\2hi\0\3yo!", 8), DNS_OK);
	assert_int_equal(msg.rr[0].rd.txt.count, 3);
	assert_int_equal(msg.rr[0].rd.txt.strings.len, 8);
	assert_memory_equal(dns_bytes_ptr(&msg, msg.rr[0].rd.txt.strings),
	    "\2hi", 3);
	assert_int_equal(one_rr(DNS_T_SRV, "\0\1\0\2\0\x35\xc0\x0c", 8),
	    DNS_OK);
	assert_int_equal(msg.rr[0].rd.srv.priority, 1);
	assert_int_equal(msg.rr[0].rd.srv.weight, 2);
	assert_int_equal(msg.rr[0].rd.srv.port, 53);
	assert_int_equal(msg.rr[0].rd.srv.target.nlabels, 2);
}

/* DS, DNSKEY, RRSIG. */
static void
rdata_ds_dnskey_rrsig_valid(void **state)
{
	char		 s[DNS_NAME_STRMAX];

	(void)state;
	assert_int_equal(one_rr(DNS_T_DS, "\x4e\x20\x0d\x02\xaa\xbb\xcc", 7),
	    DNS_OK);
	assert_int_equal(msg.rr[0].rd.ds.keytag, 20000);
	assert_int_equal(msg.rr[0].rd.ds.alg, 13);
	assert_int_equal(msg.rr[0].rd.ds.digest_type, 2);
	assert_int_equal(msg.rr[0].rd.ds.digest.len, 3);
	assert_memory_equal(dns_bytes_ptr(&msg, msg.rr[0].rd.ds.digest),
	    "\xaa\xbb\xcc", 3);
	assert_int_equal(one_rr(DNS_T_DNSKEY, "\1\1\3\x0dKEY", 7), DNS_OK);
	assert_int_equal(msg.rr[0].rd.dnskey.flags, 257);
	assert_int_equal(msg.rr[0].rd.dnskey.proto, 3);
	assert_int_equal(msg.rr[0].rd.dnskey.alg, 13);
	assert_memory_equal(dns_bytes_ptr(&msg, msg.rr[0].rd.dnskey.key),
	    "KEY", 3);
	assert_int_equal(one_rr(DNS_T_RRSIG, "\0\1\x0d\2\0\0\x0e\x10"
	    "\x65\0\0\0\x64\0\0\0\x4e\x20\4test\0SIG", 27), DNS_OK);
	assert_int_equal(msg.rr[0].rd.rrsig.covered, DNS_T_A);
	assert_int_equal(msg.rr[0].rd.rrsig.alg, 13);
	assert_int_equal(msg.rr[0].rd.rrsig.labels, 2);
	assert_int_equal(msg.rr[0].rd.rrsig.orig_ttl, 3600);
	assert_int_equal(msg.rr[0].rd.rrsig.expiration, 0x65000000);
	assert_int_equal(msg.rr[0].rd.rrsig.inception, 0x64000000);
	assert_int_equal(msg.rr[0].rd.rrsig.keytag, 20000);
	dns_name_to_str(&msg.rr[0].rd.rrsig.signer, s, sizeof(s));
	assert_string_equal(s, "test.");
	assert_memory_equal(dns_bytes_ptr(&msg, msg.rr[0].rd.rrsig.sig),
	    "SIG", 3);
}

/* NSEC and NSEC3 with type bit maps (A, NS, RRSIG, NSEC). */
static void
rdata_nsec_nsec3_valid(void **state)
{
	(void)state;
	assert_int_equal(one_rr(DNS_T_NSEC, "\1b\4test\0\0\6\x60\0\0\0\0\3",
	    16), DNS_OK);
	assert_int_equal(msg.rr[0].rd.nsec.next.nlabels, 2);
	assert_int_equal(msg.rr[0].rd.nsec.types.len, 8);
	assert_int_equal(msg.rr[0].rd.nsec.types.off, 38 + 8);
	assert_int_equal(one_rr(DNS_T_NSEC3, "\1\1\0\x0a\2\xab\xcd\4HASH"
	    "\0\1\x40", 15), DNS_OK);
	assert_int_equal(msg.rr[0].rd.nsec3.hash_alg, 1);
	assert_int_equal(msg.rr[0].rd.nsec3.flags, 1);
	assert_int_equal(msg.rr[0].rd.nsec3.iterations, 10);
	assert_int_equal(msg.rr[0].rd.nsec3.salt.len, 2);
	assert_memory_equal(dns_bytes_ptr(&msg, msg.rr[0].rd.nsec3.next),
	    "HASH", 4);
	assert_int_equal(msg.rr[0].rd.nsec3.types.len, 3);
	/* no salt and an empty bit map (an empty non-terminal) */
	assert_int_equal(one_rr(DNS_T_NSEC3, "\1\0\0\0\0\1H", 7), DNS_OK);
	assert_int_equal(msg.rr[0].rd.nsec3.salt.len, 0);
	assert_int_equal(msg.rr[0].rd.nsec3.types.len, 0);
}

/* SVCB and HTTPS: priority, target, well-formed SvcParams. */
static void
rdata_svcb_https_valid(void **state)
{
	char		 s[DNS_NAME_STRMAX];

	(void)state;
	/* 1 svc.test. alpn=h2,h3 port=443 ipv4hint=192.0.2.1 */
	assert_int_equal(one_rr(DNS_T_SVCB, "\0\1\3svc\4test\0"
	    "\0\1\0\6\2h2\2h3" "\0\3\0\2\1\xbb" "\0\4\0\4\xc0\0\2\1", 36),
	    DNS_OK);
	assert_int_equal(msg.rr[0].rd.svcb.priority, 1);
	dns_name_to_str(&msg.rr[0].rd.svcb.target, s, sizeof(s));
	assert_string_equal(s, "svc.test.");
	assert_int_equal(msg.rr[0].rd.svcb.params.len, 24);
	/* 0 . (AliasMode needs no params) */
	assert_int_equal(one_rr(DNS_T_HTTPS, "\0\0\0", 3), DNS_OK);
	assert_int_equal(msg.rr[0].rd.svcb.priority, 0);
	assert_int_equal(msg.rr[0].rd.svcb.target.len, 1);
	assert_int_equal(msg.rr[0].rd.svcb.params.len, 0);
}

/* Types without a decoder are kept opaque (RFC 3597). */
static void
unknown_type_is_opaque_valid(void **state)
{
	struct wb	 w;

	(void)state;
	wb_header(&w, 0x8000, 1, 1, 0, 0);
	wb_raw(&w, "\3foo\0\xff\0\0\1", 9);
	wb_raw(&w, "\xc0\x0c\xff\0\0\1\0\0\0\1\0\3abc", 15);
	assert_int_equal(decode(&w), DNS_OK);
	assert_int_equal(msg.rr[0].type, 0xff00);
	assert_int_equal(msg.rr[0].rd.opaque.len, 3);
	assert_memory_equal(dns_bytes_ptr(&msg, msg.rr[0].rd.opaque), "abc", 3);
}

/* An A of 3 bytes: the RR is marked and kept, the next one still decodes. */
static void
rdata_bad_length_malform(void **state)
{
	struct wb	 w;

	(void)state;
	wb_header(&w, 0x8000, 1, 2, 0, 0);
	wb_raw(&w, "\3foo\0\0\1\0\1", 9);
	wb_raw(&w, "\xc0\x0c\0\1\0\1\0\0\0\1\0\3\1\2\3", 15);	/* A, 3 bytes */
	wb_raw(&w, "\xc0\x0c\0\1\0\1\0\0\0\1\0\4\1\2\3\4", 16);
	assert_int_equal(decode(&w), DNS_E_RDLEN);
	assert_int_equal(msg.err_off, 33);
	assert_int_equal(msg.err_section, DNS_SEC_AN);
	assert_int_equal(msg.nrr, 2);
	assert_int_equal(msg.rr[0].rdstatus, DNS_E_RDLEN);
	assert_int_equal(msg.rr[0].rd.opaque.off, 33);
	assert_int_equal(msg.rr[0].rd.opaque.len, 3);
	assert_int_equal(msg.rr[1].rdstatus, DNS_OK);
}

/* RDATA too short or too long for each fixed layout. */
static void
rdata_lengths_malform(void **state)
{
	(void)state;
	assert_int_equal(one_rr(DNS_T_A, "\1\2\3\4\5", 5), DNS_E_RDLEN);
	assert_int_equal(one_rr(DNS_T_AAAA, "0123456789abcde", 15),
	    DNS_E_RDLEN);
	assert_int_equal(one_rr(DNS_T_NS, "\2ns\xc0\x0c\0", 6), DNS_E_RDLEN);
	assert_int_equal(one_rr(DNS_T_NS, "\2ns", 3), DNS_E_RDLEN);
	assert_int_equal(one_rr(DNS_T_SOA, "\0\0\0\0\0\1", 6), DNS_E_RDLEN);
	assert_int_equal(one_rr(DNS_T_MX, "\0", 1), DNS_E_RDLEN);
	assert_int_equal(one_rr(DNS_T_TXT, "\3hi", 3), DNS_E_RDLEN);
	assert_int_equal(one_rr(DNS_T_SRV, "\0\1\0\2\0", 5), DNS_E_RDLEN);
	assert_int_equal(one_rr(DNS_T_DS, "\0\1\2", 3), DNS_E_RDLEN);
	assert_int_equal(one_rr(DNS_T_DNSKEY, "\1\1\3", 3), DNS_E_RDLEN);
	assert_int_equal(one_rr(DNS_T_RRSIG, "\0\1\x0d\2\0\0\x0e\x10", 8),
	    DNS_E_RDLEN);
	assert_int_equal(one_rr(DNS_T_NSEC3, "\1\1\0\x0a\5ab", 7),
	    DNS_E_RDLEN);		/* salt runs past the RDATA */
	assert_int_equal(one_rr(DNS_T_SVCB, "\0", 1), DNS_E_RDLEN);
	assert_int_equal(one_rr(29, "\0\1\2\3\4\5\6\7\x8\x9\xa\xb\xc\xd\xe",
	    15), DNS_E_RDLEN);	/* LOC version 0 is 16 bytes */
	assert_int_equal(one_rr(29, "\1\1\2", 3), DNS_OK);	/* unknown v */
}

/* Names inside RDATA: a bad pointer is that error, at the RDATA. */
static void
rdata_bad_name_malform(void **state)
{
	(void)state;
	assert_int_equal(one_rr(DNS_T_CNAME, "\xc0\x30", 2), DNS_E_BADPTR);
	assert_int_equal(msg.rr[0].rdstatus, DNS_E_BADPTR);
	assert_int_equal(msg.err_off, 38);
	assert_int_equal(msg.err_section, DNS_SEC_AN);
	assert_int_equal(msg.rr[0].rd.opaque.len, 2);
	assert_int_equal(one_rr(DNS_T_MX, "\0\1\x80", 3), DNS_E_LABELTYPE);
	/* SVCB targets must not be compressed (RFC 9460 §2.2) */
	assert_int_equal(one_rr(DNS_T_SVCB, "\0\1\xc0\x0c", 4), DNS_E_BADPTR);
	/* RRSIG signers and NSEC next names: accepted compressed */
	assert_int_equal(one_rr(DNS_T_RRSIG, "\0\1\x0d\2\0\0\x0e\x10"
	    "\x65\0\0\0\x64\0\0\0\x4e\x20\xc0\x10S", 21), DNS_OK);
	assert_int_equal(one_rr(DNS_T_NSEC, "\xc0\x0c\0\1\x40", 5), DNS_OK);
}

/* Type bit maps: windows ascending, 1 to 32 bytes each. */
static void
rdata_type_bitmap_malform(void **state)
{
	(void)state;
	assert_int_equal(one_rr(DNS_T_NSEC, "\0\0\0", 3), DNS_E_RDLEN);
	assert_int_equal(one_rr(DNS_T_NSEC, "\0\0\x21", 3), DNS_E_RDLEN);
	assert_int_equal(one_rr(DNS_T_NSEC, "\0\1\1\0\1\1\1", 7),
	    DNS_E_RDLEN);		/* window 1 twice */
	assert_int_equal(one_rr(DNS_T_NSEC, "\0\0\2\x40", 4), DNS_E_RDLEN);
	assert_int_equal(one_rr(DNS_T_NSEC, "\0\0\1\x40\1\1\1", 7), DNS_OK);
	assert_int_equal(one_rr(DNS_T_NSEC3, "\1\0\0\0\0\1H\0", 8),
	    DNS_E_RDLEN);
}

/* SvcParams: framing, order, and the values of the keys we know. */
static void
rdata_svcparams_malform(void **state)
{
	(void)state;
	/* port of 3 bytes (zeek dns_svcb-port-malformed) */
	assert_int_equal(one_rr(DNS_T_HTTPS, "\0\1\0\0\3\0\3\1\xbb\0", 10),
	    DNS_E_RDLEN);
	/* alpn whose inner length runs past the value */
	assert_int_equal(one_rr(DNS_T_HTTPS, "\0\1\0\0\1\0\3\3h2", 10),
	    DNS_E_RDLEN);
	/* keys out of order: port, then alpn */
	assert_int_equal(one_rr(DNS_T_HTTPS, "\0\1\0\0\3\0\2\1\xbb"
	    "\0\1\0\3\2h2", 16), DNS_E_RDLEN);
	/* a value running past the RDATA */
	assert_int_equal(one_rr(DNS_T_HTTPS, "\0\1\0\0\5\0\x10x", 8),
	    DNS_E_RDLEN);
	/* ipv6hint not a multiple of 16, no-default-alpn with a value */
	assert_int_equal(one_rr(DNS_T_HTTPS, "\0\1\0\0\6\0\4\1\2\3\4", 11),
	    DNS_E_RDLEN);
	assert_int_equal(one_rr(DNS_T_HTTPS, "\0\1\0\0\2\0\1x", 8),
	    DNS_E_RDLEN);
	/* an unknown key with any value, ech: opaque */
	assert_int_equal(one_rr(DNS_T_HTTPS, "\0\1\0\0\5\0\1x\x12\x34\0\0",
	    12), DNS_OK);
}

/*
 * RFC 2136: an UPDATE deletes with empty RDATA of any type.  The message
 * is fine; the RR has no typed RDATA, so its rdstatus says so.  Found by
 * fuzz_dns: an empty SVCB in an UPDATE was DNS_OK with a stale rd.svcb.
 */
static void
update_empty_rdata_valid(void **state)
{
	struct wb	 w;

	(void)state;
	wb_header(&w, 5 << 11, 1, 0, 2, 0);		/* zone, update */
	wb_raw(&w, "\4test\0\0\6\0\1", 10);
	wb_raw(&w, "\1a\xc0\x0c\0\1\0\xff\0\0\0\0\0\0", 14);
	wb_raw(&w, "\1b\xc0\x0c\0\x40\0\xff\0\0\0\0\0\0", 14);
	assert_int_equal(decode(&w), DNS_OK);
	assert_int_equal(msg.hdr.opcode, 5);
	assert_int_equal(msg.nrr, 2);
	assert_int_equal(msg.rr[0].rd.opaque.len, 0);
	assert_int_equal(msg.rr[0].rdstatus, DNS_E_RDLEN);
	assert_int_equal(msg.rr[1].type, DNS_T_SVCB);
	assert_int_equal(msg.rr[1].rdstatus, DNS_E_RDLEN);
	assert_int_equal(msg.rr[1].rd.opaque.off, 12 + 10 + 14 + 14);
	w.b[2] = 0;					/* a QUERY: RDLEN */
	assert_int_equal(decode(&w), DNS_E_RDLEN);
}

/* EDNS with DO, a cookie, ECS and two EDEs. */
static void
edns_with_ede_valid(void **state)
{
	struct wb	 w;

	(void)state;
	wb_header(&w, 0x8182, 1, 0, 0, 1);
	wb_raw(&w, "\3foo\0\0\1\0\1", 9);
	/* OPT: size 1232, ext-rcode 0, version 0, DO */
	wb_raw(&w, "\0\0\x29\x04\xd0\0\0\x80\0", 9);
	wb_u16(&w, 7 + 12 + 11 + 6);
	wb_raw(&w, "\0\x0f\0\x03\0\x16x", 7);			/* EDE 22 "x" */
	wb_raw(&w, "\0\x0a\0\x08" "ABCDEFGH", 12);		/* cookie */
	wb_raw(&w, "\0\x08\0\x07\0\1\x18\0\xc0\0\2", 11);	/* ECS /24 */
	wb_raw(&w, "\0\x0f\0\x02\0\x12", 6);			/* EDE 18 */
	assert_int_equal(decode(&w), DNS_OK);
	assert_true(msg.edns.present);
	assert_int_equal(msg.edns.udp_size, 1232);
	assert_true(msg.edns.do_bit);
	assert_int_equal(msg.edns.flags, 0x8000);
	assert_int_equal(msg.edns.version, 0);
	assert_int_equal(msg.edns.noptions, 4);
	assert_true(msg.edns.has_cookie);
	assert_true(msg.edns.has_ecs);
	assert_int_equal(msg.edns.nede, 2);
	assert_int_equal(msg.edns.ede_code[0], 22);
	assert_int_equal(msg.edns.ede_text[0].len, 1);
	assert_memory_equal(dns_bytes_ptr(&msg, msg.edns.ede_text[0]), "x", 1);
	assert_int_equal(msg.edns.ede_code[1], 18);
	assert_int_equal(msg.edns.ede_text[1].len, 0);
	assert_int_equal(msg.edns.options.len, 36);
	assert_int_equal(msg.rcode, 2);
	assert_int_equal(msg.nrr, 1);
	assert_int_equal(msg.rr[0].type, DNS_T_OPT);
}

/* The extended rcode joins the header's four bits (RFC 6891 §6.1.3). */
static void
edns_extended_rcode_edge(void **state)
{
	struct wb	 w;

	(void)state;
	wb_header(&w, 0x8000, 1, 0, 0, 1);
	wb_raw(&w, "\3foo\0\0\1\0\1", 9);
	wb_raw(&w, "\0\0\x29\x10\0\1\0\0\0\0\0", 11);	/* ext-rcode 1 */
	assert_int_equal(decode(&w), DNS_OK);
	assert_int_equal(msg.rcode, 16);		/* BADVERS */
	assert_int_equal(msg.edns.ext_rcode, 1);
	w.b[3] = 7;
	assert_int_equal(decode(&w), DNS_OK);
	assert_int_equal(msg.rcode, 23);		/* BADCOOKIE */
}

/* A second OPT is an error; the first one's values stay. */
static void
two_opt_malform(void **state)
{
	struct wb	 w;

	(void)state;
	wb_header(&w, 0, 1, 0, 0, 2);
	wb_raw(&w, "\3foo\0\0\1\0\1", 9);
	wb_raw(&w, "\0\0\x29\x10\0\0\0\0\0\0\0", 11);
	wb_raw(&w, "\0\0\x29\x02\0\0\0\0\0\0\0", 11);
	assert_int_equal(decode(&w), DNS_E_OPT);
	assert_int_equal(msg.err_off, 21 + 11 + 11);
	assert_int_equal(msg.err_section, DNS_SEC_AR);
	assert_true(msg.edns.present);
	assert_int_equal(msg.edns.udp_size, 4096);
	assert_int_equal(msg.nrr, 2);
	assert_int_equal(msg.rr[1].rdstatus, DNS_E_OPT);
}

/* OPT outside the additional section, with an owner, or bad options. */
static void
opt_misplaced_or_bad_malform(void **state)
{
	struct wb	 w;

	(void)state;
	wb_header(&w, 0, 1, 1, 0, 0);
	wb_raw(&w, "\3foo\0\0\1\0\1", 9);
	wb_raw(&w, "\0\0\x29\x10\0\0\0\0\0\0\0", 11);
	assert_int_equal(decode(&w), DNS_E_OPT);
	assert_false(msg.edns.present);
	wb_header(&w, 0, 1, 0, 0, 1);
	wb_raw(&w, "\3foo\0\0\1\0\1", 9);
	wb_raw(&w, "\xc0\x0c\0\x29\x10\0\0\0\0\0\0\0", 12);
	assert_int_equal(decode(&w), DNS_E_OPT);
	assert_false(msg.edns.present);
	wb_header(&w, 0, 1, 0, 0, 1);
	wb_raw(&w, "\3foo\0\0\1\0\1", 9);
	wb_raw(&w, "\0\0\x29\x10\0\0\0\0\0\0\5\0\x0f\0\x09x", 16);
	assert_int_equal(decode(&w), DNS_E_OPT);	/* option overruns */
	w.b[w.n - 2] = 1;
	assert_int_equal(decode(&w), DNS_E_OPT);	/* EDE of 1 byte */
	w.b[w.n - 4] = 10;
	assert_int_equal(decode(&w), DNS_E_OPT);	/* cookie of 1 byte */
	assert_true(msg.edns.has_cookie);
	w.b[w.n - 4] = 8;
	assert_int_equal(decode(&w), DNS_E_OPT);	/* ECS of 1 byte */
	w.b[w.n - 4] = 12;
	assert_int_equal(decode(&w), DNS_OK);		/* padding */
	assert_int_equal(msg.edns.noptions, 1);
}

/* The tables: names, generic forms, parsing. */
static void
tables_names_and_generic_valid(void **state)
{
	char		 b[16];
	uint16_t	 v;

	(void)state;
	assert_string_equal(dns_type_str(DNS_T_AAAA, b, sizeof(b)), "AAAA");
	assert_string_equal(dns_type_str(65, b, sizeof(b)), "HTTPS");
	assert_string_equal(dns_type_str(257, b, sizeof(b)), "CAA");
	assert_string_equal(dns_type_str(65280, b, sizeof(b)), "TYPE65280");
	assert_string_equal(dns_type_str(0, b, sizeof(b)), "TYPE0");
	assert_string_equal(dns_class_str(1, b, sizeof(b)), "IN");
	assert_string_equal(dns_class_str(7, b, sizeof(b)), "CLASS7");
	assert_string_equal(dns_rcode_str(16, b, sizeof(b)), "BADVERS");
	assert_string_equal(dns_rcode_str(23, b, sizeof(b)), "BADCOOKIE");
	assert_string_equal(dns_rcode_str(24, b, sizeof(b)), "RCODE24");
	assert_string_equal(dns_opcode_str(5, b, sizeof(b)), "UPDATE");
	assert_string_equal(dns_opcode_str(3, b, sizeof(b)), "OPCODE3");
	assert_string_equal(dns_type_str(65280, b, 5), "TYPE");
	assert_string_equal(dns_tok_name(dns_ede_codes, 29), "Synthesized");
	assert_string_equal(dns_tok_name(dns_ede_codes, 0), "Other Error");
	assert_null(dns_tok_name(dns_ede_codes, 30000));
	assert_int_equal(dns_type_from_str("aaaa", &v), 0);
	assert_int_equal(v, 28);
	assert_int_equal(dns_type_from_str("TYPE65280", &v), 0);
	assert_int_equal(v, 65280);
	assert_int_equal(dns_type_from_str("TYPE65536", &v), -1);
	assert_int_equal(dns_type_from_str("TYPE", &v), -1);
	assert_int_equal(dns_type_from_str("nope", &v), -1);
	assert_int_equal(dns_tok_value(dns_rcodes, "badsig", &v), 0);
	assert_int_equal(v, 16);
	assert_string_equal(dns_strerror(DNS_E__MAX), "unknown error");
}

/*
 * The corpus messages tshark calls malformed (tests/data/bad/), and the
 * status each must give.  Where gluetop and tshark disagree, the row says
 * why.
 */
static void
corpus_malformed_malform(void **state)
{
	static const struct {
		const char	*file;
		enum dns_status	 want;
	} bad[] = {
		/* ancount 236 in 323 bytes */
		{ "dns-edns-ecs-bad_1.bin", DNS_E_COUNTS },
		{ "dns-edns-ecs-bad_4.bin", DNS_E_COUNTS },
		/* an ECS option of 3 bytes, then options that overrun */
		{ "dns-edns-ecs-weirds_5.bin", DNS_E_OPT },
		/* an OPT of rdlength 1: half an option code */
		{ "dns_dns-edns-bad-length_1.bin", DNS_E_OPT },
		/* a question cut after two bytes, then after four */
		{ "dns_dns-invalid-names_1.bin", DNS_E_COUNTS },
		{ "dns_dns-invalid-names_3.bin", DNS_E_COUNTS },
		/* tshark is not marking it malformed, only "pointer that
		 * loops": a self pointer is malformed */
		{ "dns_dns-invalid-names_2.bin", DNS_E_BADPTR },
		/* LOC version 0 of 15 bytes */
		{ "dns_loc-invalid-length_1.bin", DNS_E_RDLEN },
		/* SvcParam alpn lengths, port of 3 bytes */
		{ "dns_svcb-alpn-malformed-len-too-long_2.bin", DNS_E_RDLEN },
		{ "dns_svcb-alpn-malformed-len-too-short_2.bin", DNS_E_RDLEN },
		{ "dns_svcb-port-malformed_2.bin", DNS_E_RDLEN },
		/* tshark is not marking it malformed: an SVCB RDATA of 2
		 * bytes has a priority but no target name */
		{ "dns-svcb-rdlength-mismatch_1.bin", DNS_E_RDLEN },
	};
	static uint8_t	 buf[65536];
	size_t		 i, n;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = slurp("bad", bad[i].file, buf, sizeof(buf));
		if (dns_msg_decode(buf, n, &msg) != bad[i].want)
			fail_msg("%s: %s, want %s", bad[i].file,
			    dns_strerror(msg.status),
			    dns_strerror(bad[i].want));
		assert_true(msg.err_off <= n);
	}
}

/*
 * Rule 44: every real message decodes; every prefix of it fails with a
 * truncation status (the counts no longer fit, a field runs past the end,
 * or the header is short) or succeeds only by dropping trailing bytes.
 */
static void
prefix_sweep_corpus_edge(void **state)
{
	char		 path[4096];
	static uint8_t	 buf[65536];
	struct dirent	*de;
	DIR		*d;
	size_t		 n, k, trail;
	int		 files = 0;
	enum dns_status	 st;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/data/msgs", GLUETOP_SRCDIR);
	assert_non_null(d = opendir(path));
	while ((de = readdir(d)) != NULL) {
		if (strstr(de->d_name, ".bin") == NULL)
			continue;
		n = slurp("msgs", de->d_name, buf, sizeof(buf));
		if (dns_msg_decode(buf, n, &msg) != DNS_OK)
			fail_msg("%s: %s at %u", de->d_name,
			    dns_strerror(msg.status), msg.err_off);
		trail = msg.trailing;
		for (k = 0; k < n; k++) {
			st = dns_msg_decode(buf, k, &msg);
			if (st != DNS_OK && st != DNS_E_SHORT &&
			    st != DNS_E_TRUNC && st != DNS_E_COUNTS)
				fail_msg("%s, %zu of %zu bytes: %s", de->d_name,
				    k, n, dns_strerror(st));
			/* whole only if the cut fell in trailing bytes */
			if (st == DNS_OK)
				assert_int_equal(msg.trailing + (n - k), trail);
			assert_true(msg.err_off <= k);
		}
		files++;
	}
	closedir(d);
	assert_true(files >= 60);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(label_63_valid_64_malform),
		cmocka_unit_test(name_255_valid_256_malform),
		cmocka_unit_test(name_256_through_pointer_malform),
		cmocka_unit_test(self_pointer_malform),
		cmocka_unit_test(forward_pointer_malform),
		cmocka_unit_test(pointer_past_end_malform),
		cmocka_unit_test(pointer_loop_malform),
		cmocka_unit_test(pointer_chain_hop_cap_edge),
		cmocka_unit_test(reserved_label_type_malform),
		cmocka_unit_test(counts_larger_than_message_malform),
		cmocka_unit_test(trailing_garbage_edge),
		cmocka_unit_test(truncated_header_malform),
		cmocka_unit_test(oversize_input_malform),
		cmocka_unit_test(questions_beyond_max_edge),
		cmocka_unit_test(records_beyond_max_edge),
		cmocka_unit_test(rdata_address_and_name_valid),
		cmocka_unit_test(rdata_soa_mx_txt_srv_valid),
		cmocka_unit_test(rdata_ds_dnskey_rrsig_valid),
		cmocka_unit_test(rdata_nsec_nsec3_valid),
		cmocka_unit_test(rdata_svcb_https_valid),
		cmocka_unit_test(unknown_type_is_opaque_valid),
		cmocka_unit_test(rdata_bad_length_malform),
		cmocka_unit_test(rdata_lengths_malform),
		cmocka_unit_test(rdata_bad_name_malform),
		cmocka_unit_test(rdata_type_bitmap_malform),
		cmocka_unit_test(rdata_svcparams_malform),
		cmocka_unit_test(update_empty_rdata_valid),
		cmocka_unit_test(edns_with_ede_valid),
		cmocka_unit_test(edns_extended_rcode_edge),
		cmocka_unit_test(two_opt_malform),
		cmocka_unit_test(opt_misplaced_or_bad_malform),
		cmocka_unit_test(tables_names_and_generic_valid),
		cmocka_unit_test(corpus_malformed_malform),
		cmocka_unit_test(prefix_sweep_corpus_edge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
