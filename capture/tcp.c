/* tcp.c -- TCP stream reassembly for DNS messages (RFC 7766). */
#include <stdlib.h>
#include <string.h>

#include "capture/tcp.h"
#include "util/table.h"
#include "util/xmalloc.h"

#define OOO_MAX		8	/* out-of-order segments held per flow */
#define DNS_MIN		12	/* a DNS header */

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
	uint8_t		*buf;
	size_t		 len, cap;
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
static struct flow *flow_get(struct tcp_table *, const struct tcp_key *,
		    uint64_t, int);
static void	flow_reset(struct flow *);
static int	flow_append(struct tcp_table *, struct flow *,
		    const uint8_t *, size_t);
static void	flow_hold(struct tcp_table *, struct flow *, uint32_t,
		    const uint8_t *, size_t);
static void	flow_drain(struct tcp_table *, struct flow *);
static void	flow_skip_gap(struct tcp_table *, struct flow *);
static void	flow_parse(struct tcp_table *, struct flow *);

/* Free a flow and its buffers. */
static void
flow_free(struct tnode *n, void *arg)
{
	struct tcp_table	*tt = arg;
	struct flow		*f = (struct flow *)n;

	if (tt != NULL)
		tt->st.evicted++;
	flow_reset(f);
	free(f->buf);
	free(f);
}

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

void
tcp_destroy(struct tcp_table *tt)
{
	if (tt == NULL)
		return;
	tt->t.arg = NULL;
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
}

/* The flow for a key; created when create is set. */
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
	f->key = *k;
	f->last_ts = ts;
	table_insert(&tt->t, &f->node, h);
	tt->st.flows++;
	return f;
}

/* Append in-order bytes; -1 when the flow's buffer cap is hit. */
static int
flow_append(struct tcp_table *tt, struct flow *f, const uint8_t *p, size_t n)
{
	if (f->len + n > tt->max_buf)
		return -1;
	if (f->len + n > f->cap) {
		f->cap = f->len + n > 2 * f->cap ? f->len + n : 2 * f->cap;
		f->buf = xreallocarray(f->buf, f->cap, 1);
	}
	memcpy(f->buf + f->len, p, n);
	f->len += n;
	f->next += (uint32_t)n;
	return 0;
}

/* Keep a copy of a segment that came early; skip the hole when full. */
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
	f->next = lowest;
	f->gap = 1;
	flow_drain(tt, f);
}

/* Move held segments that now fit into the stream. */
static void
flow_drain(struct tcp_table *tt, struct flow *f)
{
	struct ooo	 o;
	int32_t		 d;
	int		 i, moved = 1;

	while (moved) {
		moved = 0;
		for (i = 0; i < f->nooo; i++) {
			d = (int32_t)(f->ooo[i].seq - f->next);
			if (d > 0)
				continue;
			o = f->ooo[i];
			f->ooo[i] = f->ooo[--f->nooo];
			if ((size_t)-d < o.len &&
			    flow_append(tt, f, o.data + -d, o.len - (size_t)-d)
			    != 0)
				f->len = 0;
			free(o.data);
			moved = 1;
			break;
		}
	}
}

/* Hand on every complete length-prefixed message in the buffer. */
static void
flow_parse(struct tcp_table *tt, struct flow *f)
{
	size_t	 mlen, used = 0;

	while (f->len - used >= 2) {
		mlen = (size_t)f->buf[used] << 8 | f->buf[used + 1];
		if (mlen < DNS_MIN || mlen + 2 > tt->max_buf) {
			/* Not a DNS frame: resync at the next segment. */
			tt->st.badlen++;
			used = f->len;
			f->gap = 1;
			break;
		}
		if (f->len - used < mlen + 2)
			break;
		tt->fn(tt->arg, &f->key, f->buf + used + 2, mlen, f->gap);
		f->gap = 0;
		used += mlen + 2;
	}
	if (used > 0) {
		memmove(f->buf, f->buf + used, f->len - used);
		f->len -= used;
	}
}

/* One segment of one direction; see tcp.h. */
void
tcp_segment(struct tcp_table *tt, const struct tcp_key *k, uint64_t ts,
    uint32_t seq, int flags, const uint8_t *p, size_t n)
{
	struct flow	*f;
	int32_t		 d;

	tcp_expire(tt, ts);
	if (flags & TCP_RST) {
		if ((f = flow_get(tt, k, ts, 0)) != NULL) {
			table_remove(&tt->t, &f->node);
			flow_free(&f->node, NULL);
		}
		return;
	}
	if ((f = flow_get(tt, k, ts, (flags & TCP_SYN) || n > 0)) == NULL)
		return;
	if (flags & TCP_SYN) {
		flow_reset(f);
		f->next = seq + 1;
		f->synced = 1;
		return;
	}
	if (n == 0)
		return;
	if (!f->synced) {
		f->next = seq;
		f->synced = 1;
	}
	d = (int32_t)(seq - f->next);
	if (d > 0) {
		flow_hold(tt, f, seq, p, n);
		flow_parse(tt, f);
		return;
	}
	if ((size_t)-d >= n)
		return;			/* all of it seen before */
	if (flow_append(tt, f, p + -d, n - (size_t)-d) != 0) {
		tt->st.badlen++;
		f->len = 0;
		f->next = seq + (uint32_t)n;
		f->gap = 1;
	}
	flow_drain(tt, f);
	flow_parse(tt, f);
}

/* Expire flows idle for the timeout; a held hole counts as a gap. */
void
tcp_expire(struct tcp_table *tt, uint64_t now)
{
	struct tnode	*n;
	struct flow	*f;

	while ((n = table_oldest(&tt->t)) != NULL) {
		f = (struct flow *)n;
		if (f->last_ts + tt->timeout > now)
			break;
		if (f->nooo > 0) {
			flow_skip_gap(tt, f);
			flow_parse(tt, f);
		}
		table_remove(&tt->t, n);
		flow_free(n, NULL);
	}
}

const struct tcp_stats *
tcp_stats(const struct tcp_table *tt)
{
	return &tt->st;
}
