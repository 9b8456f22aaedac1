#!/usr/bin/env bash
# tests/stage5/rules.sh — what lstm-train promises about a run's folder and
# its settings, end to end:
#  * SGD's --momentum is used: three momenta, three different models;
#  * on --resume, every setting given must be the run's own value, even when
#    that value is the default (the run here differs from every default),
#    and the run's value is accepted; limits and reporting are the run's
#    unless given again; a cosine run keeps --epochs and --max-steps;
#  * a run already complete says so, and adds nothing to its log;
#  * the log is cut back to the checkpoint's step when a run resumes;
#  * one trainer at a time may write a folder;
#  * temporary files a killed run left are removed;
#  * a command line that cannot work (B x T too large) leaves no folder;
#  * resuming on a text with the same tokens but other characters is refused.
set -euo pipefail
bin=${STAGE_BIN:?set STAGE_BIN to the build folder of a stage}
train=$bin/lstm-train
t=$(mktemp -d); trap 'kill $(jobs -p) 2> /dev/null || true; rm -rf "$t"' EXIT
fail() { echo "rules.sh: $*"; exit 1; }
for i in $(seq 1 40); do
    printf 'ROMEO:\nBut soft, what light through yonder window breaks? %d\n\n' "$i"
done > "$t/text.txt"
small=(--hidden 8 --batch 2 --steps 8 --sample-chars 0)

# Samples printed during a run draw numbers of their own: with dropout on,
# a run that prints them trains the same model as one that does not.
for every in 0 2; do
    "$train" "${small[@]}" --dropout 0.3 --max-steps 6 --sample-every $every --sample-chars 20 \
        --out "$t/samp$every" "$t/text.txt" > /dev/null 2>&1 || fail "--sample-every $every failed"
done
cmp -s "$t/samp0/last.model" "$t/samp2/last.model" \
    || fail "--sample-every 2 changed the model that --dropout 0.3 trains"

# --momentum is used.
for mu in 0 0.5 0.9; do
    "$train" "${small[@]}" --optimizer sgd --lr 0.05 --momentum $mu --max-steps 6 \
        --out "$t/mom$mu" "$t/text.txt" > /dev/null 2>&1 || fail "sgd --momentum $mu failed"
done
cmp -s "$t/mom0/last.model" "$t/mom0.5/last.model" && fail "--momentum 0 and 0.5 trained the same model"
cmp -s "$t/mom0.5/last.model" "$t/mom0.9/last.model" && fail "--momentum 0.5 and 0.9 trained the same model"
echo "rules.sh: --momentum 0, 0.5 and 0.9 train three different models"

# A run whose every setting differs from its default.
set_run=(--hidden 16 --layers 1 --batch 4 --steps 12 --seed 3 --optimizer sgd --lr 0.01
         --momentum 0.5 --schedule step --decay 0.7 --decay-every 2 --lr-min 0.001 --clip 3
         --clip-value 2 --val-fraction 0.2 --dropout 0.1)
"$train" "${set_run[@]}" --max-steps 20 --val-every 10 --log-every 5 --sample-chars 0 \
    --out "$t/run" "$t/text.txt" > /dev/null 2>&1 || fail "the run failed"
defaults=(--hidden 256 --layers 2 --batch 32 --steps 50 --seed 1 --optimizer adam --lr 0.002
          --momentum 0.9 --schedule constant --decay 0.5 --decay-every 10 --lr-min 0.0001 --clip 5
          --clip-value 0 --val-fraction 0.1 --dropout 0)
