#line 815 "chapters/08-fast.nw"
/* vecmath.c — the exponential, the sigmoid and tanh, VW numbers at a time. */
#include <stdint.h>
#include <string.h>
#include "tiled.h"
#include "vecmath.h"
#include "vector.h"

/* ⟨vecmath.c helpers⟩ */
#line 668 "chapters/08-fast.nw"
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
#line 764 "chapters/08-fast.nw"
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
#line 827 "chapters/08-fast.nw"
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
/* ⟨vecmath.c functions⟩ */
#line 846 "chapters/08-fast.nw"
void vec_sigmoid(real *y, const real *x, int n) { apply_lanes(sigmoid_lanes, y, x, n); }
void vec_tanh(real *y, const real *x, int n)    { apply_lanes(tanh_lanes, y, x, n); }
#line 860 "chapters/08-fast.nw"
const KernelSet fast_kernels = {
    "fast", "the tiled product, the gates in vector form",
    gemm_tiled, vec_sigmoid, vec_tanh
};
