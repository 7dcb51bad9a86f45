/// One panel of a `HeatmapGridFigure`: a time-by-frequency matrix and its title.
public struct HeatmapPanel: Sendable {
    /// The line above the panel, e.g. "ʃ (n = 412)".
    public var title: String
    /// Time-major, `values[frame * binCount + bin]`, bin 0 at the bottom (as `SpectrogramFigure`).
    public var values: [Float]

    public init(title: String, values: [Float]) {
        self.title = title
        self.values = values
    }
}
