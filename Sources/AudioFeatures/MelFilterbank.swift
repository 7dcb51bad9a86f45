import CSpectralKernels
import Foundation

/// A bank of triangular mel filters, as `librosa.filters.mel` builds it, applied sparsely.
///
/// Concretely: with `melCount + 2` edge frequencies f_0 < f_1 < ... evenly spaced in mels from
/// `minimumFrequency` to `maximumFrequency`, filter m rises linearly from f_m to f_{m+1} and
/// falls to f_{m+2}; weight(m, k) = max(0, min((x - f_m) / (f_{m+1} - f_m),
/// (f_{m+2} - x) / (f_{m+2} - f_{m+1}))) at FFT bin frequency x = k * sampleRate / fftLength.
/// Slaney normalisation multiplies filter m by 2 / (f_{m+2} - f_m). Weights are computed in
/// double precision and stored in float32, as librosa's `dtype=np.float32` does.
///
/// Each filter touches only a few bins, so each is stored as its first non-zero bin and its
/// weights; applying the bank costs about 2 multiply-adds per FFT bin instead of `melCount`.
public struct MelFilterbank: Sendable {
    public let sampleRate: Int
    public let fftLength: Int
    public let melCount: Int
    public let minimumFrequency: Double
    public let maximumFrequency: Double
    public let scale: MelScale
    public let normalization: MelNormalization
    /// Centre frequency of each filter (Hz), f_1 ... f_melCount.
    public let centerFrequencies: [Double]
    /// Filters that have no non-zero weight (too many bands for this FFT size).
    public let emptyFilters: [Int]
    private let firstBin: [Int]
    private let weights: [[Float]]
    /// All filters' weights back to back; filter m's are packedWeights[weightOffset[m]..<weightOffset[m + 1]].
    private let packedWeights: [Float]
    private let weightOffset: [Int]
    /// The same weights as the terms `psk_apply_bank` walks.
    let sparse: SparseBank

    public init(
        sampleRate: Int, fftLength: Int, melCount: Int, minimumFrequency: Double = 0,
        maximumFrequency: Double? = nil, scale: MelScale = .slaney, normalization: MelNormalization = .slaney
    ) throws {
        let nyquist = Double(sampleRate) / 2
        let maximum = maximumFrequency ?? nyquist
        guard sampleRate > 0 else {
            throw AudioFeaturesError.invalidParameter(
                name: "--sample-rate", value: String(sampleRate), valid: "a positive rate in Hz")
        }
        guard melCount >= 1 else {
            throw AudioFeaturesError.invalidParameter(
                name: "--n-mels", value: String(melCount), valid: "an integer >= 1, e.g. 80 or 128")
        }
        guard minimumFrequency >= 0, minimumFrequency < maximum else {
            throw AudioFeaturesError.invalidParameter(
                name: "--fmin", value: String(minimumFrequency), valid: "0 <= fmin < fmax (\(maximum) Hz)")
        }
        guard maximum <= nyquist else {
            throw AudioFeaturesError.invalidParameter(
                name: "--fmax", value: String(maximum),
                valid: "at most the Nyquist frequency, \(nyquist) Hz at --sample-rate \(sampleRate)")
        }
        self.sampleRate = sampleRate
        self.fftLength = fftLength
        self.melCount = melCount
        self.minimumFrequency = minimumFrequency
        self.maximumFrequency = maximum
        self.scale = scale
        self.normalization = normalization

        let binCount = fftLength / 2 + 1
        // numpy.fft.rfftfreq: k * (sampleRate / fftLength)
        let binSpacing = Double(sampleRate) / Double(fftLength)
        let binFrequencies = (0..<binCount).map { Double($0) * binSpacing }
        let edges = scale.frequencies(count: melCount + 2, minimum: minimumFrequency, maximum: maximum)
        var firstBin = [Int]()
        var weights = [[Float]]()
        var empty = [Int]()
        for m in 0..<melCount {
            let lowerWidth = edges[m + 1] - edges[m]
            let upperWidth = edges[m + 2] - edges[m + 1]
            let norm = normalization == .slaney ? 2 / (edges[m + 2] - edges[m]) : 1
            var row = [Float]()
            var start = -1
            for (k, x) in binFrequencies.enumerated() {
                let rising = (x - edges[m]) / lowerWidth
                let falling = (edges[m + 2] - x) / upperWidth
                let w = max(0, min(rising, falling))
                if w > 0 {
                    if start < 0 { start = k }
                    // Gaps inside a triangle cannot occur: weights are contiguous.
                    row.append(Float(w * norm))
                }
            }
            if start < 0 {
                // librosa counts a filter as empty unless its lower edge is 0 Hz.
                if edges[m] != 0 { empty.append(m) }
                start = 0
            }
            firstBin.append(start)
            weights.append(row)
        }
        self.firstBin = firstBin
        self.weights = weights
        self.packedWeights = weights.flatMap { $0 }
        var offsets = [0]
        for row in weights { offsets.append(offsets[offsets.count - 1] + row.count) }
        self.weightOffset = offsets
        self.sparse = SparseBank(firstBin: firstBin, weights: weights, binCount: fftLength / 2 + 1)
        self.emptyFilters = empty
        self.centerFrequencies = Array(edges[1...melCount])
    }

