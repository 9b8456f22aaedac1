#!/usr/bin/env bash
# tests/stage3/per-char.sh — lstm-eval --per-char against an independent
# computation: appendix B's plain-Python reader runs the network over the
# same text in double precision and sums the loss of each prediction by the
# character predicted and by its class (newline, space, a capital after a
# newline, another letter, punctuation, anything else); the double build's
# table must give the same counts, the same mean losses (to 1e-9 relative)
# and shares, every row, hardest first.  A class that never occurs is not
# printed.  The float build prints the same counts.
set -euo pipefail
bin=${STAGE_BIN:?set STAGE_BIN to the build folder of a stage}
dbl=${bin/\/release\//\/double\/}
[ "$dbl" != "$bin" ] && [ -x "$dbl/lstm-eval" ] \
    || { echo "per-char.sh: no double build beside $bin (expected .../release/... and .../double/...)"; exit 1; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
cp "tangled/$(basename "$bin")/lstm_model.py" "$t/"
for i in 1 2 3; do printf 'First Citizen:\nBefore we proceed 2 any further, caf\xc3\xa9!\nAll:\nSpeak, speak.\n'; done > "$t/text.txt"
"$dbl/lstm-eval" --hidden 6 --layers 2 --seed 4 --save "$t/m.bin" "$t/text.txt" > /dev/null 2>&1
"$dbl/lstm-eval" --model "$t/m.bin" --steps 7 --digits 12 --per-char "$t/text.txt" > "$t/out.txt" 2> /dev/null
"$bin/lstm-eval" --model "$t/m.bin" --per-char "$t/text.txt" > "$t/float.txt" 2> /dev/null
cd "$t" && python3 - <<'PY'
import re, sys
import lstm_model as M

m = M.read_model("m.bin")
text = open("text.txt", encoding="utf-8").read()
losses = M.prediction_losses(m, text)   # appendix B's plain-Python forward pass
total = sum(losses)

def klass(prev, ch):
    if ch == "\n": return "newline"
    if ch == " ": return "space"
    if "A" <= ch <= "Z": return "capital after a newline" if prev == "\n" else "letter"
    if "a" <= ch <= "z": return "letter"
    if ord(ch) < 128 and not ch.isalnum() and ch.isprintable(): return "punctuation"
    return "other"

by_class, by_char = {}, {}
for t, loss in enumerate(losses):
    for table, key in ((by_class, klass(text[t], text[t + 1])), (by_char, "%04X" % ord(text[t + 1]))):
        n, s = table.get(key, (0, 0.0))
        table[key] = (n + 1, s + loss)

out = open("out.txt").read()
def section(title):
    part = out.split(title, 1)[1].split("\n\n", 1)[0]
    return [line for line in part.splitlines()[1:] if line.strip()]
row = re.compile(r"^  (.*?) +(\d+) +([0-9.]+) nats +([0-9.]+)%$")
def check(rows, want, name_of, what):
    got = []
    for line in rows:
        r = row.match(line)
        if not r: sys.exit(f"per-char.sh: {what}: a row that does not parse: {line!r}")
        got.append((name_of(r.group(1)), int(r.group(2)), float(r.group(3)), float(r.group(4))))
    if sorted(g[0] for g in got) != sorted(want):
        sys.exit(f"per-char.sh: {what}: rows {[g[0] for g in got]}, want {sorted(want)}")
    means = [g[2] for g in got]
    if means != sorted(means, reverse=True):
        sys.exit(f"per-char.sh: {what}: not the hardest first: {means}")
    for key, n, mean, share in got:
        wn, ws = want[key]
        if n != wn or abs(mean - ws / wn) > 1e-9 * (ws / wn) or abs(share - 100 * ws / total) > 0.006:
            sys.exit(f"per-char.sh: {what} {key}: {n} predictions, mean {mean}, {share}%; "
                     f"the Python: {wn}, {ws / wn}, {100 * ws / total:.2f}%")
check(section("per class of the character predicted"), by_class, lambda s: s, "class")
check(section("per character predicted"), by_char, lambda s: re.search(r"U\+([0-9A-F]+)", s).group(1), "character")
if len(by_class) < 6:
    sys.exit(f"per-char.sh: the text has only the classes {sorted(by_class)}: the test would not see the others")
flt = open("float.txt").read()
counts = lambda s: re.findall(r"^  .*? +(\d+) +[0-9.]+ nats", s, re.M)
if sorted(counts(flt)) != sorted(counts(out)):
    sys.exit("per-char.sh: the float build counts other predictions")
print(f"per-char.sh: {len(by_class)} classes and {len(by_char)} characters, as the Python computes them")
PY
