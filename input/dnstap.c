/*
 * dnstap.c -- dnstap payloads to DNS messages in time order, and the
 * Frame Streams file reader (dnstap.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fstrm.h>

#include "decode/dns.h"
#include "input/dnstap.h"
#include "input/dnstap.pb-c.h"
#include "util/xmalloc.h"

#define PAIR_PROBE	8	/* slots looked at per query */

/* walk_control()'s word for the STOP that ends a whole file. */
static const char diag_whole[] = "whole";

/* A message held for reordering. */
struct item {
	uint64_t	 ts, seq;
	uint8_t		 type, family, tcp, haszone;
	uint8_t		 src[16], dst[16];
	uint16_t	 sport, dport;
	uint8_t		*data;
	size_t		 len;
	struct dns_name	 zone;
};

/* An outstanding query, to pair its response with (R2.4). */
struct pair {
	uint64_t	 ts;
	uint8_t		 used, cls, family, tcp;
	uint16_t	 id, qtype, iport, rport;
	uint8_t		 peer[16], self[16];
	struct dns_name	 qname;		/* lower case */
};

/* The question of a message, enough to pair it. */
struct quest {
	uint16_t	 id, qtype;
	struct dns_name	 qname;
};

struct dt_feed {
	dt_msg_fn	 fn;
	void		*arg;
	struct item	*heap;		/* min-heap on (ts, seq) */
	size_t		 nheap;
	uint64_t	 seq, newest, last;
	struct pair	*pairs;
	struct dns_msg	*msg;
	struct dt_stats	 st;
};

struct dt_file {
	char			*name;
	struct fstrm_reader	*r;
	struct dt_feed		*feed;
	FILE			*fp;		/* for diagnose(), opened early:
						   the sandbox allows no open */
	int			 eof;
	char			 err[512];
};

static int	is_query(int);
static int	peer_is_responder(int);
static uint64_t	stamp(int, uint64_t, uint32_t);
static int	item_from(struct dt_feed *, const Dnstap__Message *,
		    struct item *);
static int	addr_copy(uint8_t *, const ProtobufCBinaryData *, int, int);
static int	zone_read(const ProtobufCBinaryData *, struct dns_name *);
static int	quest_read(struct dns_msg *, const struct item *,
		    struct quest *);
static uint32_t	pair_hash(const struct item *, const struct quest *,
		    const uint8_t *);
static void	pair_query(struct dt_feed *, const struct item *);
static void	pair_response(struct dt_feed *, struct item *);
static int	type_rank(int);
static int	item_less(const struct item *, const struct item *);
static void	heap_push(struct dt_feed *, const struct item *);
static void	heap_pop(struct dt_feed *, struct item *);
static void	emit(struct dt_feed *, struct item *);
static uint32_t	be32(const uint8_t *);
static const char *walk_control(FILE *, struct fstrm_control *, int *,
		    uint64_t *);
static const char *walk_data(struct dt_file *, uint64_t, uint64_t,
		    uint64_t *, uint64_t);
static int	diagnose(struct dt_file *);

/* Is this message type the initiator's message (a query)? */
static int
is_query(int type)
{
	return type % 2 == 1;
}

/*
 * Is the peer to pair by the responder (the resolver, forwarder, stub and
 * tool logs ask others) or the initiator (the authoritative and client-side
 * logs are asked)?
 */
static int
peer_is_responder(int type)
{
	return type >= DT_RESOLVER_QUERY && type != DT_CLIENT_QUERY &&
	    type != DT_CLIENT_RESPONSE && type < DT_UPDATE_QUERY;
}

/* Nanoseconds since the epoch; 0 when not given. */
static uint64_t
stamp(int has, uint64_t sec, uint32_t nsec)
{
	return has ? sec * 1000000000ull + (nsec % 1000000000u) : 0;
}

/* Copy an address of the family's length; 0 when it is not one. */
static int
addr_copy(uint8_t *to, const ProtobufCBinaryData *b, int has, int family)
{
	size_t	 need = family == 4 ? 4 : 16;

	memset(to, 0, 16);
	if (!has || b->len != need)
		return 0;
	memcpy(to, b->data, need);
	return 1;
}

