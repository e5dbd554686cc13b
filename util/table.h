/*
 * table.h -- a bounded hash table with least-recently-used eviction.
 *
 * Every engine table, and capture's fragment and TCP tables, is one of
 * these.  Entries embed a struct tnode as their first member; the table
 * never allocates entries, it only links them.  When an insert would pass
 * the cap, the least recently used entry that is not pinned is unlinked and
 * handed to the evict callback (which frees it), and evictions is bumped.
 * An entry a caller still holds (the message being processed, an active
 * lookup's parent, a root hint) is pinned with table_pin() and is never
 * evicted until table_unpin(); a pinned entry met while looking for one to
 * evict counts as just used, and when the oldest entries are all pinned the
 * table goes over its cap rather than free one (by at most what is
 * pinned).  table_touch() marks an entry used
 * (an entry already among the newest quarter stays where it is, which keeps
 * the order LRU to within a quarter and spares the list writes on hot
 * entries);
 * the LRU list, oldest last, also serves as an age queue for expiry
 * (table_oldest()).
 *
 * The index is an open-addressed array of (entry, hash) slots with linear
 * probing, kept under half full: a lookup reads only the array until a
 * slot's hash matches, and linking or unlinking an entry writes no other
 * entry (removal shifts the probe run back, so there are no tombstones).
 * It grows to keep probes short and never shrinks.
 *
 * table_hash() is keyed per process (UMAC's NH with a random key), so a
 * crafted capture cannot choose names or addresses that share a probe run.
 */
#ifndef GLUETOP_TABLE_H
#define GLUETOP_TABLE_H

#include <stddef.h>
#include <stdint.h>

struct tnode {
	struct tnode	*prev, *next;	/* LRU list, newest first */
	uint32_t	 hash;
	uint32_t	 pins;		/* > 0: never evicted */
	uint32_t	 stamp;		/* clock when last put at the front */
};

/* A slot of the index: the entry and its hash, so a probe reads no entry. */
struct tslot {
	struct tnode	*n;		/* NULL: empty */
	uint32_t	 hash;
};

struct table {
	struct tslot	 *slots;	/* open addressing, linear probing */
	size_t		  nslots;	/* a power of two, over twice count */
	size_t		  count;
	size_t		  cap;
	size_t		  npinned;	/* entries with pins > 0 */
	struct tnode	  lru;		/* sentinel: next newest, prev oldest */
	uint64_t	  evictions;
	uint64_t	  over_cap;	/* inserts past the cap (all pinned) */
	uint32_t	  clock;	/* moves to the front so far */
	void		(*evict)(struct tnode *, void *);
	void		 *arg;
};

void	table_init(struct table *, size_t cap,
	    void (*evict)(struct tnode *, void *), void *arg);
/* The same without an index: a bounded LRU list of the caller's entries. */
void	table_init_list(struct table *, size_t cap,
	    void (*evict)(struct tnode *, void *), void *arg);
/* Unlink every entry, passing each to evict; the table stays usable. */
void	table_clear(struct table *);
void	table_free(struct table *);

/* First entry with this hash after prev (NULL: from the start). */
struct tnode *table_next(const struct table *, uint32_t hash,
	    struct tnode *prev);
/* Link an entry, evicting the least recently used unpinned one if full. */
void	table_insert(struct table *, struct tnode *, uint32_t hash);
void	table_remove(struct table *, struct tnode *);
void	table_touch(struct table *, struct tnode *);
void	table_pin(struct table *, struct tnode *);
void	table_unpin(struct table *, struct tnode *);
struct tnode *table_oldest(const struct table *);
struct tnode *table_newest(const struct table *);
/* Walk newest to oldest: for (n = table_newest(t); n; n = table_older(t, n)) */
struct tnode *table_older(const struct table *, const struct tnode *);
/* Walk oldest to newest. */
struct tnode *table_newer(const struct table *, const struct tnode *);

/* Keyed hash of bytes, continuing from h (start with TABLE_HASH_INIT). */
#define TABLE_HASH_INIT	0u
uint32_t table_hash(uint32_t h, const void *, size_t);

#endif
