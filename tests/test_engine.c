/*
 * test_engine.c -- the detections' conditions and boundaries, on messages
 * built byte by byte, decoded by decode/ and fed to the engine in order.
 *
 * Real traffic is tested in the golden tests (samples/); these cover the
 * edges real software will not produce on demand: glue for one NS of two,
 * NS names in another case, the EDNS size limit, thresholds just under and
 * at their values.  The fix sentences (R2.2) are checked on findings built
 * by hand, for the kinds and missing fields the samples do not show.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/dns.h"
#include "engine/engine.h"
#include "ui/fmt.h"

#define SEC	1000000000ULL

/* A message under construction. */
struct mb {
	uint8_t		buf[4096];
	size_t		len;
	uint16_t	counts[4];
};

struct fx {
	struct engine	*e;
	struct dns_msg	 msg;
	uint64_t	 frame;
	uint16_t	 id;
};

static void
put8(struct mb *m, unsigned v)
{
	m->buf[m->len++] = (uint8_t)v;
}

static void
put16(struct mb *m, unsigned v)
{
	put8(m, v >> 8);
	put8(m, v & 0xff);
}

/* A name in presentation form, uncompressed. */
static void
putname(struct mb *m, const char *name)
{
	const char	*dot;
	size_t		 n;

	while (*name != '\0' && strcmp(name, ".") != 0) {
		dot = strchr(name, '.');
		n = dot ? (size_t)(dot - name) : strlen(name);
		put8(m, (unsigned)n);
		memcpy(m->buf + m->len, name, n);
		m->len += n;
		name += n + (dot != NULL);
	}
	put8(m, 0);
}

/* Header with flags (QR|AA|TC|RD|RA as a 16-bit word) and a question. */
static void
mb_start(struct mb *m, unsigned id, unsigned flags, const char *q,
    unsigned qtype)
{
	memset(m, 0, sizeof(*m));
	put16(m, id);
	put16(m, flags);
	m->len = 12;
	putname(m, q);
	put16(m, qtype);
	put16(m, 1);
	m->counts[0] = 1;
}

/* An RR: owner, type, and RDATA given as a name or an address. */
static void
mb_rr(struct mb *m, int sec, const char *owner, unsigned type,
    const char *data)
{
	size_t	 rdlen_at;
	uint8_t	 a[16];

	putname(m, owner);
	put16(m, type);
	put16(m, 1);
	put16(m, 0);
	put16(m, 3600);
	rdlen_at = m->len;
	put16(m, 0);
	if (type == DNS_T_A && inet_pton(AF_INET, data, a) == 1) {
		memcpy(m->buf + m->len, a, 4);
		m->len += 4;
	} else if (type == DNS_T_AAAA && inet_pton(AF_INET6, data, a) == 1) {
		memcpy(m->buf + m->len, a, 16);
		m->len += 16;
	} else if (type == DNS_T_SOA) {
		putname(m, data);
		putname(m, data);
		memset(m->buf + m->len, 0, 20);
		m->len += 20;
	} else
		putname(m, data);
	m->buf[rdlen_at] = (uint8_t)((m->len - rdlen_at - 2) >> 8);
	m->buf[rdlen_at + 1] = (uint8_t)((m->len - rdlen_at - 2) & 0xff);
	m->counts[sec]++;
}

/* OPT with a UDP size. */
static void
mb_opt(struct mb *m, unsigned size)
{
	put8(m, 0);
	put16(m, DNS_T_OPT);
	put16(m, size);
	put16(m, 0);
	put16(m, 0);
	put16(m, 0);
	m->counts[3]++;
}

/* Pad with a TXT record in additional to make the message n bytes. */
static void
mb_pad(struct mb *m, size_t n)
{
	size_t	 want;

	putname(m, "pad.invalid");
	put16(m, DNS_T_TXT);
	put16(m, 1);
	put16(m, 0);
	put16(m, 0);
	want = n > m->len + 2 ? n - m->len - 2 : 0;
	put16(m, (unsigned)want);
	memset(m->buf + m->len, 'x', want);
	m->len += want;
	m->counts[3]++;
}

/* Feed the message from src to dst at time t (seconds). */
static void
feed(struct fx *f, struct mb *m, const char *src, const char *dst,
    unsigned sport, unsigned dport, double t, int tcp)
{
	struct eng_pkt	 p;
	int		 i;

	for (i = 0; i < 4; i++) {
		m->buf[4 + 2 * i] = (uint8_t)(m->counts[i] >> 8);
		m->buf[5 + 2 * i] = (uint8_t)(m->counts[i] & 0xff);
	}
	memset(&p, 0, sizeof(p));
	p.ts_ns = (uint64_t)(t * 1e9) + 1700000000ULL * SEC;
	p.frame = ++f->frame;
	p.family = 4;
	p.tcp = (uint8_t)tcp;
	inet_pton(AF_INET, src, p.src);
	inet_pton(AF_INET, dst, p.dst);
	p.sport = (uint16_t)sport;
	p.dport = (uint16_t)dport;
	p.len = m->len;
	dns_msg_decode(m->buf, m->len, &f->msg);
	engine_message(f->e, &p, &f->msg);
}

#define R	"10.0.0.53"	/* the resolver */
#define ROOT	"10.0.0.1"
#define TLD	"10.0.0.2"	/* ns1.test. */
#define QR	0x8000
#define AA	0x0400
#define TC	0x0200
#define RA	0x0080

/* One query and its response from server s at time t. */
static void
exchange(struct fx *f, const char *s, const char *q, unsigned qtype,
    double t, struct mb *resp, int tcp)
{
	struct mb	 m;

	f->id++;
	mb_start(&m, f->id, 0, q, qtype);
	feed(f, &m, R, s, 40000 + f->id, 53, t, tcp);
	resp->buf[0] = (uint8_t)(f->id >> 8);
	resp->buf[1] = (uint8_t)(f->id & 0xff);
	feed(f, resp, s, R, 53, 40000 + f->id, t + 0.01, tcp);
}

/* The root refers test. to ns1.test (10.0.0.2) with glue. */
static void
learn_test(struct fx *f, const char *q, double t)
{
	struct mb	 r;

	mb_start(&r, 0, QR, q, DNS_T_A);
	mb_rr(&r, 2, "test", DNS_T_NS, "ns1.test");
	mb_rr(&r, 3, "ns1.test", DNS_T_A, TLD);
	exchange(f, ROOT, q, DNS_T_A, t, &r, 0);
}

static int
setup(void **state)
{
	struct fx		*f = calloc(1, sizeof(*f));
	struct engine_conf	 c;

	memset(&c, 0, sizeof(c));
	c.root_hints = "-";
	f->e = engine_create(&c);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;

	engine_destroy(f->e);
	free(f);
	return 0;
}

/* Does the finding have field key with value val? */
static int
has(const struct eng_finding *fd, const char *key, const char *val)
{
	char	 t[FMT_LIST_MAX];
	uint8_t	 k;

	for (k = 0; k < fd->nfields; k++)
		if (strcmp(engine_key_name((enum eng_key)fd->fields[k].key),
		    key) == 0 && strcmp(fmt_field(fd, &fd->fields[k], ",", t,
		    sizeof(t)), val) == 0)
			return 1;
	return 0;
}

/* The finding of this kind whose field key has value val, or NULL. */
static const struct eng_finding *
find(struct fx *f, const char *kind, const char *key, const char *val)
{
	const struct eng_finding **all;
	size_t			 n, i;

	n = engine_findings(f->e, &all);
	for (i = 0; i < n; i++)
		if (strcmp(engine_kind_name(all[i]->kind), kind) == 0 &&
		    (key == NULL || has(all[i], key, val)))
			return all[i];
	return NULL;
}

/* The worst severity of all findings (ENG_SEV__MAX when none). */
static int
worst(struct fx *f)
{
	const struct eng_finding **all;

	return engine_findings(f->e, &all) ? all[0]->sev : ENG_SEV__MAX;
}

static void
glue_missing_in_domain_critical(void **state)
{
	struct fx			*f = *state;
	struct mb			 r;
	const struct eng_finding	*fd;

	learn_test(f, "www.foo.test", 0);
	mb_start(&r, 0, QR, "www.foo.test", DNS_T_A);
	mb_rr(&r, 2, "foo.test", DNS_T_NS, "ns1.foo.test");
	mb_rr(&r, 2, "foo.test", DNS_T_NS, "ns2.foo.test");
	exchange(f, TLD, "www.foo.test", DNS_T_A, 1, &r, 0);
	fd = find(f, "glue_missing_in_domain", "zone", "foo.test.");
	assert_non_null(fd);
	assert_int_equal(fd->sev, ENG_SEV_CRITICAL);
	assert_non_null(find(f, "glue_missing_in_domain", "parent", "test."));
	assert_non_null(find(f, "glue_missing_in_domain", "server", TLD));
	assert_non_null(find(f, "glue_missing_in_domain", "ns",
	    "ns1.foo.test.,ns2.foo.test."));
	assert_true(fd->nframes > 0);
	assert_true(fd->nchains > 0);
}

/* R2.1: two parent servers with the same glueless referral, one finding. */
static void
glue_missing_one_finding_per_zone(void **state)
{
	struct fx			*f = *state;
	struct mb			 r;
	const struct eng_finding	*fd;
	const struct eng_finding	**all;
	size_t				 n, i, k = 0;
	char				 sum[512];

	learn_test(f, "www.foo.test", 0);
	mb_start(&r, 0, QR, "www.foo.test", DNS_T_A);
	mb_rr(&r, 2, "foo.test", DNS_T_NS, "ns1.foo.test");
	mb_rr(&r, 2, "foo.test", DNS_T_NS, "ns2.foo.test");
	exchange(f, TLD, "www.foo.test", DNS_T_A, 1, &r, 0);
	exchange(f, "10.0.0.3", "www.foo.test", DNS_T_A, 2, &r, 0);
	exchange(f, TLD, "www.foo.test", DNS_T_A, 3, &r, 0);
	n = engine_findings(f->e, &all);
	for (i = 0; i < n; i++)
		k += all[i]->kind == ENG_K_GLUE_MISSING_IN_DOMAIN;
	assert_int_equal(k, 1);
	fd = find(f, "glue_missing_in_domain", "zone", "foo.test.");
	assert_non_null(fd);
	assert_int_equal(fd->count, 3);
	assert_true(has(fd, "servers", TLD ",10.0.0.3"));
	assert_true(has(fd, "server", TLD));
	assert_true(fd->last_ns > fd->first_ns);
	fmt_summary(fd, sum, sizeof(sum));
	assert_non_null(strstr(sum, TLD ",10.0.0.3 refers foo.test."));
}

static void
glue_for_one_of_two_is_error(void **state)
{
	struct fx			*f = *state;
	struct mb			 r;
	const struct eng_finding	*fd;

	learn_test(f, "www.foo.test", 0);
	mb_start(&r, 0, QR, "www.foo.test", DNS_T_A);
	mb_rr(&r, 2, "foo.test", DNS_T_NS, "ns1.foo.test");
	mb_rr(&r, 2, "foo.test", DNS_T_NS, "ns2.foo.test");
	mb_rr(&r, 3, "ns1.foo.test", DNS_T_A, "10.0.1.1");
	exchange(f, TLD, "www.foo.test", DNS_T_A, 1, &r, 0);
	fd = find(f, "glue_missing_in_domain", "ns", "ns2.foo.test.");
	assert_non_null(fd);
	assert_int_equal(fd->sev, ENG_SEV_ERROR);
}

