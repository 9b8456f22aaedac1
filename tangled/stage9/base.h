#line 41 "chapters/A1-base.nw"
/* base.h — what every module stands on: the scalar type, checked
   allocation, and messages that carry the program's name. */
#ifndef BASE_H
#define BASE_H
#include <float.h>
#include <stdbool.h>
#include <stddef.h>

/* ⟨the scalar type real⟩ */
#line 36 "chapters/01-kernels.nw"
#ifdef LSTM_DOUBLE
typedef double real;
#define REAL_NAME "double"
#define REAL_EPSILON DBL_EPSILON    /* 2^-52: the gap between 1 and the next real */
#define REAL_TRUE_MIN DBL_TRUE_MIN  /* the smallest positive (subnormal) real */
#else
typedef float real;
#define REAL_NAME "float"
#define REAL_EPSILON FLT_EPSILON    /* 2^-23 */
#define REAL_TRUE_MIN FLT_TRUE_MIN
#endif

extern const char *prog_name;   /* for messages; main sets it before anything else */

/* count * size bytes, zero-filled, 64-byte aligned; free with free().  Never
   NULL: a size that overflows, or memory that runs out, ends the program
   with a message (exit 1). */
void *xalloc(size_t count, size_t size);

/* "prog: message" on stderr, then exit(1). */
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prog: warning: message" on stderr, and carry on. */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prog: internal error: message" on stderr, then abort(): a mistake in the
   program, not in its input. */
_Noreturn void bug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* bug(...) unless ok. */
#define REQUIRE(ok, ...) do { if (!(ok)) bug(__VA_ARGS__); } while (0)

double seconds_now(void);   /* a monotonic clock, in seconds */
/* ⟨base.h declarations⟩ */
#line 70 "chapters/A1-base.nw"
#endif
