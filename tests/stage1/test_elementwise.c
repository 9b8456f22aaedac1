/* tests/stage1/test_elementwise.c — the elementwise kernels, sigmoid, tanh,
 * softmax and log-softmax, against long double references, with the inputs
 * that break naive formulas: +-1e4, the float overflow edge near +-88.7, the
 * double one near +-709, zeros, subnormals and the largest finite values.
 *
 * Tolerances (u = REAL_EPSILON / 2; one unit in the last place of y is at
 * most 2u|y|):
 *  - sigmoid makes at most four rounded steps after an exponential accurate
 *    to about one ulp, tanh is documented by glibc to be within 2 ulp: both
 *    within 4 ulp = 8u|y|, plus the smallest subnormal for results that are
 *    themselves subnormal (no relative accuracy exists there).
 *  - softmax: the n exponentials have arguments z_j - c that were rounded
 *    (relative error u|z_j - c| after exp), and their sum adds n roundings:
 *    relative error below gamma(n+3) + 2u * max_k |z_k - c|.
 *  - log-softmax: the same relative error of the sum becomes an absolute
 *    error of its logarithm, plus the rounding of the log and of the two
 *    subtractions: gamma(n+3) + 2u * spread + 2u|y| + u log n.
 */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include "matrix.h"
#include "ref.h"

static const double extremes[] = {
    0.0, -0.0, 1e-45, -1e-45, 1e-40, -1e-40, 1e-30, -1e-30, 1e-8, -1e-8, 0.5, -0.5,
    1, -1, 5, -5, 20, -20, 40, -40, 87.0, -87.0, 88.0, -88.0, 88.72, -88.72, 89.0, -89.0,
    103.0, -103.0, 104.0, -104.0, 700.0, -700.0, 709.0, -709.0, 710.0, -710.0, 745.0, -745.0,
    1e4, -1e4, 1e30, -1e30, FLT_MAX, -FLT_MAX,
#ifdef LSTM_DOUBLE
    DBL_TRUE_MIN, -DBL_TRUE_MIN, 1e-310, -1e-310, 1e300, -1e300, DBL_MAX, -DBL_MAX,
#endif
};
enum { NX = sizeof extremes / sizeof extremes[0] };

static Matrix row_of_extremes(void)
{
    Matrix X = mat_new(1, NX);
    for (int j = 0; j < NX; j++) MAT(X, 0, j) = (real)extremes[j];
    return X;
}

Test(activations, sigmoid_extremes)
{
    Matrix X = row_of_extremes(), Y = mat_new(1, NX);
    mat_sigmoid(Y, X);
    for (int j = 0; j < NX; j++) {
        real x = MAT(X, 0, j), y = MAT(Y, 0, j);
        ld want = ref_sigmoid(x);
        cr_assert(!isnan(y), "sigmoid(%g) is NaN", (double)x);
        cr_assert(y >= 0 && y <= 1, "sigmoid(%g) = %g is outside [0, 1]", (double)x, (double)y);
        cr_assert(fabsl(y - want) <= 8 * ref_u() * want + REAL_TRUE_MIN,
                  "sigmoid(%g) = %.9g, want %.9Lg", (double)x, (double)y, want);
        cr_assert_eq(sigmoid(x), y, "sigmoid and mat_sigmoid disagree at %g", (double)x);
    }
    cr_assert_eq(sigmoid(0), (real)0.5);
    cr_assert_eq(sigmoid((real)-1e4), 0);
    cr_assert_eq(sigmoid((real)1e4), 1);
    mat_free(&X); mat_free(&Y);
}

Test(activations, tanh_extremes)
{
    Matrix X = row_of_extremes(), Y = mat_new(1, NX);
    mat_tanh(Y, X);
    for (int j = 0; j < NX; j++) {
        real x = MAT(X, 0, j), y = MAT(Y, 0, j);
        ld want = ref_tanh(x);
        cr_assert(!isnan(y), "tanh(%g) is NaN", (double)x);
        cr_assert(y >= -1 && y <= 1, "tanh(%g) = %g is outside [-1, 1]", (double)x, (double)y);
        cr_assert(fabsl(y - want) <= 8 * ref_u() * fabsl(want) + REAL_TRUE_MIN,
                  "tanh(%g) = %.9g, want %.9Lg", (double)x, (double)y, want);
    }
    mat_free(&X); mat_free(&Y);
}

