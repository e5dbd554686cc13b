/* writer.c -- pcap output for -w, and the ring behind --write-flagged. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/writer.h"
#include "util/xmalloc.h"

struct cap_writer {
	pcap_t		*dead;
	pcap_dumper_t	*dump;
	char		*path;
};

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
	return w;
}

/* Append one packet. */
void
cap_writer_write(struct cap_writer *w, uint64_t ts_ns, const uint8_t *bytes,
    uint32_t caplen, uint32_t wirelen)
{
	struct pcap_pkthdr	 h;

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
	errno = 0;
	if (pcap_dump_flush(w->dump) != 0 || ferror(pcap_dump_file(w->dump))) {
		*cause = writer_cause(w->path, errno != 0 ? strerror(errno) :
		    "write error");
		rc = -1;
	}
	pcap_dump_close(w->dump);
	pcap_close(w->dead);
	free(w->path);
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
