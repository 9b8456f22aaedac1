/* tests/stage8/test_tiled.c — the tiled kernel of chapter 8 where chapter 1's
 * sizes do not reach it: more than one packed block in every direction, the
 * LSTM's own shapes against the blocked kernel, the few-rows path, the
 * kernel set behind mat_mul, and the pool of threads (appendix D).
 *
 * Tolerances: against the long double reference, chapter 1's bound
 * gamma(k) sum|a||b| (+ gamma(k+1)|C0| with accumulation; see ref.h).
 * Against the blocked kernel, both results are within gamma(k) sum|a||b| of
 * the exact sum, so they are within 2 gamma(k) sum|a||b| of each other.
 */
#define _POSIX_C_SOURCE 200809L   /* setenv */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "matrix.h"
#include "pool.h"
#include "ref.h"
#include "tiled.h"
#include "vecmath.h"
#include "vector.h"

/* C [+]= op(A) op(B) by gemm_tiled on strided views, against the reference. */
static void check_against_reference(int ta, int tb, int m, int n, int k, int acc, Rng *rng)
{
    Matrix Af = ta ? mat_new(k, m + 3) : mat_new(m, k + 3);
    Matrix Bf = tb ? mat_new(n, k + 1) : mat_new(k, n + 1);
    Matrix Cf = mat_new(m, n + 2);
    mat_uniform(Af, -1, 1, rng);
    mat_uniform(Bf, -1, 1, rng);
    mat_uniform(Cf, -1, 1, rng);
    Matrix A = mat_cols(Af, 2, ta ? m : k), B = mat_cols(Bf, 1, tb ? k : n), C = mat_cols(Cf, 1, n);
    Matrix C0 = mat_new(m, n);
    mat_copy(C0, C);
    gemm_tiled(ta, tb, m, n, k, A.data, A.stride, B.data, B.stride, C.data, C.stride, acc);
    for (int i = 0; i < m; i++) {
        cr_assert(MAT(Cf, i, 0) == MAT(Cf, i, 0) && MAT(Cf, i, n + 1) == MAT(Cf, i, n + 1));
        for (int j = 0; j < n; j++) {
            ld sum, mag;
            ref_dot(A, ta, B, tb, i, j, k, &sum, &mag);
            ld c0 = acc ? MAT(C0, i, j) : 0;
            ld bound = (acc ? ref_gamma(k + 1) : ref_gamma(k)) * (fabsl(c0) + mag) + REAL_TRUE_MIN;
            cr_assert(fabsl(MAT(C, i, j) - (sum + c0)) <= bound,
                      "ta=%d tb=%d m=%d n=%d k=%d acc=%d: C[%d][%d] = %.9g, want %.9Lg",
                      ta, tb, m, n, k, acc, i, j, (double)MAT(C, i, j), sum + c0);
        }
    }
    mat_free(&Af); mat_free(&Bf); mat_free(&Cf); mat_free(&C0);
}

Test(tiled, larger_than_one_packed_block_in_every_form)
{
    Rng rng;
    rng_seed(&rng, 88, 1);
    for (int form = 0; form < 4; form++)
        for (int acc = 0; acc <= 1; acc++) {
            check_against_reference(form & 1, form >> 1, 19, 1031, 9, acc, &rng);  /* n: 3 blocks */
            check_against_reference(form & 1, form >> 1, 13, 37, 777, acc, &rng);  /* k: 4 blocks */
        }
}

Test(tiled, one_row_and_a_few)
{
    Rng rng;
    rng_seed(&rng, 88, 2);
    for (int m = 1; m < 9; m++)
        for (int form = 0; form < 4; form++)
            check_against_reference(form & 1, form >> 1, m, 67, 259, m & 1, &rng);
}

