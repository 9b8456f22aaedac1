/* tests/exercises/ex3-4.c — exercise 3.4: net_entropy, the summed entropy of
 * the predictions of a forward pass.  Run with `make exercise EX=3.4` after
 * adding net_entropy to chapter 3.  It fails to link until net_entropy
 * exists, and fails its checks until it is right. */
#include <criterion/criterion.h>
#include <math.h>
#include "net.h"
#include "ref.h"

double net_entropy(const Trace *tr, int T);

static Model model(int V, int H, bool zero)
{
    uint32_t cps[64];
    for (int k = 0; k < V; k++) cps[k] = (uint32_t)(0x3B1 + k);   /* Greek letters */
    Vocab v = { .size = V, .cp = cps };
    Model m = model_new(&v, H, 2);
    if (!zero) {
        Rng rng;
        rng_seed(&rng, 34, 0);
        mat_uniform(mat_view(m.params, 1, (int)m.count, (int)m.count), -1.5, 1.5, &rng);
    }
    return m;
}

static double run(Model *m, int T, int B, Trace *tr)
{
    int tokens[64];
    for (int i = 0; i < T * B; i++) tokens[i] = (i * 5 + 1) % m->V;
    *tr = trace_new(m, T, B);
    State s = state_new(m, B);
    net_forward(m, tr, T, tokens, NULL, &s, NULL);
    state_free(&s);
    return net_entropy(tr, T);
}

Test(exercise_3_4, knowing_nothing_is_ln_V_per_prediction)
{
    Model m = model(17, 4, true);
    Trace tr;
    double e = run(&m, 3, 2, &tr);
    /* every p is 1/V: the entropy of each of the 6 predictions is ln V */
    cr_assert(fabs(e - 6 * log(17.0)) <= 1e-5 * 6 * log(17.0), "entropy %.9g, not 6 ln 17", e);
    trace_free(&tr);
    model_free(&m);
}

Test(exercise_3_4, equals_the_definition_on_a_random_model)
{
    Model m = model(9, 5, false);
    Trace tr;
    int T = 4, B = 3;
    double e = run(&m, T, B, &tr);
    /* The definition, from the log-probabilities in long double.  Each term
       is off by a few roundings of real; 16 u per term and row is generous
       for V = 9 terms of size at most 1/e. */
    ld want = 0;
    for (int r = 0; r < T * B; r++)
        for (int k = 0; k < 9; k++) {
            ld lp = (ld)MAT(tr.logp, r, k);
            want -= expl(lp) * lp;
        }
    cr_assert(fabsl((ld)e - want) <= 16 * ref_u() * T * B * 9, "entropy %.9g, not %.9Lg", e, want);
    cr_assert(e > 0 && e < T * B * log(9.0), "entropy %.9g outside (0, N ln V)", e);
    trace_free(&tr);
    model_free(&m);
}
