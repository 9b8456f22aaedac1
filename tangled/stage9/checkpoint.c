#line 739 "chapters/C1-runs.nw"
/* checkpoint.c — the whole state of a training run in one file. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "checkpoint.h"
#include "modelfile.h"

/* ⟨write a checkpoint⟩ */
#line 373 "chapters/C1-runs.nw"
#define CHECKPOINT_MAGIC "LSTMCKPT"
enum { CHECKPOINT_VERSION = 3,       /* 3: with the limits; 2: with the dropout */
       CHECKPOINT_HEADER = 296,      /* the bytes before the arrays, in version 3 */
       CHECKPOINT_PEEK = 512 };      /* enough for the header of every version */

static void buf_f64(Buf *b, double x)
{
    uint64_t u;
    memcpy(&u, &x, 8);
    buf_u64(b, u);
}

bool checkpoint_save(const char *path, const Run *r, const Model *m, const Optimizer *o,
                     const State *s, const Rng *rng, char *why, size_t whylen)
{
    Buf b = {0};
    int width = (int)sizeof(real);
    buf_bytes(&b, CHECKPOINT_MAGIC, 8);
    buf_u32(&b, CHECKPOINT_VERSION);
    buf_u32(&b, (uint32_t)width);
    buf_u32(&b, (uint32_t)m->V);
    buf_u32(&b, (uint32_t)r->hidden);  buf_u32(&b, (uint32_t)r->layers);
    buf_u32(&b, (uint32_t)r->batch);   buf_u32(&b, (uint32_t)r->steps);
    buf_u64(&b, r->seed);
    buf_u32(&b, (uint32_t)r->optimizer);
    buf_u32(&b, (uint32_t)r->schedule.kind);
    buf_f64(&b, r->schedule.lr);       buf_f64(&b, r->schedule.factor);
    buf_f64(&b, r->schedule.every);    buf_f64(&b, r->schedule.lr_min);
    buf_u64(&b, (uint64_t)r->schedule.total);
    buf_f64(&b, r->clip_norm);         buf_f64(&b, r->clip_value);
    buf_f64(&b, r->val_fraction);      buf_f64(&b, r->dropout);
    buf_u64(&b, (uint64_t)r->step);    buf_u64(&b, (uint64_t)r->epoch);
    buf_u64(&b, (uint64_t)r->batch_in_epoch);
    buf_f64(&b, r->best_val);          buf_f64(&b, r->smooth_loss);
    buf_f64(&b, r->seconds);
    buf_u64(&b, r->corpus_n);          buf_u32(&b, r->corpus_crc);
    buf_u64(&b, rng->state);           buf_u64(&b, rng->inc);
    buf_f64(&b, o->beta1); buf_f64(&b, o->beta2); buf_f64(&b, o->eps); buf_f64(&b, o->momentum);
    buf_u64(&b, (uint64_t)r->epochs);  buf_u64(&b, (uint64_t)r->max_steps);
    buf_f64(&b, r->minutes);
    buf_u64(&b, (uint64_t)r->val_every);    buf_u64(&b, (uint64_t)r->log_every);
    buf_u64(&b, (uint64_t)r->sample_every); buf_u64(&b, (uint64_t)r->sample_chars);
    buf_u64(&b, (uint64_t)o->t);
    size_t header = CHECKPOINT_HEADER;
    /* ⟨write the header fields of a later version, if the model needs one⟩ */
    /* ⟨write the header fields of a later version, if the model needs one⟩, continued in C5-checkpoint-4.nw */
    #line 37 "chapters/C5-checkpoint-4.nw"
    if (m->E > 0 || m->vocab.words > 0) {
        b.p[8] = CHECKPOINT_VERSION_4;
        buf_u32(&b, (uint32_t)m->E);
        buf_u32(&b, (uint32_t)r->tokens);
        buf_u32(&b, (uint32_t)r->words);
        buf_u32(&b, m->vocab.words ? m->vocab.word_at[m->vocab.words] : 0);
        header = CHECKPOINT_HEADER_4;
    }
    #line 418 "chapters/C1-runs.nw"
    if (b.n != header) bug("checkpoint_save: a header of %zu bytes", b.n);
    buf_reals(&b, o->m1.params, m->count, width);
    buf_reals(&b, o->m2.params, m->count, width);
    for (int l = 0; l < m->L; l++) {
        buf_reals(&b, s->h[l].data, (size_t)s->B * (size_t)m->H, width);
        buf_reals(&b, s->c[l].data, (size_t)s->B * (size_t)m->H, width);
    }
    model_put(&b, m);
    buf_u32(&b, crc32_update(0, b.p, b.n));
    bool ok = file_write_atomic(path, b.p, b.n, why, whylen);
    buf_free(&b);
    return ok;
}
/* ⟨read and check a checkpoint's header⟩ */
#line 441 "chapters/C1-runs.nw"
#define REFUSE(...) do { snprintf(why, whylen, __VA_ARGS__); return false; } while (0)

