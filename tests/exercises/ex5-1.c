/* tests/exercises/ex5-1.c — exercise 5.1: schedule_warmup, a linear warm-up
 * in front of any schedule.  Run with `make exercise EX=5.1` after adding it
 * to chapter 5; it fails to link until then. */
#include <criterion/criterion.h>
#include <math.h>
#include "optim.h"

double schedule_warmup(const Schedule *s, long step, double epoch, long warmup);

Test(exercise_5_1, rises_linearly_then_follows_the_schedule)
{
    Schedule c = { SCHEDULE_CONSTANT, 0.004, 0, 0, 0, 0 };
    cr_assert_eq(schedule_warmup(&c, 0, 0, 100), 0);
    cr_assert(fabs(schedule_warmup(&c, 25, 0, 100) - 0.001) < 1e-15);
    cr_assert(fabs(schedule_warmup(&c, 50, 0, 100) - 0.002) < 1e-15);
    cr_assert_eq(schedule_warmup(&c, 100, 0, 100), 0.004);
    cr_assert_eq(schedule_warmup(&c, 5000, 3, 100), 0.004);
    Schedule st = { SCHEDULE_STEP, 0.004, 0.5, 1, 0, 0 };
    cr_assert_eq(schedule_warmup(&st, 200, 2.5, 100), 0.001);     /* after warm-up: the schedule */
    cr_assert_eq(schedule_warmup(&c, 7, 0, 0), 0.004);             /* no warm-up at all */
}
