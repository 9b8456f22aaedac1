/* tests/stage9/test_embed.c — the embedded model of chapter 9 against
 * chapter 8's one-hot model: bit for bit when the table is the identity;
 * through the factorisation W_ih^one-hot = W_ih emb^T, by the chain rule in
 * long double, for a table of any width; and against central differences
 * (double build). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "gradcheck.h"
#include "ref.h"

typedef struct {
    Model m;                 /* the model under test */
    int T, B, *tokens, *targets;
    State init;
} Case;

static uint32_t cps[64];

/* V tokens; the text's tokens are drawn from every `stride`-th one, so that
   the others are missing from it. */
static void draw_text(Case *c, int V, int stride, Rng *rng)
{
    int N = c->T * c->B, used = (V + stride - 1) / stride;
    c->tokens = malloc((size_t)N * sizeof(int));
    c->targets = malloc((size_t)N * sizeof(int));
    for (int r = 0; r < N; r++) {
        c->tokens[r] = stride * (int)rng_below(rng, (uint32_t)used);
        c->targets[r] = (int)rng_below(rng, (uint32_t)V);
    }
}

static void draw_state(Case *c, Rng *rng)
{
    c->init = state_new(&c->m, c->B);
    for (int l = 0; l < c->m.L; l++) {
        mat_uniform(c->init.h[l], -0.8, 0.8, rng);
        mat_uniform(c->init.c[l], -1.5, 1.5, rng);
    }
}

static Vocab vocab_of_size(int V)
{
    for (int k = 0; k < V; k++) cps[k] = (uint32_t)('0' + k);
    return (Vocab){ .size = V, .cp = cps };
}

static void free_case(Case *c)
{
    free(c->tokens);
    free(c->targets);
    state_free(&c->init);
    model_free(&c->m);
}

/* The loss (summed), the final state into out, and grad (zeroed first). */
static double run(const Model *m, const Case *c, real dropout, uint64_t mask_seed,
                  Trace *tr, State *out, Model *grad)
{
    Backprop bp = backprop_new(m, c->T, c->B);
    Rng masks;
    rng_seed(&masks, mask_seed, 11);
    trace_dropout(tr, dropout, &masks);
    for (int l = 0; l < m->L; l++) {
        mat_copy(out->h[l], c->init.h[l]);
        mat_copy(out->c[l], c->init.c[l]);
    }
    double loss = net_forward(m, tr, c->T, c->tokens, c->targets, out, NULL);
    model_zero(grad);
    net_backward(m, tr, c->T, c->tokens, c->targets, (real)0.1, grad, &bp, NULL, NULL);
    backprop_free(&bp);
    return loss;
}

static bool same_bits(Matrix a, Matrix b)
{
    return a.rows == b.rows && a.cols == b.cols
        && memcmp(a.data, b.data, (size_t)a.rows * (size_t)a.cols * sizeof(real)) == 0;
}

/* ------------------------------------------------ E = V, the identity table */
static void identity_case(int V, int H, int L, int T, int B, real dropout, uint64_t seed)
{
    Vocab v = vocab_of_size(V);
    Model one = model_new(&v, H, L);
    Case c = { .T = T, .B = B, .m = model_new_embedded(&v, V, H, L) };
    Rng rng;
    rng_seed(&rng, seed, 7);
    mat_uniform(mat_view(one.params, 1, (int)one.count, (int)one.count), -0.5, 0.5, &rng);
    for (int k = 0; k < model_tensor_count(&one); k++)   /* every tensor of chapter 8's model */
        mat_copy(model_tensor(&c.m, k, NULL), model_tensor(&one, k, NULL));
    mat_fill(c.m.emb, 0);
    for (int k = 0; k < V; k++) MAT(c.m.emb, k, k) = 1;
    draw_text(&c, V, 1, &rng);
    draw_state(&c, &rng);

    Trace t1 = trace_new(&one, T, B), t9 = trace_new(&c.m, T, B);
    State s1 = state_new(&one, B), s9 = state_new(&c.m, B);
    Model g1 = model_like(&one), g9 = model_like(&c.m);
    cr_assert_eq(g9.E, V, "model_like keeps the table");
    double l1 = run(&one, &c, dropout, seed, &t1, &s1, &g1);
    double l9 = run(&c.m, &c, dropout, seed, &t9, &s9, &g9);
    cr_assert(l1 == l9, "loss %.17g (one-hot) vs %.17g (identity table)", l1, l9);
    cr_assert(same_bits(mat_rows(t1.logp, 0, T * B), mat_rows(t9.logp, 0, T * B)),
              "the log-probabilities differ");
    for (int l = 0; l < L; l++)
        cr_assert(same_bits(s1.h[l], s9.h[l]) && same_bits(s1.c[l], s9.c[l]),
                  "the final state of layer %d differs", l + 1);
    for (int k = 0; k < model_tensor_count(&one); k++) {
        char name[MODEL_TENSOR_NAME_MAX];
        Matrix a = model_tensor(&g1, k, name), b = model_tensor(&g9, k, NULL);
        cr_assert(same_bits(a, b), "the gradient of %s differs", name);
    }
    state_free(&s1); state_free(&s9);
    trace_free(&t1); trace_free(&t9);
    model_free(&g1); model_free(&g9); model_free(&one);
    free_case(&c);
}

