#!/usr/bin/env bash
# tests/stage5/checkpoint-layout.sh — the appendix's checkpoint reader, written
# from the appendix's table alone, must find in a checkpoint that lstm-train
# writes every setting this test chose, at the offsets the table gives, and
# the model cut out of it must be byte for byte the last.model written beside it.
set -euo pipefail
bin=${STAGE_BIN:?set STAGE_BIN to the build folder of a stage}
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
cp "tangled/$(basename "$bin")/lstm_model.py" "$t/"   # appendix B, as the stage tangles it
cp "tangled/$(basename "$bin")/lstm_checkpoint.py" "$t/"   # appendix C
for i in $(seq 1 40); do printf 'ROMEO:\nBut soft, what light through yonder window breaks? %d\n\n' "$i"; done > "$t/text.txt"
"$bin/lstm-train" --out "$t/run" --hidden 5 --layers 3 --batch 3 --steps 7 --seed 77 \
    --optimizer adam --schedule cosine --lr 0.004 --lr-min 0.0003 --epochs 2 --clip 2.5 \
    --val-fraction 0.15 --dropout 0.3 --max-steps 9 --minutes 7.5 --val-every 4 --log-every 3 \
    --sample-every 11 --sample-chars 0 "$t/text.txt" > /dev/null 2> "$t/err" \
    || { echo "checkpoint-layout.sh: lstm-train failed: $(cat "$t/err")"; exit 1; }
chars=$(python3 -c "import sys; print(len(open(sys.argv[1], encoding='utf-8').read()))" "$t/text.txt")
cd "$t" && python3 - "$chars" <<'PY'
import math, sys
from lstm_checkpoint import read_checkpoint
ck = read_checkpoint("run/checkpoint.bin")
want = {"version": 3, "epochs": 2, "max_steps": 9, "minutes": 7.5, "val_every": 4,
        "log_every": 3, "sample_every": 11, "sample_chars": 0, "momentum": 0.9, "H": 5, "L": 3, "B": 3, "T": 7, "seed": 77, "optimizer": 0,
        "schedule": 2, "lr": 0.004, "lr_min": 0.0003, "clip_norm": 2.5, "clip_value": 0.0,
        "val_fraction": 0.15, "dropout": 0.3, "step": 9, "adam_t": 9,
        "corpus_n": int(sys.argv[1]), "beta1": 0.9, "beta2": 0.999}
bad = [f"{k}: {ck[k]!r}, not {v!r}" for k, v in want.items() if ck[k] != v]
if ck["V"] != len(ck["model"]["vocab"]) or ck["H"] != ck["model"]["H"]:
    bad.append("the header's sizes differ from the model's")
if not (math.isfinite(ck["best_val"]) and 0 < ck["best_val"] < 10):
    bad.append(f"best_val {ck['best_val']}")
if ck["model_file"] != open("run/last.model", "rb").read():
    bad.append("the model cut out of it is not last.model")
if bad:
    sys.exit("checkpoint-layout.sh: " + "; ".join(bad))
print(f"checkpoint-layout.sh: the appendix's reader finds all {len(want)} settings chosen and "
      f"last.model inside a checkpoint of {ck['step']} steps")
PY
