/*
 * test_table.c -- util/table: the bounded LRU table every engine table is.
 * Eviction takes the least recently used entry that is not pinned and
 * never a pinned one (the table goes over its cap instead, and counts it);
 * removal keeps every entry reachable, even in long probe runs that wrap
 * around the end of the index; the hash is keyed per process, so
 * two runs hash the same bytes differently (hash flooding).  Cases are
 * named <what>_{valid,edge,malform} (STYLE.md rule 34).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/table.h"

struct ent {
	struct tnode	node;
	int		key;
	int		*freed;
};

static const char	*self;

/* Evict callback: note which key went. */
static void
ent_free(struct tnode *n, void *arg)
{
	struct ent	*e = (struct ent *)n;

	(void)arg;
	*e->freed = e->key;
	free(e);
}

/* A new entry for key, linked into t. */
static struct ent *
ent_add(struct table *t, int key, int *freed)
{
	struct ent	*e = calloc(1, sizeof(*e));

	assert_non_null(e);
	e->key = key;
	e->freed = freed;
	table_insert(t, &e->node, table_hash(TABLE_HASH_INIT, &key,
	    sizeof(key)));
	return e;
}

/* The entry for key, or NULL. */
static struct ent *
ent_find(struct table *t, int key)
{
	struct tnode	*n = NULL;
	uint32_t	 h = table_hash(TABLE_HASH_INIT, &key, sizeof(key));

	while ((n = table_next(t, h, n)) != NULL)
		if (((struct ent *)n)->key == key)
			return (struct ent *)n;
	return NULL;
}

/* A full table evicts its least recently used entry. */
static void
lru_eviction_valid(void **state)
{
	struct table	 t;
	int		 freed = -1, i;

	(void)state;
	table_init(&t, 3, ent_free, NULL);
	for (i = 0; i < 3; i++)
		ent_add(&t, i, &freed);
	table_touch(&t, &ent_find(&t, 0)->node);	/* 1 is now the oldest */
	ent_add(&t, 3, &freed);
	assert_int_equal(freed, 1);
	assert_int_equal(t.count, 3);
	assert_int_equal(t.evictions, 1);
	table_free(&t);
}

/* A pinned entry is never evicted; all pinned: over the cap, counted. */
static void
pinned_is_kept_edge(void **state)
{
	struct table	 t;
	struct ent	*a, *b;
	int		 freed = -1;

	(void)state;
	table_init(&t, 2, ent_free, NULL);
	a = ent_add(&t, 10, &freed);
	b = ent_add(&t, 11, &freed);
	table_pin(&t, &a->node);
	ent_add(&t, 12, &freed);		/* a is the oldest, but pinned */
	assert_int_equal(freed, 11);
	assert_non_null(ent_find(&t, 10));
	(void)b;
	table_pin(&t, &ent_find(&t, 12)->node);
	freed = -1;
	ent_add(&t, 13, &freed);		/* everything pinned */
	assert_int_equal(freed, -1);
	assert_int_equal(t.count, 3);
	assert_int_equal(t.over_cap, 1);
	table_unpin(&t, &a->node);
	ent_add(&t, 14, &freed);	/* back to the cap: a and 13 go */
	assert_null(ent_find(&t, 10));
	assert_null(ent_find(&t, 13));
	assert_non_null(ent_find(&t, 12));
	assert_int_equal(t.count, 2);
	table_free(&t);
}

/*
 * A table with no index is the same bounded LRU list: eviction order,
 * pins and removal as above, and table_next finds nothing.
 */
static void
list_table_valid(void **state)
{
	struct table	 t;
	struct ent	*v[4];
	int		 freed = -1, i;

	(void)state;
	table_init_list(&t, 3, ent_free, NULL);
	for (i = 0; i < 3; i++)
		v[i] = ent_add(&t, i, &freed);
	assert_null(ent_find(&t, 0));
	table_touch(&t, &v[0]->node);		/* 1 is now the oldest */
	table_pin(&t, &v[1]->node);		/* and kept: 2 goes */
	v[3] = ent_add(&t, 3, &freed);
	assert_int_equal(freed, 2);
	assert_int_equal(t.count, 3);
	table_remove(&t, &v[3]->node);
	free(v[3]);
	assert_int_equal(t.count, 2);
	/* the pinned 1 counted as just used when passed over */
	assert_ptr_equal(table_oldest(&t), &v[0]->node);
	table_unpin(&t, &v[1]->node);
	freed = -1;
	table_clear(&t);
	assert_int_equal(t.count, 0);
	assert_int_equal(t.evictions, 1);
	table_free(&t);
}

