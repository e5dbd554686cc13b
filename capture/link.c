/*
 * link.c -- link-layer headers by DLT, as a const table (STYLE.md rule 6,
 * after printers[] in tcpdump's print.c).  Every read goes through a cursor.
 */
#include <stddef.h>
#include <stdint.h>

#include <pcap/dlt.h>

#include "capture/link.h"
#include "util/cursor.h"

#define ETH_IPV4	0x0800
#define ETH_IPV6	0x86dd
#define ETH_8021Q	0x8100		/* IEEE 802.1Q customer tag */
#define ETH_8021AD	0x88a8		/* IEEE 802.1ad service tag */
#define ETH_QINQ	0x9100		/* pre-standard QinQ */
#define ETH_MAXLEN	1500		/* below: an 802.3 length, not a type */
#define VLAN_MAX	8		/* tags followed before giving up */

#define LINKTYPE_RAW_	101		/* LINKTYPE_RAW as pcap files carry it */

#define PPP_IPV4	0x0021		/* RFC 1332 */
#define PPP_IPV6	0x0057		/* RFC 5072 */

struct link_handler {
	int	  dlt;
	int	(*fn)(struct cur *, size_t *);
};

static int	ethertype(unsigned, size_t, size_t *);
static int	link_ether(struct cur *, size_t *);
static int	link_sll(struct cur *, size_t *);
static int	link_sll2(struct cur *, size_t *);
static int	link_raw(struct cur *, size_t *);
static int	link_ipv4(struct cur *, size_t *);
static int	link_ipv6(struct cur *, size_t *);
static int	link_null(struct cur *, size_t *);
static int	link_loop(struct cur *, size_t *);
static int	link_ppp(struct cur *, size_t *);
static int	link_chdlc(struct cur *, size_t *);
static int	af_result(uint32_t, size_t *);
static const struct link_handler *lookup(int);

/* The handlers; DLT_RAW and DLT_LOOP differ by platform, so use the macros. */
static const struct link_handler handlers[] = {
	{ DLT_NULL, link_null },	/* BSD loopback, writer's byte order */
	{ DLT_EN10MB, link_ether },	/* Ethernet */
	{ DLT_PPP, link_ppp },		/* RFC 1661 */
	{ DLT_RAW, link_raw },		/* raw IP */
	{ LINKTYPE_RAW_, link_raw },	/* raw IP, as a file's link type */
	{ DLT_PPP_SERIAL, link_ppp },	/* PPP in HDLC-like framing */
	{ DLT_C_HDLC, link_chdlc },	/* Cisco HDLC */
	{ DLT_LOOP, link_loop },	/* OpenBSD loopback, network order */
	{ DLT_LINUX_SLL, link_sll },	/* Linux cooked capture v1 */
#ifdef DLT_IPV4
	{ DLT_IPV4, link_ipv4 },	/* raw IPv4 only */
	{ DLT_IPV6, link_ipv6 },	/* raw IPv6 only */
#endif
#ifdef DLT_LINUX_SLL2
	{ DLT_LINUX_SLL2, link_sll2 },	/* Linux cooked capture v2 (-i any) */
#endif
	{ -1, NULL }
};

/* Map an Ethernet type at offset at to a result. */
static int
ethertype(unsigned type, size_t at, size_t *off)
{
	*off = at;
	if (type == ETH_IPV4)
		return LINK_IPV4;
	if (type == ETH_IPV6)
		return LINK_IPV6;
	return LINK_OTHER;
}

/* Ethernet II or 802.3 LLC/SNAP, below up to VLAN_MAX tags (802.1Q). */
static int
link_ether(struct cur *c, size_t *off)
{
	unsigned	 type, tags = 0;

	cur_skip(c, 12);		/* destination and source MAC */
	type = cur_u16(c);
	while ((type == ETH_8021Q || type == ETH_8021AD ||
	    type == ETH_QINQ) && tags++ < VLAN_MAX) {
		cur_skip(c, 2);		/* PCP, DEI, VLAN id */
		type = cur_u16(c);
	}
	if (!c->err && type <= ETH_MAXLEN) {
		/* 802.3 length: only LLC SNAP (RFC 1042) carries IP. */
		if (cur_u16(c) != 0xaaaa || cur_u8(c) != 0x03)
			return c->err ? LINK_SHORT : LINK_OTHER;
		cur_skip(c, 3);		/* OUI */
		type = cur_u16(c);
	}
	if (c->err)
		return LINK_SHORT;
	return ethertype(type, c->pos, off);
}