Test(identity, gives_chapter_8s_numbers_bit_for_bit)    { identity_case(11, 7, 2, 9, 3, 0, 1); }
Test(identity, with_dropout_too)                        { identity_case(13, 6, 3, 7, 2, (real)0.3, 2); }
Test(identity, one_stream_one_layer)                    { identity_case(5, 4, 1, 12, 1, 0, 3); }

/* ------------------------------------------------ any E: the factorisation */
/* The bound of tests/stage4's same_gradient, with E more roundings in the
   bottom layer's products: rounding differences propagated through T steps. */
static void near(Matrix a, Matrix b, int T, int H, int E, const char *what)
{
    size_t n = (size_t)a.rows * (size_t)a.cols;
    double scale = 0;
    for (size_t e = 0; e < n; e++) scale = fmax(scale, fabs((double)a.data[e]));
    double bound = 4.0 * T * (H + E + 4) * (double)REAL_EPSILON * scale;
    for (size_t e = 0; e < n; e++)
        cr_assert(fabs((double)a.data[e] - (double)b.data[e]) <= bound,
                  "%s, element %zu: %.9g vs %.9g (bound %.2g)", what, e,
                  (double)a.data[e], (double)b.data[e], bound);
}

static void factorised_case(int V, int E, int H, int L, int T, int B, uint64_t seed)
{
    Vocab v = vocab_of_size(V);
    Case c = { .T = T, .B = B, .m = model_new_embedded(&v, E, H, L) };
    Model one = model_new(&v, H, L);
    Rng rng;
    rng_seed(&rng, seed, 7);
    mat_uniform(mat_view(c.m.params, 1, (int)c.m.count, (int)c.m.count), -0.5, 0.5, &rng);
    mat_uniform(c.m.emb, -1, 1, &rng);
    /* the one-hot model: W_ih^one-hot = W_ih emb^T (4H x V), in long double; the rest copied */
    Matrix W = c.m.layer[0].W_ih, W1 = one.layer[0].W_ih;
    for (int i = 0; i < 4 * H; i++)
        for (int k = 0; k < V; k++) {
            ld s = 0;
            for (int e = 0; e < E; e++) s += (ld)MAT(W, i, e) * (ld)MAT(c.m.emb, k, e);
            MAT(W1, i, k) = (real)s;
        }
    for (int k = 1; k < model_tensor_count(&one); k++)
        mat_copy(model_tensor(&one, k, NULL), model_tensor(&c.m, k, NULL));
    draw_text(&c, V, 2, &rng);                     /* odd tokens never appear */
    draw_state(&c, &rng);

    Trace t1 = trace_new(&one, T, B), t9 = trace_new(&c.m, T, B);
    State s1 = state_new(&one, B), s9 = state_new(&c.m, B);
    Model g1 = model_like(&one), g9 = model_like(&c.m);
    double l1 = run(&one, &c, 0, seed, &t1, &s1, &g1);
    double l9 = run(&c.m, &c, 0, seed, &t9, &s9, &g9);
    double tol = 4.0 * T * (H + E + 4) * (double)REAL_EPSILON * fabs(l1);
    cr_assert(fabs(l1 - l9) <= tol, "loss %.12g (one-hot, factored) vs %.12g (table): %.2g > %.2g",
              l1, l9, fabs(l1 - l9), tol);
    for (int k = 1; k < model_tensor_count(&one); k++) {   /* every tensor but layer 1's W_ih */
        char name[MODEL_TENSOR_NAME_MAX];
        Matrix a = model_tensor(&g1, k, name);
        near(a, model_tensor(&g9, k, NULL), T, H, E, name);
    }
    /* the chain rule through W_ih^one-hot = W_ih emb^T */
    Matrix dW1 = g1.layer[0].W_ih;                       /* 4H x V */
    Matrix want_dW = mat_new(4 * H, E), want_demb = mat_new(V, E);
    for (int i = 0; i < 4 * H; i++)
        for (int e = 0; e < E; e++) {
            ld s = 0;
            for (int k = 0; k < V; k++) s += (ld)MAT(dW1, i, k) * (ld)MAT(c.m.emb, k, e);
            MAT(want_dW, i, e) = (real)s;
        }
    for (int k = 0; k < V; k++)
        for (int e = 0; e < E; e++) {
            ld s = 0;
            for (int i = 0; i < 4 * H; i++) s += (ld)MAT(dW1, i, k) * (ld)MAT(W, i, e);
            MAT(want_demb, k, e) = (real)s;
        }
    near(want_dW, g9.layer[0].W_ih, T, H, E, "layer 1 W_ih, by the chain rule");
    near(want_demb, g9.emb, T, H, E, "embedding, by the chain rule");
    for (int k = 1; k < V; k += 2)
        for (int e = 0; e < E; e++)
            cr_assert(MAT(g9.emb, k, e) == 0, "token %d is not in the text, but its row has a gradient", k);
    mat_free(&want_dW); mat_free(&want_demb);
    state_free(&s1); state_free(&s9);
    trace_free(&t1); trace_free(&t9);
    model_free(&g1); model_free(&g9); model_free(&one);
    free_case(&c);
}

