/*
 * source.h -- packet sources: libpcap live and offline, one small interface.
 *
 * A source is opened from a file (pcap or pcapng; "-" is standard input) or a
 * live interface, with an optional BPF filter.  cap_dispatch() hands each
 * packet as (link type, timestamp, bytes, caplen, wirelen) to a cap_pkt_fn
 * and knows nothing of what the bytes mean (STYLE.md rule 5).  Packet bytes
 * belong to libpcap: they are valid only during the callback (rule 24).
 *
 * Failures return NULL or -1 and fill *cause with a one-line message that
 * names the file or interface and, where there is one, the fix; the caller
 * frees *cause.  libpcap's own error text is passed through.
 */
#ifndef GLUETOP_SOURCE_H
#define GLUETOP_SOURCE_H

#include <sys/stat.h>

#include <stdint.h>
#include <stdio.h>

struct cap_source;

/* One packet; ts_ns is nanoseconds since the epoch. */
typedef void	(*cap_pkt_fn)(void *arg, int dlt, uint64_t ts_ns,
		    const uint8_t *bytes, uint32_t caplen, uint32_t wirelen);

struct cap_live_opts {
	int	promisc;	/* 1 unless -p */
	int	snaplen;	/* 0: libpcap default (262144) */
	int	buffer_kib;	/* 0: libpcap default */
	int	immediate;	/* deliver packets as they arrive */
};

/* Kernel and interface counters from pcap_stats(3PCAP). */
struct cap_pcap_stats {
	uint64_t	recv;
	uint64_t	drop;		/* ps_drop: no room in the buffer */
	uint64_t	ifdrop;		/* ps_ifdrop: dropped by the interface */
	int		valid;		/* 0 when the platform gives none */
};

/*
 * The default filter: DNS on port 53, IP fragments (whose later pieces carry
 * no ports) and ICMP unreachables; on Ethernet also inside one or two VLAN
 * tags.  A NULL filter passed to the open functions means this one.
 */
#define CAP_DEFAULT_FILTER	"port 53 or ip[6:2] & 0x3fff != 0 or " \
	"(ip6 and ip6[6] == 44) or icmp[0] == 3 or (icmp6 and ip6[40] == 1)"
#define CAP_DEFAULT_FILTER_VLAN	"(" CAP_DEFAULT_FILTER ") or (vlan and ((" \
	CAP_DEFAULT_FILTER ") or (vlan and (" CAP_DEFAULT_FILTER "))))"

struct cap_source *cap_open_offline(const char *path, const char *filter,
		    char **cause);
/*
 * A capture read from fp (a file image in memory, say), named name in
 * messages.  The source owns fp from then on: cap_close() closes it, and a
 * failed open has closed it already.
 */
struct cap_source *cap_open_fp(FILE *fp, const char *name,
		    const char *filter, char **cause);
struct cap_source *cap_open_live(const char *dev,
		    const struct cap_live_opts *, const char *filter,
		    char **cause);
void		 cap_close(struct cap_source *);

/*
 * Read at most max packets (STYLE.md rule 40).  Returns the number read,
 * 0 when none was ready (live) or at end of file (then cap_eof() is true),
 * -1 on error (cap_error() says why).
 */
int		 cap_dispatch(struct cap_source *, int max, cap_pkt_fn,
		    void *arg);
int		 cap_eof(const struct cap_source *);
const char	*cap_error(const struct cap_source *);
void		 cap_breakloop(struct cap_source *);

int		 cap_fd(const struct cap_source *);	/* -1: none */
int		 cap_datalink(const struct cap_source *);
int		 cap_snaplen(const struct cap_source *);
const char	*cap_name(const struct cap_source *);
int		 cap_is_live(const struct cap_source *);
/* 1 when a file source reads the file st describes (same device, inode). */
int		 cap_same_file(const struct cap_source *, const struct stat *);
void		 cap_stats(struct cap_source *, struct cap_pcap_stats *);

/* Print the capture devices, as tcpdump -D does. */
int		 cap_list_devices(FILE *, char **cause);

#endif
