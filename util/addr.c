/* addr.c -- address text forms and address classes. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "util/addr.h"

/* The usual text form of an address. */
const char *
addr_str(int family, const uint8_t *addr, char *buf, size_t size)
{
	if (inet_ntop(family == 6 ? AF_INET6 : AF_INET, addr, buf,
	    (socklen_t)size) == NULL)
		snprintf(buf, size, "?");
	return buf;
}

/* Parse an IPv4 or IPv6 address; returns 0 or -1. */
int
addr_parse(const char *s, uint8_t *family, uint8_t addr[16])
{
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, s, addr) == 1) {
		*family = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, s, addr) == 1) {
		*family = 6;
		return 0;
	}
	return -1;
}

/* RFC 1918, 127/8, 169.254/16, 100.64/10, ::1, fe80::/10, fc00::/7. */
int
addr_is_private(int family, const uint8_t *a)
{
	static const uint8_t	 loop6[16] = { [15] = 1 };

	if (family == 4)
		return a[0] == 10 || a[0] == 127 ||
		    (a[0] == 172 && (a[1] & 0xf0) == 16) ||
		    (a[0] == 192 && a[1] == 168) ||
		    (a[0] == 169 && a[1] == 254) ||
		    (a[0] == 100 && (a[1] & 0xc0) == 64);
	return memcmp(a, loop6, 16) == 0 || (a[0] == 0xfe &&
	    (a[1] & 0xc0) == 0x80) || (a[0] & 0xfe) == 0xfc;
}
