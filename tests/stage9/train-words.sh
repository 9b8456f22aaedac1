#!/usr/bin/env bash
# tests/stage9/train-words.sh — a model of words end to end on a small text:
# --tokens words needs --embed; N + M steps equal N steps and a --resume to
# N + M, bit for bit; --resume keeps --tokens and --words; lstm-eval's count
# of tokens and of the characters they spell equals that of a tokenizer
# written here from chapter 9's rule alone, and its loss per character is its
# loss per token times tokens over characters; --per-char's predictions are
# the characters; lstm-sample writes text; lstm-inspect refuses the model.
set -euo pipefail
bin=${STAGE_BIN:?set STAGE_BIN to the build folder of a stage}
train=$bin/lstm-train
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
for i in $(seq 1 80); do
    printf 'ROMEO:\nBut soft, what light through yonder window breaks? %d\nJULIET:\nO Romeo, Romeo! wherefore art thou Romeo?\n\n' "$i"
done > "$t/text.txt"
opts=(--tokens words --words 10 --embed 8 --hidden 16 --batch 4 --steps 10 --val-every 25 --sample-chars 20 --seed 3)
fail() { echo "train-words.sh: $*"; exit 1; }

if "$train" --tokens words --out "$t/no" "$t/text.txt" > /dev/null 2> "$t/no.err"; then fail "--tokens words ran without --embed"; fi
grep -q -- "--tokens words needs --embed" "$t/no.err" || fail "without --embed: $(cat "$t/no.err")"
"$train" "${opts[@]}" --out "$t/one" --max-steps 80 "$t/text.txt" > "$t/one.out" 2> /dev/null
grep -q '^words: .* characters and 10 words (at most 10)' "$t/one.out" || fail "the run does not say its words: $(cat "$t/one.out")"
"$train" "${opts[@]}" --out "$t/two" --max-steps 33 "$t/text.txt" > /dev/null 2>&1
if "$train" --out "$t/two" --resume --words 11 --max-steps 80 "$t/text.txt" > /dev/null 2> "$t/w.err"; then
    fail "--resume took another --words"; fi
"$train" --out "$t/two" --resume --max-steps 80 --val-every 25 --sample-chars 20 "$t/text.txt" > "$t/two.out" 2> /dev/null
cmp -s "$t/one/last.model" "$t/two/last.model" || fail "80 steps differ from 33 steps + resume to 80"
diff <(sed -n '/sample/,$p' "$t/one.out") <(sed -n '/sample/,$p' "$t/two.out") > /dev/null \
    || fail "the final samples differ after resuming"
echo "train-words.sh: 80 steps = 33 steps + resume, bit for bit, in words"

tail -c 3000 "$t/text.txt" > "$t/val.txt"
"$bin/lstm-eval" --model "$t/one/best.model" --digits 9 "$t/val.txt" > "$t/eval.txt"
cp "tangled/$(basename "$bin")/lstm_model.py" "$t/"
python3 - "$t" <<'PY' || fail "lstm-eval's reading in words is not chapter 9's"
import re, sys
sys.path.insert(0, sys.argv[1])
from lstm_model import read_model
t = sys.argv[1]
m = read_model(t + "/one/best.model")
words = {s for s in m["vocab"] if len(s) > 1}
text = open(t + "/val.txt", encoding="utf-8").read()

def letter(c):
    return c.isascii() and c.isalpha() or ord(c) >= 0x80

tokens, i = [], 0                  # chapter 9's rule, written again
while i < len(text):
    j = i + (text[i] == " " and i + 1 < len(text) and letter(text[i + 1]))
    if not letter(text[j]):
        tokens.append(text[i]); i += 1; continue
    end = j + 1
    while end < len(text) and end - i < 32 and (letter(text[end]) or
            (text[end] == "'" and end + 1 < len(text) and letter(text[end + 1]))):
        end += 1
    piece = text[i:end]
    if piece in words:
        tokens.append(piece)
    elif piece[0] == " " and piece[1:] in words:
        tokens += [" ", piece[1:]]
    else:
        tokens += list(piece)
    i = end
assert "".join(tokens) == text
out = open(t + "/eval.txt").read()
n, preds, chars = map(int, re.search(r"tokens: (\d+) \(predictions: (\d+)\), (\d+) characters predicted", out).groups())
assert n == len(tokens) and preds == n - 1, (n, len(tokens))
assert chars == sum(len(s) for s in tokens[1:]), (chars, sum(len(s) for s in tokens[1:]))
per_token = float(re.search(r"loss: ([0-9.]+) nats/token", out).group(1))
per_char = float(re.search(r"per character: ([0-9.]+) nats/char", out).group(1))
assert abs(per_token * preds / chars - per_char) < 1e-8, (per_token * preds / chars, per_char)
assert len(tokens) < len(text) * 0.7, "hardly a word read as one token"
print(f"train-words.sh: {len(text)} characters read as {len(tokens)} tokens, as chapter 9's rule says; "
      f"{per_char:.4f} nats/char = {per_token:.4f} nats/token x {preds}/{chars}")
PY
"$bin/lstm-eval" --model "$t/one/best.model" --per-char "$t/val.txt" > "$t/pc.txt"
chars=$(sed -n 's/^tokens: .*, \([0-9]*\) characters predicted/\1/p' "$t/pc.txt")
sum=$(awk '/^per class/ { on = 1; next } on && /^$/ { exit } on { s += $(NF - 3) } END { print s }' "$t/pc.txt")
[ "$sum" = "$chars" ] || fail "--per-char counts $sum predictions, the text has $chars characters predicted"
kinds=$(awk '/^per kind/ { on = 1; next } on && /^$/ { exit } on { s += $(NF - 3) } END { print s }' "$t/pc.txt")
[ "$kinds" = "$chars" ] || fail "--per-char's kinds of token count $kinds characters, not $chars"
share=$(awk '/^per kind/ { on = 1; next } on && /^$/ { exit } on { s += $NF } END { printf "%.1f", s }' "$t/pc.txt")
python3 -c "import sys; sys.exit(0 if abs($share - 100) < 0.05 else 1)" || fail "the kinds' shares add up to $share%"
"$bin/lstm-sample" --chars 30 --seed 4 --prime $'ROMEO:\n' "$t/one/best.model" > "$t/s.txt" || fail "lstm-sample failed"
[ "$(head -c 6 "$t/s.txt")" = ROMEO: ] && [ "$(wc -c < "$t/s.txt")" -gt 37 ] || fail "the sample: $(cat "$t/s.txt")"
if "$bin/lstm-inspect" "$t/one/best.model" "$t/val.txt" > /dev/null 2> "$t/i.err"; then fail "lstm-inspect took words"; fi
grep -q "is a model of words" "$t/i.err" || fail "lstm-inspect: $(cat "$t/i.err")"
echo "train-words.sh: --per-char counts every character once; the sampler writes words; lstm-inspect refuses"
