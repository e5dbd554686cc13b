/*
 * test_net.c -- capture/ on hand-made frames and on real captures.
 *
 * Hand-made frames cover each link type, VLAN stacks, IPv4 and IPv6 header
 * checks, IPv6 extension headers, fragments (in order, out of order,
 * overlapping, missing, timed out, evicted), TCP framing (several messages
 * per segment, one over three segments, out of order, retransmitted,
 * mid-stream, lost, cut, closed early), TCP events, ICMP unreachables and
 * the caps.  Hand-made pcap files check the sources: nanosecond time
 * stamps, standard input, a file cut mid-packet.  Then every capture of the
 * shared corpus is read through cap_open_offline() and cap_net_packet(),
 * and its DNS message counts must equal tshark's truth beside it, except
 * where the table below says why not.  Links only libgluecapture.a,
 * libglueutil.a and libpcap.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap.h>

#include "capture/net.h"
#include "capture/source.h"

#define SEC		1000000000ULL
#define MAXGOT		64
#define CORPUS		GLUETOP_SRCDIR "/../shared/corpus"

/* What the sink saw. */
struct got {
	int		n;
	int		tcp;
	int		events[8];
	size_t		len[MAXGOT];
	size_t		wire[MAXGOT];
	uint8_t		flags[MAXGOT];
	uint8_t		first[MAXGOT];	/* first byte of each message */
	uint64_t	frame[MAXGOT];
	uint64_t	ts[MAXGOT];
	struct cap_msg	last_ev;	/* the last non-DNS event */
};

/* A frame under construction. */
struct fb {
	uint8_t	 b[4096];
	size_t	 n;
};

/* A corpus file whose counts rightly differ from tshark's. */
struct exception {
	const char	*file;
	int		 messages, over_tcp;
	const char	*why;
};

static struct got	 got;
static struct cap_net	*net;
static uint64_t		 read_linktype_skips;	/* by the last read_all() */

/*
 * Where gluetop and tshark disagree, and why.  Everything else in the
 * corpus must match its truth file exactly.
 */
static const struct exception exceptions[] = {
	/* FDDI is not a supported link type: every frame is counted as
	   CAP_SKIP_LINKTYPE; tshark finds 2 messages over TCP. */
	{ "zeek/dns-inverse-query.pcap", 0, 0, "FDDI link type" },
	{ NULL, 0, 0, NULL }
};

static void	sink(void *, const struct cap_msg *);
static int	setup_opts(struct cap_net_opts *);
static int	setup(void **);
static int	setup_small(void **);
static int	teardown(void **);
static void	put(struct fb *, const void *, size_t);
static void	put16(struct fb *, unsigned);
static void	put32(struct fb *, uint32_t);
static void	dns(uint8_t *, size_t, uint8_t);
static void	ipv4(struct fb *, unsigned, size_t, unsigned, unsigned);
static void	ipv6(struct fb *, unsigned, size_t);
static void	udp(struct fb *, unsigned, unsigned, const uint8_t *,
		    size_t);
static void	ether(struct fb *, unsigned, int);
static void	feed(struct fb *, int, uint64_t);
static void	udp4_frame(struct fb *, unsigned);
static uint64_t	skipped(enum cap_skip);
static void	tcp_seg(uint32_t, unsigned, const uint8_t *, size_t,
		    uint64_t);
static void	tcp_seg_from(unsigned, unsigned, uint32_t, unsigned,
		    const uint8_t *, size_t, uint64_t);
static size_t	two_msgs(uint8_t *);
static void	fragments(const int *, int, int, unsigned);
static void	fragments6(const int *, int);
static char	*write_pcap(const char *, uint32_t, int, int);
static void	count_and_break(void *, int, uint64_t, const uint8_t *,
		    uint32_t, uint32_t);
static int	read_all(const char *, const char *, int *, int *, char **);
static int	truth_value(const char *, const char *);
static const struct exception *find_exception(const char *);
static void	send_loopback_dns(void);
static int	corpus_file(const char *);
static int	corpus_dlt(const char *);
static int	corpus_dir(const char *, int *);

/* Record each message and event. */
static void
sink(void *arg, const struct cap_msg *m)
{
	(void)arg;
	if (m->event != CAP_EV_DNS) {
		got.events[m->event]++;
		got.last_ev = *m;
		return;
	}
	if (got.n < MAXGOT) {
		got.len[got.n] = m->len;
		got.wire[got.n] = m->wire_len;
		got.flags[got.n] = m->flags;
		got.first[got.n] = m->len ? m->data[0] : 0;
		got.frame[got.n] = m->frame;
		got.ts[got.n] = m->ts_ns;
	}
	got.n++;
	got.tcp += m->transport == CAP_TRANSPORT_TCP;
}

/* Default options with a small flow cap. */
static int
setup_opts(struct cap_net_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->tcp_max_flows = 4;
	memset(&got, 0, sizeof(got));
	return 0;
}

/* A walker with default options but four TCP flows. */
static int
setup(void **state)
{
	struct cap_net_opts	 o;

	(void)state;
	setup_opts(&o);
	net = cap_net_create(&o, sink, NULL);
	return 0;
}

/* A walker with tiny caps: two datagrams, 64-byte TCP buffers. */
static int
setup_small(void **state)
{
	struct cap_net_opts	 o;

	(void)state;
	setup_opts(&o);
	o.frag_max = 2;
	o.tcp_max_buf = 64;
	o.ports[0] = 53;
	o.ports[1] = 5353;
	o.nports = 2;
	net = cap_net_create(&o, sink, NULL);
	return 0;
}

/* Free the walker. */
static int
teardown(void **state)
{
	(void)state;
	cap_net_destroy(net);
	net = NULL;
	return 0;
}

