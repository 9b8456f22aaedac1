#!/usr/bin/env bash
# tools/bench.sh — the speed measurements of the book, in one run.
# Every figure is a median over repeated runs, and every ratio is between
# figures measured in this same run, because the machine may be shared.
set -euo pipefail
stage=$(ls -d tangled/stage* | sed 's/.*stage//' | sort -n | tail -1)
bin=build/release/stage$stage
echo "== bench: $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo
echo "== product kernels (stage $stage lstm-kernels, 1 thread)"
"$bin/lstm-kernels" --no-check --repeat "${REPEAT:-11}"
echo
echo "== stage $stage lstm-bench: the products, then a training step and sampling, one change at a time"
ours=$("$bin/lstm-bench" --repeat "${REPEAT:-11}")
echo "$ours"

val() { sed -n "s/^$1: //p" <<< "$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }
blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2> /dev/null || echo unknown)
blas=$(basename "$(dirname "$blas")")    # openblas-pthread, blas (the reference BLAS), ...

# A python3 that can import module $1 (the first of PATH's and Debian's), or "".
python_with() {
    for p in python3 /usr/bin/python3; do
        if "$p" -c "import $1" 2> /dev/null; then echo "$p"; return; fi
    done
}

# The system BLAS's sgemm on the same shapes, when numpy is installed (Debian:
# python3-numpy, with libopenblas0-pthread for OpenBLAS), one thread.
py=$(python_with numpy)
if [ -z "$py" ]; then
    echo
    echo "== BLAS sgemm: numpy not installed (apt-get install python3-numpy libopenblas0-pthread), skipped"
else
    echo
    echo "== BLAS sgemm ($blas, through numpy), 1 thread: GFLOP/s; ours: tiled, 1 thread"
    ref=$(OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "$py" tools/bench_blas.py "${REPEAT:-11}")
    for key in $(sed -n 's/^blas product \(.*\): .*/\1/p' <<< "$ref"); do
        b=$(val "blas product $key" "$ref"); o=$(val "product $key tiled" "$ours")
        [ -n "$o" ] && printf '%-10s BLAS %6.1f   ours %6.1f   %sx\n' "$key" "$b" "$o" "$(ratio "$o" "$b")"
    done
fi

# PyTorch as an outside reference, when it is installed (Debian: python3-torch;
# with libopenblas0-pthread, or it runs on the reference BLAS and is very slow).
py=$(python_with torch)
if [ -z "$py" ]; then
    echo
    echo "== PyTorch: not installed (apt-get install python3-torch libopenblas0-pthread), skipped"
    exit 0
fi
echo
echo "== PyTorch nn.LSTM, the same step and sampling (BLAS: $blas)"
t1=$(OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "$py" tools/bench_torch.py 1 "${REPEAT:-11}")
t2=$(OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=1 "$py" tools/bench_torch.py 1 "${REPEAT:-11}" | sed 's/ 1:/ 1+blas2:/')
t3=$(OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2 "$py" tools/bench_torch.py 2 "${REPEAT:-11}")
all=$(printf '%s\n%s\n%s\n' "$t1" "$t2" "$t3")
echo "$all"
o1=$(val "train vector" "$ours"); on=$(val "train threads" "$ours")
s1=$(val "sample vector" "$ours"); sn=$(val "sample threads" "$ours")
p1=$(val "torch train 1" "$all"); pn=$(best "$(val "torch train 1+blas2" "$all")" "$(val "torch train 2" "$all")")
q1=$(val "torch sample 1" "$all"); qn=$(best "$(val "torch sample 1+blas2" "$all")" "$(val "torch sample 2" "$all")")
echo
echo "== ours / PyTorch, this run (all cores: each side's best setting)"
echo "training, 1 thread:  $(ratio "$o1" "$p1")x   ($o1 / $p1 chars/s)"
echo "training, all cores: $(ratio "$on" "$pn")x   ($on / $pn chars/s)"
echo "sampling, 1 thread:  $(ratio "$s1" "$q1")x   ($s1 / $q1 chars/s)"
echo "sampling, all cores: $(ratio "$sn" "$qn")x   ($sn / $qn chars/s)"
c1=$(val "train ceiling" "$ours"); nt=$(val "threads" "$ours")
cn=$(awk -v a="$c1" -v n="$nt" 'BEGIN { printf "%.0f", a * n }')
echo "the most the arithmetic allows (the peak of one core / flop per char):"
echo "  1 core:    $c1 chars/s = $(ratio "$c1" "$p1")x PyTorch on 1 thread"
echo "  $nt cores:   $cn chars/s = $(ratio "$cn" "$pn")x PyTorch on all cores"