refused=0
for ((k = 0; k < ${#defaults[@]}; k += 2)); do
    opt=${defaults[k]} def=${defaults[k + 1]} own=${set_run[k + 1]}
    status=0
    "$train" --out "$t/run" --resume "$opt" "$def" --max-steps 21 "$t/text.txt" > /dev/null 2> "$t/err" || status=$?
    [ "$status" -eq 2 ] || fail "--resume $opt $def (the default, not the run's $own): status $status"
    grep -q -- "$opt $def: this run has $opt $own" "$t/err" || fail "$opt: unclear refusal: $(cat "$t/err")"
    refused=$((refused + 1))
done
cp -r "$t/run" "$t/same"
"$train" --out "$t/same" --resume "${set_run[@]}" --max-steps 22 "$t/text.txt" > /dev/null 2> "$t/err" \
    || fail "--resume with every setting at the run's own value was refused: $(cat "$t/err")"
echo "rules.sh: on --resume, $refused settings given at their defaults are refused with both values; the run's own are accepted"

# Limits and reporting: kept unless given.
"$train" --out "$t/run" --resume --max-steps 40 "$t/text.txt" > /dev/null 2>&1 || fail "resume to 40 failed"
vals=$(awk -F, 'NR > 1 && $6 != "" && $1 > 20 { print $1 }' "$t/run/log.csv" | tr '\n' ' ')
[ "$vals" = "30 40 " ] || fail "--val-every 10 not kept after resuming: validations at $vals"
"$train" --out "$t/run" --resume --max-steps 50 --val-every 7 "$t/text.txt" > /dev/null 2>&1 || fail "resume to 50"
vals=$(awk -F, 'NR > 1 && $6 != "" && $1 > 40 { print $1 }' "$t/run/log.csv" | tr '\n' ' ')
[ "$vals" = "42 49 50 " ] || fail "--val-every 7 given on resume not honoured: validations at $vals"
echo "rules.sh: --val-every is kept on --resume, and changed when given"

# A run already complete trains nothing, says so, and leaves its log alone.
cp "$t/run/log.csv" "$t/log.before"
"$train" --out "$t/run" --resume "$t/text.txt" > "$t/out" 2> "$t/err" || fail "resuming a complete run failed"
grep -q "is complete: it reached --max-steps 50 at step 50" "$t/err" || fail "complete run: $(cat "$t/err")"
cmp -s "$t/log.before" "$t/run/log.csv" || fail "resuming a complete run changed its log"
grep -qx "stopped by: --max-steps 50 (nothing to do)" "$t/out" || fail "complete run's summary: $(cat "$t/out")"
echo "rules.sh: a complete run says which limit it reached, and changes nothing"

# A cosine run keeps the epochs and steps it was planned over.
"$train" "${small[@]}" --schedule cosine --epochs 2 --max-steps 5 --out "$t/cos" "$t/text.txt" > /dev/null 2>&1
for o in "--epochs 3" "--max-steps 9"; do
    # shellcheck disable=SC2086
    if "$train" --out "$t/cos" --resume $o "$t/text.txt" > /dev/null 2> "$t/err"; then
        fail "a cosine run took $o on --resume"; fi
    grep -q "a resumed run keeps its settings" "$t/err" || fail "cosine $o: $(cat "$t/err")"
done
echo "rules.sh: a cosine run keeps --epochs and --max-steps"

# The log is cut back to the checkpoint's step.
"$train" "${small[@]}" --max-steps 10 --log-every 2 --out "$t/cut" "$t/text.txt" > /dev/null 2>&1
echo "11,9.9,9.9,0.002,9.9,,,,1" >> "$t/cut/log.csv"       # a row a killed run logged past its checkpoint
"$train" --out "$t/cut" --resume --max-steps 14 "$t/text.txt" > /dev/null 2>&1 || fail "resume after a cut"
steps=$(awk -F, 'NR > 1 { print $1 }' "$t/cut/log.csv" | tr '\n' ' ')
[ "$steps" = "2 4 6 8 10 12 14 " ] || fail "the log's steps are $steps, not 2 4 ... 14 once each"
grep -q '^11,9.9,' "$t/cut/log.csv" && fail "the row past the checkpoint was kept: $steps"
echo "rules.sh: the log is cut back to the checkpoint's step on --resume ($steps)"

# One trainer at a time.
"$train" "${small[@]}" --max-steps 100000000 --epochs 1000000 --out "$t/busy" "$t/text.txt" > /dev/null 2>&1 &
pid=$!
for _ in $(seq 1 100); do [ -f "$t/busy/checkpoint.bin" ] || [ -s "$t/busy/lock" ] && break; sleep 0.1; done
sleep 0.3
status=0
"$train" "${small[@]}" --out "$t/busy" --max-steps 3 "$t/text.txt" > /dev/null 2> "$t/err" || status=$?
[ "$status" -eq 1 ] || fail "a second trainer in the same folder: status $status"
grep -q "is in use by another lstm-train (process $pid)" "$t/err" || fail "second trainer: $(cat "$t/err")"
status=0
"$train" --out "$t/busy" --resume --max-steps 3 "$t/text.txt" > /dev/null 2> "$t/err" || status=$?
[ "$status" -eq 1 ] || fail "a resume of a folder in use: status $status"
grep -q "in use by another lstm-train" "$t/err" || fail "resume of a busy folder: $(cat "$t/err")"
kill -KILL "$pid"; wait "$pid" 2> /dev/null || true
echo "rules.sh: a second trainer, new or resuming, is refused while one writes the folder"

# Debris of a killed run is removed (the lock died with the process).
touch "$t/busy/checkpoint.bin.tmp-AbC123" "$t/busy/best.model.tmp-xyz789"
"$train" --out "$t/busy" --resume --max-steps 1 "$t/text.txt" > /dev/null 2> "$t/err" \
    || grep -q "is complete" "$t/err" || fail "resume after kill -9: $(cat "$t/err")"
ls "$t/busy" | grep -q '\.tmp-' && fail "temporary files left: $(ls "$t/busy")"
grep -Eq "removed [0-9]+ temporary files" "$t/err" || fail "no word about the temporary files: $(cat "$t/err")"
echo "rules.sh: the temporary files of a killed run are removed, and said so"

# A command line that cannot work leaves nothing behind.
if "$train" --batch 4096 --steps 10000 --out "$t/never" "$t/text.txt" > /dev/null 2> "$t/err"; then
    fail "B x T far beyond the text was accepted"; fi
[ -e "$t/never" ] && fail "a refused run left its folder: $(ls -la "$t/never")"
echo "rules.sh: a refused command line leaves no folder"

# Same tokens, other characters.
tr 'a-y' 'b-z' < "$t/text.txt" > "$t/shifted.txt"
if "$train" --out "$t/cut" --resume --max-steps 20 "$t/shifted.txt" > /dev/null 2> "$t/err"; then
    fail "resumed on a text of other characters with the same tokens"; fi
grep -q "not the text this run was trained on" "$t/err" || fail "shifted text: $(cat "$t/err")"
echo "rules.sh: a text of the same tokens but other characters is refused on --resume"

# Every program that reads a model reads a checkpoint (from stage 5 on), and
# lstm-eval --streams B scores the validation text as the trainer does.
"$train" "${small[@]}" --max-steps 12 --val-fraction 0.2 --out "$t/val" "$t/text.txt" > "$t/val.out" 2> /dev/null
for prog in lstm-eval lstm-grad; do
    "$bin/$prog" --model "$t/val/checkpoint.bin" --chars 200 "$t/text.txt" > /dev/null 2> "$t/err" \
        || fail "$prog refused a checkpoint: $(cat "$t/err")"
done
python3 - "$t/text.txt" "$t/valpart.txt" <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
n_val = int(len(s) * 0.2)
open(sys.argv[2], "w", encoding="utf-8").write(s[len(s) - n_val:])
PY
trainer=$(sed -n 's/^validation loss (2 streams from a zero state): \([0-9.]*\) nats.*/\1/p' "$t/val.out")
evals=$("$bin/lstm-eval" --model "$t/val/last.model" --streams 2 "$t/valpart.txt" 2> /dev/null \
        | sed -n 's/^loss: \([0-9.]*\) nats.*/\1/p')
one=$("$bin/lstm-eval" --model "$t/val/last.model" "$t/valpart.txt" 2> /dev/null | sed -n 's/^loss: \([0-9.]*\) nats.*/\1/p')
[ -n "$trainer" ] && [ "$trainer" = "$evals" ] || fail "the trainer's validation loss $trainer, lstm-eval --streams 2 $evals"
echo "rules.sh: lstm-eval and lstm-grad read a checkpoint; lstm-eval --streams 2 gives the trainer's validation loss ($evals; one stream: $one)"
