#!/usr/bin/env bash
# tests/stage3/appendix.sh — the appendix's Python reader (appendix B), written from the appendix alone, must read a
# model file that lstm-eval saves, and its own plain-Python forward pass must
# give the loss lstm-eval reports.  Run by `make test` with STAGE_BIN set to
# the folder of the stage's programs.
set -euo pipefail
bin=${STAGE_BIN:?set STAGE_BIN to the build folder of a stage}
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
cp "tangled/$(basename "$bin")/lstm_model.py" "$t/"   # appendix B, as the stage tangles it
# A small text with characters of one, two, three and four bytes.
for i in 1 2 3; do printf 'To be, or not to be: caf\xc3\xa9 \xe2\x82\xac\xf0\x9f\x98\x80!\n'; done > "$t/text.txt"
"$bin/lstm-eval" --hidden 6 --layers 2 --seed 5 --steps 7 --save "$t/m.bin" "$t/text.txt" \
    > "$t/c.txt" 2> /dev/null
python3 "$t/lstm_model.py" "$t/m.bin" "$t/text.txt" 1000 > "$t/py.txt"
grep -qF "$(grep '^sizes:' "$t/c.txt")" "$t/py.txt" \
    || { echo "appendix.sh: sizes differ:"; cat "$t/c.txt" "$t/py.txt"; exit 1; }
c=$(sed -n 's/^loss: \([0-9.]*\) nats.*/\1/p' "$t/c.txt")
p=$(sed -n 's/^loss: \([0-9.]*\) nats.*/\1/p' "$t/py.txt")
# lstm-eval prints 4 decimals; float rounding moves the loss of this small
# model by far less than the 0.0001 of the last printed digit, so the two
# agree to within its rounding (0.00005) plus that digit.
python3 -c "import sys; c, p = $c, $p; sys.exit(0 if abs(c - p) <= 1.5e-4 else 1)" \
    || { echo "appendix.sh: lstm-eval says $c nats/char, the appendix's Python $p"; exit 1; }
echo "appendix B: the Python reader agrees with lstm-eval ($c vs $p nats/char)"
