// The kernels' bodies, included twice by SpectralKernels.c: once for the baseline
// instruction set and once for AVX2 + FMA. Before each inclusion PSK_TARGET holds the
// function attribute and PSK_NAME(x) the suffixed name. Loops are written so that the
// compiler vectorises them (no calls, selects instead of branches in the inner loops).

// 10 log10(x) for positive normal x, within 4 ulp. x = m 2^e with m in [sqrt(1/2), sqrt(2)),
// found without a comparison: subtracting the bits of sqrt(1/2) from x's bits leaves e in the
// exponent field and m's offset from sqrt(1/2) in the fraction field. With s = (m - 1) / (m + 1),
// |s| < 0.1716, ln m = 2 atanh(s) = 2s (1 + s^2/3 + s^4/5 + s^6/7 + s^8/9 + ...), the series cut
// after s^8 (relative error below 1e-9); so 10 log10(x) = e 10 log10(2) + s Q(s^2), Q the series
// times 20 / ln 10, and 10 log10(2) split in two so that e times it loses nothing.
PSK_TARGET static inline float PSK_NAME(decibels_of)(float x) {
    union { float f; int32_t i; } u = {x};
    int32_t offset = u.i - 0x3F3504F3;  // the bits of sqrt(1/2) as a float
    float exponent = (float)(offset >> 23);
    union { int32_t i; float f; } m = {(offset & 0x007FFFFF) + 0x3F3504F3};
    float mantissa = m.f;
    float s = (mantissa - 1.0f) / (mantissa + 1.0f);
    float s2 = s * s;
    // 20 / ln 10 = 8.685889638065036; coefficients 1, 1/3, 1/5, 1/7, 1/9 times it.
    float q = 0.96509884867389f;
    q = q * s2 + 1.2408413768664337f;
    q = q * s2 + 1.7371779276130072f;
    q = q * s2 + 2.8952965460216787f;
    q = q * s2 + 8.685889638065036f;
    // 10 log10(2) = 3.0102999566398120 = 3.0102996826171875 + 2.740226245e-7.
    return exponent * 3.0102996826171875f + (s * q + exponent * 2.740226245e-7f);
}

PSK_TARGET static void PSK_NAME(window_f64)(
    const float *restrict x, const double *restrict window, double *restrict out, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = (double)x[i] * window[i];
}

PSK_TARGET static void PSK_NAME(window_f32)(
    const float *restrict x, const float *restrict window, float *restrict out, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = x[i] * window[i];
}

PSK_TARGET static void PSK_NAME(window_i16_f64)(
    const short *restrict x, const double *restrict window, double *restrict out, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = (double)x[i] * window[i];
}

PSK_TARGET static void PSK_NAME(window_i16_f32)(
    const short *restrict x, const float *restrict window, float *restrict out, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = (float)x[i] * window[i];
}

// All PSK_LANES lanes are computed (lanes past `lanes` hold whatever the FFT made of the
// buffers' stale frames, finite and ignored downstream), then the unused ones are zeroed.
PSK_TARGET static void PSK_NAME(power_block_f64)(
    const double *restrict spectra, int lanes, int bins, float *restrict block) {
    const size_t stride = (size_t)2 * bins;
    for (int k = 0; k < bins; k++) {
        const double *s = spectra + 2 * k;
        float *out = block + (size_t)k * PSK_LANES;
        for (int lane = 0; lane < PSK_LANES; lane++) {
            double re = s[lane * stride], im = s[lane * stride + 1];
            out[lane] = (float)(re * re + im * im);
        }
    }
    for (int lane = lanes; lane < PSK_LANES; lane++)
        for (int k = 0; k < bins; k++) block[(size_t)k * PSK_LANES + lane] = 0;
}

PSK_TARGET static void PSK_NAME(power_block_f32)(
    const float *restrict spectra, int lanes, int bins, float *restrict block) {
    const size_t stride = (size_t)2 * bins;
    for (int k = 0; k < bins; k++) {
        const float *s = spectra + 2 * k;
        float *out = block + (size_t)k * PSK_LANES;
        for (int lane = 0; lane < PSK_LANES; lane++) {
            float re = s[lane * stride], im = s[lane * stride + 1];
            out[lane] = re * re + im * im;
        }
    }
    for (int lane = lanes; lane < PSK_LANES; lane++)
        for (int k = 0; k < bins; k++) block[(size_t)k * PSK_LANES + lane] = 0;
}

