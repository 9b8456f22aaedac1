#line 1007 "chapters/01-kernels.nw"
/* prog.h — what every program needs: options, errors, a clock. */
#ifndef PROG_H
#define PROG_H
#include <stdbool.h>

extern const char *prog_name;   /* set by main before anything else */

/* Print "prog_name: message" on stderr and exit(1). */
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "prog_name: message" and a hint to try --help; exit(2). */
_Noreturn void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "prog_name: warning: message" on stderr and carry on. */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

typedef enum { OPT_FLAG, OPT_INT, OPT_REAL, OPT_STRING } OptKind;
typedef struct {
    const char *name;   /* "seed" for --seed */
    OptKind kind;
    void *value;        /* bool *, long *, double * or const char ** */
    double min, max;    /* the accepted range, for OPT_INT and OPT_REAL */
    const char *arg;    /* what the value is called in --help, e.g. "N" */
    const char *help;   /* one line */
} Option;

typedef struct {
    const char *synopsis;    /* "lstm-eval [OPTIONS] TEXT" */
    const char *purpose;     /* a paragraph for --help */
    const Option *options;   /* the table, ended by an entry with name NULL */
    int min_args, max_args;  /* how many positional arguments are allowed */
} Usage;

/* Parse the options in argv; --help prints the usage and exits 0, and any
   mistake is a usage_error.  Returns the number of positional arguments,
   which are moved to argv[1], argv[2], ... in their original order. */
int parse_options(int argc, char **argv, const Usage *usage);

double seconds_now(void);   /* a monotonic clock, in seconds */
int finish(void);           /* flush stdout; die if writing it failed; return 0 */
/* ⟨prog.h declarations⟩ */
#line 1120 "chapters/01-kernels.nw"
/* (Programs of later chapters add what they share here.) */
#line 1046 "chapters/01-kernels.nw"
#endif