/* Append bytes to a frame. */
static void
put(struct fb *f, const void *p, size_t n)
{
	if (n == 0)
		return;
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

/* Append a big-endian 16-bit value. */
static void
put16(struct fb *f, unsigned v)
{
	f->b[f->n++] = (uint8_t)(v >> 8);
	f->b[f->n++] = (uint8_t)v;
}

/* Append a big-endian 32-bit value. */
static void
put32(struct fb *f, uint32_t v)
{
	put16(f, v >> 16);
	put16(f, v & 0xffff);
}

/* A DNS-ish payload of n bytes starting with tag. */
static void
dns(uint8_t *p, size_t n, uint8_t tag)
{
	memset(p, 0, n);
	p[0] = tag;
}

/* IPv4 header 10.0.0.1 > 10.0.0.2: proto, payload length, id, flags. */
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

/* IPv6 header 2001:db8::1 > 2001:db8::2: next header, payload length. */
static void
ipv6(struct fb *f, unsigned next, size_t plen)
{
	uint8_t	 h[40] = { 0x60 };

	h[4] = (uint8_t)(plen >> 8);
	h[5] = (uint8_t)plen;
	h[6] = (uint8_t)next;
	h[7] = 64;
	h[8] = 0x20;
	h[9] = 0x01;
	h[10] = 0x0d;
	h[11] = 0xb8;
	memcpy(h + 24, h + 8, 16);
	h[23] = 1;
	h[39] = 2;
	put(f, h, 40);
}

/* A UDP header and payload. */
static void
udp(struct fb *f, unsigned sport, unsigned dport, const uint8_t *p, size_t n)
{
	put16(f, sport);
	put16(f, dport);
	put16(f, (unsigned)n + 8);
	put16(f, 0);
	put(f, p, n);
}

/* Start an Ethernet frame with vlans tags (cycling 8100, 88a8, 9100). */
static void
ether(struct fb *f, unsigned type, int vlans)
{
	static const uint8_t	 macs[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
	    11, 12 };
	static const unsigned	 tpid[3] = { 0x8100, 0x88a8, 0x9100 };
	int			 i;

	f->n = 0;
	put(f, macs, 12);
	for (i = 0; i < vlans; i++) {
		put16(f, tpid[i % 3]);
		put16(f, 100 + (unsigned)i);
	}
	put16(f, type);
}

/* Hand a whole frame to the walker. */
static void
feed(struct fb *f, int dlt, uint64_t ts)
{
	cap_net_packet(net, dlt, ts, f->b, (uint32_t)f->n, (uint32_t)f->n);
}

/* IPv4/UDP 5353 > 53 with a 20-byte payload tagged tag, no link header. */
static void
udp4_frame(struct fb *f, unsigned tag)
{
	uint8_t	 d[20];

	dns(d, sizeof(d), (uint8_t)tag);
	ipv4(f, 17, 28, 1, 0);
	udp(f, 5353, 53, d, sizeof(d));
}

/* A skip counter. */
static uint64_t
skipped(enum cap_skip why)
{
	return cap_net_stats(net)->skipped[why];
}

/* Ethernet under 0 to 3 VLAN tags; too many tags, other ports, ARP. */
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
		feed(&f, DLT_EN10MB, SEC);
	}
	assert_int_equal(got.n, 4);
	assert_int_equal(got.len[3], 40);
	assert_int_equal(got.first[3], 0xaa);
	assert_int_equal(got.frame[3], 4);	/* 1-based frame numbers */
	assert_int_equal(got.ts[3], SEC);
	/* Too many tags: given up on, not IP. */
	ether(&f, 0x0800, 9);
	ipv4(&f, 17, 8 + sizeof(d), 1, 0);
	udp(&f, 5353, 53, d, sizeof(d));
	feed(&f, DLT_EN10MB, SEC);
	assert_int_equal(skipped(CAP_SKIP_NOT_IP), 1);
	/* Not a DNS port: skipped and counted. */
	ether(&f, 0x0800, 0);
	ipv4(&f, 17, 8 + sizeof(d), 1, 0);
	udp(&f, 5353, 5354, d, sizeof(d));
	feed(&f, DLT_EN10MB, SEC);
	assert_int_equal(got.n, 4);
	assert_int_equal(skipped(CAP_SKIP_PORT), 1);
	/* ARP, and a frame too short for its Ethernet header. */
	ether(&f, 0x0806, 0);
	put(&f, d, 28);
	feed(&f, DLT_EN10MB, SEC);
	f.n = 13;
	feed(&f, DLT_EN10MB, SEC);
	assert_int_equal(skipped(CAP_SKIP_NOT_IP), 2);
	assert_int_equal(skipped(CAP_SKIP_LINK), 1);
}

/* Ethernet padding is dropped by the IP length; 802.3 LLC SNAP carries IP. */
static void
ethernet_padding_and_snap_valid(void **state)
{
	struct fb	 f;
	uint8_t		 d[12];

	(void)state;
	/* A 12-byte message padded to the 60-byte minimum frame. */
	dns(d, sizeof(d), 0x12);
	ether(&f, 0x0800, 0);
	ipv4(&f, 17, 20, 1, 0);
	udp(&f, 53, 4000, d, sizeof(d));
	memset(f.b + f.n, 0xee, 60 - f.n);
	f.n = 60;
	feed(&f, DLT_EN10MB, SEC);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.len[0], 12);
	/* 802.3 length field, LLC SNAP, then IPv4. */
	f.n = 0;
	put(&f, "\1\2\3\4\5\6\7\10\11\12\13\14", 12);
	put16(&f, 48);
	put(&f, "\xaa\xaa\x03\0\0\0", 6);
	put16(&f, 0x0800);
	udp4_frame(&f, 0x34);
	feed(&f, DLT_EN10MB, SEC);
	assert_int_equal(got.n, 2);
	assert_int_equal(got.first[1], 0x34);
}

/* Every supported link type hands the same IPv4 datagram on. */
static void
link_types_valid(void **state)
{
	struct fb	 f;

	(void)state;
	f.n = 0;				/* SLL: protocol at 14 */
	put(&f, "\0\0\0\1\0\6\1\2\3\4\5\6\0\0", 14);
	put16(&f, 0x0800);
	udp4_frame(&f, 1);
	feed(&f, DLT_LINUX_SLL, SEC);
	f.n = 0;				/* SLL2: protocol at 0 */
	put16(&f, 0x0800);
	put(&f, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 18);
	udp4_frame(&f, 2);
	feed(&f, DLT_LINUX_SLL2, SEC);
	f.n = 0;				/* raw IP, three ways */
	udp4_frame(&f, 3);
	feed(&f, DLT_RAW, SEC);
	feed(&f, 101, SEC);			/* LINKTYPE_RAW */
	feed(&f, DLT_IPV4, SEC);
	f.n = 0;				/* NULL, little-endian AF */
	put(&f, "\2\0\0\0", 4);
	udp4_frame(&f, 4);
	feed(&f, DLT_NULL, SEC);
	memcpy(f.b, "\0\0\0\2", 4);		/* NULL, big-endian AF */
	feed(&f, DLT_NULL, SEC);
	feed(&f, DLT_LOOP, SEC);		/* LOOP: network order */
	f.n = 0;				/* PPP in HDLC framing */
	put(&f, "\xff\x03\x00\x21", 4);
	udp4_frame(&f, 5);
	feed(&f, DLT_PPP, SEC);
	feed(&f, DLT_PPP_SERIAL, SEC);
	memcpy(f.b, "\x0f\x00\x08\x00", 4);	/* Cisco HDLC */
	feed(&f, DLT_C_HDLC, SEC);
	assert_int_equal(got.n, 11);
	assert_int_equal(got.first[10], 5);
}

/* BSD IPv6 family values, and link types with no handler. */
static void
link_types_ipv6_and_unsupported_edge(void **state)
{
	static const uint8_t	 af6[3] = { 24, 28, 30 };
	struct fb		 f;
	int			 i;

	(void)state;
	/* BSD AF_INET6 values on LOOP: IPv6 with no next header. */
	for (i = 0; i < 3; i++) {
		f.n = 0;
		put(&f, "\0\0\0", 3);
		put(&f, &af6[i], 1);
		ipv6(&f, 59, 0);
		feed(&f, DLT_LOOP, SEC);
	}
	assert_int_equal(skipped(CAP_SKIP_PROTO), 3);
	feed(&f, 10, SEC);			/* FDDI: not supported */
	feed(&f, 147, SEC);			/* a user DLT */
	assert_int_equal(skipped(CAP_SKIP_LINKTYPE), 2);
	assert_true(cap_net_dlt_ok(DLT_LINUX_SLL2));
	assert_false(cap_net_dlt_ok(10));
	assert_string_equal(cap_skip_name(CAP_SKIP_PORT), "not on a DNS port");
}

