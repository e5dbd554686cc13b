/*
 * source.c -- libpcap packet sources: files (pcap, pcapng, standard input)
 * and live interfaces behind one small interface (source.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <pcap.h>

#include "capture/source.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define LIVE_SNAPLEN	262144	/* libpcap's default, as tcpdump's */
#define LIVE_TIMEOUT_MS	100	/* buffer timeout when not immediate */

struct cap_source {
	pcap_t		*p;
	char		*name;
	int		 live;
	int		 eof;
	int		 dlt;
	uint64_t	 tsmul;		/* 1 for nanosecond stamps, 1000 for us */
	cap_pkt_fn	 fn;
	void		*arg;
	char		 err[PCAP_ERRBUF_SIZE + 512];
};

struct flag_name {
	bpf_u_int32	 flag;
	const char	*name;
};

/* pcap_findalldevs(3PCAP) flags, named as tcpdump -D names them. */
static const struct flag_name if_flags[] = {
	{ PCAP_IF_UP, "Up" },
	{ PCAP_IF_RUNNING, "Running" },
	{ PCAP_IF_LOOPBACK, "Loopback" },
	{ PCAP_IF_WIRELESS, "Wireless" },
	{ 0, NULL }
};

static char	*cause_fmt(const char *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static struct cap_source *source_new(const char *, int);
static void	source_ready(struct cap_source *);
static int	set_filter(struct cap_source *, const char *, char **);
static char	*offline_cause(const char *, const char *, int);
static struct cap_source *offline_ready(struct cap_source *, const char *,
		    char **);
static const char *live_hint(int);
static int	live_setup(struct cap_source *, const struct cap_live_opts *,
		    char **);
static void	on_packet(u_char *, const struct pcap_pkthdr *,
		    const u_char *);
static void	dispatch_error(struct cap_source *);
static void	print_device(FILE *, int, const pcap_if_t *);

/* A one-line cause "name: message", allocated to fit any name length. */
static char *
cause_fmt(const char *name, const char *fmt, ...)
{
	va_list	 ap, ap2;
	char	*buf;
	size_t	 pre, len;
	int	 n;

	pre = name != NULL ? strlen(name) + 2 : 0;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	len = pre + (n > 0 ? (size_t)n : 0) + 1;
	buf = xmalloc(len);
	if (name != NULL)
		snprintf(buf, len, "%s: ", name);
	vsnprintf(buf + pre, len - pre, fmt, ap2);
	va_end(ap2);
	return buf;
}

/* A source with no pcap handle yet. */
static struct cap_source *
source_new(const char *name, int live)
{
	struct cap_source	*s = xcalloc(1, sizeof(*s));

	s->name = xstrdup(name);
	s->live = live;
	return s;
}

/* Note the link type and time stamp unit of an open handle. */
static void
source_ready(struct cap_source *s)
{
	s->dlt = pcap_datalink(s->p);
	s->tsmul = pcap_get_tstamp_precision(s->p) ==
	    PCAP_TSTAMP_PRECISION_NANO ? 1 : 1000;
}

/* Compile and set a BPF filter: NULL means the default, "" none. */
static int
set_filter(struct cap_source *s, const char *filter, char **cause)
{
	struct bpf_program	 prog;
	int			 rc;

	if (filter == NULL)
		filter = s->dlt == DLT_EN10MB ? CAP_DEFAULT_FILTER_VLAN :
		    CAP_DEFAULT_FILTER;
	if (*filter == '\0')
		return 0;
	if (pcap_compile(s->p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		*cause = cause_fmt(NULL, "bad filter '%s': %s", filter,
		    pcap_geterr(s->p));
		return -1;
	}
	rc = pcap_setfilter(s->p, &prog);
	pcap_freecode(&prog);
	if (rc != 0) {
		*cause = cause_fmt(s->name, "cannot set filter '%s': %s",
		    filter, pcap_geterr(s->p));
		return -1;
	}
	return 0;
}

/* The one-line cause for a file libpcap would not open. */
static char *
offline_cause(const char *name, const char *err, int errnum)
{
	const char	*msg = err;
	size_t		 nlen = strlen(name);

	if (strstr(err, "only got 0") != NULL)
		msg = "empty file (no pcap or pcapng header)";
	else if (strstr(err, "unknown file format") != NULL)
		msg = "unknown file format (not a pcap or pcapng capture)";
	else if (strstr(err, "truncated") != NULL)
		msg = "truncated file (the pcap header is cut short)";
	else if (errnum != 0 && (strstr(err, strerror(errnum)) != NULL ||
	    strncmp(err, name, strlen(err)) == 0))
		msg = strerror(errnum);		/* also when a long name cut it */
	else if (strncmp(err, name, nlen) == 0 && strncmp(err + nlen, ": ",
	    2) == 0)
		msg = err + nlen + 2;		/* libpcap named it already */
	return cause_fmt(name, "%s", msg);
}

/* Finish opening a file source: link type, then the filter. */
static struct cap_source *
offline_ready(struct cap_source *s, const char *filter, char **cause)
{
	source_ready(s);
	if (set_filter(s, filter, cause) != 0) {
		cap_close(s);
		return NULL;
	}
	return s;
}

/* Open a capture file; "-" is standard input.  See source.h. */
struct cap_source *
cap_open_offline(const char *path, const char *filter, char **cause)
{
	struct cap_source	*s;
	char			 err[PCAP_ERRBUF_SIZE] = "";
	struct stat		 st;

	s = source_new(strcmp(path, "-") == 0 ? "(stdin)" : path, 0);
	errno = 0;
	s->p = pcap_open_offline_with_tstamp_precision(path,
	    PCAP_TSTAMP_PRECISION_NANO, err);
	if (s->p == NULL) {
		if (strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
		    S_ISREG(st.st_mode) && st.st_size == 0)
			strcpy(err, "only got 0");	/* empty, say so */
		*cause = offline_cause(s->name, err, errno);
		cap_close(s);
		return NULL;
	}
	return offline_ready(s, filter, cause);
}

/* Read a capture from an open stream, which the source then owns. */
struct cap_source *
cap_open_fp(FILE *fp, const char *name, const char *filter, char **cause)
{
	struct cap_source	*s;
	char			 err[PCAP_ERRBUF_SIZE] = "";

	s = source_new(name, 0);
	s->p = pcap_fopen_offline_with_tstamp_precision(fp,
	    PCAP_TSTAMP_PRECISION_NANO, err);
	if (s->p == NULL) {
		fclose(fp);
		*cause = offline_cause(s->name, err, 0);
		cap_close(s);
		return NULL;
	}
	return offline_ready(s, filter, cause);
}

/* The message, with the fix, for a failed pcap_activate(). */
static const char *
live_hint(int rc)
{
	switch (rc) {
	case PCAP_ERROR_PERM_DENIED:
		return "permission denied (run as root, or give the binary "
		    "CAP_NET_RAW,CAP_NET_ADMIN with setcap)";
	case PCAP_ERROR_NO_SUCH_DEVICE:
		return "no such interface (gluetop -D lists them)";
	case PCAP_ERROR_IFACE_NOT_UP:
		return "interface is down (bring it up: ip link set IFACE up)";
	case PCAP_ERROR_PROMISC_PERM_DENIED:
		return "no permission for promiscuous mode (try -p)";
	case PCAP_ERROR_RFMON_NOTSUP:
		return "monitor mode is not supported";
	default:
		return NULL;
	}
}

/* Set the options and activate; warnings are printed, errors returned. */
static int
live_setup(struct cap_source *s, const struct cap_live_opts *o,
    char **cause)
{
	int	 rc;

	pcap_set_snaplen(s->p, o->snaplen > 0 ? o->snaplen : LIVE_SNAPLEN);
	pcap_set_promisc(s->p, o->promisc);
	pcap_set_timeout(s->p, LIVE_TIMEOUT_MS);
	if (o->buffer_kib > 0)
		pcap_set_buffer_size(s->p, o->buffer_kib * 1024);
	if (o->immediate)
		pcap_set_immediate_mode(s->p, 1);
	(void)pcap_set_tstamp_precision(s->p, PCAP_TSTAMP_PRECISION_NANO);
	rc = pcap_activate(s->p);
	if (rc < 0) {
		*cause = live_hint(rc) != NULL ? cause_fmt(s->name, "%s",
		    live_hint(rc)) : cause_fmt(s->name, "%s",
		    pcap_geterr(s->p));
		return -1;
	}
	if (rc == PCAP_WARNING_PROMISC_NOTSUP)
		warnx("%s: promiscuous mode is not supported: %s", s->name,
		    pcap_geterr(s->p));
	else if (rc == PCAP_WARNING)
		warnx("%s: %s", s->name, pcap_geterr(s->p));
	return 0;
}

/* Open a live interface, nonblocking for poll(2).  See source.h. */
struct cap_source *
cap_open_live(const char *dev, const struct cap_live_opts *o,
    const char *filter, char **cause)
{
	struct cap_source	*s = source_new(dev, 1);
	char			 err[PCAP_ERRBUF_SIZE] = "";

	if ((s->p = pcap_create(dev, err)) == NULL) {
		*cause = cause_fmt(dev, "%s", err);
		cap_close(s);
		return NULL;
	}
	if (live_setup(s, o, cause) != 0) {
		cap_close(s);
		return NULL;
	}
	source_ready(s);
	if (set_filter(s, filter, cause) != 0) {
		cap_close(s);
		return NULL;
	}
	if (pcap_setnonblock(s->p, 1, err) != 0) {
		*cause = cause_fmt(dev, "%s", err);
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

	/* With nanosecond precision tv_usec holds nanoseconds. */
	s->fn(s->arg, s->dlt, (uint64_t)h->ts.tv_sec * 1000000000u +
	    (uint64_t)h->ts.tv_usec * s->tsmul, bytes, h->caplen, h->len);
}

/* Turn libpcap's error into a one-line message naming the file and fix. */
static void
dispatch_error(struct cap_source *s)
{
	const char	*e = pcap_geterr(s->p);

	if (strstr(e, "different from the type of the first") != NULL)
		snprintf(s->err, sizeof(s->err), "%s: pcapng with more than "
		    "one link type is not supported; split it per interface, "
		    "e.g. tshark -r %s -Y frame.interface_id==0 -w part0.pcap "
		    "(libpcap: %s)", s->name, s->name, e);
	else if (strstr(e, "truncated") != NULL)
		snprintf(s->err, sizeof(s->err), "%s: truncated file, cut "
		    "short in the middle of a packet; the packets before the "
		    "cut were read (libpcap: %s)", s->name, e);
	else
		snprintf(s->err, sizeof(s->err), "%s: %s", s->name, e);
}

/* Read up to max packets (STYLE.md rule 40).  See source.h. */
int
cap_dispatch(struct cap_source *s, int max, cap_pkt_fn fn, void *arg)
{
	int	 n;

	if (s->eof)
		return 0;
	s->fn = fn;
	s->arg = arg;
	n = pcap_dispatch(s->p, max > 0 ? max : 1, on_packet, (u_char *)s);
	if (n == PCAP_ERROR) {
		dispatch_error(s);
		s->eof = 1;
		return -1;
	}
	if (n == PCAP_ERROR_BREAK)
		return 0;
	if (n == 0 && !s->live)
		s->eof = 1;
	return n;
}

/* Has a file been read to its end (or its error)? */
int
cap_eof(const struct cap_source *s)
{
	return s->eof;
}

/* Why the last cap_dispatch() returned -1. */
const char *
cap_error(const struct cap_source *s)
{
	return s->err;
}

/* Make a running cap_dispatch() return early; safe from a signal handler. */
void
cap_breakloop(struct cap_source *s)
{
	pcap_breakloop(s->p);
}

/* The descriptor to poll(2) on; -1 for files, which are always ready. */
int
cap_fd(const struct cap_source *s)
{
	return s->live ? pcap_get_selectable_fd(s->p) : -1;
}

/* The link type (DLT_*) of the source's packets. */
int
cap_datalink(const struct cap_source *s)
{
	return s->dlt;
}

/* The snap length: the most bytes captured per packet. */
int
cap_snaplen(const struct cap_source *s)
{
	return pcap_snapshot(s->p);
}

/* The file or interface name ("(stdin)" for "-"). */
const char *
cap_name(const struct cap_source *s)
{
	return s->name;
}

/* Is the source reading the file st describes (device and inode)? */
int
cap_same_file(const struct cap_source *s, const struct stat *st)
{
	struct stat	 in;
	FILE		*fp;

	if (s->live || (fp = pcap_file(s->p)) == NULL ||
	    fstat(fileno(fp), &in) != 0)
		return 0;
	return in.st_dev == st->st_dev && in.st_ino == st->st_ino;
}

/* Is this a live interface? */
int
cap_is_live(const struct cap_source *s)
{
	return s->live;
}

/* pcap_stats(3PCAP) counters; none (valid = 0) for files. */
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

/* One line of the device list: "1.eth0 (desc) [Up, Running, Connected]". */
static void
print_device(FILE *fp, int i, const pcap_if_t *d)
{
	const struct flag_name	*f;
	const char		*sep = "";
	bpf_u_int32		 cs = d->flags & PCAP_IF_CONNECTION_STATUS;
	int			 wl = (d->flags & PCAP_IF_WIRELESS) != 0;

	fprintf(fp, "%d.%s", i, d->name);
	if (d->description != NULL)
		fprintf(fp, " (%s)", d->description);
	if (d->flags == 0) {
		fputc('\n', fp);
		return;
	}
	fputs(" [", fp);
	for (f = if_flags; f->name != NULL; f++) {
		if (d->flags & f->flag) {
			fprintf(fp, "%s%s", sep, f->name);
			sep = ", ";
		}
	}
	if (*sep == '\0')
		fputs("none", fp);
	if (cs == PCAP_IF_CONNECTION_STATUS_UNKNOWN)
		fputs(wl ? ", Association status unknown" :
		    ", Connection status unknown", fp);
	else if (cs == PCAP_IF_CONNECTION_STATUS_CONNECTED)
		fputs(wl ? ", Associated" : ", Connected", fp);
	else if (cs == PCAP_IF_CONNECTION_STATUS_DISCONNECTED)
		fputs(wl ? ", Not associated" : ", Disconnected", fp);
	fputs("]\n", fp);
}

/* Print the capture devices, numbered, as tcpdump -D does. */
int
cap_list_devices(FILE *fp, char **cause)
{
	pcap_if_t	*all, *d;
	char		 err[PCAP_ERRBUF_SIZE] = "";
	int		 i = 1;

	if (pcap_findalldevs(&all, err) != 0) {
		*cause = cause_fmt(NULL, "cannot list interfaces: %s", err);
		return -1;
	}
	if (all == NULL) {
		*cause = cause_fmt(NULL, "no interfaces to capture on (run as "
		    "root, or give the binary CAP_NET_RAW,CAP_NET_ADMIN)");
		return -1;
	}
	for (d = all; d != NULL; d = d->next)
		print_device(fp, i++, d);
	pcap_freealldevs(all);
	return 0;
}
