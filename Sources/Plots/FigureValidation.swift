/// Checks shared by every figure's `validate()`: colour limits, page size and PNG resolution.
///
/// Each check throws `PlotError.invalidParameter` naming the parameter, its value and what
/// would be valid, so figures report bad input the same way before they touch the disk.
enum FigureValidation {
    /// The error for parameter `name` with value `value`; `valid` says what would be accepted.
    static func invalid(_ name: String, _ value: Any, _ valid: String) -> PlotError {
        .invalidParameter(name: name, value: "\(value)", valid: valid)
    }

    /// Explicit colour limits must be finite with lower < upper (nil means automatic).
    static func checkColorLimits(_ limits: ClosedRange<Float>?) throws {
        guard let limits else { return }
        guard limits.lowerBound.isFinite, limits.upperBound.isFinite, limits.lowerBound < limits.upperBound else {
            throw invalid("colorLimits", limits, "finite limits with lower < upper, e.g. -80...0")
        }
    }

    /// The page must be 240 x 160 to 10000 x 10000 points (smaller leaves no room for the
    /// axes), and the PNG at most cairo's 32767 pixels a side at `pixelsPerPoint`.
    static func checkSize(_ size: (width: Double, height: Double), pixelsPerPoint: Double) throws {
        guard size.width.isFinite, size.height.isFinite, size.width >= 240, size.height >= 160,
            size.width <= 10000, size.height <= 10000
        else {
            throw invalid(
                "size", "\(size.width) x \(size.height)", "at least 240 x 160 and at most 10000 x 10000 points")
        }
        let largestPixels = max(size.width, size.height) * pixelsPerPoint
        guard pixelsPerPoint.isFinite, pixelsPerPoint >= 0.25,
            largestPixels <= Double(CairoSurface.maximumImageDimension)
        else {
            throw invalid(
                "pixelsPerPoint", pixelsPerPoint,
                "at least 0.25, with the PNG at most \(CairoSurface.maximumImageDimension) pixels a side")
        }
    }
}