/* IPv4 header checks: version, IHL, total length, snap length, offload. */
static void
ipv4_header_malform(void **state)
{
	struct fb	 f;

	(void)state;
	f.n = 0;
	udp4_frame(&f, 1);
	f.b[0] = 0x55;				/* version 5 */
	feed(&f, DLT_IPV4, SEC);
	feed(&f, DLT_RAW, SEC);			/* raw: not IP at all */
	assert_int_equal(skipped(CAP_SKIP_NOT_IP), 1);
	f.b[0] = 0x44;				/* IHL 4 */
	feed(&f, DLT_IPV4, SEC);
	f.b[0] = 0x45;				/* total length < header */
	f.b[2] = 0;
	f.b[3] = 19;
	feed(&f, DLT_IPV4, SEC);
	assert_int_equal(skipped(CAP_SKIP_IP_BAD), 3);
	/* A header cut by the snap length is the snap length's fault. */
	f.n = 0;
	udp4_frame(&f, 1);
	cap_net_packet(net, DLT_RAW, SEC, f.b, 12, (uint32_t)f.n);
	assert_int_equal(skipped(CAP_SKIP_SNAPLEN), 1);
	/* Total length past the frame: malformed, yet what came is used. */
	f.b[3] = 60;
	feed(&f, DLT_RAW, SEC);
	assert_int_equal(got.n, 1);
	assert_true(cap_net_stats(net)->malformed >= 4);
	/* Total length zero (segmentation offload): the frame's length. */
	f.b[2] = f.b[3] = 0;
	feed(&f, DLT_RAW, SEC);
	assert_int_equal(got.n, 2);
	assert_int_equal(got.len[1], 20);
}

/* The UDP length field against the bytes: short, empty, trimmed, long. */
static void
udp_length_edge(void **state)
{
	struct fb	 f;

	(void)state;
	f.n = 0;
	udp4_frame(&f, 1);
	f.b[25] = 7;				/* UDP length < 8 */
	feed(&f, DLT_RAW, SEC);
	assert_int_equal(skipped(CAP_SKIP_IP_BAD), 1);
	f.b[25] = 8;				/* no payload */
	feed(&f, DLT_RAW, SEC);
	assert_int_equal(skipped(CAP_SKIP_EMPTY), 1);
	f.b[25] = 20;				/* shorter than the IP payload */
	feed(&f, DLT_RAW, SEC);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.len[0], 12);
	f.b[25] = 40;				/* longer: cut, wire_len says */
	feed(&f, DLT_RAW, SEC);
	assert_int_equal(got.n, 2);
	assert_int_equal(got.len[1], 20);
	assert_int_equal(got.wire[1], 32);
}

/* IPv6 extension header chains, ESP, no next header, overruns. */
static void
ipv6_extension_headers_valid(void **state)
{
	struct fb	 f;
	uint8_t		 d[24];

	(void)state;
	dns(d, sizeof(d), 6);
	f.n = 0;
	ipv6(&f, 0, 8 + 16 + 8 + 12 + 8 + sizeof(d));
	put(&f, "\x2b\0\1\4\0\0\0\0", 8);	/* hop-by-hop, next routing */
	put(&f, "\x3c\1\0\0\0\0\0\0", 8);	/* routing, 16 bytes */
	put(&f, "\0\0\0\0\0\0\0\0", 8);
	put(&f, "\x33\0\1\4\0\0\0\0", 8);	/* dest options, next AH */
	put(&f, "\x11\1\0\0\0\0\0\0\0\0\0\0", 12);	/* AH, 12 bytes */
	udp(&f, 53, 999, d, sizeof(d));
	feed(&f, DLT_IPV6, SEC);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.len[0], 24);
	/* ESP and no next header: the walk stops. */
	f.n = 0;
	ipv6(&f, 50, 8);
	put(&f, "\0\0\0\1\0\0\0\1", 8);
	feed(&f, DLT_RAW, SEC);
	f.b[6] = 59;
	feed(&f, DLT_RAW, SEC);
	assert_int_equal(skipped(CAP_SKIP_PROTO), 2);
	/* An extension header longer than the packet. */
	f.b[6] = 60;
	f.b[41] = 9;
	feed(&f, DLT_RAW, SEC);
	assert_int_equal(skipped(CAP_SKIP_IP_BAD), 1);
	/* Version 4 in an IPv6-only link type. */
	f.b[0] = 0x40;
	feed(&f, DLT_IPV6, SEC);
	assert_int_equal(skipped(CAP_SKIP_IP_BAD), 2);
}

/*
 * Send a 3000-byte UDP datagram in fragments of 1000 bytes, in the given
 * order; conflict changes bytes in an overlap; id keys the datagram.
 */
static void
fragments(const int *order, int n, int conflict, unsigned id)
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
		ipv4(&f, 17, len, id, (unsigned)(off / 8) | (k < 2 ? 0x2000 :
		    0));
		put(&f, dgram + off, len);
		if (conflict && k == 1)
			f.b[f.n - len] ^= 0xff;	/* overlap with other bytes */
		feed(&f, DLT_EN10MB, SEC + (uint64_t)i);
	}
}

/* IPv4 fragments in order, reversed, shuffled and repeated. */
static void
fragments_in_order_and_reordered_valid(void **state)
{
	static const int	 fwd[] = { 0, 1, 2 }, rev[] = { 2, 1, 0 },
				 mid[] = { 1, 0, 2 }, dup[] = { 0, 0, 2, 1 };

	(void)state;
	fragments(fwd, 3, 0, 1);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.len[0], 3000);
	assert_int_equal(got.first[0], 0x77);
	assert_true(got.flags[0] & CAP_F_DEFRAG);
	fragments(rev, 3, 0, 2);
	fragments(mid, 3, 0, 3);
	fragments(dup, 4, 0, 4);		/* a repeated fragment is fine */
	assert_int_equal(got.n, 4);
	assert_int_equal(cap_net_stats(net)->frag_reassembled, 4);
	assert_int_equal(cap_net_stats(net)->frag_bad, 0);
	assert_int_equal(skipped(CAP_SKIP_FRAGMENT), 9);
}

/* An overlap carrying other bytes drops the datagram. */
static void
fragments_conflicting_overlap_malform(void **state)
{
	static const int	 order[] = { 0, 1, 2 };

	(void)state;
	fragments(order, 3, 1, 1);
	assert_int_equal(got.n, 0);
	assert_int_equal(cap_net_stats(net)->frag_bad, 1);
}

/* Oversize datagrams, odd-sized middles and two different ends. */
static void
fragments_bad_geometry_malform(void **state)
{
	struct fb	 f;
	uint8_t		 d[24];

	(void)state;
	dns(d, sizeof(d), 1);
	/* Past 65535 bytes. */
	f.n = 0;
	ipv4(&f, 17, 16, 7, 0x1fff);
	put(&f, d, 16);
	feed(&f, DLT_RAW, SEC);
	/* Not the last, yet not a multiple of 8 bytes. */
	f.n = 0;
	ipv4(&f, 17, 12, 8, 0x2000);
	put(&f, d, 12);
	feed(&f, DLT_RAW, SEC);
	/* Two different ends. */
	f.n = 0;
	ipv4(&f, 17, 16, 9, 2);
	put(&f, d, 16);
	feed(&f, DLT_RAW, SEC);
	f.n = 0;
	ipv4(&f, 17, 24, 9, 2);
	put(&f, d, 24);
	feed(&f, DLT_RAW, SEC);
	assert_int_equal(cap_net_stats(net)->frag_bad, 3);
	assert_int_equal(skipped(CAP_SKIP_IP_BAD), 3);
	assert_int_equal(got.n, 0);
}

