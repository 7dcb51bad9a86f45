import COpenBLAS

/// The matrix products shared by every im2col convolution: with the receptive fields gathered
/// into `columns` [rows x width] and the weight viewed as [outChannels x width],
/// forward is Y = columns W^T + b and backward is dW += dY^T columns, db += sum of dY's rows,
/// dColumns = dY W.
enum ColumnProduct {
    static func forward(columns: [Float], rows: Int, width: Int, weight: Parameter, bias: Parameter?) -> [Float] {
        let outChannels = weight.value.shape[0]
        var output = [Float](repeating: 0, count: rows * outChannels)
        if let bias {
            for r in 0..<rows {
                for o in 0..<outChannels { output[r * outChannels + o] = bias.value.values[o] }
            }
        }
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outChannels), Int32(width), 1, columns,
            Int32(width), weight.value.values, Int32(width), bias == nil ? 0 : 1, &output, Int32(outChannels))
        return output
    }

    /// Accumulates the parameter gradients and returns dColumns [rows x width].
    static func backward(
        outputGradient: [Float], columns: [Float], rows: Int, width: Int, weight: Parameter, bias: Parameter?
    ) -> [Float] {
        var columnGradient: [Float] = []
        backward(
            outputGradient: outputGradient, columns: columns, rows: rows, width: width, weight: weight, bias: bias,
            into: &columnGradient)
        return columnGradient
    }

    /// As `backward(...)`, writing dColumns into `columnGradient` (resized only when its size
    /// differs, so a layer can reuse one buffer across steps).
    static func backward(
        outputGradient: [Float], columns: [Float], rows: Int, width: Int, weight: Parameter, bias: Parameter?,
        into columnGradient: inout [Float]
    ) {
        let outChannels = weight.value.shape[0]
        precondition(
            outputGradient.count == rows * outChannels,
            "gradient has \(outputGradient.count) values, expected \(rows * outChannels)")
        cblas_sgemm(
            CblasRowMajor, CblasTrans, CblasNoTrans, Int32(outChannels), Int32(width), Int32(rows), 1, outputGradient,
            Int32(outChannels), columns, Int32(width), 1, &weight.gradient.values, Int32(width))
        if let bias {
            for r in 0..<rows {
                for o in 0..<outChannels { bias.gradient.values[o] += outputGradient[r * outChannels + o] }
            }
        }
        if columnGradient.count != rows * width { columnGradient = [Float](repeating: 0, count: rows * width) }
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(width), Int32(outChannels), 1, outputGradient,
            Int32(outChannels), weight.value.values, Int32(width), 0, &columnGradient, Int32(width))
    }
}
