/*
 * finding.c -- the findings table: one entry per kind and identity (up to
 * three names, an address and a number), updated in place as more evidence
 * arrives, the most severe observation kept.  Fields are typed values
 * (names, addresses, numbers, keywords) described by one table; the
 * outputs format them.  Every change moves the finding to the end of the
 * changed list, which streaming outputs read back from the end.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"
#include "util/xmalloc.h"

struct finding_ext {
	struct finding	 f;
	struct ename	*nref[ENG_FNAMES_MAX];	/* references behind names[],
						   valid up to f.f.nnames */
};

static const struct {
	const char	*name;
	uint8_t		 type;		/* enum eng_vtype */
	uint8_t		 hidden;
} keys[ENG_F__MAX] = {
	[ENG_F_ZONE] = { "zone", ENG_V_NAME, 0 },
	[ENG_F_PARENT] = { "parent", ENG_V_NAME, 0 },
	[ENG_F_SERVER] = { "server", ENG_V_ADDR, 0 },
	[ENG_F_NS] = { "ns", ENG_V_NAMES, 0 },
	[ENG_F_CYCLE] = { "cycle", ENG_V_NAMES, 0 },
	[ENG_F_SERVERS] = { "servers", ENG_V_ADDRS, 0 },
	[ENG_F_OWNER] = { "owner", ENG_V_NAME, 0 },
	[ENG_F_QNAME] = { "qname", ENG_V_NAME, 0 },
	[ENG_F_QTYPE] = { "qtype", ENG_V_QTYPE, 0 },
	[ENG_F_RESOLVER] = { "resolver", ENG_V_ADDR, 0 },
	[ENG_F_QNAMES] = { "qnames", ENG_V_NAMES, 0 },
	[ENG_F_COUNT] = { "count", ENG_V_NUM, 0 },
	[ENG_F_WINDOW] = { "window", ENG_V_NUM, 0 },
	[ENG_F_REASON] = { "reason", ENG_V_WORD, 0 },
	[ENG_F_OUTCOME] = { "outcome", ENG_V_WORD, 0 },
	[ENG_F_PARTIAL] = { "partial", ENG_V_BOOL, 0 },
	[ENG_F_DETECTED] = { "detected", ENG_V_WORD, 0 },
	[ENG_F_SIZE] = { "size", ENG_V_NUM, 0 },
	[ENG_F_LIMIT] = { "limit", ENG_V_NUM, 0 },
	[ENG_F_TIMEOUTS] = { "timeouts", ENG_V_NUM, 0 },
	[ENG_F_QUERIES] = { "queries", ENG_V_NUM, 0 },
	[ENG_F_CONFIDENCE] = { "confidence", ENG_V_WORD, 0 },
	[ENG_F_GLUE] = { "glue", ENG_V_ADDRS, 0 },
	[ENG_F_ADDRESSES] = { "addresses", ENG_V_ADDRS, 0 },
	[ENG_F_PARENT_NS] = { "parent_ns", ENG_V_NAMES, 0 },
	[ENG_F_CHILD_NS] = { "child_ns", ENG_V_NAMES, 0 },
	[ENG_F_MISMATCHED] = { "mismatched", ENG_V_BOOL, 0 },
	[ENG_F_DROPPED] = { "dropped", ENG_V_NUM, 0 },
	[ENG_F_TRUNCATED] = { "truncated", ENG_V_NUM, 0 },
	[ENG_F_ONE_WAY] = { "one_way", ENG_V_BOOL, 0 },
	[ENG_F_EVICTED] = { "evicted", ENG_V_NUM, 0 },
	[ENG_F_FRAGMENTS_LOST] = { "fragments_lost", ENG_V_NUM, 0 },
	[ENG_F_TCP_GAPS] = { "tcp_gaps", ENG_V_NUM, 0 },
	[ENG_F_UNSUPPORTED_LINK] = { "unsupported_link", ENG_V_NUM, 0 },
	[ENG_F_CLOCK_JUMPS] = { "clock_jumps", ENG_V_NUM, 0 },
	[ENG_F_BAD] = { "bad", ENG_V_NUM, 1 },
	[ENG_F_NSERVERS] = { "nservers", ENG_V_NUM, 1 },
	[ENG_F_OTHERS] = { "others", ENG_V_BOOL, 1 },
	[ENG_F_ROOT] = { "root", ENG_V_NUM, 1 },
	[ENG_F_ICMP] = { "icmp", ENG_V_BOOL, 1 },
	[ENG_F_GLUE_RR] = { "glue_rr", ENG_V_BOOL, 1 },
};