/* query_zone: a wire name (RFC 1035 §3.1), uncompressed; 0 when bad. */
static int
zone_read(const ProtobufCBinaryData *b, struct dns_name *z)
{
	size_t	 pos = 0;

	memset(z, 0, sizeof(*z));
	if (b->len == 0 || b->len > DNS_NAME_MAX)
		return 0;
	while (pos < b->len && b->data[pos] != 0) {
		if (b->data[pos] > DNS_LABEL_MAX ||
		    (size_t)b->data[pos] + 1 > b->len - pos - 1)
			return 0;
		pos += (size_t)b->data[pos] + 1;
		z->nlabels++;
	}
	if (pos != b->len - 1)
		return 0;
	memcpy(z->wire, b->data, b->len);
	z->len = (uint8_t)b->len;
	dns_name_lower(z);
	return 1;
}

/* The ID and first question of a message; 0 when it has none. */
static int
quest_read(struct dns_msg *m, const struct item *it, struct quest *q)
{
	dns_msg_decode(it->data, it->len, m);
	if (m->nqd == 0)
		return 0;
	q->id = m->hdr.id;
	q->qtype = m->qd[0].qtype;
	q->qname = m->qd[0].qname;
	dns_name_lower(&q->qname);
	return 1;
}

/* Fill an item from a dnstap Message; 0 when it cannot be used. */
static int
item_from(struct dt_feed *f, const Dnstap__Message *m, struct item *it)
{
	const ProtobufCBinaryData *ia, *ra, *wire;
	uint64_t	 qt, rt;
	int		 q = is_query((int)m->type), ih, rh;

	memset(it, 0, sizeof(*it));
	wire = q ? &m->query_message : &m->response_message;
	if ((int)m->type >= DT_UPDATE_QUERY || !m->has_socket_family ||
	    (q ? !m->has_query_message : !m->has_response_message) ||
	    wire->len < 12 || wire->len > 65535)
		return 0;
	it->type = (uint8_t)m->type;
	it->family = m->socket_family == DNSTAP__SOCKET_FAMILY__INET6 ? 6 : 4;
	it->tcp = m->has_socket_protocol &&
	    m->socket_protocol != DNSTAP__SOCKET_PROTOCOL__UDP &&
	    m->socket_protocol != DNSTAP__SOCKET_PROTOCOL__DNSCryptUDP;
	ia = &m->query_address;
	ra = &m->response_address;
	/* The initiator sends queries, the responder responses. */
	ih = addr_copy(q ? it->src : it->dst, ia, m->has_query_address,
	    it->family);
	rh = addr_copy(q ? it->dst : it->src, ra, m->has_response_address,
	    it->family);
	if (!(peer_is_responder(it->type) ? rh : ih))
		return 0;	/* nothing to pair or show it by */
	it->sport = (uint16_t)(q ? m->query_port : m->response_port);
	it->dport = (uint16_t)(q ? m->response_port : m->query_port);
	qt = stamp(m->has_query_time_sec, m->query_time_sec,
	    m->query_time_nsec);
	rt = stamp(m->has_response_time_sec, m->response_time_sec,
	    m->response_time_nsec);
	it->ts = q ? (qt ? qt : rt) : (rt > qt ? rt : qt);
	if (it->ts == 0)
		it->ts = f->newest;	/* no time at all: as late as known */
	it->haszone = m->has_query_zone && zone_read(&m->query_zone,
	    &it->zone);
	it->data = xmalloc(wire->len);
	memcpy(it->data, wire->data, wire->len);
	it->len = wire->len;
	it->seq = ++f->seq;
	return 1;
}

/* The pair slot a message's exchange hashes to. */
static uint32_t
pair_hash(const struct item *it, const struct quest *q, const uint8_t *peer)
{
	uint32_t	 h = 2166136261u;
	size_t		 i;

	for (i = 0; i < 16; i++)
		h = (h ^ peer[i]) * 16777619u;
	h = (h ^ q->id) * 16777619u;
	h = (h ^ q->qtype) * 16777619u;
	h = (h ^ (uint32_t)(it->type + 1) / 2) * 16777619u;
	return h ^ dns_name_hash(&q->qname);
}

