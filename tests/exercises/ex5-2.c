/* tests/exercises/ex5-2.c — exercise 5.2: optim_step_adamw, Adam with
 * decoupled weight decay (Loshchilov and Hutter, 2019), in PyTorch's order:
 * theta <- theta (1 - lr lambda), then the Adam step.  Run with
 * `make exercise EX=5.2` after adding it to chapter 5.  It fails to link
 * until the function exists; its checks fail until three steps agree with
 * the formula, lambda = 0 is Adam exactly, and the decay stays out of the
 * moments (which is what adding lambda theta to the gradient would do). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "optim.h"
#include "ref.h"

void optim_step_adamw(Optimizer *o, Model *m, const Model *g, double lr, double decay);

static Model small_model(void)
{
    static uint32_t cps[3] = { 'a', 'b', 'c' };
    Vocab v = { .size = 3, .cp = cps };
    return model_new(&v, 2, 1);
}

static void fill(Model *m, Rng *rng, real lo, real hi)
{
    mat_uniform(mat_view(m->params, 1, (int)m->count, (int)m->count), lo, hi, rng);
}

Test(exercise_5_2, three_steps_follow_the_formula)
{
    Model m = small_model(), g = model_like(&m);
    Rng rng;
    rng_seed(&rng, 52, 0);
    fill(&m, &rng, -2, 2);
    size_t n = m.count;
    ld *p = calloc(n, sizeof *p), *m1 = calloc(n, sizeof *m1), *m2 = calloc(n, sizeof *m2);
    for (size_t i = 0; i < n; i++) p[i] = m.params[i];
    Optimizer o = optim_new(OPTIM_ADAM, 0, &m);
    double lr = 0.01, decay = 0.5;
    for (int t = 1; t <= 3; t++) {
        fill(&g, &rng, -1, 1);
        optim_step_adamw(&o, &m, &g, lr, decay);
        ld c1 = 1 - powl(0.9L, t), c2 = 1 - powl(0.999L, t);
        for (size_t i = 0; i < n; i++) {
            ld gi = g.params[i];
            p[i] *= 1 - (ld)lr * decay;                       /* decoupled: the parameter itself */
            m1[i] = 0.9L * m1[i] + 0.1L * gi;
            m2[i] = 0.999L * m2[i] + 0.001L * gi * gi;
            p[i] -= lr * (m1[i] / c1) / (sqrtl(m2[i] / c2) + 1e-8L);
            ld tol = 16 * ref_u() * (fabsl(p[i]) + 10 * lr);
            cr_assert(fabsl((ld)m.params[i] - p[i]) <= tol,
                      "step %d, parameter %zu: %.9g, want %.9Lg", t, i, (double)m.params[i], p[i]);
        }
    }
    optim_free(&o);
    free(p); free(m1); free(m2);
    model_free(&g);
    model_free(&m);
}

Test(exercise_5_2, no_decay_is_adam_and_decay_is_not_an_added_gradient)
{
    Model a = small_model(), b = small_model(), c = small_model(), g = model_like(&a), g2 = model_like(&a);
    Rng rng;
    rng_seed(&rng, 52, 1);
    fill(&a, &rng, -2, 2);
    memcpy(b.params, a.params, a.count * sizeof(real));
    memcpy(c.params, a.params, a.count * sizeof(real));
    Optimizer oa = optim_new(OPTIM_ADAM, 0, &a), ob = optim_new(OPTIM_ADAM, 0, &b), oc = optim_new(OPTIM_ADAM, 0, &c);
    fill(&g, &rng, -1, 1);
    optim_step_adamw(&oa, &a, &g, 0.01, 0);
    optim_step(&ob, &b, &g, 0.01);
    for (size_t i = 0; i < a.count; i++)
        cr_assert(a.params[i] == b.params[i], "decay 0, parameter %zu: %.9g, Adam gives %.9g",
                  i, (double)a.params[i], (double)b.params[i]);
    /* a second step with decay 0.5, against Adam on g + 0.5 theta (L2) */
    for (size_t i = 0; i < a.count; i++) g2.params[i] = g.params[i] + (real)0.5 * c.params[i];
    optim_step_adamw(&oa, &a, &g, 0.01, 0.5);
    optim_step(&oc, &c, &g2, 0.01);
    double apart = 0;
    for (size_t i = 0; i < a.count; i++) apart = fmax(apart, fabs((double)a.params[i] - (double)c.params[i]));
    cr_assert(apart > 1e-4, "decoupled decay and an L2 term in the gradient agree to %.2g: "
              "the decay must not go through Adam's moments", apart);
    optim_free(&oa); optim_free(&ob); optim_free(&oc);
    model_free(&a); model_free(&b); model_free(&c); model_free(&g); model_free(&g2);
}
