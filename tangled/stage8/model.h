#line 748 "chapters/03-network.nw"
/* model.h — the model: L LSTM layers and a decoder, its parameters in one
   block. */
#ifndef MODEL_H
#define MODEL_H
#include <stdbool.h>
#include <stddef.h>
#include "cell.h"
#include "text.h"

/* ⟨the model type⟩ */
#line 137 "chapters/03-network.nw"
enum { MODEL_MAX_LAYERS = 64, MODEL_MAX_HIDDEN = 1 << 16, MODEL_MAX_VOCAB = 0x110000 };

typedef struct {
    int V, H, L;          /* vocabulary, hidden units per layer, layers */
    Vocab vocab;          /* V code points, increasing: token k is vocab.cp[k] */
    size_t count;         /* the number of parameters */
    real *params;         /* all of them, in the order of the model file */
    LstmLayer *layer;     /* L layers, bottom first: views into params */
    Matrix W_y;           /* V x H: the decoder, a view into params */
    Matrix b_y;           /* 1 x V */
    /* ⟨the parts later chapters add to a model⟩ */
#line 148 "chapters/03-network.nw"
} Model;
#line 758 "chapters/03-network.nw"
enum { MODEL_TENSOR_NAME_MAX = 24 };

size_t model_param_count(int V, int H, int L);
Model  model_new(const Vocab *vocab, int H, int L);  /* zeros; copies vocab */
Model  model_like(const Model *m);                   /* zeros, the same shape */
void   model_free(Model *m);
void   model_init(Model *m, Rng *rng);  /* Xavier; forget-gate bias 1; decoder bias 0 */
int    model_tensor_count(const Model *m);           /* 3 L + 2 */
/* Tensor k in file order, and its name ("layer 2 W_hh", "b_y") if name is not NULL. */
Matrix model_tensor(const Model *m, int k, char name[MODEL_TENSOR_NAME_MAX]);
/* ⟨model.h declarations⟩ */
#line 769 "chapters/03-network.nw"
#endif
