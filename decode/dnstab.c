/*
 * dnstab.c -- names of DNS numbers, as { value, "NAME" } tables ending in
 * { 0, NULL } (STYLE.md rule 16), from the IANA DNS parameters registry.
 */
#include <string.h>
#include <strings.h>

#include "decode/dnstab.h"

static const char	*tok_str(const struct dns_tok *, const char *, uint16_t,
			    char *, size_t);

const struct dns_tok dns_types[] = {
	{ 1, "A" },		/* RFC 1035 */
	{ 2, "NS" },		/* RFC 1035 */
	{ 3, "MD" },		/* RFC 1035, obsolete */
	{ 4, "MF" },		/* RFC 1035, obsolete */
	{ 5, "CNAME" },		/* RFC 1035 */
	{ 6, "SOA" },		/* RFC 1035 */
	{ 7, "MB" },		/* RFC 1035 */
	{ 8, "MG" },		/* RFC 1035 */
	{ 9, "MR" },		/* RFC 1035 */
	{ 10, "NULL" },		/* RFC 1035 */
	{ 11, "WKS" },		/* RFC 1035 */
	{ 12, "PTR" },		/* RFC 1035 */
	{ 13, "HINFO" },	/* RFC 1035 */
	{ 14, "MINFO" },	/* RFC 1035 */
	{ 15, "MX" },		/* RFC 1035 */
	{ 16, "TXT" },		/* RFC 1035 */
	{ 17, "RP" },		/* RFC 1183 */
	{ 18, "AFSDB" },	/* RFC 1183 */
	{ 19, "X25" },		/* RFC 1183 */
	{ 20, "ISDN" },		/* RFC 1183 */
	{ 21, "RT" },		/* RFC 1183 */
	{ 22, "NSAP" },		/* RFC 1706 */
	{ 23, "NSAP-PTR" },	/* RFC 1706 */
	{ 24, "SIG" },		/* RFC 2535 */
	{ 25, "KEY" },		/* RFC 2535 */
	{ 26, "PX" },		/* RFC 2163 */
	{ 27, "GPOS" },		/* RFC 1712 */
	{ 28, "AAAA" },		/* RFC 3596 */
	{ 29, "LOC" },		/* RFC 1876 */
	{ 30, "NXT" },		/* RFC 2535 */
	{ 31, "EID" },		/* Patton, IANA */
	{ 32, "NIMLOC" },	/* Patton, IANA */
	{ 33, "SRV" },		/* RFC 2782 */
	{ 34, "ATMA" },		/* ATM Forum, IANA */
	{ 35, "NAPTR" },	/* RFC 3403 */
	{ 36, "KX" },		/* RFC 2230 */
	{ 37, "CERT" },		/* RFC 4398 */
	{ 38, "A6" },		/* RFC 2874 */
	{ 39, "DNAME" },	/* RFC 6672 */
	{ 40, "SINK" },		/* Eastlake, IANA */
	{ 41, "OPT" },		/* RFC 6891 */
	{ 42, "APL" },		/* RFC 3123 */
	{ 43, "DS" },		/* RFC 4034 */
	{ 44, "SSHFP" },	/* RFC 4255 */
	{ 45, "IPSECKEY" },	/* RFC 4025 */
	{ 46, "RRSIG" },	/* RFC 4034 */
	{ 47, "NSEC" },		/* RFC 4034 */
	{ 48, "DNSKEY" },	/* RFC 4034 */
	{ 49, "DHCID" },	/* RFC 4701 */
	{ 50, "NSEC3" },	/* RFC 5155 */
	{ 51, "NSEC3PARAM" },	/* RFC 5155 */
	{ 52, "TLSA" },		/* RFC 6698 */
	{ 53, "SMIMEA" },	/* RFC 8162 */
	{ 55, "HIP" },		/* RFC 8005 */
	{ 56, "NINFO" },	/* Reid, IANA */
	{ 57, "RKEY" },		/* Reid, IANA */
	{ 58, "TALINK" },	/* Wijngaards, IANA */
	{ 59, "CDS" },		/* RFC 7344 */
	{ 60, "CDNSKEY" },	/* RFC 7344 */
	{ 61, "OPENPGPKEY" },	/* RFC 7929 */
	{ 62, "CSYNC" },	/* RFC 7477 */
	{ 63, "ZONEMD" },	/* RFC 8976 */
	{ 64, "SVCB" },		/* RFC 9460 */
	{ 65, "HTTPS" },	/* RFC 9460 */
	{ 66, "DSYNC" },	/* draft-ietf-dnsop-generalized-notify */
	{ 99, "SPF" },		/* RFC 7208 */
	{ 100, "UINFO" },	/* IANA, reserved */
	{ 101, "UID" },		/* IANA, reserved */
	{ 102, "GID" },		/* IANA, reserved */
	{ 103, "UNSPEC" },	/* IANA, reserved */
	{ 104, "NID" },		/* RFC 6742 */
	{ 105, "L32" },		/* RFC 6742 */
	{ 106, "L64" },		/* RFC 6742 */
	{ 107, "LP" },		/* RFC 6742 */
	{ 108, "EUI48" },	/* RFC 7043 */
	{ 109, "EUI64" },	/* RFC 7043 */
	{ 249, "TKEY" },	/* RFC 2930 */
	{ 250, "TSIG" },	/* RFC 8945 */
	{ 251, "IXFR" },	/* RFC 1995 */
	{ 252, "AXFR" },	/* RFC 1035 */
	{ 253, "MAILB" },	/* RFC 1035 */
	{ 254, "MAILA" },	/* RFC 1035 */
	{ 255, "ANY" },		/* RFC 1035, RFC 8482 */
	{ 256, "URI" },		/* RFC 7553 */
	{ 257, "CAA" },		/* RFC 8659 */
	{ 258, "AVC" },		/* Wolfgang Riedel, IANA */
	{ 259, "DOA" },		/* draft-durand-doa-over-dns */
	{ 260, "AMTRELAY" },	/* RFC 8777 */
	{ 261, "RESINFO" },	/* RFC 9606 */
	{ 262, "WALLET" },	/* IANA */
	{ 263, "CLA" },		/* IANA */
	{ 264, "IPN" },		/* IANA */
	{ 32768, "TA" },	/* DNSSEC Trust Authorities */
	{ 32769, "DLV" },	/* RFC 8749 */
	{ 0, NULL }
};

