/*
 * fstrm.c -- a non-blocking Frame Streams reader on a Unix socket
 * (fstrm.h).  Control frames are encoded and decoded by libfstrm.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fstrm.h>

#include "input/dnstap.h"
#include "input/fstrm.h"
#include "util/xmalloc.h"

#define FS_BUF		(DT_FRAME_MAX + 8)
#define FS_READS	16	/* reads per connection per turn */

enum fs_state { FS_WAIT = 0, FS_DATA };

struct fs_conn {
	int		 fd;
	enum fs_state	 state;
	uint8_t		*buf;
	size_t		 used;
};

struct fs_server {
	int		 fd;
	struct fs_conn	 c[FS_CONNS_MAX];
	int		 n;
	struct fs_stats	 st;
};

static char	*fs_cause(const char *, const char *);
static void	fs_accept(struct fs_server *);
static void	fs_drop(struct fs_server *, int);
static int	fs_reply(int, fstrm_control_type);
static int	fs_control(struct fs_conn *, const uint8_t *, size_t);
static int	fs_parse(struct fs_conn *, struct dt_feed *, int *);
static int	fs_read(struct fs_conn *, struct dt_feed *, int *);
static uint32_t	be32(const uint8_t *);

/* "--dnstap-socket PATH: why". */
static char *
fs_cause(const char *path, const char *why)
{
	char	 buf[1024];

	snprintf(buf, sizeof(buf), "--dnstap-socket %s: %s", path, why);
	return xstrdup(buf);
}

/* A big-endian 32-bit length (RFC-less: Frame Streams' own framing). */
static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Listen on path. */
struct fs_server *
fs_server_open(const char *path, char **cause)
{
	struct sockaddr_un	 sun;
	struct fs_server	*s;
	struct stat		 st;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		*cause = fs_cause(path, "path too long for a Unix socket");
		return NULL;
	}
	memcpy(sun.sun_path, path, strlen(path));
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			*cause = fs_cause(path, "exists and is not a socket");
			return NULL;
		}
		unlink(path);	/* a stale socket from an earlier run */
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0 ||
	    listen(fd, FS_CONNS_MAX) != 0) {
		*cause = fs_cause(path, strerror(errno));
		if (fd != -1)
			close(fd);
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->fd = fd;
	return s;
}

/* Close the connections and the socket. */
void
fs_server_close(struct fs_server *s)
{
	if (s == NULL)
		return;
	while (s->n > 0)
		fs_drop(s, s->n - 1);
	close(s->fd);
	free(s);
}

/* Every descriptor to poll for reading. */
int
fs_server_fds(const struct fs_server *s, struct pollfd *pfd, int max)
{
	int	 i, k = 0;

	if (s == NULL || max < 1)
		return 0;
	pfd[k].fd = s->fd;
	pfd[k].events = POLLIN;
	pfd[k++].revents = 0;
	for (i = 0; i < s->n && k < max; i++) {
		pfd[k].fd = s->c[i].fd;
		pfd[k].events = POLLIN;
		pfd[k++].revents = 0;
	}
	return k;
}

/* Take the waiting connections; over the cap they are closed at once. */
static void
fs_accept(struct fs_server *s)
{
	int	 fd;

	while ((fd = accept(s->fd, NULL, NULL)) != -1) {
		if (s->n == FS_CONNS_MAX ||
		    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) {
			s->st.refused++;
			close(fd);
			continue;
		}
		memset(&s->c[s->n], 0, sizeof(s->c[s->n]));
		s->c[s->n].fd = fd;
		s->c[s->n].buf = xmalloc(FS_BUF);
		s->n++;
		s->st.accepted++;
	}
}

/* Close connection i; the last one takes its place. */
static void
fs_drop(struct fs_server *s, int i)
{
	close(s->c[i].fd);
	free(s->c[i].buf);
	s->c[i] = s->c[--s->n];
}

/*
 * Send ACCEPT or FINISH, naming the content type; -1 on failure.  No
 * SIGPIPE: unbound closes after its STOP without waiting for FINISH.
 */
static int
fs_reply(int fd, fstrm_control_type t)
{
	struct fstrm_control	*c = fstrm_control_init();
	uint8_t			 buf[FSTRM_CONTROL_FRAME_LENGTH_MAX];
	size_t			 len = sizeof(buf);
	int			 rc = -1;

	fstrm_control_set_type(c, t);
	if (t == FSTRM_CONTROL_ACCEPT)
		fstrm_control_add_field_content_type(c,
		    (const uint8_t *)DT_CONTENT_TYPE, strlen(DT_CONTENT_TYPE));
	if (fstrm_control_encode(c, buf, &len,
	    FSTRM_CONTROL_FLAG_WITH_HEADER) == fstrm_res_success &&
	    send(fd, buf, len, MSG_NOSIGNAL) == (ssize_t)len)
		rc = 0;
	fstrm_control_destroy(&c);
	return rc;
}

