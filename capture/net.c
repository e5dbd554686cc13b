/*
 * net.c -- from frames to DNS messages: link (link.c), IPv4 and IPv6 with
 * extension headers, fragments (frag.c), UDP, TCP (tcp.c) and ICMP
 * unreachables.  Knows ports, never DNS meaning.
 */
#include <stdlib.h>
#include <string.h>

#include "capture/frag.h"
#include "capture/link.h"
#include "capture/net.h"
#include "capture/tcp.h"
#include "util/cursor.h"
#include "util/xmalloc.h"

#define IPPROTO_ICMP_	1
#define IPPROTO_TCP_	6
#define IPPROTO_UDP_	17
#define IPPROTO_ICMPV6_	58

/* What the network layer found, handed to the transports. */
struct ip_info {
	uint8_t		 family;
	uint8_t		 proto;
	uint8_t		 flags;		/* CAP_F_* */
	uint8_t		 src[16], dst[16];
	size_t		 wire_len;	/* transport bytes on the wire */
};

struct cap_net {
	struct cap_net_opts	 o;
	cap_msg_fn		 fn;
	void			*arg;
	struct frag_table	*frag;
	struct tcp_table	*tcp;
	struct cap_net_stats	 st;
	uint64_t		 ts;
};

static const char *skip_names[CAP_SKIP__MAX] = {
	[CAP_SKIP_LINKTYPE] = "unsupported link type",
	[CAP_SKIP_LINK] = "link header cut short",
	[CAP_SKIP_NOT_IP] = "not IP",
	[CAP_SKIP_IP_BAD] = "malformed IP header",
	[CAP_SKIP_PROTO] = "not UDP, TCP or ICMP",
	[CAP_SKIP_PORT] = "not on a DNS port",
	[CAP_SKIP_FRAGMENT] = "fragment held for reassembly",
	[CAP_SKIP_TCP_CTRL] = "TCP segment without payload",
	[CAP_SKIP_TCP_PARTIAL] = "TCP bytes held for a message",
	[CAP_SKIP_SNAPLEN] = "cut before the DNS payload",
	[CAP_SKIP_EMPTY] = "UDP datagram without payload",
};

static int	is_dns_port(const struct cap_net *, uint16_t);
static void	skip(struct cap_net *, enum cap_skip);
static void	do_ipv4(struct cap_net *, const uint8_t *, size_t, size_t);
static void	do_ipv6(struct cap_net *, const uint8_t *, size_t, size_t);
static void	do_transport(struct cap_net *, struct ip_info *,
		    const uint8_t *, size_t);
static void	do_udp(struct cap_net *, struct ip_info *, const uint8_t *,
		    size_t);
static void	do_tcp(struct cap_net *, struct ip_info *, const uint8_t *,
		    size_t);
static void	do_icmp(struct cap_net *, struct ip_info *, const uint8_t *,
		    size_t);
static void	emit(struct cap_net *, const struct ip_info *, int, uint16_t,
		    uint16_t, const uint8_t *, size_t, size_t);
static void	on_tcp_msg(void *, const struct tcp_key *, const uint8_t *,
		    size_t, int);
static void	do_fragment(struct cap_net *, struct ip_info *, uint32_t,
		    size_t, int, const uint8_t *, size_t);

/* The name of a skip reason. */
const char *
cap_skip_name(enum cap_skip s)
{
	return (unsigned)s < CAP_SKIP__MAX ? skip_names[s] : "?";
}

struct cap_net *
cap_net_create(const struct cap_net_opts *o, cap_msg_fn fn, void *arg)
{
	struct cap_net	*n = xcalloc(1, sizeof(*n));

	n->o = *o;
	if (n->o.nports == 0) {
		n->o.ports[0] = 53;
		n->o.nports = 1;
	}
	n->fn = fn;
	n->arg = arg;
	n->frag = frag_create(o->frag_max ? o->frag_max : 1024,
	    o->frag_timeout_ns ? o->frag_timeout_ns : 30000000000ULL);
	n->tcp = tcp_create(o->tcp_max_flows ? o->tcp_max_flows : 4096,
	    o->tcp_max_buf ? o->tcp_max_buf : 131072,
	    o->tcp_timeout_ns ? o->tcp_timeout_ns : 60000000000ULL,
	    on_tcp_msg, n);
	return n;
}

