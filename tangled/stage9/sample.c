#line 233 "chapters/06-sample.nw"
/* sample.c — choosing the next character, and a sampler that writes. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "sample.h"

/* ⟨compute the distribution to draw from⟩ */
#line 75 "chapters/06-sample.nw"
static const double *sort_key;
static int by_probability(const void *a, const void *b)
{
    int i = *(const int *)a, j = *(const int *)b;
    if (sort_key[i] != sort_key[j]) return sort_key[i] > sort_key[j] ? -1 : 1;
    return i - j;
}

void next_distribution(const real *logp, int V, const SampleRule *rule, double *q, int *order)
{
    int best = 0;
    for (int k = 1; k < V; k++) if (logp[k] > logp[best]) best = k;
    if (rule->greedy) {
        for (int k = 0; k < V; k++) q[k] = k == best;
        return;
    }
    double sum = 0;
    for (int k = 0; k < V; k++) {                       /* q = p^(1/tau), the largest 1 */
        q[k] = exp(((double)logp[k] - (double)logp[best]) / rule->temperature);
        sum += q[k];
    }
    for (int k = 0; k < V; k++) q[k] /= sum;
    if ((rule->top_k <= 0 || rule->top_k >= V) && rule->top_p >= 1) return;
    for (int k = 0; k < V; k++) order[k] = k;
    sort_key = q;
    qsort(order, (size_t)V, sizeof *order, by_probability);
    int keep = rule->top_k > 0 && rule->top_k < V ? rule->top_k : V;
    if (rule->top_p < 1) {
        double mass = 0, total = 0;
        for (int r = 0; r < keep; r++) total += q[order[r]];
        for (int r = 0; r < keep; r++) {                /* the smallest prefix with mass >= p */
            mass += q[order[r]] / total;
            if (mass >= rule->top_p) { keep = r + 1; break; }
        }
    }
    double kept = 0;
    for (int r = 0; r < keep; r++) kept += q[order[r]];
    for (int r = keep; r < V; r++) q[order[r]] = 0;
    for (int r = 0; r < keep; r++) q[order[r]] /= kept;
}
/* ⟨draw a character from a distribution⟩ */
#line 124 "chapters/06-sample.nw"
int draw(const double *q, int V, Rng *rng)
{
    double u = rng_uniform(rng), sum = 0;
    int last = 0;
    for (int k = 0; k < V; k++) {
        if (q[k] <= 0) continue;
        sum += q[k];
        last = k;
        if (u < sum) return k;
    }
    return last;
}
/* ⟨prime the state and draw one character at a time⟩ */
#line 161 "chapters/06-sample.nw"
Sampler sampler_new(const Model *m)
{
    Sampler s = { .m = m, .tr = trace_new(m, SAMPLER_PIECE, 1), .state = state_new(m, 1),
                  .last_row = -1 };
    s.q = xalloc((size_t)m->V, sizeof *s.q);
    s.order = xalloc((size_t)m->V, sizeof *s.order);
    return s;
}

void sampler_free(Sampler *s)
{
    trace_free(&s->tr);
    state_free(&s->state);
    free(s->q);
    free(s->order);
    *s = (Sampler){0};
}

void sampler_prime(Sampler *s, const int *tokens, size_t n)
{
    if (n == 0) {                       /* no prompt: the first character from the state alone */
        net_predict(s->m, &s->tr, &s->state);
        s->last_row = 0;
        return;
    }
    for (size_t at = 0; at < n; at += SAMPLER_PIECE) {
        int T = (int)(n - at < SAMPLER_PIECE ? n - at : SAMPLER_PIECE);
        net_forward(s->m, &s->tr, T, tokens + at, NULL, &s->state, NULL);
        s->last_row = T - 1;
    }
}

const double *sampler_distribution(Sampler *s, const SampleRule *rule)
{
    if (s->last_row < 0) bug("sampler_distribution: the sampler has not been primed");
    next_distribution(&MAT(s->tr.logp, s->last_row, 0), s->m->V, rule, s->q, s->order);
    return s->q;
}

int sampler_next(Sampler *s, const SampleRule *rule, Rng *rng)
{
    int k = draw(sampler_distribution(s, rule), s->m->V, rng);
    sampler_prime(s, &k, 1);
    return k;
}
/* ⟨sample.c functions⟩ */
