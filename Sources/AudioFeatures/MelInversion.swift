import Foundation

/// Mel spectrogram back to a linear-frequency spectrogram, as
/// `librosa.feature.inverse.mel_to_stft` defines it: per frame, the non-negative least squares
/// solution of the filterbank against the mel values, then the `power` root.
///
/// Concretely, with A the filterbank (melCount x bins) and b a frame of mel values:
///
///     x = argmin ||A x - b||^2  subject to  x >= lowerBound,     S = x^(1 / power)
///
/// The problem has many solutions: A has fewer rows than columns (128 mels, 257 bins at n_fft
/// 512) and, at low frequencies where filters are narrower than a bin, is rank deficient (rank
/// 116 of 128 for the `speechless` bank). librosa (`librosa.util.nnls`) picks one by starting
/// L-BFGS-B from the clipped minimum-norm solution max(0, pinv(A) b); its gradient steps only
/// move within A's row space, so it keeps that start's component in A's null space. We start
/// from the same point and run projected gradient with Nesterov momentum and adaptive restart
/// (FISTA, Beck & Teboulle 2009; O'Donoghue & Candes 2015), whose steps also stay in the row
/// space, so both land on (nearly) the same member of the solution set.
///
/// pinv(A) b is computed as A^T (A A^T + eps I)^{-1} b with eps = 1e-10 of the largest
/// eigenvalue of A A^T (bounded by Gershgorin's theorem; a Cholesky factorisation of a
/// melCount x melCount matrix, once per filterbank). For the `speechless` bank this equals
/// NumPy's pinv to float32 rounding (start and librosa's result agree to 1e-6 in bins that carry
/// energy): the dropped directions, filters that sample the very same FFT bins, have eigenvalues
/// below 1e-15 of the largest, the kept ones above 0.03. The `logmel` bank (n_fft 400, 80 mels)
/// also has one eigenvalue at 1e-11, two low filters on nearly the same bins, which NumPy's
/// float32 pinv inverts (amplifying rounding by ~1e5) and we drop: there the starts differ by up
/// to 4% in energetic bins, and ours fits the mel values 10 times better.
///
/// Shapes: `FeatureMatrix(frames, melCount)` in, `FeatureMatrix(frames, fftLength / 2 + 1)` out.
/// Arithmetic is double precision.
public struct MelInversion: Sendable {
    public let filterbank: MelFilterbank
    /// Projected-gradient iterations per frame at most; 0 returns the clipped pinv start (what
    /// librosa returns for short inputs, its L-BFGS-B stopping at once). 300 fit consistent input
    /// (the mel spectrogram of real audio) to ~1e-7 relative, at ~6 ms per second of audio for
    /// the `speechless` bank (~25 ms for `logmel`, which converges more slowly).
    public let iterationLimit: Int
    /// Stop when no value of x moved by more than this fraction of max(x) in an iteration.
    public let tolerance: Double

    /// Filter m's weights, in double precision, start at bin `firstBin[m]`.
    private let firstBin: [Int]
    private let weights: [[Double]]
    /// Lower-triangular Cholesky factor of A A^T + eps I, row-major melCount x melCount.
    private let cholesky: [Double]
    /// An upper bound of the largest eigenvalue of A^T A: the gradient's Lipschitz constant.
    private let lipschitz: Double

