#line 694 "chapters/03-network.nw"
/* net.c — the stacked LSTM over T steps of B streams, and its loss. */
#include <stdlib.h>
#include <tgmath.h>
#include "net.h"

/* ⟨make and free traces and states⟩ */
#line 332 "chapters/03-network.nw"
Trace trace_new(const Model *m, int T, int B)
{
    Trace tr = { .T = T, .B = B, .L = m->L, .H = m->H, .V = m->V };
    tr.Z = xalloc((size_t)m->L, sizeof *tr.Z);
    tr.h = xalloc((size_t)m->L, sizeof *tr.h);
    tr.c = xalloc((size_t)m->L, sizeof *tr.c);
    tr.mask = xalloc((size_t)m->L, sizeof *tr.mask);
    tr.up = xalloc((size_t)m->L, sizeof *tr.up);
    for (int l = 0; l < m->L; l++) {
        tr.Z[l] = mat_new(T * B, 4 * m->H);
        tr.h[l] = mat_new((T + 1) * B, m->H);
        tr.c[l] = mat_new((T + 1) * B, m->H);
        tr.mask[l] = (Matrix){0};             /* made by the first trace_dropout */
        tr.up[l] = (Matrix){0};
    }
    tr.logp = mat_new(T * B, m->V);
    return tr;
}

void trace_free(Trace *tr)
{
    for (int l = 0; l < tr->L; l++) {
        mat_free(&tr->Z[l]);
        mat_free(&tr->h[l]);
        mat_free(&tr->c[l]);
        if (tr->mask[l].data) mat_free(&tr->mask[l]);
        if (tr->up[l].data) mat_free(&tr->up[l]);
    }
    free(tr->Z); free(tr->h); free(tr->c); free(tr->mask); free(tr->up);
    mat_free(&tr->logp);
    *tr = (Trace){0};
}

State state_new(const Model *m, int B)
{
    State s = { .L = m->L, .B = B, .H = m->H };
    s.h = xalloc((size_t)m->L, sizeof *s.h);
    s.c = xalloc((size_t)m->L, sizeof *s.c);
    for (int l = 0; l < m->L; l++) {
        s.h[l] = mat_new(B, m->H);
        s.c[l] = mat_new(B, m->H);
    }
    return s;
}

void state_zero(State *s)
{
    for (int l = 0; l < s->L; l++) {
        mat_fill(s->h[l], 0);
        mat_fill(s->c[l], 0);
    }
}

void state_free(State *s)
{
    for (int l = 0; l < s->L; l++) {
        mat_free(&s->h[l]);
        mat_free(&s->c[l]);
    }
    free(s->h); free(s->c);
    *s = (State){0};
}
/* ⟨run one layer over all T steps⟩ */
/* ⟨let a later chapter's kind of model feed its bottom layer⟩ */
#line 30 "chapters/A5-places.nw"
/* The bottom layer of a kind of model a later chapter adds reads its tokens
   its own way (chapter 9's, through an embedding): true if it did. */
static bool bottom_input_of_a_later_kind(const Model *m, const int *tokens, Matrix Z)
{
    /* ⟨feed the bottom layer of a later chapter's kind of model⟩ */
    /* ⟨feed the bottom layer of a later chapter's kind of model⟩, continued in 09-words.nw */
    #line 270 "chapters/09-words.nw"
    if (m->E > 0) {
        embed_input(m, tokens, Z);
        return true;
    }
    #line 35 "chapters/A5-places.nw"
    (void)m, (void)tokens, (void)Z;
    return false;
}

/* Layer l over T steps: its input side in one product over T B rows, then
   the recurrence, step by step.  State in: rows 0..B-1 of tr->h[l], tr->c[l]. */
static void layer_forward(const Model *m, Trace *tr, int l, int T, const int *tokens)
{
    int B = tr->B;
    const LstmLayer *y = &m->layer[l];
    Matrix Z = mat_rows(tr->Z[l], 0, T * B);                  /* T B x 4H */
    if (l > 0)
        cell_input(y, trace_up(tr, l - 1, T), Z);             /* X = what the layer below passes up */
    else if (!bottom_input_of_a_later_kind(m, tokens, Z))
        cell_input_tokens(y, tokens, Z);                      /* X = the tokens' one-hot rows */
    for (int t = 0; t < T; t++)
        cell_recur(y, mat_rows(tr->h[l], t * B, B), mat_rows(tr->c[l], t * B, B),
                   mat_rows(Z, t * B, B),
                   mat_rows(tr->c[l], (t + 1) * B, B), mat_rows(tr->h[l], (t + 1) * B, B));
}
/* ⟨decode the top layer and score the predictions⟩ */
#line 501 "chapters/03-network.nw"
/* logp = log softmax(h W_y^T + b_y) for the T B rows; returns the summed
   cross-entropy against targets, and counts right guesses in *correct. */
