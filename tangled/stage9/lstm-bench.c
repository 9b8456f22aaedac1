#line 12 "chapters/E3-bench.nw"
/* lstm-bench — the product kernels, a training step and sampling, timed
   with each kernel, in one run. */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "backprop.h"
#include "optim.h"
#include "pool.h"
#include "prog.h"
#include "sample.h"
#include "tiled.h"
#include "vector.h"

/* ⟨lstm-bench options⟩ */
#line 58 "chapters/E3-bench.nw"
static long opt_seed, opt_repeat, opt_steps, opt_chars;
static long opt_hidden, opt_layers, opt_vocab, opt_seq, opt_batch;
static bool opt_no_products, opt_no_load, opt_fast_only;
static const Option options[] = {
    { "repeat",      OPT_INT, &opt_repeat, "5",   1, 1000, "N", "timed runs per figure; the median is shown" },
    { "steps",       OPT_INT, &opt_steps,  "3",   1, 1e6,  "N", "training steps per timed run" },
    { "chars",       OPT_INT, &opt_chars,  "300", 1, 1e8,  "N", "characters sampled per timed run" },
    { "hidden",      OPT_INT, &opt_hidden, "256", 1, 4096, "H", "cells per layer of the timed model" },
    { "layers",      OPT_INT, &opt_layers, "2",   1, 16,   "L", "layers" },
    { "vocab",       OPT_INT, &opt_vocab,  "65",  2, 1e5,  "V", "vocabulary size" },
    { "seq",         OPT_INT, &opt_seq,    "100", 1, 10000, "T", "characters per stream per step" },
    { "batch",       OPT_INT, &opt_batch,  "32",  1, 4096, "B", "streams per step" },
    { "seed",        OPT_INT, &opt_seed,   "1",   0, 4e9,  "N", "seed of the random weights and text" },
    { "no-products", OPT_FLAG, &opt_no_products, NULL, 0, 0, NULL, "skip the products" },
    { "no-load",     OPT_FLAG, &opt_no_load, NULL, 0, 0, NULL, "skip the runs with a core held busy" },
    { "fast-only",   OPT_FLAG, &opt_fast_only, NULL, 0, 0, NULL,
      "time only training and sampling with the set fast, on 1 thread and on all" },
    OPTIONS_END
};
static const Usage usage = {
    "lstm-bench [OPTIONS]",
    "Time the product kernels on LSTM-shaped products, then a training step\n"
    "(forward, backward, clipping, Adam) and sampling at batch 1 with the\n"
    "kernel sets reference (chapter 1), tiled and fast (chapter 8).  Figures\n"
    "are medians of --repeat runs; ratios are between figures of this run.",
    options, 0, 0
};

/* The median of n values (n <= 1000), which it sorts. */
static double median(double *x, long n)
{
    for (long i = 1; i < n; i++)
        for (long j = i; j > 0 && x[j] < x[j - 1]; j--) {
            double t = x[j]; x[j] = x[j - 1]; x[j - 1] = t;
        }
    return x[n / 2];
}
/* ⟨time the products with each kernel⟩ */
#line 111 "chapters/E3-bench.nw"
/* GFLOP/s of independent vector multiply-adds: the peak of one core. */
static double peak_rate(void)
{
    enum { ACC = 12 };
    double rate[1000];
    for (long r = 0; r < opt_repeat; r++) {
        vreal a[ACC], b = (vreal){ 0 } + (real)0.999999, c = (vreal){ 0 } + (real)1e-7;
        for (int i = 0; i < ACC; i++) a[i] = (vreal){ 0 } + (real)i;
        long iterations = 20000000;
        double start = seconds_now();
        for (long t = 0; t < iterations; t++)
            for (int i = 0; i < ACC; i++) a[i] = a[i] * b + c;
        double elapsed = seconds_now() - start;
        static volatile real sink;  /* use the results, so that the loop stays */
        for (int i = 0; i < ACC; i++) sink += a[i][0];
        rate[r] = 2.0 * VW * ACC * (double)iterations / elapsed * 1e-9;
    }
    return median(rate, opt_repeat);
}

