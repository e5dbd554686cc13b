/*
 * net.c -- from frames to DNS messages (net.h): link (link.c), IPv4 and
 * IPv6 with extension headers, fragments (frag.c), UDP, TCP (tcp.c) and
 * ICMP unreachables.  It knows ports, never DNS meaning.  Every header is
 * read through a cursor; a UDP payload is handed on in place, with no
 * allocation or copy.
 */
#include <stdlib.h>
#include <string.h>

#include "capture/frag.h"
#include "capture/link.h"
#include "capture/net.h"
#include "capture/tcp.h"
#include "util/cursor.h"
#include "util/xmalloc.h"

#define PROTO_HOPOPTS	0	/* RFC 8200 §4.3 */
#define PROTO_ICMP	1	/* RFC 792 */
#define PROTO_TCP	6	/* RFC 9293 */
#define PROTO_UDP	17	/* RFC 768 */
#define PROTO_ROUTING	43	/* RFC 8200 §4.4 */
#define PROTO_FRAGMENT	44	/* RFC 8200 §4.5 */
#define PROTO_AH	51	/* RFC 4302 */
#define PROTO_ICMPV6	58	/* RFC 4443 */
#define PROTO_DSTOPTS	60	/* RFC 8200 §4.6 */

#define TH_FIN		0x01
#define TH_SYN		0x02
#define TH_RST		0x04
#define TH_ACK		0x10

#define SEC		1000000000ULL

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
	uint8_t			 ports[65536 / 8];	/* DNS port bitmap */
	cap_msg_fn		 fn;
	void			*arg;
	struct frag_table	*frag;
	struct tcp_table	*tcp;
	struct cap_net_stats	 st;
	uint64_t		 ts;		/* the current frame's time */
	uint64_t		 expire_at;	/* next expiry sweep */
};

static const char *skip_names[CAP_SKIP__MAX] = {
	[CAP_SKIP_LINKTYPE] = "unsupported link type",
	[CAP_SKIP_LINK] = "link header cut short",
	[CAP_SKIP_NOT_IP] = "not IP",
	[CAP_SKIP_IP_BAD] = "malformed IP, UDP or TCP header",
	[CAP_SKIP_PROTO] = "not UDP, TCP or ICMP unreachable",
	[CAP_SKIP_PORT] = "not on a DNS port",
	[CAP_SKIP_FRAGMENT] = "fragment held for reassembly",
	[CAP_SKIP_TCP_CTRL] = "TCP segment without payload",
	[CAP_SKIP_TCP_PARTIAL] = "TCP bytes held for a message",
	[CAP_SKIP_SNAPLEN] = "cut before the DNS payload",
	[CAP_SKIP_EMPTY] = "UDP datagram without payload",
	[CAP_SKIP_TIME] = "outside --since/--until",
};

static int	is_dns_port(const struct cap_net *, uint16_t);
static void	skip(struct cap_net *, enum cap_skip);
static void	skip_short(struct cap_net *, const struct ip_info *);
static int	ip_span(struct cap_net *, struct ip_info *, size_t, size_t,
		    size_t, size_t, size_t *);
static void	net_ipv4(struct cap_net *, const uint8_t *, size_t, size_t);
static void	net_ipv6(struct cap_net *, const uint8_t *, size_t, size_t);
static void	ipv6_chain(struct cap_net *, struct ip_info *, uint8_t,
		    struct cur *, int);
static void	ipv6_fragment(struct cap_net *, struct ip_info *,
		    struct cur *, int);
static void	do_fragment(struct cap_net *, struct ip_info *, uint32_t,
		    size_t, int, const uint8_t *, size_t);
static void	do_transport(struct cap_net *, struct ip_info *,
		    const uint8_t *, size_t);
static void	msg_init(const struct cap_net *, struct cap_msg *,
		    const struct ip_info *, int, uint16_t, uint16_t);
static void	emit(struct cap_net *, const struct ip_info *, int, uint16_t,
		    uint16_t, const uint8_t *, size_t, size_t);
static void	do_udp(struct cap_net *, struct ip_info *, const uint8_t *,
		    size_t);
static void	do_tcp(struct cap_net *, struct ip_info *, const uint8_t *,
		    size_t);
