#line 575 "chapters/07-inspect.nw"
/* inspect.c — features of a text, the statistics of a model run over it,
   one cell's values, and pictures of them. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "binio.h"
#include "inspect.h"

/* ⟨compute the features of a text⟩ */
/* ⟨the feature functions⟩ */
#line 88 "chapters/07-inspect.nw"
static void line_position(const uint32_t *cp, size_t n, double *x)
{
    size_t column = 0;
    for (size_t t = 0; t < n; t++) {
        column = cp[t] == '\n' ? 0 : column + 1;
        x[t] = (double)column;
    }
}

static void after_newline(const uint32_t *cp, size_t n, double *x)
{
    for (size_t t = 0; t < n; t++) x[t] = cp[t] == '\n';
}
#line 108 "chapters/07-inspect.nw"
static void speaker_name(const uint32_t *cp, size_t n, double *x)
{
    for (size_t t = 0; t < n; t++) x[t] = 0;
    for (size_t start = 0; start < n; ) {
        size_t end = start;                            /* the newline, or n */
        while (end < n && cp[end] != '\n') end++;
        bool after_blank = start == 0 || (start >= 2 && cp[start - 2] == '\n');
        if (after_blank && end > start && cp[end - 1] == ':')
            for (size_t t = start; t < end; t++) x[t] = 1;
        start = end + 1;
    }
}
#line 128 "chapters/07-inspect.nw"
static void in_brackets(const uint32_t *cp, size_t n, double *x)
{
    long depth = 0;
    bool quoted = false;
    for (size_t t = 0; t < n; t++) {
        uint32_t c = cp[t];
        bool closing_quote = c == '"' && quoted;
        if (c == '(' || c == '[' || c == '{') depth++;
        if (c == '"') quoted = !quoted;
        x[t] = depth > 0 || quoted || closing_quote;
        if ((c == ')' || c == ']' || c == '}') && depth > 0) depth--;
    }
}

static void in_word(const uint32_t *cp, size_t n, double *x)
{
    for (size_t t = 0; t < n; t++) {
        uint32_t c = cp[t];
        x[t] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0xC0;
    }
}

const Feature features[] = {
    /* ⟨the table of features⟩ */
    #line 152 "chapters/07-inspect.nw"
    { "line-position", "characters since the start of the line", line_position },
    { "after-newline", "a newline was just read",                after_newline },
    { "speaker-name",  "inside a speaker's name",                speaker_name },
    { "in-brackets",   "inside brackets or double quotes",       in_brackets },
    { "in-word",       "on a letter",                            in_word },
#line 67 "chapters/07-inspect.nw"
};
const int feature_count = (int)(sizeof features / sizeof features[0]);

int feature_find(const char *name)
{
    for (int f = 0; f < feature_count; f++)
        if (strcmp(features[f].name, name) == 0) return f;
    return -1;
}

void feature_values(const uint32_t *cp, size_t n, int f, double *x)
{
    if (f < 0 || f >= feature_count) bug("feature_values: no feature %d", f);
    features[f].values(cp, n, x);
}
/* ⟨make and free an inspection⟩ */
#line 226 "chapters/07-inspect.nw"
Inspection inspection_new(const Model *m)
{
    Inspection in = { .L = m->L, .H = m->H };
    size_t values = (size_t)m->L * 2 * (size_t)m->H, gates = (size_t)m->L * 4 * (size_t)m->H;
    in.low = xalloc(gates, sizeof *in.low);
    in.high = xalloc(gates, sizeof *in.high);
    in.sa = xalloc(values, sizeof *in.sa);
    in.saa = xalloc(values, sizeof *in.saa);
    in.sxa = xalloc((size_t)feature_count * values, sizeof *in.sxa);
    in.sx = xalloc((size_t)feature_count, sizeof *in.sx);
    in.sxx = xalloc((size_t)feature_count, sizeof *in.sxx);
    memset(in.sx, 0, (size_t)feature_count * sizeof *in.sx);
    memset(in.sxx, 0, (size_t)feature_count * sizeof *in.sxx);
    memset(in.low, 0, gates * sizeof *in.low);
    memset(in.high, 0, gates * sizeof *in.high);
    memset(in.sa, 0, values * sizeof *in.sa);
    memset(in.saa, 0, values * sizeof *in.saa);
    memset(in.sxa, 0, (size_t)feature_count * values * sizeof *in.sxa);
    return in;
}

