/*
 * test_input.c -- input/dnstap's feed on hand-made dnstap payloads.
 *
 * Payloads are packed with protobuf-c from the schema's generated code and
 * fed to a dt_feed; what it hands on is recorded.  Covered: the mapping of
 * each side (resolver, client, authoritative) to source and destination,
 * RD cleared on resolver queries, pairing by (peer, ID, QNAME, QTYPE) that
 * gives a response its query's ports (unbound's wrong port, port 0 over
 * TCP), a response never before its query, time order within the window,
 * the tie order at one time (BIND), query_zone (kept, lower-cased, or
 * dropped when malformed), skipped and non-dnstap payloads, the hold cap.
 * Links libglueinput.a, libgluedecode.a, libglueutil.a, libfstrm and
 * libprotobuf-c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/dns.h"
#include "input/dnstap.h"
#include "input/dnstap.pb-c.h"

#define GOT_MAX	64

/* What the feed handed on. */
struct got {
	struct dt_msg	 m[GOT_MAX];
	int		 rd[GOT_MAX];
	int		 haszone[GOT_MAX];
	struct dns_name	 zone[GOT_MAX];
	int		 n;
};

static const uint8_t RES[4] = { 127, 53, 200, 1 };	/* the resolver */
static const uint8_t SRV[4] = { 127, 53, 1, 1 };	/* a server */
static const uint8_t CLI[4] = { 127, 53, 250, 1 };	/* a client */

/* Record a message (its pointers die with the callback). */
static void
on_msg(void *arg, const struct dt_msg *m)
{
	struct got	*g = arg;

	assert_true(g->n < GOT_MAX);
	g->m[g->n] = *m;
	g->m[g->n].data = NULL;
	g->m[g->n].msg = NULL;
	g->rd[g->n] = m->msg->hdr.rd;
	g->haszone[g->n] = m->zone != NULL;
	if (m->zone != NULL)
		g->zone[g->n] = *m->zone;
	g->n++;
}

/* A DNS message: ID, QR, RD, and the question www.Test. A. */
static size_t
dns_make(uint8_t *b, uint16_t id, int qr, int rd)
{
	static const uint8_t q[] = { 3, 'w', 'w', 'w', 4, 'T', 'e', 's', 't',
	    0, 0, 1, 0, 1 };

	memset(b, 0, 12);
	b[0] = (uint8_t)(id >> 8);
	b[1] = (uint8_t)id;
	b[2] = (uint8_t)((qr ? 0x80 : 0) | (rd ? 0x01 : 0));
	b[5] = 1;		/* qdcount */
	memcpy(b + 12, q, sizeof(q));
	return 12 + sizeof(q);
}

/*
 * Feed one payload: type, ports (initiator, responder), ID, time in
 * milliseconds, TCP, a zone (wire form, length) or NULL.  The addresses
 * follow the type: the resolver asks the server, a client asks the
 * resolver, the resolver asks an authoritative (SRV here).
 */