static void	tcp_stream(struct cap_net *, const struct ip_info *,
		    uint16_t, uint16_t, uint32_t, uint8_t, const uint8_t *,
		    size_t, size_t);
static void	tcp_events(struct cap_net *, const struct ip_info *,
		    uint16_t, uint16_t, uint8_t, int);
static void	on_tcp_msg(void *, const struct tcp_key *, const uint8_t *,
		    size_t, size_t, int);
static void	do_icmp(struct cap_net *, struct ip_info *, const uint8_t *,
		    size_t);
static int	icmp_quoted(struct cur *, struct cap_msg *);

/* The name of a skip reason. */
const char *
cap_skip_name(enum cap_skip s)
{
	return (unsigned)s < CAP_SKIP__MAX ? skip_names[s] : "?";
}

/* A walker with its bounded fragment and TCP tables; see net.h. */
struct cap_net *
cap_net_create(const struct cap_net_opts *o, cap_msg_fn fn, void *arg)
{
	struct cap_net	*n = xcalloc(1, sizeof(*n));
	int		 i;

	n->o = *o;
	if (n->o.nports <= 0 || n->o.nports > 8) {
		n->o.ports[0] = 53;
		n->o.nports = 1;
	}
	for (i = 0; i < n->o.nports; i++)
		n->ports[n->o.ports[i] / 8] |= (uint8_t)(1u << (n->o.ports[i] %
		    8));
	n->fn = fn;
	n->arg = arg;
	n->frag = frag_create(o->frag_max ? o->frag_max : 1024,
	    o->frag_timeout_ns ? o->frag_timeout_ns : 30 * SEC);
	n->tcp = tcp_create(o->tcp_max_flows ? o->tcp_max_flows : 4096,
	    o->tcp_max_buf ? o->tcp_max_buf : 131072,
	    o->tcp_timeout_ns ? o->tcp_timeout_ns : 60 * SEC, on_tcp_msg, n);
	return n;
}

/* Free the walker and all held fragments and flows. */
void
cap_net_destroy(struct cap_net *n)
{
	if (n == NULL)
		return;
	frag_destroy(n->frag);
	tcp_destroy(n->tcp);
	free(n);
}

/* Is this link type supported? */
int
cap_net_dlt_ok(int dlt)
{
	return link_supported(dlt);
}

/* Is port one of the DNS ports? */
static int
is_dns_port(const struct cap_net *n, uint16_t port)
{
	return (n->ports[port / 8] >> (port % 8)) & 1;
}

/* Count a frame that yields nothing. */
static void
skip(struct cap_net *n, enum cap_skip why)
{
	n->st.skipped[why]++;
	if (why == CAP_SKIP_IP_BAD)
		n->st.malformed++;
}

/* A header ran past the captured bytes: the snap length, or malformed. */
static void
skip_short(struct cap_net *n, const struct ip_info *ip)
{
	skip(n, ip->flags & CAP_F_SNAPCUT ? CAP_SKIP_SNAPLEN :
	    CAP_SKIP_IP_BAD);
}

/* A frame left out by the caller; see net.h. */
void
cap_net_skip(struct cap_net *n, enum cap_skip why)
{
	n->st.packets++;
	skip(n, why);
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
	n->ts = ts;
	if (ts >= n->expire_at) {
		/* Sweep by packet time, at most once a second. */
		cap_net_expire(n, ts);
		n->expire_at = ts + SEC;
	}
	if (wirelen < caplen)
		wirelen = caplen;	/* a writer that got it wrong */
	n->st.bytes += wirelen;
	if (caplen < wirelen)
		n->st.snap_cut++;
	r = link_decode(dlt, p, caplen, &off);
	if (r == LINK_IPV4)
		net_ipv4(n, p + off, caplen - off, wirelen - off);
	else if (r == LINK_IPV6)
		net_ipv6(n, p + off, caplen - off, wirelen - off);
	else if (r == LINK_UNSUPPORTED)
		skip(n, CAP_SKIP_LINKTYPE);
	else if (r == LINK_SHORT)
		skip(n, CAP_SKIP_LINK);
	else
		skip(n, CAP_SKIP_NOT_IP);
}