void inspection_free(Inspection *in)
{
    free(in->low); free(in->high);
    free(in->sa); free(in->saa); free(in->sxa);
    free(in->sx); free(in->sxx);
    *in = (Inspection){0};
}
/* ⟨run the model over a text and add up the statistics⟩ */
#line 265 "chapters/07-inspect.nw"
void inspect_text(const Model *m, const int *tokens, const uint32_t *cp, size_t n,
                  int B, int T, Inspection *in)
{
    if (n < 2) bug("inspect_text: %zu characters, need 2", n);
    if ((size_t)B > n - 1) B = (int)(n - 1);
    double *x = xalloc((size_t)feature_count * n, sizeof *x);   /* x[f n + t] */
    for (int f = 0; f < feature_count; f++) feature_values(cp, n, f, x + (size_t)f * n);
    Streams s = streams_new(tokens, n, B, T);
    Trace tr = trace_new(m, T, B);
    State state = state_new(m, B);
    int *in_tok = xalloc((size_t)T * (size_t)B, sizeof *in_tok);
    int *target = xalloc((size_t)T * (size_t)B, sizeof *target);
    size_t values = (size_t)m->L * 2 * (size_t)m->H;
    for (long batch = 0; batch < s.batches; batch++) {
        size_t at = (size_t)batch * (size_t)T;        /* the steps each stream has taken */
        int steps = streams_next(&s, in_tok, target);
        net_forward(m, &tr, steps, in_tok, NULL, &state, NULL);
        for (int t = 0; t < steps; t++)
            for (int b = 0; b < B; b++) {
                if (target[t * B + b] < 0) continue;
                size_t pos = s.start[b] + at + (size_t)t;
                /* ⟨add step t of stream b to the sums⟩ */
                #line 297 "chapters/07-inspect.nw"
                in->n++;
                for (int f = 0; f < feature_count; f++) {
                    double xf = x[(size_t)f * n + pos];
                    in->sx[f] += xf;
                    in->sxx[f] += xf * xf;
                }
                for (int l = 0; l < m->L; l++) {
                    const real *z = &MAT(tr.Z[l], t * B + b, 0);
                    for (int j = 0; j < 4 * m->H; j++) {
                        bool tanh_gate = j / m->H == 2;                 /* g; i, f, o are sigmoids */
                        in->low[(size_t)l * 4 * (size_t)m->H + (size_t)j] += z[j] < (tanh_gate ? -0.9 : 0.1);
                        in->high[(size_t)l * 4 * (size_t)m->H + (size_t)j] += z[j] > 0.9;
                    }
                    for (int sv = 0; sv < 2; sv++) {
                        const real *a = sv == 0 ? &MAT(tr.c[l], (t + 1) * B + b, 0)
                                                : &MAT(tr.h[l], (t + 1) * B + b, 0);
                        size_t base = ((size_t)l * 2 + (size_t)sv) * (size_t)m->H;
                        for (int k = 0; k < m->H; k++) {
                            double ak = a[k];
                            in->sa[base + (size_t)k] += ak;
                            in->saa[base + (size_t)k] += ak * ak;
                            for (int f = 0; f < feature_count; f++)
                                in->sxa[(size_t)f * values + base + (size_t)k] += x[(size_t)f * n + pos] * ak;
                        }
                    }
                }
            #line 287 "chapters/07-inspect.nw"
            }
    }
    free(in_tok); free(target); free(x);
    state_free(&state);
    trace_free(&tr);
    streams_free(&s);
}
/* ⟨read correlations and saturations from the sums⟩ */
#line 329 "chapters/07-inspect.nw"
double inspection_r(const Inspection *in, int f, int l, int sv, int k)
{
    size_t i = ((size_t)l * 2 + (size_t)sv) * (size_t)in->H + (size_t)k;
    size_t values = (size_t)in->L * 2 * (size_t)in->H;
    double N = (double)in->n;
    double vx = N * in->sxx[f] - in->sx[f] * in->sx[f];
    double va = N * in->saa[i] - in->sa[i] * in->sa[i];
    if (!(vx > 0) || !(va > 0)) return 0;   /* a constant: it tells nothing */
    double r = (N * in->sxa[(size_t)f * values + i] - in->sx[f] * in->sa[i]) / (sqrt(vx) * sqrt(va));
    return r > 1 ? 1 : r < -1 ? -1 : r;     /* rounding can step outside */
}

