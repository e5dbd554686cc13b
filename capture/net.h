/*
 * net.h -- from link-layer frames to DNS messages.
 *
 * cap_net_packet() takes one frame from a source (source.h) and walks it:
 * link layer (a const table by DLT: Ethernet with 802.1Q/802.1ad tags, Linux
 * SLL and SLL2, raw IP, NULL/LOOP), IPv4 and IPv6 with extension headers, IP
 * fragment reassembly, UDP, and DNS over TCP with per-flow reassembly of the
 * 2-byte length framing.  Each DNS message found on a DNS port (53 unless set
 * otherwise) is handed to the cap_msg_fn given at creation, with its time,
 * addresses, ports and transport.  It knows nothing of DNS meaning: the
 * payload is opaque bytes.  TCP connection events and ICMP unreachables that
 * quote a DNS packet are handed on too, for timeout and fallback analysis.
 *
 * Every packet that yields nothing is counted with a reason.  All state
 * (fragments, TCP flows) is bounded, expires by packet time, and evictions are
 * counted.  The message's data is valid only during the callback.
 */
#ifndef GLUETOP_NET_H
#define GLUETOP_NET_H

#include <stddef.h>
#include <stdint.h>

#define CAP_TRANSPORT_UDP	17
#define CAP_TRANSPORT_TCP	6

enum cap_event {
	CAP_EV_DNS = 0,		/* data/len hold a DNS message */
	CAP_EV_TCP_SYN,		/* connection attempt to a DNS port */
	CAP_EV_TCP_SYNACK,	/* server accepted */
	CAP_EV_TCP_RST,		/* reset, either side */
	CAP_EV_TCP_FIN,		/* orderly close, either side */
	CAP_EV_ICMP_UNREACH,	/* ICMP unreachable quoting a DNS packet;
				   addresses/ports are the quoted packet's */
};

/* Flags on a message. */
#define CAP_F_SNAPCUT	0x01	/* capture cut the packet (caplen < wirelen) */
#define CAP_F_DEFRAG	0x02	/* rebuilt from IP fragments */
#define CAP_F_TCPGAP	0x04	/* TCP stream had a hole before this message */
#define CAP_F_TCPLEN	0x08	/* TCP length prefix disagreed with the bytes */

struct cap_msg {
	uint64_t	 ts_ns;		/* nanoseconds since the epoch */
	uint64_t	 frame;		/* 1-based, counted across all sources */
	uint8_t		 event;		/* enum cap_event */
	uint8_t		 family;	/* 4 or 6 */
	uint8_t		 transport;	/* CAP_TRANSPORT_UDP or _TCP */
	uint8_t		 flags;
	uint8_t		 src[16], dst[16];	/* IPv4 in the first 4 bytes */
	uint16_t	 sport, dport;
	const uint8_t	*data;		/* DNS message (TCP: after the prefix) */
	size_t		 len;		/* bytes at data */
	size_t		 wire_len;	/* the message's full length if cut */
	/* CAP_EV_ICMP_UNREACH only: the ICMP packet's own addresses, its
	 * type and code, and data/len hold what it quotes of the UDP
	 * payload (the DNS message's start, often cut). */
	uint8_t		 icmp_src[16], icmp_dst[16];
	uint8_t		 icmp_type, icmp_code;
};

typedef void	(*cap_msg_fn)(void *arg, const struct cap_msg *);

/* Why a frame yielded no DNS message. */
enum cap_skip {
	CAP_SKIP_LINKTYPE = 0,	/* unsupported link type */
	CAP_SKIP_LINK,		/* link header cut short or bad */
	CAP_SKIP_NOT_IP,	/* ARP, LLDP, ... */
	CAP_SKIP_IP_BAD,	/* IP header malformed (counted as malformed) */
	CAP_SKIP_PROTO,		/* neither UDP nor TCP nor ICMP */
	CAP_SKIP_PORT,		/* UDP/TCP not on a DNS port */
	CAP_SKIP_FRAGMENT,	/* held for reassembly */
	CAP_SKIP_TCP_CTRL,	/* TCP segment without DNS payload */
	CAP_SKIP_TCP_PARTIAL,	/* TCP bytes held until a message completes */
	CAP_SKIP_SNAPLEN,	/* cut before the DNS payload */
	CAP_SKIP_EMPTY,		/* UDP datagram with no payload */
	CAP_SKIP_TIME,		/* outside --since/--until (cap_net_skip) */
	CAP_SKIP__MAX
};

const char	*cap_skip_name(enum cap_skip);

struct cap_net_stats {
	uint64_t	packets;	/* frames seen */
	uint64_t	bytes;		/* wire bytes */
	uint64_t	dns_msgs;	/* DNS messages handed on */
	uint64_t	dns_udp, dns_tcp;
	uint64_t	skipped[CAP_SKIP__MAX];
	uint64_t	malformed;	/* bad IP/UDP/TCP headers */
	uint64_t	snap_cut;	/* frames with caplen < wirelen */
	uint64_t	frag_reassembled;
	uint64_t	frag_timeout;	/* incomplete datagrams expired */
	uint64_t	frag_evicted;	/* dropped to stay within the cap */
	uint64_t	frag_bad;	/* overlaps, oversize, bad offsets */
	uint64_t	tcp_flows;	/* flows tracked */
	uint64_t	tcp_evicted;	/* flows dropped to stay within the cap */
	uint64_t	tcp_gaps;	/* holes in a stream (lost segments) */
	uint64_t	tcp_badlen;	/* unusable length prefixes */
	uint64_t	icmp_unreach;
};

struct cap_net_opts {
	uint16_t	ports[8];	/* DNS ports; nports 0 means {53} */
	int		nports;
	size_t		frag_max;	/* datagrams in reassembly (0: 1024) */
	size_t		tcp_max_flows;	/* flows tracked (0: 4096) */
	size_t		tcp_max_buf;	/* bytes buffered per flow (0: 128 KiB) */
	uint64_t	frag_timeout_ns;/* 0: 30 s */
	uint64_t	tcp_timeout_ns;	/* idle flow expiry (0: 60 s) */
};

struct cap_net	*cap_net_create(const struct cap_net_opts *, cap_msg_fn,
		    void *arg);
void		 cap_net_destroy(struct cap_net *);

/* One frame; the signature matches cap_pkt_fn with arg = the cap_net. */
void		 cap_net_packet(void *net, int dlt, uint64_t ts_ns,
		    const uint8_t *bytes, uint32_t caplen, uint32_t wirelen);

/* A frame the caller leaves out (CAP_SKIP_TIME): counted, numbered, not
 * walked, so that later frames keep their numbers in the file. */
void		 cap_net_skip(struct cap_net *, enum cap_skip);

/* Is this link type supported? */
int		 cap_net_dlt_ok(int dlt);

/* Expire fragments and flows idle since before now_ns. */
void		 cap_net_expire(struct cap_net *, uint64_t now_ns);

const struct cap_net_stats *cap_net_stats(const struct cap_net *);

#endif
