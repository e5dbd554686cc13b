/*
 * top.c -- the heaviest hitters, as dnstop shows them: query names, query
 * sources, servers asked, query types and response codes.
 *
 * Each dimension is a Space-Saving summary (Metwally, Agrawal and El
 * Abbadi, 2005) of TOP_K counters: a key already counted is incremented; a
 * new key takes the place of the smallest counter and inherits its count
 * (kept as the error bound).  A min-heap finds the smallest counter and
 * small hash chains find a key, so a packet costs a hash and a few swaps
 * whatever the traffic: a flood of unique names cannot grow it.  Counting
 * is on only when asked for (engine_conf.top); views copy it out sorted.
 */
#include <stdlib.h>
#include <string.h>

#include "decode/dns.h"
#include "engine/internal.h"
#include "util/xmalloc.h"

#define TOP_K		128	/* counters per dimension */
#define TOP_BUCKETS	256	/* hash chains per dimension (power of 2) */
#define TOP_KEYMAX	255	/* a wire name */

struct top_ent {
	uint64_t	count, err;
	uint16_t	next;		/* in its hash chain; TOP_K: end */
	uint16_t	hpos;		/* in the heap */
	uint8_t		used;
	uint8_t		keylen;
	uint8_t		key[TOP_KEYMAX];
};

struct top_dim {
	struct top_ent	ent[TOP_K];
	uint16_t	heap[TOP_K];	/* entry indexes, smallest count first */
	uint16_t	bucket[TOP_BUCKETS];
	unsigned	n;
	uint64_t	total;
};

struct top {
	struct top_dim	dim[ENG_TOP__MAX];
};

static void	dim_clear(struct top_dim *);
static void	dim_add(struct top_dim *, const void *, size_t);
static void	sift_down(struct top_dim *, unsigned);
static void	sift_up(struct top_dim *, unsigned);
static void	chain_unlink(struct top_dim *, uint32_t, uint16_t);
static uint32_t	key_hash(const void *, size_t);

/* FNV-1a: keys here are short and the chains are bounded by TOP_K. */
static uint32_t
key_hash(const void *key, size_t len)
{
	const uint8_t	*p = key;
	uint32_t	 h = 2166136261u;

	while (len-- > 0)
		h = (h ^ *p++) * 16777619u;
	return h;
}

/* Empty a dimension. */
static void
dim_clear(struct top_dim *d)
{
	unsigned	 i;

	memset(d, 0, sizeof(*d));
	for (i = 0; i < TOP_BUCKETS; i++)
		d->bucket[i] = TOP_K;
}

/* Restore the heap below position i after its count grew. */
static void
sift_down(struct top_dim *d, unsigned i)
{
	unsigned	 c;
	uint16_t	 t;

	for (;;) {
		c = 2 * i + 1;
		if (c >= d->n)
			return;
		if (c + 1 < d->n && d->ent[d->heap[c + 1]].count <
		    d->ent[d->heap[c]].count)
			c++;
		if (d->ent[d->heap[i]].count <= d->ent[d->heap[c]].count)
			return;
		t = d->heap[i];
		d->heap[i] = d->heap[c];
		d->heap[c] = t;
		d->ent[d->heap[i]].hpos = (uint16_t)i;
		d->ent[d->heap[c]].hpos = (uint16_t)c;
		i = c;
	}
}

/* Restore the heap above position i after its count shrank. */
static void
sift_up(struct top_dim *d, unsigned i)
{
	unsigned	 p;
	uint16_t	 t;

	while (i > 0) {
		p = (i - 1) / 2;
		if (d->ent[d->heap[p]].count <= d->ent[d->heap[i]].count)
			return;
		t = d->heap[i];
		d->heap[i] = d->heap[p];
		d->heap[p] = t;
		d->ent[d->heap[i]].hpos = (uint16_t)i;
		d->ent[d->heap[p]].hpos = (uint16_t)p;
		i = p;
	}
}

/* Take entry k out of hash chain b. */
static void
chain_unlink(struct top_dim *d, uint32_t b, uint16_t k)
{
	uint16_t	*p;

	for (p = &d->bucket[b]; *p != TOP_K; p = &d->ent[*p].next)
		if (*p == k) {
			*p = d->ent[k].next;
			return;
		}
}

