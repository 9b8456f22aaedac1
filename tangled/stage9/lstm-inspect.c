#line 601 "chapters/07-inspect.nw"
/* lstm-inspect — look inside a trained model: gate saturation, the cells
   that follow simple features of a text, and pages that colour the text
   by a cell. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "binio.h"
#include "inspect.h"
#include "modelfile.h"
#include "prog.h"

/* ⟨lstm-inspect options⟩ */
#line 665 "chapters/07-inspect.nw"
static long opt_from, opt_chars, opt_show, opt_svg, opt_top;
static const char *opt_out, *opt_cell, *opt_lang;
static bool opt_skip_unknown;
static const Option options[] = {
    { "from",  OPT_INT,    &opt_from,  "0",       0, 1e12, "N", "start at character N of the text" },
    { "chars", OPT_INT,    &opt_chars, "100000",  2, 2e6, "N", "read N characters, or to the end" },
    { "show",  OPT_INT,    &opt_show,  "1500",    1, 2e4, "N", "characters in each page" },
    { "svg",   OPT_INT,    &opt_svg,   "480",     1, 1e4, "N", "characters in each picture" },
    { "top",   OPT_INT,    &opt_top,   "3",       1, 100, "N", "cells listed per feature" },
    { "out",   OPT_STRING, &opt_out,   "inspect", 0, 0, "DIR", "folder for the pages and pictures" },
    { "cell",  OPT_STRING, &opt_cell,  NULL,      0, 0, "L/c|h/K", "also draw this cell, e.g. 2/c/17 (counted from 1)" },
    { "lang",  OPT_STRING, &opt_lang,  "und",     0, 0, "TAG", "the text's language, a BCP 47 tag such as en or zh, for the pages (und: not known)" },
    { "skip-unknown", OPT_FLAG, &opt_skip_unknown, NULL, 0, 0, NULL, "leave out characters the model does not know" },
    OPTIONS_END
};
static const Usage usage = {
    "lstm-inspect [OPTIONS] MODEL TEXT",
    "Run a trained model (a model file or a checkpoint) over a text (UTF-8, at most\n"
    "256 MiB) and report how saturated its gates are and which cells follow simple\n"
    "features of the text; write a page (HTML) and a picture (SVG) of the text\n"
    "coloured by each such cell.",
    options, 2, 2
};
/* ⟨what an inspection works on⟩ */
#line 695 "chapters/07-inspect.nw"
typedef struct {
    Model m;
    Text text;         /* the text read, from its start to the end of the stretch */
    size_t n;          /* the stretch: n characters from --from, those the model knows */
    uint32_t *cp;      /* n: its characters */
    int *tokens;       /* n: their tokens */
    double *x;         /* feature_count x n: the features, x[f n + t] */
    bool cell_asked;
    CellRef cell;      /* --cell */
    Inspection in;
    Buf saturation;    /* the saturation table, in HTML, for the pages */
} Look;

