/*
 * frag.c -- IP fragment reassembly (frag.h), bounded and timed by packet
 * time.  Reassembly is rare next to plain UDP, so it may allocate.
 */
#include <stdlib.h>
#include <string.h>

#include "capture/frag.h"
#include "util/table.h"
#include "util/xmalloc.h"

#define DGRAM_MAX	65535			/* RFC 791: 16-bit length */
#define UNITS		((DGRAM_MAX + 7) / 8)	/* 8-byte fragment units */

struct dgram {
	struct tnode	 node;
	struct frag_key	 key;
	uint8_t		*buf;
	size_t		 cap;			/* bytes at buf */
	size_t		 high;			/* end of the furthest byte */
	size_t		 total;			/* 0 until the last fragment */
	uint64_t	 first_ts;
	uint8_t		 have[(UNITS + 7) / 8];	/* units received */
};

struct frag_table {
	struct table	 t;
	uint64_t	 timeout;
	struct dgram	*done;		/* completed, freed on the next call */
	struct frag_stats st;
};

static void	dgram_free(struct tnode *, void *);
static struct dgram *dgram_get(struct frag_table *, const struct frag_key *,
		    uint64_t);
static int	dgram_fits(const struct dgram *, size_t, int, size_t);
static int	dgram_conflicts(const struct dgram *, size_t,
		    const uint8_t *, size_t);
static void	dgram_put(struct dgram *, size_t, const uint8_t *, size_t);
static int	dgram_complete(const struct dgram *);
static void	dgram_drop(struct frag_table *, struct dgram *);
static void	release_done(struct frag_table *);

/* Free a datagram; also the table's evict callback. */
static void
dgram_free(struct tnode *n, void *arg)
{
	struct dgram	*d = (struct dgram *)n;

	(void)arg;
	free(d->buf);
	free(d);
}

/* A table of at most max datagrams, each given timeout_ns to complete. */
struct frag_table *
frag_create(size_t max, uint64_t timeout_ns)
{
	struct frag_table	*ft = xcalloc(1, sizeof(*ft));

	table_init(&ft->t, max, dgram_free, ft);
	ft->timeout = timeout_ns;
	return ft;
}

/* Free the table and every datagram in it. */
void
frag_destroy(struct frag_table *ft)
{
	if (ft == NULL)
		return;
	release_done(ft);
	table_free(&ft->t);
	free(ft);
}

/* Free the datagram handed out by the previous call. */
static void
release_done(struct frag_table *ft)
{
	if (ft->done != NULL) {
		dgram_free(&ft->done->node, NULL);
		ft->done = NULL;
	}
}

/* Unlink and free a datagram. */
static void
dgram_drop(struct frag_table *ft, struct dgram *d)
{
	table_remove(&ft->t, &d->node);
	dgram_free(&d->node, NULL);
}

/* The datagram for a key, created when new (evicting the oldest if full). */
static struct dgram *
dgram_get(struct frag_table *ft, const struct frag_key *k, uint64_t ts)
{
	struct tnode	*n = NULL;
	struct dgram	*d;
	uint32_t	 h = table_hash(TABLE_HASH_INIT, k, sizeof(*k));

	while ((n = table_next(&ft->t, h, n)) != NULL) {
		d = (struct dgram *)n;
		if (memcmp(&d->key, k, sizeof(*k)) == 0)
			return d;
	}
	d = xcalloc(1, sizeof(*d));
	memcpy(&d->key, k, sizeof(*k));
	d->first_ts = ts;
	table_insert(&ft->t, &d->node, h);
	return d;
}

/* Does a fragment agree with the end the datagram already knows? */
static int
dgram_fits(const struct dgram *d, size_t off, int more, size_t n)
{
	if (d->total != 0 && off + n > d->total)
		return 0;		/* past the last fragment's end */
	if (!more && d->total != 0 && off + n != d->total)
		return 0;		/* a second, different last fragment */
	if (!more && off + n < d->high)
		return 0;		/* ends before bytes already seen */
	return 1;
}

/* Do any already-received bytes differ from the new ones? */
static int
dgram_conflicts(const struct dgram *d, size_t off, const uint8_t *p,
    size_t n)
{
	size_t	 i, u;

	for (i = 0; i < n; i++) {
		u = (off + i) / 8;
		if (off + i < d->high && (d->have[u / 8] & (1u << (u % 8))) &&
		    d->buf[off + i] != p[i])
			return 1;
	}
	return 0;
}

/* Copy a fragment in, growing the buffer, and mark its units. */
static void
dgram_put(struct dgram *d, size_t off, const uint8_t *p, size_t n)
{
	size_t	 u, want = off + n;

	if (want > d->cap) {
		want = want < 2 * d->cap ? 2 * d->cap : want;
		d->cap = want < DGRAM_MAX ? want : DGRAM_MAX;
		d->buf = xreallocarray(d->buf, d->cap, 1);
	}
	memcpy(d->buf + off, p, n);
	for (u = off / 8; u < (off + n + 7) / 8; u++)
		d->have[u / 8] |= (uint8_t)(1u << (u % 8));
	if (off + n > d->high)
		d->high = off + n;
}

/* Are all units up to the total length in? */
static int
dgram_complete(const struct dgram *d)
{
	size_t	 u, units;

	if (d->total == 0)
		return 0;
	units = (d->total + 7) / 8;
	for (u = 0; u < units; u++)
		if (!(d->have[u / 8] & (1u << (u % 8))))
			return 0;
	return 1;
}

/* Add one fragment; see frag.h. */
int
frag_add(struct frag_table *ft, const struct frag_key *k, uint64_t ts,
    size_t off, int more, const uint8_t *p, size_t n, const uint8_t **data,
    size_t *len)
{
	struct dgram	*d;

	release_done(ft);
	frag_expire(ft, ts);
	/* RFC 8200 §4.5: all but the last carry a multiple of 8 bytes. */
	if (n == 0 || off > DGRAM_MAX || n > DGRAM_MAX - off ||
	    (more && n % 8 != 0)) {
		ft->st.bad++;
		return -1;
	}
	d = dgram_get(ft, k, ts);
	ft->st.evicted = ft->t.evictions;
	if (!dgram_fits(d, off, more, n) || dgram_conflicts(d, off, p, n)) {
		ft->st.bad++;
		dgram_drop(ft, d);
		return -1;
	}
	dgram_put(d, off, p, n);
	if (!more)
		d->total = off + n;
	if (!dgram_complete(d))
		return 0;
	table_remove(&ft->t, &d->node);
	ft->done = d;
	ft->st.reassembled++;
	*data = d->buf;
	*len = d->total;
	return 1;
}

/* Drop datagrams older than the timeout; they stay incomplete for good. */
void
frag_expire(struct frag_table *ft, uint64_t now)
{
	struct tnode	*n;
	struct dgram	*d;

	while ((n = table_oldest(&ft->t)) != NULL) {
		d = (struct dgram *)n;
		if (now < ft->timeout || d->first_ts > now - ft->timeout)
			break;
		ft->st.timeout++;
		dgram_drop(ft, d);
	}
}

/* The counters. */
const struct frag_stats *
frag_stats(const struct frag_table *ft)
{
	return &ft->st;
}
