#line 64 "chapters/E1-threads.nw"
/* pool.c — a pool of threads that share a job out in bands. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "pool.h"
#include "prog.h"

/* ⟨the state of the pool⟩ */
#line 89 "chapters/E1-threads.nw"
#define SPIN_NS 200000L          /* spin for up to 0.2 ms before sleeping */

/* A job shared out in bands. */
typedef struct {
    PoolJob *fn;
    void *arg;
    int bands;
} Job;

static struct {
    pthread_mutex_t lock;
    pthread_cond_t work, done;   /* a new job for sleeping workers; the last worker done */
    atomic_long generation;      /* how many jobs so far (changed under lock) */
    atomic_long pending;         /* workers that have not finished this job */
    int workers;                 /* started so far */
    int sleepers;                /* workers asleep on `work` */
    const Job *job;
    long born[POOL_MAX_THREADS]; /* generation when worker w was started */
} pool = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER,
           0, 0, 0, 0, NULL, { 0 } };
static int thread_count;         /* 0: not chosen yet */
static long spin_ns;             /* how long to spin: SPIN_NS, or 0 (see below) */
/* ⟨spin until a counter has a value, or give up⟩ */
#line 119 "chapters/E1-threads.nw"
static long nanoseconds(void)
{
    struct timespec t;
    timespec_get(&t, TIME_UTC);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

/* Spin until (*counter == value) is `equal` (true) or SPIN_NS have passed
   (false). */
static bool spin_until(atomic_long *counter, long value, bool equal)
{
    long start = nanoseconds();
    for (int round = 1;; round++) {
        if ((atomic_load_explicit(counter, memory_order_acquire) == value) == equal) return true;
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
        if (spin_ns == 0 || (round % 256 == 0 && nanoseconds() - start > spin_ns)) return false;
    }
}
/* ⟨a worker: wait for a job, do its band, repeat⟩ */
#line 156 "chapters/E1-threads.nw"
static void *pool_worker(void *arg)
{
    int w = (int)(intptr_t)arg;
    long seen = pool.born[w];       /* the next job is its first */
    for (;;) {
        if (!spin_until(&pool.generation, seen, false)) {   /* a new job */
            pthread_mutex_lock(&pool.lock);
            pool.sleepers++;
            while (atomic_load(&pool.generation) == seen)
                pthread_cond_wait(&pool.work, &pool.lock);
            pool.sleepers--;
            pthread_mutex_unlock(&pool.lock);
        }
        seen = atomic_load(&pool.generation);
        const Job *j = pool.job;
        for (int band = w; band < j->bands; band += pool.workers + 1)
            j->fn(j->arg, band, j->bands);
        if (atomic_fetch_sub(&pool.pending, 1) == 1) {   /* the last one: tell the caller */
            pthread_mutex_lock(&pool.lock);
            pthread_cond_signal(&pool.done);
            pthread_mutex_unlock(&pool.lock);
        }
    }
    return NULL;
}
/* ⟨run a job in bands⟩ */
#line 188 "chapters/E1-threads.nw"
void pool_run(PoolJob *fn, void *arg, int bands)
{
    REQUIRE(bands >= 1 && bands <= POOL_MAX_THREADS, "pool_run: %d bands", bands);
    if (bands == 1) { fn(arg, 0, 1); return; }
    pthread_mutex_lock(&pool.lock);
    while (pool.workers < bands - 1) {
        pthread_t t;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pool.born[pool.workers + 1] = atomic_load(&pool.generation);
        int ok = pthread_create(&t, &attr, pool_worker, (void *)(intptr_t)(pool.workers + 1)) == 0;
        pthread_attr_destroy(&attr);
        if (!ok) break;
        pool.workers++;
    }
    Job job = { fn, arg, bands };
    pool.job = &job;
    atomic_store(&pool.pending, pool.workers);
    atomic_fetch_add(&pool.generation, 1);
    if (pool.sleepers > 0) pthread_cond_broadcast(&pool.work);
    pthread_mutex_unlock(&pool.lock);
    for (int band = 0; band < bands; band += pool.workers + 1) fn(arg, band, bands);
    if (!spin_until(&pool.pending, 0, true)) {
        pthread_mutex_lock(&pool.lock);
        while (atomic_load(&pool.pending) > 0) pthread_cond_wait(&pool.done, &pool.lock);
        pthread_mutex_unlock(&pool.lock);
    }
}
/* ⟨choose the number of threads⟩ */
#line 230 "chapters/E1-threads.nw"
void pool_set_threads(int n)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (n <= 0) {
        n = cpus < 1 ? 1 : cpus > POOL_MAX_THREADS ? POOL_MAX_THREADS : (int)cpus;
        /* ⟨take the number of threads from LSTM_THREADS, if it is set and right⟩ */
        #line 255 "chapters/E1-threads.nw"
        const char *env = getenv("LSTM_THREADS");
        if (env) {
            char *end;
            errno = 0;
            long v = strtol(env, &end, 10);
            if (end != env && *end == '\0' && errno == 0 && v >= 1 && v <= POOL_MAX_THREADS)
                n = (int)v;
            else
                warn("LSTM_THREADS='%s' is not a whole number from 1 to %d; using %d threads",
                     env, POOL_MAX_THREADS, n);
        }
    #line 236 "chapters/E1-threads.nw"
    }
    thread_count = n < POOL_MAX_THREADS ? n : POOL_MAX_THREADS;
    spin_ns = thread_count <= cpus ? SPIN_NS : 0;
}

int pool_threads(void)
{
    if (thread_count == 0) pool_set_threads((int)prog_threads);   /* --threads, or 0 */
    return thread_count;
}
/* ⟨pool.c functions⟩ */
