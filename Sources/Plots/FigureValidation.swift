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

    /// A matrix of `rows` x `columns` cells, at least one of each, stored in `valuesCount`
    /// values; the names are the caller's parameters ("frameCount", "panels[2].values") and
    /// the units what a row and a column are ("frame", "bin").
    static func checkMatrixShape(
        valuesName: String, valuesCount: Int, rowsName: String, rows: Int, rowUnit: String, columnsName: String,
        columns: Int, columnUnit: String
    ) throws {
        guard rows >= 1 else { throw invalid(rowsName, rows, "at least 1 \(rowUnit)") }
        guard columns >= 1 else { throw invalid(columnsName, columns, "at least 1 \(columnUnit)") }
        guard valuesCount == rows * columns else {
            throw invalid(
                "\(valuesName).count", valuesCount,
                "\(rowsName) x \(columnsName) = \(rows) x \(columns) = \(rows * columns) values")
        }
    }

    /// `values` must hold `expectedCount` entries (when given; `countValid` says why), all
    /// finite and strictly increasing, e.g. bin frequencies or the times of an x axis. `items`
    /// names them in the plural for the message ("frequencies in Hz", "times").
    static func checkStrictlyIncreasing(
        _ values: [Double], name: String, items: String, expectedCount: Int? = nil, countValid: String = ""
    ) throws {
        if let expectedCount, values.count != expectedCount {
            throw invalid("\(name).count", values.count, countValid)
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw invalid("\(name)[\(bad)]", values[bad], "finite, strictly increasing \(items)")
        }
        if let bad = values.indices.dropLast().first(where: { values[$0] >= values[$0 + 1] }) {
            throw invalid(
                "\(name)[\(bad + 1)]", values[bad + 1],
                "strictly increasing \(items) (above \(name)[\(bad)] = \(values[bad]))")
        }
    }

    /// Every value of `values` must be finite, e.g. the positions of dashed markers.
    static func checkFinite(_ values: [Double], name: String, valid: String) throws {
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw invalid("\(name)[\(bad)]", values[bad], valid)
        }
    }

    /// A grid of small multiples needs at least one column.
    static func checkColumns(_ columns: Int) throws {
        guard columns >= 1 else { throw invalid("columns", columns, "at least 1 column of panels") }
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
