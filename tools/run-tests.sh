#!/usr/bin/env bash
# tools/run-tests.sh N [own|all]
#
# The tests of chapters 1..N against the code of stage N, as built in
# build/release/stageN (real = float) and build/double/stageN (real = double):
# first the Criterion runner of each variant, then the shell tests of
# tests/stageK/*.sh.  `all` (the default) runs the scripts of every chapter
# 1..N; `own` only those of chapter N, and of every chapter when N is the
# last stage (the full `make test` uses it to run each script twice, on the
# stage that brings it and on the last, rather than on every stage between).
#
# The output is short: a line per test suite and per script, and what a
# failing test printed, in full.  Everything is kept in build/VARIANT/stageN/.
set -uo pipefail
cd "$(dirname "$0")/.."
n=${1:?usage: tools/run-tests.sh N [own|all]}
which=${2:-all}
last=${LAST:-$n}
PYTHON=${PYTHON:-python3}
CRITERION_FLAGS=${CRITERION_FLAGS:---jobs 2}
failed=0
scripts=0

for v in release double; do
    dir=build/$v/stage$n
    label=$([ $v = release ] && echo "real = float" || echo "real = double")
    rm -f "$dir/test.json"
    # shellcheck disable=SC2086
    "$dir/run-tests" $CRITERION_FLAGS --json="$dir/test.json" 2> "$dir/test.log"
    status=$?
    if [ -s "$dir/test.json" ]; then
        "$PYTHON" tools/test-summary.py "$dir/test.json" "stage $n, $label" || status=1
    else
        echo "stage $n, $label: the test runner wrote no results"
        status=1
    fi
    if [ $status -ne 0 ]; then
        grep -v '^\[====\] Synthesis' "$dir/test.log"
        failed=1
    fi
done

for k in $(seq 1 "$n"); do
    if [ "$which" = own ] && [ "$k" -ne "$n" ] && [ "$n" -ne "$last" ]; then continue; fi
    for s in tests/stage$k/*.sh; do
        [ -e "$s" ] || continue
        log=build/release/stage$n/$(basename "$s" .sh).log
        start=$SECONDS
        if STAGE_BIN=build/release/stage$n bash "$s" > "$log" 2>&1; then
            [ -n "${TEST_BRIEF:-}" ] || printf '  %-34s passed (%ds)\n' "$s" $((SECONDS - start))
            scripts=$((scripts + 1))
        else
            printf '  %-34s FAILED on stage %s; it printed:\n' "$s" "$n"
            tail -n 40 "$log" | sed 's/^/    /'
            failed=1
        fi
    done
done
[ $scripts -eq 0 ] || echo "stage $n: shell tests passed: $scripts"
exit $failed