static double product_rate(GemmFn *fn, bool ta, bool tb, int m, int n, int k, Rng *rng)
{
    Matrix A = ta ? mat_new(k, m) : mat_new(m, k), B = tb ? mat_new(n, k) : mat_new(k, n);
    Matrix C = mat_new(m, n);
    mat_uniform(A, -1, 1, rng);
    mat_uniform(B, -1, 1, rng);
    double rate[1000];
    for (long r = 0; r < opt_repeat; r++) {
        long calls = 0;
        double start = seconds_now(), elapsed;
        do {
            fn(ta, tb, m, n, k, A.data, A.stride, B.data, B.stride, C.data, C.stride, false);
            calls++;
            elapsed = seconds_now() - start;
        } while (elapsed < 0.05);
        rate[r] = 2.0 * m * n * k * calls / elapsed * 1e-9;
    }
    mat_free(&A); mat_free(&B); mat_free(&C);
    return median(rate, opt_repeat);
}

/* The LSTM's products, each with the kind of tile that computes it; the
   last, the sampler's, is timed only with the tiles. */
static const struct { const char *key, *what; bool ta, tb; int m, n, k, kind; } shapes[] = {
    { "gates256", "32x256 . (1024x256)^T      gates, H = 256",        false, true,  32, 1024, 256, TILE_DOT },
    { "gates512", "32x512 . (2048x512)^T      gates, H = 512",        false, true,  32, 2048, 512, TILE_DOT },
    { "input512", "3200x512 . (2048x512)^T    all T B rows, H = 512", false, true,  3200, 2048, 512, TILE_DOT },
    { "dh256",    "32x1024 . 1024x256         backward dG W_hh",      false, false, 32, 256, 1024, TILE_OUTER },
    { "dW256",    "(3200x1024)^T . 3200x256   dW_hh, all T B rows",   true,  false, 1024, 256, 3200, TILE_TALL },
    { "row256",   "1x256 . (1024x256)^T       sampling, H = 256",     false, true,  1, 1024, 256, TILE_ROW },
};
enum { NSHAPES = sizeof shapes / sizeof shapes[0] - 1 };
static void bench_tiles(Rng *rng);

