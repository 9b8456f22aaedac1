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
    /* ⟨the parts later chapters add to a model⟩, continued in 09-words.nw */
    #line 86 "chapters/09-words.nw"
    int E;                /* chapter 9: numbers per token in the embedding; 0: none (one-hot input) */
    Matrix emb;           /* V x E: row k is token k's vector, a view into params */
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
/* ⟨model.h declarations⟩, continued in 09-words.nw */
/* ⟨the limit on the width of an embedding⟩ */
#line 137 "chapters/09-words.nw"
enum { MODEL_MAX_EMBED = MODEL_MAX_HIDDEN };
#line 412 "chapters/09-words.nw"
size_t model_param_count_embedded(int V, int E, int H, int L);
/* A model of zeros whose bottom layer reads a V x E table (1 <= E <= MODEL_MAX_EMBED). */
Model  model_new_embedded(const Vocab *vocab, int E, int H, int L);
void   embed_init(Model *m, Rng *rng);   /* each element U(-sqrt 3, sqrt 3): variance 1 */
/* The bottom layer of an embedded model, forward and backward, for Z.rows
   (dZ.rows) rows of tokens: chapter 3's and chapter 4's hooks call these. */
void   embed_input(const Model *m, const int *tokens, Matrix Z);
void   embed_backward(const Model *m, const int *tokens, Matrix dZ, Model *g);
#line 769 "chapters/03-network.nw"
#endif
