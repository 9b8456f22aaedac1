/* tools/figures/distribution.c — chapter 6's figure: one next-character
 * distribution of the trained model, after the prompt "ROMEO:\nI ", as
 * chapter 6's next_distribution makes it at the temperatures 0.5, 1 and 1.5,
 * with the cuts of top-k (k = 5) and top-p (p = 0.9, at temperature 1)
 * drawn across the characters in the order of their probability.
 *     distribution MODEL OUT.svg      (and prints the figures the text quotes)
 * Built against stage 6. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "modelfile.h"
#include "sample.h"

enum { SHOWN = 16, TOP_K = 5 };
#define TOP_P 0.9
static const char PROMPT[] = "ROMEO:\nI ";
static const double TAU[3] = { 0.5, 1.0, 1.5 };
static const char *COLOR[3] = { "#1f4f8f", "#ff7f0e", "#c8c8c8" };

/* A character as a label: the visible ones as themselves (escaped for XML),
   the space and the line end as the signs the book uses for them. */
static const char *label(uint32_t c, char buf[8])
{
    if (c == ' ') return "\xe2\x90\xa3";            /* U+2423 open box */
    if (c == '\n') return "\xe2\x86\xb5";           /* U+21B5 return arrow */
    if (c == '&') return "&amp;";
    if (c == '<') return "&lt;";
    if (c == '>') return "&gt;";
    int n = utf8_encode(c, buf);
    buf[n] = 0;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc != 3) { fprintf(stderr, "usage: distribution MODEL OUT.svg\n"); return 2; }
    char why[256];
    Model m;
    if (!model_load(argv[1], &m, why, sizeof why)) { fprintf(stderr, "distribution: %s\n", why); return 1; }
    int tokens[sizeof PROMPT];
    size_t n = strlen(PROMPT);
    for (size_t t = 0; t < n; t++)
        if ((tokens[t] = vocab_find(&m.vocab, (unsigned char)PROMPT[t])) < 0) {
            fprintf(stderr, "distribution: %s has no character %d of the prompt\n", argv[1], PROMPT[t]);
            return 1;
        }
    Sampler s = sampler_new(&m);
    sampler_prime(&s, tokens, n);
    int V = m.V;
    double *q[3];
    for (int k = 0; k < 3; k++) {
        SampleRule rule = { .temperature = TAU[k], .top_k = 0, .top_p = 1, .greedy = false };
        q[k] = malloc((size_t)V * sizeof *q[k]);
        memcpy(q[k], sampler_distribution(&s, &rule), (size_t)V * sizeof *q[k]);
    }
    /* the characters by their probability at temperature 1 */
    int *order = malloc((size_t)V * sizeof *order);
    for (int k = 0; k < V; k++) order[k] = k;
    for (int a = 1; a < V; a++)
        for (int b = a; b > 0 && q[1][order[b]] > q[1][order[b - 1]]; b--) {
            int x = order[b]; order[b] = order[b - 1]; order[b - 1] = x;
        }
    int keep_p = V;
    double mass = 0;
    for (int r = 0; r < V; r++) {
        mass += q[1][order[r]];
        if (mass >= TOP_P) { keep_p = r + 1; break; }
    }
    /* the cuts, as next_distribution makes them, to check the drawing */
    SampleRule cut_k = { .temperature = 1, .top_k = TOP_K, .top_p = 1 };
    SampleRule cut_p = { .temperature = 1, .top_k = 0, .top_p = TOP_P };
    const double *qk = sampler_distribution(&s, &cut_k);
    int kept_k = 0;
    for (int k = 0; k < V; k++) kept_k += qk[k] > 0;
    const double *qp = sampler_distribution(&s, &cut_p);
    int kept_p = 0;
    for (int k = 0; k < V; k++) kept_p += qp[k] > 0;
    if (kept_k != TOP_K || kept_p != keep_p) {
        fprintf(stderr, "distribution: the cuts drawn (%d, %d) are not the sampler's (%d, %d)\n",
                TOP_K, keep_p, kept_k, kept_p);
        return 1;
    }

    FILE *f = fopen(argv[2], "w");
    if (!f) { fprintf(stderr, "distribution: cannot write %s\n", argv[2]); return 1; }
    const double W = 640, Hh = 330, x0 = 60, x1 = 620, y0 = 60, y1 = 270;
    double top = 0;
    for (int k = 0; k < 3; k++)
        for (int r = 0; r < SHOWN; r++) if (q[k][order[r]] > top) top = q[k][order[r]];
    top = ceil(top * 10) / 10;
    double slot = (x1 - x0) / SHOWN, bar = slot / 4;
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %g %g\" width=\"%g\" height=\"%g\" "
               "font-family=\"DejaVu Sans, sans-serif\" font-size=\"13\" fill=\"#1d1d1d\">\n", W, Hh, W, Hh);
    fprintf(f, "<text x=\"%g\" y=\"20\" text-anchor=\"middle\">The next character after \"ROMEO:"
               "\xe2\x86\xb5I\xe2\x90\xa3\", the %d likeliest</text>\n", W / 2, SHOWN);
    for (int k = 0; k < 3; k++) {       /* the legend */
        double lx = x0 + 10 + k * 150;
        fprintf(f, "<rect x=\"%g\" y=\"33\" width=\"12\" height=\"12\" fill=\"%s\" stroke=\"#444444\" stroke-width=\"0.5\"/>"
                   "<text x=\"%g\" y=\"44\">temperature %g</text>\n", lx, COLOR[k], lx + 18, TAU[k]);
    }
    for (int g = 0; g <= 5; g++) {      /* the axis and its grid */
        double v = top * g / 5, y = y1 - (y1 - y0) * g / 5;
        fprintf(f, "<line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\" stroke=\"%s\" stroke-width=\"1\"/>"
                   "<text x=\"%g\" y=\"%g\" text-anchor=\"end\" font-size=\"11\">%.2f</text>\n",
                x0, y, x1, y, g ? "#e6e6e6" : "#444444", x0 - 6, y + 4, v);
    }
    fprintf(f, "<text transform=\"translate(16 %g) rotate(-90)\" text-anchor=\"middle\">probability</text>\n",
            (y0 + y1) / 2);
    for (int r = 0; r < SHOWN; r++) {
        char buf[8];
        double sx = x0 + r * slot + bar / 2;
        for (int k = 0; k < 3; k++) {
            double h = (y1 - y0) * q[k][order[r]] / top;
            fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"#444444\" stroke-width=\"0.5\"/>\n",
                    sx + k * bar, y1 - h, bar, h, COLOR[k]);
        }
        fprintf(f, "<text x=\"%.1f\" y=\"%g\" text-anchor=\"middle\" font-family=\"DejaVu Sans Mono, monospace\" font-size=\"14\">%s</text>\n",
                x0 + (r + 0.5) * slot, y1 + 18, label(m.vocab.cp[order[r]], buf));
    }
    struct { int after; const char *what; } cut[2] = {
        { TOP_K, "top-k, k = 5" }, { keep_p, "top-p, p = 0.9" } };
    for (int c = 0; c < 2; c++) {
        if (cut[c].after >= SHOWN) continue;
        double x = x0 + cut[c].after * slot, y = y0 + 14 + 16 * c;
        bool left = x > W * 0.6;        /* the label on the side with room for it */
        fprintf(f, "<line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\" stroke=\"#d62728\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>"
                   "<text x=\"%g\" y=\"%g\" fill=\"#d62728\" font-size=\"12\" text-anchor=\"%s\">%s: keeps %d</text>\n",
                x, y0 - 4, x, y1 + 4, left ? x - 5 : x + 5, y, left ? "end" : "start", cut[c].what, cut[c].after);
    }
    fprintf(f, "<text x=\"%g\" y=\"%g\" text-anchor=\"middle\" font-size=\"12\">the characters in the order of their "
               "probability at temperature 1 (\xe2\x90\xa3 a space, \xe2\x86\xb5 a line end)</text>\n",
            (x0 + x1) / 2, y1 + 44);
    fprintf(f, "</svg>\n");
    if (fclose(f) != 0) { fprintf(stderr, "distribution: cannot write %s\n", argv[2]); return 1; }

    char b0[8], b1[8];
    printf("likeliest: %s\n", label(m.vocab.cp[order[0]], b0));
    printf("likeliest at 0.5: %.2f\nlikeliest at 1: %.2f\nlikeliest at 1.5: %.2f\n",
           q[0][order[0]], q[1][order[0]], q[2][order[0]]);
    printf("second: %s\n", label(m.vocab.cp[order[1]], b1));
    printf("top-p keeps: %d\n", keep_p);
    double rest = 0;
    for (int r = SHOWN; r < V; r++) rest += q[1][order[r]];
    printf("beyond the shown at 1: %.3f\n", rest);
    for (int k = 0; k < 3; k++) free(q[k]);
    free(order);
    sampler_free(&s);
    model_free(&m);
    return 0;
}
