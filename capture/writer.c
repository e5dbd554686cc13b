/* writer.c -- pcap output for -w, and the ring behind --write-flagged. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capture/writer.h"
#include "util/xmalloc.h"

struct cap_writer {
	pcap_t		*dead;
	pcap_dumper_t	*dump;		/* NULL: none open (-G before a packet) */
	char		*path;		/* the file open now */
	/* -C/-G/-W (see writer.h) */
	char		*pattern;	/* -w as given */
	struct cap_rotate rot;
	uint64_t	 bytes;		/* written to the open file */
	uint64_t	 start_ns;	/* -G: packet time the file began */
	unsigned	 index;		/* -C: files so far in this period */
	unsigned	 periods;	/* -G: files begun */
	int		 dlt, snaplen;
	int		 done;		/* -W with -G: the last file is full */
	char		*error;		/* the first failure, for close */
};

#define PCAP_FILE_HDR	24	/* bytes of a pcap file header */
#define PCAP_PKT_HDR	16	/* bytes of a packet record header */

/* One kept packet. */
struct ring_pkt {
	uint64_t	 frame;
	uint64_t	 ts_ns;
	uint32_t	 caplen, wirelen;
	uint8_t		*bytes;
};

struct cap_ring {
	struct ring_pkt	*pkts;
	size_t		 cap, head, count;	/* circular, oldest at head */
	size_t		 bytes, max_bytes;
	uint64_t	 oldest_frame;
};

/* A cause string "path: message". */
static char *
writer_cause(const char *path, const char *msg)
{
	size_t	 len = strlen(path) + strlen(msg) + 3;
	char	*s = xmalloc(len);

	snprintf(s, len, "%s: %s", path, msg);
	return s;
}

/* Is the directory holding path writable by anyone (as /tmp is)? */
static int
dir_world_writable(const char *path)
{
	struct stat	 st;
	char		*dir = xstrdup(path), *slash = strrchr(dir, '/');
	int		 rc;

	if (slash == dir)
		slash[1] = '\0';		/* "/x": the root directory */
	else if (slash != NULL)
		*slash = '\0';
	rc = stat(slash != NULL ? dir : ".", &st) == 0 &&
	    (st.st_mode & S_IWOTH) != 0;
	free(dir);
	return rc;
}