static void
glue_in_other_case_counts(void **state)
{
	struct fx	*f = *state;
	struct mb	 r;

	learn_test(f, "www.foo.test", 0);
	mb_start(&r, 0, QR, "WwW.fOo.TeSt", DNS_T_A);
	mb_rr(&r, 2, "FOO.test", DNS_T_NS, "NS1.Foo.Test");
	mb_rr(&r, 3, "ns1.foo.TEST", DNS_T_A, "10.0.1.1");
	exchange(f, TLD, "WwW.fOo.TeSt", DNS_T_A, 1, &r, 0);
	assert_null(find(f, "glue_missing_in_domain", NULL, NULL));
	assert_true(worst(f) >= ENG_SEV_INFO);
}

static void
glue_missing_sibling(void **state)
{
	struct fx			*f = *state;
	struct mb			 r;
	const struct eng_finding	*fd;

	learn_test(f, "www.foo.test", 0);
	mb_start(&r, 0, QR, "www.foo.test", DNS_T_A);
	mb_rr(&r, 2, "foo.test", DNS_T_NS, "ns1.bar.test");
	mb_rr(&r, 2, "foo.test", DNS_T_NS, "ns.other.example");
	exchange(f, TLD, "www.foo.test", DNS_T_A, 1, &r, 0);
	fd = find(f, "glue_missing_sibling", "ns", "ns1.bar.test.");
	assert_non_null(fd);
	assert_int_equal(fd->sev, ENG_SEV_NOTICE);
	assert_null(find(f, "glue_missing_in_domain", NULL, NULL));
}

static void
glue_dropped_without_tc_at_the_limit(void **state)
{
	struct fx	*f = *state;
	struct mb	 q, r;

	learn_test(f, "www.foo.test", 0);
	/* A 512-byte limit and a 497-byte reply: 497 + 16 > 512. */
	mb_start(&q, 77, 0, "www.foo.test", DNS_T_A);
	mb_opt(&q, 512);
	feed(f, &q, R, TLD, 5353, 53, 1, 0);
	mb_start(&r, 77, QR, "www.foo.test", DNS_T_A);
	mb_rr(&r, 2, "foo.test", DNS_T_NS, "ns1.foo.test");
	mb_pad(&r, 497);
	feed(f, &r, TLD, R, 53, 5353, 1.01, 0);
	assert_non_null(find(f, "glue_dropped_without_tc", "limit", "512"));
	/* 496 bytes: 496 + 16 = 512, not over the limit. */
	mb_start(&q, 78, 0, "www.bar.test", DNS_T_A);
	mb_opt(&q, 512);
	feed(f, &q, R, TLD, 5354, 53, 2, 0);
	mb_start(&r, 78, QR, "www.bar.test", DNS_T_A);
	mb_rr(&r, 2, "bar.test", DNS_T_NS, "ns1.bar.test");
	mb_pad(&r, 496);
	feed(f, &r, TLD, R, 53, 5354, 2.01, 0);
	assert_non_null(find(f, "glue_missing_in_domain", "zone", "bar.test."));
	assert_null(find(f, "glue_dropped_without_tc", "zone", "bar.test."));
}

/* R2.1: a referral too large for 512 octets (DELEGATION03): a warning. */
static void
referral_size_over_512(void **state)
{
	struct fx			*f = *state;
	struct mb			 r;
	const struct eng_finding	*fd;
	char				 ns[80];
	int				 i;

	learn_test(f, "www.foo.test", 0);
	/* 4 in-domain names of 14 octets: 271 + 4 * 18 + 44 = 387. */
	mb_start(&r, 0, QR, "www.foo.test", DNS_T_A);
	for (i = 0; i < 4; i++) {
		snprintf(ns, sizeof(ns), "ns%d.foo.test", i);
		mb_rr(&r, 2, "foo.test", DNS_T_NS, ns);
		mb_rr(&r, 3, ns, DNS_T_A, "10.0.1.1");
	}
	exchange(f, TLD, "www.foo.test", DNS_T_A, 1, &r, 0);
	assert_null(find(f, "referral_size", NULL, NULL));
	/* 8 names of 38 octets outside it, no glue: 271 + 8 * 50 = 671. */
	mb_start(&r, 0, QR, "www.bar.test", DNS_T_A);
	for (i = 0; i < 8; i++) {
		snprintf(ns, sizeof(ns), "ns%d-xxxxxxxxxxxxxxxxxxxxxxxx.example",
		    i);
		mb_rr(&r, 2, "bar.test", DNS_T_NS, ns);
	}
	exchange(f, TLD, "www.bar.test", DNS_T_A, 2, &r, 0);
	fd = find(f, "referral_size", "zone", "bar.test.");
	assert_non_null(fd);
	assert_int_equal(fd->sev, ENG_SEV_WARNING);
	assert_true(has(fd, "size", "671"));
	assert_true(has(fd, "limit", "512"));
	assert_true(has(fd, "parent", "test."));
}

static void
truncated_referral_outcomes(void **state)
{
	struct fx	*f = *state;
	struct mb	 r, a;

	learn_test(f, "big.test", 0);
	/* TC=1 and no TCP retry within t_tcp. */
	mb_start(&r, 0, QR | TC, "www.big.test", DNS_T_A);
	exchange(f, TLD, "www.big.test", DNS_T_A, 1, &r, 0);
	engine_tick(f->e, 1700000000ULL * SEC + 3 * SEC);
	assert_null(find(f, "truncated_referral", NULL, NULL));
	engine_tick(f->e, 1700000000ULL * SEC + 5 * SEC);
	assert_non_null(find(f, "truncated_referral", "outcome",
	    "no_tcp_retry"));
	/* TC=1, then the same question over TCP, answered. */
	mb_start(&r, 0, QR | TC, "www2.big.test", DNS_T_A);
	exchange(f, TLD, "www2.big.test", DNS_T_A, 6, &r, 0);
	mb_start(&a, 0, QR, "www2.big.test", DNS_T_A);
	mb_rr(&a, 2, "www2.big.test", DNS_T_NS, "ns1.test");
	exchange(f, TLD, "www2.big.test", DNS_T_A, 6.5, &a, 1);
	assert_int_equal(find(f, "truncated_referral", "outcome",
	    "tcp_answered")->sev, ENG_SEV_INFO);
	/* Only the failed fallback is a root cause with a fix (R2.2). */
	assert_false(engine_finding_is_root(find(f, "truncated_referral",
	    "outcome", "tcp_answered")));
	assert_true(engine_finding_is_root(find(f, "truncated_referral",
	    "outcome", "no_tcp_retry")));
}

/* The truncated_referral finding for zone; it must have parent, outcome. */
static const struct eng_finding *
find_tc(struct fx *f, const char *zone, const char *parent,
    const char *outcome)
{
	const struct eng_finding	*fd = find(f, "truncated_referral",
					    "zone", zone);

	assert_non_null(fd);
	assert_true(has(fd, "parent", parent));
	assert_true(has(fd, "outcome", outcome));
	return fd;
}

/*
 * A TC=1 response for q from the test. server at time t, then the complete
 * referral to child (NS ns, with glue) over TCP; the truncated one's length.
 */
static size_t
tc_then_tcp(struct fx *f, const char *q, const char *child, const char *ns,
    double t)
{
	struct mb	 r, a;

	mb_start(&r, 0, QR | TC, q, DNS_T_A);
	exchange(f, TLD, q, DNS_T_A, t, &r, 0);
	mb_start(&a, 0, QR, q, DNS_T_A);
	mb_rr(&a, 2, child, DNS_T_NS, ns);
	mb_rr(&a, 3, ns, DNS_T_A, "10.0.1.1");
	exchange(f, TLD, q, DNS_T_A, t + 0.5, &a, 1);
	return r.len;
}

/* R2.1: the finding names the child from the complete referral over TCP. */
static void
truncated_referral_child_from_tcp(void **state)
{
	struct fx			*f = *state;
	const struct eng_finding	*fd;
	char				 t[64];

	learn_test(f, "www.big.test", 0);
	snprintf(t, sizeof(t), "%zu", tc_then_tcp(f, "www.big.test",
	    "big.test", "ns1.big.test", 1));
	fd = find_tc(f, "big.test.", "test.", "tcp_answered");
	assert_true(has(fd, "server", TLD));
	assert_true(has(fd, "size", t));
	assert_true(has(fd, "limit", "512"));
	/* Over an empty non-terminal: b.test is no zone, a.b.test is. */
	tc_then_tcp(f, "www.a.b.test", "a.b.test", "ns1.a.b.test", 2);
	find_tc(f, "a.b.test.", "test.", "tcp_answered");
	assert_null(find(f, "truncated_referral", "zone", "b.test."));
	assert_null(find(f, "truncated_referral", "zone", "test."));
}

/* R2.1: without a TCP answer, the child comes from QNAME and the map. */
static void
truncated_referral_child_from_map(void **state)
{
	struct fx			*f = *state;
	struct mb			 q, r;
	const struct eng_finding	*fd;
	char				 fix[512];

	learn_test(f, "www.big.test", 0);
	/* Nothing known below test.: the label under it, big.test. */
	mb_start(&q, 90, 0, "www.big.test", DNS_T_A);
	mb_opt(&q, 1232);
	feed(f, &q, R, TLD, 5390, 53, 1, 0);
	mb_start(&r, 90, QR | TC, "www.big.test", DNS_T_A);
	feed(f, &r, TLD, R, 53, 5390, 1.01, 0);
	/* a.b.test. is known delegated from test.: it, not b.test. */
	mb_start(&r, 0, QR, "ns.a.b.test", DNS_T_A);
	mb_rr(&r, 2, "a.b.test", DNS_T_NS, "ns.a.b.test");
	mb_rr(&r, 3, "ns.a.b.test", DNS_T_A, "10.0.1.2");
	exchange(f, TLD, "ns.a.b.test", DNS_T_A, 1.1, &r, 0);
	mb_start(&r, 0, QR | TC, "www.a.b.test", DNS_T_A);
	exchange(f, TLD, "www.a.b.test", DNS_T_A, 1.2, &r, 0);
	engine_tick(f->e, 1700000000ULL * SEC + 6 * SEC);
	fd = find_tc(f, "big.test.", "test.", "no_tcp_retry");
	assert_true(has(fd, "limit", "1232"));
	assert_true(has(fd, "size", "30"));
	find_tc(f, "a.b.test.", "test.", "no_tcp_retry");
	assert_null(find(f, "truncated_referral", "zone", "b.test."));
	fmt_fix(fd, fix, sizeof(fix));
	assert_string_equal(fix, "let the resolver retry over TCP to "
	    TLD " (allow it outgoing TCP to port 53), or trim the delegation "
	    "of big.test. in test. so its referral fits in one UDP message");
}

