// The front end's inner loops in C, so that they vectorise on any x86-64 (or other) CPU:
// each kernel is compiled twice, for the baseline instruction set and for AVX2 + FMA, and the
// better one the CPU supports is chosen once at first use (`psk_isa`). Swift's own code is
// built for the baseline only.
//
// Layout conventions: a "block" holds up to PSK_LANES frames side by side, bin-major:
// block[bin * PSK_LANES + lane]. Spectra from FFTW are interleaved (re, im) pairs, one frame
// after another.
#ifndef PHONOSCOPE_SPECTRAL_KERNELS_H
#define PHONOSCOPE_SPECTRAL_KERNELS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Frames per block.
#define PSK_LANES 8

/// The kernels in use: 0 baseline, 1 AVX2 + FMA.
int psk_isa(void);

/// out[i] = (double)x[i] * window[i], i < n.
void psk_window_f64(const float *x, const double *window, double *out, size_t n);
/// out[i] = x[i] * window[i], i < n.
void psk_window_f32(const float *x, const float *window, float *out, size_t n);
/// The same from 16-bit samples: out[i] = x[i] * window[i]. With the window times 1/32768
/// (exact, a power of two) the products are those of psk_window_f64 / _f32 on x[i] / 32768,
/// libsndfile's float conversion, bit for bit.
void psk_window_i16_f64(const short *x, const double *window, double *out, size_t n);
void psk_window_i16_f32(const short *x, const float *window, float *out, size_t n);

/// block[k * PSK_LANES + lane] = re^2 + im^2 of bin k of frame `lane`, for lane < lanes, k <
/// bins; frame `lane` starts at spectra + 2 * lane * bins. Lanes from `lanes` on are set to 0.
void psk_power_block_f64(const double *spectra, int lanes, int bins, float *block);
void psk_power_block_f32(const float *spectra, int lanes, int bins, float *block);

/// The same block from the complex FFT of half the length: for an even frame length n = 2 *
/// half, z holds PSK_LANES transforms of `half` complex values (interleaved re, im; frame
/// `lane` at z + 2 * lane * half), each the FFT of its real frame read as half complex values
/// (x[2j] + i x[2j+1]); block gets bins 0 ... half of the real frame's power spectrum. twiddles
/// holds 2 * (half / 2 + 1) values: cos(2 pi k / n), -sin(2 pi k / n) for k <= half / 2.
void psk_split_power_f64(const double *z, const double *twiddles, int half, int lanes, float *block);
void psk_split_power_f32(const float *z, const float *twiddles, int half, int lanes, float *block);

/// x[i] = 10 log10(max(x[i], floor)) - offset for i < n; floor must be a positive normal
/// float (at least FLT_MIN). Within 4 ulp of the exact 10 log10 (3.2 at worst, near x = 1,
/// where the value is near 0 dB; at most 8e-6 dB from -150 to +150 dB).
void psk_decibels(float *x, size_t n, float floor, float offset);

/// A sparse filterbank (mel) in the form the block kernel walks: the bands in groups of
/// PSK_BAND_GROUP (4) consecutive ones (bands from band_count on are empty), summed side by
/// side. Group g has length[g] steps; at step j, band 4g + i adds
/// weight[w_g + 4j + i] * (bin start[4g + i] + j), where w_g = 4 (length[0] + ... + length[g-1]).
/// A band's own terms are consecutive steps in the order they are summed; its other steps have
/// weight 0 (and a bin inside the block), which leaves the sum unchanged.
#define PSK_BAND_GROUP 4
typedef struct {
    int groups;
    const int *length;
    const int *start;
    const float *weight;
} psk_sparse_bank;

/// rows[lane * band_count + m] = sum over the terms of band m of weight * block[bin][lane],
/// each product rounded and added in term order (no fused multiply-add), for lane < lanes (the
/// block's other lanes are ignored); every band_count output of a row is written (absent
/// bands as 0). `tile` is scratch space for (band_count + 3) * PSK_LANES floats.
void psk_apply_bank(
    const psk_sparse_bank *bank, int band_count, const float *block, int lanes, float *rows, float *tile);

/// In one pass, in double precision (sixteen interleaved partial sums each, summed pairwise):
/// *sum = the sum of x[i] - shift and *squares = the sum of (x[i] - shift)^2 over i < n. With a
/// shift near the mean (a value of x is near enough) the mean and the sum of squared deviations
/// follow without cancellation: shift + sum / n and squares - sum^2 / n.
void psk_moments(const float *x, size_t n, double shift, double *sum, double *squares);

/// x[i] = (x[i] - shift) * scale for i < n.
void psk_affine(float *x, size_t n, float shift, float scale);

/// out[i] = in[i] / 32768 for i < n (libsndfile's 16-bit to float scaling).
void psk_int16_to_float(const short *in, float *out, size_t n);

/// Every kernel of one instruction set, for tests that compare them: `psk_kernels(0)` is the
/// baseline, `psk_kernels(1)` AVX2 + FMA or NULL when the CPU (or the build) lacks it. The
/// psk_ functions above call the table `psk_isa()` names.
typedef struct {
    void (*window_f64)(const float *, const double *, double *, size_t);
    void (*window_f32)(const float *, const float *, float *, size_t);
    void (*window_i16_f64)(const short *, const double *, double *, size_t);
    void (*window_i16_f32)(const short *, const float *, float *, size_t);
    void (*power_block_f64)(const double *, int, int, float *);
    void (*power_block_f32)(const float *, int, int, float *);
    void (*split_power_f64)(const double *, const double *, int, int, float *);
    void (*split_power_f32)(const float *, const float *, int, int, float *);
    void (*decibels)(float *, size_t, float, float);
    void (*apply_bank)(const psk_sparse_bank *, int, const float *, int, float *, float *);
    void (*moments)(const float *, size_t, double, double *, double *);
    void (*affine)(float *, size_t, float, float);
    void (*int16_to_float)(const short *, float *, size_t);
} psk_kernel_table;

const psk_kernel_table *psk_kernels(int isa);

#ifdef __cplusplus
}
#endif

#endif
