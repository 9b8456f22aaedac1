#!/usr/bin/env bash
# tests/stage5/faults.sh — lstm-train against faults.  Killed with SIGKILL at
# random moments (a checkpoint is written at every step, so many kills land
# inside a write), a run always leaves a checkpoint that loads and resumes
# (--resume checks its length and checksum before anything else).
# A checkpoint that cannot be written — because the file-size limit is below
# its size, because the disk is full, or because the folder is read-only —
# stops the run with a message that says why, and the last good checkpoint is
# left as it was.
set -euo pipefail
bin=${STAGE_BIN:?set STAGE_BIN to the build folder of a stage}
train=$bin/lstm-train
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
fail() { echo "faults.sh: $*"; exit 1; }
for i in $(seq 1 60); do
    printf 'ROMEO:\nBut soft, what light through yonder window breaks? %d\n\n' "$i"
done > "$t/text.txt"
opts=(--hidden 24 --batch 4 --steps 12 --val-every 1 --log-every 1 --sample-chars 0 --seed 3)

RANDOM=7   # the same moments on every run of the test
kills=0 saved=0 inside=0
for i in $(seq 1 10); do
    rm -rf "$t/k"
    "$train" "${opts[@]}" --out "$t/k" --max-steps 1000000 --epochs 1000000 "$t/text.txt" > /dev/null 2>&1 &
    pid=$!
    sleep "0.$((RANDOM % 7 + 2))"                  # 0.2 .. 0.8 s
    kill -KILL "$pid"
    wait "$pid" 2> /dev/null || true
    kills=$((kills + 1))
    [ -f "$t/k/checkpoint.bin" ] || continue       # killed before the first save
    ls "$t/k" | grep -q '\.tmp-' && inside=$((inside + 1))   # killed inside a write
    saved=$((saved + 1))
    status=0   # (--foreground: timeout signals the trainer only, not its whole group,
               # whose second SIGINT would be the "kill me now" of a second Ctrl-C)
    timeout --foreground --preserve-status -s INT 1 "$train" --out "$t/k" --resume --max-steps 1000000 "$t/text.txt" \
        > /dev/null 2> "$t/err" || status=$?
    [ "$status" -eq 0 ] || fail "kill $i: resuming failed with status $status: $(cat "$t/err")"
    grep -q "resuming" "$t/err" || fail "kill $i: did not resume: $(cat "$t/err")"
done
[ "$saved" -ge 6 ] || fail "only $saved of $kills runs lived long enough to save: the test proves little"
echo "faults.sh: $kills runs killed with SIGKILL ($inside inside a write); each of the $saved that had saved left a checkpoint that loads and resumes"

# A checkpoint that cannot be written.
"$train" "${opts[@]}" --out "$t/full" --max-steps 5 "$t/text.txt" > /dev/null 2>&1
cp "$t/full/checkpoint.bin" "$t/good.bin"
size=$(stat -c %s "$t/good.bin")
limit=$(( size / 1024 / 2 ))                       # in blocks of 1024 bytes: half the file
[ "$limit" -ge 1 ] || fail "the checkpoint ($size bytes) is too small for this test"
status=0
( ulimit -f "$limit"; trap '' XFSZ
  exec "$train" --out "$t/full" --resume --max-steps 10 "$t/text.txt" ) > /dev/null 2> "$t/err" || status=$?
[ "$status" -ne 0 ] || fail "a checkpoint that could not be written went unnoticed"
[ "$status" -lt 128 ] || fail "killed by signal $((status - 128)) instead of stopping with a message"
grep -qi "too large\|no space\|cannot" "$t/err" || fail "the message does not say why: $(cat "$t/err")"
cmp -s "$t/good.bin" "$t/full/checkpoint.bin" || fail "the last good checkpoint was changed"
ls "$t/full" | grep -q '\.tmp\|XXXX' && fail "a temporary file was left behind: $(ls "$t/full")"
echo "faults.sh: a checkpoint that cannot be written stops the run ('$(grep -m1 "cannot" "$t/err" | sed "s|$t/||g")') and keeps the last good one"

# A disk that is really full: a small tmpfs holding the run folder, filled to
# the last byte.  The write fails with ENOSPC, as on a full disk.  Mounting
# needs root (or CAP_SYS_ADMIN); without it this part says so and is skipped,
# the file-size limit above having tested the same path through the code.
mkdir "$t/disk"
if mount -t tmpfs -o size=1m tmpfs "$t/disk" 2> /dev/null; then
    trap 'umount "$t/disk" 2> /dev/null || true; rm -rf "$t"' EXIT
    cp -r "$t/full" "$t/disk/run"
    cp "$t/disk/run/checkpoint.bin" "$t/good.bin"; cp "$t/disk/run/best.model" "$t/good.model"
    dd if=/dev/zero of="$t/disk/filler" bs=4k 2> /dev/null || true   # stops at "No space left"
    status=0
    "$train" --out "$t/disk/run" --resume --max-steps 10 "$t/text.txt" > /dev/null 2> "$t/err" || status=$?
    [ "$status" -eq 1 ] || fail "full disk: exit status $status, not 1 ($(cat "$t/err"))"
    grep -q "No space left on device" "$t/err" || fail "full disk: the message does not say why: $(cat "$t/err")"
    cmp -s "$t/good.bin" "$t/disk/run/checkpoint.bin" || fail "full disk: the last good checkpoint was changed"
    cmp -s "$t/good.model" "$t/disk/run/best.model" || fail "full disk: the best model was changed"
    ls "$t/disk/run" | grep -q '\.tmp-' && fail "full disk: a temporary file was left behind"
    echo "faults.sh: a full disk stops the run ('$(grep -m1 "No space" "$t/err" | sed "s|$t/||g")') and keeps the last good checkpoint and best model"
    umount "$t/disk"
else
    echo "faults.sh: SKIPPED the full-disk part: cannot mount a tmpfs here (needs root)"
fi

# A folder the trainer may not write to: the run stops with a message and the
# checkpoint in it is untouched.  Root may write anywhere, so as root the
# trainer is run as the user nobody (with setpriv) on a folder root owns.
chmod 755 "$t"; chmod 644 "$t/text.txt"
"$train" "${opts[@]}" --out "$t/ro" --max-steps 5 "$t/text.txt" > /dev/null 2>&1
chmod -R a+rX "$t/ro"; chmod 555 "$t/ro"
cp "$t/ro/checkpoint.bin" "$t/good.bin"
as=()
if [ "$(id -u)" -eq 0 ]; then
    command -v setpriv > /dev/null || fail "running as root, and no setpriv to drop to nobody"
    as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
status=0
"${as[@]}" "$train" --out "$t/ro" --resume --max-steps 10 "$t/text.txt" > /dev/null 2> "$t/err" || status=$?
[ "$status" -eq 1 ] || fail "read-only folder: exit status $status, not 1 ($(cat "$t/err"))"
grep -q "Permission denied" "$t/err" || fail "read-only folder: the message does not say why: $(cat "$t/err")"
cmp -s "$t/good.bin" "$t/ro/checkpoint.bin" || fail "read-only folder: the checkpoint was changed"
echo "faults.sh: a folder that cannot be written stops the run ('$(grep -m1 "Permission" "$t/err" | sed "s|$t/||g")') and keeps the checkpoint"
chmod 755 "$t/ro"
