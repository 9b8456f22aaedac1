/* tests/stage3/test_net.c — the network against chapter 2's cells stepped by
 * hand, layer by layer; its loss against a log-softmax done in long double;
 * the all-zero model; and feeding a text in pieces. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "net.h"
#include "ref.h"

static Model random_model(int V, int H, int L, uint64_t seed)
{
    uint32_t *cps = malloc((size_t)V * sizeof *cps);
    for (int k = 0; k < V; k++) cps[k] = (uint32_t)('A' + 2 * k);
    Vocab v = { .size = V, .cp = cps };
    Model m = model_new(&v, H, L);
    free(cps);
    Rng rng;
    rng_seed(&rng, seed, 2);
    /* larger than Xavier, so that the gates are far from 1/2 and a mistake shows */
    mat_uniform(mat_view(m.params, 1, (int)m.count, (int)m.count), -1, 1, &rng);
    return m;
}

static int *random_tokens(int n, int V, Rng *rng)
{
    int *t = malloc((size_t)n * sizeof *t);
    for (int i = 0; i < n; i++) t[i] = (int)rng_below(rng, (uint32_t)V);
    return t;
}

/* The whole network, one step and one layer at a time with chapter 2's
   cell_step, must give the trace's states exactly.  Exactly, because every
   element is computed by the same operations in the same order: the product
   kernels sum each element over p = 0..k-1 whatever the number of rows, and
   the elementwise update is row by row. */
static void check_against_cells(int V, int H, int L, int T, int B, uint64_t seed)
{
    Model m = random_model(V, H, L, seed);
    Rng rng;
    rng_seed(&rng, seed, 3);
    int *tokens = random_tokens(T * B, V, &rng), *targets = random_tokens(T * B, V, &rng);
    for (int r = 3; r < T * B; r += 5) targets[r] = -1;   /* rows with nothing to predict */
    State s = state_new(&m, B);
    for (int l = 0; l < L; l++) {             /* a nonzero state coming in */
        mat_uniform(s.h[l], -1, 1, &rng);
        mat_uniform(s.c[l], -2, 2, &rng);
    }
    /* by hand: h[l], c[l] are the running state of layer l */
    Matrix *h = malloc((size_t)L * sizeof *h), *c = malloc((size_t)L * sizeof *c);
    for (int l = 0; l < L; l++) {
        h[l] = mat_new(B, H); mat_copy(h[l], s.h[l]);
        c[l] = mat_new(B, H); mat_copy(c[l], s.c[l]);
    }
    Trace tr = trace_new(&m, T, B);
    long correct = 0;
    double loss = net_forward(&m, &tr, T, tokens, targets, &s, &correct);

    Matrix Z = mat_new(B, 4 * H), hn = mat_new(B, H), cn = mat_new(B, H), X = mat_new(B, V);
    Matrix top = mat_new(T * B, H);
    for (int t = 0; t < T; t++)
        for (int l = 0; l < L; l++) {
            if (l == 0) {   /* one-hot rows, multiplied out: exact, as 0 w and 1 w are */
                mat_fill(X, 0);
                for (int b = 0; b < B; b++) MAT(X, b, tokens[t * B + b]) = 1;
                cell_input(&m.layer[0], X, Z);
            } else {
                cell_input(&m.layer[l], h[l - 1], Z);
            }
            cell_recur(&m.layer[l], h[l], c[l], Z, cn, hn);
            mat_copy(h[l], hn);
            mat_copy(c[l], cn);
            for (int b = 0; b < B; b++)
                for (int j = 0; j < H; j++) {
                    cr_assert_eq(MAT(h[l], b, j), MAT(tr.h[l], (t + 1) * B + b, j),
                                 "h of layer %d, step %d, row %d, unit %d", l + 1, t, b, j);
                    cr_assert_eq(MAT(c[l], b, j), MAT(tr.c[l], (t + 1) * B + b, j));
                }
            for (int b = 0; b < B; b++)
                for (int j = 0; j < 4 * H; j++)
                    cr_assert_eq(MAT(Z, b, j), MAT(tr.Z[l], t * B + b, j), "gates of layer %d", l + 1);
            if (l == L - 1) mat_copy(mat_rows(top, t * B, B), h[l]);
        }
    for (int l = 0; l < L; l++) {              /* the state handed on is the last one */
        cr_assert(memcmp(s.h[l].data, h[l].data, (size_t)B * H * sizeof(real)) == 0);
        cr_assert(memcmp(s.c[l].data, c[l].data, (size_t)B * H * sizeof(real)) == 0);
    }

    /* The decoder and the loss, in long double.  Each logit carries the
       rounding of a sum of H + 1 terms, at most gamma(H + 1) times the sum of
       their magnitudes; the log-softmax of a row moves by at most twice the
       largest logit error, plus the rounding of its own few operations on
       numbers of the size of the result (a few u each, 8 u allowed). */
    ld want = 0, bound = 0;
    long right = 0;
    for (int r = 0; r < T * B; r++) {
        if (targets[r] < 0) continue;
        ld y[64], mag = 0, mx = -1e300L, s2 = 0;
        for (int k = 0; k < V; k++) {
            ld sum = (ld)m.b_y.data[k], abs = fabsl(sum);
            for (int j = 0; j < H; j++) {
                sum += (ld)MAT(top, r, j) * (ld)MAT(m.W_y, k, j);
                abs += fabsl((ld)MAT(top, r, j) * (ld)MAT(m.W_y, k, j));
            }
            y[k] = sum;
            if (abs > mag) mag = abs;
            if (sum > mx) mx = sum;
        }
        for (int k = 0; k < V; k++) s2 += expl(y[k] - mx);
        ld lp = y[targets[r]] - mx - logl(s2);
        want -= lp;
        bound += 2 * ref_gamma(H + 1) * mag + 8 * ref_u() * (1 + fabsl(lp) + fabsl(mx));
        int best = 0;
        for (int k = 1; k < V; k++) if (y[k] > y[best]) best = k;
        right += best == targets[r];
    }
    cr_assert(fabsl((ld)loss - want) <= bound, "loss %.17g, long double %.17Lg, bound %.3Lg",
              loss, want, bound);
    /* Ties within rounding could flip a guess; with random logits they do not. */
    cr_assert_eq(correct, right);

    for (int l = 0; l < L; l++) { mat_free(&h[l]); mat_free(&c[l]); }
    free(h); free(c);
    mat_free(&Z); mat_free(&hn); mat_free(&cn); mat_free(&X); mat_free(&top);
    trace_free(&tr);
    state_free(&s);
    free(tokens); free(targets);
    model_free(&m);
}

