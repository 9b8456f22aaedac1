#!/usr/bin/env bash
# tests/stage6/sample.sh — lstm-sample end to end: valid UTF-8 of the right
# length, the same text for the same seed, prompts checked against the
# vocabulary, and a checkpoint accepted as well as a model file.
set -euo pipefail
bin=${STAGE_BIN:?set STAGE_BIN to the build folder of a stage}
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
fail() { echo "sample.sh: $*"; exit 1; }
for i in 1 2 3 4 5 6 7 8; do printf 'Caf\xc3\xa9 \xe2\x82\xac%d, na\xc3\xafve \xf0\x9f\x98\x80 ROMEO:\n' "$i"; done > "$t/text.txt"
"$bin/lstm-eval" --hidden 8 --seed 2 --save "$t/m.bin" "$t/text.txt" > /dev/null 2>&1
"$bin/lstm-sample" --chars 300 --seed 4 --prime 'ROMEO:' "$t/m.bin" > "$t/a.txt"
"$bin/lstm-sample" --chars 300 --seed 4 --prime 'ROMEO:' "$t/m.bin" > "$t/b.txt"
cmp -s "$t/a.txt" "$t/b.txt" || fail "the same seed gave different text"
python3 - "$t/a.txt" <<'PY' || fail "the output is not valid UTF-8 of 6 + 300 + 1 characters"
import sys
s = open(sys.argv[1], "rb").read().decode("utf-8")   # raises on invalid UTF-8
sys.exit(0 if s.startswith("ROMEO:") and len(s) == 6 + 300 + 1 else 1)
PY
if "$bin/lstm-sample" --prime 'Juliet' "$t/m.bin" > /dev/null 2> "$t/err"; then
    fail "a prompt with unknown characters was accepted"; fi
grep -q "'J' (U+004A) at byte 0" "$t/err" || fail "unknown prompt character: $(cat "$t/err")"
"$bin/lstm-sample" --skip-unknown --chars 10 --prime 'Juliet' "$t/m.bin" > /dev/null 2> "$t/err" \
    || fail "--skip-unknown: $(cat "$t/err")"
grep -q "warning: skipping 'J'" "$t/err" || fail "--skip-unknown gave no warning"
"$bin/lstm-train" --out "$t/run" --hidden 8 --batch 2 --steps 10 --max-steps 3 --sample-chars 0 \
    "$t/text.txt" > /dev/null 2>&1
"$bin/lstm-sample" --chars 20 "$t/run/checkpoint.bin" > /dev/null || fail "a checkpoint was refused"
printf 'garbage!' > "$t/bad.bin"
if "$bin/lstm-sample" "$t/bad.bin" > /dev/null 2> "$t/err"; then fail "garbage accepted"; fi
echo "sample.sh: valid UTF-8, reproducible, prompts checked, checkpoints accepted"

# A model whose text had no newline samples from the zero state when no
# prompt is given; --greedy with a temperature or a cut is refused.
for i in 1 2 3 4 5 6; do printf 'abc, cab; bca. '; done > "$t/nonewline.txt"
"$bin/lstm-eval" --hidden 8 --seed 2 --save "$t/nl.bin" "$t/nonewline.txt" > /dev/null 2>&1
"$bin/lstm-sample" --chars 40 "$t/nl.bin" > "$t/nl.out" 2> "$t/err" \
    || fail "a model without a newline could not sample without a prompt: $(cat "$t/err")"
[ "$(head -c 40 "$t/nl.out" | wc -c)" -eq 40 ] || fail "the sample from the zero state is short"
for o in "--temperature 0.5" "--top-k 3" "--top-p 0.9"; do
    status=0
    # shellcheck disable=SC2086
    "$bin/lstm-sample" --greedy $o "$t/m.bin" > /dev/null 2> "$t/err" || status=$?
    [ "$status" -eq 2 ] || fail "--greedy $o: status $status"
    grep -q "would change nothing" "$t/err" || fail "--greedy $o: $(cat "$t/err")"
done
"$bin/lstm-sample" --greedy --chars 5 "$t/m.bin" > /dev/null || fail "--greedy alone failed"
echo "sample.sh: no newline, no prompt: a sample from the zero state; --greedy with a rule is refused"
