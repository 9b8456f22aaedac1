/* tests/stage9/test_checkpoint4.c — version 4 of the checkpoint (appendix
 * C5): an embedded model's run is saved and loaded back bit for bit (model,
 * moments, state, run), through checkpoint_load and through model_load;
 * the two new fields are where the appendix says and are checked; a
 * one-hot run still writes version 3; every truncation and every damaged
 * byte is refused with a reason. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "binio.h"
#include "checkpoint.h"
#include "modelfile.h"

static char dir[] = "/tmp/lstm-ckpt4-XXXXXX";

static Run a_run(long E)
{
    return (Run){ .hidden = 3, .layers = 2, .batch = 2, .steps = 5, .seed = 1, .optimizer = OPTIM_ADAM,
                  .momentum = 0.9, .schedule = { SCHEDULE_CONSTANT, 0.002, 0.5, 10, 1e-4, 0 },
                  .clip_norm = 5, .val_fraction = 0.1, .dropout = 0, .embed = E, .words = 4000, .epochs = 50,
                  .max_steps = 0, .minutes = 0, .val_every = 500, .log_every = 50, .sample_every = 0,
                  .sample_chars = 300, .step = 12, .epoch = 1, .batch_in_epoch = 2, .best_val = 1.25,
                  .smooth_loss = 1.5, .seconds = 3, .corpus_n = 400, .corpus_crc = 1234 };
}

/* Save a run of a model with a table of E (0: one-hot); its bytes. */
static unsigned char *saved(long E, Model *m, Optimizer *o, State *s, size_t *n, const char *path)
{
    uint32_t cps[4] = { '\n', 'a', 'b', 'c' };
    Vocab v = { .size = 4, .cp = cps };
    *m = E ? model_new_embedded(&v, (int)E, 3, 2) : model_new(&v, 3, 2);
    Rng rng;
    rng_seed(&rng, 7, 5);
    model_init(m, &rng);
    *o = optim_new(OPTIM_ADAM, 0.9, m);
    o->t = 12;
    for (size_t i = 0; i < m->count; i++) {     /* moments that are not all zero */
        o->m1.params[i] = (real)((double)i / 100 - 0.5);
        o->m2.params[i] = (real)((double)i / 1000);
    }
    *s = state_new(m, 2);
    mat_uniform(s->h[1], -0.9, 0.9, &rng);
    mat_uniform(s->c[0], -2, 2, &rng);
    Run r = a_run(E);
    char why[600];
    cr_assert(checkpoint_save(path, &r, m, o, s, &rng, why, sizeof why), "%s", why);
    unsigned char *b;
    cr_assert(file_read_all(path, 1 << 20, &b, n, why, sizeof why), "%s", why);
    return b;
}

