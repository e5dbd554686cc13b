/*
 * fuzz_dnstap.c -- libFuzzer target for input/dnstap's feed: the input is
 * a run of dnstap payloads, each behind a two-byte big-endian length (the
 * Frame Streams framing itself is libfstrm's, or fs_server's), fed to one
 * dt_feed as a file's frames are: protobuf-c unpacking, the address, port,
 * time and query_zone checks, pairing, the reordering heap, and every
 * message handed on decoded and printed by the --dump printer (into
 * /dev/null).  fuzz/corpus-dnstap holds the lab's logs in this form.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "decode/dns.h"
#include "input/dnstap.h"
#include "ui/dump.h"

int		LLVMFuzzerTestOneInput(const uint8_t *, size_t);
static void	on_dt(void *, const struct dt_msg *);

static FILE	*sink;		/* /dev/null, for the dump lines */

/* Check and print each message, as gluetop --dump does. */
static void
on_dt(void *arg, const struct dt_msg *m)
{
	struct dump_pkt	 d;

	(void)arg;
	if (m->msg == NULL || m->msg->status >= DNS_E__MAX ||
	    m->msg->len > m->len || (m->family != 4 && m->family != 6) ||
	    (m->zone != NULL && (m->zone->len == 0 ||
	    m->zone->len > DNS_NAME_MAX)))
		abort();
	d.frame = m->frame;
	d.ts_ns = m->ts_ns;
	d.family = m->family;
	d.tcp = m->tcp;
	d.src = m->src;
	d.dst = m->dst;
	d.sport = m->sport;
	d.dport = m->dport;
	d.len = d.wire_len = m->len;
	dump_msg(sink, &d, m->msg, 1);
}

/* One input: length-prefixed payloads to one feed, then the flush. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dt_feed	*f;
	size_t		 off = 0, len;

	if (sink == NULL && (sink = fopen("/dev/null", "w")) == NULL)
		abort();
	f = dt_feed_create(on_dt, NULL);
	while (size - off >= 2) {
		len = (size_t)data[off] << 8 | data[off + 1];
		off += 2;
		if (len > size - off)
			len = size - off;
		(void)dt_feed_frame(f, data + off, len);
		off += len;
	}
	dt_feed_flush(f);
	(void)dt_feed_stats(f);
	dt_feed_destroy(f);
	return 0;
}
