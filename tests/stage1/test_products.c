/* tests/stage1/test_products.c — every product kernel against a long double
 * reference, on every combination of awkward sizes, in every form, with and
 * without accumulation, on strided views whose surroundings must stay intact.
 *
 * Tolerance (see ref.h): an element of C computed as a sum of k products may
 * differ from the exact value by gamma(k) * sum|a||b|; with accumulation the
 * old value of C is one more term, so gamma(k+1) * (|C0| + sum|a||b|).  The
 * smallest subnormal is added so that an exact zero compares sanely.  A wrong
 * index or a dropped term gives errors of the order of the terms themselves,
 * thousands of times larger than this bound.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include "matrix.h"
#include "ref.h"

static const int sizes[] = { 0, 1, 3, 7, 64, 65, 257 };
enum { NSIZES = sizeof sizes / sizeof sizes[0] };
static const real GUARD = (real)12345.0;

/* A rows x cols view at offset (1, 2) inside a guard frame of GUARD values. */
typedef struct { Matrix full, view; } Framed;

static Framed framed(int rows, int cols, Rng *rng, real lo, real hi)
{
    Framed f;
    f.full = mat_new(rows + 2, cols + 5);
    mat_fill(f.full, GUARD);
    f.view = mat_cols(mat_rows(f.full, 1, rows), 2, cols);
    if (lo < hi) mat_uniform(f.view, lo, hi, rng);
    else mat_fill(f.view, lo);
    return f;
}

/* Is every element of f.full outside the view still GUARD? */
static int frame_intact(Framed f)
{
    for (int i = 0; i < f.full.rows; i++)
        for (int j = 0; j < f.full.cols; j++) {
            int inside = i >= 1 && i < 1 + f.view.rows && j >= 2 && j < 2 + f.view.cols;
            if (!inside && MAT(f.full, i, j) != GUARD) return 0;
        }
    return 1;
}

static int same(Matrix a, Matrix b)
{
    for (int i = 0; i < a.rows; i++)
        for (int j = 0; j < a.cols; j++)
            if (MAT(a, i, j) != MAT(b, i, j)) return 0;
    return 1;
}

/* Check kernel fn on C (m x n) = [C +] op(A) op(B) for one shape. */
static void check_shape(const char *name, GemmFn *fn, int ta, int tb, int m, int n, int k, Rng *rng)
{
    Framed A = ta ? framed(k, m, rng, -1, 1) : framed(m, k, rng, -1, 1);
    Framed B = tb ? framed(n, k, rng, -1, 1) : framed(k, n, rng, -1, 1);
    Matrix A0 = mat_new(A.view.rows, A.view.cols), B0 = mat_new(B.view.rows, B.view.cols);
    mat_copy(A0, A.view);
    mat_copy(B0, B.view);
    for (int acc = 0; acc <= 1; acc++) {
        /* Overwriting must ignore C's old contents entirely, even NaN. */
        Framed C = acc ? framed(m, n, rng, -1, 1) : framed(m, n, rng, NAN, NAN);
        Matrix C0 = mat_new(m, n);
        mat_copy(C0, C.view);
        fn(ta, tb, m, n, k, A.view.data, A.view.stride, B.view.data, B.view.stride,
           C.view.data, C.view.stride, acc);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                ld sum, mag;
                ref_dot(A.view, ta, B.view, tb, i, j, k, &sum, &mag);
                ld want = sum, bound = ref_gamma(k) * mag;
                if (acc) {
                    want += MAT(C0, i, j);
                    bound = ref_gamma(k + 1) * (fabsl((ld)MAT(C0, i, j)) + mag);
                }
                bound += REAL_TRUE_MIN;
                ld got = MAT(C.view, i, j);
                cr_assert(fabsl(got - want) <= bound,
                          "%s, %s%s, %s, m=%d n=%d k=%d: C[%d][%d] = %.9Lg, want %.9Lg (bound %.3Lg)",
                          name, ta ? "A^T" : "A", tb ? ".B^T" : ".B", acc ? "C +=" : "C =",
                          m, n, k, i, j, got, want, bound);
            }
        cr_assert(frame_intact(C), "%s wrote outside C (m=%d n=%d k=%d)", name, m, n, k);
        mat_free(&C.full);
        mat_free(&C0);
    }
    cr_assert(same(A.view, A0) && same(B.view, B0), "%s changed an input", name);
    cr_assert(frame_intact(A) && frame_intact(B), "%s wrote into an input", name);
    mat_free(&A.full); mat_free(&B.full); mat_free(&A0); mat_free(&B0);
}

