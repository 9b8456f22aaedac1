#line 696 "chapters/05-train.nw"
/* checkpoint.c — the whole state of a training run in one file. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "checkpoint.h"

/* ⟨write a checkpoint⟩ */
#line 518 "chapters/05-train.nw"
#define CHECKPOINT_MAGIC "LSTMCKPT"
enum { CHECKPOINT_VERSION = 2 };     /* 2: with the dropout */

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
    buf_u64(&b, (uint64_t)o->t);
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
/* ⟨read a checkpoint⟩ */
#line 576 "chapters/05-train.nw"
#define REFUSE(...) do { snprintf(why, whylen, __VA_ARGS__); goto fail; } while (0)

static bool rd_f64(Reader *r, double *x)
{
    uint64_t u;
    if (!rd_u64(r, &u)) return false;
    memcpy(x, &u, 8);
    return true;
}

bool checkpoint_load(const char *path, Run *run, Model *m, Optimizer *o, State *s, Rng *rng,
                     char *why, size_t whylen)
{
    unsigned char *data = NULL;
    size_t n;
    char sub[300];
    *m = (Model){0}; *o = (Optimizer){0}; *s = (State){0};
    if (!file_read_all(path, (size_t)1 << 40, &data, &n, why, whylen)) return false;
    Reader r = { data, n, 0 };
    char magic[8];
    uint32_t version, width, V, H, L, B, T, opt, sched, crc;
    uint64_t seed, total, step, epoch, batch, cn, t;
    Run x = {0};
    if (n < 12 || !rd_bytes(&r, magic, 8) || memcmp(magic, CHECKPOINT_MAGIC, 8) != 0)
        REFUSE("%s is not a checkpoint (it does not start with \"%s\")", path, CHECKPOINT_MAGIC);
    if (crc32_update(0, data, n - 4) != ((uint32_t)data[n - 4] | (uint32_t)data[n - 3] << 8
                                         | (uint32_t)data[n - 2] << 16 | (uint32_t)data[n - 1] << 24))
        REFUSE("%s: the checksum does not match: the file is damaged or truncated", path);
    if (!rd_u32(&r, &version) || version != CHECKPOINT_VERSION)
        REFUSE("%s: checkpoint version %u is not supported (this program reads %d)",
               path, (unsigned)version, CHECKPOINT_VERSION);
    bool ok = rd_u32(&r, &width) && rd_u32(&r, &V) && rd_u32(&r, &H) && rd_u32(&r, &L) && rd_u32(&r, &B)
        && rd_u32(&r, &T) && rd_u64(&r, &seed) && rd_u32(&r, &opt) && rd_u32(&r, &sched)
        && rd_f64(&r, &x.schedule.lr) && rd_f64(&r, &x.schedule.factor)
        && rd_f64(&r, &x.schedule.every) && rd_f64(&r, &x.schedule.lr_min) && rd_u64(&r, &total)
        && rd_f64(&r, &x.clip_norm) && rd_f64(&r, &x.clip_value) && rd_f64(&r, &x.val_fraction)
        && rd_f64(&r, &x.dropout)
        && rd_u64(&r, &step) && rd_u64(&r, &epoch) && rd_u64(&r, &batch)
        && rd_f64(&r, &x.best_val) && rd_f64(&r, &x.smooth_loss) && rd_f64(&r, &x.seconds)
        && rd_u64(&r, &cn) && rd_u32(&r, &crc) && rd_u64(&r, &rng->state) && rd_u64(&r, &rng->inc);
    double beta1 = 0, beta2 = 0, eps = 0, momentum = 0;
    ok = ok && rd_f64(&r, &beta1) && rd_f64(&r, &beta2) && rd_f64(&r, &eps) && rd_f64(&r, &momentum)
        && rd_u64(&r, &t);
    if (!ok) REFUSE("%s: the checkpoint ends in the middle of its header", path);
    if ((width != 4 && width != 8) || V < 1 || V > MODEL_MAX_VOCAB || H < 1 || H > MODEL_MAX_HIDDEN || L < 1 || L > MODEL_MAX_LAYERS
        || B < 1 || B > 1u << 16 || T < 1 || T > 1u << 20 || opt > OPTIM_SGD || sched > SCHEDULE_COSINE
        || step > (uint64_t)1 << 50 || epoch > (uint64_t)1 << 50 || batch > (uint64_t)1 << 50
        || total > (uint64_t)1 << 50 || t > (uint64_t)1 << 50 || !(x.dropout >= 0 && x.dropout < 1))
        REFUSE("%s: the checkpoint's settings are out of range (width %u, V %u, H %u, L %u, B %u, T %u)",
               path, (unsigned)width, (unsigned)V, (unsigned)H, (unsigned)L, (unsigned)B, (unsigned)T);
    /* ⟨check the length, then read the arrays and the model⟩ */
    #line 654 "chapters/05-train.nw"
    uint64_t N = model_param_count((int)V, (int)H, (int)L);
    uint64_t arrays = (2 * N + 2 * (uint64_t)L * B * H) * width;
    uint64_t model_bytes = 32 + 4 * (uint64_t)V + N * width + 4;
    if (n - r.pos != arrays + model_bytes)
        REFUSE("%s: the checkpoint is %zu bytes, but its sizes (V = %u, H = %u, L = %u, B = %u) "
               "make %" PRIu64 ": truncated or damaged", path, n, (unsigned)V, (unsigned)H,
               (unsigned)L, (unsigned)B, (uint64_t)r.pos + arrays + model_bytes);
    Reader mr = { data, n, r.pos + (size_t)arrays };
    if (!model_get(&mr, m, sub, sizeof sub))
        REFUSE("%s: the model in the checkpoint: %s", path, sub);
    if (m->V != (int)V || m->H != (int)H || m->L != (int)L)
        REFUSE("%s: the model in the checkpoint has V = %d, H = %d, L = %d, not V = %u, H = %u, L = %u",
               path, m->V, m->H, m->L, (unsigned)V, (unsigned)H, (unsigned)L);
    *o = optim_new((OptimKind)opt, m);
    *s = state_new(m, (int)B);
    rd_reals(&r, o->m1.params, m->count, (int)width);
    rd_reals(&r, o->m2.params, m->count, (int)width);
    for (uint32_t l = 0; l < L; l++) {
        rd_reals(&r, s->h[l].data, (size_t)B * H, (int)width);
        rd_reals(&r, s->c[l].data, (size_t)B * H, (int)width);
    }
    #line 627 "chapters/05-train.nw"
    x.hidden = (int)H; x.layers = (int)L; x.batch = (int)B; x.steps = (int)T; x.seed = seed;
    x.optimizer = (OptimKind)opt; x.schedule.kind = (ScheduleKind)sched; x.schedule.total = (long)total;
    x.step = (long)step; x.epoch = (long)epoch; x.batch_in_epoch = (long)batch;
    x.corpus_n = cn; x.corpus_crc = crc;
    o->kind = (OptimKind)opt; o->beta1 = beta1; o->beta2 = beta2; o->eps = eps;
    o->momentum = momentum; o->t = (long)t;
    *run = x;
    free(data);
    return true;
fail:
    model_free(m);
    if (o->m1.params) optim_free(o);
    if (s->h) state_free(s);
    free(data);
    return false;
}
#undef REFUSE
/* ⟨checkpoint.c functions⟩ */
