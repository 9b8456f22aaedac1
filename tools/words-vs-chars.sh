#!/usr/bin/env bash
# tools/words-vs-chars.sh — chapter 9's comparison: a model of characters and
# a model of words, of the same size (2 x 256, dropout 0.2, Adam from 0.002 on
# a cosine), trained side by side for the same time, one core each (so that a
# machine's load falls on both alike), then scored by lstm-eval on the same
# validation text, the last 111,539 characters of Tiny Shakespeare, in bits
# per character.  Into runs/words-vs-chars/ (the models are left out of git:
# `bash tools/words-vs-chars.sh` makes them again).
#
#   WORDS: the words of the vocabulary (4000).
#   CHAR_STEPS, WORD_STEPS: the steps each cosine is planned over, about what
#   one core does in MINUTES (25) on the machine the run was recorded on
#   (from the rates of a first run there), so that both end near MINUTES.
# Where python3-torch is installed, split.txt splits both models' losses by
# the kinds of token the model of words reads (tools/words-vs-chars-split.py).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/release/stage${LAST:-9}
out=runs/words-vs-chars
corpus=data/tinyshakespeare.txt
minutes=${MINUTES:-25}
common=(--threads 1 --hidden 256 --layers 2 --dropout 0.2 --schedule cosine --val-every 500
        --sample-chars 0 --minutes "$minutes" --seed 1)
mkdir -p "$out"
rm -rf "$out/chars" "$out/words"
"$bin/lstm-train" "${common[@]}" --max-steps "${CHAR_STEPS:-9800}" --out "$out/chars" "$corpus" \
    > "$out/chars.out" 2> "$out/chars.err" &
a=$!
"$bin/lstm-train" "${common[@]}" --max-steps "${WORD_STEPS:-3750}" --tokens words --embed 128 \
    --words "${WORDS:-4000}" --out "$out/words" "$corpus" > "$out/words.out" 2> "$out/words.err" &
b=$!
wait $a; wait $b
tail -c 111539 "$corpus" > "$out/validation.txt"
{
    echo "machine: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), cpu family $(grep -m1 'cpu family' /proc/cpuinfo | sed 's/.*: //') model $(grep -m1 '^model[[:space:]]' /proc/cpuinfo | sed 's/.*: //')"
    echo "date: $(date -u '+%Y-%m-%d %H:%M')"
    for kind in chars words; do
        echo "--- $kind"
        grep -E '^(corpus|model|embedding|words|steps|epochs|minutes|stopped by|chars/s|tokens/s):' "$out/$kind.out" \
            | sed "s/^/$kind /"
        "$bin/lstm-eval" --model "$out/$kind/best.model" "$out/validation.txt" | sed "s/^/$kind /"
    done
} > "$out/summary.txt"
for kind in chars words; do     # where each model's loss goes, by class of character
    echo "--- $kind"
    "$bin/lstm-eval" --model "$out/$kind/best.model" --per-char "$out/validation.txt" \
        | sed -n '/^per class/,/^$/p'
done > "$out/per-class.txt"
py=$(for p in python3 /usr/bin/python3; do if $p -c 'import torch' 2> /dev/null; then echo $p; break; fi; done)
if [ -n "$py" ]; then     # both models' losses split by the word model's kinds of token
    $py tools/words-vs-chars-split.py "$out/chars/best.model" "$out/words/best.model" "$out/validation.txt" \
        > "$out/split.txt"
fi
for kind in chars words; do
    for t in 0.5 1.0; do
        printf -- '--- %s, temperature %s ---\n' "$kind" "$t"
        "$bin/lstm-sample" --chars $([ $kind = words ] && echo 200 || echo 600) --temperature $t --seed 1 \
            --prime $'ROMEO:\n' "$out/$kind/best.model"
        echo
    done
done > "$out/samples.txt"
rm -f "$out/validation.txt"
cat "$out/summary.txt"