// The power spectrum of a real frame of even length n from z = the complex FFT of length
// h = n / 2 of the frame read as h complex values (x[2j] + i x[2j+1]), for PSK_LANES frames
// (frame `lane` at z + 2 * lane * h; lanes from `lanes` on are computed from whatever the
// buffers hold, then zeroed). With c = conj(z[h - k]), the real frame's bin k is
// X[k] = (z[k] + c) / 2 + w^k (z[k] - c) / (2i), w = exp(-2 pi i / n); and, from the same two
// values, X[h - k] = conj((z[k] + c) / 2 - w^k (z[k] - c) / (2i)). So bins k and h - k come
// from one pass over k <= h / 2 (k = h / 2 when h is even is its own partner: both stores
// write the same value). X[0] = re + im and X[h] = re - im of z[0]. Twice X is formed and the
// power scaled by 1/4 (exact). Vectors hold two frames (double) or four (float) of one bin,
// so the frames' powers come out side by side in the block's layout; tw[2k], tw[2k + 1] =
// cos, -sin(2 pi k / n).
PSK_TARGET static void PSK_NAME(split_power_f64)(
    const double *restrict z, const double *restrict tw, int half, int lanes, float *restrict block) {
    const size_t st = (size_t)2 * half;
    const psk_d4 sgn = {1, -1, 1, -1};
    for (int l = 0; l < PSK_LANES; l++) {
        double r = z[l * st], i = z[l * st + 1];
        block[l] = (float)((r + i) * (r + i));
        block[(size_t)half * PSK_LANES + l] = (float)((r - i) * (r - i));
    }
    for (int k = 1; k <= half / 2; k++) {
        const size_t ka = 2 * (size_t)k, kc = 2 * (size_t)(half - k);
        const double wr = tw[2 * k], wi = tw[2 * k + 1];
        const psk_d4 wrs = wr * sgn;
        psk_d4 p[4], m[4];
        for (int q = 0; q < 4; q++) {
            const double *z0 = z + (size_t)(2 * q) * st, *z1 = z0 + st;
            psk_d4 a = __builtin_shufflevector(psk_load(psk_d2, z0 + ka), psk_load(psk_d2, z1 + ka), 0, 1, 2, 3);
            psk_d4 c = __builtin_shufflevector(psk_load(psk_d2, z0 + kc), psk_load(psk_d2, z1 + kc), 0, 1, 2, 3);
            psk_d4 s = a + c * sgn, d = a - c * sgn;  // 2 E = (ar + cr, ai - ci); (ar - cr, ai + ci)
            // 2 O = (ai + ci, cr - ar) = swapped d times sgn, whose signs go with wr into wrs.
            psk_d4 wo = __builtin_shufflevector(d, d, 1, 0, 3, 2) * wrs + wi * d;  // w^k 2 O
            psk_d4 xp = s + wo, xm = s - wo;
            p[q] = xp * xp;
            m[q] = xm * xm;
        }
        psk_d4 p0 = __builtin_shufflevector(p[0], p[1], 0, 2, 4, 6) + __builtin_shufflevector(p[0], p[1], 1, 3, 5, 7);
        psk_d4 p1 = __builtin_shufflevector(p[2], p[3], 0, 2, 4, 6) + __builtin_shufflevector(p[2], p[3], 1, 3, 5, 7);
        psk_d4 m0 = __builtin_shufflevector(m[0], m[1], 0, 2, 4, 6) + __builtin_shufflevector(m[0], m[1], 1, 3, 5, 7);
        psk_d4 m1 = __builtin_shufflevector(m[2], m[3], 0, 2, 4, 6) + __builtin_shufflevector(m[2], m[3], 1, 3, 5, 7);
        psk_f4 pl = __builtin_convertvector(p0 * 0.25, psk_f4), ph = __builtin_convertvector(p1 * 0.25, psk_f4);
        psk_f4 ml = __builtin_convertvector(m0 * 0.25, psk_f4), mh = __builtin_convertvector(m1 * 0.25, psk_f4);
        psk_store8(block + (size_t)k * PSK_LANES, __builtin_shufflevector(pl, ph, 0, 1, 2, 3, 4, 5, 6, 7));
        psk_store8(block + (size_t)(half - k) * PSK_LANES, __builtin_shufflevector(ml, mh, 0, 1, 2, 3, 4, 5, 6, 7));
    }
    for (int l = lanes; l < PSK_LANES; l++)
        for (int k = 0; k <= half; k++) block[(size_t)k * PSK_LANES + l] = 0;
}

