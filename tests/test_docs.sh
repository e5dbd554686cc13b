#!/bin/sh
# test_docs.sh -- the manual and the README say what the binary does:
#  - every option gluetop --help prints (and every one main.c's option
#    tables accept) is an item of the manual's OPTIONS section;
#  - every JSON member gluetop --json --chains prints on the samples is an
#    item of the JSON OUTPUT section, and every member that section lists
#    is printed by some sample (bar the exceptions below);
#  - every non-hidden finding field of the engine's key table is listed in
#    JSON OUTPUT;
#  - every finding kind of the engine's kind table has its subsection in
#    FINDINGS with its severity, an example and a fix, and FINDINGS has no
#    other kinds;
#  - README.md links to nothing outside the repository;
#  - mandoc -T lint reports no warning (when mandoc is installed).
# Sections are read twice: from the mdoc source (the .Sh blocks, whose .It
# and .Ss lines name what is documented) and, with mandoc, from the
# rendered page, so that a name hidden in a comment or a broken macro does
# not count.  Needs python3 for its json module.
. "${SRCDIR:-.}/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is needed to parse JSON"
[ -x "$GLUETOP" ] || skip "no gluetop binary at $GLUETOP"
tmp=${TMPDIR:-/tmp}/gluetop-docs.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
man=$SRCDIR/gluetop.8

# JSON members the manual lists although no bundled sample prints them.
# Each must be a member that only live capture or a fault the samples do
# not contain produces; keep the reason beside it.
json_exceptions='
dropped           capture_health: kernel and interface drops, live only
truncated         capture_health: snaplen cuts; the samples are whole
one_way           capture_health: one-way traffic; the samples have both ways
fragments_lost    capture_health: incomplete IP fragments; none in the samples
unsupported_link  capture_health: unknown link types; none in the samples
confidence        server_unresponsive on a damaged capture; samples are whole
detected          circular_delegation seen inside one lookup (loop_on_path)
parent_ns         ns_set_mismatch: no sample has differing NS sets
event             streamed JSON only (live, or --stream); the test runs batch
'

# section NAME: the mdoc source of section NAME, comments left out.
section() {
	awk -v want="$1" '
	/^\.\\"/ { next }
	/^\.Sh / { on = (substr($0, 5) == want); next }
	on' "$man"
}

# item_words: the Cm and Fl arguments of the .It lines on stdin, one a
# line (Fl with its dash: "Fl -json" gives --json).
item_words() {
	awk '
	/^\.It / {
		mode = ""
		for (i = 2; i <= NF; i++) {
			if ($i == "Cm" || $i == "Fl") { mode = $i; continue }
			if ($i ~ /^[A-Z][a-z][a-z]?$/) { mode = ""; continue }
			if ($i == "," || mode == "") continue
			if (mode == "Fl") { print "-" $i; mode = "" }
			else print $i
		}
	}'
}

# The rendered page, one file per section (when mandoc is here).
rendered=
if command -v mandoc >/dev/null 2>&1; then
	mandoc -T lint -W warning "$man" >"$tmp/lint" 2>&1
	check "mandoc -T lint -W warning gluetop.8 is clean: $(head -n 3 "$tmp/lint")" \
	    [ ! -s "$tmp/lint" ]
	if mandoc -T utf8 "$man" >"$tmp/page.raw" 2>/dev/null; then
		python3 - "$tmp/page.raw" "$tmp" <<'EOF'
import re
import sys
text = open(sys.argv[1], encoding="utf-8").read()
text = re.sub(".\b", "", text)
out = None
for line in text.splitlines():
    # Section headings are the unindented upper-case lines.
    if re.fullmatch(r"[A-Z][A-Z ]+", line):
        out = open("%s/rendered-%s" % (sys.argv[2], line.replace(" ", "_")),
                   "w", encoding="utf-8")
        continue
    if out is not None:
        out.write(line + "\n")
EOF
		rendered=$tmp/rendered-
	fi
else
	printf 'note: mandoc not found; the sections are read from the source only\n'
fi