double inspection_saturated(const Inspection *in, int l, int j, bool high)
{
    const long *count = high ? in->high : in->low;
    return (double)count[(size_t)l * 4 * (size_t)in->H + (size_t)j] / (double)in->n;
}
/* ⟨rank the cells for a feature⟩ */
#line 354 "chapters/07-inspect.nw"
int inspection_best(const Inspection *in, int f, int count, CellRef *best)
{
    int found = 0;
    for (int l = 0; l < in->L; l++)
        for (int sv = 0; sv < 2; sv++)
            for (int k = 0; k < in->H; k++) {
                CellRef c = { l, sv, k, inspection_r(in, f, l, sv, k) };
                int at = found < count ? found++ : count;
                while (at > 0 && fabs(best[at - 1].r) < fabs(c.r)) {
                    if (at < count) best[at] = best[at - 1];
                    at--;
                }
                if (at < count) best[at] = c;
            }
    return found;
}
/* ⟨one cell's value after each character⟩ */
#line 389 "chapters/07-inspect.nw"
void cell_values(const Model *m, const int *tokens, size_t n, CellRef cell, real *v)
{
    if (cell.layer < 0 || cell.layer >= m->L || cell.state < 0 || cell.state > 1 ||
        cell.cell < 0 || cell.cell >= m->H)
        bug("cell_values: no cell %d/%d/%d in a %d x %d model",
                    cell.layer, cell.state, cell.cell, m->L, m->H);
    enum { PIECE = 256 };
    Trace tr = trace_new(m, PIECE, 1);
    State state = state_new(m, 1);
    for (size_t at = 0; at < n; at += PIECE) {
        int T = (int)(n - at < PIECE ? n - at : PIECE);
        net_forward(m, &tr, T, tokens + at, NULL, &state, NULL);
        const Matrix *a = cell.state == 0 ? &tr.c[cell.layer] : &tr.h[cell.layer];
        for (int t = 0; t < T; t++) v[at + (size_t)t] = MAT(*a, t + 1, cell.cell);
    }
    state_free(&state);
    trace_free(&tr);
}
/* ⟨the colour of a value⟩ */
#line 421 "chapters/07-inspect.nw"
static void colour_of(double v, double scale, int rgb[3])
{
    double a = scale > 0 ? v / scale : 0;
    a = a > 1 ? 1 : a < -1 ? -1 : a;
    int fade = (int)lround(255 * (1 - fabs(a)));       /* 255: white */
    rgb[0] = a < 0 ? fade : 255;
    rgb[1] = fade;
    rgb[2] = a > 0 ? fade : 255;
}

static void out(Buf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (len < 0 || (size_t)len >= sizeof tmp) bug("out: a piece of %d bytes", len);
    buf_bytes(b, tmp, (size_t)len);
}

