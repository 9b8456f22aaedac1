/* tools/figures/fd-error.c — the figure behind chapter 4's choice of the
 * step eps of the gradient check: the relative error of central (two-point)
 * and five-point differences against backpropagation, for steps from 0.1
 * down to 1e-9, in the build's real (float or double).  Built twice, against
 * stage 5's float and double libraries (stage 4's code, and appendix C's
 * plotter):
 *     fd-error measure > REAL.txt     one line per eps: eps central five
 *     fd-error plot FLOAT.txt DOUBLE.txt OUT.svg
 * Each error is the median over 24 parameters chosen at random of a random
 * 2 x 16 model on random text (T = 10, B = 2). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gradcheck.h"
#include "plot.h"

enum { V = 8, H = 16, L = 2, T = 10, B = 2, K = 24, STEPS = 33 };

static double loss(const Model *m, Trace *tr, const int *tokens, const int *targets, State *s)
{
    state_zero(s);
    return net_forward(m, tr, T, tokens, targets, s, NULL) / (T * B);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int measure(void)
{
    uint32_t cps[V];
    for (int k = 0; k < V; k++) cps[k] = (uint32_t)('a' + k);
    Vocab vocab = { .size = V, .cp = cps };
    Model m = model_new(&vocab, H, L), g = model_like(&m);
    Rng rng;
    rng_seed(&rng, 4, 4);
    mat_uniform(mat_view(m.params, 1, (int)m.count, (int)m.count), -0.5, 0.5, &rng);
    int tokens[T * B], targets[T * B];
    for (int i = 0; i < T * B; i++) { tokens[i] = (int)rng_below(&rng, V); targets[i] = (int)rng_below(&rng, V); }
    Trace tr = trace_new(&m, T, B);
    Backprop bp = backprop_new(&m, T, B);
    State s = state_new(&m, B);
    loss(&m, &tr, tokens, targets, &s);
    net_backward(&m, &tr, T, tokens, targets, (real)1 / (T * B), &g, &bp, NULL, NULL);
    size_t at[K];
    for (int k = 0; k < K; k++) at[k] = (size_t)rng_below(&rng, (uint32_t)m.count);
    for (int e = 0; e < STEPS; e++) {
        double eps = pow(10, -1 - 0.25 * e), err[2][K];
        for (int k = 0; k < K; k++) {
            real keep = m.params[at[k]];
            double f[4];
            for (int q = 0; q < 4; q++) {
                m.params[at[k]] = keep + (real)((q % 2 ? -1 : 1) * (q < 2 ? 1 : 2) * eps);
                f[q] = loss(&m, &tr, tokens, targets, &s);
            }
            m.params[at[k]] = keep;
            /* the step actually taken, as real rounds it */
            double h1 = (double)(real)(keep + (real)eps) - (double)keep;
            if (h1 == 0) {              /* keep + eps == keep: no step at all */
                err[0][k] = err[1][k] = 1;
                continue;
            }
            double central = (f[0] - f[1]) / (2 * h1);
            double five = (8 * (f[0] - f[1]) - (f[2] - f[3])) / (12 * h1);
            err[0][k] = relative_error(g.params[at[k]], central);
            err[1][k] = relative_error(g.params[at[k]], five);
        }
        qsort(err[0], K, sizeof(double), by_value);
        qsort(err[1], K, sizeof(double), by_value);
        printf("%.6g %.6g %.6g\n", eps, err[0][K / 2], err[1][K / 2]);
    }
    state_free(&s); backprop_free(&bp); trace_free(&tr); model_free(&g); model_free(&m);
    return 0;
}

static int read_rows(const char *path, double x[STEPS], double c[STEPS], double f[STEPS])
{
    FILE *in = fopen(path, "r");
    if (!in) { fprintf(stderr, "fd-error: cannot open %s\n", path); return 0; }
    int n = 0;
    double e, a, b;
    while (n < STEPS && fscanf(in, "%lf %lf %lf", &e, &a, &b) == 3) {
        x[n] = log10(e);
        c[n] = log10(fmax(a, 1e-16));
        f[n] = log10(fmax(b, 1e-16));
        n++;
    }
    fclose(in);
    if (n != STEPS) fprintf(stderr, "%s: %d rows, not %d\n", path, n, STEPS);
    return n == STEPS;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "measure") == 0) return measure();
    if (argc != 5 || strcmp(argv[1], "plot") != 0) {
        fprintf(stderr, "usage: fd-error measure | fd-error plot FLOAT.txt DOUBLE.txt OUT.svg\n");
        return 2;
    }
    static double x[2][STEPS], c[2][STEPS], f[2][STEPS];
    for (int r = 0; r < 2; r++)
        if (!read_rows(argv[2 + r], x[r], c[r], f[r])) return 1;
    Series s[4] = {
        { "float, central", x[0], c[0], STEPS, "#ff7f0e", true },
        { "float, five-point", x[0], f[0], STEPS, "#d62728", true },
        { "double, central", x[1], c[1], STEPS, "#2ca02c", true },
        { "double, five-point", x[1], f[1], STEPS, "#1f4f8f", true },
    };
    char why[256];
    if (!svg_plot(argv[4], "Finite differences against backpropagation",
                  "log10 of the step eps", "log10 of the relative error", s, 4, why, sizeof why)) {
        fprintf(stderr, "fd-error: %s\n", why);
        return 1;
    }
    return 0;
}