static struct finding_ext *ext(struct eng_finding *);
static uint32_t	finding_hash(enum eng_kind, struct ename *const [3],
		    const struct eng_addr *, uint64_t);
static struct eng_field *field_slot(struct eng_finding *, enum eng_key);

/* JSON name of a field. */
const char *
engine_key_name(enum eng_key k)
{
	return k < ENG_F__MAX ? keys[k].name : "?";
}

/* Type of a field's value. */
enum eng_vtype
engine_key_type(enum eng_key k)
{
	return k < ENG_F__MAX ? (enum eng_vtype)keys[k].type : ENG_V_NUM;
}

/* Is the field only for the summary line? */
int
engine_key_hidden(enum eng_key k)
{
	return k >= ENG_F__MAX || keys[k].hidden;
}

/* A finding's field by key, or NULL. */
const struct eng_field *
engine_field(const struct eng_finding *f, enum eng_key k)
{
	uint8_t		 i;

	for (i = 0; i < f->nfields; i++)
		if (f->fields[i].key == k)
			return &f->fields[i];
	return NULL;
}

/* Is the finding a root cause (R2.2), one with a fix to name? */
int
engine_finding_is_root(const struct eng_finding *f)
{
	return f->caused_by == 0 && finding_root_kind(f);
}

/* Is the finding of a kind that names something to change, linked or not? */
int
finding_root_kind(const struct eng_finding *f)
{
	const struct eng_field	*fl;

	switch (f->kind) {
	case ENG_K_GLUE_MISSING_IN_DOMAIN:
	case ENG_K_GLUE_MISSING_SIBLING:
	case ENG_K_GLUE_DROPPED_WITHOUT_TC:
	case ENG_K_CIRCULAR_DELEGATION:
	case ENG_K_LAME_DELEGATION:
	case ENG_K_NS_NAME_UNRESOLVABLE:
	case ENG_K_ZONE_UNREACHABLE:
	case ENG_K_NS_SET_MISMATCH:
	case ENG_K_GLUE_MISMATCH:
		return 1;
	case ENG_K_TRUNCATED_REFERRAL:
		/* tcp_answered: the fallback worked, nothing to change. */
		fl = engine_field(f, ENG_F_OUTCOME);
		return fl != NULL && fl->word != NULL &&
		    (strcmp(fl->word, "tcp_failed") == 0 ||
		    strcmp(fl->word, "no_tcp_retry") == 0);
	default:
		return 0;
	}
}

/* The entry around a public finding. */
static struct finding_ext *
ext(struct eng_finding *f)
{
	return (struct finding_ext *)(void *)((char *)f -
	    offsetof(struct finding, f));
}

/* Hash of a finding's identity. */
static uint32_t
finding_hash(enum eng_kind k, struct ename *const key[3],
    const struct eng_addr *a, uint64_t num)
{
	struct {
		const void	*n[3];
		struct eng_addr	 a;
		uint64_t	 num;
		uint8_t		 kind;
	} id;

	memset(&id, 0, sizeof(id));
	id.n[0] = key[0];
	id.n[1] = key[1];
	id.n[2] = key[2];
	if (a != NULL)
		id.a = *a;
	id.num = num;
	id.kind = (uint8_t)k;
	return table_hash(TABLE_HASH_INIT, &id, sizeof(id));
}

