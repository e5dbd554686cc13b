/*
 * fmt.c -- text for the engine's typed state.  The engine keeps names,
 * addresses and numbers; this is the one place they become words, so the
 * report, the JSON summary and the dashboard say the same thing.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "decode/dname.h"
#include "decode/dnstab.h"
#include "ui/fmt.h"
#include "util/addr.h"
#include "util/xmalloc.h"

/*
 * Append formatted text at *len, never past size (buf may be NULL when size
 * is 0); *len counts what did not fit too, as snprintf's return does, so a
 * caller can tell a cut text and ask again with more room.
 */
static void
cat(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	if (*len < size)
		n = vsnprintf(buf + *len, size - *len, fmt, ap);
	else
		n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len += (size_t)n;
}

/* A name in presentation form. */
const char *
fmt_name(const struct dns_name *n, char *buf, size_t size)
{
	if (n == NULL || n->len == 0)
		snprintf(buf, size, "?");
	else
		dns_name_to_str(n, buf, size);
	return buf;
}

/* An address in its usual text form. */
const char *
fmt_addr(const struct eng_addr *a, char *buf, size_t size)
{
	return addr_str(a->family, a->b, buf, size);
}

/* Addresses joined with sep. */
const char *
fmt_addrs(const struct eng_addr *a, unsigned n, const char *sep, char *buf,
    size_t size)
{
	char		 t[ADDR_STRLEN];
	size_t		 len = 0;
	unsigned	 i;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		cat(buf, size, &len, "%s%s", i ? sep : "", fmt_addr(&a[i], t,
		    sizeof(t)));
	return buf;
}

/* Names joined with sep. */
const char *
fmt_names(const struct dns_name *const *v, unsigned n, const char *sep,
    char *buf, size_t size)
{
	char		 t[DNS_NAME_STRMAX];
	size_t		 len = 0;
	unsigned	 i;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		cat(buf, size, &len, "%s%s", i ? sep : "", fmt_name(v[i], t,
		    sizeof(t)));
	return buf;
}

/* A field's value as text. */
const char *
fmt_field(const struct eng_finding *f, const struct eng_field *fl,
    const char *sep, char *buf, size_t size)
{
	switch (engine_key_type((enum eng_key)fl->key)) {
	case ENG_V_NAME:
	case ENG_V_NAMES:
		return fmt_names(f->names + fl->off, fl->n, sep, buf, size);
	case ENG_V_ADDR:
	case ENG_V_ADDRS:
		return fmt_addrs(f->addrs + fl->off, fl->n, sep, buf, size);
	case ENG_V_BOOL:
		snprintf(buf, size, "%s", fl->num ? "true" : "false");
		return buf;
	case ENG_V_WORD:
		snprintf(buf, size, "%s", fl->word != NULL ? fl->word : "");
		return buf;
	case ENG_V_QTYPE:
		return dns_type_str((uint16_t)fl->num, buf, size);
	case ENG_V_NUM:
	default:
		snprintf(buf, size, "%" PRIu64, fl->num);
		return buf;
	}
}

/* A field by key, as text with lists joined by commas. */
const char *
fmt_key(const struct eng_finding *f, enum eng_key k, char *buf, size_t size)
{
	const struct eng_field	*fl = engine_field(f, k);

	if (fl == NULL) {
		buf[0] = '\0';
		return buf;
	}
	return fmt_field(f, fl, ",", buf, size);
}

/* A field's number (0 when absent). */
static uint64_t
num(const struct eng_finding *f, enum eng_key k)
{
	const struct eng_field	*fl = engine_field(f, k);

	return fl != NULL ? fl->num : 0;
}

/* A field's keyword ("" when absent). */
static const char *
word(const struct eng_finding *f, enum eng_key k)
{
	const struct eng_field	*fl = engine_field(f, k);

	return fl != NULL && fl->word != NULL ? fl->word : "";
}

/* Text of the fields a summary names, in fixed buffers. */
struct words {
	char	zone[DNS_NAME_STRMAX], server[ADDR_STRLEN];
	char	ns[FMT_LIST_MAX], list[FMT_LIST_MAX];
	char	qname[DNS_NAME_STRMAX], qtype[32], resolver[ADDR_STRLEN];
};

