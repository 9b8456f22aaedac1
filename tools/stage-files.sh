#!/usr/bin/env bash
# tools/stage-files.sh N — the .nw files that stage N is tangled from, in order.
#
# Stage N is chapters 01..N and the appendices whose code those chapters use:
# an appendix says, on a line of its own, {{from stage K}}, the first stage
# that includes it.  The files come in the order of their first stage, and
# within a stage the chapter before its appendices, so that where a later
# file adds to a chunk an earlier one opened, noweb joins the pieces in that
# order.  (An appendix without the line is prose only, and is not tangled.)
set -euo pipefail
n=${1:?usage: tools/stage-files.sh N}
n=$((10#$n))
dir=${CHAPTERS_DIR:-chapters}
for f in "$dir"/*.nw; do
    b=$(basename "$f")
    if [[ "$b" =~ ^([0-9][0-9])- ]]; then
        s=$((10#${BASH_REMATCH[1]})); kind=0
        [ "$s" -ge 1 ] || continue
    else
        s=$(sed -n 's/^{{from stage \([0-9][0-9]*\)}}$/\1/p' "$f" | head -1)
        [ -n "$s" ] || continue
        kind=1
    fi
    if [ "$s" -le "$n" ]; then printf '%03d %d %s\n' "$s" "$kind" "$f"; fi
done | sort | cut -d' ' -f3
