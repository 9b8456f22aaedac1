#line 318 "chapters/C2-plots.nw"
/* lstm-plot — draw the curves of a training log and summarise it. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "plot.h"
#include "prog.h"

static double opt_below;
static const Option options[] = {
    { "below", OPT_REAL, &opt_below, "0", 0, 1e6, "X",
      "also say when the validation loss first came down to X; 0: do not" },
    OPTIONS_END
};
static const Usage usage = {
    "lstm-plot [OPTIONS] LOG.csv DIR",
    "Draw DIR/loss.svg and DIR/accuracy.svg (DIR is created if missing) from the\n"
    "log of an lstm-train run, and print its last and best validation losses, when\n"
    "they were reached, and the smoothed training loss at the best.",
    options, 2, 2
};

/* ⟨summarise the validation rows of a log⟩ */
#line 379 "chapters/C2-plots.nw"
typedef struct {
    long rows, best_step, last_step;
    double best, best_min, best_train, last, last_min, last_epoch;
    double under;     /* the first minute the validation loss was at most --below */
} Summary;

static Summary summarise(FILE *f)
{
    Summary s = { .best = INFINITY, .best_train = NAN, .last = NAN, .under = NAN };
    char line[512];
    long step;
    double epoch, minutes, lr, train, val;
    while (fgets(line, sizeof line, f)) {
        char *p = line;
        if (sscanf(p, "%ld,%lf,%lf,%lf,%lf,", &step, &epoch, &minutes, &lr, &train) != 5) continue;
        s.rows++;
        for (int comma = 0; comma < 5 && p; comma++) p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL;
        if (!p || *p == ',' || sscanf(p, "%lf", &val) != 1) continue;
        s.last = val; s.last_min = minutes; s.last_step = step; s.last_epoch = epoch;
        if (val < s.best) { s.best = val; s.best_min = minutes; s.best_step = step; s.best_train = train; }
        if (opt_below > 0 && val <= opt_below && isnan(s.under)) s.under = minutes;
    }
    return s;
}

int main(int argc, char **argv)
{
    prog_name = "lstm-plot";
    parse_options(argc, argv, &usage);
    struct stat st;
    if (stat(argv[1], &st) == 0 && S_ISDIR(st.st_mode)) die("%s is a folder, not a log", argv[1]);
    FILE *f = fopen(argv[1], "r");
    if (!f) die("cannot open %s: %s", argv[1], strerror(errno));
    Summary s = summarise(f);
    fclose(f);
    if (s.rows == 0) die("%s has no rows of an lstm-train log", argv[1]);
    if (!isfinite(s.best)) die("%s has no validation rows yet", argv[1]);
    if (mkdir(argv[2], 0777) != 0 && errno != EEXIST)
        die("cannot create the folder %s: %s", argv[2], strerror(errno));
    if (!plot_training_log(argv[1], argv[2])) die("the plots were not drawn");
    printf("rows: %ld\n", s.rows);
    printf("last validation loss: %.4f\n", s.last);
    printf("last at minutes: %.1f\n", s.last_min);
    printf("last at step: %ld\n", s.last_step);
    printf("last at epoch: %.1f\n", s.last_epoch);
    printf("best validation loss: %.4f\n", s.best);
    printf("best bits: %.4f\n", s.best / log(2.0));
    printf("best at minutes: %.1f\n", s.best_min);
    printf("best at step: %ld\n", s.best_step);
    printf("training loss then: %.4f\n", s.best_train);
    printf("gap then: %.4f\n", s.best - s.best_train);
    if (opt_below > 0) {
        if (isnan(s.under)) printf("time to %.2f: not reached\n", opt_below);
        else printf("time to %.2f: %.1f minutes\n", opt_below, s.under);
    }
    return finish();
}
