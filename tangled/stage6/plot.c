#line 891 "chapters/05-train.nw"
/* plot.c — line plots as SVG. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "binio.h"
#include "plot.h"
#include "prog.h"

/* ⟨choose nice tick marks⟩ */
#line 733 "chapters/05-train.nw"
/* A step of 1, 2 or 5 times a power of ten that cuts [lo, hi] into about 5. */
static double nice_step(double lo, double hi)
{
    double raw = (hi - lo) / 5, p = pow(10, floor(log10(raw))), f = raw / p;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
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
#line 753 "chapters/05-train.nw"
bool svg_plot(const char *path, const char *title, const char *xlabel, const char *ylabel,
              const Series *s, int count, char *why, size_t whylen)
{
    const double W = 640, Hh = 400, left = 64, right = 16, top = 36, bottom = 48;
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (int k = 0; k < count; k++)
        for (size_t i = 0; i < s[k].n; i++) {
            if (!isfinite(s[k].y[i]) || !isfinite(s[k].x[i])) continue;
            x0 = fmin(x0, s[k].x[i]); x1 = fmax(x1, s[k].x[i]);
            y0 = fmin(y0, s[k].y[i]); y1 = fmax(y1, s[k].y[i]);
        }
    if (!(x0 <= x1)) { x0 = 0; x1 = 1; y0 = 0; y1 = 1; }   /* nothing to draw: an empty frame */
    if (x1 - x0 < 1e-12) x1 = x0 + 1;
    if (y1 - y0 < 1e-12) { y0 -= 0.5; y1 += 0.5; }
    double xs = nice_step(x0, x1), ys = nice_step(y0, y1);
    x0 = floor(x0 / xs) * xs; x1 = ceil(x1 / xs) * xs;
    y0 = floor(y0 / ys) * ys; y1 = ceil(y1 / ys) * ys;
#define PX(x) (left + ((x) - x0) / (x1 - x0) * (W - left - right))
#define PY(y) (Hh - bottom - ((y) - y0) / (y1 - y0) * (Hh - top - bottom))
    Buf b = {0};
    svg(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
        "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">\n", W, Hh, W, Hh);
    svg(&b, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
    svg(&b, "<text x=\"%.0f\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">%s</text>\n", W / 2, title);
    for (double x = x0; x <= x1 + xs / 2; x += xs) {
        svg(&b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
            PX(x), PY(y0), PX(x), PY(y1));
        svg(&b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g</text>\n", PX(x), PY(y0) + 16, x);
    }
    for (double y = y0; y <= y1 + ys / 2; y += ys) {
        svg(&b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
            PX(x0), PY(y), PX(x1), PY(y));
        svg(&b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n", PX(x0) - 6, PY(y) + 4, y);
    }
    svg(&b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#444\"/>\n",
        PX(x0), PY(y1), PX(x1) - PX(x0), PY(y0) - PY(y1));
    svg(&b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", (PX(x0) + PX(x1)) / 2, Hh - 10, xlabel);
    svg(&b, "<text transform=\"translate(16 %.1f) rotate(-90)\" text-anchor=\"middle\">%s</text>\n",
        (PY(y0) + PY(y1)) / 2, ylabel);
    for (int k = 0; k < count; k++) {
        /* ⟨draw one series as polylines, broken at gaps⟩ */
        #line 808 "chapters/05-train.nw"
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
        #line 794 "chapters/05-train.nw"
        svg(&b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>\n",
            PX(x1) - 150, PY(y1) + 18 + 18 * k, PX(x1) - 126, PY(y1) + 18 + 18 * k, s[k].color);
        svg(&b, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", PX(x1) - 120, PY(y1) + 22 + 18 * k, s[k].name);
    }
    svg(&b, "</svg>\n");
#undef PX
#undef PY
    bool ok = file_write_atomic(path, b.p, b.n, why, whylen);
    buf_free(&b);
    return ok;
}
/* ⟨plot a training log⟩ */
#line 832 "chapters/05-train.nw"
/* Read the whole log back (so that a resumed run's plot shows all of it)
   and draw the loss and accuracy curves against training time.  A file
   that cannot be written is warned about, and the result is false. */
bool plot_training_log(const char *log_path, const char *dir)
{
    FILE *f = fopen(log_path, "r");
    if (!f) { warn("cannot read %s to plot it: %s", log_path, strerror(errno)); return false; }
    bool drawn = true;
    size_t n = 0, cap = 1024;
    double *x = xalloc(cap, sizeof *x), *tl = xalloc(cap, sizeof *tl);
    double *vl = xalloc(cap, sizeof *vl), *va = xalloc(cap, sizeof *va);
    char line[512];
    while (fgets(line, sizeof line, f)) {
        long step;
        double epoch, minutes, lr, train, val = NAN, bits, acc = NAN;
        if (sscanf(line, "%ld,%lf,%lf,%lf,%lf,", &step, &epoch, &minutes, &lr, &train) != 5) continue;
        char *p = line;
        for (int comma = 0; comma < 5 && p; comma++) p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL;
        if (p && *p != ',') sscanf(p, "%lf,%lf,%lf", &val, &bits, &acc);
        if (n == cap) {
            cap *= 2;
            double *arr[4] = { x, tl, vl, va };
            for (int k = 0; k < 4; k++) {
                double *more = xalloc(cap, sizeof *more);
                memcpy(more, arr[k], n * sizeof *more);
                free(arr[k]);
                arr[k] = more;
            }
            x = arr[0]; tl = arr[1]; vl = arr[2]; va = arr[3];
        }
        x[n] = minutes; tl[n] = train; vl[n] = val; va[n] = acc; n++;
    }
    fclose(f);
    /* ⟨draw the loss curves and the accuracy curve⟩ */
    #line 1261 "chapters/05-train.nw"
    size_t nv = 0;
    double *vx = xalloc(n ? n : 1, sizeof *vx), *vy = xalloc(n ? n : 1, sizeof *vy);
    double *ax = xalloc(n ? n : 1, sizeof *ax);
    for (size_t i = 0; i < n; i++)
        if (isfinite(vl[i])) { vx[nv] = x[i]; vy[nv] = vl[i]; ax[nv] = 100 * va[i]; nv++; }
    Series loss[2] = { { "training (smoothed)", x, tl, n, "#1f77b4", n < 3 },
                       { "validation", vx, vy, nv, "#d62728", true } };
    Series accuracy[1] = { { "validation", vx, ax, nv, "#d62728", true } };
    char path[4200], why[600];
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
    #line 866 "chapters/05-train.nw"
    free(x); free(tl); free(vl); free(va);
    return drawn;
}
/* ⟨plot.c functions⟩ */
