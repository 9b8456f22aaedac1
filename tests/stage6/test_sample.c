/* tests/stage6/test_sample.c — the sampler against stage 3's forward pass and
 * against the definitions of temperature, top-k, top-p and greedy; seeds;
 * a chi-square test of the draws. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ref.h"
#include "sample.h"

static Model random_model(int V, int H, int L, uint64_t seed)
{
    uint32_t cps[64];
    for (int k = 0; k < V; k++) cps[k] = (uint32_t)(0x41 + k);
    Vocab v = { .size = V, .cp = cps };
    Model m = model_new(&v, H, L);
    Rng rng;
    rng_seed(&rng, seed, 0);
    mat_uniform(mat_view(m.params, 1, (int)m.count, (int)m.count), -1, 1, &rng);
    return m;
}

/* After a prompt, the sampler's distribution at temperature 1 is the softmax
   of stage 3's logits for the prompt's last position, computed here from one
   forward pass over the whole prompt, with the softmax in long double.  The
   two forward passes do the same operations per row, so the log-probabilities
   agree exactly; q then carries a few roundings of double: 1e-12. */
static void check_prompt(int n)
{
    Model m = random_model(7, 5, 2, (uint64_t)n);
    Rng rng;
    rng_seed(&rng, 61, (uint64_t)n);
    int *prompt = malloc((size_t)n * sizeof *prompt);
    for (int i = 0; i < n; i++) prompt[i] = (int)rng_below(&rng, 7);
    Trace tr = trace_new(&m, n, 1);
    State st = state_new(&m, 1);
    net_forward(&m, &tr, n, prompt, NULL, &st, NULL);
    ld e[7], sum = 0;
    for (int k = 0; k < 7; k++) { e[k] = expl((ld)MAT(tr.logp, n - 1, k)); sum += e[k]; }
    Sampler s = sampler_new(&m);
    sampler_prime(&s, prompt, (size_t)n);
    SampleRule plain = { 1, 0, 1, false };
    const double *q = sampler_distribution(&s, &plain);
    for (int k = 0; k < 7; k++)
        cr_assert(fabsl((ld)q[k] - e[k] / sum) <= 1e-12L, "prompt of %d, character %d: %.15g vs %.15Lg",
                  n, k, q[k], e[k] / sum);
    for (int l = 0; l < 2; l++)
        cr_assert(memcmp(st.h[l].data, s.state.h[l].data, 5 * sizeof(real)) == 0, "the state after the prompt");
    sampler_free(&s);
    state_free(&st);
    trace_free(&tr);
    free(prompt);
    model_free(&m);
}

Test(sampler, distribution_is_stage_3s_softmax)        { check_prompt(1); check_prompt(17); }
Test(sampler, distribution_after_a_prompt_of_pieces)   { check_prompt(SAMPLER_PIECE + 45); }

/* log-probabilities of 1/2, 1/4, 1/8, 1/16, 1/32, 1/32 */
static const real halves[6] = { -0.69314718f, -1.3862944f, -2.0794415f, -2.7725887f, -3.4657359f, -3.4657359f };

Test(rules, temperature_is_a_power)
{
    double q[6];
    int order[6];
    SampleRule r = { 0.5, 0, 1, false };     /* p^2 renormalised: 1/4 : 1/16 : ... */
    next_distribution(halves, 6, &r, q, order);
    ld p2[6], s2 = 0;
    for (int k = 0; k < 6; k++) { p2[k] = powl(expl((ld)halves[k]), 2); s2 += p2[k]; }
    for (int k = 0; k < 6; k++) cr_assert(fabsl((ld)q[k] - p2[k] / s2) < 1e-12L);
    r.temperature = 1e-3;                    /* nearly greedy */
    next_distribution(halves, 6, &r, q, order);
    cr_assert(q[0] > 1 - 1e-9, "tau = 0.001 leaves %.3g on the likeliest", q[0]);
    r.greedy = true;
    next_distribution(halves, 6, &r, q, order);
    cr_assert(q[0] == 1 && q[1] == 0 && q[5] == 0);
    Rng rng;
    rng_seed(&rng, 1, 1);
    for (int i = 0; i < 100; i++) cr_assert_eq(draw(q, 6, &rng), 0);
}

