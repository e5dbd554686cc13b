/*
 * dname.c -- domain names: decompression with guards, comparison,
 * presentation form.  Pure: no allocation, no I/O, no globals.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "decode/dname.h"
#include "decode/dns.h"
#include "util/cursor.h"

static uint8_t	lower(uint8_t);
static int	label_escape(uint8_t);
static int	name_jump(const struct cur *, size_t *, size_t *);
static int	str_put(char *, size_t, size_t *, uint8_t);
static int	str_char(const char **);

/* ASCII lower case only (RFC 4343 §3). */
static uint8_t
lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

/* Characters that need a backslash in presentation form (RFC 1035 §5.1). */
static int
label_escape(uint8_t c)
{
	return c == '.' || c == '\\' || c == '"' || c == '(' || c == ')' ||
	    c == ';' || c == '@' || c == '$';
}

/*
 * Follow the compression pointer at pos (RFC 1035 §4.1.4): it must point
 * strictly below *limit, the previous jump target, which starts at the
 * name's own offset.  Returns DNS_OK with the target in *pos and *limit.
 */
static int
name_jump(const struct cur *c, size_t *pos, size_t *limit)
{
	size_t	 to;

	if (c->len - *pos < 2)
		return DNS_E_TRUNC;
	to = (size_t)(c->base[*pos] & 0x3f) << 8 | c->base[*pos + 1];
	if (to >= *limit)
		return DNS_E_BADPTR;
	*pos = *limit = to;
	return DNS_OK;
}

/*
 * Read a name at the cursor (RFC 1035 §4.1.4) with the guards of STYLE.md
 * rule 29: every pointer goes strictly below the previous jump target
 * (starting at the name's own offset), at most DNS_PTR_HOPS of them, labels
 * of 63 bytes at most, names of 255 at most, no reserved label types.
 */
int
dns_name_read(struct cur *c, struct dns_name *out, int allow_ptr)
{
	size_t		 pos = c->pos, limit = c->pos, after = 0;
	unsigned	 hops = 0, len;
	int		 st;

	out->len = 0;
	out->nlabels = 0;
	for (;;) {
		if (c->err || pos >= c->len)
			return DNS_E_TRUNC;
		len = c->base[pos];
		if ((len & 0xc0) == 0xc0) {
			if (!allow_ptr)
				return DNS_E_BADPTR;
			if (++hops > DNS_PTR_HOPS)
				return DNS_E_PTRLOOP;
			if (after == 0)
				after = pos + 2;
			if ((st = name_jump(c, &pos, &limit)) != DNS_OK)
				return st;
			continue;
		}
		/*
		 * 0x40 and 0x80 are reserved (RFC 6891 §5).  This is also the
		 * 63-byte label guard: any length above 63 has a type bit.
		 */
		if ((len & 0xc0) != 0)
			return DNS_E_LABELTYPE;
		if ((size_t)out->len + len + 1 > DNS_NAME_MAX)
			return DNS_E_NAMELEN;
		if (len > c->len - pos - 1)
			return DNS_E_TRUNC;
		memcpy(out->wire + out->len, c->base + pos, len + 1);
		out->len = (uint8_t)(out->len + len + 1);
		pos += len + 1;
		if (len == 0)
			break;
		out->nlabels++;
	}
	c->pos = after != 0 ? after : pos;
	return DNS_OK;
}

/* Append one label byte in presentation form; -1 when it does not fit. */
static int
str_put(char *buf, size_t size, size_t *o, uint8_t ch)
{
	char	 tmp[4];
	size_t	 n = 0;

	ch = lower(ch);
	if (ch <= 0x20 || ch >= 0x7f) {
		tmp[n++] = '\\';
		tmp[n++] = (char)('0' + ch / 100);
		tmp[n++] = (char)('0' + ch / 10 % 10);
		tmp[n++] = (char)('0' + ch % 10);
	} else {
		if (label_escape(ch))
			tmp[n++] = '\\';
		tmp[n++] = (char)ch;
	}
	if (n >= size - *o)		/* keep room for the NUL */
		return -1;
	memcpy(buf + *o, tmp, n);
	*o += n;
	return 0;
}

/*
 * Presentation form (RFC 1035 §5.1): lower case, trailing dot, \DDD for
 * space and non-printable bytes, \X for the special characters (rule 31).
 * A name that does not fit is cut at a whole character.
 */
size_t
dns_name_to_str(const struct dns_name *n, char *buf, size_t size)
{
	size_t		 o = 0, i = 0, k, len;

	if (size == 0)
		return 0;
	if (n->len <= 1 || n->wire[0] == 0) {
		if (size > 1)
			buf[o++] = '.';
		buf[o] = '\0';
		return o;
	}
	while (i < n->len && (len = n->wire[i]) != 0) {
		for (k = 1; k <= len && i + k < n->len; k++)
			if (str_put(buf, size, &o, n->wire[i + k]) != 0)
				goto out;
		if (size - o < 2)
			goto out;
		buf[o++] = '.';
		i += len + 1;
	}
out:
	buf[o] = '\0';
	return o;
}

/*
 * One character of presentation form at *sp: plain, \X or \DDD (RFC 1035
 * §5.1).  Returns the byte and advances *sp, or -1 on a bad escape.
 */
