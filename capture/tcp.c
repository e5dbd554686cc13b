/*
 * tcp.c -- TCP stream reassembly for DNS messages (tcp.h; RFC 7766).
 */
#include <stdlib.h>
#include <string.h>

#include "capture/tcp.h"
#include "util/table.h"
#include "util/xmalloc.h"

#define OOO_MAX		8	/* out-of-order segments held per flow */
#define DNS_MIN		12	/* no message is shorter than its header */

struct ooo {
	uint32_t	 seq;
	size_t		 len;
	uint8_t		*data;
};

struct flow {
	struct tnode	 node;
	struct tcp_key	 key;
	uint32_t	 next;		/* next expected sequence number */
	uint8_t		 synced;
	uint8_t		 gap;		/* bytes lost since the last message */
	uint8_t		 framed;	/* SYN seen or a message parsed */
	uint8_t		*buf;		/* one partial message, prefix first */
	size_t		 len, cap;
	size_t		 skip;		/* stream bytes to drop (a cut message) */
	struct ooo	 ooo[OOO_MAX];
	int		 nooo;
	uint64_t	 last_ts;
};

struct tcp_table {
	struct table	 t;
	tcp_msg_fn	 fn;
	void		*arg;
	size_t		 max_buf;
	uint64_t	 timeout;
	struct tcp_stats st;
};

static void	flow_free(struct tnode *, void *);
static void	flow_reset(struct flow *);
static struct flow *flow_get(struct tcp_table *, const struct tcp_key *,
		    uint64_t, int);
static void	flow_remove(struct tcp_table *, struct flow *);
static void	deliver(struct tcp_table *, struct flow *, const uint8_t *,
		    size_t, size_t, int);
static int	prefix_ok(struct tcp_table *, struct flow *, size_t);
static size_t	frames(struct tcp_table *, struct flow *, const uint8_t *,
		    size_t);
static void	buf_add(struct flow *, const uint8_t *, size_t);
static void	stream_in(struct tcp_table *, struct flow *, const uint8_t *,
		    size_t);
static void	flow_data(struct tcp_table *, struct flow *, uint32_t,
		    const uint8_t *, size_t, size_t);
static void	flow_cut(struct tcp_table *, struct flow *, size_t);
static void	flow_hold(struct tcp_table *, struct flow *, uint32_t,
		    const uint8_t *, size_t);
static void	flow_drain(struct tcp_table *, struct flow *);
static void	flow_skip_gap(struct tcp_table *, struct flow *);
static void	flow_flush(struct tcp_table *, struct flow *);

/* Free a flow and its buffers; also the table's evict callback. */
static void
flow_free(struct tnode *n, void *arg)
{
	struct flow	*f = (struct flow *)n;

	(void)arg;
	flow_reset(f);
	free(f->buf);
	free(f);
}

/* A table of at most max_flows flows of at most max_buf bytes each. */
struct tcp_table *
tcp_create(size_t max_flows, size_t max_buf, uint64_t timeout_ns,
    tcp_msg_fn fn, void *arg)
{
	struct tcp_table	*tt = xcalloc(1, sizeof(*tt));

	tt->fn = fn;
	tt->arg = arg;
	table_init(&tt->t, max_flows, flow_free, tt);
	tt->max_buf = max_buf;
	tt->timeout = timeout_ns;
	return tt;
}

/* Free the table and every flow, handing on nothing more. */
void
tcp_destroy(struct tcp_table *tt)
{
	if (tt == NULL)
		return;
	table_free(&tt->t);
	free(tt);
}

/* Drop buffered bytes and held segments. */
static void
flow_reset(struct flow *f)
{
	int	 i;

	for (i = 0; i < f->nooo; i++)
		free(f->ooo[i].data);
	f->nooo = 0;
	f->len = 0;
	f->skip = 0;
}

/* The flow for a key, touched; created (maybe evicting) when create is set. */
static struct flow *
flow_get(struct tcp_table *tt, const struct tcp_key *k, uint64_t ts,
    int create)
{
	struct tnode	*n = NULL;
	struct flow	*f;
	uint32_t	 h = table_hash(TABLE_HASH_INIT, k, sizeof(*k));

	while ((n = table_next(&tt->t, h, n)) != NULL) {
		f = (struct flow *)n;
		if (memcmp(&f->key, k, sizeof(*k)) == 0) {
			table_touch(&tt->t, n);
			f->last_ts = ts;
			return f;
		}
	}
	if (!create)
		return NULL;
	f = xcalloc(1, sizeof(*f));
	memcpy(&f->key, k, sizeof(*k));
	f->last_ts = ts;
	table_insert(&tt->t, &f->node, h);
	tt->st.flows++;
	tt->st.evicted = tt->t.evictions;
	return f;
}

