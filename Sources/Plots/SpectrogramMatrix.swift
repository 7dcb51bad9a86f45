/// A time-by-frequency matrix with its scales, as every spectrogram panel needs it: checked,
/// turned into a heatmap, and given a frequency axis.
///
/// Layout of `values`: time-major, `values[frame * binCount + bin]`. Frame t is centred at
/// t * `secondsPerFrame` seconds and bin b at `binFrequencies[b]` Hz (or at index b when the
/// frequencies are nil); each cell covers half a frame and half a bin either side of its centre.
struct SpectrogramMatrix {
    var values: [Float]
    var frameCount: Int
    var binCount: Int
    var secondsPerFrame: Double
    var binFrequencies: [Double]?

    /// Checks counts, the frame period and the frequencies; `valuesName` is what the caller
    /// calls `values` ("values", "spectrogram"), so the message names the caller's parameter.
    func validate(valuesName: String) throws {
        let invalid = FigureValidation.invalid
        try FigureValidation.checkMatrixShape(
            valuesName: valuesName, valuesCount: values.count, rowsName: "frameCount", rows: frameCount,
            rowUnit: "frame", columnsName: "binCount", columns: binCount, columnUnit: "bin")
        guard secondsPerFrame > 0, secondsPerFrame.isFinite else {
            throw invalid("secondsPerFrame", secondsPerFrame, "a positive number of seconds (hop length / sample rate)")
        }
        try SpectrogramMatrix.validate(binFrequencies: binFrequencies, binCount: binCount)
    }

    /// One finite frequency per bin, strictly increasing, when there are frequencies at all.
    static func validate(binFrequencies: [Double]?, binCount: Int) throws {
        guard let binFrequencies else { return }
        try FigureValidation.checkStrictlyIncreasing(
            binFrequencies, name: "binFrequencies", items: "frequencies in Hz", expectedCount: binCount,
            countValid: "one frequency per bin, \(binCount)")
    }

    /// min...max of the finite values; nil when none is finite.
    var finiteRange: ClosedRange<Float>? {
        var low = Float.infinity
        var high = -Float.infinity
        for value in values where value.isFinite {
            low = min(low, value)
            high = max(high, value)
        }
        return low <= high ? low...high : nil
    }

    /// The time covered by the image, from half a frame before frame 0's centre to half a frame
    /// after the last frame's centre.
    var timeRange: ClosedRange<Double> {
        (-0.5 * secondsPerFrame)...((Double(frameCount) - 0.5) * secondsPerFrame)
    }

    /// The fractional bin indices covered by the image: the frequency axis's linear coordinate.
    var binRange: ClosedRange<Double> {
        -0.5...(Double(binCount) - 0.5)
    }

    /// The matrix as a heatmap, frames left to right and bin 0 at the bottom.
    func heatmap(colormap: Colormap, limits: ClosedRange<Float>, style: FigureStyle) -> HeatmapLayer {
        HeatmapLayer(
            values: values, rowCount: frameCount, columnCount: binCount, orientation: .rowsAcrossColumnsUpward,
            colormap: colormap, limits: limits, missingValueColor: style.missingValueColor)
    }

    /// A left axis for a panel `length` points tall: Hz ticks from `FrequencyTicks` (placed
    /// where their frequency falls between bin centres), or whole bin indices when the
    /// frequencies are nil.
    func frequencyAxis(length: Double, on canvas: Canvas, style: FigureStyle) -> Axis {
        SpectrogramMatrix.frequencyAxis(
            binFrequencies: binFrequencies, binCount: binCount, length: length, on: canvas, style: style)
    }

    /// The frequency axis of `frequencyAxis(length:on:style:)` for any `binCount` bins centred
    /// at `binFrequencies` (nil: bin index), e.g. the left column of a grid of spectrograms.
    static func frequencyAxis(
        binFrequencies: [Double]?, binCount: Int, length: Double, on canvas: Canvas, style: FigureStyle
    ) -> Axis {
        let binRange = -0.5...(Double(binCount) - 0.5)
        let labelHeight: (String) -> Double = { canvas.inkSize(of: $0, fontSize: style.tickLabelSize).height }
        if let binFrequencies {
            let ticks = FrequencyTicks.ticks(
                mapping: BinFrequencyMapping(frequencies: binFrequencies), length: length,
                minimumSpacing: style.minimumTickSpacing, labelGap: 4, labelExtent: labelHeight)
            return Axis(edge: .left, range: binRange, ticks: ticks, title: "Frequency (Hz)")
        }
        let ticks = AxisTicks.linear(
            range: binRange, length: length, minimumSpacing: style.minimumTickSpacing, labelGap: 4,
            labelExtent: labelHeight
        ).filter { $0.position == $0.position.rounded() }
        return Axis(edge: .left, range: binRange, ticks: ticks, title: "Frequency bin")
    }
}
