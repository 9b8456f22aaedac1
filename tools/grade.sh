#!/usr/bin/env bash
# tools/grade.sh — a table of the book's exercises, as the chapters list them
# (a numbered item with its label, ★ to ★★★, under "## Exercises"), and what
# each one's test says of the chapters as they are now: passed, failed, not
# attempted yet, or does not build.  Exercises without a test of their own
# are answered in appendix G.  Each test's output is kept in
# build/grade/exN-K.log.  Exit status 0, whatever the grades: a table is
# not a test.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
mkdir -p build/grade
"$PYTHON" - chapters/[0-9][0-9]-*.nw > build/grade/list.tsv <<'PY'
import re, sys
for path in sys.argv[1:]:
    chapter = int(re.search(r"(\d\d)-[^/]*\.nw$", path).group(1))
    if chapter == 0:
        continue
    inside = False
    for line in open(path, encoding="utf-8"):
        if line.startswith("## "):
            inside = line.strip() == "## Exercises"
            continue
        m = inside and re.match(r"(\d+)\. (★+) \*\*(.+?)\.?\*\*", line)
        if m:
            print(f"{chapter}.{m.group(1)}\t{m.group(2):<3}\t{m.group(3).replace('$', '')}")
PY
passed=0; tested=0; total=0
printf '%-9s %s %-40s %s\n' exercise level title result
while IFS=$'\t' read -r ex level title; do
    total=$((total + 1))
    n=${ex%.*}; k=${ex#*.}
    if [ ! -f "tests/exercises/ex$n-$k.c" ]; then
        result="no test of its own (appendix G)"
    else
        tested=$((tested + 1))
        tools/exercise.sh "$ex" > "build/grade/ex$n-$k.log" 2>&1
        case $? in
            0) result=passed; passed=$((passed + 1)) ;;
            1) result="FAILED (build/grade/ex$n-$k.log)" ;;
            3) result="not attempted" ;;
            4) result="does not build (build/grade/ex$n-$k.log)" ;;
            *) result="? (build/grade/ex$n-$k.log)" ;;
        esac
    fi
    printf '%-9s %s   %-40.40s %s\n' "$ex" "$level" "$title" "$result"
done < build/grade/list.tsv
echo "passed: $passed of the $tested exercises with a test ($total exercises in all)"