/* The summary of a query_loop finding, by the rule that raised it. */
static void
loop_summary(const struct eng_finding *f, const struct words *w, char *buf,
    size_t size)
{
	const char	*r = word(f, ENG_F_REASON);

	if (strcmp(r, "ping_pong") == 0)
		snprintf(buf, size, "%s goes round %" PRIu64 " questions (%s), "
		    "asking each %" PRIu64 "+ times without the lookup ever "
		    "finishing",
		    w->resolver, num(f, ENG_F_COUNT), w->list,
		    num(f, ENG_F_BAD));
	else if (*r != '\0')
		snprintf(buf, size, "lookup of %s %s by %s went over %" PRIu64
		    " %s", w->qname, w->qtype, w->resolver, num(f, ENG_F_BAD),
		    r);
	else
		snprintf(buf, size, "%s asked %s %s %" PRIu64 " times within %"
		    PRIu64 " s although it was answered", w->resolver,
		    w->qname, w->qtype, num(f, ENG_F_COUNT),
		    num(f, ENG_F_WINDOW));
}

/* The summary of a circular_delegation finding. */
static void
cycle_summary(const struct eng_finding *f, const struct words *w, char *buf,
    size_t size)
{
	const struct eng_field	*fl = engine_field(f, ENG_F_CYCLE);
	char			 last[DNS_NAME_STRMAX];
	int			 partial = num(f, ENG_F_PARTIAL) != 0;

	if (strcmp(word(f, ENG_F_DETECTED), "loop_on_path") == 0) {
		fmt_name(fl != NULL && fl->n > 0 ? f->names[fl->off + fl->n -
		    1] : NULL, last, sizeof(last));
		snprintf(buf, size, "lookup %" PRIu64 " loops: resolving an NS "
		    "name of %s needs %s again", num(f, ENG_F_ROOT), last,
		    last);
		return;
	}
	snprintf(buf, size, "%s: %s depend on each other's NS names (%s)%s",
	    partial ? "partly circular delegation" : "circular delegation",
	    w->list, w->ns, partial ? "; some NS names have an escape" :
	    " with no glue to break the loop");
}

/* The summary of a capture_health finding. */
static void
health_summary(const struct eng_finding *f, char *buf, size_t size)
{
	size_t	 len = 0;

	buf[0] = '\0';
	cat(buf, size, &len, "the capture is incomplete: %" PRIu64 " dropped, %"
	    PRIu64 " cut by the snaplen, %" PRIu64 " evicted",
	    num(f, ENG_F_DROPPED), num(f, ENG_F_TRUNCATED),
	    num(f, ENG_F_EVICTED));
	if (num(f, ENG_F_ONE_WAY))
		cat(buf, size, &len, ", traffic seen in one direction only");
	if (num(f, ENG_F_CLOCK_JUMPS))
		cat(buf, size, &len, ", %" PRIu64 " jumps of the packet clock",
		    num(f, ENG_F_CLOCK_JUMPS));
}

/*
 * The summary of a truncated_referral finding: the delegation (parent to
 * child zone) whose referral did not fit, and what the resolver did.
 */
static void
tc_summary(const struct eng_finding *f, const struct words *w, char *buf,
    size_t size)
{
	const char	*o = word(f, ENG_F_OUTCOME);
	char		 parent[DNS_NAME_STRMAX];
	size_t		 len = 0;

	buf[0] = '\0';
	cat(buf, size, &len, "%s truncated the referral", w->server);
	if (*fmt_key(f, ENG_F_PARENT, parent, sizeof(parent)) != '\0')
		cat(buf, size, &len, " from %s", parent);
	cat(buf, size, &len, " to %s", w->zone);
	if (num(f, ENG_F_LIMIT) != 0)
		cat(buf, size, &len, " (it did not fit in %" PRIu64 " bytes)",
		    num(f, ENG_F_LIMIT));
	cat(buf, size, &len, "; %s", strcmp(o, "tcp_answered") == 0 ?
	    "the retry over TCP was answered" : strcmp(o, "no_tcp_retry") ==
	    0 ? "the resolver did not retry over TCP" :
	    "the TCP fallback failed");
}