/*
 * Work out an IP packet's extent from its header's total length: the
 * transport's wire length and the bytes captured of it (*avail).  The length
 * ends the packet, so Ethernet padding is dropped.  Lenient: a zero length
 * (segmentation offload) means the frame's; one past the frame is counted
 * as malformed and cut to it.  Returns -1 when the length cannot be.
 */
static int
ip_span(struct cap_net *n, struct ip_info *ip, size_t hl, size_t total,
    size_t caplen, size_t wirelen, size_t *avail)
{
	if (total == 0)
		total = wirelen;
	if (total > wirelen) {
		n->st.malformed++;
		total = wirelen;
	}
	if (total < hl)
		return -1;
	ip->wire_len = total - hl;
	*avail = (total < caplen ? total : caplen) - hl;
	if (*avail < ip->wire_len)
		ip->flags |= CAP_F_SNAPCUT;
	return 0;
}

/* IPv4 (RFC 791 §3.1): header checks, extent, fragments. */
static void
net_ipv4(struct cap_net *n, const uint8_t *p, size_t caplen, size_t wirelen)
{
	struct ip_info	 ip;
	struct cur	 c;
	size_t		 hl, total, avail;
	uint16_t	 id, fw;
	uint8_t		 vhl;

	memset(&ip, 0, sizeof(ip));
	ip.family = 4;
	cur_init(&c, p, caplen);
	vhl = cur_u8(&c);
	cur_skip(&c, 1);		/* type of service */
	total = cur_u16(&c);
	id = cur_u16(&c);
	fw = cur_u16(&c);		/* flags, fragment offset */
	cur_skip(&c, 1);		/* time to live */
	ip.proto = cur_u8(&c);
	cur_skip(&c, 2);		/* header checksum */
	cur_copy(&c, ip.src, 4);
	cur_copy(&c, ip.dst, 4);
	hl = (size_t)(vhl & 15) * 4;
	if (c.err || hl > caplen) {
		skip(n, wirelen >= 20 && wirelen >= hl ? CAP_SKIP_SNAPLEN :
		    CAP_SKIP_IP_BAD);
		return;
	}
	if (vhl >> 4 != 4 || hl < 20 ||
	    ip_span(n, &ip, hl, total, caplen, wirelen, &avail) != 0) {
		skip(n, CAP_SKIP_IP_BAD);
		return;
	}
	if ((fw & 0x2000) || (fw & 0x1fff) != 0)	/* MF, offset */
		do_fragment(n, &ip, id, (size_t)(fw & 0x1fff) * 8,
		    (fw & 0x2000) != 0, p + hl, avail);
	else
		do_transport(n, &ip, p + hl, avail);
}

/* IPv6 (RFC 8200 §3): the fixed header, then the extension headers. */
static void
net_ipv6(struct cap_net *n, const uint8_t *p, size_t caplen, size_t wirelen)
{
	struct ip_info	 ip;
	struct cur	 c;
	size_t		 plen, avail;
	uint8_t		 v, next;

	memset(&ip, 0, sizeof(ip));
	ip.family = 6;
	cur_init(&c, p, caplen);
	v = cur_u8(&c);
	cur_skip(&c, 3);		/* traffic class, flow label */
	plen = cur_u16(&c);
	next = cur_u8(&c);
	cur_skip(&c, 1);		/* hop limit */
	cur_copy(&c, ip.src, 16);
	cur_copy(&c, ip.dst, 16);
	if (c.err) {
		skip(n, wirelen >= 40 ? CAP_SKIP_SNAPLEN : CAP_SKIP_IP_BAD);
		return;
	}
	/* A zero payload length is a jumbogram or offload: use the frame. */
	if (v >> 4 != 6 || ip_span(n, &ip, 40, plen ? plen + 40 : 0, caplen,
	    wirelen, &avail) != 0) {
		skip(n, CAP_SKIP_IP_BAD);
		return;
	}
	cur_init(&c, p + 40, avail);
	ipv6_chain(n, &ip, next, &c, 0);
}

/*
 * Walk IPv6 extension headers (RFC 8200 §4) from the cursor to the upper
 * layer; stop at ESP, no next header or anything unknown (do_transport
 * counts those).  defrag is set on a reassembled datagram's payload.
 */
static void
ipv6_chain(struct cap_net *n, struct ip_info *ip, uint8_t next,
    struct cur *c, int defrag)
{
	uint8_t	 nn, l;
	size_t	 hlen;

