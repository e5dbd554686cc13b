/* link.c -- link-layer headers by DLT, as a const table (rule 6). */
#include <stddef.h>
#include <stdint.h>

#include "capture/link.h"
#include "util/cursor.h"

#define ETH_IPV4	0x0800
#define ETH_IPV6	0x86dd
#define ETH_8021Q	0x8100
#define ETH_8021AD	0x88a8
#define ETH_QINQ	0x9100
#define VLAN_MAX	4	/* tags followed */

struct link_handler {
	int	  dlt;
	int	(*fn)(const uint8_t *, size_t, size_t *);
};

static int	ethertype(unsigned, size_t, size_t *);
static int	link_ether(const uint8_t *, size_t, size_t *);
static int	link_sll(const uint8_t *, size_t, size_t *);
static int	link_sll2(const uint8_t *, size_t, size_t *);
static int	link_raw(const uint8_t *, size_t, size_t *);
static int	link_ipv4(const uint8_t *, size_t, size_t *);
static int	link_ipv6(const uint8_t *, size_t, size_t *);
static int	link_null(const uint8_t *, size_t, size_t *);
static int	link_loop(const uint8_t *, size_t, size_t *);
static int	af_result(uint32_t, size_t *);

/* DLT and LINKTYPE values, from pcap/dlt.h and the tcpdump.org list. */
static const struct link_handler handlers[] = {
	{ 0, link_null },	/* DLT_NULL: host-order AF */
	{ 1, link_ether },	/* DLT_EN10MB */
	{ 12, link_raw },	/* DLT_RAW (Linux) */
	{ 14, link_raw },	/* DLT_RAW (OpenBSD) */
	{ 101, link_raw },	/* LINKTYPE_RAW */
	{ 108, link_loop },	/* DLT_LOOP: network-order AF */
	{ 113, link_sll },	/* DLT_LINUX_SLL */
	{ 228, link_ipv4 },	/* DLT_IPV4 */
	{ 229, link_ipv6 },	/* DLT_IPV6 */
	{ 276, link_sll2 },	/* DLT_LINUX_SLL2 */
	{ -1, NULL }
};

/* Map an Ethernet type to a result. */
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

/* Ethernet II with up to VLAN_MAX 802.1Q/802.1ad tags. */
static int
link_ether(const uint8_t *p, size_t len, size_t *off)
{
	struct cur	 c;
	unsigned	 type, tags = 0;

	cur_init(&c, p, len);
	cur_skip(&c, 12);
	type = cur_u16(&c);
	while ((type == ETH_8021Q || type == ETH_8021AD || type == ETH_QINQ) &&
	    tags++ < VLAN_MAX) {
		cur_skip(&c, 2);
		type = cur_u16(&c);
	}
	if (c.err)
		return LINK_SHORT;
	return ethertype(type, c.pos, off);
}

/* Linux cooked capture v1: protocol at 14, 16 bytes. */
static int
link_sll(const uint8_t *p, size_t len, size_t *off)
{
	if (len < 16)
		return LINK_SHORT;
	return ethertype((unsigned)(p[14] << 8 | p[15]), 16, off);
}

/* Linux cooked capture v2: protocol at 0, 20 bytes. */
static int
link_sll2(const uint8_t *p, size_t len, size_t *off)
{
	if (len < 20)
		return LINK_SHORT;
	return ethertype((unsigned)(p[0] << 8 | p[1]), 20, off);
}

/* Raw IP: the version nibble tells. */
static int
link_raw(const uint8_t *p, size_t len, size_t *off)
{
	if (len < 1)
		return LINK_SHORT;
	*off = 0;
	return p[0] >> 4 == 4 ? LINK_IPV4 : p[0] >> 4 == 6 ? LINK_IPV6 :
	    LINK_OTHER;
}

static int
link_ipv4(const uint8_t *p, size_t len, size_t *off)
{
	(void)p;
	(void)len;
	*off = 0;
	return LINK_IPV4;
}

static int
link_ipv6(const uint8_t *p, size_t len, size_t *off)
{
	(void)p;
	(void)len;
	*off = 0;
	return LINK_IPV6;
}

/* An address family from BSD loopback headers (2, and 10/24/28/30). */
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

/* DLT_NULL: a 4-byte family in the writer's byte order. */
static int
link_null(const uint8_t *p, size_t len, size_t *off)
{
	uint32_t	 le, be;

	if (len < 4)
		return LINK_SHORT;
	le = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
	be = (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[0] << 24;
	return af_result(le < 256 ? le : be, off);
}

/* DLT_LOOP: a 4-byte family in network byte order. */
static int
link_loop(const uint8_t *p, size_t len, size_t *off)
{
	if (len < 4)
		return LINK_SHORT;
	return af_result((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3], off);
}

/* Is there a handler for this link type? */
int
link_supported(int dlt)
{
	const struct link_handler	*h;

	for (h = handlers; h->fn != NULL; h++)
		if (h->dlt == dlt)
			return 1;
	return 0;
}

/* Dispatch to the link type's handler. */
int
link_decode(int dlt, const uint8_t *p, size_t caplen, size_t *off)
{
	const struct link_handler	*h;

	for (h = handlers; h->fn != NULL; h++)
		if (h->dlt == dlt)
			return h->fn(p, caplen, off);
	return LINK_UNSUPPORTED;
}