/* Summaries of the glue kinds (D1, D2, D3b). */
static void
glue_summary(const struct eng_finding *f, const struct words *w, char *buf,
    size_t size)
{
	char		 list[FMT_LIST_MAX];
	const char	*who;

	/* One finding per delegation (R2.1): every server that showed it. */
	who = *fmt_key(f, ENG_F_SERVERS, list, sizeof(list)) != '\0' ? list :
	    w->server;
	if (f->kind == ENG_K_GLUE_MISSING_IN_DOMAIN)
		snprintf(buf, size, "%s refers %s to in-domain %s without "
		    "glue%s", who, w->zone, w->ns, f->sev ==
		    ENG_SEV_CRITICAL ? ": the delegation cannot be followed" :
		    "");
	else if (f->kind == ENG_K_GLUE_MISSING_SIBLING)
		snprintf(buf, size, "%s refers %s to sibling %s without glue",
		    who, w->zone, w->ns);
	else
		snprintf(buf, size, "%s dropped glue for %s from a %" PRIu64
		    "-byte referral (limit %" PRIu64 ") without setting TC",
		    who, w->zone, num(f, ENG_F_SIZE),
		    num(f, ENG_F_LIMIT));
}

/* What a lame server did, for the operator (a D7 reason). */
static const char *
lame_words(const char *reason)
{
	static const struct {
		const char	*reason, *words;
	} map[] = {
		{ "refused", "answered REFUSED" },
		{ "servfail", "answered SERVFAIL" },
		{ "upward_referral", "referred the resolver back up the tree" },
		{ "recursive", "answered from a cache, without authority" },
		{ "empty", "gave an empty answer without authority" },
		{ "not_auth", "answered without authority (AA not set)" },
	};
	size_t	 i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(reason, map[i].reason) == 0)
			return map[i].words;
	return reason;
}

/* Summaries of the server kinds (D7, D9, D15). */
static void
server_summary(const struct eng_finding *f, const struct words *w, char *buf,
    size_t size)
{
	char		 bad[96];
	uint64_t	 nb = num(f, ENG_F_BAD), ns = num(f, ENG_F_NSERVERS);

	if (ns <= 1)
		snprintf(bad, sizeof(bad), "the zone's only server");
	else if (nb >= ns)
		snprintf(bad, sizeof(bad), "%s servers of the zone are lame "
		    "or silent", ns == 2 ? "both" : "all");
	else
		snprintf(bad, sizeof(bad), "%" PRIu64 " of the zone's %" PRIu64
		    " servers are lame or silent", nb, ns);
	if (f->kind == ENG_K_LAME_DELEGATION)
		snprintf(buf, size, "%s is listed for %s but %s (%s)",
		    w->server, w->zone, lame_words(word(f, ENG_F_REASON)), bad);
	else if (f->kind == ENG_K_SERVER_UNRESPONSIVE)
		snprintf(buf, size, "%s left %" PRIu64 " of the %" PRIu64
		    " queries it was sent unanswered%s%s", w->server,
		    num(f, ENG_F_TIMEOUTS), num(f, ENG_F_QUERIES),
		    num(f, ENG_F_ICMP) ? "; its host answered ICMP port "
		    "unreachable: nothing listens on port 53" : "",
		    *word(f, ENG_F_CONFIDENCE) ? "; the capture lost packets, "
		    "so some answers may be missing from it" : "");
	else
		snprintf(buf, size, "%" PRIu64 " responses from %s matched no "
		    "query seen (the capture may have started after them, or "
		    "spoofing)", num(f, ENG_F_COUNT), w->server);
}

