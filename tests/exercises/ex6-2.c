/* tests/exercises/ex6-2.c — exercise 6.2: keep_min_p, the min-p rule: keep
 * the characters at least m times as probable as the most probable one, and
 * renormalise.  Run with `make exercise EX=6.2` after adding it to chapter 6.
 * It fails to link until the function exists; its checks fail until it
 * agrees with distributions worked by hand. */
#include <criterion/criterion.h>
#include <math.h>
#include "sample.h"

void keep_min_p(double *q, int V, double m);

static void expect(const double *q, const double *want, int V, const char *what)
{
    for (int k = 0; k < V; k++)
        cr_assert(fabs(q[k] - want[k]) <= 1e-15, "%s: q[%d] = %.17g, worked by hand %.17g",
                  what, k, q[k], want[k]);
}

Test(exercise_6_2, distributions_worked_by_hand)
{
    /* m = 0.2: the bar is 0.2 x 0.5 = 0.1; 0.05 goes, the rest share 0.95. */
    double q[4] = { 0.15, 0.5, 0.05, 0.3 };
    keep_min_p(q, 4, 0.2);
    expect(q, (const double[]){ 0.15 / 0.95, 0.5 / 0.95, 0, 0.3 / 0.95 }, 4, "m = 0.2");
    /* m = 0.3: the bar 0.15 is met exactly, and what meets it is kept. */
    double r[4] = { 0.15, 0.5, 0.05, 0.3 };
    keep_min_p(r, 4, 0.3);
    expect(r, (const double[]){ 0.15 / 0.95, 0.5 / 0.95, 0, 0.3 / 0.95 }, 4, "m = 0.3");
    /* m = 1: only the most probable, and both of a tie. */
    double s[3] = { 0.4, 0.2, 0.4 };
    keep_min_p(s, 3, 1);
    expect(s, (const double[]){ 0.5, 0, 0.5 }, 3, "m = 1, a tie");
    /* m = 0: nothing changes. */
    double u[3] = { 0.7, 0.2, 0.1 };
    keep_min_p(u, 3, 0);
    expect(u, (const double[]){ 0.7, 0.2, 0.1 }, 3, "m = 0");
}

Test(exercise_6_2, what_is_kept_still_adds_up_to_one)
{
    double q[65], sum = 0;
    for (int k = 0; k < 65; k++) sum += q[k] = exp(-0.1 * k);
    for (int k = 0; k < 65; k++) q[k] /= sum;
    keep_min_p(q, 65, 0.01);    /* e^(-0.1 k) >= 0.01 for k <= 46 */
    double total = 0;
    for (int k = 0; k < 65; k++) {
        total += q[k];
        cr_assert((k <= 46) == (q[k] > 0), "character %d (p proportional to e^-%.1f): %s",
                  k, 0.1 * k, q[k] > 0 ? "kept, but it is below the bar" : "dropped, but it meets the bar");
    }
    cr_assert(fabs(total - 1) <= 1e-14, "the kept probabilities add up to %.17g", total);
}
