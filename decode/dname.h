/*
 * dname.h -- domain names in uncompressed wire form.
 *
 * A struct dns_name holds a name as length-prefixed labels ending in the root
 * label, at most 255 bytes (RFC 1035 §3.1), plus its label count.  The root is
 * { len 1, wire "\0" }.  Names keep the case they had on the wire; every
 * comparison here is case-insensitive for ASCII (RFC 4343), because resolvers
 * randomise QNAME case.  All functions are pure and allocation-free.
 *
 * dns_name_read() is the decompressor with the five guards of STYLE.md rule
 * 29; the message decoder uses it, and so can anything holding a whole
 * message.
 */
#ifndef GLUETOP_DNAME_H
#define GLUETOP_DNAME_H

#include <stddef.h>
#include <stdint.h>

#define DNS_NAME_MAX	255	/* wire bytes, root label included */
#define DNS_LABEL_MAX	63
#define DNS_NAME_STRMAX	1024	/* presentation form, \DDD escapes, NUL */
#define DNS_PTR_HOPS	64	/* compression pointers followed per name */

struct dns_name {
	uint8_t	len;			/* wire length, 1..255; 0 = unset */
	uint8_t	nlabels;		/* labels, root not counted */
	uint8_t	wire[DNS_NAME_MAX];
};

struct cur;

/*
 * Read a possibly compressed name at the cursor of a whole message.  Returns
 * DNS_OK (0) or an enum dns_status (dns.h).  Afterwards the cursor sits after
 * the first pointer, or after the terminating zero if there was none.  With
 * allow_ptr 0, a pointer is DNS_E_BADPTR (RDATA names that RFCs say must not
 * be compressed are still accepted by callers passing 1; see dns.c).
 */
int	dns_name_read(struct cur *msg, struct dns_name *out, int allow_ptr);

/* Presentation form, lower-case, trailing dot, \DDD escapes (rule 31).
 * Returns the string length; always NUL-terminates when size > 0. */
size_t	dns_name_to_str(const struct dns_name *, char *buf, size_t size);

/* Parse presentation form ("www.Example.com", "www.example.com.", ".").
 * Returns 0, or -1 on a bad label or length. */
int	dns_name_from_str(const char *, struct dns_name *);

/* Case-insensitive equality. */
int	dns_name_equal(const struct dns_name *, const struct dns_name *);

/* a ⊑ b: a equals b or is below it, label by label, case-insensitively. */
int	dns_name_is_sub(const struct dns_name *a, const struct dns_name *b);

/* Strip the first label into out; returns -1 for the root. */
int	dns_name_parent(const struct dns_name *, struct dns_name *out);

/* Keep the last n labels of a name (n <= nlabels) in out. */
void	dns_name_suffix(const struct dns_name *, unsigned n,
	    struct dns_name *out);

/* Number of trailing labels a and b share. */
unsigned dns_name_common(const struct dns_name *, const struct dns_name *);

/* Fold ASCII upper case to lower case in place. */
void	dns_name_lower(struct dns_name *);

/* Case-insensitive FNV-1a hash of the wire form. */
uint32_t dns_name_hash(const struct dns_name *);

/* The root name. */
void	dns_name_root(struct dns_name *);

#endif
