/* tests/stage5/test_checkpoint.c — a checkpoint crafted with a field out of
 * its range, and its CRC recomputed so that only the field is wrong, is
 * refused, with a reason that names what is wrong; for every field of the
 * header (appendix C's table) and for the arrays after it.  The same file
 * with the field at a value inside the range is accepted (so that each test
 * can fail: a loader that refused everything would not pass). */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "binio.h"
#include "checkpoint.h"

static unsigned char *good;
static size_t good_n;
static char dir[] = "/tmp/lstm-crafted-XXXXXX";

/* A small, valid checkpoint, as the trainer would write it. */
static void make_good(void)
{
    uint32_t cps[4] = { '\n', 'a', 'b', 'c' };
    Vocab v = { .size = 4, .cp = cps };
    Model m = model_new(&v, 3, 2);
    Rng rng;
    rng_seed(&rng, 7, 5);
    model_init(&m, &rng);
    Optimizer o = optim_new(OPTIM_ADAM, 0.9, &m);
    o.t = 12;
    State s = state_new(&m, 2);
    Run r = { .hidden = 3, .layers = 2, .batch = 2, .steps = 5, .seed = 1, .optimizer = OPTIM_ADAM,
              .momentum = 0.9, .schedule = { SCHEDULE_CONSTANT, 0.002, 0.5, 10, 1e-4, 0 },
              .clip_norm = 5, .val_fraction = 0.1, .dropout = 0, .epochs = 50, .max_steps = 0,
              .minutes = 0, .val_every = 500, .log_every = 50, .sample_every = 0, .sample_chars = 300,
              .step = 12, .epoch = 1, .batch_in_epoch = 2, .best_val = 1.25, .smooth_loss = 1.5,
              .seconds = 3, .corpus_n = 400, .corpus_crc = 1234 };
    char path[300], why[600];
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/good.bin", dir);
    cr_assert(checkpoint_save(path, &r, &m, &o, &s, &rng, why, sizeof why), "%s", why);
    cr_assert(file_read_all(path, 1 << 20, &good, &good_n, why, sizeof why), "%s", why);
    model_free(&m); optim_free(&o); state_free(&s);
}

static void put_u32(unsigned char *p, uint32_t v) { for (int k = 0; k < 4; k++) p[k] = (unsigned char)(v >> 8 * k); }
static void put_u64(unsigned char *p, uint64_t v) { for (int k = 0; k < 8; k++) p[k] = (unsigned char)(v >> 8 * k); }
static void put_f64(unsigned char *p, double x) { uint64_t u; memcpy(&u, &x, 8); put_u64(p, u); }

/* The good file with `len` bytes at `at` replaced and the CRC made right;
   loaded; true if accepted, and the reason in why if not. */
static bool load_crafted(size_t at, const unsigned char *bytes, size_t len, char *why, size_t whylen)
{
    unsigned char *p = malloc(good_n);
    memcpy(p, good, good_n);
    memcpy(p + at, bytes, len);
    put_u32(p + good_n - 4, crc32_update(0, p, good_n - 4));
    char path[300];
    snprintf(path, sizeof path, "%s/crafted.bin", dir);
    FILE *f = fopen(path, "wb");
    cr_assert(f && fwrite(p, 1, good_n, f) == good_n && fclose(f) == 0);
    free(p);
    Run r;
    Model m;
    Optimizer o;
    State s;
    Rng rng;
    bool ok = checkpoint_load(path, &r, &m, &o, &s, &rng, why, whylen);
    if (ok) { model_free(&m); optim_free(&o); state_free(&s); }
    else cr_assert_null(m.params, "a refused checkpoint left its model allocated");
    return ok;
}

typedef enum { U32, U64, F64 } Kind;
typedef struct { const char *field; size_t at; Kind kind; double bad[6]; int nbad; double fine; } Case;

static const Case cases[] = {
    { "width", 12, U32, { 5, 0, 16 }, 3, 4 },
    { "H", 20, U32, { 0, 4097 }, 2, 3 },
    { "L", 24, U32, { 0, 17 }, 2, 2 },
    { "B", 28, U32, { 0, 4097 }, 2, 2 },
    { "T", 32, U32, { 0, 10001 }, 2, 10000 },
    { "seed", 36, U64, { 4000000001.0 }, 1, 4000000000.0 },
    { "optimiser", 44, U32, { 2, 99 }, 2, 0 },
    { "schedule", 48, U32, { 3, 99 }, 2, 2 },
    { "learning rate", 52, F64, { 0, -1, NAN, INFINITY, 11 }, 5, 10 },
    { "step factor", 60, F64, { 0, 2, NAN }, 3, 1 },
    { "step period", 68, F64, { 0, -3, 2e6 }, 3, 1e6 },
    { "final rate", 76, F64, { -1, 0.003, NAN }, 3, 0 },
    { "planned steps", 84, U64, { 1e16 }, 1, 1e6 },
    { "clip norm", 92, F64, { -1, NAN, 2e9 }, 3, 0 },
    { "clip value", 100, F64, { -1, INFINITY }, 2, 1e9 },
    { "validation fraction", 108, F64, { -1, -INFINITY, NAN, 2.0, 0.0, 0.0005 }, 6, 0.5 },
    { "dropout", 116, F64, { -0.1, 0.95, NAN, 1 }, 4, 0.9 },
    { "steps taken", 124, U64, { 1e16 }, 1, 12 },
    { "epochs done", 132, U64, { 1e16 }, 1, 7 },
    { "batch in epoch", 140, U64, { 1e16 }, 1, 0 },
    { "best validation loss", 148, F64, { -1, NAN, -INFINITY }, 3, INFINITY },
    { "smoothed loss", 156, F64, { -1, NAN, INFINITY }, 3, 0 },
    { "seconds", 164, F64, { -1, NAN, INFINITY }, 3, 0 },
    { "corpus length", 172, U64, { 0, 1, 1e16 }, 3, 2 },
    { "generator increment", 192, U64, { 2, 0 }, 2, 3 },
    { "beta1", 200, F64, { 1, -0.1, NAN }, 3, 0 },
    { "beta2", 208, F64, { 1, 2, NAN }, 3, 0.5 },
    { "eps", 216, F64, { 0, -1, NAN, 2 }, 4, 1 },
    { "momentum", 224, F64, { -1, 1, NAN }, 3, 0 },
    { "epochs", 232, U64, { 0, 2e6 }, 2, 1 },
    { "max steps", 240, U64, { 2e12 }, 1, 1e12 },
    { "minutes", 248, F64, { -1, NAN, 2e6, INFINITY }, 4, 1e6 },
    { "val every", 256, U64, { 0, 2e9 }, 2, 1 },
    { "log every", 264, U64, { 0, 2e9 }, 2, 1e9 },
    { "sample every", 272, U64, { 2e9 }, 1, 0 },
    { "sample chars", 280, U64, { 2e6 }, 1, 1e6 },
    { "optimiser steps", 288, U64, { 11, 13, 0 }, 3, 12 },
};

