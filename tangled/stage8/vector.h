#line 104 "chapters/08-fast.nw"
/* vector.h — the vector type of the machine the code is compiled for. */
#ifndef VECTOR_H
#define VECTOR_H
#include "base.h"

/* ⟨choose the vector width from what the compiler targets⟩ */
#line 86 "chapters/08-fast.nw"
#if defined(__AVX512F__)
#define VBYTES 64    /* 32 registers of 512 bits */
#define TILE_MR 8
#elif defined(__AVX__)
#define VBYTES 32    /* 16 registers of 256 bits */
#define TILE_MR 6
#else
#define VBYTES 16    /* SSE2, NEON: 16 or more registers of 128 bits */
#define TILE_MR 6
#endif
typedef real vreal __attribute__((vector_size(VBYTES)));
enum { VW = VBYTES / (int)sizeof(real) };   /* W: reals in one vector */
#line 110 "chapters/08-fast.nw"
#endif
