/* table.c -- bounded hash table with LRU eviction. */
#include <sys/random.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/table.h"
#include "util/xmalloc.h"

#define EVICT_LOOK	16	/* entries an insert looks at for one to evict */

static void	table_grow(struct table *);
static struct tnode *evictable(struct table *);
static void	hash_seed(void);
static void	lru_unlink(struct tnode *);
static void	chain_push(struct tnode **, struct tnode *);
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
			chain_push(&nb[n->hash & (nn - 1)], n);
		}
	}
	free(t->buckets);
	t->buckets = nb;
	t->nbuckets = nn;
}

/* Put a node at the head of a hash chain. */
static void
chain_push(struct tnode **head, struct tnode *n)
{
	n->hnext = *head;
	if (*head != NULL)
		(*head)->hpprev = &n->hnext;
	*head = n;
	n->hpprev = head;
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
 * The least recently used entry that is not pinned.  A pinned entry met on
 * the way is in use, so it counts as just used: it moves to the newest end
 * and is not looked at again soon.  At most EVICT_LOOK entries are looked
 * at, so an insert stays cheap even when most entries are pinned (the
 * table then goes over its cap, by at most what is pinned).
 */
static struct tnode *
evictable(struct table *t)
{
	struct tnode	*n;
	unsigned	 looked;

	for (looked = 0; looked < EVICT_LOOK &&
	    (n = table_oldest(t)) != NULL; looked++) {
		if (n->pins == 0)
			return n;
		lru_unlink(n);
		lru_push(t, n);
	}
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
	if (t->count * 2 >= t->nbuckets)	/* chains stay under half full */
		table_grow(t);
	n->hash = hash;
	n->pins = 0;
	b = hash & (t->nbuckets - 1);
	chain_push(&t->buckets[b], n);
	lru_push(t, n);
	t->count++;
}

/* Unlink an entry; the caller frees it.  No walk: the chain is doubly linked. */
void
table_remove(struct table *t, struct tnode *n)
{
	*n->hpprev = n->hnext;
	if (n->hnext != NULL)
		n->hnext->hpprev = n->hpprev;
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

#define HASH_DATA	32	/* key words for 256 bytes of input */
#define HASH_WORDS	(HASH_DATA + 2)	/* and a final pair */

static uint64_t	hash_key[HASH_WORDS];
static int	hash_seeded;

/* A per-process random key for table_hash (getrandom, else time and pid). */
static void
hash_seed(void)
{
	uint64_t	 x;
	int		 i;

	if (getrandom(hash_key, sizeof(hash_key), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(hash_key)) {
		x = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32 ^
		    (uint64_t)(uintptr_t)&x;
		for (i = 0; i < HASH_WORDS; i++) {
			x += 0x9e3779b97f4a7c15ULL;	/* splitmix64 */
			hash_key[i] = (x ^ x >> 30) * 0xbf58476d1ce4e5b9ULL;
			hash_key[i] = (hash_key[i] ^ hash_key[i] >> 27) *
			    0x94d049bb133111ebULL;
		}
	}
	hash_seeded = 1;
}

/*
 * A keyed hash of up to 256 bytes (longer input wraps over the key): the
 * NH construction of UMAC (RFC 4418 §5.2), sum of (m[2i] + k[2i]) *
 * (m[2i+1] + k[2i+1]) over 64-bit words with a random per-process key,
 * which is almost universal, so a crafted capture cannot choose names or
 * addresses that share a chain without knowing the key; then a
 * multiply-xorshift finaliser.  h chains calls.
 */
uint32_t
table_hash(uint32_t h, const void *p, size_t n)
{
	const uint8_t	*b = p;
	uint64_t	 w[2], acc = h ^ n;
	unsigned __int128 sum = 0;
	size_t		 i, k;

	if (!hash_seeded)
		hash_seed();
	for (i = 0; i + 16 <= n; i += 16) {
		memcpy(w, b + i, 16);
		k = (i / 8) & (HASH_DATA - 1);
		sum += (unsigned __int128)(w[0] + hash_key[k]) *
		    (w[1] + hash_key[k + 1]);
	}
	if (i < n) {
		w[0] = w[1] = 0;
		memcpy(w, b + i, n - i);
		k = (i / 8) & (HASH_DATA - 1);
		sum += (unsigned __int128)(w[0] + hash_key[k]) *
		    (w[1] + hash_key[k + 1]);
	}
	acc ^= (uint64_t)sum ^ (uint64_t)(sum >> 64) ^ hash_key[HASH_DATA];
	acc = (acc ^ acc >> 32) * (hash_key[HASH_DATA + 1] | 1);
	acc = (acc ^ acc >> 29) * 0xbf58476d1ce4e5b9ULL;
	return (uint32_t)(acc ^ acc >> 32);
}
