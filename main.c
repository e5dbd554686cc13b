/*
 * main.c -- gluetop: wire capture, decoder, engine and outputs together.
 *
 * Parses the command line (tcpdump conventions), opens every source before
 * any output starts so that startup errors are one line on stderr (STYLE.md
 * rule 4), then runs one loop that reads bounded batches of packets, feeds
 * the engine and lets the chosen output show its state.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capture/net.h"
#include "capture/source.h"
#include "capture/writer.h"
#include "decode/dname.h"
#include "decode/dns.h"
#include "engine/engine.h"
#include "ui/alert.h"
#include "input/dnstap.h"
#include "input/fstrm.h"
#include "ui/dash.h"
#include "ui/dump.h"
#include "ui/metrics.h"
#include "ui/output.h"
#include "util/addr.h"
#include "util/log.h"
#include "util/priv.h"
#include "util/xmalloc.h"

#include "config.h"

#define MAX_SOURCES	64
#define LIVE_BUFFER_KIB	32768	/* a burst of 100k packets/s for a while */
#define BATCH		64
#define READ_MS		30	/* reading per turn with the dashboard up */
#define IDLE_MS		250	/* waiting for packets or keys when idle */
#define HEALTH_MS	250	/* capture health to the screen this often */
#define PACE_MAX_MS	250	/* --speed: the longest wait for a packet */
#define RING_BYTES	(256u << 20)	/* --write-flagged keeps this much */
#define MAX_SPEED	1e6		/* --speed: a day of capture in 0.1 s */
#define METRICS_MS	15000	/* --metrics-file is rewritten this often */
#define METRICS_POLL_MS	100	/* --metrics: answered this often when busy */
#define METRICS_FDS	(16 + 2)	/* its listening socket and connections */
#define DNSTAP_FDS	(FS_CONNS_MAX + 1)	/* --dnstap-socket's */

enum mode { MODE_AUTO = 0, MODE_DUMP, MODE_JSON, MODE_REPORT, MODE_DASH };

struct opts {
	const char	*files[MAX_SOURCES];
	int		 nfiles;
	const char	*ifaces[MAX_SOURCES];
	int		 nifaces;
	char		*filter;
	enum mode	 mode;
	int		 verbose;
	int		 chains;
	int		 fail_on;	/* enum eng_sev, or -1 */
	long		 count;		/* -c, 0: no limit */
	double		 speed;		/* replay speed, 0: as fast as possible */
	int		 report_on_exit;
	int		 no_sandbox;	/* --no-sandbox */
	const char	*user;		/* -Z */
	const char	*write_path;	/* -w */
	struct cap_rotate rotate;	/* -C, -G, -W */
	int		 write_flagged;
	int		 tstamp;	/* --dump: -t given this many times */
	uint64_t	 since_ns;	/* --since, 0: none */
	uint64_t	 until_ns;	/* --until, 0: none */
	const char	*zone;		/* --zone as given */
	const char	*metrics_addr;	/* --metrics: address ("" any) */
	unsigned	 metrics_port;	/* --metrics: port, 0 for none */
	const char	*metrics_file;	/* --metrics-file */
	const char	*host_name;	/* --host-name, or the hostname */
	const char	*json_file;	/* --json-file */
	int		 stream;	/* --stream */
	long		 stats_s;	/* --stats-interval, -1: the default */
	int		 syslog;	/* --syslog */
	const char	*dnstap_socket;	/* --dnstap-socket */
	struct cap_live_opts live;
	struct cap_net_opts net;
	struct engine_conf conf;
};

struct gluetop {
	struct opts		 o;
	struct cap_source	*src[MAX_SOURCES];
	int			 nsrc;
	struct cap_net		*net;
	struct engine		*eng;
	struct dns_msg		*msg;
	struct output		*out;
	long			 seen;		/* frames, for -c */
	int			 cur;		/* offline source being read */
	int			 flushed;	/* held TCP data handed on */
	int			 input_error;	/* exit 2: input or write */
	int			 dropped;	/* privileges were given up */
	int			 past_until;	/* live: --until has passed */
	int			 written;	/* -W with -G: the last file is full */
	struct cap_writer	*writer;
	struct cap_ring		*ring;
	struct dt_feed		*dtf;		/* dnstap input, or NULL */
	struct dt_file		*dtfile[MAX_SOURCES];
	int			 ndt;
	struct fs_server	*fss;		/* --dnstap-socket */
	uint64_t		 dt_fed_ms;	/* a frame came last (socket) */
	char			 sources[1024];
	struct dash		*dash;		/* the dashboard, when shown */
	struct dash_info	 dinfo;
	uint64_t		 pace_ts, pace_wall;	/* --speed */
	uint64_t		 health_ms;	/* last health fed to the screen */
	struct metrics_src	 msrc;
	struct metrics_http	*mhttp;		/* --metrics */
	uint64_t		 metrics_ms;	/* --metrics-file written last */
	uint64_t		 mpoll_ms;	/* --metrics answered last */
	char			 host[256];
	struct output		*jout;		/* --json-file */
	FILE			*jfp;
	struct alert		*alert;		/* --syslog */
	uint64_t		 stats_ms;	/* the last --stats-interval line */
};

static volatile sig_atomic_t	stop_requested;
static volatile sig_atomic_t	report_requested;
static volatile sig_atomic_t	reopen_requested;
static int			hup_reopens;	/* --json-file: SIGHUP reopens */

static void	usage(FILE *);
static void	parse_opts(int, char **, struct opts *);
static void	parse_set(const char *, struct engine_conf *);
static char	*join_args(int, char **);
static void	open_sources(struct gluetop *);
static void	on_msg(void *, const struct cap_msg *);
static void	open_dnstap(struct gluetop *);
static void	on_dt(void *, const struct dt_msg *);
static int	read_dnstap(struct gluetop *, int);
static int	is_live(const struct gluetop *);
static uint64_t	real_ns(void);
static void	on_pkt(void *, int, uint64_t, const uint8_t *, uint32_t,
		    uint32_t);
static void	feed_health(struct gluetop *);
static int	read_some(void *, int);
static int	read_turn(struct gluetop *, int *);
static int	pace_wait(struct gluetop *);
static int	wait_inputs(struct gluetop *, int);
static void	run(struct gluetop *);
static uint64_t	mono_ms(void);
static void	open_writer(struct gluetop *);
static int	is_input(void *, const struct stat *);
static void	check_hints(const struct opts *);
static void	write_flagged(struct gluetop *);
static int	frame_cmp(const void *, const void *);
static void	describe_sources(struct gluetop *, struct output_info *);
static void	run_dashboard(struct gluetop *, const struct output_info *);
static void	choose_mode(struct gluetop *);
static void	set_signals(void);
static long	parse_long(const char *, const char *, long, long);
static double	parse_double(const char *, const char *, double, double);
static uint64_t	parse_time(const char *, const char *);
static void	parse_zone(const char *, struct engine_conf *);
static void	check_write_input(struct gluetop *);
static void	on_signal(int);
static int	stdout_failed(void);
static int	finish_run(struct gluetop *);
static void	start_run(struct gluetop *, struct output_info *);
static void	parse_metrics(const char *, struct opts *);
static void	metrics_capture(void *, struct metrics_capture *);
static void	start_metrics(struct gluetop *);
static void	metrics_turn(struct gluetop *, int);
static void	open_json(struct gluetop *);
static void	stats_turn(struct gluetop *);
static void	reopen_json(struct gluetop *);

