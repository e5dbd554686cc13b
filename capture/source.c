/*
 * source.c -- libpcap packet sources: files (pcap, pcapng, stdin) and live
 * interfaces behind one small interface (source.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capture/source.h"
#include "util/xmalloc.h"

struct cap_source {
	pcap_t		*p;
	char		*name;
	int		 live;
	int		 eof;
	char		 err[PCAP_ERRBUF_SIZE + 256];
	cap_pkt_fn	 fn;
	void		*arg;
	int		 dlt;
};

static char	*cause_fmt(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
static int	set_filter(struct cap_source *, const char *, char **);
static const char *open_hint(const char *, const char *);
static const char *live_hint(int);
static void	on_packet(u_char *, const struct pcap_pkthdr *,
		    const u_char *);

/* A one-line cause, allocated. */
static char *
cause_fmt(const char *fmt, ...)
{
	va_list	 ap;
	char	 buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return xstrdup(buf);
}

/* Compile and set the BPF filter (NULL or "": none). */
static int
set_filter(struct cap_source *s, const char *filter, char **cause)
{
	struct bpf_program	 prog;

	if (filter == NULL)
		filter = s->dlt == DLT_EN10MB ? CAP_DEFAULT_FILTER_VLAN :
		    CAP_DEFAULT_FILTER;
	if (*filter == '\0')
		return 0;
	if (pcap_compile(s->p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		*cause = cause_fmt("bad filter '%s': %s", filter,
		    pcap_geterr(s->p));
		return -1;
	}
	if (pcap_setfilter(s->p, &prog) != 0) {
		*cause = cause_fmt("%s: cannot set filter '%s': %s", s->name,
		    filter, pcap_geterr(s->p));
		pcap_freecode(&prog);
		return -1;
	}
	pcap_freecode(&prog);
	return 0;
}

/* A clearer word for libpcap's open errors on files. */
static const char *
open_hint(const char *path, const char *err)
{
	struct stat	 st;

	if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && st.st_size == 0)
		return "empty file (no pcap header)";
	if (strstr(err, "unknown file format") != NULL)
		return "unknown file format (not a pcap or pcapng capture)";
	if (strstr(err, "truncated dump file") != NULL)
		return "truncated file (the pcap header is cut short)";
	return NULL;
}

/* Open a capture file; "-" is standard input. */
struct cap_source *
cap_open_offline(const char *path, const char *filter, char **cause)
{
	struct cap_source	*s = xcalloc(1, sizeof(*s));
	char			 err[PCAP_ERRBUF_SIZE] = "";
	const char		*hint;

	s->p = pcap_open_offline_with_tstamp_precision(path,
	    PCAP_TSTAMP_PRECISION_NANO, err);
	s->name = xstrdup(strcmp(path, "-") == 0 ? "(stdin)" : path);
	if (s->p == NULL) {
		hint = open_hint(path, err);
		if (hint == NULL && errno == ENOENT && strstr(err, path) != NULL)
			*cause = cause_fmt("%s: No such file or directory",
			    path);
		else if (hint == NULL && strstr(err, path) != NULL)
			*cause = xstrdup(err);
		else
			*cause = cause_fmt("%s: %s", s->name, hint ? hint : err);
		free(s->name);
		free(s);
		return NULL;
	}
	s->dlt = pcap_datalink(s->p);
	if (set_filter(s, filter, cause) != 0) {
		cap_close(s);
		return NULL;
	}
	return s;
}

/* The fix to suggest for a failed activation. */
static const char *
live_hint(int rc)
{
	switch (rc) {
	case PCAP_ERROR_PERM_DENIED:
		return "permission denied (run as root, or give the binary "
		    "CAP_NET_RAW and CAP_NET_ADMIN with setcap)";
	case PCAP_ERROR_NO_SUCH_DEVICE:
		return "no such interface (gluetop -D lists them)";
	case PCAP_ERROR_IFACE_NOT_UP:
		return "interface is down (ip link set IFACE up)";
	case PCAP_ERROR_PROMISC_PERM_DENIED:
		return "no permission for promiscuous mode (try -p)";
	default:
		return NULL;
	}
}

