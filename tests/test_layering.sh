#!/bin/sh
# test_layering.sh -- the folders are the architecture (STYLE.md rules 7,
# 10, 13): curses only in ui/, pcap only in capture/, decode/ pure, and
# dependencies pointing one way.
. "${SRCDIR:-.}/tests/lib.sh"
cd "$SRCDIR" || exit 1

# Files under the given folders that match a pattern.
hits() { pat=$1; shift; grep -lE "$pat" "$@" 2>/dev/null; }

out=$(hits '#include <(n?curses|ncursesw/curses|ncurses)\.h>' *.c */*.c */*.h | grep -v '^ui/curses_compat.h$')
check "curses.h included outside ui/curses_compat.h: $out" [ -z "$out" ]
out=$(hits '#include <pcap' *.c */*.c */*.h | grep -vE '^(capture/|tests/test_net\.c|bench/)')
check "pcap.h included outside capture/: $out" [ -z "$out" ]
out=$(hits '(malloc|calloc|realloc|free|fopen|printf|fprintf|getenv)\(' decode/*.c decode/*.h)
check "decode/ allocates or does I/O: $out" [ -z "$out" ]
out=$(hits '#include <(stdio|stdlib)\.h>|#include "(util/xmalloc|util/log|engine|capture|ui)/' decode/*.c decode/*.h)
check "decode/ includes I/O, allocation or upper layers: $out" [ -z "$out" ]
out=$(grep -nE '^(static )?[a-z_ ]+[ *][a-z_]+(\[[^]]*\])? *(=[^=]|;)' decode/*.c | grep -v 'const' | grep -v '^[^:]*:[0-9]*:	')
check "decode/ has mutable globals: $out" [ -z "$out" ]
out=$(hits '#include "(ui|capture)/' engine/*.c engine/*.h)
check "engine/ reaches into ui/ or capture/: $out" [ -z "$out" ]
out=$(hits '#include "(ui|engine|decode)/' capture/*.c capture/*.h)
check "capture/ knows of DNS, the engine or the UI: $out" [ -z "$out" ]
out=$(hits '#include "(ui|engine|capture)/' input/*.c input/*.h)
check "input/ reaches into ui/, the engine or capture/: $out" [ -z "$out" ]
out=$(hits '#include "input/' capture/*.c decode/*.c engine/*.c engine/*.h ui/*.c ui/*.h)
check "input/ is included below main.c: $out" [ -z "$out" ]
out=$(hits '#include "ui/' capture/*.c decode/*.c engine/*.c input/*.c util/*.c)
check "a ui/ header is included below ui/: $out" [ -z "$out" ]
finish
