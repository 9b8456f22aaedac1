#line 471 "chapters/04-backprop.nw"
/* backprop.c — backpropagation through time. */
#include <tgmath.h>
#include "backprop.h"

/* ⟨add the column sums of a matrix to a row⟩ */
#line 152 "chapters/04-backprop.nw"
/* row (1 x n) += the sum of the rows of A (m x n) */
static void add_column_sums(Matrix row, Matrix A)
{
    for (int r = 0; r < A.rows; r++) {
        const real *a = &MAT(A, r, 0);
        for (int j = 0; j < A.cols; j++) row.data[j] += a[j];
    }
}
/* ⟨send the gradient back through the decoder⟩ */
#line 122 "chapters/04-backprop.nw"
/* dY = s (P - onehot(target)) for the N = T B rows; then dW_y, db_y, and
   dH = dY W_y, the gradient arriving at the top layer's h. */
static void decoder_backward(const Model *m, const Trace *tr, int T, const int *targets,
                             real scale, Model *g, Backprop *bp)
{
    int B = tr->B, N = T * B;
    Matrix dY = mat_rows(bp->dY, 0, N);                          /* N x V */
    for (int r = 0; r < N; r++) {
        const real *lp = &MAT(tr->logp, r, 0);
        real *d = &MAT(dY, r, 0);
        if (targets[r] < 0) {                                    /* no prediction: no gradient */
            for (int k = 0; k < m->V; k++) d[k] = 0;
            continue;
        }
        for (int k = 0; k < m->V; k++) d[k] = scale * exp(lp[k]);
        d[targets[r]] -= scale;
    }
    Matrix top = trace_up(tr, m->L - 1, T);                      /* N x H: h_0 .. h_{T-1}, as passed up */
    mat_mul_tn(g->W_y, dY, top, true);                           /* V x H += dY^T h^(L) */
    add_column_sums(g->b_y, dY);                                 /* 1 x V += sum of rows */
    mat_mul(mat_rows(bp->dH, 0, N), dY, m->W_y, false);          /* N x H  = dY W_y */
    if (tr->dropout > 0)                                         /* through the dropout */
        mat_hadamard(mat_rows(bp->dH, 0, N), mat_rows(bp->dH, 0, N), mat_rows(tr->mask[m->L - 1], 0, N));
}
/* ⟨the gradient of one step's gates, for all B rows⟩ */
#line 238 "chapters/04-backprop.nw"
/* Rows t B .. t B + B - 1.  In: dH (from above), dh and dc (from step t + 1).
   Out: dZ's rows of step t, and dc, dh for step t - 1. */
static void cell_backward(const LstmLayer *y, const Trace *tr, int l, int t,
                          Matrix dH, Matrix dZ, Matrix dh, Matrix dc, Matrix tanh_c)
{
    int B = tr->B, H = y->hidden;
    mat_tanh(tanh_c, mat_rows(tr->c[l], t * B + B, B));    /* tanh c_t: B x H */
    for (int b = 0; b < B; b++) {
        int r = t * B + b;
        const real *z = &MAT(tr->Z[l], r, 0);            /* i, f, g, o */
        const real *c_prev = &MAT(tr->c[l], r, 0);       /* c_{t-1} */
        real *d = &MAT(dZ, r, 0);
        for (int j = 0; j < H; j++) {
            real i = z[j], f = z[H + j], g = z[2 * H + j], o = z[3 * H + j];
            real tc = MAT(tanh_c, b, j);
            real dh_j = MAT(dH, r, j) + MAT(dh, b, j);
            real dc_j = MAT(dc, b, j) + dh_j * o * (1 - tc * tc);
            d[j]         = dc_j * g * i * (1 - i);          /* d i-hat */
            d[H + j]     = dc_j * c_prev[j] * f * (1 - f);  /* d f-hat */
            d[2 * H + j] = dc_j * i * (1 - g * g);          /* d g-hat */
            d[3 * H + j] = dh_j * tc * o * (1 - o);         /* d o-hat */
            MAT(dc, b, j) = dc_j * f;                       /* d c_{t-1} */
        }
    }
    mat_mul(dh, mat_rows(dZ, t * B, B), y->W_hh, false);    /* d h_{t-1} = dZ_t W_hh: B x H */
}
/* ⟨send the gradient back through one layer, through all T steps⟩ */
#line 298 "chapters/04-backprop.nw"
/* The backward twin of chapter 3's bottom_input_of_a_later_kind. */
static bool bottom_backward_of_a_later_kind(const Model *m, const int *tokens, Matrix dZ, Model *g)
{
    /* ⟨send the gradient into the bottom layer of a later chapter's kind of model⟩ */
    /* ⟨send the gradient into the bottom layer of a later chapter's kind of model⟩, continued in 09-words.nw */
    #line 338 "chapters/09-words.nw"
    if (m->E > 0) {
        embed_backward(m, tokens, dZ, g);
        return true;
    }
    #line 302 "chapters/04-backprop.nw"
    (void)m, (void)tokens, (void)dZ, (void)g;
    return false;
}