/* A datagram with a hole expires by packet time. */
static void
fragments_missing_time_out_edge(void **state)
{
	static const int	 order[] = { 0, 2 };
	struct fb		 f;

	(void)state;
	fragments(order, 2, 0, 1);
	assert_int_equal(got.n, 0);
	/* Time passes (packet time); the datagram is given up. */
	f.n = 0;
	udp4_frame(&f, 1);
	feed(&f, DLT_RAW, 100 * SEC);
	assert_int_equal(got.n, 1);
	assert_int_equal(cap_net_stats(net)->frag_timeout, 1);
	/* The missing piece now comes too late to complete anything. */
	fragments(order + 1, 1, 0, 1);
	assert_int_equal(got.n, 1);
	cap_net_expire(net, UINT64_MAX);
	assert_int_equal(cap_net_stats(net)->frag_timeout, 2);
}

/* Past the datagram cap the oldest is evicted. */
static void
fragments_cap_evicts_edge(void **state)
{
	static const int	 first[] = { 0 }, rest[] = { 1, 2 };

	(void)state;
	fragments(first, 1, 0, 1);
	fragments(first, 1, 0, 2);
	fragments(first, 1, 0, 3);		/* the cap is 2: id 1 goes */
	assert_int_equal(cap_net_stats(net)->frag_evicted, 1);
	fragments(rest, 2, 0, 1);
	assert_int_equal(got.n, 0);
	fragments(rest, 2, 0, 3);
	assert_int_equal(got.n, 1);
}

/*
 * A 2000-byte UDP datagram over IPv6 in fragments of 1000 bytes, in the
 * given order, with a destination options header after the fragment
 * header (so inside the fragmentable part).
 */
static void
fragments6(const int *order, int n)
{
	static uint8_t	 dgram[2000];
	struct fb	 f;
	size_t		 off, len;
	int		 i, k;

	memcpy(dgram, "\x11\0\1\4\0\0\0\0", 8);	/* dest options */
	dgram[8] = 0x12;			/* UDP 4660 > 53 */
	dgram[9] = 0x34;
	dgram[11] = 53;
	dgram[12] = (uint8_t)((sizeof(dgram) - 8) >> 8);
	dgram[13] = (uint8_t)(sizeof(dgram) - 8);
	dns(dgram + 16, sizeof(dgram) - 16, 0x66);
	for (i = 0; i < n; i++) {
		k = order[i];
		off = (size_t)k * 1000;
		len = 1000;
		f.n = 0;
		ipv6(&f, 44, 8 + len);
		put(&f, "\x3c\0", 2);
		put16(&f, (unsigned)off | (k == 0 ? 1 : 0));
		put32(&f, 0xdeadbeef);
		put(&f, dgram + off, len);
		feed(&f, DLT_IPV6, SEC);
	}
}

/* IPv6 fragments both ways, with headers after the fragment header. */
static void
fragments_ipv6_valid(void **state)
{
	static const int	 fwd[] = { 0, 1 }, rev[] = { 1, 0 };
	struct fb		 f;
	uint8_t			 d[20];

	(void)state;
	fragments6(fwd, 2);
	fragments6(rev, 2);
	assert_int_equal(got.n, 2);
	assert_int_equal(got.len[1], 2000 - 16);
	assert_int_equal(got.first[1], 0x66);
	assert_true(got.flags[1] & CAP_F_DEFRAG);
	/* An atomic fragment (RFC 6946): offset 0, no more. */
	dns(d, sizeof(d), 0x67);
	f.n = 0;
	ipv6(&f, 44, 8 + 8 + sizeof(d));
	put(&f, "\x11\0\0\0\0\0\0\1", 8);
	udp(&f, 53, 1000, d, sizeof(d));
	feed(&f, DLT_RAW, SEC);
	assert_int_equal(got.n, 3);
	assert_int_equal(got.first[2], 0x67);
}

/* A TCP segment from 10.0.0.1:sport to 10.0.0.2:dport. */
static void
tcp_seg_from(unsigned sport, unsigned dport, uint32_t seq, unsigned flags,
    const uint8_t *p, size_t n, uint64_t ts)
{
	struct fb	 f;

	ether(&f, 0x0800, 0);
	ipv4(&f, 6, 20 + n, 1, 0);
	put16(&f, sport);
	put16(&f, dport);
	put32(&f, seq);
	put(&f, "\0\0\0\0\x50", 5);
	f.b[f.n++] = (uint8_t)flags;
	put(&f, "\xff\xff\0\0\0\0", 6);
	put(&f, p, n);
	feed(&f, DLT_EN10MB, ts);
}

/* A TCP segment from 10.0.0.1:4000 to 10.0.0.2:53. */
static void
tcp_seg(uint32_t seq, unsigned flags, const uint8_t *p, size_t n,
    uint64_t ts)
{
	tcp_seg_from(4000, 53, seq, flags, p, n, ts);
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

/* Two framed messages in one segment. */
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
	assert_int_equal(got.first[1], 0x22);
	assert_int_equal(got.events[CAP_EV_TCP_SYN], 1);
	assert_int_equal(cap_net_stats(net)->dns_tcp, 2);
}

/* One message over three segments, the prefix split too. */
static void
tcp_one_message_three_segments_valid(void **state)
{
	uint8_t	 s[64];

	(void)state;
	two_msgs(s);
	tcp_seg(1000, 0x02, NULL, 0, SEC);
	tcp_seg(1001, 0x18, s, 1, SEC);			/* half the prefix */
	tcp_seg(1002, 0x18, s + 1, 10, SEC);
	assert_int_equal(got.n, 0);
	assert_int_equal(skipped(CAP_SKIP_TCP_PARTIAL), 2);
	tcp_seg(1012, 0x18, s + 11, 43, SEC);		/* and the next */
	assert_int_equal(got.n, 2);
	assert_int_equal(got.len[0], 20);
	assert_int_equal(got.first[0], 0x11);
	assert_int_equal(got.first[1], 0x22);
}

/* An early segment waits for the hole; repeats are trimmed. */
static void
tcp_out_of_order_and_retransmitted_edge(void **state)
{
	uint8_t	 s[64];

	(void)state;
	two_msgs(s);
	tcp_seg(1000, 0x02, NULL, 0, SEC);
	tcp_seg(1001, 0x18, s, 1, SEC);
	tcp_seg(1012, 0x18, s + 11, 11, SEC);		/* early */
	tcp_seg(1002, 0x18, s + 1, 10, SEC);		/* fills the hole */
	assert_int_equal(got.n, 1);
	assert_int_equal(got.first[0], 0x11);
	assert_int_equal(got.flags[0] & CAP_F_TCPGAP, 0);
	tcp_seg(1002, 0x18, s + 1, 10, SEC);		/* retransmission */
	tcp_seg(1001, 0x18, s, 22, SEC);		/* again, all of it */
	assert_int_equal(got.n, 1);
	tcp_seg(1019, 0x18, s + 18, 36, SEC);		/* overlaps 4 bytes */
	assert_int_equal(got.n, 2);
	assert_int_equal(got.first[1], 0x22);
	assert_int_equal(cap_net_stats(net)->tcp_gaps, 0);
}

/* A flow without SYN syncs; a lost segment becomes a gap. */
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
	assert_int_equal(got.n, 1);
	tcp_seg(5076, 0x18, s + 22, 32, SEC);
	assert_int_equal(got.n, 3);
	assert_true(got.flags[1] & CAP_F_TCPGAP);
	assert_int_equal(got.flags[2] & CAP_F_TCPGAP, 0);
	assert_int_equal(cap_net_stats(net)->tcp_gaps, 1);
}

