/* tests/stage4/test_backward.c — backpropagation through time against central
 * differences of chapter 3's loss (double build), and two identities that
 * hold exactly in arithmetic and tie different computations together:
 * pieces of a sequence, and streams of a batch. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gradcheck.h"
#include "ref.h"

typedef struct {
    Model m;
    int T, B, *tokens, *targets;
    State init;
} Case;

static Case make_case(int V, int H, int L, int T, int B, uint64_t seed)
{
    Case c = { .T = T, .B = B };
    uint32_t cps[64];
    for (int k = 0; k < V; k++) cps[k] = (uint32_t)('0' + k);
    Vocab v = { .size = V, .cp = cps };
    c.m = model_new(&v, H, L);
    Rng rng;
    rng_seed(&rng, seed, 7);
    /* weights of size 1/2 give gates spread over (0, 1): every derivative matters */
    mat_uniform(mat_view(c.m.params, 1, (int)c.m.count, (int)c.m.count), -0.5, 0.5, &rng);
    c.tokens = malloc((size_t)(T * B) * sizeof(int));
    c.targets = malloc((size_t)(T * B) * sizeof(int));
    for (int i = 0; i < T * B; i++) {
        c.tokens[i] = (int)rng_below(&rng, (uint32_t)V);
        c.targets[i] = (int)rng_below(&rng, (uint32_t)V);
    }
    if (seed == 8)   /* the last steps of two streams predict nothing (target -1) */
        c.targets[(T - 1) * B + 1] = c.targets[(T - 1) * B + 2] = c.targets[(T - 2) * B + 2] = -1;
    c.init = state_new(&c.m, B);
    for (int l = 0; l < L; l++) {
        mat_uniform(c.init.h[l], -0.8, 0.8, &rng);
        mat_uniform(c.init.c[l], -1.5, 1.5, &rng);
    }
    return c;
}

static void free_case(Case *c)
{
    free(c->tokens);
    free(c->targets);
    state_free(&c->init);
    model_free(&c->m);
}

/* grad (+)= gradient of scale x summed loss, from init; dinit gets the
   gradient of the initial state if not NULL.  Returns the loss. */
static double gradient(Case *c, int T, const int *tokens, const int *targets, const State *init,
                       real scale, Model *grad, const State *dfinal, State *dinit)
{
    Trace tr = trace_new(&c->m, T, c->B);
    Backprop bp = backprop_new(&c->m, T, c->B);
    State s = state_new(&c->m, c->B);
    for (int l = 0; l < c->m.L; l++) {
        mat_copy(s.h[l], init->h[l]);
        mat_copy(s.c[l], init->c[l]);
    }
    double loss = net_forward(&c->m, &tr, T, tokens, targets, &s, NULL);
    net_backward(&c->m, &tr, T, tokens, targets, scale, grad, &bp, dfinal, dinit);
    state_free(&s);
    backprop_free(&bp);
    trace_free(&tr);
    return loss;
}

/* ------------------------------------------------ against central differences */
/* Where element e of a tensor W is, in words: its row and column, and for a
   layer's W_ih, W_hh and b, the gate (the blocks i, f, g, o of H rows; a
   bias is one row of 4H) and the unit.  (Only the double build checks.) */
#ifdef LSTM_DOUBLE
static const char *where(const char *name, Matrix W, size_t e, int H, char buf[96])
{
    int r = (int)(e / (size_t)W.cols), col = (int)(e % (size_t)W.cols);
    bool layer = strncmp(name, "layer", 5) == 0;
    if (layer && W.rows == 1)
        snprintf(buf, 96, "element %zu: gate %c, unit %d", e, "ifgo"[col / H], col % H);
    else if (layer)
        snprintf(buf, 96, "element %zu: row %d (gate %c, unit %d), column %d", e, r, "ifgo"[r / H], r % H, col);
    else
        snprintf(buf, 96, "element %zu: row %d, column %d", e, r, col);
    return buf;
}
#endif

