/* tests/stage5/test_train.c — the trainer's parts against independent
 * computations: the streams cover the text exactly once per epoch; a batched
 * gradient is the mean of stage 4's per-sequence gradients; optimiser steps,
 * clipping and schedules equal the formulas done by hand in long double; a
 * small model learns a simple sequence; checkpoints round-trip and refuse
 * damage. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "backprop.h"
#include "checkpoint.h"
#include "data.h"
#include "ref.h"

/* ------------------------------------------------------------ streams */
static void check_cover(size_t n, int B, int T)
{
    int *data = malloc(n * sizeof *data);
    for (size_t i = 0; i < n; i++) data[i] = (int)i;     /* token = position */
    Streams s = streams_new(data, n, B, T);
    int *in = calloc(n, sizeof *in), *out = calloc(n, sizeof *out);
    int *tok = malloc((size_t)B * T * sizeof *tok), *tgt = malloc((size_t)B * T * sizeof *tgt);
    for (int epoch = 0; epoch < 2; epoch++) {
        memset(in, 0, n * sizeof *in);
        memset(out, 0, n * sizeof *out);
        for (long k = 0; k < s.batches; k++) {
            int steps = streams_next(&s, tok, tgt);
            cr_assert(steps >= 1 && steps <= T);
            for (int r = 0; r < steps * B; r++) {
                if (tgt[r] < 0) continue;
                cr_assert_eq(tgt[r], tok[r] + 1, "a target is not the character after its input");
                in[tok[r]]++;
                out[tgt[r]]++;
                /* the stream of row r continues: row r - B is the same stream one step earlier */
                if (r >= B && tgt[r - B] >= 0) cr_assert_eq(tok[r], tok[r - B] + 1);
            }
        }
        cr_assert_eq(s.batch, s.batches, "an epoch is batches long");
        for (size_t i = 0; i < n; i++) {
            cr_assert_eq(in[i], i + 1 < n, "n %zu, B %d, T %d: character %zu is an input %d times",
                         n, B, T, i, in[i]);
            cr_assert_eq(out[i], i > 0, "character %zu is a target %d times", i, out[i]);
        }
    }
    free(in); free(out); free(tok); free(tgt); free(data);
    streams_free(&s);
}

Test(streams, cover_every_character_once_per_epoch)
{
    check_cover(1001, 7, 10);      /* 1000 predictions, 7 uneven streams */
    check_cover(1001, 8, 10);      /* 125 each, a short last batch */
    check_cover(101, 1, 100);      /* one stream, one batch */
    check_cover(50, 49, 1);        /* one prediction per stream */
    check_cover(12345, 32, 17);
}

Test(streams, too_small_a_text_says_what_fits)
{
    char why[512];
    cr_assert(streams_fit(3201, 32, 100, why, sizeof why));
    cr_assert_not(streams_fit(3200, 32, 100, why, sizeof why));
    /* 3199 predictions: B <= 3199 / 100 = 31, T <= 3199 / 32 = 99 */
    cr_assert(strstr(why, "at most 31") && strstr(why, "at most 99"), "%s", why);
}

/* ------------------------------------------------------------ batched gradient */
/* The trainer's step: the gradient of the mean loss of a batch of B streams
   must equal the mean, over the predictions, of stage 4's gradients of each
   stream alone (B = 1, scale 1).  Bound as in stage 4's identities. */
