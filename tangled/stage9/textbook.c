#line 41 "chapters/A3-textbook.nw"
/* textbook.c — plain definitions, in higher precision. */
#include <math.h>
#include "textbook.h"

void textbook_gemm(bool ta, bool tb, int m, int n, int k,
                   const real *A, int lda, const real *B, int ldb,
                   wide *C, wide *Cabs)
{
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            wide sum = 0, abs_sum = 0;
            for (int p = 0; p < k; p++) {
                wide a = ta ? A[(size_t)p * lda + i] : A[(size_t)i * lda + p];
                wide b = tb ? B[(size_t)j * ldb + p] : B[(size_t)p * ldb + j];
                sum += a * b;
                abs_sum += fabsl(a) * fabsl(b);
            }
            C[(size_t)i * n + j] = sum;
            Cabs[(size_t)i * n + j] = abs_sum;
        }
}

wide textbook_sigmoid(wide x) { return 1 / (1 + expl(-x)); }

wide textbook_tanh(wide x)
{
    /* Beyond |x| = 40, tanh differs from +-1 by less than 2e^-80 = 4e-35, far
       below long double's resolution; and e^x would overflow beyond 11356. */
    if (fabsl(x) > 40) return x > 0 ? 1 : -1;
    return (expl(x) - expl(-x)) / (expl(x) + expl(-x));
}

void textbook_softmax(int n, const real *z, wide *y)
{
    for (int j = 0; j < n; j++) {
        wide s = 0;
        for (int k = 0; k < n; k++) s += expl((wide)z[k] - z[j]);
        y[j] = 1 / s;
    }
}

void textbook_log_softmax(int n, const real *z, wide *y)
{
    for (int j = 0; j < n; j++) {
        wide s = 0;
        for (int k = 0; k < n; k++) s += expl((wide)z[k] - z[j]);
        y[j] = -logl(s);
    }
}

wide gamma_k(int k)
{
    wide u = (wide)REAL_EPSILON / 2;
    return k * u / (1 - k * u);
}