/* Open a live interface. */
struct cap_source *
cap_open_live(const char *dev, const struct cap_live_opts *o,
    const char *filter, char **cause)
{
	struct cap_source	*s = xcalloc(1, sizeof(*s));
	char			 err[PCAP_ERRBUF_SIZE] = "";
	const char		*hint;
	int			 rc;

	s->name = xstrdup(dev);
	s->live = 1;
	if ((s->p = pcap_create(dev, err)) == NULL) {
		*cause = cause_fmt("%s: %s", dev, err);
		free(s->name);
		free(s);
		return NULL;
	}
	pcap_set_snaplen(s->p, o->snaplen > 0 ? o->snaplen : 262144);
	pcap_set_promisc(s->p, o->promisc);
	pcap_set_timeout(s->p, 100);
	if (o->buffer_kib > 0)
		pcap_set_buffer_size(s->p, o->buffer_kib * 1024);
	if (o->immediate)
		pcap_set_immediate_mode(s->p, 1);
	pcap_set_tstamp_precision(s->p, PCAP_TSTAMP_PRECISION_NANO);
	if ((rc = pcap_activate(s->p)) < 0) {
		hint = live_hint(rc);
		*cause = hint != NULL ? cause_fmt("%s: %s", dev, hint) :
		    cause_fmt("%s: %s", dev, pcap_geterr(s->p));
		cap_close(s);
		return NULL;
	}
	s->dlt = pcap_datalink(s->p);
	if (set_filter(s, filter, cause) != 0 ||
	    pcap_setnonblock(s->p, 1, err) != 0) {
		if (*cause == NULL)
			*cause = cause_fmt("%s: %s", dev, err);
		cap_close(s);
		return NULL;
	}
	return s;
}

/* Close a source. */
void
cap_close(struct cap_source *s)
{
	if (s == NULL)
		return;
	if (s->p != NULL)
		pcap_close(s->p);
	free(s->name);
	free(s);
}

/* libpcap's callback: hand the packet on with nanosecond time. */
static void
on_packet(u_char *u, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct cap_source	*s = (struct cap_source *)u;
	uint64_t		 ts;

	/* With nanosecond precision tv_usec holds nanoseconds. */
	ts = (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec *
	    (pcap_get_tstamp_precision(s->p) == PCAP_TSTAMP_PRECISION_NANO ?
	    1u : 1000u);
	s->fn(s->arg, s->dlt, ts, bytes, h->caplen, h->len);
}

/* Read up to max packets (STYLE.md rule 40). */
int
cap_dispatch(struct cap_source *s, int max, cap_pkt_fn fn, void *arg)
{
	int	 n;

	if (s->eof)
		return 0;
	s->fn = fn;
	s->arg = arg;
	n = pcap_dispatch(s->p, max, on_packet, (u_char *)s);
	if (n == PCAP_ERROR) {
		const char *e = pcap_geterr(s->p);

		if (strstr(e, "different from the type of the first") ||
		    strstr(e, "link-layer type"))
			snprintf(s->err, sizeof(s->err), "%s: pcapng with more"
			    " than one link type is not supported; split it "
			    "per interface first (editcap, or tshark -r FILE "
			    "-Y frame.interface_id==0 -w part.pcap) [%s]",
			    s->name, e);
		else if (strstr(e, "truncated") != NULL)
			snprintf(s->err, sizeof(s->err), "%s: truncated "
			    "capture file; the packets before the cut were "
			    "analysed (%s)", s->name, e);
		else
			snprintf(s->err, sizeof(s->err), "%s: %s", s->name, e);
		s->eof = 1;
		return -1;
	}
	if (n == PCAP_ERROR_BREAK)
		return 0;
	if (n == 0 && !s->live)
		s->eof = 1;
	return n;
}

int
cap_eof(const struct cap_source *s)
{
	return s->eof;
}

const char *
cap_error(const struct cap_source *s)
{
	return s->err;
}

void
cap_breakloop(struct cap_source *s)
{
	pcap_breakloop(s->p);
}

int
cap_fd(const struct cap_source *s)
{
	return s->live ? pcap_get_selectable_fd(s->p) : -1;
}

int
cap_datalink(const struct cap_source *s)
{
	return s->dlt;
}

int
cap_snaplen(const struct cap_source *s)
{
	return pcap_snapshot(s->p);
}

const char *
cap_name(const struct cap_source *s)
{
	return s->name;
}

int
cap_is_live(const struct cap_source *s)
{
	return s->live;
}

/* pcap_stats(3PCAP) counters; nothing for files. */
void
cap_stats(struct cap_source *s, struct cap_pcap_stats *out)
{
	struct pcap_stat	 st;

	memset(out, 0, sizeof(*out));
	if (!s->live || pcap_stats(s->p, &st) != 0)
		return;
	out->recv = st.ps_recv;
	out->drop = st.ps_drop;
	out->ifdrop = st.ps_ifdrop;
	out->valid = 1;
}

/* Print the capture devices, numbered, as tcpdump -D does. */
int
cap_list_devices(FILE *fp, char **cause)
{
	pcap_if_t	*all, *d;
	char		 err[PCAP_ERRBUF_SIZE];
	int		 i = 1;

	if (pcap_findalldevs(&all, err) != 0) {
		*cause = cause_fmt("cannot list interfaces: %s", err);
		return -1;
	}
	for (d = all; d != NULL; d = d->next, i++)
		fprintf(fp, "%d.%s%s%s%s\n", i, d->name,
		    d->description ? " (" : "",
		    d->description ? d->description : "",
		    d->description ? ")" : "");
	pcap_freealldevs(all);
	return 0;
}
