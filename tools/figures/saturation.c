/* tools/figures/saturation.c — chapter 7's figure after Karpathy, Johnson
 * and Fei-Fei (2016): for every gate unit of every layer of the trained
 * model, the fraction of the steps of the held-out text (its last 100,000
 * characters, read as chapter 7's lstm-inspect reads them) at which it was
 * left-saturated (x) against right-saturated (y), one panel per layer, one
 * dot per unit, coloured by its gate.
 *     saturation MODEL TEXT OUT.svg     (and prints the mean fractions)
 * Built against stage 7. */
#include <stdio.h>
#include <stdlib.h>
#include "inspect.h"
#include "modelfile.h"

static const char *GATE[4] = { "input i", "forget f", "candidate g", "output o" };
static const char *COLOR[4] = { "#2ca02c", "#d62728", "#ff7f0e", "#9467bd" };

int main(int argc, char **argv)
{
    if (argc != 4) { fprintf(stderr, "usage: saturation MODEL TEXT OUT.svg\n"); return 2; }
    char why[256];
    Model m;
    Text text;
    if (!model_load(argv[1], &m, why, sizeof why) || !text_read(argv[2], 0, &text, why, sizeof why)) {
        fprintf(stderr, "saturation: %s\n", why);
        return 1;
    }
    size_t n = 100000;
    if (text.n < n + 2) { fprintf(stderr, "saturation: %s is too short\n", argv[2]); return 1; }
    Text piece = { text.cp + text.n - n, n, 0 };
    int *tokens = malloc(n * sizeof *tokens);
    size_t count = 0;
    if (!tokens || !text_tokens(&piece, &m.vocab, false, tokens, &count, why, sizeof why)) {
        fprintf(stderr, "saturation: %s\n", why);
        return 1;
    }
    double *x = features_of(piece.cp, n);
    Inspection in = inspection_new(&m);
    inspect_text(&m, tokens, x, n, 32, 100, &in);

    int L = m.L, H = m.layer[0].hidden;
    const double W = 640, P = 250, top = 66, gap = 40, left = 60;
    double Hh = top + P + 48;
    FILE *f = fopen(argv[3], "w");
    if (!f) { fprintf(stderr, "saturation: cannot write %s\n", argv[3]); return 1; }
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %g %g\" width=\"%g\" height=\"%g\" "
               "font-family=\"DejaVu Sans, sans-serif\" font-size=\"13\" fill=\"#1d1d1d\">\n", W, Hh, W, Hh);
    for (int g = 0; g < 4; g++) {        /* the legend */
        double lx = left + g * 140;
        fprintf(f, "<circle cx=\"%g\" cy=\"18\" r=\"4\" fill=\"%s\"/><text x=\"%g\" y=\"23\">%s</text>\n",
                lx + 4, COLOR[g], lx + 14, GATE[g]);
    }
    for (int l = 0; l < L && l < 2; l++) {
        double px = left + l * (P + gap), py = top;
        fprintf(f, "<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" fill=\"none\" stroke=\"#444444\" stroke-width=\"1\"/>\n",
                px, py, P, P);
        fprintf(f, "<line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\" stroke=\"#c8c8c8\" stroke-width=\"1\" stroke-dasharray=\"4 3\"/>\n",
                px, py, px + P, py + P);      /* x + y = 1: saturated at every step */
        for (int k = 0; k <= 4; k++) {
            double v = k / 4.0;
            fprintf(f, "<text x=\"%g\" y=\"%g\" text-anchor=\"middle\" font-size=\"11\">%g</text>"
                       "<text x=\"%g\" y=\"%g\" text-anchor=\"end\" font-size=\"11\">%g</text>\n",
                    px + P * v, py + P + 15, v, px - 5, py + P * (1 - v) + 4, v);
        }
        fprintf(f, "<text x=\"%g\" y=\"%g\" text-anchor=\"middle\" font-weight=\"bold\">layer %d</text>\n",
                px + P / 2, py - 8, l + 1);
        fprintf(f, "<text x=\"%g\" y=\"%g\" text-anchor=\"middle\">fraction of steps left-saturated</text>\n",
                px + P / 2, py + P + 34);
        for (int g = 0; g < 4; g++)
            for (int j = 0; j < H; j++) {
                double lo = inspection_saturated(&in, l, g * H + j, false);
                double hi = inspection_saturated(&in, l, g * H + j, true);
                fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.2\" fill=\"%s\" fill-opacity=\"0.6\"/>\n",
                        px + P * lo, py + P * (1 - hi), COLOR[g]);
            }
    }
    fprintf(f, "<text transform=\"translate(18 %g) rotate(-90)\" text-anchor=\"middle\">fraction right-saturated</text>\n",
            top + P / 2);
    fprintf(f, "</svg>\n");
    if (fclose(f) != 0) { fprintf(stderr, "saturation: cannot write %s\n", argv[3]); return 1; }

    for (int l = 0; l < L; l++)
        for (int g = 0; g < 4; g++) {
            double lo = 0, hi = 0;
            for (int j = 0; j < H; j++) {
                lo += inspection_saturated(&in, l, g * H + j, false);
                hi += inspection_saturated(&in, l, g * H + j, true);
            }
            printf("layer %d %s left: %.2f\nlayer %d %s right: %.2f\n", l + 1, GATE[g], lo / H,
                   l + 1, GATE[g], hi / H);
        }
    inspection_free(&in);
    free(x);
    free(tokens);
    model_free(&m);
    text_free(&text);
    return 0;
}
