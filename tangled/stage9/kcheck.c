#line 31 "chapters/A4-kcheck.nw"
/* kcheck.c — checking every kernel against the textbook, and timing them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "kcheck.h"
#include "textbook.h"

/* ⟨check the product kernels⟩ */
#line 48 "chapters/A4-kcheck.nw"
/* A random rows x cols view into *full, a new matrix up to 4 columns wider,
   so that a kernel that ignores the stride gets the wrong answer. */
static Matrix random_view(Rng *rng, Matrix *full, int rows, int cols)
{
    *full = mat_new(rows, cols + (int)rng_below(rng, 5));
    mat_uniform(*full, -1, 1, rng);
    return mat_cols(*full, 0, cols);
}

static int random_size(Rng *rng)
{
    static const int awkward[] = { 1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 63, 65, 80 };
    return rng_below(rng, 2) ? awkward[rng_below(rng, 13)] : 1 + (int)rng_below(rng, 80);
}

/* The worst error/bound ratio of kernel fn over `cases` random products. */
static double check_one_kernel(GemmFn *fn, bool ta, bool tb, bool acc, long cases, Rng *rng)
{
    double worst = 0;
    for (long t = 0; t < cases; t++) {
        int m = random_size(rng), n = random_size(rng), k = random_size(rng);
        Matrix Af, Bf, Cf;
        Matrix A = ta ? random_view(rng, &Af, k, m) : random_view(rng, &Af, m, k);
        Matrix B = tb ? random_view(rng, &Bf, n, k) : random_view(rng, &Bf, k, n);
        Matrix C = random_view(rng, &Cf, m, n);
        wide *ref = xalloc((size_t)m * n, sizeof *ref), *abs_ref = xalloc((size_t)m * n, sizeof *ref);
        textbook_gemm(ta, tb, m, n, k, A.data, A.stride, B.data, B.stride, ref, abs_ref);
        Matrix C0 = mat_new(m, n);
        mat_copy(C0, C);
        fn(ta, tb, m, n, k, A.data, A.stride, B.data, B.stride, C.data, C.stride, acc);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                wide want = ref[(size_t)i * n + j], mag = abs_ref[(size_t)i * n + j];
                if (acc) { want += MAT(C0, i, j); mag += fabsl(MAT(C0, i, j)); }
                wide bound = gamma_k(k + 1) * mag + REAL_TRUE_MIN;
                double ratio = (double)(fabsl(MAT(C, i, j) - want) / bound);
                if (!(ratio <= worst)) worst = ratio;   /* NaN counts as the worst */
            }
        mat_free(&Af); mat_free(&Bf); mat_free(&Cf); mat_free(&C0); free(ref); free(abs_ref);
    }
    return worst;
}

int check_products(long cases, Rng *rng)
{
    static const char *form[2][2] = { { "A.B", "A.B^T" }, { "A^T.B", "A^T.B^T" } };
    int failures = 0;
    printf("%-10s %-7s %-12s %12s\n", "kernel", "form", "accumulate", "error/bound");
    for (int q = 0; q < gemm_kernel_count; q++)
        for (int f = 0; f < 3; f++)
            for (int acc = 0; acc < 2; acc++) {
                bool ta = f == 2, tb = f == 1;
                double r = check_one_kernel(gemm_kernels[q].fn, ta, tb, acc, cases, rng);
                bool ok = r <= 1;
                failures += !ok;
                printf("%-10s %-7s %-12s %12.4f  %s\n", gemm_kernels[q].name, form[ta][tb],
                       acc ? "C += ..." : "C = ...", r, ok ? "ok" : "FAIL");
            }
    return failures;
}
/* ⟨check the elementwise kernels⟩ */
#line 114 "chapters/A4-kcheck.nw"
static bool report(const char *name, const char *set, double worst)
{
    bool ok = worst <= 1;
    printf("%-22s %16s %12.4f  %s\n", name, set, worst, ok ? "ok" : "FAIL");
    return ok;
}

static double ratio(wide got, wide want, wide bound)
{
    double r = (double)(fabsl(got - want) / bound);
    return r == r ? r : INFINITY;   /* NaN is as bad as it gets */
}

