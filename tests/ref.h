/* tests/ref.h — reference computations for the tests, in long double.
 *
 * These are deliberately independent of the book's code: they do not include
 * textbook.h and share nothing with matrix.c but the Matrix type, so that a
 * bug in a kernel cannot hide behind the same bug in its reference.
 *
 * Tolerances come from rounding-error analysis, not from trial and error.
 * With u = REAL_EPSILON / 2 (the unit roundoff of real), a sum of k products
 * computed in any order, with or without fused multiply-add, is within
 * gamma(k) * sum |a_p| |b_p| of the exact sum, gamma(k) = k u / (1 - k u)
 * (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., eq. 3.5).
 * The references here are computed in long double (64-bit significand on
 * x86-64), 2^11 times finer than double, so their own error is negligible
 * even in the double build.
 */
#ifndef TESTS_REF_H
#define TESTS_REF_H
#include <math.h>
#include <stddef.h>
#include "matrix.h"

typedef long double ld;

static inline ld ref_u(void) { return (ld)REAL_EPSILON / 2; }
static inline ld ref_gamma(int k) { return k * ref_u() / (1 - k * ref_u()); }

/* Element (i, j) of op(M): M itself, or M transposed. */
static inline ld ref_op(Matrix M, int trans, int i, int j)
{
    return trans ? (ld)MAT(M, j, i) : (ld)MAT(M, i, j);
}

/* The exact-as-we-can product sum and its magnitude sum |a||b|. */
static inline void ref_dot(Matrix A, int ta, Matrix B, int tb, int i, int j, int k,
                           ld *sum, ld *mag)
{
    ld s = 0, a = 0;
    for (int p = 0; p < k; p++) {
        ld x = ref_op(A, ta, i, p), y = ref_op(B, tb, p, j);
        s += x * y;
        a += fabsl(x * y);
    }
    *sum = s;
    *mag = a;
}

/* The logistic sigmoid, from its definition, safe in long double for any
   float or double input (expl overflows only beyond 11356). */
static inline ld ref_sigmoid(ld x)
{
    return x > 11000 ? 1 : x < -11000 ? 0 : 1 / (1 + expl(-x));
}

/* tanh x = (e^2x - 1) / (e^2x + 1) = expm1(2x) / (expm1(2x) + 2): a different
   formula from the C library's, with no cancellation near 0 thanks to expm1.
   Beyond |x| = 40 tanh is +-1 to within 4e-35, far below long double's
   resolution, and expm1(2x) would overflow beyond x = 5678. */
static inline ld ref_tanh(ld x)
{
    if (fabsl(x) > 40) return x > 0 ? 1 : -1;
    ld e = expm1l(2 * x);
    return e / (e + 2);
}

#endif