    public init(filterbank: MelFilterbank, iterationLimit: Int = 300, tolerance: Double = 1e-7) throws {
        guard iterationLimit >= 0 else {
            throw AudioFeaturesError.invalidParameter(
                name: "iteration limit", value: String(iterationLimit), valid: "an integer >= 0 (0: pinv, clipped)")
        }
        guard tolerance >= 0, tolerance.isFinite else {
            throw AudioFeaturesError.invalidParameter(
                name: "tolerance", value: String(tolerance), valid: "a number >= 0, e.g. 1e-7")
        }
        self.filterbank = filterbank
        self.iterationLimit = iterationLimit
        self.tolerance = tolerance
        let bins = filterbank.fftLength / 2 + 1
        let mels = filterbank.melCount
        let dense = filterbank.denseWeights
        var firstBin = [Int]()
        var weights = [[Double]]()
        for m in 0..<mels {
            let row = dense[(m * bins)..<((m + 1) * bins)]
            if let first = row.firstIndex(where: { $0 != 0 }), let last = row.lastIndex(where: { $0 != 0 }) {
                firstBin.append(first - m * bins)
                weights.append(row[first...last].map { Double($0) })
            } else {
                firstBin.append(0)
                weights.append([])
            }
        }
        self.firstBin = firstBin
        self.weights = weights
        // Gram matrix A A^T: filters overlap only their neighbours', but nothing here assumes it.
        var gram = [Double](repeating: 0, count: mels * mels)
        for i in 0..<mels {
            for j in i..<mels {
                let lo = max(firstBin[i], firstBin[j])
                let hi = min(firstBin[i] + weights[i].count, firstBin[j] + weights[j].count)
                var sum = 0.0
                if lo < hi { for k in lo..<hi { sum += weights[i][k - firstBin[i]] * weights[j][k - firstBin[j]] } }
                gram[i * mels + j] = sum
                gram[j * mels + i] = sum
            }
        }
        // Gershgorin: the largest absolute row sum bounds the largest eigenvalue of A A^T (and
        // of A^T A, whose nonzero eigenvalues are the same); 1-2% above it for the preset banks.
        var largest = 0.0
        for i in 0..<mels { largest = max(largest, (0..<mels).reduce(0) { $0 + abs(gram[i * mels + $1]) }) }
        lipschitz = max(largest, .leastNormalMagnitude)
        let epsilon = max(1e-10 * largest, .leastNormalMagnitude)
        for i in 0..<mels { gram[i * mels + i] += epsilon }
        cholesky = Self.choleskyFactor(gram, size: mels)
    }

    /// NNLS for every frame: argmin over x >= `lowerBound` of ||A x - b||^2, b a frame of `mel`.
    /// A lower bound other than 0 solves for x - lowerBound >= 0 against b - lowerBound A 1: the
    /// `speechless` front end applies the filters to dB values floored at -150 dB, so their
    /// inverse is a dB spectrum bounded below by that floor.
    public func leastSquares(_ mel: FeatureMatrix, lowerBound: Double = 0) throws -> FeatureMatrix {
        try check(mel)
        guard lowerBound.isFinite else {
            throw AudioFeaturesError.invalidParameter(
                name: "lower bound", value: String(lowerBound), valid: "a finite number, e.g. 0")
        }
        let bins = filterbank.fftLength / 2 + 1
        let mels = filterbank.melCount
        var result = FeatureMatrix(frameCount: mel.frameCount, binCount: bins)
        // Row sums A 1, for the shift to x - lowerBound.
        let rowSums = weights.map { $0.reduce(0, +) }
        var target = [Double](repeating: 0, count: mels)
        var x = [Double](repeating: 0, count: bins)
        for frame in 0..<mel.frameCount {
            for m in 0..<mels { target[m] = Double(mel[frame, m]) - lowerBound * rowSums[m] }
            solve(target, into: &x)
            for k in 0..<bins { result[frame, k] = Float(x[k] + lowerBound) }
        }
        return result
    }

    /// `librosa.feature.inverse.mel_to_stft(M, power=power)`: the NNLS spectrogram to the power
    /// 1 / `power`. `power` 2 (librosa's default) for a mel power spectrogram gives magnitudes.
    public func spectrogram(fromMel mel: FeatureMatrix, power: Double = 2) throws -> FeatureMatrix {
        guard power > 0, power.isFinite else {
            throw AudioFeaturesError.invalidParameter(
                name: "power", value: String(power), valid: "a positive exponent, e.g. 2 (power) or 1 (magnitude)")
        }
        var result = try leastSquares(mel)
        if power != 1 {
            let exponent = 1 / power
            for i in result.values.indices { result.values[i] = Float(pow(Double(result.values[i]), exponent)) }
        }
        return result
    }

    /// The filterbank applied to `spectrum` in double precision (A x per frame), for checking a
    /// solution against its target.
    public func melProjection(of spectrum: FeatureMatrix) -> FeatureMatrix {
        precondition(spectrum.binCount == filterbank.fftLength / 2 + 1)
        var result = FeatureMatrix(frameCount: spectrum.frameCount, binCount: filterbank.melCount)
        for frame in 0..<spectrum.frameCount {
            for m in 0..<filterbank.melCount {
                var sum = 0.0
                for (j, w) in weights[m].enumerated() { sum += w * Double(spectrum[frame, firstBin[m] + j]) }
                result[frame, m] = Float(sum)
            }
        }
        return result
    }