/* An idle flow with a hole hands on its held data as a gap. */
static void
tcp_hole_at_expiry_edge(void **state)
{
	uint8_t	 s[64];

	(void)state;
	two_msgs(s);
	tcp_seg(1000, 0x02, NULL, 0, SEC);
	tcp_seg(1001, 0x18, s, 10, SEC);		/* part of a message */
	tcp_seg(1023, 0x18, s + 22, 32, SEC);		/* after a hole */
	assert_int_equal(got.n, 0);
	cap_net_expire(net, 1000 * SEC);		/* idle: give up */
	assert_int_equal(got.n, 1);
	assert_int_equal(got.first[0], 0x22);
	assert_true(got.flags[0] & CAP_F_TCPGAP);
	assert_int_equal(cap_net_stats(net)->tcp_gaps, 1);
}

/* Impossible length prefixes and messages past the buffer cap. */
static void
tcp_bad_prefix_and_buffer_cap_malform(void **state)
{
	uint8_t	 s[200];

	(void)state;
	memset(s, 0, sizeof(s));
	s[1] = 3;					/* shorter than a header */
	tcp_seg(1, 0x18, s, 20, SEC);
	assert_int_equal(cap_net_stats(net)->tcp_badlen, 1);
	/* 100 bytes is past this walker's 64-byte buffer. */
	s[1] = 100;
	tcp_seg_from(4001, 53, 1, 0x18, s, 102, SEC);
	assert_int_equal(cap_net_stats(net)->tcp_badlen, 2);
	assert_int_equal(got.n, 0);
	/* The next good segment on the flow is read. */
	s[1] = 20;
	tcp_seg_from(4001, 53, 103, 0x18, s, 22, SEC);
	assert_int_equal(got.n, 1);
	assert_true(got.flags[0] & CAP_F_TCPGAP);
}

/* A FIN before the prefix is satisfied hands on the short message. */
static void
tcp_fin_short_message_edge(void **state)
{
	uint8_t	 s[64];

	(void)state;
	two_msgs(s);
	tcp_seg(1000, 0x02, NULL, 0, SEC);
	tcp_seg(1001, 0x18, s, 15, SEC);		/* 13 of 20 bytes */
	tcp_seg(1016, 0x11, NULL, 0, SEC);		/* FIN */
	assert_int_equal(got.n, 1);
	assert_int_equal(got.len[0], 13);
	assert_int_equal(got.wire[0], 20);
	assert_true(got.flags[0] & CAP_F_TCPLEN);
	assert_int_equal(got.events[CAP_EV_TCP_FIN], 1);
}

/* A snap-cut segment hands on the cut part and keeps framing if it can. */
static void
tcp_snaplen_cut_segment_edge(void **state)
{
	struct fb	 f;
	uint8_t		 s[64];

	(void)state;
	two_msgs(s);
	tcp_seg(1000, 0x02, NULL, 0, SEC);
	/* Both messages in one segment, cut 10 bytes into the first. */
	ether(&f, 0x0800, 0);
	ipv4(&f, 6, 20 + 54, 1, 0);
	put(&f, "\x0f\xa0\0\x35\0\0\x03\xe9\0\0\0\0\x50\x18\xff\xff\0\0\0\0",
	    20);
	put(&f, s, 54);
	cap_net_packet(net, DLT_EN10MB, SEC, f.b, 14 + 20 + 20 + 12,
	    (uint32_t)f.n);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.len[0], 10);
	assert_int_equal(got.wire[0], 20);
	assert_true(got.flags[0] & CAP_F_SNAPCUT);
	/* The second message began in the lost bytes: framing is gone. */
	assert_int_equal(cap_net_stats(net)->tcp_gaps, 1);
	/* A cut that ends inside the only message keeps the framing. */
	tcp_seg_from(4002, 53, 1, 0x02, NULL, 0, SEC);
	ether(&f, 0x0800, 0);
	ipv4(&f, 6, 20 + 22, 1, 0);
	put(&f, "\x0f\xa2\0\x35\0\0\0\2\0\0\0\0\x50\x18\xff\xff\0\0\0\0", 20);
	put(&f, s, 22);
	cap_net_packet(net, DLT_EN10MB, SEC, f.b, 14 + 20 + 20 + 12,
	    (uint32_t)f.n);
	tcp_seg_from(4002, 53, 24, 0x18, s + 22, 32, SEC);
	assert_int_equal(got.n, 3);
	assert_int_equal(got.first[2], 0x22);
	assert_int_equal(got.flags[2], 0);
}

/* SYN, SYN-ACK, FIN and RST events, and their direction. */
static void
tcp_events_valid(void **state)
{
	uint8_t	 s[64];
	size_t	 n = two_msgs(s);

	(void)state;
	tcp_seg_from(4000, 53, 1, 0x02, NULL, 0, SEC);		/* SYN */
	assert_int_equal(got.last_ev.sport, 4000);
	assert_int_equal(got.last_ev.dport, 53);
	tcp_seg_from(53, 4000, 9, 0x12, NULL, 0, SEC);		/* SYN-ACK */
	tcp_seg_from(4000, 53, 2, 0x19, s, n, SEC);		/* data, FIN */
	tcp_seg_from(53, 4000, 10, 0x14, NULL, 0, SEC);		/* RST */
	tcp_seg_from(53, 4001, 1, 0x02, NULL, 0, SEC);	/* SYN from 53 */
	assert_int_equal(got.events[CAP_EV_TCP_SYN], 1);
	assert_int_equal(got.events[CAP_EV_TCP_SYNACK], 1);
	assert_int_equal(got.events[CAP_EV_TCP_FIN], 1);
	assert_int_equal(got.events[CAP_EV_TCP_RST], 1);
	assert_int_equal(got.last_ev.event, CAP_EV_TCP_RST);
	assert_int_equal(got.last_ev.sport, 53);
	assert_int_equal(got.n, 2);
	assert_int_equal(skipped(CAP_SKIP_TCP_CTRL), 4);
}

/* Past the flow cap the least recently used flow is evicted. */
static void
tcp_flow_cap_evicts_edge(void **state)
{
	uint8_t		 s[64];
	unsigned	 i;

	(void)state;
	two_msgs(s);
	for (i = 0; i < 10; i++)
		tcp_seg_from(4000 + i, 53, 1, 0x18, s, 1, SEC);
	assert_int_equal(cap_net_stats(net)->tcp_flows, 10);
	assert_int_equal(cap_net_stats(net)->tcp_evicted, 6);
	/* The newest four are held: their messages complete. */
	for (i = 9; i >= 6; i--)
		tcp_seg_from(4000 + i, 53, 2, 0x18, s + 1, 21, SEC);
	assert_int_equal(got.n, 4);
	/* An evicted flow starts again mid-message: nothing sensible. */
	tcp_seg_from(4000, 53, 2, 0x18, s + 1, 21, SEC);
	assert_int_equal(got.n, 4);
	assert_int_equal(cap_net_stats(net)->tcp_evicted, 7);
	/* Idle flows expire by packet time. */
	cap_net_expire(net, 1000 * SEC);
	tcp_seg_from(4009, 53, 23, 0x18, s + 22, 32, 1000 * SEC);
	assert_int_equal(got.n, 5);
}

