/*
 * test_net.c -- capture/ on hand-made frames: link types, VLAN stacks,
 * IPv6 extension headers, fragments (in order, reversed, conflicting,
 * timed out), TCP framing (two messages in a segment, one over three
 * segments, out of order, retransmitted, mid-stream, lost) and the caps.
 * Links only the capture and util modules.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "capture/net.h"

#define SEC	1000000000ULL

struct got {
	int		n;
	int		tcp;
	int		events[8];
	size_t		len[16];
	uint8_t		flags[16];
	uint8_t		first[16];	/* first byte of each message */
};

static struct got	 got;
static struct cap_net	*net;

static void
sink(void *arg, const struct cap_msg *m)
{
	(void)arg;
	if (m->event != CAP_EV_DNS) {
		got.events[m->event]++;
		return;
	}
	if (got.n < 16) {
		got.len[got.n] = m->len;
		got.flags[got.n] = m->flags;
		got.first[got.n] = m->len ? m->data[0] : 0;
	}
	got.n++;
	got.tcp += m->transport == CAP_TRANSPORT_TCP;
}

static int
setup(void **state)
{
	struct cap_net_opts	 o;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.tcp_max_flows = 4;
	memset(&got, 0, sizeof(got));
	net = cap_net_create(&o, sink, NULL);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	cap_net_destroy(net);
	return 0;
}

/* A frame under construction. */
struct fb {
	uint8_t	 b[2048];
	size_t	 n;
};

static void
put(struct fb *f, const void *p, size_t n)
{
	if (n == 0)
		return;
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

static void
put16(struct fb *f, unsigned v)
{
	f->b[f->n++] = (uint8_t)(v >> 8);
	f->b[f->n++] = (uint8_t)v;
}

/* A 12-byte DNS header-ish payload of n bytes starting with tag. */
static void
dns(uint8_t *p, size_t n, uint8_t tag)
{
	memset(p, 0, n);
	p[0] = tag;
}

/* IPv4 header: proto, payload length, id, fragment word. */
static void
ipv4(struct fb *f, unsigned proto, size_t plen, unsigned id, unsigned frag)
{
	uint8_t	 h[20] = { 0x45, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0, 0,
	    10, 0, 0, 1, 10, 0, 0, 2 };

	h[2] = (uint8_t)((plen + 20) >> 8);
	h[3] = (uint8_t)(plen + 20);
	h[4] = (uint8_t)(id >> 8);
	h[5] = (uint8_t)id;
	h[6] = (uint8_t)(frag >> 8);
	h[7] = (uint8_t)frag;
	h[9] = (uint8_t)proto;
	put(f, h, 20);
}

static void
udp(struct fb *f, unsigned sport, unsigned dport, const uint8_t *p, size_t n)
{
	put16(f, sport);
	put16(f, dport);
	put16(f, (unsigned)n + 8);
	put16(f, 0);
	put(f, p, n);
}

static void
ether(struct fb *f, unsigned type, int vlans)
{
	static const uint8_t macs[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
	    12 };

	f->n = 0;
	put(f, macs, 12);
	while (vlans-- > 0) {
		put16(f, vlans % 2 ? 0x88a8 : 0x8100);
		put16(f, 100);
	}
	put16(f, type);
}

static void
feed(struct fb *f, int dlt, uint64_t ts)
{
	cap_net_packet(net, dlt, ts, f->b, (uint32_t)f->n, (uint32_t)f->n);
}

static void
ethernet_vlan_stack_valid(void **state)
{
	struct fb	 f;
	uint8_t		 d[40];
	int		 v;

	(void)state;
	dns(d, sizeof(d), 0xaa);
	for (v = 0; v <= 3; v++) {
		ether(&f, 0x0800, v);
		ipv4(&f, 17, 8 + sizeof(d), 1, 0);
		udp(&f, 5353, 53, d, sizeof(d));
		feed(&f, 1, SEC);
	}
	assert_int_equal(got.n, 4);
	assert_int_equal(got.len[3], 40);
	assert_int_equal(got.first[3], 0xaa);
	/* not a DNS port: skipped and counted */
	ether(&f, 0x0800, 0);
	ipv4(&f, 17, 8 + sizeof(d), 1, 0);
	udp(&f, 5353, 5354, d, sizeof(d));
	feed(&f, 1, SEC);
	assert_int_equal(got.n, 4);
	assert_int_equal(cap_net_stats(net)->skipped[CAP_SKIP_PORT], 1);
}

static void
sll2_raw_null_valid(void **state)
{
	struct fb	 f;
	uint8_t		 d[20];

	(void)state;
	dns(d, sizeof(d), 1);
	f.n = 0;
	put16(&f, 0x0800);
	put(&f, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 18);
	ipv4(&f, 17, 28, 1, 0);
	udp(&f, 53, 1000, d, sizeof(d));
	feed(&f, 276, SEC);			/* SLL2 */
	f.n = 0;
	ipv4(&f, 17, 28, 1, 0);
	udp(&f, 53, 1000, d, sizeof(d));
	feed(&f, 101, SEC);			/* raw */
	f.n = 0;
	put(&f, "\2\0\0\0", 4);
	ipv4(&f, 17, 28, 1, 0);
	udp(&f, 53, 1000, d, sizeof(d));
	feed(&f, 0, SEC);			/* NULL, little-endian AF */
	assert_int_equal(got.n, 3);
	feed(&f, 147, SEC);			/* a user DLT */
	assert_int_equal(cap_net_stats(net)->skipped[CAP_SKIP_LINKTYPE], 1);
}

static void
ipv6_extension_headers_valid(void **state)
{
	struct fb	 f;
	uint8_t		 d[24], ip6[40] = { 0x60 };

	(void)state;
	dns(d, sizeof(d), 6);
	ip6[4] = 0;
	ip6[5] = 8 + 8 + 24;	/* hop-by-hop (8) + UDP */
	ip6[6] = 0;		/* next: hop-by-hop */
	ip6[23] = 1;
	ip6[39] = 2;
	f.n = 0;
	put(&f, ip6, 40);
	put(&f, "\x11\0\1\4\0\0\0\0", 8);	/* next UDP, len 0 (8 bytes) */
	udp(&f, 53, 999, d, sizeof(d));
	feed(&f, 229, SEC);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.len[0], 24);
}

