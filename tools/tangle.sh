#!/usr/bin/env bash
# tools/tangle.sh N — tangle stage N (chapters 00..N) into tangled/stageN/.
#
# Stage N is chapters 1..N tangled together: every root chunk defined by those
# chapters becomes one file of tangled/stageN/.  C files are tangled with -L, so
# compiler messages and gdb point at the line of the .nw file.  A file is only
# rewritten when its contents change (noweb's cpif), so a re-tangle that changes
# nothing leaves every timestamp alone and nothing is rebuilt.
set -euo pipefail
n=${1:?usage: tools/tangle.sh STAGE}
n=$((10#$n))
out=tangled/stage$n

chapters=()
for f in chapters/[0-9][0-9]-*.nw; do
    num=$(basename "$f"); num=$((10#${num%%-*}))
    [ "$num" -le "$n" ] && chapters+=("$f")
done
[ ${#chapters[@]} -gt 0 ] || { echo "tangle: no chapters for stage $n" >&2; exit 1; }

# Every root must be a real file name: a misspelt continuation of a chunk
# silently becomes a new root, and this is where we catch it.
mapfile -t roots < <(noroots "${chapters[@]}" | sed -e 's/^<<//' -e 's/>>$//')
for r in "${roots[@]}"; do
    if ! [[ "$r" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]*\.(c|h|sh|py)$ ]]; then
        echo "tangle: stage $n: root chunk <<$r>> is not a file name" \
             "(a misspelt chunk name? roots must look like name.c, name.h, name.sh)" >&2
        exit 1
    fi
done

mkdir -p "$out"
for r in "${roots[@]}"; do
    case "$r" in
        *.c|*.h) notangle -L -R"$r" "${chapters[@]}" > "$out/.$r.tmp" ;;
        *)       notangle    -R"$r" "${chapters[@]}" > "$out/.$r.tmp" ;;
    esac
    cpif "$out/$r" < "$out/.$r.tmp"
    rm -f "$out/.$r.tmp"
done

# A file whose root no longer exists (a chunk renamed or moved to a later
# chapter) must not linger in the stage.
for f in "$out"/*; do
    [ -e "$f" ] || continue
    b=$(basename "$f")
    keep=0
    for r in "${roots[@]}"; do [ "$r" = "$b" ] && keep=1; done
    [ $keep = 1 ] || { echo "tangle: stage $n: removing stale $f"; rm -f "$f"; }
done