# in_rendered SECTION WORD: WORD is a word of the rendered SECTION (always
# true without mandoc).
in_rendered() {
	[ -z "$rendered" ] && return 0
	f=$rendered$(printf '%s' "$1" | tr ' ' _)
	[ -f "$f" ] || return 1
	grep -qE -- "(^|[^a-z0-9_-])$(printf '%s' "$2" |
	    sed 's/[.[\*^$]/\\&/g')([^a-z0-9_-]|\$)" "$f"
}

for s in OPTIONS "JSON OUTPUT" FINDINGS; do
	check "gluetop.8 has a section $s" grep -q "^\\.Sh $s\$" "$man"
done

# --- Options: gluetop --help, and main.c's tables --------------------------
section OPTIONS | item_words | sort -u >"$tmp/opt-doc"
"$GLUETOP" --help >"$tmp/help" 2>&1
check "gluetop --help exits 0" [ $? -eq 0 ]
# "-hpDvV" is a bundle of short options; "-r file" one; "--json" a long one.
grep -oE -- '(^|[[ ])--?[A-Za-z][A-Za-z-]*' "$tmp/help" |
    sed 's/^[[ ]*//' | while read -r o; do
	case $o in
	--*) echo "$o" ;;
	*) printf '%s\n' "${o#-}" | sed 's/./-&\n/g' | grep . ;;
	esac
done | sort -u >"$tmp/opt-help"
check "gluetop --help names at least 20 options" \
    [ "$(wc -l <"$tmp/opt-help")" -ge 20 ]
# What getopt_long really accepts, from main.c (when it can be read).
main=$SRCDIR/main.c
{
	sed -n 's/.*getopt_long(argc, argv, "\([^"]*\)".*/\1/p' "$main" |
	    tr -d '+:' | sed 's/./-&\n/g' | grep .
	sed -n 's/^[[:space:]]*{ "\([a-z][a-z-]*\)", [a-z_]*argument,.*/--\1/p' \
	    "$main"
} 2>/dev/null | sort -u >"$tmp/opt-src"
[ -s "$tmp/opt-src" ] ||
    printf 'note: no option table found in main.c; --help only\n'
sort -u "$tmp/opt-help" "$tmp/opt-src" | while read -r o; do
	if grep -qx -- "$o" "$tmp/opt-doc" && in_rendered OPTIONS "$o"; then
		echo "ok $o"
	else
		echo "missing $o"
	fi
done >"$tmp/opt-res"
while read -r res o; do
	if [ "$res" = ok ]; then ok; else
		bad "option $o is not an item of gluetop.8 OPTIONS"
	fi
done <"$tmp/opt-res"

# --- JSON members ----------------------------------------------------------
section "JSON OUTPUT" | item_words | grep -E '^[a-z_][a-z0-9_]*$' |
    sort -u >"$tmp/json-doc"
check "JSON OUTPUT lists at least 60 members" \
    [ "$(wc -l <"$tmp/json-doc")" -ge 60 ]
find "$SRCDIR/samples" -name '*.pcap*' | sort >"$tmp/samples"
check "there are samples to run" [ -s "$tmp/samples" ]
: >"$tmp/all.json"
while read -r f; do
	if "$GLUETOP" --json --chains -r "$f" >>"$tmp/all.json" \
	    2>"$tmp/err" </dev/null; then
		ok
	else
		bad "gluetop --json --chains -r $f failed: $(head -c 200 "$tmp/err")"
	fi
done <"$tmp/samples"
python3 -c '
import json, sys
keys = set()
def walk(x):
    if isinstance(x, dict):
        for k, v in x.items():
            keys.add(k)
            walk(v)
    elif isinstance(x, list):
        for v in x:
            walk(v)
for line in open(sys.argv[1]):
    walk(json.loads(line))
print("\n".join(sorted(keys)))
' "$tmp/all.json" >"$tmp/json-out" 2>"$tmp/err"
check "the JSON of the samples parses: $(head -c 200 "$tmp/err")" \
    [ -s "$tmp/json-out" ]
while read -r k; do
	if grep -qx -- "$k" "$tmp/json-doc" && in_rendered "JSON OUTPUT" "$k"
	then ok; else
		bad "JSON member $k is printed but not an item of gluetop.8 JSON OUTPUT"
	fi
