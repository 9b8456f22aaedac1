#line 491 "chapters/08-fast.nw"
/* tiled.c — chapter 8's product kernel: a tile of C in vector registers,
   dot products for A B^T, bands of columns shared among threads. */
#include <string.h>
#include "pool.h"
#include "tiled.h"
#include "vector.h"

/* ⟨tiled.c helpers⟩ */
/* ⟨choose the sizes of the tiles⟩ */
#line 114 "chapters/08-fast.nw"
enum {
    MR = TILE_MR,    /* rows of the tile of C */
    NV = 2,          /* vectors across the tile */
    NR = NV * VW,    /* columns of the tile of C */
    TKC = 256,       /* k: terms summed per pass */
    TNC = 512        /* n: columns of op(B) packed per pass */
};
#line 210 "chapters/08-fast.nw"
static _Thread_local _Alignas(64) real tiled_panel[TKC * TNC];
/* ⟨the micro-kernel: an MR x NR tile of C in registers⟩ */
#line 141 "chapters/08-fast.nw"
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
    #line 160 "chapters/08-fast.nw"
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
    #line 176 "chapters/08-fast.nw"
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
#line 152 "chapters/08-fast.nw"
}
#line 220 "chapters/08-fast.nw"
/* C += op(A) op(B): m x n, k terms. */
static void tiled_product(bool ta, bool tb, int m, int n, int k, const real *A, int lda,
                          const real *B, int ldb, real *C, int ldc)
{
    for (int jc = 0; jc < n; jc += TNC) {
        int nc = n - jc < TNC ? n - jc : TNC;
        for (int pc = 0; pc < k; pc += TKC) {
            int kc = k - pc < TKC ? k - pc : TKC;
            /* ⟨pack terms pc..pc+kc) of op(B)'s columns jc..jc+nc) into micro-panels⟩ */
            #line 241 "chapters/08-fast.nw"
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
            #line 259 "chapters/08-fast.nw"
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
        #line 230 "chapters/08-fast.nw"
        }
    }
}
#line 312 "chapters/08-fast.nw"
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
#line 375 "chapters/08-fast.nw"
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
#line 428 "chapters/08-fast.nw"
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
#line 556 "chapters/08-fast.nw"
/* A product C += op(A) op(B) shared out in bands of columns. */
typedef struct {
    bool ta, tb;
    int m, n, k, lda, ldb, ldc;
    const real *A, *B;
    real *C;
} Product;

/* Compute band `band` of `bands` of the product's columns, with the
   single-threaded code. */
static void product_band(void *arg, int band, int bands)
{
    const Product *j = arg;
    int tiles = (j->n + NR - 1) / NR;
    int j0 = (int)((long)tiles * band / bands) * NR;
    int j1 = (int)((long)tiles * (band + 1) / bands) * NR;
    if (j1 > j->n) j1 = j->n;
    if (j0 >= j1) return;
    const real *B = j->tb ? j->B + (size_t)j0 * (size_t)j->ldb : j->B + j0;
    if (j->tb && !j->ta)
        dot_products(j->m, j1 - j0, j->k, j->A, j->lda, B, j->ldb, j->C + j0, j->ldc);
    else
        tiled_product(j->ta, j->tb, j->m, j1 - j0, j->k, j->A, j->lda, B, j->ldb,
                      j->C + j0, j->ldc);
}
#line 598 "chapters/08-fast.nw"
enum { PARALLEL_FLOPS = 200000 };
/* ⟨tiled.c functions⟩ */
#line 458 "chapters/08-fast.nw"
void gemm_tiled(bool ta, bool tb, int m, int n, int k,
                const real *A, int lda, const real *B, int ldb,
                real *C, int ldc, bool acc)
{
    if (!acc)
        for (int i = 0; i < m; i++)
            memset(C + (size_t)i * (size_t)ldc, 0, (size_t)n * sizeof(real));
    /* ⟨share the product out among the threads, if it is worth it⟩ */
    #line 589 "chapters/08-fast.nw"
    int threads = pool_threads(), tiles = (n + NR - 1) / NR;
    if (threads > 1 && tiles > 1 && 2.0 * m * n * k >= PARALLEL_FLOPS) {
        Product p = { ta, tb, m, n, k, lda, ldb, ldc, A, B, C };
        pool_run(product_band, &p, threads < tiles ? threads : tiles);
        return;
    }
    #line 466 "chapters/08-fast.nw"
    if (tb && !ta)
        dot_products(m, n, k, A, lda, B, ldb, C, ldc);
    else
        tiled_product(ta, tb, m, n, k, A, lda, B, ldb, C, ldc);
}
#line 503 "chapters/08-fast.nw"
const KernelSet tiled_kernels = {
    "tiled", "the tiled product, the C library's exp and tanh",
    gemm_tiled, row_sigmoid, row_tanh
};