/* ICMP unreachable quoting DNS over UDP, and ones that do not. */
static void
icmp_unreachable_valid(void **state)
{
	struct fb	 f;
	uint8_t		 q[28];

	(void)state;
	/* ICMP port unreachable quoting 10.0.0.2:4000 > 10.0.0.1:53. */
	f.n = 0;
	ipv4(&f, 17, 8, 5, 0);
	memcpy(f.b + 12, "\12\0\0\2\12\0\0\1", 8);
	put(&f, "\x0f\xa0\0\x35\0\x10\0\0", 8);
	memcpy(q, f.b, 28);
	f.n = 0;
	ipv4(&f, 1, 8 + 28, 6, 0);
	put(&f, "\3\3\0\0\0\0\0\0", 8);
	put(&f, q, 28);
	feed(&f, DLT_RAW, SEC);
	assert_int_equal(got.events[CAP_EV_ICMP_UNREACH], 1);
	assert_int_equal(got.last_ev.sport, 4000);
	assert_int_equal(got.last_ev.dport, 53);
	assert_int_equal(got.last_ev.src[0], 10);
	assert_int_equal(got.last_ev.src[3], 2);
	assert_int_equal(got.last_ev.family, 4);
	assert_int_equal(cap_net_stats(net)->icmp_unreach, 1);
	/* Echo request, and an unreachable for another port. */
	f.b[20] = 8;
	feed(&f, DLT_RAW, SEC);
	assert_int_equal(skipped(CAP_SKIP_PROTO), 1);
	f.b[20] = 3;
	f.b[20 + 8 + 23] = 54;
	feed(&f, DLT_RAW, SEC);
	assert_int_equal(skipped(CAP_SKIP_PORT), 1);
	assert_int_equal(got.n, 0);
}

/* ICMPv6 unreachable quoting DNS over UDP. */
static void
icmp6_unreachable_valid(void **state)
{
	struct fb	 f, q;

	(void)state;
	q.n = 0;
	ipv6(&q, 17, 8);
	put(&q, "\0\x35\x13\x88\0\x10\0\0", 8);		/* 53 > 5000 */
	f.n = 0;
	ipv6(&f, 58, 8 + q.n);
	put(&f, "\1\4\0\0\0\0\0\0", 8);
	put(&f, q.b, q.n);
	feed(&f, DLT_RAW, SEC);
	assert_int_equal(got.events[CAP_EV_ICMP_UNREACH], 1);
	assert_int_equal(got.last_ev.family, 6);
	assert_int_equal(got.last_ev.sport, 53);
	assert_int_equal(got.last_ev.dport, 5000);
	assert_int_equal(got.last_ev.dst[15], 2);
}

/* A snap-cut UDP message is handed on, flagged; cut headers are not. */
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
	cap_net_packet(net, DLT_EN10MB, SEC, f.b, 80, (uint32_t)f.n);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.len[0], 80 - 14 - 20 - 8);
	assert_int_equal(got.wire[0], 100);
	assert_true(got.flags[0] & CAP_F_SNAPCUT);
	assert_int_equal(cap_net_stats(net)->snap_cut, 1);
	/* Cut inside the IP or UDP header: counted, nothing handed on. */
	cap_net_packet(net, DLT_EN10MB, SEC, f.b, 20, (uint32_t)f.n);
	cap_net_packet(net, DLT_EN10MB, SEC, f.b, 38, (uint32_t)f.n);
	assert_int_equal(got.n, 1);
	assert_int_equal(skipped(CAP_SKIP_SNAPLEN), 2);
}

/* A second DNS port from the options. */
static void
ports_and_small_caps_valid(void **state)
{
	struct fb	 f;

	(void)state;
	f.n = 0;
	udp4_frame(&f, 9);
	f.b[22] = 0x14;			/* dport 5353, sport 5353 */
	f.b[23] = 0xe9;
	feed(&f, DLT_RAW, SEC);
	assert_int_equal(got.n, 1);
	f.b[22] = 0x14;			/* 5354 > 5354 */
	f.b[23] = 0xea;
	f.b[20] = 0x14;
	f.b[21] = 0xea;
	feed(&f, DLT_RAW, SEC);
	assert_int_equal(skipped(CAP_SKIP_PORT), 1);
}

/*
 * Write a pcap file of n copies of a DNS-over-UDP raw-IP packet, the last
 * cut after cut bytes of its record if cut > 0; nano picks the magic.
 */
static char *
write_pcap(const char *tag, uint32_t frac, int n, int cut)
{
	static char	 path[256];
	struct fb	 f, r;
	uint32_t	 hdr[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, 65535,
	    DLT_RAW };
	FILE		*fp;
	int		 i;

	if (frac >= 1000000)
		hdr[0] = 0xa1b23c4d;	/* nanosecond time stamps */
	snprintf(path, sizeof(path), "/tmp/test_net.%d.%s.pcap", (int)getpid(),
	    tag);
	assert_non_null(fp = fopen(path, "wb"));
	fwrite(hdr, sizeof(hdr), 1, fp);	/* host byte order */
	f.n = 0;
	udp4_frame(&f, 0x42);
	for (i = 0; i < n; i++) {
		r.n = 0;
		memcpy(r.b, (uint32_t [4]){ 1700000000u + (uint32_t)i,
		    frac % 1000000000u, (uint32_t)f.n, (uint32_t)f.n }, 16);
		r.n = 16;
		put(&r, f.b, f.n);
		fwrite(r.b, 1, i == n - 1 && cut > 0 ? (size_t)cut : r.n, fp);
	}
	fclose(fp);
	return path;
}

/* Read a file through both layers; -1 with *cause on a failed open. */
static int
read_all(const char *path, const char *filter, int *msgs, int *tcp,
    char **cause)
{
	struct cap_source	*s;
	struct cap_net_opts	 o;
	int			 r;

	*cause = NULL;
	memset(&o, 0, sizeof(o));
	memset(&got, 0, sizeof(got));
	if ((s = cap_open_offline(path, filter, cause)) == NULL)
		return -1;
	net = cap_net_create(&o, sink, NULL);
	while ((r = cap_dispatch(s, 64, cap_net_packet, net)) > 0)
		;
	if (r < 0)
		*cause = strdup(cap_error(s));
	else
		assert_true(cap_eof(s));
	cap_net_expire(net, UINT64_MAX);
	*msgs = got.n;
	*tcp = got.tcp;
	read_linktype_skips = skipped(CAP_SKIP_LINKTYPE);
	cap_net_destroy(net);
	net = NULL;
	cap_close(s);
	return r < 0 ? -2 : 0;
}

/* Microsecond and nanosecond files give nanosecond times; filters apply. */
static void
source_timestamps_valid(void **state)
{
	int	 m, t;
	char	*cause;

	(void)state;
	assert_int_equal(read_all(write_pcap("us", 123456, 2, 0), "", &m, &t,
	    &cause), 0);
	assert_int_equal(m, 2);
	assert_int_equal(got.ts[0], 1700000000 * SEC + 123456000);
	assert_int_equal(read_all(write_pcap("ns", 1123456789, 3, 0), NULL,
	    &m, &t, &cause), 0);
	assert_int_equal(m, 3);
	assert_int_equal(got.ts[2], 1700000002 * SEC + 123456789);
	assert_int_equal(got.frame[2], 3);
	/* A filter that keeps nothing. */
	assert_int_equal(read_all(write_pcap("us", 1, 2, 0), "tcp", &m, &t,
	    &cause), 0);
	assert_int_equal(m, 0);
	unlink(write_pcap("us", 0, 0, 0));
	unlink(write_pcap("ns", 0, 0, 0));
}

