/* tests/exercises/ex4-2.c — exercise 4.2: grad_check_direction, the whole
 * gradient checked along one random direction.  Run with `make exercise EX=4.2`
 * after adding it to chapter 4.  It fails to link until the function exists
 * and fails its checks until it is right.  The bounds are those of chapter
 * 4's check, which hold in double only:  make exercise: real = double */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "gradcheck.h"

double grad_check_direction(Model *m, const Model *grad, int T, int B, const int *tokens,
                            const int *targets, const State *init, real scale, double eps,
                            Rng *rng);

Test(exercise_4_2, agrees_with_backprop_and_notices_a_wrong_gradient)
{
    uint32_t cps[6] = { 'a', 'b', 'c', 'd', 'e', 'f' };
    Vocab v = { .size = 6, .cp = cps };
    Model m = model_new(&v, 5, 2), g = model_like(&m);
    Rng rng;
    rng_seed(&rng, 45, 0);
    mat_uniform(mat_view(m.params, 1, (int)m.count, (int)m.count), -0.5, 0.5, &rng);
    int T = 8, B = 2, tokens[16], targets[16];
    for (int i = 0; i < 16; i++) { tokens[i] = (int)rng_below(&rng, 6); targets[i] = (int)rng_below(&rng, 6); }
    State init = state_new(&m, B), s = state_new(&m, B);
    Trace tr = trace_new(&m, T, B);
    Backprop bp = backprop_new(&m, T, B);
    real scale = (real)1 / 16;
    net_forward(&m, &tr, T, tokens, targets, &s, NULL);
    net_backward(&m, &tr, T, tokens, targets, scale, &g, &bp, NULL, NULL);
    cr_assert(sizeof(real) == 8, "this test needs real = double (make exercise EX=4.2 builds it so)");
    Model before = model_like(&m);
    memcpy(before.params, m.params, m.count * sizeof(real));
    double eps = 1e-3;
    double good = grad_check_direction(&m, &g, T, B, tokens, targets, &init, scale, eps, &rng);
    for (size_t i = 0; i < m.count; i++)
        cr_assert(m.params[i] == before.params[i],
                  "parameter %zu is %.17g after the check, %.17g before: the model must be restored",
                  i, (double)m.params[i], (double)before.params[i]);
    cr_assert(good < GRADCHECK_BOUND,
              "a correct gradient gave a relative error of %.2e along a random direction (bound %.0e)",
              good, GRADCHECK_BOUND);
    mat_scale(g.layer[1].W_hh, (real)1.01);              /* one tensor 1% off */
    double bad = grad_check_direction(&m, &g, T, B, tokens, targets, &init, scale, eps, &rng);
    cr_assert(bad > 1e-5, "layer 1's W_hh gradient 1%% too large gave a relative error of only %.2e", bad);
    model_free(&before);
    backprop_free(&bp);
    trace_free(&tr);
    state_free(&s);
    state_free(&init);
    model_free(&g);
    model_free(&m);
}