Test(factorised, narrow_table)          { factorised_case(12, 3, 5, 2, 8, 3, 4); }
Test(factorised, table_wider_than_V)    { factorised_case(6, 9, 4, 1, 10, 2, 5); }
Test(factorised, three_layers_E1)       { factorised_case(9, 1, 3, 3, 6, 4, 6); }

/* ------------------------------------------------ central differences */
static void check_all(int V, int E, int H, int L, int T, int B, uint64_t seed)
{
#ifndef LSTM_DOUBLE
    (void)V; (void)E; (void)H; (void)L; (void)T; (void)B; (void)seed;
    cr_skip_test("the gradient check needs real = double (see chapter 4); the double build runs it");
#else
    Vocab v = vocab_of_size(V);
    Case c = { .T = T, .B = B, .m = model_new_embedded(&v, E, H, L) };
    Rng rng;
    rng_seed(&rng, seed, 7);
    mat_uniform(mat_view(c.m.params, 1, (int)c.m.count, (int)c.m.count), -0.5, 0.5, &rng);
    draw_text(&c, V, 1, &rng);
    draw_state(&c, &rng);
    Model g = model_like(&c.m);
    real scale = (real)1 / (real)(T * B);
    Trace tr = trace_new(&c.m, T, B);
    Backprop bp = backprop_new(&c.m, T, B);
    State s = state_new(&c.m, B);
    for (int l = 0; l < L; l++) { mat_copy(s.h[l], c.init.h[l]); mat_copy(s.c[l], c.init.c[l]); }
    net_forward(&c.m, &tr, T, c.tokens, c.targets, &s, NULL);
    net_backward(&c.m, &tr, T, c.tokens, c.targets, scale, &g, &bp, NULL, NULL);
    int K = model_tensor_count(&c.m);
    cr_assert_eq(K, 3 * L + 3);
    TensorCheck *res = malloc((size_t)K * sizeof *res);
    grad_check(&c.m, &g, T, B, c.tokens, c.targets, &c.init, scale, 1e-3, 0, NULL, res);
    for (int k = 0; k < K; k++) {
        Matrix W = model_tensor(&c.m, k, NULL);
        cr_assert_eq(res[k].checked, (size_t)W.rows * (size_t)W.cols);
        cr_assert(res[k].worst < GRADCHECK_BOUND, "%s, element %zu: backprop %.10g, central %.10g (%.2e)",
                  res[k].name, res[k].worst_at, res[k].analytic, res[k].numeric, res[k].worst);
    }
    cr_assert_str_eq(res[K - 1].name, "embedding");
    free(res);
    state_free(&s);
    backprop_free(&bp);
    trace_free(&tr);
    model_free(&g);
    free_case(&c);
#endif
}

Test(gradcheck_embedded, two_layers)            { check_all(7, 3, 4, 2, 6, 2, 7); }
Test(gradcheck_embedded, one_layer_E_above_V)   { check_all(4, 6, 3, 1, 9, 3, 8); }
Test(gradcheck_embedded, three_layers_one_row)  { check_all(5, 2, 3, 3, 5, 1, 9); }

/* The table's own initialisation: numbers of variance 1, and a new model's
   other tensors as chapter 3 draws them from the same seed. */
Test(init, numbers_of_variance_one_and_the_rest_as_chapter_3s)
{
    Vocab v = vocab_of_size(40);
    Model one = model_new(&v, 8, 2), m = model_new_embedded(&v, 40, 8, 2);
    Rng a, b;
    rng_seed(&a, 5, 3);
    rng_seed(&b, 5, 3);
    model_init(&one, &a);
    model_init(&m, &b);
    for (int k = 0; k < model_tensor_count(&one); k++)
        cr_assert(same_bits(model_tensor(&one, k, NULL), model_tensor(&m, k, NULL)),
                  "tensor %d differs from chapter 3's", k);
    double sq = 0, bound = sqrt(3.0);
    for (int e = 0; e < 40 * 40; e++) {
        cr_assert(fabs((double)m.emb.data[e]) <= bound);
        sq += (double)m.emb.data[e] * (double)m.emb.data[e];
    }
    /* the mean square of 1,600 numbers: 1, with a standard deviation of
       sqrt(0.8 / 1600) = 0.022 */
    cr_assert(fabs(sq / 1600 - 1) < 0.15, "mean square %.3f", sq / 1600);
    model_free(&one);
    model_free(&m);
}
