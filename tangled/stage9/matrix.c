#line 862 "chapters/01-kernels.nw"
/* matrix.c — matrices and the kernels on them. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tgmath.h>
#include "matrix.h"
/* ⟨the headers of later chapters' kernels⟩ */
/* ⟨the headers of later chapters' kernels⟩, continued in 08-fast.nw */
#line 525 "chapters/08-fast.nw"
#include "tiled.h"
#line 867 "chapters/08-fast.nw"
#include "vecmath.h"

/* ⟨matrix.c static helpers⟩ */
#line 156 "chapters/01-kernels.nw"
/* Stop with a message unless the shapes of an operation fit together. */
static void check_shapes(bool ok, const char *op, Matrix a, Matrix b, Matrix c)
{
    if (!ok)
        bug("%s: shapes do not fit: %dx%d, %dx%d, %dx%d",
            op, a.rows, a.cols, b.rows, b.cols, c.rows, c.cols);
}
#line 204 "chapters/01-kernels.nw"
/* Element (i, p) of op(X), where X has row stride ld and is transposed if t. */
#define OP(X, ld, t, i, p) \
    ((t) ? (X)[(size_t)(p) * (size_t)(ld) + (size_t)(i)] \
         : (X)[(size_t)(i) * (size_t)(ld) + (size_t)(p)])
#line 335 "chapters/01-kernels.nw"
enum { KC = 128, NC = 256 };   /* tile of op(B): KC rows by NC columns */
static _Thread_local _Alignas(64) real panel[KC * NC];
#line 495 "chapters/01-kernels.nw"
/* Run STATEMENT for every (i, j) of an R x C shape, with row pointers set up
   by ROWSETUP (which may declare variables for row i). */
#define FOR_EACH(R, C, ROWSETUP, STATEMENT) \
    for (int i = 0; i < (R); i++) { ROWSETUP; for (int j = 0; j < (C); j++) { STATEMENT; } }
#define ROW(M) ((M).data + (size_t)i * (size_t)(M).stride)
#define SAME_SHAPE(X, Y) ((X).rows == (Y).rows && (X).cols == (Y).cols)
/* ⟨matrix.c functions⟩ */
#line 113 "chapters/01-kernels.nw"
Matrix mat_new(int rows, int cols)
{
    if (rows < 0 || cols < 0)
        bug("mat_new: negative shape %d x %d", rows, cols);
    Matrix m = { rows, cols, cols, NULL };
    m.data = xalloc((size_t)rows * (size_t)cols, sizeof(real));
    return m;
}

void mat_free(Matrix *m)
{
    free(m->data);
    *m = (Matrix){ 0, 0, 0, NULL };
}

Matrix mat_view(real *data, int rows, int cols, int stride)
{
    if (rows < 0 || cols < 0 || stride < cols)
        bug("mat_view: bad shape %d x %d, stride %d", rows, cols, stride);
    return (Matrix){ rows, cols, stride, data };
}

Matrix mat_rows(Matrix m, int first, int count)
{
    if (first < 0 || count < 0 || first + count > m.rows)
        bug("mat_rows: rows %d..%d of a %d-row matrix", first, first + count - 1, m.rows);
    return (Matrix){ count, m.cols, m.stride, m.data + (size_t)first * (size_t)m.stride };
}