PSK_TARGET static void PSK_NAME(split_power_f32)(
    const float *restrict z, const float *restrict tw, int half, int lanes, float *restrict block) {
    const size_t st = (size_t)2 * half;
    const psk_v8 sgn = {1, -1, 1, -1, 1, -1, 1, -1};
    for (int l = 0; l < PSK_LANES; l++) {
        float r = z[l * st], i = z[l * st + 1];
        block[l] = (r + i) * (r + i);
        block[(size_t)half * PSK_LANES + l] = (r - i) * (r - i);
    }
    for (int k = 1; k <= half / 2; k++) {
        const size_t ka = 2 * (size_t)k, kc = 2 * (size_t)(half - k);
        const float wr = tw[2 * k], wi = tw[2 * k + 1];
        const psk_v8 wrs = wr * sgn;
        psk_v8 p[2], m[2];
        for (int q = 0; q < 2; q++) {
            const float *z0 = z + (size_t)(4 * q) * st, *z1 = z0 + st, *z2 = z1 + st, *z3 = z2 + st;
            psk_f4 a01 = __builtin_shufflevector(psk_load(psk_f2, z0 + ka), psk_load(psk_f2, z1 + ka), 0, 1, 2, 3);
            psk_f4 a23 = __builtin_shufflevector(psk_load(psk_f2, z2 + ka), psk_load(psk_f2, z3 + ka), 0, 1, 2, 3);
            psk_f4 c01 = __builtin_shufflevector(psk_load(psk_f2, z0 + kc), psk_load(psk_f2, z1 + kc), 0, 1, 2, 3);
            psk_f4 c23 = __builtin_shufflevector(psk_load(psk_f2, z2 + kc), psk_load(psk_f2, z3 + kc), 0, 1, 2, 3);
            psk_v8 a = __builtin_shufflevector(a01, a23, 0, 1, 2, 3, 4, 5, 6, 7);
            psk_v8 c = __builtin_shufflevector(c01, c23, 0, 1, 2, 3, 4, 5, 6, 7);
            psk_v8 s = a + c * sgn, d = a - c * sgn;
            psk_v8 wo = __builtin_shufflevector(d, d, 1, 0, 3, 2, 5, 4, 7, 6) * wrs + wi * d;
            psk_v8 xp = s + wo, xm = s - wo;
            p[q] = xp * xp;
            m[q] = xm * xm;
        }
        psk_v8 pp = __builtin_shufflevector(p[0], p[1], 0, 2, 4, 6, 8, 10, 12, 14) +
                    __builtin_shufflevector(p[0], p[1], 1, 3, 5, 7, 9, 11, 13, 15);
        psk_v8 mm = __builtin_shufflevector(m[0], m[1], 0, 2, 4, 6, 8, 10, 12, 14) +
                    __builtin_shufflevector(m[0], m[1], 1, 3, 5, 7, 9, 11, 13, 15);
        psk_store8(block + (size_t)k * PSK_LANES, pp * 0.25f);
        psk_store8(block + (size_t)(half - k) * PSK_LANES, mm * 0.25f);
    }
    for (int l = lanes; l < PSK_LANES; l++)
        for (int k = 0; k <= half; k++) block[(size_t)k * PSK_LANES + l] = 0;
}

PSK_TARGET static void PSK_NAME(decibels)(float *x, size_t n, float floor, float offset) {
    for (size_t i = 0; i < n; i++) {
        float v = x[i] > floor ? x[i] : floor;
        x[i] = PSK_NAME(decibels_of)(v) - offset;
    }
}

