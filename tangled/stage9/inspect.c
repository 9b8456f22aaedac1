#line 562 "chapters/07-inspect.nw"
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
#line 107 "chapters/07-inspect.nw"
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
#line 127 "chapters/07-inspect.nw"
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
#line 146 "chapters/07-inspect.nw"
/* Opening and closing brackets (Ps, Pe) and paired quotation marks; pair k
   is opening[k] ... closing[k]. */
static const uint32_t opening[] = { '(', '[', '{', 0x201C, 0x00AB, 0x2039, 0x2045, 0x27E8, 0x3008,
                                    0x300A, 0x300C, 0x300E, 0x3010, 0x3014, 0x3016, 0x3018, 0x301A,
                                    0xFF08, 0xFF3B, 0xFF5B, 0xFF5F, 0xFF62 };
static const uint32_t closing[] = { ')', ']', '}', 0x201D, 0x00BB, 0x203A, 0x2046, 0x27E9, 0x3009,
                                    0x300B, 0x300D, 0x300F, 0x3011, 0x3015, 0x3017, 0x3019, 0x301B,
                                    0xFF09, 0xFF3D, 0xFF5D, 0xFF60, 0xFF63 };

static bool one_of(uint32_t c, const uint32_t *set, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (set[k] == c) return true;
    return false;
}

static bool is_space(uint32_t c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == 0x3000; }

/* +1 if character t opens, -1 if it closes, 0 if neither. */
static int bracket(const uint32_t *cp, size_t n, size_t t)
{
    uint32_t c = cp[t];
    if (one_of(c, opening, sizeof opening / sizeof opening[0])) return +1;
    if (one_of(c, closing, sizeof closing / sizeof closing[0])) return -1;
    if (c != '"') return 0;
    bool after_space = t == 0 || is_space(cp[t - 1])
                       || one_of(cp[t - 1], opening, sizeof opening / sizeof opening[0]);
    bool before_text = t + 1 < n && !is_space(cp[t + 1]);
    return after_space && before_text ? +1 : -1;
}

static void in_brackets(const uint32_t *cp, size_t n, double *x)
{
    long depth = 0;
    size_t outside_from = 0;            /* after the last closing bracket with no opening one */
    for (size_t t = 0; t < n; t++) {
        int b = bracket(cp, n, t);
        if (b > 0) depth++;
        x[t] = depth > 0 || b < 0;
        if (b < 0 && depth > 0) depth--;
        else if (b < 0) {               /* the text began inside: all before this was inside */
            for (size_t s = outside_from; s < t; s++) x[s] = 1;
            outside_from = t + 1;
        }
    }
}

/* Ranges of letters (general category L), for the scripts the book might meet. */
static const uint32_t letters[][2] = {
    { 'A', 'Z' }, { 'a', 'z' }, { 0xAA, 0xAA }, { 0xB5, 0xB5 }, { 0xBA, 0xBA }, { 0xC0, 0xD6 },
    { 0xD8, 0xF6 }, { 0xF8, 0x2C1 }, { 0x370, 0x374 }, { 0x376, 0x37D }, { 0x386, 0x386 },
    { 0x388, 0x3F5 }, { 0x3F7, 0x481 }, { 0x48A, 0x52F }, { 0x531, 0x556 }, { 0x561, 0x587 },
    { 0x5D0, 0x5EA }, { 0x620, 0x64A }, { 0x671, 0x6D3 }, { 0x904, 0x939 }, { 0x1E00, 0x1FBC },
    { 0x3041, 0x3096 }, { 0x30A1, 0x30FA }, { 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF },
    { 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF }, { 0xFF21, 0xFF3A }, { 0xFF41, 0xFF5A }, { 0xFF66, 0xFF9F },
    { 0x20000, 0x2FA1F },
};

bool is_letter(uint32_t c)
{
    for (size_t k = 0; k < sizeof letters / sizeof letters[0]; k++)
        if (c >= letters[k][0] && c <= letters[k][1]) return true;
    return false;
}

static void in_word(const uint32_t *cp, size_t n, double *x)
{
    for (size_t t = 0; t < n; t++) x[t] = is_letter(cp[t]);
}

