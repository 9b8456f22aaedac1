/* tests/fuzz/fuzz.h — what the fuzz harnesses share.  Each harness defines
 * LLVMFuzzerTestOneInput; built with clang -fsanitize=fuzzer it is fuzzed by
 * libFuzzer (tools/fuzz.sh), built with replay.c it replays the inputs kept
 * in tests/fuzz/corpus/ (make test).  A broken property is a crash: abort
 * with a message, which both libFuzzer and the replay report. */
#ifndef FUZZ_H
#define FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

#define CHECK(cond, ...) do { if (!(cond)) { \
    fprintf(stderr, "fuzz: %s:%d: %s: ", __FILE__, __LINE__, #cond); \
    fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); abort(); } } while (0)

/* Write data to a scratch file of this process and return its path. */
static inline const char *fuzz_file(const uint8_t *data, size_t n)
{
    static char path[64];
    if (!path[0]) snprintf(path, sizeof path, "/tmp/lstm-fuzz-%ld", (long)getpid());
    FILE *f = fopen(path, "wb");
    CHECK(f, "cannot write %s", path);
    CHECK(fwrite(data, 1, n, f) == n && fclose(f) == 0, "cannot write %s", path);
    return path;
}
#endif
