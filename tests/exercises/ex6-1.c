/* tests/exercises/ex6-1.c — exercise 6.1: sampler_surprise, the surprise in
 * bits of each character.  Run with `make exercise EX=6.1` after adding it
 * to chapter 6; it fails to link until then.  Checked against stage 3: the
 * surprises of a text add up to its loss in bits. */
#include <criterion/criterion.h>
#include <math.h>
#include "sample.h"

double sampler_surprise(Sampler *s, int token);

Test(exercise_6_1, surprises_add_up_to_the_loss)
{
    uint32_t cps[6] = { '\n', ' ', 'a', 'b', 'c', 'd' };
    Vocab v = { .size = 6, .cp = cps };
    Model m = model_new(&v, 8, 2);
    Rng rng;
    rng_seed(&rng, 63, 0);
    model_init(&m, &rng);
    int text[40];
    for (int i = 0; i < 40; i++) text[i] = (int)rng_below(&rng, 6);
    Trace tr = trace_new(&m, 39, 1);
    State st = state_new(&m, 1);
    double nats = net_forward(&m, &tr, 39, text, text + 1, &st, NULL);
    Sampler s = sampler_new(&m);
    sampler_prime(&s, text, 1);
    double bits = 0;
    for (int i = 1; i < 40; i++) bits += sampler_surprise(&s, text[i]);
    cr_assert(fabs(bits - nats / log(2.0)) <= 1e-4 * bits, "%.6f bits, the loss says %.6f", bits, nats / log(2.0));
    sampler_free(&s);
    state_free(&st);
    trace_free(&tr);
    model_free(&m);
}
