/* tests/exercises/ex9-4.c — exercise 9.4: embed_nearest, the tokens whose
 * rows of the table point most nearly the way token k's does.  Run with
 * `make exercise EX=9.4` after adding it to chapter 9; it fails to link
 * until then.  Checked against every pair's cosine, worked out here in long
 * double, on random tables; and on a table made so that the answer is
 * known. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include "model.h"

int embed_nearest(const Model *m, int k, int *out, int n);

static long double cosine(const Model *m, int a, int b)
{
    long double ab = 0, aa = 0, bb = 0;
    for (int e = 0; e < m->E; e++) {
        long double x = MAT(m->emb, a, e), y = MAT(m->emb, b, e);
        ab += x * y, aa += x * x, bb += y * y;
    }
    return ab / sqrtl(aa * bb);
}

Test(exercise_9_4, the_nearest_rows_by_cosine_most_similar_first)
{
    uint32_t cps[20];
    for (int k = 0; k < 20; k++) cps[k] = 'a' + (uint32_t)k;
    Vocab v = { .size = 20, .cp = cps };
    for (uint64_t seed = 1; seed <= 5; seed++) {
        Model m = model_new_embedded(&v, 6, 4, 1);
        Rng rng;
        rng_seed(&rng, seed, 2);
        model_init(&m, &rng);
        for (int k = 0; k < 20; k += 3) {
            int got[5];
            cr_assert_eq(embed_nearest(&m, k, got, 5), 5);
            for (int i = 0; i < 5; i++) {
                cr_assert_neq(got[i], k, "token %d is its own neighbour", k);
                if (i) cr_assert_geq(cosine(&m, k, got[i - 1]), cosine(&m, k, got[i]), "not the most similar first");
            }
            for (int j = 0; j < 20; j++) {              /* nothing left out is nearer than the fifth */
                bool in = j == k;
                for (int i = 0; i < 5; i++) in |= got[i] == j;
                if (!in) cr_assert_leq(cosine(&m, k, j), cosine(&m, k, got[4]) + 1e-6L,
                                       "token %d is nearer to %d than the fifth given", j, k);
            }
        }
        int all[19];
        cr_assert_eq(embed_nearest(&m, 0, all, 50), 19, "at most V - 1 neighbours");
        model_free(&m);
    }
    /* a table made so: rows 0..4 point along the first axis, at lengths 1..5;
       the others elsewhere.  Token 0's neighbours are 1..4, whatever their lengths. */
    Model m = model_new_embedded(&v, 3, 4, 1);
    mat_fill(m.emb, 0);
    for (int k = 0; k < 20; k++) {
        MAT(m.emb, k, 0) = k < 5 ? (real)(k + 1) : (real)0.1;
        MAT(m.emb, k, 1 + k % 2) = k < 5 ? 0 : (real)(k + 1);
    }
    int got[4];
    cr_assert_eq(embed_nearest(&m, 0, got, 4), 4);
    for (int i = 0; i < 4; i++) cr_assert(got[i] >= 1 && got[i] <= 4, "got token %d", got[i]);
    model_free(&m);
}
