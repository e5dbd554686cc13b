/*
 * table.h -- a bounded hash table with least-recently-used eviction.
 *
 * Every engine table, and capture's TCP flows, is one of these.  Entries embed a struct tnode as their
 * first member; the table never allocates entries, it only links them.  When
 * an insert would pass the cap, the least recently used entry is unlinked
 * and handed to the evict callback (which frees it), and *evictions is
 * bumped.  table_touch() marks an entry used; the LRU list, oldest last, also
 * serves as an age queue for expiry (table_oldest()).  Buckets grow to keep
 * chains short and never shrink.
 */
#ifndef GLUETOP_TABLE_H
#define GLUETOP_TABLE_H

#include <stddef.h>
#include <stdint.h>

struct tnode {
	struct tnode	*hnext;		/* hash chain */
	struct tnode	*prev, *next;	/* LRU list, newest first */
	uint32_t	 hash;
};

struct table {
	struct tnode	**buckets;
	size_t		  nbuckets;	/* a power of two */
	size_t		  count;
	size_t		  cap;
	struct tnode	  lru;		/* sentinel: next newest, prev oldest */
	uint64_t	  evictions;
	void		(*evict)(struct tnode *, void *);
	void		 *arg;
};

void	table_init(struct table *, size_t cap,
	    void (*evict)(struct tnode *, void *), void *arg);
/* Unlink every entry, passing each to evict; the table stays usable. */
void	table_clear(struct table *);
void	table_free(struct table *);

/* First entry with this hash after prev (NULL: from the start). */
struct tnode *table_next(const struct table *, uint32_t hash,
	    struct tnode *prev);
void	table_insert(struct table *, struct tnode *, uint32_t hash);
void	table_remove(struct table *, struct tnode *);
void	table_touch(struct table *, struct tnode *);
struct tnode *table_oldest(const struct table *);
struct tnode *table_newest(const struct table *);
/* Walk newest to oldest: for (n = table_newest(t); n; n = table_older(t, n)) */
struct tnode *table_older(const struct table *, const struct tnode *);

/* FNV-1a over bytes, continuing from h (start with TABLE_HASH_INIT). */
#define TABLE_HASH_INIT	2166136261u
uint32_t table_hash(uint32_t h, const void *, size_t);

#endif