Test(tiled, lstm_shapes_agree_with_the_blocked_kernel)
{
    static const struct { int ta, tb, m, n, k; } shapes[] = {
        { 0, 1, 32, 1024, 256 },   /* gates: h W_hh^T */
        { 0, 0, 32, 256, 1024 },   /* backward: dG W_hh */
        { 1, 0, 1024, 256, 320 },  /* dW_hh = dG^T h over 10 steps */
        { 0, 1, 320, 65, 256 },    /* decoder: h W_y^T */
        { 0, 1, 1, 1024, 256 },    /* sampling: one row */
    };
    Rng rng;
    rng_seed(&rng, 88, 3);
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        int ta = shapes[s].ta, tb = shapes[s].tb, m = shapes[s].m, n = shapes[s].n, k = shapes[s].k;
        Matrix A = ta ? mat_new(k, m) : mat_new(m, k), B = tb ? mat_new(n, k) : mat_new(k, n);
        Matrix C1 = mat_new(m, n), C2 = mat_new(m, n);
        mat_uniform(A, -1, 1, &rng);
        mat_uniform(B, -1, 1, &rng);
        gemm_blocked(ta, tb, m, n, k, A.data, A.stride, B.data, B.stride, C1.data, C1.stride, false);
        gemm_tiled(ta, tb, m, n, k, A.data, A.stride, B.data, B.stride, C2.data, C2.stride, false);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                ld mag = 0;
                for (int p = 0; p < k; p++) mag += fabsl(ref_op(A, ta, i, p) * ref_op(B, tb, p, j));
                ld bound = 2 * ref_gamma(k) * mag + REAL_TRUE_MIN;
                cr_assert(fabsl((ld)MAT(C1, i, j) - MAT(C2, i, j)) <= bound,
                          "shape %zu: C[%d][%d]: blocked %.9g, tiled %.9g", s, i, j,
                          (double)MAT(C1, i, j), (double)MAT(C2, i, j));
            }
        mat_free(&A); mat_free(&B); mat_free(&C1); mat_free(&C2);
    }
}

/* Every shape of tile (appendix E's lists) adds the same terms in the same
   order, so the one the timing chooses changes no result: on sizes with an
   edge in every direction and more than one block of terms and of columns,
   each shape's product equals the first shape's bit for bit, in every form
   the kind serves, and is within the error bound of the exact product. */
Test(tiled, every_shape_of_tile_gives_the_same_bits)
{
    static const struct { int kind, ta, tb, m; } cases[] = {
        { TILE_OUTER, 0, 0, 37 }, { TILE_OUTER, 1, 0, 37 }, { TILE_OUTER, 1, 1, 37 },
        { TILE_TALL, 0, 0, 97 }, { TILE_TALL, 1, 0, 97 }, { TILE_TALL, 1, 1, 97 },
        { TILE_DOT, 0, 1, 37 }, { TILE_DOT, 0, 1, 2 }, { TILE_DOT, 0, 1, 5 }, { TILE_ROW, 0, 1, 1 },
    };
    Rng rng;
    rng_seed(&rng, 88, 9);
    int n = 1031, k = 301;   /* n: 3 blocks of columns, k: 2 blocks of terms, neither a multiple of W */
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        int kind = cases[c].kind, ta = cases[c].ta, tb = cases[c].tb, m = cases[c].m;
        int chosen = tile_in_use(kind);
        cr_assert(tile_shapes(kind) >= 2 && tile_shapes(kind) <= TILE_MAX, "kind %d: %d shapes", kind,
                  tile_shapes(kind));
        cr_assert(chosen >= 0 && chosen < tile_shapes(kind));
        Matrix A = ta ? mat_new(k, m) : mat_new(m, k), B = tb ? mat_new(n, k) : mat_new(k, n);
        Matrix C0 = mat_new(m, n), first = mat_new(m, n), C = mat_new(m, n);
        mat_uniform(A, -1, 1, &rng);
        mat_uniform(B, -1, 1, &rng);
        mat_uniform(C0, -1, 1, &rng);
        for (int s = 0; s < tile_shapes(kind); s++) {
            cr_assert(tile_timed(kind, s) > 0, "shape %s was not timed", tile_name(kind, s));
            tile_impose(kind, s);
            cr_assert_eq(tile_in_use(kind), s);
            mat_copy(C, C0);
            gemm_tiled(ta, tb, m, n, k, A.data, A.stride, B.data, B.stride, C.data, C.stride, true);
            if (s == 0) mat_copy(first, C);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    cr_assert(memcmp(&MAT(C, i, j), &MAT(first, i, j), sizeof(real)) == 0,
                              "kind %d, ta=%d tb=%d m=%d: C[%d][%d] is %.9g with %s, %.9g with %s",
                              kind, ta, tb, m, i, j, (double)MAT(C, i, j), tile_name(kind, s),
                              (double)MAT(first, i, j), tile_name(kind, 0));
                    ld sum, mag;
                    ref_dot(A, ta, B, tb, i, j, k, &sum, &mag);
                    ld want = sum + MAT(C0, i, j);
                    ld bound = ref_gamma(k + 1) * (fabsl((ld)MAT(C0, i, j)) + mag) + REAL_TRUE_MIN;
                    cr_assert(fabsl(MAT(C, i, j) - want) <= bound, "%s: C[%d][%d] = %.9g, want %.9Lg",
                              tile_name(kind, s), i, j, (double)MAT(C, i, j), want);
                }
        }
        tile_impose(kind, chosen);
        mat_free(&A); mat_free(&B); mat_free(&C0); mat_free(&first); mat_free(&C);
    }
}