/* Open path for writing, not yet truncated.  See writer.h. */
int
cap_output_open(const char *path, struct stat *st, char **cause)
{
	int	 fd, flags = O_WRONLY | O_CREAT | O_CLOEXEC;

	/* In /tmp and the like another user may plant a symlink. */
	if (dir_world_writable(path))
		flags |= O_NOFOLLOW;
	if ((fd = open(path, flags, 0644)) == -1) {
		*cause = writer_cause(path, errno == ELOOP &&
		    (flags & O_NOFOLLOW) ? "is a symbolic link in a directory "
		    "anyone can write to; refused" : strerror(errno));
		return -1;
	}
	if (fstat(fd, st) != 0) {
		*cause = writer_cause(path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Start a pcap file of link type dlt on fd (from cap_output_open). */
struct cap_writer *
cap_writer_fdopen(int fd, const char *path, int dlt, int snaplen,
    char **cause)
{
	struct cap_writer	*w = xcalloc(1, sizeof(*w));
	struct stat		 st;
	FILE			*fp;

	if (fstat(fd, &st) != 0 || (S_ISREG(st.st_mode) &&
	    ftruncate(fd, 0) != 0) || (fp = fdopen(fd, "wb")) == NULL) {
		*cause = writer_cause(path, strerror(errno));
		close(fd);
		free(w);
		return NULL;
	}
	w->dead = pcap_open_dead(dlt, snaplen > 0 ? snaplen : 262144);
	if (w->dead == NULL || (w->dump = pcap_dump_fopen(w->dead, fp)) ==
	    NULL) {
		*cause = writer_cause(path, w->dead == NULL ? "cannot set up "
		    "the pcap writer" : pcap_geterr(w->dead));
		if (w->dead != NULL)
			pcap_close(w->dead);
		fclose(fp);
		free(w);
		return NULL;
	}
	w->path = xstrdup(path);
	w->pattern = xstrdup(path);
	w->dlt = dlt;
	w->snaplen = snaplen > 0 ? snaplen : 262144;
	w->bytes = PCAP_FILE_HDR;
	return w;
}

/* Digits of n (for -W's zero padding, as tcpdump pads). */
static int
digits(unsigned n)
{
	int	 d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

/*
 * The name of the file to write now: the pattern through strftime (UTC)
 * with -G, then the file's number with -C (none on the first, as tcpdump
 * does; with -W always, zero-padded to the widest).
 */
char *
cap_rotate_name(const char *pattern, const struct cap_rotate *rot,
    uint64_t start_ns, unsigned index)
{
	char		 base[4096], *out;
	struct tm	 tm;
	time_t		 t = (time_t)(start_ns / 1000000000);
	size_t		 len;

	if (rot->period_ns > 0 && gmtime_r(&t, &tm) != NULL &&
	    (len = strftime(base, sizeof(base), pattern, &tm)) > 0)
		base[len] = '\0';
	else
		snprintf(base, sizeof(base), "%s", pattern);
	len = strlen(base) + 12;
	out = xmalloc(len);
	if (rot->size > 0 && rot->files > 0)
		snprintf(out, len, "%s%0*u", base, digits(rot->files - 1),
		    index);
	else if (rot->size > 0 && index > 0)
		snprintf(out, len, "%s%u", base, index);
	else
		snprintf(out, len, "%s", base);
	return out;
}

/* A writer with no file yet: -G opens its first at the first packet. */
struct cap_writer *
cap_writer_new(const char *pattern, int dlt, int snaplen,
    const struct cap_rotate *rot, char **cause)
{
	struct cap_writer	*w = xcalloc(1, sizeof(*w));

	if ((w->dead = pcap_open_dead(dlt, snaplen > 0 ? snaplen :
	    262144)) == NULL) {
		*cause = writer_cause(pattern, "cannot set up the pcap writer");
		free(w);
		return NULL;
	}
	w->path = xstrdup(pattern);
	w->pattern = xstrdup(pattern);
	w->dlt = dlt;
	w->snaplen = snaplen;
	w->rot = *rot;
	return w;
}

/* Set -C/-W on a writer whose first file is open. */
void
cap_writer_rotate(struct cap_writer *w, const char *pattern,
    const struct cap_rotate *rot)
{
	free(w->pattern);
	w->pattern = xstrdup(pattern);
	w->rot = *rot;
}

/* Close the open file, keeping the first failure for cap_writer_close. */
static void
writer_end_file(struct cap_writer *w)
{
	errno = 0;
	if (w->dump == NULL)
		return;
	if ((pcap_dump_flush(w->dump) != 0 ||
	    ferror(pcap_dump_file(w->dump))) && w->error == NULL)
		w->error = writer_cause(w->path, errno != 0 ? strerror(errno) :
		    "write error");
	pcap_dump_close(w->dump);
	w->dump = NULL;
}

/* Open the next file (created or truncated); 0, or -1 with w->error. */
static int
writer_next_file(struct cap_writer *w)
{
	int	 fd, flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
	FILE	*fp;

	struct stat	 st;

	free(w->path);
	w->path = cap_rotate_name(w->pattern, &w->rot, w->start_ns, w->index);
	if (w->rot.is_input != NULL && stat(w->path, &st) == 0 &&
	    w->rot.is_input(w->rot.arg, &st)) {
		if (w->error == NULL)
			w->error = writer_cause(w->path, "is also an input; "
			    "refusing to overwrite it (writing stopped)");
		return -1;
	}
	if (dir_world_writable(w->path))
		flags |= O_NOFOLLOW;
	if ((fd = open(w->path, flags, 0644)) == -1 ||
	    (fp = fdopen(fd, "wb")) == NULL) {
		if (w->error == NULL)
			w->error = writer_cause(w->path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if ((w->dump = pcap_dump_fopen(w->dead, fp)) == NULL) {
		if (w->error == NULL)
			w->error = writer_cause(w->path, pcap_geterr(w->dead));
		fclose(fp);
		return -1;
	}
	w->bytes = PCAP_FILE_HDR;
	return 0;
}

/*
 * Before a packet: a new file when -G's period has passed (packet time)
 * or -C's size would be passed; -W ends the ring (-C) or the run (-G).
 * Returns 0 to write, -1 to drop the packet.
 */
static int
writer_turn(struct cap_writer *w, uint64_t ts_ns, uint32_t caplen)
{
	int	 period = w->rot.period_ns > 0 && (w->start_ns == 0 ||
	    ts_ns - w->start_ns >= w->rot.period_ns || ts_ns < w->start_ns);
	int	 full = w->rot.size > 0 && w->bytes > PCAP_FILE_HDR &&
	    w->bytes + PCAP_PKT_HDR + caplen > w->rot.size;

	if (w->done || w->error != NULL)
		return -1;
	if (!period && !full)
		return w->dump != NULL ? 0 : -1;
	if (period) {
		if (w->rot.files > 0 && w->rot.size == 0 &&
		    w->periods >= w->rot.files) {
			writer_end_file(w);
			w->done = 1;
			return -1;
		}
		w->periods++;
		w->start_ns = ts_ns - ts_ns % w->rot.period_ns;
		w->index = 0;
	} else if (++w->index == w->rot.files && w->rot.files > 0)
		w->index = 0;			/* -C -W: a ring of files */
	writer_end_file(w);
	return writer_next_file(w);
}

/* Has -W with -G written its last file?  (tcpdump then exits.) */
int
cap_writer_done(const struct cap_writer *w)
{
	return w != NULL && w->done;
}

/* Append one packet. */
void
cap_writer_write(struct cap_writer *w, uint64_t ts_ns, const uint8_t *bytes,
    uint32_t caplen, uint32_t wirelen)
{
	struct pcap_pkthdr	 h;

	if ((w->rot.size > 0 || w->rot.period_ns > 0) &&
	    writer_turn(w, ts_ns, caplen) != 0)
		return;
	w->bytes += PCAP_PKT_HDR + caplen;
	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)(ts_ns / 1000000000);
	h.ts.tv_usec = (suseconds_t)(ts_ns % 1000000000 / 1000);
	h.caplen = caplen;
	h.len = wirelen;
	pcap_dump((u_char *)w->dump, &h, bytes);
}

/* Flush and close the file. */
int
cap_writer_close(struct cap_writer *w, char **cause)
{
	int	 rc = 0;

	if (w == NULL)
		return 0;
	writer_end_file(w);
	if (w->error != NULL) {
		*cause = w->error;
		rc = -1;
	}
	pcap_close(w->dead);
	free(w->path);
	free(w->pattern);
	free(w);
	return rc;
}

/* A ring keeping at most max_bytes of packet data. */
struct cap_ring *
cap_ring_create(size_t max_bytes)
{
	struct cap_ring	*r = xcalloc(1, sizeof(*r));

	r->max_bytes = max_bytes;
	r->cap = 1024;
	r->pkts = xcalloc(r->cap, sizeof(*r->pkts));
	return r;
}

/* Free the ring and its copies. */
void
cap_ring_destroy(struct cap_ring *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	for (i = 0; i < r->count; i++)
		free(r->pkts[(r->head + i) % r->cap].bytes);
	free(r->pkts);
	free(r);
}

/* Drop the oldest packet. */
static void
ring_pop(struct cap_ring *r)
{
	struct ring_pkt	*p = &r->pkts[r->head];

	r->bytes -= p->caplen;
	free(p->bytes);
	r->head = (r->head + 1) % r->cap;
	r->count--;
	if (r->count > 0)
		r->oldest_frame = r->pkts[r->head].frame;
}

/* Double the slot array, keeping order. */
static void
ring_grow(struct cap_ring *r)
{
	struct ring_pkt	*np = xcalloc(r->cap * 2, sizeof(*np));
	size_t		 i;

	for (i = 0; i < r->count; i++)
		np[i] = r->pkts[(r->head + i) % r->cap];
	free(r->pkts);
	r->pkts = np;
	r->head = 0;
	r->cap *= 2;
}

/* Keep a copy of a packet, dropping the oldest to stay in bounds. */
void
cap_ring_add(struct cap_ring *r, uint64_t frame, uint64_t ts_ns,
    const uint8_t *bytes, uint32_t caplen, uint32_t wirelen)
{
	struct ring_pkt	*p;

	while (r->count > 0 && r->bytes + caplen > r->max_bytes)
		ring_pop(r);
	if (r->count == r->cap)
		ring_grow(r);
	p = &r->pkts[(r->head + r->count) % r->cap];
	p->frame = frame;
	p->ts_ns = ts_ns;
	p->caplen = caplen;
	p->wirelen = wirelen;
	p->bytes = xmalloc(caplen);
	memcpy(p->bytes, bytes, caplen);
	if (r->count == 0)
		r->oldest_frame = frame;
	r->count++;
	r->bytes += caplen;
}

/* Write the kept packets whose frames are listed; returns how many. */
size_t
cap_ring_write(struct cap_ring *r, struct cap_writer *w,
    const uint64_t *frames, size_t n)
{
	struct ring_pkt	*p;
	size_t		 i, k = 0, done = 0;

	for (i = 0; i < r->count && k < n; i++) {
		p = &r->pkts[(r->head + i) % r->cap];
		while (k < n && frames[k] < p->frame)
			k++;
		if (k < n && frames[k] == p->frame) {
			cap_writer_write(w, p->ts_ns, p->bytes, p->caplen,
			    p->wirelen);
			done++;
		}
	}
	return done;
}

/* How many of the listed frames are older than the ring holds. */
uint64_t
cap_ring_lost(const struct cap_ring *r, const uint64_t *frames, size_t n)
{
	uint64_t	 lost = 0;
	size_t		 i;

	for (i = 0; i < n; i++)
		if (r->count == 0 || frames[i] < r->oldest_frame)
			lost++;
	return lost;
}
