#line 761 "chapters/01-kernels.nw"
/* matrix.c — matrices and the kernels on them. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tgmath.h>
#include "matrix.h"

/* ⟨matrix.c static helpers⟩ */
#line 150 "chapters/01-kernels.nw"
/* Stop with a message unless the shapes of an operation fit together. */
static void check_shapes(bool ok, const char *op, Matrix a, Matrix b, Matrix c)
{
    if (!ok)
        bug("%s: shapes do not fit: %dx%d, %dx%d, %dx%d",
            op, a.rows, a.cols, b.rows, b.cols, c.rows, c.cols);
}
#line 198 "chapters/01-kernels.nw"
/* Element (i, p) of op(X), where X has row stride ld and is transposed if t. */
#define OP(X, ld, t, i, p) \
    ((t) ? (X)[(size_t)(p) * (size_t)(ld) + (size_t)(i)] \
         : (X)[(size_t)(i) * (size_t)(ld) + (size_t)(p)])
#line 325 "chapters/01-kernels.nw"
enum { KC = 128, NC = 256 };   /* tile of op(B): KC rows by NC columns */
static _Thread_local _Alignas(64) real panel[KC * NC];
#line 489 "chapters/01-kernels.nw"
/* Run STATEMENT for every (i, j) of an R x C shape, with row pointers set up
   by ROWSETUP (which may declare variables for row i). */
#define FOR_EACH(R, C, ROWSETUP, STATEMENT) \
    for (int i = 0; i < (R); i++) { ROWSETUP; for (int j = 0; j < (C); j++) { STATEMENT; } }
#define ROW(M) ((M).data + (size_t)i * (size_t)(M).stride)
#define SAME_SHAPE(X, Y) ((X).rows == (Y).rows && (X).cols == (Y).cols)
/* ⟨matrix.c static helpers⟩, continued in 08-fast.nw */
/* ⟨choose the sizes of the tiles⟩ */
#line 102 "chapters/08-fast.nw"
enum {
    MR = TILE_MR,    /* rows of the tile of C */
    NV = 2,          /* vectors across the tile */
    NR = NV * VW,    /* columns of the tile of C */
    TKC = 256,       /* k: terms summed per pass */
    TNC = 512        /* n: columns of op(B) packed per pass */
};
#line 196 "chapters/08-fast.nw"
static _Thread_local _Alignas(64) real tiled_panel[TKC * TNC];
/* ⟨the micro-kernel: an MR x NR tile of C in registers⟩ */
#line 129 "chapters/08-fast.nw"
/* C[i ldc + j] += sum_p op(A)[i][p] b[p][j] for the tile's mr <= MR rows
   and nr <= NR columns.  a[i] points at op(A)[i][0] and op(A)[i][p] is
   a[i][p ap]; b is a micro-panel: kc rows of NR reals. */
