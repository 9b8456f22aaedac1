/* tests/stage1/test_prog.c — the option parser: good command lines give the
 * right values and arguments; every kind of bad one exits with status 2. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <string.h>
#include "prog.h"

static long n = 10;
static double rate = 0.5;
static bool flag;
static const char *name = "default";
static const Option options[] = {
    { "n",    OPT_INT,    &n,    1, 100, "N", "a count" },
    { "rate", OPT_REAL,   &rate, 0, 1,   "R", "a rate" },
    { "flag", OPT_FLAG,   &flag, 0, 0,   NULL, "a flag" },
    { "name", OPT_STRING, &name, 0, 0,   "S", "a name" },
    { NULL, 0, NULL, 0, 0, NULL, NULL }
};
static const Usage usage = { "t [OPTIONS] FILE...", "A test.", options, 0, 3 };

static int parse(int argc, const char **argv)
{
    return parse_options(argc, (char **)argv, &usage);
}

Test(options, good_command_lines)
{
    const char *argv[] = { "t", "a", "--n", "42", "--rate=0.25", "b", "--flag", "--name", "x y", "--", "--n", NULL };
    int nargs = parse(11, argv);
    cr_assert_eq(nargs, 3);
    cr_assert_eq(n, 42);
    cr_assert_eq(rate, 0.25);
    cr_assert(flag);
    cr_assert_str_eq(name, "x y");
    cr_assert_str_eq(argv[1], "a");
    cr_assert_str_eq(argv[2], "b");
    cr_assert_str_eq(argv[3], "--n");   /* after --, an argument like any other */
}

Test(options, a_lone_dash_is_an_argument)
{
    const char *argv[] = { "t", "-", NULL };
    cr_assert_eq(parse(2, argv), 1);
    cr_assert_str_eq(argv[1], "-");
}

#define BAD(testname, ...) \
    Test(options, testname, .exit_code = 2, .init = cr_redirect_stderr) \
    { const char *argv[] = { "t", __VA_ARGS__, NULL }; \
      parse((int)(sizeof argv / sizeof argv[0]) - 1, argv); }

BAD(not_a_number, "--n", "abc")
BAD(trailing_garbage, "--n", "12x")
BAD(empty_number, "--n=")
BAD(zero_below_range, "--n", "0")
BAD(negative, "--n", "-5")
BAD(too_large, "--n", "101")
BAD(overflows_long, "--n", "99999999999999999999999")
BAD(fractional_count, "--n", "2.5")
BAD(nan_rate, "--rate", "nan")
BAD(inf_rate, "--rate", "inf")
BAD(rate_out_of_range, "--rate", "1.5")
BAD(missing_value, "--n")
BAD(unknown_option, "--bogus")
BAD(short_option, "-x")
BAD(flag_with_value, "--flag=yes")
BAD(too_many_arguments, "a", "b", "c", "d")

Test(options, help_exits_zero_and_lists_every_option, .exit_code = 0, .init = cr_redirect_stdout)
{
    const char *argv[] = { "t", "--help", NULL };
    parse(2, argv);
}
