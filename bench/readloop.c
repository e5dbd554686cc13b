/*
 * readloop.c -- the bare libpcap read loop, the baseline gluetop's speed is
 * measured against: open a file, read every packet, count them.
 */
#include <pcap.h>
#include <stdio.h>

/* Count one packet. */
static void
count(u_char *arg, const struct pcap_pkthdr *h, const u_char *bytes)
{
	unsigned long	*n = (unsigned long *)arg;

	(void)h;
	(void)bytes;
	(*n)++;
}

int
main(int argc, char **argv)
{
	char		 err[PCAP_ERRBUF_SIZE];
	pcap_t		*p;
	unsigned long	 n = 0;

	if (argc != 2 || (p = pcap_open_offline(argv[1], err)) == NULL) {
		fprintf(stderr, "usage: readloop file.pcap (%s)\n",
		    argc == 2 ? err : "no file");
		return 2;
	}
	if (pcap_loop(p, -1, count, (u_char *)&n) == -1)
		fprintf(stderr, "readloop: %s\n", pcap_geterr(p));
	printf("%lu\n", n);
	pcap_close(p);
	return 0;
}