/* A dot product of W terms is its W lanes added by the tree of chapter 8's
   figure: lane l + W/2 onto lane l, then l + W/4, ..., then l + 1; with
   one row of A and with several, with every shape of dot tile.  Terms of
   very different sizes make the order show: the test checks that adding
   them front to back gives another number (where W > 2: with two lanes,
   the tree is front to back). */
Test(tiled, the_lanes_are_added_halves_first)
{
    enum { M = 5, N = 7 };
    Rng rng;
    rng_seed(&rng, 88, 10);
    Matrix A = mat_new(M, VW), B = mat_new(N, VW), C = mat_new(M, N);
    for (int i = 0; i < M; i++)   /* every bit of the significand used, 2^-8 to 2^8 */
        for (int l = 0; l < VW; l++) {
            double u = rng_uniform(&rng) - 0.5 + ldexp(rng_uniform(&rng), -32);
            MAT(A, i, l) = (real)ldexp(u, (int)(rng_uniform(&rng) * 16) - 8);
        }
    mat_fill(B, 1);
    bool order_shows = false;
    for (int kind = TILE_DOT; kind <= TILE_ROW; kind++) {
        int chosen = tile_in_use(kind), m = kind == TILE_ROW ? 1 : M;
        for (int s = 0; s < tile_shapes(kind); s++) {
            tile_impose(kind, s);
            gemm_tiled(false, true, m, N, VW, A.data, A.stride, B.data, B.stride, C.data, C.stride, false);
            for (int i = 0; i < m; i++) {
                real t[VW], front = 0;
                for (int l = 0; l < VW; l++) t[l] = MAT(A, i, l), front += MAT(A, i, l);
                for (int w = VW / 2; w > 0; w /= 2)
                    for (int l = 0; l < w; l++) t[l] += t[l + w];
                order_shows |= front != t[0];
                for (int j = 0; j < N; j++)
                    cr_assert(memcmp(&MAT(C, i, j), &t[0], sizeof(real)) == 0,
                              "%s: row %d: %.9g, the tree gives %.9g", tile_name(kind, s), i,
                              (double)MAT(C, i, j), (double)t[0]);
            }
        }
        tile_impose(kind, chosen);
    }
    cr_assert(order_shows || VW <= 2, "the terms add up the same in any order: the test cannot tell");
    mat_free(&A); mat_free(&B); mat_free(&C);
}

/* The kernel set in use is what every product and every row of gates goes
   through: fast by default in stage 8; a set chosen by name from then on,
   bit for bit its own kernels; a name that is no set changes nothing. */