Matrix mat_cols(Matrix m, int first, int count)
{
    if (first < 0 || count < 0 || first + count > m.cols)
        bug("mat_cols: columns %d..%d of a %d-column matrix", first, first + count - 1, m.cols);
    return (Matrix){ m.rows, count, m.stride, m.data + first };
}
#line 217 "chapters/01-kernels.nw"
void gemm_naive(bool ta, bool tb, int m, int n, int k,
                const real *A, int lda, const real *B, int ldb,
                real *C, int ldc, bool acc)
{
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            real sum = 0;
            for (int p = 0; p < k; p++)
                sum += OP(A, lda, ta, i, p) * OP(B, ldb, tb, p, j);
            real *c = &C[(size_t)i * (size_t)ldc + (size_t)j];
            *c = acc ? *c + sum : sum;
        }
}
#line 265 "chapters/01-kernels.nw"
void gemm_reordered(bool ta, bool tb, int m, int n, int k,
                    const real *A, int lda, const real *B, int ldb,
                    real *C, int ldc, bool acc)
{
    for (int i = 0; i < m; i++) {
        real *restrict c = C + (size_t)i * (size_t)ldc;
        if (!acc)
            for (int j = 0; j < n; j++) c[j] = 0;
        for (int p = 0; p < k; p++) {
            real a = OP(A, lda, ta, i, p);
            if (tb) {       /* row p of op(B) is column p of B: strided */
                for (int j = 0; j < n; j++) c[j] += a * B[(size_t)j * (size_t)ldb + (size_t)p];
            } else {
                const real *restrict b = B + (size_t)p * (size_t)ldb;
                for (int j = 0; j < n; j++) c[j] += a * b[j];
            }
        }
    }
}
#line 340 "chapters/01-kernels.nw"
void gemm_blocked(bool ta, bool tb, int m, int n, int k,
                  const real *A, int lda, const real *B, int ldb,
                  real *C, int ldc, bool acc)
{
    if (!acc)
        for (int i = 0; i < m; i++)
            memset(C + (size_t)i * (size_t)ldc, 0, (size_t)n * sizeof(real));
    for (int jc = 0; jc < n; jc += NC) {
        int nc = n - jc < NC ? n - jc : NC;
        for (int pc = 0; pc < k; pc += KC) {
            int kc = k - pc < KC ? k - pc : KC;
            /* ⟨pack rows pc..pc+kc) and columns jc..jc+nc) of op(B) into the panel⟩ */
            #line 363 "chapters/01-kernels.nw"
            if (tb) {
                for (int j = 0; j < nc; j++) {
                    const real *b = B + (size_t)(jc + j) * (size_t)ldb + (size_t)pc;
                    for (int p = 0; p < kc; p++) panel[(size_t)p * (size_t)nc + (size_t)j] = b[p];
                }
            } else {
                for (int p = 0; p < kc; p++)
                    memcpy(panel + (size_t)p * (size_t)nc,
                           B + (size_t)(pc + p) * (size_t)ldb + (size_t)jc, (size_t)nc * sizeof(real));
            }
            /* ⟨add op(A)'s columns pc..pc+kc) times the panel to columns jc..jc+nc) of C⟩ */
            #line 376 "chapters/01-kernels.nw"
            for (int i = 0; i < m; i++) {
                real *restrict c = C + (size_t)i * (size_t)ldc + (size_t)jc;
                for (int p = 0; p < kc; p++) {
                    real a = OP(A, lda, ta, i, pc + p);
                    const real *restrict b = panel + (size_t)p * (size_t)nc;
                    for (int j = 0; j < nc; j++) c[j] += a * b[j];
                }
            }
        #line 353 "chapters/01-kernels.nw"
        }
    }
}
#line 432 "chapters/01-kernels.nw"
const GemmKernel gemm_kernels[] = {
    /* ⟨the product kernels, slowest first⟩ */
    #line 467 "chapters/01-kernels.nw"
    { "naive", gemm_naive },
    { "reordered", gemm_reordered },
    { "blocked", gemm_blocked },
    /* ⟨the product kernels, slowest first⟩, continued in 08-fast.nw */
    #line 529 "chapters/08-fast.nw"
    { "tiled", gemm_tiled },
#line 434 "chapters/01-kernels.nw"
};
const int gemm_kernel_count = sizeof gemm_kernels / sizeof gemm_kernels[0];

/* Every product goes through here, to the kernel set in use. */
static void gemm(bool ta, bool tb, int m, int n, int k, const real *A, int lda,
                 const real *B, int ldb, real *C, int ldc, bool acc)
{
    kernels()->gemm(ta, tb, m, n, k, A, lda, B, ldb, C, ldc, acc);
}

void mat_mul(Matrix C, Matrix A, Matrix B, bool acc)
{
    check_shapes(A.rows == C.rows && B.cols == C.cols && A.cols == B.rows, "mat_mul", A, B, C);
    gemm(false, false, C.rows, C.cols, A.cols, A.data, A.stride, B.data, B.stride,
         C.data, C.stride, acc);
}

void mat_mul_nt(Matrix C, Matrix A, Matrix B, bool acc)
{
    check_shapes(A.rows == C.rows && B.rows == C.cols && A.cols == B.cols, "mat_mul_nt", A, B, C);
    gemm(false, true, C.rows, C.cols, A.cols, A.data, A.stride, B.data, B.stride,
         C.data, C.stride, acc);
}

void mat_mul_tn(Matrix C, Matrix A, Matrix B, bool acc)
{
    check_shapes(A.cols == C.rows && B.cols == C.cols && A.rows == B.rows, "mat_mul_tn", A, B, C);
    gemm(true, false, C.rows, C.cols, A.rows, A.data, A.stride, B.data, B.stride,
         C.data, C.stride, acc);
}
#line 504 "chapters/01-kernels.nw"
void mat_fill(Matrix A, real value)
{
    FOR_EACH(A.rows, A.cols, real *a = ROW(A), a[j] = value)
}

void mat_copy(Matrix Y, Matrix X)
{
    check_shapes(SAME_SHAPE(X, Y), "mat_copy", X, Y, Y);
    FOR_EACH(Y.rows, Y.cols, real *y = ROW(Y); const real *x = ROW(X), y[j] = x[j])
}

void mat_add(Matrix C, Matrix A, Matrix B)
{
    check_shapes(SAME_SHAPE(A, B) && SAME_SHAPE(A, C), "mat_add", A, B, C);
    FOR_EACH(C.rows, C.cols, real *c = ROW(C); const real *a = ROW(A); const real *b = ROW(B),
             c[j] = a[j] + b[j])
}

void mat_hadamard(Matrix C, Matrix A, Matrix B)
{
    check_shapes(SAME_SHAPE(A, B) && SAME_SHAPE(A, C), "mat_hadamard", A, B, C);
    FOR_EACH(C.rows, C.cols, real *c = ROW(C); const real *a = ROW(A); const real *b = ROW(B),
             c[j] = a[j] * b[j])
}

