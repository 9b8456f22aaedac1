#!/usr/bin/env bash
# tools/handout.sh N DIR [SOLUTIONS]
#
# A course's starting point: a new git repository in DIR holding the first N
# stages of the book and nothing after them.  It has chapters 00..N, the
# appendices whose code those stages use ({{from stage K}}, K <= N; the
# prose-only appendices, which speak of the whole book, only when N is the
# last stage), the tests of stages 1..N, the exercises of chapters 1..N (their
# reference solutions only if SOLUTIONS is 1), the tools, the Makefile, the
# runs that chapters 1..N show, the corpus's checksum (and the corpus itself,
# untracked, if this copy has it), and tangled/stage1..N.  The first commit is
# tagged `handout`: make reset and the check of the solutions go back to it.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-}; dir=${2:-}; solutions=${3:-}
last=$(ls chapters | sed -n 's/^\([0-9][0-9]\)-.*\.nw$/\1/p' | sort -n | tail -1)
last=$((10#$last))
usage() { echo "usage: make handout STAGE=N DIR=path [SOLUTIONS=1]  (N from 1 to $last)" >&2; exit 2; }
[[ "$n" =~ ^[0-9]+$ ]] && [ "$((10#$n))" -ge 1 ] && [ "$((10#$n))" -le "$last" ] || usage
n=$((10#$n))
[ -n "$dir" ] || usage
case "$solutions" in ""|0|1) ;; *) echo "handout: SOLUTIONS=$solutions: give 1 (with the solutions) or nothing" >&2; exit 2 ;; esac
if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
    echo "handout: $dir exists and is not empty; give a new folder" >&2; exit 1
fi
command -v git > /dev/null || { echo "handout: needs git" >&2; exit 1; }
mkdir -p "$dir"
out=$(cd "$dir" && pwd)

# The book: the preface, chapters 1..N, and their appendices.
mkdir -p "$out/chapters"
cp chapters/book.css chapters/header.tex chapters/metadata.yaml "$out/chapters/"
cp chapters/00-*.nw "$out/chapters/"
for f in $(tools/stage-files.sh "$n"); do cp "$f" "$out/chapters/"; done
if [ "$n" -eq "$last" ]; then
    for f in chapters/[A-Z]*.nw; do grep -q '^{{from stage' "$f" || cp "$f" "$out/chapters/"; done
fi
[ ! -d chapters/figures ] || cp -r chapters/figures "$out/chapters/"

# The code as the chapters tangle it, and the tests of stages 1..N.
mkdir -p "$out/tangled" "$out/tests/exercises"
for k in $(seq 1 "$n"); do
    cp -r "tangled/stage$k" "$out/tangled/"
    cp -r "tests/stage$k" "$out/tests/"
    for e in tests/exercises/ex"$k"-*.c; do [ ! -e "$e" ] || cp "$e" "$out/tests/exercises/"; done
    if [ "$solutions" = 1 ]; then
        for e in tests/exercises/ex"$k"-*-solution.nw; do [ ! -e "$e" ] || cp "$e" "$out/tests/exercises/"; done
    fi
done
cp tests/ref.h "$out/tests/"
cp -r tests/weave tests/fuzz "$out/tests/"

# The machinery, the data's checksum, the recorded runs the chapters show.
cp -r Makefile tools .ci .gitignore "$out/"
mkdir -p "$out/data"
cp data/README.md data/SHA256SUMS "$out/data/"
[ ! -f data/tinyshakespeare.txt ] || cp data/tinyshakespeare.txt "$out/data/"
if [ "$n" -ge 5 ]; then cp -r runs "$out/"; fi
# Chapters 2 and 4 show figures that stage 5's code draws: below stage 5, the
# handout gets them as this copy draws them (tools/outputs.mk uses them).
figs=
[ "$n" -lt 2 ] || [ "$n" -ge 5 ] || figs="forgetting.txt forgetting.svg"
[ "$n" -lt 4 ] || [ "$n" -ge 5 ] || figs="$figs fd-values.txt fd-error.svg"
if [ -n "$figs" ]; then
    make --no-print-directory -s $(printf 'build/out/%s ' $figs) > /dev/null
    mkdir -p "$out/runs/figures"
    for f in $figs; do cp "build/out/$f" "$out/runs/figures/"; done
fi
[ "$n" -ge 8 ] || rm -rf "$out/runs/bench"

cat > "$out/README.md" <<README
# An LSTM from Scratch, in C: stages 1 to $n

A handout of the first $n chapters of the book: each chapter tangles into a
program of its own (\`tangled/stageN/\`), and the tests of chapters 1..N check
stage N.  On a Debian machine with gcc, make and git:

\`\`\`sh
make          # installs what is missing, builds every stage, weaves build/book.html and .pdf
make test     # every test of every stage
\`\`\`

The exercises are at the end of each chapter, labelled ★ to ★★★:

\`\`\`sh
make test STAGE=N       # after editing chapters/NN-*.nw: stage N alone, the tests of chapters 1..N
make exercise EX=N.K    # an exercise's own test: not attempted, failed or passed
make grade              # the table of every exercise
make reset CH=N         # chapter N as handed out (your copy is kept in build/reset/)
make help               # everything else
\`\`\`
README

(
    cd "$out"
    git init -q
    git add -A
    git -c user.name="handout" -c user.email="handout@localhost" commit -q \
        -m "Handout: stages 1 to $n of An LSTM from Scratch, in C${solutions:+, with the reference solutions}"
    git tag handout
)
echo "handout: stages 1 to $n in $out ($(cd "$out" && git ls-files | wc -l) files, tagged handout)"
echo "handout: next, cd $out && make && make test"
