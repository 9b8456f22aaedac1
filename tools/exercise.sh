#!/usr/bin/env bash
# tools/exercise.sh N.K [--solution]
#
# Build and run the test of exercise K of chapter N (tests/exercises/exN-K.c).
#
# Without --solution the test is linked against stage N as the chapters now
# tangle it, with the reader's changes: make builds build/V/stageN/liblstm.a
# first, where V is `double` when the test says `make exercise: real = double`
# (the gradient checks need it) and `release` otherwise, with the usual
# warnings.  With --solution, stage N is tangled afresh together with the
# reference solution tests/exercises/exN-K-solution.nw (which extends the
# chapter's chunks), to show that the exercise's test can pass; `make test`
# does that in a copy of the chapters as committed, never in the reader's.
#
# A test that says `make exercise: needs 2.2` builds on exercise 2.2's code,
# so with --solution that exercise's solution is tangled in as well.
#
# Exit status: 0 the test passes, 1 it fails, 2 no such exercise test,
# 3 not attempted (the test needs a function that is not there yet, or it
# skipped itself because what it checks is absent), 4 stage N does not build.
set -uo pipefail
ex=${1:?usage: tools/exercise.sh N.K [--solution]}
[[ "$ex" =~ ^([0-9]+)\.([0-9]+)$ ]] || { echo "exercise: EX must look like 1.2, not '$ex'" >&2; exit 2; }
n=${BASH_REMATCH[1]}; k=${BASH_REMATCH[2]}
mode=${2:-}
test_c=tests/exercises/ex$n-$k.c
if ! ls chapters/"$(printf '%02d' "$n")"-*.nw > /dev/null 2>&1; then
    echo "exercise $ex: there is no chapter $n here" >&2
    exit 2
fi
if [ ! -f "$test_c" ]; then
    echo "exercise $ex has no test of its own (there is no $test_c);" >&2
    echo "its answer is discussed in appendix G; changes to existing code are checked by make test STAGE=$n" >&2
    exit 2
fi
CC=${CC:-cc}
PYTHON=${PYTHON:-python3}
WARN="-std=c11 -Wall -Wextra -Wpedantic -Werror"
if grep -q 'make exercise: real = double' "$test_c"; then
    variant=double
    CFLAGS=${CFLAGS_double:-$WARN -O2 -march=native -ffp-contract=fast -DLSTM_DOUBLE}
else
    variant=release
    CFLAGS=${CFLAGS_release:-$WARN -O2 -march=native -ffp-contract=fast}
fi
out=build/exercises/ex$n-$k${mode:+-solution}
rm -rf "$out"; mkdir -p "$out"

if [ "$mode" = --solution ]; then
    mkdir -p "$out/src"
    mapfile -t chapters < <(tools/stage-files.sh "$n")
    # an exercise that builds on another (`make exercise: needs 2.2`) gets its solution too
    for need in $(grep -o 'make exercise: needs [0-9.]*' "$test_c" | awk '{print $4}'); do
        chapters+=("tests/exercises/ex${need/./-}-solution.nw")
    done
    chapters+=("tests/exercises/ex$n-$k-solution.nw")
    "$PYTHON" tools/tangle.py --out "$out/src" "${chapters[@]}" || exit 4
    lib=$(ls "$out"/src/*.c | grep -v '/lstm-[^/]*\.c$')
    # shellcheck disable=SC2086
    $CC $CFLAGS -O1 -I"$out/src" -Itests -o "$out/run" "$test_c" $lib -lcriterion -lm -lpthread || exit 4
else
    ${MAKE:-make} --no-print-directory -s STAGE="$n" "build/$variant/stage$n/liblstm.a" || {
        echo "exercise $ex: stage $n does not build (see the errors above)" >&2; exit 4; }
    # shellcheck disable=SC2086
    if ! $CC $CFLAGS -Itangled/stage$n -Itests -o "$out/run" "$test_c" \
            "build/$variant/stage$n/liblstm.a" -lcriterion -lm -lpthread 2> "$out/link.log"; then
        if grep -q 'undefined reference to' "$out/link.log" \
           && ! grep -q 'error:' <(grep -v 'undefined reference\|ld returned' "$out/link.log"); then
            missing=$(grep -o "undefined reference to \`[^']*'" "$out/link.log" | sort -u | sed "s/undefined reference to \`//; s/'//" | paste -sd, -)
            echo "exercise $ex: not attempted yet (no $missing in stage $n; see $out/link.log)" >&2
            exit 3
        fi
        cat "$out/link.log" >&2
        echo "exercise $ex: its test does not compile against stage $n" >&2
        exit 4
    fi
fi
"$out/run" --jobs 2 --json="$out/result.json"
status=$?
if [ $status -eq 0 ] && "$PYTHON" - "$out/result.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(0 if r["skipped"] and not r["passed"] else 1)
PY
then
    echo "exercise $ex: not attempted yet (its test skipped every check)" >&2
    exit 3
fi
[ $status -eq 0 ] && echo "exercise $ex: passed" || echo "exercise $ex: FAILED" >&2
[ $status -eq 0 ]