static const char *path_of(const char *name)
{
    static char p[300];
    if (dir[sizeof dir - 2] == 'X') cr_assert(mkdtemp(dir));
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

Test(checkpoint_4, an_embedded_run_comes_back_bit_for_bit)
{
    Model m; Optimizer o; State s;
    size_t n;
    const char *p = path_of("e.bin");
    unsigned char *b = saved(4, &m, &o, &s, &n, p);
    cr_assert_eq(get_u32(b + 8), 4);
    cr_assert_eq(get_u32(b + 296), 4, "E at 296");
    cr_assert_eq(get_u32(b + 300), 0, "tokens at 300");
    cr_assert_eq(get_u32(b + 304), 4000, "the most words at 304");
    cr_assert_eq(get_u32(b + 308), 0, "the words' characters at 308");
    size_t arrays = (2 * m.count + 2 * 2 * 2 * 3) * sizeof(real);
    cr_assert(memcmp(b + 312, o.m1.params, m.count * sizeof(real)) == 0, "the moments at 312");
    cr_assert(memcmp(b + 312 + arrays, "LSTMCHAR", 8) == 0, "the model after the arrays");
    cr_assert_eq(get_u32(b + 312 + arrays + 8), 2, "a version 2 model file");
    Run r; Model k; Optimizer ko; State ks; Rng rng;
    char why[800];
    cr_assert(checkpoint_load(p, &r, &k, &ko, &ks, &rng, why, sizeof why), "%s", why);
    cr_assert_eq(r.embed, 4);
    cr_assert_eq(k.E, 4);
    cr_assert(memcmp(k.params, m.params, m.count * sizeof(real)) == 0);
    cr_assert(memcmp(ko.m1.params, o.m1.params, m.count * sizeof(real)) == 0);
    cr_assert(memcmp(ko.m2.params, o.m2.params, m.count * sizeof(real)) == 0);
    for (int l = 0; l < 2; l++)
        cr_assert(memcmp(ks.h[l].data, s.h[l].data, 6 * sizeof(real)) == 0
                  && memcmp(ks.c[l].data, s.c[l].data, 6 * sizeof(real)) == 0);
    Model km;
    cr_assert(model_load(p, &km, why, sizeof why), "model_load of a version 4 checkpoint: %s", why);
    cr_assert(km.E == 4 && memcmp(km.params, m.params, m.count * sizeof(real)) == 0);
    model_free(&km);
    model_free(&k); optim_free(&ko); state_free(&ks);
    model_free(&m); optim_free(&o); state_free(&s);
    free(b);
}

Test(checkpoint_4, a_one_hot_run_still_writes_version_3)
{
    Model m; Optimizer o; State s;
    size_t n;
    unsigned char *b = saved(0, &m, &o, &s, &n, path_of("one.bin"));
    cr_assert_eq(get_u32(b + 8), 3);
    cr_assert(memcmp(b + 296, o.m1.params, sizeof(real)) == 0, "version 3's arrays start at 296");
    model_free(&m); optim_free(&o); state_free(&s);
    free(b);
}

static bool load_bytes(const unsigned char *b, size_t n, char *why, size_t whylen)
{
    const char *p = path_of("try.bin");
    FILE *f = fopen(p, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(b, 1, n, f), n);
    fclose(f);
    Run r; Model k; Optimizer ko; State ks; Rng rng;
    bool ok = checkpoint_load(p, &r, &k, &ko, &ks, &rng, why, whylen);
    if (ok) { model_free(&k); optim_free(&ko); state_free(&ks); }
    else cr_assert_null(k.params, "a refused checkpoint left a model behind");
    return ok;
}

static void refused_field(const unsigned char *good, size_t n, size_t at, uint32_t v, const char *expect)
{
    unsigned char *b = malloc(n);
    memcpy(b, good, n);
    for (int i = 0; i < 4; i++) b[at + (size_t)i] = (unsigned char)(v >> 8 * i);
    for (int i = 0; i < 4; i++) b[n - 4 + (size_t)i] = (unsigned char)(crc32_update(0, b, n - 4) >> 8 * i);
    char why[800] = "";
    cr_assert_not(load_bytes(b, n, why, sizeof why), "offset %zu = %u was accepted", at, v);
    cr_assert(strstr(why, expect), "offset %zu = %u: '%s' lacks '%s'", at, v, why, expect);
    free(b);
}

Test(checkpoint_4, its_fields_are_checked)
{
    Model m; Optimizer o; State s;
    size_t n;
    unsigned char *good = saved(4, &m, &o, &s, &n, path_of("g.bin"));
    refused_field(good, n, 296, 5000, "--embed 5000 is out of range (0..4096)");
    refused_field(good, n, 296, 3, "make");                       /* the sizes disagree with the file */
    refused_field(good, n, 300, 2, "--tokens (as a number) 2 is out of range");
    refused_field(good, n, 300, 1, "reads words, and its model has words of 0 characters");
    refused_field(good, n, 304, 70000, "--words 70000 is out of range");
    refused_field(good, n, 8, 5, "version 5 is not one this program reads");
    free(good);
    model_free(&m); optim_free(&o); state_free(&s);
}

Test(checkpoint_4, every_truncation_and_every_damaged_byte_is_refused)
{
    Model m; Optimizer o; State s;
    size_t n;
    unsigned char *good = saved(3, &m, &o, &s, &n, path_of("g2.bin"));
    char why[800];
    for (size_t len = 0; len < n; len += len < 330 ? 1 : 7) {
        cr_assert_not(load_bytes(good, len, why, sizeof why), "truncated to %zu bytes: accepted", len);
        cr_assert(why[0], "truncated to %zu: no reason", len);
    }
    unsigned char *b = malloc(n);
    for (size_t i = 0; i < n; i++) {
        memcpy(b, good, n);
        b[i] ^= (unsigned char)(1u << (i % 8));
        why[0] = 0;
        cr_assert_not(load_bytes(b, n, why, sizeof why), "byte %zu flipped: accepted", i);
        cr_assert(why[0], "byte %zu flipped: no reason", i);
    }
    free(b);
    free(good);
    model_free(&m); optim_free(&o); state_free(&s);
}
