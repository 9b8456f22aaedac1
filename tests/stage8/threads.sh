#!/usr/bin/env bash
# tests/stage8/threads.sh — the trainer and the sampler give the same results,
# bit for bit, with one thread and with three (--threads for the trainer,
# LSTM_THREADS for the sampler), on a model large
# enough that its products are shared out among the threads.
set -euo pipefail
bin=${STAGE_BIN:?set STAGE_BIN to the build folder of a stage}
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
fail() { echo "threads.sh: $*"; exit 1; }
for i in $(seq 1 80); do
    printf 'ROMEO:\nBut soft, what light through yonder window breaks? %d\n\n' "$i"
done > "$t/text.txt"
opts=(--hidden 128 --batch 16 --steps 20 --max-steps 6 --val-every 3 --sample-chars 80 --seed 5)
for n in 1 3; do
    "$bin/lstm-train" --threads $n "${opts[@]}" --out "$t/run$n" "$t/text.txt" > "$t/out$n" 2> /dev/null \
        || fail "lstm-train with $n threads failed"
    LSTM_THREADS=$n "$bin/lstm-sample" --chars 200 --seed 9 "$t/run$n/last.model" > "$t/sample$n" \
        || fail "lstm-sample with $n threads failed"
done
cmp -s "$t/run1/last.model" "$t/run3/last.model" || fail "1 and 3 threads trained different models"
cmp -s "$t/sample1" "$t/sample3" || fail "1 and 3 threads sampled different text"
diff <(sed -n '/sample/,$p' "$t/out1") <(sed -n '/sample/,$p' "$t/out3") > /dev/null \
    || fail "the trainer's samples differ between 1 and 3 threads"
# --threads reaches the pool, and wins over LSTM_THREADS
for n in 1 3; do
    got=$(LSTM_THREADS=2 "$bin/lstm-bench" --threads $n --no-products --repeat 1 --steps 1 --chars 5 \
          --hidden 8 --seq 4 --batch 2 | sed -n 's/^threads: //p')
    [ "$got" = "$n" ] || fail "lstm-bench --threads $n ran with '$got' threads"
done
echo "threads.sh: 1 and 3 threads train the same model and write the same text, bit for bit"