/* Summaries of the delegation kinds (D4, D8, D9z, D11, D12, D13, D14). */
static void
deleg_summary(const struct eng_finding *f, const struct words *w, char *buf,
    size_t size)
{
	char	 a[FMT_LIST_MAX], b[FMT_LIST_MAX];

	switch (f->kind) {
	case ENG_K_OUT_OF_BAILIWICK_DATA:
		snprintf(buf, size, "%s, serving %s, sent %s data for %s",
		    w->server, w->zone, num(f, ENG_F_GLUE_RR) ?
		    "out-of-bailiwick glue" : "out-of-bailiwick",
		    fmt_key(f, ENG_F_OWNER, a, sizeof(a)));
		break;
	case ENG_K_NS_NAME_UNRESOLVABLE:
		snprintf(buf, size, "NS %s of %s does not resolve (%s)%s",
		    w->ns, w->zone, word(f, ENG_F_REASON), num(f,
		    ENG_F_OTHERS) ? "; other NS of the zone do" :
		    "; no other NS of the zone resolves");
		break;
	case ENG_K_ZONE_UNREACHABLE:
		snprintf(buf, size, "no server of %s answers (%s)", w->zone,
		    fmt_key(f, ENG_F_SERVERS, a, sizeof(a)));
		break;
	case ENG_K_NS_SET_MISMATCH:
		snprintf(buf, size, "the parent lists %s for %s, the zone "
		    "itself %s", fmt_key(f, ENG_F_PARENT_NS, a, sizeof(a)),
		    w->zone, fmt_key(f, ENG_F_CHILD_NS, b, sizeof(b)));
		break;
	case ENG_K_GLUE_MISMATCH:
		snprintf(buf, size, "glue for %s (%s) differs from its "
		    "authoritative addresses (%s)", w->ns, fmt_key(f,
		    ENG_F_GLUE, a, sizeof(a)), fmt_key(f, ENG_F_ADDRESSES, b,
		    sizeof(b)));
		break;
	case ENG_K_REFERRAL_REVISIT:
		snprintf(buf, size, "lookup of %s was referred back to %s after "
		    "entering it", w->qname, w->zone);
		break;
	case ENG_K_REFERRAL_SIZE:
		snprintf(buf, size, "a referral to %s for the longest name would "
		    "take %" PRIu64 " octets, over the %" PRIu64 " of UDP without "
		    "EDNS", w->zone, num(f, ENG_F_SIZE), num(f, ENG_F_LIMIT));
		break;
	default:
		snprintf(buf, size, "%s sets AA=1 on its referral to %s",
		    w->server, w->zone);
		break;
	}
}

/* One line for humans saying what the finding is. */
const char *
fmt_summary(const struct eng_finding *f, char *buf, size_t size)
{
	static struct words	 w;

	fmt_key(f, ENG_F_ZONE, w.zone, sizeof(w.zone));
	fmt_key(f, ENG_F_SERVER, w.server, sizeof(w.server));
	fmt_key(f, ENG_F_NS, w.ns, sizeof(w.ns));
	fmt_key(f, f->kind == ENG_K_CIRCULAR_DELEGATION ? ENG_F_CYCLE :
	    ENG_F_QNAMES, w.list, sizeof(w.list));
	fmt_key(f, ENG_F_QNAME, w.qname, sizeof(w.qname));
	fmt_key(f, ENG_F_QTYPE, w.qtype, sizeof(w.qtype));
	fmt_key(f, ENG_F_RESOLVER, w.resolver, sizeof(w.resolver));
	switch (f->kind) {
	case ENG_K_GLUE_MISSING_IN_DOMAIN:
	case ENG_K_GLUE_MISSING_SIBLING:
	case ENG_K_GLUE_DROPPED_WITHOUT_TC:
		glue_summary(f, &w, buf, size);
		break;
	case ENG_K_TRUNCATED_REFERRAL:
		tc_summary(f, &w, buf, size);
		break;
	case ENG_K_CIRCULAR_DELEGATION:
		cycle_summary(f, &w, buf, size);
		break;
	case ENG_K_QUERY_LOOP:
		loop_summary(f, &w, buf, size);
		break;
	case ENG_K_LAME_DELEGATION:
	case ENG_K_SERVER_UNRESPONSIVE:
	case ENG_K_UNSOLICITED_RESPONSE:
		server_summary(f, &w, buf, size);
		break;
	case ENG_K_CAPTURE_HEALTH:
		health_summary(f, buf, size);
		break;
	default:
		deleg_summary(f, &w, buf, size);
		break;
	}
	return buf;
}

