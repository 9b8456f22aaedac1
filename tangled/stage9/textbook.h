#line 13 "chapters/A3-textbook.nw"
/* textbook.h — the kernels' definitions, computed plainly in higher precision,
   to check the kernels against. */
#ifndef TEXTBOOK_H
#define TEXTBOOK_H
#include "matrix.h"

typedef long double wide;  /* wider than real: double, or x87 extended for a double build */

/* C = op(A) op(B) exactly as defined, and Cabs = sum |op(A)_ip| |op(B)_pj|. */
void textbook_gemm(bool ta, bool tb, int m, int n, int k,
                   const real *A, int lda, const real *B, int ldb,
                   wide *C, wide *Cabs);
wide textbook_sigmoid(wide x);                     /* 1 / (1 + e^-x) */
wide textbook_tanh(wide x);                        /* (e^x - e^-x) / (e^x + e^-x) */
void textbook_softmax(int n, const real *z, wide *y);      /* e^zj / sum e^zk */
void textbook_log_softmax(int n, const real *z, wide *y);  /* log of the above */
wide gamma_k(int k);       /* k u / (1 - k u), u = REAL_EPSILON / 2 */
#endif
