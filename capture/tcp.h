/*
 * tcp.h -- DNS over TCP: per-direction stream reassembly and the 2-byte
 * length framing of RFC 1035 §4.2.2 and RFC 7766 §8.
 *
 * Each direction of a connection is a flow keyed by addresses and ports.
 * Segments are put in sequence order (a few out-of-order segments are
 * buffered), retransmissions and overlaps are trimmed, and every complete
 * message is handed to the callback; several messages per segment and one
 * message over several segments both work.  A segment that holds whole
 * messages is parsed in place; only a partial message is copied, and a
 * flow's buffer never holds more than one message.
 *
 * A flow seen without its SYN (the connection began before the capture)
 * syncs on its first data segment.  A hole is waited for until a second
 * segment lands beyond it (or the flow ends or expires); then it is counted
 * as a gap, the partial message is dropped, and the stream resyncs at the
 * held data.  A segment cut by the snap length hands on the captured part
 * of its message (TCP_M_CUT) and skips the rest.  A message whose stream
 * ends (FIN, expiry) before its length prefix is satisfied is handed on as
 * it is (TCP_M_SHORT).  Flows and per-flow buffers are bounded, idle flows
 * expire by packet time, and evictions are counted.
 */
#ifndef GLUETOP_TCP_H
#define GLUETOP_TCP_H

#include <stddef.h>
#include <stdint.h>

/* No implicit padding: keys are hashed and compared as bytes. */
struct tcp_key {
	uint8_t		family;		/* 4 or 6 */
	uint8_t		pad;		/* zero */
	uint16_t	sport, dport;
	uint8_t		src[16], dst[16];
};

/* Segment flags given to tcp_segment(). */
#define TCP_FIN	0x01
#define TCP_SYN	0x02
#define TCP_RST	0x04

/* Message flags given to the callback. */
#define TCP_M_GAP	0x01	/* bytes were lost before this message */
#define TCP_M_CUT	0x02	/* the capture cut it: len < wire_len */
#define TCP_M_SHORT	0x04	/* the stream ended first: len < wire_len */

/*
 * A message of flow k: len bytes at data (after the prefix), wire_len the
 * prefix's length.  data is valid only during the call.
 */
typedef void	(*tcp_msg_fn)(void *arg, const struct tcp_key *k,
		    const uint8_t *data, size_t len, size_t wire_len,
		    int mflags);

struct tcp_stats {
	uint64_t	flows, evicted, gaps, badlen;
};

struct tcp_table;

struct tcp_table *tcp_create(size_t max_flows, size_t max_buf,
		    uint64_t timeout_ns, tcp_msg_fn, void *);
void		 tcp_destroy(struct tcp_table *);

/*
 * One segment of one direction: seq and TCP_* flags from its header, n
 * captured payload bytes at p of wire bytes on the wire (n < wire when the
 * capture cut it).
 */
void		 tcp_segment(struct tcp_table *, const struct tcp_key *,
		    uint64_t ts, uint32_t seq, int flags, const uint8_t *p,
		    size_t n, size_t wire);

/* Expire idle flows, first handing on what their held data completes. */
void		 tcp_expire(struct tcp_table *, uint64_t now);
const struct tcp_stats *tcp_stats(const struct tcp_table *);

#endif