static int
feed(struct dt_feed *f, int type, uint16_t iport, uint16_t rport,
    uint16_t id, uint64_t ms, int tcp, const uint8_t *zone, size_t zlen)
{
	Dnstap__Dnstap	 d = DNSTAP__DNSTAP__INIT;
	Dnstap__Message	 m = DNSTAP__MESSAGE__INIT;
	uint8_t		 wire[64], buf[512];
	size_t		 wl, len;
	int		 q = type % 2 == 1;
	const uint8_t	*ia = type == DT_CLIENT_QUERY ||
	    type == DT_CLIENT_RESPONSE ? CLI : RES;
	const uint8_t	*ra = ia == CLI ? RES : SRV;

	wl = dns_make(wire, id, !q, type == DT_CLIENT_QUERY ||
	    type == DT_RESOLVER_QUERY);
	d.type = DNSTAP__DNSTAP__TYPE__MESSAGE;
	d.message = &m;
	m.type = (Dnstap__Message__Type)type;
	m.has_socket_family = 1;
	m.socket_family = DNSTAP__SOCKET_FAMILY__INET;
	m.has_socket_protocol = 1;
	m.socket_protocol = tcp ? DNSTAP__SOCKET_PROTOCOL__TCP :
	    DNSTAP__SOCKET_PROTOCOL__UDP;
	m.has_query_address = m.has_response_address = 1;
	m.query_address.data = (uint8_t *)(uintptr_t)ia;
	m.query_address.len = 4;
	m.response_address.data = (uint8_t *)(uintptr_t)ra;
	m.response_address.len = 4;
	m.has_query_port = m.has_response_port = 1;
	m.query_port = iport;
	m.response_port = rport;
	if (q) {
		m.has_query_time_sec = m.has_query_time_nsec = 1;
		m.query_time_sec = 1000 + ms / 1000;
		m.query_time_nsec = (uint32_t)(ms % 1000) * 1000000;
		m.has_query_message = 1;
		m.query_message.data = wire;
		m.query_message.len = wl;
	} else {
		m.has_response_time_sec = m.has_response_time_nsec = 1;
		m.response_time_sec = 1000 + ms / 1000;
		m.response_time_nsec = (uint32_t)(ms % 1000) * 1000000;
		m.has_response_message = 1;
		m.response_message.data = wire;
		m.response_message.len = wl;
	}
	if (zone != NULL) {
		m.has_query_zone = 1;
		m.query_zone.data = (uint8_t *)(uintptr_t)zone;
		m.query_zone.len = zlen;
	}
	len = dnstap__dnstap__get_packed_size(&d);
	assert_true(len <= sizeof(buf));
	dnstap__dnstap__pack(&d, buf);
	return dt_feed_frame(f, buf, len);
}

/* Milliseconds after the tests' epoch, in nanoseconds. */
static uint64_t
at(uint64_t ms)
{
	return 1000 * 1000000000ull + ms * 1000000ull;
}

/* Resolver side: upstream, RD cleared; the response goes back. */
static void
resolver_mapping_valid(void **state)
{
	struct got	 g = { .n = 0 };
	struct dt_feed	*f = dt_feed_create(on_msg, &g);

	(void)state;
	assert_int_equal(feed(f, DT_RESOLVER_QUERY, 4000, 53, 7, 0, 0, NULL,
	    0), 0);
	assert_int_equal(feed(f, DT_RESOLVER_RESPONSE, 4000, 53, 7, 2, 0, NULL,
	    0), 0);
	dt_feed_flush(f);
	assert_int_equal(g.n, 2);
	assert_memory_equal(g.m[0].src, RES, 4);
	assert_memory_equal(g.m[0].dst, SRV, 4);
	assert_int_equal(g.m[0].sport, 4000);
	assert_int_equal(g.m[0].dport, 53);
	assert_int_equal(g.rd[0], 0);
	assert_int_equal(g.m[0].family, 4);
	assert_int_equal(g.m[0].ts_ns, at(0));
	assert_memory_equal(g.m[1].src, SRV, 4);
	assert_memory_equal(g.m[1].dst, RES, 4);
	assert_int_equal(g.m[1].sport, 53);
	assert_int_equal(g.m[1].dport, 4000);
	assert_int_equal(g.m[1].ts_ns, at(2));
	assert_int_equal(dt_feed_stats(f)->repaired, 0);
	dt_feed_destroy(f);
}

/* Client side: the client asks the resolver, RD kept. */
static void
client_mapping_valid(void **state)
{
	struct got	 g = { .n = 0 };
	struct dt_feed	*f = dt_feed_create(on_msg, &g);

	(void)state;
	feed(f, DT_CLIENT_QUERY, 5353, 53, 9, 0, 0, NULL, 0);
	feed(f, DT_CLIENT_RESPONSE, 5353, 53, 9, 5, 0, NULL, 0);
	dt_feed_flush(f);
	assert_int_equal(g.n, 2);
	assert_memory_equal(g.m[0].src, CLI, 4);
	assert_memory_equal(g.m[0].dst, RES, 4);
	assert_int_equal(g.rd[0], 1);
	assert_memory_equal(g.m[1].src, RES, 4);
	assert_memory_equal(g.m[1].dst, CLI, 4);
	assert_int_equal(g.m[1].dport, 5353);
	dt_feed_destroy(f);
}

