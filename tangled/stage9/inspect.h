#line 518 "chapters/07-inspect.nw"
/* inspect.h — features of a text, the statistics of a model run over it,
   one cell's values, and pictures of them. */
#ifndef INSPECT_H
#define INSPECT_H
#include "data.h"

/* ⟨the features of a text⟩ */
#line 72 "chapters/07-inspect.nw"
typedef struct {
    const char *name;   /* "line-position" */
    const char *what;   /* a phrase for the report */
    void (*values)(const uint32_t *cp, size_t n, double *x);   /* x[t] after character t */
} Feature;
extern const Feature features[];
extern const int feature_count;
/* ⟨the statistics of a run over a text⟩ */
#line 289 "chapters/07-inspect.nw"
typedef struct {
    int L, H;
    long n;          /* the characters read */
    long *low;       /* L x 4H: the steps each gate unit was left-saturated */
    long *high;      /* L x 4H: ... and right-saturated */
    double *sx, *sxx;  /* feature_count: the sum of each feature and of its square */
    double *sa;      /* L x 2 x H: the sum of each value (0: c, 1: h) */
    double *saa;     /* L x 2 x H: ... of its square */
    double *sxa;     /* feature_count x L x 2 x H: ... of it times each feature */
} Inspection;
/* ⟨a reference to one cell⟩ */
#line 459 "chapters/07-inspect.nw"
typedef struct {
    int layer;     /* from 0 */
    int state;     /* 0: c, 1: h */
    int cell;      /* from 0 */
    double r;      /* its correlation with the feature it was ranked for */
} CellRef;

int  feature_find(const char *name);                 /* its index, or -1 */
/* x[t] = feature f after character t, for t < n. */
void feature_values(const uint32_t *cp, size_t n, int f, double *x);

Inspection inspection_new(const Model *m);           /* all sums zero */
void inspection_free(Inspection *in);
/* x[f n + t] = feature f after character t, for t < n; free it with free(). */
double *features_of(const uint32_t *cp, size_t n);
/* Read tokens[0 .. n) (whose features are x, as features_of gives them) as
   B streams, T steps at a time, and add every step's gates and states to the
   sums of in. */
void inspect_text(const Model *m, const int *tokens, const double *x, size_t n,
                  int B, int T, Inspection *in);
bool is_letter(uint32_t c);   /* Unicode's general category L, for the scripts of the table */
double inspection_r(const Inspection *in, int f, int l, int sv, int k);
double inspection_saturated(const Inspection *in, int l, int j, bool high);
/* The count values with the largest |r| for feature f, best first, into
   best; returns how many were written (count, or fewer in a tiny model). */
int  inspection_best(const Inspection *in, int f, int count, CellRef *best);

/* v[t] = the cell's value after reading tokens[0 .. t], one stream from zero. */
void cell_values(const Model *m, const int *tokens, size_t n, CellRef cell, real *v);
/* An HTML page (path) and an SVG picture of cp[0 .. n) coloured by v; lang
   is the text's language, as a BCP 47 tag ("und": not known). */
bool inspect_page(const char *path, const char *title, const char *notes, const char *lang,
                  const uint32_t *cp, size_t n, const real *v, double scale,
                  char *why, size_t whylen);
bool inspect_svg(const char *path, const char *lang, const uint32_t *cp, size_t n, const real *v,
                 double scale, char *why, size_t whylen);
/* ⟨inspect.h declarations⟩ */
#line 558 "chapters/07-inspect.nw"
#endif
