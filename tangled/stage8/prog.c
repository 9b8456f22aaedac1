#line 1050 "chapters/01-kernels.nw"
/* prog.c — options, errors and a clock, for every program in the book. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "prog.h"

const char *prog_name = "lstm";

static void vsay(const char *prefix, const char *fmt, va_list ap)
{
    fflush(stdout);
    fprintf(stderr, "%s: %s", prog_name, prefix);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay("", fmt, ap);
    va_end(ap);
    exit(1);
}

void usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay("", fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try '%s --help' for more information.\n", prog_name);
    exit(2);
}

void warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay("warning: ", fmt, ap);
    va_end(ap);
}

/* ⟨find an option by name⟩ */
#line 1241 "chapters/01-kernels.nw"
static const Option *find_option(const Option *o, const char *name, size_t len)
{
    while (o->name && !(strlen(o->name) == len && strncmp(o->name, name, len) == 0))
        o++;
    return o;   /* the entry with name NULL if there is none */
}

/* ⟨the variables of the options every program takes⟩ */
/* ⟨the variables of the options every program takes⟩, continued in 08-fast.nw */
#line 726 "chapters/08-fast.nw"
#include "matrix.h"
static long opt_threads;
#line 1249 "chapters/01-kernels.nw"
static const Option shared_options[] = {
    /* ⟨the options every program takes⟩ */
    /* ⟨the options every program takes⟩, continued in 08-fast.nw */
    #line 731 "chapters/08-fast.nw"
    { "threads", OPT_INT, &opt_threads, 0, MAX_THREADS_OPTION, "N",
      "threads for the products; 0: LSTM_THREADS if set, else one per processor (default 0)" },
    #line 1251 "chapters/01-kernels.nw"
    { NULL, 0, NULL, 0, 0, NULL, NULL }
};
/* ⟨print the usage of a program⟩ */
#line 1130 "chapters/01-kernels.nw"
static void print_usage(const Usage *u)
{
    printf("Usage: %s\n\n%s\n\nOptions:\n", u->synopsis, u->purpose);
    const Option *tables[2] = { u->options, shared_options };
    for (int t = 0; t < 2; t++)
        for (const Option *o = tables[t]; o->name; o++) {
            char left[64];
            snprintf(left, sizeof left, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
            printf("  %-22s %s", left, o->help);
            if (o->kind == OPT_INT)
                printf(" [%.0f..%.0f]", o->min, o->max);
            else if (o->kind == OPT_REAL)
                printf(" [%g..%g]", o->min, o->max);
            printf("\n");
        }
    printf("  %-22s %s\n", "-h, --help", "show this help and exit");
}
/* ⟨parse one option's value⟩ */
#line 1154 "chapters/01-kernels.nw"
static void parse_value(const Option *o, const char *text)
{
    char *end;
    errno = 0;
    switch (o->kind) {
    case OPT_FLAG:
        break;
    case OPT_STRING:
        *(const char **)o->value = text;
        break;
    case OPT_INT: {
        long v = strtol(text, &end, 10);
        if (end == text || *end != '\0' || errno == ERANGE || v < o->min || v > o->max)
            usage_error("--%s: expected a whole number from %.0f to %.0f, not '%s'",
                        o->name, o->min, o->max, text);
        *(long *)o->value = v;
        break;
    }
    case OPT_REAL: {
        double v = strtod(text, &end);
        if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v) ||
            v < o->min || v > o->max)
            usage_error("--%s: expected a number from %g to %g, not '%s'",
                        o->name, o->min, o->max, text);
        *(double *)o->value = v;
        break;
    }
    }
}
/* ⟨parse a whole command line⟩ */
#line 1191 "chapters/01-kernels.nw"
int parse_options(int argc, char **argv, const Usage *u)
{
    int nargs = 0;
    bool options_done = false;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (options_done || a[0] != '-' || a[1] == '\0') {
            argv[++nargs] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) { options_done = true; continue; }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            print_usage(u);
            exit(finish());
        }
        if (a[1] != '-')
            usage_error("unknown option '%s' (options are long, like --help)", a);
        char *name = a + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const Option *o = find_option(u->options, name, len);
        if (!o->name) o = find_option(shared_options, name, len);
        if (!o->name)
            usage_error("unknown option '--%.*s'", (int)len, name);
        if (o->kind == OPT_FLAG) {
            if (eq) usage_error("--%s takes no value", o->name);
            *(bool *)o->value = true;
        } else if (eq) {
            parse_value(o, eq + 1);
        } else {
            if (i + 1 >= argc) usage_error("--%s needs a value (%s)", o->name, o->arg);
            parse_value(o, argv[++i]);
        }
    }
    if (nargs < u->min_args || nargs > u->max_args) {
        if (u->min_args == u->max_args)
            usage_error("expected %d argument%s, got %d", u->min_args,
                        u->min_args == 1 ? "" : "s", nargs);
        usage_error("expected %d to %d arguments, got %d", u->min_args, u->max_args, nargs);
    }
    /* ⟨act on the options every program takes⟩ */
    /* ⟨act on the options every program takes⟩, continued in 08-fast.nw */
    #line 736 "chapters/08-fast.nw"
    gemm_set_threads((int)opt_threads);
    #line 1231 "chapters/01-kernels.nw"
    return nargs;
}

double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int finish(void)
{
    if (fflush(stdout) != 0 || ferror(stdout))
        die("error writing the output: %s", strerror(errno));
    return 0;
}
/* ⟨prog.c functions⟩ */
#line 1123 "chapters/01-kernels.nw"
/* (and here.) */
