#line 923 "chapters/01-kernels.nw"
/* lstm-kernels — check every kernel against its textbook definition, and
   measure the product kernels on LSTM-shaped products. */
#include <stdio.h>
#include <stdlib.h>
#include "kcheck.h"
#include "prog.h"

/* ⟨the options of lstm-kernels⟩ */
#line 954 "chapters/01-kernels.nw"
static long opt_seed, opt_cases, opt_repeat;
static bool opt_no_check, opt_no_time;
static const Option options[] = {
    { "seed",     OPT_INT,  &opt_seed,   "1",  0, 4e9,  "N", "seed of the random inputs" },
    { "cases",    OPT_INT,  &opt_cases,  "50", 1, 1e5,  "N", "random shapes per kernel check" },
    { "repeat",   OPT_INT,  &opt_repeat, "5",  1, 1000, "N", "timed runs per measurement; the median is shown" },
    { "no-check", OPT_FLAG, &opt_no_check, NULL, 0, 0,  NULL, "skip the checks" },
    { "no-time",  OPT_FLAG, &opt_no_time,  NULL, 0, 0,  NULL, "skip the timing" },
    OPTIONS_END
};
static const Usage usage = {
    "lstm-kernels [OPTIONS]",
    "Check every matrix kernel against its textbook definition on random inputs,\n"
    "then measure the speed of the product kernels on the products an LSTM layer\n"
    "(H = 256, batch B = 32) computes.  Exits with status 1 if any check fails.",
    options, 0, 0
};

int main(int argc, char **argv)
{
    prog_name = "lstm-kernels";
    parse_options(argc, argv, &usage);
    Rng rng;
    rng_seed(&rng, (uint64_t)opt_seed, 1);
    int failures = 0;
    if (!opt_no_check) {
        printf("Checking every kernel against the textbook (real = %s, seed %ld, %ld cases each)\n\n",
               REAL_NAME, opt_seed, opt_cases);
        failures += check_products(opt_cases, &rng);
        failures += check_elementwise(opt_cases, &rng);
        printf("\n%s\n\n", failures ? "SOME CHECKS FAILED" : "all kernels agree with the textbook");
    }
    if (!opt_no_time)
        time_products(opt_repeat, &rng);
    finish();
    return failures ? 1 : 0;
}
