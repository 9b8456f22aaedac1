/* tests/stage2/test_cell.c — the LSTM cell against (1) the same equations
 * composed one operation at a time from chapter 1's kernels, (2) a long
 * double computation that shares no code with it, (3) a one-unit cell worked
 * out by hand, and (4) itself, one row at a time. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "cell.h"
#include "ref.h"

typedef struct {
    LstmLayer l;
    int B;
    Matrix X, hp, cp;      /* the inputs of one step */
} Setup;

static Setup setup(int B, int In, int H, uint64_t seed)
{
    Rng rng;
    rng_seed(&rng, seed, 5);
    Setup s = { .l = layer_new(In, H), .B = B };
    /* weights of size 1, so that every gate is spread over its range */
    mat_uniform(s.l.W_ih, -1, 1, &rng);
    mat_uniform(s.l.W_hh, -1, 1, &rng);
    mat_uniform(s.l.b, -1, 1, &rng);
    s.X = mat_new(B, In);  mat_uniform(s.X, -1, 1, &rng);
    s.hp = mat_new(B, H);  mat_uniform(s.hp, -1, 1, &rng);
    s.cp = mat_new(B, H);  mat_uniform(s.cp, -3, 3, &rng);
    return s;
}

static void teardown(Setup *s)
{
    layer_free(&s->l);
    mat_free(&s->X); mat_free(&s->hp); mat_free(&s->cp);
}

/* ------------------------------------------------------------ (1) */
/* The gates come out of the same products, in the same order, and the same
   scalar sigmoid and tanh, so they must be equal bit for bit.  The states
   may differ in rounding: the cell may fuse f c + i g into multiply-adds
   where mat_hadamard and mat_add round each product, a difference of at most
   2u (|f c_prev| + |i g|) in c; h = o tanh c then differs by |o| times that
   (tanh is 1-Lipschitz) plus its own 2 roundings of a number below 1. */
static void check_composed(int B, int In, int H, uint64_t seed)
{
    Setup s = setup(B, In, H, seed);
    Matrix Z = mat_new(B, 4 * H), c = mat_new(B, H), h = mat_new(B, H);
    cell_step(&s.l, s.X, s.hp, s.cp, Z, c, h);

    Matrix P = mat_new(B, 4 * H), G = mat_new(B, 4 * H);
    mat_mul_nt(P, s.X, s.l.W_ih, false);
    mat_add_row(P, s.l.b.data);
    mat_mul_nt(P, s.hp, s.l.W_hh, true);
    Matrix I = mat_cols(G, 0, H), F = mat_cols(G, H, H), Gc = mat_cols(G, 2 * H, H), O = mat_cols(G, 3 * H, H);
    mat_sigmoid(I, mat_cols(P, 0, H));
    mat_sigmoid(F, mat_cols(P, H, H));
    mat_tanh(Gc, mat_cols(P, 2 * H, H));
    mat_sigmoid(O, mat_cols(P, 3 * H, H));
    Matrix fc = mat_new(B, H), ig = mat_new(B, H), C = mat_new(B, H), tc = mat_new(B, H), Hh = mat_new(B, H);
    mat_hadamard(fc, F, s.cp);
    mat_hadamard(ig, I, Gc);
    mat_add(C, fc, ig);
    mat_tanh(tc, C);
    mat_hadamard(Hh, O, tc);

    ld u = ref_u();
    for (int b = 0; b < B; b++) {
        for (int j = 0; j < 4 * H; j++)
            cr_assert_eq(MAT(Z, b, j), MAT(G, b, j), "gate column %d of row %d", j, b);
        for (int j = 0; j < H; j++) {
            ld bc = 2 * u * (fabsl((ld)MAT(fc, b, j)) + fabsl((ld)MAT(ig, b, j)));
            ld bh = fabsl((ld)MAT(O, b, j)) * bc + 2 * u;
            cr_assert(fabsl((ld)MAT(c, b, j) - (ld)MAT(C, b, j)) <= bc, "c[%d][%d]", b, j);
            cr_assert(fabsl((ld)MAT(h, b, j) - (ld)MAT(Hh, b, j)) <= bh, "h[%d][%d]", b, j);
        }
    }
    Matrix *all[] = { &Z, &c, &h, &P, &G, &fc, &ig, &C, &tc, &Hh };
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++) mat_free(all[k]);
    teardown(&s);
}

