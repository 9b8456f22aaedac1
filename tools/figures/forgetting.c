/* tools/figures/forgetting.c — the figure with which chapter 2 begins: how
 * much the loss of a prediction depends on the state T steps earlier.  For
 * each T = 1 .. 100, the norm of the gradient of the loss of a prediction
 * with respect to the first layer's h_0, T characters of Shakespeare
 * earlier (from the held-out end of the text), for
 *   a plain tanh net of H = 256: h_t = tanh(x_t W_x^T + h_{t-1} W_h^T),
 *     Xavier weights, a decoder like chapter 3's, its gradient by the chain
 *     rule, delta h_{t-1} = (delta h_t (.) (1 - h_t^2)) W_h;
 *   a random 1-layer LSTM of H = 256 as chapter 3's model_init makes it,
 *     with the forget gates' bias at 1 (the book's) and at 3;
 *   the trained 2-layer model of chapter 5 (MODEL);
 * the LSTMs through chapter 4's net_backward.
 *     forgetting MODEL TEXT OUT.svg      (and prints the factors per step)
 * Built against stage 5 (chapter 4's backward pass, appendix C's plotter). */
#include <math.h>
#include <stdio.h>
#include "backprop.h"
#include "modelfile.h"
#include "plot.h"

enum { V = 65, H = 256, TMAX = 100 };

static double norm(Matrix x)
{
    double s = 0;
    for (int j = 0; j < x.cols; j++) s += (double)MAT(x, 0, j) * (double)MAT(x, 0, j);
    return sqrt(s);
}

/* An LSTM: |dL/dh_0| of its first layer, for the loss of the last of T
   predictions. */
static double lstm(const Model *trained, const Vocab *vocab, double bias, const int *tokens,
                   int target, int T)
{
    Model m = trained ? *trained : model_new(vocab, H, 1), g = model_like(&m);
    if (!trained) {
        Rng r;
        rng_seed(&r, 2, 0);
        model_init(&m, &r);
        for (int j = 0; j < H; j++) MAT(m.layer[0].b, 0, H + j) = (real)bias;
    }
    int targets[TMAX];
    for (int t = 0; t < T; t++) targets[t] = t == T - 1 ? target : -1;
    Trace tr = trace_new(&m, T, 1);
    Backprop bp = backprop_new(&m, T, 1);
    State s = state_new(&m, 1), d0 = state_new(&m, 1);
    net_forward(&m, &tr, T, tokens, targets, &s, NULL);
    net_backward(&m, &tr, T, tokens, targets, 1, &g, &bp, NULL, &d0);
    double n = norm(d0.h[0]);
    state_free(&s); state_free(&d0); backprop_free(&bp); trace_free(&tr);
    model_free(&g);
    if (!trained) model_free(&m);
    return n;
}

/* The plain net, forward over T steps keeping every h, then back. */
static double plain(const int *tokens, int target, int T)
{
    Rng r;
    rng_seed(&r, 2, 0);
    Matrix Wx = mat_new(H, V), Wh = mat_new(H, H), Wy = mat_new(V, H);
    mat_xavier(Wx, &r); mat_xavier(Wh, &r); mat_xavier(Wy, &r);
    Matrix h = mat_new(T + 1, H), y = mat_new(1, V), d = mat_new(1, H), e = mat_new(1, H);
    for (int t = 0; t < T; t++) {
        Matrix prev = mat_rows(h, t, 1), cur = mat_rows(h, t + 1, 1);
        mat_mul_nt(cur, prev, Wh, false);
        for (int j = 0; j < H; j++) MAT(cur, 0, j) = tanh(MAT(cur, 0, j) + MAT(Wx, j, tokens[t]));
    }
    mat_mul_nt(y, mat_rows(h, T, 1), Wy, false);     /* logits, then dL/dlogits = p - 1_target */
    mat_softmax_rows(y, y);
    MAT(y, 0, target) -= 1;
    mat_mul(d, y, Wy, false);                         /* dL/dh_T */
    for (int t = T; t >= 1; t--) {
        for (int j = 0; j < H; j++) MAT(e, 0, j) = MAT(d, 0, j) * (1 - MAT(h, t, j) * MAT(h, t, j));
        mat_mul(d, e, Wh, false);                     /* dL/dh_{t-1} */
    }
    double n = norm(d);
    Matrix all[] = { Wx, Wh, Wy, h, y, d, e };
    for (int k = 0; k < 7; k++) mat_free(&all[k]);
    return n;
}

int main(int argc, char **argv)
{
    if (argc != 4) { fprintf(stderr, "usage: forgetting MODEL TEXT OUT.svg\n"); return 2; }
    char why[256];
    Model trained;
    Text text;
    if (!model_load(argv[1], &trained, why, sizeof why) || !text_read(argv[2], 0, &text, why, sizeof why)) {
        fprintf(stderr, "forgetting: %s\n", why);
        return 1;
    }
    if (trained.V != V) { fprintf(stderr, "forgetting: %s has V = %d, not %d\n", argv[1], trained.V, V); return 1; }
    /* T + 1 characters of the held-out end of the text, as chapter 7 reads it */
    static int all[TMAX + 1];
    size_t count = 0, from = text.n - 100000;
    Text piece = { text.cp + from, TMAX + 1, 0 };
    if (!text_tokens(&piece, &trained.vocab, false, all, &count, why, sizeof why)) {
        fprintf(stderr, "forgetting: %s\n", why);
        return 1;
    }
    static double x[TMAX], y[4][TMAX];
    for (int T = 1; T <= TMAX; T++) {       /* the last T characters before the target */
        const int *tokens = all + TMAX - T;
        int target = all[TMAX];
        x[T - 1] = T;
        y[0][T - 1] = log10(plain(tokens, target, T));
        y[1][T - 1] = log10(lstm(NULL, &trained.vocab, 1, tokens, target, T));
        y[2][T - 1] = log10(lstm(NULL, &trained.vocab, 3, tokens, target, T));
        y[3][T - 1] = log10(lstm(&trained, NULL, 0, tokens, target, T));
    }
    Series s[4] = {
        { "plain tanh net, random", x, y[0], TMAX, "#444444", false },
        { "LSTM, random, forget bias 1", x, y[1], TMAX, "#d62728", false },
        { "LSTM, random, forget bias 3", x, y[2], TMAX, "#ff7f0e", false },
        { "LSTM, trained (chapter 5)", x, y[3], TMAX, "#1f4f8f", false },
    };
    if (!svg_plot(argv[3], "How much the last prediction depends on the state T steps before",
                  "T, the steps between them", "log10 of |dL / dh_-1|, the start", s, 4, why, sizeof why)) {
        fprintf(stderr, "forgetting: %s\n", why);
        return 1;
    }
    static const char *name[4] = { "plain", "lstm bias 1", "lstm bias 3", "trained" };
    for (int k = 0; k < 4; k++)      /* the mean factor per step from T = 20 to 100 */
        printf("%s factor per step: %.3f\n", name[k], pow(10, (y[k][TMAX - 1] - y[k][19]) / (TMAX - 20)));
    model_free(&trained);
    text_free(&text);
    return 0;
}
