#line 1371 "chapters/05-train.nw"
/* lstm-plot — draw the curves of a training log and summarise it. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "plot.h"
#include "prog.h"

static const Option options[] = { OPTIONS_END };
static const Usage usage = {
    "lstm-plot LOG.csv DIR",
    "Draw DIR/loss.svg and DIR/accuracy.svg (DIR is created if missing) from the\n"
    "log of an lstm-train run, and print its last and best validation losses, when\n"
    "they were reached, and the smoothed training loss at the best.",
    options, 2, 2
};

int main(int argc, char **argv)
{
    prog_name = "lstm-plot";
    parse_options(argc, argv, &usage);
    struct stat st;
    if (stat(argv[1], &st) == 0 && S_ISDIR(st.st_mode)) die("%s is a folder, not a log", argv[1]);
    FILE *f = fopen(argv[1], "r");
    if (!f) die("cannot open %s: %s", argv[1], strerror(errno));
    char line[512];
    long rows = 0, step, best_step = 0, last_step = 0;
    double epoch, minutes, lr, train, val, best = INFINITY, best_min = 0, best_train = NAN;
    double last = NAN, last_min = 0;
    double under = NAN;   /* the first time the validation loss was at most 1.5 */
    while (fgets(line, sizeof line, f)) {
        char *p = line;
        if (sscanf(p, "%ld,%lf,%lf,%lf,%lf,", &step, &epoch, &minutes, &lr, &train) != 5) continue;
        rows++;
        for (int comma = 0; comma < 5 && p; comma++) p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL;
        if (!p || *p == ',' || sscanf(p, "%lf", &val) != 1) continue;
        last = val; last_min = minutes; last_step = step;
        if (val < best) { best = val; best_min = minutes; best_step = step; best_train = train; }
        if (val <= 1.5 && isnan(under)) under = minutes;
    }
    fclose(f);
    if (rows == 0) die("%s has no rows of an lstm-train log", argv[1]);
    if (!isfinite(best)) die("%s has no validation rows yet", argv[1]);
    if (mkdir(argv[2], 0777) != 0 && errno != EEXIST)
        die("cannot create the folder %s: %s", argv[2], strerror(errno));
    if (!plot_training_log(argv[1], argv[2])) die("the plots were not drawn");
    printf("rows: %ld\n", rows);
    printf("last validation loss: %.4f\n", last);
    printf("last at minutes: %.1f\n", last_min);
    printf("last at step: %ld\n", last_step);
    printf("best validation loss: %.4f\n", best);
    printf("best bits: %.4f\n", best / log(2.0));
    printf("best at minutes: %.1f\n", best_min);
    printf("best at step: %ld\n", best_step);
    printf("training loss then: %.4f\n", best_train);
    printf("gap then: %.4f\n", best - best_train);
    if (isnan(under)) printf("time to 1.50: not reached\n");
    else printf("time to 1.50: %.1f minutes\n", under);
    return finish();
}
