/*
 * view_loops.c -- the Loops view: circular delegations drawn as rings,
 * then the most repeated questions (TsuNAME-style loops show up here).
 */
#include <inttypes.h>
#include <string.h>

#include "decode/dnstab.h"
#include "ui/curses_compat.h"
#include "ui/dash_int.h"
#include "util/addr.h"

#define REPEATS_MAX	64

/* The value of a finding's field, or "". */
static const char *
field(const struct eng_finding *f, const char *key)
{
	uint8_t	 i;

	for (i = 0; i < f->nfields; i++)
		if (strcmp(f->fields[i].key, key) == 0)
			return f->fields[i].val;
	return "";
}

/* Draw the cycles and the repeat table. */
void
view_loops_draw(struct dash *d, int y0, int rows)
{
	const struct eng_finding	**f;
	struct eng_repeat_view		  rp[REPEATS_MAX];
	char				  a[ADDR_STRLEN], t[16], ring[900];
	const char			 *c, *first;
	size_t				  len;
	size_t				  n, i, nr;
	int				  r = 0, k;

	n = engine_findings(d->eng, &f);
	dash_line(y0 + r++, 0, COLS, A_BOLD, " %s", "CIRCULAR DELEGATIONS");
	for (i = 0, k = 0; i < n && r < rows / 2; i++) {
		if (f[i]->kind != ENG_K_CIRCULAR_DELEGATION ||
		    !dash_match(d, field(f[i], "cycle")))
			continue;
		/* "a,b,c" drawn as "a -> b -> c -> a" */
		first = field(f[i], "cycle");
		for (len = 0, c = first; *c != '\0' && len + 8 < sizeof(ring);
		    c++)
			len += (size_t)snprintf(ring + len, sizeof(ring) - len,
			    *c == ',' ? " -> " : "%c", *c);
		snprintf(ring + len, sizeof(ring) - len, " -> %.*s",
		    (int)strcspn(first, ","), first);
		dash_line(y0 + r++, 0, COLS, dash_sev_attr(d, f[i]->sev),
		    "  %-8s %s%s", engine_sev_name(f[i]->sev), ring,
		    strcmp(field(f[i], "partial"), "true") == 0 ?
		    "  (partial)" : "");
		k++;
	}
	if (k == 0)
		dash_line(y0 + r++, 0, COLS, (int)A_NORMAL, "  none seen");
	dash_line(y0 + r++, 0, COLS, (int)A_NORMAL, "%s", "");
	dash_line(y0 + r++, 0, COLS, A_BOLD, " %7s %7s  %-40s %-6s %s",
	    "TOTAL", "WINDOW", "REPEATED QUESTION", "TYPE", "FROM");
	nr = engine_repeats(d->eng, rp, REPEATS_MAX);
	d->nrows = 0;
	for (i = 0; i < nr && r < rows; i++) {
		if (!dash_match(d, rp[i].qname))
			continue;
		dash_line(y0 + r++, 0, COLS, rp[i].count >= 10 ? dash_attr(d,
		    UIC_WARN) : (int)A_NORMAL, " %7" PRIu64 " %7" PRIu64
		    "  %-40s %-6s %s", rp[i].total, rp[i].count, rp[i].qname,
		    dns_type_str(rp[i].qtype, t, sizeof(t)),
		    addr_str(rp[i].family, rp[i].resolver, a, sizeof(a)));
	}
	while (r < rows)
		dash_line(y0 + r++, 0, COLS, (int)A_NORMAL, "%s", "");
}

enum ui_action
view_loops_key(struct dash *d, int ch)
{
	(void)d;
	(void)ch;
	return UI_NONE;
}