/* Send a 3000-byte UDP datagram in fragments, in the given order. */
static void
fragments(const int *order, int n, int conflict)
{
	static uint8_t	 dgram[3008];
	struct fb	 f;
	size_t		 off, len;
	int		 i, k;

	dgram[0] = 0;
	dgram[1] = 53;
	dgram[2] = 0x10;
	dgram[3] = 0x00;
	dgram[4] = (uint8_t)(sizeof(dgram) >> 8);
	dgram[5] = (uint8_t)sizeof(dgram);
	dns(dgram + 8, sizeof(dgram) - 8, 0x77);
	for (i = 0; i < n; i++) {
		k = order[i];
		off = (size_t)k * 1000;
		len = k == 2 ? sizeof(dgram) - 2000 : 1000 + (conflict ? 8 : 0);
		ether(&f, 0x0800, 0);
		ipv4(&f, 17, len, 42, (unsigned)(off / 8) | (k < 2 ? 0x2000 :
		    0));
		put(&f, dgram + off, len);
		if (conflict && k == 1)
			f.b[f.n - len] ^= 0xff;	/* overlap with other bytes */
		feed(&f, 1, SEC + (uint64_t)i);
	}
}

static void
fragments_in_order_and_reversed_valid(void **state)
{
	static const int	 fwd[] = { 0, 1, 2 }, rev[] = { 2, 1, 0 };

	(void)state;
	fragments(fwd, 3, 0);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.len[0], 3000);
	assert_true(got.flags[0] & CAP_F_DEFRAG);
	fragments(rev, 3, 0);
	assert_int_equal(got.n, 2);
	assert_int_equal(cap_net_stats(net)->frag_reassembled, 2);
}

static void
fragments_conflicting_overlap_malform(void **state)
{
	static const int	 order[] = { 0, 1, 2 };

	(void)state;
	fragments(order, 3, 1);
	assert_int_equal(got.n, 0);
	assert_int_equal(cap_net_stats(net)->frag_bad, 1);
}

static void
fragments_missing_time_out_edge(void **state)
{
	static const int	 order[] = { 0, 2 };
	struct fb		 f;
	uint8_t			 d[20];

	(void)state;
	fragments(order, 2, 0);
	assert_int_equal(got.n, 0);
	/* Time passes (packet time); the datagram is given up. */
	dns(d, sizeof(d), 1);
	ether(&f, 0x0800, 0);
	ipv4(&f, 17, 28, 9, 0x2000);
	udp(&f, 53, 1, d, sizeof(d));
	feed(&f, 1, 100 * SEC);
	assert_int_equal(cap_net_stats(net)->frag_timeout, 1);
}

/* A TCP segment from 10.0.0.1:4000 to 10.0.0.2:53. */
static void
tcp_seg(uint32_t seq, unsigned flags, const uint8_t *p, size_t n,
    uint64_t ts)
{
	struct fb	 f;

	ether(&f, 0x0800, 0);
	ipv4(&f, 6, 20 + n, 1, 0);
	put16(&f, 4000);
	put16(&f, 53);
	put16(&f, seq >> 16);
	put16(&f, seq & 0xffff);
	put(&f, "\0\0\0\0\x50", 5);
	f.b[f.n++] = (uint8_t)flags;
	put(&f, "\xff\xff\0\0\0\0", 6);
	put(&f, p, n);
	feed(&f, 1, ts);
}