void mat_scale(Matrix A, real s)
{
    FOR_EACH(A.rows, A.cols, real *a = ROW(A), a[j] *= s)
}

void mat_axpy(Matrix Y, real alpha, Matrix X)
{
    check_shapes(SAME_SHAPE(X, Y), "mat_axpy", X, Y, Y);
    FOR_EACH(Y.rows, Y.cols, real *y = ROW(Y); const real *x = ROW(X), y[j] += alpha * x[j])
}

void mat_add_row(Matrix A, const real *v)
{
    FOR_EACH(A.rows, A.cols, real *a = ROW(A), a[j] += v[j])
}
#line 593 "chapters/01-kernels.nw"
real sigmoid(real x)
{
    if (x >= 0)
        return 1 / (1 + exp(-x));
    real e = exp(x);
    return e / (1 + e);
}

void row_sigmoid(real *y, const real *x, int n)
{
    for (int j = 0; j < n; j++) y[j] = sigmoid(x[j]);
}

void row_tanh(real *y, const real *x, int n)
{
    for (int j = 0; j < n; j++) y[j] = tanh(x[j]);
}

void mat_sigmoid(Matrix Y, Matrix X)
{
    check_shapes(SAME_SHAPE(X, Y), "mat_sigmoid", X, Y, Y);
    for (int i = 0; i < Y.rows; i++) kernels()->sigmoid_row(ROW(Y), ROW(X), Y.cols);
}

void mat_tanh(Matrix Y, Matrix X)
{
    check_shapes(SAME_SHAPE(X, Y), "mat_tanh", X, Y, Y);
    for (int i = 0; i < Y.rows; i++) kernels()->tanh_row(ROW(Y), ROW(X), Y.cols);
}
#line 658 "chapters/01-kernels.nw"
/* The largest element of x[0..n-1] (n >= 1). */
static real row_max(const real *x, int n)
{
    real c = x[0];
    for (int j = 1; j < n; j++)
        if (x[j] > c) c = x[j];
    return c;
}

void mat_softmax_rows(Matrix Y, Matrix X)
{
    check_shapes(SAME_SHAPE(X, Y), "mat_softmax_rows", X, Y, Y);
    if (X.cols == 0) return;
    for (int i = 0; i < X.rows; i++) {
        const real *x = ROW(X);
        real *y = ROW(Y);
        real c = row_max(x, X.cols), s = 0;
        for (int j = 0; j < X.cols; j++) { y[j] = exp(x[j] - c); s += y[j]; }
        for (int j = 0; j < X.cols; j++) y[j] /= s;
    }
}

void mat_log_softmax_rows(Matrix Y, Matrix X)
{
    check_shapes(SAME_SHAPE(X, Y), "mat_log_softmax_rows", X, Y, Y);
    if (X.cols == 0) return;
    for (int i = 0; i < X.rows; i++) {
        const real *x = ROW(X);
        real *y = ROW(Y);
        real c = row_max(x, X.cols), s = 0;
        for (int j = 0; j < X.cols; j++) s += exp(x[j] - c);
        real log_s = log(s);
        for (int j = 0; j < X.cols; j++) y[j] = (x[j] - c) - log_s;
    }
}
#line 740 "chapters/01-kernels.nw"
const KernelSet reference_kernels = {
    "reference", "the blocked product, the C library's exp and tanh",
    gemm_blocked, row_sigmoid, row_tanh
};

const KernelSet *const kernel_sets[] = {
    &reference_kernels,
    /* ⟨the kernel sets of later chapters, slowest first⟩ */
    /* ⟨the kernel sets of later chapters, slowest first⟩, continued in 08-fast.nw */
    #line 533 "chapters/08-fast.nw"
    &tiled_kernels,
    #line 871 "chapters/08-fast.nw"
    &fast_kernels,
    #line 748 "chapters/01-kernels.nw"
    NULL
};

static const KernelSet *kernels_in_use;

const KernelSet *kernels(void)
{
    if (!kernels_in_use) {
        int last = 0;
        while (kernel_sets[last + 1]) last++;
        kernels_in_use = kernel_sets[last];
    }
    return kernels_in_use;
}

const KernelSet *kernels_choose(const char *name)
{
    for (int k = 0; kernel_sets[k]; k++)
        if (strcmp(kernel_sets[k]->name, name) == 0) return kernels_in_use = kernel_sets[k];
    return NULL;
}
#line 825 "chapters/01-kernels.nw"
void mat_uniform(Matrix A, real lo, real hi, Rng *rng)
{
    FOR_EACH(A.rows, A.cols, real *a = ROW(A),
             a[j] = (real)(lo + (hi - lo) * rng_uniform(rng)))
}

void mat_xavier(Matrix W, Rng *rng)
{
    real a = (real)sqrt(6.0 / ((double)W.rows + (double)W.cols));
    mat_uniform(W, -a, a, rng);
}
