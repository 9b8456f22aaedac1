/* tests/exercises/ex1-2.c — exercise 1.2: gemm_unrolled, the blocked kernel
 * working on four rows of C at once.  Run with `make exercise EX=1.2` after
 * adding it to chapter 1.  It fails to link until gemm_unrolled exists, and
 * its checks fail until the kernel is right on every form and awkward size
 * (row counts that are not a multiple of 4 above all) and is in the table of
 * product kernels, where lstm-kernels and chapter 1's tests find it. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>
#include "matrix.h"
#include "ref.h"

GemmFn gemm_unrolled;

Test(exercise_1_2, gemm_unrolled_matches_the_reference)
{
    static const int sizes[] = { 0, 1, 3, 4, 5, 7, 64, 131, 300 };
    enum { S = sizeof sizes / sizeof sizes[0] };
    Rng rng;
    rng_seed(&rng, 12, 1);
    for (int a = 0; a < S; a++)
        for (int b = 0; b < S; b++)
            for (int c = 0; c < S; c++)
                for (int form = 0; form < 8; form++) {
                    int m = sizes[a], n = sizes[b], k = sizes[c];
                    if ((long)m * n * k > 4000000) continue;
                    bool ta = form & 1, tb = form & 2, acc = form & 4;
                    Matrix A = mat_new(ta ? k : m, (ta ? m : k) + 1);
                    Matrix B = mat_new(tb ? n : k, (tb ? k : n) + 2);
                    Matrix C = mat_new(m, n + 3), C0 = mat_new(m, n + 3);
                    mat_uniform(A, -1, 1, &rng);
                    mat_uniform(B, -1, 1, &rng);
                    mat_uniform(C, -1, 1, &rng);
                    mat_copy(C0, C);
                    gemm_unrolled(ta, tb, m, n, k, A.data, A.stride, B.data, B.stride,
                                  C.data, C.stride, acc);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            ld sum, mag;
                            ref_dot(A, ta, B, tb, i, j, k, &sum, &mag);
                            ld c0 = acc ? MAT(C0, i, j) : 0;
                            ld bound = ref_gamma(k + acc) * (fabsl(c0) + mag) + REAL_TRUE_MIN;
                            cr_assert(fabsl(MAT(C, i, j) - (sum + c0)) <= bound,
                                      "ta=%d tb=%d acc=%d, m=%d n=%d k=%d: C[%d][%d] = %.9g, want %.9Lg",
                                      ta, tb, acc, m, n, k, i, j, (double)MAT(C, i, j), sum + c0);
                        }
                        for (int j = n; j < n + 3; j++)
                            cr_assert_eq(MAT(C, i, j), MAT(C0, i, j),
                                         "m=%d n=%d k=%d: wrote C[%d][%d], beyond the n columns", m, n, k, i, j);
                    }
                    mat_free(&A); mat_free(&B); mat_free(&C); mat_free(&C0);
                }
}

Test(exercise_1_2, is_in_the_table_of_product_kernels)
{
    int found = -1;
    for (int i = 0; i < gemm_kernel_count; i++)
        if (strcmp(gemm_kernels[i].name, "unrolled") == 0) found = i;
    cr_assert(found >= 0, "no kernel called \"unrolled\" in <<the product kernels, slowest first>>");
    cr_assert(gemm_kernels[found].fn == gemm_unrolled, "the \"unrolled\" entry is not gemm_unrolled");
}