/* All sizes for m, n, k, except that at most one of them is 257 (three
   257s would only make the test slow without reaching new code). */
static void check_form(int ta, int tb)
{
    Rng rng;
    rng_seed(&rng, 2024, (uint64_t)(ta * 2 + tb));
    for (int q = 0; q < gemm_kernel_count; q++)
        for (int a = 0; a < NSIZES; a++)
            for (int b = 0; b < NSIZES; b++)
                for (int c = 0; c < NSIZES; c++) {
                    int m = sizes[a], n = sizes[b], k = sizes[c];
                    if ((m == 257) + (n == 257) + (k == 257) > 1) continue;
                    check_shape(gemm_kernels[q].name, gemm_kernels[q].fn, ta, tb, m, n, k, &rng);
                }
}

Test(products, every_kernel_A_B) { check_form(0, 0); }
Test(products, every_kernel_A_Bt) { check_form(0, 1); }
Test(products, every_kernel_At_B) { check_form(1, 0); }

/* The fourth form is not used by the book, but the kernels support it. */
Test(products, every_kernel_At_Bt) { check_form(1, 1); }

/* The Matrix entry points take their sizes from the shapes and must pass the
   strides through: compare each with the reference on padded views. */
Test(products, matrix_entry_points)
{
    Rng rng;
    rng_seed(&rng, 7, 7);
    const int m = 65, n = 33, k = 257;
    Framed A = framed(m, k, &rng, -1, 1), At = framed(k, m, &rng, -1, 1);
    Framed B = framed(k, n, &rng, -1, 1), Bt = framed(n, k, &rng, -1, 1);
    for (int form = 0; form < 3; form++)
        for (int acc = 0; acc <= 1; acc++) {
            Framed C = framed(m, n, &rng, -1, 1);
            Matrix C0 = mat_new(m, n);
            mat_copy(C0, C.view);
            Matrix a = form == 2 ? At.view : A.view, b = form == 1 ? Bt.view : B.view;
            if (form == 0) mat_mul(C.view, a, b, acc);
            if (form == 1) mat_mul_nt(C.view, a, b, acc);
            if (form == 2) mat_mul_tn(C.view, a, b, acc);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    ld sum, mag;
                    ref_dot(a, form == 2, b, form == 1, i, j, k, &sum, &mag);
                    ld c0 = acc ? MAT(C0, i, j) : 0;
                    ld bound = ref_gamma(k + acc) * (fabsl(c0) + mag) + REAL_TRUE_MIN;
                    cr_assert(fabsl(MAT(C.view, i, j) - (sum + c0)) <= bound,
                              "form %d acc %d: C[%d][%d]", form, acc, i, j);
                }
            cr_assert(frame_intact(C));
            mat_free(&C.full); mat_free(&C0);
        }
    mat_free(&A.full); mat_free(&At.full); mat_free(&B.full); mat_free(&Bt.full);
}

/* A product whose shapes do not fit is a bug in the caller: it must stop the
   program at once, not compute garbage. */
Test(products, mismatched_shapes_abort, .signal = SIGABRT, .init = cr_redirect_stderr)
{
    Matrix A = mat_new(2, 3), B = mat_new(4, 5), C = mat_new(2, 5);
    mat_mul(C, A, B, false);
}
