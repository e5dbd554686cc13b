/*
 * fuzz_dns.c -- libFuzzer target for decode/: any bytes as a DNS message,
 * then every name the decoder stored through the presentation printer and
 * back through the parser, and every byte string it handed out checked
 * against the input's bounds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "decode/dns.h"

int		LLVMFuzzerTestOneInput(const uint8_t *, size_t);
static void	print_name(const struct dns_name *);
static void	check_bytes(const struct dns_msg *, struct dns_bytes);
static void	print_rdata(const struct dns_msg *, const struct dns_rr *);

/*
 * Print a name into a fixed buffer; the printer must stay inside it, and
 * the parser must read the same name back from its output.
 */
static void
print_name(const struct dns_name *n)
{
	char		 buf[DNS_NAME_STRMAX];
	struct dns_name	 back;

	if (dns_name_to_str(n, buf, sizeof(buf)) >= sizeof(buf))
		abort();
	if (dns_name_from_str(buf, &back) != 0 || !dns_name_equal(n, &back) ||
	    back.nlabels != n->nlabels)
		abort();
}

/* A byte string must lie inside the message. */
static void
check_bytes(const struct dns_msg *m, struct dns_bytes b)
{
	if ((size_t)b.off + b.len > m->len)
		abort();
}

/* The names and byte strings of one well-decoded RR. */
static void
print_rdata(const struct dns_msg *m, const struct dns_rr *rr)
{
	if (rr->rdstatus != DNS_OK || rr->type == DNS_T_OPT) {
		check_bytes(m, rr->rd.opaque);
		return;
	}
	switch (rr->type) {
	case DNS_T_NS:
	case DNS_T_CNAME:
	case DNS_T_DNAME:
	case DNS_T_PTR:
		print_name(&rr->rd.name);
		break;
	case DNS_T_SOA:
		print_name(&rr->rd.soa.mname);
		print_name(&rr->rd.soa.rname);
		break;
	case DNS_T_MX:
		print_name(&rr->rd.mx.exchange);
		break;
	case DNS_T_SRV:
		print_name(&rr->rd.srv.target);
		break;
	case DNS_T_RRSIG:
		print_name(&rr->rd.rrsig.signer);
		check_bytes(m, rr->rd.rrsig.sig);
		break;
	case DNS_T_NSEC:
		print_name(&rr->rd.nsec.next);
		check_bytes(m, rr->rd.nsec.types);
		break;
	case DNS_T_SVCB:
	case DNS_T_HTTPS:
		print_name(&rr->rd.svcb.target);
		check_bytes(m, rr->rd.svcb.params);
		break;
	}
}

/* One input: decode, then walk everything the decoder stored. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dns_msg	 msg;
	uint16_t		 i;

	dns_msg_decode(data, size, &msg);
	if (msg.status >= DNS_E__MAX || msg.nqd > DNS_MAX_QD ||
	    msg.nrr > DNS_MAX_RRS || msg.trailing > msg.len)
		abort();
	(void)dns_strerror(msg.status);
	for (i = 0; i < msg.nqd; i++)
		print_name(&msg.qd[i].qname);
	for (i = 0; i < msg.nrr; i++) {
		print_name(&msg.rr[i].owner);
		print_rdata(&msg, &msg.rr[i]);
	}
	for (i = 0; i < msg.edns.nede; i++)
		check_bytes(&msg, msg.edns.ede_text[i]);
	return 0;
}
