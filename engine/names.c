/*
 * names.c -- interned names: each distinct name is kept once, lower-cased
 * in wire form, with a count of the references held to it.  Tables hold
 * struct ename pointers and compare them; a name is freed when its last
 * reference goes.  The table has no cap of its own: it is bounded by the
 * tables that hold names, each bounded.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"
#include "util/xmalloc.h"

static struct ename *name_lookup(struct engine *, const uint8_t *, size_t,
		    uint32_t);

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

/* The interned name (a new reference), made if needed. */
struct ename *
name_get(struct engine *e, const struct dns_name *name)
{
	uint8_t		 w[DNS_NAME_MAX];
	size_t		 len = wire_lower(name, w);
	uint32_t	 h = wire_hash(w, len);
	struct ename	*en;

	if ((en = name_lookup(e, w, len, h)) != NULL) {
		en->refs++;
		return en;
	}
	en = xmalloc(sizeof(*en));
	memset(&en->node, 0, sizeof(en->node));
	en->refs = 1;
	en->n.len = name->len;
	en->n.nlabels = name->nlabels;
	memcpy(en->n.wire, w, len);
	table_insert(&e->names, &en->node, h);
	return en;
}

/* The interned name if it exists (no reference taken). */
struct ename *
name_find(struct engine *e, const struct dns_name *name)
{
	uint8_t		 w[DNS_NAME_MAX];
	size_t		 len = wire_lower(name, w);

	return name_lookup(e, w, len, wire_hash(w, len));
}

/*
 * The interned suffix of an interned-form name keeping its last `labels`
 * labels, if it exists (no reference taken).  Names in the engine are
 * already lower-case, so the suffix's bytes are hashed where they lie.
 */
struct ename *
name_find_suffix(struct engine *e, const struct dns_name *name,
    unsigned labels)
{
	size_t		 off = 0;
	unsigned	 skip;

	if (labels > name->nlabels)
		return NULL;
	for (skip = name->nlabels - labels; skip > 0; skip--)
		off += (size_t)name->wire[off] + 1;
	if (off >= name->len)
		return NULL;
	return name_lookup(e, name->wire + off, name->len - off,
	    wire_hash(name->wire + off, name->len - off));
}

/* Take one more reference. */
struct ename *
name_ref(struct ename *en)
{
	if (en != NULL)
		en->refs++;
	return en;
}

/* Drop a reference (NULL is fine); the last one frees the name. */
void
name_put(struct engine *e, struct ename *en)
{
	if (en == NULL || --en->refs > 0)
		return;
	table_remove(&e->names, &en->node);
	free(en);
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
