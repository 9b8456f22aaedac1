#line 504 "chapters/08-fast.nw"
/* tiled.c — chapter 8's product kernel: a tile of C in vector registers,
   dot products for A B^T, bands of columns shared among threads. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "pool.h"
#include "tiled.h"
#include "vector.h"

/* ⟨tiled.c helpers⟩ */
/* ⟨choose the sizes of the tiles⟩ */
#line 118 "chapters/08-fast.nw"
enum {
    MR_MAX = 12,     /* the most rows a tile of C has */
    NV_MAX = 4,      /* the most vectors across it */
    TKC = 256,       /* k: terms summed per pass */
    TNC = 512        /* n: columns of op(B) packed per pass */
};
/* A shape of the tile of C, mr rows by nv vectors, and the tiled kernel
   compiled for it: C += op(A) op(B), m x n, k terms; and its micro-kernel. */
typedef void MicroKernel(int kc, const real *const a[], size_t ap, const real *restrict b,
                         real *restrict C, size_t ldc, int mr, int nr);
typedef void TiledProduct(bool ta, bool tb, int m, int n, int k, const real *A, int lda,
                          const real *B, int ldb, real *C, int ldc);
typedef struct { const char *name; int mr, nv; TiledProduct *run; } OuterTile;
static const OuterTile *outer_tile(int m);   /* the shape in use for m rows (appendix E) */
#line 229 "chapters/08-fast.nw"
static _Thread_local _Alignas(64) real tiled_panel[TKC * (TNC + NV_MAX * VW)];
/* ⟨the micro-kernel: an MR x NR tile of C in registers⟩ */
#line 152 "chapters/08-fast.nw"
/* C[i ldc + j] += sum_p op(A)[i][p] b[p][j] for the tile's mr <= MR rows
   and nr <= NR = NV W columns.  a[i] points at op(A)[i][0] and op(A)[i][p]
   is a[i][p ap]; b is a micro-panel: kc rows of NR reals. */
static inline __attribute__((always_inline)) void
micro_kernel(const int MR, const int NV, int kc, const real *const a[], size_t ap,
             const real *restrict b, real *restrict C, size_t ldc, int mr, int nr)
{
    const int NR = NV * VW;
    vreal acc[MR_MAX][NV_MAX];
    for (int i = 0; i < MR; i++)
        for (int v = 0; v < NV; v++) acc[i][v] = (vreal){ 0 };
    /* ⟨add the kc outer products of op(A)'s columns and the micro-panel's rows⟩ */
    #line 177 "chapters/08-fast.nw"
    for (int p = 0; p < kc; p++) {
        vreal row[NV_MAX];
        for (int v = 0; v < NV; v++)
            memcpy(&row[v], b + (size_t)p * NR + (size_t)v * VW, sizeof(vreal));
        for (int i = 0; i < MR; i++) {
            real ai = a[i][(size_t)p * ap];
            for (int v = 0; v < NV; v++) acc[i][v] += ai * row[v];
        }
    }
    /* ⟨add the accumulators to the tile of C⟩ */
    #line 194 "chapters/08-fast.nw"
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
        for (int i = 0; i < mr; i++)
            for (int v = 0; v < NV; v++) {
                vreal x = acc[i][v];
                for (int l = 0; l < VW && v * VW + l < nr; l++) C[(size_t)i * ldc + (size_t)(v * VW + l)] += x[l];
            }
    }
#line 165 "chapters/08-fast.nw"
}
#line 239 "chapters/08-fast.nw"
/* C += op(A) op(B): m x n, k terms, in tiles of MR rows by NV vectors,
   each computed by micro, the micro-kernel for that shape. */
