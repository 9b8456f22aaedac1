#line 492 "chapters/08-fast.nw"
/* tiled.h — chapter 8's product kernel, a tile of C in vector registers. */
#ifndef TILED_H
#define TILED_H
#include "matrix.h"

GemmFn gemm_tiled;                   /* shared among the pool's threads when it pays */
extern const KernelSet tiled_kernels;   /* gemm_tiled; the C library's sigmoid and tanh */
/* ⟨the shapes of the tiles, for the tests and lstm-bench⟩ */
#line 141 "chapters/E2-tiles.nw"
/* The kinds of tile: the tiled kernel's for up to TALL_ROWS rows of
   op(A) and for more, the dot products' for more than one row of A, and
   theirs for one row. */
enum { TILE_OUTER, TILE_TALL, TILE_DOT, TILE_ROW, TILE_KINDS };
enum { TALL_ROWS = 64 };
enum { TILE_MAX = 4 };   /* the most shapes of a kind */
int         tile_shapes(int kind);             /* how many shapes of the kind */
const char *tile_name(int kind, int shape);    /* "8x2": rows by vectors, or rows by rows */
int         tile_in_use(int kind);             /* timed at the first use, unless imposed */
double      tile_timed(int kind, int shape);   /* GFLOP/s the timing measured */
void        tile_impose(int kind, int shape);  /* use this shape from now on */
#line 500 "chapters/08-fast.nw"
#endif