static void check_all(int V, int H, int L, int T, int B, uint64_t seed)
{
#ifndef LSTM_DOUBLE
    (void)V; (void)H; (void)L; (void)T; (void)B; (void)seed;
    cr_skip_test("the gradient check needs real = double (see chapter 4); the double build runs it");
#else
    Case c = make_case(V, H, L, T, B, seed);
    Model g = model_like(&c.m);
    State dinit = state_new(&c.m, B);
    real scale = (real)1 / (real)(T * B);
    gradient(&c, T, c.tokens, c.targets, &c.init, scale, &g, NULL, &dinit);
    TensorCheck *res = malloc((size_t)model_tensor_count(&c.m) * sizeof *res);
    grad_check(&c.m, &g, T, B, c.tokens, c.targets, &c.init, scale, 1e-3, 0, NULL, res);
    for (int k = 0; k < model_tensor_count(&c.m); k++) {
        Matrix W = model_tensor(&c.m, k, NULL);
        char buf[96];
        cr_assert_eq(res[k].checked, (size_t)W.rows * (size_t)W.cols);
        cr_assert(res[k].worst < GRADCHECK_BOUND,
                  "%s, %s: backprop %.10g, central difference %.10g, relative error %.2e",
                  res[k].name, where(res[k].name, W, res[k].worst_at, H, buf),
                  res[k].analytic, res[k].numeric, res[k].worst);
    }
    /* The initial state, by hand: same central differences. */
    Trace tr = trace_new(&c.m, T, B);
    State s = state_new(&c.m, B);
    for (int l = 0; l < L; l++)
        for (int which = 0; which < 2; which++) {
            Matrix X = which ? c.init.c[l] : c.init.h[l], D = which ? dinit.c[l] : dinit.h[l];
            for (int e = 0; e < B * H; e++) {
                /* the five-point difference of chapter 4, written out again */
                real keep = X.data[e];
                const double eps = 1e-3, step[4] = { eps, -eps, 2 * eps, -2 * eps };
                double f[4];
                for (int q4 = 0; q4 < 4; q4++) {
                    X.data[e] = keep + (real)step[q4];
                    for (int q = 0; q < L; q++) { mat_copy(s.h[q], c.init.h[q]); mat_copy(s.c[q], c.init.c[q]); }
                    f[q4] = scale * net_forward(&c.m, &tr, T, c.tokens, c.targets, &s, NULL);
                }
                X.data[e] = keep;
                double numeric = (8 * (f[0] - f[1]) - (f[2] - f[3])) / (12 * eps);
                double err = relative_error((double)D.data[e], numeric);
                cr_assert(err < GRADCHECK_BOUND, "initial %s of layer %d, element %d: %.10g vs %.10g",
                          which ? "c" : "h", l + 1, e, (double)D.data[e], numeric);
            }
        }
    state_free(&s);
    trace_free(&tr);
    free(res);
    state_free(&dinit);
    model_free(&g);
    free_case(&c);
#endif
}

Test(gradcheck, one_layer)                { check_all(5, 4, 1, 6, 2, 1); }
Test(gradcheck, two_layers)               { check_all(6, 5, 2, 12, 3, 2); }
Test(gradcheck, three_layers_long)        { check_all(4, 3, 3, 20, 1, 3); }
Test(gradcheck, two_layers_T20_B2)        { check_all(7, 6, 2, 20, 2, 4); }
Test(gradcheck, rows_with_nothing_to_predict) { check_all(5, 4, 2, 9, 3, 8); }
Test(gradcheck, one_unit_one_step)        { check_all(2, 1, 1, 1, 1, 5); }

/* The check must be able to fail: a gradient with one element changed. */
Test(gradcheck, notices_a_wrong_element)
{
#ifndef LSTM_DOUBLE
    cr_skip_test("needs real = double");
#else
    Case c = make_case(5, 3, 2, 5, 2, 6);
    Model g = model_like(&c.m);
    real scale = (real)1 / 10;
    gradient(&c, 5, c.tokens, c.targets, &c.init, scale, &g, NULL, NULL);
    MAT(g.layer[1].W_hh, 4, 2) *= (real)1.001;          /* a forget-gate weight, 0.1% off */
    TensorCheck res[8];
    grad_check(&c.m, &g, 5, 2, c.tokens, c.targets, &c.init, scale, 1e-3, 0, NULL, res);
    cr_assert(res[4].worst > 1e-4, "a 0.1%% error went unnoticed (%.2e)", res[4].worst);
    cr_assert_eq(res[4].worst_at, 4 * 3 + 2);
    model_free(&g);
    free_case(&c);
#endif
}

