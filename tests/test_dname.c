/*
 * test_dname.c -- names: the decompressor's five guards on raw cursors,
 * comparison, containment, hashing, presentation form and its escapes,
 * parsing and the round trip between the two.  Cases are named
 * <what>_{valid,edge,malform} (STYLE.md rule 34).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "decode/dname.h"
#include "decode/dns.h"
#include "util/cursor.h"

static struct dns_name	N(const char *);
static const char	*S(const struct dns_name *);
static int		 rd(const void *, size_t, size_t, struct dns_name *,
			    size_t *);

/* Parse or fail the test. */
static struct dns_name
N(const char *s)
{
	struct dns_name	 n;

	assert_int_equal(dns_name_from_str(s, &n), 0);
	return n;
}

/* Presentation form of a name. */
static const char *
S(const struct dns_name *n)
{
	static char	 buf[DNS_NAME_STRMAX];

	dns_name_to_str(n, buf, sizeof(buf));
	return buf;
}

/* Read a name at offset at of len bytes; the cursor's end in *end. */
static int
rd(const void *p, size_t len, size_t at, struct dns_name *n, size_t *end)
{
	struct cur	 c;
	int		 st;

	cur_init(&c, p, len);
	c.pos = at;
	st = dns_name_read(&c, n, 1);
	if (end != NULL)
		*end = c.pos;
	return st;
}

/* A plain name, then one that ends in a pointer: where the cursor stops. */
static void
read_cursor_after_name_valid(void **state)
{
	static const uint8_t w[] = { 3, 'f', 'o', 'o', 0, 3, 'w', 'w', 'w',
	    0xc0, 0x00, 0xee };
	struct dns_name	 n;
	size_t		 end;

	(void)state;
	assert_int_equal(rd(w, sizeof(w), 0, &n, &end), DNS_OK);
	assert_int_equal(end, 5);
	assert_int_equal(n.len, 5);
	assert_int_equal(n.nlabels, 1);
	assert_int_equal(rd(w, sizeof(w), 5, &n, &end), DNS_OK);
	assert_int_equal(end, 11);		/* after the first pointer */
	assert_string_equal(S(&n), "www.foo.");
	assert_int_equal(n.nlabels, 2);
	assert_int_equal(n.len, 9);
}

/* 63 bytes is the longest label; 64 is the reserved 0x40 label type. */
static void
label_63_valid_64_malform(void **state)
{
	uint8_t		 w[70];
	struct dns_name	 n;

	(void)state;
	memset(w, 'a', sizeof(w));
	w[0] = 63;
	w[64] = 0;
	assert_int_equal(rd(w, 65, 0, &n, NULL), DNS_OK);
	assert_int_equal(n.len, 65);
	w[0] = 64;
	w[65] = 0;
	assert_int_equal(rd(w, 66, 0, &n, NULL), DNS_E_LABELTYPE);
}

/* 0x40 (RFC 6891 §5, ex-EDNS0) and 0x80 label types are reserved. */
static void
reserved_label_type_malform(void **state)
{
	static const uint8_t w40[] = { 0x41, 0x00, 0 };
	static const uint8_t w80[] = { 1, 'a', 0x80, 0 };
	struct dns_name	 n;

	(void)state;
	assert_int_equal(rd(w40, sizeof(w40), 0, &n, NULL), DNS_E_LABELTYPE);
	assert_int_equal(rd(w80, sizeof(w80), 0, &n, NULL), DNS_E_LABELTYPE);
}

/* Four labels make 255 bytes at most, root included. */
static void
name_255_valid_256_malform(void **state)
{
	uint8_t		 w[300];
	struct dns_name	 n;

	(void)state;
	memset(w, 'a', sizeof(w));
	w[0] = w[64] = w[128] = 63;
	w[192] = 61;
	w[254] = 0;
	assert_int_equal(rd(w, 255, 0, &n, NULL), DNS_OK);
	assert_int_equal(n.len, 255);
	assert_int_equal(n.nlabels, 4);
	w[192] = 62;
	w[254] = 'a';
	w[255] = 0;
	assert_int_equal(rd(w, 256, 0, &n, NULL), DNS_E_NAMELEN);
}