/* Free a finding and the references it holds. */
void
finding_free(struct tnode *n, void *arg)
{
	struct engine		*e = arg;
	struct finding_ext	*x = (struct finding_ext *)n;

	cause_free(e, &x->f);	/* first: it may mark others changed */
	if (x->f.cprev != NULL)
		x->f.cprev->cnext = x->f.cnext;
	else if (e->chead == &x->f)
		e->chead = x->f.cnext;
	if (x->f.cnext != NULL)
		x->f.cnext->cprev = x->f.cprev;
	else if (e->ctail == &x->f)
		e->ctail = x->f.cprev;
	name_puts(e, x->f.key, 3);
	name_puts(e, x->nref, x->f.f.nnames);
	if (e->sweep == &x->f)
		e->sweep = NULL;
	x->f.f.id = 0;		/* references to it now find it gone */
	e->gen++;
	pool_put(&e->pl_finding, x);
}

/* The finding for (kind, identity), or NULL. */
struct eng_finding *
finding_get(struct engine *e, enum eng_kind k, struct ename *const key[3],
    const struct eng_addr *a, uint64_t num)
{
	struct tnode	*n = NULL;
	struct finding	*f;
	struct eng_addr	 none;
	uint32_t	 h = finding_hash(k, key, a, num);

	memset(&none, 0, sizeof(none));
	while ((n = table_next(&e->findings, h, n)) != NULL) {
		f = (struct finding *)n;
		if (f->f.kind == k && f->key[0] == key[0] &&
		    f->key[1] == key[1] && f->key[2] == key[2] &&
		    f->key_num == num && addr_eq(&f->key_addr,
		    a != NULL ? a : &none))
			return &f->f;
	}
	return NULL;
}

/* Mark a finding changed: new generation, end of the changed list. */
void
finding_changed(struct engine *e, struct eng_finding *ef)
{
	struct finding	*f = &ext(ef)->f;

	ef->gen = ++e->gen;
	if (e->ctail == f)
		return;
	if (f->cprev != NULL || f->cnext != NULL || e->chead == f) {
		if (f->cprev != NULL)
			f->cprev->cnext = f->cnext;
		else
			e->chead = f->cnext;
		f->cnext->cprev = f->cprev;
	}
	f->cprev = e->ctail;
	f->cnext = NULL;
	if (e->ctail != NULL)
		e->ctail->cnext = f;
	else
		e->chead = f;
	e->ctail = f;
}

#define SWEEP_LOOK	32		/* findings looked at per turn */
#define SWEEP_EVERY_NS	1000000000	/* a turn per second of packet time */

/*
 * Clear the findings not seen for w_clear: a clock hand over the findings
 * table, SWEEP_LOOK entries a second of packet time, so the cost is
 * bounded whatever the table holds; a finding clears at most one sweep
 * of the table (max_findings / SWEEP_LOOK seconds) after its window.
 */
void
finding_sweep(struct engine *e, uint64_t now)
{
	struct finding	*f;
	unsigned	 k;

	if (now < e->sweep_ns + SWEEP_EVERY_NS)
		return;
	e->sweep_ns = now;
	for (k = 0; k < SWEEP_LOOK; k++) {
		if ((f = e->sweep) == NULL &&
		    (f = (struct finding *)table_oldest(&e->findings)) == NULL)
			return;
		e->sweep = (struct finding *)table_newer(&e->findings,
		    &f->node);
		if (!f->f.cleared && f->f.last_ns != 0 &&
		    now > f->f.last_ns + e->conf.w_clear_ns) {
			f->f.cleared = 1;
			finding_changed(e, &f->f);
		}
		if (e->sweep == NULL)
			return;		/* the next turn starts again */
	}
}

