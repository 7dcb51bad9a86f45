/// A matrix drawn as a bitmap: one pixel per cell, coloured through a colour map, stretched
/// over a rectangle with sharp cell edges.
///
/// Concretely: a cell with value v gets colour `colormap.color(at: (v - lo) / (hi - lo))`
/// for `limits` lo...hi (values outside are clamped to the ends, +-infinity included), and NaN
/// gets `missingValueColor`. The bitmap is a cairo image surface of exactly one pixel per cell
/// (up to cairo's 32767-pixel limit per side; longer sides are sampled at evenly spaced cells),
/// drawn with the nearest-neighbour filter, so SVG and PDF files embed only the matrix-sized
/// bitmap and every format shows crisp cells.
struct HeatmapLayer {
    /// How the flat `values` array lies on the page.
    enum Orientation {
        /// Row-major matrix, `values[row * columnCount + column]`, row 0 at the top: the
        /// layout of heatmaps of, say, neurons by phonemes.
        case rowsDownward
        /// Time-major matrix, `values[row * columnCount + column]` with rows as frames
        /// running left to right and columns as bins running upward (bin 0 at the bottom):
        /// the layout of spectrograms.
        case rowsAcrossColumnsUpward
    }

    var values: [Float]
    var rowCount: Int
    var columnCount: Int
    var orientation: Orientation
    var colormap: Colormap
    var limits: ClosedRange<Float>
    var missingValueColor: RGBColor
    /// Cells where this is false are outside the data (beyond a topographic map's edge) and
    /// get `outsideColor`, whatever their value; nil: every cell is inside. Same layout as `values`.
    var inside: [Bool]? = nil
    var outsideColor = RGBColor.white

    /// Bitmap size in pixels before any sampling down to cairo's limit.
    var fullImageSize: (width: Int, height: Int) {
        switch orientation {
        case .rowsDownward: return (columnCount, rowCount)
        case .rowsAcrossColumnsUpward: return (rowCount, columnCount)
        }
    }

    /// The colours of every cell as a cairo image surface.
    func makeImage() throws -> CairoSurface {
        precondition(values.count == rowCount * columnCount, "values do not match rowCount x columnCount")
        let full = fullImageSize
        let limit = CairoSurface.maximumImageDimension
        let width = min(full.width, limit)
        let height = min(full.height, limit)
        let image = try CairoSurface.image(width: width, height: height)
        // 1024 levels: finer than the 256-entry tables, so interpolated colours are exact
        // enough and both ends are the tables' ends.
        let lookup = colormap.rgb24LookupTable(count: 1024)
        let lastLevel = Double(lookup.count - 1)
        let missing = missingValueColor.rgb24Pixel
        let outside = outsideColor.rgb24Pixel
        precondition(inside.map { $0.count == values.count } ?? true, "inside does not match values")
        let low = Double(limits.lowerBound)
        let span = Double(limits.upperBound - limits.lowerBound)
        let scale = span > 0 ? lastLevel / span : 0
        // Pixel (x, y) shows cell sourceX[x], sourceY[y] of the full-size bitmap.
        let sourceX = (0..<width).map { $0 * full.width / width }
        let sourceY = (0..<height).map { $0 * full.height / height }
        try image.withPixels { pixels, stride in
            values.withUnsafeBufferPointer { values in
                for y in 0..<height {
                    let rowStart = y * stride
                    for x in 0..<width {
                        let index: Int
                        switch orientation {
                        case .rowsDownward:
                            index = sourceY[y] * columnCount + sourceX[x]
                        case .rowsAcrossColumnsUpward:
                            index = sourceX[x] * columnCount + (columnCount - 1 - sourceY[y])
                        }
                        let value = Double(values[index])
                        if let inside, !inside[index] {
                            pixels[rowStart + x] = outside
                        } else if value.isNaN {
                            pixels[rowStart + x] = missing
                        } else {
                            let level = min(max((value - low) * scale, 0), lastLevel)
                            pixels[rowStart + x] = lookup[Int(level.rounded())]
                        }
                    }
                }
            }
        }
        return image
    }

    /// Draws the matrix stretched over `rect`.
    func draw(on canvas: Canvas, in rect: Rect) throws {
        canvas.draw(image: try makeImage(), in: rect)
    }
}
