/*
 * dnstap.h -- dnstap input: Frame Streams files and frames to DNS messages.
 *
 * A resolver's dnstap log (https://dnstap.info) is a Frame Streams stream of
 * protobuf dnstap.Dnstap payloads, each carrying one wire-format DNS message
 * with its addresses, ports, transport and time.  A dt_feed turns such
 * payloads into the messages capture would have seen on the wire, for the
 * engine (DETECTIONS.md R2.4):
 *
 *   - *_QUERY goes initiator -> responder with query_message at query_time,
 *     *_RESPONSE responder -> initiator with response_message at
 *     response_time; RESOLVER_QUERY is upstream (RD is cleared in the
 *     decoded header, never in the bytes), CLIENT_* is the client side,
 *     AUTH_* the authoritative side.  UPDATE_* is skipped.
 *   - a response is paired with its query by (peer, ID, QNAME, QTYPE), not
 *     by port: unbound sometimes logs another query's port, and unbound and
 *     BIND log port 0 for the resolver over TCP.  The response then takes
 *     the query's ports and transport, and never a time before the query's.
 *   - messages are held for DT_WINDOW_NS and handed on in time order (BIND's
 *     file is not in time order); at most DT_HOLD_MAX are held, and one that
 *     comes later than the window is handed on at once, with its own
 *     time, counted as late.
 *
 * Every table is bounded.  A dt_file reads a Frame Streams file with libfstrm
 * into a feed; input/fstrm.h serves a Frame Streams socket into one.  Errors
 * are one line in *cause (or dt_file_error()), naming the file and the
 * problem; what was read before stays fed.
 */
#ifndef GLUETOP_DNSTAP_H
#define GLUETOP_DNSTAP_H

#include <stddef.h>
#include <stdint.h>

#include "decode/dname.h"

struct dns_msg;
struct dt_feed;
struct dt_file;

#define DT_CONTENT_TYPE	"protobuf:dnstap.Dnstap"
#define DT_WINDOW_NS	(500ull * 1000000)	/* reordering window */
#define DT_HOLD_MAX	16384		/* messages held for reordering */
#define DT_PAIR_SLOTS	4096		/* outstanding queries remembered */
#define DT_FRAME_MAX	(256u << 10)	/* the largest frame accepted */

/* dnstap Message.Type values (dnstap.proto). */
enum dt_type {
	DT_AUTH_QUERY = 1, DT_AUTH_RESPONSE, DT_RESOLVER_QUERY,
	DT_RESOLVER_RESPONSE, DT_CLIENT_QUERY, DT_CLIENT_RESPONSE,
	DT_FORWARDER_QUERY, DT_FORWARDER_RESPONSE, DT_STUB_QUERY,
	DT_STUB_RESPONSE, DT_TOOL_QUERY, DT_TOOL_RESPONSE, DT_UPDATE_QUERY,
	DT_UPDATE_RESPONSE
};

/* One DNS message as the wire would have carried it. */
struct dt_msg {
	uint64_t		 ts_ns;
	uint64_t		 frame;		/* the dnstap frame, from 1 */
	uint8_t			 type;		/* enum dt_type */
	uint8_t			 family;	/* 4 or 6 */
	uint8_t			 tcp;		/* 1: TCP (or DoT, DoH), 0: UDP */
	uint8_t			 src[16], dst[16];
	uint16_t		 sport, dport;
	const uint8_t		*data;		/* the DNS message */
	size_t			 len;
	const struct dns_msg	*msg;		/* data, decoded */
	const struct dns_name	*zone;		/* query_zone, or NULL */
};

/* Called for each message; everything it points to is valid only then. */
typedef void	(*dt_msg_fn)(void *arg, const struct dt_msg *);

struct dt_stats {
	uint64_t	frames;		/* data frames read */
	uint64_t	messages;	/* handed on */
	uint64_t	bad;		/* not a dnstap payload */
	uint64_t	skipped;	/* no DNS message, address or family */
	uint64_t	late;		/* later than the window: out of order */
	uint64_t	repaired;	/* responses given their query's port */
};

struct dt_feed	*dt_feed_create(dt_msg_fn, void *arg);
void		 dt_feed_destroy(struct dt_feed *);
/* One data frame (a dnstap payload); -1 when it is not one (counted). */
int		 dt_feed_frame(struct dt_feed *, const uint8_t *, size_t);
/* Hand on what is older than now_ns minus the window (live input). */
void		 dt_feed_drain(struct dt_feed *, uint64_t now_ns);
/* Hand on everything held (end of input). */
void		 dt_feed_flush(struct dt_feed *);
const struct dt_stats *dt_feed_stats(const struct dt_feed *);

/*
 * Is the file at path a Frame Streams file (it opens with a START control
 * frame)?  1 yes, 0 no or unreadable (the pcap reader then says why).
 */
int		 dt_file_probe(const char *path);
struct dt_file	*dt_file_open(const char *path, struct dt_feed *,
		    char **cause);
/*
 * Read at most max frames into the feed.  Returns the number read, 0 at
 * the end (then dt_file_eof() is true) or -1 when the file is corrupt or
 * truncated (dt_file_error() says how; the frames before were fed).
 */
int		 dt_file_read(struct dt_file *, int max);
int		 dt_file_eof(const struct dt_file *);
const char	*dt_file_error(const struct dt_file *);
const char	*dt_file_name(const struct dt_file *);
void		 dt_file_close(struct dt_file *);

#endif