static bool rd_f64(Reader *r, double *x)
{
    uint64_t u;
    if (!rd_u64(r, &u)) return false;
    memcpy(x, &u, 8);
    return true;
}

/* What the header says: the run, the optimiser's numbers, the sizes. */
typedef struct {
    uint32_t version, width, V;
    Run run;
    Rng rng;
    double beta1, beta2, eps, momentum;
    uint64_t t;
    bool in_range;        /* every count below 2^50, so that it fits the fields of a Run */
    size_t arrays_at;     /* where the moments start */
    uint64_t bytes;       /* how long the file must be */
    size_t model_at;      /* where the model starts */
    /* ⟨the fields later versions add to a checkpoint's header⟩ */
    /* ⟨the fields later versions add to a checkpoint's header⟩, continued in C5-checkpoint-4.nw */
    #line 52 "chapters/C5-checkpoint-4.nw"
    uint32_t E, tokens, words, W;   /* version 4: as the run and the model's file say */
#line 463 "chapters/C1-runs.nw"
} CheckpointHeader;

/* Whether this program reads checkpoints of version v, and how long their
   header is (the bytes before the arrays). */
static bool version_known(uint32_t v)
{
    /* ⟨the checkpoint versions later chapters add⟩ */
    /* ⟨the checkpoint versions later chapters add⟩, continued in C5-checkpoint-4.nw */
    #line 55 "chapters/C5-checkpoint-4.nw"
    if (v == CHECKPOINT_VERSION_4) return true;
    #line 470 "chapters/C1-runs.nw"
    return v == 2 || v == 3;
}

static int header_bytes(uint32_t v)
{
    /* ⟨the header sizes of the checkpoint versions later chapters add⟩ */
    /* ⟨the header sizes of the checkpoint versions later chapters add⟩, continued in C5-checkpoint-4.nw */
    #line 58 "chapters/C5-checkpoint-4.nw"
    if (v == CHECKPOINT_VERSION_4) return CHECKPOINT_HEADER_4;
    #line 476 "chapters/C1-runs.nw"
    return v == 3 ? CHECKPOINT_HEADER : CHECKPOINT_HEADER - 56;
}