/* Two framed messages of 20 and 30 bytes back to back. */
static size_t
two_msgs(uint8_t *s)
{
	s[0] = 0;
	s[1] = 20;
	dns(s + 2, 20, 0x11);
	s[22] = 0;
	s[23] = 30;
	dns(s + 24, 30, 0x22);
	return 54;
}

static void
tcp_two_messages_one_segment_valid(void **state)
{
	uint8_t	 s[64];
	size_t	 n = two_msgs(s);

	(void)state;
	tcp_seg(1000, 0x02, NULL, 0, SEC);		/* SYN */
	tcp_seg(1001, 0x18, s, n, SEC);
	assert_int_equal(got.n, 2);
	assert_int_equal(got.tcp, 2);
	assert_int_equal(got.len[0], 20);
	assert_int_equal(got.len[1], 30);
	assert_int_equal(got.events[CAP_EV_TCP_SYN], 1);
}

static void
tcp_one_message_three_segments_out_of_order_edge(void **state)
{
	uint8_t	 s[64];

	(void)state;
	two_msgs(s);
	tcp_seg(1000, 0x02, NULL, 0, SEC);
	tcp_seg(1001, 0x18, s, 1, SEC);			/* half the prefix */
	tcp_seg(1012, 0x18, s + 11, 11, SEC);		/* early */
	tcp_seg(1002, 0x18, s + 1, 10, SEC);		/* fills the hole */
	assert_int_equal(got.n, 1);
	assert_int_equal(got.first[0], 0x11);
	tcp_seg(1002, 0x18, s + 1, 10, SEC);		/* retransmission */
	assert_int_equal(got.n, 1);
}

static void
tcp_mid_stream_and_lost_segment_edge(void **state)
{
	uint8_t	 s[64];

	(void)state;
	two_msgs(s);
	/* No SYN seen: sync on the first data segment. */
	tcp_seg(5000, 0x18, s, 22, SEC);
	assert_int_equal(got.n, 1);
	/* 32 bytes lost; then two segments beyond: the hole is a loss. */
	tcp_seg(5054, 0x18, s, 22, SEC);
	tcp_seg(5076, 0x18, s + 22, 32, SEC);
	assert_int_equal(got.n, 3);
	assert_true(got.flags[1] & CAP_F_TCPGAP);
	assert_int_equal(cap_net_stats(net)->tcp_gaps, 1);
}

static void
tcp_flow_cap_evicts_edge(void **state)
{
	uint8_t		 s[64];
	struct fb	 f;
	unsigned	 i;

	(void)state;
	two_msgs(s);
	for (i = 0; i < 10; i++) {
		ether(&f, 0x0800, 0);
		ipv4(&f, 6, 20 + 1, 1, 0);
		put16(&f, 4000 + i);
		put16(&f, 53);
		put(&f, "\0\0\0\1\0\0\0\0\x50\x18\xff\xff\0\0\0\0", 16);
		put(&f, s, 1);
		feed(&f, 1, SEC);
	}
	assert_int_equal(cap_net_stats(net)->tcp_flows, 10);
	assert_int_equal(cap_net_stats(net)->tcp_evicted, 6);
}

static void
snaplen_cut_is_flagged_edge(void **state)
{
	struct fb	 f;
	uint8_t		 d[100];

	(void)state;
	dns(d, sizeof(d), 3);
	ether(&f, 0x0800, 0);
	ipv4(&f, 17, 108, 1, 0);
	udp(&f, 53, 1, d, sizeof(d));
	cap_net_packet(net, 1, SEC, f.b, 80, (uint32_t)f.n);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.len[0], 80 - 14 - 20 - 8);
	assert_true(got.flags[0] & CAP_F_SNAPCUT);
	assert_int_equal(cap_net_stats(net)->snap_cut, 1);
	/* cut inside the IP header: counted, nothing handed on */
	cap_net_packet(net, 1, SEC, f.b, 20, (uint32_t)f.n);
	assert_int_equal(got.n, 1);
	assert_int_equal(cap_net_stats(net)->skipped[CAP_SKIP_SNAPLEN], 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(x) cmocka_unit_test_setup_teardown(x, setup, teardown)
		T(ethernet_vlan_stack_valid),
		T(sll2_raw_null_valid),
		T(ipv6_extension_headers_valid),
		T(fragments_in_order_and_reversed_valid),
		T(fragments_conflicting_overlap_malform),
		T(fragments_missing_time_out_edge),
		T(tcp_two_messages_one_segment_valid),
		T(tcp_one_message_three_segments_out_of_order_edge),
		T(tcp_mid_stream_and_lost_segment_edge),
		T(tcp_flow_cap_evicts_edge),
		T(snaplen_cut_is_flagged_edge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