const struct dns_tok dns_classes[] = {
	{ 1, "IN" },		/* RFC 1035 */
	{ 3, "CH" },		/* RFC 1035 */
	{ 4, "HS" },		/* RFC 1035 */
	{ 254, "NONE" },	/* RFC 2136 */
	{ 255, "ANY" },		/* RFC 1035 */
	{ 0, NULL }
};

const struct dns_tok dns_rcodes[] = {
	{ 0, "NOERROR" },	/* RFC 1035 */
	{ 1, "FORMERR" },	/* RFC 1035 */
	{ 2, "SERVFAIL" },	/* RFC 1035 */
	{ 3, "NXDOMAIN" },	/* RFC 1035 */
	{ 4, "NOTIMP" },	/* RFC 1035 */
	{ 5, "REFUSED" },	/* RFC 1035 */
	{ 6, "YXDOMAIN" },	/* RFC 2136 */
	{ 7, "YXRRSET" },	/* RFC 2136 */
	{ 8, "NXRRSET" },	/* RFC 2136 */
	{ 9, "NOTAUTH" },	/* RFC 2136, RFC 8945 */
	{ 10, "NOTZONE" },	/* RFC 2136 */
	{ 11, "DSOTYPENI" },	/* RFC 8490 */
	{ 16, "BADVERS" },	/* RFC 6891 (BADSIG in TSIG, RFC 8945) */
	{ 16, "BADSIG" },	/* RFC 8945, same value: parsed, never printed */
	{ 17, "BADKEY" },	/* RFC 8945 */
	{ 18, "BADTIME" },	/* RFC 8945 */
	{ 19, "BADMODE" },	/* RFC 2930 */
	{ 20, "BADNAME" },	/* RFC 2930 */
	{ 21, "BADALG" },	/* RFC 2930 */
	{ 22, "BADTRUNC" },	/* RFC 8945 */
	{ 23, "BADCOOKIE" },	/* RFC 7873 */
	{ 0, NULL }
};

const struct dns_tok dns_opcodes[] = {
	{ 0, "QUERY" },		/* RFC 1035 */
	{ 1, "IQUERY" },	/* RFC 3425, obsolete */
	{ 2, "STATUS" },	/* RFC 1035 */
	{ 4, "NOTIFY" },	/* RFC 1996 */
	{ 5, "UPDATE" },	/* RFC 2136 */
	{ 6, "DSO" },		/* RFC 8490 */
	{ 0, NULL }
};

