/* tests/exercises/ex1-4.c — exercise 1.4: fast_exp, e^x by range reduction
 * and a polynomial.  Run with `make exercise EX=1.4` after adding it to
 * chapter 1.  It fails to link until fast_exp exists, and its checks fail
 * until it is within 4 units in the last place of e^x wherever e^x is a
 * normal number, and right at the ends: 0 far below, infinity far above,
 * NaN for NaN. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include "matrix.h"
#include "ref.h"

real fast_exp(real x);

Test(exercise_1_4, within_four_ulps_wherever_exp_is_normal)
{
    /* e^x is a normal real for ln(REAL_MIN) < x < ln(REAL_MAX). */
    ld lo = logl(sizeof(real) == 8 ? DBL_MIN : FLT_MIN) + 0.01L;
    ld hi = logl(sizeof(real) == 8 ? DBL_MAX : FLT_MAX) - 0.01L;
    ld worst = 0, worst_x = 0;
    Rng rng;
    rng_seed(&rng, 14, 0);
    for (int i = 0; i <= 400000; i++) {
        /* evenly over the whole range, then densely near 0 and near ln 2 / 2,
           where the range reduction switches from one k to the next */
        real x = i <= 200000 ? (real)(lo + (hi - lo) * i / 200000)
               : (real)((rng_uniform(&rng) - 0.5) * (i % 2 ? 0.1 : 2 * 0.6931471805599453));
        ld want = expl((ld)x), got = fast_exp(x);
        ld ulps = fabsl(got - want) / (want * ref_u() * 2);
        if (ulps > worst) { worst = ulps; worst_x = x; }
        cr_assert(ulps <= 4, "fast_exp(%.9g) = %.9g, want %.9Lg: %.1Lf units in the last place",
                  (double)x, (double)got, want, ulps);
    }
    cr_log_info("worst: %.2Lf units in the last place, at x = %.9Lg", worst, worst_x);
}

Test(exercise_1_4, the_ends)
{
    cr_assert(fast_exp(-1000) == 0, "fast_exp(-1000) = %g, want 0", (double)fast_exp(-1000));
    cr_assert(fast_exp(-INFINITY) == 0, "fast_exp(-inf) = %g, want 0", (double)fast_exp(-INFINITY));
    cr_assert(isinf(fast_exp(1000)) && fast_exp(1000) > 0, "fast_exp(1000) = %g, want inf", (double)fast_exp(1000));
    cr_assert(isinf(fast_exp(INFINITY)), "fast_exp(inf) = %g, want inf", (double)fast_exp(INFINITY));
    cr_assert(isnan(fast_exp(NAN)), "fast_exp(NaN) = %g, want NaN", (double)fast_exp(NAN));
    cr_assert(fast_exp(0) == 1, "fast_exp(0) = %.17g, want exactly 1", (double)fast_exp(0));
}