Test(cell, equals_the_kernels_composed)          { check_composed(4, 5, 3, 1); }
Test(cell, equals_the_kernels_composed_wide)     { check_composed(3, 70, 65, 2); }
Test(cell, equals_the_kernels_composed_one_unit) { check_composed(1, 1, 1, 3); }

/* ------------------------------------------------------------ (2) */
/* In long double, from the same weights.  Bounds, from chapter 1's analysis:
   a preactivation is a sum of In + H products and a bias, within
   gamma(In + H + 1) sum |terms| (= e) of the exact sum; sigma is
   1/4-Lipschitz and tanh 1-Lipschitz, and each is evaluated within a few u
   (4u allowed) of the exact function at the rounded argument; so
   |di| <= e/4 + 4u, |dg| <= e + 4u; the state update adds the propagated
   gate errors and 3 roundings of its own. */
static void check_long_double(int B, int In, int H, uint64_t seed)
{
    Setup s = setup(B, In, H, seed);
    Matrix Z = mat_new(B, 4 * H), c = mat_new(B, H), h = mat_new(B, H);
    cell_step(&s.l, s.X, s.hp, s.cp, Z, c, h);
    ld u = ref_u();
    for (int b = 0; b < B; b++)
        for (int j = 0; j < H; j++) {
            ld act[4], err[4];
            for (int q = 0; q < 4; q++) {
                int row = q * H + j;
                ld sum = (ld)s.l.b.data[row], mag = fabsl(sum);
                for (int p = 0; p < In; p++) {
                    ld t = (ld)MAT(s.X, b, p) * (ld)MAT(s.l.W_ih, row, p);
                    sum += t; mag += fabsl(t);
                }
                for (int p = 0; p < H; p++) {
                    ld t = (ld)MAT(s.hp, b, p) * (ld)MAT(s.l.W_hh, row, p);
                    sum += t; mag += fabsl(t);
                }
                ld e = ref_gamma(In + H + 1) * mag;
                if (q == 2) { act[q] = ref_tanh(sum); err[q] = e + 4 * u; }
                else        { act[q] = ref_sigmoid(sum); err[q] = e / 4 + 4 * u; }
                cr_assert(fabsl((ld)MAT(Z, b, row) - act[q]) <= err[q],
                          "gate %d, row %d, unit %d: %.9Lg vs %.9Lg", q, b, j, (ld)MAT(Z, b, row), act[q]);
            }
            ld i = act[0], f = act[1], g = act[2], o = act[3], cpj = (ld)MAT(s.cp, b, j);
            ld cw = f * cpj + i * g;
            ld ec = fabsl(cpj) * err[1] + fabsl(g) * err[0] + fabsl(i) * err[2]
                  + 3 * u * (fabsl(f * cpj) + fabsl(i * g));
            cr_assert(fabsl((ld)MAT(c, b, j) - cw) <= ec, "c: %.9Lg vs %.9Lg", (ld)MAT(c, b, j), cw);
            ld hw = o * ref_tanh(cw);
            ld eh = fabsl(ref_tanh(cw)) * err[3] + fabsl(o) * (ec + 4 * u) + 2 * u;
            cr_assert(fabsl((ld)MAT(h, b, j) - hw) <= eh, "h: %.9Lg vs %.9Lg", (ld)MAT(h, b, j), hw);
        }
    mat_free(&Z); mat_free(&c); mat_free(&h);
    teardown(&s);
}

Test(cell, equals_long_double)      { check_long_double(5, 7, 4, 4); }
Test(cell, equals_long_double_wide) { check_long_double(2, 130, 33, 5); }