/* A new finding for (kind, identity). */
static struct eng_finding *
finding_new(struct engine *e, enum eng_kind k, enum eng_sev sev,
    struct ename *const key[3], const struct eng_addr *a, uint64_t num,
    uint64_t ts)
{
	struct finding_ext	*x = pool_take(&e->pl_finding, sizeof(*x),
				    offsetof(struct finding_ext, f.f.fields));
	int			 i;

	/*
	 * The arrays of f.f, and nref, are valid up to their counts; the
	 * rest is not.
	 */
	memset(&x->f.key, 0, offsetof(struct finding_ext, nref) -
	    offsetof(struct finding_ext, f.key));

	for (i = 0; i < 3; i++)
		x->f.key[i] = name_ref(key[i]);
	if (a != NULL)
		x->f.key_addr = *a;
	x->f.key_num = num;
	x->f.f.id = e->next_finding++;
	x->f.f.kind = (uint8_t)k;
	x->f.f.sev = (uint8_t)sev;
	x->f.f.first_ns = ts;
	table_insert(&e->findings, &x->f.node, finding_hash(k, key, a, num));
	return &x->f.f;
}

/* Add a frame and a chain to a finding's evidence, once each. */
static void
evidence(struct eng_finding *ef, uint64_t frame, uint32_t chain)
{
	uint8_t		 i;

	for (i = 0; frame != 0 && i < ef->nframes; i++)
		if (ef->frames[i] == frame)
			break;
	if (frame != 0 && i == ef->nframes && ef->nframes < ENG_EVIDENCE_MAX)
		ef->frames[ef->nframes++] = frame;
	for (i = 0; chain != 0 && i < ef->nchains; i++)
		if (ef->chains[i] == chain)
			break;
	if (chain != 0 && i == ef->nchains && ef->nchains < 4)
		ef->chains[ef->nchains++] = chain;
}

/*
 * Record one more observation of (kind, identity) at time ts with its
 * evidence (frame and lookup id, 0 for none).  The severity only rises.
 * The finding is held for the rest of the message.
 */
struct eng_finding *
finding_raise(struct engine *e, enum eng_kind k, enum eng_sev sev,
    struct ename *const key[3], const struct eng_addr *a, uint64_t num,
    uint64_t ts, uint64_t frame, uint32_t chain)
{
	struct eng_finding	*ef;

	if ((ef = finding_get(e, k, key, a, num)) != NULL)
		table_touch(&e->findings, &ext(ef)->f.node);
	else
		ef = finding_new(e, k, sev, key, a, num, ts);
	hold(e, &e->findings, &ext(ef)->f.node);
	ef->count++;
	ef->cleared = 0;
	if (ts != 0 && (ef->first_ns == 0 || ts < ef->first_ns))
		ef->first_ns = ts;
	if (ts > ef->last_ns)
		ef->last_ns = ts;
	evidence(ef, frame, chain);
	finding_changed(e, ef);
	if (sev < ef->sev)
		finding_sev(e, ef, sev);
	return ef;
}

/*
 * Raise a finding's severity to sev (never lowers it).  A consequence
 * linked to a root cause keeps its own severity aside and stays shown
 * at notice (cause.c).
 */
void
finding_sev(struct engine *e, struct eng_finding *f, enum eng_sev sev)
{
	struct finding	*x = &ext(f)->f;

	if (x->cause != NULL) {
		if (sev < x->own_sev)
			x->own_sev = (uint8_t)sev;
		return;
	}
	if (sev >= f->sev)
		return;
	f->sev = (uint8_t)sev;
	finding_changed(e, f);
}

/* The slot for a field, added in order when new; NULL when full. */
static struct eng_field *
field_slot(struct eng_finding *f, enum eng_key k)
{
	struct eng_field	*fl;
	uint8_t			 i;

	for (i = 0; i < f->nfields; i++)
		if (f->fields[i].key == k)
			return &f->fields[i];
	if (f->nfields == ENG_FIELDS_MAX)
		return NULL;
	fl = &f->fields[f->nfields++];
	memset(fl, 0, sizeof(*fl));
	fl->key = (uint8_t)k;
	return fl;
}

/* Is a key's value kept in the names pool (else the addresses pool)? */
static int
key_names(uint8_t key)
{
	enum eng_vtype	 t = engine_key_type((enum eng_key)key);

	return t == ENG_V_NAME || t == ENG_V_NAMES;
}

/*
 * Move every field's items to the front of the two pools, in field order:
 * the slots of values replaced earlier are reused.
 */
