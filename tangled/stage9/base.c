#line 74 "chapters/A1-base.nw"
/* base.c — checked allocation, the program's messages, a clock. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base.h"

const char *prog_name = "lstm";

static void say(const char *prefix, const char *fmt, va_list ap)
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
    say("", fmt, ap);
    va_end(ap);
    exit(1);
}

void warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say("warning: ", fmt, ap);
    va_end(ap);
}

void bug(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say("internal error: ", fmt, ap);
    va_end(ap);
    abort();
}

/* ⟨allocate memory, or say why not and stop⟩ */
#line 144 "chapters/A1-base.nw"
void *xalloc(size_t count, size_t size)
{
    if (size != 0 && count > (SIZE_MAX - 63) / size)
        die("out of memory: %zu x %zu bytes is more than this machine can address", count, size);
    size_t bytes = (count * size + 63) / 64 * 64;
    void *p = aligned_alloc(64, bytes ? bytes : 64);
    if (p == NULL)
        die("out of memory: cannot allocate %zu bytes (a smaller model, batch or text needs less)",
            bytes);
    memset(p, 0, bytes ? bytes : 64);
    return p;
}

double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}
/* ⟨base.c functions⟩ */