static int
str_char(const char **sp)
{
	const char	*s = *sp;
	int		 v;

	if (s[0] != '\\') {
		*sp = s + 1;
		return (uint8_t)s[0];
	}
	if (s[1] == '\0')
		return -1;
	if (s[1] < '0' || s[1] > '9') {
		*sp = s + 2;
		return (uint8_t)s[1];
	}
	if (s[2] < '0' || s[2] > '9' || s[3] < '0' || s[3] > '9')
		return -1;
	v = (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	if (v > 255)
		return -1;
	*sp = s + 4;
	return v;
}

/*
 * Parse presentation form with \X and \DDD escapes; the trailing dot is
 * optional, "." is the root, "" and empty labels are errors.
 */
int
dns_name_from_str(const char *s, struct dns_name *out)
{
	size_t		 lab = 0, llen = 0;
	int		 v;

	dns_name_root(out);
	if (strcmp(s, ".") == 0)
		return 0;
	if (*s == '\0')
		return -1;
	while (*s != '\0') {
		if (*s == '.') {
			if (llen == 0)
				return -1;
			llen = 0;
			s++;
			continue;
		}
		if ((v = str_char(&s)) < 0)
			return -1;
		if (llen++ == 0) {	/* open a label at the root byte */
			lab = (size_t)out->len - 1;
			out->nlabels++;
		}
		/* length byte, llen bytes, root: lab + llen + 2 in all */
		if (llen > DNS_LABEL_MAX || lab + llen + 2 > DNS_NAME_MAX)
			return -1;
		out->wire[lab] = (uint8_t)llen;
		out->wire[lab + llen] = (uint8_t)v;
		out->wire[lab + llen + 1] = 0;
		out->len = (uint8_t)(lab + llen + 2);
	}
	return 0;
}

/* Case-insensitive equality of n wire bytes (label lengths are < 64). */
static int
wire_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t	 i;

	if (memcmp(a, b, n) == 0)
		return 1;
	for (i = 0; i < n; i++)
		if (lower(a[i]) != lower(b[i]))
			return 0;
	return 1;
}

/* Case-insensitive equality of two names. */
int
dns_name_equal(const struct dns_name *a, const struct dns_name *b)
{
	return a->len == b->len && wire_equal(a->wire, b->wire, a->len);
}

/* a ⊑ b, label by label: b's bytes are a's last b->len, at a label start. */
int
dns_name_is_sub(const struct dns_name *a, const struct dns_name *b)
{
	size_t		 off = 0;
	unsigned	 skip;

	if (b->nlabels > a->nlabels)
		return 0;
	for (skip = a->nlabels - b->nlabels; skip > 0 && off < a->len; skip--)
		off += (size_t)a->wire[off] + 1;
	return off < a->len && a->len - off == b->len &&
	    wire_equal(a->wire + off, b->wire, b->len);
}

/* Strip the first label. */
int
dns_name_parent(const struct dns_name *n, struct dns_name *out)
{
	if (n->nlabels == 0)
		return -1;
	dns_name_suffix(n, (unsigned)n->nlabels - 1, out);
	return 0;
}

/* The last k labels of a name. */
void
dns_name_suffix(const struct dns_name *n, unsigned k, struct dns_name *out)
{
	size_t		 i = 0;
	unsigned	 skip;

	if (k > n->nlabels)
		k = n->nlabels;
	for (skip = n->nlabels - k; skip > 0 && i < n->len; skip--)
		i += (size_t)n->wire[i] + 1;
	if (i >= n->len) {		/* a struct not made by this module */
		dns_name_root(out);
		return;
	}
	out->len = (uint8_t)(n->len - i);
	out->nlabels = (uint8_t)k;
	memmove(out->wire, n->wire + i, out->len);
}

/* Number of trailing labels two names share. */
unsigned
dns_name_common(const struct dns_name *a, const struct dns_name *b)
{
	struct dns_name	 sa, sb;
	unsigned	 k, max = a->nlabels < b->nlabels ? a->nlabels :
			    b->nlabels;

	for (k = 1; k <= max; k++) {
		dns_name_suffix(a, k, &sa);
		dns_name_suffix(b, k, &sb);
		if (!dns_name_equal(&sa, &sb))
			return k - 1;
	}
	return max;
}

/* Fold upper case to lower case in place. */
void
dns_name_lower(struct dns_name *n)
{
	size_t	 i = 0, k;

	while (i < n->len && n->wire[i] != 0) {
		for (k = 1; k <= n->wire[i] && i + k < n->len; k++)
			n->wire[i + k] = lower(n->wire[i + k]);
		i += (size_t)n->wire[i] + 1;
	}
}

/* FNV-1a over the lower-cased wire form. */
uint32_t
dns_name_hash(const struct dns_name *n)
{
	uint32_t	 h = 2166136261u;
	uint8_t		 i;

	for (i = 0; i < n->len; i++) {
		h ^= lower(n->wire[i]);
		h *= 16777619u;
	}
	return h;
}

/* The root name. */
void
dns_name_root(struct dns_name *n)
{
	n->len = 1;
	n->nlabels = 0;
	n->wire[0] = 0;
}
