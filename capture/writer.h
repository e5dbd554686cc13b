/*
 * writer.h -- write packets to a pcap file (-w), all or only the flagged.
 *
 * cap_output_open() opens the file (after privileges are dropped, so that
 * it belongs to the unprivileged user) and cap_writer_fdopen() starts a
 * tcpdump-compatible pcap file (microsecond timestamps) for one link type
 * on it.  cap_writer_write() appends a packet.
 * For --write-flagged, packets are first kept in a bounded ring of copies
 * (cap_ring_*), by frame number, and written at the end when the frames
 * that are evidence of a finding are known; frames that fell out of the
 * ring are counted in cap_ring_lost().  The writer and the ring own their
 * memory; the bytes passed in are copied.
 */
#ifndef GLUETOP_WRITER_H
#define GLUETOP_WRITER_H

#include <sys/stat.h>

#include <stddef.h>
#include <stdint.h>

struct cap_writer;
struct cap_ring;

/*
 * Open path for writing without truncating it yet, O_NOFOLLOW when its
 * directory is world-writable; fills *st so that the caller can refuse a
 * file that is also an input.  Returns the descriptor, or -1 and *cause.
 */
int		 cap_output_open(const char *path, struct stat *st,
		    char **cause);
/* Truncate a regular file and start the pcap on fd; fd is the writer's. */
struct cap_writer *cap_writer_fdopen(int fd, const char *path, int dlt,
		    int snaplen, char **cause);
void		 cap_writer_write(struct cap_writer *, uint64_t ts_ns,
		    const uint8_t *, uint32_t caplen, uint32_t wirelen);
/*
 * tcpdump's -C, -G and -W: a new file when the open one would pass size
 * bytes, or every period_ns of packet time (the -w name through
 * strftime(3), in UTC); -W keeps at most files files with -C (a ring,
 * names numbered from 0 and zero-padded) or ends after files periods with
 * -G.  With -G the first file is opened at the first packet: the writer
 * from cap_writer_fdopen() then only holds the settings (its descriptor
 * and the file opened with it are left as they are).
 */
struct cap_rotate {
	uint64_t	 size;		/* -C in bytes, 0: none */
	uint64_t	 period_ns;	/* -G, 0: none */
	unsigned	 files;		/* -W, 0: none */
	/* Is this existing file one of the inputs?  (Never overwritten.) */
	int		(*is_input)(void *, const struct stat *);
	void		*arg;
};
/* -G: a writer with no file yet (its first is opened at the first packet). */
struct cap_writer *cap_writer_new(const char *pattern, int dlt, int snaplen,
		    const struct cap_rotate *, char **cause);
/* -C/-W on a writer from cap_writer_fdopen(), whose first file is open. */
void		 cap_writer_rotate(struct cap_writer *, const char *pattern,
		    const struct cap_rotate *);
/* The file name for a period's start and a file number (allocated). */
char		*cap_rotate_name(const char *pattern, const struct cap_rotate *,
		    uint64_t start_ns, unsigned index);
int		 cap_writer_done(const struct cap_writer *);
/* Flush and close; -1 with *cause when a file could not be written. */
int		 cap_writer_close(struct cap_writer *, char **cause);

struct cap_ring	*cap_ring_create(size_t max_bytes);
void		 cap_ring_destroy(struct cap_ring *);
void		 cap_ring_add(struct cap_ring *, uint64_t frame, uint64_t ts_ns,
		    const uint8_t *, uint32_t caplen, uint32_t wirelen);
/* Write the kept frames whose numbers are in frames[] (sorted). */
size_t		 cap_ring_write(struct cap_ring *, struct cap_writer *,
		    const uint64_t *frames, size_t n);
uint64_t	 cap_ring_lost(const struct cap_ring *, const uint64_t *frames,
		    size_t n);

#endif
