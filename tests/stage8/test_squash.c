/* tests/stage8/test_squash.c — chapter 8's vector sigmoid and tanh.
 *
 * Accuracy, against long double references (ref.h: 1 / (1 + e^-x) and
 * expm1(2x) / (expm1(2x) + 2), formulas other than the kernels'), with the
 * bound 4u |f(x)| + REAL_TRUE_MIN: the reduction and the Taylor polynomial
 * give e^r - 1 within about 1.5u of its value (truncation 0.25u, Horner's
 * rounding about 1u), and what follows adds at most three roundings of
 * numbers no larger than the result (1 + e and the division for the
 * sigmoid; the scaling by 2^k, 2 + m and the division for tanh), where the
 * derivative of -m / (2 + m) with respect to m, relative, is at most 2.
 * A subnormal result has an absolute error below the smallest subnormal.
 * (A polynomial one degree short, or a reduction without the split ln 2,
 * fails this: the truncation alone would then be several u.)
 *
 * Consistency: a number's sigmoid does not depend on its position in the
 * array, the array's length or its alignment (the last few numbers take the
 * padded vector), and mat_sigmoid / mat_tanh on strided views give the same
 * bits as vec_sigmoid / vec_tanh.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <tgmath.h>
#include "matrix.h"
#include "ref.h"
#include "vecmath.h"
#include "vector.h"

enum { N = 1 << 18 };

/* Points where trouble would show: uniform over [-120, 120] (beyond both
   clamps), powers of two from the subnormals up, both signs, and the edges
   of the clamps and of the polynomial's interval. */
static int test_points(real *x)
{
    Rng rng;
    rng_seed(&rng, 8, 1);
    int n = 0;
    for (int i = 0; i < N / 2; i++)
        x[n++] = (real)(240 * rng_uniform(&rng) - 120);
    int lo = sizeof(real) == 4 ? -149 : -1074;
    for (int e = lo; e <= 7; e++)
        for (int s = 0; s < 8; s++) {
            real v = (real)ldexp(1 + s / 8.0, e);
            x[n++] = v;
            x[n++] = -v;
        }
    const real edges[] = { 0, -(real)0, (real)0.34657359, (real)-0.34657359, 32, -32,
                           (real)-103.9, -104, (real)-104.1, -745, -746, 88, 89, 709, 710 };
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
        x[n++] = edges[i];
        x[n++] = nextafter(edges[i], (real)1000);
        x[n++] = nextafter(edges[i], (real)-1000);
    }
    return n;
}

static void check_accuracy(bool is_tanh)
{
    real *x = calloc(N, sizeof *x), *y = calloc(N, sizeof *y);
    int n = test_points(x);
    (is_tanh ? vec_tanh : vec_sigmoid)(y, x, n);
    ld u = ref_u(), worst = 0;
    for (int i = 0; i < n; i++) {
        ld want = is_tanh ? ref_tanh(x[i]) : ref_sigmoid(x[i]);
        ld err = fabsl((ld)y[i] - want), bound = 4 * u * fabsl(want) + REAL_TRUE_MIN;
        cr_assert(err <= bound, "%s(%.9g) = %.9g, want %.12Lg (error %.3Lg u)",
                  is_tanh ? "tanh" : "sigmoid", (double)x[i], (double)y[i], want,
                  err / (u * fabsl(want)));
        if (fabsl(want) > 1e-30L) worst = fmaxl(worst, err / (u * fabsl(want)));   /* normal results */
    }
    cr_log_info("%s: worst error %.2Lf u over %d points", is_tanh ? "tanh" : "sigmoid", worst, n);
    free(x); free(y);
}

Test(squash, sigmoid_is_accurate) { check_accuracy(false); }
Test(squash, tanh_is_accurate)    { check_accuracy(true); }

Test(squash, special_values)
{
    real x[] = { INFINITY, -INFINITY, NAN, 0, -(real)0 }, s[5], t[5];
    vec_sigmoid(s, x, 5);
    vec_tanh(t, x, 5);
    cr_assert(s[0] == 1 && s[1] == 0 && isnan(s[2]) && s[3] == (real)0.5 && s[4] == (real)0.5);
    cr_assert(t[0] == 1 && t[1] == -1 && isnan(t[2]));
    cr_assert(t[3] == 0 && !signbit(t[3]) && t[4] == 0 && signbit(t[4]), "tanh keeps the sign of zero");
    /* the output range holds everywhere: sigma in [0, 1], tanh in [-1, 1] */
    real *p = calloc(N, sizeof *p), *y = calloc(N, sizeof *y);
    int n = test_points(p);
    vec_sigmoid(y, p, n);
    for (int i = 0; i < n; i++) cr_assert(y[i] >= 0 && y[i] <= 1, "sigmoid(%g) = %g", (double)p[i], (double)y[i]);
    vec_tanh(y, p, n);
    for (int i = 0; i < n; i++) cr_assert(fabs(y[i]) <= 1 && (y[i] < 0) == (p[i] < 0));
    free(p); free(y);
}

/* Every length from 0 to 3 vectors and one, at every misalignment: each
   number comes out as it does alone (n = 1, the padded vector), and nothing
   beyond n is written. */
Test(squash, a_number_does_not_depend_on_its_lane)
{
    enum { M = 3 * VW + 1, PAD = VW + 2 };
    Rng rng;
    rng_seed(&rng, 8, 2);
    real x[M + PAD], y[M + PAD + 1], alone[2][M + PAD];
    for (int i = 0; i < M + PAD; i++) x[i] = (real)(20 * rng_uniform(&rng) - 10);
    for (int i = 0; i < M + PAD; i++) {
        vec_sigmoid(&alone[0][i], &x[i], 1);
        vec_tanh(&alone[1][i], &x[i], 1);
    }
    for (int f = 0; f < 2; f++)
        for (int off = 0; off < PAD; off++)
            for (int n = 0; n <= M; n++) {
                for (int i = 0; i <= M + PAD; i++) y[i] = 7;
                (f ? vec_tanh : vec_sigmoid)(y + off, x + off, n);
                for (int i = 0; i <= M + PAD; i++) {
                    bool inside = i >= off && i < off + n;
                    if (inside)
                        cr_assert(y[i] == alone[f][i], "f=%d off=%d n=%d i=%d", f, off, n, i);
                    else
                        cr_assert(y[i] == 7, "wrote outside: f=%d off=%d n=%d i=%d", f, off, n, i);
                }
            }
}

Test(squash, in_place_and_through_the_matrix_kernels)
{
    Rng rng;
    rng_seed(&rng, 8, 3);
    Matrix X = mat_new(5, 2 * VW + 5), Y = mat_new(5, 2 * VW + 5);
    mat_uniform(X, -30, 30, &rng);
    Matrix x = mat_cols(X, 1, 2 * VW + 3), y = mat_cols(Y, 2, 2 * VW + 3);   /* strided views */
    for (int f = 0; f < 2; f++) {
        (f ? mat_tanh : mat_sigmoid)(y, x);
        for (int i = 0; i < x.rows; i++) {
            real row[2 * VW + 3];
            memcpy(row, &MAT(x, i, 0), sizeof row);
            (f ? vec_tanh : vec_sigmoid)(row, row, x.cols);                  /* in place */
            cr_assert(memcmp(row, &MAT(y, i, 0), sizeof row) == 0, "f=%d row %d", f, i);
        }
    }
    mat_free(&X); mat_free(&Y);
}
