#line 423 "chapters/09-words.nw"
/* embed.c — an embedding table in front of the bottom layer (chapter 9). */
#include <stdlib.h>
#include <string.h>
#include <tgmath.h>
#include "model.h"

/* ⟨count the parameters of a model with an embedding⟩ */
#line 91 "chapters/09-words.nw"
size_t model_param_count_embedded(int V, int E, int H, int L)
{
    uint64_t v = (uint64_t)V, e = (uint64_t)E, h = (uint64_t)H;
    return model_param_count(V, H, L) - (size_t)(4 * h * v) + (size_t)(4 * h * e + v * e);
}
/* ⟨make a model with an embedding of E numbers per token⟩ */
#line 102 "chapters/09-words.nw"
Model model_new_embedded(const Vocab *vocab, int E, int H, int L)
{
    if (vocab->size < 1 || vocab->size > MODEL_MAX_VOCAB || E < 1 || E > MODEL_MAX_EMBED
        || H < 1 || H > MODEL_MAX_HIDDEN || L < 1 || L > MODEL_MAX_LAYERS)
        bug("model_new_embedded: V = %d, E = %d, H = %d, L = %d out of range",
            vocab->size, E, H, L);
    Model m = { .V = vocab->size, .H = H, .L = L, .E = E };
    m.vocab = vocab_copy(vocab);               /* its words too, if it has any */
    m.count = model_param_count_embedded(m.V, E, H, L);
    m.params = xalloc(m.count, sizeof(real));
    m.layer = xalloc((size_t)L, sizeof *m.layer);
    real *p = m.params;
    for (int l = 0; l < L; l++) {
        int in = l == 0 ? E : H;
        LstmLayer *y = &m.layer[l];
        y->in = in;
        y->hidden = H;
        y->W_ih = mat_view(p, 4 * H, in, in); p += (size_t)4 * H * in;
        y->W_hh = mat_view(p, 4 * H, H, H);   p += (size_t)4 * H * H;
        y->b    = mat_view(p, 1, 4 * H, 4 * H); p += (size_t)4 * H;
    }
    m.W_y = mat_view(p, m.V, H, H); p += (size_t)m.V * H;
    m.b_y = mat_view(p, 1, m.V, m.V); p += m.V;
    m.emb = mat_view(p, m.V, E, E); p += (size_t)m.V * E;
    if ((size_t)(p - m.params) != m.count)
        bug("model_new_embedded: laid out %zu parameters, counted %zu",
            (size_t)(p - m.params), m.count);
    return m;
}
/* ⟨draw the rows of the embedding table⟩ */
#line 179 "chapters/09-words.nw"
void embed_init(Model *m, Rng *rng)
{
    real a = sqrt((real)3);                  /* U(-a, a) has variance a^2 / 3 = 1 */
    mat_uniform(m->emb, -a, a, rng);
}
/* ⟨the distinct tokens of a batch⟩ */
#line 213 "chapters/09-words.nw"
typedef struct {
    int U;          /* how many distinct tokens */
    int *slot;      /* N: row r's token is token[slot[r]] */
    int *token;     /* U: the distinct tokens, in the order they first appear */
    Matrix X;       /* U x E: their rows of the table */
} Distinct;

static Distinct distinct_new(const Model *m, const int *tokens, int N)
{
    Distinct d = { 0 };
    d.slot = xalloc((size_t)N, sizeof *d.slot);
    d.token = xalloc((size_t)(N < m->V ? N : m->V), sizeof *d.token);
    int *place = xalloc((size_t)m->V, sizeof *place);   /* 0: not seen; else slot + 1 */
    for (int r = 0; r < N; r++) {
        int k = tokens[r];
        if (!place[k]) { d.token[d.U] = k; place[k] = ++d.U; }
        d.slot[r] = place[k] - 1;
    }
    free(place);
    d.X = mat_new(d.U, m->E);
    for (int u = 0; u < d.U; u++)
        memcpy(&MAT(d.X, u, 0), &MAT(m->emb, d.token[u], 0), (size_t)m->E * sizeof(real));
    return d;
}

static void distinct_free(Distinct *d)
{
    free(d->slot);
    free(d->token);
    mat_free(&d->X);
}
/* ⟨feed the bottom layer through the embedding⟩ */
#line 251 "chapters/09-words.nw"
/* Z (N x 4H) = emb[tokens] W_ih^T + b, the product once per distinct token. */
void embed_input(const Model *m, const int *tokens, Matrix Z)
{
    const LstmLayer *y = &m->layer[0];
    int H4 = 4 * m->H;
    Distinct d = distinct_new(m, tokens, Z.rows);
    Matrix P = mat_new(d.U, H4);                              /* U x 4H */
    mat_mul_nt(P, d.X, y->W_ih, false);                       /* P = X_U W_ih^T */
    for (int r = 0; r < Z.rows; r++) {
        const real *p = &MAT(P, d.slot[r], 0);
        real *z = &MAT(Z, r, 0);
        for (int j = 0; j < H4; j++) z[j] = p[j] + y->b.data[j];
    }
    mat_free(&P);
    distinct_free(&d);
}
/* ⟨send the gradient back into the table and the bottom layer⟩ */
#line 310 "chapters/09-words.nw"
/* From dZ (N x 4H), the gradient at the bottom layer's preactivations:
   g's W_ih (4H x E) += G^T X_U, and g's table rows of the batch's tokens
   += G W_ih, with G the rows of dZ summed by token. */
void embed_backward(const Model *m, const int *tokens, Matrix dZ, Model *g)
{
    const LstmLayer *y = &m->layer[0];
    int H4 = 4 * m->H;
    Distinct d = distinct_new(m, tokens, dZ.rows);
    Matrix G = mat_new(d.U, H4), dX = mat_new(d.U, m->E);     /* U x 4H, U x E */
    for (int r = 0; r < dZ.rows; r++) {
        real *gu = &MAT(G, d.slot[r], 0);
        const real *dz = &MAT(dZ, r, 0);
        for (int j = 0; j < H4; j++) gu[j] += dz[j];
    }
    mat_mul_tn(g->layer[0].W_ih, G, d.X, true);               /* 4H x E += G^T X_U */
    mat_mul(dX, G, y->W_ih, false);                           /* U x E = G W_ih */
    for (int u = 0; u < d.U; u++) {
        real *row = &MAT(g->emb, d.token[u], 0);
        const real *dx = &MAT(dX, u, 0);
        for (int e = 0; e < m->E; e++) row[e] += dx[e];
    }
    mat_free(&G);
    mat_free(&dX);
    distinct_free(&d);
}
/* ⟨embed.c functions⟩ */
