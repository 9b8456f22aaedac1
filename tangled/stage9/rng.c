#line 43 "chapters/A2-random.nw"
/* rng.c — PCG32 (O'Neill, "PCG: A Family of Simple Fast Space-Efficient
   Statistically Good Algorithms for Random Number Generation", 2014). */
#include "rng.h"

uint32_t rng_u32(Rng *r)
{
    uint64_t old = r->state;
    r->state = old * 6364136223846793005ULL + r->inc;
    uint32_t xorshifted = (uint32_t)(((old >> 18) ^ old) >> 27);
    uint32_t rot = (uint32_t)(old >> 59);
    return (xorshifted >> rot) | (xorshifted << ((32 - rot) & 31));
}

void rng_seed(Rng *r, uint64_t seed, uint64_t stream)
{
    r->state = 0;
    r->inc = (stream << 1) | 1;
    rng_u32(r);
    r->state += seed;
    rng_u32(r);
}
/* ⟨rng.c functions⟩ */
#line 81 "chapters/A2-random.nw"
double rng_uniform(Rng *r)
{
    return rng_u32(r) * (1.0 / 4294967296.0);
}

uint32_t rng_below(Rng *r, uint32_t n)
{
    uint32_t threshold = -n % n;   /* = 2^32 mod n */
    for (;;) {
        uint32_t x = rng_u32(r);
        if (x >= threshold)
            return x % n;
    }
}
