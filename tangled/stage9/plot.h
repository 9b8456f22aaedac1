#line 267 "chapters/C2-plots.nw"
/* plot.h — line plots as SVG, and the curves of a training log. */
#ifndef PLOT_H
#define PLOT_H
#include <stdbool.h>
#include <stddef.h>

/* ⟨a series of points⟩ */
#line 18 "chapters/C2-plots.nw"
typedef struct {
    const char *name;      /* for the legend */
    const double *x, *y;   /* n points; a NaN y leaves a gap */
    size_t n;
    const char *color;     /* an SVG colour, "#1f77b4" */
    bool dots;             /* mark each point too (for sparse series) */
} Series;

/* Plot count series in one chart and write it to path (atomically). */
bool svg_plot(const char *path, const char *title, const char *xlabel, const char *ylabel,
              const Series *s, int count, char *why, size_t whylen);
/* Draw dir/loss.svg and dir/accuracy.svg from a log.csv of lstm-train;
   false (after a warning) if either could not be written. */
bool plot_training_log(const char *log_path, const char *dir);
/* ⟨plot.h declarations⟩ */
#line 282 "chapters/C2-plots.nw"
#endif