/* ⟨read the fields of a checkpoint's header⟩ */
#line 512 "chapters/C1-runs.nw"
static bool read_header_fields(Reader *r, CheckpointHeader *h)
{
    Run *x = &h->run;
    uint32_t H, L, B, T, opt, sched, crc;
    uint64_t seed, total, step, epoch, batch, cn, lim[6] = { 0 };
    double minutes = 0;
    bool ok = rd_u32(r, &h->width) && rd_u32(r, &h->V) && rd_u32(r, &H) && rd_u32(r, &L)
        && rd_u32(r, &B) && rd_u32(r, &T) && rd_u64(r, &seed) && rd_u32(r, &opt) && rd_u32(r, &sched)
        && rd_f64(r, &x->schedule.lr) && rd_f64(r, &x->schedule.factor)
        && rd_f64(r, &x->schedule.every) && rd_f64(r, &x->schedule.lr_min) && rd_u64(r, &total)
        && rd_f64(r, &x->clip_norm) && rd_f64(r, &x->clip_value) && rd_f64(r, &x->val_fraction)
        && rd_f64(r, &x->dropout)
        && rd_u64(r, &step) && rd_u64(r, &epoch) && rd_u64(r, &batch)
        && rd_f64(r, &x->best_val) && rd_f64(r, &x->smooth_loss) && rd_f64(r, &x->seconds)
        && rd_u64(r, &cn) && rd_u32(r, &crc) && rd_u64(r, &h->rng.state) && rd_u64(r, &h->rng.inc)
        && rd_f64(r, &h->beta1) && rd_f64(r, &h->beta2) && rd_f64(r, &h->eps) && rd_f64(r, &h->momentum);
    if (ok && h->version >= 3)
        ok = rd_u64(r, &lim[0]) && rd_u64(r, &lim[1]) && rd_f64(r, &minutes) && rd_u64(r, &lim[2])
            && rd_u64(r, &lim[3]) && rd_u64(r, &lim[4]) && rd_u64(r, &lim[5]);
    ok = ok && rd_u64(r, &h->t);
    /* ⟨read the header fields of a later version⟩ */
    /* ⟨read the header fields of a later version⟩, continued in C5-checkpoint-4.nw */
    #line 61 "chapters/C5-checkpoint-4.nw"
    if (ok && h->version == CHECKPOINT_VERSION_4) {
        ok = rd_u32(r, &h->E) && rd_u32(r, &h->tokens) && rd_u32(r, &h->words) && rd_u32(r, &h->W);
        h->run.embed = (long)h->E;
        h->run.tokens = (long)h->tokens;
        h->run.words = (long)h->words;
    }
    #line 533 "chapters/C1-runs.nw"
    if (!ok) return false;
    /* Counts are read wider than a Run's fields; only those below 2^50 are kept. */
    uint64_t wide[] = { seed, total, step, epoch, batch, cn, h->t,
                        lim[0], lim[1], lim[2], lim[3], lim[4], lim[5] };
    h->in_range = true;
    for (size_t k = 0; k < sizeof wide / sizeof wide[0]; k++) h->in_range &= wide[k] < (uint64_t)1 << 50;
    if (!h->in_range) return true;
    x->hidden = (long)H; x->layers = (long)L; x->batch = (long)B; x->steps = (long)T; x->seed = seed;
    x->optimizer = opt > OPTIM_SGD ? OPTIM_KINDS : (OptimKind)opt;
    x->schedule.kind = sched > SCHEDULE_COSINE ? SCHEDULE_KINDS : (ScheduleKind)sched;
    x->schedule.total = (long)total;
    x->step = (long)step; x->epoch = (long)epoch; x->batch_in_epoch = (long)batch;
    x->corpus_n = cn; x->corpus_crc = crc;
    x->momentum = h->momentum;
    if (h->version >= 3) {
        x->epochs = (long)lim[0]; x->max_steps = (long)lim[1]; x->minutes = minutes;
        x->val_every = (long)lim[2]; x->log_every = (long)lim[3];
        x->sample_every = (long)lim[4]; x->sample_chars = (long)lim[5];
    } else {                          /* not in the file: the command line will say */
        x->epochs = x->max_steps = x->val_every = x->log_every = RUN_NOT_KNOWN;
        x->sample_every = x->sample_chars = RUN_NOT_KNOWN;
        x->minutes = RUN_NOT_KNOWN;
    }
    return true;
}
/* ⟨check that every field of a checkpoint's header is in its range⟩ */
#line 561 "chapters/C1-runs.nw"
static bool check_header_fields(const CheckpointHeader *h, char *why, size_t whylen)
{
    const Run *x = &h->run;
    char sub[200];
    if (h->width != 4 && h->width != 8)
        REFUSE("the checkpoint's width is %u; only 4 (float) and 8 (double) exist", (unsigned)h->width);
    if (h->V < 1 || h->V > MODEL_MAX_VOCAB)
        REFUSE("the checkpoint's vocabulary of %u is out of range (1..%d)", (unsigned)h->V, MODEL_MAX_VOCAB);
    if (!h->in_range)
        REFUSE("a count in the checkpoint's header is far out of range (2^50 or more)");
    Run limits_known = *x;          /* a version 2 file has none: any will do for the check */
    if (h->version == 2) {
        limits_known.epochs = limits_known.val_every = limits_known.log_every = 1;
        limits_known.max_steps = limits_known.sample_every = limits_known.sample_chars = 0;
        limits_known.minutes = 0;
    }
    /* ⟨check the header fields of a later version⟩ */
    /* ⟨check the header fields of a later version⟩, continued in C5-checkpoint-4.nw */
    #line 69 "chapters/C5-checkpoint-4.nw"
    if (h->version == CHECKPOINT_VERSION_4 && ((h->tokens == RUN_TOKENS_WORDS) != (h->W > 0)
                                               || h->W > VOCAB_WORD_MAX * (uint64_t)h->words))
        REFUSE("the checkpoint's run reads %s, and its model has words of %u characters in all "
               "(at most %u words of %d characters)", h->tokens ? "words" : "characters",
               (unsigned)h->W, (unsigned)h->words, VOCAB_WORD_MAX);
    #line 578 "chapters/C1-runs.nw"
    if (!run_check(&limits_known, sub, sizeof sub))
        REFUSE("the checkpoint's %s", sub);
    if (!(x->best_val >= 0) || !(x->smooth_loss >= 0) || !isfinite(x->smooth_loss)
        || !(x->seconds >= 0) || !isfinite(x->seconds))
        REFUSE("the checkpoint's losses or time are not numbers a run can have "
               "(best %g, smoothed %g, seconds %g)", x->best_val, x->smooth_loss, x->seconds);
    if (x->corpus_n < 2)
        REFUSE("the checkpoint's corpus of %" PRIu64 " characters is too short", x->corpus_n);
    if (!(h->rng.inc & 1))
        REFUSE("the checkpoint's random generator has an even increment, which PCG32 never has");
    if (!(h->beta1 >= 0 && h->beta1 < 1) || !(h->beta2 >= 0 && h->beta2 < 1)
        || !(h->eps > 0 && h->eps <= 1))
        REFUSE("the checkpoint's Adam settings are out of range (beta1 %g, beta2 %g, eps %g)",
               h->beta1, h->beta2, h->eps);
    if (h->t != (uint64_t)x->step)
        REFUSE("the checkpoint's optimiser has taken %" PRIu64 " steps, its run %ld", h->t, x->step);
    return true;
}

