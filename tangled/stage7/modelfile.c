#line 590 "chapters/B3-model-file.nw"
/* modelfile.c — the model file: writing it, and reading it with every check. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tgmath.h>
#include "modelfile.h"

/* ⟨put a model into a buffer⟩ */
#line 288 "chapters/B3-model-file.nw"
void model_put(Buf *b, const Model *m)
{
    int width = (int)sizeof(real);          /* 4 in the float build, 8 in the double */
    /* ⟨put a model that version 1 cannot hold, and return⟩ */
    #line 292 "chapters/B3-model-file.nw"
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
#line 324 "chapters/B3-model-file.nw"
#define REFUSE(...) do { snprintf(why, whylen, __VA_ARGS__); return false; } while (0)

/* The header of a model file: check it, and say how long the file must be. */
typedef struct {
    uint32_t version, width, V, H, L;
    uint32_t size;                    /* the bytes of the header itself */
    uint64_t vocab_bytes;             /* of the vocabulary */
    uint64_t count, bytes;            /* parameters; bytes of the whole file */
    /* ⟨the fields later versions add to a model file's header⟩ */
#line 333 "chapters/B3-model-file.nw"
} ModelHeader;

/* A version after 1 (appendix B5 reads version 2): read the rest of its
   header, field the value of bytes 28..31; false with a reason if this
   program does not read that version, or the header is wrong. */
static bool later_header(Reader *r, ModelHeader *h, uint32_t field, char *why, size_t whylen)
{
    /* ⟨read the rest of the header of a later version⟩ */
    #line 341 "chapters/B3-model-file.nw"
    (void)r, (void)field;
    REFUSE("model file version %" PRIu32 " is not supported (this program reads version %d)",
           h->version, MODEL_VERSION);
}

static bool model_header(Reader *r, ModelHeader *h, char *why, size_t whylen)
{
    char magic[8];
    uint32_t flags;
    *h = (ModelHeader){ .size = MODEL_HEADER_BYTES };
    if (r->n - r->pos < MODEL_HEADER_BYTES)
        REFUSE("the file is too short to be a model file (%zu bytes; a header is %d)",
               r->n - r->pos, MODEL_HEADER_BYTES);
    rd_bytes(r, magic, 8);
    if (memcmp(magic, MODEL_MAGIC, 8) != 0)
        REFUSE("this is not a model file (it does not start with \"%s\")", MODEL_MAGIC);
    if (!rd_u32(r, &h->version) || !rd_u32(r, &h->width) || !rd_u32(r, &h->V)
        || !rd_u32(r, &h->H) || !rd_u32(r, &h->L) || !rd_u32(r, &flags))
        REFUSE("the file ends inside its header (a header is %d bytes)", MODEL_HEADER_BYTES);
    if (h->version != MODEL_VERSION && !later_header(r, h, flags, why, whylen))
        return false;
    if (h->width != 4 && h->width != 8)
        REFUSE("the parameters are %" PRIu32 " bytes wide; only 4 (float) and 8 (double) exist",
               h->width);
    if (h->V < 1 || h->V > MODEL_MAX_VOCAB || h->H < 1 || h->H > MODEL_MAX_HIDDEN
        || h->L < 1 || h->L > MODEL_MAX_LAYERS)
        REFUSE("the sizes V = %" PRIu32 ", H = %" PRIu32 ", L = %" PRIu32 " are out of range "
               "(1..%d, 1..%d, 1..%d)", h->V, h->H, h->L, MODEL_MAX_VOCAB, MODEL_MAX_HIDDEN,
               MODEL_MAX_LAYERS);
    if (h->version == MODEL_VERSION && flags != 0)
        REFUSE("the reserved header field is %" PRIu32 ", not 0", flags);
    h->count = model_param_count((int)h->V, (int)h->H, (int)h->L);
    h->vocab_bytes = 4 * (uint64_t)h->V;
    /* ⟨count the parameters of the model a later version's header describes⟩ */
    #line 375 "chapters/B3-model-file.nw"
    h->bytes = h->size + h->vocab_bytes + h->count * h->width + 4;
    return true;
}

/* The length is wrong: say so, and whether the bytes are damaged too. */
static bool refuse_length(const Reader *r, size_t at, uint64_t expected, char *why, size_t whylen)
{
    size_t n = r->n - at;
    if (n > expected && crc32_update(0, r->p, at + expected - 4) == get_u32(r->p + at + expected - 4))
        REFUSE("the file is a whole model of %" PRIu64 " bytes with %zu more appended to it",
               expected, n - (size_t)expected);
    if (r->n >= 4 && crc32_update(0, r->p, r->n - 4) == get_u32(r->p + r->n - 4))
        REFUSE("the file is %zu bytes, but the sizes in its header make %" PRIu64 " (its checksum "
               "matches: it was written with sizes that do not fit it)", n, expected);
    REFUSE("the file is damaged: its checksum does not match, and its sizes make a file of %"
           PRIu64 " bytes where it has %zu (%s)", expected, n,
           n < expected ? "it is truncated, or a size field is damaged" : "a size field is damaged");
}

/* Vocabulary entry k, c, after prev: a reason it is not a code point that
   can follow prev, or NULL if it is one. */
static const char *bad_code_point(uint32_t c, uint32_t k, uint32_t prev)
{
    if (c > 0x10FFFF) return "is beyond U+10FFFF, the last code point of Unicode";
    if (c >= 0xD800 && c <= 0xDFFF) return "is a UTF-16 surrogate, not a character";
    if (k > 0 && c <= prev) return "is not greater than the entry before it";
    return NULL;
}

/* The model of zeros a later version's header describes (appendix B5's,
   with an embedding), into m: false if it is one of version 1's kind. */
static bool model_of_a_later_version(const ModelHeader *h, const Vocab *v, Model *m)
{
    /* ⟨make the model a later version's header describes⟩ */
    #line 409 "chapters/B3-model-file.nw"
    (void)h, (void)v, (void)m;
    return false;
}

bool model_get(Reader *r, Model *m, char *why, size_t whylen)
{
    *m = (Model){0};
    size_t at = r->pos;
    ModelHeader h;
    if (!model_header(r, &h, why, whylen)) return false;
    if (r->n - at != h.bytes) return refuse_length(r, at, h.bytes, why, whylen);
    if (crc32_update(0, r->p, r->n - 4) != get_u32(r->p + r->n - 4))
        REFUSE("the checksum does not match: the file is damaged");
    Vocab v = { .size = (int)h.V, .cp = xalloc(h.V, sizeof(uint32_t)) };
    uint32_t chars = h.V;
    /* ⟨the characters of a later version's vocabulary⟩ */
    #line 425 "chapters/B3-model-file.nw"
    for (uint32_t k = 0; k < chars; k++) {
        rd_u32(r, &v.cp[k]);
        const char *bad = bad_code_point(v.cp[k], k, k ? v.cp[k - 1] : 0);
        if (bad) {
            uint32_t c = v.cp[k];
            vocab_free(&v);
            REFUSE("vocabulary entry %" PRIu32 " (U+%04" PRIX32 ") %s", k, c, bad);
        }
    }
    /* ⟨read the words of a later version's vocabulary⟩ */
    #line 435 "chapters/B3-model-file.nw"
    if (!model_of_a_later_version(&h, &v, m)) *m = model_new(&v, (int)h.H, (int)h.L);
    vocab_free(&v);
    /* ⟨read the parameters, and refuse one that is not a finite real⟩ */
    #line 449 "chapters/B3-model-file.nw"
    size_t params_at = r->pos;
    rd_reals(r, m->params, m->count, (int)h.width);
    for (size_t i = 0; i < m->count; i++)
        if (!isfinite(m->params[i])) {
            double raw = 0;
            if (h.width == 8) {
                uint64_t u = (uint64_t)get_u32(r->p + params_at + 8 * i)
                           | (uint64_t)get_u32(r->p + params_at + 8 * i + 4) << 32;
                memcpy(&raw, &u, 8);
            }
            model_free(m);
            if (h.width == 8 && isfinite(raw))
                REFUSE("parameter %zu is %g, too large for a %s (use a build whose real is double)",
                       i, raw, REAL_NAME);
            REFUSE("parameter %zu is infinite or NaN, not a finite number", i);
        }
    #line 438 "chapters/B3-model-file.nw"
    return true;
}
/* ⟨load a model from a file⟩ */
#line 477 "chapters/B3-model-file.nw"
enum { MODEL_PEEK_BYTES = 512 };   /* enough for the header of every kind of file */

/* A kind of file other than the model file that holds a model: from the
   first bytes of such a file (got of them) and its size, the size it must
   have and the offset of the model in it; false with a reason. */
typedef struct {
    const char *magic;   /* its first 8 bytes */
    bool (*place)(const unsigned char *head, size_t got, uint64_t *bytes, size_t *at,
                  char *why, size_t whylen);
} ModelHolder;
/* ⟨the functions that find the model in other kinds of file⟩ */
/* ⟨the functions that find the model in other kinds of file⟩, continued in C1-runs.nw */
#line 676 "chapters/C1-runs.nw"
/* A checkpoint of lstm-train (appendix C): its model is after the header and
   the arrays, whose sizes follow from the header's width, V, H, L and B. */
static bool checkpoint_model_place(const unsigned char *head, size_t got, uint64_t *bytes,
                                   size_t *at, char *why, size_t whylen)
{
    Reader r = { head, got, 8 };
    uint32_t version, width, V, H, L, B;
    /* ⟨place the model in a checkpoint of a later version⟩ */
    #line 684 "chapters/C1-runs.nw"
    if (!rd_u32(&r, &version) || !rd_u32(&r, &width) || !rd_u32(&r, &V) || !rd_u32(&r, &H)
        || !rd_u32(&r, &L) || !rd_u32(&r, &B) || got < (version == 3 ? 296u : 240u))
        REFUSE("the checkpoint is too short to hold its header (%zu bytes)", got);
    if ((version != 2 && version != 3) || (width != 4 && width != 8) || V < 1 || V > MODEL_MAX_VOCAB
        || H < 1 || H > 4096 || L < 1 || L > 16 || B < 1 || B > 4096)
        REFUSE("the checkpoint's header is out of range (version %" PRIu32 ", width %" PRIu32
               ", V %" PRIu32 ", H %" PRIu32 ", L %" PRIu32 ", B %" PRIu32 ")", version, width, V, H, L, B);
    uint64_t N = model_param_count((int)V, (int)H, (int)L);
    *at = (size_t)((version == 3 ? 296 : 240) + (2 * N + 2 * (uint64_t)L * B * H) * width);
    *bytes = *at + MODEL_HEADER_BYTES + 4 * (uint64_t)V + N * width + 4;
    return true;
}
#line 488 "chapters/B3-model-file.nw"
static const ModelHolder model_holders[] = {
    /* ⟨the other kinds of file that hold a model⟩ */
    /* ⟨the other kinds of file that hold a model⟩, continued in C1-runs.nw */
    #line 699 "chapters/C1-runs.nw"
    { "LSTMCKPT", checkpoint_model_place },
    #line 490 "chapters/B3-model-file.nw"
    { NULL, NULL }
};

/* Where the model is in a file that starts with head, and how long the file must be. */
static bool model_place(const unsigned char *head, size_t got, uint64_t *bytes, size_t *at,
                        char *why, size_t whylen)
{
    for (const ModelHolder *k = model_holders; k->magic; k++)
        if (got >= 8 && memcmp(head, k->magic, 8) == 0) return k->place(head, got, bytes, at, why, whylen);
    Reader r = { head, got, 0 };
    ModelHeader h;
    if (!model_header(&r, &h, why, whylen)) return false;
    *bytes = h.bytes;
    *at = 0;
    return true;
}

bool model_load(const char *path, Model *m, char *why, size_t whylen)
{
    *m = (Model){0};
    FILE *f;
    size_t size, at;
    uint64_t bytes;
    unsigned char head[MODEL_PEEK_BYTES];
    char sub[400];
    if (!file_open_regular(path, &f, &size, why, whylen)) return false;
    size_t got = size < sizeof head ? size : sizeof head;
    bool ok = file_read_exact(f, path, head, got, why, whylen);
    fclose(f);
    if (!ok) return false;
    if (!model_place(head, got, &bytes, &at, sub, sizeof sub)) {
        snprintf(why, whylen, "%s: %s", path, sub);
        return false;
    }
    if (bytes != size && size > (size_t)1 << 30) {   /* too large to read for a better message */
        snprintf(why, whylen, "%s is %zu bytes, but the sizes in its header make %" PRIu64
                 ": it is not the file it claims to be", path, size, bytes);
        return false;
    }
    unsigned char *data;
    size_t n;
    if (!file_read_all(path, bytes > size ? bytes : size, &data, &n, why, whylen)) return false;
    Reader r = { data, n, at };
    ok = n == bytes ? model_get(&r, m, sub, sizeof sub)
                    : refuse_length(&(Reader){ data, n, 0 }, 0, bytes, sub, sizeof sub);
    if (!ok) snprintf(why, whylen, "%s: %s", path, sub);
    free(data);
    return ok;
}
#undef REFUSE
/* ⟨modelfile.c functions⟩ */
