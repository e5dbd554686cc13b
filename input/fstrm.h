/*
 * fstrm.h -- a Frame Streams reader on a Unix socket, for live dnstap.
 *
 * fs_server_open() listens on a Unix stream socket (a stale socket left at
 * the path is replaced; anything else there is refused).  Resolvers connect
 * as Frame Streams writers, at most FS_CONNS_MAX at once, with the
 * bidirectional handshake: the writer's READY is answered with ACCEPT for
 * "protobuf:dnstap.Dnstap", START opens the data, STOP is answered with
 * FINISH and the connection ends (a writer that starts with START, the
 * unidirectional form, is read too).  Every descriptor is non-blocking;
 * fs_server_fds() gives them for the caller's poll() and fs_server_run()
 * takes new connections and reads what is ready, handing each data frame to
 * a dt_feed.  A connection that breaks the protocol, offers another content
 * type or sends a frame over DT_FRAME_MAX is closed and counted.  The socket
 * file is not removed at the end (the sandbox does not allow it).
 */
#ifndef GLUETOP_FSTRM_H
#define GLUETOP_FSTRM_H

#include <poll.h>
#include <stdint.h>

struct dt_feed;
struct fs_server;

#define FS_CONNS_MAX	16

struct fs_stats {
	uint64_t	accepted;	/* connections taken */
	uint64_t	refused;	/* over FS_CONNS_MAX */
	uint64_t	broken;		/* closed for a protocol error */
	uint64_t	finished;	/* ended with STOP and FINISH */
};

struct fs_server *fs_server_open(const char *path, char **cause);
void		 fs_server_close(struct fs_server *);
/* The listening socket and the connections, at most max; the count. */
int		 fs_server_fds(const struct fs_server *, struct pollfd *,
		    int max);
/* Take connections and read what is ready; the data frames fed. */
int		 fs_server_run(struct fs_server *, struct dt_feed *);
int		 fs_server_conns(const struct fs_server *);
const struct fs_stats *fs_server_stats(const struct fs_server *);

#endif
