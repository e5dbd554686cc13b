/*
 * frag.h -- IPv4 and IPv6 fragment reassembly (RFC 791, RFC 8200 §4.5).
 *
 * Fragments are keyed by (family, protocol, source, destination, id) and
 * their payloads (what follows the IP header) are put together in a 64 KiB
 * buffer per datagram.  The table holds at most max datagrams, evicting the
 * oldest; datagrams not completed within the timeout (packet time) are
 * dropped.  Conflicting overlaps and oversize datagrams are refused.  All
 * of it is counted.  A completed datagram's bytes stay valid until the next
 * call on the table.
 */
#ifndef GLUETOP_FRAG_H
#define GLUETOP_FRAG_H

#include <stddef.h>
#include <stdint.h>

struct frag_key {
	uint8_t		family;
	uint8_t		proto;
	uint8_t		src[16], dst[16];
	uint32_t	id;
};

struct frag_stats {
	uint64_t	reassembled, timeout, evicted, bad;
};

struct frag_table;

struct frag_table *frag_create(size_t max, uint64_t timeout_ns);
void		 frag_destroy(struct frag_table *);
/*
 * Add n bytes at byte offset off of the datagram's payload; more is the MF
 * flag.  Returns 1 with *data and *len set when the datagram is complete, 0 when
 * it is held, -1 when the fragment was refused.
 */
int		 frag_add(struct frag_table *, const struct frag_key *,
		    uint64_t ts, size_t off, int more, const uint8_t *,
		    size_t n, const uint8_t **data, size_t *len);
void		 frag_expire(struct frag_table *, uint64_t now);
const struct frag_stats *frag_stats(const struct frag_table *);

#endif
