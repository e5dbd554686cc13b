/*
 * fuzz_pcap.c -- libFuzzer target for capture/ from the file up: the input
 * is a whole pcap or pcapng file, read from memory by cap_open_fp() through
 * libpcap, and every packet goes through capture/net (link, IP, fragments,
 * UDP, TCP) into the DNS decoder and the --dump printer (plain and -v,
 * into /dev/null), as gluetop --dump does.  No filter is set, so every
 * packet reaches the parsers.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "capture/net.h"
#include "capture/source.h"
#include "decode/dns.h"
#include "ui/dump.h"

#define BATCH	64	/* packets per cap_dispatch(), as main reads */

int		LLVMFuzzerTestOneInput(const uint8_t *, size_t);
static void	on_msg(void *, const struct cap_msg *);

static FILE	*sink;		/* /dev/null, for the dump lines */

/* Decode each DNS message; events carry no bytes. */
static void
on_msg(void *arg, const struct cap_msg *m)
{
	static struct dns_msg	 msg;

	struct dump_pkt		 d;

	(void)arg;
	if (m->event != CAP_EV_DNS)
		return;
	dns_msg_decode(m->data, m->len, &msg);
	if (msg.status >= DNS_E__MAX || msg.len > m->len)
		abort();
	d.frame = m->frame;
	d.ts_ns = m->ts_ns;
	d.family = m->family;
	d.tcp = m->transport == CAP_TRANSPORT_TCP;
	d.src = m->src;
	d.dst = m->dst;
	d.sport = m->sport;
	d.dport = m->dport;
	d.len = m->len;
	d.wire_len = m->wire_len > m->len ? m->wire_len : m->len;
	dump_msg(sink, &d, &msg, 0);
	dump_msg(sink, &d, &msg, 1);
}

/* One input: a capture file image, read to its end or its error. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cap_net_opts	 o = { 0 };
	struct cap_pcap_stats	 ps;
	struct cap_source	*src;
	struct cap_net		*net;
	FILE			*fp;
	char			*cause = NULL;
	int			 n;

	if (sink == NULL && (sink = fopen("/dev/null", "w")) == NULL)
		abort();
	if (size == 0 || (fp = fmemopen((void *)(uintptr_t)data, size,
	    "rb")) == NULL)
		return 0;
	if ((src = cap_open_fp(fp, "fuzz.pcap", "", &cause)) == NULL) {
		free(cause);
		return 0;
	}
	net = cap_net_create(&o, on_msg, NULL);
	(void)cap_net_dlt_ok(cap_datalink(src));
	(void)cap_snaplen(src);
	while ((n = cap_dispatch(src, BATCH, cap_net_packet, net)) > 0)
		continue;
	if (n < 0)
		(void)cap_error(src);
	cap_stats(src, &ps);
	cap_net_expire(net, UINT64_MAX);
	cap_net_destroy(net);
	cap_close(src);
	return 0;
}