/* Count a packet and stop the read loop. */
static void
count_and_break(void *arg, int dlt, uint64_t ts, const uint8_t *p,
    uint32_t caplen, uint32_t wirelen)
{
	struct cap_source	*s = arg;

	(void)dlt;
	(void)ts;
	(void)p;
	(void)caplen;
	(void)wirelen;
	got.n++;
	cap_breakloop(s);
}

/* The accessors on a file; cap_breakloop() pauses the reading. */
static void
source_accessors_and_breakloop_valid(void **state)
{
	struct cap_pcap_stats	 st;
	struct cap_source	*s;
	char			*cause = NULL, *path;
	int			 i;

	(void)state;
	memset(&got, 0, sizeof(got));
	path = write_pcap("brk", 5, 3, 0);
	assert_non_null(s = cap_open_offline(path, "", &cause));
	assert_false(cap_is_live(s));
	assert_int_equal(cap_fd(s), -1);
	assert_int_equal(cap_datalink(s), DLT_RAW);
	assert_int_equal(cap_snaplen(s), 65535);
	assert_string_equal(cap_name(s), path);
	cap_stats(s, &st);
	assert_false(st.valid);
	/* A break stops the loop after the packet in hand, not for good. */
	assert_int_equal(cap_dispatch(s, 64, count_and_break, s), 1);
	assert_int_equal(cap_dispatch(s, 64, count_and_break, s), 0);
	assert_false(cap_eof(s));
	for (i = 0; i < 10 && !cap_eof(s); i++)
		assert_true(cap_dispatch(s, 64, count_and_break, s) >= 0);
	assert_true(cap_eof(s));
	assert_int_equal(got.n, 3);
	cap_close(s);
	unlink(path);
}

/* A file cut mid-packet errors after every whole packet. */
static void
source_cut_mid_packet_edge(void **state)
{
	int	 m, t;
	char	*cause, *path;

	(void)state;
	path = write_pcap("cut", 5, 4, 30);
	assert_int_equal(read_all(path, "", &m, &t, &cause), -2);
	assert_int_equal(m, 3);			/* every whole packet */
	assert_non_null(strstr(cause, path));
	assert_non_null(strstr(cause, "truncated"));
	assert_null(strchr(cause, '\n'));
	free(cause);
	unlink(path);
}

/* "-" reads standard input; an empty one is a clear error. */
static void
source_stdin_valid(void **state)
{
	int	 m, t, fd, saved;
	char	*cause, *path;

	(void)state;
	path = write_pcap("stdin", 5, 5, 0);
	saved = dup(0);
	assert_true((fd = open(path, O_RDONLY)) >= 0);
	dup2(fd, 0);
	close(fd);
	assert_int_equal(read_all("-", NULL, &m, &t, &cause), 0);
	assert_int_equal(m, 5);
	/* Nothing at all on standard input. */
	assert_true((fd = open("/dev/null", O_RDONLY)) >= 0);
	dup2(fd, 0);
	close(fd);
	assert_int_equal(read_all("-", NULL, &m, &t, &cause), -1);
	assert_non_null(strstr(cause, "(stdin): empty"));
	free(cause);
	dup2(saved, 0);
	close(saved);
	unlink(path);
}

/* Missing file, bad filter and two link types give one-line errors. */
static void
source_open_errors_malform(void **state)
{
	int	 m, t;
	char	*cause, *path;

	(void)state;
	assert_int_equal(read_all("/nonexistent/dns.pcap", NULL, &m, &t,
	    &cause), -1);
	assert_string_equal(cause,
	    "/nonexistent/dns.pcap: No such file or directory");
	free(cause);
	path = write_pcap("filter", 5, 1, 0);
	assert_int_equal(read_all(path, "prot 53", &m, &t, &cause), -1);
	assert_true(strncmp(cause, "bad filter 'prot 53': ", 22) == 0);
	assert_null(strchr(cause, '\n'));
	free(cause);
	unlink(path);
	assert_int_equal(read_all(GLUETOP_SRCDIR "/tests/data/"
	    "two-linktypes.pcapng", NULL, &m, &t, &cause), -2);
	assert_non_null(strstr(cause, "two-linktypes.pcapng: pcapng with "
	    "more than one link type is not supported; split it"));
	free(cause);
}

/* One 12-byte datagram to 127.0.0.1:53, on loopback only. */
static void
send_loopback_dns(void)
{
	struct sockaddr_in	 sin;
	uint8_t			 q[12] = { 0x47, 0x54 };
	int			 fd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(53);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true((fd = socket(AF_INET, SOCK_DGRAM, 0)) >= 0);
	sendto(fd, q, sizeof(q), 0, (struct sockaddr *)&sin, sizeof(sin));
	close(fd);
}

/* A live capture on lo sees a datagram sent to 127.0.0.1:53. */
static void
source_live_loopback_valid(void **state)
{
	struct cap_live_opts	 o = { 0, 0, 0, 1 };
	struct cap_pcap_stats	 st;
	struct cap_source	*s;
	struct pollfd		 pfd;
	char			*cause = NULL;
	int			 i;

	(void)state;
	s = cap_open_live("lo", &o, "udp port 53 and host 127.0.0.1", &cause);
	if (s == NULL) {
		free(cause);
		skip();			/* not allowed to capture here */
	}
	assert_true(cap_is_live(s));
	assert_true((pfd.fd = cap_fd(s)) >= 0);
	assert_int_equal(cap_datalink(s), DLT_EN10MB);
	assert_string_equal(cap_name(s), "lo");
	memset(&got, 0, sizeof(got));
	net = cap_net_create(&(struct cap_net_opts){ .nports = 0 }, sink,
	    NULL);
	send_loopback_dns();
	pfd.events = POLLIN;
	for (i = 0; i < 20 && got.n == 0; i++) {
		poll(&pfd, 1, 100);
		assert_true(cap_dispatch(s, 64, cap_net_packet, net) >= 0);
	}
	assert_true(got.n >= 1);
	assert_false(cap_eof(s));
	cap_stats(s, &st);
	assert_true(st.valid);
	cap_net_destroy(net);
	net = NULL;
	cap_close(s);
}

/* The device list names lo as tcpdump -D does. */
static void
source_list_devices_valid(void **state)
{
	char	 line[512], *cause = NULL;
	FILE	*fp;
	int	 found = 0;

	(void)state;
	assert_non_null(fp = tmpfile());
	if (cap_list_devices(fp, &cause) != 0) {
		free(cause);
		fclose(fp);
		skip();
	}
	rewind(fp);
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strstr(line, ".lo [") != NULL &&
		    strstr(line, "Loopback") != NULL)
			found = 1;
	fclose(fp);
	assert_true(found);
}