const struct dns_tok dns_ede_codes[] = {
	{ 0, "Other Error" },			/* RFC 8914 */
	{ 1, "Unsupported DNSKEY Algorithm" },	/* RFC 8914 */
	{ 2, "Unsupported DS Digest Type" },	/* RFC 8914 */
	{ 3, "Stale Answer" },			/* RFC 8914 */
	{ 4, "Forged Answer" },			/* RFC 8914 */
	{ 5, "DNSSEC Indeterminate" },		/* RFC 8914 */
	{ 6, "DNSSEC Bogus" },			/* RFC 8914 */
	{ 7, "Signature Expired" },		/* RFC 8914 */
	{ 8, "Signature Not Yet Valid" },	/* RFC 8914 */
	{ 9, "DNSKEY Missing" },		/* RFC 8914 */
	{ 10, "RRSIGs Missing" },		/* RFC 8914 */
	{ 11, "No Zone Key Bit Set" },		/* RFC 8914 */
	{ 12, "NSEC Missing" },			/* RFC 8914 */
	{ 13, "Cached Error" },			/* RFC 8914 */
	{ 14, "Not Ready" },			/* RFC 8914 */
	{ 15, "Blocked" },			/* RFC 8914 */
	{ 16, "Censored" },			/* RFC 8914 */
	{ 17, "Filtered" },			/* RFC 8914 */
	{ 18, "Prohibited" },			/* RFC 8914 */
	{ 19, "Stale NXDOMAIN Answer" },	/* RFC 8914 */
	{ 20, "Not Authoritative" },		/* RFC 8914 */
	{ 21, "Not Supported" },		/* RFC 8914 */
	{ 22, "No Reachable Authority" },	/* RFC 8914 */
	{ 23, "Network Error" },		/* RFC 8914 */
	{ 24, "Invalid Data" },			/* RFC 8914 */
	{ 25, "Signature Expired before Valid" },	/* RFC 9077 */
	{ 26, "Too Early" },			/* RFC 9250 */
	{ 27, "Unsupported NSEC3 Iterations Value" },	/* RFC 9276 */
	{ 28, "Unable to conform to policy" },	/* IANA */
	{ 29, "Synthesized" },			/* IANA */
	{ 0, NULL }
};

/* The name for a value, or NULL. */
const char *
dns_tok_name(const struct dns_tok *t, uint16_t v)
{
	for (; t->name != NULL; t++)
		if (t->value == v)
			return t->name;
	return NULL;
}

/* The value for a name (case-insensitive); 0 or -1. */
int
dns_tok_value(const struct dns_tok *t, const char *name, uint16_t *v)
{
	for (; t->name != NULL; t++) {
		if (strcasecmp(t->name, name) == 0) {
			*v = t->value;
			return 0;
		}
	}
	return -1;
}

/* Name or generic form with a prefix ("TYPE65280"), always into buf. */
static const char *
tok_str(const struct dns_tok *t, const char *prefix, uint16_t v, char *buf,
    size_t size)
{
	const char	*n = dns_tok_name(t, v);
	char		 digits[6];
	size_t		 nd = 0, o = 0;

	if (n != NULL) {
		while (*n != '\0' && o + 1 < size)
			buf[o++] = *n++;
		if (size > 0)
			buf[o] = '\0';
		return buf;
	}
	do
		digits[nd++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (*prefix != '\0' && o + 1 < size)
		buf[o++] = *prefix++;
	while (nd > 0 && o + 1 < size)
		buf[o++] = digits[--nd];
	if (size > 0)
		buf[o] = '\0';
	return buf;
}

/* The name of a type, or its generic form (RFC 3597 §5). */
const char *
dns_type_str(uint16_t v, char *buf, size_t size)
{
	return tok_str(dns_types, "TYPE", v, buf, size);
}

/* The name of a class, or its generic form (RFC 3597 §5). */
const char *
dns_class_str(uint16_t v, char *buf, size_t size)
{
	return tok_str(dns_classes, "CLASS", v, buf, size);
}

/* The name of an rcode, or its generic form (RFC 3597 §5). */
const char *
dns_rcode_str(uint16_t v, char *buf, size_t size)
{
	return tok_str(dns_rcodes, "RCODE", v, buf, size);
}

/* The name of an opcode, or its generic form (RFC 3597 §5). */
const char *
dns_opcode_str(uint16_t v, char *buf, size_t size)
{
	return tok_str(dns_opcodes, "OPCODE", v, buf, size);
}

/* Parse a type name or the RFC 3597 TYPEnnn form. */
int
dns_type_from_str(const char *s, uint16_t *v)
{
	unsigned long	 n = 0;

	if (dns_tok_value(dns_types, s, v) == 0)
		return 0;
	if (strncasecmp(s, "TYPE", 4) != 0 || s[4] == '\0')
		return -1;
	for (s += 4; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || (n = n * 10 +
		    (unsigned long)(*s - '0')) > 65535)
			return -1;
	}
	*v = (uint16_t)n;
	return 0;
}
