/* frag.c -- IP fragment reassembly, bounded and timed by packet time. */
#include <stdlib.h>
#include <string.h>

#include "capture/frag.h"
#include "util/table.h"
#include "util/xmalloc.h"

#define DGRAM_MAX	65535
#define UNITS		(DGRAM_MAX / 8 + 1)	/* 8-byte fragment units */

struct dgram {
	struct tnode	 node;
	struct frag_key	 key;
	uint8_t		*buf;
	uint8_t		 have[UNITS / 8 + 1];	/* units received */
	size_t		 total;			/* 0 until the last fragment */
	uint64_t	 first_ts;
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
static int	dgram_complete(const struct dgram *);
static void	release_done(struct frag_table *);

/* Free a datagram (the table's evict callback counts it). */
static void
dgram_free(struct tnode *n, void *arg)
{
	struct frag_table	*ft = arg;
	struct dgram		*d = (struct dgram *)n;

	if (ft != NULL)
		ft->st.evicted++;
	free(d->buf);
	free(d);
}

struct frag_table *
frag_create(size_t max, uint64_t timeout_ns)
{
	struct frag_table	*ft = xcalloc(1, sizeof(*ft));

	table_init(&ft->t, max, dgram_free, ft);
	ft->timeout = timeout_ns;
	return ft;
}

void
frag_destroy(struct frag_table *ft)
{
	if (ft == NULL)
		return;
	release_done(ft);
	ft->t.arg = NULL;
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

/* The datagram for a key, created when new. */
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
	d->key = *k;
	d->buf = xmalloc(DGRAM_MAX);
	d->first_ts = ts;
	table_insert(&ft->t, &d->node, h);
	return d;
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
	size_t		 u, i;

	release_done(ft);
	frag_expire(ft, ts);
	if (off > DGRAM_MAX || n > DGRAM_MAX - off || (more && n % 8 != 0) ||
	    n == 0) {
		ft->st.bad++;
		return -1;
	}
	d = dgram_get(ft, k, ts);
	/* An overlap must repeat the same bytes (RFC 5722 refuses it). */
	for (i = 0; i < n; i++) {
		u = (off + i) / 8;
		if ((d->have[u / 8] & (1u << (u % 8))) &&
		    d->buf[off + i] != p[i] && (off + i) < (d->total ?
		    d->total : DGRAM_MAX)) {
			ft->st.bad++;
			table_remove(&ft->t, &d->node);
			dgram_free(&d->node, NULL);
			return -1;
		}
	}
	memcpy(d->buf + off, p, n);
	for (u = off / 8; u < (off + n + 7) / 8; u++)
		d->have[u / 8] |= (uint8_t)(1u << (u % 8));
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

/* Drop datagrams older than the timeout. */
void
frag_expire(struct frag_table *ft, uint64_t now)
{
	struct tnode	*n;
	struct dgram	*d;

	while ((n = table_oldest(&ft->t)) != NULL) {
		d = (struct dgram *)n;
		if (d->first_ts + ft->timeout > now)
			break;
		table_remove(&ft->t, n);
		ft->st.timeout++;
		dgram_free(n, NULL);
	}
}

const struct frag_stats *
frag_stats(const struct frag_table *ft)
{
	return &ft->st;
}
