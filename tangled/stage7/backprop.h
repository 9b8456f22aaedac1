#line 446 "chapters/04-backprop.nw"
/* backprop.h — backpropagation through time: the gradient of the loss of a
   forward pass with respect to every parameter. */
#ifndef BACKPROP_H
#define BACKPROP_H
#include "net.h"

/* ⟨the workspace of the backward pass⟩ */
#line 404 "chapters/04-backprop.nw"
typedef struct {
    int T, B;
    Matrix dY;      /* (T B) x V */
    Matrix dH;      /* (T B) x H: the gradient arriving at a layer's h */
    Matrix dZ;      /* (T B) x 4H: the gradient of the preactivations */
    Matrix dh, dc;  /* B x H: carried from step t to step t - 1 */
    Matrix tanh_c;  /* B x H: tanh c_t of the step at hand */
} Backprop;

Backprop backprop_new(const Model *m, int T, int B);
void backprop_free(Backprop *bp);
void model_zero(Model *m);   /* every parameter 0: a fresh gradient */

/* Add to grad the gradient of  scale x (the summed loss of the forward pass
   recorded in tr, over T steps with these tokens and targets).  dfinal, if
   not NULL, is the gradient arriving at the final state from later pieces
   of the text; dinitial, if not NULL, receives the gradient with respect to
   the state the pass started from. */
void net_backward(const Model *m, const Trace *tr, int T, const int *tokens,
                  const int *targets, real scale, Model *grad, Backprop *bp,
                  const State *dfinal, State *dinitial);
/* ⟨backprop.h declarations⟩ */
#line 467 "chapters/04-backprop.nw"
#endif
