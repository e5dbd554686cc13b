/*
 * metrics.c -- the Prometheus text exposition of the engine's state, to a
 * file or over HTTP (libmicrohttpd, driven from main's event loop).
 */
#include "config.h"

#include <sys/select.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef HAVE_MICROHTTPD
#include <microhttpd.h>
#endif

#include "engine/engine.h"
#include "ui/metrics.h"
#include "util/xmalloc.h"

#define HTTP_CONNECTIONS	16	/* scrapers at once */
#define HTTP_TIMEOUT_S		10	/* an idle connection is closed */

static void	metric_head(FILE *, const char *, const char *, const char *);
static void	counter(FILE *, const char *, const char *, uint64_t);
static void	labelled(FILE *, const char *, const char *, const char *,
		    uint64_t);
static void	put_label_value(FILE *, const char *);

/* "# HELP" and "# TYPE" of one metric family. */
static void
metric_head(FILE *fp, const char *name, const char *type, const char *help)
{
	fprintf(fp, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A family of one unlabelled sample. */
static void
counter(FILE *fp, const char *name, const char *help, uint64_t v)
{
	size_t	 len = strlen(name);

	metric_head(fp, name, len > 6 && strcmp(name + len - 6, "_total") == 0 ?
	    "counter" : "gauge", help);
	fprintf(fp, "%s %" PRIu64 "\n", name, v);
}

/* One sample with one label (fixed words only). */
static void
labelled(FILE *fp, const char *name, const char *label, const char *value,
    uint64_t v)
{
	fprintf(fp, "%s{%s=\"%s\"} %" PRIu64 "\n", name, label, value, v);
}

/* A label value from outside (the host name): \, " and newline escaped. */
static void
put_label_value(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', fp);
		if (*s == '\n')
			fputs("\\n", fp);
		else
			fputc(*s, fp);
	}
}

/* Responses by rcode class: the six that matter, the rest as "other". */
static void
put_rcodes(FILE *fp, const struct engine_counters *c)
{
	static const char *const names[] = { "noerror", "formerr", "servfail",
	    "nxdomain", "notimp", "refused" };
	uint64_t	 other = 0;
	unsigned	 i;

	metric_head(fp, "gluetop_responses_total", "counter",
	    "DNS responses seen, by rcode (the header's 4 bits).");
	for (i = 0; i < 16; i++)
		if (i < sizeof(names) / sizeof(names[0]))
			labelled(fp, "gluetop_responses_total", "rcode",
			    names[i], c->rcodes[i]);
		else
			other += c->rcodes[i];
	labelled(fp, "gluetop_responses_total", "rcode", "other", other);
}

/* What capture lost or left out: drops, then skipped packets by reason. */
static void
put_capture(FILE *fp, const struct metrics_capture *mc)
{
	unsigned	 i;

	metric_head(fp, "gluetop_capture_dropped_total", "counter",
	    "Packets the capture lost (pcap_stats): by the kernel, by the "
	    "interface.");
	labelled(fp, "gluetop_capture_dropped_total", "reason", "kernel",
	    mc->pcap_drop);
	labelled(fp, "gluetop_capture_dropped_total", "reason", "interface",
	    mc->if_drop);
	metric_head(fp, "gluetop_packets_skipped_total", "counter",
	    "Packets read but not handed on as DNS, by reason.");
	for (i = 0; i < mc->nreasons; i++)
		labelled(fp, "gluetop_packets_skipped_total", "reason",
		    mc->reason[i], mc->skipped[i]);
}

/* Table evictions by table. */
static void
put_evictions(FILE *fp, const struct engine_counters *c)
{
	const struct {
		const char	*table;
		uint64_t	 n;
	} t[] = {
		{ "pending", c->evict_pending }, { "lookups", c->evict_lookups },
		{ "zones", c->evict_zones }, { "names", c->evict_names },
		{ "servers", c->evict_servers },
		{ "findings", c->evict_findings },
		{ "repeats", c->evict_repeats },
	};
	size_t	 i;

	metric_head(fp, "gluetop_table_evictions_total", "counter",
	    "Entries a full table gave up for new ones, by table.");
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		labelled(fp, "gluetop_table_evictions_total", "table",
		    t[i].table, t[i].n);
	counter(fp, "gluetop_lookups_evicted_running_total",
	    "Lookups evicted while still running (state lost in use).",
	    c->evict_active);
}

/* Findings active by kind and severity, and the root causes by kind. */
static void
put_findings(FILE *fp, struct engine *e)
{
	const struct eng_finding	**f;
	uint64_t			 by[ENG_K__MAX][ENG_SEV__MAX];
	uint64_t			 roots[ENG_K__MAX];
	size_t				 n, i;
	unsigned			 k, s;

	memset(by, 0, sizeof(by));
	memset(roots, 0, sizeof(roots));
	n = engine_findings(e, &f);
	for (i = 0; i < n; i++) {
		/* Not seen for w_clear: the fault looks over. */
		if (f[i]->kind >= ENG_K__MAX || f[i]->sev >= ENG_SEV__MAX ||
		    f[i]->cleared)
			continue;
		by[f[i]->kind][f[i]->sev]++;
		if (engine_finding_is_root(f[i]))
			roots[f[i]->kind]++;
	}
	metric_head(fp, "gluetop_findings_active", "gauge",
	    "Findings held now and seen within w_clear, by kind and "
	    "severity.");
	for (k = 0; k < ENG_K__MAX; k++)
		for (s = 0; s < ENG_SEV__MAX; s++)
			if (by[k][s] > 0)
				fprintf(fp, "gluetop_findings_active{kind=\"%s\","
				    "severity=\"%s\"} %" PRIu64 "\n",
				    engine_kind_name((enum eng_kind)k),
				    engine_sev_name((enum eng_sev)s), by[k][s]);
	metric_head(fp, "gluetop_root_causes_active", "gauge",
	    "Findings held now that name something to change, by kind.");
	for (k = 0; k < ENG_K__MAX; k++)
		if (roots[k] > 0)
			labelled(fp, "gluetop_root_causes_active", "kind",
			    engine_kind_name((enum eng_kind)k), roots[k]);
}

/* The whole exposition. */
void
metrics_write(FILE *fp, const struct metrics_src *src)
{
	const struct engine_counters	*c = engine_counters(src->eng);
	struct metrics_capture		 mc;

	memset(&mc, 0, sizeof(mc));
	if (src->capture != NULL)
		src->capture(src->arg, &mc);
	metric_head(fp, "gluetop_info", "gauge",
	    "gluetop's version and the sensor's name.");
	fprintf(fp, "gluetop_info{version=\"%s\",host=\"", PACKAGE_VERSION);
	put_label_value(fp, src->host != NULL ? src->host : "");
	fputs("\"} 1\n", fp);
	counter(fp, "gluetop_packets_total", "Packets read from every "
	    "source.", c->health.packets);
	counter(fp, "gluetop_messages_total", "DNS messages handed to the "
	    "engine.", c->messages);
	counter(fp, "gluetop_messages_malformed_total", "DNS messages that "
	    "failed to decode.", c->dns_malformed);
	metric_head(fp, "gluetop_queries_total", "counter",
	    "DNS queries seen, by role: a resolver's own (RD=0), a client's "
	    "(RD=1), to an authoritative server watched.");
	labelled(fp, "gluetop_queries_total", "role", "upstream",
	    c->upstream_queries);
	labelled(fp, "gluetop_queries_total", "role", "client",
	    c->downstream_queries);
	labelled(fp, "gluetop_queries_total", "role", "authoritative",
	    c->auth_queries);
	put_rcodes(fp, c);
	counter(fp, "gluetop_timeouts_total", "Queries that got no response "
	    "in time.", c->timeouts);
	counter(fp, "gluetop_unreachable_total", "Queries answered by an ICMP "
	    "unreachable.", c->unreachable);
	counter(fp, "gluetop_responses_late_total", "Responses that came "
	    "after their query was called a timeout.", c->late);
	counter(fp, "gluetop_responses_unsolicited_total", "Responses to no "
	    "query seen.", c->unsolicited);
	counter(fp, "gluetop_retransmits_total", "Queries sent again "
	    "unchanged before a response.", c->retransmits);
	put_capture(fp, &mc);
	put_evictions(fp, c);
	counter(fp, "gluetop_lookups_total", "Lookups rebuilt (clients' and "
	    "the resolvers' own for NS addresses).", c->lookups);
	counter(fp, "gluetop_lookups_failed_total", "Lookups that ended "
	    "without an answer.", c->lookups_failed);
	counter(fp, "gluetop_client_lookups_total", "Lookups clients asked "
	    "for.", c->client_lookups);
	counter(fp, "gluetop_client_lookups_failed_total", "Lookups clients "
	    "asked for that failed.", c->client_lookups_failed);
	counter(fp, "gluetop_lookups_running", "Lookups running now.",
	    c->lookups_active);
	counter(fp, "gluetop_referrals_total", "Referrals followed.",
	    c->referrals);
	put_findings(fp, src->eng);
}

/* Write path.tmp in full, then rename it over path. */
int
metrics_file_write(const char *path, const struct metrics_src *src)
{
	char	*tmp;
	size_t	 len = strlen(path) + 5;
	FILE	*fp;
	int	 rc, saved;

	tmp = xmalloc(len);
	snprintf(tmp, len, "%s.tmp", path);
	if ((fp = fopen(tmp, "w")) == NULL) {
		free(tmp);
		return -1;
	}
	metrics_write(fp, src);
	rc = ferror(fp) ? -1 : 0;
	saved = errno;
	if (fclose(fp) != 0 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	if (rc == 0 && rename(tmp, path) != 0) {
		rc = -1;
		saved = errno;
	}
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	errno = saved;
	return rc;
}

#ifdef HAVE_MICROHTTPD
struct metrics_http {
	struct MHD_Daemon	*d;
	struct metrics_src	 src;
};

/* GET /metrics: the exposition; anything else 404, other methods 405. */
static enum MHD_Result
http_answer(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_len, void **state)
{
	struct metrics_http	*h = cls;
	struct MHD_Response	*r;
	char			*buf = NULL;
	size_t			 len = 0;
	unsigned		 code = MHD_HTTP_OK;
	enum MHD_Result		 rc;
	FILE			*fp;

	(void)version;
	(void)upload;
	(void)upload_len;
	(void)state;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		code = MHD_HTTP_METHOD_NOT_ALLOWED;
		buf = xstrdup("only GET\n");
		len = strlen(buf);
	} else if (strcmp(url, "/metrics") != 0) {
		code = MHD_HTTP_NOT_FOUND;
		buf = xstrdup("gluetop serves /metrics\n");
		len = strlen(buf);
	} else if ((fp = open_memstream(&buf, &len)) != NULL) {
		metrics_write(fp, &h->src);
		fclose(fp);
	} else
		return MHD_NO;
	r = MHD_create_response_from_buffer(len, buf, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(buf);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", code == MHD_HTTP_OK ?
	    "text/plain; version=0.0.4; charset=utf-8" : "text/plain");
	rc = MHD_queue_response(conn, code, r);
	MHD_destroy_response(r);
	return rc;
}

struct metrics_http *
metrics_http_start(const char *addr, unsigned port,
    const struct metrics_src *src, char **cause)
{
	struct metrics_http	*h = xcalloc(1, sizeof(*h));
	struct sockaddr_in6	 sin6;
	struct sockaddr_in	 sin;
	struct sockaddr		*sa = NULL;
	char			 buf[256];
	unsigned		 flags = MHD_USE_DUAL_STACK;

	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	if (addr != NULL && addr[0] != '\0') {
		if (inet_pton(AF_INET, addr, &sin.sin_addr) == 1) {
			sin.sin_family = AF_INET;
			sin.sin_port = htons((uint16_t)port);
			sa = (struct sockaddr *)&sin;
			flags = 0;
		} else if (inet_pton(AF_INET6, addr, &sin6.sin6_addr) == 1) {
			sin6.sin6_family = AF_INET6;
			sin6.sin6_port = htons((uint16_t)port);
			sa = (struct sockaddr *)&sin6;
			flags = MHD_USE_IPv6;
		} else {
			snprintf(buf, sizeof(buf), "--metrics %s:%u: not an "
			    "IPv4 or IPv6 address", addr, port);
			*cause = xstrdup(buf);
			free(h);
			return NULL;
		}
	}
	h->src = *src;
	errno = 0;
	h->d = sa != NULL ? MHD_start_daemon(flags, (uint16_t)port, NULL, NULL,
	    http_answer, h, MHD_OPTION_SOCK_ADDR, sa,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_CONNECTIONS,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_TIMEOUT_S,
	    MHD_OPTION_END) : MHD_start_daemon(flags, (uint16_t)port, NULL,
	    NULL, http_answer, h, MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned)HTTP_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned)HTTP_TIMEOUT_S, MHD_OPTION_END);
	if (h->d == NULL) {
		snprintf(buf, sizeof(buf), "--metrics %s%s%u: cannot listen%s%s",
		    sa != NULL ? addr : "", sa != NULL ? ":" : "", port,
		    errno != 0 ? ": " : "", errno != 0 ? strerror(errno) : "");
		*cause = xstrdup(buf);
		free(h);
		return NULL;
	}
	return h;
}

