#line 684 "chapters/04-backprop.nw"
/* gradcheck.c — checking a gradient against five-point differences. */
#include <math.h>
#include <string.h>
#include "gradcheck.h"

/* ⟨compare the gradient with five-point differences⟩ */
#line 598 "chapters/04-backprop.nw"
/* scale x the summed loss of m on the sequence, from the state init. */
static double loss_at(const Model *m, Trace *tr, int T, const int *tokens, const int *targets,
                      const State *init, State *state, real scale)
{
    for (int l = 0; l < m->L; l++) {
        mat_copy(state->h[l], init->h[l]);
        mat_copy(state->c[l], init->c[l]);
    }
    return scale * net_forward(m, tr, T, tokens, targets, state, NULL);
}

double relative_error(double a, double b)
{
    double d = fmax(fmax(fabs(a), fabs(b)), GRADCHECK_FLOOR);
    return fabs(a - b) / d;
}

void grad_check(Model *m, const Model *grad, int T, int B, const int *tokens,
                const int *targets, const State *init, real scale, double eps,
                int samples, Rng *rng, TensorCheck *out)
{
    Trace tr = trace_new(m, T, B);
    State state = state_new(m, B);
    for (int k = 0; k < model_tensor_count(m); k++) {
        TensorCheck *c = &out[k];
        Matrix W = model_tensor(m, k, c->name), G = model_tensor(grad, k, NULL);
        size_t n = (size_t)W.rows * (size_t)W.cols;
        c->checked = 0;
        c->worst = -1;
        for (size_t q = 0; q < (samples > 0 && (size_t)samples < n ? (size_t)samples : n); q++) {
            size_t e = samples > 0 && (size_t)samples < n ? rng_below(rng, (uint32_t)n) : q;
            real *w = &W.data[e], keep = *w;                     /* tensors are contiguous */
            double f[4];                                         /* L at +e, -e, +2e, -2e */
            for (int q4 = 0; q4 < 4; q4++) {
                *w = keep + (real)((q4 % 2 ? -1 : 1) * (q4 < 2 ? 1 : 2) * eps);
                f[q4] = loss_at(m, &tr, T, tokens, targets, init, &state, scale);
            }
            *w = keep;
            double numeric = (8 * (f[0] - f[1]) - (f[2] - f[3])) / (12 * eps);
            double analytic = (double)G.data[e];
            double err = relative_error(analytic, numeric);
            if (err > c->worst) {
                c->worst = err;
                c->worst_at = e;
                c->analytic = analytic;
                c->numeric = numeric;
            }
            c->checked++;
        }
    }
    state_free(&state);
    trace_free(&tr);
}
/* ⟨gradcheck.c functions⟩ */
