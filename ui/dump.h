/*
 * dump.h -- one line per DNS message, in the manner of tcpdump (--dump).
 *
 * dump_msg() prints a decoded message as
 *
 *   FRAME TIME SRC.PORT > DST.PORT PROTO ID q|r OPCODE FLAGS RCODE QNAME
 *   QTYPE AN/NS/AR [key=value ...]
 *
 * (TIME in UTC with a Z, or as dump_set_tstamp() chose)
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

/*
 * The time stamp of every line, by the number of -t given: 0 (the default)
 * and 4 the UTC date and time with microseconds and a Z, 1 none (the field
 * is left out), 2 seconds since the epoch, 3 seconds since the previous
 * line, 5 seconds since the first line.
 */
void	dump_set_tstamp(int);

/*
 * One line for an ICMP (type, code) unreachable from isrc to idst that
 * quotes a UDP DNS packet qsrc.sport > qdst.dport; data/len are what it
 * quotes of the DNS message (its ID, name and type are printed when there).
 */
void	dump_icmp(FILE *, uint64_t frame, uint64_t ts_ns, int family,
	    const uint8_t *isrc, const uint8_t *idst, unsigned type,
	    unsigned code, const uint8_t *qsrc, const uint8_t *qdst,
	    uint16_t sport, uint16_t dport, const uint8_t *data, size_t len);

/* One RR's RDATA in presentation form into buf, cut to fit (no marker). */
void	dump_rdata(const struct dns_msg *, const struct dns_rr *,
	    char *buf, size_t size);

#endif
