#line 659 "chapters/04-backprop.nw"
/* gradcheck.h — checking a gradient against five-point differences. */
#ifndef GRADCHECK_H
#define GRADCHECK_H
#include "backprop.h"

#define GRADCHECK_FLOOR 1e-5      /* tau: below it, an error is judged absolutely */
#define GRADCHECK_BOUND 1e-6      /* in double, a worse relative error is a bug */

/* ⟨the result of checking one tensor⟩ */
#line 588 "chapters/04-backprop.nw"
typedef struct {
    char name[MODEL_TENSOR_NAME_MAX];   /* "layer 1 W_ih" */
    size_t checked;                     /* elements compared */
    double worst;                       /* the largest relative error */
    size_t worst_at;                    /* at this element of the tensor */
    double analytic, numeric;           /* the two gradients there */
} TensorCheck;

double relative_error(double a, double b);   /* |a - b| / max(|a|, |b|, tau) */

/* Compare grad, the gradient of scale x (summed loss of m over T steps of B
   streams, from state init), with five-point differences of step eps: every
   element of every tensor, or `samples` elements of each chosen at random
   when samples > 0.  out[k] (model_tensor_count(m) of them) gets tensor k's
   result.  m is changed during the check and restored exactly. */
void grad_check(Model *m, const Model *grad, int T, int B, const int *tokens,
                const int *targets, const State *init, real scale, double eps,
                int samples, Rng *rng, TensorCheck *out);
/* ⟨gradcheck.h declarations⟩ */
#line 680 "chapters/04-backprop.nw"
#endif
