#line 749 "chapters/01-kernels.nw"
/* matrix.h — the matrix type, and the kernels on matrices. */
#ifndef MATRIX_H
#define MATRIX_H
#include "base.h"
#include "rng.h"

/* ⟨the matrix type⟩ */
#line 66 "chapters/01-kernels.nw"
typedef struct {
    int rows, cols;  /* the shape: rows x cols */
    int stride;      /* elements from the start of one row to the next (>= cols) */
    real *data;      /* element (i, j) is data[i * stride + j] */
} Matrix;

/* Element (i, j) of matrix m, as an lvalue. */
#define MAT(m, i, j) ((m).data[(size_t)(i) * (size_t)(m).stride + (size_t)(j)])
/* ⟨matrix.h declarations⟩ */
#line 99 "chapters/01-kernels.nw"
Matrix mat_new(int rows, int cols);      /* rows x cols, zeros, owned */
void   mat_free(Matrix *m);              /* frees what mat_new made; m becomes empty */
Matrix mat_view(real *data, int rows, int cols, int stride);
Matrix mat_rows(Matrix m, int first, int count);  /* rows first .. first+count-1 */
Matrix mat_cols(Matrix m, int first, int count);  /* columns first .. first+count-1 */
#line 186 "chapters/01-kernels.nw"
/* A product kernel: C (m x n) = [C +] op(A) (m x k) . op(B) (k x n),
   where op(X) is X, or X transposed if tX.  A is stored m x k (k x m if ta),
   B is stored k x n (n x k if tb); lda, ldb, ldc are the row strides. */
typedef void GemmFn(bool ta, bool tb, int m, int n, int k,
                    const real *A, int lda, const real *B, int ldb,
                    real *C, int ldc, bool acc);
#line 407 "chapters/01-kernels.nw"
GemmFn gemm_naive, gemm_reordered, gemm_blocked;

/* The product kernels this stage has, slowest first, for checks and timing. */
typedef struct { const char *name; GemmFn *fn; } GemmKernel;
extern const GemmKernel gemm_kernels[];
extern const int gemm_kernel_count;

void mat_mul   (Matrix C, Matrix A, Matrix B, bool acc);  /* C [+]= A B   : m x k, k x n */
void mat_mul_nt(Matrix C, Matrix A, Matrix B, bool acc);  /* C [+]= A B^T : m x k, n x k */
void mat_mul_tn(Matrix C, Matrix A, Matrix B, bool acc);  /* C [+]= A^T B : k x m, k x n */
#line 475 "chapters/01-kernels.nw"
void mat_fill(Matrix A, real value);                 /* A = value */
void mat_copy(Matrix Y, Matrix X);                   /* Y = X */
void mat_add(Matrix C, Matrix A, Matrix B);          /* C = A + B */
void mat_hadamard(Matrix C, Matrix A, Matrix B);     /* C = A (.) B, elementwise */
void mat_scale(Matrix A, real s);                    /* A = s A */
void mat_axpy(Matrix Y, real a, Matrix X);           /* Y = Y + a X */
void mat_add_row(Matrix A, const real *v);           /* every row of A += v (A.cols long) */
#line 573 "chapters/01-kernels.nw"
real sigmoid(real x);                 /* 1 / (1 + e^-x), for any x, no overflow */
void mat_sigmoid(Matrix Y, Matrix X); /* Y = sigma(X), elementwise */
void mat_tanh(Matrix Y, Matrix X);    /* Y = tanh(X), elementwise */
#line 640 "chapters/01-kernels.nw"
void mat_softmax_rows(Matrix Y, Matrix X);      /* each row: y = softmax(x) */
void mat_log_softmax_rows(Matrix Y, Matrix X);  /* each row: y = log softmax(x) */
#line 720 "chapters/01-kernels.nw"
void mat_uniform(Matrix A, real lo, real hi, Rng *rng);  /* each element U(lo, hi) */
void mat_xavier(Matrix W, Rng *rng);   /* U(-a, a), a = sqrt(6 / (rows + cols)) */
/* ⟨matrix.h declarations⟩, continued in 08-fast.nw */
/* ⟨choose the vector width from what the compiler targets⟩ */
#line 80 "chapters/08-fast.nw"
#if defined(__AVX512F__)
#define VBYTES 64    /* 32 registers of 512 bits */
#define TILE_MR 8
#elif defined(__AVX__)
#define VBYTES 32    /* 16 registers of 256 bits */
#define TILE_MR 6
#else
#define VBYTES 16    /* SSE2, NEON: 16 or more registers of 128 bits */
#define TILE_MR 6
#endif
typedef real vreal __attribute__((vector_size(VBYTES)));
enum { VW = VBYTES / (int)sizeof(real) };   /* W: reals in one vector */
#line 464 "chapters/08-fast.nw"
GemmFn gemm_tiled;   /* chapter 8: a tile of C in vector registers */
/* The kernel mat_mul, mat_mul_nt and mat_mul_tn use; NULL (the start):
   the fastest there is.  For measuring one kernel against another. */
extern GemmFn *gemm_choice;
#line 514 "chapters/08-fast.nw"
/* Threads for the products: n >= 1 threads (1: the caller alone); n = 0:
   the number in the environment variable LSTM_THREADS, else one per
   processor online (the start).  Results are the same, bit for bit, for
   any n. */
void gemm_set_threads(int n);
int  gemm_get_threads(void);
#line 740 "chapters/08-fast.nw"
#define MAX_THREADS_OPTION 64   /* the most threads --threads and LSTM_THREADS accept */
#line 963 "chapters/08-fast.nw"
/* y[0..n) = sigma(x[0..n)) and tanh(x[0..n)), VW numbers at a time;
   y may be x. */
void vec_sigmoid(real *y, const real *x, int n);
void vec_tanh(real *y, const real *x, int n);
#line 1002 "chapters/08-fast.nw"
/* Whether mat_sigmoid, mat_tanh and the cell update use vec_sigmoid and
   vec_tanh (the start: true) or the C library.  For measuring. */
extern bool squash_lanes;
#line 757 "chapters/01-kernels.nw"
#endif