/* unbound's response with another query's port takes its own query's. */
static void
pair_wrong_port_edge(void **state)
{
	struct got	 g = { .n = 0 };
	struct dt_feed	*f = dt_feed_create(on_msg, &g);

	(void)state;
	feed(f, DT_RESOLVER_QUERY, 4000, 53, 7, 0, 0, NULL, 0);
	feed(f, DT_RESOLVER_QUERY, 4001, 53, 8, 0, 0, NULL, 0);
	feed(f, DT_RESOLVER_RESPONSE, 4001, 53, 7, 1, 0, NULL, 0);
	feed(f, DT_RESOLVER_RESPONSE, 4000, 53, 8, 1, 0, NULL, 0);
	dt_feed_flush(f);
	assert_int_equal(g.n, 4);
	assert_int_equal(g.m[2].dport, 4000);	/* ID 7 */
	assert_int_equal(g.m[3].dport, 4001);	/* ID 8 */
	assert_int_equal(dt_feed_stats(f)->repaired, 2);
	dt_feed_destroy(f);
}

/* Port 0 over TCP on both: paired, TCP kept. */
static void
pair_tcp_port0_edge(void **state)
{
	struct got	 g = { .n = 0 };
	struct dt_feed	*f = dt_feed_create(on_msg, &g);

	(void)state;
	feed(f, DT_RESOLVER_QUERY, 0, 53, 7, 0, 1, NULL, 0);
	feed(f, DT_RESOLVER_RESPONSE, 0, 53, 7, 3, 1, NULL, 0);
	dt_feed_flush(f);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.m[1].tcp, 1);
	assert_int_equal(g.m[1].dport, 0);
	assert_int_equal(g.m[1].sport, 53);
	dt_feed_destroy(f);
}

/* A response stamped before its query is handed on after it. */
static void
response_before_query_edge(void **state)
{
	struct got	 g = { .n = 0 };
	struct dt_feed	*f = dt_feed_create(on_msg, &g);

	(void)state;
	feed(f, DT_RESOLVER_QUERY, 4000, 53, 7, 10, 0, NULL, 0);
	feed(f, DT_RESOLVER_RESPONSE, 4000, 53, 7, 8, 0, NULL, 0);
	dt_feed_flush(f);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.m[0].type, DT_RESOLVER_QUERY);
	assert_int_equal(g.m[1].ts_ns, at(10));
	dt_feed_destroy(f);
}

/* A log out of time order comes out in order; one past the window late. */
static void
reorder_window_valid(void **state)
{
	struct got	 g = { .n = 0 };
	struct dt_feed	*f = dt_feed_create(on_msg, &g);

	(void)state;
	feed(f, DT_CLIENT_QUERY, 1, 53, 1, 30, 0, NULL, 0);
	feed(f, DT_CLIENT_QUERY, 2, 53, 2, 10, 0, NULL, 0);
	feed(f, DT_CLIENT_QUERY, 3, 53, 3, 20, 0, NULL, 0);
	assert_int_equal(g.n, 0);		/* all within the window */
	feed(f, DT_CLIENT_QUERY, 4, 53, 4, 2000, 0, NULL, 0);
	assert_int_equal(g.n, 3);		/* the window passed them */
	assert_int_equal(g.m[0].sport, 2);
	assert_int_equal(g.m[1].sport, 3);
	assert_int_equal(g.m[2].sport, 1);
	feed(f, DT_CLIENT_QUERY, 5, 53, 5, 5, 0, NULL, 0);	/* late */
	dt_feed_flush(f);
	assert_int_equal(g.n, 5);
	assert_int_equal(g.m[3].sport, 5);
	assert_int_equal(g.m[3].ts_ns, at(5));	/* its own time */
	assert_int_equal(dt_feed_stats(f)->late, 1);
	dt_feed_destroy(f);
}

/* At one time (BIND): client query, upstream work, client answer. */
static void
tie_order_edge(void **state)
{
	struct got	 g = { .n = 0 };
	struct dt_feed	*f = dt_feed_create(on_msg, &g);

	(void)state;
	feed(f, DT_CLIENT_RESPONSE, 5353, 53, 9, 0, 0, NULL, 0);
	feed(f, DT_RESOLVER_QUERY, 4000, 53, 7, 0, 0, NULL, 0);
	feed(f, DT_CLIENT_QUERY, 5353, 53, 9, 0, 0, NULL, 0);
	feed(f, DT_RESOLVER_RESPONSE, 4000, 53, 7, 0, 0, NULL, 0);
	dt_feed_flush(f);
	assert_int_equal(g.n, 4);
	assert_int_equal(g.m[0].type, DT_CLIENT_QUERY);
	assert_int_equal(g.m[1].type, DT_RESOLVER_QUERY);
	assert_int_equal(g.m[2].type, DT_RESOLVER_RESPONSE);
	assert_int_equal(g.m[3].type, DT_CLIENT_RESPONSE);
	dt_feed_destroy(f);
}