Test(gradient, a_batch_is_the_mean_of_its_sequences)
{
    uint32_t cps[9];
    for (int k = 0; k < 9; k++) cps[k] = (uint32_t)('a' + k);
    Vocab v = { .size = 9, .cp = cps };
    Model m = model_new(&v, 6, 2);
    Rng rng;
    rng_seed(&rng, 51, 0);
    model_init(&m, &rng);
    size_t n = 137;
    int *data = malloc(n * sizeof *data);
    for (size_t i = 0; i < n; i++) data[i] = (int)rng_below(&rng, 9);
    int B = 4, T = 40;
    Streams s = streams_new(data, n, B, T);
    int tok[160], tgt[160];
    streams_next(&s, tok, tgt);
    int steps = streams_next(&s, tok, tgt);     /* the second, short batch: 34 = 136 / 4 ... */
    long N = 0;
    for (int r = 0; r < steps * B; r++) N += tgt[r] >= 0;
    Trace tr = trace_new(&m, T, B);
    Backprop bp = backprop_new(&m, T, B);
    State st = state_new(&m, B);
    Model batch = model_like(&m), mean = model_like(&m);
    net_forward(&m, &tr, steps, tok, tgt, &st, NULL);
    net_backward(&m, &tr, steps, tok, tgt, (real)(1.0 / (double)N), &batch, &bp, NULL, NULL);
    for (int b = 0; b < B; b++) {
        int t1[40], g1[40];
        for (int t = 0; t < steps; t++) { t1[t] = tok[t * B + b]; g1[t] = tgt[t * B + b]; }
        Trace tr1 = trace_new(&m, steps, 1);
        Backprop bp1 = backprop_new(&m, steps, 1);
        State s1 = state_new(&m, 1);
        Model one = model_like(&m);
        net_forward(&m, &tr1, steps, t1, g1, &s1, NULL);
        net_backward(&m, &tr1, steps, t1, g1, 1, &one, &bp1, NULL, NULL);
        for (size_t i = 0; i < m.count; i++) mean.params[i] += one.params[i] / (real)N;
        model_free(&one); state_free(&s1); backprop_free(&bp1); trace_free(&tr1);
    }
    double scale = 0;
    for (size_t i = 0; i < m.count; i++) scale = fmax(scale, fabs((double)batch.params[i]));
    double bound = 4.0 * T * (6 + 4) * (double)REAL_EPSILON * scale;
    for (size_t i = 0; i < m.count; i++)
        cr_assert(fabs((double)batch.params[i] - (double)mean.params[i]) <= bound,
                  "parameter %zu: %.9g vs %.9g", i, (double)batch.params[i], (double)mean.params[i]);
    model_free(&batch); model_free(&mean); state_free(&st); backprop_free(&bp); trace_free(&tr);
    streams_free(&s);
    free(data);
    model_free(&m);
}

/* ------------------------------------------------------------ optimisers */
static Model vector_model(size_t *count)
{
    uint32_t cps[2] = { 'x', 'y' };
    Vocab v = { .size = 2, .cp = cps };
    Model m = model_new(&v, 1, 1);
    *count = m.count;
    return m;
}

Test(optim, adam_equals_the_formula)
{
    size_t n;
    Model m = vector_model(&n), g = model_like(&m);
    Optimizer o = optim_new(OPTIM_ADAM, 0, &m);
    Rng rng;
    rng_seed(&rng, 52, 0);
    ld theta[64], mm[64] = {0}, vv[64] = {0};
    for (size_t i = 0; i < n; i++) { m.params[i] = (real)(rng_uniform(&rng) - 0.5); theta[i] = m.params[i]; }
    double lr = 0.01;
    for (int t = 1; t <= 5; t++) {
        for (size_t i = 0; i < n; i++) g.params[i] = (real)(rng_uniform(&rng) * 2 - 1) * (real)(i + 1);
        optim_step(&o, &m, &g, lr);
        for (size_t i = 0; i < n; i++) {
            ld gi = g.params[i];
            mm[i] = 0.9L * mm[i] + 0.1L * gi;
            vv[i] = 0.999L * vv[i] + 0.001L * gi * gi;
            ld mh = mm[i] / (1 - powl(0.9L, t)), vh = vv[i] / (1 - powl(0.999L, t));
            theta[i] -= lr * mh / (sqrtl(vh) + 1e-8L);
            /* a step is at most about lr in size; its rounding a few u of the
               parameter and of the step (16 u of |theta| + lr, over 5 steps) */
            cr_assert(fabsl((ld)m.params[i] - theta[i]) <= 16 * t * ref_u() * (fabsl(theta[i]) + lr),
                      "step %d, parameter %zu: %.9g vs %.9Lg", t, i, (double)m.params[i], theta[i]);
        }
    }
    optim_free(&o); model_free(&g); model_free(&m);
}

