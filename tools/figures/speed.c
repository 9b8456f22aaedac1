/* tools/figures/speed.c — chapter 8's table as bars: the training and the
 * sampling speeds that lstm-bench printed, one bar per change (the blocked
 * kernel of chapter 1, the tiled kernel, the vector gates, the threads), the
 * training bars against the ceiling that lstm-bench computes from the peak
 * of one core (the share of it is shown for the one-thread bars only).
 *     speed BENCH.txt OUT.svg
 * It reads the sections "training, ..." and "sampling at batch 1, ..." of
 * lstm-bench's output: lines "NAME   NUMBER" up to the next blank line. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAXBARS = 8 };
typedef struct { char name[64]; double v; } Bar;
typedef struct { const char *title; Bar bar[MAXBARS]; int n; double ceiling; } Panel;

/* The rows under the first line that starts with head; the row named
   "(the peak of one core)" is the ceiling, not a bar. */
static int read_section(FILE *f, const char *head, Panel *p)
{
    char line[256];
    rewind(f);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, head, strlen(head)) == 0) break;
    if (feof(f)) return 0;
    while (fgets(line, sizeof line, f) && line[0] != '\n') {
        char *end = line + strlen(line);
        while (end > line && (end[-1] == '\n' || end[-1] == ' ')) *--end = 0;
        char *num = strrchr(line, ' ');
        if (!num) return 0;
        double v = strtod(num + 1, NULL);
        while (num > line && num[-1] == ' ') num--;
        *num = 0;
        if (strcmp(line, "(the peak of one core)") == 0) { p->ceiling = v; continue; }
        if (p->n == MAXBARS) return 0;
        snprintf(p->bar[p->n].name, sizeof p->bar[p->n].name, "%s", line);
        p->bar[p->n++].v = v;
    }
    return p->n > 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) { fprintf(stderr, "usage: speed BENCH.txt OUT.svg\n"); return 2; }
    FILE *in = fopen(argv[1], "r");
    if (!in) { fprintf(stderr, "speed: cannot open %s\n", argv[1]); return 1; }
    Panel p[2] = { { "training, 2 x 256, T = 100, B = 32: characters per second", {{{0}, 0}}, 0, 0 },
                   { "sampling at batch 1, 2 x 256: characters per second", {{{0}, 0}}, 0, 0 } };
    if (!read_section(in, "training,", &p[0]) || !read_section(in, "sampling at batch 1", &p[1])) {
        fprintf(stderr, "speed: %s: no training and sampling tables of lstm-bench\n", argv[1]);
        return 1;
    }
    fclose(in);
    const double W = 640, left = 190, right = 600, row = 24, gap = 36;
    double Hh = 20;
    for (int k = 0; k < 2; k++) Hh += gap + p[k].n * row + (p[k].ceiling > 0 ? row : 0) + 16;
    FILE *f = fopen(argv[2], "w");
    if (!f) { fprintf(stderr, "speed: cannot write %s\n", argv[2]); return 1; }
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %g %g\" width=\"%g\" height=\"%g\" "
               "font-family=\"DejaVu Sans, sans-serif\" font-size=\"13\" fill=\"#1d1d1d\">\n", W, Hh, W, Hh);
    double y = 10;
    static const char *color[4] = { "#c8c8c8", "#8a7f5f", "#ff7f0e", "#1f4f8f" };
    for (int k = 0; k < 2; k++) {
        y += gap - 10;
        fprintf(f, "<text x=\"10\" y=\"%g\" font-weight=\"bold\">%s</text>\n", y, p[k].title);
        y += 10;
        double top = p[k].ceiling;
        for (int b = 0; b < p[k].n; b++) if (p[k].bar[b].v > top) top = p[k].bar[b].v;
        double scale = (right - left) / top;
        int rows = p[k].n + (p[k].ceiling > 0);
        for (int b = 0; b < rows; b++) {
            bool ceiling = b == p[k].n;
            double v = ceiling ? p[k].ceiling : p[k].bar[b].v, yy = y + b * row;
            fprintf(f, "<text x=\"%g\" y=\"%g\" text-anchor=\"end\">%s</text>\n", left - 8, yy + 15,
                    ceiling ? "the ceiling of one core" : p[k].bar[b].name);
            if (ceiling)
                fprintf(f, "<rect x=\"%g\" y=\"%g\" width=\"%.1f\" height=\"18\" fill=\"none\" stroke=\"#444444\" "
                           "stroke-dasharray=\"4 3\"/>\n", left, yy + 2, v * scale);
            else
                fprintf(f, "<rect x=\"%g\" y=\"%g\" width=\"%.1f\" height=\"18\" fill=\"%s\"/>\n", left, yy + 2,
                        v * scale, color[b < 4 ? b : 3]);
            double tx = left + v * scale + 5;
            const char *anchor = "start", *fill = "#1d1d1d";
            if (tx > right - 50) { tx = left + v * scale - 5; anchor = "end"; fill = ceiling ? "#1d1d1d" : "#ffffff"; }
            if (p[k].ceiling > 0 && !ceiling && !strstr(p[k].bar[b].name, "threads"))   /* one core's share */
                fprintf(f, "<text x=\"%.1f\" y=\"%g\" text-anchor=\"%s\" fill=\"%s\" font-size=\"12\">%.0f (%.0f%%)</text>\n",
                        tx, yy + 15, anchor, fill, v, 100 * v / p[k].ceiling);
            else
                fprintf(f, "<text x=\"%.1f\" y=\"%g\" text-anchor=\"%s\" fill=\"%s\" font-size=\"12\">%.0f</text>\n",
                        tx, yy + 15, anchor, fill, v);
        }
        y += rows * row + 16;
    }
    fprintf(f, "</svg>\n");
    if (fclose(f) != 0) { fprintf(stderr, "speed: cannot write %s\n", argv[2]); return 1; }
    return 0;
}