static void encode(Kind k, double v, unsigned char out[8], size_t *len)
{
    if (k == U32) { put_u32(out, (uint32_t)v); *len = 4; }
    else if (k == U64) { put_u64(out, (uint64_t)v); *len = 8; }
    else { put_f64(out, v); *len = 8; }
}

Test(crafted_checkpoint, every_field_out_of_range_is_refused_and_in_range_accepted)
{
    make_good();
    char why[800];
    cr_assert(load_crafted(0, good, 0, why, sizeof why), "the good checkpoint is refused: %s", why);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        unsigned char bytes[8];
        size_t len;
        for (int b = 0; b < cases[c].nbad; b++) {
            encode(cases[c].kind, cases[c].bad[b], bytes, &len);
            cr_assert_not(load_crafted(cases[c].at, bytes, len, why, sizeof why),
                          "%s = %g (offset %zu) was accepted", cases[c].field, cases[c].bad[b], cases[c].at);
            cr_assert(strstr(why, "crafted.bin: "), "the message does not name the file: %s", why);
        }
        /* Fields that fix the file's length cannot be changed to a value in range
           without a file of another length; the others must then be accepted. */
        bool sizes = cases[c].at >= 12 && cases[c].at < 32;
        if (sizes) continue;
        encode(cases[c].kind, cases[c].fine, bytes, &len);
        cr_assert(load_crafted(cases[c].at, bytes, len, why, sizeof why),
                  "%s = %g (offset %zu), inside its range, was refused: %s", cases[c].field,
                  cases[c].fine, cases[c].at, why);
    }
}

Test(crafted_checkpoint, messages_say_what_is_wrong)
{
    make_good();
    char why[800];
    unsigned char b[8];
    put_f64(b, -1);
    cr_assert_not(load_crafted(108, b, 8, why, sizeof why));
    cr_assert(strstr(why, "--val-fraction -1 is out of range"), "%s", why);
    put_f64(b, NAN);
    cr_assert_not(load_crafted(52, b, 8, why, sizeof why));
    cr_assert(strstr(why, "--lr nan is out of range"), "%s", why);
    put_u64(b, 11);
    cr_assert_not(load_crafted(288, b, 8, why, sizeof why));
    cr_assert(strstr(why, "optimiser has taken 11 steps, its run 12"), "%s", why);
}

/* The arrays after the header: moments, state. */
Test(crafted_checkpoint, numbers_an_optimiser_or_a_cell_cannot_hold_are_refused)
{
    make_good();
    size_t N = model_param_count(4, 3, 2), w = sizeof(real);
    char why[800];
    struct { const char *what; size_t at; double v; } bad[] = {
        { "a first moment NaN", 296 + 5 * w, NAN },
        { "a second moment negative", 296 + (N + 3) * w, -1 },
        { "a second moment infinite", 296 + (N + 1) * w, INFINITY },
        { "h of 2", 296 + 2 * N * w, 2 },
        { "c infinite", 296 + (2 * N + 6) * w, INFINITY },
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        unsigned char bytes[8];
        if (w == 4) { float f = (float)bad[k].v; uint32_t u; memcpy(&u, &f, 4); put_u32(bytes, u); }
        else put_f64(bytes, bad[k].v);
        cr_assert_not(load_crafted(bad[k].at, bytes, w, why, sizeof why), "%s: accepted", bad[k].what);
    }
}

/* A checkpoint cut to a few bytes is called short, not "another file". */
Test(crafted_checkpoint, short_files_are_called_short)
{
    make_good();
    char path[300], why[800];
    snprintf(path, sizeof path, "%s/short.bin", dir);
    for (size_t len = 0; len < 300; len += len < 16 ? 1 : 37) {
        FILE *f = fopen(path, "wb");
        fwrite(good, 1, len, f);
        fclose(f);
        Run r; Model m; Optimizer o; State s; Rng rng;
        cr_assert_not(checkpoint_load(path, &r, &m, &o, &s, &rng, why, sizeof why));
        if (len >= 8) cr_assert(!strstr(why, "does not start with"), "%zu bytes: %s", len, why);
        cr_assert(strstr(why, "short") || strstr(why, "ends inside") || strstr(why, "truncated"),
                  "%zu bytes: %s", len, why);
    }
}