/* Remember a query, so that its response can be paired with it. */
static void
pair_query(struct dt_feed *f, const struct item *it)
{
	struct quest	 q;
	struct pair	*p, *best = NULL;
	const uint8_t	*peer;
	uint32_t	 h;
	int		 i;

	if (!quest_read(f->msg, it, &q))
		return;
	peer = peer_is_responder(it->type) ? it->dst : it->src;
	h = pair_hash(it, &q, peer);
	for (i = 0; i < PAIR_PROBE; i++) {
		p = &f->pairs[(h + (uint32_t)i) % DT_PAIR_SLOTS];
		if (!p->used) {
			best = p;
			break;
		}
		if (best == NULL || p->ts < best->ts)
			best = p;	/* full: the oldest gives way */
	}
	memset(best, 0, sizeof(*best));
	best->used = 1;
	best->ts = it->ts;
	best->cls = (uint8_t)((it->type + 1) / 2);
	best->family = it->family;
	best->tcp = it->tcp;
	best->id = q.id;
	best->qtype = q.qtype;
	best->iport = it->sport;
	best->rport = it->dport;
	memcpy(best->peer, peer, 16);
	memcpy(best->self, peer == it->dst ? it->src : it->dst, 16);
	best->qname = q.qname;
}

/*
 * A response takes its query's ports, transport and missing address, and
 * a time no earlier than the query's (R2.4: pair by peer, ID, QNAME and
 * QTYPE, never by port).
 */
static void
pair_response(struct dt_feed *f, struct item *it)
{
	struct quest	 q;
	struct pair	*p;
	uint8_t		*peer, *self;
	uint32_t	 h;
	int		 i;

	if (!quest_read(f->msg, it, &q))
		return;
	peer = peer_is_responder(it->type) ? it->src : it->dst;
	self = peer == it->src ? it->dst : it->src;
	h = pair_hash(it, &q, peer);
	for (i = 0; i < PAIR_PROBE; i++) {
		p = &f->pairs[(h + (uint32_t)i) % DT_PAIR_SLOTS];
		if (!p->used || p->id != q.id || p->qtype != q.qtype ||
		    p->cls != (it->type + 1) / 2 || p->family != it->family ||
		    memcmp(p->peer, peer, 16) != 0 ||
		    !dns_name_equal(&p->qname, &q.qname))
			continue;
		if (it->sport != p->rport || it->dport != p->iport)
			f->st.repaired++;
		it->sport = p->rport;
		it->dport = p->iport;
		it->tcp = p->tcp;
		memcpy(self, p->self, 16);
		if (it->ts < p->ts)
			it->ts = p->ts;
		p->used = 0;
		return;
	}
}

/*
 * Messages at the same time: a client's query before the upstream work it
 * causes, the answer after it (BIND stamps many messages alike and writes
 * them out of order), else in the order of the log.
 */
static int
type_rank(int type)
{
	return type == DT_CLIENT_QUERY ? 0 : type == DT_CLIENT_RESPONSE ? 2 : 1;
}

/* Heap order: time, then type_rank(), then the order of the log. */
static int
item_less(const struct item *a, const struct item *b)
{
	if (a->ts != b->ts)
		return a->ts < b->ts;
	if (type_rank(a->type) != type_rank(b->type))
		return type_rank(a->type) < type_rank(b->type);
	return a->seq < b->seq;
}

/* Add an item to the reordering heap (there is room). */
static void
heap_push(struct dt_feed *f, const struct item *it)
{
	size_t		 i = f->nheap++, up;
	struct item	 t;

	f->heap[i] = *it;
	while (i > 0 && item_less(&f->heap[i], &f->heap[up = (i - 1) / 2])) {
		t = f->heap[i];
		f->heap[i] = f->heap[up];
		f->heap[up] = t;
		i = up;
	}
}

