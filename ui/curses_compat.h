/*
 * curses_compat.h -- the one place curses is included (STYLE.md rule 10).
 */
#ifndef GLUETOP_CURSES_COMPAT_H
#define GLUETOP_CURSES_COMPAT_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#if defined(HAVE_NCURSESW_CURSES_H)
#include <ncursesw/curses.h>
#elif defined(HAVE_NCURSES_H)
#include <ncurses.h>
#else
#include <curses.h>
#endif

#endif