static void
pools_compact(struct finding_ext *x)
{
	struct eng_finding	*f = &x->f.f;
	struct ename		*ref[ENG_FNAMES_MAX];
	struct eng_addr		 a[ENG_FADDRS_MAX];
	struct eng_field	*fl;
	uint8_t			 i, k, wn = 0, wa = 0;

	memcpy(ref, x->nref, sizeof(ref));
	memcpy(a, f->addrs, sizeof(a));
	for (i = 0; i < f->nfields; i++) {
		fl = &f->fields[i];
		if (key_names(fl->key)) {
			for (k = 0; k < fl->n; k++) {
				x->nref[wn + k] = ref[fl->off + k];
				f->names[wn + k] = &ref[fl->off + k]->n;
			}
			fl->off = wn;
			wn = (uint8_t)(wn + fl->n);
		} else if (engine_key_type((enum eng_key)fl->key) ==
		    ENG_V_ADDR || engine_key_type((enum eng_key)fl->key) ==
		    ENG_V_ADDRS) {
			memcpy(&f->addrs[wa], &a[fl->off], fl->n * sizeof(*a));
			fl->off = wa;
			wa = (uint8_t)(wa + fl->n);
		}
	}
	for (i = wn; i < ENG_FNAMES_MAX; i++) {
		x->nref[i] = NULL;
		f->names[i] = NULL;
	}
	f->nnames = wn;
	f->naddrs = wa;
}

/* Set a list-of-names field (replacing an older, different value). */
void
finding_names(struct engine *e, struct eng_finding *f, enum eng_key k,
    struct ename *const *v, unsigned n)
{
	struct finding_ext	*x = ext(f);
	struct eng_field	*fl;
	unsigned		 i, same;

	if ((fl = field_slot(f, k)) == NULL)
		return;
	same = fl->n == n && fl->n > 0;
	for (i = 0; same && i < n; i++)
		same = x->nref[fl->off + i] == v[i];
	if (same)
		return;
	/* The old items' references go; the pool is compacted if full. */
	for (i = 0; i < fl->n; i++) {
		name_put(e, x->nref[fl->off + i]);
		x->nref[fl->off + i] = NULL;
		f->names[fl->off + i] = NULL;
	}
	fl->n = 0;
	if (n > (unsigned)(ENG_FNAMES_MAX - f->nnames))
		pools_compact(x);
	if (n > (unsigned)(ENG_FNAMES_MAX - f->nnames))
		n = (unsigned)(ENG_FNAMES_MAX - f->nnames);
	fl->off = f->nnames;
	fl->n = (uint8_t)n;
	for (i = 0; i < n; i++) {
		x->nref[f->nnames] = name_ref(v[i]);
		f->names[f->nnames++] = &v[i]->n;
	}
}

/* Set a one-name field. */
void
finding_name(struct engine *e, struct eng_finding *f, enum eng_key k,
    struct ename *v)
{
	finding_names(e, f, k, &v, v != NULL);
}

/* Set a list-of-addresses field. */
void
finding_addrs(struct eng_finding *f, enum eng_key k, const struct eng_addr *v,
    unsigned n)
{
	struct eng_field	*fl;

	if ((fl = field_slot(f, k)) == NULL)
		return;
	if (fl->n == n && n > 0 && memcmp(&f->addrs[fl->off], v,
	    n * sizeof(*v)) == 0)
		return;
	if (n > fl->n || fl->n == 0) {
		/* It does not fit where it was: to the end, compacted if full. */
		fl->n = 0;
		if (n > (unsigned)(ENG_FADDRS_MAX - f->naddrs))
			pools_compact(ext(f));
		if (n > (unsigned)(ENG_FADDRS_MAX - f->naddrs))
			n = (unsigned)(ENG_FADDRS_MAX - f->naddrs);
		fl->off = f->naddrs;
		f->naddrs = (uint8_t)(f->naddrs + n);
	}
	memcpy(&f->addrs[fl->off], v, n * sizeof(*v));
	fl->n = (uint8_t)n;
}

/* Set a one-address field. */
void
finding_addr(struct eng_finding *f, enum eng_key k, const struct eng_addr *v)
{
	finding_addrs(f, k, v, 1);
}