/* ------------------------------------------------ identities */
/* |a - b| for every parameter, against a bound of  n_ops x u x (the largest
   magnitude in the tensor): each gradient element is a sum of at most
   T B products of values computed from O(T H) earlier roundings, so 4 T H u
   of the tensor's scale is above what rounding can do, and far below what a
   wrong term (of the size of the gradient itself) does. */
static void same_gradient(const Model *a, const Model *b, int T, int H, const char *what)
{
    for (int k = 0; k < model_tensor_count(a); k++) {
        char name[MODEL_TENSOR_NAME_MAX];
        Matrix A = model_tensor(a, k, name), Bm = model_tensor(b, k, NULL);
        size_t n = (size_t)A.rows * (size_t)A.cols;
        double scale = 0;
        for (size_t e = 0; e < n; e++) scale = fmax(scale, fabs((double)A.data[e]));
        double bound = 4.0 * T * (H + 4) * (double)REAL_EPSILON * scale;
        for (size_t e = 0; e < n; e++)
            cr_assert(fabs((double)A.data[e] - (double)Bm.data[e]) <= bound,
                      "%s: %s element %zu: %.9g vs %.9g (bound %.2g)", what, name, e,
                      (double)A.data[e], (double)Bm.data[e], bound);
    }
}

Test(identities, a_sequence_is_its_two_halves)
{
    for (int split = 1; split < 9; split += 3) {
        Case c = make_case(6, 5, 2, 9, 2, 10 + (uint64_t)split);
        int B = 2, T1 = split, T2 = 9 - split;
        Model whole = model_like(&c.m), parts = model_like(&c.m);
        gradient(&c, 9, c.tokens, c.targets, &c.init, 1, &whole, NULL, NULL);
        /* The first half forward, to know the state the second half starts from. */
        State mid = state_new(&c.m, B);
        for (int l = 0; l < c.m.L; l++) { mat_copy(mid.h[l], c.init.h[l]); mat_copy(mid.c[l], c.init.c[l]); }
        Trace tr = trace_new(&c.m, T1, B);
        net_forward(&c.m, &tr, T1, c.tokens, c.targets, &mid, NULL);
        trace_free(&tr);
        /* Second half first, backwards; its dinitial seeds the first half. */
        State dmid = state_new(&c.m, B);
        gradient(&c, T2, c.tokens + T1 * B, c.targets + T1 * B, &mid, 1, &parts, NULL, &dmid);
        gradient(&c, T1, c.tokens, c.targets, &c.init, 1, &parts, &dmid, NULL);
        same_gradient(&whole, &parts, 9, 5, "whole vs halves");
        state_free(&dmid);
        state_free(&mid);
        model_free(&whole);
        model_free(&parts);
        free_case(&c);
    }
}

Test(identities, a_batch_is_the_sum_of_its_streams)
{
    int B = 3, T = 7;
    Case c = make_case(5, 4, 3, T, B, 20);
    Model batch = model_like(&c.m), sum = model_like(&c.m);
    gradient(&c, T, c.tokens, c.targets, &c.init, 1, &batch, NULL, NULL);
    Case one = c;
    one.B = 1;
    int tok[7], tgt[7];
    for (int b = 0; b < B; b++) {
        State init = state_new(&c.m, 1);
        for (int l = 0; l < c.m.L; l++) {
            mat_copy(init.h[l], mat_rows(c.init.h[l], b, 1));
            mat_copy(init.c[l], mat_rows(c.init.c[l], b, 1));
        }
        for (int t = 0; t < T; t++) { tok[t] = c.tokens[t * B + b]; tgt[t] = c.targets[t * B + b]; }
        gradient(&one, T, tok, tgt, &init, 1, &sum, NULL, NULL);
        state_free(&init);
    }
    same_gradient(&batch, &sum, T, 4, "batch vs streams");
    model_free(&batch);
    model_free(&sum);
    free_case(&c);
}

/* The gradient of a model of zeros can be written down: h = 0 everywhere,
   so only the decoder bias sees anything: db_y = s sum_r (1/V - [k = target]). */