/* Print the usage summary. */
static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: gluetop [-hpDtvV] [-r file]... [-i interface]... [-R address]...\n"
"               [-c count] [-s snaplen] [-B KiB] [-Z user]\n"
"               [-w file [-C MB] [-G seconds] [-W count]]\n"
"               [--dump] [--json [--chains]] [--report] [--fail-on severity]\n"
"               [--since time] [--until time] [--zone name]\n"
"               [--speed factor] [--report-on-exit] [--port port]...\n"
"               [--metrics [addr:]port] [--metrics-file file]\n"
"               [--host-name name] [--json-file file] [--syslog]\n"
"               [--stream] [--stats-interval seconds]\n"
"               [--set name=value]... [--no-sandbox]\n"
"               [--dnstap-socket path] [expression]\n"
"  -r file      read packets from a pcap or pcapng file (- for stdin),\n"
"               or DNS messages from a dnstap (Frame Streams) file\n"
"  --dnstap-socket path\n"
"               listen on a Unix socket for resolvers' dnstap streams\n"
"  -i iface     capture live on an interface (any for all)\n"
"  -R address   treat address as a recursive resolver\n"
"  -w file      write the packets read to a pcap file; -C MB starts a\n"
"               new file past MB million bytes, -G seconds every so\n"
"               many seconds of packet time (file through strftime,\n"
"               UTC), -W count keeps count files (-C) or stops after\n"
"               count files (-G), as tcpdump does\n"
"  --dump       print one line per DNS message and ICMP unreachable\n"
"               (-v: every record; UTC times with Z; -t none, -tt epoch,\n"
"               -ttt since the previous line, -ttttt since the first)\n"
"  --json       print findings and a summary as JSON lines\n"
"               (-v: also the chains the findings cite)\n"
"  --report     print a text report (default when stdout is no tty)\n"
"               (-v: every chain of each finding, in full; root hints\n"
"               listed one by one)\n"
"  --since time, --until time\n"
"               skip packets before/after time: epoch seconds\n"
"               (1764781200.5) or UTC 2026-12-03T17:00:00[.frac][Z]\n"
"  --zone name  show only findings, zones, servers and lookups at or\n"
"               below name (everything is still analysed)\n"
"  --metrics [addr:]port\n"
"               serve Prometheus metrics on http://addr:port/metrics\n"
"  --metrics-file file\n"
"               write the same metrics to file every 15 s (atomically)\n"
"  --json-file file\n"
"               also append the JSON lines to file (any output mode);\n"
"               SIGHUP reopens it, for logrotate\n"
"  --syslog     log each new root cause at warning or above to syslog\n"
"  --stream     JSON: each finding when new, changed or cleared, also\n"
"               from files (as live capture always does)\n"
"  --stats-interval seconds\n"
"               JSON, streamed: a summary line this often (default 60;\n"
"               0: only at the end)\n"
"  --host-name name\n"
"               the sensor's name in metrics (default: the hostname)\n"
"  expression   a BPF filter (default: DNS on port 53, fragments, ICMP);\n"
"               options may follow it; use -- before a word starting with -\n"
"See gluetop(8).\n");
}

/* Print the tunables table (--set help): name, default, range, help. */
static void
list_tunables(void)
{
	const struct eng_tunable *t = engine_tunables(&(size_t){ 0 });
	size_t			 n, i;
	double			 scale;

	engine_tunables(&n);
	printf("%-16s %10s %10s %12s  %s\n", "name", "default", "min", "max",
	    "meaning");
	for (i = 0; i < n; i++) {
		scale = t[i].unit == ENG_TU_SECONDS ? 1000.0 : 1.0;
		printf("%-16s %10.10g %10.10g %12.10g  %s%s\n", t[i].name,
		    (double)t[i].def / scale, (double)t[i].min / scale,
		    (double)t[i].max / scale, t[i].help,
		    t[i].unit == ENG_TU_SECONDS ? " (seconds)" : "");
	}
	exit(0);
}

/* Set a tunable from "name=value" (--set); "help" lists them. */
static void
parse_set(const char *arg, struct engine_conf *c)
{
	const char	*eq = strchr(arg, '=');
	char		 name[64], err[128];

	if (strcmp(arg, "help") == 0)
		list_tunables();
	if (eq == NULL || (size_t)(eq - arg) >= sizeof(name))
		fatal("--set %s: expected name=value (--set help lists the "
		    "names)", arg);
	memcpy(name, arg, (size_t)(eq - arg));
	name[eq - arg] = '\0';
	if (engine_conf_set(c, name, eq + 1, err, sizeof(err)) != 0)
		fatal("--set %s: %s", arg, err);
}

/* Join the trailing arguments into one filter expression. */
static char *
join_args(int argc, char **argv)
{
	size_t	 len = 1;
	char	*s;
	int	 i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = xcalloc(1, len);
	for (i = 0; i < argc; i++) {
		if (i > 0)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

/* Parse a count or size argument, or die naming the flag. */
static long
parse_long(const char *flag, const char *arg, long min, long max)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || *end != '\0' || end == arg || v < min || v > max)
		fatal("%s %s: expected a number from %ld to %ld", flag, arg,
		    min, max);
	return v;
}

/* Parse a finite decimal factor, or die naming the flag and the range. */
static double
parse_double(const char *flag, const char *arg, double min, double max)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(arg, &end);
	/* "v >= min && v <= max" is false for NaN, so NaN is refused too. */
	if (errno != 0 || *end != '\0' || end == arg || !(v >= min && v <= max))
		fatal("%s %s: expected a number from %g to %g", flag, arg,
		    min, max);
	return v;
}

/*
 * Parse --since/--until TIME: epoch seconds with an optional fraction
 * ("1764045991.5"), or ISO 8601 in UTC ("2026-12-03T17:00:00Z", the Z
 * optional, a fraction of a second allowed).  Nanoseconds since the epoch.
 */
static uint64_t
parse_time(const char *flag, const char *arg)
{
	struct tm	 tm;
	const char	*p = arg;
	uint64_t	 secs = 0, frac = 0, scale = 1000000000;
	time_t		 t;
	int		 digits = 0;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(arg, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &digits) == 6 &&
	    digits == 19) {
		p = arg + digits;
		if (tm.tm_year < 1970 || tm.tm_mon < 1 || tm.tm_mon > 12 ||
		    tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
		    tm.tm_min > 59 || tm.tm_sec > 60 || tm.tm_hour < 0 ||
		    tm.tm_min < 0 || tm.tm_sec < 0)
			goto bad;
		tm.tm_year -= 1900;
		tm.tm_mon--;
		if ((t = timegm(&tm)) <= 0)
			goto bad;
		secs = (uint64_t)t;
	} else {
		digits = 0;
		for (p = arg; *p >= '0' && *p <= '9' && digits < 12; p++,
		    digits++)
			secs = secs * 10 + (uint64_t)(*p - '0');
		if (digits == 0 || (*p >= '0' && *p <= '9'))
			goto bad;
	}
	if (*p == '.') {
		for (p++, digits = 0; *p >= '0' && *p <= '9'; p++, digits++)
			if (scale > 1) {
				scale /= 10;
				frac += (uint64_t)(*p - '0') * scale;
			}
		if (digits == 0)
			goto bad;
	}
	if (*p == 'Z' && p != arg && strchr(arg, 'T') != NULL)
		p++;
	if (*p != '\0' || secs == 0)
		goto bad;
	return secs * 1000000000 + frac;
bad:
	fatal("%s %s: expected seconds since the epoch (1764781200.5) or a "
	    "UTC time (2026-12-03T17:00:00Z)", flag, arg);
}

/* --zone NAME: outputs show only what is at or below NAME. */
static void
parse_zone(const char *arg, struct engine_conf *c)
{
	static struct dns_name	 scope;

	if (arg[0] == '\0' || dns_name_from_str(arg, &scope) != 0)
		fatal("--zone %s: not a domain name", arg);
	dns_name_lower(&scope);
	c->scope = &scope;
}

/*
 * --metrics [ADDR:]PORT: "9153", "127.0.0.1:9153", "[::1]:9153".  The
 * address is checked when the server starts (one line naming it).
 */
