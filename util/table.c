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
static void	lru_push(struct table *, struct tnode *);
static void	slot_put(struct tslot *, size_t, struct tnode *, uint32_t);
static size_t	slot_of(const struct table *, const struct tnode *);

/* Set up an empty table holding at most cap entries. */
void
table_init(struct table *t, size_t cap, void (*evict)(struct tnode *, void *),
    void *arg)
{
	t->nslots = 64;
	t->slots = xcalloc(t->nslots, sizeof(*t->slots));
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

/*
 * Set up a table with no index: a bounded LRU list whose entries are
 * reached through the caller's own pointers (table_next finds nothing), so
 * linking and unlinking touch no index.
 */
void
table_init_list(struct table *t, size_t cap,
    void (*evict)(struct tnode *, void *), void *arg)
{
	table_init(t, cap, evict, arg);
	free(t->slots);
	t->slots = NULL;
	t->nslots = 0;
}

/* Unlink and evict every entry without counting evictions. */
void
table_clear(struct table *t)
{
	struct tnode	*n;

	while ((n = table_oldest(t)) != NULL) {
		table_remove(t, n);
		if (t->evict != NULL)
			t->evict(n, t->arg);
	}
	if (t->slots != NULL)
		memset(t->slots, 0, t->nslots * sizeof(*t->slots));
}

/* Clear the table and free its index. */
void
table_free(struct table *t)
{
	table_clear(t);
	free(t->slots);
	t->slots = NULL;
}

/* Put an entry in the first free slot of its probe run. */
static void
slot_put(struct tslot *v, size_t nslots, struct tnode *n, uint32_t hash)
{
	size_t	 i = hash & (nslots - 1);

	while (v[i].n != NULL)
		i = (i + 1) & (nslots - 1);
	v[i].n = n;
	v[i].hash = hash;
}

/* Double the index and re-place every slot (no entry is read). */
static void
table_grow(struct table *t)
{
	struct tslot	*nv;
	size_t		 nn = t->nslots * 2, i;

	nv = xcalloc(nn, sizeof(*nv));
	for (i = 0; i < t->nslots; i++)
		if (t->slots[i].n != NULL)
			slot_put(nv, nn, t->slots[i].n, t->slots[i].hash);
	free(t->slots);
	t->slots = nv;
	t->nslots = nn;
}

/* The slot holding entry n (it is in the table). */
static size_t
slot_of(const struct table *t, const struct tnode *n)
{
	size_t	 i = n->hash & (t->nslots - 1);

	while (t->slots[i].n != n)
		i = (i + 1) & (t->nslots - 1);
	return i;
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

/*
 * The next entry with this hash after prev (NULL: the first).  The probe
 * run is read again from its start to find prev: it is short and in the
 * cache, and entries need no link back to their slot.
 */
struct tnode *
table_next(const struct table *t, uint32_t hash, struct tnode *prev)
{
	size_t	 mask = t->nslots - 1, i = hash & mask;

	if (t->slots == NULL)
		return NULL;
	if (prev != NULL) {
		while (t->slots[i].n != prev && t->slots[i].n != NULL)
			i = (i + 1) & mask;
		if (t->slots[i].n == NULL)
			return NULL;
		i = (i + 1) & mask;
	}
	for (; t->slots[i].n != NULL; i = (i + 1) & mask)
		if (t->slots[i].hash == hash)
			return t->slots[i].n;
	return NULL;
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

	while (t->count >= t->cap) {
		/* Every entry pinned: nothing to look for (pinned floods). */
		if (t->npinned >= t->count || (old = evictable(t)) == NULL) {
			t->over_cap++;
			break;
		}
		table_remove(t, old);
		t->evictions++;
		if (t->evict != NULL)
			t->evict(old, t->arg);
	}
	n->hash = hash;
	n->pins = 0;
	if (t->slots != NULL) {
		if ((t->count + 1) * 2 > t->nslots)	/* stays half empty */
			table_grow(t);
		slot_put(t->slots, t->nslots, n, hash);
	}
	lru_push(t, n);
	t->count++;
}

/*
 * Unlink an entry; the caller frees it.  The entries after it in its probe
 * run move back into the gap unless their home slot lies after the gap,
 * so every entry stays reachable from its home without tombstones.
 */
void
table_remove(struct table *t, struct tnode *n)
{
	size_t	 mask, i, j, home;

	if (t->slots != NULL) {
		mask = t->nslots - 1;
		i = slot_of(t, n);
		for (j = (i + 1) & mask; t->slots[j].n != NULL;
		    j = (j + 1) & mask) {
			home = t->slots[j].hash & mask;
			if (((j - home) & mask) < ((j - i) & mask))
				continue;	/* home in (i, j]: it stays */
			t->slots[i] = t->slots[j];
			i = j;
		}
		t->slots[i].n = NULL;
	}
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
 * addresses that share a probe run without knowing the key; then a
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
