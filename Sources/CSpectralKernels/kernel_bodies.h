// The kernels' bodies, included twice by SpectralKernels.c: once for the baseline
// instruction set and once for AVX2 + FMA. Before each inclusion PSK_TARGET holds the
// function attribute and PSK_NAME(x) the suffixed name. Loops are written so that the
// compiler vectorises them (no calls, selects instead of branches in the inner loops).

PSK_TARGET static inline float PSK_NAME(natural_log)(float x) {
    // x = m 2^e with m in [sqrt(1/2), sqrt(2)); ln x = e ln 2 + ln(1 + z), z = m - 1, with
    // ln(1 + z) = z - z^2/2 + z^3 P(z), P the degree-8 minimax polynomial of Moshier's Cephes
    // logf, and ln 2 split in two so that e ln 2 stays exact. Positive normal x only.
    union { float f; int32_t i; } u = {x};
    float exponent = (float)((u.i >> 23) - 127);
    union { int32_t i; float f; } m = {(u.i & 0x007FFFFF) | 0x3F800000};  // [1, 2)
    float mantissa = m.f;
    int halve = mantissa > 1.41421356f;
    mantissa = halve ? mantissa * 0.5f : mantissa;
    exponent = halve ? exponent + 1.0f : exponent;
    float z = mantissa - 1.0f;
    float z2 = z * z;
    float z4 = z2 * z2;
    // Estrin's scheme: depth 4 instead of Horner's 9.
    float q01 = 3.3333331174e-1f + z * -2.4999993993e-1f;
    float q23 = 2.0000714765e-1f + z * -1.6668057665e-1f;
    float q45 = 1.4249322787e-1f + z * -1.2420140846e-1f;
    float q67 = 1.1676998740e-1f + z * -1.1514610310e-1f;
    float r03 = q01 + z2 * q23;
    float r47 = q45 + z2 * q67;
    float p = r03 + z4 * r47 + (z4 * z4) * 7.0376836292e-2f;
    float y = p * z * z2;
    y += exponent * -2.12194440e-4f;
    y += -0.5f * z2;
    return (z + y) + exponent * 0.693359375f;
}

PSK_TARGET static void PSK_NAME(window_f64)(
    const float *restrict x, const double *restrict window, double *restrict out, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = (double)x[i] * window[i];
}

PSK_TARGET static void PSK_NAME(window_f32)(
    const float *restrict x, const float *restrict window, float *restrict out, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = x[i] * window[i];
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

PSK_TARGET static void PSK_NAME(decibels)(float *x, size_t n, float floor, float offset) {
    for (size_t i = 0; i < n; i++) {
        float v = x[i] > floor ? x[i] : floor;
        x[i] = PSK_NAME(natural_log)(v) * 4.342944819032518f - offset;  // 10 / ln 10
    }
}

// Branch-free: after every term the running sums of the 8 lanes are stored as the term's
// band's (a band's last term stores its complete sums), and the next term starts from them
// times the term's `keep` (0 after a band's last term), so that no branch depends on the
// layout and the chain from one term to the next is a single multiply-add. `tile` holds
// band_count x PSK_LANES sums, band-major; absent bands stay 0.
PSK_TARGET static void PSK_NAME(apply_bank)(
    const psk_sparse_bank *bank, int band_count, const float *restrict block, int lanes, float *restrict rows,
    float *restrict tile) {
    psk_v8 zero = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int m = 0; m < band_count; m++) psk_store8(tile + (size_t)m * PSK_LANES, zero);
    psk_v8 acc = zero;
    float keep = 0;
    const int *restrict bin = bank->bin;
    const int *restrict band = bank->band;
    const float *restrict weight = bank->weight;
    const float *restrict keeps = bank->keep;
    for (int t = 0; t < bank->count; t++) {
        acc = acc * keep + weight[t] * psk_load8(block + (size_t)bin[t] * PSK_LANES);
        psk_store8(tile + (size_t)band[t] * PSK_LANES, acc);
        keep = keeps[t];
    }
    for (int l = 0; l < lanes; l++)
        for (int m = 0; m < band_count; m++) rows[(size_t)l * band_count + m] = tile[(size_t)m * PSK_LANES + l];
}

PSK_TARGET static double PSK_NAME(sum)(const float *x, size_t n) {
    double lanes[4] = {0, 0, 0, 0};
    size_t whole = n / 4 * 4;
    for (size_t i = 0; i < whole; i += 4)
        for (int l = 0; l < 4; l++) lanes[l] += (double)x[i + l];
    double total = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
    for (size_t i = whole; i < n; i++) total += (double)x[i];
    return total;
}

PSK_TARGET static double PSK_NAME(squared_deviations)(const float *x, size_t n, double mean) {
    double lanes[4] = {0, 0, 0, 0};
    size_t whole = n / 4 * 4;
    for (size_t i = 0; i < whole; i += 4)
        for (int l = 0; l < 4; l++) {
            double d = (double)x[i + l] - mean;
            lanes[l] += d * d;
        }
    double total = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
    for (size_t i = whole; i < n; i++) {
        double d = (double)x[i] - mean;
        total += d * d;
    }
    return total;
}

PSK_TARGET static void PSK_NAME(affine)(float *x, size_t n, float shift, float scale) {
    for (size_t i = 0; i < n; i++) x[i] = (x[i] - shift) * scale;
}

PSK_TARGET static void PSK_NAME(int16_to_float)(const short *restrict in, float *restrict out, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = (float)in[i] * (1.0f / 32768.0f);
}