/* The test. server refers foo.test. to ns1 (glue g1) and ns (glue g2). */
static void
refer_foo(struct fx *f, const char *ns, const char *g1, const char *g2,
    double t)
{
	struct mb	 r;

	mb_start(&r, 0, QR, "www.foo.test", DNS_T_A);
	mb_rr(&r, 2, "foo.test", DNS_T_NS, "ns1.foo.test");
	mb_rr(&r, 2, "foo.test", DNS_T_NS, ns);
	mb_rr(&r, 3, "ns1.foo.test", DNS_T_A, g1);
	mb_rr(&r, 3, ns, DNS_T_A, g2);
	exchange(f, TLD, "www.foo.test", DNS_T_A, t, &r, 0);
}

/* R2.1: NS names only at the parent are an error (DELEGATION07). */
static void
ns_set_mismatch_parent_only_is_error(void **state)
{
	struct fx			*f = *state;
	struct mb			 r;
	const struct eng_finding	*fd;

	learn_test(f, "www.foo.test", 0);
	refer_foo(f, "old.foo.test", "10.0.1.1", "10.0.1.2", 1);
	mb_start(&r, 0, QR | AA, "foo.test", DNS_T_NS);
	mb_rr(&r, 1, "foo.test", DNS_T_NS, "ns1.foo.test");
	exchange(f, "10.0.1.1", "foo.test", DNS_T_NS, 2, &r, 0);
	fd = find(f, "ns_set_mismatch", "zone", "foo.test.");
	assert_non_null(fd);
	assert_int_equal(fd->sev, ENG_SEV_ERROR);
	assert_true(has(fd, "servers", TLD));
}

/* R2.1: glue that differs from the authoritative address is an error. */
static void
glue_mismatch_is_error(void **state)
{
	struct fx			*f = *state;
	struct mb			 r;
	const struct eng_finding	*fd;

	learn_test(f, "www.foo.test", 0);
	refer_foo(f, "ns2.foo.test", "10.0.1.1", "10.0.1.2", 1);
	mb_start(&r, 0, QR | AA, "ns2.foo.test", DNS_T_A);
	mb_rr(&r, 1, "ns2.foo.test", DNS_T_A, "10.0.1.9");
	exchange(f, "10.0.1.1", "ns2.foo.test", DNS_T_A, 2, &r, 0);
	fd = find(f, "glue_mismatch", "ns", "ns2.foo.test.");
	assert_non_null(fd);
	assert_int_equal(fd->sev, ENG_SEV_ERROR);
	assert_true(has(fd, "glue", "10.0.1.2"));
	assert_true(has(fd, "addresses", "10.0.1.9"));
}

/* Names of the findings built by hand, and how many are used. */
static struct dns_name	hand_names[ENG_FNAMES_MAX];
static unsigned		nhand_names;

/*
 * Add a field to a finding built by hand, from text: a comma-separated list
 * of names or addresses, a number, or a keyword (kept, not copied).
 */
static void
hand_field(struct eng_finding *f, enum eng_key k, const char *text)
{
	struct eng_field	*fl = &f->fields[f->nfields++];
	char			 item[1100], *save, *p;
	struct eng_addr		*a;

	memset(fl, 0, sizeof(*fl));
	fl->key = (uint8_t)k;
	switch (engine_key_type(k)) {
	case ENG_V_WORD:
		fl->word = text;
		return;
	case ENG_V_NUM:
		fl->num = strtoull(text, NULL, 10);
		return;
	default:
		break;
	}
	fl->off = engine_key_type(k) <= ENG_V_NAMES ? f->nnames : f->naddrs;
	snprintf(item, sizeof(item), "%s", text);
	for (p = strtok_r(item, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save), fl->n++) {
		if (engine_key_type(k) <= ENG_V_NAMES) {
			assert_int_equal(dns_name_from_str(p,
			    &hand_names[nhand_names]), 0);
			f->names[f->nnames++] = &hand_names[nhand_names++];
			continue;
		}
		a = &f->addrs[f->naddrs++];
		a->family = strchr(p, ':') != NULL ? 6 : 4;
		assert_int_equal(inet_pton(a->family == 6 ? AF_INET6 :
		    AF_INET, p, a->b), 1);
	}
}

/* A finding built by hand (fields as text, up to 5) and its fix. */
struct fix_case {
	enum eng_kind	 kind;
	struct {
		enum eng_key	 key;
		const char	*text;	/* NULL: no more fields */
	} fl[5];
	const char	*want;
};

/* The fix sentences of DETECTIONS.md R2.2, with fields present or not. */
static const struct fix_case fix_cases[] = {
	{ ENG_K_GLUE_MISSING_IN_DOMAIN, { { ENG_F_ZONE, "foo.example." },
	    { ENG_F_NS, "ns1.foo.example." } },
	    "add glue A/AAAA records for ns1.foo.example. to the delegation "
	    "of foo.example." },
	{ ENG_K_GLUE_MISSING_IN_DOMAIN, { { ENG_F_ZONE, "foo.example." },
	    { ENG_F_NS, "ns1.foo.example." }, { ENG_F_PARENT, "example." } },
	    "add glue A/AAAA records for ns1.foo.example. to the delegation "
	    "of foo.example. in example." },
	{ ENG_K_LAME_DELEGATION, { { ENG_F_ZONE, "foo.example." },
	    { ENG_F_SERVER, "192.0.2.7" } },
	    "load foo.example. on 192.0.2.7 or remove the NS name with that "
	    "address from the delegation of foo.example." },
	{ ENG_K_LAME_DELEGATION, { { ENG_F_ZONE, "foo.example." },
	    { ENG_F_SERVER, "192.0.2.7" }, { ENG_F_NS, "ns2.foo.example." },
	    { ENG_F_PARENT, "example." } },
	    "load foo.example. on 192.0.2.7 or remove ns2.foo.example. from "
	    "the delegation in example." },
	{ ENG_K_ZONE_UNREACHABLE, { { ENG_F_ZONE, "foo.example." } },
	    "no server of foo.example. answers: check its servers and their "
	    "firewalls" },
	{ ENG_K_ZONE_UNREACHABLE, { { ENG_F_ZONE, "foo.example." },
	    { ENG_F_SERVERS, "192.0.2.9" } },
	    "192.0.2.9 does not answer for foo.example.: check the server and "
	    "its firewall, or remove it from the delegation" },
	{ ENG_K_GLUE_MISMATCH, { { ENG_F_ZONE, "foo.example." },
	    { ENG_F_NS, "ns1.foo.example." }, { ENG_F_GLUE, "192.0.2.2" } },
	    "make the glue for ns1.foo.example. in the delegation of "
	    "foo.example. match the address the child publishes (glue says "
	    "192.0.2.2)" },
	{ ENG_K_GLUE_MISMATCH, { { ENG_F_ZONE, "foo.example." },
	    { ENG_F_NS, "ns1.foo.example." }, { ENG_F_GLUE, "192.0.2.2" },
	    { ENG_F_ADDRESSES, "192.0.2.1" }, { ENG_F_PARENT, "example." } },
	    "make the glue for ns1.foo.example. in example. match the address "
	    "the child publishes (192.0.2.1, glue says 192.0.2.2)" },
	{ ENG_K_NS_SET_MISMATCH, { { ENG_F_ZONE, "foo.example." },
	    { ENG_F_PARENT_NS, "ns1.foo.example.,ns2.foo.example." },
	    { ENG_F_CHILD_NS, "ns1.foo.example." } },
	    "make the NS names of foo.example. in its parent (ns1.foo.example., "
	    "ns2.foo.example.) and in the zone itself (ns1.foo.example.) the "
	    "same" },
	{ ENG_K_TRUNCATED_REFERRAL, { { ENG_F_ZONE, "big.test." },
	    { ENG_F_SERVER, "2001:db8::53" }, { ENG_F_OUTCOME, "tcp_failed" } },
	    "make 2001:db8::53 answer over TCP (check TCP port 53 in its "
	    "firewall), or trim the delegation of big.test. so its referral "
	    "fits in one UDP message" },
	{ ENG_K_TRUNCATED_REFERRAL, { { ENG_F_ZONE, "big.test." },
	    { ENG_F_PARENT, "test." }, { ENG_F_SERVER, "192.0.2.53" },
	    { ENG_F_OUTCOME, "tcp_failed" } },
	    "make 192.0.2.53 answer over TCP for test. (check TCP port 53 in "
	    "its firewall), or trim the delegation of big.test. in test. so "
	    "its referral fits in one UDP message" },
	{ ENG_K_NS_NAME_UNRESOLVABLE, { { ENG_F_ZONE, "foo.example." },
	    { ENG_F_NS, "ns.cname.example." }, { ENG_F_REASON, "cname" } },
	    "replace NS ns.cname.example. of foo.example., a CNAME, with a name "
	    "that has A/AAAA records of its own" },
	/* Not root causes: no fix. */
	{ ENG_K_TRUNCATED_REFERRAL, { { ENG_F_ZONE, "big.test." },
	    { ENG_F_OUTCOME, "tcp_answered" } }, "" },
	{ ENG_K_SERVER_UNRESPONSIVE, { { ENG_F_SERVER, "192.0.2.9" } }, "" },
	{ ENG_K_QUERY_LOOP, { { ENG_F_QNAME, "foo.example." } }, "" },
	{ ENG_K_REFERRAL_REVISIT, { { ENG_F_ZONE, "foo.example." } }, "" },
	{ ENG_K_OUT_OF_BAILIWICK_DATA, { { ENG_F_ZONE, "foo.example." } }, "" },
};

/* Each case's fix, exactly, and a root cause exactly when it has one. */
static void
fix_sentences(void **state)
{
	struct eng_finding	 f;
	char			 t[2048];
	size_t			 i, k;

	(void)state;
	for (i = 0; i < sizeof(fix_cases) / sizeof(fix_cases[0]); i++) {
		memset(&f, 0, sizeof(f));
		nhand_names = 0;
		f.kind = (uint8_t)fix_cases[i].kind;
		for (k = 0; k < 5 && fix_cases[i].fl[k].text != NULL; k++)
			hand_field(&f, fix_cases[i].fl[k].key,
			    fix_cases[i].fl[k].text);
		assert_int_equal(fmt_fix(&f, t, sizeof(t)),
		    strlen(fix_cases[i].want));
		assert_string_equal(t, fix_cases[i].want);
		assert_int_equal(engine_finding_is_root(&f),
		    fix_cases[i].want[0] != '\0');
		if (fix_cases[i].want[0] == '\0')
			assert_null(fmt_fix_dup(&f, "fix: "));
	}
}

