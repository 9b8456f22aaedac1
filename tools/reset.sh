#!/usr/bin/env bash
# tools/reset.sh N [COMMIT]
#
# Put chapter N back as it was handed out: as in COMMIT (the Makefile passes
# the tag `handout` of a course's repository, or else the last commit).  The
# reader's version is copied to build/reset/ first, with the time in its name,
# so that nothing is lost; stage N is tangled again by the next make.
set -euo pipefail
n=${1:-}
[[ "$n" =~ ^[0-9]+$ ]] || { echo "usage: make reset CH=N (N a chapter number, e.g. CH=2)" >&2; exit 2; }
commit=${2:-}
[ -n "$commit" ] || { echo "reset: this is not a git repository, so there is no handed-out chapter to go back to" >&2; exit 1; }
nn=$(printf '%02d' "$((10#$n))")
path=$(git ls-tree --name-only "$commit" chapters/ | grep "^chapters/$nn-.*\.nw$" || true)
[ -n "$path" ] || { echo "reset: there is no chapter $n in $(git rev-parse --short "$commit")" >&2; exit 1; }
if git diff --quiet "$commit" -- "$path" 2>/dev/null && [ -f "$path" ]; then
    echo "reset: $path is already as it was handed out"
    exit 0
fi
if [ -f "$path" ]; then
    mkdir -p build/reset
    keep=build/reset/$(basename "$path" .nw).$(date +%Y%m%d-%H%M%S).nw
    cp "$path" "$keep"
    echo "reset: your $path is kept as $keep"
fi
git show "$commit:$path" > "$path.tmp" && mv "$path.tmp" "$path"
echo "reset: $path is as it was handed out ($(git rev-parse --short "$commit"))"
