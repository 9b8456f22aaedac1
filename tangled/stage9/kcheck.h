#line 14 "chapters/A4-kcheck.nw"
/* kcheck.h — checking every kernel against the textbook, and timing them. */
#ifndef KCHECK_H
#define KCHECK_H
#include "matrix.h"

/* Check every product kernel in every form (and the elementwise kernels of
   every kernel set) on `cases` random inputs each, print a table, and return
   the number of checks that failed. */
int check_products(long cases, Rng *rng);
int check_elementwise(long cases, Rng *rng);
/* Time the product kernels on the products an LSTM layer computes (the
   median of `repeat` runs), print a table, and the figures the book quotes. */
void time_products(long repeat, Rng *rng);
#endif
