#line 286 "chapters/C2-plots.nw"
/* plot.c — line plots as SVG, and the curves of a training log. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "binio.h"
#include "plot.h"

/* ⟨choose nice tick marks⟩ */
#line 36 "chapters/C2-plots.nw"
/* A step of 1, 2 or 5 times a power of ten that cuts [lo, hi] into about 5. */
static double nice_step(double lo, double hi)
{
    double raw = (hi - lo) / 5, p = pow(10, floor(log10(raw))), f = raw / p;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}

/* Make [*lo, *hi] wide enough to hold ticks the numbers can tell apart,
   then round it out to whole steps; returns the step and, in *ticks, how
   many steps there are (at most 50). */
static double axis(double *lo, double *hi, int *ticks)
{
    double mid = (*lo + *hi) / 2, least = 1e-9 * fmax(1, fabs(mid));
    if (!(*hi - *lo >= least)) { *lo = mid - least; *hi = mid + least; }
    double step = nice_step(*lo, *hi);
    *lo = floor(*lo / step) * step;
    *hi = ceil(*hi / step) * step;
    double n = round((*hi - *lo) / step);
    *ticks = n < 1 ? 1 : n > 50 ? 50 : (int)n;
    return step;
}

static void svg(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void svg(Buf *b, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    buf_bytes(b, line, (size_t)(k < (int)sizeof line ? k : (int)sizeof line - 1));
}
/* ⟨draw a line plot as SVG⟩ */
#line 75 "chapters/C2-plots.nw"
bool svg_plot(const char *path, const char *title, const char *xlabel, const char *ylabel,
              const Series *s, int count, char *why, size_t whylen)
{
    const double W = 640, Hh = 420, left = 64, right = 16, bottom = 48;
    double lw[16], lx = left, ly = 38;      /* the legend: entry widths, where the next goes */
    int rows = 1;
    for (int k = 0; k < count && k < 16; k++) {
        lw[k] = 30 + 7.0 * (double)strlen(s[k].name) + 24;
        if (lx > left && lx + lw[k] - 24 > W - right) { rows++; lx = left; }
        lx += lw[k];
    }
    const double top = 56 + 18 * (rows - 1);
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (int k = 0; k < count; k++)
        for (size_t i = 0; i < s[k].n; i++) {
            if (!isfinite(s[k].y[i]) || !isfinite(s[k].x[i])) continue;
            x0 = fmin(x0, s[k].x[i]); x1 = fmax(x1, s[k].x[i]);
            y0 = fmin(y0, s[k].y[i]); y1 = fmax(y1, s[k].y[i]);
        }
    if (!(x0 <= x1)) { x0 = 0; x1 = 1; y0 = 0; y1 = 1; }   /* nothing to draw: an empty frame */
    int xticks, yticks;
    double xs = axis(&x0, &x1, &xticks), ys = axis(&y0, &y1, &yticks);
#define PX(x) (left + ((x) - x0) / (x1 - x0) * (W - left - right))
#define PY(y) (Hh - bottom - ((y) - y0) / (y1 - y0) * (Hh - top - bottom))
    Buf b = {0};
    svg(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
        "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">\n", W, Hh, W, Hh);
    svg(&b, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
    svg(&b, "<text x=\"%.0f\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">%s</text>\n", W / 2, title);
    for (int t = 0; t <= xticks; t++) {
        double x = x0 + t * xs;
        svg(&b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
            PX(x), PY(y0), PX(x), PY(y1));
        svg(&b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g</text>\n", PX(x), PY(y0) + 16, x);
    }
    for (int t = 0; t <= yticks; t++) {
        double y = y0 + t * ys;
        svg(&b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
            PX(x0), PY(y), PX(x1), PY(y));
        svg(&b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n", PX(x0) - 6, PY(y) + 4, y);
    }
    svg(&b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#444\"/>\n",
        PX(x0), PY(y1), PX(x1) - PX(x0), PY(y0) - PY(y1));
    svg(&b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", (PX(x0) + PX(x1)) / 2, Hh - 10, xlabel);
    svg(&b, "<text transform=\"translate(16 %.1f) rotate(-90)\" text-anchor=\"middle\">%s</text>\n",
        (PY(y0) + PY(y1)) / 2, ylabel);
    lx = left;
    for (int k = 0; k < count; k++) {
        /* ⟨draw one series as polylines, broken at gaps⟩ */
        #line 141 "chapters/C2-plots.nw"
        bool open = false;
        for (size_t i = 0; i < s[k].n; i++) {
            bool ok = isfinite(s[k].x[i]) && isfinite(s[k].y[i]);
            if (ok && !open) {
                svg(&b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"", s[k].color);
                open = true;
            }
            if (ok) svg(&b, "%.1f,%.1f ", PX(s[k].x[i]), PY(s[k].y[i]));
            if (open && (!ok || i + 1 == s[k].n)) {
                svg(&b, "\"/>\n");
                open = false;
            }
        }
        for (size_t i = 0; s[k].dots && i < s[k].n; i++)
            if (isfinite(s[k].x[i]) && isfinite(s[k].y[i]))
                svg(&b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>\n",
                    PX(s[k].x[i]), PY(s[k].y[i]), s[k].color);
        #line 124 "chapters/C2-plots.nw"
        if (k >= 16) continue;                     /* (no room in any legend for more) */
        if (lx > left && lx + lw[k] - 24 > W - right) { ly += 18; lx = left; }
        svg(&b, "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"%s\" stroke-width=\"2\"/>\n",
            lx, ly, lx + 24, ly, s[k].color);
        svg(&b, "<text x=\"%.1f\" y=\"%.0f\">%s</text>\n", lx + 30, ly + 4, s[k].name);
        lx += lw[k];
    }
    svg(&b, "</svg>\n");
#undef PX
#undef PY
    bool ok = file_write_atomic(path, b.p, b.n, why, whylen);
    buf_free(&b);
    return ok;
}
/* ⟨read a training log⟩ */
#line 169 "chapters/C2-plots.nw"
typedef struct {
    size_t n;                          /* rows */
    double *minutes, *train, *val, *acc;   /* n each; val and acc NaN where not validated */
    long *step;
} Log;

static void log_free(Log *l)
{
    free(l->minutes); free(l->train); free(l->val); free(l->acc); free(l->step);
    *l = (Log){0};
}

/* Grow the log's arrays to room for cap rows, keeping the first n. */
static void log_grow(Log *l, size_t cap)
{
    double **cols[4] = { &l->minutes, &l->train, &l->val, &l->acc };
    for (int k = 0; k < 4; k++) {
        double *more = xalloc(cap, sizeof *more);
        if (l->n) memcpy(more, *cols[k], l->n * sizeof *more);
        free(*cols[k]);
        *cols[k] = more;
    }
    long *steps = xalloc(cap, sizeof *steps);
    if (l->n) memcpy(steps, l->step, l->n * sizeof *steps);
    free(l->step);
    l->step = steps;
}

/* Read every row of an lstm-train log; false (with a reason) if the file
   cannot be read. */
static bool log_read(const char *path, Log *l, char *why, size_t whylen)
{
    *l = (Log){0};
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(why, whylen, "cannot read %s: %s", path, strerror(errno));
        return false;
    }
    size_t cap = 0;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        long step;
        double epoch, minutes, lr, train, val = NAN, bits, acc = NAN;
        if (sscanf(line, "%ld,%lf,%lf,%lf,%lf,", &step, &epoch, &minutes, &lr, &train) != 5) continue;
        char *p = line;
        for (int comma = 0; comma < 5 && p; comma++) p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL;
        if (p && *p != ',') sscanf(p, "%lf,%lf,%lf", &val, &bits, &acc);
        if (l->n == cap) log_grow(l, cap = cap ? 2 * cap : 1024);
        l->step[l->n] = step;
        l->minutes[l->n] = minutes; l->train[l->n] = train;
        l->val[l->n] = val; l->acc[l->n] = acc;
        l->n++;
    }
    fclose(f);
    return true;
}
/* ⟨plot a training log⟩ */
#line 231 "chapters/C2-plots.nw"
bool plot_training_log(const char *log_path, const char *dir)
{
    char why[600];
    Log log;
    if (!log_read(log_path, &log, why, sizeof why)) {
        warn("%s", why);
        return false;
    }
    size_t n = log.n, nv = 0;
    double *vx = xalloc(n ? n : 1, sizeof *vx), *vy = xalloc(n ? n : 1, sizeof *vy);
    double *ax = xalloc(n ? n : 1, sizeof *ax);
    for (size_t i = 0; i < n; i++)
        if (isfinite(log.val[i])) { vx[nv] = log.minutes[i]; vy[nv] = log.val[i]; ax[nv] = 100 * log.acc[i]; nv++; }
    Series loss[2] = { { "training (smoothed)", log.minutes, log.train, n, "#1f77b4", n < 3 },
                       { "validation", vx, vy, nv, "#d62728", true } };
    Series accuracy[1] = { { "validation", vx, ax, nv, "#d62728", true } };
    char path[4200];
    bool drawn = true;
    snprintf(path, sizeof path, "%s/loss.svg", dir);
    if (!svg_plot(path, "Loss", "training time (minutes)", "nats per character", loss, 2, why, sizeof why)) {
        warn("%s", why);
        drawn = false;
    }
    snprintf(path, sizeof path, "%s/accuracy.svg", dir);
    if (!svg_plot(path, "Accuracy of the next character", "training time (minutes)", "percent",
                  accuracy, 1, why, sizeof why)) {
        warn("%s", why);
        drawn = false;
    }
    free(vx); free(vy); free(ax);
    log_free(&log);
    return drawn;
}
/* ⟨plot.c functions⟩ */
