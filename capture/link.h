/*
 * link.h -- the link layer, dispatched by a const table of DLT handlers
 * (STYLE.md rule 6): Ethernet with 802.1Q/802.1ad/QinQ tags, Linux SLL and
 * SLL2, raw IP (DLT_RAW, LINKTYPE_IPV4/IPV6), NULL and LOOP.
 *
 * link_decode() finds the network-layer protocol and where it starts.
 */
#ifndef GLUETOP_LINK_H
#define GLUETOP_LINK_H

#include <stddef.h>
#include <stdint.h>

enum link_result {
	LINK_IPV4 = 4,
	LINK_IPV6 = 6,
	LINK_OTHER = 0,		/* not IP: ARP, LLDP, ... */
	LINK_SHORT = -1,	/* link header cut short */
	LINK_UNSUPPORTED = -2,	/* no handler for this DLT */
};

/* Decode the link header of a frame; *off is where the IP header starts. */
int	link_decode(int dlt, const uint8_t *, size_t caplen, size_t *off);
int	link_supported(int dlt);

#endif
