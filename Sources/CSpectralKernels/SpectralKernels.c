#include "SpectralKernels.h"

#include <stdint.h>
#include <string.h>

typedef float psk_v8 __attribute__((vector_size(PSK_LANES * sizeof(float))));
typedef float psk_f2 __attribute__((vector_size(2 * sizeof(float))));
typedef float psk_f4 __attribute__((vector_size(4 * sizeof(float))));
typedef double psk_d2 __attribute__((vector_size(2 * sizeof(double))));
typedef double psk_d4 __attribute__((vector_size(4 * sizeof(double))));

// Unaligned loads and stores of psk_v8 (macros, not functions: a function passing a vector
// would have a different calling convention in the two builds).
#define psk_load8(p) \
    ({ \
        psk_v8 v_; \
        memcpy(&v_, (p), sizeof v_); \
        v_; \
    })
// An unaligned load of any vector type T.
#define psk_load(T, p) \
    ({ \
        T v_; \
        memcpy(&v_, (p), sizeof v_); \
        v_; \
    })
#define psk_store8(p, v) \
    do { \
        psk_v8 t_ = (v); \
        memcpy((p), &t_, sizeof t_); \
    } while (0)

// Partial sums per kind in the moments kernel.
#define PSK_MOMENT_PARTS 16

#define PSK_TARGET
#define PSK_NAME(x) x##_base
#include "kernel_bodies.h"
#undef PSK_TARGET
#undef PSK_NAME

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define PSK_HAVE_AVX2 1
#define PSK_TARGET __attribute__((target("avx2,fma")))
#define PSK_NAME(x) x##_avx
#include "kernel_bodies.h"
#undef PSK_TARGET
#undef PSK_NAME
#endif

#define PSK_TABLE(suffix) \
    { \
        window_f64_##suffix, window_f32_##suffix, window_i16_f64_##suffix, window_i16_f32_##suffix, \
            power_block_f64_##suffix, power_block_f32_##suffix, \
            split_power_f64_##suffix, split_power_f32_##suffix, \
            decibels_##suffix, apply_bank_##suffix, moments_##suffix, affine_##suffix, \
            int16_to_float_##suffix, \
    }

static const psk_kernel_table baseline_table = PSK_TABLE(base);
#ifdef PSK_HAVE_AVX2
static const psk_kernel_table avx2_table = PSK_TABLE(avx);
#endif

static int cpu_has_avx2_fma(void) {
#ifdef PSK_HAVE_AVX2
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

const psk_kernel_table *psk_kernels(int isa) {
#ifdef PSK_HAVE_AVX2
    if (isa == 1) return cpu_has_avx2_fma() ? &avx2_table : NULL;
#endif
    return isa == 0 ? &baseline_table : NULL;
}

// The table in use; NULL until the first call chooses.
static const psk_kernel_table *selected = NULL;

static const psk_kernel_table *kernels(void) {
    const psk_kernel_table *table = __atomic_load_n(&selected, __ATOMIC_ACQUIRE);
    if (table == NULL) {
        table = cpu_has_avx2_fma() ? psk_kernels(1) : psk_kernels(0);
        __atomic_store_n(&selected, table, __ATOMIC_RELEASE);
    }
    return table;
}

int psk_isa(void) { return kernels() == &baseline_table ? 0 : 1; }

void psk_window_f64(const float *x, const double *window, double *out, size_t n) {
    kernels()->window_f64(x, window, out, n);
}

void psk_window_f32(const float *x, const float *window, float *out, size_t n) {
    kernels()->window_f32(x, window, out, n);
}

void psk_window_i16_f64(const short *x, const double *window, double *out, size_t n) {
    kernels()->window_i16_f64(x, window, out, n);
}

void psk_window_i16_f32(const short *x, const float *window, float *out, size_t n) {
    kernels()->window_i16_f32(x, window, out, n);
}

void psk_power_block_f64(const double *spectra, int lanes, int bins, float *block) {
    kernels()->power_block_f64(spectra, lanes, bins, block);
}

void psk_power_block_f32(const float *spectra, int lanes, int bins, float *block) {
    kernels()->power_block_f32(spectra, lanes, bins, block);
}

void psk_split_power_f64(const double *z, const double *twiddles, int half, int lanes, float *block) {
    kernels()->split_power_f64(z, twiddles, half, lanes, block);
}

void psk_split_power_f32(const float *z, const float *twiddles, int half, int lanes, float *block) {
    kernels()->split_power_f32(z, twiddles, half, lanes, block);
}

void psk_decibels(float *x, size_t n, float floor, float offset) { kernels()->decibels(x, n, floor, offset); }

void psk_apply_bank(
    const psk_sparse_bank *bank, int band_count, const float *block, int lanes, float *rows, float *tile) {
    kernels()->apply_bank(bank, band_count, block, lanes, rows, tile);
}

void psk_moments(const float *x, size_t n, double shift, double *sum, double *squares) {
    kernels()->moments(x, n, shift, sum, squares);
}

void psk_affine(float *x, size_t n, float shift, float scale) { kernels()->affine(x, n, shift, scale); }

void psk_int16_to_float(const short *in, float *out, size_t n) { kernels()->int16_to_float(in, out, n); }