static void bench_products(double peak, Rng *rng)
{
    GemmFn *fns[3] = { gemm_blocked, gemm_tiled, gemm_tiled };
    int threads[3] = { 1, 1, pool_threads() };
    double rate[NSHAPES][3];
    printf("products, GFLOP/s (median of %ld runs; real = %s)\n", opt_repeat, REAL_NAME);
    printf("%-50s %9s %9s %7s %11s\n", "shape", "blocked", "tiled", "ratio", "threads");
    printf("%-50s %9s %9s %7s %11d\n", "", "1 thread", "1 thread", "", threads[2]);
    for (int s = 0; s < NSHAPES; s++) {
        for (int q = 0; q < 3; q++) {
            pool_set_threads(threads[q]);
            rate[s][q] = product_rate(fns[q], shapes[s].ta, shapes[s].tb,
                                      shapes[s].m, shapes[s].n, shapes[s].k, rng);
        }
        printf("%-50s %9.1f %9.1f %6.1fx %11.1f\n", shapes[s].what, rate[s][0], rate[s][1],
               rate[s][1] / rate[s][0], rate[s][2]);
        fflush(stdout);
    }
    pool_set_threads(threads[2]);
    printf("\n");
    for (int s = 0; s < NSHAPES; s++)
        printf("product %s of peak: %.0f%%\n", shapes[s].key, 100 * rate[s][1] / peak);
    for (int s = 0; s < NSHAPES; s++)
        printf("product %s blocked: %.1f\nproduct %s tiled: %.1f\nproduct %s ratio: %.1f\n"
               "product %s threads: %.1f\n",
               shapes[s].key, rate[s][0], shapes[s].key, rate[s][1], shapes[s].key,
               rate[s][1] / rate[s][0], shapes[s].key, rate[s][2]);
    printf("\n");
    bench_tiles(rng);
}
/* ⟨time every shape of tile on the products it serves⟩ */
#line 204 "chapters/E3-bench.nw"
static void bench_tiles(Rng *rng)
{
    static const char *kinds[TILE_KINDS] = { "tiled", "tall", "dots", "one row" };
    double first[NSHAPES + 1] = { 0 }, used[NSHAPES + 1] = { 0 };
    int threads = pool_threads();
    pool_set_threads(1);
    printf("tile shapes, 1 thread: GFLOP/s (median of %ld runs); * the one the timing chose\n",
           opt_repeat);
    printf("%-8s %-6s %6s  %s\n", "kind", "shape", "timed", "products");
    for (int kind = 0; kind < TILE_KINDS; kind++) {
        int chosen = tile_in_use(kind);
        for (int t = 0; t < tile_shapes(kind); t++) {
            tile_impose(kind, t);
            printf("%-8s %-5s%s %6.1f ", kinds[kind], tile_name(kind, t), t == chosen ? "*" : " ",
                   tile_timed(kind, t));
            for (int s = 0; s <= NSHAPES; s++) {
                if (shapes[s].kind != kind) continue;
                double r = product_rate(gemm_tiled, shapes[s].ta, shapes[s].tb, shapes[s].m,
                                        shapes[s].n, shapes[s].k, rng);
                printf("  %s %6.1f", shapes[s].key, r);
                if (t == 0) first[s] = r;
                if (t == chosen) used[s] = r;
            }
            printf("\n");
            fflush(stdout);
        }
        tile_impose(kind, chosen);
    }
    pool_set_threads(threads);
    printf("\ntiles:");
    for (int kind = 0; kind < TILE_KINDS; kind++)
        printf("%s %s %s", kind ? "," : "", kinds[kind], tile_name(kind, tile_in_use(kind)));
    printf("\n");
    for (int s = 0; s <= NSHAPES; s++) printf("tile gain %s: %.2f\n", shapes[s].key, used[s] / first[s]);
    printf("\n");
}
/* ⟨time a training step with a kernel⟩ */
#line 269 "chapters/E3-bench.nw"
/* Characters per second of training steps with the kernel set called
   `set`: the median of opt_repeat runs of opt_steps steps. */