/* A pointer to itself, forward, past the end, cut in half, or forbidden. */
static void
pointer_bad_target_malform(void **state)
{
	static const uint8_t self[] = { 0, 0, 0xc0, 0x02 };
	static const uint8_t fwd[] = { 0xc0, 0x02, 1, 'a', 0 };
	static const uint8_t past[] = { 1, 'a', 0, 0xc3, 0xff };
	static const uint8_t half[] = { 1, 'a', 0, 0xc0 };
	static const uint8_t back[] = { 1, 'a', 0, 0xc0, 0x00 };
	struct dns_name	 n;
	struct cur	 c;

	(void)state;
	assert_int_equal(rd(self, sizeof(self), 2, &n, NULL), DNS_E_BADPTR);
	assert_int_equal(rd(fwd, sizeof(fwd), 0, &n, NULL), DNS_E_BADPTR);
	assert_int_equal(rd(past, sizeof(past), 3, &n, NULL), DNS_E_BADPTR);
	assert_int_equal(rd(half, sizeof(half), 3, &n, NULL), DNS_E_TRUNC);
	assert_int_equal(rd(back, sizeof(back), 3, &n, NULL), DNS_OK);
	cur_init(&c, back, sizeof(back));
	c.pos = 3;
	assert_int_equal(dns_name_read(&c, &n, 0), DNS_E_BADPTR);
	assert_int_equal(c.pos, 3);		/* untouched on failure */
}

/*
 * A loop: the name at 5 points back to 0, whose name points on to 5.  The
 * second jump is not below the first target, so it stops at once.
 */
static void
pointer_loop_malform(void **state)
{
	static const uint8_t w[] = { 1, 'a', 0xc0, 0x05, 0, 0xc0, 0x00 };
	struct dns_name	 n;

	(void)state;
	assert_int_equal(rd(w, sizeof(w), 5, &n, NULL), DNS_E_BADPTR);
	assert_int_equal(rd(w, sizeof(w), 0, &n, NULL), DNS_E_BADPTR);
}

/* A chain of hops strictly backwards: fine up to the cap, then PTRLOOP. */
static void
pointer_hop_cap_edge(void **state)
{
	uint8_t		 w[2 + 2 * (DNS_PTR_HOPS + 2)];
	struct dns_name	 n;
	size_t		 i;

	(void)state;
	w[0] = 0;				/* the root at 0 */
	w[1] = 0;
	for (i = 1; i < DNS_PTR_HOPS + 3; i++) {	/* pointer i at 2i */
		w[2 * i] = 0xc0;
		w[2 * i + 1] = (uint8_t)(2 * (i - 1));
	}
	/* from 2 * DNS_PTR_HOPS: DNS_PTR_HOPS hops down to the root */
	assert_int_equal(rd(w, sizeof(w), 2 * DNS_PTR_HOPS, &n, NULL), DNS_OK);
	assert_int_equal(n.len, 1);
	assert_int_equal(rd(w, sizeof(w), 2 * (DNS_PTR_HOPS + 1), &n, NULL),
	    DNS_E_PTRLOOP);
}

/* A label running past the end, an empty buffer, a cursor in error. */
static void
read_truncated_malform(void **state)
{
	static const uint8_t w[] = { 3, 'a', 'b' };
	struct dns_name	 n;
	struct cur	 c;

	(void)state;
	assert_int_equal(rd(w, sizeof(w), 0, &n, NULL), DNS_E_TRUNC);
	assert_int_equal(rd(w, 0, 0, &n, NULL), DNS_E_TRUNC);
	cur_init(&c, w, sizeof(w));
	c.err = 1;
	assert_int_equal(dns_name_read(&c, &n, 1), DNS_E_TRUNC);
}

/* Equality and hashing ignore ASCII case (RFC 4343). */
static void
case_insensitive_equal_valid(void **state)
{
	struct dns_name	 a = N("WwW.ExAmPlE.CoM"), b = N("www.example.com.");

	(void)state;
	assert_true(dns_name_equal(&a, &b));
	assert_int_equal(dns_name_hash(&a), dns_name_hash(&b));
	b = N("www.example.net");
	assert_false(dns_name_equal(&a, &b));
	assert_int_not_equal(dns_name_hash(&a), dns_name_hash(&b));
	dns_name_lower(&a);
	assert_memory_equal(a.wire, "\3www\7example\3com", 17);
}