int check_elementwise(long cases, Rng *rng)
{
    enum { N = 4096, V = 65 };
    Matrix X = mat_new(1, N), Y = mat_new(1, N);
    mat_uniform(X, -100, 100, rng);
    wide u = (wide)REAL_EPSILON / 2;
    int failures = 0;
    printf("\n%-22s %16s %12s\n", "elementwise kernel", "kernel set", "error/bound");
    for (int q = 0; kernel_sets[q]; q++) {
        wide worst_s = 0, worst_t = 0;
        kernel_sets[q]->sigmoid_row(Y.data, X.data, N);
        for (int j = 0; j < N; j++) {
            wide want = textbook_sigmoid(MAT(X, 0, j));
            worst_s = fmaxl(worst_s, ratio(MAT(Y, 0, j), want, 8 * u * want + REAL_TRUE_MIN));
        }
        kernel_sets[q]->tanh_row(Y.data, X.data, N);
        for (int j = 0; j < N; j++) {
            wide want = textbook_tanh(MAT(X, 0, j));
            worst_t = fmaxl(worst_t, ratio(MAT(Y, 0, j), want, 8 * u * fabsl(want) + REAL_TRUE_MIN));
        }
        failures += !report("sigmoid", kernel_sets[q]->name, (double)worst_s);
        failures += !report("tanh", kernel_sets[q]->name, (double)worst_t);
    }

    Matrix Z = mat_new((int)cases, V), P = mat_new(Z.rows, V), LP = mat_new(Z.rows, V);
    mat_uniform(Z, -100, 100, rng);
    mat_softmax_rows(P, Z);
    mat_log_softmax_rows(LP, Z);
    wide *ref = xalloc(V, sizeof *ref), worst_p = 0, worst_l = 0;
    for (int i = 0; i < Z.rows; i++) {
        const real *z = &MAT(Z, i, 0);
        wide c = z[0], spread = 0;
        for (int j = 1; j < V; j++) c = fmaxl(c, z[j]);
        for (int j = 0; j < V; j++) spread = fmaxl(spread, c - z[j]);
        textbook_softmax(V, z, ref);
        for (int j = 0; j < V; j++)
            worst_p = fmaxl(worst_p, ratio(MAT(P, i, j), ref[j],
                            (gamma_k(V + 3) + 2 * u * spread) * ref[j] + REAL_TRUE_MIN));
        textbook_log_softmax(V, z, ref);
        for (int j = 0; j < V; j++)
            worst_l = fmaxl(worst_l, ratio(MAT(LP, i, j), ref[j],
                            gamma_k(V + 3) + 2 * u * spread + 2 * u * fabsl(ref[j]) + u * logl(V)));
    }
    failures += !report("softmax (rows)", "", (double)worst_p);
    failures += !report("log-softmax (rows)", "", (double)worst_l);
    mat_free(&X); mat_free(&Y); mat_free(&Z); mat_free(&P); mat_free(&LP); free(ref);
    return failures;
}
/* ⟨time the product kernels⟩ */
#line 181 "chapters/A4-kcheck.nw"
/* GFLOP/s of one kernel on one shape: the median of `repeat` timed runs. */
static double gflops(GemmFn *fn, bool ta, bool tb, int m, int n, int k, long repeat, Rng *rng)
{
    Matrix A = ta ? mat_new(k, m) : mat_new(m, k);
    Matrix B = tb ? mat_new(n, k) : mat_new(k, n);
    Matrix C = mat_new(m, n);
    mat_uniform(A, -1, 1, rng);
    mat_uniform(B, -1, 1, rng);
    double rates[1000];
    for (long r = 0; r < repeat; r++) {
        long calls = 0;
        double start = seconds_now(), elapsed;
        do {
            fn(ta, tb, m, n, k, A.data, A.stride, B.data, B.stride, C.data, C.stride, false);
            calls++;
            elapsed = seconds_now() - start;
        } while (elapsed < 0.02);
        rates[r] = 2.0 * m * n * k * calls / elapsed * 1e-9;
    }
    for (long i = 1; i < repeat; i++)      /* insertion sort, for the median */
        for (long j = i; j > 0 && rates[j] < rates[j - 1]; j--) {
            double t = rates[j]; rates[j] = rates[j - 1]; rates[j - 1] = t;
        }
    mat_free(&A); mat_free(&B); mat_free(&C);
    return rates[repeat / 2];
}

void time_products(long repeat, Rng *rng)
{
    static const struct { const char *key, *form, *what; bool ta, tb; int m, n, k; } shapes[] = {
        { "plain", "A.B",   "32x256 . 256x1024  (a plain product)",     false, false, 32, 1024, 256 },
        { "gates", "A.B^T", "32x256 . (1024x256)^T  (gates: h W_hh^T)", false, true,  32, 1024, 256 },
        { "dh",    "A.B",   "32x1024 . 1024x256  (backward: dG W_hh)",  false, false, 32, 256, 1024 },
        { "dW",    "A^T.B", "(32x1024)^T . 32x256  (dW_hh = dG^T h)",   true,  false, 1024, 256, 32 },
    };
    enum { NSHAPES = sizeof shapes / sizeof shapes[0] };
    double rate[NSHAPES][8];
    printf("GFLOP/s (median of %ld runs; real = %s)\n", repeat, REAL_NAME);
    printf("%-6s %-42s", "form", "shape");
    for (int q = 0; q < gemm_kernel_count; q++) printf(" %10s", gemm_kernels[q].name);
    printf(" %9s\n", "speed-up");
    for (int s = 0; s < NSHAPES; s++) {
        printf("%-6s %-42s", shapes[s].form, shapes[s].what);
        fflush(stdout);
        for (int q = 0; q < gemm_kernel_count && q < 8; q++) {
            rate[s][q] = gflops(gemm_kernels[q].fn, shapes[s].ta, shapes[s].tb,
                                shapes[s].m, shapes[s].n, shapes[s].k, repeat, rng);
            printf(" %10.2f", rate[s][q]);
            fflush(stdout);
        }
        printf(" %8.1fx\n", rate[s][gemm_kernel_count - 1] / rate[s][0]);
    }
    /* ⟨print the figures the book quotes⟩ */
    #line 241 "chapters/A4-kcheck.nw"
    printf("\n");
    for (int s = 0; s < NSHAPES; s++) {
        for (int q = 0; q < gemm_kernel_count; q++)
            printf("%s %s: %.2f\n", gemm_kernels[q].name, shapes[s].key, rate[s][q]);
        printf("speed-up %s: %.1f\n", shapes[s].key, rate[s][gemm_kernel_count - 1] / rate[s][0]);
    }
#line 234 "chapters/A4-kcheck.nw"
}
