/* tests/exercises/ex2-2.c — exercise 2.2: cell_recur_peephole, the step of
 * a layer whose gates also see the cell state.  Run with
 * `make exercise EX=2.2` after adding it to chapter 2.  It fails to link
 * until the function exists; its checks fail until a case worked by hand
 * and a random layer agree with the equations of the exercise. */
#include <criterion/criterion.h>
#include <math.h>
#include "cell.h"
#include "ref.h"

void cell_recur_peephole(const LstmLayer *l, Matrix P, Matrix h_prev, Matrix c_prev,
                         Matrix Z, Matrix c, Matrix h);

static const char *gate[4] = { "i", "f", "g", "o" };

/* One cell (H = 1), W_hh = 0 and h_prev = 0, so that the input side in Z is
   the whole preactivation before the peepholes.  Worked by hand:
     i = sigma(0 + 0.5 x 2)  = sigma(1)    = 0.7310585786300049
     f = sigma(0 - 0.5 x 2)  = sigma(-1)   = 0.2689414213699951
     g = tanh(0.5)                         = 0.46211715726000974
     c = f x 2 + i x g                     = 0.8757175548870313
     o = sigma(0 + 1 x c)  (c_t, not c_{t-1}) = 0.7059340079141087
     h = o tanh(c)                         = 0.4971663363383308 */
Test(exercise_2_2, a_case_worked_by_hand)
{
    LstmLayer l = layer_new(1, 1);
    Matrix P = mat_new(3, 1), hp = mat_new(1, 1), cp = mat_new(1, 1);
    Matrix Z = mat_new(1, 4), c = mat_new(1, 1), h = mat_new(1, 1);
    MAT(P, 0, 0) = 0.5; MAT(P, 1, 0) = -0.5; MAT(P, 2, 0) = 1;
    MAT(cp, 0, 0) = 2;
    MAT(Z, 0, 2) = 0.5;
    cell_recur_peephole(&l, P, hp, cp, Z, c, h);
    const double want[4] = { 0.7310585786300049, 0.2689414213699951, 0.46211715726000974,
                             0.7059340079141087 };
    double tol = 8 * REAL_EPSILON;
    for (int q = 0; q < 4; q++)
        cr_assert(fabs((double)MAT(Z, 0, q) - want[q]) <= tol,
                  "gate %s = %.9g, worked by hand %.9g%s", gate[q], (double)MAT(Z, 0, q), want[q],
                  q == 3 ? " (o sees c_t, the new state)" : "");
    cr_assert(fabs((double)MAT(c, 0, 0) - 0.8757175548870313) <= tol,
              "c = %.9g, worked by hand 0.875717555", (double)MAT(c, 0, 0));
    cr_assert(fabs((double)MAT(h, 0, 0) - 0.4971663363383308) <= tol,
              "h = %.9g, worked by hand 0.497166336", (double)MAT(h, 0, 0));
    mat_free(&P); mat_free(&hp); mat_free(&cp); mat_free(&Z); mat_free(&c); mat_free(&h);
    layer_free(&l);
}

Test(exercise_2_2, a_random_layer_against_the_equations)
{
    int B = 3, In = 4, H = 5;
    Rng rng;
    rng_seed(&rng, 22, 1);
    LstmLayer l = layer_new(In, H);
    mat_uniform(l.W_ih, -1, 1, &rng);
    mat_uniform(l.W_hh, -1, 1, &rng);
    mat_uniform(l.b, -1, 1, &rng);
    Matrix P = mat_new(3, H), X = mat_new(B, In), hp = mat_new(B, H), cp = mat_new(B, H);
    mat_uniform(P, -1, 1, &rng);
    mat_uniform(X, -1, 1, &rng);
    mat_uniform(hp, -1, 1, &rng);
    mat_uniform(cp, -2, 2, &rng);
    Matrix Z = mat_new(B, 4 * H), A = mat_new(B, 4 * H), c = mat_new(B, H), h = mat_new(B, H);
    cell_input(&l, X, Z);
    mat_copy(A, Z);
    mat_mul_nt(A, hp, l.W_hh, true);    /* the preactivations without peepholes */
    cell_recur_peephole(&l, P, hp, cp, Z, c, h);
    ld tol = 32 * ref_u();
    for (int b = 0; b < B; b++)
        for (int j = 0; j < H; j++) {
            ld cpv = MAT(cp, b, j);
            ld i = ref_sigmoid(MAT(A, b, j) + MAT(P, 0, j) * cpv);
            ld f = ref_sigmoid(MAT(A, b, H + j) + MAT(P, 1, j) * cpv);
            ld g = ref_tanh(MAT(A, b, 2 * H + j));
            ld cw = f * cpv + i * g;
            ld o = ref_sigmoid(MAT(A, b, 3 * H + j) + MAT(P, 2, j) * cw);
            ld hw = o * ref_tanh(cw);
            ld want[4] = { i, f, g, o };
            for (int q = 0; q < 4; q++)
                cr_assert(fabsl((ld)MAT(Z, b, q * H + j) - want[q]) <= tol,
                          "row %d, unit %d: gate %s = %.9g, want %.9Lg", b, j, gate[q],
                          (double)MAT(Z, b, q * H + j), want[q]);
            cr_assert(fabsl((ld)MAT(c, b, j) - cw) <= 4 * tol,
                      "row %d, unit %d: c = %.9g, want %.9Lg", b, j, (double)MAT(c, b, j), cw);
            cr_assert(fabsl((ld)MAT(h, b, j) - hw) <= 4 * tol,
                      "row %d, unit %d: h = %.9g, want %.9Lg", b, j, (double)MAT(h, b, j), hw);
        }
    mat_free(&P); mat_free(&X); mat_free(&hp); mat_free(&cp);
    mat_free(&Z); mat_free(&A); mat_free(&c); mat_free(&h);
    layer_free(&l);
}
