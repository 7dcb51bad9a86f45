import Foundation

/// A waveform drawn as its min/max envelope, one column per output pixel, so an hour of audio
/// draws as fast as a second.
///
/// Concretely: the time range is cut into `columnCount` equal columns; column c gets the
/// minimum and maximum of the samples from floor(a * rate) to ceil(b * rate), both included,
/// where [a, b] is the column's time span, so neighbouring columns share their edge samples
/// and a zoomed-in waveform stays connected. The envelope is filled and outlined as one
/// polygon through the column centres (the outline keeps silence visible as a flat line).
/// Amplitude v is drawn at height v / `amplitudeLimit` of the half-panel above the centre.
struct WaveformLayer {
    var samples: [Float]
    var sampleRate: Int
    /// The amplitude at the panel's top edge; its negative is at the bottom edge.
    var amplitudeLimit: Double
    var color: RGBColor
    /// Width of the outline: one pixel of a 2-pixel-per-point PNG.
    var outlineWidth = 0.5

    /// Min and max of the samples in each of `columnCount` columns over `timeRange` seconds
    /// (see the type's comment); columns past the audio's ends use its first or last sample.
    func envelope(timeRange: ClosedRange<Double>, columnCount: Int) -> [(minimum: Float, maximum: Float)] {
        precondition(!samples.isEmpty && columnCount >= 1, "an envelope needs samples and columns")
        let rate = Double(sampleRate)
        let span = timeRange.upperBound - timeRange.lowerBound
        let lastIndex = samples.count - 1
        // Sample positions of the column edges; the 1e-9 keeps an edge that lies on a sample
        // (0.3 s x 100 Hz = 30.000000000000004) from taking in the next one.
        func position(_ column: Int) -> Double {
            (timeRange.lowerBound + span * Double(column) / Double(columnCount)) * rate
        }
        return samples.withUnsafeBufferPointer { samples in
            (0..<columnCount).map { column in
                let first = min(max(Int(floor(position(column) + 1e-9)), 0), lastIndex)
                let last = min(max(Int(ceil(position(column + 1) - 1e-9)), first), lastIndex)
                var low = samples[first]
                var high = samples[first]
                for index in first...last {
                    low = min(low, samples[index])
                    high = max(high, samples[index])
                }
                return (low, high)
            }
        }
    }

    /// Draws the envelope of the samples in `timeRange` across `rect`, one column per pixel
    /// of a PNG (two per point in SVG and PDF, which is finer than print resolves).
    func draw(on canvas: Canvas, in rect: Rect, timeRange: ClosedRange<Double>) {
        let columnCount = max(1, Int((rect.width * max(canvas.pixelsPerPoint, 2)).rounded(.up)))
        let columns = envelope(timeRange: timeRange, columnCount: columnCount)
        let columnWidth = rect.width / Double(columnCount)
        let scale = rect.height / 2 / amplitudeLimit
        func point(_ column: Int, _ value: Float) -> Point {
            Point(x: rect.minX + (Double(column) + 0.5) * columnWidth, y: rect.midY - Double(value) * scale)
        }
        // Along the maxima left to right, back along the minima right to left.
        let upper = columns.indices.map { point($0, columns[$0].maximum) }
        let lower = columns.indices.reversed().map { point($0, columns[$0].minimum) }
        canvas.fillAndStroke(polygon: upper + lower, color: color, lineWidth: outlineWidth)
    }

    /// The largest absolute sample value, enlarged by 5 % so the peak does not touch the
    /// frame; 1 for silence.
    static func amplitudeLimit(of samples: [Float]) -> Double {
        let peak = samples.reduce(Float(0)) { max($0, abs($1)) }
        return peak > 0 ? 1.05 * Double(peak) : 1
    }
}
