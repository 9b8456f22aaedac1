#line 660 "chapters/03-network.nw"
/* net.h — the stacked LSTM over T steps of B streams, and its loss. */
#ifndef NET_H
#define NET_H
#include "model.h"

/* ⟨the trace of a forward pass⟩ */
#line 313 "chapters/03-network.nw"
typedef struct {
    int T, B;       /* room for up to T steps of B streams */
    int L, H, V;
    Matrix *Z;      /* L of (T B) x 4H: activated gates i, f, g, o; row t B + b */
    Matrix *h, *c;  /* L of ((T+1) B) x H: rows 0..B-1 the state coming in */
    Matrix logp;    /* (T B) x V: log-probabilities of the next character */
    real dropout;   /* p: the chance an upward value is dropped; 0: none */
    Matrix *mask;   /* L of (T B) x H: 0 or 1/(1-p), drawn by trace_dropout */
    Matrix *up;     /* L of (T B) x H: h (.) mask, what layer l passes up */
} Trace;

/* The state carried from one sequence to the next: h and c of every layer. */
typedef struct {
    int L, B, H;
    Matrix *h, *c;  /* L of B x H */
} State;

Trace trace_new(const Model *m, int T, int B);
void  trace_free(Trace *tr);
State state_new(const Model *m, int B);   /* zeros */
void  state_zero(State *s);
void  state_free(State *s);

/* Run T steps (1 <= T <= tr->T) of tr->B streams: tokens[t B + b] is the
   input of stream b at step t, targets[t B + b] the character that follows
   it, or -1 where there is nothing to predict (or targets NULL: no loss).  state holds h and c coming in and, on
   return, going out.  Returns the summed cross-entropy (nats) of the T B
   predictions, and adds the number of right guesses to *correct (if not NULL).
   On return tr holds everything computed, for the backward pass. */
double net_forward(const Model *m, Trace *tr, int T, const int *tokens,
                   const int *targets, State *state, long *correct);
/* The log-probabilities of the next character from the state alone (the
   decoder on the top layer's h), into the first B rows of tr->logp. */
void   net_predict(const Model *m, Trace *tr, const State *state);
/* Dropout for the passes that follow: draw a new mask for every upward value
   (each 0 with chance p, else 1/(1-p)); p = 0 turns dropout off. */
void   trace_dropout(Trace *tr, real p, Rng *rng);
/* What layer l passed up in the last pass, for its T B rows: h, or h (.) mask. */
Matrix trace_up(const Trace *tr, int l, int T);
/* ⟨net.h declarations⟩ */
#line 690 "chapters/03-network.nw"
#endif
