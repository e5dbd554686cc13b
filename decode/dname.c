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
	uint8_t		 b;

	out->len = 0;
	out->nlabels = 0;
	for (;;) {
		if (pos >= c->len)
			return DNS_E_TRUNC;
		b = c->base[pos];
		if ((b & 0xc0) == 0xc0) {
			if (!allow_ptr)
				return DNS_E_BADPTR;
			if (pos + 1 >= c->len)
				return DNS_E_TRUNC;
			if (++hops > DNS_PTR_HOPS)
				return DNS_E_PTRLOOP;
			if (after == 0)
				after = pos + 2;
			pos = (size_t)(b & 0x3f) << 8 | c->base[pos + 1];
			if (pos >= limit)
				return DNS_E_BADPTR;
			limit = pos;
			continue;
		}
		if ((b & 0xc0) != 0)
			return DNS_E_LABELTYPE;
		len = b;
		if (len > DNS_LABEL_MAX)
			return DNS_E_LABEL;
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

/* Presentation form: lower case, trailing dot, escapes (rule 31). */
size_t
dns_name_to_str(const struct dns_name *n, char *buf, size_t size)
{
	size_t		 o = 0, i = 0, k, len;
	uint8_t		 ch;
	char		 tmp[5];

	if (size == 0)
		return 0;
	if (n->len <= 1) {
		if (size > 1) {
			buf[0] = '.';
			o = 1;
		}
		buf[o] = '\0';
		return o;
	}
	while (i < n->len && (len = n->wire[i]) != 0) {
		for (k = 1; k <= len && i + k < n->len; k++) {
			ch = lower(n->wire[i + k]);
			if (ch <= 0x20 || ch >= 0x7f)
				tmp[0] = '\\', tmp[1] = (char)('0' + ch / 100),
				tmp[2] = (char)('0' + ch / 10 % 10),
				tmp[3] = (char)('0' + ch % 10), tmp[4] = '\0';
			else if (label_escape(ch))
				tmp[0] = '\\', tmp[1] = (char)ch, tmp[2] = '\0';
			else
				tmp[0] = (char)ch, tmp[1] = '\0';
			if (o + strlen(tmp) + 1 >= size)
				goto out;
			memcpy(buf + o, tmp, strlen(tmp));
			o += strlen(tmp);
		}
		if (o + 2 >= size)
			goto out;
		buf[o++] = '.';
		i += len + 1;
	}
out:
	buf[o] = '\0';
	return o;
}

/* Parse presentation form with \X and \DDD escapes. */
int
dns_name_from_str(const char *s, struct dns_name *out)
{
	size_t		 lab = 0, llen = 0;
	unsigned	 v;

	out->len = 1;
	out->nlabels = 0;
	out->wire[0] = 0;
	if (strcmp(s, ".") == 0)
		return 0;
	while (*s != '\0') {
		if (*s == '.') {
			if (llen == 0)
				return -1;
			lab = out->len - 1;
			llen = 0;
			s++;
			continue;
		}
		if (llen == 0) {
			/* Open a label: wire[lab] is its length byte. */
			lab = out->len - 1;
			out->nlabels++;
		}
		if (*s == '\\' && s[1] >= '0' && s[1] <= '9') {
			if (s[2] < '0' || s[2] > '9' || s[3] < '0' || s[3] > '9')
				return -1;
			v = (unsigned)(s[1] - '0') * 100 +
			    (unsigned)(s[2] - '0') * 10 + (unsigned)(s[3] - '0');
			if (v > 255)
				return -1;
			s += 4;
		} else if (*s == '\\' && s[1] != '\0') {
			v = (uint8_t)s[1];
			s += 2;
		} else
			v = (uint8_t)*s++;
		if (++llen > DNS_LABEL_MAX || out->len + 1 > DNS_NAME_MAX)
			return -1;
		out->wire[lab] = (uint8_t)llen;
		out->wire[lab + llen] = (uint8_t)v;
		out->wire[lab + llen + 1] = 0;
		out->len = (uint8_t)(lab + llen + 2);
	}
	return 0;
}

/* Case-insensitive equality of two names. */
int
dns_name_equal(const struct dns_name *a, const struct dns_name *b)
{
	uint8_t	 i;

	if (a->len != b->len)
		return 0;
	for (i = 0; i < a->len; i++)
		if (lower(a->wire[i]) != lower(b->wire[i]))
			return 0;
	return 1;
}

/* a ⊑ b, label by label. */
int
dns_name_is_sub(const struct dns_name *a, const struct dns_name *b)
{
	struct dns_name	 s;

	if (b->nlabels > a->nlabels)
		return 0;
	dns_name_suffix(a, b->nlabels, &s);
	return dns_name_equal(&s, b);
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
	uint8_t	 i = 0, k;

	while (i < n->len && n->wire[i] != 0) {
		for (k = 1; k <= n->wire[i] && i + k < n->len; k++)
			n->wire[i + k] = lower(n->wire[i + k]);
		i = (uint8_t)(i + n->wire[i] + 1);
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
