#line 850 "chapters/01-kernels.nw"
/* matrix.h — the matrix type, and the kernels on matrices. */
#ifndef MATRIX_H
#define MATRIX_H
#include "base.h"
#include "rng.h"

/* ⟨the matrix type⟩ */
#line 72 "chapters/01-kernels.nw"
typedef struct {
    int rows, cols;  /* the shape: rows x cols */
    int stride;      /* elements from the start of one row to the next (>= cols) */
    real *data;      /* element (i, j) is data[i * stride + j] */
} Matrix;

/* Element (i, j) of matrix m, as an lvalue. */
#define MAT(m, i, j) ((m).data[(size_t)(i) * (size_t)(m).stride + (size_t)(j)])
/* ⟨matrix.h declarations⟩ */
#line 105 "chapters/01-kernels.nw"
Matrix mat_new(int rows, int cols);      /* rows x cols, zeros, owned */
void   mat_free(Matrix *m);              /* frees what mat_new made; m becomes empty */
Matrix mat_view(real *data, int rows, int cols, int stride);
Matrix mat_rows(Matrix m, int first, int count);  /* rows first .. first+count-1 */
Matrix mat_cols(Matrix m, int first, int count);  /* columns first .. first+count-1 */
#line 192 "chapters/01-kernels.nw"
/* A product kernel: C (m x n) = [C +] op(A) (m x k) . op(B) (k x n),
   where op(X) is X, or X transposed if tX.  A is stored m x k (k x m if ta),
   B is stored k x n (n x k if tb); lda, ldb, ldc are the row strides. */
typedef void GemmFn(bool ta, bool tb, int m, int n, int k,
                    const real *A, int lda, const real *B, int ldb,
                    real *C, int ldc, bool acc);
#line 419 "chapters/01-kernels.nw"
GemmFn gemm_naive, gemm_reordered, gemm_blocked;

/* The product kernels this stage has, slowest first, for checks and timing. */
typedef struct { const char *name; GemmFn *fn; } GemmKernel;
extern const GemmKernel gemm_kernels[];
extern const int gemm_kernel_count;

void mat_mul   (Matrix C, Matrix A, Matrix B, bool acc);  /* C [+]= A B   : m x k, k x n */
void mat_mul_nt(Matrix C, Matrix A, Matrix B, bool acc);  /* C [+]= A B^T : m x k, n x k */
void mat_mul_tn(Matrix C, Matrix A, Matrix B, bool acc);  /* C [+]= A^T B : k x m, k x n */
#line 481 "chapters/01-kernels.nw"
void mat_fill(Matrix A, real value);                 /* A = value */
void mat_copy(Matrix Y, Matrix X);                   /* Y = X */
void mat_add(Matrix C, Matrix A, Matrix B);          /* C = A + B */
void mat_hadamard(Matrix C, Matrix A, Matrix B);     /* C = A (.) B, elementwise */
void mat_scale(Matrix A, real s);                    /* A = s A */
void mat_axpy(Matrix Y, real a, Matrix X);           /* Y = Y + a X */
void mat_add_row(Matrix A, const real *v);           /* every row of A += v (A.cols long) */
#line 585 "chapters/01-kernels.nw"
real sigmoid(real x);                 /* 1 / (1 + e^-x), for any x, no overflow */
void row_sigmoid(real *y, const real *x, int n);  /* y[0..n) = sigma(x[0..n)); y may be x */
void row_tanh(real *y, const real *x, int n);     /* y[0..n) = tanh(x[0..n)); y may be x */
void mat_sigmoid(Matrix Y, Matrix X); /* Y = sigma(X), elementwise, with the kernel set in use */
void mat_tanh(Matrix Y, Matrix X);    /* Y = tanh(X), elementwise */
#line 653 "chapters/01-kernels.nw"
void mat_softmax_rows(Matrix Y, Matrix X);      /* each row: y = softmax(x) */
void mat_log_softmax_rows(Matrix Y, Matrix X);  /* each row: y = log softmax(x) */
#line 715 "chapters/01-kernels.nw"
/* A kernel set: one implementation of each operation whose speed matters,
   behind one interface, so that a faster set can take the place of the
   reference, chosen by name. */
typedef struct {
    const char *name;      /* "reference" */
    const char *what;      /* a few words, for reports */
    GemmFn *gemm;          /* the products of mat_mul, mat_mul_nt, mat_mul_tn */
    void (*sigmoid_row)(real *y, const real *x, int n);   /* as row_sigmoid */
    void (*tanh_row)(real *y, const real *x, int n);      /* as row_tanh */
} KernelSet;

extern const KernelSet reference_kernels;     /* this chapter's */
extern const KernelSet *const kernel_sets[];  /* slowest first; NULL after the last */
/* The set every kernel uses: the last (fastest) one, unless one was chosen. */
const KernelSet *kernels(void);
/* Use the set called name from now on; NULL (and no change) if there is none. */
const KernelSet *kernels_choose(const char *name);
#line 820 "chapters/01-kernels.nw"
void mat_uniform(Matrix A, real lo, real hi, Rng *rng);  /* each element U(lo, hi) */
void mat_xavier(Matrix W, Rng *rng);   /* U(-a, a), a = sqrt(6 / (rows + cols)) */
#line 858 "chapters/01-kernels.nw"
#endif