/* Unlink and free a flow. */
static void
flow_remove(struct tcp_table *tt, struct flow *f)
{
	table_remove(&tt->t, &f->node);
	flow_free(&f->node, NULL);
}

/* Hand one message on, with the flow's pending gap flag. */
static void
deliver(struct tcp_table *tt, struct flow *f, const uint8_t *p, size_t len,
    size_t wire_len, int mflags)
{
	if (f->gap)
		mflags |= TCP_M_GAP;
	f->gap = 0;
	f->framed = 1;
	tt->fn(tt->arg, &f->key, p, len, wire_len, mflags);
}

/* Can mlen be a DNS message's length prefix?  If not, lose the framing. */
static int
prefix_ok(struct tcp_table *tt, struct flow *f, size_t mlen)
{
	if (mlen >= DNS_MIN && mlen + 2 <= tt->max_buf)
		return 1;
	/* Not a DNS frame (or too big to hold): resync at the next segment. */
	tt->st.badlen++;
	f->gap = 1;
	f->len = 0;
	return 0;
}

/*
 * Hand on the whole length-prefixed messages at the start of p, in place
 * (RFC 7766 §8); return the bytes used.  A bad prefix uses up all of p.
 */
static size_t
frames(struct tcp_table *tt, struct flow *f, const uint8_t *p, size_t n)
{
	size_t	 mlen, used = 0;

	while (n - used >= 2) {
		mlen = (size_t)p[used] << 8 | p[used + 1];
		if (!prefix_ok(tt, f, mlen))
			return n;
		if (mlen + 2 > n - used)
			break;
		deliver(tt, f, p + used + 2, mlen, mlen, 0);
		used += mlen + 2;
	}
	return used;
}

/* Copy bytes of the partial message into the flow's buffer. */
static void
buf_add(struct flow *f, const uint8_t *p, size_t n)
{
	if (f->len + n > f->cap) {
		f->cap = f->len + n > 2 * f->cap ? f->len + n : 2 * f->cap;
		f->buf = xreallocarray(f->buf, f->cap, 1);
	}
	memcpy(f->buf + f->len, p, n);
	f->len += n;
}

/* In-order stream bytes: finish the buffered message, then parse in place. */
static void
stream_in(struct tcp_table *tt, struct flow *f, const uint8_t *p, size_t n)
{
	size_t	 take, want;

	f->next += (uint32_t)n;
	take = f->skip < n ? f->skip : n;
	f->skip -= take;
	p += take;
	n -= take;
	while (n > 0 && f->len > 0) {
		want = f->len < 2 ? 2 - f->len :
		    2 + ((size_t)f->buf[0] << 8 | f->buf[1]) - f->len;
		take = want < n ? want : n;
		buf_add(f, p, take);
		p += take;
		n -= take;
		if (f->len == 2 && !prefix_ok(tt, f,
		    (size_t)f->buf[0] << 8 | f->buf[1]))
			return;
		if (f->len > 2 && take == want) {
			deliver(tt, f, f->buf + 2, f->len - 2, f->len - 2, 0);
			f->len = 0;
		}
	}
	take = frames(tt, f, p, n);
	if (take < n)
		buf_add(f, p + take, n - take);
}

/* A snap-cut segment lost its last lost bytes: hand on the cut message. */
static void
flow_cut(struct tcp_table *tt, struct flow *f, size_t lost)
{
	size_t	 total, rest;

	f->next += (uint32_t)lost;
	if (f->len >= 2) {
		total = 2 + ((size_t)f->buf[0] << 8 | f->buf[1]);
		deliver(tt, f, f->buf + 2, f->len - 2, total - 2, TCP_M_CUT);
		rest = total - f->len;
		f->len = 0;
		if (lost <= rest) {
			f->skip = rest - lost;
			return;
		}
	} else if (f->len == 0 && f->skip >= lost) {
		f->skip -= lost;
		return;
	}
	/* A message began in the lost bytes: its framing is gone. */
	f->len = 0;
	f->skip = 0;
	f->gap = 1;
	tt->st.gaps++;
}

/* Keep a copy of a segment that came early; a second one makes a gap. */
static void
flow_hold(struct tcp_table *tt, struct flow *f, uint32_t seq,
    const uint8_t *p, size_t n)
{
	int	 i;

	for (i = 0; i < f->nooo; i++)
		if (f->ooo[i].seq == seq)
			return;		/* retransmitted early segment */
	if (f->nooo == OOO_MAX || n > tt->max_buf)
		return;
	f->ooo[f->nooo].seq = seq;
	f->ooo[f->nooo].len = n;
	f->ooo[f->nooo].data = xmalloc(n);
	memcpy(f->ooo[f->nooo].data, p, n);
	/* A second segment beyond the hole: the hole is a loss. */
	if (++f->nooo > 1)
		flow_skip_gap(tt, f);
}