Test(optim, sgd_with_momentum_is_the_formula_for_every_momentum)
{
    static const double momenta[] = { 0, 0.5, 0.9 };
    for (int k = 0; k < 3; k++) {
        size_t n;
        Model m = vector_model(&n), g = model_like(&m);
        Optimizer o = optim_new(OPTIM_SGD, momenta[k], &m);
        ld theta[64], vel[64] = {0}, mu = (ld)(real)momenta[k];
        for (size_t i = 0; i < n; i++) { m.params[i] = (real)i / 8; theta[i] = m.params[i]; }
        for (int t = 1; t <= 4; t++) {
            for (size_t i = 0; i < n; i++) g.params[i] = (real)((int)(i % 5) - 2) / 4;
            optim_step(&o, &m, &g, 0.5);
            for (size_t i = 0; i < n; i++) {
                vel[i] = mu * vel[i] + g.params[i];
                theta[i] -= 0.5L * vel[i];
                cr_assert(fabsl((ld)m.params[i] - theta[i]) <= 8 * t * ref_u() * (fabsl(theta[i]) + 4),
                          "momentum %g, step %d, parameter %zu: %.9g, not %.9Lg", momenta[k], t, i,
                          (double)m.params[i], theta[i]);
            }
        }
        optim_free(&o); model_free(&g); model_free(&m);
    }
}

Test(optim, clipping_keeps_the_direction)
{
    size_t n;
    Model g = vector_model(&n);
    ld norm2 = 0;
    for (size_t i = 0; i < n; i++) { g.params[i] = (real)((int)i - 10); norm2 += (ld)g.params[i] * g.params[i]; }
    Model before = model_like(&g);
    memcpy(before.params, g.params, n * sizeof(real));
    double norm = clip_global_norm(&g, 3);
    cr_assert(fabsl((ld)norm - sqrtl(norm2)) <= 1e-12L * sqrtl(norm2));
    cr_assert(fabs(grad_norm(&g) - 3) <= 3 * 4 * n * (double)REAL_EPSILON, "norm after clipping %.9g", grad_norm(&g));
    for (size_t i = 0; i < n; i++)
        cr_assert(fabsl((ld)g.params[i] - (ld)before.params[i] * 3 / sqrtl(norm2)) <= 4 * ref_u() * 10);
    cr_assert_eq(clip_global_norm(&g, 100), grad_norm(&g));   /* below the threshold: unchanged */
    size_t clipped = clip_values(&before, 2.5);
    size_t want = 0;
    for (size_t i = 0; i < n; i++) want += abs((int)i - 10) > 2.5;
    cr_assert_eq(clipped, want);
    for (size_t i = 0; i < n; i++) cr_assert(fabs((double)before.params[i]) <= 2.5);
    model_free(&g); model_free(&before);
}

Test(optim, schedules)
{
    Schedule s = { SCHEDULE_STEP, 0.01, 0.5, 10, 0, 0 };
    cr_assert_eq(schedule_lr(&s, 0, 0), 0.01);
    cr_assert_eq(schedule_lr(&s, 0, 9.99), 0.01);
    cr_assert_eq(schedule_lr(&s, 0, 10), 0.005);
    cr_assert_eq(schedule_lr(&s, 0, 25), 0.0025);
    Schedule c = { SCHEDULE_COSINE, 0.01, 0, 0, 0.001, 100 };
    cr_assert(fabs(schedule_lr(&c, 0, 0) - 0.01) < 1e-15);
    cr_assert(fabs(schedule_lr(&c, 50, 0) - 0.0055) < 1e-15);
    cr_assert(fabs(schedule_lr(&c, 100, 0) - 0.001) < 1e-15);
    cr_assert(fabs(schedule_lr(&c, 500, 0) - 0.001) < 1e-15);
    Schedule k = { SCHEDULE_CONSTANT, 0.02, 0, 0, 0, 0 };
    cr_assert_eq(schedule_lr(&k, 12345, 99), 0.02);
}

