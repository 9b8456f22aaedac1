#!/usr/bin/env bash
# tests/stage7/inspect.sh — lstm-inspect end to end on a small text with
# speakers, brackets and a line-counting job: the report lists every feature,
# the pages hold one value per character shown and agree with the picture
# and carry the saturation table,
# --cell draws the cell asked for, --skip-unknown works, and bad cells,
# offsets, models and texts are refused with a message.
set -euo pipefail
bin=${STAGE_BIN:?set STAGE_BIN to the build folder of a stage}
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
fail() { echo "inspect.sh: $*"; exit 1; }
for i in $(seq 1 40); do
    printf 'KING:\nWhat light (through yonder) window breaks? %d\n\n' "$i"
done > "$t/text.txt"
"$bin/lstm-eval" --hidden 8 --layers 2 --seed 5 --save "$t/m.bin" "$t/text.txt" > /dev/null 2>&1
"$bin/lstm-inspect" --out "$t/out" --show 300 --svg 120 --cell 2/c/3 "$t/m.bin" "$t/text.txt" \
    > "$t/report.txt" 2> "$t/err" || fail "lstm-inspect failed: $(cat "$t/err")"
for f in line-position after-newline speaker-name in-brackets in-word; do
    grep -q "^$f " "$t/report.txt" || fail "no line for $f in the report"
    [ -s "$t/out/$f.html" ] || fail "no page for $f"
    [ -s "$t/out/$f.svg" ] || fail "no picture for $f"
done
grep -q "^2 *f " "$t/report.txt" || fail "no saturation line for layer 2's forget gate"
[ -s "$t/out/cell.html" ] && [ -s "$t/out/cell.svg" ] || fail "--cell drew nothing"
python3 - "$t/out" <<'PY' || fail "the pages or pictures are not what they should be"
import re, sys, xml.etree.ElementTree as ET
out = sys.argv[1]
for name in ("line-position", "speaker-name", "cell"):
    page = open(f"{out}/{name}.html", encoding="utf-8").read()
    values = re.findall(r'data-v="([^"]+)"', page)
    assert len(values) == 300, (name, len(values))
    assert "<h2>Gate saturation</h2>" in page and page.count("<tr>") == 1 + 4 * 2, name
    svg = ET.parse(f"{out}/{name}.svg").getroot()           # raises if malformed
    boxes = [e for e in svg if e.tag.endswith("rect")][1:]   # the first is the background
    assert len(boxes) == 120, (name, len(boxes))
    colours = re.findall(r'background:(#[0-9a-f]{6})', page)[:120]
    assert colours == [b.get("fill") for b in boxes], name   # the same colouring
PY
echo "inspect.sh: a report line per feature, pages and pictures that agree"

"$bin/lstm-inspect" --out "$t/out" "$t/m.bin" "$t/text.txt" 2> /dev/null | grep -q "^in-brackets .* [12]/[ch]/[0-9]" \
    || fail "brackets in the text, but no cell listed for in-brackets"
sed 's/[()]//g' "$t/text.txt" > "$t/plain.txt"
"$bin/lstm-inspect" --out "$t/out" "$t/m.bin" "$t/plain.txt" 2> /dev/null | grep -q "^in-brackets .*never changes" \
    || fail "no brackets, yet in-brackets was not reported as never changing"

refused() {   # refused WHAT PATTERN ARGS...: must fail and say PATTERN
    local what=$1 pattern=$2; shift 2
    if "$bin/lstm-inspect" --out "$t/out" "$@" > /dev/null 2> "$t/err"; then fail "$what was accepted"; fi
    grep -q -- "$pattern" "$t/err" || fail "$what: unclear message: $(cat "$t/err")"
}
refused "a cell beyond the model" "layers 1 to 2 and cells 1 to 8" --cell 3/c/1 "$t/m.bin" "$t/text.txt"
refused "a cell numbered 0" "cells 1 to 8" --cell 1/h/0 "$t/m.bin" "$t/text.txt"
refused "a malformed cell" "write LAYER/c/CELL" --cell 1/x/2 "$t/m.bin" "$t/text.txt"
refused "--from past the end" "can be at most" --from 99999 "$t/m.bin" "$t/text.txt"
refused "a missing model" "cannot open" "$t/none.bin" "$t/text.txt"
printf 'garbage!' > "$t/bad.bin"
refused "a garbage model" "bad.bin" "$t/bad.bin" "$t/text.txt"
printf 'KING: Zounds!\n' > "$t/other.txt"
refused "a character the model does not know" "'Z' (U+005A)" "$t/m.bin" "$t/other.txt"
"$bin/lstm-inspect" --out "$t/out" --skip-unknown "$t/m.bin" "$t/other.txt" > /dev/null 2> "$t/err" \
    || fail "--skip-unknown: $(cat "$t/err")"
: > "$t/empty.txt"
refused "an empty text" "empty" "$t/m.bin" "$t/empty.txt"
echo "inspect.sh: bad cells, offsets, models and texts are refused with a message"
