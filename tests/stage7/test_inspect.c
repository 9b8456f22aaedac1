/* tests/stage7/test_inspect.c — the inspector against hand-worked features,
 * against stage 3's forward pass, and its statistics against the textbook
 * two-pass formulas in long double. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ref.h"
#include "inspect.h"

/* A model over the characters of cps, its weights uniform in [-w, w]: a
   large w makes the gates saturate, so the counts are not all zero. */
static Model model_over(const uint32_t *cps, int V, int H, int L, double w, uint64_t seed)
{
    Vocab v = { .size = V, .cp = (uint32_t *)cps };
    Model m = model_new(&v, H, L);
    Rng rng;
    rng_seed(&rng, seed, 0);
    mat_uniform(mat_view(m.params, 1, (int)m.count, (int)m.count), (real)-w, (real)w, &rng);
    return m;
}

static void random_text(const Model *m, size_t n, uint64_t seed, int *tok, uint32_t *cp)
{
    Rng rng;
    rng_seed(&rng, seed, 1);
    for (size_t t = 0; t < n; t++) {
        tok[t] = (int)rng_below(&rng, (uint32_t)m->V);
        cp[t] = m->vocab.cp[tok[t]];
    }
}

/* ------------------------------------------------------------ features */

/* A text with every case: a name at the start, a name after an empty line,
   a line ending in ':' that follows no empty line, nested brackets closed
   across lines, quotes inside and outside brackets, an accented letter. */