/* ------------------------------------------------------------ learning */
/* "abcd" repeated: after each character the next is certain.  A model of 16
   units must learn it: from ln 4 = 1.39 nats to below 0.05 in 150 Adam
   steps of 4 x 16 characters (it takes about 60 here). */
Test(learning, a_small_model_learns_a_simple_sequence)
{
    size_t n = 2000;
    int *data = malloc(n * sizeof *data);
    for (size_t i = 0; i < n; i++) data[i] = (int)(i % 4);
    uint32_t cps[4] = { 'a', 'b', 'c', 'd' };
    Vocab v = { .size = 4, .cp = cps };
    Model m = model_new(&v, 16, 1), g = model_like(&m);
    Rng rng;
    rng_seed(&rng, 53, 0);
    model_init(&m, &rng);
    Optimizer o = optim_new(OPTIM_ADAM, 0, &m);
    int B = 4, T = 16, tok[64], tgt[64];
    Streams s = streams_new(data, n, B, T);
    Trace tr = trace_new(&m, T, B);
    Backprop bp = backprop_new(&m, T, B);
    State st = state_new(&m, B);
    double first = evaluate(&m, data, n, B, T, NULL);
    for (int step = 0; step < 150; step++) {
        if (s.batch == 0 || s.batch == s.batches) state_zero(&st);
        int steps = streams_next(&s, tok, tgt);
        long N = 0;
        for (int r = 0; r < steps * B; r++) N += tgt[r] >= 0;
        net_forward(&m, &tr, steps, tok, tgt, &st, NULL);
        model_zero(&g);
        net_backward(&m, &tr, steps, tok, tgt, (real)(1.0 / (double)N), &g, &bp, NULL, NULL);
        clip_global_norm(&g, 5);
        optim_step(&o, &m, &g, 0.01);
    }
    double last = evaluate(&m, data, n, B, T, NULL);
    cr_assert(first > 1.2, "an untrained model already knows the sequence? (%.3f)", first);
    cr_assert(last < 0.05, "after 150 steps the loss is %.4f, not below 0.05", last);
    optim_free(&o); state_free(&st); backprop_free(&bp); trace_free(&tr); streams_free(&s);
    model_free(&g); model_free(&m); free(data);
}

/* ------------------------------------------------------------ checkpoints */
static void make_run(Run *r, Model *m, Optimizer *o, State *s, Rng *rng)
{
    uint32_t cps[5] = { ' ', 'e', 'h', 'l', 'o' };
    Vocab v = { .size = 5, .cp = cps };
    *m = model_new(&v, 3, 2);
    rng_seed(rng, 54, 0);
    mat_uniform(mat_view(m->params, 1, (int)m->count, (int)m->count), -1, 1, rng);
    *o = optim_new(OPTIM_ADAM, 0, m);
    mat_uniform(mat_view(o->m1.params, 1, (int)m->count, (int)m->count), -1, 1, rng);
    mat_uniform(mat_view(o->m2.params, 1, (int)m->count, (int)m->count), 0, 1, rng);
    o->t = 77;
    *s = state_new(m, 2);
    for (int l = 0; l < 2; l++) { mat_uniform(s->h[l], -1, 1, rng); mat_uniform(s->c[l], -2, 2, rng); }
    *r = (Run){ .hidden = 3, .layers = 2, .batch = 2, .steps = 7, .seed = 99, .optimizer = OPTIM_ADAM,
                .schedule = { SCHEDULE_COSINE, 0.003, 0.5, 10, 1e-4, 1000 }, .clip_norm = 5,
                .val_fraction = 0.1, .dropout = 0.25, .step = 77, .epoch = 3, .batch_in_epoch = 12, .best_val = 1.5,
                .smooth_loss = 1.6, .seconds = 123.5, .corpus_n = 1000, .corpus_crc = 0xdeadbeef,
                .momentum = 0.5, .epochs = 16, .max_steps = 2000, .minutes = 7.25, .val_every = 100,
                .log_every = 25, .sample_every = 300, .sample_chars = 80 };
    o->momentum = 0.5;
}

