/* table.c -- bounded hash table with LRU eviction. */
#include <sys/random.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/table.h"
#include "util/xmalloc.h"

static void	table_grow(struct table *);
static struct tnode *evictable(const struct table *);
static void	hash_seed(void);
static void	lru_unlink(struct tnode *);
static void	lru_push(struct table *, struct tnode *);

/* Set up an empty table holding at most cap entries. */
void
table_init(struct table *t, size_t cap, void (*evict)(struct tnode *, void *),
    void *arg)
{
	t->nbuckets = 64;
	t->buckets = xcalloc(t->nbuckets, sizeof(*t->buckets));
	t->count = 0;
	t->npinned = 0;
	t->clock = 0;
	t->over_cap = 0;
	t->cap = cap > 0 ? cap : 1;
	t->lru.next = t->lru.prev = &t->lru;
	t->evictions = 0;
	t->evict = evict;
	t->arg = arg;
}

/* Unlink and evict every entry without counting evictions. */
void
table_clear(struct table *t)
{
	struct tnode	*n;
	size_t		 i;

	while ((n = table_oldest(t)) != NULL) {
		table_remove(t, n);
		if (t->evict != NULL)
			t->evict(n, t->arg);
	}
	for (i = 0; i < t->nbuckets; i++)
		t->buckets[i] = NULL;
}

/* Clear the table and free its buckets. */
void
table_free(struct table *t)
{
	table_clear(t);
	free(t->buckets);
	t->buckets = NULL;
}

/* Double the bucket array and rehash when chains get long. */
static void
table_grow(struct table *t)
{
	struct tnode	**nb, *n, *next;
	size_t		  nn = t->nbuckets * 2, i;

	nb = xcalloc(nn, sizeof(*nb));
	for (i = 0; i < t->nbuckets; i++) {
		for (n = t->buckets[i]; n != NULL; n = next) {
			next = n->hnext;
			n->hnext = nb[n->hash & (nn - 1)];
			nb[n->hash & (nn - 1)] = n;
		}
	}
	free(t->buckets);
	t->buckets = nb;
	t->nbuckets = nn;
}

/* Take a node off the LRU list. */
static void
lru_unlink(struct tnode *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->prev = n->next = n;
}

/* Put a node at the newest end of the LRU list. */
static void
lru_push(struct table *t, struct tnode *n)
{
	n->stamp = ++t->clock;
	n->next = t->lru.next;
	n->prev = &t->lru;
	t->lru.next->prev = n;
	t->lru.next = n;
}

/* Next entry in the chain with the same hash. */
struct tnode *
table_next(const struct table *t, uint32_t hash, struct tnode *prev)
{
	struct tnode	*n;

	n = prev == NULL ? t->buckets[hash & (t->nbuckets - 1)] : prev->hnext;
	while (n != NULL && n->hash != hash)
		n = n->hnext;
	return n;
}

/*
 * The least recently used entry that is not pinned.  Pinned entries are
 * few (what one message holds), so the walk past them is short.
 */
static struct tnode *
evictable(const struct table *t)
{
	struct tnode	*n;
	size_t		 skipped = 0;

	for (n = table_oldest(t); n != NULL && skipped <= t->npinned;
	    n = table_newer(t, n), skipped++)
		if (n->pins == 0)
			return n;
	return NULL;
}

/* Link an entry, evicting the least recently used one if full. */
void
table_insert(struct table *t, struct tnode *n, uint32_t hash)
{
	struct tnode	*old;
	size_t		 b;

	while (t->count >= t->cap) {
		if ((old = evictable(t)) == NULL) {
			t->over_cap++;
			break;
		}
		table_remove(t, old);
		t->evictions++;
		if (t->evict != NULL)
			t->evict(old, t->arg);
	}
	if (t->count >= t->nbuckets)
		table_grow(t);
	n->hash = hash;
	n->pins = 0;
	b = hash & (t->nbuckets - 1);
	n->hnext = t->buckets[b];
	t->buckets[b] = n;
	lru_push(t, n);
	t->count++;
}