Test(net, one_layer_equals_cells_by_hand)    { check_against_cells(7, 5, 1, 6, 3, 1); }
Test(net, two_layers_equal_cells_by_hand)    { check_against_cells(11, 8, 2, 9, 4, 2); }
Test(net, three_layers_equal_cells_by_hand)  { check_against_cells(5, 3, 3, 4, 2, 3); }
Test(net, one_row_one_step)                  { check_against_cells(2, 1, 2, 1, 1, 4); }
Test(net, wide_layers_cross_the_kernel_tiles){ check_against_cells(40, 70, 2, 3, 5, 5); }

Test(net, all_zero_model_scores_exactly_ln_V)
{
    uint32_t cps[13];
    for (int k = 0; k < 13; k++) cps[k] = (uint32_t)('a' + k);
    Vocab v = { .size = 13, .cp = cps };
    Model m = model_new(&v, 6, 2);
    int T = 5, B = 3, tokens[15], targets[15];
    for (int i = 0; i < 15; i++) { tokens[i] = i % 13; targets[i] = (i * 7) % 13; }
    Trace tr = trace_new(&m, T, B);
    State s = state_new(&m, B);
    double loss = net_forward(&m, &tr, T, tokens, targets, &s, NULL);
    /* i = f = o = 1/2 and g = 0, so c = h = 0; every logit is 0; every
       log-probability is -log V, computed as the log of the exact sum V: the
       real nearest to ln V (glibc's log and logf round 13 correctly). */
    for (int r = 0; r < T * B; r++)
        for (int k = 0; k < 13; k++)
            cr_assert_eq(MAT(tr.logp, r, k), -(real)log(13.0), "%.9g, not -ln 13 = %.9g",
                         (double)MAT(tr.logp, r, k), -(double)(real)log(13.0));
    for (int l = 0; l < 2; l++)
        for (int r = 0; r < (T + 1) * B; r++)
            for (int j = 0; j < 6; j++)
                cr_assert(MAT(tr.h[l], r, j) == 0 && MAT(tr.c[l], r, j) == 0);
    /* the double sum of 15 equal terms: exact within 15 roundings of double */
    double want = 15 * (double)(real)log(13.0);
    cr_assert(fabs(loss - want) <= 15 * 1.2e-16 * want, "loss %.17g, want %.17g", loss, want);
    trace_free(&tr);
    state_free(&s);
    model_free(&m);
}

/* Three calls of 4 steps, twelve of 1, or one of 12: the same states, and
   the same loss up to the order of the double sum. */
Test(net, pieces_of_any_length_give_the_same_result)
{
    Model m = random_model(9, 6, 2, 21);
    Rng rng;
    rng_seed(&rng, 21, 4);
    int n = 13, *text = random_tokens(n, 9, &rng);
    const int pieces[] = { 12, 4, 1, 5 };
    double first = 0;
    Matrix h_first = mat_new(1, 6);
    for (int q = 0; q < 4; q++) {
        int T = pieces[q];
        Trace tr = trace_new(&m, T, 1);
        State s = state_new(&m, 1);
        double loss = 0;
        for (int at = 0; at + 1 < n; at += T) {
            int steps = n - 1 - at < T ? n - 1 - at : T;
            loss += net_forward(&m, &tr, steps, text + at, text + at + 1, &s, NULL);
        }
        if (q == 0) { first = loss; mat_copy(h_first, s.h[1]); }
        cr_assert(fabs(loss - first) <= 1e-12 * first, "pieces of %d: %.17g, not %.17g", T, loss, first);
        cr_assert(memcmp(h_first.data, s.h[1].data, 6 * sizeof(real)) == 0, "pieces of %d: final h", T);
        trace_free(&tr);
        state_free(&s);
    }
    mat_free(&h_first);
    free(text);
    model_free(&m);
}

