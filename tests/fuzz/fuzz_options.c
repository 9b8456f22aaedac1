/* tests/fuzz/fuzz_options.c — parse_options on any command line.  The input
 * is split at newlines into the arguments (at most 32).  prog.c is built for
 * this harness with exit() turned into a jump back here, so a refusal ends
 * one run, not the fuzzer.  Properties: a command line that is accepted has
 * an allowed number of positional arguments, and every number it set is in
 * its range and finite (every choice one of its words, every option not given
 * at its default); one that is refused exits with status 2 (a usage
 * error), or 0 for --help, never 1 and never a crash.  (The messages go to
 * stderr: tools/fuzz.sh has libFuzzer close it, make test sends it away.) */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <setjmp.h>
#include <string.h>
#include "fuzz.h"
#include "prog.h"

static jmp_buf back;
static int exit_status;

_Noreturn void fuzz_exit(int status)
{
    exit_status = status;
    longjmp(back, 1);
}

static long o_steps, o_max;
static double o_lr, o_frac;
static bool o_resume;
static const char *o_out, *o_choice;
static const Option options[] = {
    { "steps",     OPT_INT,    &o_steps,  "100", 1, 10000, "T", "an int with a small range" },
    { "max-steps", OPT_INT,    &o_max,    "0", 0, 1e12, "N", "an int with a large range" },
    { "lr",        OPT_REAL,   &o_lr,     "0.002", 1e-7, 10, "RATE", "a real" },
    { "val-fraction", OPT_REAL, &o_frac,  "0.1", 0.001, 0.5, "F", "another real" },
    { "resume",    OPT_FLAG,   &o_resume, NULL, 0, 0, NULL, "a flag" },
    { "out",       OPT_STRING, &o_out,    NULL, 0, 0, "DIR", "a string" },
    { "schedule",  OPT_CHOICE, &o_choice, "constant", 0, 0, "constant|step|cosine", "a choice" },
    OPTIONS_END
};
static const Usage usage = { "fuzz [OPTIONS] A [B]", "The options harness.", options, 1, 2 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    static char *argv[34];                /* static: setjmp must not clobber them */
    static int argc;
    static char *text;
    text = malloc(n + 1);
    memcpy(text, data, n);
    text[n] = '\0';
    argc = 0;
    argv[argc++] = "fuzz";
    for (char *p = text; argc < 33; ) {
        argv[argc++] = p;
        char *nl = memchr(p, '\n', (size_t)(text + n - p));
        if (!nl) break;
        *nl = '\0';
        p = nl + 1;
    }
    argv[argc] = NULL;
    prog_name = "fuzz";
    exit_status = -1;
    if (setjmp(back) == 0) {
        int nargs = parse_options(argc, argv, &usage);
        CHECK(nargs >= 1 && nargs <= 2, "accepted %d positional arguments", nargs);
        CHECK(o_steps >= 1 && o_steps <= 10000, "--steps %ld accepted", o_steps);
        CHECK(o_max >= 0 && o_max <= 1000000000000L, "--max-steps %ld accepted", o_max);
        CHECK(isfinite(o_lr) && o_lr >= 1e-7 && o_lr <= 10, "--lr %g accepted", o_lr);
        CHECK(isfinite(o_frac) && o_frac >= 0.001 && o_frac <= 0.5, "--val-fraction %g accepted", o_frac);
        CHECK(strcmp(o_choice, "constant") == 0 || strcmp(o_choice, "step") == 0
              || strcmp(o_choice, "cosine") == 0, "--schedule '%s' accepted", o_choice);
        CHECK(option_given(options, "steps") || o_steps == 100, "--steps not given but %ld", o_steps);
        for (int i = 1; i <= nargs; i++) CHECK(argv[i] != NULL, "positional argument %d is NULL", i);
    } else {
        CHECK(exit_status == 2 || exit_status == 0, "parse_options exited with status %d", exit_status);
    }
    free(text);
    return 0;
}