/* A name of 1,004 characters is never cut: the length says what is due. */
static void
fix_long_name(void **state)
{
	struct eng_finding	 f;
	char			 name[1100], t[64], *dup;
	size_t			 n, len = 0;
	int			 i;

	(void)state;
	/* Labels of 63, 63, 63 and 61 bytes, each byte a \DDD escape:
	 * 255 wire bytes, the longest name, 1,004 characters. */
	for (i = 0; i < 250; i++) {
		memcpy(name + len, "\\001", 4);
		len += 4;
		if (i == 62 || i == 125 || i == 188 || i == 249)
			name[len++] = '.';
	}
	name[len] = '\0';
	assert_int_equal(len, 1004);
	memset(&f, 0, sizeof(f));
	nhand_names = 0;
	f.kind = ENG_K_GLUE_MISSING_IN_DOMAIN;
	hand_field(&f, ENG_F_ZONE, name);
	hand_field(&f, ENG_F_NS, name);
	n = fmt_fix(&f, t, sizeof(t));
	assert_true(n > 2 * 1000);
	assert_int_equal(strlen(t), sizeof(t) - 1);
	dup = fmt_fix_dup(&f, "fix: ");
	assert_non_null(dup);
	assert_int_equal(strlen(dup), n + 5);
	assert_non_null(strstr(dup, name));
	free(dup);
}

/* a.test. and b.test., each with only the other's glueless NS name. */
static void
refer_cycle_ab(struct fx *f)
{
	struct mb	 r;

	learn_test(f, "www.a.test", 0);
	mb_start(&r, 0, QR, "www.a.test", DNS_T_A);
	mb_rr(&r, 2, "a.test", DNS_T_NS, "ns.b.test");
	exchange(f, TLD, "www.a.test", DNS_T_A, 1, &r, 0);
	mb_start(&r, 0, QR, "ns.b.test", DNS_T_A);
	mb_rr(&r, 2, "b.test", DNS_T_NS, "ns.a.test");
	exchange(f, TLD, "ns.b.test", DNS_T_A, 2, &r, 0);
}

static void
circular_delegation_full_and_partial(void **state)
{
	struct fx			*f = *state;
	const struct eng_finding	*fd;

	refer_cycle_ab(f);
	engine_end(f->e);
	fd = find(f, "circular_delegation", "cycle", "a.test.,b.test.");
	assert_non_null(fd);
	assert_int_equal(fd->sev, ENG_SEV_CRITICAL);
	assert_non_null(find(f, "circular_delegation", "partial", "false"));
}

static void
circular_delegation_partial(void **state)
{
	struct fx	*f = *state;
	struct mb	 r;

	learn_test(f, "www.a.test", 0);
	mb_start(&r, 0, QR, "www.a.test", DNS_T_A);
	mb_rr(&r, 2, "a.test", DNS_T_NS, "ns.b.test");
	mb_rr(&r, 2, "a.test", DNS_T_NS, "ns.c.example");
	exchange(f, TLD, "www.a.test", DNS_T_A, 1, &r, 0);
	mb_start(&r, 0, QR, "ns.b.test", DNS_T_A);
	mb_rr(&r, 2, "b.test", DNS_T_NS, "ns.a.test");
	exchange(f, TLD, "ns.b.test", DNS_T_A, 2, &r, 0);
	/* ns.c.example has an address: an escape. */
	mb_start(&r, 0, QR | AA, "ns.c.example", DNS_T_A);
	mb_rr(&r, 1, "ns.c.example", DNS_T_A, "10.9.9.9");
	exchange(f, "10.0.0.9", "ns.c.example", DNS_T_A, 3, &r, 0);
	engine_end(f->e);
	assert_int_equal(find(f, "circular_delegation", "partial",
	    "true")->sev, ENG_SEV_WARNING);
}

/* R2.1: referrals to a cycle's zones after it is found update it. */
static void
circular_delegation_counts_referrals(void **state)
{
	struct fx			*f = *state;
	struct mb			 r;
	const struct eng_finding	*fd;
	uint64_t			 last;

	refer_cycle_ab(f);
	engine_tick(f->e, 1700000000ULL * SEC + 4 * SEC);
	fd = find(f, "circular_delegation", "cycle", "a.test.,b.test.");
	assert_non_null(fd);
	assert_int_equal(fd->count, 2);
	last = fd->last_ns;
	mb_start(&r, 0, QR, "www.a.test", DNS_T_A);
	mb_rr(&r, 2, "a.test", DNS_T_NS, "ns.b.test");
	exchange(f, "10.0.0.3", "www.a.test", DNS_T_A, 5, &r, 0);
	engine_tick(f->e, 1700000000ULL * SEC + 7 * SEC);
	fd = find(f, "circular_delegation", "cycle", "a.test.,b.test.");
	assert_int_equal(fd->count, 3);
	assert_true(fd->last_ns > last);
	assert_true(has(fd, "servers", TLD ",10.0.0.3"));
}

/*
 * R2.1: D5 is structural.  a.test. has the glued ns1.a.test and the
 * glueless ns.b.test; b.test. only the glueless ns.a.test.  The resolver
 * resolves through it every time (ns.a.test's address comes from a.test.'s
 * glued server), and every lookup succeeds; that address does not remove
 * the edge b.test. -> a.test.: a partial cycle, a warning.
 */
static void
circular_delegation_structural_partial(void **state)
{
	struct fx			*f = *state;
	struct mb			 r;
	const struct eng_finding	*fd;

	learn_test(f, "www.a.test", 0);
	mb_start(&r, 0, QR, "www.a.test", DNS_T_A);
	mb_rr(&r, 2, "a.test", DNS_T_NS, "ns1.a.test");
	mb_rr(&r, 2, "a.test", DNS_T_NS, "ns.b.test");
	mb_rr(&r, 3, "ns1.a.test", DNS_T_A, "10.0.8.1");
	exchange(f, TLD, "www.a.test", DNS_T_A, 1, &r, 0);
	mb_start(&r, 0, QR | AA, "www.a.test", DNS_T_A);
	mb_rr(&r, 1, "www.a.test", DNS_T_A, "10.0.8.8");
	exchange(f, "10.0.8.1", "www.a.test", DNS_T_A, 1.1, &r, 0);
	mb_start(&r, 0, QR, "www.b.test", DNS_T_A);
	mb_rr(&r, 2, "b.test", DNS_T_NS, "ns.a.test");
	exchange(f, TLD, "www.b.test", DNS_T_A, 2, &r, 0);
	mb_start(&r, 0, QR | AA, "ns.a.test", DNS_T_A);
	mb_rr(&r, 1, "ns.a.test", DNS_T_A, "10.0.8.2");
	exchange(f, "10.0.8.1", "ns.a.test", DNS_T_A, 2.1, &r, 0);
	mb_start(&r, 0, QR | AA, "www.b.test", DNS_T_A);
	mb_rr(&r, 1, "www.b.test", DNS_T_A, "10.0.8.9");
	exchange(f, "10.0.8.2", "www.b.test", DNS_T_A, 2.2, &r, 0);
	/* Found from the referrals at the next search, not at the end. */
	engine_tick(f->e, 1700000000ULL * SEC + 4 * SEC);
	assert_int_equal(engine_counters(f->e)->lookups_failed, 0);
	fd = find(f, "circular_delegation", "cycle", "a.test.,b.test.");
	assert_non_null(fd);
	assert_int_equal(fd->sev, ENG_SEV_WARNING);
	assert_true(has(fd, "partial", "true"));
}

/* R2.1: glue for an out-of-bailiwick NS name is no escape (never kept). */
static void
circular_delegation_oob_glue_is_no_escape(void **state)
{
	struct fx	*f = *state;
	struct mb	 r;

	learn_test(f, "www.a.test", 0);
	mb_start(&r, 0, QR, "www.a.test", DNS_T_A);
	mb_rr(&r, 2, "a.test", DNS_T_NS, "ns.b.example");
	mb_rr(&r, 3, "ns.b.example", DNS_T_A, "10.0.8.3");
	exchange(f, TLD, "www.a.test", DNS_T_A, 1, &r, 0);
	mb_start(&r, 0, QR, "ns.b.example", DNS_T_A);
	mb_rr(&r, 2, "b.example", DNS_T_NS, "ns.a.test");
	exchange(f, ROOT, "ns.b.example", DNS_T_A, 2, &r, 0);
	engine_end(f->e);
	assert_int_equal(find(f, "circular_delegation", "cycle",
	    "a.test.,b.example.")->sev, ENG_SEV_CRITICAL);
}

static void
lame_refused_one_of_two(void **state)
{
	struct fx			*f = *state;
	struct mb			 r;
	const struct eng_finding	*fd;

	learn_test(f, "www.foo.test", 0);
	mb_start(&r, 0, QR, "www.foo.test", DNS_T_A);
	mb_rr(&r, 2, "foo.test", DNS_T_NS, "ns1.foo.test");
	mb_rr(&r, 2, "foo.test", DNS_T_NS, "ns2.foo.test");
	mb_rr(&r, 3, "ns1.foo.test", DNS_T_A, "10.0.1.1");
	mb_rr(&r, 3, "ns2.foo.test", DNS_T_A, "10.0.1.2");
	mb_rr(&r, 3, "ns3.foo.test", DNS_T_A, "10.0.1.3");
	exchange(f, TLD, "www.foo.test", DNS_T_A, 1, &r, 0);
	mb_start(&r, 0, QR | 5, "www.foo.test", DNS_T_A);
	exchange(f, "10.0.1.2", "www.foo.test", DNS_T_A, 2, &r, 0);
	fd = find(f, "lame_delegation", "reason", "refused");
	assert_non_null(fd);
	assert_non_null(find(f, "lame_delegation", "server", "10.0.1.2"));
	/* One of two bad is half: error. */
	assert_int_equal(fd->sev, ENG_SEV_ERROR);
	/* A healthy answer from the other server is not lame. */
	mb_start(&r, 0, QR | AA, "www.foo.test", DNS_T_A);
	mb_rr(&r, 1, "www.foo.test", DNS_T_A, "10.0.2.2");
	exchange(f, "10.0.1.1", "www.foo.test", DNS_T_A, 3, &r, 0);
	assert_null(find(f, "lame_delegation", "server", "10.0.1.1"));
}

static void
lame_not_auth_and_upward(void **state)
{
	struct fx	*f = *state;
	struct mb	 r;

	learn_test(f, "www.foo.test", 0);
	mb_start(&r, 0, QR, "www.foo.test", DNS_T_A);
	mb_rr(&r, 2, "foo.test", DNS_T_NS, "ns1.foo.test");
	mb_rr(&r, 3, "ns1.foo.test", DNS_T_A, "10.0.1.1");
	exchange(f, TLD, "www.foo.test", DNS_T_A, 1, &r, 0);
	mb_start(&r, 0, QR, "www.foo.test", DNS_T_A);
	mb_rr(&r, 2, ".", DNS_T_NS, "a.root.invalid");
	exchange(f, "10.0.1.1", "www.foo.test", DNS_T_A, 2, &r, 0);
	assert_non_null(find(f, "lame_delegation", "reason",
	    "upward_referral"));
	assert_int_equal(find(f, "lame_delegation", "reason",
	    "upward_referral")->sev, ENG_SEV_CRITICAL);
	mb_start(&r, 0, QR | RA, "mail.foo.test", DNS_T_A);
	mb_rr(&r, 1, "mail.foo.test", DNS_T_A, "10.0.2.3");
	exchange(f, "10.0.1.1", "mail.foo.test", DNS_T_A, 3, &r, 0);
	assert_non_null(find(f, "lame_delegation", "reason", "recursive"));
}