static bool checkpoint_header(const unsigned char *p, size_t n, CheckpointHeader *h,
                              char *why, size_t whylen)
{
    Reader r = { p, n, 0 };
    char magic[8];
    *h = (CheckpointHeader){0};
    if (n < 8 || !rd_bytes(&r, magic, 8) || memcmp(magic, CHECKPOINT_MAGIC, 8) != 0)
        REFUSE(n < 8 ? "the file is too short to be a checkpoint (%zu bytes)"
                     : "this is not a checkpoint (it does not start with \"" CHECKPOINT_MAGIC "\")", n);
    if (!rd_u32(&r, &h->version) || !version_known(h->version))
        REFUSE(r.pos < 12 ? "the file ends inside its header"
                          : "checkpoint version %u is not one this program reads",
               (unsigned)h->version);
    if (!read_header_fields(&r, h))
        REFUSE("the file ends inside its header (%zu bytes; a version %u header is %d)",
               n, (unsigned)h->version, header_bytes(h->version));
    if (!check_header_fields(h, why, whylen)) return false;
    uint64_t N = model_param_count((int)h->V, h->run.hidden, h->run.layers);
    uint64_t model_header = MODEL_HEADER_BYTES;
    /* ⟨the sizes of the model in a checkpoint of a later version⟩ */
    /* ⟨the sizes of the model in a checkpoint of a later version⟩, continued in C5-checkpoint-4.nw */
    #line 76 "chapters/C5-checkpoint-4.nw"
    if (h->version == CHECKPOINT_VERSION_4) {
        if (h->E > 0) N = model_param_count_embedded((int)h->V, (int)h->E, h->run.hidden, h->run.layers);
        if (h->E > 0 || h->tokens != 0) model_header = MODEL_HEADER_BYTES_2 + 4 * (uint64_t)h->W;
    }
    #line 502 "chapters/C1-runs.nw"
    uint64_t arrays = (2 * N + 2 * (uint64_t)h->run.layers * (uint64_t)h->run.batch
                       * (uint64_t)h->run.hidden) * h->width;
    h->arrays_at = r.pos;
    h->model_at = r.pos + (size_t)arrays;
    h->bytes = r.pos + arrays + model_header + 4 * (uint64_t)h->V + N * h->width + 4;
    return true;
}
#line 750 "chapters/C1-runs.nw"
#define REFUSE_FILE(...) do { snprintf(msg, sizeof msg, __VA_ARGS__); \
                              snprintf(why, whylen, "%s: %s", path, msg); goto fail; } while (0)