static void
parse_metrics(const char *arg, struct opts *o)
{
	static char	 addr[64];
	const char	*port = arg, *colon;
	size_t		 len = 0;

	if (arg[0] == '[') {
		if ((colon = strstr(arg, "]:")) == NULL)
			fatal("--metrics %s: expected [ADDRESS]:PORT", arg);
		len = (size_t)(colon - arg - 1);
		port = colon + 2;
		arg++;
	} else if ((colon = strrchr(arg, ':')) != NULL) {
		len = (size_t)(colon - arg);
		port = colon + 1;
	}
	if (len >= sizeof(addr))
		fatal("--metrics %s: address too long", arg);
	memcpy(addr, arg, len);
	addr[len] = '\0';
	o->metrics_addr = addr;
	o->metrics_port = (unsigned)parse_long("--metrics", port, 1, 65535);
}

/* Parse the command line into o; usage errors exit 2. */
static void
parse_opts(int argc, char **argv, struct opts *o)
{
	enum { O_DUMP = 256, O_JSON, O_REPORT, O_CHAINS, O_FAILON, O_SPEED,
	    O_ROE, O_PORT, O_SET, O_HINTS, O_DASH, O_WFLAG, O_NOSANDBOX,
	    O_SINCE, O_UNTIL, O_ZONE, O_METRICS, O_METRICS_FILE, O_HOSTNAME,
	    O_JSON_FILE, O_SYSLOG, O_STREAM, O_STATS, O_DNSTAP_SOCKET };
	static const struct option longopts[] = {
		{ "dump", no_argument, NULL, O_DUMP },
		{ "json", no_argument, NULL, O_JSON },
		{ "report", no_argument, NULL, O_REPORT },
		{ "dashboard", no_argument, NULL, O_DASH },
		{ "chains", no_argument, NULL, O_CHAINS },
		{ "fail-on", required_argument, NULL, O_FAILON },
		{ "speed", required_argument, NULL, O_SPEED },
		{ "report-on-exit", no_argument, NULL, O_ROE },
		{ "port", required_argument, NULL, O_PORT },
		{ "set", required_argument, NULL, O_SET },
		{ "root-hints", required_argument, NULL, O_HINTS },
		{ "write-flagged", no_argument, NULL, O_WFLAG },
		{ "no-sandbox", no_argument, NULL, O_NOSANDBOX },
		{ "since", required_argument, NULL, O_SINCE },
		{ "until", required_argument, NULL, O_UNTIL },
		{ "zone", required_argument, NULL, O_ZONE },
		{ "metrics", required_argument, NULL, O_METRICS },
		{ "metrics-file", required_argument, NULL, O_METRICS_FILE },
		{ "host-name", required_argument, NULL, O_HOSTNAME },
		{ "json-file", required_argument, NULL, O_JSON_FILE },
		{ "syslog", no_argument, NULL, O_SYSLOG },
		{ "stream", no_argument, NULL, O_STREAM },
		{ "stats-interval", required_argument, NULL, O_STATS },
		{ "dnstap-socket", required_argument, NULL, O_DNSTAP_SOCKET },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	enum eng_sev	 sev;
	int		 ch, i, k;

	memset(o, 0, sizeof(*o));
	o->fail_on = -1;
	o->stats_s = -1;
	o->live.promisc = 1;
	o->live.immediate = 1;
	o->live.buffer_kib = LIVE_BUFFER_KIB;
	opterr = 0;
	/*
	 * No "+": options may follow the filter expression, as with tcpdump
	 * (GNU getopt moves the expression's words to the end); "--" still
	 * ends the options, for an expression word that starts with "-".
	 */
	while ((ch = getopt_long(argc, argv, ":B:c:C:DG:hi:pr:R:s:tvVw:W:Z:",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			if (o->nfiles == MAX_SOURCES)
				fatal("-r: at most %d files", MAX_SOURCES);
			o->files[o->nfiles++] = optarg;
			break;
		case 'i':
			if (o->nifaces == MAX_SOURCES)
				fatal("-i: at most %d interfaces", MAX_SOURCES);
			o->ifaces[o->nifaces++] = optarg;
			break;
		case 'R':
			if (o->conf.nresolvers == 16)
				fatal("-R: at most 16 resolvers");
			if (addr_parse(optarg,
			    &o->conf.resolver_family[o->conf.nresolvers],
			    o->conf.resolvers[o->conf.nresolvers]) != 0)
				fatal("-R %s: not an IPv4 or IPv6 address",
				    optarg);
			o->conf.nresolvers++;
			break;
		case 'c':
			o->count = parse_long("-c", optarg, 1, LONG_MAX);
			break;
		case 's':
			o->live.snaplen = (int)parse_long("-s", optarg, 0,
			    262144);
			break;
		case 'B':
			/* KiB * 1024 must fit libpcap's int. */
			o->live.buffer_kib = (int)parse_long("-B", optarg, 1,
			    INT_MAX / 1024);
			break;
		case 'p':
			o->live.promisc = 0;
			break;
		case 'Z':
			o->user = optarg;
			break;
		case 'w':
			o->write_path = optarg;
			break;
		case 'C':
			o->rotate.size = (uint64_t)parse_long("-C", optarg, 1,
			    1000000) * 1000000;
			break;
		case 'G':
			o->rotate.period_ns = (uint64_t)parse_long("-G", optarg,
			    1, 366L * 86400) * 1000000000;
			break;
		case 'W':
			o->rotate.files = (unsigned)parse_long("-W", optarg, 1,
			    65535);
			break;
		case O_WFLAG:
			o->write_flagged = 1;
			break;
		case 'v':
			o->verbose++;
			break;
		case 't':
			o->tstamp++;
			break;
		case O_SINCE:
			o->since_ns = parse_time("--since", optarg);
			break;
		case O_UNTIL:
			o->until_ns = parse_time("--until", optarg);
			break;
		case O_ZONE:
			parse_zone(optarg, &o->conf);
			o->zone = optarg;
			break;
		case 'D':
			o->mode = MODE_AUTO;
			o->nifaces = -1;
			break;
		case 'h':
			usage(stdout);
			exit(stdout_failed() ? LOG_EXIT_USAGE : 0);
		case 'V':
			printf("gluetop %s\n", PACKAGE_VERSION);
			exit(stdout_failed() ? LOG_EXIT_USAGE : 0);
		case O_DUMP:
			o->mode = MODE_DUMP;
			break;
		case O_JSON:
			o->mode = MODE_JSON;
			break;
		case O_REPORT:
			o->mode = MODE_REPORT;
			break;
		case O_DASH:
			o->mode = MODE_DASH;
			break;
		case O_CHAINS:
			o->chains = 1;
			break;
		case O_FAILON:
			if (engine_sev_from_str(optarg, &sev) != 0)
				fatal("--fail-on %s: expected critical, error,"
				    " warning, notice or info", optarg);
			o->fail_on = (int)sev;
			break;
		case O_SPEED:
			o->speed = parse_double("--speed", optarg, 0,
			    MAX_SPEED);
			break;
		case O_ROE:
			o->report_on_exit = 1;
			break;
		case O_NOSANDBOX:
			o->no_sandbox = 1;
			break;
		case O_PORT:
			if (o->net.nports == 8)
				fatal("--port: at most 8 ports");
			o->net.ports[o->net.nports++] = (uint16_t)parse_long(
			    "--port", optarg, 1, 65535);
			break;
		case O_SET:
			parse_set(optarg, &o->conf);
			break;
		case O_HINTS:
			o->conf.root_hints = optarg;
			break;
		case O_METRICS:
			parse_metrics(optarg, o);
			break;
		case O_METRICS_FILE:
			if (optarg[0] == '\0')
				fatal("--metrics-file: needs a file name");
			o->metrics_file = optarg;
			break;
		case O_JSON_FILE:
			if (optarg[0] == '\0')
				fatal("--json-file: needs a file name");
			o->json_file = optarg;
			break;
		case O_SYSLOG:
			o->syslog = 1;
			break;
		case O_STREAM:
			o->stream = 1;
			break;
		case O_STATS:
			o->stats_s = parse_long("--stats-interval", optarg, 0,
			    86400);
			break;
		case O_HOSTNAME:
			if (optarg[0] == '\0' || strlen(optarg) > 255)
				fatal("--host-name %s: expected 1 to 255 "
				    "characters", optarg);
			o->host_name = optarg;
			break;
		case O_DNSTAP_SOCKET:
			if (optarg[0] == '\0')
				fatal("--dnstap-socket: needs a path");
			o->dnstap_socket = optarg;
			break;
		case ':':
			fatal("option %s needs an argument (gluetop -h)",
			    argv[optind - 1]);
		default:
			if (optopt != 0)
				fatal("unknown option -%c (gluetop -h)", optopt);
			fatal("unknown option %s (gluetop -h)",
			    argv[optind - 1]);
		}
	}
	o->filter = optind < argc ? join_args(argc - optind, argv + optind) :
	    NULL;
	for (k = 0, i = 0; i < o->nfiles; i++)
		if (strcmp(o->files[i], "-") == 0 && k++ > 0)
			fatal("-r -: standard input can be read only once");
	if (o->tstamp > 5)
		fatal("-t: at most -ttttt");
	if (o->since_ns != 0 && o->until_ns != 0 && o->since_ns > o->until_ns)
		fatal("--since is after --until: nothing would be read");
	if (o->write_flagged && o->write_path == NULL)
		fatal("--write-flagged needs -w FILE");
	if ((o->rotate.size > 0 || o->rotate.period_ns > 0) &&
	    o->write_path == NULL)
		fatal("-C and -G need -w FILE");
	if (o->rotate.files > 0 && o->rotate.size == 0 &&
	    o->rotate.period_ns == 0)
		fatal("-W needs -C or -G");
	if (o->nfiles > 0 && o->nifaces > 0)
		fatal("-r and -i cannot be mixed in one run");
	if (o->dnstap_socket != NULL && o->nfiles + o->nifaces > 0)
		fatal("--dnstap-socket cannot be mixed with -r or -i in one run");
}

/* Open every file and interface now, so errors come before any output. */
static void
open_sources(struct gluetop *g)
{
	char	*cause = NULL;
	int	 i;

	if (g->o.nfiles + g->o.nifaces == 0 && g->o.dnstap_socket == NULL)
		fatal("no input: give -r FILE or -i INTERFACE (gluetop -h)");
	for (i = 0; i < g->o.nfiles; i++)
		g->ndt += dt_file_probe(g->o.files[i]);
	if (g->ndt > 0 || g->o.dnstap_socket != NULL) {
		open_dnstap(g);
		return;
	}
	for (i = 0; i < g->o.nfiles; i++) {
		g->src[g->nsrc] = cap_open_offline(g->o.files[i], g->o.filter,
		    &cause);
		if (g->src[g->nsrc] == NULL)
			fatal("%s", cause);
		g->nsrc++;
	}
	for (i = 0; i < g->o.nifaces; i++) {
		g->src[g->nsrc] = cap_open_live(g->o.ifaces[i], &g->o.live,
		    g->o.filter, &cause);
		if (g->src[g->nsrc] == NULL)
			fatal("%s", cause);
		g->nsrc++;
	}
	for (i = 0; i < g->nsrc; i++)
		if (!cap_net_dlt_ok(cap_datalink(g->src[i])))
			warnx("%s: link type %d is not supported; its packets"
			    " are counted and skipped", cap_name(g->src[i]),
			    cap_datalink(g->src[i]));
}

/* Translate capture's message into the engine's packet and feed it. */
static void
on_msg(void *arg, const struct cap_msg *cm)
{
	struct gluetop	*g = arg;
	struct eng_pkt	 p;
	struct dump_pkt	 d;

	memset(&p, 0, sizeof(p));
	p.ts_ns = cm->ts_ns;
	p.frame = cm->frame;
	p.family = cm->family;
	p.tcp = cm->transport == CAP_TRANSPORT_TCP;
	p.snapcut = (cm->flags & CAP_F_SNAPCUT) != 0;
	memcpy(p.src, cm->src, sizeof(p.src));
	memcpy(p.dst, cm->dst, sizeof(p.dst));
	p.sport = cm->sport;
	p.dport = cm->dport;
	p.len = cm->len;
	if (cm->event != CAP_EV_DNS) {
		if (g->o.mode != MODE_DUMP)
			engine_event(g->eng, &p, (enum eng_event)cm->event);
		else if (cm->event == CAP_EV_ICMP_UNREACH)
			dump_icmp(stdout, cm->frame, cm->ts_ns, cm->family,
			    cm->icmp_src, cm->icmp_dst, cm->icmp_type,
			    cm->icmp_code, cm->src, cm->dst, cm->sport,
			    cm->dport, cm->data, cm->len);
		return;
	}
	dns_msg_decode(cm->data, cm->len, g->msg);
	if (g->o.mode == MODE_DUMP) {
		d.frame = cm->frame;
		d.ts_ns = cm->ts_ns;
		d.family = cm->family;
		d.tcp = p.tcp;
		d.src = cm->src;
		d.dst = cm->dst;
		d.sport = cm->sport;
		d.dport = cm->dport;
		d.len = cm->len;
		d.wire_len = cm->wire_len > cm->len ? cm->wire_len : cm->len;
		dump_msg(stdout, &d, g->msg, g->o.verbose);
		return;
	}
	engine_message(g->eng, &p, g->msg);
}

/*
 * dnstap input: every -r file must be dnstap (the pcap path and this one
 * feed the engine differently), or the socket; no -w (no packets).
 */
static void
open_dnstap(struct gluetop *g)
{
	char	*cause = NULL;
	int	 i;

	if (g->ndt < g->o.nfiles)
		for (i = 0; i < g->o.nfiles; i++)
			if (!dt_file_probe(g->o.files[i]))
				fatal("-r %s: not dnstap, but other -r files "
				    "are: read pcap and dnstap files in "
				    "separate runs", g->o.files[i]);
	if (g->o.write_path != NULL)
		fatal("-w %s: dnstap input has no packets to write",
		    g->o.write_path);
	g->dtf = dt_feed_create(on_dt, g);
	g->ndt = 0;
	for (i = 0; i < g->o.nfiles; i++)
		if ((g->dtfile[g->ndt++] = dt_file_open(g->o.files[i], g->dtf,
		    &cause)) == NULL)
			fatal("%s", cause);
	if (g->o.dnstap_socket != NULL &&
	    (g->fss = fs_server_open(g->o.dnstap_socket, &cause)) == NULL)
		fatal("%s", cause);
}

/* A message from the dnstap feed: the packet capture would have made. */
static void
on_dt(void *arg, const struct dt_msg *dm)
{
	struct gluetop	*g = arg;
	struct eng_pkt	 p;
	struct dump_pkt	 d;

	if ((g->o.count > 0 && g->seen >= g->o.count) ||
	    (g->o.since_ns != 0 && dm->ts_ns < g->o.since_ns) ||
	    (g->o.until_ns != 0 && dm->ts_ns > g->o.until_ns))
		return;
	g->seen++;
	memset(&p, 0, sizeof(p));
	p.ts_ns = dm->ts_ns;
	p.frame = dm->frame;
	p.family = dm->family;
	p.tcp = dm->tcp;
	memcpy(p.src, dm->src, sizeof(p.src));
	memcpy(p.dst, dm->dst, sizeof(p.dst));
	p.sport = dm->sport;
	p.dport = dm->dport;
	p.len = dm->len;
	p.zone = dm->zone;
	p.dnstap = 1;
	if (g->o.mode != MODE_DUMP) {
		engine_message(g->eng, &p, dm->msg);
		return;
	}
	memset(&d, 0, sizeof(d));
	d.frame = dm->frame;
	d.ts_ns = dm->ts_ns;
	d.family = dm->family;
	d.tcp = dm->tcp;
	d.src = dm->src;
	d.dst = dm->dst;
	d.sport = dm->sport;
	d.dport = dm->dport;
	d.len = d.wire_len = dm->len;
	dump_msg(stdout, &d, dm->msg, g->o.verbose);
}

/* Nanoseconds of the real-time clock (live input: packet time). */
static uint64_t
real_ns(void)
{
	struct timespec	 now;

	clock_gettime(CLOCK_REALTIME, &now);
	return (uint64_t)now.tv_sec * 1000000000 + (uint64_t)now.tv_nsec;
}

/* Live input: interfaces or the dnstap socket. */
static int
is_live(const struct gluetop *g)
{
	return g->o.nifaces > 0 || g->fss != NULL;
}

/*
 * read_some() for dnstap: the files one after the other (a corrupt one
 * is one line, and what was read stays analysed), or what the socket has
 * ready; -1 at the end, when everything held has been handed on.  On the
 * socket the feed orders by the log's own time while frames come; once
 * none has come for the window, what it holds is handed on (the log's
 * time is not the clock when a stream is replayed, and a burst of BIND's
 * may come in several reads).
 */
static int
read_dnstap(struct gluetop *g, int max)
{
	int	 n;

	if (g->fss != NULL && !stop_requested) {
		if ((n = fs_server_run(g->fss, g->dtf)) > 0)
			g->dt_fed_ms = mono_ms();
		else if (mono_ms() - g->dt_fed_ms >= DT_WINDOW_NS / 1000000)
			dt_feed_flush(g->dtf);
		return n;
	}
	while (!stop_requested && g->cur < g->ndt &&
	    !(g->o.count > 0 && g->seen >= g->o.count)) {
		if ((n = dt_file_read(g->dtfile[g->cur], max)) > 0)
			return n;
		if (n < 0) {
			warnx("%s", dt_file_error(g->dtfile[g->cur]));
			g->input_error = LOG_EXIT_USAGE;
		}
		g->cur++;
	}
	if (!g->flushed) {
		g->flushed = 1;
		dt_feed_flush(g->dtf);
	}
	return -1;
}

/* One frame from a source: count it for -c, then walk it. */
static void
on_pkt(void *arg, int dlt, uint64_t ts_ns, const uint8_t *bytes,
    uint32_t caplen, uint32_t wirelen)
{
	struct gluetop	*g = arg;

	if (g->o.count > 0 && g->seen >= g->o.count)
		return;
	/* --since/--until: counted as skipped, never seen by the engine,
	 * written or counted for -c; live, the run ends after --until. */
	if ((g->o.since_ns != 0 && ts_ns < g->o.since_ns) ||
	    (g->o.until_ns != 0 && ts_ns > g->o.until_ns)) {
		if (g->o.until_ns != 0 && ts_ns > g->o.until_ns &&
		    g->o.nifaces > 0)
			g->past_until = 1;
		cap_net_skip(g->net, CAP_SKIP_TIME);
		return;
	}
	g->seen++;
	if (g->ring != NULL)
		cap_ring_add(g->ring, cap_net_stats(g->net)->packets + 1, ts_ns,
		    bytes, caplen, wirelen);
	else if (g->writer != NULL) {
		cap_writer_write(g->writer, ts_ns, bytes, caplen, wirelen);
		g->written = cap_writer_done(g->writer);
	}
	cap_net_packet(g->net, dlt, ts_ns, bytes, caplen, wirelen);
}

/* Hand capture's health counters to the engine (D16). */
static void
feed_health(struct gluetop *g)
{
	const struct cap_net_stats	*ns = cap_net_stats(g->net);
	struct cap_pcap_stats		 ps;
	struct eng_health		 h;
	int				 i, k;

	if (g->eng == NULL)
		return;
	memset(&h, 0, sizeof(h));
	for (i = 0; i < g->nsrc; i++) {
		if (g->src[i] == NULL)
			continue;
		cap_stats(g->src[i], &ps);
		h.pcap_drop += ps.drop;
		h.if_drop += ps.ifdrop;
	}
	h.packets = ns->packets;
	h.snap_cut = ns->snap_cut;
	for (k = 0; k < CAP_SKIP__MAX; k++)
		h.skipped += ns->skipped[k];
	h.bad_linktype = ns->skipped[CAP_SKIP_LINKTYPE];
	h.malformed = ns->malformed;
	h.cap_evicted = ns->frag_evicted + ns->tcp_evicted;
	h.frag_incomplete = ns->frag_timeout + ns->frag_bad;
	h.tcp_gaps = ns->tcp_gaps;
	engine_set_health(g->eng, &h);
}

/*
 * Read at most max packets: files one after the other, interfaces in
 * turn.  Returns the packets read, 0 when none was ready, -1 when every
 * input has ended (or -c was reached).
 */
static int
read_some(void *arg, int max)
{
	struct gluetop	*g = arg;
	int		 i, n, total = 0;

	if (g->dtf != NULL)
		return read_dnstap(g, max);
	if (stop_requested || g->past_until || g->written ||
	    (g->o.count > 0 && g->seen >= g->o.count))
		g->cur = g->nsrc;
	else if (g->o.nifaces > 0) {
		for (i = 0; i < g->nsrc; i++) {
			if ((n = cap_dispatch(g->src[i], max, on_pkt, g)) < 0)
				fatal("%s", cap_error(g->src[i]));
			total += n;
		}
		feed_health(g);
		return total;
	}
	while (g->cur < g->nsrc) {
		n = cap_dispatch(g->src[g->cur], max, on_pkt, g);
		if (n < 0) {
			/* What was read stays analysed; go on with the next. */
			warnx("%s", cap_error(g->src[g->cur]));
			g->input_error = LOG_EXIT_USAGE;
			g->cur++;
		} else if (n == 0 && cap_eof(g->src[g->cur]))
			g->cur++;
		else
			return n;
	}
	if (!g->flushed) {
		/* End of input: what TCP flows still hold is complete now. */
		g->flushed = 1;
		cap_net_expire(g->net, UINT64_MAX);
		feed_health(g);
	}
	return -1;
}

/* Milliseconds of a monotonic clock. */
static uint64_t
mono_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* --speed: milliseconds until the packet read last is due, 0 when due. */
static int
pace_wait(struct gluetop *g)
{
	uint64_t	 ts, due, now;

	if (g->o.speed <= 0 || g->eng == NULL ||
	    (ts = engine_counters(g->eng)->last_ns) == 0)
		return 0;
	now = mono_ms();
	if (g->pace_ts == 0 || ts < g->pace_ts) {
		g->pace_ts = ts;	/* the start, or after a reset */
		g->pace_wall = now;
		return 0;
	}
	due = g->pace_wall + (uint64_t)((double)(ts - g->pace_ts) / 1e6 /
	    g->o.speed);
	return due > now ? (int)(due - now > PACE_MAX_MS ? PACE_MAX_MS :
	    due - now) : 0;
}

/*
 * One turn's reading: a batch; with the dashboard up, batches for up to
 * READ_MS so that keys stay quick (one packet at a time when pacing).
 * Returns the packets read, or -1 when every input has ended; *wait is
 * the milliseconds until the next packet is due when pacing.
 */
static int
read_turn(struct gluetop *g, int *wait)
{
	uint64_t	 start = mono_ms();
	int		 n, total = 0;

	do {
		if ((*wait = pace_wait(g)) > 0)
			return total;
		if ((n = read_some(g, g->o.speed > 0 ? 1 : BATCH)) < 0)
			return total > 0 ? total : -1;
		total += n;
	} while (g->dash != NULL && n > 0 && mono_ms() - start < READ_MS);
	return total;
}

/*
 * Wait at most ms for packets on the interfaces or a key: one poll over
 * every descriptor.  Returns -1 when the terminal went away (hangup), so
 * the loop ends instead of spinning.
 */
static int
wait_inputs(struct gluetop *g, int ms)
{
	struct pollfd	 pfd[MAX_SOURCES + 1 + METRICS_FDS + DNSTAP_FDS];
	int		 i, k = 0, tty = -1;

	for (i = 0; g->o.nifaces > 0 && i < g->nsrc; i++) {
		if ((pfd[k].fd = cap_fd(g->src[i])) < 0)
			continue;
		pfd[k].events = POLLIN;
		pfd[k++].revents = 0;
	}
	if (g->dash != NULL) {
		tty = k;
		pfd[k].fd = STDIN_FILENO;
		pfd[k].events = POLLIN;
		pfd[k++].revents = 0;
	}
	k += metrics_http_fds(g->mhttp, pfd + k, METRICS_FDS);
	k += fs_server_fds(g->fss, pfd + k, DNSTAP_FDS);
	if (k == 0 && ms == 0)
		return 0;
	if (poll(pfd, (nfds_t)k, ms) > 0 && tty >= 0 &&
	    (pfd[tty].revents & (POLLHUP | POLLERR | POLLNVAL)) != 0)
		return -1;
	metrics_turn(g, 1);
	return 0;
}

/*
 * The one event loop, for files and interfaces, whatever the output: read
 * a turn's packets, let the outputs take what changed (JSON streams it,
 * the dashboard applies its keys and redraws when due), then wait on every
 * descriptor when nothing was ready.  Live and idle, packet time follows
 * the clock so that timeouts fire.
 */
static void
run(struct gluetop *g)
{
	int		 n = 0, eof = 0, wait = 0, ms;

	while (!stop_requested) {
		if (!eof && (n = read_turn(g, &wait)) < 0) {
			eof = 1;
			n = 0;
			if (g->dash != NULL) {
				feed_health(g);
				engine_end(g->eng);
			}
		}
		if (g->out != NULL)
			output_batch(g->out);
		if (g->jout != NULL)
			output_batch(g->jout);
		alert_batch(g->alert);
		stats_turn(g);
		if (reopen_requested) {
			reopen_requested = 0;
			reopen_json(g);
		}
		metrics_turn(g, 0);
		if (report_requested) {
			report_requested = 0;
			if (g->out != NULL)
				output_report_now(g->out);
		}
		if (g->dash != NULL) {
			if (mono_ms() - g->health_ms >= HEALTH_MS) {
				feed_health(g);
				g->health_ms = mono_ms();
			}
			if (dash_step(g->dash, eof))
				break;
		} else if (eof || ferror(stdout))
			break;	/* a full disk or a closed stdout ends it */
		if (n > 0 && wait == 0)
			continue;
		ms = wait > 0 ? wait : is_live(g) ? IDLE_MS :
		    g->dash != NULL ? dash_wait_ms(g->dash) + 1 : 0;
		if (eof && g->dash != NULL && ms < IDLE_MS)
			ms = IDLE_MS;
		if (wait_inputs(g, ms) != 0)
			break;
		if (is_live(g) && n == 0 && g->eng != NULL)
			engine_tick(g->eng, real_ns());
	}
}

/* Is st one of the inputs?  (-C/-G never overwrite one.) */
static int
is_input(void *arg, const struct stat *st)
{
	struct gluetop	*g = arg;
	int		 i;

	for (i = 0; i < g->nsrc; i++)
		if (cap_same_file(g->src[i], st))
			return 1;
	return 0;
}

/*
 * Open -w's file after privileges are dropped, as tcpdump does, so that it
 * belongs to the unprivileged user; refuse a file that is also an input
 * before anything truncates it.
 */
static void
open_writer(struct gluetop *g)
{
	const struct cap_rotate *rot = &g->o.rotate;
	char		*path;
	struct stat	 st;
	char		*cause = NULL;
	int		 i, fd, dlt;

	if (g->o.write_path == NULL)
		return;
	dlt = cap_datalink(g->src[0]);
	for (i = 1; i < g->nsrc; i++)
		if (cap_datalink(g->src[i]) != dlt)
			fatal("-w %s: the inputs have different link types; "
			    "write one at a time", g->o.write_path);
	g->o.rotate.is_input = is_input;
	g->o.rotate.arg = g;
	if (rot->period_ns > 0) {
		/* -G: the first file is named by the first packet's time. */
		if ((g->writer = cap_writer_new(g->o.write_path, dlt,
		    cap_snaplen(g->src[0]), rot, &cause)) == NULL)
			fatal("-w %s", cause);
		if (g->o.write_flagged)
			g->ring = cap_ring_create(RING_BYTES);
		return;
	}
	path = cap_rotate_name(g->o.write_path, rot, 0, 0);
	if ((fd = cap_output_open(path, &st, &cause)) == -1)
		fatal("-w %s%s", cause, errno == EACCES && g->dropped ?
		    " (it is opened after dropping privileges; see -Z)" : "");
	for (i = 0; i < g->nsrc; i++)
		if (cap_same_file(g->src[i], &st))
			fatal("-w %s: is also an input (%s); refusing to "
			    "overwrite it", path, cap_name(g->src[i]));
	if ((g->writer = cap_writer_fdopen(fd, path, dlt,
	    cap_snaplen(g->src[0]), &cause)) == NULL)
		fatal("-w %s", cause);
	cap_writer_rotate(g->writer, g->o.write_path, rot);
	free(path);
	if (g->o.write_flagged)
		g->ring = cap_ring_create(RING_BYTES);
}

/*
 * -w naming an input, checked before privileges are dropped (after the
 * drop the file may not even be openable, and the error would be a
 * misleading "Permission denied"): the same file by device and inode when
 * it exists, the same path otherwise.  open_writer() checks again on the
 * descriptor it opens.
 */
static void
check_write_input(struct gluetop *g)
{
	const char	*path = g->o.write_path;
	struct stat	 st;
	int		 i;

	/* -G names its files by packet time: open_writer checks each. */
	if (path == NULL || g->o.rotate.period_ns > 0)
		return;
	if (g->o.rotate.files > 0)
		return;		/* path0...: checked as each is opened */
	if (stat(path, &st) == 0) {
		for (i = 0; i < g->nsrc; i++)
			if (cap_same_file(g->src[i], &st))
				fatal("-w %s: is also an input (%s); refusing "
				    "to overwrite it", path, cap_name(g->src[i]));
		return;
	}
	/* "-r -" is standard input, not a file named "-". */
	for (i = 0; i < g->o.nfiles; i++)
		if (strcmp(g->o.files[i], "-") != 0 &&
		    strcmp(g->o.files[i], path) == 0)
			fatal("-w %s: is also an input (%s); refusing to "
			    "overwrite it", path, g->o.files[i]);
}

/*
 * --root-hints names a file: it must be readable now, before privileges
 * are dropped (engine_create() reads it, and is called before the drop
 * too).  "-" seeds nothing.
 */
static void
check_hints(const struct opts *o)
{
	const char	*path = o->conf.root_hints;
	struct stat	 st;
	int		 fd;

	if (path == NULL || strcmp(path, "-") == 0)
		return;
	/* O_NONBLOCK: a FIFO must not hang the check. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
		fatal("--root-hints %s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		fatal("--root-hints %s: not a regular file", path);
	}
	close(fd);
}

/* Compare frame numbers for qsort. */
static int
frame_cmp(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* --write-flagged: write the frames that are evidence of a finding. */
static void
write_flagged(struct gluetop *g)
{
	const struct eng_finding **f;
	uint64_t		*frames;
	size_t			 n, i, k = 0, nf = 0;
	uint64_t		 lost;

	n = engine_findings(g->eng, &f);
	for (i = 0; i < n; i++)
		nf += f[i]->nframes;
	frames = xcalloc(nf + 1, sizeof(*frames));
	for (i = 0; i < n; i++)
		for (uint8_t j = 0; j < f[i]->nframes; j++)
			frames[k++] = f[i]->frames[j];
	qsort(frames, k, sizeof(*frames), frame_cmp);
	cap_ring_write(g->ring, g->writer, frames, k);
	if ((lost = cap_ring_lost(g->ring, frames, k)) > 0)
		warnx("-w %s: %llu evidence frames were older than the %u MiB"
		    " kept and are missing", g->o.write_path,
		    (unsigned long long)lost, RING_BYTES >> 20);
	free(frames);
}

/* SIGINT/SIGTERM stop the loop; SIGHUP/SIGUSR1 ask for a report (with
 * --json-file SIGHUP reopens it instead). */
static void
on_signal(int sig)
{
	if (sig == SIGHUP && hup_reopens)
		reopen_requested = 1;
	else if (sig == SIGHUP || sig == SIGUSR1)
		report_requested = 1;
	else
		stop_requested = 1;
}

/* What capture knows, for the metrics: drops and skipped packets. */
static void
metrics_capture(void *arg, struct metrics_capture *mc)
{
	/* Label values: words, where cap_skip_name() is for people. */
	static const char *const skip_keys[CAP_SKIP__MAX] = {
		[CAP_SKIP_LINKTYPE] = "link_type", [CAP_SKIP_LINK] = "link",
		[CAP_SKIP_NOT_IP] = "not_ip", [CAP_SKIP_IP_BAD] = "malformed",
		[CAP_SKIP_PROTO] = "protocol", [CAP_SKIP_PORT] = "port",
		[CAP_SKIP_FRAGMENT] = "fragment",
		[CAP_SKIP_TCP_CTRL] = "tcp_control",
		[CAP_SKIP_TCP_PARTIAL] = "tcp_partial",
		[CAP_SKIP_SNAPLEN] = "snaplen", [CAP_SKIP_EMPTY] = "empty",
		[CAP_SKIP_TIME] = "time_range",
	};
	struct gluetop			*g = arg;
	const struct cap_net_stats	*ns = cap_net_stats(g->net);
	struct cap_pcap_stats		 ps;
	int				 i;

	for (i = 0; i < g->nsrc; i++) {
		if (g->src[i] == NULL)
			continue;
		cap_stats(g->src[i], &ps);
		mc->pcap_drop += ps.drop;
		mc->if_drop += ps.ifdrop;
	}
	for (i = 0; i < CAP_SKIP__MAX && i < METRICS_REASONS_MAX; i++) {
		mc->reason[i] = skip_keys[i] != NULL ? skip_keys[i] : "other";
		mc->skipped[i] = ns != NULL ? ns->skipped[i] : 0;
	}
	mc->nreasons = (unsigned)i;
}

/*
 * --metrics and --metrics-file: the server listens now, before privileges
 * are dropped (a port under 1024 needs root), and the sensor's name is
 * read before the sandbox.
 */
static void
start_metrics(struct gluetop *g)
{
	char	*cause = NULL;

	if (g->eng == NULL && (g->o.metrics_port != 0 ||
	    g->o.metrics_file != NULL))
		fatal("--metrics and --metrics-file need the engine: not "
		    "with --dump");
	if (g->o.host_name != NULL)
		snprintf(g->host, sizeof(g->host), "%s", g->o.host_name);
	else if (gethostname(g->host, sizeof(g->host) - 1) != 0)
		snprintf(g->host, sizeof(g->host), "unknown");
	g->msrc.eng = g->eng;
	g->msrc.capture = metrics_capture;
	g->msrc.arg = g;
	g->msrc.host = g->host;
	if (g->o.metrics_port != 0 && (g->mhttp = metrics_http_start(
	    g->o.metrics_addr, g->o.metrics_port, &g->msrc, &cause)) == NULL)
		fatal("%s", cause);
	g->metrics_ms = mono_ms();
}

/*
 * The metrics' share of a turn: scrapes answered (at once after a poll
 * that saw them, else every METRICS_POLL_MS while packets keep the loop
 * busy), and --metrics-file rewritten every METRICS_MS.
 */
static void
metrics_turn(struct gluetop *g, int polled)
{
	uint64_t	 now;

	if (g->mhttp == NULL && g->o.metrics_file == NULL)
		return;
	now = mono_ms();
	if (g->mhttp != NULL && (polled || now - g->mpoll_ms >=
	    METRICS_POLL_MS)) {
		feed_health(g);
		metrics_http_run(g->mhttp);
		g->mpoll_ms = now;
	}
	if (g->o.metrics_file != NULL && now - g->metrics_ms >= METRICS_MS) {
		g->metrics_ms = now;
		feed_health(g);
		if (metrics_file_write(g->o.metrics_file, &g->msrc) != 0)
			warnx("--metrics-file %s: %s", g->o.metrics_file,
			    strerror(errno));
	}
}

/*
 * --json-file: opened for appending after privileges are dropped (like
 * -w), so that logrotate's new file can be reopened as the same user;
 * --syslog: the log socket is connected now, before the sandbox.
 */
static void
open_json(struct gluetop *g)
{
	if ((g->o.json_file != NULL || g->o.syslog) && g->eng == NULL)
		fatal("--json-file and --syslog need the engine: not with "
		    "--dump");
	if (g->o.syslog)
		g->alert = alert_create(g->eng);
	if (g->o.json_file == NULL)
		return;
	if ((g->jfp = fopen(g->o.json_file, "a")) == NULL)
		fatal("--json-file %s: %s%s", g->o.json_file, strerror(errno),
		    errno == EACCES && g->dropped ? " (it is opened after "
		    "dropping privileges; see -Z)" : "");
	hup_reopens = 1;
}

/* SIGHUP with --json-file: the new file first, then the old one closed. */
static void
reopen_json(struct gluetop *g)
{
	FILE	*fp;

	if (g->jout == NULL)
		return;
	if ((fp = fopen(g->o.json_file, "a")) == NULL) {
		warnx("--json-file %s: cannot reopen: %s; still writing to the "
		    "file open before", g->o.json_file, strerror(errno));
		return;
	}
	fflush(g->jfp);
	fclose(g->jfp);
	g->jfp = fp;
	output_set_stream(g->jout, fp);
}

/* --stats-interval: a summary line on the streamed JSON outputs. */
static void
stats_turn(struct gluetop *g)
{
	uint64_t	 now;

	if (g->o.stats_s <= 0 || (g->o.nifaces == 0 && !g->o.stream))
		return;
	now = mono_ms();
	if (g->stats_ms == 0)
		g->stats_ms = now;
	if (now - g->stats_ms < (uint64_t)g->o.stats_s * 1000)
		return;
	g->stats_ms = now;
	feed_health(g);
	if (g->out != NULL)
		output_stats(g->out);
	if (g->jout != NULL)
		output_stats(g->jout);
}

/* Describe the inputs for the outputs' headers. */
static void
describe_sources(struct gluetop *g, struct output_info *info)
{
	size_t	 len = 0;
	int	 i;

	for (i = 0; i < g->nsrc && len + 4 < sizeof(g->sources); i++)
		len += (size_t)snprintf(g->sources + len, sizeof(g->sources) -
		    len, "%s%s", i ? ", " : "", cap_name(g->src[i]));
	for (i = 0; i < g->ndt && len + 4 < sizeof(g->sources); i++)
		len += (size_t)snprintf(g->sources + len, sizeof(g->sources) -
		    len, "%s%s (dnstap)", i ? ", " : "",
		    dt_file_name(g->dtfile[i]));
	if (g->fss != NULL && len + 4 < sizeof(g->sources))
		snprintf(g->sources + len, sizeof(g->sources) - len,
		    "dnstap socket %s", g->o.dnstap_socket);
	info->sources = g->sources;
	info->filter = g->o.filter != NULL ? g->o.filter :
	    "(default) DNS on port 53, IP fragments, ICMP unreachables";
	if (g->dtf != NULL)
		info->filter = g->o.filter != NULL ? "(ignored: dnstap input)" :
		    "(none: dnstap input)";
	info->live = is_live(g);
	info->verbose = g->o.verbose;
	info->zone = g->o.zone;
	info->host = g->host;
	info->stream = g->o.stream;
	if (g->o.stats_s < 0)
		g->o.stats_s = 60;
}

/* Show the dashboard (choose_mode() has started curses already) for the
 * length of the run, then the report if asked for. */
static void
run_dashboard(struct gluetop *g, const struct output_info *info)
{
	g->dinfo.sources = info->sources;
	g->dinfo.filter = info->filter;
	g->dinfo.live = info->live;
	g->dinfo.speed = g->o.speed;
	g->dinfo.host = info->host;
	if ((g->dash = dash_start(g->eng, &g->dinfo)) == NULL)
		fatal("the dashboard could not start");	/* opened before */
	run(g);
	dash_end(g->dash);
	g->dash = NULL;
	if (g->o.report_on_exit) {
		feed_health(g);
		engine_end(g->eng);
		report_print(stdout, g->eng, info);
	}
}

/*
 * Decide the output mode once, before any output exists: the dashboard
 * when asked for (or by default on a terminal) and curses can start on
 * the terminal; otherwise the text report, or an error for --dashboard.
 */
static void
choose_mode(struct gluetop *g)
{
	int	 asked = g->o.mode == MODE_DASH;

	if (g->o.mode == MODE_AUTO)
		g->o.mode = isatty(STDOUT_FILENO) ? MODE_DASH : MODE_REPORT;
	if (g->o.mode != MODE_DASH || dash_open() == 0)
		return;
	if (asked)
		fatal("--dashboard needs a terminal on standard input and "
		    "output and a TERM that curses knows (TERM=%s); use "
		    "--report", getenv("TERM") != NULL ? getenv("TERM") :
		    "(unset)");
	g->o.mode = MODE_REPORT;
}

/* Install the signal handlers (STYLE.md rule 25: the loop exits cleanly). */
static void
set_signals(void)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
}

/* Flush standard output; a failed write is one line naming it. */
static int
stdout_failed(void)
{
	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	warnx("standard output: %s", errno != 0 ? strerror(errno) :
	    "write error");
	return 1;
}

/* Print what remains, close -w; the exit status (write errors are 2). */
static int
finish_run(struct gluetop *g)
{
	char	*cause = NULL;
	int	 status = 0;

	if (g->dtf != NULL && !g->flushed) {
		g->flushed = 1;	/* stopped by a signal: what is held */
		dt_feed_flush(g->dtf);
	}
	if (g->eng != NULL && g->o.mode != MODE_DASH) {
		feed_health(g);
		engine_end(g->eng);
	}
	if (g->out != NULL) {
		if (output_finish(g->out, g->o.fail_on) != 0)
			status = 1;
		output_destroy(g->out);
	}
	if (g->jout != NULL) {
		alert_batch(g->alert);
		output_finish(g->jout, -1);
		output_destroy(g->jout);
		if (fclose(g->jfp) != 0) {
			warnx("--json-file %s: %s", g->o.json_file,
			    strerror(errno));
			g->input_error = LOG_EXIT_USAGE;
		}
	}
	alert_destroy(g->alert);
	if (g->o.metrics_file != NULL && g->eng != NULL &&
	    metrics_file_write(g->o.metrics_file, &g->msrc) != 0) {
		warnx("--metrics-file %s: %s", g->o.metrics_file,
		    strerror(errno));
		g->input_error = LOG_EXIT_USAGE;
	}
	metrics_http_stop(g->mhttp);
	g->mhttp = NULL;
	if (g->ring != NULL && g->eng != NULL)
		write_flagged(g);
	if (g->writer != NULL && cap_writer_close(g->writer, &cause) != 0) {
		warnx("%s", cause);
		free(cause);
		g->input_error = LOG_EXIT_USAGE;
	}
	if (stdout_failed())
		g->input_error = LOG_EXIT_USAGE;
	return g->input_error ? g->input_error : status;
}

/*
 * Everything before the loop, in the order SECURITY in gluetop.8 gives:
 * every input (the root hints included) with the privileges gluetop was
 * started with, then the drop, then the outputs and the terminal, then
 * the sandbox.
 */
static void
start_run(struct gluetop *g, struct output_info *info)
{
	static char	 dump_obuf[1 << 16];
	char		*cause = NULL;

	open_sources(g);
	check_write_input(g);
	check_hints(&g->o);
	if (g->o.mode != MODE_DUMP) {
		/* The dashboard's Top view counts the heaviest hitters. */
		g->o.conf.top = g->o.mode == MODE_DASH || (g->o.mode ==
		    MODE_AUTO && isatty(STDOUT_FILENO));
		g->eng = engine_create(&g->o.conf);
	}
	start_metrics(g);
	if ((g->dropped = priv_drop(g->o.user, g->o.nifaces > 0, &cause)) < 0)
		fatal("%s", cause);
	open_writer(g);
	open_json(g);
	choose_mode(g);
	set_signals();
	tzset();	/* any local time: read the zone file before the sandbox */
	dump_set_tstamp(g->o.tstamp);
	if (!g->o.no_sandbox && priv_sandbox(g->o.nifaces > 0,
	    (g->o.mode == MODE_DASH ? PRIV_SB_CREATE : 0) |
	    (g->o.metrics_file != NULL || g->o.rotate.size > 0 ||
	    g->o.rotate.period_ns > 0 ? PRIV_SB_REPLACE : 0) |
	    (g->mhttp != NULL || g->fss != NULL ? PRIV_SB_SERVE : 0) |
	    (g->o.json_file != NULL ? PRIV_SB_APPEND : 0) |
	    (g->o.syslog ? PRIV_SB_SYSLOG : 0), &cause) != 0)
		fatal("%s", cause);
	describe_sources(g, info);
	/* --dump of files to a file or pipe: megabytes, in fewer writes
	 * (glibc ignores the size unless it is given the buffer). */
	if (g->o.mode == MODE_DUMP && g->o.nifaces == 0 &&
	    !isatty(STDOUT_FILENO))
		setvbuf(stdout, dump_obuf, _IOFBF, sizeof(dump_obuf));
	g->msg = xmalloc(sizeof(*g->msg));
	g->net = cap_net_create(&g->o.net, on_msg, g);
	if (g->o.mode == MODE_JSON || g->o.mode == MODE_REPORT)
		g->out = output_create(g->o.mode == MODE_JSON ? OUTPUT_JSON :
		    OUTPUT_REPORT, stdout, g->eng, info, g->o.chains);
	if (g->jfp != NULL)
		g->jout = output_create(OUTPUT_JSON, g->jfp, g->eng, info,
		    g->o.chains);
}

int
main(int argc, char **argv)
{
	struct gluetop		 g;
	struct output_info	 info;
	char			*cause = NULL;
	int			 status, i;

	memset(&g, 0, sizeof(g));
	parse_opts(argc, argv, &g.o);
	if (g.o.nifaces < 0) {
		if (cap_list_devices(stdout, &cause) != 0)
			fatal("%s", cause);
		return stdout_failed() ? LOG_EXIT_USAGE : 0;
	}
	start_run(&g, &info);
	if (g.o.mode == MODE_DASH)
		run_dashboard(&g, &info);
	else
		run(&g);
	status = finish_run(&g);
	engine_destroy(g.eng);
	for (i = 0; i < g.nsrc; i++)
		cap_close(g.src[i]);
	for (i = 0; i < g.ndt; i++)
		dt_file_close(g.dtfile[i]);
	fs_server_close(g.fss);
	dt_feed_destroy(g.dtf);
	cap_net_destroy(g.net);
	cap_ring_destroy(g.ring);
	free(g.msg);
	free(g.o.filter);
	return status;
}
