/* tools/figures/curves.c — the validation curves of several training runs in
 * one chart, drawn with appendix C's plotter from the logs lstm-train wrote:
 *     curves OUT.svg TITLE YLABEL BELOW  NAME SCALE LOG.csv  [NAME SCALE LOG.csv ...]
 * Each run is a series of its validations: the validation loss times SCALE
 * (1 for nats per character; 1/ln 2 for bits; a run of words' nats per token
 * times tokens per character for its nats per character) against the minutes
 * of training.  Validations above BELOW (after scaling) are left out, so that
 * the chart shows where the runs differ rather than their first minutes.
 * Prints, per run, its best scaled validation loss and the minutes it came
 * at, so that a text quoting the chart can quote the same numbers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plot.h"

enum { MAX_RUNS = 8, MAX_ROWS = 100000 };

static const char *const colors[MAX_RUNS] = {
    "#1f4f8f", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf", "#7f7f7f"
};

/* Read the (minutes, validation loss * scale) of every validated row of a log. */
static size_t read_validations(const char *path, double scale, double below, double *x, double *y)
{
    FILE *f = fopen(path, "r");
    if (!f) { fprintf(stderr, "curves: cannot open %s\n", path); exit(1); }
    char line[1024];
    size_t n = 0, rows = 0;
    if (!fgets(line, sizeof line, f) || strncmp(line, "step,epoch,minutes,lr,train_loss,val_loss,", 42) != 0) {
        fprintf(stderr, "curves: %s: not a log of lstm-train (its first line is not step,epoch,minutes,...)\n", path);
        exit(1);
    }
    while (fgets(line, sizeof line, f) && n < MAX_ROWS) {
        long step;
        double epoch, minutes, lr, train, val;
        rows++;
        if (sscanf(line, "%ld,%lf,%lf,%lf,%lf,%lf", &step, &epoch, &minutes, &lr, &train, &val) == 6
            && val * scale <= below) {
            x[n] = minutes;
            y[n] = val * scale;
            n++;
        }
    }
    fclose(f);
    if (rows == 0) { fprintf(stderr, "curves: %s has no rows\n", path); exit(1); }
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 8 || (argc - 5) % 3 != 0 || (argc - 5) / 3 > MAX_RUNS) {
        fprintf(stderr, "usage: curves OUT.svg TITLE YLABEL BELOW NAME SCALE LOG.csv [NAME SCALE LOG.csv ...] (at most %d runs)\n",
                MAX_RUNS);
        return 2;
    }
    char *end;
    double below = strtod(argv[4], &end);
    if (*end || !(below > 0)) { fprintf(stderr, "curves: BELOW must be a positive number, not %s\n", argv[4]); return 2; }
    int runs = (argc - 5) / 3;
    static double xs[MAX_RUNS][MAX_ROWS], ys[MAX_RUNS][MAX_ROWS];
    Series ser[MAX_RUNS];
    for (int r = 0; r < runs; r++) {
        const char *name = argv[5 + 3 * r], *log = argv[7 + 3 * r];
        double scale = strtod(argv[6 + 3 * r], &end);
        if (*end || !(scale > 0)) { fprintf(stderr, "curves: %s: SCALE must be a positive number, not %s\n", name, argv[6 + 3 * r]); return 2; }
        size_t n = read_validations(log, scale, below, xs[r], ys[r]);
        if (n == 0) { fprintf(stderr, "curves: %s: no validation of %s is at or below %g\n", name, log, below); return 1; }
        size_t best = 0;
        for (size_t i = 1; i < n; i++) if (ys[r][i] < ys[r][best]) best = i;
        printf("%s best: %.4f\n%s best at minutes: %.1f\n", name, ys[r][best], name, xs[r][best]);
        ser[r] = (Series){ name, xs[r], ys[r], n, colors[r], true };
    }
    char why[256];
    if (!svg_plot(argv[1], argv[2], "minutes of training", argv[3], ser, runs, why, sizeof why)) {
        fprintf(stderr, "curves: %s\n", why);
        return 1;
    }
    return 0;
}
