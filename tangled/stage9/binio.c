#line 343 "chapters/B2-binio.nw"
/* binio.c — little-endian binary files, CRC-32, and saving without risk. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include "binio.h"

/* ⟨write little-endian numbers into a buffer⟩ */
#line 65 "chapters/B2-binio.nw"
void buf_bytes(Buf *b, const void *data, size_t n)
{
    if (n > b->cap - b->n) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap - b->n < n) cap *= 2;
        unsigned char *p = xalloc(cap, 1);
        if (b->n) memcpy(p, b->p, b->n);
        free(b->p);
        b->p = p;
        b->cap = cap;
    }
    if (n) memcpy(b->p + b->n, data, n);
    b->n += n;
}

void buf_u32(Buf *b, uint32_t v)
{
    unsigned char x[4] = { (unsigned char)v, (unsigned char)(v >> 8),
                           (unsigned char)(v >> 16), (unsigned char)(v >> 24) };
    buf_bytes(b, x, 4);
}

void buf_u64(Buf *b, uint64_t v)
{
    buf_u32(b, (uint32_t)v);
    buf_u32(b, (uint32_t)(v >> 32));
}

void buf_reals(Buf *b, const real *x, size_t n, int width)
{
    for (size_t i = 0; i < n; i++) {
        if (width == 4) {
            float f = (float)x[i];
            uint32_t u;
            memcpy(&u, &f, 4);
            buf_u32(b, u);
        } else {
            double d = (double)x[i];
            uint64_t u;
            memcpy(&u, &d, 8);
            buf_u64(b, u);
        }
    }
}

void buf_free(Buf *b)
{
    free(b->p);
    *b = (Buf){0};
}
/* ⟨read little-endian numbers, never past the end⟩ */
#line 118 "chapters/B2-binio.nw"
uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

bool rd_bytes(Reader *r, void *out, size_t n)
{
    if (n > r->n - r->pos) return false;
    memcpy(out, r->p + r->pos, n);
    r->pos += n;
    return true;
}

bool rd_u32(Reader *r, uint32_t *v)
{
    unsigned char x[4];
    if (!rd_bytes(r, x, 4)) return false;
    *v = (uint32_t)x[0] | (uint32_t)x[1] << 8 | (uint32_t)x[2] << 16 | (uint32_t)x[3] << 24;
    return true;
}

bool rd_u64(Reader *r, uint64_t *v)
{
    uint32_t lo, hi;
    if (!rd_u32(r, &lo) || !rd_u32(r, &hi)) return false;
    *v = (uint64_t)hi << 32 | lo;
    return true;
}