// The bands PSK_BAND_GROUP (4) at a time, side by side: four chains of additions, each step
// two loads per band (a weight, broadcast, and a bin's 8 lanes) and no index loads. Each product
// is rounded before it is added (separate statements: no contraction into a fused multiply-add),
// as MelFilterbank.apply(row:into:) sums. `tile` holds the sums band-major, PSK_LANES per band,
// the last group's empty bands included; then it is transposed into rows, 8 x 8 at a time.
PSK_TARGET static void PSK_NAME(apply_bank)(
    const psk_sparse_bank *bank, int band_count, const float *restrict block, int lanes, float *restrict rows,
    float *restrict tile) {
    const float *restrict weight = bank->weight;
    for (int g = 0; g < bank->groups; g++) {
        const int *start = bank->start + PSK_BAND_GROUP * g;
        const float *p0 = block + (size_t)start[0] * PSK_LANES, *p1 = block + (size_t)start[1] * PSK_LANES;
        const float *p2 = block + (size_t)start[2] * PSK_LANES, *p3 = block + (size_t)start[3] * PSK_LANES;
        psk_v8 a0 = {0, 0, 0, 0, 0, 0, 0, 0}, a1 = a0, a2 = a0, a3 = a0;
        const int length = bank->length[g];
        for (int j = 0; j < length; j++, weight += PSK_BAND_GROUP) {
            const size_t at = (size_t)j * PSK_LANES;
            psk_v8 t0 = weight[0] * psk_load8(p0 + at);
            psk_v8 t1 = weight[1] * psk_load8(p1 + at);
            psk_v8 t2 = weight[2] * psk_load8(p2 + at);
            psk_v8 t3 = weight[3] * psk_load8(p3 + at);
            a0 = a0 + t0;
            a1 = a1 + t1;
            a2 = a2 + t2;
            a3 = a3 + t3;
        }
        float *t = tile + (size_t)(PSK_BAND_GROUP * g) * PSK_LANES;
        psk_store8(t, a0);
        psk_store8(t + PSK_LANES, a1);
        psk_store8(t + 2 * PSK_LANES, a2);
        psk_store8(t + 3 * PSK_LANES, a3);
    }
    int m = 0;
#ifdef __clang__
    for (; m + 8 <= band_count; m += 8) {
        // q[i] = lanes 0-3 of bands m + i and m + i + 4; q[i + 4] the same for lanes 4-7 (the
        // halves load straight into place), then two 4 x 4 transposes within the halves.
        const float *r = tile + (size_t)m * PSK_LANES;
        psk_v8 q[8];
        for (int i = 0; i < 4; i++) {
            q[i] = __builtin_shufflevector(
                psk_load(psk_f4, r + 8 * i), psk_load(psk_f4, r + 8 * (i + 4)), 0, 1, 2, 3, 4, 5, 6, 7);
            q[i + 4] = __builtin_shufflevector(
                psk_load(psk_f4, r + 8 * i + 4), psk_load(psk_f4, r + 8 * (i + 4) + 4), 0, 1, 2, 3, 4, 5, 6, 7);
        }
        psk_v8 out[8];
        for (int h = 0; h < 2; h++) {
            psk_v8 a = q[4 * h], b = q[4 * h + 1], c = q[4 * h + 2], d = q[4 * h + 3];
            psk_v8 ab0 = __builtin_shufflevector(a, b, 0, 8, 1, 9, 4, 12, 5, 13);
            psk_v8 ab1 = __builtin_shufflevector(a, b, 2, 10, 3, 11, 6, 14, 7, 15);
            psk_v8 cd0 = __builtin_shufflevector(c, d, 0, 8, 1, 9, 4, 12, 5, 13);
            psk_v8 cd1 = __builtin_shufflevector(c, d, 2, 10, 3, 11, 6, 14, 7, 15);
            out[4 * h] = __builtin_shufflevector(ab0, cd0, 0, 1, 8, 9, 4, 5, 12, 13);
            out[4 * h + 1] = __builtin_shufflevector(ab0, cd0, 2, 3, 10, 11, 6, 7, 14, 15);
            out[4 * h + 2] = __builtin_shufflevector(ab1, cd1, 0, 1, 8, 9, 4, 5, 12, 13);
            out[4 * h + 3] = __builtin_shufflevector(ab1, cd1, 2, 3, 10, 11, 6, 7, 14, 15);
        }
        for (int l = 0; l < lanes; l++) psk_store8(rows + (size_t)l * band_count + m, out[l]);
    }
#endif
    for (; m < band_count; m++)
        for (int l = 0; l < lanes; l++) rows[(size_t)l * band_count + m] = tile[(size_t)m * PSK_LANES + l];
}

// PSK_MOMENT_PARTS (16) partial sums of each kind (four vectors of four doubles in the AVX2
// build), so that the additions' latency does not bound the loop as one chain of four did;
// then summed pairwise.
PSK_TARGET static void PSK_NAME(moments)(const float *x, size_t n, double shift, double *sum, double *squares) {
    double s[PSK_MOMENT_PARTS] = {0}, q[PSK_MOMENT_PARTS] = {0};
    size_t whole = n / PSK_MOMENT_PARTS * PSK_MOMENT_PARTS;
    for (size_t i = 0; i < whole; i += PSK_MOMENT_PARTS)
        for (int l = 0; l < PSK_MOMENT_PARTS; l++) {
            double d = (double)x[i + l] - shift;
            s[l] += d;
            q[l] += d * d;
        }
    for (int width = PSK_MOMENT_PARTS / 2; width > 0; width /= 2)
        for (int l = 0; l < width; l++) {
            s[l] += s[l + width];
            q[l] += q[l + width];
        }
    double total = s[0];
    double total2 = q[0];
    for (size_t i = whole; i < n; i++) {
        double d = (double)x[i] - shift;
        total += d;
        total2 += d * d;
    }
    *sum = total;
    *squares = total2;
}

PSK_TARGET static void PSK_NAME(affine)(float *x, size_t n, float shift, float scale) {
    for (size_t i = 0; i < n; i++) x[i] = (x[i] - shift) * scale;
}

PSK_TARGET static void PSK_NAME(int16_to_float)(const short *restrict in, float *restrict out, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = (float)in[i] * (1.0f / 32768.0f);
}