void
cap_net_destroy(struct cap_net *n)
{
	if (n == NULL)
		return;
	frag_destroy(n->frag);
	tcp_destroy(n->tcp);
	free(n);
}

int
cap_net_dlt_ok(int dlt)
{
	return link_supported(dlt);
}

/* Is port one of the DNS ports? */
static int
is_dns_port(const struct cap_net *n, uint16_t port)
{
	int	 i;

	for (i = 0; i < n->o.nports; i++)
		if (n->o.ports[i] == port)
			return 1;
	return 0;
}

/* Count a frame that yields nothing. */
static void
skip(struct cap_net *n, enum cap_skip why)
{
	n->st.skipped[why]++;
	if (why == CAP_SKIP_IP_BAD)
		n->st.malformed++;
}

/* One frame; see net.h. */
void
cap_net_packet(void *arg, int dlt, uint64_t ts, const uint8_t *p,
    uint32_t caplen, uint32_t wirelen)
{
	struct cap_net	*n = arg;
	size_t		 off = 0;
	int		 r;

	n->st.packets++;
	n->st.bytes += wirelen;
	n->ts = ts;
	if (caplen < wirelen)
		n->st.snap_cut++;
	r = link_decode(dlt, p, caplen, &off);
	if (r == LINK_UNSUPPORTED)
		skip(n, CAP_SKIP_LINKTYPE);
	else if (r == LINK_SHORT)
		skip(n, CAP_SKIP_LINK);
	else if (r == LINK_IPV4)
		do_ipv4(n, p + off, caplen - off, wirelen - off);
	else if (r == LINK_IPV6)
		do_ipv6(n, p + off, caplen - off, wirelen - off);
	else
		skip(n, CAP_SKIP_NOT_IP);
}

/* IPv4 (RFC 791): header checks, padding stripped, fragments. */
static void
do_ipv4(struct cap_net *n, const uint8_t *p, size_t caplen, size_t wirelen)
{
	struct ip_info	 ip;
	size_t		 hl, total, avail;
	unsigned	 fo;

	if (caplen < 20 || p[0] >> 4 != 4 || (hl = (size_t)(p[0] & 15) * 4) <
	    20 || hl > caplen) {
		skip(n, caplen < 20 && wirelen >= 20 ? CAP_SKIP_SNAPLEN :
		    CAP_SKIP_IP_BAD);
		return;
	}
	total = (size_t)(p[2] << 8 | p[3]);
	if (total < hl) {
		skip(n, CAP_SKIP_IP_BAD);
		return;
	}
	if (total > wirelen)
		n->st.malformed++;	/* the header claims more than came */
	memset(&ip, 0, sizeof(ip));
	ip.family = 4;
	ip.proto = p[9];
	memcpy(ip.src, p + 12, 4);
	memcpy(ip.dst, p + 16, 4);
	avail = (total < caplen ? total : caplen) - hl;
	ip.wire_len = total - hl;
	if (avail < ip.wire_len)
		ip.flags |= CAP_F_SNAPCUT;
	fo = (unsigned)((p[6] & 0x1f) << 8 | p[7]);
	if ((p[6] & 0x20) || fo != 0) {
		do_fragment(n, &ip, (uint32_t)(p[4] << 8 | p[5]),
		    (size_t)fo * 8, (p[6] & 0x20) != 0, p + hl, avail);
		return;
	}
	do_transport(n, &ip, p + hl, avail);
}

