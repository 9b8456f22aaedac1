#line 179 "chapters/A1-base.nw"
/* prog.h — the command line of every program: options with defaults,
   --help, usage errors; a clock; the end of a program. */
#ifndef PROG_H
#define PROG_H
#include "base.h"

typedef enum { OPT_FLAG, OPT_INT, OPT_REAL, OPT_STRING, OPT_CHOICE } OptKind;
typedef struct {
    const char *name;   /* "seed" for --seed */
    OptKind kind;
    void *value;        /* bool *, long *, double *, or const char ** (string, choice) */
    const char *def;    /* the default, as typed ("256", "adam"); NULL: none
                           (a flag is off, a string NULL) */
    double min, max;    /* the accepted range, for OPT_INT and OPT_REAL */
    const char *arg;    /* what the value is called in --help ("N"); for a
                           choice, the choices ("adam|sgd") */
    const char *help;   /* one line; --help adds the default and the range */
} Option;
#define OPTIONS_END { NULL, 0, NULL, NULL, 0, 0, NULL, NULL }

typedef struct {
    const char *synopsis;    /* "lstm-eval [OPTIONS] TEXT" */
    const char *purpose;     /* a paragraph for --help */
    const Option *options;   /* the table, ended by OPTIONS_END */
    int min_args, max_args;  /* how many positional arguments are allowed */
} Usage;

/* Print "prog_name: message" and a hint to try --help; exit(2). */
_Noreturn void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Set every option to its default, then parse argv; --help prints the usage
   and exits 0, and any mistake is a usage_error.  Returns the number of
   positional arguments, which are moved to argv[1], argv[2], ... in their
   original order. */
int parse_options(int argc, char **argv, const Usage *usage);
/* Whether the option called name (of the table, or of every program's) was
   on the command line. */
bool option_given(const Option *table, const char *name);

int finish(void);           /* flush stdout; die if writing it failed; return 0 */
/* ⟨prog.h declarations⟩ */
/* ⟨prog.h declarations⟩, continued in E1-threads.nw */
#line 401 "chapters/E1-threads.nw"
extern long prog_threads;   /* --threads (appendix E): 0 unless given */
#line 220 "chapters/A1-base.nw"
#endif