/*
 * What a server did, in the operator's words: "referral", "answer",
 * "referred up", "no response" (a response class, enum eng_class).
 */
const char *
fmt_class(int cls)
{
	static const char *const words[ENG_C__MAX] = {
		[ENG_C_NONE] = "waiting",
		[ENG_C_TRUNCATED] = "truncated",
		[ENG_C_RCODE_ERROR] = "error",
		[ENG_C_ANSWER] = "answer",
		[ENG_C_CNAME] = "CNAME",
		[ENG_C_NXDOMAIN] = "NXDOMAIN",
		[ENG_C_NODATA] = "no data",
		[ENG_C_REFERRAL] = "referral",
		[ENG_C_UPWARD_REFERRAL] = "referred up",
		[ENG_C_SIDEWAYS_NS] = "sideways NS",
		[ENG_C_EMPTY] = "empty",
		[ENG_C_REC_LAME] = "not auth",
		[ENG_C_TIMEOUT] = "no response",
	};

	return cls >= 0 && cls < ENG_C__MAX && words[cls] != NULL ?
	    words[cls] : "?";
}

/* A step's response class in words, the rcode for an error. */
const char *
fmt_step_what(const struct eng_step *s, char *buf, size_t size)
{
	if (s->cls == ENG_C_RCODE_ERROR)
		return dns_rcode_str(s->rcode, buf, size);
	snprintf(buf, size, "%s", s->cls == ENG_C_TIMEOUT && s->icmp ?
	    "unreachable" : fmt_class(s->cls));
	return buf;
}

/* What came back for a step. */
const char *
fmt_step_detail(const struct eng_step *s, char *buf, size_t size)
{
	char	 t[32], z[DNS_NAME_STRMAX];

	if (s->cls == ENG_C_REFERRAL && s->referral != NULL)
		snprintf(buf, size, "-> %s", fmt_name(s->referral, z,
		    sizeof(z)));
	else if (s->cls == ENG_C_UPWARD_REFERRAL && s->referral != NULL)
		snprintf(buf, size, "referred back up to %s", fmt_name(
		    s->referral, z, sizeof(z)));
	else if (s->cls == ENG_C_REC_LAME)
		snprintf(buf, size, "answered without authority (a resolver?)");
	else if (s->cls == ENG_C_TIMEOUT)
		snprintf(buf, size, "%s", s->icmp ? "ICMP port unreachable" :
		    "no response");
	else if (s->cls == ENG_C_RCODE_ERROR || s->cls == ENG_C_NXDOMAIN)
		snprintf(buf, size, "%u/%u/%u", s->an, s->ns, s->ar);
	else if (s->rframe != 0)
		snprintf(buf, size, "%s %u/%u/%u", dns_rcode_str(s->rcode, t,
		    sizeof(t)), s->an, s->ns, s->ar);
	else
		buf[0] = '\0';
	return buf;
}

/* Why a sub-lookup was made. */
const char *
fmt_lookup_reason(const struct eng_lookup *l, char *buf, size_t size)
{
	char	 q[DNS_NAME_STRMAX], z[DNS_NAME_STRMAX];

	if (l->for_zone == NULL)
		buf[0] = '\0';
	else
		snprintf(buf, size, "address of NS %s for zone %s",
		    fmt_name(l->qname, q, sizeof(q)), fmt_name(l->for_zone, z,
		    sizeof(z)));
	return buf;
}

/*
 * How a lookup ended, in the operator's words: what the client got when
 * there was a client (SERVFAIL, NXDOMAIN, ...), else what the last server
 * did ("answered", "timed out", "referred back up").
 */
