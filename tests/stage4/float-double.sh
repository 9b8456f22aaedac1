#!/usr/bin/env bash
# tests/stage4/float-double.sh — the float build's gradient agrees with the
# double build's, to float precision.  Both builds of lstm-grad compute the
# gradient of the same model (saved by the float build, so exactly
# representable in both) on the same text; the files are read with appendix
# A's Python reader and compared tensor by tensor.
set -euo pipefail
bin=${STAGE_BIN:?set STAGE_BIN to the build folder of a stage}
dbl=${bin/\/release\//\/double\/}
[ "$dbl" != "$bin" ] && [ -x "$dbl/lstm-grad" ] \
    || { echo "float-double.sh: no double build beside $bin (expected .../release/... and .../double/...)"; exit 1; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
cp "tangled/$(basename "$bin")/lstm_model.py" "$t/"   # appendix B, as the stage tangles it
for i in 1 2 3 4; do printf 'First Citizen:\nBefore we proceed any further, hear me speak.\n'; done > "$t/text.txt"
"$bin/lstm-eval" --hidden 24 --layers 2 --seed 7 --chars 1000 --save "$t/m.bin" "$t/text.txt" > /dev/null 2>&1
"$bin/lstm-grad" --model "$t/m.bin" --chars 120 --no-check --out "$t/gf.bin" "$t/text.txt" > /dev/null
"$dbl/lstm-grad" --model "$t/m.bin" --chars 120 --no-check --out "$t/gd.bin" "$t/text.txt" > /dev/null
cd "$t" && python3 - <<'PY'
import sys
from lstm_model import read_model
f, d = read_model("gf.bin"), read_model("gd.bin")
def tensors(m):
    for l, layer in enumerate(m["layers"]):
        for k in ("W_ih", "W_hh"):
            yield f"layer {l + 1} {k}", [x for row in layer[k] for x in row]
        yield f"layer {l + 1} b", layer["b"]
    yield "W_y", [x for row in m["W_y"] for x in row]
    yield "b_y", m["b_y"]
# Each gradient element is a sum over T = 119 steps of terms computed through
# O(H) = 24 rounded operations each, in float (u = 2^-24): its error is at
# most about T H u of the tensor's largest element (rounding errors mostly
# cancel, so the real differences are far smaller).  The double result is
# exact by comparison.
bound = 119 * 24 * 2.0 ** -24
bad = 0
for (name, a), (_, b) in zip(tensors(f), tensors(d)):
    scale = max(abs(x) for x in b) or 1.0
    worst = max(abs(x - y) for x, y in zip(a, b)) / scale
    print(f"  {name:14s} float vs double: worst difference {worst:.2e} of the tensor's scale (bound {bound:.1e})")
    bad += worst > bound
sys.exit(1 if bad else 0)
PY
echo "float-double.sh: the float and double gradients agree"
