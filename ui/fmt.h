/*
 * fmt.h -- the words for the engine's typed state, shared by every output:
 * names, addresses and lists as text, a finding's fields and its one-line
 * summary and its fix, a chain step's result, a sub-lookup's reason.  Each
 * writes into the caller's buffer (cut to fit) and returns it.
 */
#ifndef GLUETOP_FMT_H
#define GLUETOP_FMT_H

#include <stddef.h>

#include "engine/engine.h"

struct dns_name;

/* A name in presentation form ("?" for NULL). */
const char	*fmt_name(const struct dns_name *, char *, size_t);
const char	*fmt_addr(const struct eng_addr *, char *, size_t);
/* A field's value as text; lists joined with sep. */
const char	*fmt_field(const struct eng_finding *, const struct eng_field *,
		    const char *sep, char *, size_t);
/* A field by key ("" when the finding has none). */
const char	*fmt_key(const struct eng_finding *, enum eng_key, char *,
		    size_t);
/* One line for humans saying what the finding is. */
const char	*fmt_summary(const struct eng_finding *, char *, size_t);
/*
 * The fix of a root-cause finding (engine_finding_is_root), one sentence
 * with the finding's names filled in; "" and 0 for any other finding.
 * Returns the sentence's length as snprintf does: size or more when it was
 * cut, so a caller can ask again with more room (buf may be NULL when size
 * is 0).
 */
size_t		 fmt_fix(const struct eng_finding *, char *, size_t);
/* prefix and the fix in a buffer the caller frees, or NULL for no fix. */
char		*fmt_fix_dup(const struct eng_finding *, const char *prefix);
/*
 * A root cause's impact in words ("3 client lookups failed, 0 slowed, 2
 * clients, 9 queries spent"); "" for any other finding.
 */
const char	*fmt_impact(const struct eng_finding *, char *, size_t);
/* A response class in the operator's words: "referral", "no response". */
const char	*fmt_class(int cls);
/* What a step's server did in a word or two: "referral", "REFUSED". */
const char	*fmt_step_what(const struct eng_step *, char *, size_t);
/* What came back for a step: "-> zone.", "NOERROR 1/0/2", "no response". */
const char	*fmt_step_detail(const struct eng_step *, char *, size_t);
/* How a lookup ended: what the client got (SERVFAIL), else what the last
 * server did ("timed out", "REFUSED"), or "in flight". */
const char	*fmt_lookup_outcome(const struct eng_lookup *, char *, size_t);
/* An NS name's glue addresses, or "MISSING GLUE" / "no glue". */
const char	*fmt_ns_glue(const struct eng_zone_ns *, char *, size_t);
/* An extended DNS error: "EDE 22 (No Reachable Authority)". */
const char	*fmt_ede(unsigned code, char *, size_t);
/* Why a sub-lookup was made ("" for a top-level lookup). */
const char	*fmt_lookup_reason(const struct eng_lookup *, char *, size_t);
/* Lists of addresses and names joined with sep. */
const char	*fmt_addrs(const struct eng_addr *, unsigned, const char *sep,
		    char *, size_t);
const char	*fmt_names(const struct dns_name *const *, unsigned,
		    const char *sep, char *, size_t);

#define FMT_LIST_MAX	4096	/* a buffer that holds most lists */

#endif
