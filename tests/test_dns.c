/*
 * test_dns.c -- the message decoder: the edge table of STYLE.md rule 34
 * (labels, name lengths, pointers, counts, trailing bytes), typed RDATA,
 * EDNS, and rule 44's sweep over every prefix of real messages from the
 * corpus (tests/data/msgs/).  Run under ASan by the sanitizer build.
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

static struct dns_msg	 msg;

/* A message builder: header, then raw bytes. */
struct wb {
	uint8_t	 b[1024];
	size_t	 n;
};

static void
wb_header(struct wb *w, unsigned flags, unsigned qd, unsigned an, unsigned ns,
    unsigned ar)
{
	uint8_t	 h[12] = { 0x12, 0x34, (uint8_t)(flags >> 8), (uint8_t)flags,
	    0, (uint8_t)qd, 0, (uint8_t)an, 0, (uint8_t)ns, 0, (uint8_t)ar };

	memcpy(w->b, h, 12);
	w->n = 12;
}

static void
wb_raw(struct wb *w, const void *p, size_t n)
{
	memcpy(w->b + w->n, p, n);
	w->n += n;
}

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

static enum dns_status
decode(struct wb *w)
{
	return dns_msg_decode(w->b, w->n, &msg);
}

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
}

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

static void
self_pointer_malform(void **state)
{
	struct wb	 w;

	(void)state;
	wb_header(&w, 0, 1, 0, 0, 0);
	wb_raw(&w, "\xc0\x0c\0\1\0\1", 6);	/* points at itself */
	assert_int_equal(decode(&w), DNS_E_BADPTR);
	assert_int_equal(msg.err_off, 12);
	assert_int_equal(msg.hdr.id, 0x1234);
}

static void
forward_pointer_malform(void **state)
{
	struct wb	 w;

	(void)state;
	wb_header(&w, 0, 1, 0, 0, 0);
	wb_raw(&w, "\xc0\x12\0\1\0\1\3www\0", 11);
	assert_int_equal(decode(&w), DNS_E_BADPTR);
}

static void
pointer_past_end_malform(void **state)
{
	struct wb	 w;

	(void)state;
	wb_header(&w, 0, 1, 0, 0, 0);
	wb_raw(&w, "\xc3\xff\0\1\0\1", 6);
	assert_int_equal(decode(&w), DNS_E_BADPTR);
	wb_header(&w, 0, 1, 0, 0, 0);
	wb_raw(&w, "\xc0", 1);			/* pointer cut in half */
	assert_int_equal(decode(&w), DNS_E_COUNTS);
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

static void
pointer_chain_hop_cap_edge(void **state)
{
	(void)state;
	assert_int_equal(pointer_chain(10), DNS_OK);
	assert_int_equal(msg.rr[1].owner.nlabels, 1);
	assert_int_equal(pointer_chain(DNS_PTR_HOPS - 1), DNS_OK);
	assert_int_equal(pointer_chain(DNS_PTR_HOPS + 5), DNS_E_PTRLOOP);
}

static void
counts_larger_than_message_malform(void **state)
{
	struct wb	 w;

	(void)state;
	wb_header(&w, 0x8000, 1, 200, 0, 0);
	wb_raw(&w, "\3www\0\0\1\0\1", 9);
	assert_int_equal(decode(&w), DNS_E_COUNTS);
	/* what came before the fault is kept */
	assert_int_equal(msg.nqd, 1);
	assert_int_equal(msg.qd[0].qtype, 1);
	assert_true(msg.hdr.qr);
}

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

static void
truncated_header_malform(void **state)
{
	struct wb	 w;

	(void)state;
	wb_header(&w, 0x8180, 0, 0, 0, 0);
	w.n = 5;
	assert_int_equal(decode(&w), DNS_E_SHORT);
	assert_int_equal(msg.hdr.id, 0x1234);
	assert_true(msg.hdr.qr);
	assert_string_equal(dns_strerror(DNS_E_SHORT),
	    "message shorter than the 12-byte header");
}

/* A referral with NS, glue, SOA, MX, SRV and TXT records, compressed. */
static void
rdata_types_valid(void **state)
{
	struct wb	 w;

	(void)state;
	wb_header(&w, 0x8000, 1, 3, 2, 1);
	wb_raw(&w, "\3foo\4test\0\0\1\0\1", 14);		/* 12 */
	/* AN: MX 10 mx.foo.test, SRV 1 2 53 foo.test, TXT "hi" "yo" */
	wb_raw(&w, "\xc0\x0c\0\x0f\0\1\0\0\0\x3c\0\x07\0\x0a\2mx\xc0\x0c", 19);
	wb_raw(&w, "\xc0\x0c\0\x21\0\1\0\0\0\x3c\0\x08\0\1\0\2\0\x35\xc0\x0c",
	    20);
	wb_raw(&w, "\xc0\x0c\0\x10\0\1\0\0\0\x3c\0\x06\2hi\2yo", 18);
	/* NS: foo.test NS ns1.foo.test; test SOA */
	wb_raw(&w, "\xc0\x0c\0\2\0\1\0\0\x0e\x10\0\x06\3ns1\xc0\x0c", 18);
	wb_raw(&w, "\xc0\x10\0\6\0\1\0\0\x0e\x10\0\x18\xc0\x10\xc0\x10", 16);
	wb_raw(&w, "\0\0\0\1\0\0\0\2\0\0\0\3\0\0\0\4\0\0\0\5", 20);
	/* AR: ns1.foo.test A 192.0.2.1 */
	wb_raw(&w, "\3ns1\xc0\x0c\0\1\0\1\0\0\x0e\x10\0\4\xc0\0\2\1", 20);
	assert_int_equal(decode(&w), DNS_OK);
	assert_int_equal(msg.nrr, 6);
	assert_int_equal(msg.rr[0].rd.mx.pref, 10);
	assert_int_equal(msg.rr[0].rd.mx.exchange.nlabels, 3);
	assert_int_equal(msg.rr[1].rd.srv.port, 53);
	assert_int_equal(msg.rr[2].rd.txt.count, 2);
	assert_int_equal(msg.rr[3].rd.name.nlabels, 3);
	assert_int_equal(msg.rr[4].rd.soa.serial, 1);
	assert_int_equal(msg.rr[4].rd.soa.minimum, 5);
	assert_int_equal(msg.rr[5].section, DNS_SEC_AR);
	assert_memory_equal(msg.rr[5].rd.a, "\xc0\0\2\1", 4);
}

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
	/* the framing holds, so the next record is still decoded */
	assert_int_equal(msg.nrr, 2);
	assert_int_equal(msg.rr[0].rdstatus, DNS_E_RDLEN);
	assert_int_equal(msg.rr[1].rdstatus, DNS_OK);
}