/* Containment goes label by label, never by string suffix. */
static void
is_sub_label_by_label_edge(void **state)
{
	struct dns_name	 a = N("www.foo.test"), p = N("FOO.test"),
			 q = N("oo.test"), r = N("."), t = N("test");

	(void)state;
	assert_true(dns_name_is_sub(&a, &p));
	assert_true(dns_name_is_sub(&p, &p));
	assert_false(dns_name_is_sub(&a, &q));	/* not a label boundary */
	assert_true(dns_name_is_sub(&a, &r));
	assert_false(dns_name_is_sub(&t, &a));
	assert_int_equal(dns_name_common(&a, &p), 2);
	assert_int_equal(dns_name_common(&a, &q), 1);
	assert_int_equal(dns_name_common(&a, &r), 0);
}

/* Parent, suffixes, and the root having no parent. */
static void
parent_and_suffix_valid(void **state)
{
	struct dns_name	 a = N("a.b.c"), o;

	(void)state;
	assert_int_equal(dns_name_parent(&a, &o), 0);
	assert_string_equal(S(&o), "b.c.");
	assert_int_equal(o.nlabels, 2);
	dns_name_suffix(&a, 1, &o);
	assert_string_equal(S(&o), "c.");
	dns_name_suffix(&a, 0, &o);
	assert_string_equal(S(&o), ".");
	assert_int_equal(dns_name_parent(&o, &o), -1);
	dns_name_root(&o);
	assert_int_equal(o.len, 1);
	assert_string_equal(S(&o), ".");
}

/* Every special character and non-printable byte is escaped (rule 31). */
static void
to_str_escapes_edge(void **state)
{
	static const uint8_t w[] = { 13, '.', '\\', '"', '(', ')', ';', '@',
	    '$', ' ', 0x00, 0xff, 'A', 'z', 0 };
	struct dns_name	 n, back;

	(void)state;
	assert_int_equal(rd(w, sizeof(w), 0, &n, NULL), DNS_OK);
	assert_string_equal(S(&n),
	    "\\.\\\\\\\"\\(\\)\\;\\@\\$\\032\\000\\255az.");
	/* and it parses back to the same name */
	back = N(S(&n));
	assert_true(dns_name_equal(&n, &back));
	n = N("UPPER.Case");
	assert_string_equal(S(&n), "upper.case.");
}

/* Output is cut at a whole character and always NUL-terminated. */
static void
to_str_never_overflows_edge(void **state)
{
	struct dns_name	 n = N("abcdef.example"), r = N(".");
	static const uint8_t w[] = { 2, 0x01, 'a', 0 };
	char		 small[5];

	(void)state;
	memset(small, 'X', sizeof(small));
	assert_int_equal(dns_name_to_str(&n, small, sizeof(small)), 4);
	assert_string_equal(small, "abcd");
	assert_int_equal(dns_name_to_str(&r, small, 1), 0);
	assert_string_equal(small, "");
	assert_int_equal(dns_name_to_str(&r, small, 2), 1);
	assert_string_equal(small, ".");
	assert_int_equal(dns_name_to_str(&n, small, 0), 0);
	assert_int_equal(rd(w, sizeof(w), 0, &n, NULL), DNS_OK);
	assert_int_equal(dns_name_to_str(&n, small, 5), 4);
	assert_string_equal(small, "\\001");
	assert_int_equal(dns_name_to_str(&n, small, 4), 0);
	assert_string_equal(small, "");		/* \001 does not fit */
}

