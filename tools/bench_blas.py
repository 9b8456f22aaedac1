"""tools/bench_blas.py — an outside reference for the products of `make bench`:
the system BLAS's sgemm (through numpy; OpenBLAS when libopenblas0 is the
libblas.so.3 alternative), on the shapes lstm-bench times.

    OPENBLAS_NUM_THREADS=1 python3 tools/bench_blas.py [REPEAT]

prints "blas product KEY: GFLOP/s" for each shape, the median of REPEAT
timed runs, each long enough (>= 20 ms) for the clock.  Optional: `make
bench` runs it only when numpy imports.
"""
import statistics
import sys
import time

import numpy as np

repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 5
# key, A transposed, B transposed, m, n, k: C (m x n) = op(A) op(B), as lstm-bench
SHAPES = [
    ("gates256", False, True, 32, 1024, 256),
    ("gates512", False, True, 32, 2048, 512),
    ("input512", False, True, 3200, 2048, 512),
    ("dh256", False, False, 32, 256, 1024),
    ("dW256", True, False, 1024, 256, 3200),
]
rng = np.random.default_rng(1)
for key, ta, tb, m, n, k in SHAPES:
    A = rng.uniform(-1, 1, (k, m) if ta else (m, k)).astype(np.float32)
    B = rng.uniform(-1, 1, (n, k) if tb else (k, n)).astype(np.float32)
    a = A.T if ta else A          # views: sgemm gets the transpose flags
    b = B.T if tb else B
    C = np.empty((m, n), dtype=np.float32)
    np.matmul(a, b, out=C)
    calls = 1
    while True:
        t = time.perf_counter()
        for _ in range(calls):
            np.matmul(a, b, out=C)
        if time.perf_counter() - t >= 0.02:
            break
        calls *= 2
    rates = []
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(calls):
            np.matmul(a, b, out=C)
        rates.append(2.0 * m * n * k * calls / (time.perf_counter() - t) / 1e9)
    print(f"blas product {key}: {statistics.median(rates):.1f}")