/* The ratio rule: one query per lookup, the fifth unanswered of five. */
static void
server_unresponsive_at_five(void **state)
{
	struct fx	*f = *state;
	struct mb	 q;
	char		 name[32];
	int		 i;

	learn_test(f, "x.test", 0);
	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "q%d.test", i);
		mb_start(&q, 100 + i, 0, name, DNS_T_A);
		feed(f, &q, R, "10.0.0.99", 6000 + i, 53, 1 + i, 0);
	}
	engine_tick(f->e, 1700000000ULL * SEC + 20 * SEC);
	assert_null(find(f, "server_unresponsive", NULL, NULL));
	mb_start(&q, 200, 0, "q.test", DNS_T_A);
	feed(f, &q, R, "10.0.0.99", 6100, 53, 21, 0);
	engine_tick(f->e, 1700000000ULL * SEC + 30 * SEC);
	assert_non_null(find(f, "server_unresponsive", "server", "10.0.0.99"));
}

/* A TCP connection event between the resolver and server s at time t. */
static void
tcp_event(struct fx *f, const char *src, const char *dst, unsigned sport,
    unsigned dport, double t, enum eng_event ev)
{
	struct eng_pkt	 p;

	memset(&p, 0, sizeof(p));
	p.ts_ns = (uint64_t)(t * 1e9) + 1700000000ULL * SEC;
	p.frame = ++f->frame;
	p.family = 4;
	p.tcp = 1;
	inet_pton(AF_INET, src, p.src);
	inet_pton(AF_INET, dst, p.dst);
	p.sport = (uint16_t)sport;
	p.dport = (uint16_t)dport;
	engine_event(f->e, &p, ev);
}

/* test. refers foo.test. to its only server ns1.foo.test (10.0.0.99). */
static void
refer_dead_foo(struct fx *f)
{
	struct mb	 r;

	learn_test(f, "www.foo.test", 0);
	mb_start(&r, 0, QR, "www.foo.test", DNS_T_A);
	mb_rr(&r, 2, "foo.test", DNS_T_NS, "ns1.foo.test");
	mb_rr(&r, 3, "ns1.foo.test", DNS_T_A, "10.0.0.99");
	exchange(f, TLD, "www.foo.test", DNS_T_A, 0.5, &r, 0);
}

/*
 * R2.1, Knot Resolver's way: two UDP queries time out, then a TCP
 * connection is accepted and the query sent over it gets no reply; the
 * resolver closes it after 12 s and gives up.  Three queries, no count
 * over w_srv: the server is unresponsive and the zone unreachable.
 */
static void
server_unresponsive_udp_then_tcp(void **state)
{
	struct fx			*f = *state;
	struct mb			 q;
	const struct eng_finding	*fd;

	refer_dead_foo(f);
	mb_start(&q, 300, 0, "www.foo.test", DNS_T_A);
	feed(f, &q, R, "10.0.0.99", 7000, 53, 1, 0);
	mb_start(&q, 301, 0, "www.foo.test", DNS_T_A);
	feed(f, &q, R, "10.0.0.99", 7001, 53, 2.5, 0);
	tcp_event(f, R, "10.0.0.99", 7002, 53, 4, ENG_EV_TCP_SYN);
	tcp_event(f, "10.0.0.99", R, 53, 7002, 4.01, ENG_EV_TCP_SYNACK);
	mb_start(&q, 302, 0, "www.foo.test", DNS_T_A);
	feed(f, &q, R, "10.0.0.99", 7002, 53, 4.02, 1);
	tcp_event(f, R, "10.0.0.99", 7002, 53, 16, ENG_EV_TCP_FIN);
	engine_tick(f->e, 1700000000ULL * SEC + 30 * SEC);
	fd = find(f, "server_unresponsive", "server", "10.0.0.99");
	assert_non_null(fd);
	assert_true(has(fd, "zone", "foo.test."));
	fd = find(f, "zone_unreachable", "zone", "foo.test.");
	assert_non_null(fd);
	assert_int_equal(fd->sev, ENG_SEV_CRITICAL);
}

/*
 * R2.1: a TCP query the client gave up on (FIN) before t_resp, the input
 * ending then, is unanswered: with the UDP query before it, two.
 */
static void
server_unresponsive_tcp_closed(void **state)
{
	struct fx	*f = *state;
	struct mb	 q;

	refer_dead_foo(f);
	mb_start(&q, 330, 0, "www.foo.test", DNS_T_A);
	feed(f, &q, R, "10.0.0.99", 7030, 53, 1, 0);
	engine_tick(f->e, 1700000000ULL * SEC + 7 * SEC);
	tcp_event(f, R, "10.0.0.99", 7031, 53, 7.5, ENG_EV_TCP_SYN);
	tcp_event(f, "10.0.0.99", R, 53, 7031, 7.51, ENG_EV_TCP_SYNACK);
	mb_start(&q, 331, 0, "www.foo.test", DNS_T_A);
	feed(f, &q, R, "10.0.0.99", 7031, 53, 7.52, 1);
	tcp_event(f, R, "10.0.0.99", 7031, 53, 8, ENG_EV_TCP_FIN);
	assert_null(find(f, "server_unresponsive", NULL, NULL));
	engine_end(f->e);
	assert_non_null(find(f, "server_unresponsive", "server",
	    "10.0.0.99"));
}

/*
 * R2.1, Knot Resolver in tcpsilent: the client gets SERVFAIL while the
 * resolver's queries to the silent server still wait: given up on, they
 * went unanswered.
 */
static void
server_unresponsive_given_up_on(void **state)
{
	struct fx	*f = *state;
	struct mb	 q;

	mb_start(&q, 340, 0x0100, "www.foo.test", DNS_T_A);
	feed(f, &q, "10.0.0.200", R, 5300, 53, 0, 0);
	refer_dead_foo(f);
	mb_start(&q, 341, 0, "www.foo.test", DNS_T_A);
	feed(f, &q, R, "10.0.0.99", 7040, 53, 1, 0);
	mb_start(&q, 342, 0, "www.foo.test", DNS_T_A);
	feed(f, &q, R, "10.0.0.99", 7041, 53, 2, 0);
	engine_tick(f->e, 1700000000ULL * SEC + 4 * SEC);
	assert_null(find(f, "server_unresponsive", NULL, NULL));
	mb_start(&q, 340, QR | RA | 2, "www.foo.test", DNS_T_A);
	feed(f, &q, R, "10.0.0.200", 53, 5300, 4.5, 0);
	assert_non_null(find(f, "server_unresponsive", "server",
	    "10.0.0.99"));
	assert_non_null(find(f, "zone_unreachable", "zone", "foo.test."));
}

/* R2.1: a UDP retry and a refused TCP connection make two queries. */
static void
server_unresponsive_udp_then_rst(void **state)
{
	struct fx	*f = *state;
	struct mb	 q, r;

	refer_dead_foo(f);
	mb_start(&q, 310, 0, "www.foo.test", DNS_T_A);
	feed(f, &q, R, "10.0.0.99", 7010, 53, 1, 0);
	tcp_event(f, R, "10.0.0.99", 7011, 53, 2, ENG_EV_TCP_SYN);
	tcp_event(f, "10.0.0.99", R, 53, 7011, 2.01, ENG_EV_TCP_RST);
	engine_tick(f->e, 1700000000ULL * SEC + 7 * SEC);
	assert_null(find(f, "server_unresponsive", NULL, NULL));
	/* The resolver moves on to another server, which answers. */
	mb_start(&r, 0, QR | AA, "www.foo.test", DNS_T_A);
	mb_rr(&r, 1, "www.foo.test", DNS_T_A, "10.0.4.4");
	exchange(f, "10.0.0.98", "www.foo.test", DNS_T_A, 8, &r, 0);
	assert_non_null(find(f, "server_unresponsive", "server",
	    "10.0.0.99"));
	/* The lookup did not fail: the zone is not unreachable. */
	assert_null(find(f, "zone_unreachable", NULL, NULL));
}

/* R2.1: one unanswered query, then another server answers: not dead. */
static void
server_one_timeout_is_not_unresponsive(void **state)
{
	struct fx	*f = *state;
	struct mb	 q, r;

	refer_dead_foo(f);
	mb_start(&q, 320, 0, "www.foo.test", DNS_T_A);
	feed(f, &q, R, "10.0.0.99", 7020, 53, 1, 0);
	engine_tick(f->e, 1700000000ULL * SEC + 7 * SEC);
	mb_start(&r, 0, QR | AA, "www.foo.test", DNS_T_A);
	mb_rr(&r, 1, "www.foo.test", DNS_T_A, "10.0.4.4");
	exchange(f, "10.0.0.98", "www.foo.test", DNS_T_A, 8, &r, 0);
	engine_end(f->e);
	assert_null(find(f, "server_unresponsive", NULL, NULL));
}

static void
query_loop_at_k_rep(void **state)
{
	struct fx	*f = *state;
	struct mb	 r;
	int		 i;

	learn_test(f, "x.test", 0);
	for (i = 0; i < 9; i++) {
		mb_start(&r, 0, QR, "ns1.loop.test", DNS_T_A);
		mb_rr(&r, 2, "loop.test", DNS_T_NS, "ns1.other.test");
		mb_rr(&r, 3, "ns1.other.test", DNS_T_A, "10.0.5.5");
		exchange(f, TLD, "ns1.loop.test", DNS_T_A, 1 + i, &r, 0);
	}
	assert_null(find(f, "query_loop", "qname", "ns1.loop.test."));
	mb_start(&r, 0, QR, "ns1.loop.test", DNS_T_A);
	mb_rr(&r, 2, "loop.test", DNS_T_NS, "ns1.other.test");
	exchange(f, TLD, "ns1.loop.test", DNS_T_A, 11, &r, 0);
	/* R2.1: a loop once its lookup fails (here: given up at the end). */
	assert_null(find(f, "query_loop", "qname", "ns1.loop.test."));
	engine_end(f->e);
	assert_non_null(find(f, "query_loop", "qname", "ns1.loop.test."));
	assert_non_null(find(f, "query_loop", "count", "10"));
}

/*
 * R2.1: a loop waits for its lookup; the lookup closed idle (w_lookup,
 * without an answer) shows it, at a tick, without the end of input.
 */
static void
query_loop_shown_by_time(void **state)
{
	struct fx	*f = *state;
	struct mb	 r;
	int		 i;

	learn_test(f, "x.test", 0);
	for (i = 0; i < 10; i++) {
		mb_start(&r, 0, QR, "ns1.loop.test", DNS_T_A);
		mb_rr(&r, 2, "loop.test", DNS_T_NS, "ns1.other.test");
		exchange(f, TLD, "ns1.loop.test", DNS_T_A, 1 + i, &r, 0);
	}
	engine_tick(f->e, 1700000000ULL * SEC + 15 * SEC);
	assert_null(find(f, "query_loop", "qname", "ns1.loop.test."));
	engine_tick(f->e, 1700000000ULL * SEC + 25 * SEC);
	assert_non_null(find(f, "query_loop", "count", "10"));
}

