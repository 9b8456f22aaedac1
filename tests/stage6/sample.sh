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