static void micro_kernel(int kc, const real *const a[MR], size_t ap, const real *restrict b,
                         real *restrict C, size_t ldc, int mr, int nr)
{
    vreal acc[MR][NV];
    for (int i = 0; i < MR; i++)
        for (int v = 0; v < NV; v++) acc[i][v] = (vreal){ 0 };
    /* ⟨add the kc outer products of op(A)'s columns and the micro-panel's rows⟩ */
    #line 148 "chapters/08-fast.nw"
    for (int p = 0; p < kc; p++) {
        vreal row[NV];
        for (int v = 0; v < NV; v++)
            memcpy(&row[v], b + (size_t)p * NR + (size_t)v * VW, sizeof(vreal));
        for (int i = 0; i < MR; i++) {
            real ai = a[i][(size_t)p * ap];
            for (int v = 0; v < NV; v++) acc[i][v] += ai * row[v];
        }
    }
    /* ⟨add the accumulators to the tile of C⟩ */
    #line 164 "chapters/08-fast.nw"
    if (mr == MR && nr == NR) {
        for (int i = 0; i < MR; i++)
            for (int v = 0; v < NV; v++) {
                real *c = C + (size_t)i * ldc + (size_t)v * VW;
                vreal old;
                memcpy(&old, c, sizeof old);
                old += acc[i][v];
                memcpy(c, &old, sizeof old);
            }
    } else {
        real t[MR][NR];
        memcpy(t, acc, sizeof t);
        for (int i = 0; i < mr; i++)
            for (int j = 0; j < nr; j++) C[(size_t)i * ldc + (size_t)j] += t[i][j];
    }
#line 140 "chapters/08-fast.nw"
}
#line 206 "chapters/08-fast.nw"
/* C += op(A) op(B): m x n, k terms. */
static void tiled_product(bool ta, bool tb, int m, int n, int k, const real *A, int lda,
                          const real *B, int ldb, real *C, int ldc)
{
    for (int jc = 0; jc < n; jc += TNC) {
        int nc = n - jc < TNC ? n - jc : TNC;
        for (int pc = 0; pc < k; pc += TKC) {
            int kc = k - pc < TKC ? k - pc : TKC;
            /* ⟨pack terms pc..pc+kc) of op(B)'s columns jc..jc+nc) into micro-panels⟩ */
            #line 227 "chapters/08-fast.nw"
            for (int jr = 0; jr < nc; jr += NR) {
                int nr = nc - jr < NR ? nc - jr : NR;
                real *panel = tiled_panel + (size_t)jr * (size_t)kc;
                if (tb) {
                    for (int j = 0; j < NR; j++) {
                        const real *col = B + (size_t)(jc + jr + j) * (size_t)ldb + (size_t)pc;
                        for (int p = 0; p < kc; p++) panel[(size_t)p * NR + (size_t)j] = j < nr ? col[p] : 0;
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        const real *row = B + (size_t)(pc + p) * (size_t)ldb + (size_t)(jc + jr);
                        for (int j = 0; j < NR; j++) panel[(size_t)p * NR + (size_t)j] = j < nr ? row[j] : 0;
                    }
                }
            }
            /* ⟨run the micro-kernel over every tile of C's columns jc..jc+nc)⟩ */
            #line 245 "chapters/08-fast.nw"
            size_t ap = ta ? (size_t)lda : 1;
            for (int ir = 0; ir < m; ir += MR) {
                int mr = m - ir < MR ? m - ir : MR;
                const real *a[MR];
                for (int i = 0; i < MR; i++) {
                    int row = ir + (i < mr ? i : mr - 1);
                    a[i] = ta ? A + (size_t)pc * (size_t)lda + (size_t)row
                              : A + (size_t)row * (size_t)lda + (size_t)pc;
                }
                for (int jr = 0; jr < nc; jr += NR) {
                    int nr = nc - jr < NR ? nc - jr : NR;
                    micro_kernel(kc, a, ap, tiled_panel + (size_t)jr * (size_t)kc,
                                 C + (size_t)ir * (size_t)ldc + (size_t)(jc + jr), (size_t)ldc, mr, nr);
                }
            }
        #line 216 "chapters/08-fast.nw"
        }
    }
}
#line 296 "chapters/08-fast.nw"
/* The sum of v's W lanes: lane l + W/2 onto lane l, then l + W/4, ..., each
   step on a vector half as wide as the one before, down to 16 bytes. */
typedef real vreal16 __attribute__((vector_size(16)));
typedef real vreal32 __attribute__((vector_size(32)));
static real lanes_sum16(vreal16 v)
{
    enum { N = 16 / sizeof(real) };   /* 4 floats or 2 doubles */
    real t[N];
    memcpy(t, &v, sizeof t);
    for (int w = N / 2; w > 0; w /= 2)
        for (int l = 0; l < w; l++) t[l] += t[l + w];
    return t[0];
}
#if VBYTES >= 32
static real lanes_sum32(vreal32 v)
{
    vreal16 lo, hi;
    memcpy(&lo, &v, sizeof lo);
    memcpy(&hi, (char *)&v + sizeof lo, sizeof hi);
    return lanes_sum16(lo + hi);
}
#endif
static real lanes_sum(vreal v)
{
#if VBYTES == 64
    vreal32 lo, hi;
    memcpy(&lo, &v, sizeof lo);
    memcpy(&hi, (char *)&v + sizeof lo, sizeof hi);
    return lanes_sum32(lo + hi);
#elif VBYTES == 32
    return lanes_sum32(v);
#else
    return lanes_sum16(v);
#endif
}
#line 359 "chapters/08-fast.nw"
enum { DOT_ROWS = 128 };   /* rows of A per pass over B */
/* Tell GCC that v changed, so that it keeps v in a register rather than
   reloading it from memory for each use (a compiler hint, nothing more). */