Test(tiled, the_kernel_set_chosen_is_what_mat_mul_and_the_gates_use)
{
    Rng rng;
    rng_seed(&rng, 88, 4);
    Matrix A = mat_new(9, 5), B = mat_new(5, 7), C = mat_new(9, 7), Cref = mat_new(9, 7);
    Matrix X = mat_new(3, 40), Y = mat_new(3, 40), Yref = mat_new(3, 40);
    mat_uniform(A, -1, 1, &rng); mat_uniform(B, -1, 1, &rng); mat_uniform(X, -9, 9, &rng);
    cr_assert_str_eq(kernels()->name, "fast", "stage 8 computes with the last set");
    cr_assert(kernel_sets[0] == &reference_kernels);
    static const struct { const char *name; GemmFn *gemm; void (*sig)(real *, const real *, int); } sets[] = {
        { "reference", gemm_blocked, row_sigmoid }, { "tiled", gemm_tiled, row_sigmoid },
        { "fast", gemm_tiled, vec_sigmoid },
    };
    for (int s = 0; s < 3; s++) {
        cr_assert(kernels_choose(sets[s].name) != NULL, "no kernel set %s", sets[s].name);
        cr_assert_str_eq(kernels()->name, sets[s].name);
        mat_mul(C, A, B, false);
        sets[s].gemm(false, false, 9, 7, 5, A.data, A.stride, B.data, B.stride, Cref.data, Cref.stride, false);
        cr_assert(memcmp(C.data, Cref.data, sizeof(real) * 63) == 0, "%s: mat_mul is its kernel", sets[s].name);
        mat_sigmoid(Y, X);
        for (int r = 0; r < 3; r++) sets[s].sig(&MAT(Yref, r, 0), &MAT(X, r, 0), 40);
        cr_assert(memcmp(Y.data, Yref.data, sizeof(real) * 120) == 0, "%s: mat_sigmoid is its sigmoid",
                  sets[s].name);
    }
    cr_assert(kernels_choose("nonesuch") == NULL);
    cr_assert_str_eq(kernels()->name, "fast", "a name that is no set changes nothing");
    /* the sets must differ where they say they do, or the test above proves nothing */
    kernels_choose("reference");
    mat_sigmoid(Yref, X);
    kernels_choose("fast");
    mat_sigmoid(Y, X);
    cr_assert(memcmp(Y.data, Yref.data, sizeof(real) * 120) != 0, "the C library's sigmoid and the "
              "vector one agree in every bit on 120 numbers: the test cannot tell them apart");
    mat_free(&A); mat_free(&B); mat_free(&C); mat_free(&Cref);
    mat_free(&X); mat_free(&Y); mat_free(&Yref);
}

/* Chapters 2 and 3 compare B rows at once with rows one at a time, and a
   whole sequence with steps, exactly: every element of a product must come
   out bit for bit the same whatever the rows computed with it.  Here: all
   m rows, each row alone, and a group of rows from the middle, in every
   form, with k long enough to cross a block of terms. */
Test(tiled, every_element_is_the_same_whatever_the_other_rows)
{
    Rng rng;
    rng_seed(&rng, 88, 5);
    const int m = 13, n = 37, k = 300;
    for (int form = 0; form < 4; form++) {
        int ta = form & 1, tb = form >> 1;
        Matrix A = ta ? mat_new(k, m) : mat_new(m, k), B = tb ? mat_new(n, k) : mat_new(k, n);
        Matrix C = mat_new(m, n), Cr = mat_new(m, n), C0 = mat_new(m, n);
        mat_uniform(A, -1, 1, &rng);
        mat_uniform(B, -1, 1, &rng);
        mat_uniform(C0, -1, 1, &rng);
        for (int acc = 0; acc <= 1; acc++) {
            mat_copy(C, C0);
            mat_copy(Cr, C0);
            gemm_tiled(ta, tb, m, n, k, A.data, A.stride, B.data, B.stride, C.data, C.stride, acc);
            for (int split = 0; split < 2; split++) {
                mat_copy(Cr, C0);
                for (int first = 0; first < m;) {
                    int rows = split == 0 ? 1 : (first == 3 ? 7 : 1);
                    const real *a = ta ? A.data + first : A.data + (size_t)first * (size_t)A.stride;
                    gemm_tiled(ta, tb, rows, n, k, a, A.stride, B.data, B.stride,
                               Cr.data + (size_t)first * (size_t)Cr.stride, Cr.stride, acc);
                    first += rows;
                }
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++)
                        cr_assert(MAT(C, i, j) == MAT(Cr, i, j),
                                  "form %d acc %d split %d: C[%d][%d] = %.9g with all rows, %.9g",
                                  form, acc, split, i, j, (double)MAT(C, i, j), (double)MAT(Cr, i, j));
            }
        }
        mat_free(&A); mat_free(&B); mat_free(&C); mat_free(&Cr); mat_free(&C0);
    }
}

