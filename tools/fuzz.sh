#!/usr/bin/env bash
# tools/fuzz.sh SECONDS [HARNESS...] — fuzz the harnesses of tests/fuzz/ with
# libFuzzer (clang, with address and undefined-behaviour sanitizers) against
# the code of the last stage, SECONDS each, one after the other.
#
# Each harness starts from its kept inputs, tests/fuzz/corpus/HARNESS/ (made
# from real files by this script the first time), and the inputs that reach
# new code are merged back into that folder, so that `make test` replays them
# with gcc.  Each run adds a line to tests/fuzz/runs.log (committed; the book
# quotes it).  A crash stops the script; libFuzzer's reproducer is left in
# build/fuzz/HARNESS/ — fix the bug, then copy the file into the kept inputs.
set -euo pipefail
secs=${1:?usage: tools/fuzz.sh SECONDS [files|text|options ...]}; shift
harnesses=("${@:-files text options}")
read -r -a harnesses <<< "${harnesses[*]}"
[[ "$secs" =~ ^[0-9]+$ ]] || { echo "fuzz: SECONDS must be a whole number, not '$secs'" >&2; exit 2; }
command -v clang > /dev/null || { echo "fuzz: needs clang (apt-get install clang)" >&2; exit 2; }
last=$(ls -d tangled/stage* | sed 's/.*stage//' | sort -n | tail -1)
src=tangled/stage$last
lib=$(ls $src/*.c | grep -v '/lstm-[^/]*\.c$' | grep -v '/prog\.c$')
CFLAGS="-std=c11 -g -O1 -fsanitize=fuzzer,address,undefined,float-cast-overflow -fno-sanitize-recover=all -I$src -Itests/fuzz"

seed() {   # the first kept inputs, from real files and hand-made ones
    local h=$1 d=tests/fuzz/corpus/$1 t
    mkdir -p "$d"
    [ -z "$(ls -A "$d")" ] || return 0
    t=$(mktemp -d)
    case $h in
    files)
        printf 'abcab ca\nbc\n' > "$t/text.txt"
        build/release/stage$last/lstm-eval --hidden 2 --layers 2 --save "$d/model-2x2" "$t/text.txt" > /dev/null 2>&1
        build/release/stage$last/lstm-eval --hidden 3 --layers 1 --save "$d/model-1x3" "$t/text.txt" > /dev/null 2>&1
        build/release/stage$last/lstm-train --out "$t/run" --hidden 2 --batch 2 --steps 3 --max-steps 1 \
            --val-fraction 0.3 --sample-chars 0 "$t/text.txt" > /dev/null 2>&1
        cp "$t/run/checkpoint.bin" "$d/checkpoint-2x2" ;;
    text)
        printf 'ROMEO:\nBut soft!\n' > "$d/ascii"
        printf 'Caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\n' > "$d/multibyte"
        printf 'ab\xc0\xafcd' > "$d/overlong"
        printf '\xed\xa0\x80' > "$d/surrogate"
        printf '\xf4\x90\x80\x80' > "$d/too-large"
        printf 'abc\xe2\x82' > "$d/truncated" ;;
    options)
        printf -- '--steps\n50\nin.txt' > "$d/plain"
        printf -- '--lr=0.01\n--resume\n--out\ndir\na\nb' > "$d/all"
        printf -- '--max-steps\n1e99\nx' > "$d/huge"
        printf -- '--\n--steps\nx' > "$d/dashdash"
        printf -- '--help' > "$d/help" ;;
    *) echo "fuzz: no harness '$h' (files, text, options)" >&2; exit 2 ;;
    esac
    rm -rf "$t"
}

mkdir -p build/fuzz
for h in "${harnesses[@]}"; do
    seed "$h"
    out=build/fuzz/$h
    rm -rf "$out"; mkdir -p "$out/new"
    extra=()
    if [ "$h" = options ]; then
        clang $CFLAGS -include tests/fuzz/exit_hook.h -Dexit=fuzz_exit -c $src/prog.c -o "$out/prog.o"
    else
        clang $CFLAGS -c $src/prog.c -o "$out/prog.o"
    fi
    clang $CFLAGS "tests/fuzz/fuzz_$h.c" "$out/prog.o" $lib -lm -o "$out/fuzz-$h"
    echo "fuzz $h: $secs s from $(ls tests/fuzz/corpus/$h | wc -l) kept inputs"
    status=0
    (cd "$out" && ./"fuzz-$h" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 \
        -print_final_stats=1 -close_fd_mask=3 -artifact_prefix=./ new ../../../tests/fuzz/corpus/$h) \
        > "$out/log.txt" 2>&1 || status=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/log.txt" | grep -o '[0-9]*$' || echo 0)
    before=$(ls tests/fuzz/corpus/$h | wc -l)
    if [ "$status" -ne 0 ]; then
        tail -40 "$out/log.txt"
        printf '%-17s %-8s %7s %12s %s\n' "$(date -u '+%Y-%m-%d %H:%M')" "$h" "$secs" "$runs" \
            "$before, FAILED (see build/fuzz/$h/)" >> tests/fuzz/runs.log
        echo "fuzz $h: FAILED after $runs executions; the input is in $out/ (crash-*, leak-*, timeout-*)"
        exit 1
    fi
    (cd "$out" && ./"fuzz-$h" -merge=1 ../../../tests/fuzz/corpus/$h new > merge.txt 2>&1)
    after=$(ls tests/fuzz/corpus/$h | wc -l)
    printf '%-17s %-8s %7s %12s %s\n' "$(date -u '+%Y-%m-%d %H:%M')" "$h" "$secs" "$runs" \
        "$before -> $after, no failure" >> tests/fuzz/runs.log
    echo "fuzz $h: $runs executions in $secs s, no failure; kept inputs $before -> $after"
done
