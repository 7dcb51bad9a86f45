import NeuralCore

/// The input pixels a unit of a layer can see: walking back from an output cell through every
/// convolution and pooling before it, a range of rows [a, b] becomes
/// [a s - p, b s - p + k - 1] (stride s, padding p, kernel k), clipped to the image at the end.
///
/// Point-wise layers (ReLU, dropout) keep the range; global average pooling is a pooling whose
/// window is the whole map; a layer that mixes every position (flatten, linear) makes the field
/// the whole image. For the digit
/// model a conv3 unit sees 8 x 8 pixels of the 8 x 8 image, a conv2 unit 5 x 5 and a conv1 unit 3 x 3.
public struct ReceptiveField: Equatable, Sendable {
    /// The first and last input row and column, inclusive, inside the image.
    public var rows: ClosedRange<Int>
    public var columns: ClosedRange<Int>

    public init(rows: ClosedRange<Int>, columns: ClosedRange<Int>) {
        self.rows = rows
        self.columns = columns
    }

    /// The field of output cell (`row`, `column`) of `layers` (the network up to and including the
    /// layer of interest) on an image of `height` x `width` pixels.
    public static func of(
        row: Int, column: Int, through layers: [Layer], height: Int, width: Int
    ) -> ReceptiveField {
        var rowRange = (row, row)
        var columnRange = (column, column)
        for layer in layers.reversed() {
            let kernel: (Int, Int)
            let stride: (Int, Int)
            let padding: (Int, Int)
            if let conv = layer as? Conv2d {
                (kernel, stride, padding) = (conv.kernelSize, conv.stride, conv.padding)
            } else if let pool = layer as? Pooling {
                (kernel, stride, padding) = (pool.kernelSize, pool.stride, (0, 0))
            } else if layer is ReLU || layer is Dropout {
                continue
            } else {
                return ReceptiveField(rows: 0...(height - 1), columns: 0...(width - 1))
            }
            rowRange = (rowRange.0 * stride.0 - padding.0, rowRange.1 * stride.0 - padding.0 + kernel.0 - 1)
            columnRange = (
                columnRange.0 * stride.1 - padding.1, columnRange.1 * stride.1 - padding.1 + kernel.1 - 1
            )
        }
        return ReceptiveField(
            rows: max(0, rowRange.0)...min(height - 1, rowRange.1),
            columns: max(0, columnRange.0)...min(width - 1, columnRange.1))
    }
}