/* Take the earliest item off the heap (it is not empty). */
static void
heap_pop(struct dt_feed *f, struct item *it)
{
	size_t		 i = 0, c;
	struct item	 t;

	*it = f->heap[0];
	f->heap[0] = f->heap[--f->nheap];
	for (;;) {
		c = 2 * i + 1;
		if (c >= f->nheap)
			break;
		if (c + 1 < f->nheap && item_less(&f->heap[c + 1], &f->heap[c]))
			c++;
		if (!item_less(&f->heap[c], &f->heap[i]))
			break;
		t = f->heap[i];
		f->heap[i] = f->heap[c];
		f->heap[c] = t;
		i = c;
	}
}

/* Decode an item and hand it on; it is freed. */
static void
emit(struct dt_feed *f, struct item *it)
{
	struct dt_msg	 m;

	/* Late: handed on with its own time (the engine does not go back
	 * in time for it, and a later stamp would lie about its RTT). */
	if (it->ts < f->last)
		f->st.late++;
	else
		f->last = it->ts;
	memset(&m, 0, sizeof(m));
	m.ts_ns = it->ts;
	m.frame = it->seq;
	m.type = it->type;
	m.family = it->family;
	m.tcp = it->tcp;
	memcpy(m.src, it->src, 16);
	memcpy(m.dst, it->dst, 16);
	m.sport = it->sport;
	m.dport = it->dport;
	m.data = it->data;
	m.len = it->len;
	dns_msg_decode(it->data, it->len, f->msg);
	if (it->type == DT_RESOLVER_QUERY || it->type == DT_FORWARDER_QUERY)
		f->msg->hdr.rd = 0;	/* upstream, whatever the bit */
	m.msg = f->msg;
	m.zone = it->haszone ? &it->zone : NULL;
	f->st.messages++;
	f->fn(f->arg, &m);
	free(it->data);
}

/* A feed handing messages to fn. */
struct dt_feed *
dt_feed_create(dt_msg_fn fn, void *arg)
{
	struct dt_feed	*f = xcalloc(1, sizeof(*f));

	f->fn = fn;
	f->arg = arg;
	f->heap = xcalloc(DT_HOLD_MAX, sizeof(*f->heap));
	f->pairs = xcalloc(DT_PAIR_SLOTS, sizeof(*f->pairs));
	f->msg = xmalloc(sizeof(*f->msg));
	return f;
}

/* Free a feed and what it holds (not handed on: flush first). */
void
dt_feed_destroy(struct dt_feed *f)
{
	size_t	 i;

	if (f == NULL)
		return;
	for (i = 0; i < f->nheap; i++)
		free(f->heap[i].data);
	free(f->heap);
	free(f->pairs);
	free(f->msg);
	free(f);
}

/* One dnstap payload: decode, pair, hold; hand on what the window passed. */
int
dt_feed_frame(struct dt_feed *f, const uint8_t *p, size_t len)
{
	Dnstap__Dnstap	*d;
	struct item	 it, out;

	f->st.frames++;
	if ((d = dnstap__dnstap__unpack(NULL, len, p)) == NULL) {
		f->st.bad++;
		return -1;
	}
	if (d->type != DNSTAP__DNSTAP__TYPE__MESSAGE || d->message == NULL ||
	    !item_from(f, d->message, &it)) {
		f->st.skipped++;
		dnstap__dnstap__free_unpacked(d, NULL);
		return 0;
	}
	dnstap__dnstap__free_unpacked(d, NULL);
	if (is_query(it.type))
		pair_query(f, &it);
	else
		pair_response(f, &it);
	if (it.ts > f->newest)
		f->newest = it.ts;
	if (f->nheap == DT_HOLD_MAX) {
		heap_pop(f, &out);
		emit(f, &out);
	}
	heap_push(f, &it);
	dt_feed_drain(f, f->newest);
	return 0;
}

/* Hand on every held message older than now_ns minus the window. */
void
dt_feed_drain(struct dt_feed *f, uint64_t now_ns)
{
	struct item	 it;

	while (f->nheap > 0 && f->heap[0].ts + DT_WINDOW_NS <= now_ns) {
		heap_pop(f, &it);
		emit(f, &it);
	}
}

/* Hand on everything held. */
void
dt_feed_flush(struct dt_feed *f)
{
	struct item	 it;

	while (f->nheap > 0) {
		heap_pop(f, &it);
		emit(f, &it);
	}
}