static void look_free(Look *k)
{
    buf_free(&k->saturation);
    inspection_free(&k->in);
    free(k->cp); free(k->tokens); free(k->x);
    text_free(&k->text);
    model_free(&k->m);
}
/* ⟨load the model⟩ */
#line 365 "chapters/06-sample.nw"
static Model load_model(const char *path)
{
    char why[800];
    Model m;
    if (!model_load(path, &m, why, sizeof why)) die("%s", why);
    return m;
}
/* ⟨parse a cell named on the command line⟩ */
#line 870 "chapters/07-inspect.nw"
static CellRef parse_cell(const char *s, const Model *m)
{
    long layer, cell;
    char state, end;
    if (sscanf(s, "%ld/%c/%ld%c", &layer, &state, &cell, &end) != 3 || (state != 'c' && state != 'h'))
        usage_error("--cell %s: write LAYER/c/CELL or LAYER/h/CELL, e.g. 2/c/17", s);
    if (layer < 1 || layer > m->L || cell < 1 || cell > m->H)
        usage_error("--cell %s: the model has layers 1 to %d and cells 1 to %d", s, m->L, m->H);
    return (CellRef){ (int)layer - 1, state == 'h', (int)cell - 1, NAN };
}
/* ⟨read the stretch of text to inspect⟩ */
#line 734 "chapters/07-inspect.nw"
static void read_stretch(Look *k, const char *path)
{
    char why[800];
    if (!text_read(path, (size_t)opt_from + (size_t)opt_chars, &k->text, why, sizeof why)) die("%s", why);
    const Text *t = &k->text;
    if (t->n < 2)
        die("%s has %zu character%s: too few to inspect (2 at least)", path, t->n, t->n == 1 ? "" : "s");
    if ((size_t)opt_from + 2 > t->n)
        usage_error("--from %ld: %s has %zu characters, so --from can be at most %zu",
                    opt_from, path, t->n, t->n - 2);
    size_t from = (size_t)opt_from, n = t->n - from;
    double *all = features_of(t->cp, t->n);
    Text stretch = { t->cp + from, n, 0 };
    for (size_t i = 0; i < from; i++) stretch.byte0 += t->cp[i] < 0x80 ? 1 : t->cp[i] < 0x800 ? 2 : t->cp[i] < 0x10000 ? 3 : 4;
    stretch.byte0 += t->byte0;
    int *tokens = xalloc(n, sizeof *tokens);
    size_t kept;
    if (!text_tokens(&stretch, &k->m.vocab, opt_skip_unknown, tokens, &kept, why, sizeof why))
        die("%s: %s", path, why);
    if (kept < 2) die("%s: fewer than 2 characters the model knows from character %zu", path, from);
    k->n = kept;
    k->tokens = tokens;
    k->cp = xalloc(kept, sizeof *k->cp);
    k->x = xalloc((size_t)feature_count * kept, sizeof *k->x);
    for (size_t i = 0, w = 0; i < n; i++) {            /* keep cp and x in step with the tokens */
        if (vocab_find(&k->m.vocab, stretch.cp[i]) < 0) continue;
        k->cp[w] = stretch.cp[i];
        for (int f = 0; f < feature_count; f++)
            k->x[(size_t)f * kept + w] = all[(size_t)f * t->n + from + i];
        w++;
    }
    free(all);
}
/* ⟨make the output folder⟩ */
#line 770 "chapters/07-inspect.nw"
static void make_output_folder(void)
{
    if (mkdir(opt_out, 0777) != 0 && errno != EEXIST)
        die("cannot create the folder %s: %s", opt_out, strerror(errno));
    struct stat st;
    if (stat(opt_out, &st) != 0 || !S_ISDIR(st.st_mode)) die("%s is not a folder (--out)", opt_out);
}
/* ⟨write a piece of HTML⟩ */
#line 856 "chapters/07-inspect.nw"
static void html(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void html(Buf *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (len < 0 || (size_t)len >= sizeof tmp) bug("html: a piece of HTML of %d bytes", len);
    buf_bytes(b, tmp, (size_t)len);
}
/* ⟨draw one cell as a page and a picture⟩ */
#line 887 "chapters/07-inspect.nw"
static void draw_cell(Look *k, CellRef c, const char *file, const char *what)
{
    size_t show = k->n < (size_t)opt_show ? k->n : (size_t)opt_show;
    real *v = xalloc(show, sizeof *v);
    cell_values(&k->m, k->tokens, show, c, v);
    double scale = 1;
    if (c.state == 0) {                      /* c has no bound: the largest shown */
        scale = 0;
        for (size_t t = 0; t < show; t++) scale = fmax(scale, fabs((double)v[t]));
    }
    char path[4200], title[200], notes[300], why[800];
    Buf page_notes = {0};
    snprintf(title, sizeof title, "Cell %d/%c/%d: %s", c.layer + 1, "ch"[c.state], c.cell + 1, what);
    if (isnan(c.r)) snprintf(notes, sizeof notes, "<p>Layer %d, %s, cell %d.</p>",
                             c.layer + 1, c.state ? "output h" : "cell state c", c.cell + 1);
    else snprintf(notes, sizeof notes, "<p>Layer %d, %s, cell %d: correlation %+.3f with the "
                  "feature.</p>", c.layer + 1, c.state ? "output h" : "cell state c", c.cell + 1, c.r);
    buf_bytes(&page_notes, notes, strlen(notes));
    buf_bytes(&page_notes, k->saturation.p, strlen((const char *)k->saturation.p) + 1);
    snprintf(path, sizeof path, "%s/%s.html", opt_out, file);
    if (!inspect_page(path, title, (const char *)page_notes.p, opt_lang, k->cp, show, v, scale,
                      why, sizeof why))
        die("%s", why);
    buf_free(&page_notes);
    snprintf(path, sizeof path, "%s/%s.svg", opt_out, file);
    size_t svg = show < (size_t)opt_svg ? show : (size_t)opt_svg;
    if (!inspect_svg(path, opt_lang, k->cp, svg, v, scale, why, sizeof why)) die("%s", why);
    free(v);
}
/* ⟨print the saturation of each layer's gates⟩ */
#line 785 "chapters/07-inspect.nw"
static void print_saturation(Look *k)
{
    const Model *m = &k->m;
    const Inspection *in = &k->in;
    printf("gate saturation over %ld characters (left: < 0.1, right: > 0.9; for g: < -0.9, > 0.9)\n",
           in->n);
    printf("%-6s %-5s %10s %10s %12s %12s\n", "layer", "gate", "left", "right", "units left", "units right");
    html(&k->saturation, "<h2>Gate saturation</h2>\n<p>Over %ld characters: the fraction of steps a "
         "gate is below 0.1 (left) or above 0.9 (right), for g below -0.9 or above 0.9, averaged over "
         "the units; and the units saturated on one side more than half the time.</p>\n<table>\n"
         "<tr><th>layer</th><th>gate</th><th>left</th><th>right</th><th>units left</th>"
         "<th>units right</th></tr>\n", in->n);
    for (int l = 0; l < m->L; l++)
        for (int g = 0; g < 4; g++) {
            double left = 0, right = 0;
            int units_left = 0, units_right = 0;
            for (int u = 0; u < m->H; u++) {
                double lo = inspection_saturated(in, l, g * m->H + u, false);
                double hi = inspection_saturated(in, l, g * m->H + u, true);
                left += lo / m->H; right += hi / m->H;
                units_left += lo > 0.5; units_right += hi > 0.5;
            }
            printf("%-6d %-5c %9.1f%% %9.1f%% %12d %12d\n", l + 1, "ifgo"[g],
                   100 * left, 100 * right, units_left, units_right);
            html(&k->saturation, "<tr><td>%d</td><td>%c</td><td>%.1f%%</td><td>%.1f%%</td><td>%d</td>"
                 "<td>%d</td></tr>\n", l + 1, "ifgo"[g], 100 * left, 100 * right, units_left, units_right);
        }
    html(&k->saturation, "</table>\n");
    buf_bytes(&k->saturation, "", 1);       /* end the string */
}
/* ⟨print the best cells for each feature and draw them⟩ */
#line 824 "chapters/07-inspect.nw"
static void print_best_cells(Look *k)
{
    const Inspection *in = &k->in;
    CellRef *best = xalloc((size_t)opt_top, sizeof *best);
    CellRef *first = xalloc((size_t)feature_count, sizeof *first);
    printf("\nthe cells that follow each feature most closely (r: correlation; L/c|h/K)\n");
    for (int f = 0; f < feature_count; f++) {
        double N = (double)in->n, vx = N * in->sxx[f] - in->sx[f] * in->sx[f];
        printf("%-14s %-40s", features[f].name, features[f].what);
        first[f].r = NAN;
        if (!(vx > 0)) {
            printf(" never changes in this text\n");
            continue;
        }
        int found = inspection_best(in, f, (int)opt_top, best);
        first[f] = best[0];
        for (int i = 0; i < found; i++)
            printf(" %d/%c/%d %+.3f", best[i].layer + 1, "ch"[best[i].state], best[i].cell + 1, best[i].r);
        printf("\n");
        draw_cell(k, best[0], features[f].name, features[f].what);
    }
    printf("\n");
    for (int f = 0; f < feature_count; f++)
        if (!isnan(first[f].r))
            printf("best for %s: %d/%c/%d, r = %+.2f\n", features[f].name, first[f].layer + 1,
                   "ch"[first[f].state], first[f].cell + 1, first[f].r);
    free(first);
    free(best);
}

/* A kind of model a later chapter adds that this program cannot show is
   refused here (chapter 9's models of words). */
static void refuse_a_later_kind(const Look *k, const char *path)
{
    /* ⟨refuse a model a later chapter's way that this program cannot show⟩ */
    /* ⟨refuse a model a later chapter's way that this program cannot show⟩, continued in 09-words.nw */
    #line 940 "chapters/09-words.nw"
    if (k->m.vocab.words > 0)
        die("%s is a model of words; lstm-inspect shows models of characters", path);
    #line 633 "chapters/07-inspect.nw"
    (void)k, (void)path;
}

int main(int argc, char **argv)
{
    prog_name = "lstm-inspect";
    parse_options(argc, argv, &usage);
    Look k = { .m = load_model(argv[1]) };
    refuse_a_later_kind(&k, argv[1]);
    k.cell_asked = opt_cell != NULL;
    if (k.cell_asked) k.cell = parse_cell(opt_cell, &k.m);   /* every argument, before any work */
    read_stretch(&k, argv[2]);
    make_output_folder();
    k.in = inspection_new(&k.m);
    double t0 = seconds_now();
    inspect_text(&k.m, k.tokens, k.x, k.n, 32, 100, &k.in);
    fprintf(stderr, "lstm-inspect: read %zu characters in %.1f s\n", k.n, seconds_now() - t0);
    print_saturation(&k);
    print_best_cells(&k);
    if (k.cell_asked) {
        draw_cell(&k, k.cell, "cell", "the cell asked for");
        printf("\ncell %s: drawn as %s/cell.html and %s/cell.svg\n", opt_cell, opt_out, opt_out);
    }
    look_free(&k);
    return finish();
}
