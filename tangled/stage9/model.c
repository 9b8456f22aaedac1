#line 773 "chapters/03-network.nw"
/* model.c — the model and its parameters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

/* ⟨count the parameters of a model⟩ */
#line 161 "chapters/03-network.nw"
size_t model_param_count(int V, int H, int L)
{
    uint64_t v = (uint64_t)V, h = (uint64_t)H, n = 0;
    for (int l = 0; l < L; l++)
        n += 4 * h * (l == 0 ? v : h) + 4 * h * h + 4 * h;
    return (size_t)(n + v * h + v);
}
/* ⟨make a model of zeros, and free it⟩ */
#line 175 "chapters/03-network.nw"
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
    /* ⟨make a model like m if it is of a kind a later chapter adds⟩ */
    /* ⟨make a model like m if it is of a kind a later chapter adds⟩, continued in 09-words.nw */
    #line 147 "chapters/09-words.nw"
    if (m->E > 0) return model_new_embedded(&m->vocab, m->E, m->H, m->L);
    #line 207 "chapters/03-network.nw"
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
#line 224 "chapters/03-network.nw"
int model_tensor_count(const Model *m)
{
    int n = 3 * m->L + 2;
    /* ⟨count the tensors later chapters add⟩ */
    /* ⟨count the tensors later chapters add⟩, continued in 09-words.nw */
    #line 150 "chapters/09-words.nw"
    if (m->E > 0) n += 1;
    #line 228 "chapters/03-network.nw"
    return n;
}

Matrix model_tensor(const Model *m, int k, char name[MODEL_TENSOR_NAME_MAX])
{
    static const char *const parts[] = { "W_ih", "W_hh", "b" };
    if (k < 0 || k >= model_tensor_count(m))
        bug("model_tensor: no tensor %d", k);
    /* ⟨find tensor k among the tensors later chapters add⟩ */
    /* ⟨find tensor k among the tensors later chapters add⟩, continued in 09-words.nw */
    #line 153 "chapters/09-words.nw"
    if (k == 3 * m->L + 2) {                   /* there is one only if E > 0 */
        if (name) snprintf(name, MODEL_TENSOR_NAME_MAX, "embedding");
        return m->emb;
    }
    #line 237 "chapters/03-network.nw"
    if (k < 3 * m->L) {
        const LstmLayer *y = &m->layer[k / 3];
        if (name) snprintf(name, MODEL_TENSOR_NAME_MAX, "layer %d %s", k / 3 + 1, parts[k % 3]);
        return k % 3 == 0 ? y->W_ih : k % 3 == 1 ? y->W_hh : y->b;
    }
    if (name) snprintf(name, MODEL_TENSOR_NAME_MAX, "%s", k == 3 * m->L ? "W_y" : "b_y");
    return k == 3 * m->L ? m->W_y : m->b_y;
}
/* ⟨initialise a model⟩ */
#line 266 "chapters/03-network.nw"
void model_init(Model *m, Rng *rng)
{
    for (int l = 0; l < m->L; l++)
        layer_init(&m->layer[l], rng);
    mat_xavier(m->W_y, rng);
    mat_fill(m->b_y, 0);
    /* ⟨initialise the parts later chapters add⟩ */
    /* ⟨initialise the parts later chapters add⟩, continued in 09-words.nw */
    #line 159 "chapters/09-words.nw"
    if (m->E > 0) embed_init(m, rng);
#line 273 "chapters/03-network.nw"
}
/* ⟨model.c functions⟩ */
