// The packed transform behind BENCHMARKS.md's half-length FFT numbers: for the presets' sizes
// (speechless: 8 x 512 doubles, 75,000 frames; logmel: 8 x 400 floats, 60,000 frames), the best
// of 9 timings of FFTW's real transform followed by the shipped power kernel
// (psk_power_block_*), against FFTW's complex transform of half the length followed by the
// shipped split kernel (psk_split_power_*), both planned by estimate (phonoscope's plans for
// the packed sizes come from FFTW_PATIENT wisdom since 2026-12-07: Scripts/make_fftw_wisdom.sh).
// Also prints the largest difference between the two blocks. Usage: see run.sh.
#include <fftw3.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "SpectralKernels.h"

#define BATCH PSK_LANES

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static double largest_relative(const float *a, const float *b, int count) {
    double peak = 0, worst = 0;
    for (int i = 0; i < count; i++) peak = fmax(peak, a[i]);
    for (int i = 0; i < count; i++) worst = fmax(worst, fabs(a[i] - b[i]) / peak);
    return worst;
}

static void speechless(void) {
    int n = 512, half = n / 2, bins = half + 1, groups = 75000 / BATCH;
    double *in = fftw_alloc_real(n * BATCH);
    fftw_complex *out = fftw_alloc_complex(bins * BATCH), *z = fftw_alloc_complex(half * BATCH);
    fftw_plan real = fftw_plan_many_dft_r2c(1, &n, BATCH, in, NULL, 1, n, out, NULL, 1, bins, FFTW_ESTIMATE);
    fftw_plan packed = fftw_plan_many_dft(
        1, &half, BATCH, (fftw_complex *)in, NULL, 1, half, z, NULL, 1, half, FFTW_FORWARD, FFTW_ESTIMATE);
    double *twiddles = malloc(sizeof(double) * 2 * (half / 2 + 1));
    for (int k = 0; k <= half / 2; k++) {
        twiddles[2 * k] = cos(2 * M_PI * k / n);
        twiddles[2 * k + 1] = -sin(2 * M_PI * k / n);
    }
    float *a = malloc(sizeof(float) * bins * BATCH), *b = malloc(sizeof(float) * bins * BATCH);
    srand(1);
    for (int i = 0; i < n * BATCH; i++) in[i] = rand() / (double)RAND_MAX - 0.5;
    double best_real = 1e9, best_packed = 1e9;
    for (int r = 0; r < 9; r++) {
        double t = now();
        for (int g = 0; g < groups; g++) {
            fftw_execute(real);
            psk_power_block_f64((const double *)out, BATCH, bins, a);
        }
        best_real = fmin(best_real, now() - t);
        t = now();
        for (int g = 0; g < groups; g++) {
            fftw_execute(packed);
            psk_split_power_f64((const double *)z, twiddles, half, BATCH, b);
        }
        best_packed = fmin(best_packed, now() - t);
    }
    printf("speechless: r2c 8x512 + power %.4f s | c2c 8x256 + split %.4f s | largest difference %.2g of the peak\n",
        best_real, best_packed, largest_relative(a, b, bins * BATCH));
}

static void logmel(void) {
    int n = 400, half = n / 2, bins = half + 1, groups = 60000 / BATCH;
    float *in = fftwf_alloc_real(n * BATCH);
    fftwf_complex *out = fftwf_alloc_complex(bins * BATCH), *z = fftwf_alloc_complex(half * BATCH);
    fftwf_plan real = fftwf_plan_many_dft_r2c(1, &n, BATCH, in, NULL, 1, n, out, NULL, 1, bins, FFTW_ESTIMATE);
    fftwf_plan packed = fftwf_plan_many_dft(
        1, &half, BATCH, (fftwf_complex *)in, NULL, 1, half, z, NULL, 1, half, FFTW_FORWARD, FFTW_ESTIMATE);
    float *twiddles = malloc(sizeof(float) * 2 * (half / 2 + 1));
    for (int k = 0; k <= half / 2; k++) {
        twiddles[2 * k] = (float)cos(2 * M_PI * k / n);
        twiddles[2 * k + 1] = (float)-sin(2 * M_PI * k / n);
    }
    float *a = malloc(sizeof(float) * bins * BATCH), *b = malloc(sizeof(float) * bins * BATCH);
    srand(1);
    for (int i = 0; i < n * BATCH; i++) in[i] = (float)(rand() / (double)RAND_MAX - 0.5);
    double best_real = 1e9, best_packed = 1e9;
    for (int r = 0; r < 9; r++) {
        double t = now();
        for (int g = 0; g < groups; g++) {
            fftwf_execute(real);
            psk_power_block_f32((const float *)out, BATCH, bins, a);
        }
        best_real = fmin(best_real, now() - t);
        t = now();
        for (int g = 0; g < groups; g++) {
            fftwf_execute(packed);
            psk_split_power_f32((const float *)z, twiddles, half, BATCH, b);
        }
        best_packed = fmin(best_packed, now() - t);
    }
    printf("logmel: r2c 8x400 + power %.4f s | c2c 8x200 + split %.4f s | largest difference %.2g of the peak\n",
        best_real, best_packed, largest_relative(a, b, bins * BATCH));
}

int main(void) {
    printf("kernels: %s\n", psk_isa() ? "AVX2 + FMA" : "baseline");
    speechless();
    logmel();
    return 0;
}
