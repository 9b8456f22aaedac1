/* tests/exercises/ex2-1.c — exercise 2.1: cell_recur_coupled, the LSTM step
 * with the input gate tied to the forget gate, i = 1 - f.  Run with
 * `make exercise EX=2.1` after adding it to chapter 2.  It fails to link
 * until the function exists and fails its checks until it is right. */
#include <criterion/criterion.h>
#include <math.h>
#include "cell.h"
#include "ref.h"

void cell_recur_coupled(const LstmLayer *l, Matrix h_prev, Matrix c_prev, Matrix Z, Matrix c, Matrix h);

Test(exercise_2_1, the_input_gate_is_one_minus_the_forget_gate)
{
    int B = 3, In = 4, H = 5;
    Rng rng;
    rng_seed(&rng, 22, 0);
    LstmLayer l = layer_new(In, H);
    mat_uniform(l.W_ih, -1, 1, &rng);
    mat_uniform(l.W_hh, -1, 1, &rng);
    mat_uniform(l.b, -1, 1, &rng);
    Matrix X = mat_new(B, In), hp = mat_new(B, H), cp = mat_new(B, H);
    mat_uniform(X, -1, 1, &rng);
    mat_uniform(hp, -1, 1, &rng);
    mat_uniform(cp, -2, 2, &rng);
    Matrix Z = mat_new(B, 4 * H), P = mat_new(B, 4 * H), c = mat_new(B, H), h = mat_new(B, H);
    cell_input(&l, X, Z);
    mat_copy(P, Z);
    mat_mul_nt(P, hp, l.W_hh, true);       /* the preactivations, for the reference */
    cell_recur_coupled(&l, hp, cp, Z, c, h);
    /* The reference in long double from the preactivations; each value below
       is at most a few in size and a few roundings from the exact one. */
    ld tol = 32 * ref_u();
    for (int b = 0; b < B; b++)
        for (int j = 0; j < H; j++) {
            ld f = ref_sigmoid((ld)MAT(P, b, H + j)), i = 1 - f;
            ld g = ref_tanh((ld)MAT(P, b, 2 * H + j)), o = ref_sigmoid((ld)MAT(P, b, 3 * H + j));
            ld cw = f * (ld)MAT(cp, b, j) + i * g, hw = o * ref_tanh(cw);
            static const char *gate[4] = { "i", "f", "g", "o" };
            ld want[4] = { i, f, g, o };
            for (int q = 0; q < 4; q++)
                cr_assert(fabsl((ld)MAT(Z, b, q * H + j) - want[q]) <= tol,
                          "row %d, unit %d: gate %s = %.9g in Z's block %d, want %.9Lg%s",
                          b, j, gate[q], (double)MAT(Z, b, q * H + j), q, want[q],
                          q == 0 ? " (1 - f)" : q == 2 ? " (tanh of the preactivation)"
                                                       : " (sigmoid of the preactivation)");
            cr_assert(fabsl((ld)MAT(c, b, j) - cw) <= 4 * tol,
                      "row %d, unit %d: c = %.9g, want f c_prev + (1 - f) g = %.9Lg",
                      b, j, (double)MAT(c, b, j), cw);
            cr_assert(fabsl((ld)MAT(h, b, j) - hw) <= 4 * tol,
                      "row %d, unit %d: h = %.9g, want o tanh(c) = %.9Lg",
                      b, j, (double)MAT(h, b, j), hw);
        }
    mat_free(&X); mat_free(&hp); mat_free(&cp); mat_free(&Z); mat_free(&P); mat_free(&c); mat_free(&h);
    layer_free(&l);
}
