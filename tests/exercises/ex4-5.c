/* tests/exercises/ex4-5.c — exercise 4.5: cell_backward_peephole, the
 * backward pass of one step of exercise 2.2's peephole cell.  Run with
 * `make exercise EX=4.5` after adding it to chapter 4 (and 2.2's forward
 * step to chapter 2).  It fails to link until both exist; its checks fail
 * until every gradient agrees with central differences of the forward
 * step, in double:  make exercise: real = double;  make exercise: needs 2.2 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>
#include "cell.h"
#include "backprop.h"

void cell_recur_peephole(const LstmLayer *l, Matrix P, Matrix h_prev, Matrix c_prev,
                         Matrix Z, Matrix c, Matrix h);
void cell_backward_peephole(Matrix P, Matrix c_prev, Matrix Z, Matrix c, Matrix dh, Matrix dc,
                            Matrix dZ, Matrix dP, Matrix dc_prev);

enum { B = 2, H = 3 };
static LstmLayer layer;
static Matrix P, Zin, cp, a, e;     /* L = sum a (.) h + sum e (.) c */

/* The loss of one forward step, with W_hh = 0 and h_prev = 0, so that Zin
   (B x 4H) is the whole preactivation before the peepholes. */
static double loss(void)
{
    Matrix hp = mat_new(B, H), Z = mat_new(B, 4 * H), c = mat_new(B, H), h = mat_new(B, H);
    mat_copy(Z, Zin);
    cell_recur_peephole(&layer, P, hp, cp, Z, c, h);
    double L = 0;
    for (int b = 0; b < B; b++)
        for (int j = 0; j < H; j++) L += MAT(a, b, j) * MAT(h, b, j) + MAT(e, b, j) * MAT(c, b, j);
    mat_free(&hp); mat_free(&Z); mat_free(&c); mat_free(&h);
    return L;
}

static void against_differences(Matrix X, Matrix grad, const char *name)
{
    static const char *gate[4] = { "i", "f", "g", "o" };
    for (int r = 0; r < X.rows; r++)
        for (int k = 0; k < X.cols; k++) {
            real keep = MAT(X, r, k), eps = 1e-5;
            MAT(X, r, k) = keep + eps; double up = loss();
            MAT(X, r, k) = keep - eps; double down = loss();
            MAT(X, r, k) = keep;
            double numeric = (up - down) / (2 * eps), analytic = MAT(grad, r, k);
            double err = fabs(numeric - analytic) / fmax(fmax(fabs(numeric), fabs(analytic)), 1e-5);
            if (X.data == Zin.data)
                cr_assert(err <= 1e-6, "dZ row %d, gate %s, unit %d: %.10g, the difference says %.10g",
                          r, gate[k / H], k % H, analytic, numeric);
            else
                cr_assert(err <= 1e-6, "%s row %d, unit %d: %.10g, the difference says %.10g",
                          name, r, k, analytic, numeric);
        }
}

Test(exercise_4_5, every_gradient_agrees_with_central_differences)
{
    cr_assert(sizeof(real) == 8, "this test needs real = double (make exercise EX=4.5 builds it so)");
    Rng rng;
    rng_seed(&rng, 45, 5);
    layer = layer_new(1, H);
    P = mat_new(3, H); Zin = mat_new(B, 4 * H); cp = mat_new(B, H); a = mat_new(B, H); e = mat_new(B, H);
    mat_uniform(P, -1, 1, &rng);
    mat_uniform(Zin, -1.5, 1.5, &rng);
    mat_uniform(cp, -2, 2, &rng);
    mat_uniform(a, -1, 1, &rng);
    mat_uniform(e, -1, 1, &rng);
    Matrix hp = mat_new(B, H), Z = mat_new(B, 4 * H), c = mat_new(B, H), h = mat_new(B, H);
    mat_copy(Z, Zin);
    cell_recur_peephole(&layer, P, hp, cp, Z, c, h);
    Matrix dZ = mat_new(B, 4 * H), dP = mat_new(3, H), dcp = mat_new(B, H);
    mat_fill(dP, 0.25);                      /* dP is added to, not overwritten */
    cell_backward_peephole(P, cp, Z, c, a, e, dZ, dP, dcp);
    for (int q = 0; q < 3; q++)
        for (int j = 0; j < H; j++) MAT(dP, q, j) -= 0.25;
    against_differences(Zin, dZ, "dZ");
    against_differences(P, dP, "dP (rows w_ci, w_cf, w_co)");
    against_differences(cp, dcp, "dc_prev");
    Matrix all[] = { hp, Z, c, h, dZ, dP, dcp, P, Zin, cp, a, e };
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++) mat_free(&all[k]);
    layer_free(&layer);
}