static double train_rate(const char *set, Rng *rng)
{
    int V = (int)opt_vocab, H = (int)opt_hidden, L = (int)opt_layers;
    int T = (int)opt_seq, B = (int)opt_batch;
    uint32_t *cp = xalloc((size_t)V, sizeof *cp);
    for (int v = 0; v < V; v++) cp[v] = (uint32_t)(32 + v);
    Vocab vocab = vocab_of(cp, (size_t)V);
    Model m = model_new(&vocab, H, L), g = model_like(&m);
    model_init(&m, rng);
    Trace tr = trace_new(&m, T, B);
    Backprop bp = backprop_new(&m, T, B);
    State s = state_new(&m, B);
    Optimizer o = optim_new(OPTIM_ADAM, 0, &m);
    int *tok = xalloc((size_t)(T + 1) * (size_t)B, sizeof *tok);
    for (size_t i = 0; i < (size_t)(T + 1) * (size_t)B; i++) tok[i] = (int)rng_below(rng, (uint64_t)V);
    const KernelSet *before = kernels();
    if (!kernels_choose(set)) bug("train_rate: no kernel set %s", set);
    double rate[1000];
    for (long r = 0; r < opt_repeat; r++) {
        double start = seconds_now();
        for (long step = 0; step < opt_steps; step++) {
            net_forward(&m, &tr, T, tok, tok + B, &s, NULL);
            model_zero(&g);
            net_backward(&m, &tr, T, tok, tok + B, (real)(1.0 / ((double)T * B)), &g, &bp, NULL, NULL);
            clip_global_norm(&g, 5);
            optim_step(&o, &m, &g, 0.002);
        }
        rate[r] = (double)T * B * opt_steps / (seconds_now() - start);
    }
    kernels_choose(before->name);
    free(tok); optim_free(&o); state_free(&s); backprop_free(&bp); trace_free(&tr);
    model_free(&g); model_free(&m); vocab_free(&vocab); free(cp);
    return median(rate, opt_repeat);
}
/* ⟨time sampling with a kernel⟩ */
#line 311 "chapters/E3-bench.nw"
static double sample_rate(const char *set, Rng *rng)
{
    int V = (int)opt_vocab;
    uint32_t *cp = xalloc((size_t)V, sizeof *cp);
    for (int v = 0; v < V; v++) cp[v] = (uint32_t)(32 + v);
    Vocab vocab = vocab_of(cp, (size_t)V);
    Model m = model_new(&vocab, (int)opt_hidden, (int)opt_layers);
    model_init(&m, rng);
    SampleRule rule = { 1.0, 0, 1.0, false };
    const KernelSet *before = kernels();
    if (!kernels_choose(set)) bug("sample_rate: no kernel set %s", set);
    double rate[1000];
    for (long r = 0; r < opt_repeat; r++) {
        Sampler s = sampler_new(&m);
        int first = 0;
        sampler_prime(&s, &first, 1);
        double start = seconds_now();
        for (long i = 0; i < opt_chars; i++) sampler_next(&s, &rule, rng);
        rate[r] = (double)opt_chars / (seconds_now() - start);
        sampler_free(&s);
    }
    kernels_choose(before->name);
    model_free(&m); vocab_free(&vocab); free(cp);
    return median(rate, opt_repeat);
}
/* ⟨time reading the weights from the caches⟩ */
#line 390 "chapters/E3-bench.nw"
typedef struct { const real *x; size_t n; real sum[POOL_MAX_THREADS]; } ReadJob;

/* Sum band `band` of x, in whole vectors, eight at a time (eight sums in
   flight hide the latency of an add). */
static void read_band(void *arg, int band, int bands)
{
    ReadJob *j = arg;
    size_t vecs = j->n / VW, lo = vecs * (size_t)band / (size_t)bands * VW,
           hi = vecs * (size_t)(band + 1) / (size_t)bands * VW;
    vreal a[8] = { { 0 } };
    size_t i = lo;
    for (; i + 8 * VW <= hi; i += 8 * VW)
        for (int k = 0; k < 8; k++) {
            vreal v;
            memcpy(&v, j->x + i + (size_t)k * VW, sizeof v);
            a[k] += v;
        }
    for (; i + VW <= hi; i += VW) {
        vreal v;
        memcpy(&v, j->x + i, sizeof v);
        a[0] += v;
    }
    vreal s = a[0] + a[1] + a[2] + a[3] + a[4] + a[5] + a[6] + a[7];
    real t = 0;
    for (int l = 0; l < VW; l++) t += s[l];
    j->sum[band] = t;
}

/* Bytes per second of reading `bytes` bytes with `threads` threads: the
   median of opt_repeat runs of as many passes as take 5 milliseconds. */