/* Linux cooked capture v1: protocol at offset 14, 16 bytes. */
static int
link_sll(struct cur *c, size_t *off)
{
	unsigned	 type;

	cur_skip(c, 14);
	type = cur_u16(c);
	return c->err ? LINK_SHORT : ethertype(type, c->pos, off);
}

/* Linux cooked capture v2: protocol at offset 0, 20 bytes. */
static int
link_sll2(struct cur *c, size_t *off)
{
	unsigned	 type;

	type = cur_u16(c);
	cur_skip(c, 18);
	return c->err ? LINK_SHORT : ethertype(type, c->pos, off);
}

/* Raw IP: the version nibble tells which. */
static int
link_raw(struct cur *c, size_t *off)
{
	uint8_t	 v;

	v = cur_u8(c);
	*off = 0;
	if (c->err)
		return LINK_SHORT;
	return v >> 4 == 4 ? LINK_IPV4 : v >> 4 == 6 ? LINK_IPV6 : LINK_OTHER;
}

/* DLT_IPV4: IPv4 from the first byte. */
static int
link_ipv4(struct cur *c, size_t *off)
{
	(void)c;
	*off = 0;
	return LINK_IPV4;
}

/* DLT_IPV6: IPv6 from the first byte. */
static int
link_ipv6(struct cur *c, size_t *off)
{
	(void)c;
	*off = 0;
	return LINK_IPV6;
}

/* An address family from BSD loopback headers: 2, or IPv6 as 10/24/28/30. */
static int
af_result(uint32_t af, size_t *off)
{
	*off = 4;
	if (af == 2)
		return LINK_IPV4;
	if (af == 10 || af == 24 || af == 28 || af == 30)
		return LINK_IPV6;
	return LINK_OTHER;
}

/* DLT_NULL: a 4-byte family in the writer's byte order, so try both. */
static int
link_null(struct cur *c, size_t *off)
{
	uint32_t	 be, le;

	be = cur_u32(c);
	if (c->err)
		return LINK_SHORT;
	le = (be & 0xff) << 24 | (be & 0xff00) << 8 | (be >> 8 & 0xff00) |
	    be >> 24;
	return af_result(be < 256 ? be : le, off);
}

/* DLT_LOOP: a 4-byte family in network byte order. */
static int
link_loop(struct cur *c, size_t *off)
{
	uint32_t	 af;

	af = cur_u32(c);
	return c->err ? LINK_SHORT : af_result(af, off);
}

/* PPP (RFC 1661 §2), optionally in HDLC framing (RFC 1662 §3.1). */
static int
link_ppp(struct cur *c, size_t *off)
{
	unsigned	 proto;

	if (cur_left(c) >= 2 && c->base[0] == 0xff && c->base[1] == 0x03)
		cur_skip(c, 2);		/* address and control */
	proto = cur_u8(c);
	if (!(proto & 1))		/* not a compressed 1-byte field */
		proto = proto << 8 | cur_u8(c);
	if (c->err)
		return LINK_SHORT;
	*off = c->pos;
	return proto == PPP_IPV4 ? LINK_IPV4 : proto == PPP_IPV6 ? LINK_IPV6 :
	    LINK_OTHER;
}

/* Cisco HDLC: address, control, then an Ethernet type. */
static int
link_chdlc(struct cur *c, size_t *off)
{
	unsigned	 type;

	cur_skip(c, 2);
	type = cur_u16(c);
	return c->err ? LINK_SHORT : ethertype(type, c->pos, off);
}

/* The handler for a DLT, or NULL. */
static const struct link_handler *
lookup(int dlt)
{
	const struct link_handler	*h;

	for (h = handlers; h->fn != NULL; h++)
		if (h->dlt == dlt)
			return h;
	return NULL;
}

/* Is there a handler for this link type? */
int
link_supported(int dlt)
{
	return lookup(dlt) != NULL;
}

/* Dispatch to the link type's handler. */
int
link_decode(int dlt, const uint8_t *p, size_t caplen, size_t *off)
{
	const struct link_handler	*h;
	struct cur			 c;

	if ((h = lookup(dlt)) == NULL)
		return LINK_UNSUPPORTED;
	cur_init(&c, p, caplen);
	*off = 0;
	return h->fn(&c, off);
}
