/* tests/exercises/ex3-3.c — exercise 3.3: net_top_k_hits, how many of the
 * predictions in a trace have the true next character among their k most
 * probable.  Run with `make exercise EX=3.3` after adding it to chapter 3.
 * It fails to link until the function exists; its checks fail until it
 * agrees with distributions written out by hand, ties and targets of -1
 * (nothing to predict) included, and with net_forward's own count at k = 1. */
#include <criterion/criterion.h>
#include <math.h>
#include "net.h"

long net_top_k_hits(const Trace *tr, int T, const int *targets, int k);

static Model model(int V, int H)
{
    static uint32_t cps[16];
    for (int k = 0; k < V; k++) cps[k] = (uint32_t)('a' + k);
    Vocab v = { .size = V, .cp = cps };
    return model_new(&v, H, 2);
}

Test(exercise_3_3, distributions_written_out_by_hand)
{
    Model m = model(5, 3);
    Trace tr = trace_new(&m, 2, 2);     /* T = 2 steps of B = 2 streams: 4 rows */
    static const double p[4][5] = {
        { 0.40, 0.30, 0.15, 0.10, 0.05 },   /* target 2: third most probable */
        { 0.05, 0.05, 0.10, 0.20, 0.60 },   /* target 0: tied last with 1 */
        { 0.20, 0.20, 0.20, 0.20, 0.20 },   /* target 3: all tied */
        { 0.10, 0.70, 0.10, 0.05, 0.05 },   /* target -1: nothing to predict */
    };
    for (int r = 0; r < 4; r++)
        for (int k = 0; k < 5; k++) MAT(tr.logp, r, k) = (real)log(p[r][k]);
    int targets[4] = { 2, 0, 3, -1 };
    /* A hit when fewer than k characters are strictly more probable than the
       target.  Rows: the target's rank is 3, 4 (after 4, 3, 2; tied with 1),
       1 (no character is more probable) and none. */
    static const long want[6] = { 0, 1, 1, 2, 3, 3 };   /* k = 0 .. 5 */
    for (int k = 0; k <= 5; k++) {
        long got = net_top_k_hits(&tr, 2, targets, k);
        cr_assert_eq(got, want[k], "k = %d: %ld hits, want %ld (rows by hand: ranks 3, 4, 1, none)",
                     k, got, want[k]);
    }
    cr_assert_eq(net_top_k_hits(&tr, 1, targets, 5), 2, "T = 1: only the first B = 2 rows count");
    trace_free(&tr);
    model_free(&m);
}

Test(exercise_3_3, k_of_1_is_net_forwards_count_of_right_guesses)
{
    Model m = model(7, 6);
    Rng rng;
    rng_seed(&rng, 33, 0);
    mat_uniform(mat_view(m.params, 1, (int)m.count, (int)m.count), -1, 1, &rng);
    int T = 20, B = 3, tokens[60], targets[60];
    for (int i = 0; i < T * B; i++) {
        tokens[i] = (int)rng_below(&rng, 7);
        targets[i] = (int)rng_below(&rng, 7);
    }
    Trace tr = trace_new(&m, T, B);
    State s = state_new(&m, B);
    long correct = 0;
    net_forward(&m, &tr, T, tokens, targets, &s, &correct);
    cr_assert_eq(net_top_k_hits(&tr, T, targets, 1), correct,
                 "k = 1: %ld hits, net_forward counted %ld right guesses",
                 net_top_k_hits(&tr, T, targets, 1), correct);
    cr_assert_eq(net_top_k_hits(&tr, T, targets, 7), T * B, "k = V: every prediction is a hit");
    state_free(&s);
    trace_free(&tr);
    model_free(&m);
}