/* Random inserts and removals leave every chain intact. */
static void
remove_keeps_entries_valid(void **state)
{
	struct table	 t;
	struct ent	*e;
	int		 freed, i, k, present[512];

	(void)state;
	memset(present, 0, sizeof(present));
	table_init(&t, 100000, ent_free, NULL);
	srand(7);
	for (i = 0; i < 20000; i++) {
		k = rand() % 512;
		if (present[k]) {
			e = ent_find(&t, k);
			assert_non_null(e);
			table_remove(&t, &e->node);
			free(e);
			present[k] = 0;
		} else {
			ent_add(&t, k, &freed);
			present[k] = 1;
		}
	}
	for (k = 0; k < 512; k++)
		assert_int_equal(ent_find(&t, k) != NULL, present[k]);
	table_free(&t);
}

/*
 * Hashes chosen to collide (five values, their home slots at the very end
 * of the index, so probe runs wrap to its start): every entry stays
 * reachable through removals, and table_next() walks all of a hash's.
 */
static void
remove_in_wrapping_runs_edge(void **state)
{
	struct table	 t;
	struct tnode	*n;
	struct ent	*e, *v[300];
	int		 freed, i, k, seen;

	(void)state;
	memset(v, 0, sizeof(v));
	table_init(&t, 100000, ent_free, NULL);
	srand(11);
	for (i = 0; i < 30000; i++) {
		k = rand() % 300;
		if (v[k] != NULL) {
			table_remove(&t, &v[k]->node);
			free(v[k]);
			v[k] = NULL;
			continue;
		}
		assert_non_null(e = calloc(1, sizeof(*e)));
		e->key = k;
		e->freed = &freed;
		table_insert(&t, &e->node, UINT32_MAX - (uint32_t)(k % 5));
		v[k] = e;
	}
	for (k = 0; k < 300; k++) {
		seen = 0;
		for (n = NULL; (n = table_next(&t, UINT32_MAX -
		    (uint32_t)(k % 5), n)) != NULL; ) {
			assert_int_equal(((struct ent *)n)->key % 5, k % 5);
			seen += v[k] != NULL && n == &v[k]->node;
		}
		assert_int_equal(seen, v[k] != NULL);
	}
	table_free(&t);
}

/* The hash of some bytes in a new process. */
static unsigned long
hash_elsewhere(void)
{
	char		 cmd[4200];
	unsigned long	 h = 0;
	FILE		*fp;

	snprintf(cmd, sizeof(cmd), "'%s' --hash", self);
	assert_non_null(fp = popen(cmd, "r"));
	assert_int_equal(fscanf(fp, "%lu", &h), 1);
	pclose(fp);
	return h;
}

/* Two processes hash the same bytes differently (the key is random). */
static void
hash_is_keyed_valid(void **state)
{
	unsigned long	 a = hash_elsewhere(), b = hash_elsewhere();

	(void)state;
	if (a == b)	/* one chance in 2^32: try once more */
		b = hash_elsewhere();
	assert_true(a != b);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lru_eviction_valid),
		cmocka_unit_test(pinned_is_kept_edge),
		cmocka_unit_test(remove_keeps_entries_valid),
		cmocka_unit_test(remove_in_wrapping_runs_edge),
		cmocka_unit_test(hash_is_keyed_valid),
		cmocka_unit_test(list_table_valid),
	};

	self = argv[0];
	if (argc > 1 && strcmp(argv[1], "--hash") == 0) {
		printf("%lu\n", (unsigned long)table_hash(TABLE_HASH_INIT,
		    "\3www\7example\0", 13));
		return 0;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
