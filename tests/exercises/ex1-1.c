/* tests/exercises/ex1-1.c — exercise 1.1: mat_mul_tt, C [+]= A^T B^T.
 * Run with `make exercise EX=1.1` after adding mat_mul_tt to chapter 1.
 * It fails to link until mat_mul_tt exists, and fails its checks until it is
 * right (shapes, strides, accumulation, every awkward size). */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <math.h>
#include <signal.h>
#include "matrix.h"
#include "ref.h"

void mat_mul_tt(Matrix C, Matrix A, Matrix B, bool acc);   /* A: k x m, B: n x k */

Test(exercise_1_1, mat_mul_tt_matches_the_reference)
{
    static const int sizes[] = { 0, 1, 3, 7, 64, 65, 130 };
    Rng rng;
    rng_seed(&rng, 12, 0);
    for (int a = 0; a < 7; a++)
        for (int b = 0; b < 7; b++)
            for (int c = 0; c < 7; c++) {
                int m = sizes[a], n = sizes[b], k = sizes[c];
                Matrix Af = mat_new(k, m + 3), Bf = mat_new(n, k + 1), Cf = mat_new(m, n + 2);
                mat_uniform(Af, -1, 1, &rng);
                mat_uniform(Bf, -1, 1, &rng);
                Matrix A = mat_cols(Af, 1, m), B = mat_cols(Bf, 0, k), C = mat_cols(Cf, 2, n);
                for (int acc = 0; acc <= 1; acc++) {
                    mat_uniform(Cf, -1, 1, &rng);
                    Matrix C0 = mat_new(m, n), Cf0 = mat_new(m, n + 2);
                    mat_copy(C0, C);
                    mat_copy(Cf0, Cf);
                    mat_mul_tt(C, A, B, acc);
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < n; j++) {
                            ld sum, mag;
                            ref_dot(A, 1, B, 1, i, j, k, &sum, &mag);
                            ld c0 = acc ? MAT(C0, i, j) : 0;
                            ld bound = ref_gamma(k + acc) * (fabsl(c0) + mag) + REAL_TRUE_MIN;
                            cr_assert(fabsl(MAT(C, i, j) - (sum + c0)) <= bound,
                                      "m=%d n=%d k=%d acc=%d: C[%d][%d] = %g, want %Lg",
                                      m, n, k, acc, i, j, (double)MAT(C, i, j), sum + c0);
                        }
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < 2; j++)
                            cr_assert_eq(MAT(Cf, i, j), MAT(Cf0, i, j), "wrote outside C");
                    mat_free(&C0);
                    mat_free(&Cf0);
                }
                mat_free(&Af); mat_free(&Bf); mat_free(&Cf);
            }
}

Test(exercise_1_1, mat_mul_tt_refuses_mismatched_shapes, .signal = SIGABRT, .init = cr_redirect_stderr)
{
    Matrix A = mat_new(3, 2), B = mat_new(5, 4), C = mat_new(2, 5);   /* k differs: 3 vs 4 */
    mat_mul_tt(C, A, B, false);
}
