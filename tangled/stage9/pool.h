#line 18 "chapters/E1-threads.nw"
/* pool.h — a pool of threads that share a job out in bands. */
#ifndef POOL_H
#define POOL_H
#include "base.h"

enum { POOL_MAX_THREADS = 64 };   /* the most --threads and LSTM_THREADS accept */

/* The threads jobs may use: n >= 1 (1: the caller alone); n = 0: --threads
   if it was given, else LSTM_THREADS if it is set and right, else one per
   processor online (the start). */
void pool_set_threads(int n);
int  pool_threads(void);

/* Run job(arg, band, bands) for every band from 0 to bands - 1, each band
   in whichever thread takes it first, the caller or a worker; return when
   all are done.  1 <= bands <= pool_threads().  When sharing out does not
   pay (the machine is busy), the caller runs the next jobs alone. */
typedef void PoolJob(void *arg, int band, int bands);
void pool_run(PoolJob *job, void *arg, int bands);
/* For the tests: share out every job whether it pays or not (on), or judge
   (off, the start); and how many jobs ran alone because sharing did not pay. */
void pool_share_always(bool on);
long pool_jobs_alone(void);
/* ⟨pool.h declarations⟩ */
#line 42 "chapters/E1-threads.nw"
#endif
