/* addr.c -- address text forms and address classes. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "util/addr.h"

/* A dotted quad into buf (16 bytes or more); returns its length. */
static size_t
addr_fmt4(const uint8_t *a, char *buf)
{
	size_t		 o = 0;
	int		 i;
	unsigned	 v;

	for (i = 0; i < 4; i++) {
		v = a[i];
		if (v >= 100)
			buf[o++] = (char)('0' + v / 100);
		if (v >= 10)
			buf[o++] = (char)('0' + v / 10 % 10);
		buf[o++] = (char)('0' + v % 10);
		buf[o++] = i < 3 ? '.' : '\0';
	}
	return o - 1;
}

/* Set *base and *len to the first longest run of two or more zero groups. */
static void
addr_zero_run(const uint16_t w[8], int *base, int *len)
{
	int	 i, start = -1;

	*base = -1;
	*len = 0;
	for (i = 0; i <= 8; i++) {
		if (i < 8 && w[i] == 0) {
			if (start == -1)
				start = i;
			continue;
		}
		if (start != -1 && i - start > *len && i - start >= 2) {
			*base = start;
			*len = i - start;
		}
		start = -1;
	}
}

/*
 * IPv6 text into buf (ADDR_STRLEN bytes): the longest zero run as "::",
 * groups in lower-case hex without leading zeros (RFC 5952 4), and the last
 * 32 bits dotted for IPv4-compatible and -mapped addresses, exactly as
 * glibc's inet_ntop(3) writes them.  Returns the length.
 */
static size_t
addr_fmt6(const uint8_t *a, char *buf)
{
	static const char	 hex[] = "0123456789abcdef";
	uint16_t		 w[8];
	size_t			 o = 0;
	int			 i, base, len, sh;

	for (i = 0; i < 8; i++)
		w[i] = (uint16_t)(a[2 * i] << 8 | a[2 * i + 1]);
	addr_zero_run(w, &base, &len);
	for (i = 0; i < 8; i++) {
		if (base != -1 && i >= base && i < base + len) {
			if (i == base)
				buf[o++] = ':';
			continue;
		}
		if (i != 0)
			buf[o++] = ':';
		if (i == 6 && base == 0 && (len == 6 ||
		    (len == 5 && w[5] == 0xffff)))
			return o + addr_fmt4(a + 12, buf + o);
		for (sh = 12; sh > 0 && (w[i] >> sh) == 0; sh -= 4)
			continue;
		for (; sh >= 0; sh -= 4)
			buf[o++] = hex[w[i] >> sh & 15];
	}
	if (base != -1 && base + len == 8)
		buf[o++] = ':';
	buf[o] = '\0';
	return o;
}

/*
 * The usual text form of an address, or "?" when buf is too small.  Hand
 * formatted: inet_ntop(3) goes through sprintf, and --dump prints two
 * addresses a line.
 */
const char *
addr_str(int family, const uint8_t *addr, char *buf, size_t size)
{
	char	 tmp[ADDR_STRLEN];
	size_t	 n;

	n = family == 6 ? addr_fmt6(addr, tmp) : addr_fmt4(addr, tmp);
	if (n < size)
		memcpy(buf, tmp, n + 1);
	else
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