const char *
fmt_lookup_outcome(const struct eng_lookup *l, char *buf, size_t size)
{
	if (!l->done)
		return "in flight";
	if (l->outcome == ENG_C_NONE && !l->has_client)
		return "no answer";
	if (l->has_client && !l->client_answered)
		return "no answer";
	if (l->has_client)
		return dns_rcode_str(l->client_rcode, buf, size);
	if (l->outcome == ENG_C_RCODE_ERROR && l->nsteps > 0)
		return dns_rcode_str(l->steps[l->nsteps - 1].rcode, buf, size);
	return l->outcome == ENG_C_TIMEOUT ? "timed out" :
	    fmt_class(l->outcome);
}

/* An extended DNS error (RFC 8914) as "EDE 22 (No Reachable Authority)". */
const char *
fmt_ede(unsigned code, char *buf, size_t size)
{
	const char	*name = dns_tok_name(dns_ede_codes, (uint16_t)code);

	snprintf(buf, size, "EDE %u%s%s%s", code, name != NULL ? " (" : "",
	    name != NULL ? name : "", name != NULL ? ")" : "");
	return buf;
}

/* An NS name's glue as a referral gave it: its addresses, or why it has
 * none ("MISSING GLUE" when the parent had to give it). */
const char *
fmt_ns_glue(const struct eng_zone_ns *ns, char *buf, size_t size)
{
	if (ns->nglue > 0)
		return fmt_addrs(ns->glue, ns->nglue, " ", buf, size);
	snprintf(buf, size, "%s", ns->glue_state == ENG_GLUE_MISSING ?
	    "MISSING GLUE" : ns->glue_state == ENG_GLUE_NOT_NEEDED ?
	    "no glue (none needed)" : "no glue");
	return buf;
}

/*
 * The fields a fix sentence names, by the letter after % in its template,
 * and the words that stand in when the finding lacks one.
 */
static const struct {
	char		 c;
	uint8_t		 key;		/* enum eng_key */
	const char	*noun;
} fix_keys[] = {
	{ 'z', ENG_F_ZONE, "the zone" },
	{ 'p', ENG_F_PARENT, "the parent zone" },
	{ 'n', ENG_F_NS, "its NS names" },
	{ 's', ENG_F_SERVER, "the server" },
	{ 'S', ENG_F_SERVERS, "its servers" },
	{ 'c', ENG_F_CYCLE, "the zones of the cycle" },
	{ 'g', ENG_F_GLUE, "the glue" },
	{ 'a', ENG_F_ADDRESSES, "its addresses" },
	{ 'P', ENG_F_PARENT_NS, "the parent's NS names" },
	{ 'C', ENG_F_CHILD_NS, "the zone's NS names" },
	{ 'l', ENG_F_LIMIT, "the limit" },
	{ 0, ENG_F__MAX, NULL }
};

/* The row of fix_keys for a template letter, or the end row. */
static size_t
fix_row(char c)
{
	size_t	 i;

	for (i = 0; fix_keys[i].c != 0 && fix_keys[i].c != c; i++)
		continue;
	return i;
}

/* Does the finding have the field a template letter names? */
static int
fix_has(const struct eng_finding *f, char c)
{
	const struct eng_field	*fl;
	enum eng_key		 k = (enum eng_key)fix_keys[fix_row(c)].key;

	if (k == ENG_F__MAX || (fl = engine_field(f, k)) == NULL)
		return 0;
	return engine_key_type(k) == ENG_V_NUM || fl->n > 0;
}

/*
 * Append a field by template letter: names and addresses whole, one by one
 * and joined with ", " (no fixed buffer cuts a list), or its stand-in words.
 */
static void
fix_put(const struct eng_finding *f, char c, char *buf, size_t size,
    size_t *len)
{
	const struct eng_field	*fl;
	char			 t[DNS_NAME_STRMAX];
	size_t			 r = fix_row(c);
	enum eng_key		 k = (enum eng_key)fix_keys[r].key;
	unsigned		 i;

	if (!fix_has(f, c)) {
		cat(buf, size, len, "%s", fix_keys[r].noun != NULL ?
		    fix_keys[r].noun : "");
		return;
	}
	fl = engine_field(f, k);
	if (engine_key_type(k) == ENG_V_NUM) {
		cat(buf, size, len, "%" PRIu64, fl->num);
		return;
	}
	for (i = 0; i < fl->n; i++)
		cat(buf, size, len, "%s%s", i ? ", " : "", engine_key_type(k) ==
		    ENG_V_ADDR || engine_key_type(k) == ENG_V_ADDRS ?
		    fmt_addr(&f->addrs[fl->off + i], t, sizeof(t)) :
		    fmt_name(f->names[fl->off + i], t, sizeof(t)));
}

