#line 410 "chapters/02-cell.nw"
/* cell.h — one LSTM layer: its parameters and one step for B rows. */
#ifndef CELL_H
#define CELL_H
#include "matrix.h"

/* ⟨the parameters of one LSTM layer⟩ */
#line 228 "chapters/02-cell.nw"
/* One LSTM layer: H cells reading inputs of length In.  The matrices are
   views: whoever owns the memory (layer_new here, the model in chapter 3)
   decides where they live. */
typedef struct {
    int in, hidden;   /* In, H */
    Matrix W_ih;      /* 4H x In : rows i, f, g, o blocks of H rows each (PyTorch order) */
    Matrix W_hh;      /* 4H x H  */
    Matrix b;         /* 1 x 4H  : b_ih + b_hh summed */
} LstmLayer;

LstmLayer layer_new(int in, int hidden);   /* owns zeroed memory */
void layer_free(LstmLayer *l);
void layer_init(LstmLayer *l, Rng *rng);   /* Xavier weights; bias 0, forget gate's 1 */

/* The input side for any number of rows:  Z = X W_ih^T + b.
   X: rows x In, Z: rows x 4H (overwritten). */
void cell_input(const LstmLayer *l, Matrix X, Matrix Z);
/* The same for one-hot rows: row r of Z = column tokens[r] of W_ih, plus b. */
void cell_input_tokens(const LstmLayer *l, const int *tokens, Matrix Z);
/* The recurrent side and the update, for B rows.  On entry Z (B x 4H) holds
   the input side; adds h_prev W_hh^T, replaces the preactivations by the
   activated gates i, f, g, o, and computes c = f c_prev + i g, h = o tanh c.
   h_prev, c_prev, c, h: B x H; c may not alias c_prev, h not h_prev. */
void cell_recur(const LstmLayer *l, Matrix h_prev, Matrix c_prev, Matrix Z, Matrix c, Matrix h);
/* cell_input, then cell_recur. */
void cell_step(const LstmLayer *l, Matrix X, Matrix h_prev, Matrix c_prev, Matrix Z, Matrix c, Matrix h);

/* ⟨cell.h declarations⟩ */
#line 435 "chapters/02-cell.nw"
#endif