/* A hole will not fill: drop the partial message, jump to held data. */
static void
flow_skip_gap(struct tcp_table *tt, struct flow *f)
{
	uint32_t	 lowest;
	int		 i;

	if (f->nooo == 0)
		return;
	lowest = f->ooo[0].seq;
	for (i = 1; i < f->nooo; i++)
		if ((int32_t)(f->ooo[i].seq - lowest) < 0)
			lowest = f->ooo[i].seq;
	tt->st.gaps++;
	f->len = 0;
	f->skip = 0;
	f->next = lowest;
	f->gap = 1;
	flow_drain(tt, f);
}

/* Move held segments that now fit into the stream, trimming overlaps. */
static void
flow_drain(struct tcp_table *tt, struct flow *f)
{
	struct ooo	 o;
	uint32_t	 trim;
	int		 i;

	for (i = 0; i < f->nooo; i++) {
		if ((int32_t)(f->ooo[i].seq - f->next) > 0)
			continue;
		o = f->ooo[i];
		f->ooo[i] = f->ooo[--f->nooo];
		trim = f->next - o.seq;
		if (trim < o.len)
			stream_in(tt, f, o.data + trim, o.len - trim);
		free(o.data);
		i = -1;			/* next may have moved: rescan */
	}
}

/*
 * The stream ended: hand on a message its prefix promised more bytes for,
 * unless the framing is a guess (after a loss, or before any message of a
 * flow seen without its SYN).
 */
static void
flow_flush(struct tcp_table *tt, struct flow *f)
{
	size_t	 total;

	if (f->len > 2 && !f->gap && f->framed) {
		total = 2 + ((size_t)f->buf[0] << 8 | f->buf[1]);
		deliver(tt, f, f->buf + 2, f->len - 2, total - 2,
		    TCP_M_SHORT);
	}
	f->len = 0;
}

/* Payload of a segment at seq: in order, early, repeated or cut. */
static void
flow_data(struct tcp_table *tt, struct flow *f, uint32_t seq,
    const uint8_t *p, size_t n, size_t wire)
{
	uint32_t	 trim;

	if ((int32_t)(seq - f->next) > 0) {
		if (n == wire)
			flow_hold(tt, f, seq, p, n);
		return;
	}
	trim = f->next - seq;
	if (trim >= wire)
		return;			/* all of it seen before */
	if (trim < n)
		stream_in(tt, f, p + trim, n - trim);
	if (n < wire)
		flow_cut(tt, f, wire - (trim > n ? trim : n));
	flow_drain(tt, f);
}

/* One segment of one direction; see tcp.h. */
void
tcp_segment(struct tcp_table *tt, const struct tcp_key *k, uint64_t ts,
    uint32_t seq, int flags, const uint8_t *p, size_t n, size_t wire)
{
	struct flow	*f;

	tcp_expire(tt, ts);
	if (flags & TCP_RST) {
		if ((f = flow_get(tt, k, ts, 0)) != NULL)
			flow_remove(tt, f);
		return;
	}
	f = flow_get(tt, k, ts, (flags & TCP_SYN) || wire > 0);
	if (f == NULL)
		return;
	if (flags & TCP_SYN) {
		flow_reset(f);
		f->gap = 0;
		f->synced = 1;
		f->framed = 1;
		f->next = ++seq;	/* SYN data (RFC 7413) follows it */
	} else if (!f->synced && wire > 0) {
		f->next = seq;		/* began before the capture */
		f->synced = 1;
	}
	if (wire > 0)
		flow_data(tt, f, seq, p, n, wire);
	if ((flags & TCP_FIN) && f->nooo == 0)
		flow_flush(tt, f);
}

/* Expire idle flows; held data past a hole is handed on first. */
void
tcp_expire(struct tcp_table *tt, uint64_t now)
{
	struct tnode	*n;
	struct flow	*f;

	while ((n = table_oldest(&tt->t)) != NULL) {
		f = (struct flow *)n;
		if (now < tt->timeout || f->last_ts > now - tt->timeout)
			break;
		flow_skip_gap(tt, f);
		flow_flush(tt, f);
		flow_remove(tt, f);
	}
}

/* The counters. */
const struct tcp_stats *
tcp_stats(const struct tcp_table *tt)
{
	return &tt->st;
}