static inline __attribute__((always_inline)) void
tiled_product(const int MR, const int NV, MicroKernel *micro, bool ta, bool tb, int m, int n,
              int k, const real *A, int lda, const real *B, int ldb, real *C, int ldc)
{
    const int NR = NV * VW;
    for (int jc = 0; jc < n; jc += TNC) {
        int nc = n - jc < TNC ? n - jc : TNC;
        for (int pc = 0; pc < k; pc += TKC) {
            int kc = k - pc < TKC ? k - pc : TKC;
            /* ⟨pack terms pc..pc+kc) of op(B)'s columns jc..jc+nc) into micro-panels⟩ */
            #line 263 "chapters/08-fast.nw"
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
            #line 281 "chapters/08-fast.nw"
            size_t ap = ta ? (size_t)lda : 1;
            for (int ir = 0; ir < m; ir += MR) {
                int mr = m - ir < MR ? m - ir : MR;
                const real *a[MR_MAX];
                for (int i = 0; i < MR; i++) {
                    int row = ir + (i < mr ? i : mr - 1);
                    a[i] = ta ? A + (size_t)pc * (size_t)lda + (size_t)row
                              : A + (size_t)row * (size_t)lda + (size_t)pc;
                }
                for (int jr = 0; jr < nc; jr += NR) {
                    int nr = nc - jr < NR ? nc - jr : NR;
                    micro(kc, a, ap, tiled_panel + (size_t)jr * (size_t)kc,
                          C + (size_t)ir * (size_t)ldc + (size_t)(jc + jr), (size_t)ldc, mr, nr);
                }
            }
        #line 252 "chapters/08-fast.nw"
        }
    }
}
#line 347 "chapters/08-fast.nw"
/* v[0..W) are W accumulators; afterwards lane a of v[0] is the sum of the
   lanes of v[a]: lane l + W/2 onto lane l, then l + W/4, ..., then l + 1. */
static inline __attribute__((always_inline)) void fold_lanes(vreal v[VW]);
#line 375 "chapters/08-fast.nw"
enum { DOT_ROWS = 128 };   /* rows of A per pass over B */
/* Tell GCC that v changed, so that it keeps v in a register rather than
   reloading it from memory for each use (a compiler hint, nothing more). */
#if defined(__GNUC__) && defined(__AVX512F__)
#define KEEP_IN_REGISTER(v) __asm__("" : "+v"(v))
#else
#define KEEP_IN_REGISTER(v) (void)0
#endif

/* A shape of tile of dot products: dr rows of A by dc rows of B, and its kernel. */
enum { DR_MAX = 4, DC_MAX = 16 };
typedef void DotKernel(int k, const real *const x[], const real *const y[], real *restrict C,
                       size_t ldc, int mr, int nr);
typedef struct { const char *name; int dr, dc; DotKernel *run; } DotTile;
static const DotTile *dot_tile_for(int m);   /* the shape in use for m rows (appendix E) */

/* C[i ldc + j] += x[i] . y[j], k long, for i < mr <= dr and j < nr <= dc. */
static inline __attribute__((always_inline)) void
dot_tile(const int dr, const int dc, int k, const real *const x[], const real *const y[],
         real *restrict C, size_t ldc, int mr, int nr)
{
    vreal s[DR_MAX][DC_MAX];
    for (int i = 0; i < dr; i++)
        for (int j = 0; j < dc; j++) s[i][j] = (vreal){ 0 };
    int p = 0;
    for (; p + VW <= k; p += VW) {
        vreal xv[DR_MAX], yv;
        for (int i = 0; i < dr; i++) memcpy(&xv[i], x[i] + p, sizeof(vreal));
        for (int j = 0; j < dc; j++) {
            memcpy(&yv, y[j] + p, sizeof yv);
            KEEP_IN_REGISTER(yv);
            for (int i = 0; i < dr; i++) s[i][j] += xv[i] * yv;
        }
    }
    /* the lanes of the dr dc accumulators added up, W at a time */
    const int n = dr * dc;
    real sum[DR_MAX * DC_MAX + VW];
    for (int g = 0; g < n; g += VW) {
        vreal v[VW];
        for (int a = 0; a < VW; a++) v[a] = g + a < n ? s[(g + a) / dc][(g + a) % dc] : (vreal){ 0 };
        fold_lanes(v);
        memcpy(sum + g, &v[0], sizeof(vreal));
    }
    for (int i = 0; i < mr; i++)
        for (int j = 0; j < nr; j++) {
            real t = sum[i * dc + j];
            for (int q = p; q < k; q++) t += x[i][q] * y[j][q];
            C[(size_t)i * ldc + (size_t)j] += t;
        }
}
#line 434 "chapters/08-fast.nw"
/* C += A B^T, A m x k, B n x k, by dot products of rows, in tiles of shape t. */
static void dot_products(const DotTile *t, int m, int n, int k, const real *A, int lda,
                         const real *B, int ldb, real *C, int ldc)
{
    const int dr = t->dr, dc = t->dc, rows = DOT_ROWS / dr * dr;
    for (int ic = 0; ic < m; ic += rows) {
        int mc = m - ic < rows ? m - ic : rows;
        for (int jr = 0; jr < n; jr += dc) {
            int nr = n - jr < dc ? n - jr : dc;
            const real *y[DC_MAX];
            for (int j = 0; j < dc; j++) y[j] = B + (size_t)(jr + (j < nr ? j : nr - 1)) * (size_t)ldb;
            for (int ir = ic; ir < ic + mc; ir += dr) {
                int mr = ic + mc - ir < dr ? ic + mc - ir : dr;
                const real *x[DR_MAX];
                for (int i = 0; i < dr; i++) x[i] = A + (size_t)(ir + (i < mr ? i : mr - 1)) * (size_t)lda;
                t->run(k, x, y, C + (size_t)ir * (size_t)ldc + (size_t)jr, (size_t)ldc, mr, nr);
            }
        }
    }
}

