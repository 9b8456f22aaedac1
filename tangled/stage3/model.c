#line 1348 "chapters/03-network.nw"
/* model.c — the model, its parameters, and the model file. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tgmath.h>
#include "model.h"

/* ⟨count the parameters of a model⟩ */
#line 426 "chapters/03-network.nw"
size_t model_param_count(int V, int H, int L)
{
    uint64_t v = (uint64_t)V, h = (uint64_t)H, n = 0;
    for (int l = 0; l < L; l++)
        n += 4 * h * (l == 0 ? v : h) + 4 * h * h + 4 * h;
    return (size_t)(n + v * h + v);
}
/* ⟨make a model of zeros, and free it⟩ */
#line 440 "chapters/03-network.nw"
Model model_new(const Vocab *vocab, int H, int L)
{
    if (vocab->size < 1 || vocab->size > MODEL_MAX_VOCAB || H < 1 || H > MODEL_MAX_HIDDEN
        || L < 1 || L > MODEL_MAX_LAYERS)
        bug("model_new: V = %d, H = %d, L = %d out of range", vocab->size, H, L);
    Model m = { .V = vocab->size, .H = H, .L = L };
    m.vocab.size = vocab->size;
    m.vocab.cp = xalloc((size_t)vocab->size, sizeof *m.vocab.cp);
    memcpy(m.vocab.cp, vocab->cp, (size_t)vocab->size * sizeof *m.vocab.cp);
    m.count = model_param_count(m.V, H, L);
    m.params = xalloc(m.count, sizeof(real));
    m.layer = xalloc((size_t)L, sizeof *m.layer);
    real *p = m.params;
    for (int l = 0; l < L; l++) {
        int in = l == 0 ? m.V : H;
        LstmLayer *y = &m.layer[l];
        y->in = in;
        y->hidden = H;
        y->W_ih = mat_view(p, 4 * H, in, in); p += (size_t)4 * H * in;
        y->W_hh = mat_view(p, 4 * H, H, H);   p += (size_t)4 * H * H;
        y->b    = mat_view(p, 1, 4 * H, 4 * H); p += (size_t)4 * H;
    }
    m.W_y = mat_view(p, m.V, H, H); p += (size_t)m.V * H;
    m.b_y = mat_view(p, 1, m.V, m.V); p += m.V;
    if ((size_t)(p - m.params) != m.count)
        bug("model_new: laid out %zu parameters, counted %zu", (size_t)(p - m.params), m.count);
    return m;
}

Model model_like(const Model *m)
{
    return model_new(&m->vocab, m->H, m->L);
}

void model_free(Model *m)
{
    free(m->params);
    free(m->layer);
    vocab_free(&m->vocab);
    *m = (Model){0};
}
/* ⟨name the tensors of a model, in file order⟩ */
#line 488 "chapters/03-network.nw"
int model_tensor_count(const Model *m)
{
    return 3 * m->L + 2;
}

Matrix model_tensor(const Model *m, int k, char name[MODEL_TENSOR_NAME_MAX])
{
    static const char *const parts[] = { "W_ih", "W_hh", "b" };
    if (k < 0 || k >= model_tensor_count(m))
        bug("model_tensor: no tensor %d", k);
    if (k < 3 * m->L) {
        const LstmLayer *y = &m->layer[k / 3];
        if (name) snprintf(name, MODEL_TENSOR_NAME_MAX, "layer %d %s", k / 3 + 1, parts[k % 3]);
        return k % 3 == 0 ? y->W_ih : k % 3 == 1 ? y->W_hh : y->b;
    }
    if (name) snprintf(name, MODEL_TENSOR_NAME_MAX, "%s", k == 3 * m->L ? "W_y" : "b_y");
    return k == 3 * m->L ? m->W_y : m->b_y;
}
/* ⟨initialise a model⟩ */
#line 514 "chapters/03-network.nw"
void model_init(Model *m, Rng *rng)
{
    for (int l = 0; l < m->L; l++)
        layer_init(&m->layer[l], rng);
    mat_xavier(m->W_y, rng);
    mat_fill(m->b_y, 0);
}
/* ⟨put a model into a buffer⟩ */
#line 1198 "chapters/03-network.nw"
void model_put(Buf *b, const Model *m)
{
    int width = (int)sizeof(real);          /* 4 in the float build, 8 in the double */
    buf_bytes(b, MODEL_MAGIC, 8);
    buf_u32(b, MODEL_VERSION);
    buf_u32(b, (uint32_t)width);
    buf_u32(b, (uint32_t)m->V);
    buf_u32(b, (uint32_t)m->H);
    buf_u32(b, (uint32_t)m->L);
    buf_u32(b, 0);                          /* reserved: flags, 0 */
    for (int k = 0; k < m->V; k++) buf_u32(b, m->vocab.cp[k]);
    buf_reals(b, m->params, m->count, width);
}