/* Does the finding have every field named in the template text [s, e)? */
static int
fix_complete(const struct eng_finding *f, const char *s, const char *e)
{
	for (; s < e; s++)
		if (*s == '%' && s + 1 < e && !fix_has(f, *++s))
			return 0;
	return 1;
}

/* Append template text [s, e): literal text, and %letter fields. */
static void
fix_expand(const struct eng_finding *f, const char *s, const char *e,
    char *buf, size_t size, size_t *len)
{
	size_t	 n;

	while (s < e) {
		for (n = 0; s + n < e && s[n] != '%'; n++)
			continue;
		cat(buf, size, len, "%.*s", (int)n, s);
		s += n;
		if (s + 1 < e) {
			fix_put(f, s[1], buf, size, len);
			s += 2;
		} else
			s = e;
	}
}

/*
 * Append a template.  A part in brackets, [a|b|...], gives choices: the
 * first whose fields the finding all has is written, and none if none is.
 * A field outside brackets that the finding lacks is written as words
 * ("the zone").  Brackets do not nest.
 */
static void
fix_template_put(const struct eng_finding *f, const char *t, char *buf,
    size_t size, size_t *len)
{
	const char	*e, *end, *bar;

	while (*t != '\0') {
		e = t + strcspn(t, "[");
		fix_expand(f, t, e, buf, size, len);
		if (*e == '\0')
			return;
		end = e + 1 + strcspn(e + 1, "]");
		for (t = e + 1; t < end; t = bar + 1) {
			for (bar = t; bar < end && *bar != '|'; bar++)
				continue;
			if (fix_complete(f, t, bar)) {
				fix_expand(f, t, bar, buf, size, len);
				break;
			}
		}
		t = *end != '\0' ? end + 1 : end;
	}
}

/* The fix template of a truncated_referral, by its outcome. */
static const char *
fix_tc(const struct eng_finding *f)
{
	if (strcmp(word(f, ENG_F_OUTCOME), "no_tcp_retry") == 0)
		return "let the resolver retry over TCP[ to %s] (allow it "
		    "outgoing TCP to port 53), or trim the delegation of %z[ "
		    "in %p] so its referral fits in one UDP message";
	return "make %s answer over TCP[ for %p] (check TCP port 53 in its "
	    "firewall), or trim the delegation of %z[ in %p] so its "
	    "referral fits in one UDP message";
}

/* The fix template of an ns_name_unresolvable, by its reason. */
static const char *
fix_nsname(const struct eng_finding *f)
{
	const char	*r = word(f, ENG_F_REASON);

	if (strcmp(r, "cname") == 0)
		return "replace NS %n of %z, a CNAME, with a name that has "
		    "A/AAAA records of its own";
	if (strcmp(r, "private_addr") == 0)
		return "give %n a public address, or remove it from the NS set "
		    "of %z and from its delegation[ in %p]";
	return "give %n A/AAAA records, or remove it from the NS set of %z "
	    "and from its delegation[ in %p]";
}

/*
 * Of three templates, the one for how many items field k of the finding
 * has: none, one, or several.
 */
static const char *
fix_count(const struct eng_finding *f, enum eng_key k,
    const char *const t[3])
{
	const struct eng_field	*fl = engine_field(f, k);

	if (fl == NULL || fl->n == 0)
		return t[0];
	return t[fl->n == 1 ? 1 : 2];
}

/* zone_unreachable, by how many servers it names. */
static const char *const fix_dead[3] = {
	"no server of %z answers: check its servers and their firewalls",
	"%S does not answer for %z: check the server and its firewall, or "
	    "remove it from the delegation",
	"%S do not answer for %z: check the servers and their firewalls, or "
	    "delegate %z to servers that answer",
};