int
metrics_http_fds(struct metrics_http *h, struct pollfd *pfd, int max)
{
	fd_set		 rs, ws, es;
	MHD_socket	 top = 0;
	int		 fd, k = 0;

	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_ZERO(&es);
	if (h == NULL || MHD_get_fdset(h->d, &rs, &ws, &es, &top) != MHD_YES)
		return 0;
	for (fd = 0; fd <= top && k < max; fd++) {
		if (!FD_ISSET(fd, &rs) && !FD_ISSET(fd, &ws))
			continue;
		pfd[k].fd = fd;
		pfd[k].events = (short)((FD_ISSET(fd, &rs) ? POLLIN : 0) |
		    (FD_ISSET(fd, &ws) ? POLLOUT : 0));
		pfd[k++].revents = 0;
	}
	return k;
}

void
metrics_http_run(struct metrics_http *h)
{
	if (h != NULL)
		MHD_run(h->d);
}

void
metrics_http_stop(struct metrics_http *h)
{
	if (h == NULL)
		return;
	MHD_stop_daemon(h->d);
	free(h);
}
#else
struct metrics_http *
metrics_http_start(const char *addr, unsigned port,
    const struct metrics_src *src, char **cause)
{
	(void)addr;
	(void)port;
	(void)src;
	*cause = xstrdup("--metrics: this gluetop was built without "
	    "libmicrohttpd (apt-get install libmicrohttpd-dev, then "
	    "configure again); --metrics-file works without it");
	return NULL;
}

int
metrics_http_fds(struct metrics_http *h, struct pollfd *pfd, int max)
{
	(void)h;
	(void)pfd;
	(void)max;
	return 0;
}

void
metrics_http_run(struct metrics_http *h)
{
	(void)h;
}

void
metrics_http_stop(struct metrics_http *h)
{
	(void)h;
}
#endif
