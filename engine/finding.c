/*
 * finding.c -- the findings table: one entry per (kind, subject), updated
 * in place as more evidence arrives, most severe observation kept.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "engine/internal.h"
#include "util/xmalloc.h"

static uint32_t	finding_hash(enum eng_kind, const char *);

/* Hash of kind and subject. */
static uint32_t
finding_hash(enum eng_kind k, const char *subject)
{
	uint8_t	 kb = (uint8_t)k;

	return table_hash(table_hash(TABLE_HASH_INIT, &kb, 1), subject,
	    strlen(subject));
}

/* The finding for (kind, subject), or NULL. */
struct eng_finding *
finding_get(struct engine *e, enum eng_kind k, const char *subject)
{
	struct tnode	*n = NULL;
	struct finding	*f;
	uint32_t	 h = finding_hash(k, subject);

	while ((n = table_next(&e->findings, h, n)) != NULL) {
		f = (struct finding *)n;
		if (f->f.kind == k && strcmp(f->subject, subject) == 0)
			return &f->f;
	}
	return NULL;
}

/*
 * Record one more observation of (kind, subject) at time ts with its
 * evidence (frame and lookup id, 0 for none).  The severity only rises.
 */
struct eng_finding *
finding_raise(struct engine *e, enum eng_kind k, enum eng_sev sev,
    const char *subject, uint64_t ts, uint64_t frame, uint32_t chain)
{
	struct eng_finding	*ef;
	struct finding		*f;
	uint8_t			 i;

	if ((ef = finding_get(e, k, subject)) != NULL)
		table_touch(&e->findings, &((struct finding *)(void *)
		    ((char *)ef - offsetof(struct finding, f)))->node);
	else {
		f = xcalloc(1, sizeof(*f));
		snprintf(f->subject, sizeof(f->subject), "%s", subject);
		ef = &f->f;
		ef->id = e->next_finding++;
		ef->kind = (uint8_t)k;
		ef->sev = (uint8_t)sev;
		ef->first_ns = ts;
		table_insert(&e->findings, &f->node, finding_hash(k, subject));
	}
	if (sev < ef->sev)
		ef->sev = (uint8_t)sev;
	ef->count++;
	if (ts != 0 && (ef->first_ns == 0 || ts < ef->first_ns))
		ef->first_ns = ts;
	if (ts > ef->last_ns)
		ef->last_ns = ts;
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
	ef->gen = ++e->gen;
	return ef;
}

/* Set (or replace) a field of a finding. */
void
finding_set(struct eng_finding *f, const char *key, enum eng_ftype type,
    const char *fmt, ...)
{
	struct eng_field	*fl = NULL;
	va_list			 ap;
	uint8_t			 i;

	for (i = 0; i < f->nfields; i++)
		if (strcmp(f->fields[i].key, key) == 0)
			fl = &f->fields[i];
	if (fl == NULL) {
		if (f->nfields == ENG_FIELDS_MAX)
			return;
		fl = &f->fields[f->nfields++];
		fl->key = key;
	}
	fl->type = (uint8_t)type;
	va_start(ap, fmt);
	vsnprintf(fl->val, sizeof(fl->val), fmt, ap);
	va_end(ap);
}

/* Set the one-line human summary. */
void
finding_summary(struct eng_finding *f, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(f->summary, sizeof(f->summary), fmt, ap);
	va_end(ap);
}
