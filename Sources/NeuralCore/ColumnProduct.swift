import COpenBLAS

/// The matrix products shared by every im2col convolution: with the receptive fields gathered
/// into `columns` [rows x width] and the weight viewed as [outChannels x width],
/// forward is Y = columns W^T + b and backward is dW += dY^T columns, db += sum of dY's rows,
/// dColumns = dY W.
enum ColumnProduct {
    static func forward(columns: [Float], rows: Int, width: Int, weight: Parameter, bias: Parameter?) -> [Float] {
        forward(
            columns: columns, rows: rows, width: width, weight: weight.value.values,
            outChannels: weight.value.shape[0], bias: bias?.value.values)
    }

    /// Y = columns W^T + b with the weight given as [outChannels x width] values.
    static func forward(columns: [Float], rows: Int, width: Int, weight: [Float], outChannels: Int, bias: [Float]?)
        -> [Float]
    {
        var output = [Float](repeating: 0, count: rows * outChannels)
        if let bias { fillRows(&output, rows: rows, with: bias) }
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outChannels), Int32(width), 1, columns,
            Int32(width), weight, Int32(width), bias == nil ? 0 : 1, &output, Int32(outChannels))
        return output
    }

    /// Accumulates the parameter gradients and returns dColumns [rows x width].
    static func backward(
        outputGradient: [Float], columns: [Float], rows: Int, width: Int, weight: Parameter, bias: Parameter?
    ) -> [Float] {
        var columnGradient: [Float]? = []
        var biasGradient = bias?.gradient.values
        backward(
            outputGradient: outputGradient, columns: columns, rows: rows, width: width, weight: weight.value.values,
            outChannels: weight.value.shape[0], weightGradient: &weight.gradient.values, biasGradient: &biasGradient,
            columnGradient: &columnGradient)
        if let biasGradient { bias?.gradient.values = biasGradient }
        return columnGradient ?? []
    }

    /// dW += dY^T columns (into `weightGradient`, [outChannels x width]), db += dY's row sums,
    /// and, unless `columnGradient` is nil, dColumns = dY W (resized only when its size differs,
    /// so a layer can reuse one buffer across steps).
    static func backward(
        outputGradient: [Float], columns: [Float], rows: Int, width: Int, weight: [Float], outChannels: Int,
        weightGradient: inout [Float], biasGradient: inout [Float]?, columnGradient: inout [Float]?
    ) {
        precondition(
            outputGradient.count == rows * outChannels,
            "gradient has \(outputGradient.count) values, expected \(rows * outChannels)")
        cblas_sgemm(
            CblasRowMajor, CblasTrans, CblasNoTrans, Int32(outChannels), Int32(width), Int32(rows), 1, outputGradient,
            Int32(outChannels), columns, Int32(width), 1, &weightGradient, Int32(width))
        if var sums = biasGradient {
            addColumnSums(of: outputGradient, rows: rows, into: &sums)
            biasGradient = sums
        }
        guard var result = columnGradient else { return }
        columnGradient = nil  // hand the buffer over without a copy
        if result.count != rows * width { result = [Float](repeating: 0, count: rows * width) }
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(width), Int32(outChannels), 1, outputGradient,
            Int32(outChannels), weight, Int32(width), 0, &result, Int32(width))
        columnGradient = result
    }

    /// Copies `row` into each of the first `rows` rows of `matrix` (row length `row.count`).
    static func fillRows(_ matrix: inout [Float], rows: Int, with row: [Float]) {
        let width = row.count
        precondition(matrix.count >= rows * width)
        matrix.withUnsafeMutableBufferPointer { m in
            row.withUnsafeBufferPointer { source in
                guard let target = m.baseAddress, let source = source.baseAddress else { return }
                for r in 0..<rows { (target + r * width).update(from: source, count: width) }
            }
        }
    }

    /// sums[o] += sum over r of matrix[r, o], for a row-major matrix of `rows` rows of
    /// `sums.count` values (the bias gradient), as one matrix-vector product.
    static func addColumnSums(of matrix: [Float], rows: Int, into sums: inout [Float]) {
        let width = sums.count
        precondition(matrix.count >= rows * width)
        guard rows > 0, width > 0 else { return }
        let ones = [Float](repeating: 1, count: rows)
        cblas_sgemv(
            CblasRowMajor, CblasTrans, Int32(rows), Int32(width), 1, matrix, Int32(width), ones, 1, 1, &sums, 1)
    }
}
