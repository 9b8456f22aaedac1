#line 18 "chapters/B2-binio.nw"
/* binio.h — little-endian binary files: a buffer to build them in, a reader
   that never reads past the end, CRC-32, and saving without risk. */
#ifndef BINIO_H
#define BINIO_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "base.h"

typedef struct { unsigned char *p; size_t n, cap; } Buf;         /* bytes being written */
typedef struct { const unsigned char *p; size_t n, pos; } Reader; /* bytes being read */

void buf_bytes(Buf *b, const void *data, size_t n);
void buf_u32(Buf *b, uint32_t v);            /* little-endian */
void buf_u64(Buf *b, uint64_t v);
void buf_reals(Buf *b, const real *x, size_t n, int width);  /* as float32 (width 4) or float64 (8) */
void buf_free(Buf *b);

bool rd_bytes(Reader *r, void *out, size_t n);   /* false if fewer than n bytes are left */
bool rd_u32(Reader *r, uint32_t *v);
bool rd_u64(Reader *r, uint64_t *v);
bool rd_reals(Reader *r, real *x, size_t n, int width);

uint32_t crc32_update(uint32_t crc, const void *data, size_t n);  /* start with crc = 0 */

/* Open a regular file for reading (never blocking on a FIFO); *size is its
   length.  false, with a reason, if it is missing or not a regular file. */
bool file_open_regular(const char *path, FILE **f, size_t *size, char *why, size_t whylen);
/* Read exactly n bytes; false, with a reason, if the file ends first. */
bool file_read_exact(FILE *f, const char *path, void *buf, size_t n, char *why, size_t whylen);
/* Read a whole regular file into memory (at most max bytes); false with a reason. */
bool file_read_all(const char *path, size_t max, unsigned char **data, size_t *n,
                   char *why, size_t whylen);
/* The 4 bytes at p as a little-endian u32 (the CRC at the end of a file). */
uint32_t get_u32(const unsigned char *p);
/* Write a file so that it is either all there or not changed at all. */
bool file_write_atomic(const char *path, const void *data, size_t n, char *why, size_t whylen);
/* ⟨binio.h declarations⟩ */
#line 57 "chapters/B2-binio.nw"
#endif