const struct dt_stats *
dt_feed_stats(const struct dt_feed *f)
{
	return &f->st;
}

/* Does the file open with a Frame Streams START control frame? */
int
dt_file_probe(const char *path)
{
	uint8_t	 b[12];
	FILE	*fp;
	size_t	 n;

	if (strcmp(path, "-") == 0 || (fp = fopen(path, "rb")) == NULL)
		return 0;
	n = fread(b, 1, sizeof(b), fp);
	fclose(fp);
	/* An escape (a zero length), a control frame length, START. */
	return n == sizeof(b) && memcmp(b, "\0\0\0\0", 4) == 0 &&
	    b[8] == 0 && b[9] == 0 && b[10] == 0 && b[11] == FSTRM_CONTROL_START;
}

/* Open a dnstap file for reading into feed. */
struct dt_file *
dt_file_open(const char *path, struct dt_feed *feed, char **cause)
{
	struct fstrm_file_options	*fo;
	struct fstrm_reader_options	*ro;
	struct dt_file			*df;
	FILE				*fp;
	char				 buf[512];

	if ((fp = fopen(path, "rb")) == NULL) {
		snprintf(buf, sizeof(buf), "%s: %s", path, strerror(errno));
		*cause = xstrdup(buf);
		return NULL;
	}
	df = xcalloc(1, sizeof(*df));
	df->fp = fp;
	df->name = xstrdup(path);
	df->feed = feed;
	fo = fstrm_file_options_init();
	fstrm_file_options_set_file_path(fo, path);
	ro = fstrm_reader_options_init();
	fstrm_reader_options_add_content_type(ro, DT_CONTENT_TYPE,
	    strlen(DT_CONTENT_TYPE));
	fstrm_reader_options_set_max_frame_size(ro, DT_FRAME_MAX);
	df->r = fstrm_file_reader_init(fo, ro);
	fstrm_file_options_destroy(&fo);
	fstrm_reader_options_destroy(&ro);
	if (df->r == NULL || fstrm_reader_open(df->r) != fstrm_res_success) {
		diagnose(df);
		*cause = xstrdup(df->err);
		dt_file_close(df);
		return NULL;
	}
	return df;
}

/* A big-endian 32-bit frame length (Frame Streams' framing). */
static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/*
 * The control frame after an escape at the file position: NULL to go on,
 * diag_whole when it is the STOP that ends a whole file, else what is
 * wrong.
 */
static const char *
walk_control(FILE *fp, struct fstrm_control *c, int *started, uint64_t *off)
{
	uint8_t			 b[4], ctl[FSTRM_CONTROL_FRAME_LENGTH_MAX];
	fstrm_control_type	 t;
	uint32_t		 len;

	if (fread(b, 1, 4, fp) != 4)
		return "truncated: a control frame is cut off";
	len = be32(b);
	if (len > sizeof(ctl))
		return "corrupt: a control frame is too long";
	if (fread(ctl, 1, len, fp) != len)
		return "truncated: a control frame is cut off";
	*off += 4 + len;
	if (fstrm_control_decode(c, ctl, len, 0) != fstrm_res_success ||
	    fstrm_control_get_type(c, &t) != fstrm_res_success)
		return "corrupt: a control frame cannot be decoded";
	if (t == FSTRM_CONTROL_STOP)
		return fread(b, 1, 1, fp) == 0 ? diag_whole :
		    "corrupt: data after the STOP control frame";
	if (t != FSTRM_CONTROL_START)
		return NULL;
	*started = 1;
	if (fstrm_control_match_field_content_type(c,
	    (const uint8_t *)DT_CONTENT_TYPE, strlen(DT_CONTENT_TYPE)) !=
	    fstrm_res_success)
		return "Frame Streams, but its content type is not "
		    DT_CONTENT_TYPE;
	return NULL;
}

/*
 * The data frame of length len at the file position (frame n + 1): NULL
 * to go on (skipped), else what is wrong, in df->err (returns "").
 */
