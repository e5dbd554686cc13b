/*
 * alert.c -- new root causes to syslog(3), one line each.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "engine/engine.h"
#include "ui/alert.h"
#include "ui/fmt.h"
#include "util/xmalloc.h"

#define SEEN_SLOTS	16384	/* findings logged, remembered (a power of 2) */

/*
 * What was logged: a finding's id with the severity it was logged at,
 * in an open-addressed set.  When it is half full it is emptied: a
 * finding logged long ago may then be logged once more, which is the
 * lesser harm than missing a new one.
 */
struct alert {
	struct engine	*eng;
	uint64_t	 gen;
	size_t		 nseen;
	struct {
		uint32_t id;		/* 0: empty (finding ids start at 1) */
		uint8_t	 sev;
	}		 seen[SEEN_SLOTS];
};

struct alert *
alert_create(struct engine *e)
{
	struct alert	*a = xcalloc(1, sizeof(*a));

	a->eng = e;
	openlog("gluetop", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	return a;
}

/* The slot of id, or the empty slot where it would go. */
static size_t
seen_slot(const struct alert *a, uint32_t id)
{
	size_t	 i = (id * 2654435761u) & (SEEN_SLOTS - 1);

	while (a->seen[i].id != 0 && a->seen[i].id != id)
		i = (i + 1) & (SEEN_SLOTS - 1);
	return i;
}

/* Log f unless it was logged at this severity or above already. */
static void
alert_one(struct alert *a, const struct eng_finding *f)
{
	static const int	 prio[ENG_SEV__MAX] = { LOG_CRIT, LOG_ERR,
	    LOG_WARNING, LOG_NOTICE, LOG_INFO };
	char			 buf[1024];
	size_t			 i;

	if (!engine_finding_is_root(f) || f->sev > ENG_SEV_WARNING)
		return;
	i = seen_slot(a, f->id);
	if (a->seen[i].id == f->id && a->seen[i].sev <= f->sev)
		return;
	if (a->seen[i].id == 0) {
		if (a->nseen >= SEEN_SLOTS / 2) {
			memset(a->seen, 0, sizeof(a->seen));
			a->nseen = 0;
			i = seen_slot(a, f->id);
		}
		a->nseen++;
	}
	a->seen[i].id = f->id;
	a->seen[i].sev = f->sev;
	syslog(prio[f->sev], "%s %s (#%u): %s", engine_sev_name(f->sev),
	    engine_kind_name(f->kind), (unsigned)f->id,
	    fmt_summary(f, buf, sizeof(buf)));
}

void
alert_batch(struct alert *a)
{
	const struct eng_finding	**f;
	uint64_t			 gen;
	size_t				 n, i;

	if (a == NULL || (gen = engine_generation(a->eng)) == a->gen)
		return;
	n = engine_changed(a->eng, a->gen, &f);
	for (i = 0; i < n; i++)
		alert_one(a, f[i]);
	a->gen = gen;
}

void
alert_destroy(struct alert *a)
{
	if (a == NULL)
		return;
	closelog();
	free(a);
}
