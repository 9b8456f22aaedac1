/* tests/exercises/ex2-3.c — exercise 2.3: gru_step, one step of a layer of
 * gated recurrent units in PyTorch's layout (nn.GRU: blocks r, z, n of H
 * rows each).  Run with `make exercise EX=2.3` after adding it to chapter 2.
 * It fails to link until gru_step exists; its checks fail until a case
 * worked by hand and a random layer agree with the equations. */
#include <criterion/criterion.h>
#include <math.h>
#include "cell.h"
#include "ref.h"

void gru_step(Matrix W_ih, Matrix W_hh, Matrix b_ih, Matrix b_hh, Matrix X, Matrix h_prev, Matrix h);

/* In = H = 1, x = 1, h_prev = 0.5; W_ih = (1, -1, 0.5), W_hh = (2, 1, -1),
   b_ih = (0, 0, 0.25), b_hh = (0, 0.5, 0.25).  Worked by hand:
     r = sigma(1 + 2 x 0.5)                         = sigma(2) = 0.8807970779778823
     z = sigma(-1 + 1 x 0.5 + 0.5)                  = sigma(0) = 0.5
     n = tanh(0.5 + 0.25 + r (-1 x 0.5 + 0.25))     = 0.4852287532359136
     h = (1 - z) n + z h_prev                       = 0.4926143766179568
   b_hh's 0.25 in the n block is multiplied by r, b_ih's is not: that is why
   the GRU keeps the two biases apart. */
Test(exercise_2_3, a_case_worked_by_hand)
{
    Matrix Wi = mat_new(3, 1), Wh = mat_new(3, 1), bi = mat_new(1, 3), bh = mat_new(1, 3);
    Matrix X = mat_new(1, 1), hp = mat_new(1, 1), h = mat_new(1, 1);
    MAT(Wi, 0, 0) = 1; MAT(Wi, 1, 0) = -1; MAT(Wi, 2, 0) = 0.5;
    MAT(Wh, 0, 0) = 2; MAT(Wh, 1, 0) = 1;  MAT(Wh, 2, 0) = -1;
    MAT(bi, 0, 2) = 0.25;
    MAT(bh, 0, 1) = 0.5; MAT(bh, 0, 2) = 0.25;
    MAT(X, 0, 0) = 1; MAT(hp, 0, 0) = 0.5;
    gru_step(Wi, Wh, bi, bh, X, hp, h);
    cr_assert(fabs((double)MAT(h, 0, 0) - 0.4926143766179568) <= 8 * REAL_EPSILON,
              "h = %.9g, worked by hand 0.492614377 (with b_hn outside r's product: %.9g)",
              (double)MAT(h, 0, 0), 0.5 * tanh(0.75 + 0.8807970779778823 * -0.5 + 0.25) + 0.25);
    mat_free(&Wi); mat_free(&Wh); mat_free(&bi); mat_free(&bh);
    mat_free(&X); mat_free(&hp); mat_free(&h);
}

Test(exercise_2_3, a_random_layer_against_the_equations)
{
    int B = 3, In = 4, H = 5;
    Rng rng;
    rng_seed(&rng, 23, 0);
    Matrix Wi = mat_new(3 * H, In), Wh = mat_new(3 * H, H), bi = mat_new(1, 3 * H), bh = mat_new(1, 3 * H);
    Matrix X = mat_new(B, In), hp = mat_new(B, H), h = mat_new(B, H);
    Matrix all[5] = { Wi, Wh, bi, bh, X };
    for (int k = 0; k < 5; k++) mat_uniform(all[k], -1, 1, &rng);
    mat_uniform(hp, -1, 1, &rng);
    gru_step(Wi, Wh, bi, bh, X, hp, h);
    for (int b = 0; b < B; b++)
        for (int j = 0; j < H; j++) {
            ld xi[3], hh[3], mag = 0;     /* x W_ih^T + b_ih and h_prev W_hh^T + b_hh, by block */
            for (int q = 0; q < 3; q++) {
                xi[q] = MAT(bi, 0, q * H + j);
                hh[q] = MAT(bh, 0, q * H + j);
                for (int p = 0; p < In; p++) xi[q] += (ld)MAT(X, b, p) * MAT(Wi, q * H + j, p);
                for (int p = 0; p < H; p++) hh[q] += (ld)MAT(hp, b, p) * MAT(Wh, q * H + j, p);
                mag += fabsl(xi[q]) + fabsl(hh[q]);
            }
            ld r = ref_sigmoid(xi[0] + hh[0]), z = ref_sigmoid(xi[1] + hh[1]);
            ld n = ref_tanh(xi[2] + r * hh[2]);
            ld want = (1 - z) * n + z * (ld)MAT(hp, b, j);
            ld tol = ref_gamma(H + 2) * (mag + 4) + 16 * ref_u();
            cr_assert(fabsl((ld)MAT(h, b, j) - want) <= tol,
                      "row %d, unit %d: h = %.9g, want %.9Lg (r = %.6Lg, z = %.6Lg, n = %.6Lg)",
                      b, j, (double)MAT(h, b, j), want, r, z, n);
        }
    mat_free(&Wi); mat_free(&Wh); mat_free(&bi); mat_free(&bh);
    mat_free(&X); mat_free(&hp); mat_free(&h);
}