#if defined(__GNUC__) && defined(__AVX512F__)
#define KEEP_IN_REGISTER(v) __asm__("" : "+v"(v))
#else
#define KEEP_IN_REGISTER(v) (void)0
#endif

/* C[i ldc + j] += x[i] . y[j], k long, for i < mr <= dr <= 2 and j < nr <= dc <= 8. */
static inline void dot_tile(int dr, int dc, int k, const real *const x[], const real *const y[],
                            real *restrict C, size_t ldc, int mr, int nr)
{
    vreal s[2][8];
    for (int i = 0; i < dr; i++)
        for (int j = 0; j < dc; j++) s[i][j] = (vreal){ 0 };
    int p = 0;
    for (; p + VW <= k; p += VW) {
        vreal xv[2], yv;
        for (int i = 0; i < dr; i++) memcpy(&xv[i], x[i] + p, sizeof(vreal));
        for (int j = 0; j < dc; j++) {
            memcpy(&yv, y[j] + p, sizeof yv);
            KEEP_IN_REGISTER(yv);
            for (int i = 0; i < dr; i++) s[i][j] += xv[i] * yv;
        }
    }
    for (int i = 0; i < mr; i++)
        for (int j = 0; j < nr; j++) {
            real t = lanes_sum(s[i][j]);
            for (int q = p; q < k; q++) t += x[i][q] * y[j][q];
            C[(size_t)i * ldc + (size_t)j] += t;
        }
}

static void dot_tile_1x8(int k, const real *const x[], const real *const y[], real *C, size_t ldc,
                         int mr, int nr)
{
    dot_tile(1, 8, k, x, y, C, ldc, mr, nr);
}

static void dot_tile_2x8(int k, const real *const x[], const real *const y[], real *C, size_t ldc,
                         int mr, int nr)
{
    dot_tile(2, 8, k, x, y, C, ldc, mr, nr);
}
#line 412 "chapters/08-fast.nw"
/* C += A B^T, A m x k, B n x k, by dot products of rows. */
static void dot_products(int m, int n, int k, const real *A, int lda, const real *B, int ldb,
                         real *C, int ldc)
{
    int dr = m == 1 ? 1 : 2, dc = 8;
    for (int ic = 0; ic < m; ic += DOT_ROWS) {
        int mc = m - ic < DOT_ROWS ? m - ic : DOT_ROWS;
        for (int jr = 0; jr < n; jr += dc) {
            int nr = n - jr < dc ? n - jr : dc;
            const real *y[8];
            for (int j = 0; j < dc; j++) y[j] = B + (size_t)(jr + (j < nr ? j : nr - 1)) * (size_t)ldb;
            for (int ir = ic; ir < ic + mc; ir += dr) {
                int mr = ic + mc - ir < dr ? ic + mc - ir : dr;
                const real *x[2];
                for (int i = 0; i < dr; i++) x[i] = A + (size_t)(ir + (i < mr ? i : mr - 1)) * (size_t)lda;
                real *c = C + (size_t)ir * (size_t)ldc + (size_t)jr;
                if (dr == 1) dot_tile_1x8(k, x, y, c, (size_t)ldc, mr, nr);
                else dot_tile_2x8(k, x, y, c, (size_t)ldc, mr, nr);
            }
        }
    }
}
#line 527 "chapters/08-fast.nw"
#include <errno.h>
#include <pthread.h>
#include "prog.h"
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

enum { MAX_THREADS = MAX_THREADS_OPTION, PARALLEL_FLOPS = 200000 };
#define SPIN_NS 200000L          /* spin for up to 0.2 ms before sleeping */

/* A product C += op(A) op(B) shared out in bands of columns. */
typedef struct {
    bool ta, tb;
    int m, n, k, lda, ldb, ldc, bands;
    const real *A, *B;
    real *C;
} Job;

