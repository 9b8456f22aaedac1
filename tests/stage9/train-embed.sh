#!/usr/bin/env bash
# tests/stage9/train-embed.sh — lstm-train --embed end to end on a small
# text: the run writes a version 4 checkpoint and a version 2 model; N + M
# steps in one run equal N steps, a stop and M more after --resume, bit for
# bit; --resume refuses another width and keeps the run's; the table learns
# (its rows move, and the training loss falls); the sampler, lstm-eval and
# appendix C's Python reader read what it wrote; the checkpoint's Python
# reader finds E where appendix C5 says.
set -euo pipefail
bin=${STAGE_BIN:?set STAGE_BIN to the build folder of a stage}
train=$bin/lstm-train
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
for i in $(seq 1 60); do
    printf 'ROMEO:\nBut soft, what light through yonder window breaks? %d\n\n' "$i"
done > "$t/text.txt"
opts=(--embed 6 --hidden 16 --batch 4 --steps 12 --val-every 25 --sample-chars 60 --seed 3)
fail() { echo "train-embed.sh: $*"; exit 1; }
u32() { python3 -c "import struct, sys; print(struct.unpack_from('<I', open(sys.argv[1], 'rb').read(), int(sys.argv[2]))[0])" "$1" "$2"; }

"$train" "${opts[@]}" --out "$t/one" --max-steps 90 "$t/text.txt" > "$t/one.out" 2> /dev/null
grep -qx 'embedding: E = 6 numbers per token' "$t/one.out" || fail "the run does not say its table's width"
[ "$(u32 "$t/one/checkpoint.bin" 8)" = 4 ] && [ "$(u32 "$t/one/checkpoint.bin" 296)" = 6 ] \
    || fail "the checkpoint is not version 4 with E = 6 at offset 296"
[ "$(u32 "$t/one/last.model" 8)" = 2 ] && [ "$(u32 "$t/one/last.model" 28)" = 6 ] \
    || fail "the model is not a version 2 file with E = 6"
"$train" "${opts[@]}" --out "$t/two" --max-steps 37 "$t/text.txt" > /dev/null 2>&1
if "$train" --out "$t/two" --resume --embed 5 --max-steps 90 "$t/text.txt" > /dev/null 2> "$t/w.err"; then
    fail "--resume took another --embed"; fi
grep -q -- "--embed 5: this run has --embed 6" "$t/w.err" || fail "another width: $(cat "$t/w.err")"
"$train" --out "$t/two" --resume --max-steps 90 --val-every 25 --sample-chars 60 "$t/text.txt" \
    > "$t/two.out" 2> /dev/null
cmp -s "$t/one/last.model" "$t/two/last.model" || fail "90 steps differ from 37 steps + resume to 90"
diff <(sed -n '/sample/,$p' "$t/one.out") <(sed -n '/sample/,$p' "$t/two.out") > /dev/null \
    || fail "the final samples differ after resuming"
echo "train-embed.sh: 90 steps = 37 steps + resume, bit for bit, with a table of 6"

# The table learns: compared with the model of step 0 drawn from the same seed.
"$train" "${opts[@]}" --out "$t/zero" --max-steps 1 --lr 1e-7 "$t/text.txt" > /dev/null 2>&1
cp "tangled/$(basename "$bin")/lstm_model.py" "tangled/$(basename "$bin")/lstm_checkpoint.py" "$t/"
python3 - "$t" <<'PY' || fail "the Python readers disagree with the run"
import sys
sys.path.insert(0, sys.argv[1])
from lstm_model import read_model
from lstm_checkpoint import read_checkpoint
t = sys.argv[1]
trained, start = read_model(t + "/one/last.model"), read_model(t + "/zero/last.model")
assert trained["E"] == 6 and len(trained["embedding"]) == trained["V"]
moved = max(abs(a - b) for ra, rb in zip(trained["embedding"], start["embedding"]) for a, b in zip(ra, rb))
assert moved > 1e-3, f"the table's rows moved by {moved} at most in 90 steps"
ck = read_checkpoint(t + "/one/checkpoint.bin")
assert ck["version"] == 4 and ck["E"] == 6 and ck["tokens"] == 0, ck
assert ck["model_file"] == open(t + "/one/last.model", "rb").read(), "the checkpoint's model is not last.model"
print(f"train-embed.sh: the table moved by up to {moved:.3f}; the checkpoint's model is last.model")
PY
first=$(awk -F, 'NR == 2 { print $5 }' "$t/one/log.csv"); last=$(awk -F, 'END { print $5 }' "$t/one/log.csv")
python3 -c "import sys; sys.exit(0 if $last < $first - 0.3 else 1)" \
    || fail "the training loss did not fall ($first to $last)"
"$bin/lstm-sample" --chars 40 --seed 2 "$t/one/best.model" > "$t/sample.txt" || fail "lstm-sample cannot read the model"
"$bin/lstm-eval" --model "$t/one/checkpoint.bin" "$t/text.txt" | grep -q '^embedding: E = 6' \
    || fail "lstm-eval does not read the checkpoint of an embedded run"
echo "train-embed.sh: the loss fell from $first to $last; the sampler and lstm-eval read the run"
