#line 68 "chapters/E1-threads.nw"
/* pool.c — a pool of threads that share a job out in bands. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "pool.h"
#include "prog.h"

/* ⟨the state of the pool⟩ */
#line 95 "chapters/E1-threads.nw"
#define SPIN_NS 200000L          /* spin for up to 0.2 ms before sleeping */
#define SOLO_MAX 1024            /* the most jobs run alone before trying the workers again */
#define JUDGE_JOBS 16            /* jobs shared out between two judgements */

static struct {
    pthread_mutex_t lock;
    pthread_cond_t work, done;   /* a new job for sleeping workers; the last band done */
    atomic_long generation;      /* how many jobs so far (changed under lock) */
    atomic_long ticket;          /* this job: generation << 16 | bands << 8 | next band */
    atomic_long finished;        /* bands of this job done */
    PoolJob *fn;                 /* this job's function and argument, */
    void *arg;                   /* read only by a thread that holds one of its bands */
    int workers;                 /* started so far */
    int sleepers;                /* workers asleep on `work` */
    long born[POOL_MAX_THREADS]; /* generation when worker w was started */
    long solo, backoff;          /* jobs still to run alone; how many the next time */
    long took, alone;            /* over the jobs judged so far: ns taken, ns alone (estimated) */
    long wall0, cpu0;            /* the caller's clock and processor time when they began */
    int judged;                  /* how many */
} pool = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER,
           0, 0, 0, NULL, NULL, 0, 0, { 0 }, 0, 1, 0, 0, 0, 0, 0 };
static int thread_count;         /* 0: not chosen yet */
static long spin_ns;             /* how long to spin: SPIN_NS, or 0 (see below) */
static bool share_always;        /* pool_share_always */
static long jobs_alone;          /* pool_jobs_alone */
/* ⟨spin until a counter has a value, or give up⟩ */
#line 128 "chapters/E1-threads.nw"
static long nanoseconds(void)
{
    struct timespec t;
    timespec_get(&t, TIME_UTC);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

/* The processor time the calling thread has had. */
static long thread_nanoseconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

/* Spin until (*counter == value) is `equal` (true) or SPIN_NS have passed
   (false).  Every 256 rounds it also yields the processor, in case a thread
   it waits for is waiting for this processor. */
static bool spin_until(atomic_long *counter, long value, bool equal)
{
    long start = nanoseconds();
    for (int round = 1;; round++) {
        if ((atomic_load_explicit(counter, memory_order_acquire) == value) == equal) return true;
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
        if (spin_ns == 0) return false;
        if (round % 256 == 0) {
            if (nanoseconds() - start > spin_ns) return false;
            sched_yield();
        }
    }
}
/* ⟨take the next band of a job⟩ */
#line 181 "chapters/E1-threads.nw"
/* The next band of job `gen` (and its count of bands in *bands), or -1 if
   that job has none left or is over. */
static int take_band(long gen, int *bands)
{
    long t = atomic_load_explicit(&pool.ticket, memory_order_acquire);
    while (t >> 16 == gen && (t & 255) < ((t >> 8) & 255))
        if (atomic_compare_exchange_weak_explicit(&pool.ticket, &t, t + 1, memory_order_acq_rel,
                                                  memory_order_acquire)) {
            *bands = (int)((t >> 8) & 255);
            return (int)(t & 255);
        }
    return -1;
}

/* Take and run bands of job gen while there are any; returns how many. */
static int run_bands(long gen)
{
    int band, bands, ran = 0;
    while ((band = take_band(gen, &bands)) >= 0) {
        pool.fn(pool.arg, band, bands);
        ran++;
    }
    if (ran > 0 && atomic_fetch_add(&pool.finished, ran) + ran == bands) {
        pthread_mutex_lock(&pool.lock);          /* the last band: tell the caller */
        pthread_cond_signal(&pool.done);
        pthread_mutex_unlock(&pool.lock);
    }
    return ran;
}
/* ⟨a worker: wait for a job, do its band, repeat⟩ */
#line 220 "chapters/E1-threads.nw"
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
        run_bands(seen);
    }
    return NULL;
}
/* ⟨run a job in bands⟩ */
#line 266 "chapters/E1-threads.nw"
void pool_run(PoolJob *fn, void *arg, int bands)
{
    REQUIRE(bands >= 1 && bands <= POOL_MAX_THREADS, "pool_run: %d bands", bands);
    if (bands == 1 || (pool.solo > 0 && !share_always)) {   /* alone: the same bands, in turn */
        if (bands > 1) { pool.solo--; jobs_alone++; }
        for (int band = 0; band < bands; band++) fn(arg, band, bands);
        return;
    }
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
    long gen = atomic_load(&pool.generation) + 1;
    pool.fn = fn;
    pool.arg = arg;
    atomic_store(&pool.finished, 0);
    atomic_store_explicit(&pool.ticket, gen << 16 | (long)bands << 8, memory_order_release);
    atomic_store(&pool.generation, gen);
    if (pool.sleepers > 0) pthread_cond_broadcast(&pool.work);
    pthread_mutex_unlock(&pool.lock);
    long start = nanoseconds();
    if (pool.judged == 0) { pool.wall0 = start; pool.cpu0 = thread_nanoseconds(); }
    int mine = run_bands(gen);
    long own = nanoseconds() - start;
    if (!spin_until(&pool.finished, bands, true)) {
        pthread_mutex_lock(&pool.lock);
        while (atomic_load(&pool.finished) < bands) pthread_cond_wait(&pool.done, &pool.lock);
        pthread_mutex_unlock(&pool.lock);
    }
    if (!share_always) {
        /* ⟨run the next jobs alone if the workers cost more than they gave⟩ */
        #line 320 "chapters/E1-threads.nw"
        long now = nanoseconds();
        pool.took += now - start;
        pool.alone += mine > 0 ? own / mine * bands : now - start;
        if (++pool.judged == JUDGE_JOBS) {
            long wall = now - pool.wall0, cpu = thread_nanoseconds() - pool.cpu0;
            if (pool.took * 10 > pool.alone * 9 || cpu * 10 < wall * 9) {   /* no gain, or no processor */
                pool.solo = pool.backoff;
                pool.backoff = pool.backoff * 2 < SOLO_MAX ? pool.backoff * 2 : SOLO_MAX;
            } else {
                pool.backoff = 1;
            }
            pool.took = pool.alone = pool.judged = 0;
        }
    #line 305 "chapters/E1-threads.nw"
    }
}

void pool_share_always(bool on) { share_always = on; }
long pool_jobs_alone(void) { return jobs_alone; }
/* ⟨choose the number of threads⟩ */
#line 346 "chapters/E1-threads.nw"
void pool_set_threads(int n)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (n <= 0) {
        n = cpus < 1 ? 1 : cpus > POOL_MAX_THREADS ? POOL_MAX_THREADS : (int)cpus;
        /* ⟨take the number of threads from LSTM_THREADS, if it is set and right⟩ */
        #line 371 "chapters/E1-threads.nw"
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
    #line 352 "chapters/E1-threads.nw"
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
