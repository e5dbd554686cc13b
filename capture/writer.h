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
/* Flush and close; -1 with *cause when the file could not be written. */
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
