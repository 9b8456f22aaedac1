/* tools/figures/schedules.c — chapter 5's learning-rate schedules, drawn with
 * appendix C's plotter from chapter 5's schedule_lr, over 16 epochs of the
 * default run (its steps per epoch read from the log given):
 *     schedules LOG.csv OUT.svg
 * From lstm-train's 0.002: the step schedule halving every 4 epochs (the
 * trainer's default is every 10; 4 shows more steps), and the cosine down to
 * the trainer's default floor, 0.0001. */
#include <stdio.h>
#include <stdlib.h>
#include "optim.h"
#include "plot.h"

int main(int argc, char **argv)
{
    if (argc != 3) { fprintf(stderr, "usage: schedules LOG.csv OUT.svg\n"); return 2; }
    FILE *f = fopen(argv[1], "r");
    if (!f) { fprintf(stderr, "schedules: cannot open %s\n", argv[1]); return 1; }
    char line[512];
    long step = 0, s;
    double epoch = 0, e;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "%ld,%lf,", &s, &e) == 2 && e > 0) { step = s; epoch = e; }
    fclose(f);
    if (step == 0) { fprintf(stderr, "schedules: %s has no rows of lstm-train's log (step,epoch,...)\n", argv[1]); return 1; }
    double per_epoch = (double)step / epoch;
    enum { N = 400, EPOCHS = 16 };
    long total = (long)(EPOCHS * per_epoch + 0.5);
    static double x[N + 1], y[2][N + 1];
    Schedule sched[2] = {      /* (constant, the default, would be the line at the top) */
        { SCHEDULE_STEP, 0.002, 0.5, 4, 0, 0 },
        { SCHEDULE_COSINE, 0.002, 0, 0, 0.0001, total },
    };
    for (int k = 0; k <= N; k++) {
        long st = (total - 1) * k / N;
        x[k] = (double)st / per_epoch;
        for (int j = 0; j < 2; j++) y[j][k] = schedule_lr(&sched[j], st, x[k]);
    }
    Series ser[2] = {
        { "step: x 0.5 every 4 epochs", x, y[0], N + 1, "#ff7f0e", false },
        { "cosine: down to 0.0001", x, y[1], N + 1, "#1f4f8f", false },
    };
    char why[256];
    if (!svg_plot(argv[2], "The learning rate over 16 epochs, from 0.002", "epochs", "learning rate", ser, 2,
                  why, sizeof why)) {
        fprintf(stderr, "schedules: %s\n", why);
        return 1;
    }
    printf("steps per epoch: %.0f\nplanned steps: %ld\n", per_epoch, total);
    return 0;
}