const Feature features[] = {
    /* ⟨the table of features⟩ */
    #line 218 "chapters/07-inspect.nw"
    { "line-position", "characters since the start of the line", line_position },
    { "after-newline", "a newline was just read",                after_newline },
    { "speaker-name",  "inside a speaker's name",                speaker_name },
    { "in-brackets",   "inside brackets or double quotes",       in_brackets },
    { "in-word",       "on a letter",                            in_word },
#line 86 "chapters/07-inspect.nw"
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
#line 305 "chapters/07-inspect.nw"
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
#line 346 "chapters/07-inspect.nw"
double *features_of(const uint32_t *cp, size_t n)
{
    double *x = xalloc((size_t)feature_count * (n ? n : 1), sizeof *x);   /* x[f n + t] */
    for (int f = 0; f < feature_count; f++) feature_values(cp, n, f, x + (size_t)f * n);
    return x;
}

void inspect_text(const Model *m, const int *tokens, const double *x, size_t n,
                  int B, int T, Inspection *in)
{
    if (n < 2) bug("inspect_text: %zu characters, need 2", n);
    if ((size_t)B > n - 1) B = (int)(n - 1);
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
                #line 383 "chapters/07-inspect.nw"
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
            #line 373 "chapters/07-inspect.nw"
            }
    }
    free(in_tok); free(target);
    state_free(&state);
    trace_free(&tr);
    streams_free(&s);
}
/* ⟨read correlations and saturations from the sums⟩ */
#line 415 "chapters/07-inspect.nw"
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
#line 440 "chapters/07-inspect.nw"
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
#line 475 "chapters/07-inspect.nw"
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
#line 13 "chapters/D1-pages.nw"
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
#line 49 "chapters/D1-pages.nw"
bool inspect_page(const char *path, const char *title, const char *notes, const char *lang,
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
            "Hover over a character for its value.</p>\n<pre lang=\"%s\">", scale, lang);
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
#line 90 "chapters/D1-pages.nw"
/* The columns a character takes in a monospaced font: 2 for the wide and
   full-width characters of East Asian scripts, 1 for the others. */
static int display_width(uint32_t c)
{
    static const uint32_t wide[][2] = {
        { 0x1100, 0x115F }, { 0x2E80, 0x303E }, { 0x3041, 0x33FF }, { 0x3400, 0x4DBF },
        { 0x4E00, 0x9FFF }, { 0xA000, 0xA4CF }, { 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF },
        { 0xFE30, 0xFE4F }, { 0xFF00, 0xFF60 }, { 0xFFE0, 0xFFE6 }, { 0x1F300, 0x1F64F },
        { 0x1F900, 0x1F9FF }, { 0x20000, 0x3FFFD },
    };
    for (size_t k = 0; k < sizeof wide / sizeof wide[0]; k++)
        if (c >= wide[k][0] && c <= wide[k][1]) return 2;
    return 1;
}

bool inspect_svg(const char *path, const char *lang, const uint32_t *cp, size_t n, const real *v,
                 double scale, char *why, size_t whylen)
{
    enum { COLUMNS = 80 };
    const double cw = 8.4, ch = 17;                  /* a column's box */
    size_t rows = 1, col = 0;
    for (size_t t = 0; t < n; t++) {                 /* count the rows first */
        int w = display_width(cp[t]);
        if (col + (size_t)w > COLUMNS) { rows++; col = 0; }
        col += (size_t)w;
        if (cp[t] == '\n' && t + 1 < n) { rows++; col = 0; }
    }
    Buf b = {0};
    out(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" xml:lang=\"%s\" width=\"%.0f\" height=\"%.0f\" "
            "font-family=\"DejaVu Sans Mono, monospace\" font-size=\"13\">\n",
        lang, COLUMNS * cw + 8, (double)rows * ch + 8);
    out(&b, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
    size_t row = 0;
    col = 0;
    for (size_t t = 0; t < n; t++) {
        int w = display_width(cp[t]), rgb[3];
        if (col + (size_t)w > COLUMNS) { row++; col = 0; }
        colour_of(v[t], scale, rgb);
        double x = 4 + (double)col * cw, y = 4 + (double)row * ch;
        out(&b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" fill=\"#%02x%02x%02x\"/>",
            x, y, w * cw, ch, rgb[0], rgb[1], rgb[2]);
        if (cp[t] != ' ') {
            out(&b, "<text x=\"%.1f\" y=\"%.1f\"%s>", x + 0.5, y + ch - 4.5,
                cp[t] == '\n' ? " fill=\"#888\"" : "");
            out_char(&b, cp[t]);
            out(&b, "</text>");
        }
        out(&b, "\n");
        col += (size_t)w;
        if (cp[t] == '\n') { row++; col = 0; }
    }
    out(&b, "</svg>\n");
    bool ok = file_write_atomic(path, b.p, b.n, why, whylen);
    buf_free(&b);
    return ok;
}
/* ⟨inspect.c functions⟩ */
