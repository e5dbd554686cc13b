/*
 * xmalloc.h -- allocation that never returns NULL.
 *
 * Out of memory is a bug-class failure for gluetop (STYLE.md rule 21): every
 * table is bounded, so running out means something is wrong.  These wrappers
 * call fatal() instead of returning NULL.  Memory comes from and goes back to
 * the C library: free the result with free().  decode/ never includes this.
 */
#ifndef GLUETOP_XMALLOC_H
#define GLUETOP_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);

#endif
