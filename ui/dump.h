/*
 * dump.h -- one line per DNS message, in the manner of tcpdump (--dump).
 *
 * dump_msg() prints a decoded message as
 *
 *   FRAME TIME SRC.PORT > DST.PORT PROTO ID q|r OPCODE FLAGS RCODE QNAME
 *   QTYPE AN/NS/AR [key=value ...]
 *
 * on one line, then with verbose set every record in presentation form on
 * its own indented line, section by section, as dig prints them.  For a
 * referral the keys name the delegated zone, its NS names and the glue that
 * came with them.  It reads only the decoded message and the packet's
 * metadata; the caller owns both.  The format is documented in gluetop.8 and
 * the corpus tests parse it: change both together.
 */
#ifndef GLUETOP_DUMP_H
#define GLUETOP_DUMP_H

#include <stdint.h>
#include <stdio.h>

struct dns_msg;

/* What dump needs to know of the packet around the message. */
struct dump_pkt {
	uint64_t	frame;
	uint64_t	ts_ns;
	int		family;		/* 4 or 6 */
	int		tcp;		/* 1 for TCP, 0 for UDP */
	const uint8_t	*src, *dst;
	uint16_t	sport, dport;
	size_t		len;		/* bytes captured of the message */
	size_t		wire_len;	/* its full length */
};

void	dump_msg(FILE *, const struct dump_pkt *, const struct dns_msg *,
	    int verbose);

/* One RR's RDATA in presentation form into buf, cut to fit (no marker). */
void	dump_rdata(const struct dns_msg *, const struct dns_rr *,
	    char *buf, size_t size);

#endif
