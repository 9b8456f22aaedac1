#!/usr/bin/env bash
# tools/exercise.sh N.K [--solution]
#
# Build and run the test of exercise K of chapter N (tests/exercises/exN-K.c)
# against stage N as the chapters now tangle it, that is, with the reader's
# changes.  With --solution, stage N is tangled instead together with the
# reference solution tests/exercises/exN-K-solution.nw (which extends the
# chapter's chunks), to show that the exercise's test can pass.
set -euo pipefail
ex=${1:?usage: tools/exercise.sh N.K [--solution]}
[[ "$ex" =~ ^([0-9]+)\.([0-9]+)$ ]] || { echo "exercise: EX must look like 1.2, not '$ex'" >&2; exit 2; }
n=${BASH_REMATCH[1]}; k=${BASH_REMATCH[2]}
test_c=tests/exercises/ex$n-$k.c
if [ ! -f "$test_c" ]; then
    echo "exercise $ex has no test of its own (tests/exercises/ex$n-$k.c);" >&2
    echo "exercises that change existing code are checked by: make test STAGE=$n" >&2
    exit 2
fi
CC=${CC:-cc}
CFLAGS=${CFLAGS:--std=c11 -Wall -Wextra -Wpedantic -Werror -O2 -march=native -ffp-contract=fast}
out=build/exercises/ex$n-$k${2:+-solution}
rm -rf "$out"; mkdir -p "$out/src"

mapfile -t chapters < <(tools/stage-files.sh "$n")
if [ "${2:-}" = --solution ]; then
    chapters+=("tests/exercises/ex$n-$k-solution.nw")
fi
python3 tools/tangle.py --out "$out/src" "${chapters[@]}"
lib=$(ls "$out"/src/*.c | grep -v '/lstm-[^/]*\.c$')
$CC $CFLAGS -I"$out/src" -Itests -o "$out/run" "$test_c" $lib -lcriterion -lm -lpthread
"$out/run" --jobs 2