Test(checkpoint, round_trip_is_exact)
{
    Run r, r2;
    Model m, m2;
    Optimizer o, o2;
    State s, s2;
    Rng rng, rng2;
    make_run(&r, &m, &o, &s, &rng);
    char path[] = "/tmp/lstm-ckpt-XXXXXX", why[600];
    close(mkstemp(path));
    cr_assert(checkpoint_save(path, &r, &m, &o, &s, &rng, why, sizeof why), "%s", why);
    cr_assert(checkpoint_load(path, &r2, &m2, &o2, &s2, &rng2, why, sizeof why), "%s", why);
    cr_assert(memcmp(m.params, m2.params, m.count * sizeof(real)) == 0);
    cr_assert(memcmp(o.m1.params, o2.m1.params, m.count * sizeof(real)) == 0);
    cr_assert(memcmp(o.m2.params, o2.m2.params, m.count * sizeof(real)) == 0);
    cr_assert_eq(o2.t, 77);
    for (int l = 0; l < 2; l++) {
        cr_assert(memcmp(s.h[l].data, s2.h[l].data, 6 * sizeof(real)) == 0);
        cr_assert(memcmp(s.c[l].data, s2.c[l].data, 6 * sizeof(real)) == 0);
    }
    cr_assert(rng.state == rng2.state && rng.inc == rng2.inc);
    cr_assert(r2.hidden == 3 && r2.layers == 2 && r2.batch == 2 && r2.steps == 7 && r2.seed == 99);
    cr_assert(r2.schedule.kind == SCHEDULE_COSINE && r2.schedule.lr == 0.003 && r2.schedule.total == 1000);
    cr_assert(r2.step == 77 && r2.epoch == 3 && r2.batch_in_epoch == 12 && r2.best_val == 1.5);
    cr_assert(r2.seconds == 123.5 && r2.corpus_n == 1000 && r2.corpus_crc == 0xdeadbeef);
    cr_assert(r2.val_fraction == 0.1 && r2.dropout == 0.25 && r2.clip_norm == 5);
    cr_assert(r2.momentum == 0.5 && o2.momentum == 0.5 && r2.epochs == 16 && r2.max_steps == 2000
              && r2.minutes == 7.25 && r2.val_every == 100 && r2.log_every == 25
              && r2.sample_every == 300 && r2.sample_chars == 80, "the limits are kept");
    model_free(&m2); optim_free(&o2); state_free(&s2);
    /* Every truncation and a flipped bit in every byte are refused, leaving nothing allocated. */
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    size_t n = (size_t)ftell(f);
    rewind(f);
    unsigned char *good = malloc(n), *bad = malloc(n);
    cr_assert_eq(fread(good, 1, n, f), n);
    fclose(f);
    for (size_t len = 0; len < n; len += 1 + len / 16) {
        f = fopen(path, "wb"); fwrite(good, 1, len, f); fclose(f);
        Model mx;
        Optimizer ox;
        State sx;
        cr_assert_not(checkpoint_load(path, &r2, &mx, &ox, &sx, &rng2, why, sizeof why),
                      "truncated to %zu bytes, accepted", len);
        cr_assert_null(mx.params);
    }
    for (size_t i = 0; i < n; i++) {
        memcpy(bad, good, n);
        bad[i] ^= 0x10;
        f = fopen(path, "wb"); fwrite(bad, 1, n, f); fclose(f);
        Model mx;
        Optimizer ox;
        State sx;
        cr_assert_not(checkpoint_load(path, &r2, &mx, &ox, &sx, &rng2, why, sizeof why),
                      "byte %zu damaged, accepted", i);
        cr_assert_null(mx.params);
    }
    cr_assert(strstr(why, "checksum"), "%s", why);
    unlink(path);
    free(good); free(bad);
    model_free(&m); optim_free(&o); state_free(&s);
}

/* ------------------------------------------------------------ the phases */
#include "train.h"

/* The minutes count the last validation in: a run stops when the time spent
   and the last validation's time would reach the limit; and every other
   limit, and a signal, is named. */