static double decode_and_score(const Model *m, Trace *tr, int T, const int *targets,
                               long *correct)
{
    int B = tr->B;
    Matrix logp = mat_rows(tr->logp, 0, T * B);               /* T B x V */
    mat_mul_nt(logp, trace_up(tr, m->L - 1, T), m->W_y, false);
    mat_add_row(logp, m->b_y.data);
    mat_log_softmax_rows(logp, logp);
    if (!targets) return 0;
    double loss = 0;
    long right = 0;
    for (int r = 0; r < T * B; r++) {
        if (targets[r] < 0) continue;                       /* no prediction here */
        const real *row = &MAT(logp, r, 0);
        loss -= row[targets[r]];
        int best = 0;
        for (int k = 1; k < m->V; k++)
            if (row[k] > row[best]) best = k;
        right += best == targets[r];
    }
    if (correct) *correct += right;
    return loss;
}
/* ⟨run the network forward over T steps of B streams⟩ */
#line 550 "chapters/03-network.nw"
double net_forward(const Model *m, Trace *tr, int T, const int *tokens,
                   const int *targets, State *state, long *correct)
{
    int B = tr->B;
    if (T < 1 || T > tr->T || state->B != B || state->L != m->L || tr->L != m->L
        || tr->H != m->H || tr->V != m->V)
        bug("net_forward: T = %d (room for %d), B = %d/%d, L = %d/%d/%d",
                  T, tr->T, B, state->B, m->L, tr->L, state->L);
    for (int r = 0; r < T * B; r++)
        if (tokens[r] < 0 || tokens[r] >= m->V || (targets && (targets[r] < -1 || targets[r] >= m->V)))
            bug("net_forward: token %d of row %d outside 0..%d",
                      tokens[r] < 0 || tokens[r] >= m->V ? tokens[r] : targets[r], r, m->V - 1);
    for (int l = 0; l < m->L; l++) {
        mat_copy(mat_rows(tr->h[l], 0, B), state->h[l]);
        mat_copy(mat_rows(tr->c[l], 0, B), state->c[l]);
        layer_forward(m, tr, l, T, tokens);
        if (tr->dropout > 0)                                  /* up = h (.) mask */
            mat_hadamard(mat_rows(tr->up[l], 0, T * B), mat_rows(tr->h[l], B, T * B),
                         mat_rows(tr->mask[l], 0, T * B));
        mat_copy(state->h[l], mat_rows(tr->h[l], T * B, B));
        mat_copy(state->c[l], mat_rows(tr->c[l], T * B, B));
    }
    return decode_and_score(m, tr, T, targets, correct);
}
/* ⟨predict the next character from a state alone⟩ */
#line 591 "chapters/03-network.nw"
void net_predict(const Model *m, Trace *tr, const State *state)
{
    REQUIRE(state->B == tr->B && state->L == m->L && tr->V == m->V, "net_predict: shapes differ");
    Matrix logp = mat_rows(tr->logp, 0, tr->B);                       /* B x V */
    mat_mul_nt(logp, state->h[m->L - 1], m->W_y, false);
    mat_add_row(logp, m->b_y.data);
    mat_log_softmax_rows(logp, logp);
}
/* ⟨drop upward values at random while training⟩ */
#line 635 "chapters/03-network.nw"
void trace_dropout(Trace *tr, real p, Rng *rng)
{
    if (!(p >= 0 && p < 1)) bug("trace_dropout: p = %g is not in [0, 1)", (double)p);
    tr->dropout = p;
    if (p == 0) return;
    real keep = 1 / (1 - p);
    for (int l = 0; l < tr->L; l++) {
        if (!tr->mask[l].data) {
            tr->mask[l] = mat_new(tr->T * tr->B, tr->H);
            tr->up[l] = mat_new(tr->T * tr->B, tr->H);
        }
        size_t n = (size_t)tr->T * (size_t)tr->B * (size_t)tr->H;
        for (size_t i = 0; i < n; i++)
            tr->mask[l].data[i] = rng_uniform(rng) < p ? 0 : keep;
    }
}

Matrix trace_up(const Trace *tr, int l, int T)
{
    return tr->dropout > 0 ? mat_rows(tr->up[l], 0, T * tr->B)
                           : mat_rows(tr->h[l], tr->B, T * tr->B);
}
/* ⟨net.c functions⟩ */