/* Count one occurrence of key. */
static void
dim_add(struct top_dim *d, const void *key, size_t len)
{
	struct top_ent	*t;
	uint32_t	 b = key_hash(key, len) & (TOP_BUCKETS - 1);
	uint16_t	 k;

	if (len > TOP_KEYMAX)
		len = TOP_KEYMAX;
	d->total++;
	for (k = d->bucket[b]; k != TOP_K; k = d->ent[k].next)
		if (d->ent[k].keylen == len && memcmp(d->ent[k].key, key,
		    len) == 0) {
			d->ent[k].count++;
			sift_down(d, d->ent[k].hpos);
			return;
		}
	if (d->n < TOP_K) {
		/* A free counter, at the end of the heap: with the
		 * smallest count there is (0, then 1) it rises to the top. */
		k = (uint16_t)d->n;
		d->heap[d->n] = k;
		d->ent[k].hpos = (uint16_t)d->n;
		d->n++;
		t = &d->ent[k];
		t->count = 0;
		t->err = 0;
		sift_up(d, t->hpos);
	} else {
		/* The smallest counter is given to the new key. */
		k = d->heap[0];
		t = &d->ent[k];
		chain_unlink(d, key_hash(t->key, t->keylen) &
		    (TOP_BUCKETS - 1), k);
		t->err = t->count;
	}
	t->used = 1;
	t->keylen = (uint8_t)len;
	memcpy(t->key, key, len);
	t->next = d->bucket[b];
	d->bucket[b] = k;
	t->count++;
	sift_down(d, t->hpos);
}

/* Start counting (engine_create, when conf.top is set). */
struct top *
top_create(void)
{
	struct top	*t = xcalloc(1, sizeof(*t));

	top_reset(t);
	return t;
}

void
top_destroy(struct top *t)
{
	free(t);
}

/* Forget every count (the dashboard's reset). */
void
top_reset(struct top *t)
{
	unsigned	 i;

	if (t == NULL)
		return;
	for (i = 0; i < ENG_TOP__MAX; i++)
		dim_clear(&t->dim[i]);
}

/* Count a message: queries by name, source, server and type; responses by
 * rcode.  Names are counted as the wire bytes, lower case (decoded so). */
void
top_message(struct top *t, const struct eng_pkt *pkt, const struct dns_msg *m)
{
	uint8_t		 a[17];
	uint16_t	 v;
	size_t		 alen = pkt->family == 6 ? 16 : 4;

	if (m->status == DNS_E_SHORT)
		return;
	if (m->hdr.qr) {
		v = m->hdr.rcode;
		dim_add(&t->dim[ENG_TOP_RCODE], &v, sizeof(v));
		return;
	}
	if (m->nqd == 0)
		return;
	dim_add(&t->dim[ENG_TOP_QNAME], m->qd[0].qname.wire, m->qd[0].qname.len);
	v = m->qd[0].qtype;
	dim_add(&t->dim[ENG_TOP_QTYPE], &v, sizeof(v));
	a[0] = pkt->family;
	memcpy(a + 1, pkt->src, alen);
	dim_add(&t->dim[ENG_TOP_SOURCE], a, alen + 1);
	memcpy(a + 1, pkt->dst, alen);
	dim_add(&t->dim[ENG_TOP_SERVER], a, alen + 1);
}

/* Compare entries for qsort: the most counted first. */
static int
ent_cmp(const void *x, const void *y)
{
	const struct eng_top_entry *a = x, *b = y;

	return a->count < b->count ? 1 : a->count > b->count ? -1 : 0;
}

/* The view of one dimension, most counted first. */
size_t
engine_top(const struct engine *e, enum eng_top dim, struct eng_top_entry *out,
    size_t max, uint64_t *total)
{
	struct eng_top_entry	 all[TOP_K];
	const struct top_dim	*d;
	const struct top_ent	*t;
	size_t			 k = 0, i, j;

	if (total != NULL)
		*total = 0;
	if (e->top == NULL || dim >= ENG_TOP__MAX)
		return 0;
	d = &e->top->dim[dim];
	if (total != NULL)
		*total = d->total;
	for (i = 0; i < d->n; i++) {
		t = &d->ent[i];
		memset(&all[k], 0, sizeof(all[k]));
		all[k].count = t->count;
		all[k].err = t->err;
		switch (dim) {
		case ENG_TOP_QNAME:
			all[k].name.len = t->keylen;
			memcpy(all[k].name.wire, t->key, t->keylen);
			for (j = 0; j < t->keylen && t->key[j] != 0;
			    j += t->key[j] + 1u)
				all[k].name.nlabels++;
			break;
		case ENG_TOP_SOURCE:
		case ENG_TOP_SERVER:
			all[k].addr.family = t->key[0];
			memcpy(all[k].addr.b, t->key + 1, t->keylen - 1u);
			break;
		default:
			memcpy(&all[k].code, t->key, sizeof(all[k].code));
			break;
		}
		k++;
	}
	qsort(all, k, sizeof(*all), ent_cmp);
	k = k < max ? k : max;
	memcpy(out, all, k * sizeof(*out));
	return k;
}
