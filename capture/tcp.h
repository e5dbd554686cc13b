/*
 * tcp.h -- DNS over TCP: per-direction stream reassembly and the 2-byte
 * length framing of RFC 1035 §4.2.2 / RFC 7766 §8.
 *
 * Each direction of a connection is a flow keyed by addresses and ports.
 * Segments are put in sequence order (a few out-of-order segments are
 * buffered), retransmissions are trimmed, and every complete message is
 * handed to the callback; several messages per segment and one message over
 * several segments both work.  A flow seen without its SYN syncs on its
 * first data segment.  A hole is waited for until a second segment lands
 * beyond it (or the flow expires); then it is skipped and counted, and the
 * stream resyncs at the held data.  Flows and per-flow buffers
 * are bounded; idle flows expire by packet time; evictions are counted.
 */
#ifndef GLUETOP_TCP_H
#define GLUETOP_TCP_H

#include <stddef.h>
#include <stdint.h>

struct tcp_key {
	uint8_t		family;
	uint8_t		src[16], dst[16];
	uint16_t	sport, dport;
};

#define TCP_FIN	0x01
#define TCP_SYN	0x02
#define TCP_RST	0x04

/* A reassembled message of flow k; gap is set when bytes were lost. */
typedef void	(*tcp_msg_fn)(void *arg, const struct tcp_key *k,
		    const uint8_t *, size_t, int gap);

struct tcp_stats {
	uint64_t	flows, evicted, gaps, badlen;
};

struct tcp_table;

struct tcp_table *tcp_create(size_t max_flows, size_t max_buf,
		    uint64_t timeout_ns, tcp_msg_fn, void *);
void		 tcp_destroy(struct tcp_table *);
void		 tcp_segment(struct tcp_table *, const struct tcp_key *,
		    uint64_t ts, uint32_t seq, int flags, const uint8_t *,
		    size_t);
/* Expire idle flows, first handing on what their held data completes. */
void		 tcp_expire(struct tcp_table *, uint64_t now);
const struct tcp_stats *tcp_stats(const struct tcp_table *);

#endif