static const char *
walk_data(struct dt_file *df, uint64_t len, uint64_t n, uint64_t *off,
    uint64_t size)
{
	if (len > DT_FRAME_MAX)
		snprintf(df->err, sizeof(df->err), "%s: frame %llu claims %llu "
		    "bytes (at most %u)", df->name, (unsigned long long)n + 1,
		    (unsigned long long)len, DT_FRAME_MAX);
	else if (len > size - *off)
		snprintf(df->err, sizeof(df->err), "%s: truncated: frame %llu "
		    "needs %llu bytes, %llu are left", df->name,
		    (unsigned long long)n + 1, (unsigned long long)len,
		    (unsigned long long)(size - *off));
	else if (fseek(df->fp, (long)len, SEEK_CUR) != 0)
		return "cannot seek";
	else {
		*off += len;
		return NULL;
	}
	return "";
}

/*
 * libfstrm says only that reading failed, and reads a file cut at a frame
 * boundary as if it had ended: walk the file's frames to say how (STYLE.md
 * rule 23).  0 when the file is whole (its STOP control frame ends it),
 * else -1 with df->err set.
 */
static int
diagnose(struct dt_file *df)
{
	struct fstrm_control	*c;
	struct stat		 st;
	uint8_t			 b[4];
	uint64_t		 n = 0, off = 0;
	const char		*why = NULL;
	int			 started = 0;
	size_t			 got;

	if (fseek(df->fp, 0, SEEK_SET) != 0 || fstat(fileno(df->fp), &st)) {
		snprintf(df->err, sizeof(df->err), "%s: %s", df->name,
		    strerror(errno));
		return -1;
	}
	c = fstrm_control_init();
	while (why == NULL) {
		if ((got = fread(b, 1, 4, df->fp)) != 4) {
			why = got == 0 ? "truncated: the file ends without a "
			    "STOP control frame (cut short, or still being "
			    "written)" : "truncated: a frame length is cut off";
			break;
		}
		off += 4;
		if (be32(b) == 0)	/* an escape: a control frame */
			why = walk_control(df->fp, c, &started, &off);
		else if (!started)
			why = "not a Frame Streams file (no START control "
			    "frame)";
		else if ((why = walk_data(df, be32(b), n, &off,
		    (uint64_t)st.st_size)) == NULL)
			n++;
	}
	fstrm_control_destroy(&c);
	if (why == diag_whole)
		return 0;
	if (*why == '\0')
		return -1;	/* walk_data() wrote it */
	snprintf(df->err, sizeof(df->err), "%s: %s (after %llu frames)",
	    df->name, why, (unsigned long long)n);
	return -1;
}

/* Read at most max frames into the feed. */
int
dt_file_read(struct dt_file *df, int max)
{
	const uint8_t	*p;
	size_t		 len;
	fstrm_res	 res;
	int		 n;

	for (n = 0; n < max && !df->eof; n++) {
		res = fstrm_reader_read(df->r, &p, &len);
		if (res == fstrm_res_stop) {
			df->eof = 1;
			if (diagnose(df) != 0)
				return -1;
			break;
		}
		if (res != fstrm_res_success) {
			df->eof = 1;
			if (diagnose(df) == 0)
				snprintf(df->err, sizeof(df->err), "%s: corrupt "
				    "Frame Streams data (libfstrm could not "
				    "read it)", df->name);
			return -1;
		}
		if (dt_feed_frame(df->feed, p, len) != 0) {
			df->eof = 1;
			snprintf(df->err, sizeof(df->err), "%s: frame %llu is "
			    "not a dnstap payload (protobuf dnstap.Dnstap)",
			    df->name, (unsigned long long)dt_feed_stats(
			    df->feed)->frames);
			return -1;
		}
	}
	return n;
}

int
dt_file_eof(const struct dt_file *df)
{
	return df->eof;
}

const char *
dt_file_error(const struct dt_file *df)
{
	return df->err;
}

const char *
dt_file_name(const struct dt_file *df)
{
	return df->name;
}

/* Close the file (the feed is the caller's). */
void
dt_file_close(struct dt_file *df)
{
	if (df == NULL)
		return;
	if (df->r != NULL)
		fstrm_reader_destroy(&df->r);
	if (df->fp != NULL)
		fclose(df->fp);
	free(df->name);
	free(df);
}