/* IPv6 (RFC 8200) and its extension headers. */
static void
do_ipv6(struct cap_net *n, const uint8_t *p, size_t caplen, size_t wirelen)
{
	struct ip_info	 ip;
	struct cur	 c;
	size_t		 plen, end, hlen;
	uint8_t		 next;
	uint16_t	 fo;
	uint32_t	 id;

	if (caplen < 40 || p[0] >> 4 != 6) {
		skip(n, caplen < 40 && wirelen >= 40 ? CAP_SKIP_SNAPLEN :
		    CAP_SKIP_IP_BAD);
		return;
	}
	plen = (size_t)(p[4] << 8 | p[5]);
	if (plen + 40 > wirelen)
		n->st.malformed++;	/* the header claims more than came */
	memset(&ip, 0, sizeof(ip));
	ip.family = 6;
	memcpy(ip.src, p + 8, 16);
	memcpy(ip.dst, p + 24, 16);
	end = plen + 40 < caplen ? plen + 40 : caplen;
	cur_init(&c, p, end);
	c.pos = 40;
	next = p[6];
	for (;;) {
		if (next == 0 || next == 43 || next == 60 || next == 51) {
			/* Hop-by-hop, routing, destination options, AH. */
			uint8_t nn = cur_u8(&c), l = cur_u8(&c);

			hlen = next == 51 ? ((size_t)l + 2) * 4 :
			    ((size_t)l + 1) * 8;
			if (c.err || hlen < 2 || hlen - 2 > cur_left(&c)) {
				skip(n, CAP_SKIP_IP_BAD);
				return;
			}
			c.pos += hlen - 2;
			next = nn;
			continue;
		}
		if (next == 44) {
			/* Fragment header (RFC 8200 §4.5). */
			uint8_t nn = cur_u8(&c);

			cur_skip(&c, 1);
			fo = cur_u16(&c);
			id = cur_u32(&c);
			if (c.err || plen + 40 < c.pos) {
				skip(n, CAP_SKIP_IP_BAD);
				return;
			}
			ip.proto = nn;
			ip.wire_len = plen + 40 - c.pos;
			do_fragment(n, &ip, id, (size_t)(fo >> 3) * 8, fo & 1,
			    p + c.pos, end - c.pos);
			return;
		}
		break;
	}
	if (plen + 40 < c.pos) {
		skip(n, CAP_SKIP_IP_BAD);
		return;
	}
	ip.proto = next;
	ip.wire_len = plen + 40 - c.pos;
	if (end - c.pos < ip.wire_len)
		ip.flags |= CAP_F_SNAPCUT;
	do_transport(n, &ip, p + c.pos, end - c.pos);
}

/* A fragment: hold it, or go on with the whole datagram. */
static void
do_fragment(struct cap_net *n, struct ip_info *ip, uint32_t id, size_t off,
    int more, const uint8_t *p, size_t len)
{
	struct frag_key	 k;
	const uint8_t	*data;
	size_t		 dlen;
	int		 r;

	if (ip->flags & CAP_F_SNAPCUT) {
		skip(n, CAP_SKIP_SNAPLEN);
		return;
	}
	memset(&k, 0, sizeof(k));
	k.family = ip->family;
	k.proto = ip->proto;
	memcpy(k.src, ip->src, 16);
	memcpy(k.dst, ip->dst, 16);
	k.id = id;
	r = frag_add(n->frag, &k, n->ts, off, more, p, len, &data, &dlen);
	if (r <= 0) {
		skip(n, r < 0 ? CAP_SKIP_IP_BAD : CAP_SKIP_FRAGMENT);
		return;
	}
	ip->flags |= CAP_F_DEFRAG;
	ip->wire_len = dlen;
	do_transport(n, ip, data, dlen);
}

/* Dispatch on the transport protocol. */
static void
do_transport(struct cap_net *n, struct ip_info *ip, const uint8_t *p,
    size_t len)
{
	if (ip->proto == IPPROTO_UDP_)
		do_udp(n, ip, p, len);
	else if (ip->proto == IPPROTO_TCP_)
		do_tcp(n, ip, p, len);
	else if ((ip->proto == IPPROTO_ICMP_ && ip->family == 4) ||
	    (ip->proto == IPPROTO_ICMPV6_ && ip->family == 6))
		do_icmp(n, ip, p, len);
	else
		skip(n, CAP_SKIP_PROTO);
}

