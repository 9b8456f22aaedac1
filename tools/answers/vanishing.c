/* tools/answers/vanishing.c — the measurement behind appendix G's answer to
 * exercise 4.1: how the gradient of the last prediction's loss with respect
 * to the initial state shrinks with the distance T, for a random 2 x 256
 * model as chapter 3 initialises it (forget-gate bias 1) and with the
 * forget-gate bias set to 3.  Built against stage 4 by tools/outputs.mk;
 * its output is included in the book. */
#include <math.h>
#include <stdio.h>
#include "backprop.h"

static double norm(Matrix x)
{
    double s = 0;
    for (int i = 0; i < x.rows; i++)
        for (int j = 0; j < x.cols; j++) s += (double)MAT(x, i, j) * (double)MAT(x, i, j);
    return sqrt(s);
}

int main(void)
{
    enum { V = 65, H = 256, L = 2, TMAX = 256 };
    uint32_t cps[V];
    for (int k = 0; k < V; k++) cps[k] = (uint32_t)(' ' + k);
    Vocab vocab = { .size = V, .cp = cps };
    static int tokens[TMAX], targets[TMAX];
    Rng rng;
    rng_seed(&rng, 41, 0);
    for (int t = 0; t < TMAX; t++) tokens[t] = (int)rng_below(&rng, V);
    printf("|dh_0| of layer 1, from the loss of the last of T predictions\n");
    printf("%-6s %12s %10s %12s %10s\n", "T", "bias 1", "per step", "bias 3", "per step");
    double prev[2] = { 0, 0 }, last[2] = { 0, 0 }, at16[2] = { 0, 0 };
    for (int T = 1; T <= TMAX; T *= 2) {
        double g[2];
        for (int run = 0; run < 2; run++) {
            Model m = model_new(&vocab, H, L), grad = model_like(&m);
            Rng init;
            rng_seed(&init, 1, 0);
            model_init(&m, &init);
            if (run == 1)
                for (int l = 0; l < L; l++)
                    for (int j = 0; j < H; j++) MAT(m.layer[l].b, 0, H + j) = 3;
            for (int t = 0; t < T; t++) targets[t] = t == T - 1 ? (int)rng_below(&rng, V) : -1;
            Trace tr = trace_new(&m, T, 1);
            Backprop bp = backprop_new(&m, T, 1);
            State s = state_new(&m, 1), d0 = state_new(&m, 1);
            net_forward(&m, &tr, T, tokens, targets, &s, NULL);
            net_backward(&m, &tr, T, tokens, targets, 1, &grad, &bp, NULL, &d0);
            g[run] = norm(d0.h[0]);
            state_free(&s); state_free(&d0); backprop_free(&bp); trace_free(&tr);
            model_free(&grad); model_free(&m);
        }
        printf("%-6d", T);
        for (int r = 0; r < 2; r++) {
            if (T == 1) printf(" %12.4e %10s", g[r], "");
            else printf(" %12.4e %10.3f", g[r], pow(g[r] / prev[r], 2.0 / T));  /* T/2 steps back */
            if (T == 16) at16[r] = g[r];
            prev[r] = last[r] = g[r];
        }
        printf("\n");
    }
    for (int r = 0; r < 2; r++)
        printf("factor per step from T = 16 to %d, bias %d: %.3f\n", TMAX, r ? 3 : 1,
               pow(last[r] / at16[r], 1.0 / (TMAX - 16)));
    return 0;
}