/* ------------------------------------------------------------ (3) */
/* One unit, In = 1, worked out by hand.  sigma(ln 3) = 3/(3+1) = 3/4,
   sigma(-ln 3) = 1/4, sigma(ln 2) = 2/3, tanh(ln 3) = (9-1)/(9+1) = 4/5,
   tanh(ln 2) = (4-1)/(4+1) = 3/5.
   Step 1: x = 1, h0 = 0, c0 = 4 (ln 2 - 3/5), b = 0,
     W_ih = (ln 3, -ln 3, ln 3, ln 2):  i = 3/4, f = 1/4, g = 4/5, o = 2/3,
     c1 = c0/4 + 3/5 = ln 2,  h1 = (2/3)(3/5) = 2/5.
   Step 2: x = 0, h1 = 2/5, W_hh = (5/2)(-ln 3, ln 3, -ln 2, ln 3):
     i = 1/4, f = 3/4, g = -3/5, o = 3/4,
     c2 = (3/4) ln 2 - 3/20,  h2 = (3/4) tanh(c2).
   Every number is at most 1 in size and passes through at most ten
   roundings, each within u, through functions that are 1-Lipschitz: 16u
   covers them. */
Test(cell, one_unit_by_hand)
{
    LstmLayer l = layer_new(1, 1);
    ld ln2 = logl(2), ln3 = logl(3);
    real wih[4] = { (real)ln3, (real)-ln3, (real)ln3, (real)ln2 };
    real whh[4] = { (real)(-2.5L * ln3), (real)(2.5L * ln3), (real)(-2.5L * ln2), (real)(2.5L * ln3) };
    for (int q = 0; q < 4; q++) { MAT(l.W_ih, q, 0) = wih[q]; MAT(l.W_hh, q, 0) = whh[q]; }
    Matrix x = mat_new(1, 1), h0 = mat_new(1, 1), c0 = mat_new(1, 1), Z = mat_new(1, 4);
    Matrix h1 = mat_new(1, 1), c1 = mat_new(1, 1), h2 = mat_new(1, 1), c2 = mat_new(1, 1);
    MAT(x, 0, 0) = 1;
    MAT(c0, 0, 0) = (real)(4 * (ln2 - 0.6L));
    ld tol = 16 * ref_u();
    cell_step(&l, x, h0, c0, Z, c1, h1);
    ld want1[4] = { 0.75L, 0.25L, 0.8L, 2.0L / 3 };
    for (int q = 0; q < 4; q++)
        cr_assert(fabsl((ld)MAT(Z, 0, q) - want1[q]) <= tol, "step 1, gate %d: %.9g", q, (double)MAT(Z, 0, q));
    cr_assert(fabsl((ld)MAT(c1, 0, 0) - ln2) <= tol, "c1 = %.9g, not ln 2", (double)MAT(c1, 0, 0));
    cr_assert(fabsl((ld)MAT(h1, 0, 0) - 0.4L) <= tol, "h1 = %.9g, not 2/5", (double)MAT(h1, 0, 0));
    MAT(x, 0, 0) = 0;
    cell_step(&l, x, h1, c1, Z, c2, h2);
    ld want2[4] = { 0.25L, 0.75L, -0.6L, 0.75L };
    for (int q = 0; q < 4; q++)
        cr_assert(fabsl((ld)MAT(Z, 0, q) - want2[q]) <= tol, "step 2, gate %d: %.9g", q, (double)MAT(Z, 0, q));
    ld cw = 0.75L * ln2 - 0.15L;
    cr_assert(fabsl((ld)MAT(c2, 0, 0) - cw) <= tol, "c2 = %.9g", (double)MAT(c2, 0, 0));
    cr_assert(fabsl((ld)MAT(h2, 0, 0) - 0.75L * tanhl(cw)) <= tol, "h2 = %.9g", (double)MAT(h2, 0, 0));
    Matrix *all[] = { &x, &h0, &c0, &Z, &h1, &c1, &h2, &c2 };
    for (size_t k = 0; k < 8; k++) mat_free(all[k]);
    layer_free(&l);
}

