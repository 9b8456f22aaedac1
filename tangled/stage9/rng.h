#line 25 "chapters/A2-random.nw"
/* rng.h — PCG32, a small, fast, reproducible random number generator. */
#ifndef RNG_H
#define RNG_H
#include <stdint.h>

typedef struct {
    uint64_t state;  /* the 64-bit LCG state */
    uint64_t inc;    /* the odd increment that selects the sequence */
} Rng;

void     rng_seed(Rng *r, uint64_t seed, uint64_t stream);
uint32_t rng_u32(Rng *r);                 /* 32 random bits */
double   rng_uniform(Rng *r);             /* uniform on [0, 1), in steps of 2^-32 */
uint32_t rng_below(Rng *r, uint32_t n);   /* uniform on 0 .. n-1, n >= 1, unbiased */
#endif