/* R2.1: BIND re-priming the root, ". NS" answered every time, is no loop. */
static void
query_loop_not_repriming_root(void **state)
{
	struct fx	*f = *state;
	struct mb	 r;
	int		 i;

	for (i = 0; i < 14; i++) {
		mb_start(&r, 0, QR | AA, ".", DNS_T_NS);
		mb_rr(&r, 1, ".", DNS_T_NS, "a.root-servers.net");
		exchange(f, ROOT, ".", DNS_T_NS, 1 + i * 2, &r, 0);
	}
	engine_end(f->e);
	assert_null(find(f, "query_loop", NULL, NULL));
}

/*
 * R2.1: "test. A" asked again and again to revalidate the delegation,
 * the root referring and the test. server answering NODATA: no loop.
 */
static void
query_loop_not_revalidating(void **state)
{
	struct fx	*f = *state;
	struct mb	 r;
	int		 i;

	for (i = 0; i < 14; i++) {
		learn_test(f, "test", 1 + i * 2);
		mb_start(&r, 0, QR | AA, "test", DNS_T_A);
		mb_rr(&r, 2, "test", DNS_T_SOA, "ns1.test");
		exchange(f, TLD, "test", DNS_T_A, 1.5 + i * 2, &r, 0);
	}
	engine_end(f->e);
	assert_null(find(f, "query_loop", NULL, NULL));
}

/*
 * A question asked once is not given a counter until it is asked again;
 * what the first asking saw still counts, even an answer that arrives
 * after the second asking was sent: the first server answered, so every
 * later asking of it is a repeat, and the loop shows at the 11th asking
 * (with that answer lost, only at the 12th).
 */
static void
query_loop_first_answer_late_edge(void **state)
{
	struct fx	*f = *state;
	struct mb	 q, r;
	int		 i;

	learn_test(f, "x.test", 0);
	mb_start(&q, 901, 0, "ns1.loop.test", DNS_T_A);
	feed(f, &q, R, TLD, 39001, 53, 1, 0);
	mb_start(&q, 902, 0, "ns1.loop.test", DNS_T_A);
	feed(f, &q, R, "10.0.0.77", 39002, 53, 1.1, 0);
	mb_start(&r, 901, QR, "ns1.loop.test", DNS_T_A);
	mb_rr(&r, 2, "loop.test", DNS_T_NS, "ns1.other.test");
	feed(f, &r, TLD, R, 53, 39001, 1.2, 0);
	for (i = 3; i <= 11; i++) {
		mb_start(&r, 0, QR, "ns1.loop.test", DNS_T_A);
		mb_rr(&r, 2, "loop.test", DNS_T_NS, "ns1.other.test");
		exchange(f, TLD, "ns1.loop.test", DNS_T_A, 1 + i * 0.1, &r,
		    0);
		if (i == 10)
			assert_null(find(f, "query_loop", "qname",
			    "ns1.loop.test."));
	}
	engine_end(f->e);
	assert_non_null(find(f, "query_loop", "count", "11"));
}

/*
 * A list field that grows with every observation (the servers a looping
 * question was asked of) keeps every item: replaced values give their room
 * back instead of filling the finding's pool.
 */
static void
query_loop_servers_grow(void **state)
{
	struct fx	*f = *state;
	struct mb	 r;
	char		 srv[32];
	int		 i, k;

	learn_test(f, "x.test", 0);
	for (k = 0; k < 8; k++) {
		snprintf(srv, sizeof(srv), "10.0.7.%d", k + 1);
		for (i = 0; i < 10; i++) {
			mb_start(&r, 0, QR, "ns1.loop.test", DNS_T_A);
			mb_rr(&r, 2, "loop.test", DNS_T_NS, "ns1.other.test");
			exchange(f, srv, "ns1.loop.test", DNS_T_A,
			    1 + k + i * 0.05, &r, 0);
		}
	}
	assert_non_null(find(f, "query_loop", "servers", "10.0.7.1,10.0.7.2,"
	    "10.0.7.3,10.0.7.4,10.0.7.5,10.0.7.6,10.0.7.7,10.0.7.8"));
}

static void
query_loop_ping_pong(void **state)
{
	struct fx			*f = *state;
	struct mb			 r;
	const struct eng_finding	*fd, *cyc;
	int				 i;

	learn_test(f, "x.test", 0);
	/* TsuNAME: two NS names, each answered by a glueless referral. */
	for (i = 0; i < 5; i++) {
		mb_start(&r, 0, QR, "ns.a.test", DNS_T_A);
		mb_rr(&r, 2, "a.test", DNS_T_NS, "ns.b.test");
		exchange(f, TLD, "ns.a.test", DNS_T_A, 1 + i, &r, 0);
		if (i == 3)
			assert_null(find(f, "query_loop", "reason",
			    "ping_pong"));
		mb_start(&r, 0, QR, "ns.b.test", DNS_T_A);
		mb_rr(&r, 2, "b.test", DNS_T_NS, "ns.a.test");
		exchange(f, TLD, "ns.b.test", DNS_T_A, 1.5 + i, &r, 0);
	}
	mb_start(&r, 0, QR, "ns.a.test", DNS_T_A);
	mb_rr(&r, 2, "a.test", DNS_T_NS, "ns.b.test");
	exchange(f, TLD, "ns.a.test", DNS_T_A, 7, &r, 0);
	/* R2.1: shown once the lookups fail (given up at the end). */
	assert_null(find(f, "query_loop", "reason", "ping_pong"));
	engine_end(f->e);
	fd = find(f, "query_loop", "reason", "ping_pong");
	assert_non_null(fd);
	assert_non_null(find(f, "query_loop", "count", "2"));
	/*
	 * R2.2: the lookups failed on the cycle a.test <-> b.test, so the
	 * ping-pong, raised after they ended, is its consequence.
	 */
	cyc = find(f, "circular_delegation", NULL, NULL);
	assert_non_null(cyc);
	assert_int_equal(fd->caused_by, cyc->id);
	assert_int_equal(fd->sev, ENG_SEV_NOTICE);
}

/* R2.1: DS questions re-asked on a healthy signed chain: no ping-pong. */
static void
query_loop_no_ping_pong_when_answered(void **state)
{
	struct fx	*f = *state;
	struct mb	 r;
	int		 i;

	learn_test(f, "x.test", 0);
	for (i = 0; i < 7; i++) {
		mb_start(&r, 0, QR | AA, "a.test", DNS_T_DS);
		mb_rr(&r, 2, "test", DNS_T_SOA, "ns1.test");
		exchange(f, TLD, "a.test", DNS_T_DS, 1 + i, &r, 0);
		mb_start(&r, 0, QR | AA, "b.test", DNS_T_DS);
		mb_rr(&r, 2, "test", DNS_T_SOA, "ns1.test");
		exchange(f, TLD, "b.test", DNS_T_DS, 1.5 + i, &r, 0);
	}
	engine_end(f->e);
	assert_null(find(f, "query_loop", NULL, NULL));
}

static void
ns_name_nxdomain(void **state)
{
	struct fx	*f = *state;
	struct mb	 r;

	learn_test(f, "www.foo.test", 0);
	mb_start(&r, 0, QR, "www.foo.test", DNS_T_A);
	mb_rr(&r, 2, "foo.test", DNS_T_NS, "ghost.test");
	exchange(f, TLD, "www.foo.test", DNS_T_A, 1, &r, 0);
	mb_start(&r, 0, QR | AA | 3, "ghost.test", DNS_T_A);
	mb_rr(&r, 2, "test", DNS_T_SOA, "ns1.test");
	exchange(f, TLD, "ghost.test", DNS_T_A, 2, &r, 0);
	assert_int_equal(find(f, "ns_name_unresolvable", "reason",
	    "nxdomain")->sev, ENG_SEV_ERROR);
}

/* R2.1: a glued NS name whose server answered SERVFAIL needs no resolving. */
static void
ns_name_glued_servfail_is_quiet(void **state)
{
	struct fx	*f = *state;
	struct mb	 r;

	learn_test(f, "www.foo.test", 0);
	refer_foo(f, "ns2.foo.test", "10.0.1.1", "10.0.1.2", 1);
	mb_start(&r, 0, QR | 2, "ns2.foo.test", DNS_T_A);
	exchange(f, "10.0.1.2", "ns2.foo.test", DNS_T_A, 2, &r, 0);
	engine_end(f->e);
	assert_null(find(f, "ns_name_unresolvable", NULL, NULL));
}

/* foo.test. has ns1.foo.test (glued) and the glueless ns.other.example. */
static void
refer_foo_glueless(struct fx *f, double t)
{
	struct mb	 r;

	mb_start(&r, 0, QR, "www.foo.test", DNS_T_A);
	mb_rr(&r, 2, "foo.test", DNS_T_NS, "ns1.foo.test");
	mb_rr(&r, 2, "foo.test", DNS_T_NS, "ns.other.example");
	mb_rr(&r, 3, "ns1.foo.test", DNS_T_A, "10.0.1.1");
	exchange(f, TLD, "www.foo.test", DNS_T_A, t, &r, 0);
}

/* R2.1: "failed" only when the resolver's lookup of the name failed. */
static void
ns_name_failed_only_when_lookup_failed(void **state)
{
	struct fx	*f = *state;
	struct mb	 r;

	learn_test(f, "www.foo.test", 0);
	refer_foo_glueless(f, 1);
	/* One server fails the question, another answers it. */
	mb_start(&r, 0, QR | 2, "ns.other.example", DNS_T_A);
	exchange(f, "10.0.9.1", "ns.other.example", DNS_T_A, 2, &r, 0);
	assert_null(find(f, "ns_name_unresolvable", NULL, NULL));
	mb_start(&r, 0, QR | AA, "ns.other.example", DNS_T_A);
	mb_rr(&r, 1, "ns.other.example", DNS_T_A, "10.0.9.9");
	exchange(f, "10.0.9.2", "ns.other.example", DNS_T_A, 2.1, &r, 0);
	engine_end(f->e);
	assert_null(find(f, "ns_name_unresolvable", NULL, NULL));
}

/* R2.1: the lookup of an NS name failing, while others resolve: error. */
static void
ns_name_lookup_failed_is_error(void **state)
{
	struct fx			*f = *state;
	struct mb			 r;
	const struct eng_finding	*fd;

	learn_test(f, "www.foo.test", 0);
	refer_foo_glueless(f, 1);
	mb_start(&r, 0, QR | 2, "ns.other.example", DNS_T_A);
	exchange(f, "10.0.9.1", "ns.other.example", DNS_T_A, 2, &r, 0);
	assert_null(find(f, "ns_name_unresolvable", NULL, NULL));
	engine_end(f->e);
	fd = find(f, "ns_name_unresolvable", "reason", "failed");
	assert_non_null(fd);
	assert_int_equal(fd->sev, ENG_SEV_ERROR);
	assert_true(has(fd, "ns", "ns.other.example."));
	assert_true(has(fd, "zone", "foo.test."));
}