Test(backward, zero_model_by_hand)
{
    uint32_t cps[4] = { 'a', 'b', 'c', 'd' };
    Vocab v = { .size = 4, .cp = cps };
    Model m = model_new(&v, 3, 2), g = model_like(&m);
    int tokens[6] = { 0, 1, 2, 3, 0, 1 }, targets[6] = { 1, 1, 3, 0, 2, 1 };
    Trace tr = trace_new(&m, 3, 2);
    Backprop bp = backprop_new(&m, 3, 2);
    State s = state_new(&m, 2);
    net_forward(&m, &tr, 3, tokens, targets, &s, NULL);
    net_backward(&m, &tr, 3, tokens, targets, (real)0.5, &g, &bp, NULL, NULL);
    int count[4] = { 1, 3, 1, 1 };   /* how often each character is a target */
    for (int k = 0; k < 4; k++)
        cr_assert(fabs((double)g.b_y.data[k] - 0.5 * (6 * 0.25 - count[k])) < 8 * REAL_EPSILON,
                  "db_y[%d] = %g", k, (double)g.b_y.data[k]);
    /* everything else is exactly zero: each term has a factor h = 0 or g = 0
       or a dh that is a product with W = 0 */
    for (size_t i = 0; i < g.count - 4; i++)
        cr_assert_eq(g.params[i], 0, "parameter %zu is %g", i, (double)g.params[i]);
    state_free(&s);
    backprop_free(&bp);
    trace_free(&tr);
    model_free(&g);
    model_free(&m);
}

/* ------------------------------------------------ dropout */

/* With dropout, the loss is still a smooth function of the weights once the
   masks are drawn; backprop must give its gradient.  The masks stay in the
   trace, so the five-point differences are taken here, by hand, with the same
   trace and so the same masks, for every element of every tensor.  And the
   masks must matter: the gradient differs from the one without dropout. */
Test(gradcheck, with_dropout)
{
#ifndef LSTM_DOUBLE
    cr_skip_test("the gradient check needs real = double (see chapter 4); the double build runs it");
#else
    enum { V = 5, H = 4, L = 3, T = 7, B = 2 };
    Case c = make_case(V, H, L, T, B, 21);
    Trace tr = trace_new(&c.m, T, B);
    Backprop bp = backprop_new(&c.m, T, B);
    Rng rng;
    rng_seed(&rng, 22, 0);
    trace_dropout(&tr, 0.4, &rng);
    real scale = (real)1 / (real)(T * B);
    State s = state_new(&c.m, B);
    for (int l = 0; l < L; l++) { mat_copy(s.h[l], c.init.h[l]); mat_copy(s.c[l], c.init.c[l]); }
    Model g = model_like(&c.m);
    net_forward(&c.m, &tr, T, c.tokens, c.targets, &s, NULL);
    net_backward(&c.m, &tr, T, c.tokens, c.targets, scale, &g, &bp, NULL, NULL);
    Model g0 = model_like(&c.m);
    gradient(&c, T, c.tokens, c.targets, &c.init, scale, &g0, NULL, NULL);   /* no dropout */
    double differ = 0;
    for (int k = 0; k < model_tensor_count(&c.m); k++) {
        char name[MODEL_TENSOR_NAME_MAX];
        Matrix W = model_tensor(&c.m, k, name), G = model_tensor(&g, k, NULL), G0 = model_tensor(&g0, k, NULL);
        for (int e = 0; e < W.rows * W.cols; e++) {
            real keep = W.data[e];
            const double eps = 1e-3, step[4] = { eps, -eps, 2 * eps, -2 * eps };
            double f[4];
            for (int q4 = 0; q4 < 4; q4++) {
                W.data[e] = keep + (real)step[q4];
                for (int l = 0; l < L; l++) { mat_copy(s.h[l], c.init.h[l]); mat_copy(s.c[l], c.init.c[l]); }
                f[q4] = scale * net_forward(&c.m, &tr, T, c.tokens, c.targets, &s, NULL);
            }
            W.data[e] = keep;
            double numeric = (8 * (f[0] - f[1]) - (f[2] - f[3])) / (12 * eps);
            double err = relative_error((double)G.data[e], numeric);
            cr_assert(err < GRADCHECK_BOUND, "%s, element %d: backprop %.10g, difference %.10g (%.2e)",
                      name, e, (double)G.data[e], numeric, err);
            differ = fmax(differ, relative_error((double)G.data[e], (double)G0.data[e]));
        }
    }
    cr_assert(differ > 1e-2, "the gradient with dropout is the gradient without it");
    model_free(&g0);
    model_free(&g);
    state_free(&s);
    backprop_free(&bp);
    trace_free(&tr);
    free_case(&c);
#endif
}
