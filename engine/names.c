/*
 * names.c -- interned names: each distinct name is kept once, lower-cased
 * in wire form, with a count of the references held to it.  Tables hold
 * struct ename pointers and compare them; a name is freed when its last
 * reference goes.  The table has no cap of its own: it is bounded by the
 * tables that hold names, each bounded (a name also holds its parent).
 */
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"
#include "util/xmalloc.h"

static struct ename *name_lookup(struct engine *, const uint8_t *, size_t,
		    uint32_t);

/* Every name size has its own pool: the longest name fits the last. */
typedef char name_classes_fit[(offsetof(struct ename, n.wire) +
    DNS_NAME_MAX + 15) / 16 < NAME_CLASSES ? 1 : -1];

/* The pool for a name of len wire bytes: by its size in steps of 16. */
static struct pool *
name_pool(struct engine *e, size_t len, size_t *size)
{
	size_t	 n = offsetof(struct ename, n.wire) + len;

	*size = (n + 15) & ~(size_t)15;
	return &e->pl_name[*size / 16];
}

/* Hash of lower-case wire bytes. */
static uint32_t
wire_hash(const uint8_t *w, size_t len)
{
	return table_hash(TABLE_HASH_INIT, w, len);
}

/* The interned entry for lower-case wire bytes, or NULL. */
static struct ename *
name_lookup(struct engine *e, const uint8_t *w, size_t len, uint32_t h)
{
	struct tnode	*n = NULL;
	struct ename	*en;

	while ((n = table_next(&e->names, h, n)) != NULL) {
		en = (struct ename *)n;
		if (en->n.len == len && memcmp(en->n.wire, w, len) == 0)
			return en;
	}
	return NULL;
}

/* Lower-case a name's wire bytes into buf; returns the length. */
static size_t
wire_lower(const struct dns_name *name, uint8_t *buf)
{
	size_t	 i;

	for (i = 0; i < name->len; i++)
		buf[i] = name->wire[i] >= 'A' && name->wire[i] <= 'Z' ?
		    (uint8_t)(name->wire[i] + 32) : name->wire[i];
	return name->len;
}

/* The interned name for lower-case wire bytes (a new reference). */
static struct ename *
name_get_lower(struct engine *e, const uint8_t *w, size_t len,
    uint8_t nlabels)
{
	uint32_t	 h = wire_hash(w, len);
	struct ename	*en;
	struct pool	*pl;
	size_t		 size;

	if ((en = name_lookup(e, w, len, h)) != NULL) {
		en->refs++;
		return en;
	}
	/* Only the wire bytes in use: names are the engine's most numerous. */
	pl = name_pool(e, len, &size);
	en = pool_take(pl, size, offsetof(struct ename, n));
	en->refs = 1;
	en->n.len = (uint8_t)len;
	en->n.nlabels = nlabels;
	memcpy(en->n.wire, w, len);
	table_insert(&e->names, &en->node, h);
	return en;
}

/* The interned name (a new reference), made if needed. */
struct ename *
name_get(struct engine *e, const struct dns_name *name)
{
	uint8_t		 w[DNS_NAME_MAX];
	size_t		 len = wire_lower(name, w);

	return name_get_lower(e, w, len, name->nlabels);
}

/*
 * The interned name (a new reference) for a name that is often near, or
 * one of its ancestors already interned (a referral's owner above the
 * question): found by walking up near, else interned as by name_get().
 */
struct ename *
name_get_near(struct engine *e, struct ename *near, const struct dns_name *name)
{
	struct ename	*a;

	for (a = near; a != NULL && a->n.nlabels >= name->nlabels;
	    a = a->parent)
		if (a->n.nlabels == name->nlabels &&
		    dns_name_equal(&a->n, name))
			return name_ref(a);
	return name_get(e, name);
}

/* The interned name if it exists (no reference taken). */
struct ename *
name_find(struct engine *e, const struct dns_name *name)
{
	uint8_t		 w[DNS_NAME_MAX];
	size_t		 len = wire_lower(name, w);

	return name_lookup(e, w, len, wire_hash(w, len));
}

/* The parent of an interned name, interned and kept (NULL for the root). */
struct ename *
name_parent(struct engine *e, struct ename *en)
{
	size_t		 skip;

	/* The bytes after the first label: lower case already. */
	if (en->parent == NULL && en->n.nlabels > 0) {
		skip = (size_t)en->n.wire[0] + 1;
		en->parent = name_get_lower(e, en->n.wire + skip,
		    en->n.len - skip, (uint8_t)(en->n.nlabels - 1));
	}
	return en->parent;
}

/* Take one more reference. */
struct ename *
name_ref(struct ename *en)
{
	if (en != NULL)
		en->refs++;
	return en;
}

/*
 * Drop a reference (NULL is fine); the last one frees the name, and with
 * it the reference it held on its parent.
 */
void
name_put(struct engine *e, struct ename *en)
{
	struct ename	*parent;
	size_t		 size;

	while (en != NULL && --en->refs == 0) {
		parent = en->parent;
		table_remove(&e->names, &en->node);
		pool_put(name_pool(e, en->n.len, &size), en);
		en = parent;
	}
}

/* Drop the references of an array of names. */
void
name_puts(struct engine *e, struct ename **v, unsigned n)
{
	unsigned	 i;

	for (i = 0; i < n; i++) {
		name_put(e, v[i]);
		v[i] = NULL;
	}
}

/*
 * Put name z at the front of a small list v of *n names (at most max): a
 * reference is taken; the oldest goes when it is full; already there,
 * nothing changes.
 */
void
name_list_push(struct engine *e, struct ename **v, uint8_t *n, uint8_t max,
    struct ename *z)
{
	uint8_t		 i;

	for (i = 0; i < *n; i++)
		if (v[i] == z)
			return;
	if (*n == max)
		name_put(e, v[--*n]);
	memmove(v + 1, v, *n * sizeof(v[0]));
	v[0] = name_ref(z);
	(*n)++;
}

/* The table hash of an interned name (stable while it lives). */
uint32_t
name_hash(const struct ename *en)
{
	return en->node.hash;
}

/* a ⊑ b for interned names: equal, or a ends with b at a label boundary. */
int
name_is_sub(const struct ename *a, const struct ename *b)
{
	return a == b || dns_name_is_sub(&a->n, &b->n);
}
