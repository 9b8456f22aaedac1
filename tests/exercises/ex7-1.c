/* tests/exercises/ex7-1.c — exercise 7.1: the feature line-in-speech, the
 * number of lines since the speaker's name.  Run with `make exercise EX=7.1`
 * after adding it to chapter 7; until then it skips itself (the feature is
 * not found), which make exercise and make grade report as not attempted.  Checked against values worked out by hand on a small play. */
#include <criterion/criterion.h>
#include <string.h>
#include "inspect.h"

Test(exercise_7_1, lines_since_the_speakers_name)
{
    /* A line and an empty line before any name, a speech of two lines and
       an empty line, a second speech; a newline belongs to the line it ends.
       (A name, as chapter 7 defines it, follows an empty line.) */
    const char *s = "zz\n\nA:\nab\ncd\n\nB:\nx\n";
    static const double want[] = {
        0, 0, 0,        /* zz\n  before any name */
        0,              /* \n */
        0, 0, 0,        /* A:\n  the name's own line */
        1, 1, 1,        /* ab\n */
        2, 2, 2,        /* cd\n */
        3,              /* \n    the empty line after the speech */
        0, 0, 0,        /* B:\n  a new name */
        1, 1,           /* x\n */
    };
    size_t n = strlen(s);
    cr_assert_eq(n, sizeof want / sizeof want[0]);
    uint32_t cp[32];
    for (size_t t = 0; t < n; t++) cp[t] = (unsigned char)s[t];
    int f = feature_find("line-in-speech");
    if (f < 0) cr_skip_test("there is no feature named line-in-speech yet");
    double x[32];
    feature_values(cp, n, f, x);
    for (size_t t = 0; t < n; t++)
        cr_assert_eq(x[t], want[t], "character %zu: %g, by hand %g", t, x[t], want[t]);
}