/*
 * One control frame (without its escape and length): 1 to go on, 0 when
 * the writer has finished, -1 on a protocol error.
 */
static int
fs_control(struct fs_conn *cn, const uint8_t *p, size_t len)
{
	struct fstrm_control	*c = fstrm_control_init();
	fstrm_control_type	 t;
	size_t			 ntypes = 0;
	int			 rc = -1;

	if (fstrm_control_decode(c, p, len, 0) != fstrm_res_success ||
	    fstrm_control_get_type(c, &t) != fstrm_res_success)
		goto out;
	fstrm_control_get_num_field_content_type(c, &ntypes);
	if ((t == FSTRM_CONTROL_READY || t == FSTRM_CONTROL_START) &&
	    ntypes > 0 && fstrm_control_match_field_content_type(c,
	    (const uint8_t *)DT_CONTENT_TYPE, strlen(DT_CONTENT_TYPE)) !=
	    fstrm_res_success)
		goto out;	/* not dnstap */
	if (t == FSTRM_CONTROL_READY && cn->state == FS_WAIT)
		rc = fs_reply(cn->fd, FSTRM_CONTROL_ACCEPT) == 0 ? 1 : -1;
	else if (t == FSTRM_CONTROL_START && cn->state == FS_WAIT) {
		cn->state = FS_DATA;
		rc = 1;
	} else if (t == FSTRM_CONTROL_STOP && cn->state == FS_DATA) {
		(void)fs_reply(cn->fd, FSTRM_CONTROL_FINISH);
		rc = 0;
	}
out:
	fstrm_control_destroy(&c);
	return rc;
}

/*
 * The complete frames in a connection's buffer: 1 to go on, 0 when it
 * finished, -1 on a protocol error.  *fed counts the data frames.
 */
static int
fs_parse(struct fs_conn *cn, struct dt_feed *feed, int *fed)
{
	size_t		 off = 0, len;
	int		 rc = 1;

	while (rc == 1 && cn->used - off >= 4) {
		len = be32(cn->buf + off);
		if (len == 0) {
			/* An escape, then a control frame. */
			if (cn->used - off < 8)
				break;
			len = be32(cn->buf + off + 4);
			if (len > FSTRM_CONTROL_FRAME_LENGTH_MAX)
				return -1;
			if (cn->used - off - 8 < len)
				break;
			rc = fs_control(cn, cn->buf + off + 8, len);
			off += 8 + len;
			continue;
		}
		if (cn->state != FS_DATA || len > DT_FRAME_MAX)
			return -1;
		if (cn->used - off - 4 < len)
			break;
		(void)dt_feed_frame(feed, cn->buf + off + 4, len);
		(*fed)++;
		off += 4 + len;
	}
	memmove(cn->buf, cn->buf + off, cn->used - off);
	cn->used -= off;
	return rc;
}

/* Read what a connection has ready: as fs_parse(). */
static int
fs_read(struct fs_conn *cn, struct dt_feed *feed, int *fed)
{
	ssize_t	 n;
	int	 i, rc;

	for (i = 0; i < FS_READS; i++) {
		n = read(cn->fd, cn->buf + cn->used, FS_BUF - cn->used);
		if (n == 0)
			return 0;
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR ? 1 : 0;
		cn->used += (size_t)n;
		if ((rc = fs_parse(cn, feed, fed)) != 1)
			return rc;
	}
	return 1;
}

/* Take connections, read them. */
int
fs_server_run(struct fs_server *s, struct dt_feed *feed)
{
	int	 i, rc, fed = 0;

	if (s == NULL)
		return 0;
	fs_accept(s);
	for (i = s->n - 1; i >= 0; i--) {
		if ((rc = fs_read(&s->c[i], feed, &fed)) == 1)
			continue;
		if (rc < 0)
			s->st.broken++;
		else
			s->st.finished++;
		fs_drop(s, i);
	}
	return fed;
}

int
fs_server_conns(const struct fs_server *s)
{
	return s != NULL ? s->n : 0;
}

const struct fs_stats *
fs_server_stats(const struct fs_server *s)
{
	return &s->st;
}