/* The threads share a product out in bands of columns; every element must
   come out the same, bit for bit, for any number of threads, in every form,
   on products large enough to be shared (and one too small to be). */
Test(tiled, the_same_for_any_number_of_threads)
{
    static const struct { int m, n, k; } shapes[] = {
        { 32, 1024, 256 }, { 37, 515, 300 }, { 1, 4096, 300 }, { 200, 33, 400 }, { 3, 5, 7 },
    };
    Rng rng;
    rng_seed(&rng, 88, 6);
    int before = pool_threads();
    pool_share_always(true);       /* shared out even where it would not pay */
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
        for (int form = 0; form < 4; form++) {
            int ta = form & 1, tb = form >> 1, m = shapes[s].m, n = shapes[s].n, k = shapes[s].k;
            Matrix A = ta ? mat_new(k, m) : mat_new(m, k), B = tb ? mat_new(n, k) : mat_new(k, n);
            Matrix C1 = mat_new(m, n), Ct = mat_new(m, n);
            mat_uniform(A, -1, 1, &rng);
            mat_uniform(B, -1, 1, &rng);
            pool_set_threads(1);
            gemm_tiled(ta, tb, m, n, k, A.data, A.stride, B.data, B.stride, C1.data, C1.stride, false);
            for (int threads = 2; threads <= 5; threads++) {
                pool_set_threads(threads);
                cr_assert_eq(pool_threads(), threads);
                mat_fill(Ct, 0.5);
                gemm_tiled(ta, tb, m, n, k, A.data, A.stride, B.data, B.stride, Ct.data, Ct.stride, false);
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++)
                        cr_assert(MAT(C1, i, j) == MAT(Ct, i, j),
                                  "%d threads, form %d, %dx%dx%d: C[%d][%d] = %.9g, 1 thread %.9g",
                                  threads, form, m, n, k, i, j, (double)MAT(Ct, i, j), (double)MAT(C1, i, j));
            }
            mat_free(&A); mat_free(&B); mat_free(&C1); mat_free(&Ct);
        }
    pool_share_always(false);
    pool_set_threads(before);
}

/* The pool's handshake: many products in a row, each just large enough to be
   shared (the sampler's size), with the number of threads changing between
   bursts (workers started late must not take an old job for a new one), and
   pauses longer than the spin, so that the workers fall asleep and must be
   woken.  A lost wake-up hangs (Criterion's timeout fails it); a worker that
   computed a stale job or skipped its band gives other numbers. */
