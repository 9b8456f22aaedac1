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
echo "== the product, a training step and sampling, blocked against tiled kernel (stage $stage lstm-bench, 1 thread)"
"$bin/lstm-bench" --repeat "${REPEAT:-11}"