/* A character as it appears in HTML or SVG text: escaped, newline as an arrow. */
static void out_char(Buf *b, uint32_t c)
{
    char u[4];
    if (c == '&') out(b, "&amp;");
    else if (c == '<') out(b, "&lt;");
    else if (c == '>') out(b, "&gt;");
    else if (c == '"') out(b, "&quot;");
    else if (c == '\n') out(b, "\xe2\x86\xb5");        /* U+21B5, the arrow */
    else if (c < 0x20 || c == 0x7f) out(b, "\xc2\xb7");  /* other controls: a dot */
    else buf_bytes(b, u, (size_t)utf8_encode(c, u));
}
/* ⟨write a page that colours a text by a cell⟩ */
#line 457 "chapters/07-inspect.nw"
bool inspect_page(const char *path, const char *title, const char *notes,
                  const uint32_t *cp, size_t n, const real *v, double scale,
                  char *why, size_t whylen)
{
    Buf b = {0};
    out(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>");
    for (const char *p = title; *p; p++) out_char(&b, (unsigned char)*p);
    out(&b, "</title>\n<style>body{font-family:sans-serif;max-width:62em;margin:2em auto;"
            "padding:0 1em}pre{font-size:15px;line-height:1.6;white-space:pre-wrap}"
            "pre span{padding:1px 0}</style>\n</head><body>\n<h1>");
    for (const char *p = title; *p; p++) out_char(&b, (unsigned char)*p);
    out(&b, "</h1>\n");
    buf_bytes(&b, notes, strlen(notes));           /* HTML of the caller's, of any length */
    out(&b, "\n<p>White is 0; red is positive and blue negative, full at &plusmn;%.4g. "
            "Hover over a character for its value.</p>\n<pre>", scale);
    for (size_t t = 0; t < n; t++) {
        int rgb[3];
        colour_of(v[t], scale, rgb);
        out(&b, "<span style=\"background:#%02x%02x%02x\" data-v=\"%.7g\" title=\"%zu: %.4f\">",
            rgb[0], rgb[1], rgb[2], (double)v[t], t, (double)v[t]);
        out_char(&b, cp[t]);
        out(&b, "</span>%s", cp[t] == '\n' ? "\n" : "");
    }
    out(&b, "</pre>\n</body></html>\n");
    bool ok = file_write_atomic(path, b.p, b.n, why, whylen);
    buf_free(&b);
    return ok;
}
/* ⟨draw a stretch of text coloured by a cell as SVG⟩ */
#line 493 "chapters/07-inspect.nw"
bool inspect_svg(const char *path, const uint32_t *cp, size_t n, const real *v, double scale,
                 char *why, size_t whylen)
{
    enum { COLUMNS = 80 };
    const double cw = 8.4, ch = 17;                  /* a character's box */
    size_t rows = 1, col = 0;
    for (size_t t = 0; t < n; t++) {                 /* count the rows first */
        if (col == COLUMNS) { rows++; col = 0; }
        col++;
        if (cp[t] == '\n' && t + 1 < n) { rows++; col = 0; }
    }
    Buf b = {0};
    out(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
            "font-family=\"DejaVu Sans Mono, monospace\" font-size=\"13\">\n",
        COLUMNS * cw + 8, (double)rows * ch + 8);
    out(&b, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
    size_t row = 0;
    col = 0;
    for (size_t t = 0; t < n; t++) {
        if (col == COLUMNS) { row++; col = 0; }
        int rgb[3];
        colour_of(v[t], scale, rgb);
        double x = 4 + (double)col * cw, y = 4 + (double)row * ch;
        out(&b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" fill=\"#%02x%02x%02x\"/>",
            x, y, cw, ch, rgb[0], rgb[1], rgb[2]);
        if (cp[t] != ' ') {
            out(&b, "<text x=\"%.1f\" y=\"%.1f\"%s>", x + 0.5, y + ch - 4.5,
                cp[t] == '\n' ? " fill=\"#888\"" : "");
            out_char(&b, cp[t]);
            out(&b, "</text>");
        }
        out(&b, "\n");
        col++;
        if (cp[t] == '\n') { row++; col = 0; }
    }
    out(&b, "</svg>\n");
    bool ok = file_write_atomic(path, b.p, b.n, why, whylen);
    buf_free(&b);
    return ok;
}
/* ⟨inspect.c functions⟩ */