/* glue_mismatch, by how many addresses the child publishes. */
static const char *const fix_glue_diff[3] = {
	"make the glue for %n[ in %p| in the delegation of %z] match the "
	    "address the child publishes[ (glue says %g)]",
	"make the glue for %n[ in %p| in the delegation of %z] match the "
	    "address the child publishes (%a[, glue says %g])",
	"make the glue for %n[ in %p| in the delegation of %z] match the "
	    "addresses the child publishes (%a[, glue says %g])",
};

/* The fix template of a root-cause finding (DETECTIONS.md R2.2). */
static const char *
fix_template(const struct eng_finding *f)
{
	switch (f->kind) {
	case ENG_K_GLUE_MISSING_IN_DOMAIN:
		return "add glue A/AAAA records for %n to the delegation of "
		    "%z[ in %p]";
	case ENG_K_GLUE_MISSING_SIBLING:
		return "add sibling glue for %n to the delegation of %z[ in "
		    "%p], or give %z an in-domain NS with glue";
	case ENG_K_GLUE_DROPPED_WITHOUT_TC:
		return "make [%S|%s] set TC when it leaves glue for %n out of its "
		    "referral to %z, or trim the delegation of %z[ in %p] so "
		    "its glue fits[ in %l octets]";
	case ENG_K_TRUNCATED_REFERRAL:
		return fix_tc(f);
	case ENG_K_CIRCULAR_DELEGATION:
		return "give one zone of the cycle[ (%c)] an NS name outside "
		    "it, or in-domain NS with glue";
	case ENG_K_LAME_DELEGATION:
		return "load %z on %s or remove [%n|the NS name with that "
		    "address] from the delegation[ in %p| of %z]";
	case ENG_K_NS_NAME_UNRESOLVABLE:
		return fix_nsname(f);
	case ENG_K_ZONE_UNREACHABLE:
		return fix_count(f, ENG_F_SERVERS, fix_dead);
	case ENG_K_NS_SET_MISMATCH:
		return "make the NS names of %z[ in %p| in its parent][ (%P)] "
		    "and in the zone itself[ (%C)] the same";
	case ENG_K_GLUE_MISMATCH:
		return fix_count(f, ENG_F_ADDRESSES, fix_glue_diff);
	default:
		return "";
	}
}

/*
 * The fix of a root-cause finding, one sentence with its names filled in;
 * "" for any other finding.  Returns the sentence's length, which is size
 * or more when it was cut (as snprintf does).
 */
size_t
fmt_fix(const struct eng_finding *f, char *buf, size_t size)
{
	size_t	 len = 0;

	if (size > 0)
		buf[0] = '\0';
	if (!engine_finding_is_root(f))
		return 0;
	fix_template_put(f, fix_template(f), buf, size, &len);
	return len;
}

/* What a root cause broke, in words; "" for other findings. */
const char *
fmt_impact(const struct eng_finding *f, char *buf, size_t size)
{
	const struct eng_impact	*i = &f->impact;

	if (!engine_finding_is_root(f)) {
		if (size > 0)
			buf[0] = '\0';
		return buf;
	}
	snprintf(buf, size, "%" PRIu64 " client lookup%s failed, %" PRIu64
	    " slowed, %" PRIu64 " client%s, %" PRIu64 " quer%s spent",
	    i->lookups_failed, i->lookups_failed == 1 ? "" : "s",
	    i->lookups_slowed, i->clients, i->clients == 1 ? "" : "s",
	    i->queries_spent, i->queries_spent == 1 ? "y" : "ies");
	return buf;
}

/* The fix after prefix in a buffer the caller frees; NULL for none. */
char *
fmt_fix_dup(const struct eng_finding *f, const char *prefix)
{
	size_t	 n = fmt_fix(f, NULL, 0), p = strlen(prefix);
	char	*buf;

	if (n == 0)
		return NULL;
	buf = xmalloc(p + n + 1);
	memcpy(buf, prefix, p);
	fmt_fix(f, buf + p, n + 1);
	return buf;
}
