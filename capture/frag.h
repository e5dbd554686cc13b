/*
 * frag.h -- IPv4 and IPv6 fragment reassembly (RFC 791 §3.2, RFC 8200 §4.5).
 *
 * Fragments are keyed by (id, family, protocol, source, destination) and
 * their payloads (what follows the IP header, or the IPv6 fragment header)
 * are put together in a buffer per datagram that grows to at most 65535
 * bytes.  Received 8-byte units are tracked in a bitmap, so holes, any
 * arrival order and repeated fragments work.  An overlap that repeats the
 * same bytes is accepted; one that carries other bytes, a fragment past the
 * end set by the last fragment, or an oversize datagram drops the datagram
 * and counts it as bad (RFC 5722 for IPv6 does the same).
 *
 * The table holds at most max datagrams and evicts the oldest to make room;
 * datagrams not completed within the timeout (packet time) expire.  All of
 * it is counted.  The table owns its buffers: a completed datagram's bytes
 * stay valid until the next call on the table.
 */
#ifndef GLUETOP_FRAG_H
#define GLUETOP_FRAG_H

#include <stddef.h>
#include <stdint.h>

/* No implicit padding: keys are hashed and compared as bytes. */
struct frag_key {
	uint32_t	id;		/* IPv4: 16 bits; IPv6: 32 bits */
	uint8_t		family;		/* 4 or 6 */
	uint8_t		proto;
	uint8_t		src[16], dst[16];
	uint8_t		pad[2];		/* zero */
};

struct frag_stats {
	uint64_t	reassembled, timeout, evicted, bad;
};

struct frag_table;

struct frag_table *frag_create(size_t max, uint64_t timeout_ns);
void		 frag_destroy(struct frag_table *);

/*
 * Add n bytes at byte offset off of the datagram's payload; more is the MF
 * flag.  Returns 1 with *data and *len set when the datagram is complete,
 * 0 when the fragment is held, -1 when it was refused (counted as bad).
 */
int		 frag_add(struct frag_table *, const struct frag_key *,
		    uint64_t ts, size_t off, int more, const uint8_t *,
		    size_t n, const uint8_t **data, size_t *len);

/* Drop datagrams begun more than the timeout before now. */
void		 frag_expire(struct frag_table *, uint64_t now);
const struct frag_stats *frag_stats(const struct frag_table *);

#endif
