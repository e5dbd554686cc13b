/*
 * pcap-floor.c -- the least work any libpcap-based DNS reader must do: open
 * a capture, fetch every packet and, with -d, walk Ethernet, IPv4 or IPv6
 * and UDP or TCP to the DNS header and touch two of its fields.  Its CPU
 * time is the floor gluetop's speed is measured against (bench/bench.sh).
 *
 * Usage: pcap-floor [-d] [-c count] file
 * Prints "N packets B bytes X Y" (X and Y are sums of DNS header fields,
 * printed so the compiler cannot drop the work).  Not part of gluetop.
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct floor_count {
	unsigned long	 packets;
	unsigned long	 bytes;
	unsigned long	 ids;
	unsigned long	 qdcounts;
};

static size_t	floor_dns_offset(const u_char *, size_t);
static void	floor_packet(struct floor_count *,
		    const struct pcap_pkthdr *, const u_char *, int);

/*
 * Return the offset of the DNS header in an Ethernet frame, or 0 when the
 * frame is too short or not IPv4/IPv6 over UDP or TCP.
 */
static size_t
floor_dns_offset(const u_char *p, size_t len)
{
	size_t		off = 14;
	unsigned	type, proto;

	if (len < off + 40)
		return 0;
	type = p[12] << 8 | p[13];
	if (type == 0x0800) {
		proto = p[off + 9];
		off += (size_t)(p[off] & 0x0f) * 4;
	} else if (type == 0x86dd) {
		proto = p[off + 6];
		off += 40;
	} else
		return 0;
	if (proto == 17)
		off += 8;
	else if (proto == 6 && len > off + 12)
		/* Past the TCP header and the length prefix (RFC 7766 8). */
		off += (size_t)(p[off + 12] >> 4) * 4 + 2;
	else
		return 0;
	return off + 12 <= len ? off : 0;
}

/* Count one packet and, with dns set, two fields of its DNS header. */
static void
floor_packet(struct floor_count *c, const struct pcap_pkthdr *h,
    const u_char *p, int dns)
{
	size_t	off;

	c->packets++;
	c->bytes += h->caplen;
	if (!dns || (off = floor_dns_offset(p, h->caplen)) == 0)
		return;
	c->ids += p[off] << 8 | p[off + 1];
	c->qdcounts += p[off + 4] << 8 | p[off + 5];
}

/* Read the file named on the command line and print the counts. */
int
main(int argc, char **argv)
{
	char			 err[PCAP_ERRBUF_SIZE];
	struct floor_count	 c;
	struct pcap_pkthdr	*h;
	const u_char		*p;
	pcap_t			*pc;
	long			 max = -1;
	int			 ch, dns = 0;

	while ((ch = getopt(argc, argv, "c:d")) != -1) {
		if (ch == 'c')
			max = strtol(optarg, NULL, 10);
		else if (ch == 'd')
			dns = 1;
		else
			goto usage;
	}
	if (optind != argc - 1)
		goto usage;
	if ((pc = pcap_open_offline(argv[optind], err)) == NULL) {
		fprintf(stderr, "pcap-floor: %s\n", err);
		return 2;
	}
	memset(&c, 0, sizeof c);
	while ((max < 0 || (long)c.packets < max) &&
	    pcap_next_ex(pc, &h, &p) == 1)
		floor_packet(&c, h, p, dns);
	printf("%lu packets %lu bytes %lu %lu\n", c.packets, c.bytes, c.ids,
	    c.qdcounts);
	pcap_close(pc);
	return 0;
usage:
	fprintf(stderr, "usage: pcap-floor [-d] [-c count] file\n");
	return 2;
}
