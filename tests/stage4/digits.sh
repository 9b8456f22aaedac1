#!/usr/bin/env bash
# tests/stage4/digits.sh — `--digits N` of lstm-eval and lstm-grad, so that a
# loss can be compared to more than 4 or 6 decimals:
#  * N decimals printed, and the default's figure is the long one rounded;
#  * the double build's loss, to 12 decimals, is the loss appendix B's plain
#    Python reader computes in double precision, to 1e-10 relative, from
#    both programs (lstm-eval reading the text in pieces, lstm-grad as one
#    sequence);
#  * N outside 1..17 is a usage error (status 2) that names the option.
set -euo pipefail
bin=${STAGE_BIN:?set STAGE_BIN to the build folder of a stage}
dbl=${bin/\/release\//\/double\/}
[ "$dbl" != "$bin" ] && [ -x "$dbl/lstm-grad" ] \
    || { echo "digits.sh: no double build beside $bin (expected .../release/... and .../double/...)"; exit 1; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
fail() { echo "digits.sh: $*"; exit 1; }
cp "tangled/$(basename "$bin")/lstm_model.py" "$t/"
for i in 1 2 3; do printf 'To be, or not to be: caf\xc3\xa9 \xe2\x82\xac!\n'; done > "$t/text.txt"
"$dbl/lstm-eval" --hidden 7 --layers 2 --seed 3 --save "$t/m.bin" "$t/text.txt" > /dev/null 2>&1
n=$(python3 -c "import sys; print(len(open(sys.argv[1], encoding='utf-8').read()))" "$t/text.txt")

loss() { sed -n 's/^loss: \([0-9.]*\) nats.*/\1/p' "$1"; }
"$dbl/lstm-eval" --model "$t/m.bin" --steps 5 "$t/text.txt" > "$t/e4.txt" 2> /dev/null
"$dbl/lstm-eval" --model "$t/m.bin" --steps 5 --digits 12 "$t/text.txt" > "$t/e12.txt" 2> /dev/null
"$dbl/lstm-grad" --model "$t/m.bin" --chars "$n" --no-check --digits 12 "$t/text.txt" > "$t/g12.txt" 2> /dev/null
"$dbl/lstm-grad" --model "$t/m.bin" --chars "$n" --no-check "$t/text.txt" > "$t/g6.txt" 2> /dev/null
e4=$(loss "$t/e4.txt"); e12=$(loss "$t/e12.txt"); g12=$(loss "$t/g12.txt"); g6=$(loss "$t/g6.txt")
[[ $e12 =~ ^[0-9]+\.[0-9]{12}$ ]] || fail "lstm-eval --digits 12 printed '$e12'"
[[ $g12 =~ ^[0-9]+\.[0-9]{12}$ ]] || fail "lstm-grad --digits 12 printed '$g12'"
[[ $(sed -n 's/^bits: \([0-9.]*\) bits.*/\1/p' "$t/e12.txt") =~ ^[0-9]+\.[0-9]{12}$ ]] \
    || fail "lstm-eval --digits 12: the bits have another number of decimals"
[ "$(printf '%.4f' "$e12")" = "$e4" ] || fail "lstm-eval: $e4 by default, $e12 with 12 decimals"
[ "$(printf '%.6f' "$g12")" = "$g6" ] || fail "lstm-grad: $g6 by default, $g12 with 12 decimals"
py=$(cd "$t" && python3 -c "import lstm_model as L, sys; m = L.read_model('m.bin'); print(repr(L.mean_loss(m, open('text.txt', encoding='utf-8').read())))")
python3 -c "import sys; e, g, p = $e12, $g12, $py; sys.exit(0 if abs(e - p) <= 1e-10 * p and abs(g - p) <= 1e-10 * p else 1)" \
    || fail "the double build says $e12 (lstm-eval) and $g12 (lstm-grad), the appendix's Python $py"

for prog in lstm-eval lstm-grad; do
    for d in 0 18 x; do
        status=0
        "$bin/$prog" --digits "$d" "$t/text.txt" > /dev/null 2> "$t/err" || status=$?
        [ "$status" -eq 2 ] || fail "$prog --digits $d: status $status"
        grep -q -- '--digits' "$t/err" || fail "$prog --digits $d: '$(cat "$t/err")'"
    done
done
echo "digits.sh: --digits prints N decimals; the double build's loss is the appendix's Python's to 1e-10 ($e12, $py)"
