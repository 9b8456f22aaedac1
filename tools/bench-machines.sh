#!/usr/bin/env bash
# tools/bench-machines.sh RECORD... — chapter 8's table of the recorded runs
# of `make bench-record` (runs/bench/*.txt), a column per kind of machine:
# the same figures of each, read from the lines the runs print, so that a
# reader sees which steps carry from one processor to another and which do
# not.  A Markdown table on standard output; a record that lacks a figure
# is refused, since a whole run prints every one.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 RECORD..." >&2; exit 2; }

# The name a reader knows a processor by, from its vendor, family and model
# (the few this book was measured on; any other keeps its numbers).
kind_name() {
    case "$1 $2 $3" in
        "AMD 25 17") echo "Zen 4" ;;
        "AMD 25 "*)  echo "Zen 3 or 4" ;;
        "AMD 26 "*)  echo "Zen 5" ;;
        "Intel 6 207") echo "Emerald Rapids" ;;
        "Intel 6 143") echo "Sapphire Rapids" ;;
        *) echo "family $2, model $3" ;;
    esac
}

for f in "$@"; do
    [ -r "$f" ] || { echo "$0: cannot read $f" >&2; exit 1; }
done

awk -v names="$(for f in "$@"; do
        h=$(sed -n '1s/^== bench: \([0-9-]*\)T[0-9:]*Z* on \([0-9]*\) cores: \(.*\) (family \([0-9]*\), model \([0-9]*\))$/\1|\2|\3|\4|\5/p' "$f")
        [ -n "$h" ] || { echo "$0: $f: its first line is not make bench's" >&2; exit 1; }
        IFS='|' read -r d c cpu fam mod <<< "$h"
        vendor=AMD; case $cpu in *Intel*) vendor=Intel ;; esac
        printf '%s, %s cores (%s)|%s\n' "$cpu" "$c" "$(kind_name "$vendor" "$fam" "$mod")" "$d"
    done | paste -sd '#')" '
function times(x) { sub(/x$/, "×", x); return x }
FNR == 1 { files[++nf] = FILENAME }
/^[a-z][a-zA-Z0-9 ]*: / { k = $0; sub(/: .*/, "", k); x = $0; sub(/^[^:]*: */, "", x); if (!((FILENAME, k) in v)) v[FILENAME, k] = x }
/^training, 1 thread: /  { v[FILENAME, "torch train 1"] = times($4) }
/^training, all cores: / { v[FILENAME, "torch train all"] = times($4) }
/^sampling, 1 thread: /  { v[FILENAME, "torch sample 1"] = times($4) }
/^sampling, all cores: / { v[FILENAME, "torch sample all"] = times($4) }
/^openblas core: /       { v[FILENAME, "openblas"] = $3; sub(/,$/, "", v[FILENAME, "openblas"]) }
/, its own choice /      { v[FILENAME, "openblas own"] = $1; sub(/,$/, "", v[FILENAME, "openblas own"]) }
function row(label, key, suffix,    i, s) {
    s = "| " label
    for (i = 1; i <= nf; i++) s = s " | " want2(files[i], key) suffix
    print s " |"
}
function row2(label, k1, k2, sep, suffix,    i, s) {
    s = "| " label
    for (i = 1; i <= nf; i++) s = s " | " want2(files[i], k1) sep want2(files[i], k2) suffix
    print s " |"
}
END {
    n = split(names, nm, "#")
    s = "| |"; t = "|:--|"
    for (i = 1; i <= nf; i++) { split(nm[i], p, "|"); s = s " " p[1] " |"; t = t "--:|" }
    print s; print t
    s = "| recorded on"; for (i = 1; i <= nf; i++) { split(nm[i], p, "|"); s = s " | " p[2] }; print s " |"
    print_rows()
    exit bad
}
function print_rows() {
    row("peak of one core, GFLOP/s", "peak", "")
    row("tiles the timing chose", "tiles", "")
    rowp("products, % of the peak (gates 256, gates 512, all rows 512, dG W_hh, dW_hh)")
    row2("training, chars/s: blocked, then tiled", "train blocked", "train tiled", " → ", "")
    row("gain of the tiled kernel, training", "train ratio", "×")
    row2("training, chars/s: vector gates, then threads", "train vector", "train threads", " → ", "")
    row2("gain of the vector gates, then of the threads", "train vector ratio", "train threads ratio", "× then ", "×")
    row("training on one thread, share of the one-core ceiling", "train of ceiling", "")
    s = "| training on all threads, share of their ceiling"
    for (i = 1; i <= nf; i++)
        s = s " | " sprintf("%.0f%%", 100 * want2(files[i], "train threads") / (want2(files[i], "train ceiling") * want2(files[i], "threads")))
    print s " |"
    row2("sampling, chars/s: one thread, then all", "sample vector", "sample threads", " → ", "")
    row2("sampling, share of its cache bound: one thread, all", "sample of bound 1", "sample of bound all", ", ", "")
    row2("one core busy, default threads over one: sample, train", "under load sample ratio", "under load train ratio", ", ", "")
    row2("OpenBLAS: its own core type, the fastest", "openblas own", "openblas", ", ", "")
    row2("ours / PyTorch, training: 1 thread, all cores", "torch train 1", "torch train all", ", ", "")
    row2("ours / PyTorch, sampling: 1 thread, all cores", "torch sample 1", "torch sample all", ", ", "")
    row2("peak memory of a training run: ours, PyTorch", "memory ours", "memory torch", ", ", "")
}
function rowp(label,    i, s, f) {
    s = "| " label
    for (i = 1; i <= nf; i++) {
        f = files[i]
        s = s " | " want2(f, "product gates256 of peak") ", " want2(f, "product gates512 of peak") ", " \
            want2(f, "product input512 of peak") ", " want2(f, "product dh256 of peak") ", " want2(f, "product dW256 of peak")
    }
    print s " |"
}
function want2(f, k) {
    if (!((f, k) in v)) { printf "%s: no \"%s\" line: not a whole run of make bench-record\n", f, k > "/dev/stderr"; bad = 1; return "?" }
    return v[f, k]
}
' "$@"
