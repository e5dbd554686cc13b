/*
 * dash_stub.c -- placeholder until the dashboard lands: reports that no
 * terminal UI is available, so main falls back to the text report.
 */
#include <stddef.h>

#include "ui/dash.h"

/* No dashboard yet: the caller prints the report instead. */
int
dash_run(struct engine *e, const struct dash_info *info,
    const struct dash_feed *feed)
{
	(void)e;
	(void)info;
	(void)feed;
	return -1;
}

/* Nothing to restore. */
void
dash_restore(void)
{
}
