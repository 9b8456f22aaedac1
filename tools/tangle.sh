#!/usr/bin/env bash
# tools/tangle.sh N — tangle stage N into tangled/stageN/.
#
# Stage N is chapters 1..N tangled together with the appendices whose code
# they use (tools/stage-files.sh lists them): every root chunk of those files
# becomes one file of tangled/stageN/.  tools/tangle.py writes C that keeps
# each chunk's indentation and name, with #line directives so that compiler
# messages and gdb point at the line of the .nw file; it rewrites a file only
# when its contents change (so nothing is rebuilt after a re-tangle that
# changes nothing), and removes files whose root no longer exists.
set -euo pipefail
n=${1:?usage: tools/tangle.sh STAGE}
n=$((10#$n))
mapfile -t files < <("$(dirname "$0")/stage-files.sh" "$n")
[ ${#files[@]} -gt 0 ] || { echo "tangle: no chapters for stage $n" >&2; exit 1; }
python3 "$(dirname "$0")/tangle.py" --out "tangled/stage$n" "${files[@]}" \
    || { echo "tangle: stage $n failed" >&2; exit 1; }
