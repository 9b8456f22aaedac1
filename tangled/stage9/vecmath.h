#line 800 "chapters/08-fast.nw"
/* vecmath.h — the sigmoid and tanh in vector form, and the kernel set that
   uses them. */
#ifndef VECMATH_H
#define VECMATH_H
#include "matrix.h"

/* y[0..n) = sigma(x[0..n)) and tanh(x[0..n)), VW numbers at a time; y may be x.
   Within 4 units in the last place, for every real x. */
void vec_sigmoid(real *y, const real *x, int n);
void vec_tanh(real *y, const real *x, int n);
extern const KernelSet fast_kernels;   /* gemm_tiled, vec_sigmoid, vec_tanh */
#endif
