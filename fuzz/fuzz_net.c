/*
 * fuzz_net.c -- libFuzzer target for capture/: one frame of any supported
 * link type through link, IP, fragment, UDP and TCP parsing.  The first
 * byte picks the link type; the rest is the frame.  State (fragments, TCP
 * flows) persists across inputs, as it does in a capture.
 */
#include <stddef.h>
#include <stdint.h>

#include "capture/net.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Swallow messages; the point is what the parsers do with the bytes. */
static void
sink(void *arg, const struct cap_msg *m)
{
	static volatile uint8_t	 x;
	size_t			 i;

	(void)arg;
	for (i = 0; i < m->len; i++)
		x = (uint8_t)(x ^ m->data[i]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int	 dlts[] = { 0, 1, 12, 101, 108, 113, 228, 229,
	    276 };
	static struct cap_net	*net;
	static uint64_t		 ts;
	struct cap_net_opts	 o = { 0 };

	if (net == NULL)
		net = cap_net_create(&o, sink, NULL);
	if (size < 1)
		return 0;
	ts += 1000000;
	cap_net_packet(net, dlts[data[0] % (sizeof(dlts) / sizeof(dlts[0]))],
	    ts, data + 1, (uint32_t)(size - 1), (uint32_t)(size - 1));
	if (data[0] & 0x80)
		cap_net_expire(net, ts + 120000000000ULL);
	return 0;
}