static struct {
    pthread_mutex_t lock;
    pthread_cond_t work, done;   /* a new job for sleeping workers; the last worker done */
    atomic_long generation;      /* how many jobs so far (changed under lock) */
    atomic_long pending;         /* workers that have not finished this job */
    int workers;                 /* started so far */
    int sleepers;                /* workers asleep on `work` */
    const Job *job;
    long born[MAX_THREADS];      /* generation when worker w was started */
} pool = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER,
           0, 0, 0, 0, NULL, { 0 } };
static int thread_count;         /* 0: not chosen yet */
static long spin_ns;             /* how long to spin: SPIN_NS, or 0 (see below) */
#line 566 "chapters/08-fast.nw"
/* Compute band `band` of the job's columns, with the single-threaded code. */
static void product_band(const Job *j, int band)
{
    int tiles = (j->n + NR - 1) / NR;
    int j0 = (int)((long)tiles * band / j->bands) * NR;
    int j1 = (int)((long)tiles * (band + 1) / j->bands) * NR;
    if (j1 > j->n) j1 = j->n;
    if (j0 >= j1) return;
    const real *B = j->tb ? j->B + (size_t)j0 * (size_t)j->ldb : j->B + j0;
    if (j->tb && !j->ta)
        dot_products(j->m, j1 - j0, j->k, j->A, j->lda, B, j->ldb, j->C + j0, j->ldc);
    else
        tiled_product(j->ta, j->tb, j->m, j1 - j0, j->k, j->A, j->lda, B, j->ldb,
                      j->C + j0, j->ldc);
}
#line 589 "chapters/08-fast.nw"
static long nanoseconds(void)
{
    struct timespec t;
    timespec_get(&t, TIME_UTC);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

/* Spin until (*counter == value) is `equal` (true) or SPIN_NS have passed
   (false). */
static bool spin_until(atomic_long *counter, long value, bool equal)
{
    long start = nanoseconds();
    for (int round = 1;; round++) {
        if ((atomic_load_explicit(counter, memory_order_acquire) == value) == equal) return true;
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
        if (spin_ns == 0 || (round % 256 == 0 && nanoseconds() - start > spin_ns)) return false;
    }
}
#line 625 "chapters/08-fast.nw"
/* Worker w: wait for a job, compute band w of it if it has one, repeat. */
static void *pool_worker(void *arg)
{
    int band = (int)(intptr_t)arg;
    long seen = pool.born[band];    /* the next job is its first */
    for (;;) {
        if (!spin_until(&pool.generation, seen, false)) {   /* a new job */
            pthread_mutex_lock(&pool.lock);
            pool.sleepers++;
            while (atomic_load(&pool.generation) == seen)
                pthread_cond_wait(&pool.work, &pool.lock);
            pool.sleepers--;
            pthread_mutex_unlock(&pool.lock);
        }
        seen = atomic_load(&pool.generation);
        const Job *j = pool.job;
        if (band < j->bands) product_band(j, band);
        if (atomic_fetch_sub(&pool.pending, 1) == 1) {   /* the last one: tell the caller */
            pthread_mutex_lock(&pool.lock);
            pthread_cond_signal(&pool.done);
            pthread_mutex_unlock(&pool.lock);
        }
    }
    return NULL;
}
#line 655 "chapters/08-fast.nw"
/* Compute the job with `bands` threads: this one and bands - 1 workers. */
static void run_job(const Job *j)
{
    pthread_mutex_lock(&pool.lock);
    while (pool.workers < j->bands - 1) {
        pthread_t t;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pool.born[pool.workers + 1] = atomic_load(&pool.generation);
        int ok = pthread_create(&t, &attr, pool_worker, (void *)(intptr_t)(pool.workers + 1)) == 0;
        pthread_attr_destroy(&attr);
        if (!ok) break;
        pool.workers++;
    }
    Job mine = *j;
    if (mine.bands > pool.workers + 1) mine.bands = pool.workers + 1;
    pool.job = &mine;
    atomic_store(&pool.pending, pool.workers);
    atomic_fetch_add(&pool.generation, 1);
    if (pool.sleepers > 0) pthread_cond_broadcast(&pool.work);
    pthread_mutex_unlock(&pool.lock);
    product_band(&mine, 0);
    /* ⟨wait for every worker to finish the job: spin a while, then sleep⟩ */
    #line 686 "chapters/08-fast.nw"
    if (!spin_until(&pool.pending, 0, true)) {
        pthread_mutex_lock(&pool.lock);
        while (atomic_load(&pool.pending) > 0) pthread_cond_wait(&pool.done, &pool.lock);
        pthread_mutex_unlock(&pool.lock);
    }
#line 679 "chapters/08-fast.nw"
}
#line 831 "chapters/08-fast.nw"
#ifdef LSTM_DOUBLE
typedef int64_t vbits __attribute__((vector_size(VBYTES)));    /* a real's bits, */
typedef uint64_t vubits __attribute__((vector_size(VBYTES)));  /* lane by lane */
#define EXP_DEGREE 13
#define ROUNDER 0x1.8p52                  /* 1.5 x 2^52: x + ROUNDER - ROUNDER rounds x */
#define LN2_HI 6.93147180369123816490e-01 /* 21 significant bits */
#define LN2_LO 1.90821492927058770002e-10
#define EXP_MIN -746                      /* e^x rounds to 0 below */
enum { MANT_BITS = 52, EXP_BIAS = 1023 };
#else
typedef int32_t vbits __attribute__((vector_size(VBYTES)));
typedef uint32_t vubits __attribute__((vector_size(VBYTES)));
#define EXP_DEGREE 7
#define ROUNDER 0x1.8p23f
#define LN2_HI 0.693359375f               /* 355 / 512: 9 significant bits */
#define LN2_LO -2.12194440e-4f
#define EXP_MIN -104
enum { MANT_BITS = 23, EXP_BIAS = 127 };
#endif
#define LOG2E 1.44269504088896340736      /* 1 / ln 2 */

static const real inv_factorial[] = {     /* c_n = 1 / n! */
    1, 1, 1 / (real)2, 1 / (real)6, 1 / (real)24, 1 / (real)120, 1 / (real)720,
    1 / (real)5040, 1 / (real)40320, 1 / (real)362880, 1 / (real)3628800,
    1 / (real)39916800, 1 / (real)479001600, 1 / (real)6227020800.0,
};

/* Lane by lane: m ? a : b, for a mask m of all ones or all zeros. */
static inline vreal pick(vbits m, vreal a, vreal b)
{
    return (vreal)(((vbits)a & m) | ((vbits)b & ~m));
}

/* 2^k for whole numbers k from 1 - EXP_BIAS to EXP_BIAS: k's bits, shifted
   into the exponent field. */
static inline vreal pow2(vbits k)
{
    return (vreal)((vubits)(k + EXP_BIAS) << MANT_BITS);
}

/* x = k ln 2 + r with |r| <= ln 2 / 2 (x finite, |x| < 2^20): returns
   e^r - 1, and k in *k. */
static inline vreal expm1_reduced(vreal x, vbits *k)
{
    vreal t = x * (real)LOG2E + ROUNDER;    /* k in the low bits of t */
    vreal kf = t - ROUNDER;
    *k = (vbits)t - (vbits)((vreal){0} + ROUNDER);
    vreal r = (x - kf * LN2_HI) - kf * LN2_LO;
    vreal p = (vreal){0} + inv_factorial[EXP_DEGREE];
    for (int n = EXP_DEGREE - 1; n >= 1; n--)
        p = p * r + inv_factorial[n];
    return p * r;
}
#line 927 "chapters/08-fast.nw"
/* sigma(x), lane by lane.  Not inlined: every caller runs the same
   instructions, so a number's sigmoid does not depend on its lane or on
   which function asked (with contraction on, two inlined copies could
   fuse different multiply-adds). */
static __attribute__((noinline)) vreal sigmoid_lanes(vreal x)
{
    vbits sign = (vbits)(-(vreal){0});                  /* -0: the sign bit alone */
    vreal y = (vreal)((vbits)x | sign);                 /* -|x| */
    y = pick(y < EXP_MIN, (vreal){0} + EXP_MIN, y);
    vbits k;
    vreal p = expm1_reduced(y, &k);
    vbits k1 = k >> 1;
    vreal e = (1 + p) * pow2(k1) * pow2(k - k1);        /* e^-|x|, to the subnormals */
    return pick(x >= 0, (vreal){0} + 1, e) / (1 + e);
}

/* tanh x, lane by lane; not inlined, for the same reason. */
static __attribute__((noinline)) vreal tanh_lanes(vreal x)
{
    vbits sign = (vbits)(-(vreal){0});
    vreal y = 2 * (vreal)((vbits)x | sign);             /* -2|x| */
    y = pick(y < -64, (vreal){0} - 64, y);
    vbits k;
    vreal p = expm1_reduced(y, &k);
    vreal s = pow2(k);
    vreal m = s * p + (s - 1);                          /* e^y - 1 */
    vreal t = -m / (2 + m);                             /* tanh |x| */
    return (vreal)(((vbits)t & ~sign) | ((vbits)x & sign));
}
#line 970 "chapters/08-fast.nw"
static void apply_lanes(vreal (*f)(vreal), real *y, const real *x, int n)
{
    int j = 0;
    for (; j + VW <= n; j += VW) {
        vreal v;
        memcpy(&v, x + j, sizeof v);
        v = f(v);
        memcpy(y + j, &v, sizeof v);
    }
    if (j < n) {
        vreal v = { 0 };
        memcpy(&v, x + j, (size_t)(n - j) * sizeof(real));
        v = f(v);
        memcpy(y + j, &v, (size_t)(n - j) * sizeof(real));
    }
}
/* ⟨matrix.c functions⟩ */
#line 107 "chapters/01-kernels.nw"
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
#line 211 "chapters/01-kernels.nw"
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
#line 259 "chapters/01-kernels.nw"
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
#line 330 "chapters/01-kernels.nw"
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
            #line 353 "chapters/01-kernels.nw"
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
            #line 366 "chapters/01-kernels.nw"
            for (int i = 0; i < m; i++) {
                real *restrict c = C + (size_t)i * (size_t)ldc + (size_t)jc;
                for (int p = 0; p < kc; p++) {
                    real a = OP(A, lda, ta, i, pc + p);
                    const real *restrict b = panel + (size_t)p * (size_t)nc;
                    for (int j = 0; j < nc; j++) c[j] += a * b[j];
                }
            }
        #line 343 "chapters/01-kernels.nw"
        }
    }
}
#line 420 "chapters/01-kernels.nw"
const GemmKernel gemm_kernels[] = {
    /* ⟨the product kernels, slowest first⟩ */
    #line 457 "chapters/01-kernels.nw"
    { "naive", gemm_naive },
    { "reordered", gemm_reordered },
    { "blocked", gemm_blocked },
    /* ⟨the product kernels, slowest first⟩, continued in 08-fast.nw */
    #line 471 "chapters/08-fast.nw"
    { "tiled", gemm_tiled },
#line 422 "chapters/01-kernels.nw"
};
const int gemm_kernel_count = sizeof gemm_kernels / sizeof gemm_kernels[0];