/* In: bp->dH (N x H), the gradient arriving at this layer's h_0..h_{T-1} from
   above.  Adds this layer's weight gradients to g; leaves in bp->dH the
   gradient for the layer below's h_0..h_{T-1} (if there is one). */
static void layer_backward(const Model *m, const Trace *tr, int l, int T, const int *tokens,
                           Model *g, Backprop *bp, const State *dfinal, State *dinitial)
{
    int B = tr->B, N = T * B;
    const LstmLayer *y = &m->layer[l];
    LstmLayer *gy = &g->layer[l];
    Matrix dH = mat_rows(bp->dH, 0, N), dZ = mat_rows(bp->dZ, 0, N);
    if (dfinal) {
        mat_copy(bp->dh, dfinal->h[l]);
        mat_copy(bp->dc, dfinal->c[l]);
    } else {
        mat_fill(bp->dh, 0);
        mat_fill(bp->dc, 0);
    }
    for (int t = T - 1; t >= 0; t--)
        cell_backward(y, tr, l, t, dH, dZ, bp->dh, bp->dc, bp->tanh_c);
    if (dinitial) {
        mat_copy(dinitial->h[l], bp->dh);
        mat_copy(dinitial->c[l], bp->dc);
    }
    mat_mul_tn(gy->W_hh, dZ, mat_rows(tr->h[l], 0, N), true);    /* 4H x H += dZ^T h_{-1..T-2} */
    add_column_sums(gy->b, dZ);
    if (l == 0) {
        if (!bottom_backward_of_a_later_kind(m, tokens, dZ, g)) {
            /* ⟨scatter the rows of dZ into the columns of the tokens⟩ */
            #line 349 "chapters/04-backprop.nw"
            for (int r = 0; r < N; r++) {
                const real *d = &MAT(dZ, r, 0);
                for (int j = 0; j < 4 * m->H; j++)
                    MAT(gy->W_ih, j, tokens[r]) += d[j];
            }
        #line 334 "chapters/04-backprop.nw"
        }
    } else {
        Matrix X = trace_up(tr, l - 1, T);                        /* N x H: what the layer below passed up */
        mat_mul_tn(gy->W_ih, dZ, X, true);                        /* 4H x H += dZ^T X */
        mat_mul(dH, dZ, y->W_ih, false);                          /* N x H = dZ W_ih, for below */
        if (tr->dropout > 0)                                      /* through the dropout */
            mat_hadamard(dH, dH, mat_rows(tr->mask[l - 1], 0, N));
    }
}
/* ⟨run the network backward over T steps of B streams⟩ */
#line 368 "chapters/04-backprop.nw"
void net_backward(const Model *m, const Trace *tr, int T, const int *tokens,
                  const int *targets, real scale, Model *grad, Backprop *bp,
                  const State *dfinal, State *dinitial)
{
    if (T < 1 || T > tr->T || T > bp->T || bp->B != tr->B || grad->count != m->count
        || grad->H != m->H || grad->L != m->L || grad->V != m->V)
        bug("net_backward: T = %d (trace %d, workspace %d), B = %d/%d, shapes differ?",
                  T, tr->T, bp->T, tr->B, bp->B);
    decoder_backward(m, tr, T, targets, scale, grad, bp);
    for (int l = m->L - 1; l >= 0; l--)
        layer_backward(m, tr, l, T, tokens, grad, bp, dfinal, dinitial);
}
/* ⟨make and free the workspace of the backward pass⟩ */
#line 415 "chapters/04-backprop.nw"
Backprop backprop_new(const Model *m, int T, int B)
{
    Backprop bp = { .T = T, .B = B };
    bp.dY = mat_new(T * B, m->V);
    bp.dH = mat_new(T * B, m->H);
    bp.dZ = mat_new(T * B, 4 * m->H);
    bp.dh = mat_new(B, m->H);
    bp.dc = mat_new(B, m->H);
    bp.tanh_c = mat_new(B, m->H);
    return bp;
}

void backprop_free(Backprop *bp)
{
    mat_free(&bp->dY); mat_free(&bp->dH); mat_free(&bp->dZ);
    mat_free(&bp->dh); mat_free(&bp->dc); mat_free(&bp->tanh_c);
    *bp = (Backprop){0};
}

void model_zero(Model *m)
{
    mat_fill(mat_view(m->params, 1, (int)m->count, (int)m->count), 0);
}
/* ⟨backprop.c functions⟩ */