/* Unlink an entry; the caller frees it. */
void
table_remove(struct table *t, struct tnode *n)
{
	struct tnode	**pp;

	pp = &t->buckets[n->hash & (t->nbuckets - 1)];
	while (*pp != NULL && *pp != n)
		pp = &(*pp)->hnext;
	if (*pp == n)
		*pp = n->hnext;
	lru_unlink(n);
	if (n->pins > 0)
		t->npinned--;
	n->pins = 0;
	t->count--;
}

/* Hold an entry: it is not evicted until unpinned as often. */
void
table_pin(struct table *t, struct tnode *n)
{
	if (n->pins++ == 0)
		t->npinned++;
}

/* Release one hold on an entry. */
void
table_unpin(struct table *t, struct tnode *n)
{
	if (n->pins > 0 && --n->pins == 0)
		t->npinned--;
}

/*
 * Mark an entry as just used.  At most clock - stamp entries went in
 * front of it since it was last put there: if that is under a quarter of
 * the table it is still among the newest, and is left in place.
 */
void
table_touch(struct table *t, struct tnode *n)
{
	if ((size_t)(uint32_t)(t->clock - n->stamp) < t->count / 4)
		return;
	lru_unlink(n);
	lru_push(t, n);
}

/* The least recently used entry, or NULL. */
struct tnode *
table_oldest(const struct table *t)
{
	return t->lru.prev == &t->lru ? NULL : t->lru.prev;
}

/* The most recently used entry, or NULL. */
struct tnode *
table_newest(const struct table *t)
{
	return t->lru.next == &t->lru ? NULL : t->lru.next;
}

/* The entry used just before n, or NULL. */
struct tnode *
table_older(const struct table *t, const struct tnode *n)
{
	return n->next == &t->lru ? NULL : n->next;
}

/* The entry used just after n, or NULL. */
struct tnode *
table_newer(const struct table *t, const struct tnode *n)
{
	return n->prev == &t->lru ? NULL : n->prev;
}

static uint64_t	hash_k0, hash_k1;
static int	hash_seeded;

/* A per-process random key for table_hash (getrandom, else time and pid). */
static void
hash_seed(void)
{
	uint64_t	 k[2];

	if (getrandom(k, sizeof(k), GRND_NONBLOCK) != (ssize_t)sizeof(k)) {
		k[0] = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ULL;
		k[1] = (uint64_t)getpid() * 0xc2b2ae3d27d4eb4fULL ^
		    (uint64_t)(uintptr_t)&k;
	}
	hash_k0 = k[0];
	hash_k1 = k[1];
	hash_seeded = 1;
}

#define ROTL(x, b)	(uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND(v0, v1, v2, v3) do {					\
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);	\
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);	\
} while (0)

/*
 * SipHash-1-3 (Aumasson and Bernstein) of the bytes under the process key,
 * with h folded into the key so that calls chain; folded to 32 bits.
 */
uint32_t
table_hash(uint32_t h, const void *p, size_t n)
{
	const uint8_t	*b = p;
	uint64_t	 v0, v1, v2, v3, m, last;
	size_t		 i, full = n & ~(size_t)7;

	if (!hash_seeded)
		hash_seed();
	v0 = 0x736f6d6570736575ULL ^ hash_k0 ^ h;
	v1 = 0x646f72616e646f6dULL ^ hash_k1;
	v2 = 0x6c7967656e657261ULL ^ hash_k0 ^ h;
	v3 = 0x7465646279746573ULL ^ hash_k1;
	for (i = 0; i < full; i += 8) {
		memcpy(&m, b + i, 8);
		v3 ^= m;
		SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	last = (uint64_t)n << 56;
	for (i = full; i < n; i++)
		last |= (uint64_t)b[i] << (8 * (i - full));
	v3 ^= last;
	SIPROUND(v0, v1, v2, v3);
	v0 ^= last;
	v2 ^= 0xff;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	m = v0 ^ v1 ^ v2 ^ v3;
	return (uint32_t)(m ^ (m >> 32));
}
