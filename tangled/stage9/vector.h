#line 108 "chapters/08-fast.nw"
/* vector.h — the vector type of the machine the code is compiled for. */
#ifndef VECTOR_H
#define VECTOR_H
#include "base.h"

/* ⟨choose the vector width from what the compiler targets⟩ */
#line 94 "chapters/08-fast.nw"
#if defined(__AVX512F__)
#define VBYTES 64    /* 32 registers of 512 bits */
#elif defined(__AVX__)
#define VBYTES 32    /* 16 registers of 256 bits */
#else
#define VBYTES 16    /* SSE2, NEON: 16 or more registers of 128 bits */
#endif
typedef real vreal __attribute__((vector_size(VBYTES)));
enum { VW = VBYTES / (int)sizeof(real) };   /* W: reals in one vector */
#line 114 "chapters/08-fast.nw"
#endif
