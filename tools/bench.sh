#!/usr/bin/env bash
# tools/bench.sh — the speed measurements of the book, in one run.
# Every figure is a median over repeated runs, and every ratio is between
# figures measured in this same run, because the machine may be shared.
set -euo pipefail
stage=$(ls -d tangled/stage* | sed 's/.*stage//' | sort -n | tail -1)
bin=build/release/stage$stage
cpuinfo() { awk -F': ' -v k="$1" '{ sub(/[ \t]+$/, "", $1) } $1 == k { print $2; exit }' /proc/cpuinfo; }
echo "== bench: $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores: $(cpuinfo 'model name') (family $(cpuinfo 'cpu family'), model $(cpuinfo 'model'))"
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

# median of the numbers on stdin
median() { sort -g | awk '{ x[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print x[(NR + 1) / 2]; else print (x[NR / 2] + x[NR / 2 + 1]) / 2 }'; }

# The system BLAS's sgemm on the same shapes, when numpy is installed (Debian:
# python3-numpy, with libopenblas0-pthread for OpenBLAS), one thread.
py=$(python_with numpy)

# OpenBLAS picks its kernels by the processor it recognises, and one it does
# not know gets older ones (0.3.21 runs AVX2 kernels on a Zen 5 or an Emerald
# Rapids Xeon).  Each core type this processor can run is timed on the five
# products, and the fastest (by the geometric mean) is used for the BLAS table
# and for PyTorch, whose products are OpenBLAS's.
if [ -n "$py" ] && [ "$blas" = openblas-pthread ]; then
    chosen=$(OPENBLAS_VERBOSE=2 "$py" -c 'import numpy' 2>&1 | sed -n 's/^Core: //p' | head -1)
    flags=$(grep -m1 '^flags' /proc/cpuinfo)
    cores=""
    case $flags in *" avx512f "*) cores="SKYLAKEX COOPERLAKE" ;; esac
    case $flags in *" avx2 "*) cores="$cores HASWELL ZEN" ;; esac
    echo
    echo "== OpenBLAS core types: sgemm GFLOP/s, geometric mean of the five products, 1 thread"
    best_core=""; best_rate=0
    for c in own $cores; do
        if [ "$c" = own ]; then
            r=$(OPENBLAS_NUM_THREADS=1 "$py" tools/bench_blas.py 3 2> /dev/null) || r=""
        else
            r=$(OPENBLAS_CORETYPE=$c OPENBLAS_NUM_THREADS=1 "$py" tools/bench_blas.py 3 2> /dev/null) || r=""
        fi
        g=$(sed -n 's/^blas product .*: //p' <<< "$r" | awk '{ s += log($1); n++ } END { if (n) printf "%.1f", exp(s / n); else print 0 }')
        name=$c
        [ "$c" = own ] && name="${chosen:-unknown}, its own choice"
        printf '%-26s %6s\n' "$name" "$g"
        if awk -v a="$g" -v b="$best_rate" 'BEGIN { exit !(a > b * 1.02) }'; then best_core=$c; best_rate=$g; fi
    done
    if [ -n "$best_core" ] && [ "$best_core" != own ]; then
        export OPENBLAS_CORETYPE=$best_core
    fi
    if [ -n "${OPENBLAS_CORETYPE:-}" ]; then
        said=$(OPENBLAS_VERBOSE=2 "$py" -c 'import numpy' 2>&1 | sed -n 's/^Core: //p' | head -1)
        echo "openblas core: $OPENBLAS_CORETYPE, set by OPENBLAS_CORETYPE (OpenBLAS says: ${said:-nothing})"
    else
        echo "openblas core: ${chosen:-unknown}, its own choice"
    fi
fi
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
n=$(nproc)
pairs=${PAIRS:-5}
echo
echo "== PyTorch nn.LSTM in turns with ours (BLAS: $blas${OPENBLAS_CORETYPE:+, core $OPENBLAS_CORETYPE})"
echo "$pairs pairs, each: ours (lstm-bench --fast-only), then PyTorch with 1 thread, with $n BLAS"
echo "threads, and with $n threads of its own; chars/s, each the median of 3 runs"
declare -A r
for p in $(seq "$pairs"); do
    o=$("$bin/lstm-bench" --fast-only --repeat 3)
    t1=$(OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "$py" tools/bench_torch.py 1 3)
    t2=$(OPENBLAS_NUM_THREADS=$n OMP_NUM_THREADS=1 "$py" tools/bench_torch.py 1 3)
    t3=$(OPENBLAS_NUM_THREADS=$n OMP_NUM_THREADS=$n "$py" tools/bench_torch.py "$n" 3)
    for w in train sample; do
        a1=$(val "fast $w 1" "$o"); an=$(val "fast $w threads" "$o")
        b1=$(val "torch $w 1" "$t1"); bn=$(best "$(val "torch $w 1" "$t2")" "$(val "torch $w $n" "$t3")")
        printf 'pair %d %-6s ours %6.0f %6.0f   PyTorch %6.0f %6.0f\n' "$p" "$w" "$a1" "$an" "$b1" "$bn"
        r[$w 1]+="$(ratio "$a1" "$b1") "; r[$w n]+="$(ratio "$an" "$bn") "
        r[$w ours1]+="$a1 "; r[$w oursn]+="$an "; r[$w torch1]+="$b1 "; r[$w torchn]+="$bn "
    done
done
med() { tr ' ' '\n' <<< "${r[$1]}" | sed '/^$/d' | median | awk '{ printf "%.2f", $1 }'; }
echo
echo "== ours / PyTorch: the median of the $pairs pairs' ratios (all cores: each side's best setting)"
echo "training, 1 thread:  $(med "train 1")x   (pairs: ${r[train 1]% })"
echo "training, all cores: $(med "train n")x   (pairs: ${r[train n]% })"
echo "sampling, 1 thread:  $(med "sample 1")x   (pairs: ${r[sample 1]% })"
echo "sampling, all cores: $(med "sample n")x   (pairs: ${r[sample n]% })"
p1=$(med "train torch1"); pn=$(med "train torchn")
c1=$(val "train ceiling" "$ours"); nt=$(val "threads" "$ours")
cn=$(awk -v a="$c1" -v n="$nt" 'BEGIN { printf "%.0f", a * n }')
echo "the most the arithmetic allows (the peak of one core / flop per char):"
echo "  1 core:    $c1 chars/s = $(ratio "$c1" "$p1")x PyTorch on 1 thread"
echo "  $nt cores:   $cn chars/s = $(ratio "$cn" "$pn")x PyTorch on all cores"

# Peak memory of a training run, from the operating system's accounting (the
# largest resident set, ru_maxrss, of a child that has ended): ours, lstm-train
# for 21 steps of the same model on 200 kB of random text of 65 characters;
# PyTorch's, the same steps in a process of its own (Python and the library
# included, which is what a PyTorch training run costs).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$py" -c 'import random, string, sys
random.seed(1)
a = string.ascii_letters + string.digits + " .\n"
open(sys.argv[1], "w").write("".join(random.choice(a) for _ in range(200000)))' "$tmp/text.txt"
rss() {
    "$py" -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)' "$@"
}
m1=$(rss "$bin/lstm-train" --out "$tmp/run" --steps 100 --batch 32 --max-steps 21 --sample-chars 0 "$tmp/text.txt")
m2=$(OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 rss "$py" tools/bench_torch.py memory)
echo
echo "== peak memory of a training run (ru_maxrss): 2 x 256, T = 100, B = 32, 21 steps"
echo "memory ours: $m1 MiB"
echo "memory torch: $m2 MiB"