static void
edns_with_ede_valid(void **state)
{
	struct wb	 w;

	(void)state;
	wb_header(&w, 0x8182, 1, 0, 0, 1);
	wb_raw(&w, "\3foo\0\0\1\0\1", 9);
	/* OPT: size 1232, ext-rcode 0, DO, EDE 22 "x" */
	wb_raw(&w, "\0\0\x29\x04\xd0\0\0\x80\0\0\x07\0\x0f\0\x03\0\x16x", 18);
	assert_int_equal(decode(&w), DNS_OK);
	assert_true(msg.edns.present);
	assert_int_equal(msg.edns.udp_size, 1232);
	assert_true(msg.edns.do_bit);
	assert_int_equal(msg.edns.nede, 1);
	assert_int_equal(msg.edns.ede_code[0], 22);
	assert_int_equal(msg.rcode, 2);
}

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
}

static void
two_opt_malform(void **state)
{
	struct wb	 w;

	(void)state;
	wb_header(&w, 0, 1, 0, 0, 2);
	wb_raw(&w, "\3foo\0\0\1\0\1", 9);
	wb_raw(&w, "\0\0\x29\x10\0\0\0\0\0\0\0", 11);
	wb_raw(&w, "\0\0\x29\x10\0\0\0\0\0\0\0", 11);
	assert_int_equal(decode(&w), DNS_E_OPT);
	assert_true(msg.edns.present);
}

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

/* Every real message decodes; every prefix of it fails cleanly. */
static void
prefix_sweep_corpus_edge(void **state)
{
	char		 path[4096];
	uint8_t		 buf[65536];
	struct dirent	*de;
	DIR		*d;
	FILE		*fp;
	size_t		 n, k;
	int		 files = 0;
	enum dns_status	 st;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/data/msgs", GLUETOP_SRCDIR);
	assert_non_null(d = opendir(path));
	while ((de = readdir(d)) != NULL) {
		if (strstr(de->d_name, ".bin") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/tests/data/msgs/%s",
		    GLUETOP_SRCDIR, de->d_name);
		assert_non_null(fp = fopen(path, "rb"));
		n = fread(buf, 1, sizeof(buf), fp);
		fclose(fp);
		if (dns_msg_decode(buf, n, &msg) != DNS_OK)
			fail_msg("%s: %s at %u", de->d_name,
			    dns_strerror(msg.status), msg.err_off);
		for (k = 0; k < n; k++) {
			st = dns_msg_decode(buf, k, &msg);
			if (st == DNS_OK && k < n)
				/* a prefix can be whole only if it ends
				 * where the last section ended */
				assert_true(msg.trailing == 0);
		}
		files++;
	}
	closedir(d);
	assert_true(files >= 20);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(label_63_valid_64_malform),
		cmocka_unit_test(name_255_valid_256_malform),
		cmocka_unit_test(self_pointer_malform),
		cmocka_unit_test(forward_pointer_malform),
		cmocka_unit_test(pointer_past_end_malform),
		cmocka_unit_test(pointer_chain_hop_cap_edge),
		cmocka_unit_test(counts_larger_than_message_malform),
		cmocka_unit_test(trailing_garbage_edge),
		cmocka_unit_test(truncated_header_malform),
		cmocka_unit_test(rdata_types_valid),
		cmocka_unit_test(rdata_bad_length_malform),
		cmocka_unit_test(edns_with_ede_valid),
		cmocka_unit_test(edns_extended_rcode_edge),
		cmocka_unit_test(two_opt_malform),
		cmocka_unit_test(unknown_type_is_opaque_valid),
		cmocka_unit_test(prefix_sweep_corpus_edge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