/* C += op(A) op(B) on this thread: dot products when B is transposed and
   A is not (see above), the tiled kernel otherwise. */
static void product_here(bool ta, bool tb, int m, int n, int k, const real *A, int lda,
                         const real *B, int ldb, real *C, int ldc)
{
    if (tb && !ta)
        dot_products(dot_tile_for(m), m, n, k, A, lda, B, ldb, C, ldc);
    else
        outer_tile(m)->run(ta, tb, m, n, k, A, lda, B, ldb, C, ldc);
}
#line 571 "chapters/08-fast.nw"
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
    const int NR = outer_tile(j->m)->nv * VW;
    int tiles = (j->n + NR - 1) / NR;
    int j0 = (int)((long)tiles * band / bands) * NR;
    int j1 = (int)((long)tiles * (band + 1) / bands) * NR;
    if (j1 > j->n) j1 = j->n;
    if (j0 >= j1) return;
    const real *B = j->tb ? j->B + (size_t)j0 * (size_t)j->ldb : j->B + j0;
    product_here(j->ta, j->tb, j->m, j1 - j0, j->k, j->A, j->lda, B, j->ldb, j->C + j0, j->ldc);
}
#line 610 "chapters/08-fast.nw"
enum { PARALLEL_FLOPS = 200000 };
/* ⟨tiled.c helpers⟩, continued in E2-tiles.nw */
#line 32 "chapters/E2-tiles.nw"
/* Functions for each shape: the general kernels with the shape as constants. */
#define TILED_KERNEL(R, V)                                                              \
    static __attribute__((noinline)) void                                              \
    micro_##R##x##V(int kc, const real *const a[], size_t ap, const real *restrict b,  \
                    real *restrict C, size_t ldc, int mr, int nr)                      \
    {                                                                                  \
        micro_kernel(R, V, kc, a, ap, b, C, ldc, mr, nr);                              \
    }                                                                                  \
    static void tiled_##R##x##V(bool ta, bool tb, int m, int n, int k, const real *A,  \
                                int lda, const real *B, int ldb, real *C, int ldc)     \
    {                                                                                  \
        tiled_product(R, V, micro_##R##x##V, ta, tb, m, n, k, A, lda, B, ldb, C, ldc); \
    }
#define DOT_KERNEL(R, D)                                                                \
    static void dot_##R##x##D(int k, const real *const x[], const real *const y[],     \
                              real *restrict C, size_t ldc, int mr, int nr)            \
    {                                                                                  \
        dot_tile(R, D, k, x, y, C, ldc, mr, nr);                                       \
    }
#define SHAPE(kernel, R, V) { #R "x" #V, R, V, kernel##_##R##x##V }