	for (;;) {
		if (next == PROTO_FRAGMENT) {
			ipv6_fragment(n, ip, c, defrag);
			return;
		}
		if (next != PROTO_HOPOPTS && next != PROTO_ROUTING &&
		    next != PROTO_DSTOPTS && next != PROTO_AH)
			break;
		nn = cur_u8(c);
		l = cur_u8(c);
		/* AH counts 4-byte units less 2 (RFC 4302 §2.2). */
		hlen = next == PROTO_AH ? ((size_t)l + 2) * 4 :
		    ((size_t)l + 1) * 8;
		cur_skip(c, hlen - 2);
		if (c->err) {
			skip_short(n, ip);
			return;
		}
		next = nn;
	}
	ip->proto = next;
	ip->wire_len -= c->pos;
	do_transport(n, ip, c->base + c->pos, cur_left(c));
}

/* The IPv6 fragment header (RFC 8200 §4.5), then reassembly. */
static void
ipv6_fragment(struct cap_net *n, struct ip_info *ip, struct cur *c,
    int defrag)
{
	uint32_t	 id;
	uint16_t	 fo;

	ip->proto = cur_u8(c);
	cur_skip(c, 1);			/* reserved */
	fo = cur_u16(c);		/* offset << 3, reserved, M */
	id = cur_u32(c);
	if (c->err) {
		skip_short(n, ip);
		return;
	}
	if (defrag) {			/* a fragment inside a fragment */
		skip(n, CAP_SKIP_IP_BAD);
		return;
	}
	ip->wire_len -= c->pos;
	do_fragment(n, ip, id, fo & 0xfff8, fo & 1, c->base + c->pos,
	    cur_left(c));
}

/* A fragment: hold it, or go on with the whole datagram. */
static void
do_fragment(struct cap_net *n, struct ip_info *ip, uint32_t id, size_t off,
    int more, const uint8_t *p, size_t len)
{
	struct frag_key	 k;
	struct cur	 c;
	const uint8_t	*data;
	size_t		 dlen;
	int		 r;

	if (ip->flags & CAP_F_SNAPCUT) {
		skip(n, CAP_SKIP_SNAPLEN);	/* cannot be put together */
		return;
	}
	memset(&k, 0, sizeof(k));
	k.id = id;
	k.family = ip->family;
	k.proto = ip->proto;
	memcpy(k.src, ip->src, 16);
	memcpy(k.dst, ip->dst, 16);
	r = frag_add(n->frag, &k, n->ts, off, more, p, len, &data, &dlen);
	if (r <= 0) {
		skip(n, r < 0 ? CAP_SKIP_IP_BAD : CAP_SKIP_FRAGMENT);
		return;
	}
	ip->flags |= CAP_F_DEFRAG;
	ip->wire_len = dlen;
	if (ip->family == 4) {
		do_transport(n, ip, data, dlen);
		return;
	}
	/* IPv6: headers after the fragment header come with the payload. */
	cur_init(&c, data, dlen);
	ipv6_chain(n, ip, ip->proto, &c, 1);
}

/* Dispatch on the transport protocol. */
static void
do_transport(struct cap_net *n, struct ip_info *ip, const uint8_t *p,
    size_t len)
{
	if (ip->proto == PROTO_UDP)
		do_udp(n, ip, p, len);
	else if (ip->proto == PROTO_TCP)
		do_tcp(n, ip, p, len);
	else if ((ip->proto == PROTO_ICMP && ip->family == 4) ||
	    (ip->proto == PROTO_ICMPV6 && ip->family == 6))
		do_icmp(n, ip, p, len);
	else
		skip(n, CAP_SKIP_PROTO);
}

/* Fill the fields every message and event shares. */
static void
msg_init(const struct cap_net *n, struct cap_msg *m, const struct ip_info *ip,
    int transport, uint16_t sport, uint16_t dport)
{
	memset(m, 0, sizeof(*m));
	m->ts_ns = n->ts;
	m->frame = n->st.packets;
	m->family = ip->family;
	m->transport = (uint8_t)transport;
	m->flags = ip->flags;
	memcpy(m->src, ip->src, 16);
	memcpy(m->dst, ip->dst, 16);
	m->sport = sport;
	m->dport = dport;
}

