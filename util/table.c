/* table.c -- bounded hash table with LRU eviction. */
#include <stdlib.h>

#include "util/table.h"
#include "util/xmalloc.h"

static void	table_grow(struct table *);
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

/* Link an entry, evicting the least recently used one if full. */
void
table_insert(struct table *t, struct tnode *n, uint32_t hash)
{
	struct tnode	*old;
	size_t		 b;

	while (t->count >= t->cap && (old = table_oldest(t)) != NULL) {
		table_remove(t, old);
		t->evictions++;
		if (t->evict != NULL)
			t->evict(old, t->arg);
	}
	if (t->count >= t->nbuckets)
		table_grow(t);
	n->hash = hash;
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
	t->count--;
}

/* Mark an entry as just used. */
void
table_touch(struct table *t, struct tnode *n)
{
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

/* FNV-1a. */
uint32_t
table_hash(uint32_t h, const void *p, size_t n)
{
	const uint8_t	*b = p;
	size_t		 i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= 16777619u;
	}
	return h;
}
