/*
 * test_addr.c -- util/addr: the hand-made text forms must be the very text
 * inet_ntop(3) writes (--dump, the report and JSON print it), parsing reads
 * them back, and the address classes.  Cases are named
 * <what>_{valid,edge,malform} (STYLE.md rule 34).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "util/addr.h"

static void	same_as_ntop(int, const uint8_t *);

/* addr_str and inet_ntop agree on one address. */
static void
same_as_ntop(int family, const uint8_t *a)
{
	char	 want[ADDR_STRLEN], got[ADDR_STRLEN];

	assert_non_null(inet_ntop(family == 6 ? AF_INET6 : AF_INET, a, want,
	    sizeof(want)));
	assert_string_equal(addr_str(family, a, got, sizeof(got)), want);
}

/* RFC 5952 corner cases: zero runs, leading and trailing, embedded IPv4. */
static void
str_ipv6_forms_edge(void **state)
{
	static const char	*forms[] = { "::", "::1", "1::",
	    "::ffff:1.2.3.4", "::1.2.3.4", "::ffff:0:1.2.3.4", "1:0:0:1::1", "0:0:1::",
	    "2001:db8::1:0:0:1", "::2:3:4:5:6:7:8", "1:2:3:4:5:6:7::",
	    "fe80::1", "1:0:1:0:1:0:1:0",
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	    "::ffff:255.255.255.255", "::0.0.1.0", NULL };
	uint8_t			 a[16];
	int			 i;

	(void)state;
	for (i = 0; forms[i] != NULL; i++) {
		assert_int_equal(inet_pton(AF_INET6, forms[i], a), 1);
		same_as_ntop(6, a);
	}
}

/* Random addresses rich in zero and 0xffff groups match inet_ntop. */
static void
str_random_valid(void **state)
{
	uint8_t	 a[16];
	long	 r;
	int	 i, j;

	(void)state;
	srandom(5952);
	for (i = 0; i < 200000; i++) {
		for (j = 0; j < 16; j++) {
			r = random();
			a[j] = r % 3 == 0 ? (uint8_t)(r >> 8) :
			    r % 3 == 1 ? 0 : 0xff;
		}
		if (i % 5 == 0)
			memset(a, 0, (size_t)(i % 13));
		same_as_ntop(i % 4 == 0 ? 4 : 6, a);
	}
}

/* IPv4 digits with and without zeros. */
static void
str_ipv4_valid(void **state)
{
	static const uint8_t	 a[][4] = { { 0, 0, 0, 0 },
	    { 255, 255, 255, 255 }, { 10, 0, 100, 9 }, { 192, 0, 2, 53 } };
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(a) / sizeof(a[0]); i++)
		same_as_ntop(4, a[i]);
}

/* A buffer too small for the text gets "?", as with inet_ntop failing. */
static void
str_small_buffer_edge(void **state)
{
	static const uint8_t	 v4[4] = { 192, 0, 2, 1 };
	uint8_t			 v6[16];
	char			 buf[ADDR_STRLEN];

	(void)state;
	memset(v6, 0x20, sizeof(v6));
	assert_string_equal(addr_str(4, v4, buf, 9), "?");
	assert_string_equal(addr_str(4, v4, buf, 10), "192.0.2.1");
	assert_string_equal(addr_str(6, v6, buf, 5), "?");
}

/* Text forms parse back to the same bytes; junk does not parse. */
static void
parse_round_trip_valid(void **state)
{
	uint8_t	 a[16], b[16], fam;
	char	 buf[ADDR_STRLEN];

	(void)state;
	assert_int_equal(addr_parse("2001:db8::53", &fam, a), 0);
	assert_int_equal(fam, 6);
	assert_int_equal(addr_parse(addr_str(6, a, buf, sizeof(buf)), &fam, b),
	    0);
	assert_memory_equal(a, b, 16);
	assert_int_equal(addr_parse("192.0.2.1", &fam, a), 0);
	assert_int_equal(fam, 4);
	assert_int_equal(addr_parse("192.0.2", &fam, a), -1);
	assert_int_equal(addr_parse("example.", &fam, a), -1);
}

/* Private and special-use space, and public space that is not. */
static void
private_classes_valid(void **state)
{
	uint8_t	 a[16], fam;

	(void)state;
	assert_int_equal(addr_parse("10.1.2.3", &fam, a), 0);
	assert_true(addr_is_private(fam, a));
	assert_int_equal(addr_parse("100.64.0.1", &fam, a), 0);
	assert_true(addr_is_private(fam, a));
	assert_int_equal(addr_parse("fd00::1", &fam, a), 0);
	assert_true(addr_is_private(fam, a));
	assert_int_equal(addr_parse("192.0.2.1", &fam, a), 0);
	assert_false(addr_is_private(fam, a));
	assert_int_equal(addr_parse("2001:db8::1", &fam, a), 0);
	assert_false(addr_is_private(fam, a));
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test(str_ipv6_forms_edge),
		cmocka_unit_test(str_random_valid),
		cmocka_unit_test(str_ipv4_valid),
		cmocka_unit_test(str_small_buffer_edge),
		cmocka_unit_test(parse_round_trip_valid),
		cmocka_unit_test(private_classes_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
