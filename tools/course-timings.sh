#!/usr/bin/env bash
# tools/course-timings.sh [OUT] — time a student's loop on this machine, for
# appendix G's time budgets: a handout of stages 1-3 made in a scratch folder,
# built and tested cold, then the warm loop of chapter 2 (an edit, make test
# STAGE=2, make exercise, make grade, make reset).  Writes OUT (default
# runs/course.txt); each figure is the wall-clock time of one run.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(pwd)/${1:-runs/course.txt}
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
secs() { local s=$SECONDS; "$@" > "$t/log" 2>&1 || { tail -20 "$t/log"; echo "course-timings: $* failed" >&2; exit 1; }; echo $((SECONDS - s)); }
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
{
    echo "== course timings: $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores: $cpu"
    tools/handout.sh 3 "$t/course" > /dev/null
    cd "$t/course"
    echo "make, cold (a handout of stages 1-3, the book included): $(secs make) s"
    echo "make test, all three stages: $(secs make test) s"
    echo "make test STAGE=2, nothing changed: $(secs make test STAGE=2) s"
    cat >> chapters/02-cell.nw <<'NW'

<<cell.c functions>>=
/* a comment, as a student's first edit might be */
@
NW
    echo "make test STAGE=2, after an edit of chapter 2: $(secs make test STAGE=2) s"
    s=$SECONDS; make exercise EX=2.1 > /dev/null 2>&1 || true
    echo "make exercise EX=2.1 (not attempted yet): $((SECONDS - s)) s"
    echo "make grade (8 exercises with a test): $(secs make grade) s"
    echo "make reset CH=2: $(secs make reset CH=2) s"
} > "$out.tmp"
mv "$out.tmp" "$out"
cat "$out"
