/* tests/stage1/test_rng.c — PCG32 against the reference implementation's
 * published outputs, reproducibility, range and uniformity, and the Xavier
 * initialisation built on it. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>
#include "matrix.h"
#include "rng.h"

/* pcg32_srandom_r(&rng, 42, 54) followed by pcg32_random_r, from the demo
   program of O'Neill's pcg-c-basic (pcg32-demo.c), whose output lists these. */
Test(rng, matches_the_reference_implementation)
{
    static const uint32_t want[] = { 0xa15c02b7u, 0x7b47f409u, 0xba1d3330u,
                                     0x83d2f293u, 0xbfa4784bu, 0xcbed606eu };
    Rng r;
    rng_seed(&r, 42, 54);
    for (int i = 0; i < 6; i++) {
        uint32_t got = rng_u32(&r);
        cr_assert_eq(got, want[i], "output %d: 0x%08x, want 0x%08x", i, got, want[i]);
    }
}

Test(rng, same_seed_same_sequence_other_seed_or_stream_other_sequence)
{
    Rng a, b, c, d;
    rng_seed(&a, 123, 1);
    rng_seed(&b, 123, 1);
    rng_seed(&c, 124, 1);
    rng_seed(&d, 123, 2);
    int differ_c = 0, differ_d = 0;
    for (int i = 0; i < 10000; i++) {
        uint32_t x = rng_u32(&a);
        cr_assert_eq(x, rng_u32(&b), "step %d", i);
        differ_c += x != rng_u32(&c);
        differ_d += x != rng_u32(&d);
    }
    cr_assert_gt(differ_c, 9990);
    cr_assert_gt(differ_d, 9990);
}

Test(rng, uniform_is_in_the_half_open_unit_interval)
{
    Rng r;
    rng_seed(&r, 1, 1);
    double sum = 0, lo = 1, hi = 0;
    enum { N = 1000000 };
    for (int i = 0; i < N; i++) {
        double x = rng_uniform(&r);
        cr_assert(x >= 0 && x < 1, "%g", x);
        sum += x;
        if (x < lo) lo = x;
        if (x > hi) hi = x;
    }
    /* mean of N uniforms: standard deviation sqrt(1/12/N) = 2.9e-4; allow 5 of them */
    cr_assert(fabs(sum / N - 0.5) < 5 * 2.9e-4, "mean %g", sum / N);
    cr_assert(lo < 1e-5 && hi > 1 - 1e-5, "range [%g, %g]", lo, hi);
}

Test(rng, below_stays_in_range)
{
    Rng r;
    rng_seed(&r, 3, 3);
    static const uint32_t ns[] = { 1, 2, 3, 7, 65, 1000, 0x80000001u, 0xffffffffu };
    for (int t = 0; t < 8; t++)
        for (int i = 0; i < 20000; i++) {
            uint32_t x = rng_below(&r, ns[t]);
            cr_assert_lt(x, ns[t], "rng_below(%u) gave %u", ns[t], x);
        }
}

/* Pearson's chi-square test of rng_below(10) over 100,000 draws: with 9
   degrees of freedom, the statistic exceeds 27.88 with probability 0.001 for a
   fair generator; the seed is fixed, so the test is deterministic. */
Test(rng, below_is_uniform_chi_square)
{
    Rng r;
    rng_seed(&r, 2026, 11);
    enum { N = 100000, K = 10 };
    long count[K] = { 0 };
    for (int i = 0; i < N; i++) count[rng_below(&r, K)]++;
    double chi2 = 0, expect = (double)N / K;
    for (int k = 0; k < K; k++) chi2 += (count[k] - expect) * (count[k] - expect) / expect;
    cr_assert_lt(chi2, 27.88, "chi-square %g", chi2);
}

/* n = 3 * 2^30: 2^32 mod n = 2^30, so the plain modulo would make 0 .. 2^30-1
   come up twice as often as the rest: half of all draws would land in the
   lowest third.  Without bias a third do. */
Test(rng, below_has_no_modulo_bias)
{
    Rng r;
    rng_seed(&r, 8, 8);
    const uint32_t n = 3u << 30;
    int low = 0;
    enum { N = 300000 };
    for (int i = 0; i < N; i++) low += rng_below(&r, n) < (1u << 30);
    /* binomial(N, 1/3): standard deviation 258; the biased answer is 50000 away */
    cr_assert(fabs(low - N / 3.0) < 5 * 258, "%d of %d in the lowest third", low, N);
}

Test(init, xavier_range_variance_and_reproducibility)
{
    Rng r1, r2, r3;
    rng_seed(&r1, 17, 0);
    rng_seed(&r2, 17, 0);
    rng_seed(&r3, 18, 0);
    Matrix W = mat_new(1024, 256), W2 = mat_new(1024, 256), W3 = mat_new(1024, 256);
    mat_xavier(W, &r1);
    mat_xavier(W2, &r2);
    mat_xavier(W3, &r3);
    double a = sqrt(6.0 / (1024 + 256)), sum = 0, sum2 = 0;
    for (int i = 0; i < 1024; i++)
        for (int j = 0; j < 256; j++) {
            double w = MAT(W, i, j);
            cr_assert(fabs(w) <= a * (1 + 1e-6), "w = %g, a = %g", w, a);
            sum += w;
            sum2 += w * w;
        }
    double n = 1024.0 * 256, mean = sum / n, var = sum2 / n - mean * mean;
    /* var of U(-a, a) is a^2/3; with n = 262144 samples its estimate has a
       relative standard deviation of sqrt(0.8 / n) = 0.17%: allow 1% */
    cr_assert(fabs(var / (a * a / 3) - 1) < 0.01, "variance %g, want %g", var, a * a / 3);
    cr_assert(fabs(mean) < 5 * a / sqrt(3 * n), "mean %g", mean);
    cr_assert(memcmp(W.data, W2.data, sizeof(real) * 1024 * 256) == 0, "same seed, different weights");
    cr_assert(memcmp(W.data, W3.data, sizeof(real) * 1024 * 256) != 0, "other seed, same weights");
    mat_free(&W); mat_free(&W2); mat_free(&W3);
}

/* A view is filled element by element in row order: the same seed gives the
   same values whether or not the matrix has padding. */
Test(init, uniform_fills_views_like_whole_matrices)
{
    Rng r1, r2;
    rng_seed(&r1, 5, 1);
    rng_seed(&r2, 5, 1);
    Matrix plain = mat_new(3, 4), padded = mat_new(3, 9);
    mat_fill(padded, 42);
    Matrix view = mat_cols(padded, 2, 4);
    mat_uniform(plain, -2, 3, &r1);
    mat_uniform(view, -2, 3, &r2);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 9; j++) {
            if (j >= 2 && j < 6) cr_assert_eq(MAT(view, i, j - 2), MAT(plain, i, j - 2));
            else cr_assert_eq(MAT(padded, i, j), 42);
        }
    mat_free(&plain); mat_free(&padded);
}