/* ------------------------------------------------------------ (4) */
/* Rows never mix: each element of a product is summed in the same order
   whatever the number of rows, and the update is row by row, so B rows at
   once and B one-row steps agree bit for bit. */
Test(cell, B_rows_equal_B_single_rows)
{
    int B = 6, In = 9, H = 70;
    Setup s = setup(B, In, H, 6);
    Matrix Z = mat_new(B, 4 * H), c = mat_new(B, H), h = mat_new(B, H);
    cell_step(&s.l, s.X, s.hp, s.cp, Z, c, h);
    Matrix z1 = mat_new(1, 4 * H), c1 = mat_new(1, H), h1 = mat_new(1, H);
    for (int b = 0; b < B; b++) {
        cell_step(&s.l, mat_rows(s.X, b, 1), mat_rows(s.hp, b, 1), mat_rows(s.cp, b, 1), z1, c1, h1);
        cr_assert(memcmp(&MAT(Z, b, 0), z1.data, 4 * H * sizeof(real)) == 0, "gates of row %d", b);
        cr_assert(memcmp(&MAT(c, b, 0), c1.data, H * sizeof(real)) == 0, "c of row %d", b);
        cr_assert(memcmp(&MAT(h, b, 0), h1.data, H * sizeof(real)) == 0, "h of row %d", b);
    }
    mat_free(&Z); mat_free(&c); mat_free(&h); mat_free(&z1); mat_free(&c1); mat_free(&h1);
    teardown(&s);
}

/* The lookup adds b to one element of W_ih; the product with a one-hot row
   sums that element times 1 and zeros, exactly, then adds b: the same. */
Test(cell, lookup_equals_the_one_hot_product)
{
    int B = 5, V = 11, H = 6;
    Setup s = setup(B, V, H, 7);
    int tokens[5] = { 0, 10, 3, 3, 7 };
    mat_fill(s.X, 0);
    for (int b = 0; b < B; b++) MAT(s.X, b, tokens[b]) = 1;
    Matrix Z1 = mat_new(B, 4 * H), Z2 = mat_new(B, 4 * H);
    cell_input(&s.l, s.X, Z1);
    cell_input_tokens(&s.l, tokens, Z2);
    cr_assert(memcmp(Z1.data, Z2.data, (size_t)B * 4 * H * sizeof(real)) == 0);
    mat_free(&Z1); mat_free(&Z2);
    teardown(&s);
}

Test(cell, forget_gate_bias_starts_at_one)
{
    LstmLayer l = layer_new(4, 5);
    Rng rng;
    rng_seed(&rng, 8, 0);
    layer_init(&l, &rng);
    for (int j = 0; j < 20; j++)
        cr_assert_eq(l.b.data[j], (j >= 5 && j < 10) ? 1 : 0, "bias %d", j);
    ld a = sqrtl(6.0L / (20 + 4));
    for (int r = 0; r < 20; r++)
        for (int p = 0; p < 4; p++) cr_assert(fabsl((ld)MAT(l.W_ih, r, p)) <= a);
    layer_free(&l);
}

Test(cell, wrong_shapes_stop, .signal = SIGABRT, .init = cr_redirect_stderr)
{
    Setup s = setup(2, 3, 4, 9);
    Matrix Z = mat_new(2, 15);    /* 4H = 16 */
    cell_input(&s.l, s.X, Z);
}

Test(cell, a_token_outside_the_vocabulary_stops, .signal = SIGABRT, .init = cr_redirect_stderr)
{
    LstmLayer l = layer_new(3, 2);
    Matrix Z = mat_new(1, 8);
    int bad = 3;
    cell_input_tokens(&l, &bad, Z);
}

Test(cell, overwriting_the_old_state_stops, .signal = SIGABRT, .init = cr_redirect_stderr)
{
    Setup s = setup(2, 3, 4, 10);
    Matrix Z = mat_new(2, 16), h = mat_new(2, 4);
    cell_input(&s.l, s.X, Z);
    cell_recur(&s.l, s.hp, s.cp, Z, s.cp, h);
}