Test(rules, top_k_keeps_the_k_likeliest)
{
    double q[6];
    int order[6];
    SampleRule r = { 1, 3, 1, false };       /* 1/2, 1/4, 1/8 -> 4/7, 2/7, 1/7 */
    next_distribution(halves, 6, &r, q, order);
    double want[6] = { 4.0 / 7, 2.0 / 7, 1.0 / 7, 0, 0, 0 };
    for (int k = 0; k < 6; k++) cr_assert(fabs(q[k] - want[k]) < 1e-7, "q[%d] = %.9g", k, q[k]);
    r.top_k = 5;                             /* a tie at the cut: the smaller token stays */
    next_distribution(halves, 6, &r, q, order);
    cr_assert(q[4] > 0 && q[5] == 0);
}

Test(rules, top_p_keeps_the_smallest_set_with_that_mass)
{
    double q[6];
    int order[6];
    SampleRule r = { 1, 0, 0.8, false };     /* 1/2 + 1/4 < 0.8 <= 1/2 + 1/4 + 1/8 */
    next_distribution(halves, 6, &r, q, order);
    double want[6] = { 4.0 / 7, 2.0 / 7, 1.0 / 7, 0, 0, 0 };
    for (int k = 0; k < 6; k++) cr_assert(fabs(q[k] - want[k]) < 1e-7, "q[%d] = %.9g", k, q[k]);
    r.top_p = 0.5;                           /* exactly the first: 1/2 >= 0.5 (to float rounding) */
    next_distribution(halves, 6, &r, q, order);
    cr_assert(q[0] == 1 || (q[0] > 0.66 && q[1] > 0), "top-p 0.5: %.9g %.9g", q[0], q[1]);
    r.top_p = 0.3;
    next_distribution(halves, 6, &r, q, order);
    cr_assert(q[0] == 1 && q[1] == 0);
    r.top_p = 0.9; r.top_k = 2;              /* top-k first, then top-p within it */
    next_distribution(halves, 6, &r, q, order);
    cr_assert(fabs(q[0] - 2.0 / 3) < 1e-7 && fabs(q[1] - 1.0 / 3) < 1e-7 && q[2] == 0);
}

Test(sampler, same_seed_same_text)
{
    Model m = random_model(9, 6, 2, 62);
    SampleRule r = { 1, 0, 1, false };
    int text[3][200];
    uint64_t seeds[3] = { 5, 5, 6 };
    for (int q = 0; q < 3; q++) {
        Rng rng;
        rng_seed(&rng, seeds[q], 6);
        Sampler s = sampler_new(&m);
        int first = 0;
        sampler_prime(&s, &first, 1);
        for (int i = 0; i < 200; i++) text[q][i] = sampler_next(&s, &r, &rng);
        sampler_free(&s);
    }
    cr_assert(memcmp(text[0], text[1], sizeof text[0]) == 0, "the same seed gave different text");
    cr_assert(memcmp(text[0], text[2], sizeof text[0]) != 0, "another seed gave the same text");
    model_free(&m);
}

/* 200,000 draws from (0.4, 0.3, 0.15, 0.1, 0.05): the chi-square statistic
   with 4 degrees of freedom must be below 18.47, its 99.9% quantile.  The
   seed is fixed, so the outcome is too: a correct draw passes (it would
   fail for one seed in a thousand), a biased one fails. */
Test(sampler, draws_pass_a_chi_square_test)
{
    double q[5] = { 0.4, 0.3, 0.15, 0.1, 0.05 };
    long count[5] = {0};
    Rng rng;
    rng_seed(&rng, 64, 0);
    int N = 200000;
    for (int i = 0; i < N; i++) count[draw(q, 5, &rng)]++;
    double chi2 = 0;
    for (int k = 0; k < 5; k++) chi2 += pow((double)count[k] - N * q[k], 2) / (N * q[k]);
    cr_assert(chi2 < 18.47, "chi-square %.2f (counts %ld %ld %ld %ld %ld)", chi2,
              count[0], count[1], count[2], count[3], count[4]);
    double cut[5] = { 0.5, 0, 0.5, 0, 0 };    /* zero-probability tokens are never drawn */
    for (int i = 0; i < 10000; i++) { int k = draw(cut, 5, &rng); cr_assert(k == 0 || k == 2); }
}
