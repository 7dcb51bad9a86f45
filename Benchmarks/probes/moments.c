// The moments probe behind BENCHMARKS.md's 2026-12-07 section: the shipped AVX2 moments
// kernel (sixteen partial sums of each kind) against the same loop with four partial sums, the
// kernel before that day (one AVX2 vector of sums: one chain of dependent additions), over
// speechless's 75,001 x 128 output in blocks of 1,024 rows as FeatureExtractor hands them.
// Best of 9 each. Usage: see run.sh.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "SpectralKernels.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

__attribute__((target("avx2,fma"))) static void four_sums(
    const float *x, size_t n, double shift, double *sum, double *squares) {
    double s[4] = {0, 0, 0, 0}, q[4] = {0, 0, 0, 0};
    size_t whole = n / 4 * 4;
    for (size_t i = 0; i < whole; i += 4)
        for (int l = 0; l < 4; l++) {
            double d = (double)x[i + l] - shift;
            s[l] += d;
            q[l] += d * d;
        }
    double total = (s[0] + s[1]) + (s[2] + s[3]), total2 = (q[0] + q[1]) + (q[2] + q[3]);
    for (size_t i = whole; i < n; i++) {
        double d = (double)x[i] - shift;
        total += d;
        total2 += d * d;
    }
    *sum = total;
    *squares = total2;
}

typedef void (*moments_fn)(const float *, size_t, double, double *, double *);

static double best(moments_fn f, const float *x, size_t block, size_t blocks, double *sum) {
    double fastest = 1e9;
    for (int r = 0; r < 9; r++) {
        double t = now(), total = 0, s, q;
        for (size_t b = 0; b < blocks; b++) {
            f(x, block, x[0], &s, &q);
            total += s + q;
        }
        fastest = fmin(fastest, now() - t);
        *sum = total;
    }
    return fastest;
}

int main(void) {
    const psk_kernel_table *avx2 = psk_kernels(1);
    if (avx2 == NULL) {
        puts("moments: no AVX2 + FMA on this CPU");
        return 0;
    }
    const size_t block = (size_t)1024 * 128, blocks = 75001 / 1024 + 1;
    float *x = malloc(sizeof(float) * block);
    srand(1);
    for (size_t i = 0; i < block; i++) x[i] = (float)(rand() / (double)RAND_MAX * 4 - 2);
    double a, b;
    double four = best(four_sums, x, block, blocks, &a), sixteen = best(avx2->moments, x, block, blocks, &b);
    printf("moments of %zu values: four partial sums %.4f s | shipped (sixteen) %.4f s | relative difference %.1e\n",
        block * blocks, four, sixteen, fabs(a - b) / fabs(a));
    free(x);
    return 0;
}