/* Hand one DNS message up. */
static void
emit(struct cap_net *n, const struct ip_info *ip, int transport,
    uint16_t sport, uint16_t dport, const uint8_t *data, size_t len,
    size_t wire_len)
{
	struct cap_msg	 m;

	msg_init(n, &m, ip, transport, sport, dport);
	m.event = CAP_EV_DNS;
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

/* UDP (RFC 768): the payload in place, up to the length field. */
static void
do_udp(struct cap_net *n, struct ip_info *ip, const uint8_t *p, size_t len)
{
	struct cur	 c;
	uint16_t	 sport, dport;
	size_t		 ulen;

	cur_init(&c, p, len);
	sport = cur_u16(&c);
	dport = cur_u16(&c);
	ulen = cur_u16(&c);
	cur_skip(&c, 2);		/* checksum */
	if (c.err) {
		skip_short(n, ip);
		return;
	}
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
	if (ulen > ip->wire_len)
		n->st.malformed++;	/* claims more than IP carries */
	emit(n, ip, CAP_TRANSPORT_UDP, sport, dport, p + 8,
	    (ulen < len ? ulen : len) - 8, ulen - 8);
}

/* A message reassembled by tcp.c. */
static void
on_tcp_msg(void *arg, const struct tcp_key *k, const uint8_t *data,
    size_t len, size_t wire_len, int mflags)
{
	struct cap_net	*n = arg;
	struct ip_info	 ip;

	memset(&ip, 0, sizeof(ip));
	ip.family = k->family;
	ip.flags = (mflags & TCP_M_GAP ? CAP_F_TCPGAP : 0) |
	    (mflags & TCP_M_CUT ? CAP_F_SNAPCUT : 0) |
	    (mflags & TCP_M_SHORT ? CAP_F_TCPLEN : 0);
	memcpy(ip.src, k->src, 16);
	memcpy(ip.dst, k->dst, 16);
	emit(n, &ip, CAP_TRANSPORT_TCP, k->sport, k->dport, data, len,
	    wire_len);
}

/* TCP (RFC 9293 §3.1): the header, then events and the stream. */
static void
do_tcp(struct cap_net *n, struct ip_info *ip, const uint8_t *p, size_t len)
{
	struct cur	 c;
	uint32_t	 seq;
	size_t		 hl;
	uint16_t	 sport, dport;
	uint8_t		 off, fl;

	cur_init(&c, p, len);
	sport = cur_u16(&c);
	dport = cur_u16(&c);
	seq = cur_u32(&c);
	cur_skip(&c, 4);		/* acknowledgment number */
	off = cur_u8(&c);
	fl = cur_u8(&c);
	hl = (size_t)(off >> 4) * 4;
	if (c.err || hl > len) {
		skip_short(n, ip);
		return;
	}
	if (hl < 20 || hl > ip->wire_len) {
		skip(n, CAP_SKIP_IP_BAD);
		return;
	}
	if (!is_dns_port(n, sport) && !is_dns_port(n, dport)) {
		skip(n, CAP_SKIP_PORT);
		return;
	}
	tcp_stream(n, ip, sport, dport, seq, fl, p + hl, len - hl,
	    ip->wire_len - hl);
}

/*
 * One segment on a DNS port, n of its wire payload bytes captured: the
 * SYN events, the stream, then the FIN and RST events.
 */
static void
tcp_stream(struct cap_net *n, const struct ip_info *ip, uint16_t sport,
    uint16_t dport, uint32_t seq, uint8_t fl, const uint8_t *p, size_t len,
    size_t wire)
{
	struct tcp_key	 k;
	uint64_t	 before = n->st.dns_msgs;

	tcp_events(n, ip, sport, dport, fl, 0);
	memset(&k, 0, sizeof(k));
	k.family = ip->family;
	k.sport = sport;
	k.dport = dport;
	memcpy(k.src, ip->src, 16);
	memcpy(k.dst, ip->dst, 16);
	tcp_segment(n->tcp, &k, n->ts, seq, (fl & TH_FIN ? TCP_FIN : 0) |
	    (fl & TH_SYN ? TCP_SYN : 0) | (fl & TH_RST ? TCP_RST : 0), p, len,
	    wire);
	tcp_events(n, ip, sport, dport, fl, 1);
	if (wire == 0)
		skip(n, CAP_SKIP_TCP_CTRL);
	else if (n->st.dns_msgs == before)
		skip(n, CAP_SKIP_TCP_PARTIAL);
}

/*
 * Connection events: a SYN to a DNS port and the server's SYN-ACK before
 * the segment's data (after = 0), a FIN or RST after it (after = 1).
 */
static void
tcp_events(struct cap_net *n, const struct ip_info *ip, uint16_t sport,
    uint16_t dport, uint8_t fl, int after)
{
	struct cap_msg	 m;
	int		 ev = -1;

	if (!after && (fl & (TH_SYN | TH_RST)) == TH_SYN)
		ev = !(fl & TH_ACK) ? (is_dns_port(n, dport) ?
		    CAP_EV_TCP_SYN : -1) : (is_dns_port(n, sport) ?
		    CAP_EV_TCP_SYNACK : -1);
	else if (after && (fl & TH_RST))
		ev = CAP_EV_TCP_RST;
	else if (after && (fl & TH_FIN))
		ev = CAP_EV_TCP_FIN;
	if (ev < 0)
		return;
	msg_init(n, &m, ip, CAP_TRANSPORT_TCP, sport, dport);
	m.event = (uint8_t)ev;
	n->fn(n->arg, &m);
}

/* ICMP (RFC 792) or ICMPv6 (RFC 4443 §3.1) unreachable quoting DNS. */
static void
do_icmp(struct cap_net *n, struct ip_info *ip, const uint8_t *p, size_t len)
{
	struct cap_msg	 m;
	struct cur	 c;
	uint8_t		 type, code;

	cur_init(&c, p, len);
	type = cur_u8(&c);
	code = cur_u8(&c);
	cur_skip(&c, 6);		/* checksum, unused */
	if (c.err) {
		skip_short(n, ip);
		return;
	}
	if (type != (ip->family == 4 ? 3 : 1)) {
		skip(n, CAP_SKIP_PROTO);
		return;
	}
	msg_init(n, &m, ip, CAP_TRANSPORT_UDP, 0, 0);
	memcpy(m.icmp_src, ip->src, 16);
	memcpy(m.icmp_dst, ip->dst, 16);
	m.icmp_type = type;
	m.icmp_code = code;
	if (!icmp_quoted(&c, &m)) {
		if (c.err)
			skip_short(n, ip);
		else
			skip(n, CAP_SKIP_PROTO);
		return;
	}
	if (!is_dns_port(n, m.sport) && !is_dns_port(n, m.dport)) {
		skip(n, CAP_SKIP_PORT);
		return;
	}
	m.event = CAP_EV_ICMP_UNREACH;
	n->st.icmp_unreach++;
	n->fn(n->arg, &m);
}

/* Read the quoted packet's addresses and UDP ports; 0 if not UDP. */
static int
icmp_quoted(struct cur *c, struct cap_msg *m)
{
	size_t	 start = c->pos, hl;
	uint8_t	 v, proto;

	v = cur_u8(c);
	if (m->family == 4) {
		hl = (size_t)(v & 15) * 4;
		cur_skip(c, 8);
		proto = cur_u8(c);
		cur_skip(c, 2);
		cur_copy(c, m->src, 4);
		cur_copy(c, m->dst, 4);
		if (v >> 4 != 4 || hl < 20)
			return 0;
	} else {
		hl = 40;
		cur_skip(c, 5);
		proto = cur_u8(c);
		cur_skip(c, 1);
		cur_copy(c, m->src, 16);
		cur_copy(c, m->dst, 16);
		if (v >> 4 != 6)
			return 0;
	}
	cur_seek(c, start + hl);
	m->sport = cur_u16(c);
	m->dport = cur_u16(c);
	if (c->err || proto != PROTO_UDP)
		return 0;
	/* After the UDP length and checksum: what is quoted of the DNS
	 * message (for --dump; the engine needs only the addresses). */
	if (c->len - c->pos > 4) {
		m->data = c->base + c->pos + 4;
		m->len = c->len - c->pos - 4;
	}
	return 1;
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
	/* The object is never const; only the interface promises so. */
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