/* Escapes in presentation form: \X and \DDD, with their errors. */
static void
from_str_escapes_valid(void **state)
{
	struct dns_name	 n;

	(void)state;
	n = N("a\\.b.c");
	assert_int_equal(n.nlabels, 2);
	assert_memory_equal(n.wire, "\3a.b\1c", 7);
	n = N("\\065\\032x.");
	assert_memory_equal(n.wire, "\3A x", 5);
	assert_int_equal(dns_name_from_str("a\\", &n), -1);
	assert_int_equal(dns_name_from_str("\\256", &n), -1);
	assert_int_equal(dns_name_from_str("\\06", &n), -1);
	assert_int_equal(dns_name_from_str("", &n), -1);
	assert_int_equal(dns_name_from_str(".a", &n), -1);
	assert_int_equal(dns_name_from_str("a..", &n), -1);
}

/* Label and name limits in presentation form. */
static void
from_str_limits_edge(void **state)
{
	char		 s[300];
	struct dns_name	 n;

	(void)state;
	memset(s, 'a', 63);
	s[63] = '\0';
	assert_int_equal(dns_name_from_str(s, &n), 0);
	memset(s, 'a', 64);
	s[64] = '\0';
	assert_int_equal(dns_name_from_str(s, &n), -1);
	assert_int_equal(dns_name_from_str("a..b", &n), -1);
	assert_int_equal(dns_name_from_str(".", &n), 0);
	assert_int_equal(n.len, 1);
	/* 4 labels of 63 = 4 * 64 + 1 = 257 bytes: too long */
	memset(s, 'a', sizeof(s));
	s[63] = s[127] = s[191] = '.';
	s[255] = '\0';
	assert_int_equal(dns_name_from_str(s, &n), -1);
	s[254] = '\0';	/* 63.63.63.62: 4 * 64 - 1 + 1 = 256 bytes */
	assert_int_equal(dns_name_from_str(s, &n), -1);
	s[253] = '\0';	/* 63.63.63.61: exactly 255 bytes */
	assert_int_equal(dns_name_from_str(s, &n), 0);
	assert_int_equal(n.len, 255);
	s[253] = '.';	/* 255 bytes and a dot: still fine */
	s[254] = '\0';
	assert_int_equal(dns_name_from_str(s, &n), 0);
}

/*
 * Regression: a one-byte label after a 254-byte name needs two more bytes,
 * and the old length check counted one, writing wire[255].
 */
static void
from_str_new_label_at_254_malform(void **state)
{
	char		 s[300];
	struct dns_name	 n;

	(void)state;
	memset(s, 'a', sizeof(s));
	s[63] = s[127] = s[191] = '.';
	s[252] = '\0';		/* 63.63.63.60: 254 bytes */
	assert_int_equal(dns_name_from_str(s, &n), 0);
	assert_int_equal(n.len, 254);
	s[252] = '.';		/* 63.63.63.60.a: 256 bytes */
	s[253] = 'a';
	s[254] = '\0';
	assert_int_equal(dns_name_from_str(s, &n), -1);
}

/* Presentation form and back for names of every shape. */
static void
from_str_round_trip_valid(void **state)
{
	static const char *names[] = { ".", "a.", "www.example.com.",
	    "\\000\\255.x.", "a\\.b\\\\c.\\@\\$.", "_sip._tcp.example." };
	struct dns_name	 n;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		n = N(names[i]);
		assert_string_equal(S(&n), names[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(read_cursor_after_name_valid),
		cmocka_unit_test(label_63_valid_64_malform),
		cmocka_unit_test(reserved_label_type_malform),
		cmocka_unit_test(name_255_valid_256_malform),
		cmocka_unit_test(pointer_bad_target_malform),
		cmocka_unit_test(pointer_loop_malform),
		cmocka_unit_test(pointer_hop_cap_edge),
		cmocka_unit_test(read_truncated_malform),
		cmocka_unit_test(case_insensitive_equal_valid),
		cmocka_unit_test(is_sub_label_by_label_edge),
		cmocka_unit_test(parent_and_suffix_valid),
		cmocka_unit_test(to_str_escapes_edge),
		cmocka_unit_test(to_str_never_overflows_edge),
		cmocka_unit_test(from_str_escapes_valid),
		cmocka_unit_test(from_str_limits_edge),
		cmocka_unit_test(from_str_new_label_at_254_malform),
		cmocka_unit_test(from_str_round_trip_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