bool model_save(const Model *m, const char *path, char *why, size_t whylen)
{
    Buf b = {0};
    model_put(&b, m);
    buf_u32(&b, crc32_update(0, b.p, b.n));
    bool ok = file_write_atomic(path, b.p, b.n, why, whylen);
    buf_free(&b);
    return ok;
}
/* ⟨get a model out of a reader⟩ */
#line 1233 "chapters/03-network.nw"
#define REFUSE(...) do { snprintf(why, whylen, __VA_ARGS__); return false; } while (0)

bool model_get(Reader *r, Model *m, char *why, size_t whylen)
{
    char magic[8];
    uint32_t version, width, V, H, L, flags;
    *m = (Model){0};
    if (!rd_bytes(r, magic, 8) || !rd_u32(r, &version) || !rd_u32(r, &width) || !rd_u32(r, &V)
        || !rd_u32(r, &H) || !rd_u32(r, &L) || !rd_u32(r, &flags))
        REFUSE("the file is too short to be a model (%zu bytes; a header is %d)", r->n, MODEL_HEADER_BYTES);
    if (memcmp(magic, MODEL_MAGIC, 8) != 0)
        REFUSE("this is not a model file (it does not start with \"%s\")", MODEL_MAGIC);
    if (version != MODEL_VERSION)
        REFUSE("model file version %" PRIu32 " is not supported (this program reads version %d)",
               version, MODEL_VERSION);
    if (width != 4 && width != 8)
        REFUSE("the parameters are %" PRIu32 " bytes wide; only 4 (float) and 8 (double) exist", width);
    if (V < 1 || V > MODEL_MAX_VOCAB || H < 1 || H > MODEL_MAX_HIDDEN || L < 1 || L > MODEL_MAX_LAYERS)
        REFUSE("the sizes V = %" PRIu32 ", H = %" PRIu32 ", L = %" PRIu32 " are out of range "
               "(1..%d, 1..%d, 1..%d)", V, H, L, MODEL_MAX_VOCAB, MODEL_MAX_HIDDEN, MODEL_MAX_LAYERS);
    if (flags != 0)
        REFUSE("the reserved header field is %" PRIu32 ", not 0", flags);
    uint64_t count = model_param_count((int)V, (int)H, (int)L);
    uint64_t body = 4 * (uint64_t)V + count * width;
    if (r->n - r->pos < 4 || r->n - r->pos - 4 != body)   /* what is left, less the CRC */
        REFUSE("the file is %zu bytes, but a model with V = %" PRIu32 ", H = %" PRIu32 ", L = %"
               PRIu32 " in %" PRIu32 "-byte numbers takes %" PRIu64 "%s", r->n, V, H, L, width,
               (uint64_t)r->pos + body + 4,
               r->n - r->pos < 4 + body ? " (truncated?)" : " (something appended?)");
    uint32_t stored = (uint32_t)r->p[r->n - 4] | (uint32_t)r->p[r->n - 3] << 8
           | (uint32_t)r->p[r->n - 2] << 16 | (uint32_t)r->p[r->n - 1] << 24;
    if (crc32_update(0, r->p, r->n - 4) != stored)
        REFUSE("the checksum does not match: the file is damaged");
    Vocab v = { .size = (int)V, .cp = xalloc(V, sizeof(uint32_t)) };
    for (uint32_t k = 0; k < V; k++) {
        rd_u32(r, &v.cp[k]);
        if (v.cp[k] > 0x10FFFF || (v.cp[k] >= 0xD800 && v.cp[k] <= 0xDFFF)
            || (k > 0 && v.cp[k] <= v.cp[k - 1])) {
            uint32_t c = v.cp[k];
            vocab_free(&v);
            REFUSE("vocabulary entry %" PRIu32 " (U+%04" PRIX32 ") is not a code point "
                   "greater than the one before it", k, c);
        }
    }
    *m = model_new(&v, (int)H, (int)L);
    vocab_free(&v);
    rd_reals(r, m->params, m->count, (int)width);
    rd_bytes(r, &stored, 4);
    for (size_t i = 0; i < m->count; i++)
        if (!isfinite(m->params[i])) {
            size_t at = i;
            model_free(m);
            REFUSE("parameter %zu is %s, not a finite number", at, "infinite or NaN");
        }
    return true;
}

bool model_load(const char *path, Model *m, char *why, size_t whylen)
{
    unsigned char *data;
    size_t n;
    size_t max = MODEL_HEADER_BYTES + 4 * (size_t)MODEL_MAX_VOCAB + 4
               + 8 * model_param_count(MODEL_MAX_VOCAB, MODEL_MAX_HIDDEN, MODEL_MAX_LAYERS);
    char sub[256];
    *m = (Model){0};
    if (!file_read_all(path, max, &data, &n, why, whylen)) return false;
    Reader r = { data, n, 0 };
    bool ok = model_get(&r, m, sub, sizeof sub);
    if (!ok) snprintf(why, whylen, "%s: %s", path, sub);
    free(data);
    return ok;
}
#undef REFUSE
/* ⟨model.c functions⟩ */
