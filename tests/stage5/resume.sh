#!/usr/bin/env bash
# tests/stage5/resume.sh — lstm-train end to end on a small text: N + M steps
# in one run equal N steps, a stop, and M more after --resume, bit for bit;
# Ctrl-C saves a checkpoint and exits 0; a damaged checkpoint or a different
# corpus is refused on --resume.  (The NaN stop is not tested here: an LSTM's
# bounded activations keep even SGD at its largest rate finite; issue 7's
# fault injection is meant to cover it.)
set -euo pipefail
bin=${STAGE_BIN:?set STAGE_BIN to the build folder of a stage}
train=$bin/lstm-train
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
for i in $(seq 1 60); do
    printf 'ROMEO:\nBut soft, what light through yonder window breaks? %d\n\n' "$i"
done > "$t/text.txt"
opts=(--hidden 16 --batch 4 --steps 12 --val-every 25 --sample-chars 60 --seed 3)
fail() { echo "resume.sh: $*"; exit 1; }

"$train" "${opts[@]}" --out "$t/one" --max-steps 90 "$t/text.txt" > "$t/one.out" 2> /dev/null
"$train" "${opts[@]}" --out "$t/two" --max-steps 37 "$t/text.txt" > /dev/null 2>&1
"$train" --out "$t/two" --resume --max-steps 90 --val-every 25 --sample-chars 60 "$t/text.txt" \
    > "$t/two.out" 2> /dev/null
cmp -s "$t/one/last.model" "$t/two/last.model" \
    || fail "90 steps differ from 37 steps + resume to 90"
diff <(sed -n '/sample/,$p' "$t/one.out") <(sed -n '/sample/,$p' "$t/two.out") > /dev/null \
    || fail "the final samples differ after resuming"
echo "resume.sh: 90 steps = 37 steps + resume, bit for bit (model and sample)"

# Every progress line has its form, and the ETA's seconds run 00..59 (never :60).
"$train" "${opts[@]}" --out "$t/prog" --max-steps 60 --log-every 5 "$t/text.txt" > /dev/null 2> "$t/prog.err"
grep '^step ' "$t/prog.err" > "$t/progress" || fail "no progress lines"
bad=$(grep -Ev '^step [0-9]+  epoch [0-9]+\.[0-9]{2}  loss [0-9]+\.[0-9]{3}  (val -|best val [0-9]+\.[0-9]{3})  [0-9]+ chars/s  ETA [0-9]+:[0-5][0-9]( |$)' \
      "$t/progress" || true)
[ -z "$bad" ] || fail "progress lines out of form: $bad"
echo "resume.sh: $(wc -l < "$t/progress") progress lines in form"

# Ctrl-C: a checkpoint is saved, the exit status is 0, and the run resumes.
"$train" "${opts[@]}" --out "$t/int" --max-steps 1000000 --epochs 1000000 "$t/text.txt" > /dev/null 2> "$t/int.err" &
pid=$!
sleep 1.5
kill -INT "$pid"
status=0; wait "$pid" || status=$?
[ "$status" -eq 0 ] || fail "Ctrl-C: exit status $status, not 0"
grep -q "stopped by signal 2" "$t/int.err" || fail "Ctrl-C: no message"
"$train" --out "$t/int" --resume --max-steps 1 "$t/text.txt" > /dev/null 2> "$t/int2.err" \
    || grep -q resuming "$t/int2.err" || fail "cannot resume after Ctrl-C: $(cat "$t/int2.err")"
echo "resume.sh: Ctrl-C saved a checkpoint that resumes"

# A damaged checkpoint is refused, and says so.
cp "$t/one/checkpoint.bin" "$t/saved.bin"
printf '\x55' | dd of="$t/one/checkpoint.bin" bs=1 seek=300 conv=notrunc 2> /dev/null
if "$train" --out "$t/one" --resume --max-steps 100 "$t/text.txt" > /dev/null 2> "$t/bad.err"; then
    fail "a damaged checkpoint was accepted"; fi
grep -q "checksum" "$t/bad.err" || fail "damaged checkpoint: $(cat "$t/bad.err")"
cp "$t/saved.bin" "$t/one/checkpoint.bin"
# A different corpus is refused.
sed 's/ROMEO/JULIET/' "$t/text.txt" > "$t/other.txt"
if "$train" --out "$t/one" --resume --max-steps 100 "$t/other.txt" > /dev/null 2> "$t/other.err"; then
    fail "resumed on a different corpus"; fi
grep -q "not the text this run was trained on" "$t/other.err" || fail "other corpus: $(cat "$t/other.err")"
echo "resume.sh: a damaged checkpoint and a different corpus are refused"

# With dropout the masks come from the run's generator, which the checkpoint
# keeps: resuming is still bit for bit, and the dropout is kept too.
"$train" "${opts[@]}" --dropout 0.3 --out "$t/d1" --max-steps 60 "$t/text.txt" > /dev/null 2>&1
"$train" "${opts[@]}" --dropout 0.3 --out "$t/d2" --max-steps 25 "$t/text.txt" > /dev/null 2>&1
"$train" --out "$t/d2" --resume --max-steps 60 --val-every 25 --sample-chars 60 "$t/text.txt" > /dev/null 2>&1
cmp -s "$t/d1/last.model" "$t/d2/last.model" || fail "with dropout, 60 steps differ from 25 + resume to 60"
"$train" "${opts[@]}" --out "$t/d0" --max-steps 60 "$t/text.txt" > /dev/null 2>&1
cmp -s "$t/d1/last.model" "$t/d0/last.model" && fail "dropout changed nothing"
if "$train" --out "$t/d2" --resume --dropout 0.5 --max-steps 70 "$t/text.txt" > /dev/null 2> "$t/drop.err"; then
    fail "a resumed run took another --dropout"; fi
grep -q "this run has --dropout 0.3, and a resumed run keeps its settings" "$t/drop.err" || fail "changed dropout: $(cat "$t/drop.err")"
echo "resume.sh: with dropout, 60 steps = 25 steps + resume, bit for bit; the dropout is kept"