Test(features, equal_values_worked_out_by_hand)
{
    const char *s = "AB:\nx(y[z]\n\nKING:\n\"q\" \xc3\xa9)\nno:\n\"a\"b";
    uint32_t cp[64];
    size_t bad;
    const char *why;
    size_t n = utf8_decode((const unsigned char *)s, strlen(s), 0, cp, &bad, &why);
    cr_assert_eq(n, 33);
    static const char *const names[5] = { "line-position", "after-newline", "speaker-name",
                                           "in-brackets", "in-word" };
    static const double want[5][33] = {
        /* A  B  :  \n x  (  y  [  z  ]  \n \n K  I  N  G  :  \n "  q  "     é  )  \n n  o  :  \n "  a  "  b */
        {  1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 0, 0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 0, 1, 2, 3, 4 },
        {  0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0 },
        {  1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
        {  0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 0 },
        {  1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 1 },
    };
    double x[33];
    cr_assert(feature_count >= 5);
    for (int i = 0; i < 5; i++) {
        int f = feature_find(names[i]);
        cr_assert(f >= 0, "no feature %s", names[i]);
        cr_assert_str_eq(features[f].name, names[i]);
        feature_values(cp, n, f, x);
        for (size_t t = 0; t < n; t++)
            cr_assert_eq(x[t], want[i][t], "%s at character %zu: %g, by hand %g",
                         names[i], t, x[t], want[i][t]);
    }
    cr_assert_eq(feature_find("no-such-feature"), -1);
}

/* A text cut out of a longer one, beginning inside a quotation: the
   closing quote with no opening one says so, and everything before it is
   inside; straight quotes open after a space and close before one. */
Test(features, a_text_that_begins_inside_quotes_knows_it)
{
    const char *s = "ab\" cd \"ef\" g";
    uint32_t cp[32];
    size_t bad;
    const char *why;
    size_t n = utf8_decode((const unsigned char *)s, strlen(s), 0, cp, &bad, &why);
    double x[32];
    feature_values(cp, n, feature_find("in-brackets"), x);
    /*                         a  b  "     c  d     "  e  f  "     g */
    static const double want[] = { 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0 };
    cr_assert_eq(n, 13);
    for (size_t t = 0; t < n; t++)
        cr_assert_eq(x[t], want[t], "character %zu: %g, by hand %g", t, x[t], want[t]);
}

/* Brackets and letters of other scripts: CJK brackets and punctuation,
   curly quotation marks; the apostrophe of "don't" is no bracket. */
Test(features, brackets_and_letters_of_other_scripts)
{
    const char *s = "\xe7\x8e\x8b\xe6\x9b\xb0\xef\xbc\x9a\xe3\x80\x8c\xe5\x96\x84\xe3\x80\x82\xe3\x80\x8d"
                    " \xe2\x80\x9c" "don\xe2\x80\x99" "t\xe2\x80\x9d\xef\xbc\x8c\xce\xb1";
    /* 王 曰 ： 「 善 。 」 space “ d o n ’ t ” ， α: 17 characters */
    uint32_t cp[32];
    size_t bad;
    const char *why;
    size_t n = utf8_decode((const unsigned char *)s, strlen(s), 0, cp, &bad, &why);
    cr_assert_eq(n, 17);
    double br[32], le[32];
    feature_values(cp, n, feature_find("in-brackets"), br);
    feature_values(cp, n, feature_find("in-word"), le);
    static const double want_br[] = { 0, 0, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0 };
    static const double want_le[] = { 1, 1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0, 1, 0, 0, 1 };
    for (size_t t = 0; t < n; t++) {
        cr_assert_eq(br[t], want_br[t], "in-brackets at character %zu (U+%04X): %g", t, (unsigned)cp[t], br[t]);
        cr_assert_eq(le[t], want_le[t], "in-word at character %zu (U+%04X): %g", t, (unsigned)cp[t], le[t]);
    }
}

/* ------------------------------------------------------------ one cell */

/* Read in pieces of 256, a cell's values equal those of stage 3's forward
   pass over the whole text in one piece.  The two do the same operations
   for each row, so they agree to the bit. */
Test(cell, values_equal_stage_3s_states_and_the_page_holds_them)
{
    const uint32_t cps[6] = { '\n', ' ', '&', '<', 'a', 'b' };
    Model m = model_over(cps, 6, 8, 2, 0.5, 71);
    enum { N = 700 };
    int tok[N];
    uint32_t cp[N];
    random_text(&m, N, 72, tok, cp);
    Trace tr = trace_new(&m, N, 1);
    State st = state_new(&m, 1);
    net_forward(&m, &tr, N, tok, NULL, &st, NULL);
    real v[N];
    for (int l = 0; l < 2; l++)
        for (int sv = 0; sv < 2; sv++)
            for (int k = 0; k < 8; k += 3) {
                CellRef c = { l, sv, k, NAN };
                cell_values(&m, tok, N, c, v);
                const Matrix *a = sv == 0 ? &tr.c[l] : &tr.h[l];
                for (int t = 0; t < N; t++)
                    cr_assert_eq(v[t], MAT(*a, t + 1, k), "layer %d %c cell %d, step %d: %.9g vs %.9g",
                                 l, "ch"[sv], k, t, (double)v[t], (double)MAT(*a, t + 1, k));
            }

    /* The page: one span per character, whose data-v is the value (printed
       with 7 significant digits, so within 5e-7 of it, relatively). */
    CellRef c = { 1, 0, 5, NAN };
    cell_values(&m, tok, N, c, v);
    char path[] = "/tmp/inspect-page-XXXXXX", why[600];
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    cr_assert(inspect_page(path, "a <test> & more", "<p>notes</p>", "und", cp, N, v, 2.0, why, sizeof why), "%s", why);
    FILE *f = fopen(path, "r");
    cr_assert(f);
    static char page[1 << 20];
    size_t len = fread(page, 1, sizeof page - 1, f);
    fclose(f);
    unlink(path);
    page[len] = 0;
    cr_assert(strstr(page, "<title>a &lt;test&gt; &amp; more</title>"), "the title is escaped");
    size_t spans = 0;
    for (char *p = strstr(page, "data-v=\""); p; p = strstr(p + 1, "data-v=\"")) {
        cr_assert(spans < N, "more spans than characters");
        double got = strtod(p + 8, NULL);
        cr_assert(fabs(got - (double)v[spans]) <= 5e-7 * fabs((double)v[spans]) + 1e-30,
                  "character %zu: the page says %.9g, the cell %.9g", spans, got, (double)v[spans]);
        const char *ch = strstr(p, "\">") + 2;         /* past the title attribute */
        uint32_t want = cp[spans];
        if (want == '<') cr_assert(strncmp(ch, "&lt;</span>", 11) == 0, "'<' escaped, at %zu", spans);
        if (want == '&') cr_assert(strncmp(ch, "&amp;</span>", 12) == 0, "'&' escaped, at %zu", spans);
        if (want == 'a') cr_assert(strncmp(ch, "a</span>", 8) == 0, "'a' as itself, at %zu", spans);
        spans++;
    }
    cr_assert_eq(spans, N, "%zu spans for %d characters", spans, N);
    trace_free(&tr);
    state_free(&st);
    model_free(&m);
}

/* ------------------------------------------------------------ statistics */

static const uint32_t text_cps[8] = { '\n', ' ', '"', '(', ')', ':', 'B', 'a' };

/* The textbook correlation: subtract the means first, in long double. */
static ld pearson(const ld *x, const ld *a, size_t n)
{
    ld mx = 0, ma = 0;
    for (size_t t = 0; t < n; t++) { mx += x[t]; ma += a[t]; }
    mx /= (ld)n; ma /= (ld)n;
    ld sxa = 0, sxx = 0, saa = 0;
    for (size_t t = 0; t < n; t++) {
        sxa += (x[t] - mx) * (a[t] - ma);
        sxx += (x[t] - mx) * (x[t] - mx);
        saa += (a[t] - ma) * (a[t] - ma);
    }
    return sxx > 0 && saa > 0 ? sxa / sqrtl(sxx * saa) : 0;
}

/* Read as B streams of T steps, the statistics equal those computed here from
   stage 3's states, each stream run on its own over its part of the text
   (stream b reads characters start[b] .. start[b+1] - 1 from a zero state),
   with the two-pass formula in long double.  The states agree to the bit (the
   same operations per row), so what is left is the difference between the
   one-pass sums in double and the two-pass ones: 1e-9 is far above it. */
static void check_statistics(int B, int T)
{
    enum { N = 300, H = 6, L = 2 };
    Model m = model_over(text_cps, 8, H, L, 1.5, 81);
    int tok[N];
    uint32_t cp[N];
    random_text(&m, N, 82, tok, cp);
    Inspection in = inspection_new(&m);
    { double *fx = features_of(cp, N); inspect_text(&m, tok, fx, N, B, T, &in); free(fx); }
    cr_assert_eq(in.n, N - 1, "every character but the last is read once: %ld", in.n);

    enum { F_MAX = 16 };
    cr_assert(feature_count <= F_MAX);
    static ld x[F_MAX][N], a[L][2][H][N];
    static double feat[N];
    static long low[L][4 * H], high[L][4 * H];
    memset(low, 0, sizeof low);
    memset(high, 0, sizeof high);
    for (int f = 0; f < feature_count; f++) {
        feature_values(cp, N, f, feat);
        for (size_t t = 0; t < N - 1; t++) x[f][t] = feat[t];
    }
    Streams s = streams_new(tok, N, B, T);
    for (int b = 0; b < B; b++) {
        size_t from = s.start[b], to = s.start[b + 1];   /* inputs from .. to - 1 */
        int len = (int)(to - from);
        Trace tr = trace_new(&m, len, 1);
        State st = state_new(&m, 1);
        net_forward(&m, &tr, len, tok + from, NULL, &st, NULL);
        for (int t = 0; t < len; t++) {
            for (int l = 0; l < L; l++) {
                for (int k = 0; k < H; k++) {
                    a[l][0][k][from + (size_t)t] = MAT(tr.c[l], t + 1, k);
                    a[l][1][k][from + (size_t)t] = MAT(tr.h[l], t + 1, k);
                }
                for (int j = 0; j < 4 * H; j++) {
                    double z = MAT(tr.Z[l], t, j);
                    bool g = j >= 2 * H && j < 3 * H;
                    low[l][j] += g ? z < -0.9 : z < 0.1;
                    high[l][j] += z > 0.9;
                }
            }
        }
        trace_free(&tr);
        state_free(&st);
    }
    streams_free(&s);

    long saturated = 0;
    for (int l = 0; l < L; l++)
        for (int j = 0; j < 4 * H; j++) {
            cr_assert_eq(in.low[l * 4 * H + j], low[l][j], "layer %d gate unit %d: left-saturated "
                         "%ld times, stage 3 says %ld", l, j, in.low[l * 4 * H + j], low[l][j]);
            cr_assert_eq(in.high[l * 4 * H + j], high[l][j], "layer %d gate unit %d: right-saturated "
                         "%ld times, stage 3 says %ld", l, j, in.high[l * 4 * H + j], high[l][j]);
            cr_assert_eq(inspection_saturated(&in, l, j, true), (double)high[l][j] / (N - 1));
            saturated += low[l][j] + high[l][j];
        }
    cr_assert(saturated > 0, "the weights were meant to saturate some gates");

    int nonzero = 0;
    for (int f = 0; f < feature_count; f++)
        for (int l = 0; l < L; l++)
            for (int sv = 0; sv < 2; sv++)
                for (int k = 0; k < H; k++) {
                    ld want = pearson(x[f], a[l][sv][k], N - 1);
                    double got = inspection_r(&in, f, l, sv, k);
                    cr_assert(fabsl((ld)got - want) <= 1e-9L, "B %d, %s, layer %d %c cell %d: r %.12f, "
                              "two-pass %.12Lf", B, features[f].name, l, "ch"[sv], k, got, want);
                    nonzero += fabsl(want) > 0.05L;
                }
    cr_assert(nonzero > 10, "a random text should still give some correlations");
    inspection_free(&in);
    model_free(&m);
}

Test(statistics, one_stream_equals_the_two_pass_formulas)    { check_statistics(1, 299); }
Test(statistics, streams_in_pieces_equal_the_two_pass_formulas) { check_statistics(3, 7); }

/* A feature that never changes correlates with nothing: r is 0, not NaN. */
Test(statistics, a_constant_feature_gives_zero)
{
    const uint32_t cps[2] = { 'a', 'b' };
    Model m = model_over(cps, 2, 4, 1, 0.5, 91);
    int tok[50];
    uint32_t cp[50];
    random_text(&m, 50, 92, tok, cp);
    Inspection in = inspection_new(&m);
    { double *fx = features_of(cp, 50); inspect_text(&m, tok, fx, 50, 2, 10, &in); free(fx); }
    for (int k = 0; k < 4; k++) {
        cr_assert_eq(inspection_r(&in, feature_find("in-brackets"), 0, 0, k), 0.0, "no brackets, no correlation");
        cr_assert_eq(inspection_r(&in, feature_find("speaker-name"), 0, 1, k), 0.0, "no names, no correlation");
    }
    inspection_free(&in);
    model_free(&m);
}

/* The best cells come out sorted by |r|, the first the largest of all. */
Test(statistics, best_cells_are_sorted_by_the_size_of_r)
{
    enum { H = 7, L = 2 };
    Model m = model_over(text_cps, 8, H, L, 1.0, 95);
    int tok[400];
    uint32_t cp[400];
    random_text(&m, 400, 96, tok, cp);
    Inspection in = inspection_new(&m);
    { double *fx = features_of(cp, 400); inspect_text(&m, tok, fx, 400, 4, 25, &in); free(fx); }
    for (int f = 0; f < feature_count; f++) {
        double largest = 0;
        for (int l = 0; l < L; l++)
            for (int sv = 0; sv < 2; sv++)
                for (int k = 0; k < H; k++) largest = fmax(largest, fabs(inspection_r(&in, f, l, sv, k)));
        CellRef best[5];
        cr_assert_eq(inspection_best(&in, f, 5, best), 5);
        cr_assert_eq(fabs(best[0].r), largest, "%s: the first has |r| %g, the largest is %g",
                     features[f].name, fabs(best[0].r), largest);
        for (int i = 0; i < 5; i++) {
            cr_assert_eq(best[i].r, inspection_r(&in, f, best[i].layer, best[i].state, best[i].cell));
            if (i > 0) cr_assert(fabs(best[i - 1].r) >= fabs(best[i].r), "%s: out of order at %d",
                                 features[f].name, i);
        }
        CellRef all[2 * L * H + 3];
        cr_assert_eq(inspection_best(&in, f, 2 * L * H + 3, all), 2 * L * H, "there are only 2LH values");
    }
    inspection_free(&in);
    model_free(&m);
}