static void gemm(bool ta, bool tb, int m, int n, int k,
                 const real *A, int lda, const real *B, int ldb,
                 real *C, int ldc, bool acc)
{
    GemmFn *fn = gemm_blocked;
    /* ⟨choose a faster kernel for this product, if there is one⟩ */
    #line 463 "chapters/01-kernels.nw"
    /* In this chapter the blocked kernel is the fastest there is. */
    /* ⟨choose a faster kernel for this product, if there is one⟩, continued in 08-fast.nw */
    #line 475 "chapters/08-fast.nw"
    fn = gemm_choice ? gemm_choice : gemm_tiled;
    #line 431 "chapters/01-kernels.nw"
    fn(ta, tb, m, n, k, A, lda, B, ldb, C, ldc, acc);
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
#line 498 "chapters/01-kernels.nw"
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
#line 579 "chapters/01-kernels.nw"
real sigmoid(real x)
{
    if (x >= 0)
        return 1 / (1 + exp(-x));
    real e = exp(x);
    return e / (1 + e);
}

void mat_sigmoid(Matrix Y, Matrix X)
{
    check_shapes(SAME_SHAPE(X, Y), "mat_sigmoid", X, Y, Y);
    /* ⟨squash the rows with a faster sigmoid, if there is one⟩ */
    /* ⟨squash the rows with a faster sigmoid, if there is one⟩, continued in 08-fast.nw */
    #line 1012 "chapters/08-fast.nw"
    if (squash_lanes) {
        for (int i = 0; i < Y.rows; i++)
            vec_sigmoid(&MAT(Y, i, 0), &MAT(X, i, 0), Y.cols);
        return;
    }
    #line 591 "chapters/01-kernels.nw"
    FOR_EACH(Y.rows, Y.cols, real *y = ROW(Y); const real *x = ROW(X), y[j] = sigmoid(x[j]))
}

void mat_tanh(Matrix Y, Matrix X)
{
    check_shapes(SAME_SHAPE(X, Y), "mat_tanh", X, Y, Y);
    /* ⟨squash the rows with a faster tanh, if there is one⟩ */
    /* ⟨squash the rows with a faster tanh, if there is one⟩, continued in 08-fast.nw */
    #line 1020 "chapters/08-fast.nw"
    if (squash_lanes) {
        for (int i = 0; i < Y.rows; i++)
            vec_tanh(&MAT(Y, i, 0), &MAT(X, i, 0), Y.cols);
        return;
    }
    #line 598 "chapters/01-kernels.nw"
    FOR_EACH(Y.rows, Y.cols, real *y = ROW(Y); const real *x = ROW(X), y[j] = tanh(x[j]))
}
#line 645 "chapters/01-kernels.nw"
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
#line 725 "chapters/01-kernels.nw"
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
/* ⟨matrix.c functions⟩, continued in 08-fast.nw */
#line 442 "chapters/08-fast.nw"
void gemm_tiled(bool ta, bool tb, int m, int n, int k,
                const real *A, int lda, const real *B, int ldb,
                real *C, int ldc, bool acc)
{
    if (!acc)
        for (int i = 0; i < m; i++)
            memset(C + (size_t)i * (size_t)ldc, 0, (size_t)n * sizeof(real));
    /* ⟨share the product out among the threads, if it is worth it⟩ */
    #line 767 "chapters/08-fast.nw"
    int threads = gemm_get_threads(), tiles = (n + NR - 1) / NR;
    if (threads > 1 && tiles > 1 && 2.0 * m * n * k >= PARALLEL_FLOPS) {
        Job j = { ta, tb, m, n, k, lda, ldb, ldc, threads < tiles ? threads : tiles, A, B, C };
        run_job(&j);
        return;
    }
    #line 450 "chapters/08-fast.nw"
    if (tb && !ta)
        dot_products(m, n, k, A, lda, B, ldb, C, ldc);
    else
        tiled_product(ta, tb, m, n, k, A, lda, B, ldb, C, ldc);
}
#line 479 "chapters/08-fast.nw"
GemmFn *gemm_choice;
#line 694 "chapters/08-fast.nw"
void gemm_set_threads(int n)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (n <= 0) {
        n = cpus < 1 ? 1 : cpus > MAX_THREADS ? MAX_THREADS : (int)cpus;
        /* ⟨take the number of threads from LSTM_THREADS, if it is set and right⟩ */
        #line 750 "chapters/08-fast.nw"
        const char *env = getenv("LSTM_THREADS");
        if (env) {
            char *end;
            errno = 0;
            long v = strtol(env, &end, 10);
            if (end != env && *end == '\0' && errno == 0 && v >= 1 && v <= MAX_THREADS)
                n = (int)v;
            else
                fprintf(stderr, "warning: LSTM_THREADS='%s' is not a whole number from 1 to %d;"
                        " using %d threads\n", env, MAX_THREADS, n);
        }
    #line 700 "chapters/08-fast.nw"
    }
    thread_count = n < MAX_THREADS ? n : MAX_THREADS;
    spin_ns = thread_count <= cpus ? SPIN_NS : 0;
}

int gemm_get_threads(void)
{
    if (thread_count == 0) gemm_set_threads((int)prog_threads);   /* --threads, or 0 */
    return thread_count;
}
#line 989 "chapters/08-fast.nw"
void vec_sigmoid(real *y, const real *x, int n) { apply_lanes(sigmoid_lanes, y, x, n); }
void vec_tanh(real *y, const real *x, int n)    { apply_lanes(tanh_lanes, y, x, n); }
#line 1008 "chapters/08-fast.nw"
bool squash_lanes = true;