#if VBYTES == 64
TILED_KERNEL(8, 2)
TILED_KERNEL(12, 2)
TILED_KERNEL(6, 4)
DOT_KERNEL(2, 8)
DOT_KERNEL(3, 8)
DOT_KERNEL(4, 6)
DOT_KERNEL(1, 8)
DOT_KERNEL(1, 12)
DOT_KERNEL(1, 16)
static const OuterTile outer_tiles[] = { SHAPE(tiled, 8, 2), SHAPE(tiled, 12, 2), SHAPE(tiled, 6, 4) };
static const DotTile dot_tiles[] = { SHAPE(dot, 2, 8), SHAPE(dot, 3, 8), SHAPE(dot, 4, 6) };
static const DotTile row_tiles[] = { SHAPE(dot, 1, 8), SHAPE(dot, 1, 12), SHAPE(dot, 1, 16) };
#else
TILED_KERNEL(6, 2)
TILED_KERNEL(4, 3)
TILED_KERNEL(4, 2)
DOT_KERNEL(2, 4)
DOT_KERNEL(2, 6)
DOT_KERNEL(3, 4)
DOT_KERNEL(2, 8)
DOT_KERNEL(1, 8)
DOT_KERNEL(1, 4)
DOT_KERNEL(1, 12)
static const OuterTile outer_tiles[] = { SHAPE(tiled, 6, 2), SHAPE(tiled, 4, 3), SHAPE(tiled, 4, 2) };
static const DotTile dot_tiles[] = { SHAPE(dot, 2, 4), SHAPE(dot, 2, 6), SHAPE(dot, 3, 4),
                                     SHAPE(dot, 2, 8) };
static const DotTile row_tiles[] = { SHAPE(dot, 1, 8), SHAPE(dot, 1, 4), SHAPE(dot, 1, 12) };
#endif
#line 96 "chapters/E2-tiles.nw"
#ifdef LSTM_DOUBLE
#define W_LANES (VBYTES / 8)   /* W, for the preprocessor */
#else
#define W_LANES (VBYTES / 4)
#endif
#define PICK(h, i, odd) (((i) / (h)) * 2 * (h) + (odd) * (h) + (i) % (h))
#define PICK2(h, i, o) PICK(h, i, o), PICK(h, (i) + 1, o)
#define PICK4(h, i, o) PICK2(h, i, o), PICK2(h, (i) + 2, o)
#define PICK8(h, i, o) PICK4(h, i, o), PICK4(h, (i) + 4, o)
#define PICK16(h, i, o) PICK8(h, i, o), PICK8(h, (i) + 8, o)
#if W_LANES == 16
#define PICKS(h, o) PICK16(h, 0, o)
#elif W_LANES == 8
#define PICKS(h, o) PICK8(h, 0, o)
#elif W_LANES == 4
#define PICKS(h, o) PICK4(h, 0, o)
#else
#define PICKS(h, o) PICK2(h, 0, o)
#endif
/* One round of the tree: h vectors from 2h, each the halves of two added. */
#define FOLD(h)                                                                  \
    for (int i = 0; i < (h); i++)                                                \
        v[i] = __builtin_shufflevector(v[2 * i], v[2 * i + 1], PICKS(h, 0)) +   \
               __builtin_shufflevector(v[2 * i], v[2 * i + 1], PICKS(h, 1));

static inline __attribute__((always_inline)) void fold_lanes(vreal v[VW])
{
#if W_LANES >= 16
    FOLD(8)
#endif
#if W_LANES >= 8
    FOLD(4)
#endif
#if W_LANES >= 4
    FOLD(2)
#endif
    FOLD(1)
}
#line 178 "chapters/E2-tiles.nw"
#define COUNT(a) ((int)(sizeof a / sizeof a[0]))
#define TILE_MARGIN 1.05   /* how much faster than the first a shape must be */
static int tile_chosen[TILE_KINDS];
static double tile_rate[TILE_KINDS][TILE_MAX];
static pthread_once_t tiles_once = PTHREAD_ONCE_INIT;

/* One trial product of the kind with the shape; its floating-point operations. */
static double tile_trial(int kind, int s, const real *A, const real *B, real *C)
{
    if (kind == TILE_OUTER) {
        outer_tiles[s].run(false, false, 32, 256, 256, A, 256, B, 256, C, 256);
        return 2.0 * 32 * 256 * 256;
    }
    if (kind == TILE_TALL) {
        outer_tiles[s].run(true, false, 256, 256, 512, A, 1024, B, 256, C, 256);
        return 2.0 * 256 * 256 * 512;
    }
    int m = kind == TILE_DOT ? 32 : 1, n = 1024;
    dot_products(kind == TILE_DOT ? &dot_tiles[s] : &row_tiles[s], m, n, 256, A, 256, B, 256, C, n);
    return 2.0 * m * n * 256;
}

