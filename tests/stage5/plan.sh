#!/usr/bin/env bash
# tests/stage5/plan.sh — `--plan minutes`: a cosine planned over the steps a
# run's minutes allow.  The plan is made once, after the first validation
# past 50 steps, and every later step's rate (the log's lr column) is the
# cosine over the planned S, computed here again; a resumed run keeps S
# unless --plan minutes is given again; the option's misuses are refused.
set -euo pipefail
bin=${STAGE_BIN:?set STAGE_BIN to the build folder of a stage}
train=$bin/lstm-train
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
for i in $(seq 1 60); do
    printf 'ROMEO:\nBut soft, what light through yonder window breaks? %d\n\n' "$i"
done > "$t/text.txt"
opts=(--hidden 16 --batch 4 --steps 12 --val-every 25 --sample-chars 0 --seed 3 --schedule cosine
      --lr 0.002 --lr-min 0.0001 --epochs 100000 --log-every 1)
fail() { echo "plan.sh: $*"; exit 1; }

# the planned steps of a plan line or a summary line
planned() { sed -n 's/^cosine planned over: \([0-9]*\) steps.*/\1/p' "$1"; }

# Every log row from step FROM on has the cosine's rate over S (the rate of
# step n is that of n - 1 steps taken), to the log's 6 digits.
rates_follow() {   # LOG S FROM
    awk -F, -v S="$2" -v from="$3" 'NR > 1 && $1 >= from {
        x = ($1 - 1) / S; if (x > 1) x = 1
        e = 0.0001 + 0.5 * (0.002 - 0.0001) * (1 + cos(3.141592653589793 * x))
        d = $4 - e; if (d < 0) d = -d
        if (d > 1e-5 * e) { printf "step %d: lr %s, the cosine over %d steps gives %.6g\n", $1, $4, S, e; bad = 1; exit }
        n++ }
        END { if (!bad && n < 20) { printf "only %d rows from step %d\n", n, from; bad = 1 } exit bad }' "$1"
}

"$train" "${opts[@]}" --plan minutes --minutes 0.04 --out "$t/a" "$t/text.txt" > "$t/a.out" 2> /dev/null
[ "$(grep -c '^cosine planned over: .*minutes allow' "$t/a.out")" = 1 ] || fail "not one plan line: $(cat "$t/a.out")"
S=$(planned <(grep 'minutes allow' "$t/a.out"))
[ "$S" -gt 50 ] && [ "$S" -lt 100000 ] || fail "planned $S steps: not past the 50 timed, or the epochs' own"
grep -q '^stopped by: --minutes 0.04' "$t/a.out" || fail "the run did not stop by its minutes"
[ "$(grep '^cosine planned over: [0-9]* steps$' "$t/a.out" | planned /dev/stdin)" = "$S" ] \
    || fail "the summary's plan is not the plan made"
why=$(rates_follow "$t/a/log.csv" "$S" 51) || fail "after the plan: $why"
why=$(rates_follow "$t/a/log.csv" $((S * 3)) 51) && fail "the rates fit a cosine over 3S too: the test cannot tell"
echo "plan.sh: planned $S steps after step 50; every later step's rate is the cosine over them"

# Resumed without --plan: the plan is kept; with it, the rest is planned anew.
steps=$(sed -n 's/^steps: //p' "$t/a.out")
"$train" --out "$t/a" --resume --minutes 0.06 "$t/text.txt" > "$t/b.out" 2> /dev/null
grep -q 'minutes allow' "$t/b.out" && fail "a resumed run planned again without --plan minutes"
[ "$(planned "$t/b.out")" = "$S" ] || fail "the resumed run's plan is $(planned "$t/b.out"), not $S"
why=$(rates_follow "$t/a/log.csv" "$S" "$steps") || fail "after resuming: $why"
"$train" --out "$t/a" --resume --plan minutes --minutes 0.08 "$t/text.txt" > "$t/c.out" 2> /dev/null
[ "$(grep -c 'minutes allow' "$t/c.out")" = 1 ] || fail "--plan minutes on --resume did not plan the rest anew"
echo "plan.sh: a resumed run keeps its plan, and plans anew when asked"

# Misuses: a usage error (status 2) that names the option.
for bad in "--plan minutes" "--plan minutes --minutes 1 --schedule step" "--plan sometimes --minutes 1"; do
    set +e
    # shellcheck disable=SC2086
    "$train" --out "$t/bad" $bad "$t/text.txt" > /dev/null 2> "$t/bad.err"
    rc=$?
    set -e
    [ $rc = 2 ] || fail "'$bad': status $rc, not 2"
    grep -q -- '--plan' "$t/bad.err" || fail "'$bad': the message does not name --plan: $(cat "$t/bad.err")"
done
[ ! -e "$t/bad" ] || fail "a refused run made its folder"
echo "plan.sh: --plan minutes without --minutes or a cosine, and --plan sometimes, refused"