/* Over a fine grid the activations must be monotone and accurate, and the
   sigmoid must have its symmetry sigma(-x) = 1 - sigma(x). */
Test(activations, grid_accuracy_and_monotonicity)
{
    enum { N = 200001 };
    Matrix X = mat_new(1, N), S = mat_new(1, N), T = mat_new(1, N);
    for (int j = 0; j < N; j++) MAT(X, 0, j) = (real)(-100 + 200.0 * j / (N - 1));
    mat_sigmoid(S, X);
    mat_tanh(T, X);
    for (int j = 0; j < N; j++) {
        real x = MAT(X, 0, j);
        ld s = ref_sigmoid(x), t = ref_tanh(x);
        cr_assert(fabsl(MAT(S, 0, j) - s) <= 8 * ref_u() * s + REAL_TRUE_MIN, "sigmoid(%g)", (double)x);
        cr_assert(fabsl(MAT(T, 0, j) - t) <= 8 * ref_u() * fabsl(t) + REAL_TRUE_MIN, "tanh(%g)", (double)x);
        if (j > 0) {
            cr_assert(MAT(S, 0, j) >= MAT(S, 0, j - 1), "sigmoid decreases at %g", (double)x);
            cr_assert(MAT(T, 0, j) >= MAT(T, 0, j - 1), "tanh decreases at %g", (double)x);
        }
        /* sigma(x) + sigma(-x) = 1: each side within 8u of its value. */
        cr_assert(fabsl((ld)sigmoid(x) + sigmoid(-x) - 1) <= 8 * ref_u() + 2 * REAL_TRUE_MIN,
                  "sigmoid(%g) + sigmoid(%g) != 1", (double)x, (double)-x);
    }
    mat_free(&X); mat_free(&S); mat_free(&T);
}

/* Check one row of softmax and log-softmax against references computed in
   long double by formulas other than the kernels':
     softmax_j = 1 / sum_k e^(z_k - z_j)   (a term that overflows belongs to a
                                            probability that is 0 anyway)
     log softmax_j = z_j - lse,  lse = z_max + log1p(sum_{k != max} e^(z_k - z_max)). */
static void check_softmax_row(const real *z, int n)
{
    Matrix Z = mat_new(1, n), P = mat_new(1, n), LP = mat_new(1, n);
    for (int j = 0; j < n; j++) MAT(Z, 0, j) = z[j];
    mat_softmax_rows(P, Z);
    mat_log_softmax_rows(LP, Z);
    ld c = z[0], spread = 0, total = 0;
    for (int j = 1; j < n; j++) c = fmaxl(c, z[j]);
    for (int j = 0; j < n; j++) spread = fmaxl(spread, c - z[j]);
    ld rel = ref_gamma(n + 3) + 2 * ref_u() * spread;
    int kmax = 0;
    for (int k = 1; k < n; k++) if (z[k] > z[kmax]) kmax = k;
    ld rest = 0;
    for (int k = 0; k < n; k++) if (k != kmax) rest += expl((ld)z[k] - z[kmax]);
    ld lse = z[kmax] + log1pl(rest);
    for (int j = 0; j < n; j++) {
        ld s = 0;
        for (int k = 0; k < n; k++) s += expl((ld)z[k] - z[j]);
        ld p = 1 / s, lp = z[j] - lse;
        real got = MAT(P, 0, j), lgot = MAT(LP, 0, j);
        cr_assert(!isnan(got) && !isnan(lgot), "NaN at %d (z = %g)", j, (double)z[j]);
        cr_assert(fabsl(got - p) <= rel * p + REAL_TRUE_MIN,
                  "softmax[%d] = %.9g, want %.9Lg", j, (double)got, p);
        cr_assert(fabsl(lgot - lp) <= rel + 2 * ref_u() * fabsl(lp) + ref_u() * logl(n),
                  "log-softmax[%d] = %.9g, want %.9Lg", j, (double)lgot, lp);
        total += got;
    }
    cr_assert(fabsl(total - 1) <= rel + n * REAL_TRUE_MIN, "softmax sums to %.12Lg", total);
    mat_free(&Z); mat_free(&P); mat_free(&LP);
}