Test(tiled, the_pool_wakes_and_hands_over_every_job, .timeout = 60)
{
    enum { M = 1, N = 1024, K = 128, ROUNDS = 400 };
    Rng rng;
    rng_seed(&rng, 88, 7);
    int before = pool_threads();
    Matrix A = mat_new(M, K), B = mat_new(N, K), C1 = mat_new(M, N), Ct = mat_new(M, N);
    mat_uniform(B, -1, 1, &rng);
    static const int counts[] = { 2, 3, 2, 4, 2 };
    pool_share_always(true);
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++)
        for (int r = 0; r < ROUNDS; r++) {
            mat_uniform(A, -1, 1, &rng);
            pool_set_threads(1);
            gemm_tiled(false, true, M, N, K, A.data, A.stride, B.data, B.stride, C1.data, C1.stride, false);
            pool_set_threads(counts[c]);
            if (r % 100 == 99) nanosleep(&(struct timespec){ 0, 2000000 }, NULL);   /* 2 ms: asleep */
            mat_fill(Ct, 0.5);
            gemm_tiled(false, true, M, N, K, A.data, A.stride, B.data, B.stride, Ct.data, Ct.stride, false);
            cr_assert(memcmp(C1.data, Ct.data, N * sizeof(real)) == 0, "%d threads, round %d", counts[c], r);
        }
    mat_free(&A); mat_free(&B); mat_free(&C1); mat_free(&Ct);
    pool_share_always(false);
    pool_set_threads(before);
}

/* A job whose band 1 takes far longer than band 0: whoever runs it, sharing
   cannot pay, so the pool must soon run jobs alone in the caller (and every
   band of those in the caller's thread); told to share always, it must not. */
static pthread_t uneven_caller;
static atomic_int uneven_elsewhere;   /* bands of this job run by another thread */
static void uneven_job(void *arg, int band, int bands)
{
    (void)arg; (void)bands;
    if (!pthread_equal(pthread_self(), uneven_caller)) atomic_fetch_add(&uneven_elsewhere, 1);
    if (band == 1) nanosleep(&(struct timespec){ 0, 200000 }, NULL);   /* 0.2 ms */
}

Test(tiled, the_pool_runs_alone_when_sharing_does_not_pay, .timeout = 60)
{
    int before = pool_threads();
    pool_set_threads(2);
    uneven_caller = pthread_self();
    pool_share_always(true);
    long alone = pool_jobs_alone();
    for (int j = 0; j < 100; j++) pool_run(uneven_job, NULL, 2);
    cr_assert_eq(pool_jobs_alone(), alone, "told to share always, the pool ran %ld jobs alone",
                 pool_jobs_alone() - alone);
    pool_share_always(false);
    for (int j = 0; j < 300; j++) {
        long a = pool_jobs_alone();
        atomic_store(&uneven_elsewhere, 0);
        pool_run(uneven_job, NULL, 2);
        if (pool_jobs_alone() > a)       /* it ran alone: all of it in this thread */
            cr_assert_eq(atomic_load(&uneven_elsewhere), 0, "job %d ran alone, but a band ran elsewhere", j);
    }
    cr_assert(pool_jobs_alone() > alone, "300 jobs that sharing cannot speed up, and none ran alone");
    pool_set_threads(before);
}

/* pool_set_threads(0) takes LSTM_THREADS when it is a whole number from 1
   to 64, and otherwise (with a warning) one thread per processor, as when
   it is not set. */
Test(tiled, threads_from_the_environment)
{
    int before = pool_threads();
    unsetenv("LSTM_THREADS");
    pool_set_threads(0);
    int fallback = pool_threads();
    cr_assert(fallback >= 1 && fallback <= 64);
    static const char *bad[] = { "zero", "3x", "", "0", "-2", "65", "99999999999999999999", " " };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setenv("LSTM_THREADS", bad[i], 1);
        pool_set_threads(0);
        cr_assert_eq(pool_threads(), fallback, "LSTM_THREADS='%s' gave %d threads, not %d",
                     bad[i], pool_threads(), fallback);
    }
    for (int good = 1; good <= 64; good += 21) {
        char text[16];
        snprintf(text, sizeof text, "%d", good);
        setenv("LSTM_THREADS", text, 1);
        pool_set_threads(0);
        cr_assert_eq(pool_threads(), good);
    }
    pool_set_threads(1000);
    cr_assert_eq(pool_threads(), 64, "at most MAX_THREADS");
    unsetenv("LSTM_THREADS");
    pool_set_threads(before);
}
