#!/usr/bin/env bash
# tests/stage3/inputs.sh — texts and model files nobody should give, given:
#  * a FIFO as a model is refused at once, never waited on;
#  * a 1 GB file of zeros as a model is refused after its header, with
#    little memory (the address space is limited to 400 MB here);
#  * /proc/self/status as a model gets a message that says what is wrong;
#  * a text larger than 256 MiB is refused, naming it, but --chars reads
#    only what it asks for, and a bad byte after those characters is not
#    the program's business;
#  * a byte order mark at the start is not a character, and offsets count it;
#  * unknown characters are skipped in one pass (2 MB of them, well within
#    the time limit of this test), with a total at the end;
#  * control characters in a text's vocabulary are said;
#  * "1 character" is singular.
set -euo pipefail
bin=${STAGE_BIN:?set STAGE_BIN to the build folder of a stage}
eval_=$bin/lstm-eval
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
fail() { echo "inputs.sh: $*"; exit 1; }
for i in $(seq 1 30); do printf 'abc cab bca\n'; done > "$t/text.txt"
"$eval_" --hidden 4 --layers 1 --save "$t/m.bin" "$t/text.txt" > /dev/null 2>&1

mkfifo "$t/fifo"
status=0
timeout 10 "$eval_" --model "$t/fifo" "$t/text.txt" > /dev/null 2> "$t/err" || status=$?
[ "$status" -eq 1 ] || fail "a FIFO as the model: status $status (124: it waited)"
grep -q "is not a regular file (it is a FIFO)" "$t/err" || fail "FIFO: $(cat "$t/err")"

truncate -s 1G "$t/zeros.bin"
status=0
( ulimit -v 400000; exec "$eval_" --model "$t/zeros.bin" "$t/text.txt" ) > /dev/null 2> "$t/err" || status=$?
[ "$status" -eq 1 ] || fail "1 GB of zeros as a model: status $status: $(cat "$t/err")"
grep -q "not a model file" "$t/err" || fail "1 GB of zeros: $(cat "$t/err")"

if "$eval_" --model /proc/self/status "$t/text.txt" > /dev/null 2> "$t/err"; then fail "/proc/self/status accepted"; fi
grep -q "Success" "$t/err" && fail "/proc/self/status: '$(cat "$t/err")'"
echo "inputs.sh: a FIFO, 1 GB of zeros and a /proc file given as models are refused at once, with reasons"

truncate -s 300M "$t/huge.txt"
if "$eval_" "$t/huge.txt" > /dev/null 2> "$t/err"; then fail "a 300 MB text was accepted"; fi
grep -q "huge.txt is 314572800 bytes: texts of at most 256 MiB are read" "$t/err" || fail "huge text: $(cat "$t/err")"
( ulimit -v 400000; exec "$eval_" --chars 100 --model "$t/m.bin" --skip-unknown "$t/huge.txt" ) \
    > /dev/null 2> "$t/err" || grep -q "fewer\|too few" "$t/err" || fail "--chars 100 of a huge text: $(cat "$t/err")"
{ head -c 300 "$t/text.txt"; printf '\xff\xfe rest'; } > "$t/badtail.txt"
"$eval_" --chars 200 --model "$t/m.bin" "$t/badtail.txt" > /dev/null 2> "$t/err" \
    || fail "--chars 200 refused a text whose bad byte comes after them: $(cat "$t/err")"
if "$eval_" --model "$t/m.bin" "$t/badtail.txt" > /dev/null 2> "$t/err"; then fail "bad UTF-8 accepted"; fi
grep -q "not valid UTF-8: .* at byte 300 (line 26)" "$t/err" || fail "bad UTF-8: $(cat "$t/err")"
echo "inputs.sh: a text over 256 MiB is refused by name; --chars reads only what it asks for"

{ printf '\xef\xbb\xbf'; cat "$t/text.txt"; } > "$t/bom.txt"
v_plain=$("$eval_" --hidden 4 "$t/text.txt" 2> /dev/null | sed -n 's/^sizes: V = \([0-9]*\),.*/\1/p')
v_bom=$("$eval_" --hidden 4 "$t/bom.txt" 2> /dev/null | sed -n 's/^sizes: V = \([0-9]*\),.*/\1/p')
[ "$v_plain" = "$v_bom" ] || fail "a byte order mark became a character (V = $v_bom, not $v_plain)"
{ printf '\xef\xbb\xbfab\xc3'; } > "$t/bombad.txt"
"$eval_" "$t/bombad.txt" > /dev/null 2> "$t/err" && fail "bad UTF-8 after a BOM accepted"
grep -q "at byte 5 (line 1)" "$t/err" || fail "the offset after a BOM does not count it: $(cat "$t/err")"
echo "inputs.sh: a byte order mark is left out, and offsets still count it"

python3 -c "import sys; sys.stdout.write(('xyz' * 40 + 'a\n') * 16000)" > "$t/unknown.txt"
timeout 60 "$eval_" --model "$t/m.bin" --skip-unknown "$t/unknown.txt" > /dev/null 2> "$t/err" \
    || fail "2 MB of unknown characters: status $? (quadratic?)"
grep -q "skipped 1920000 of the 1952000 characters" "$t/err" || fail "no total of skipped characters: $(cat "$t/err")"
[ "$(grep -c 'warning: skipping' "$t/err")" -eq 3 ] || fail "not one warning per unknown character: $(cat "$t/err")"
echo "inputs.sh: 1.9 million unknown characters skipped in one pass, and counted"

printf 'ab\r\ncd\000e\r\n' > "$t/controls.txt"
"$eval_" --hidden 4 "$t/controls.txt" > /dev/null 2> "$t/err" || true
grep -q "has 2 control characters, which the model will read and write like any other character: control character U+0000, carriage return (U+000D)" "$t/err" \
    || fail "control characters not said: $(cat "$t/err")"
printf 'a' > "$t/one.txt"
"$eval_" "$t/one.txt" > /dev/null 2> "$t/err" && fail "a one-character text was evaluated"
grep -q "1 character is too few" "$t/err" || fail "one character: $(cat "$t/err")"
echo "inputs.sh: control characters in a vocabulary are said; one character is one character"