Test(phases, the_limit_that_stops_a_run_is_named_and_the_minutes_count_the_last_validation)
{
    Training t = {0};
    t.run.epochs = 10;
    t.run.minutes = 5;
    t.run.seconds = 280;
    t.val_seconds = 15;
    cr_assert(!training_done(&t, 0), "280 s + a validation of 15 s is within 5 minutes");
    t.run.seconds = 286;
    cr_assert(training_done(&t, 0), "286 s + a validation of 15 s is past 5 minutes");
    cr_assert_str_eq(t.stopped, "--minutes 5");
    t.run.minutes = 0;
    cr_assert(!training_done(&t, 0), "no limit of minutes");
    t.run.epoch = 10;
    cr_assert(training_done(&t, 0));
    cr_assert_str_eq(t.stopped, "--epochs 10");
    t.run.epoch = 3; t.run.max_steps = 40; t.run.step = 40;
    cr_assert(training_done(&t, 0));
    cr_assert_str_eq(t.stopped, "--max-steps 40");
    cr_assert(training_done(&t, 2));
    cr_assert_str_eq(t.stopped, "signal 2");
}

/* One step of the trainer is the step of this chapter's formulas: the first
   batch of the streams, stage 4's gradient of its mean loss, clipped, and
   one Adam step, done here by hand on a copy of the model. */
Test(phases, one_training_step_is_the_step_done_by_hand, .init = cr_redirect_stdout)
{
    char dir[] = "/tmp/lstm-step-XXXXXX", text[300], out[300];
    cr_assert(mkdtemp(dir));
    snprintf(text, sizeof text, "%s/text.txt", dir);
    snprintf(out, sizeof out, "%s/run", dir);
    FILE *f = fopen(text, "w");
    for (int i = 0; i < 30; i++) fprintf(f, "To be, or not to be: that is the question %d.\n", i);
    fclose(f);
    Run settings = { .hidden = 6, .layers = 2, .batch = 3, .steps = 9, .seed = 4, .optimizer = OPTIM_ADAM,
                     .momentum = 0.9, .schedule = { SCHEDULE_CONSTANT, 0.01, 0.5, 10, 1e-4, 0 },
                     .clip_norm = 0.5, .val_fraction = 0.1, .epochs = 5, .val_every = 100,
                     .log_every = 100, .sample_chars = 0 };
    Training t;
    training_new(&t, &settings, out);
    training_prepare(&t, text);
    /* by hand, on copies */
    Model m = model_like(&t.m), g = model_like(&t.m);
    memcpy(m.params, t.m.params, m.count * sizeof(real));
    Optimizer o = optim_new(OPTIM_ADAM, 0.9, &m);
    State s = state_new(&m, 3);
    Trace tr = trace_new(&m, 9, 3);
    Backprop bp = backprop_new(&m, 9, 3);
    Streams st = streams_new(t.corpus.tokens, t.corpus.n_train, 3, 9);
    int tok[27], tgt[27];
    int T = streams_next(&st, tok, tgt);
    double loss = net_forward(&m, &tr, T, tok, tgt, &s, NULL) / (T * 3);
    net_backward(&m, &tr, T, tok, tgt, (real)(1.0 / (T * 3)), &g, &bp, NULL, NULL);
    clip_global_norm(&g, 0.5);
    optim_step(&o, &m, &g, 0.01);
    /* and by the trainer */
    training_step(&t);
    cr_assert_eq(t.run.step, 1);
    cr_assert(fabs(t.loss - loss) <= 1e-12 * fabs(loss), "loss %.9g, by hand %.9g", t.loss, loss);
    cr_assert(memcmp(t.m.params, m.params, m.count * sizeof(real)) == 0,
              "the trainer's step is not the step done by hand");
    cr_assert(memcmp(t.state.h[1].data, s.h[1].data, 3 * 6 * sizeof(real)) == 0, "the carried state differs");
    streams_free(&st); backprop_free(&bp); trace_free(&tr); state_free(&s); optim_free(&o);
    model_free(&g); model_free(&m);
    training_free(&t);
}
