/*
 * test_dname.c -- names: comparison, containment, hashing, presentation
 * form and its escapes, parsing.
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

static void
case_insensitive_equal_valid(void **state)
{
	struct dns_name	 a = N("WwW.ExAmPlE.CoM"), b = N("www.example.com.");

	(void)state;
	assert_true(dns_name_equal(&a, &b));
	assert_int_equal(dns_name_hash(&a), dns_name_hash(&b));
	b = N("www.example.net");
	assert_false(dns_name_equal(&a, &b));
}

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
}

static void
parent_and_suffix_valid(void **state)
{
	struct dns_name	 a = N("a.b.c"), o;

	(void)state;
	assert_int_equal(dns_name_parent(&a, &o), 0);
	assert_string_equal(S(&o), "b.c.");
	dns_name_suffix(&a, 1, &o);
	assert_string_equal(S(&o), "c.");
	dns_name_suffix(&a, 0, &o);
	assert_string_equal(S(&o), ".");
	assert_int_equal(dns_name_parent(&o, &o), -1);
}

static void
to_str_escapes_edge(void **state)
{
	struct dns_name	 n;
	static const uint8_t wire[] = { 4, 'a', '.', ' ', 0x07, 1, '"', 0 };
	struct cur	 c;

	(void)state;
	cur_init(&c, wire, sizeof(wire));
	assert_int_equal(dns_name_read(&c, &n, 1), DNS_OK);
	assert_string_equal(S(&n), "a\\.\\032\\007.\\\".");
	/* and it parses back to the same wire form */
	{
		struct dns_name	 back = N(S(&n));

		assert_true(dns_name_equal(&n, &back));
	}
	n = N("UPPER.Case");
	assert_string_equal(S(&n), "upper.case.");
}

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
}

static void
to_str_never_overflows_edge(void **state)
{
	struct dns_name	 n = N("abcdef.example");
	char		 small[5];

	(void)state;
	memset(small, 'X', sizeof(small));
	assert_true(dns_name_to_str(&n, small, sizeof(small)) < sizeof(small));
	assert_true(memchr(small, '\0', sizeof(small)) != NULL);
	assert_int_equal(strncmp(small, "abcd", strlen(small)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(case_insensitive_equal_valid),
		cmocka_unit_test(is_sub_label_by_label_edge),
		cmocka_unit_test(parent_and_suffix_valid),
		cmocka_unit_test(to_str_escapes_edge),
		cmocka_unit_test(from_str_limits_edge),
		cmocka_unit_test(to_str_never_overflows_edge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
