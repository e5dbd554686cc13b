/*
 * link.h -- the link layer, dispatched by a const table of DLT handlers
 * (STYLE.md rule 6): Ethernet II and 802.3 LLC/SNAP with 802.1Q, 802.1ad
 * and QinQ tags, Linux SLL and SLL2, raw IP (DLT_RAW, LINKTYPE_RAW,
 * DLT_IPV4, DLT_IPV6), BSD NULL and LOOP, PPP and Cisco HDLC.
 *
 * link_decode() finds the network-layer protocol of one frame and the
 * offset where its header starts.  It only reads the frame, through a
 * bounds-checked cursor, and keeps no state.
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

/* Is there a handler for this DLT? */
int	link_supported(int dlt);

#endif