done <"$tmp/json-out"
printf '%s\n' "$json_exceptions" | awk 'NF { print $1 }' | sort -u \
    >"$tmp/json-exc"
while read -r k; do
	if grep -qx -- "$k" "$tmp/json-out"; then
		ok
	elif grep -qx -- "$k" "$tmp/json-exc"; then
		ok
	else
		bad "gluetop.8 JSON OUTPUT lists $k, which no sample prints (a stale member, or add it to the exceptions with the reason)"
	fi
done <"$tmp/json-doc"
while read -r k; do
	grep -qx -- "$k" "$tmp/json-doc" ||
	    bad "exception $k is not listed in gluetop.8 JSON OUTPUT"
	grep -qx -- "$k" "$tmp/json-out" &&
	    printf 'note: exception %s is printed by a sample now; drop it\n' "$k"
done <"$tmp/json-exc"
# Every field a finding may carry: the engine's key table, hidden ones
# aside; a name taken by a fixed member is printed with the prefix field_.
sed -n 's/^[[:space:]]*\[ENG_F_[A-Z_]*\] = { "\([a-z_]*\)", ENG_V_[A-Z]*, 0 },.*/\1/p' \
    "$SRCDIR"/engine/*.c | sort -u >"$tmp/fields"
check "the engine's key table lists at least 30 fields" \
    [ "$(wc -l <"$tmp/fields")" -ge 30 ]
while read -r k; do
	case $k in
	type|id|kind|severity|count|first_seen|last_seen|summary|fix|evidence)
		k=field_$k ;;
	esac
	if grep -qx -- "$k" "$tmp/json-doc"; then ok; else
		bad "finding field $k is not an item of gluetop.8 JSON OUTPUT"
	fi
done <"$tmp/fields"

# --- Finding kinds ---------------------------------------------------------
sed -n 's/^[[:space:]]*\[ENG_K_[A-Z_]*\] = "\([a-z_]*\)",.*/\1/p' \
    "$SRCDIR"/engine/*.c | sort -u >"$tmp/kinds"
nenum=$(sed -n '/^enum eng_kind {/,/^};/p' "$SRCDIR/engine/engine.h" |
    grep -c '^[[:space:]]*ENG_K_[A-Z_]*[[:space:]]*[,=]')
check "the kind table ($(wc -l <"$tmp/kinds") names) covers enum eng_kind ($nenum)" \
    [ "$(wc -l <"$tmp/kinds")" -eq "$nenum" -a "$nenum" -ge 17 ]
section FINDINGS >"$tmp/findings"
sed -n 's/^\.Ss //p' "$tmp/findings" | sort -u >"$tmp/kinds-doc"
while read -r k; do
	# The kind's subsection, up to the next one.
	awk -v k="$k" '/^\.Ss / { on = ($0 == ".Ss " k); next } on' \
	    "$tmp/findings" >"$tmp/kind"
	if ! grep -qx -- "$k" "$tmp/kinds-doc"; then
		bad "finding kind $k has no subsection in gluetop.8 FINDINGS"
		continue
	fi
	for part in Severity Example Fix; do
		check "FINDINGS $k gives its $part" grep -q "^\\.It $part\$" \
		    "$tmp/kind"
	done
	check "FINDINGS $k is in the rendered page" in_rendered FINDINGS "$k"
done <"$tmp/kinds"
while read -r k; do
	grep -qx -- "$k" "$tmp/kinds" ||
	    bad "gluetop.8 FINDINGS has $k, which is not a kind of the engine"
done <"$tmp/kinds-doc"

# --- README ----------------------------------------------------------------
readme=$SRCDIR/README.md
check "README.md names no ../shared nor DETECTIONS: $(grep -nE '\.\./shared|DETECTIONS' "$readme" | head -n 2)" \
    sh -c "! grep -qE '\\.\\./shared|DETECTIONS' '$readme'"
check "README.md has no link leaving the repository: $(grep -noE '\]\(\.\./[^)]*\)' "$readme" | head -n 2)" \
    sh -c "! grep -qE '\\]\\(\\.\\./' '$readme'"
check "README.md points to the manual's FINDINGS" grep -q FINDINGS "$readme"
finish
