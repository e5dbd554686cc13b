/*
 * termcheck.h -- can curses drive the terminal TERM names?
 *
 * termcheck_known() looks TERM up in the terminfo database without starting
 * curses and without printing, so that the dashboard is started only when it
 * can start (a newterm() that fails leaks its screen in ncurses).  It lives
 * apart from dash.c because <term.h> defines a macro for every terminfo
 * capability (lines, columns, ...), which clash with ordinary names.
 */
#ifndef GLUETOP_TERMCHECK_H
#define GLUETOP_TERMCHECK_H

/* 1 when TERM is set and known for the terminal on fd, else 0. */
int	termcheck_known(int fd);

#endif