static double read_rate(size_t bytes, int threads)
{
    size_t n = bytes / sizeof(real);
    real *x = xalloc(n, sizeof *x);
    for (size_t i = 0; i < n; i++) x[i] = (real)(i % 7);
    ReadJob j = { x, n, { 0 } };
    pool_set_threads(threads);
    double rate[1000];
    for (long r = 0; r < opt_repeat; r++) {
        double start = seconds_now(), elapsed;
        long passes = 0;
        do {
            pool_run(read_band, &j, threads);
            passes++;
        } while ((elapsed = seconds_now() - start) < 0.005);
        rate[r] = (double)passes * (double)(n * sizeof(real)) / elapsed;
    }
    free(x);
    return median(rate, opt_repeat);
}
/* ⟨time the default threads against one, with a core taken⟩ */
#line 471 "chapters/E3-bench.nw"
static void under_load(int nthreads, Rng *rng)
{
    if (nthreads < 2) { printf("\nunder load: one thread only, skipped\n"); return; }
    fflush(stdout);
    pid_t parent = getpid(), busy = fork();
    if (busy < 0) { warn("under load: cannot start the busy process; skipped"); return; }
    if (busy == 0)                           /* the other program: a core, held while we live */
        for (;;) {
            for (volatile long spin = 0; spin < 10000000; spin++) {}
            if (getppid() != parent) _exit(0);
        }
    long repeat = opt_repeat, chars = opt_chars;
    double ratio[2][1000];
    opt_repeat = 1;                          /* one run each, in alternation */
    opt_chars = 10 * chars;
    for (long r = 0; r < repeat; r++)
        for (int w = 0; w < 2; w++) {
            double rate[2];
            for (int k = 0; k < 2; k++) {    /* k = 0: the default threads; 1: one */
                pool_set_threads(k == 0 ? nthreads : 1);
                rate[k] = w == 0 ? sample_rate("fast", rng) : train_rate("fast", rng);
            }
            ratio[w][r] = rate[0] / rate[1];
        }
    kill(busy, SIGKILL);
    waitpid(busy, NULL, 0);
    opt_repeat = repeat;
    opt_chars = chars;
    pool_set_threads(nthreads);
    printf("\nunder load, one core held busy: %d threads against 1 (median of %ld pairs)\n",
           nthreads, repeat);
    printf("under load sample ratio: %.2f\nunder load train ratio: %.2f\n",
           median(ratio[0], repeat), median(ratio[1], repeat));
}
/* ⟨time the set fast alone, for make bench's turns with PyTorch⟩ */
#line 248 "chapters/E3-bench.nw"
static int time_fast_alone(int nthreads, Rng *rng)
{
    double rate[2][2];   /* [training, sampling][one thread, all] */
    for (int q = 0; q < 2; q++) {
        pool_set_threads(q == 0 ? 1 : nthreads);
        rate[0][q] = train_rate("fast", rng);
        rate[1][q] = sample_rate("fast", rng);
    }
    pool_set_threads(nthreads);
    printf("fast train 1: %.0f\nfast train threads: %.0f\nfast sample 1: %.0f\n"
           "fast sample threads: %.0f\n", rate[0][0], rate[0][1], rate[1][0], rate[1][1]);
    return finish();
}