/* Hand one message or event up. */
static void
emit(struct cap_net *n, const struct ip_info *ip, int transport,
    uint16_t sport, uint16_t dport, const uint8_t *data, size_t len,
    size_t wire_len)
{
	struct cap_msg	 m;

	memset(&m, 0, sizeof(m));
	m.ts_ns = n->ts;
	m.frame = n->st.packets;
	m.event = CAP_EV_DNS;
	m.family = ip->family;
	m.transport = (uint8_t)transport;
	m.flags = ip->flags;
	memcpy(m.src, ip->src, 16);
	memcpy(m.dst, ip->dst, 16);
	m.sport = sport;
	m.dport = dport;
	m.data = data;
	m.len = len;
	m.wire_len = wire_len > len ? wire_len : len;
	n->st.dns_msgs++;
	if (transport == CAP_TRANSPORT_TCP)
		n->st.dns_tcp++;
	else
		n->st.dns_udp++;
	n->fn(n->arg, &m);
}

/* UDP (RFC 768). */
static void
do_udp(struct cap_net *n, struct ip_info *ip, const uint8_t *p, size_t len)
{
	uint16_t	 sport, dport;
	size_t		 ulen;

	if (len < 8) {
		skip(n, ip->flags & CAP_F_SNAPCUT ? CAP_SKIP_SNAPLEN :
		    CAP_SKIP_IP_BAD);
		return;
	}
	sport = (uint16_t)(p[0] << 8 | p[1]);
	dport = (uint16_t)(p[2] << 8 | p[3]);
	ulen = (size_t)(p[4] << 8 | p[5]);
	if (!is_dns_port(n, sport) && !is_dns_port(n, dport)) {
		skip(n, CAP_SKIP_PORT);
		return;
	}
	if (ulen < 8) {
		skip(n, CAP_SKIP_IP_BAD);
		return;
	}
	if (ulen == 8) {
		skip(n, CAP_SKIP_EMPTY);
		return;
	}
	emit(n, ip, CAP_TRANSPORT_UDP, sport, dport, p + 8,
	    (ulen < len ? ulen : len) - 8, ulen - 8);
}

/* A message reassembled by tcp.c. */
static void
on_tcp_msg(void *arg, const struct tcp_key *k, const uint8_t *data,
    size_t len, int gap)
{
	struct cap_net	*n = arg;
	struct ip_info	 ip;

	memset(&ip, 0, sizeof(ip));
	ip.family = k->family;
	ip.flags = gap ? CAP_F_TCPGAP : 0;
	memcpy(ip.src, k->src, 16);
	memcpy(ip.dst, k->dst, 16);
	emit(n, &ip, CAP_TRANSPORT_TCP, k->sport, k->dport, data, len, len);
}

/* TCP (RFC 9293): connection events and the stream. */
static void
do_tcp(struct cap_net *n, struct ip_info *ip, const uint8_t *p, size_t len)
{
	struct tcp_key	 k;
	struct cap_msg	 ev;
	size_t		 hl;
	uint16_t	 sport, dport;
	uint8_t		 fl;
	int		 flags = 0;

	if (len < 20 || (hl = (size_t)(p[12] >> 4) * 4) < 20 || hl > len) {
		skip(n, ip->flags & CAP_F_SNAPCUT ? CAP_SKIP_SNAPLEN :
		    CAP_SKIP_IP_BAD);
		return;
	}
	sport = (uint16_t)(p[0] << 8 | p[1]);
	dport = (uint16_t)(p[2] << 8 | p[3]);
	if (!is_dns_port(n, sport) && !is_dns_port(n, dport)) {
		skip(n, CAP_SKIP_PORT);
		return;
	}
	fl = p[13];
	memset(&ev, 0, sizeof(ev));
	ev.ts_ns = n->ts;
	ev.frame = n->st.packets;
	ev.family = ip->family;
	ev.transport = CAP_TRANSPORT_TCP;
	ev.flags = ip->flags;
	memcpy(ev.src, ip->src, 16);
	memcpy(ev.dst, ip->dst, 16);
	ev.sport = sport;
	ev.dport = dport;
	ev.event = (fl & 0x04) ? CAP_EV_TCP_RST : (fl & 0x12) == 0x12 ?
	    CAP_EV_TCP_SYNACK : (fl & 0x02) ? CAP_EV_TCP_SYN : (fl & 0x01) ?
	    CAP_EV_TCP_FIN : CAP_EV_DNS;
	if (ev.event != CAP_EV_DNS)
		n->fn(n->arg, &ev);
	flags = (fl & 0x01 ? TCP_FIN : 0) | (fl & 0x02 ? TCP_SYN : 0) |
	    (fl & 0x04 ? TCP_RST : 0);
	if (len == hl)
		skip(n, CAP_SKIP_TCP_CTRL);
	memset(&k, 0, sizeof(k));
	k.family = ip->family;
	memcpy(k.src, ip->src, 16);
	memcpy(k.dst, ip->dst, 16);
	k.sport = sport;
	k.dport = dport;
	tcp_segment(n->tcp, &k, n->ts, (uint32_t)p[4] << 24 |
	    (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7], flags, p + hl,
	    len - hl);
}

