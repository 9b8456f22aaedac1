#line 224 "chapters/A1-base.nw"
/* prog.c — options, usage errors and a clock, for every program in the book. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "prog.h"

void usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fflush(stdout);
    fprintf(stderr, "%s: ", prog_name);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s --help' for more information.\n", prog_name);
    exit(2);
}

/* ⟨the options every program takes⟩ */
/* ⟨the variables of the options every program takes⟩ */
/* ⟨the variables of the options every program takes⟩, continued in E1-threads.nw */
#line 391 "chapters/E1-threads.nw"
#include "pool.h"
long prog_threads;
#line 477 "chapters/A1-base.nw"
static const Option shared_options[] = {
    /* ⟨the options of every program⟩ */
    /* ⟨the options of every program⟩, continued in E1-threads.nw */
    #line 396 "chapters/E1-threads.nw"
    { "threads", OPT_INT, &prog_threads, "0", 0, POOL_MAX_THREADS, "N",
      "threads for the products; 0: LSTM_THREADS if set, else one per processor" },
    #line 479 "chapters/A1-base.nw"
    OPTIONS_END
};
/* ⟨find an option by name⟩ */
#line 467 "chapters/A1-base.nw"
static const Option *find_option(const Option *o, const char *name, size_t len)
{
    while (o->name && !(strlen(o->name) == len && strncmp(o->name, name, len) == 0))
        o++;
    return o;   /* the entry with name NULL if there is none */
}
/* ⟨print the usage of a program⟩ */
#line 273 "chapters/A1-base.nw"
static const Option *given[256];   /* the options on the command line */
static int given_count;

static void print_option(const Option *o)
{
    char left[64];
    snprintf(left, sizeof left, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
    if (strlen(left) > 22)
        printf("  %s\n  %-22s %s", left, "", o->help);   /* a long one on a line of its own */
    else
        printf("  %-22s %s", left, o->help);
    if (o->def)
        printf(" (default %s)", o->def);
    if (o->kind == OPT_INT)
        printf(" [%.0f..%.0f]", o->min, o->max);
    else if (o->kind == OPT_REAL)
        printf(" [%g..%g]", o->min, o->max);
    printf("\n");
}

static void print_usage(const Usage *u)
{
    printf("Usage: %s\n\n%s\n\nOptions:\n", u->synopsis, u->purpose);
    for (const Option *o = u->options; o->name; o++) print_option(o);
    for (const Option *o = shared_options; o->name; o++) print_option(o);
    printf("  %-22s %s\n", "-h, --help", "show this help and exit");
}
/* ⟨check that a number is written plainly⟩ */
#line 311 "chapters/A1-base.nw"
/* -?[0-9]+ for a whole number; -?([0-9]+(.[0-9]*)?|.[0-9]+)([eE][-+]?[0-9]+)? for a real. */
static bool plain_number(const char *s, bool whole)
{
    const char *p = s + (*s == '-');
    size_t digits = strspn(p, "0123456789");
    p += digits;
    if (whole) return digits > 0 && *p == '\0';
    if (*p == '.') {
        size_t frac = strspn(p + 1, "0123456789");
        if (digits == 0 && frac == 0) return false;
        p += 1 + frac;
    } else if (digits == 0) {
        return false;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') p++;
        size_t exp = strspn(p, "0123456789");
        if (exp == 0) return false;
        p += exp;
    }
    return *p == '\0';
}
/* ⟨parse one option's value⟩ */
#line 340 "chapters/A1-base.nw"
static bool is_choice(const char *choices, const char *text)
{
    size_t len = strlen(text);
    for (const char *p = choices; *p; ) {
        size_t n = strcspn(p, "|");
        if (n == len && len > 0 && strncmp(p, text, n) == 0) return true;
        p += n + (p[n] == '|');
    }
    return false;
}

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
    case OPT_CHOICE:
        if (!is_choice(o->arg, text))
            usage_error("--%s: expected one of %s, not '%s'", o->name, o->arg, text);
        *(const char **)o->value = text;
        break;
    case OPT_INT: {
        long v = plain_number(text, true) ? strtol(text, &end, 10) : 0;
        if (!plain_number(text, true) || *end != '\0' || errno == ERANGE || v < o->min || v > o->max)
            usage_error("--%s: expected a whole number from %.0f to %.0f, not '%s'",
                        o->name, o->min, o->max, text);
        *(long *)o->value = v;
        break;
    }
    case OPT_REAL: {
        double v = plain_number(text, false) ? strtod(text, &end) : 0;
        if (!plain_number(text, false) || *end != '\0' || errno == ERANGE || !isfinite(v) ||
            v < o->min || v > o->max)
            usage_error("--%s: expected a number from %g to %g, not '%s'",
                        o->name, o->min, o->max, text);
        *(double *)o->value = v;
        break;
    }
    }
}

/* Every option of a table to its default. */
static void set_defaults(const Option *o)
{
    for (; o->name; o++) {
        if (o->kind == OPT_FLAG) *(bool *)o->value = false;
        else if (o->def) parse_value(o, o->def);
        else if (o->kind == OPT_STRING || o->kind == OPT_CHOICE) *(const char **)o->value = NULL;
        else bug("--%s has no default", o->name);
    }
}
/* ⟨parse a whole command line⟩ */
#line 404 "chapters/A1-base.nw"
int parse_options(int argc, char **argv, const Usage *u)
{
    set_defaults(u->options);
    set_defaults(shared_options);
    given_count = 0;
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
        if (given_count < (int)(sizeof given / sizeof given[0])) given[given_count++] = o;
    }
    if (nargs < u->min_args || nargs > u->max_args) {
        if (u->min_args == u->max_args)
            usage_error("expected %d argument%s, got %d", u->min_args,
                        u->min_args == 1 ? "" : "s", nargs);
        usage_error("expected %d to %d arguments, got %d", u->min_args, u->max_args, nargs);
    }
    return nargs;
}

bool option_given(const Option *table, const char *name)
{
    const Option *o = find_option(table, name, strlen(name));
    if (!o->name) o = find_option(shared_options, name, strlen(name));
    if (!o->name) bug("option_given: there is no option --%s", name);
    for (int k = 0; k < given_count; k++)
        if (given[k] == o) return true;
    return false;
}

int finish(void)
{
    if (fflush(stdout) != 0 || ferror(stdout))
        die("error writing the output: %s", strerror(errno));
    return 0;
}
/* ⟨prog.c functions⟩ */