/*
 * Add an address to a list-of-addresses field once, the list kept to max
 * items (R2.1: the servers that showed one fault).
 */
void
finding_addr_add(struct eng_finding *f, enum eng_key k, const struct eng_addr *a,
    unsigned max)
{
	const struct eng_field	*fl = engine_field(f, k);
	struct eng_addr		 v[ENG_FADDRS_MAX];
	unsigned		 n = 0, i;

	/* Mostly there already: looked for in place, copied only to add. */
	if (fl != NULL) {
		n = fl->n;
		for (i = 0; i < n; i++)
			if (addr_eq(&f->addrs[fl->off + i], a))
				return;
	}
	if (n >= max || n >= ENG_FADDRS_MAX)
		return;
	if (n > 0)
		memcpy(v, &f->addrs[fl->off], n * sizeof(*v));
	v[n++] = *a;
	finding_addrs(f, k, v, n);
}

/* The servers that referred resolvers to zone z join f's servers. */
void
finding_referrers(struct eng_finding *f, const struct zone *z)
{
	uint8_t		 i;

	for (i = 0; i < z->nreferrer; i++)
		finding_addr_add(f, ENG_F_SERVERS, &z->referrer[i],
		    FINDING_SERVERS);
}

/* Add names to a list-of-names field, each once, up to max items. */
void
finding_names_add(struct engine *e, struct eng_finding *f, enum eng_key k,
    struct ename *const *add, unsigned nadd, unsigned max)
{
	struct finding_ext	*x = ext(f);
	const struct eng_field	*fl = engine_field(f, k);
	struct ename		*v[ENG_FNAMES_MAX];
	unsigned		 n = 0, i, j;

	if (fl != NULL) {
		n = fl->n;
		memcpy(v, &x->nref[fl->off], n * sizeof(*v));
	}
	if (max > ENG_FNAMES_MAX)
		max = ENG_FNAMES_MAX;
	for (j = 0; j < nadd && n < max; j++) {
		for (i = 0; i < n && v[i] != add[j]; i++)
			continue;
		if (i == n)
			v[n++] = add[j];
	}
	/* Held across the call: it lets the old items go first. */
	for (i = 0; i < n; i++)
		name_ref(v[i]);
	finding_names(e, f, k, v, n);
	name_puts(e, v, n);
}

/* Set a number (NUM, BOOL, QTYPE) field. */
void
finding_num(struct eng_finding *f, enum eng_key k, uint64_t v)
{
	struct eng_field	*fl;

	if ((fl = field_slot(f, k)) != NULL)
		fl->num = v;
}

/* Set a keyword field (static text). */
void
finding_word(struct eng_finding *f, enum eng_key k, const char *w)
{
	struct eng_field	*fl;

	if ((fl = field_slot(f, k)) != NULL)
		fl->word = w;
}

/*
 * Keep the worst severity of the zones and servers a finding names: the
 * engine's, so that every output shows the same.  Run for every finding
 * raised by a message once the message is done (its fields are set).
 */
void
finding_mark_worst(struct engine *e, struct eng_finding *f)
{
	static const enum eng_key zk[] = { ENG_F_ZONE, ENG_F_CYCLE };
	struct finding_ext	*x = ext(f);
	struct zone		*z;
	const struct eng_field	*fl;
	struct server		*s;
	uint8_t			 i, k;

	for (k = 0; k < 2; k++) {
		if ((fl = engine_field(f, zk[k])) == NULL)
			continue;
		for (i = 0; i < fl->n; i++)
			if (x->nref[fl->off + i] != NULL && (z =
			    deleg_zone_peek(e, x->nref[fl->off + i])) != NULL &&
			    z->worst > f->sev)
				z->worst = f->sev;
	}
	if ((fl = engine_field(f, ENG_F_SERVER)) != NULL && fl->n == 1 &&
	    (s = server_peek(e, &f->addrs[fl->off])) != NULL &&
	    s->worst > f->sev)
		s->worst = f->sev;
}