/* query_zone: kept in lower case; a malformed one is dropped. */
static void
query_zone_valid(void **state)
{
	static const uint8_t z[] = { 4, 'T', 'e', 's', 't', 0 };
	static const uint8_t bad[] = { 9, 'T', 'e', 's', 't', 0 };
	static const uint8_t noroot[] = { 4, 'T', 'e', 's', 't' };
	struct got	 g = { .n = 0 };
	struct dt_feed	*f = dt_feed_create(on_msg, &g);

	(void)state;
	feed(f, DT_RESOLVER_QUERY, 1, 53, 1, 0, 0, z, sizeof(z));
	feed(f, DT_RESOLVER_QUERY, 2, 53, 2, 1, 0, bad, sizeof(bad));
	feed(f, DT_RESOLVER_QUERY, 3, 53, 3, 2, 0, noroot, sizeof(noroot));
	feed(f, DT_RESOLVER_QUERY, 4, 53, 4, 3, 0, NULL, 0);
	dt_feed_flush(f);
	assert_int_equal(g.n, 4);
	assert_int_equal(g.haszone[0], 1);
	assert_int_equal(g.zone[0].len, 6);
	assert_int_equal(g.zone[0].nlabels, 1);
	assert_memory_equal(g.zone[0].wire, "\4test", 6);
	assert_int_equal(g.haszone[1], 0);
	assert_int_equal(g.haszone[2], 0);
	assert_int_equal(g.haszone[3], 0);
	dt_feed_destroy(f);
}

/* Not protobuf: -1 and counted; no message: skipped. */
static void
bad_payloads_malform(void **state)
{
	static const uint8_t junk[] = { 0x0a, 0x0a, 0x0a, 0xff, 0xff };
	Dnstap__Dnstap	 d = DNSTAP__DNSTAP__INIT;
	struct got	 g = { .n = 0 };
	struct dt_feed	*f = dt_feed_create(on_msg, &g);
	uint8_t		 buf[64];
	size_t		 len;

	(void)state;
	assert_int_equal(dt_feed_frame(f, junk, sizeof(junk)), -1);
	assert_int_equal(dt_feed_frame(f, junk, 0), -1);
	d.type = DNSTAP__DNSTAP__TYPE__MESSAGE;	/* but no message */
	len = dnstap__dnstap__pack(&d, buf);
	assert_int_equal(dt_feed_frame(f, buf, len), 0);
	dt_feed_flush(f);
	assert_int_equal(g.n, 0);
	assert_int_equal(dt_feed_stats(f)->bad, 2);
	assert_int_equal(dt_feed_stats(f)->skipped, 1);
	dt_feed_destroy(f);
}

/* More than DT_HOLD_MAX within the window: the oldest go out first. */
static void
hold_cap_edge(void **state)
{
	struct got	*g = calloc(1, sizeof(*g));
	struct dt_feed	*f = dt_feed_create(on_msg, g);
	int		 i;

	(void)state;
	for (i = 0; i < DT_HOLD_MAX + 3; i++) {
		if (g->n == GOT_MAX)
			g->n = 0;
		feed(f, DT_CLIENT_QUERY, (uint16_t)i, 53, (uint16_t)i, 0, 0,
		    NULL, 0);
	}
	assert_int_equal(dt_feed_stats(f)->messages, 3);
	dt_feed_destroy(f);	/* what is held is freed unsent */
	free(g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(resolver_mapping_valid),
		cmocka_unit_test(client_mapping_valid),
		cmocka_unit_test(pair_wrong_port_edge),
		cmocka_unit_test(pair_tcp_port0_edge),
		cmocka_unit_test(response_before_query_edge),
		cmocka_unit_test(reorder_window_valid),
		cmocka_unit_test(tie_order_edge),
		cmocka_unit_test(query_zone_valid),
		cmocka_unit_test(bad_payloads_malform),
		cmocka_unit_test(hold_cap_edge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