/* ICMP/ICMPv6 destination unreachable quoting a UDP DNS packet. */
static void
do_icmp(struct cap_net *n, struct ip_info *ip, const uint8_t *p, size_t len)
{
	struct cap_msg	 ev;
	const uint8_t	*q;
	size_t		 hl, qlen;

	(void)ip;
	if (len < 8 || (ip->family == 4 ? p[0] != 3 : p[0] != 1)) {
		skip(n, CAP_SKIP_PROTO);
		return;
	}
	q = p + 8;
	qlen = len - 8;
	memset(&ev, 0, sizeof(ev));
	if (ip->family == 4 && qlen >= 28 && q[0] >> 4 == 4 && q[9] == 17 &&
	    (hl = (size_t)(q[0] & 15) * 4) >= 20 && qlen >= hl + 4) {
		ev.family = 4;
		memcpy(ev.src, q + 12, 4);
		memcpy(ev.dst, q + 16, 4);
	} else if (ip->family == 6 && qlen >= 48 && q[0] >> 4 == 6 &&
	    q[6] == 17) {
		hl = 40;
		ev.family = 6;
		memcpy(ev.src, q + 8, 16);
		memcpy(ev.dst, q + 24, 16);
	} else {
		skip(n, CAP_SKIP_PROTO);
		return;
	}
	ev.sport = (uint16_t)(q[hl] << 8 | q[hl + 1]);
	ev.dport = (uint16_t)(q[hl + 2] << 8 | q[hl + 3]);
	if (!is_dns_port(n, ev.sport) && !is_dns_port(n, ev.dport)) {
		skip(n, CAP_SKIP_PORT);
		return;
	}
	ev.ts_ns = n->ts;
	ev.frame = n->st.packets;
	ev.event = CAP_EV_ICMP_UNREACH;
	ev.transport = CAP_TRANSPORT_UDP;
	n->st.icmp_unreach++;
	n->fn(n->arg, &ev);
}

/* Expire fragments and flows by packet time. */
void
cap_net_expire(struct cap_net *n, uint64_t now)
{
	frag_expire(n->frag, now);
	tcp_expire(n->tcp, now);
}

/* Counters, with the fragment and TCP modules' folded in. */
const struct cap_net_stats *
cap_net_stats(const struct cap_net *cn)
{
	struct cap_net		*n = (struct cap_net *)cn;
	const struct frag_stats	*fs = frag_stats(n->frag);
	const struct tcp_stats	*ts = tcp_stats(n->tcp);

	n->st.frag_reassembled = fs->reassembled;
	n->st.frag_timeout = fs->timeout;
	n->st.frag_evicted = fs->evicted;
	n->st.frag_bad = fs->bad;
	n->st.tcp_flows = ts->flows;
	n->st.tcp_evicted = ts->evicted;
	n->st.tcp_gaps = ts->gaps;
	n->st.tcp_badlen = ts->badlen;
	return &n->st;
}
