#line 439 "chapters/02-cell.nw"
/* cell.c — one LSTM layer, one step, B rows at a time. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <tgmath.h>
#include "cell.h"

/* ⟨make, free and initialise a layer⟩ */
#line 240 "chapters/02-cell.nw"
LstmLayer layer_new(int in, int hidden)
{
    if (in < 1 || hidden < 1)
        bug("layer_new: In = %d, H = %d", in, hidden);
    return (LstmLayer){ .in = in, .hidden = hidden, .W_ih = mat_new(4 * hidden, in),
                        .W_hh = mat_new(4 * hidden, hidden), .b = mat_new(1, 4 * hidden) };
}

void layer_free(LstmLayer *l)
{
    mat_free(&l->W_ih);
    mat_free(&l->W_hh);
    mat_free(&l->b);
}
#line 275 "chapters/02-cell.nw"
void layer_init(LstmLayer *l, Rng *rng)
{
    mat_xavier(l->W_ih, rng);
    mat_xavier(l->W_hh, rng);
    mat_fill(l->b, 0);
    mat_fill(mat_cols(l->b, l->hidden, l->hidden), 1);   /* the forget gate's block */
}
/* ⟨compute the input side of the gates for all rows⟩ */
#line 303 "chapters/02-cell.nw"
void cell_input(const LstmLayer *l, Matrix X, Matrix Z)
{
    REQUIRE(X.cols == l->in && Z.cols == 4 * l->hidden && X.rows == Z.rows,
          "cell_input: X %dx%d, Z %dx%d for In = %d, H = %d",
          X.rows, X.cols, Z.rows, Z.cols, l->in, l->hidden);
    mat_mul_nt(Z, X, l->W_ih, false);      /* Z = X W_ih^T : (rows x In)(In x 4H) */
    mat_add_row(Z, l->b.data);             /* Z += b, every row */
}
/* ⟨look up the input side of the gates for one-hot rows⟩ */
#line 328 "chapters/02-cell.nw"
void cell_input_tokens(const LstmLayer *l, const int *tokens, Matrix Z)
{
    REQUIRE(Z.cols == 4 * l->hidden, "cell_input_tokens: Z has %d columns, not 4H = %d",
          Z.cols, 4 * l->hidden);
    for (int r = 0; r < Z.rows; r++) {
        int k = tokens[r];
        REQUIRE(k >= 0 && k < l->in, "cell_input_tokens: token %d of row %d outside 0..%d",
              k, r, l->in - 1);
        real *z = &MAT(Z, r, 0);
        for (int j = 0; j < 4 * l->hidden; j++)
            z[j] = MAT(l->W_ih, j, k) + l->b.data[j];       /* column k of W_ih, plus b */
    }
}
/* ⟨add the recurrent side and update the cell states⟩ */
#line 368 "chapters/02-cell.nw"
void cell_recur(const LstmLayer *l, Matrix h_prev, Matrix c_prev, Matrix Z, Matrix c, Matrix h)
{
    int B = Z.rows, H = l->hidden;
    REQUIRE(Z.cols == 4 * H && h_prev.rows == B && h_prev.cols == H && c_prev.rows == B
          && c_prev.cols == H && c.rows == B && c.cols == H && h.rows == B && h.cols == H,
          "cell_recur: shapes do not fit B = %d, H = %d", B, H);
    REQUIRE(c.data != c_prev.data && h.data != h_prev.data,
          "cell_recur: the new state may not overwrite the old one");
    mat_mul_nt(Z, h_prev, l->W_hh, true);          /* Z += h_prev W_hh^T : (B x H)(H x 4H) */
    const KernelSet *K = kernels();
    for (int r = 0; r < B; r++) {
        real *z = &MAT(Z, r, 0);
        const real *cp = &MAT(c_prev, r, 0);
        real *cr = &MAT(c, r, 0), *hr = &MAT(h, r, 0);
        /* ⟨apply the gates' nonlinearities and update one row's state⟩ */
        #line 388 "chapters/02-cell.nw"
        K->sigmoid_row(z, z, 2 * H);                   /* i, f */
        K->tanh_row(z + 2 * H, z + 2 * H, H);          /* g, the candidate */
        K->sigmoid_row(z + 3 * H, z + 3 * H, H);       /* o */
        const real *i = z, *f = z + H, *g = z + 2 * H, *o = z + 3 * H;
        for (int j = 0; j < H; j++)
            cr[j] = f[j] * cp[j] + i[j] * g[j];    /* c_t = f (.) c_{t-1} + i (.) g */
        K->tanh_row(hr, cr, H);                        /* tanh(c_t) */
        for (int j = 0; j < H; j++)
            hr[j] *= o[j];                         /* h_t = o (.) tanh(c_t) */
    #line 383 "chapters/02-cell.nw"
    }
}
/* ⟨take one whole step⟩ */
#line 402 "chapters/02-cell.nw"
void cell_step(const LstmLayer *l, Matrix X, Matrix h_prev, Matrix c_prev, Matrix Z, Matrix c, Matrix h)
{
    cell_input(l, X, Z);
    cell_recur(l, h_prev, c_prev, Z, c, h);
}
/* ⟨cell.c functions⟩ */
