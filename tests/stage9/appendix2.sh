#!/usr/bin/env bash
# tests/stage9/appendix2.sh — appendix B5: the Python reader, with the three
# places version 2 adds to it, must read an embedded model that lstm-eval
# saves (a version 2 file) and compute the loss lstm-eval reports; a
# one-hot model is still saved as version 1; the gradient of an embedded
# model, from lstm-grad --out, is a version 2 file of the model's size.
set -euo pipefail
bin=${STAGE_BIN:?set STAGE_BIN to the build folder of a stage}
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
cp "tangled/$(basename "$bin")/lstm_model.py" "$t/"
for i in 1 2 3; do printf 'To be, or not to be: caf\xc3\xa9 \xe2\x82\xac\xf0\x9f\x98\x80!\n'; done > "$t/text.txt"
version() { python3 -c "import struct, sys; print(struct.unpack_from('<I', open(sys.argv[1], 'rb').read(), 8)[0])" "$1"; }
"$bin/lstm-eval" --hidden 6 --layers 2 --embed 5 --seed 5 --steps 7 --save "$t/m.bin" "$t/text.txt" \
    > "$t/c.txt" 2> /dev/null
grep -qx 'embedding: E = 5 numbers per token' "$t/c.txt" \
    || { echo "appendix2.sh: lstm-eval does not say the table's width:"; cat "$t/c.txt"; exit 1; }
[ "$(version "$t/m.bin")" = 2 ] || { echo "appendix2.sh: an embedded model was not saved as version 2"; exit 1; }
python3 "$t/lstm_model.py" "$t/m.bin" "$t/text.txt" 1000 > "$t/py.txt"
c=$(sed -n 's/^loss: \([0-9.]*\) nats.*/\1/p' "$t/c.txt")
p=$(sed -n 's/^loss: \([0-9.]*\) nats.*/\1/p' "$t/py.txt")
# as in tests/stage3/appendix.sh: 4 decimals printed, float rounding far below the last
python3 -c "import sys; c, p = $c, $p; sys.exit(0 if abs(c - p) <= 1.5e-4 else 1)" \
    || { echo "appendix2.sh: lstm-eval says $c nats/char, the appendix's Python $p"; exit 1; }
"$bin/lstm-eval" --hidden 6 --layers 2 --seed 5 --save "$t/one.bin" "$t/text.txt" > /dev/null 2>&1
[ "$(version "$t/one.bin")" = 1 ] || { echo "appendix2.sh: a one-hot model was not saved as version 1"; exit 1; }
"$bin/lstm-grad" --hidden 6 --layers 2 --embed 5 --seed 5 --no-check --out "$t/g.bin" "$t/text.txt" > /dev/null
[ "$(version "$t/g.bin")" = 2 ] && [ "$(stat -c %s "$t/g.bin")" = "$(stat -c %s "$t/m.bin")" ] \
    || { echo "appendix2.sh: the gradient of an embedded model is not a version 2 file of its size"; exit 1; }
echo "appendix B5: the Python reader agrees with lstm-eval on an embedded model ($c vs $p nats/char)"