Test(softmax, extreme_rows)
{
    const real r1[] = { (real)1e4, (real)-1e4, 0 };
    const real r2[] = { (real)-1e4, (real)-1e4, (real)-1e4 };
    const real r3[] = { 88, 89, 90, (real)88.72, -88, -89 };
    const real r4[] = { (real)1e4, (real)1e4 - 1, (real)1e4 - 2 };
    const real r5[] = { 0 };
    const real r6[] = { (real)1e30, (real)-1e30, 1, (real)1e-40 };
    check_softmax_row(r1, 3);
    check_softmax_row(r2, 3);
    check_softmax_row(r3, 6);
    check_softmax_row(r4, 3);
    check_softmax_row(r5, 1);
    check_softmax_row(r6, 4);
}

Test(softmax, random_rows_of_every_width)
{
    Rng rng;
    rng_seed(&rng, 99, 3);
    real z[300];
    for (int n = 1; n <= 300; n += (n < 70 ? 1 : 23))
        for (int t = 0; t < 5; t++) {
            real scale = t == 0 ? 1 : t == 1 ? 30 : t == 2 ? 100 : t == 3 ? 1000 : (real)1e4;
            for (int j = 0; j < n; j++) z[j] = (real)((2 * rng_uniform(&rng) - 1) * scale);
            check_softmax_row(z, n);
        }
}

/* Views: only the view's elements change, each row independently. */
Test(softmax, rows_of_a_view)
{
    Matrix full = mat_new(5, 9);
    mat_fill(full, 7);
    Matrix v = mat_cols(mat_rows(full, 1, 3), 2, 4);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++) MAT(v, i, j) = (real)(i * 4 + j);
    mat_softmax_rows(v, v);
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 9; j++)
            if (!(i >= 1 && i <= 3 && j >= 2 && j <= 5))
                cr_assert_eq(MAT(full, i, j), 7, "touched (%d, %d)", i, j);
    /* Every row holds the same values shifted, so every row is the same. */
    for (int i = 1; i < 3; i++)
        for (int j = 0; j < 4; j++)
            cr_assert(fabsl((ld)MAT(v, i, j) - MAT(v, 0, j)) <= 8 * ref_u());
    mat_free(&full);
}

/* The simple kernels are single correctly rounded operations per element:
   they must equal the same operation done here, bit for bit. */
Test(elementwise, simple_kernels_are_exact)
{
    Rng rng;
    rng_seed(&rng, 5, 5);
    Matrix A = mat_new(7, 65), B = mat_new(7, 65), C = mat_new(7, 65), D = mat_new(7, 65);
    mat_uniform(A, -3, 3, &rng);
    mat_uniform(B, -3, 3, &rng);
    real v[65];
    for (int j = 0; j < 65; j++) v[j] = (real)j - 30;
    mat_add(C, A, B);
    for (int i = 0; i < 7; i++) for (int j = 0; j < 65; j++) cr_assert_eq(MAT(C, i, j), MAT(A, i, j) + MAT(B, i, j));
    mat_hadamard(C, A, B);
    for (int i = 0; i < 7; i++) for (int j = 0; j < 65; j++) cr_assert_eq(MAT(C, i, j), MAT(A, i, j) * MAT(B, i, j));
    mat_copy(D, A);
    mat_scale(D, (real)0.25);
    for (int i = 0; i < 7; i++) for (int j = 0; j < 65; j++) cr_assert_eq(MAT(D, i, j), MAT(A, i, j) * (real)0.25);
    mat_copy(D, A);
    mat_axpy(D, (real)-1.5, B);
    for (int i = 0; i < 7; i++)
        for (int j = 0; j < 65; j++) {
            real want = MAT(A, i, j) + (real)-1.5 * MAT(B, i, j);
            real fused = (real)fmal(-1.5L, MAT(B, i, j), MAT(A, i, j));  /* if the compiler fused it */
            cr_assert(MAT(D, i, j) == want || MAT(D, i, j) == fused);
        }
    mat_copy(D, A);
    mat_add_row(D, v);
    for (int i = 0; i < 7; i++) for (int j = 0; j < 65; j++) cr_assert_eq(MAT(D, i, j), MAT(A, i, j) + v[j]);
    mat_fill(D, 3);
    for (int i = 0; i < 7; i++) for (int j = 0; j < 65; j++) cr_assert_eq(MAT(D, i, j), 3);
    /* In place: C = C + B. */
    mat_copy(C, A);
    mat_add(C, C, B);
    for (int i = 0; i < 7; i++) for (int j = 0; j < 65; j++) cr_assert_eq(MAT(C, i, j), MAT(A, i, j) + MAT(B, i, j));
    mat_free(&A); mat_free(&B); mat_free(&C); mat_free(&D);
}
