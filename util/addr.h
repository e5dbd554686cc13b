/*
 * addr.h -- IP addresses as gluetop passes them around.
 *
 * An address is a family (4 or 6) and 16 bytes, IPv4 in the first four.
 * addr_str() gives the usual text form; addr_parse() reads it back.
 * addr_is_private() tells RFC 1918, loopback, link-local, CGN and ULA space.
 */
#ifndef GLUETOP_ADDR_H
#define GLUETOP_ADDR_H

#include <stddef.h>
#include <stdint.h>

#define ADDR_STRLEN	46

const char	*addr_str(int family, const uint8_t *addr, char *buf,
		    size_t size);
int		 addr_parse(const char *, uint8_t *family, uint8_t addr[16]);
int		 addr_is_private(int family, const uint8_t *addr);

#endif