/* R2.1: an NS name that is a CNAME is an error (DELEGATION05). */
static void
ns_name_cname_is_error(void **state)
{
	struct fx	*f = *state;
	struct mb	 r;

	learn_test(f, "www.foo.test", 0);
	refer_foo_glueless(f, 1);
	mb_start(&r, 0, QR | AA, "ns.other.example", DNS_T_A);
	mb_rr(&r, 1, "ns.other.example", DNS_T_CNAME, "host.other.example");
	exchange(f, "10.0.9.1", "ns.other.example", DNS_T_A, 2, &r, 0);
	assert_int_equal(find(f, "ns_name_unresolvable", "reason",
	    "cname")->sev, ENG_SEV_ERROR);
}

static void
healthy_delegation_is_quiet(void **state)
{
	struct fx	*f = *state;
	struct mb	 r;

	learn_test(f, "www.ok.test", 0);
	mb_start(&r, 0, QR, "www.ok.test", DNS_T_A);
	mb_rr(&r, 2, "ok.test", DNS_T_NS, "ns1.ok.test");
	mb_rr(&r, 2, "ok.test", DNS_T_NS, "ns2.ok.test");
	mb_rr(&r, 3, "ns1.ok.test", DNS_T_A, "10.0.3.1");
	mb_rr(&r, 3, "ns2.ok.test", DNS_T_A, "10.0.3.2");
	exchange(f, TLD, "www.ok.test", DNS_T_A, 1, &r, 0);
	mb_start(&r, 0, QR | AA, "www.ok.test", DNS_T_A);
	mb_rr(&r, 1, "www.ok.test", DNS_T_A, "10.0.4.4");
	mb_rr(&r, 2, "ok.test", DNS_T_NS, "ns1.ok.test");
	mb_rr(&r, 2, "ok.test", DNS_T_NS, "ns2.ok.test");
	exchange(f, "10.0.3.1", "www.ok.test", DNS_T_A, 2, &r, 0);
	engine_end(f->e);
	assert_true(worst(f) >= ENG_SEV_INFO);
	assert_int_equal(engine_counters(f->e)->matched, 3);
	assert_int_equal(engine_counters(f->e)->lookups_failed, 0);
}

static void
pairing_and_unsolicited(void **state)
{
	struct fx			*f = *state;
	struct mb			 q, r;
	const struct engine_counters	*c;

	mb_start(&q, 9, 0, "a.test", DNS_T_A);
	feed(f, &q, R, TLD, 7000, 53, 1, 0);
	feed(f, &q, R, TLD, 7000, 53, 1.5, 0);	/* retransmission */
	mb_start(&r, 9, QR, "b.test", DNS_T_A);	/* other question */
	feed(f, &r, TLD, R, 53, 7000, 1.6, 0);
	mb_start(&r, 9, QR, "a.test", DNS_T_A);
	feed(f, &r, TLD, R, 53, 7000, 1.7, 0);
	feed(f, &r, TLD, R, 53, 7000, 1.8, 0);	/* duplicate */
	c = engine_counters(f->e);
	assert_int_equal(c->retransmits, 1);
	assert_int_equal(c->mismatched, 1);
	assert_int_equal(c->matched, 1);
	assert_int_equal(c->unsolicited, 1);
}

static void
out_of_bailiwick_glue(void **state)
{
	struct fx			*f = *state;
	struct mb			 r;
	const struct eng_finding	*fd;

	learn_test(f, "www.foo.test", 0);
	mb_start(&r, 0, QR, "www.foo.test", DNS_T_A);
	mb_rr(&r, 2, "foo.test", DNS_T_NS, "ns1.example.net");
	mb_rr(&r, 3, "ns1.example.net", DNS_T_A, "192.0.2.66");
	exchange(f, TLD, "www.foo.test", DNS_T_A, 1, &r, 0);
	fd = find(f, "out_of_bailiwick_data", "owner", "ns1.example.net.");
	assert_non_null(fd);
	assert_int_equal(fd->sev, ENG_SEV_WARNING);
	assert_non_null(find(f, "out_of_bailiwick_data", "zone", "test."));
	/* in-bailiwick glue is not flagged */
	assert_null(find(f, "out_of_bailiwick_data", "owner", "ns1.test."));
}

static void
referral_revisit_after_entering(void **state)
{
	struct fx	*f = *state;
	struct mb	 r, q;

	learn_test(f, "www.foo.test", 0);
	mb_start(&r, 0, QR, "www.foo.test", DNS_T_A);
	mb_rr(&r, 2, "foo.test", DNS_T_NS, "ns1.foo.test");
	mb_rr(&r, 3, "ns1.foo.test", DNS_T_A, "10.0.1.1");
	exchange(f, TLD, "www.foo.test", DNS_T_A, 1, &r, 0);
	assert_null(find(f, "referral_revisit", NULL, NULL));
	/* the lookup enters foo.test (its server does not answer) ... */
	mb_start(&q, 300, 0, "www.foo.test", DNS_T_A);
	feed(f, &q, R, "10.0.1.1", 9000, 53, 2, 0);
	/* ... and the parent sends it back to foo.test */
	mb_start(&r, 0, QR, "www.foo.test", DNS_T_A);
	mb_rr(&r, 2, "foo.test", DNS_T_NS, "ns1.foo.test");
	mb_rr(&r, 3, "ns1.foo.test", DNS_T_A, "10.0.1.1");
	exchange(f, TLD, "www.foo.test", DNS_T_A, 3, &r, 0);
	assert_non_null(find(f, "referral_revisit", "zone", "foo.test."));
}

/*
 * A resolver that asks the root again starts its descent over (pdns does,
 * for a glueless NS name): being referred to zones it passed before is no
 * revisit.
 */
static void
referral_revisit_not_after_root_restart(void **state)
{
	struct fx	*f = *state;
	struct mb	 r, q;

	mb_start(&r, 0, QR | AA, ".", DNS_T_NS);
	mb_rr(&r, 1, ".", DNS_T_NS, "a.root.test");
	mb_rr(&r, 3, "a.root.test", DNS_T_A, ROOT);
	exchange(f, ROOT, ".", DNS_T_NS, 0, &r, 0);
	learn_test(f, "www.foo.test", 1);
	mb_start(&r, 0, QR, "www.foo.test", DNS_T_A);
	mb_rr(&r, 2, "foo.test", DNS_T_NS, "ns1.foo.test");
	mb_rr(&r, 3, "ns1.foo.test", DNS_T_A, "10.0.1.1");
	exchange(f, TLD, "www.foo.test", DNS_T_A, 2, &r, 0);
	/* the lookup enters foo.test (its server does not answer) ... */
	mb_start(&q, 300, 0, "www.foo.test", DNS_T_A);
	feed(f, &q, R, "10.0.1.1", 9000, 53, 3, 0);
	/* ... and the resolver starts again from the root */
	learn_test(f, "www.foo.test", 4);
	exchange(f, TLD, "www.foo.test", DNS_T_A, 5, &r, 0);
	assert_null(find(f, "referral_revisit", NULL, NULL));
}

static void
capture_health_drops_and_one_way(void **state)
{
	struct fx		*f = *state;
	struct eng_health	 h;
	struct mb		 q;
	int			 i;

	engine_end(f->e);
	assert_null(find(f, "capture_health", NULL, NULL));
	for (i = 0; i < 10; i++) {
		mb_start(&q, 400 + (unsigned)i, 0, "x.test", DNS_T_A);
		feed(f, &q, R, TLD, 9100 + (unsigned)i, 53, 1 + i * 0.01, 0);
	}
	memset(&h, 0, sizeof(h));
	h.pcap_drop = 7;
	engine_set_health(f->e, &h);
	engine_end(f->e);
	assert_non_null(find(f, "capture_health", "dropped", "7"));
	assert_non_null(find(f, "capture_health", "one_way", "true"));
	assert_int_equal(find(f, "capture_health", NULL, NULL)->sev,
	    ENG_SEV_WARNING);
}

static void
tables_are_bounded(void **state)
{
	struct fx		*f = *state;
	struct engine_conf	 c;
	struct mb		 q;
	char			 name[64];
	int			 i, k;

	engine_destroy(f->e);
	memset(&c, 0, sizeof(c));
	c.root_hints = "-";
	c.max_pending = 100;
	c.max_lookups = 50;
	c.max_repeats = 50;
	f->e = engine_create(&c);
	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "r%d.flood.test", i);
		mb_start(&q, (unsigned)i, 0, name, DNS_T_A);
		feed(f, &q, R, TLD, 1024 + (unsigned)i, 53, 1, 0);
	}
	assert_int_equal(engine_counters(f->e)->evict_pending, 900);
	/*
	 * A lookup or a repeat counter with a query still waiting is in use
	 * and is not evicted: the table may hold up to max_pending more than
	 * its cap, never more.
	 */
	assert_in_range(engine_counters(f->e)->evict_lookups, 1000 - 50 - 100,
	    950);
	assert_true(engine_counters(f->e)->over_cap > 0);
	/* Questions asked once get no repeat counter at all. */
	assert_int_equal(engine_counters(f->e)->evict_repeats, 0);
	/* Asked twice, each gets one, and they go at the cap. */
	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "s%d.flood.test", i);
		for (k = 0; k < 2; k++) {
			mb_start(&q, (unsigned)i, 0, name, DNS_T_A);
			feed(f, &q, R, TLD, 20000 + 2 * (unsigned)i +
			    (unsigned)k, 53, 2, 0);
		}
	}
	assert_in_range(engine_counters(f->e)->evict_repeats, 1000 - 50 - 100,
	    950);
}

/* The referral of foo.test to ns1 (10.0.1.1) and, if two, ns2 (10.0.1.2). */
static void
refer_foo_q(struct fx *f, const char *q, int two, double t)
{
	struct mb	 r;

	mb_start(&r, 0, QR, q, DNS_T_A);
	mb_rr(&r, 2, "foo.test", DNS_T_NS, "ns1.foo.test");
	if (two)
		mb_rr(&r, 2, "foo.test", DNS_T_NS, "ns2.foo.test");
	mb_rr(&r, 3, "ns1.foo.test", DNS_T_A, "10.0.1.1");
	if (two)
		mb_rr(&r, 3, "ns2.foo.test", DNS_T_A, "10.0.1.2");
	exchange(f, TLD, q, DNS_T_A, t, &r, 0);
}

/* Five queries to server s at times t..t+4, never answered. */
static void
five_timeouts(struct fx *f, const char *s, double t)
{
	struct mb	 q;
	int		 i;

	for (i = 0; i < 5; i++) {
		f->id++;
		mb_start(&q, f->id, 0, "www.foo.test", DNS_T_A);
		feed(f, &q, R, s, 20000 + f->id, 53, t + i, 0);
	}
	engine_tick(f->e, 1700000000ULL * SEC + (uint64_t)(t + 20) * SEC);
}

/*
 * R2.2: a server_unresponsive raised before its zone is unreachable is
 * linked when the zone_unreachable comes, and drops to notice; the other
 * server's, raised with it, too.
 */
