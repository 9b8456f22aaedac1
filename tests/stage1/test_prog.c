/* tests/stage1/test_prog.c — appendix A's option parser: good command lines
 * give the right values and arguments, every option starts from its default,
 * the parser knows which options were given (even with their default value),
 * and every kind of bad command line exits with status 2. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "prog.h"

static long n;
static double rate;
static bool flag;
static const char *name, *kind;
static const Option options[] = {
    { "n",    OPT_INT,    &n,    "10",      1, 100, "N", "a count" },
    { "rate", OPT_REAL,   &rate, "0.5",     0, 1,   "R", "a rate" },
    { "flag", OPT_FLAG,   &flag, NULL,      0, 0,   NULL, "a flag" },
    { "name", OPT_STRING, &name, "default", 0, 0,   "S", "a name" },
    { "kind", OPT_CHOICE, &kind, "plain",   0, 0,   "plain|fancy|x", "a choice" },
    OPTIONS_END
};
static const Usage usage = { "t [OPTIONS] FILE...", "A test.", options, 0, 3 };

static int parse(int argc, const char **argv)
{
    return parse_options(argc, (char **)argv, &usage);
}

Test(options, good_command_lines)
{
    const char *argv[] = { "t", "a", "--n", "42", "--rate=0.25", "b", "--flag", "--name", "x y",
                           "--kind", "fancy", "--", "--n", NULL };
    int nargs = parse(13, argv);
    cr_assert_eq(nargs, 3);
    cr_assert_eq(n, 42);
    cr_assert_eq(rate, 0.25);
    cr_assert(flag);
    cr_assert_str_eq(name, "x y");
    cr_assert_str_eq(kind, "fancy");
    cr_assert_str_eq(argv[1], "a");
    cr_assert_str_eq(argv[2], "b");
    cr_assert_str_eq(argv[3], "--n");   /* after --, an argument like any other */
}

Test(options, every_option_starts_from_its_default)
{
    const char *first[] = { "t", "--n", "7", "--flag", "--name", "z", "--rate", "1", "--kind", "x", NULL };
    parse(10, first);
    const char *second[] = { "t", NULL };
    parse(1, second);          /* the defaults again, not what the last command line said */
    cr_assert_eq(n, 10);
    cr_assert_eq(rate, 0.5);
    cr_assert(!flag);
    cr_assert_str_eq(name, "default");
    cr_assert_str_eq(kind, "plain");
}

Test(options, knows_what_was_given_even_at_the_default_value)
{
    const char *argv[] = { "t", "--n", "10", "--rate=0.5", NULL };
    parse(4, argv);
    cr_assert(option_given(options, "n"), "--n 10 was given, though 10 is the default");
    cr_assert(option_given(options, "rate"));
    cr_assert(!option_given(options, "name"));
    cr_assert(!option_given(options, "flag"));
    const char *none[] = { "t", NULL };
    parse(1, none);
    cr_assert(!option_given(options, "n"), "a new command line forgets the last one");
}

Test(options, asking_about_an_option_that_is_not_there_is_a_bug, .signal = SIGABRT,
     .init = cr_redirect_stderr)
{
    option_given(options, "nonesuch");
}

Test(options, numbers_in_plain_forms)
{
    const char *ok[] = { "t", "--rate", ".5e-1", NULL };
    parse(3, ok);
    cr_assert_float_eq(rate, 0.05, 1e-15);
    const char *ok2[] = { "t", "--rate", "1.", "--n", "007", NULL };
    parse(5, ok2);
    cr_assert_eq(rate, 1.0);
    cr_assert_eq(n, 7);
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
BAD(trailing_space, "--n", "12 ")
BAD(leading_space, "--n", " 12")
BAD(leading_plus, "--n", "+12")
BAD(hexadecimal_whole_number, "--n", "0x10")
BAD(hexadecimal_real, "--rate", "0x0.8")
BAD(leading_plus_real, "--rate", "+0.5")
BAD(leading_space_real, "--rate", " 0.5")
BAD(exponent_without_digits, "--rate", "1e")
BAD(just_a_point, "--rate", ".")
BAD(empty_number, "--n=")
BAD(zero_below_range, "--n", "0")
BAD(negative, "--n", "-5")
BAD(too_large, "--n", "101")
BAD(overflows_long, "--n", "99999999999999999999999")
BAD(fractional_count, "--n", "2.5")
BAD(nan_rate, "--rate", "nan")
BAD(inf_rate, "--rate", "inf")
BAD(rate_out_of_range, "--rate", "1.5")
BAD(not_a_choice, "--kind", "plai")
BAD(empty_choice, "--kind", "")
BAD(choice_with_separator, "--kind", "plain|fancy")
BAD(missing_value, "--n")
BAD(unknown_option, "--bogus")
BAD(short_option, "-x")
BAD(flag_with_value, "--flag=yes")
BAD(too_many_arguments, "a", "b", "c", "d")

Test(options, help_exits_zero_and_lists_every_option_with_its_default, .exit_code = 0,
     .init = cr_redirect_stdout)
{
    const char *argv[] = { "t", "--help", NULL };
    parse(2, argv);
}

Test(options, help_shows_defaults_and_ranges)
{
    FILE *f = tmpfile();
    cr_assert(f);
    fflush(stdout);
    int saved = dup(fileno(stdout));
    dup2(fileno(f), fileno(stdout));
    pid_t pid = fork();
    if (pid == 0) {
        const char *argv[] = { "t", "--help", NULL };
        parse(2, argv);
        _exit(3);
    }
    int status;
    waitpid(pid, &status, 0);
    fflush(stdout);
    dup2(saved, fileno(stdout));
    close(saved);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    char text[4096] = {0};
    rewind(f);
    size_t got = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    cr_assert(got > 0);
    cr_assert(strstr(text, "--n N") && strstr(text, "a count (default 10) [1..100]"), "%s", text);
    cr_assert(strstr(text, "--kind plain|fancy|x") && strstr(text, "a choice (default plain)"), "%s", text);
    cr_assert(strstr(text, "a flag\n"), "a flag has no default to show: %s", text);
}
