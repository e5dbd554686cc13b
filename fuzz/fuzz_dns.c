/*
 * fuzz_dns.c -- libFuzzer target for decode/: any bytes as a DNS message,
 * then every decoded name through the presentation printer.
 */
#include <stddef.h>
#include <stdint.h>

#include "decode/dns.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dns_msg	 msg;
	char			 buf[DNS_NAME_STRMAX];
	uint16_t		 i;

	dns_msg_decode(data, size, &msg);
	for (i = 0; i < msg.nqd; i++)
		dns_name_to_str(&msg.qd[i].qname, buf, sizeof(buf));
	for (i = 0; i < msg.nrr; i++) {
		dns_name_to_str(&msg.rr[i].owner, buf, sizeof(buf));
		if (msg.rr[i].rdstatus == DNS_OK && (msg.rr[i].type == DNS_T_NS ||
		    msg.rr[i].type == DNS_T_CNAME))
			dns_name_to_str(&msg.rr[i].rd.name, buf, sizeof(buf));
	}
	return 0;
}