static void
cause_after_consequence(void **state)
{
	struct fx			*f = *state;
	const struct eng_finding	*u, *a, *b;

	learn_test(f, "www.foo.test", 0);
	refer_foo_q(f, "www.foo.test", 1, 1);
	refer_foo_q(f, "www.foo.test", 1, 1.5);
	refer_foo_q(f, "www.foo.test", 2, 2);
	five_timeouts(f, "10.0.1.1", 3);
	a = find(f, "server_unresponsive", "server", "10.0.1.1");
	assert_non_null(a);
	assert_int_equal(a->sev, ENG_SEV_WARNING);
	assert_int_equal(a->caused_by, 0);
	assert_null(find(f, "zone_unreachable", NULL, NULL));
	five_timeouts(f, "10.0.1.2", 30);
	u = find(f, "zone_unreachable", "zone", "foo.test.");
	a = find(f, "server_unresponsive", "server", "10.0.1.1");
	b = find(f, "server_unresponsive", "server", "10.0.1.2");
	assert_non_null(u);
	assert_non_null(b);
	assert_int_equal(u->sev, ENG_SEV_CRITICAL);
	assert_int_equal(a->caused_by, u->id);
	assert_int_equal(b->caused_by, u->id);
	assert_int_equal(a->sev, ENG_SEV_NOTICE);
	assert_int_equal(b->sev, ENG_SEV_NOTICE);
	assert_ptr_equal(engine_finding_cause(f->e, a), u);
	assert_int_equal(u->nconsequences, 2);
	assert_true(engine_finding_is_root(u));
	assert_false(engine_finding_is_root(a));
	/* More timeouts do not raise a linked consequence again. */
	five_timeouts(f, "10.0.1.1", 60);
	a = find(f, "server_unresponsive", "server", "10.0.1.1");
	assert_int_equal(a->sev, ENG_SEV_NOTICE);
}

/*
 * R2.2: the lame server is found first; the lookup is then sent back to
 * foo.test (referral_revisit) and fails: the revisit is linked to the
 * lame delegation when the lookup ends, and the lame delegation counts
 * one failed lookup and the two queries sent to the lame server.
 */
static void
cause_before_consequence(void **state)
{
	struct fx			*f = *state;
	struct mb			 r;
	const struct eng_finding	*lame, *rv;

	learn_test(f, "www.foo.test", 0);
	refer_foo_q(f, "www.foo.test", 0, 1);
	mb_start(&r, 0, QR | 5, "www.foo.test", DNS_T_A);
	exchange(f, "10.0.1.1", "www.foo.test", DNS_T_A, 2, &r, 0);
	lame = find(f, "lame_delegation", "server", "10.0.1.1");
	assert_non_null(lame);
	refer_foo_q(f, "www.foo.test", 0, 3);
	rv = find(f, "referral_revisit", "zone", "foo.test.");
	assert_non_null(rv);
	assert_int_equal(rv->caused_by, 0);
	assert_int_equal(rv->sev, ENG_SEV_ERROR);
	mb_start(&r, 0, QR | 5, "www.foo.test", DNS_T_A);
	exchange(f, "10.0.1.1", "www.foo.test", DNS_T_A, 4, &r, 0);
	engine_end(f->e);
	lame = find(f, "lame_delegation", "server", "10.0.1.1");
	rv = find(f, "referral_revisit", "zone", "foo.test.");
	assert_int_equal(rv->caused_by, lame->id);
	assert_int_equal(rv->sev, ENG_SEV_NOTICE);
	assert_int_equal(lame->nconsequences, 1);
	assert_int_equal(lame->impact.lookups_failed, 1);
	assert_int_equal(lame->impact.lookups_slowed, 0);
	assert_int_equal(lame->impact.queries_spent, 2);
	assert_int_equal(lame->impact.clients, 0);	/* no client seen */
}

/*
 * R2.2 impact: a client's lookup answered after a lame answer is slowed,
 * not failed, and its client is counted once over two lookups.
 */
static void
impact_slowed_and_clients(void **state)
{
	struct fx			*f = *state;
	struct mb			 r, q;
	const struct eng_finding	*lame;
	int				 i;

	for (i = 0; i < 2; i++) {
		mb_start(&q, 700 + i, 0x0100, "www.foo.test", DNS_T_A);
		feed(f, &q, "10.9.9.9", R, 5000 + i, 53, 10 * i, 0);
		learn_test(f, "www.foo.test", 10 * i + 0.1);
		refer_foo_q(f, "www.foo.test", 1, 10 * i + 1);
		mb_start(&r, 0, QR | 5, "www.foo.test", DNS_T_A);
		exchange(f, "10.0.1.1", "www.foo.test", DNS_T_A, 10 * i + 2,
		    &r, 0);
		mb_start(&r, 0, QR | AA, "www.foo.test", DNS_T_A);
		mb_rr(&r, 1, "www.foo.test", DNS_T_A, "10.0.2.2");
		exchange(f, "10.0.1.2", "www.foo.test", DNS_T_A, 10 * i + 3,
		    &r, 0);
		mb_start(&r, 700 + i, QR | RA | 0x0100, "www.foo.test",
		    DNS_T_A);
		mb_rr(&r, 1, "www.foo.test", DNS_T_A, "10.0.2.2");
		feed(f, &r, R, "10.9.9.9", 53, 5000 + i, 10 * i + 4, 0);
	}
	lame = find(f, "lame_delegation", "server", "10.0.1.1");
	assert_non_null(lame);
	assert_int_equal(lame->impact.lookups_failed, 0);
	assert_int_equal(lame->impact.lookups_slowed, 2);
	assert_int_equal(lame->impact.queries_spent, 2);
	assert_int_equal(lame->impact.clients, 1);
}

/*
 * R2.2: bar.test's only NS, ns1.foo.test, cannot be resolved because
 * foo.test's server answers SERVFAIL: the ns_name_unresolvable "failed"
 * is a consequence of the lame delegation of foo.test, with no fix of its
 * own.
 */
static void
nsname_failed_is_a_consequence(void **state)
{
	struct fx			*f = *state;
	struct mb			 r;
	const struct eng_finding	*lame, *d8;
	char				 fix[256];

	learn_test(f, "www.bar.test", 0);
	mb_start(&r, 0, QR, "www.bar.test", DNS_T_A);
	mb_rr(&r, 2, "bar.test", DNS_T_NS, "ns1.foo.test");
	exchange(f, TLD, "www.bar.test", DNS_T_A, 1, &r, 0);
	refer_foo_q(f, "ns1.foo.test", 0, 2);
	mb_start(&r, 0, QR | 2, "ns1.foo.test", DNS_T_A);
	exchange(f, "10.0.1.1", "ns1.foo.test", DNS_T_A, 3, &r, 0);
	/* R2.1: "failed" is known when the name's own lookup ends failed. */
	engine_end(f->e);
	lame = find(f, "lame_delegation", "zone", "foo.test.");
	d8 = find(f, "ns_name_unresolvable", "reason", "failed");
	assert_non_null(lame);
	assert_non_null(d8);
	assert_int_equal(d8->caused_by, lame->id);
	assert_int_equal(d8->sev, ENG_SEV_NOTICE);
	assert_false(engine_finding_is_root(d8));
	assert_int_equal(fmt_fix(d8, fix, sizeof(fix)), 0);
	assert_true(engine_finding_is_root(lame));
}

/*
 * R2.2: when the root cause is evicted from the findings table, the link
 * goes with it: the consequence shows its own severity again.
 */
static void
cause_evicted_link_goes(void **state)
{
	struct fx			*f = *state;
	struct engine_conf		 c;
	struct mb			 r, q;
	const struct eng_finding	*rv;
	char				 src[32];
	int				 i;

	engine_destroy(f->e);
	memset(&c, 0, sizeof(c));
	c.root_hints = "-";
	c.max_findings = 6;
	f->e = engine_create(&c);
	cause_before_consequence(state);
	/* A new lookup revisits foo.test (its query unanswered): the
	 * revisit is the newer of the two findings now. */
	refer_foo_q(f, "www.foo.test", 0, 10);
	mb_start(&q, 900, 0, "www.foo.test", DNS_T_A);
	feed(f, &q, R, "10.0.1.1", 9900, 53, 11, 0);
	refer_foo_q(f, "www.foo.test", 0, 12);
	rv = find(f, "referral_revisit", "zone", "foo.test.");
	assert_non_null(rv);
	assert_int_not_equal(rv->caused_by, 0);
	/* Five new findings fill the table: the lame delegation goes. */
	for (i = 0; i < 5; i++) {
		snprintf(src, sizeof(src), "10.0.9.%d", i + 1);
		mb_start(&r, 0, QR, "x.test", DNS_T_A);
		feed(f, &r, src, R, 53, 7000, 13 + i, 0);
	}
	assert_null(find(f, "lame_delegation", NULL, NULL));
	rv = find(f, "referral_revisit", "zone", "foo.test.");
	assert_non_null(rv);
	assert_int_equal(rv->caused_by, 0);
	assert_null(engine_finding_cause(f->e, rv));
	assert_int_equal(rv->sev, ENG_SEV_ERROR);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(x) cmocka_unit_test_setup_teardown(x, setup, teardown)
		T(glue_missing_in_domain_critical),
		T(glue_missing_one_finding_per_zone),
		T(glue_for_one_of_two_is_error),
		T(glue_in_other_case_counts),
		T(glue_missing_sibling),
		T(glue_dropped_without_tc_at_the_limit),
		T(referral_size_over_512),
		T(truncated_referral_outcomes),
		T(truncated_referral_child_from_tcp),
		T(truncated_referral_child_from_map),
		T(circular_delegation_full_and_partial),
		T(circular_delegation_partial),
		T(circular_delegation_structural_partial),
		T(circular_delegation_counts_referrals),
		T(circular_delegation_oob_glue_is_no_escape),
		T(lame_refused_one_of_two),
		T(lame_not_auth_and_upward),
		T(server_unresponsive_at_five),
		T(server_unresponsive_udp_then_tcp),
		T(server_unresponsive_tcp_closed),
		T(server_unresponsive_given_up_on),
		T(server_unresponsive_udp_then_rst),
		T(server_one_timeout_is_not_unresponsive),
		T(query_loop_at_k_rep),
		T(query_loop_shown_by_time),
		T(query_loop_not_repriming_root),
		T(query_loop_not_revalidating),
		T(query_loop_first_answer_late_edge),
		T(query_loop_servers_grow),
		T(query_loop_ping_pong),
		T(query_loop_no_ping_pong_when_answered),
		T(ns_name_nxdomain),
		T(ns_name_glued_servfail_is_quiet),
		T(ns_name_failed_only_when_lookup_failed),
		T(ns_name_lookup_failed_is_error),
		T(ns_name_cname_is_error),
		T(ns_set_mismatch_parent_only_is_error),
		T(glue_mismatch_is_error),
		T(healthy_delegation_is_quiet),
		T(pairing_and_unsolicited),
		T(out_of_bailiwick_glue),
		T(referral_revisit_after_entering),
		T(referral_revisit_not_after_root_restart),
		T(capture_health_drops_and_one_way),
		T(tables_are_bounded),
		T(cause_after_consequence),
		T(cause_before_consequence),
		T(impact_slowed_and_clients),
		T(nsname_failed_is_a_consequence),
		T(cause_evicted_link_goes),
		cmocka_unit_test(fix_sentences),
		cmocka_unit_test(fix_long_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
