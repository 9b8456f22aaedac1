#!/usr/bin/env bash
# tools/valgrind.sh — every program of the last stage, on small inputs, under
# valgrind's memcheck: any invalid read or write, use of an uninitialised
# value, or definitely lost block fails the run (make valgrind).
set -euo pipefail
command -v valgrind > /dev/null || { echo "valgrind: not installed (apt-get install valgrind)" >&2; exit 2; }
last=$(ls -d tangled/stage* | sed 's/.*stage//' | sort -n | tail -1)
bin=$(pwd)/build/vg/stage$last   # built without -march=native (see the Makefile)
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
for i in $(seq 1 30); do printf 'KING:\nWhat light (through yonder) window breaks? %d\n\n' "$i"; done > "$t/text.txt"
vg=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
    --show-leak-kinds=definite --track-origins=yes)
runs=0
run() {   # run NAME ARGS...: the program NAME under memcheck, in $t
    local name=$1; shift
    [ -x "$bin/$name" ] || return 0     # a handout of fewer stages has fewer programs
    (cd "$t" && "${vg[@]}" "$bin/$name" "$@") > "$t/out" 2> "$t/err" \
        || { cat "$t/err"; echo "valgrind: $name $* failed"; exit 1; }
    runs=$((runs + 1))
}
run lstm-kernels --cases 3 --no-time
run lstm-cell
run lstm-eval --hidden 8 --save m.bin text.txt
run lstm-grad --hidden 4 --chars 30 --samples 5 text.txt
run lstm-train --out run --hidden 8 --batch 4 --steps 10 --max-steps 12 --val-every 5 --sample-chars 20 --dropout 0.2 text.txt
run lstm-train --out run --resume --max-steps 15 --sample-chars 20 text.txt
run lstm-plot run/log.csv plots
run lstm-sample --chars 50 --top-p 0.9 --prime KING m.bin
if [ -x "$bin/lstm-train" ]; then run lstm-sample --chars 20 --samples 2 run/checkpoint.bin; fi
run lstm-inspect --out pages --chars 800 --show 200 --cell 1/c/2 m.bin text.txt
run lstm-bench --no-products --repeat 1 --steps 1 --chars 20 --hidden 16 --seq 5 --batch 4
if "$bin/lstm-train" --help 2>&1 | grep -q -- '--tokens'; then   # chapter 9: a table, and words
    run lstm-grad --hidden 4 --embed 3 --chars 30 --samples 5 --out g.bin text.txt
    run lstm-train --out wrun --tokens words --words 8 --embed 4 --hidden 8 --batch 4 --steps 10 \
        --max-steps 12 --val-every 5 --sample-chars 20 text.txt
    run lstm-train --out wrun --resume --max-steps 15 --sample-chars 20 text.txt
    run lstm-eval --model wrun/checkpoint.bin --per-char text.txt
    run lstm-sample --chars 20 --prime KING wrun/best.model
fi
echo "valgrind: $runs runs of the stage $last programs, memcheck clean"
