/*
 * cursor.h -- bounds-checked reads from untrusted bytes (STYLE.md rule 26).
 *
 * A cursor is { base, len, pos, err }.  Every read checks the remaining length
 * first; on a shortfall it sets the sticky err flag, reads nothing and returns
 * 0, so callers do a group of reads and check err once.  pos <= len always
 * holds and checks compare lengths, never pointers (rule 28).  Integers are
 * built from bytes, big-endian, at any alignment (rule 27).  The cursor
 * borrows base; it never allocates.  Used by capture/ and decode/ alike.
 */
#ifndef GLUETOP_CURSOR_H
#define GLUETOP_CURSOR_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct cur {
	const uint8_t	*base;
	size_t		 len;
	size_t		 pos;
	int		 err;
};

/* Start a cursor over len bytes at base. */
static inline void
cur_init(struct cur *c, const uint8_t *base, size_t len)
{
	c->base = base;
	c->len = len;
	c->pos = 0;
	c->err = 0;
}

/* Bytes left to read. */
static inline size_t
cur_left(const struct cur *c)
{
	return c->len - c->pos;
}

/* True when n more bytes can be read; sets err otherwise. */
static inline int
cur_need(struct cur *c, size_t n)
{
	if (c->err || n > c->len - c->pos) {
		c->err = 1;
		return 0;
	}
	return 1;
}

static inline uint8_t
cur_u8(struct cur *c)
{
	if (!cur_need(c, 1))
		return 0;
	return c->base[c->pos++];
}

static inline uint16_t
cur_u16(struct cur *c)
{
	const uint8_t	*p;

	if (!cur_need(c, 2))
		return 0;
	p = c->base + c->pos;
	c->pos += 2;
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
cur_u32(struct cur *c)
{
	const uint8_t	*p;

	if (!cur_need(c, 4))
		return 0;
	p = c->base + c->pos;
	c->pos += 4;
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Copy n bytes out; on shortfall copy nothing. */
static inline void
cur_copy(struct cur *c, void *dst, size_t n)
{
	if (!cur_need(c, n))
		return;
	memcpy(dst, c->base + c->pos, n);
	c->pos += n;
}

/* Skip n bytes. */
static inline void
cur_skip(struct cur *c, size_t n)
{
	if (cur_need(c, n))
		c->pos += n;
}

/* Move to absolute offset off (<= len). */
static inline void
cur_seek(struct cur *c, size_t off)
{
	if (off > c->len)
		c->err = 1;
	else
		c->pos = off;
}

#endif
