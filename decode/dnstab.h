/*
 * dnstab.h -- names of DNS numbers: types, classes, rcodes, opcodes, EDE.
 *
 * Each mapping is a { value, "NAME" } table ending in { 0, NULL } (STYLE.md
 * rule 16), with the defining RFC beside each row.  Lookups of unknown values
 * return NULL from the _name() functions; the _str() functions write the
 * RFC 3597 generic form ("TYPE65280", "CLASS7", "RCODE23") into buf instead.
 */
#ifndef GLUETOP_DNSTAB_H
#define GLUETOP_DNSTAB_H

#include <stddef.h>
#include <stdint.h>

struct dns_tok {
	uint16_t	 value;
	const char	*name;
};

const char	*dns_tok_name(const struct dns_tok *, uint16_t);
int		 dns_tok_value(const struct dns_tok *, const char *, uint16_t *);

extern const struct dns_tok dns_types[];
extern const struct dns_tok dns_classes[];
extern const struct dns_tok dns_rcodes[];
extern const struct dns_tok dns_opcodes[];
extern const struct dns_tok dns_ede_codes[];

/* Name of a value or its generic form, written into buf (16 bytes is
 * enough for every type, class, rcode and opcode) and returned. */
const char	*dns_type_str(uint16_t, char *buf, size_t size);
const char	*dns_class_str(uint16_t, char *buf, size_t size);
const char	*dns_rcode_str(uint16_t, char *buf, size_t size);
const char	*dns_opcode_str(uint16_t, char *buf, size_t size);

/* Parse "A", "aaaa", "TYPE65280"; returns 0 or -1. */
int		 dns_type_from_str(const char *, uint16_t *);

#endif
