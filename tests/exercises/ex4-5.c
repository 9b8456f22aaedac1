/* tests/exercises/ex4-5.c — exercise 4.5: grad_check_direction, the whole
 * gradient checked along one random direction.  Run with `make exercise EX=4.5`
 * after adding it to chapter 4.  It fails to link until the function exists
 * and fails its checks until it is right.  It needs real = double to be
 * tight, so in the float build it only checks that it runs. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include "gradcheck.h"

double grad_check_direction(Model *m, const Model *grad, int T, int B, const int *tokens,
                            const int *targets, const State *init, real scale, double eps,
                            Rng *rng);

Test(exercise_4_5, agrees_with_backprop_and_notices_a_wrong_gradient)
{
    uint32_t cps[6] = { 'a', 'b', 'c', 'd', 'e', 'f' };
    Vocab v = { 6, cps };
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
    double eps = sizeof(real) == 8 ? 1e-3 : 3e-2;
    double good = grad_check_direction(&m, &g, T, B, tokens, targets, &init, scale, eps, &rng);
    mat_scale(g.layer[1].W_hh, (real)1.01);              /* one tensor 1% off */
    double bad = grad_check_direction(&m, &g, T, B, tokens, targets, &init, scale, eps, &rng);
    if (sizeof(real) == 8) {
        cr_assert(good < 1e-6, "a correct gradient gave a relative error of %.2e", good);
        cr_assert(bad > 1e-5, "a gradient 1%% off in one tensor gave only %.2e", bad);
    } else {
        cr_assert(good < 1e-1, "float: %.2e", good);
    }
    backprop_free(&bp);
    trace_free(&tr);
    state_free(&s);
    state_free(&init);
    model_free(&g);
    model_free(&m);
}