/* ⟨read a checkpoint⟩ */
#line 604 "chapters/C1-runs.nw"
bool checkpoint_load(const char *path, Run *run, Model *m, Optimizer *o, State *s, Rng *rng,
                     char *why, size_t whylen)
{
    unsigned char *data = NULL, head[CHECKPOINT_PEEK];
    size_t n, size;
    FILE *f;
    char sub[400], msg[500];
    CheckpointHeader h;
    *m = (Model){0}; *o = (Optimizer){0}; *s = (State){0};
    if (!file_open_regular(path, &f, &size, why, whylen)) return false;
    size_t got = size < sizeof head ? size : sizeof head;
    bool ok = file_read_exact(f, path, head, got, why, whylen);
    fclose(f);
    if (!ok) return false;
    if (!checkpoint_header(head, got, &h, sub, sizeof sub)) REFUSE_FILE("%s", sub);
    if (size != h.bytes)
        REFUSE_FILE("the checkpoint is %zu bytes, but its sizes (V = %u, H = %ld, L = %ld, B = %ld) "
                    "make %" PRIu64 ": truncated or damaged", size, (unsigned)h.V, h.run.hidden,
                    h.run.layers, h.run.batch, h.bytes);
    if (!file_read_all(path, size, &data, &n, why, whylen)) return false;
    if (crc32_update(0, data, n - 4) != get_u32(data + n - 4))
        REFUSE_FILE("the checksum does not match: the file is damaged");
    Reader mr = { data, n, h.model_at };
    if (!model_get(&mr, m, sub, sizeof sub)) REFUSE_FILE("the model in the checkpoint: %s", sub);
    if (m->V != (int)h.V || m->H != h.run.hidden || m->L != h.run.layers)
        REFUSE_FILE("the model in the checkpoint has V = %d, H = %d, L = %d, not V = %u, H = %ld, "
                    "L = %ld", m->V, m->H, m->L, (unsigned)h.V, h.run.hidden, h.run.layers);
    /* ⟨read the moments and the state, and check every number⟩ */
    #line 646 "chapters/C1-runs.nw"
    *o = optim_new(h.run.optimizer, h.momentum, m);
    o->beta1 = h.beta1; o->beta2 = h.beta2; o->eps = h.eps; o->t = (long)h.t;
    *s = state_new(m, h.run.batch);
    Reader r = { data, n, h.arrays_at };
    rd_reals(&r, o->m1.params, m->count, (int)h.width);
    rd_reals(&r, o->m2.params, m->count, (int)h.width);
    for (size_t i = 0; i < m->count; i++)
        if (!isfinite(o->m1.params[i]) || !isfinite(o->m2.params[i]) || o->m2.params[i] < 0)
            REFUSE_FILE("the optimiser's moments of parameter %zu (%g, %g) are not what an optimiser "
                        "keeps", i, (double)o->m1.params[i], (double)o->m2.params[i]);
    for (int l = 0; l < h.run.layers; l++) {
        size_t cells = (size_t)h.run.batch * (size_t)h.run.hidden;
        rd_reals(&r, s->h[l].data, cells, (int)h.width);
        rd_reals(&r, s->c[l].data, cells, (int)h.width);
        for (size_t i = 0; i < cells; i++)
            if (!(fabs((double)s->h[l].data[i]) <= 1) || !isfinite(s->c[l].data[i]))
                REFUSE_FILE("the state carried between batches (layer %d, value %zu) is not a state "
                            "an LSTM can be in", l + 1, i);
    }
    #line 632 "chapters/C1-runs.nw"
    *run = h.run;
    *rng = h.rng;
    free(data);
    return true;
fail:
    model_free(m);
    if (o->m1.params) optim_free(o);
    if (s->h) state_free(s);
    free(data);
    return false;
}
#line 753 "chapters/C1-runs.nw"
#undef REFUSE_FILE
#undef REFUSE
/* ⟨checkpoint.c functions⟩ */
