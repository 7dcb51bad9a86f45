// FFTW plan and layout probes behind BENCHMARKS.md's features section: for the presets' sizes
// (logmel: 8 x 400 floats, 60,000 frames; speechless: 8 x 512 doubles, 75,000 frames), the
// best of 11 timings of the batched real transform planned by estimate and by FFTW_PATIENT,
// with frame-major or bin-major output and with interleaved batches, and of the complex
// transform of half the length. Usage: see run.sh.
#include <fftw3.h>
#include <math.h>
#include <stdio.h>
#include <time.h>

#define BATCH 8

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

// Best of 11 runs of `groups` executions of plan p (single or double precision).
static double best_float(fftwf_plan p, int groups) {
    double best = 1e9;
    for (int r = 0; r < 11; r++) {
        double t = now();
        for (int g = 0; g < groups; g++) fftwf_execute(p);
        double d = now() - t;
        if (d < best) best = d;
    }
    return best;
}

static double best_double(fftw_plan p, int groups) {
    double best = 1e9;
    for (int r = 0; r < 11; r++) {
        double t = now();
        for (int g = 0; g < groups; g++) fftw_execute(p);
        double d = now() - t;
        if (d < best) best = d;
    }
    return best;
}

static void logmel(unsigned flags, const char *name) {
    int n = 400, bins = n / 2 + 1, half = n / 2, groups = 60000 / BATCH;
    float *in = fftwf_alloc_real(n * BATCH);
    fftwf_complex *out = fftwf_alloc_complex(bins * BATCH);
    fftwf_complex *cin = fftwf_alloc_complex(half * BATCH), *cout = fftwf_alloc_complex(half * BATCH);
    fftwf_plan frame = fftwf_plan_many_dft_r2c(1, &n, BATCH, in, NULL, 1, n, out, NULL, 1, bins, flags);
    fftwf_plan interleaved =
        fftwf_plan_many_dft_r2c(1, &n, BATCH, in, NULL, BATCH, 1, out, NULL, BATCH, 1, flags);
    fftwf_plan halfc =
        fftwf_plan_many_dft(1, &half, BATCH, cin, NULL, 1, half, cout, NULL, 1, half, FFTW_FORWARD, flags);
    for (int i = 0; i < n * BATCH; i++) in[i] = (float)sin(i * 0.1);
    for (int i = 0; i < half * BATCH; i++) cin[i][0] = cin[i][1] = (float)sin(i * 0.1);
    printf("logmel %-8s r2c 8x400 %.4f s | interleaved batch %.4f s | c2c 8x200 %.4f s\n", name,
        best_float(frame, groups), best_float(interleaved, groups), best_float(halfc, groups));
}

static void speechless(unsigned flags, const char *name) {
    int n = 512, bins = n / 2 + 1, half = n / 2, groups = 75000 / BATCH;
    double *in = fftw_alloc_real(n * BATCH);
    fftw_complex *out = fftw_alloc_complex(bins * BATCH);
    fftw_complex *cin = fftw_alloc_complex(half * BATCH), *cout = fftw_alloc_complex(half * BATCH);
    fftw_plan frame = fftw_plan_many_dft_r2c(1, &n, BATCH, in, NULL, 1, n, out, NULL, 1, bins, flags);
    fftw_plan binmajor = fftw_plan_many_dft_r2c(1, &n, BATCH, in, NULL, 1, n, out, NULL, BATCH, 1, flags);
    fftw_plan interleaved = fftw_plan_many_dft_r2c(1, &n, BATCH, in, NULL, BATCH, 1, out, NULL, BATCH, 1, flags);
    fftw_plan halfc =
        fftw_plan_many_dft(1, &half, BATCH, cin, NULL, 1, half, cout, NULL, 1, half, FFTW_FORWARD, flags);
    for (int i = 0; i < n * BATCH; i++) in[i] = sin(i * 0.1);
    for (int i = 0; i < half * BATCH; i++) cin[i][0] = cin[i][1] = sin(i * 0.1);
    printf("speechless %-8s r2c 8x512 %.4f s | bin-major output %.4f s | interleaved batch %.4f s | c2c 8x256 "
           "%.4f s\n",
        name, best_double(frame, groups), best_double(binmajor, groups), best_double(interleaved, groups),
        best_double(halfc, groups));
}

int main(void) {
    logmel(FFTW_ESTIMATE, "estimate");
    speechless(FFTW_ESTIMATE, "estimate");
    logmel(FFTW_PATIENT, "patient");
    speechless(FFTW_PATIENT, "patient");
    return 0;
}
