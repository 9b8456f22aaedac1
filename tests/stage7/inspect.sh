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

# Every argument is checked before any work: a cell the model does not have
# is refused before the text is read, and nothing is written.
status=0
"$bin/lstm-inspect" --out "$t/early" --cell 3/c/1 "$t/m.bin" "$t/text.txt" > /dev/null 2> "$t/err" || status=$?
[ "$status" -eq 2 ] || fail "--cell 3/c/1 on a 2-layer model: status $status"
[ -e "$t/early" ] && fail "a refused --cell left its folder"
grep -q "the model has layers 1 to 2" "$t/err" || fail "bad cell: $(cat "$t/err")"
printf 'a' > "$t/one.txt"
"$bin/lstm-inspect" --out "$t/one" "$t/m.bin" "$t/one.txt" > /dev/null 2> "$t/err" && fail "one character inspected"
grep -q -- "--from" "$t/err" && fail "a one-character text blamed on --from: $(cat "$t/err")"
grep -q "1 character: too few to inspect" "$t/err" || fail "one character: $(cat "$t/err")"
echo "inspect.sh: a bad --cell is refused before any work; a one-character text is called that"

# Chinese verse: characters two columns wide in the picture; the language.
for i in $(seq 1 30); do printf '\xe7\x8e\x8b\xe6\x9b\xb0\xef\xbc\x9a\xe3\x80\x8c\xe5\x96\x84\xe3\x80\x82\xe3\x80\x8d\n'; done > "$t/zh.txt"
"$bin/lstm-eval" --hidden 8 --seed 5 --save "$t/zh.bin" "$t/zh.txt" > /dev/null 2>&1
"$bin/lstm-inspect" --out "$t/zh" --lang zh --svg 40 "$t/zh.bin" "$t/zh.txt" > "$t/zh.report" 2> /dev/null \
    || fail "lstm-inspect on Chinese failed"
grep -q '<pre lang="zh">' "$t/zh/in-word.html" || fail "the page does not carry --lang"
grep -q 'xml:lang="zh"' "$t/zh/in-word.svg" || fail "the picture does not carry --lang"
python3 - "$t/zh/in-word.svg" <<'PY' || fail "CJK characters overlap in the picture"
import sys, xml.etree.ElementTree as ET
svg = ET.parse(sys.argv[1]).getroot()
boxes = [e for e in svg if e.tag.endswith("rect")][1:]
assert boxes and abs(float(boxes[0].get("width")) - 16.8) < 1e-6, boxes[0].get("width")
for a, b in zip(boxes, boxes[1:]):       # each box starts where the one before ends, on a row
    if a.get("y") == b.get("y"):
        assert float(b.get("x")) >= float(a.get("x")) + float(a.get("width")) - 1e-6
PY
"$bin/lstm-inspect" --out "$t/out" "$t/m.bin" "$t/text.txt" > /dev/null 2>&1
grep -q '<pre lang="und">' "$t/out/in-word.html" || fail "without --lang, the text's language is not 'und'"
echo "inspect.sh: CJK characters take two columns in the pictures; pages carry the text's language"