/* A key's value in a corpus truth file; -1 when missing. */
static int
truth_value(const char *truth, const char *key)
{
	char	 line[256];
	FILE	*fp;
	size_t	 kl = strlen(key);
	int	 v = -1;

	if ((fp = fopen(truth, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, key, kl) == 0 && line[kl] == '=')
			v = atoi(line + kl + 1);
	fclose(fp);
	return v;
}

/* The exception for a corpus file, or NULL. */
static const struct exception *
find_exception(const char *file)
{
	const struct exception	*e;

	for (e = exceptions; e->file != NULL; e++)
		if (strcmp(e->file, file) == 0)
			return e;
	return NULL;
}

/* Check one corpus capture (rel is "folder/file") against its truth. */
static int
corpus_file(const char *rel)
{
	const struct exception	*e;
	char			 path[1024], truth[1100], *cause;
	int			 m, t, want, want_tcp, r, bad = 0;

	snprintf(path, sizeof(path), "%s/%s", CORPUS, rel);
	snprintf(truth, sizeof(truth), "%s.truth.txt", path);
	want = truth_value(truth, "messages");
	want_tcp = truth_value(truth, "messages_over_tcp");
	if ((e = find_exception(rel)) != NULL) {
		want = e->messages;
		want_tcp = e->over_tcp;
	}
	r = read_all(path, "", &m, &t, &cause);
	/* Only files that are not captures may fail to open. */
	if (r == -1 && (strstr(cause, rel) == NULL ||
	    (strstr(cause, "empty") == NULL &&
	    strstr(cause, "unknown file format") == NULL)))
		bad++;
	/* Only the file cut mid-packet may fail while reading. */
	if (r == -2 && (strcmp(rel, "derived/dns-cut.pcap") != 0 ||
	    strstr(cause, "truncated") == NULL))
		bad++;
	if (bad)
		print_error("%s: %s\n", rel, cause);
	free(cause);
	if (r != -1 && (m != want || t != want_tcp)) {
		print_error("%s: %d messages (%d over TCP), tshark says %d "
		    "(%d)\n", rel, m, t, want, want_tcp);
		bad++;
	}
	return bad;
}

/* Check every capture of one corpus folder; count them in *files. */
static int
corpus_dir(const char *dir, int *files)
{
	struct dirent	*de;
	DIR		*d;
	char		 path[1024], rel[300];
	int		 bad = 0;

	snprintf(path, sizeof(path), "%s/%s", CORPUS, dir);
	if ((d = opendir(path)) == NULL)
		return 1;
	while ((de = readdir(d)) != NULL) {
		if (strstr(de->d_name, ".pcap") == NULL ||
		    strstr(de->d_name, ".txt") != NULL)
			continue;
		snprintf(rel, sizeof(rel), "%s/%s", dir, de->d_name);
		(*files)++;
		bad += corpus_file(rel);
	}
	closedir(d);
	return bad;
}

/* The link type of a corpus capture. */
static int
corpus_dlt(const char *rel)
{
	struct cap_source	*s;
	char			 path[1024], *cause = NULL;
	int			 dlt;

	snprintf(path, sizeof(path), "%s/%s", CORPUS, rel);
	assert_non_null(s = cap_open_offline(path, "", &cause));
	dlt = cap_datalink(s);
	cap_close(s);
	return dlt;
}

/* Every corpus capture gives tshark's message counts. */
static void
corpus_counts_match_truth_valid(void **state)
{
	static const char	*dirs[] = { "tcpdump", "dnscap", "zeek",
	    "derived" };
	struct stat		 st;
	size_t			 i;
	int			 bad = 0, files = 0;

	(void)state;
	if (stat(CORPUS, &st) != 0)
		skip();
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		bad += corpus_dir(dirs[i], &files);
	assert_int_equal(bad, 0);
	assert_true(files >= 90);
}

/* The corpus's broken files give their errors; link types and filter. */
static void
corpus_broken_files_malform(void **state)
{
	struct stat	 st;
	int		 m, t;
	char		*cause;

	(void)state;
	if (stat(CORPUS, &st) != 0)
		skip();
	assert_int_equal(read_all(CORPUS "/derived/empty.pcap", NULL, &m, &t,
	    &cause), -1);
	assert_non_null(strstr(cause, "derived/empty.pcap: empty file"));
	free(cause);
	assert_int_equal(read_all(CORPUS "/derived/not-a-pcap.pcap", NULL,
	    &m, &t, &cause), -1);
	assert_non_null(strstr(cause, "not-a-pcap.pcap: unknown file format "
	    "(not a pcap or pcapng capture)"));
	free(cause);
	assert_int_equal(read_all(CORPUS "/derived/dns-cut.pcap", NULL, &m,
	    &t, &cause), -2);
	assert_int_equal(m, 61);
	assert_non_null(strstr(cause, "dns-cut.pcap: truncated"));
	free(cause);
	/* FDDI: every frame is counted as an unsupported link type. */
	assert_int_equal(read_all(CORPUS "/zeek/dns-inverse-query.pcap", "",
	    &m, &t, &cause), 0);
	assert_int_equal(read_linktype_skips, 11);
	/* Link types as libpcap reports them (LINKTYPE_RAW is DLT_RAW). */
	assert_int_equal(corpus_dlt("dnscap/frags.pcap"), DLT_IPV4);
	assert_int_equal(corpus_dlt("zeek/dns_ech.pcap"), DLT_RAW);
	assert_int_equal(corpus_dlt("dnscap/sll2.pcap"), DLT_LINUX_SLL2);
	assert_int_equal(corpus_dlt("tcpdump/dns-badcookie.pcap"), DLT_NULL);
	/* The default filter keeps fragments: dnscap/frags.pcap. */
	assert_int_equal(read_all(CORPUS "/dnscap/frags.pcap", NULL, &m, &t,
	    &cause), 0);
	assert_int_equal(m, 82);
}

/* Run every test. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(x) cmocka_unit_test_setup_teardown(x, setup, teardown)
#define S(x) cmocka_unit_test_setup_teardown(x, setup_small, teardown)
		T(ethernet_vlan_stack_valid),
		T(ethernet_padding_and_snap_valid),
		T(link_types_valid),
		T(link_types_ipv6_and_unsupported_edge),
		T(ipv4_header_malform),
		T(udp_length_edge),
		T(ipv6_extension_headers_valid),
		T(fragments_in_order_and_reordered_valid),
		T(fragments_conflicting_overlap_malform),
		T(fragments_bad_geometry_malform),
		T(fragments_missing_time_out_edge),
		S(fragments_cap_evicts_edge),
		T(fragments_ipv6_valid),
		T(tcp_two_messages_one_segment_valid),
		T(tcp_one_message_three_segments_valid),
		T(tcp_out_of_order_and_retransmitted_edge),
		T(tcp_mid_stream_and_lost_segment_edge),
		T(tcp_hole_at_expiry_edge),
		S(tcp_bad_prefix_and_buffer_cap_malform),
		T(tcp_fin_short_message_edge),
		T(tcp_snaplen_cut_segment_edge),
		T(tcp_events_valid),
		T(tcp_flow_cap_evicts_edge),
		T(icmp_unreachable_valid),
		T(icmp6_unreachable_valid),
		T(snaplen_cut_is_flagged_edge),
		S(ports_and_small_caps_valid),
		cmocka_unit_test(source_timestamps_valid),
		cmocka_unit_test(source_accessors_and_breakloop_valid),
		cmocka_unit_test(source_cut_mid_packet_edge),
		cmocka_unit_test(source_stdin_valid),
		cmocka_unit_test(source_open_errors_malform),
		cmocka_unit_test(source_live_loopback_valid),
		cmocka_unit_test(source_list_devices_valid),
		cmocka_unit_test(corpus_counts_match_truth_valid),
		cmocka_unit_test(corpus_broken_files_malform),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
