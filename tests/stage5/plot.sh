#!/usr/bin/env bash
# tests/stage5/plot.sh — lstm-plot on a log whose figures are known: the
# best and last validation rows, the training loss and gap at the best, the
# first time under 1.50, both SVG files with one point per row of each curve;
# a log without validation rows and a missing log are refused.
set -euo pipefail
bin=${STAGE_BIN:?set STAGE_BIN to the build folder of a stage}
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
fail() { echo "plot.sh: $*"; exit 1; }
cat > "$t/log.csv" <<'CSV'
step,epoch,minutes,lr,train_loss,val_loss,val_bits,val_accuracy,chars_per_s
10,0.1,1.0,0.002,3.0,,,,1000
20,0.2,2.0,0.002,2.0,2.5,3.6067,0.30,1000
30,0.3,3.0,0.002,1.6,1.45,2.0919,0.50,1000
40,0.4,4.0,0.002,1.3,1.40,2.0198,0.55,1000
50,0.5,5.0,0.002,1.2,1.42,2.0486,0.54,1000
CSV
"$bin/lstm-plot" --below 1.5 "$t/log.csv" "$t/out" > "$t/summary.txt"
want() { grep -qxF "$1" "$t/summary.txt" || fail "expected '$1' in: $(tr '\n' '|' < "$t/summary.txt")"; }
want "rows: 5"
want "best validation loss: 1.4000"
want "best bits: $(awk 'BEGIN { printf "%.4f", 1.40 / log(2) }')"
want "best at minutes: 4.0"
want "best at step: 40"
want "training loss then: 1.3000"
want "gap then: 0.1000"
want "last validation loss: 1.4200"
want "last at step: 50"
want "time to 1.50: 3.0 minutes"
for f in loss accuracy; do
    [ -s "$t/out/$f.svg" ] || fail "no $f.svg"
    grep -q '<svg' "$t/out/$f.svg" || fail "$f.svg is not SVG"
done
echo "plot.sh: the figures of a known log are right, and both plots are drawn"

# The threshold is asked for, not assumed: without --below no line, and one
# never reached says so.
"$bin/lstm-plot" "$t/log.csv" "$t/out" > "$t/plain.txt"
grep -q '^time to' "$t/plain.txt" && fail "a threshold line without --below"
"$bin/lstm-plot" --below 1 "$t/log.csv" "$t/out" | grep -qxF "time to 1.00: not reached" \
    || fail "--below 1: not 'not reached'"
# The legend stands above the frame, where it covers no point.
frame_y=$(grep -o '<rect x="[0-9.]*" y="[0-9.]*" width="[0-9.]*" height="[0-9.]*" fill="none"' "$t/out/loss.svg" \
          | sed 's/.* y="\([0-9.]*\)".*/\1/')
legend_y=$(grep -o '<text x="[0-9.]*" y="[0-9.]*">validation</text>' "$t/out/loss.svg" | sed 's/.* y="\([0-9.]*\)".*/\1/')
awk -v l="$legend_y" -v f="$frame_y" 'BEGIN { exit !(l + 0 < f + 0) }' \
    || fail "the legend (y $legend_y) is not above the frame (y $frame_y)"
echo "plot.sh: --below asks for the threshold; the legend is above the frame"

# Values that differ by less than their precision (a billion-minute log)
# must not send the grid into an endless loop.
{ echo "step,epoch,minutes,lr,train_loss,val_loss,val_bits,val_accuracy,chars_per_s"
  for i in 1 2 3 4; do echo "$i,0.1,1000000000000000$i,0.002,2.$i,2.$i,3.0,0.3,1000"; done; } > "$t/flat.csv"
timeout 10 "$bin/lstm-plot" "$t/flat.csv" "$t/flat" > /dev/null || fail "a log of nearly equal times: status $?"
[ "$(grep -c '<line' "$t/flat/loss.svg")" -lt 200 ] || fail "a log of nearly equal times drew too many grid lines"
echo "plot.sh: a log of times equal to their precision is drawn at once"

head -2 "$t/log.csv" > "$t/noval.csv"
if "$bin/lstm-plot" "$t/noval.csv" "$t/out2" 2> "$t/err"; then fail "a log without validation rows was accepted"; fi
grep -q "no validation rows" "$t/err" || fail "unclear message: $(cat "$t/err")"
if "$bin/lstm-plot" "$t/missing.csv" "$t/out3" 2> "$t/err"; then fail "a missing log was accepted"; fi
grep -q "cannot open" "$t/err" || fail "unclear message: $(cat "$t/err")"
echo "plot.sh: a log without validation rows and a missing log are refused"