static void time_the_tiles(void)
{
    real *A = xalloc(512 * 1024, sizeof(real)), *B = xalloc(1024 * 256, sizeof(real));
    real *C = xalloc(256 * 256, sizeof(real));
    for (int i = 0; i < 1024 * 256; i++) B[i] = (real)(i % 7 - 3) / 64;
    for (int i = 0; i < 512 * 1024; i++) A[i] = (real)(i % 5 - 2) / 64;
    for (int kind = 0; kind < TILE_KINDS; kind++) {
        double best[TILE_MAX], flops = 0;
        for (int s = 0; s < tile_shapes(kind); s++) {
            tile_trial(kind, s, A, B, C);
            best[s] = 1e300;
        }
        for (int round = 0; round < 5; round++)
            for (int s = 0; s < tile_shapes(kind); s++) {
                double start = seconds_now();
                flops = tile_trial(kind, s, A, B, C);
                double t = seconds_now() - start;
                if (t < best[s]) best[s] = t;
            }
        tile_chosen[kind] = 0;
        for (int s = 0; s < tile_shapes(kind); s++) {
            double *rate = tile_rate[kind];
            rate[s] = best[s] > 0 ? flops / best[s] * 1e-9 : 0;
            if (rate[s] > TILE_MARGIN * rate[0] && rate[s] > rate[tile_chosen[kind]]) tile_chosen[kind] = s;
        }
    }
    free(A);
    free(B);
    free(C);
}

static const OuterTile *outer_tile(int m)
{
    return &outer_tiles[tile_in_use(m > TALL_ROWS ? TILE_TALL : TILE_OUTER)];
}

static const DotTile *dot_tile_for(int m)
{
    return m == 1 ? &row_tiles[tile_in_use(TILE_ROW)] : &dot_tiles[tile_in_use(TILE_DOT)];
}
/* ⟨tiled.c functions⟩ */
#line 473 "chapters/08-fast.nw"
void gemm_tiled(bool ta, bool tb, int m, int n, int k,
                const real *A, int lda, const real *B, int ldb,
                real *C, int ldc, bool acc)
{
    if (!acc)
        for (int i = 0; i < m; i++)
            memset(C + (size_t)i * (size_t)ldc, 0, (size_t)n * sizeof(real));
    /* ⟨share the product out among the threads, if it is worth it⟩ */
    #line 601 "chapters/08-fast.nw"
    int threads = pool_threads(), NR = outer_tile(m)->nv * VW, tiles = (n + NR - 1) / NR;
    if (threads > 1 && tiles > 1 && 2.0 * m * n * k >= PARALLEL_FLOPS) {
        Product p = { ta, tb, m, n, k, lda, ldb, ldc, A, B, C };
        pool_run(product_band, &p, threads < tiles ? threads : tiles);
        return;
    }
    #line 481 "chapters/08-fast.nw"
    product_here(ta, tb, m, n, k, A, lda, B, ldb, C, ldc);
}
#line 518 "chapters/08-fast.nw"
const KernelSet tiled_kernels = {
    "tiled", "the tiled product, the C library's exp and tanh",
    gemm_tiled, row_sigmoid, row_tanh
};
/* ⟨tiled.c functions⟩, continued in E2-tiles.nw */
#line 243 "chapters/E2-tiles.nw"
int tile_shapes(int kind)
{
    return kind == TILE_DOT ? COUNT(dot_tiles) : kind == TILE_ROW ? COUNT(row_tiles)
                                                                  : COUNT(outer_tiles);
}

const char *tile_name(int kind, int shape)
{
    return kind == TILE_DOT ? dot_tiles[shape].name : kind == TILE_ROW ? row_tiles[shape].name
                                                                       : outer_tiles[shape].name;
}

int tile_in_use(int kind)
{
    pthread_once(&tiles_once, time_the_tiles);
    return tile_chosen[kind];
}

double tile_timed(int kind, int shape)
{
    pthread_once(&tiles_once, time_the_tiles);
    return tile_rate[kind][shape];
}

void tile_impose(int kind, int shape)
{
    pthread_once(&tiles_once, time_the_tiles);
    tile_chosen[kind] = shape;
}