    /// The warning librosa gives for empty filters, or nil when every filter has weight.
    public var emptyFilterWarning: String? {
        guard !emptyFilters.isEmpty else { return nil }
        return
            "warning: \(emptyFilters.count) of \(melCount) mel filters are empty (filters \(emptyFilters.prefix(8).map(String.init).joined(separator: ", "))\(emptyFilters.count > 8 ? ", ..." : "")): --n-mels \(melCount) is too high for --n-fft \(fftLength); those bands will be 0 (power) or the floor (dB). Use fewer mels or a larger n_fft."
    }

    /// The dense weight matrix, melCount x (fftLength / 2 + 1), row-major (librosa's layout).
    public var denseWeights: [Float] {
        let binCount = fftLength / 2 + 1
        var dense = [Float](repeating: 0, count: melCount * binCount)
        for m in 0..<melCount {
            for (j, w) in weights[m].enumerated() { dense[m * binCount + firstBin[m] + j] = w }
        }
        return dense
    }

    /// Applies the filters to every frame of `spectrum` (frames x bins) -> (frames x melCount).
    public func apply(to spectrum: FeatureMatrix) -> FeatureMatrix {
        precondition(
            spectrum.binCount == fftLength / 2 + 1,
            "spectrum has \(spectrum.binCount) bins, the filterbank expects \(fftLength / 2 + 1)")
        var result = FeatureMatrix(frameCount: spectrum.frameCount, binCount: melCount)
        let bins = spectrum.binCount
        spectrum.values.withUnsafeBufferPointer { input in
            result.values.withUnsafeMutableBufferPointer { output in
                for frame in 0..<spectrum.frameCount {
                    apply(
                        row: UnsafeBufferPointer(rebasing: input[(frame * bins)..<((frame + 1) * bins)]),
                        into: UnsafeMutableBufferPointer(
                            rebasing: output[(frame * melCount)..<((frame + 1) * melCount)]))
                }
            }
        }
        return result
    }

    /// Applies the filters to up to `PSK_LANES` frames held bin-major in `block`
    /// (`block[bin * PSK_LANES + lane]`), writing `lanes` rows of `melCount` values to `rows`.
    /// The same sums, in the same order, as `apply(row:into:)`.
    /// `tile` is scratch space for `(melCount + 3) * PSK_LANES` floats.
    func apply(
        block: UnsafePointer<Float>, lanes: Int, into rows: UnsafeMutablePointer<Float>,
        tile: UnsafeMutablePointer<Float>
    ) {
        withUnsafePointer(to: sparse.bank) {
            psk_apply_bank($0, Int32(melCount), block, Int32(lanes), rows, tile)
        }
    }

    /// Applies the filters to one frame: `row` has fftLength / 2 + 1 bins, `output` melCount values.
    public func apply(row: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) {
        packedWeights.withUnsafeBufferPointer { packed in
            firstBin.withUnsafeBufferPointer { first in
                weightOffset.withUnsafeBufferPointer { offset in
                    for m in 0..<melCount {
                        // Bin of packed weight j: first[m] + (j - offset[m]).
                        let shift = first[m] - offset[m]
                        var sum: Float = 0
                        for j in offset[m]..<offset[m + 1] { sum += packed[j] * row[shift &+ j] }
                        output[m] = sum
                    }
                }
            }
        }
    }
}

/// A filterbank's non-zero weights as a `psk_sparse_bank`: the bands in groups of
/// `PSK_BAND_GROUP` (4) consecutive ones, each group as many steps long as its longest band
/// (neighbouring bands are about equally long, so the padding is small: 560 weights, zeros
/// included, for speechless's 504). Each band's weights are its steps in ascending bin
/// order; the other steps have weight 0, placed before or after them so that every bin read is
/// inside the block. Ownership: owns the arrays, freed in `deinit`; immutable after `init`, so
/// it may be shared between threads.
final class SparseBank: @unchecked Sendable {
    let bank: psk_sparse_bank
    private let lengths: UnsafeMutableBufferPointer<Int32>
    private let starts: UnsafeMutableBufferPointer<Int32>
    private let weights: UnsafeMutableBufferPointer<Float>

    /// `firstBin[m]` is the bin of `rows[m][0]`; bands' bins lie in `0..<binCount`.
    init(firstBin: [Int], weights rows: [[Float]], binCount: Int) {
        let width = Int(PSK_BAND_GROUP)
        let groups = (rows.count + width - 1) / width
        let groupLengths = (0..<groups).map { g in
            (g * width..<min(rows.count, (g + 1) * width)).map { rows[$0].count }.max() ?? 0
        }
        lengths = .allocate(capacity: max(groups, 1))
        starts = .allocate(capacity: max(groups * width, 1))
        weights = .allocate(capacity: max(groupLengths.reduce(0, +) * width, 1))
        weights.initialize(repeating: 0)
        var base = 0
        for g in 0..<groups {
            let length = groupLengths[g]
            lengths[g] = Int32(length)
            for i in 0..<width {
                let m = g * width + i
                let count = m < rows.count ? rows[m].count : 0
                // Start so that steps [start, start + length) stay in the block, the band's
                // weights at their own bins.
                let start = count > 0 ? min(firstBin[m], binCount - length) : 0
                starts[g * width + i] = Int32(start)
                for j in 0..<count { weights[base + (firstBin[m] - start + j) * width + i] = rows[m][j] }
            }
            base += length * width
        }
        bank = psk_sparse_bank(
            groups: Int32(groups), length: lengths.baseAddress, start: starts.baseAddress,
            weight: weights.baseAddress)
    }

    deinit {
        lengths.deallocate()
        starts.deallocate()
        weights.deallocate()
    }
}
