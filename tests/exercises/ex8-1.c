/* tests/exercises/ex8-1.c — exercise 8.1: gemm_calls(), the number of
 * products mat_mul, mat_mul_nt and mat_mul_tn have computed so far.
 * Run with `make exercise EX=8.1` after adding gemm_calls to chapter 8.
 * It fails to link until gemm_calls exists, and fails its checks until it
 * counts exactly the products that go through the Matrix entry points. */
#include <criterion/criterion.h>
#include "matrix.h"
#include "tiled.h"

long gemm_calls(void);

Test(exercise_8_1, gemm_calls_counts_the_products)
{
    Rng rng;
    rng_seed(&rng, 84, 0);
    Matrix A = mat_new(3, 4), B = mat_new(4, 5), Bt = mat_new(5, 4), At = mat_new(4, 3);
    Matrix C = mat_new(3, 5);
    mat_uniform(A, -1, 1, &rng);
    mat_uniform(B, -1, 1, &rng);
    long before = gemm_calls();
    mat_mul(C, A, B, false);
    cr_assert_eq(gemm_calls() - before, 1);
    mat_mul_nt(C, A, Bt, true);
    mat_mul_tn(C, At, B, true);
    cr_assert_eq(gemm_calls() - before, 3);
    /* A kernel called directly is not a product of the Matrix entry points. */
    gemm_tiled(false, false, 3, 5, 4, A.data, A.stride, B.data, B.stride, C.data, C.stride, false);
    cr_assert_eq(gemm_calls() - before, 3);
    for (int i = 0; i < 10; i++) mat_add(C, C, C);
    cr_assert_eq(gemm_calls() - before, 3, "elementwise kernels are not products");
    mat_free(&A); mat_free(&B); mat_free(&Bt); mat_free(&At); mat_free(&C);
}