    private func check(_ mel: FeatureMatrix) throws {
        guard mel.binCount == filterbank.melCount else {
            throw AudioFeaturesError.invalidParameter(
                name: "mel bands", value: String(mel.binCount),
                valid: "\(filterbank.melCount) (the filterbank's --n-mels)")
        }
        guard mel.frameCount >= 1 else {
            throw AudioFeaturesError.invalidParameter(
                name: "mel frames", value: String(mel.frameCount), valid: "at least 1 frame")
        }
        if let i = mel.values.firstIndex(where: { !$0.isFinite }) {
            throw AudioFeaturesError.invalidParameter(
                name: "mel value at frame \(i / mel.binCount), band \(i % mel.binCount)", value: String(mel.values[i]),
                valid: "finite numbers (no NaN or Inf)")
        }
    }

    /// y = A x.
    private func forward(_ x: [Double], into y: inout [Double]) {
        for m in 0..<weights.count {
            var sum = 0.0
            let first = firstBin[m]
            for (j, w) in weights[m].enumerated() { sum += w * x[first + j] }
            y[m] = sum
        }
    }

    /// x = A^T y.
    private func adjoint(_ y: [Double], into x: inout [Double]) {
        for k in x.indices { x[k] = 0 }
        for m in 0..<weights.count {
            let first = firstBin[m]
            for (j, w) in weights[m].enumerated() { x[first + j] += w * y[m] }
        }
    }

    /// One frame: clipped pinv start, then FISTA with restart on x >= 0.
    private func solve(_ b: [Double], into x: inout [Double]) {
        let mels = weights.count
        let bins = x.count
        // Start: max(0, A^T (A A^T + eps I)^{-1} b).
        var lambda = b
        for i in 0..<mels {
            var sum = lambda[i]
            for j in 0..<i { sum -= cholesky[i * mels + j] * lambda[j] }
            lambda[i] = sum / cholesky[i * mels + i]
        }
        for i in stride(from: mels - 1, through: 0, by: -1) {
            var sum = lambda[i]
            for j in (i + 1)..<mels { sum -= cholesky[j * mels + i] * lambda[j] }
            lambda[i] = sum / cholesky[i * mels + i]
        }
        adjoint(lambda, into: &x)
        for k in 0..<bins where x[k] < 0 { x[k] = 0 }
        guard iterationLimit > 0 else { return }
        var z = x
        var previous = x
        var residual = [Double](repeating: 0, count: mels)
        var gradient = [Double](repeating: 0, count: bins)
        var t = 1.0
        let step = 1 / lipschitz
        for _ in 0..<iterationLimit {
            forward(z, into: &residual)
            for m in 0..<mels { residual[m] -= b[m] }
            adjoint(residual, into: &gradient)
            previous = x
            var change = 0.0
            var largest = 0.0
            var restartTest = 0.0
            for k in 0..<bins {
                let next = max(0, z[k] - step * gradient[k])
                restartTest += (z[k] - next) * (next - previous[k])
                change = max(change, abs(next - previous[k]))
                largest = max(largest, next)
                x[k] = next
            }
            if change <= tolerance * largest { break }
            if restartTest > 0 {
                // Momentum points uphill: restart from the plain projected-gradient step.
                t = 1
                z = x
            } else {
                let tNext = (1 + (1 + 4 * t * t).squareRoot()) / 2
                let beta = (t - 1) / tNext
                for k in 0..<bins { z[k] = x[k] + beta * (x[k] - previous[k]) }
                t = tNext
            }
        }
    }

    /// L with L L^T = matrix (symmetric positive definite), row-major, upper part zero.
    private static func choleskyFactor(_ matrix: [Double], size: Int) -> [Double] {
        var l = [Double](repeating: 0, count: size * size)
        for i in 0..<size {
            for j in 0...i {
                var sum = matrix[i * size + j]
                for k in 0..<j { sum -= l[i * size + k] * l[j * size + k] }
                if i == j {
                    l[i * size + i] = max(sum, .leastNormalMagnitude).squareRoot()
                } else {
                    l[i * size + j] = sum / l[j * size + j]
                }
            }
        }
        return l
    }
}