int main(int argc, char **argv)
{
    prog_name = "lstm-bench";
    parse_options(argc, argv, &usage);
    Rng rng;
    rng_seed(&rng, (uint64_t)opt_seed, 8);
    int nthreads = pool_threads();
    if (opt_fast_only) return time_fast_alone(nthreads, &rng);
    pool_set_threads(1);
    double peak = peak_rate();
    printf("peak of one core: %.1f GFLOP/s (independent %d-wide multiply-adds)\n\n", peak, VW);
    pool_set_threads(nthreads);
    if (!opt_no_products) bench_products(peak, &rng);
    /* ⟨time the trainer and the sampler with each kernel set⟩ */
    #line 339 "chapters/E3-bench.nw"
    const char *rows[4] = { "blocked, C library", "tiled, C library", "tiled, vector gates",
                            nthreads == 1 ? "(one processor)" : "tiled, vector, threads" };
    double train[4], sample[4];
    pool_set_threads(1);
    train[0] = train_rate("reference", &rng);
    train[1] = train_rate("tiled", &rng);
    train[2] = train_rate("fast", &rng);
    pool_set_threads(nthreads);
    train[3] = train_rate("fast", &rng);
    printf("training, %ld layers x %ld, V = %ld, T = %ld, B = %ld: chars/s (median of %ld runs of %ld steps)\n",
           opt_layers, opt_hidden, opt_vocab, opt_seq, opt_batch, opt_repeat, opt_steps);
    for (int i = 0; i < 4; i++) printf("%-24s %9.0f\n", rows[i], train[i]);
    /* ⟨print the most the peak of one core allows⟩ */
    #line 523 "chapters/E3-bench.nw"
    double H = (double)opt_hidden, flops = 3 * (8 * H * H * (2 * (double)opt_layers - 1) + 2 * H * (double)opt_vocab);
    double ceiling = peak * 1e9 / flops;
    printf("%-24s %9.0f\n", "(the peak of one core)", ceiling);
    #line 352 "chapters/E3-bench.nw"
    printf("\n");
    fflush(stdout);
    pool_set_threads(1);
    sample[0] = sample_rate("reference", &rng);
    sample[1] = sample_rate("tiled", &rng);
    sample[2] = sample_rate("fast", &rng);
    pool_set_threads(nthreads);
    sample[3] = sample_rate("fast", &rng);
    printf("sampling at batch 1, %ld layers x %ld: chars/s (median of %ld runs of %ld chars)\n",
           opt_layers, opt_hidden, opt_repeat, opt_chars);
    for (int i = 0; i < 4; i++) printf("%-24s %9.0f\n", rows[i], sample[i]);
    printf("\n");
    /* ⟨print the most the caches allow sampling⟩ */
    #line 443 "chapters/E3-bench.nw"
    double per_char = ((double)(8 * H * H * (double)opt_layers - 4 * H * H)     /* W_hh, upper W_ih */
                       + 4 * H * (double)opt_layers + (double)opt_vocab * (H + 1))  /* biases, decoder */
                      * sizeof(real) + 4 * H * 64;                   /* a column of W_ih: 4H lines */
    double bw[2] = { read_rate((size_t)per_char, 1), read_rate((size_t)per_char, nthreads) };
    pool_set_threads(nthreads);
    printf("sampling's bound: reading %.2f MB per character from the caches\n", per_char / 1e6);
    printf("%-24s %6.1f GB/s %9.0f chars/s  sampling at %.0f%% of it\n", "1 thread", bw[0] / 1e9,
           bw[0] / per_char, 100 * sample[2] / (bw[0] / per_char));
    printf("%-24s %6.1f GB/s %9.0f chars/s  sampling at %.0f%% of it\n", nthreads == 1 ? "(one processor)" :
           "all threads", bw[1] / 1e9, bw[1] / per_char, 100 * sample[3] / (bw[1] / per_char));
    printf("\n");
    printf("sample bound 1: %.0f\nsample of bound 1: %.0f%%\n", bw[0] / per_char, 100 * sample[2] / (bw[0] / per_char));
    printf("sample bound all: %.0f\nsample of bound all: %.0f%%\n", bw[1] / per_char,
           100 * sample[3] / (bw[1] / per_char));
    #line 365 "chapters/E3-bench.nw"
    printf("threads: %d\npeak: %.1f\n", nthreads, peak);
    printf("train flop per char: %.0f\nsample flop per char: %.0f\n", flops, flops / 3);
    printf("train ceiling: %.0f\ntrain of ceiling: %.0f%%\n", ceiling, 100 * train[2] / ceiling);
    const char *what[2] = { "train", "sample" };
    for (int w = 0; w < 2; w++) {
        double *x = w == 0 ? train : sample;
        printf("%s blocked: %.0f\n%s tiled: %.0f\n%s ratio: %.2f\n", what[w], x[0], what[w], x[1],
               what[w], x[1] / x[0]);
        printf("%s vector: %.0f\n%s vector ratio: %.2f\n", what[w], x[2], what[w], x[2] / x[1]);
        printf("%s threads: %.0f\n%s threads ratio: %.2f\n", what[w], x[3], what[w], x[3] / x[2]);
        printf("%s overall: %.2f\n", what[w], x[3] / x[0]);
    }
    #line 52 "chapters/E3-bench.nw"
    if (!opt_no_load) under_load(nthreads, &rng);
    return finish();
}