bool rd_reals(Reader *r, real *x, size_t n, int width)
{
    if (n > (r->n - r->pos) / (size_t)width) return false;
    for (size_t i = 0; i < n; i++) {
        if (width == 4) {
            uint32_t u = 0;
            float f;
            rd_u32(r, &u);
            memcpy(&f, &u, 4);
            x[i] = (real)f;
        } else {
            uint64_t u = 0;
            double d;
            rd_u64(r, &u);
            memcpy(&d, &u, 8);
            x[i] = (real)d;
        }
    }
    return true;
}
/* ⟨compute CRC-32⟩ */
#line 178 "chapters/B2-binio.nw"
uint32_t crc32_update(uint32_t crc, const void *data, size_t n)
{
    static uint32_t table[256];
    static bool ready;
    if (!ready) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ c >> 1 : c >> 1;
            table[i] = c;
        }
        ready = true;
    }
    const unsigned char *p = data;
    crc = ~crc;
    for (size_t i = 0; i < n; i++) crc = table[(crc ^ p[i]) & 0xFF] ^ crc >> 8;
    return ~crc;
}
/* ⟨write a file so that a crash cannot destroy the old one⟩ */
#line 212 "chapters/B2-binio.nw"
bool file_write_atomic(const char *path, const void *data, size_t n, char *why, size_t whylen)
{
    size_t len = strlen(path);
    char *tmp = xalloc(len + 16, 1);
    snprintf(tmp, len + 16, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(why, whylen, "cannot create a temporary file beside %s: %s", path, strerror(errno));
        free(tmp);
        return false;
    }
    const unsigned char *p = data;
    size_t done = 0;
    int err = 0;
    while (done < n && !err) {
        ssize_t w = write(fd, p + done, n - done);
        if (w < 0 && errno != EINTR) err = errno;
        else if (w > 0) done += (size_t)w;
    }
    mode_t mask = umask(0);
    umask(mask);
    if (!err && fchmod(fd, 0666 & ~mask) != 0) err = errno;
    if (!err && fsync(fd) != 0) err = errno;
    if (close(fd) != 0 && !err) err = errno;
    if (!err && rename(tmp, path) != 0) err = errno;
    if (!err) {                             /* flush the folder that holds the new name */
        char *slash = strrchr(tmp, '/');
        if (slash) *slash = '\0';
        int dir = open(slash ? (slash == tmp ? "/" : tmp) : ".", O_RDONLY);
        if (dir >= 0) { fsync(dir); close(dir); }   /* best effort: the file is in place */
    }
    if (err) {
        snprintf(why, whylen, "cannot write %s: %s (the previous file, if any, is unchanged)",
                 path, strerror(err));
        unlink(tmp);
        free(tmp);
        return false;
    }
    free(tmp);
    return true;
}
/* ⟨open a regular file for reading⟩ */
#line 268 "chapters/B2-binio.nw"
bool file_open_regular(const char *path, FILE **f, size_t *size, char *why, size_t whylen)
{
    *f = NULL;
    *size = 0;
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0) {
        snprintf(why, whylen, "cannot open %s: %s", path, strerror(errno));
        return false;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(why, whylen, "%s is not a regular file%s", path,
                 S_ISDIR(st.st_mode) ? " (it is a folder)" : S_ISFIFO(st.st_mode) ? " (it is a FIFO)" : "");
        close(fd);
        return false;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0 || !(*f = fdopen(fd, "rb"))) {
        snprintf(why, whylen, "cannot open %s: %s", path, strerror(errno));
        close(fd);
        return false;
    }
    *size = (size_t)st.st_size;
    return true;
}

bool file_read_exact(FILE *f, const char *path, void *buf, size_t n, char *why, size_t whylen)
{
    size_t got = n ? fread(buf, 1, n, f) : 0;
    if (got == n) return true;
    if (ferror(f)) snprintf(why, whylen, "cannot read %s: %s", path, strerror(errno));
    else snprintf(why, whylen, "%s ended after %zu bytes, where %zu were expected "
                  "(it changed while being read?)", path, got, n);
    return false;
}
/* ⟨read a whole file, up to a limit⟩ */
#line 311 "chapters/B2-binio.nw"
bool file_read_all(const char *path, size_t max, unsigned char **data, size_t *n,
                   char *why, size_t whylen)
{
    *data = NULL;
    *n = 0;
    FILE *f;
    size_t size;
    if (!file_open_regular(path, &f, &size, why, whylen)) return false;
    if (size > max) {
        snprintf(why, whylen, "%s is too large (%zu bytes; at most %zu expected)", path, size, max);
        fclose(f);
        return false;
    }
    unsigned char *p = xalloc(size ? size : 1, 1);
    bool ok = file_read_exact(f, path, p, size, why, whylen);
    if (ok && fgetc(f) != EOF) {
        snprintf(why, whylen, "cannot read %s: it is longer than its size says "
                 "(it changed while being read, or it is not an ordinary file)", path);
        ok = false;
    }
    fclose(f);
    if (!ok) {
        free(p);
        return false;
    }
    *data = p;
    *n = size;
    return true;
}
/* ⟨binio.c functions⟩ */