/* ------------------------------------------------------------ dropout */

/* The masks: every value 0 or 1/(1-p), about a fraction p of them 0 (a
   binomial count, checked to within 5 standard deviations), a new draw each
   time; and p = 0 turns dropout off: the pass is the plain one, bit for bit. */
Test(dropout, masks_are_0_or_1_over_1_minus_p)
{
    Model m = random_model(6, 7, 2, 31);
    enum { T = 20, B = 3 };
    Trace tr = trace_new(&m, T, B);
    Rng rng;
    rng_seed(&rng, 32, 0);
    const real p = (real)0.3;
    trace_dropout(&tr, p, &rng);
    long zeros = 0, n = 0;
    for (int l = 0; l < 2; l++)
        for (int i = 0; i < T * B * 7; i++, n++) {
            real v = tr.mask[l].data[i];
            cr_assert(v == 0 || v == 1 / (1 - p), "mask value %g", (double)v);
            zeros += v == 0;
        }
    double sd = sqrt(n * 0.3 * 0.7);
    cr_assert(fabs((double)zeros - 0.3 * (double)n) < 5 * sd, "%ld of %ld dropped, expected about %.0f",
              zeros, n, 0.3 * (double)n);
    Trace tr2 = trace_new(&m, T, B);
    trace_dropout(&tr2, p, &rng);                            /* the generator has moved on */
    cr_assert(memcmp(tr2.mask[1].data, tr.mask[1].data, (size_t)(T * B * 7) * sizeof(real)) != 0,
              "a second draw gave the same masks");
    /* p = 0: the plain pass */
    int *tok = random_tokens(T * B, 6, &rng);
    State s1 = state_new(&m, B), s2 = state_new(&m, B);
    trace_dropout(&tr, 0, &rng);
    double a = net_forward(&m, &tr, T, tok, tok, &s1, NULL);
    double b = net_forward(&m, &tr2, T, tok, tok, &s2, NULL);   /* tr2 still drops */
    Trace plain = trace_new(&m, T, B);
    State s3 = state_new(&m, B);
    double c = net_forward(&m, &plain, T, tok, tok, &s3, NULL);
    cr_assert_eq(a, c, "p = 0 is not the plain pass: %.17g vs %.17g", a, c);
    cr_assert(a != b, "dropping values changed nothing");
    free(tok);
    state_free(&s1); state_free(&s2); state_free(&s3);
    trace_free(&tr); trace_free(&tr2); trace_free(&plain);
    model_free(&m);
}

/* Where the masks act, by two equivalences that use no dropout code: a mask
   of all zeros between layers 1 and 2 is a layer 2 whose W_ih is zero; a
   mask of all 2s under the decoder is a W_y twice as large.  Both hold
   exactly: the same products, with a factor that is 0 or a power of 2. */
Test(dropout, masks_act_between_layers_and_under_the_decoder)
{
    Model m = random_model(5, 6, 2, 41);
    enum { T = 9, B = 2 };
    Rng rng;
    rng_seed(&rng, 42, 0);
    int *tok = random_tokens(T * B, 5, &rng);
    Trace tr = trace_new(&m, T, B);
    trace_dropout(&tr, (real)0.5, &rng);                     /* makes the masks */
    for (int i = 0; i < T * B * 6; i++) { tr.mask[0].data[i] = 0; tr.mask[1].data[i] = 2; }
    State s = state_new(&m, B);
    double dropped = net_forward(&m, &tr, T, tok, tok, &s, NULL);

    Model m2 = model_like(&m);
    memcpy(m2.params, m.params, m.count * sizeof(real));
    mat_fill(m2.layer[1].W_ih, 0);
    mat_scale(m2.W_y, 2);
    Trace plain = trace_new(&m2, T, B);
    State s2 = state_new(&m2, B);
    double same = net_forward(&m2, &plain, T, tok, tok, &s2, NULL);
    cr_assert_eq(dropped, same, "with the masks %.17g, with the changed model %.17g", dropped, same);
    cr_assert(memcmp(tr.logp.data, plain.logp.data, (size_t)(T * B * 5) * sizeof(real)) == 0,
              "the log-probabilities differ");
    free(tok);
    state_free(&s); state_free(&s2);
    trace_free(&tr); trace_free(&plain);
    model_free(&m); model_free(&m2);
}
