#line 209 "chapters/06-sample.nw"
/* sample.h — choosing the next character, and a sampler that writes. */
#ifndef SAMPLE_H
#define SAMPLE_H
#include "net.h"

/* ⟨the rule for choosing the next character⟩ */
#line 61 "chapters/06-sample.nw"
typedef struct {
    double temperature;   /* tau > 0 */
    int top_k;            /* keep the k most likely; 0: all */
    double top_p;         /* keep the most likely adding up to p; 1: all */
    bool greedy;          /* always the most likely (the limit tau -> 0) */
} SampleRule;
/* ⟨the sampler⟩ */
#line 148 "chapters/06-sample.nw"
enum { SAMPLER_PIECE = 256 };

typedef struct {
    const Model *m;
    Trace tr;          /* room for SAMPLER_PIECE steps of one stream */
    State state;
    int last_row;      /* the row of tr.logp that holds the next distribution */
    double *q;         /* V: the distribution last drawn from */
    int *order;        /* V: scratch for sorting */
} Sampler;

/* q (V) = the distribution to draw from, given the log-probabilities logp
   and the rule; order (V) is scratch. */
void next_distribution(const real *logp, int V, const SampleRule *rule, double *q, int *order);
int  draw(const double *q, int V, Rng *rng);   /* one token, drawn from q */

Sampler sampler_new(const Model *m);           /* a zero state, not yet primed */
void sampler_free(Sampler *s);
/* Read n tokens; n = 0: none, the next character is drawn from the state alone. */
void sampler_prime(Sampler *s, const int *tokens, size_t n);
const double *sampler_distribution(Sampler *s, const SampleRule *rule);  /* of the next one */
int  sampler_next(Sampler *s, const SampleRule *rule, Rng *rng);  /* draw it and read it */
/* ⟨sample.h declarations⟩ */
#line 229 "chapters/06-sample.nw"
#endif
