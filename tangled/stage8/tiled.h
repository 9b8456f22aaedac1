#line 480 "chapters/08-fast.nw"
/* tiled.h — chapter 8's product kernel, a tile of C in vector registers. */
#ifndef TILED_H
#define TILED_H
#include "matrix.h"

GemmFn gemm_tiled;                   /* shared among the pool's threads when it pays */
extern const KernelSet tiled_kernels;   /* gemm_tiled; the C library's sigmoid and tanh */
#endif
