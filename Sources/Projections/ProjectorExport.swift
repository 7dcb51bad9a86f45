import Foundation
import PhonoscopeIO

/// The files TensorBoard's Embedding Projector loads (projector.tensorflow.org or
/// `tensorboard --logdir DIR`), plus the 2-D projection itself.
///
/// Concretely, in `directory`: `tensors.tsv` (one point a line, its values tab-separated),
/// `metadata.tsv` (with one column: one label a line and no header, as the Projector expects;
/// with several: a header row of the column names, then one row per point),
/// `projector_config.pbtxt` (`embeddings { tensor_path: "tensors.tsv" metadata_path:
/// "metadata.tsv" }`), `projection.npy` (float32, n x 2, what NumPy's `np.load` reads) and
/// `projection.tsv`. Tabs and newlines inside labels become spaces (TSV has no quoting).
/// Every file is written through `AtomicFile`, so a failure leaves none half-written.
public enum ProjectorExport {
    /// The file names written, in order.
    public static let fileNames = [
        "tensors.tsv", "metadata.tsv", "projector_config.pbtxt", "projection.npy", "projection.tsv",
    ]

    /// `metadata` maps column names to one value per point, in `columns` order.
    public static func write(
        tensors: PointSet, projection: PointSet, metadata: [(name: String, values: [String])], to directory: URL
    ) throws {
        let n = tensors.count
        guard projection.count == n else {
            throw ProjectionError.invalidParameter(
                name: "projection points", value: "\(projection.count)", valid: "one per tensor row (\(n))")
        }
        for column in metadata where column.values.count != n {
            throw ProjectionError.labelCountMismatch(labels: column.values.count, points: n)
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try AtomicFile.write(Data(table(tensors).utf8), to: directory.appendingPathComponent("tensors.tsv"))
        var lines: [String] = []
        if metadata.count > 1 { lines.append(metadata.map { clean($0.name) }.joined(separator: "\t")) }
        for i in 0..<n { lines.append(metadata.map { clean($0.values[i]) }.joined(separator: "\t")) }
        if !metadata.isEmpty {
            try AtomicFile.write(
                Data(lines.map { $0 + "\n" }.joined().utf8), to: directory.appendingPathComponent("metadata.tsv"))
        }
        var config = "embeddings {\n  tensor_path: \"tensors.tsv\"\n"
        if !metadata.isEmpty { config += "  metadata_path: \"metadata.tsv\"\n" }
        config += "}\n"
        try AtomicFile.write(Data(config.utf8), to: directory.appendingPathComponent("projector_config.pbtxt"))
        try NPYArray<Float>(
            shape: [n, projection.dimension], elements: projection.values.map { Float($0) }
        ).write(to: directory.appendingPathComponent("projection.npy"))
        try AtomicFile.write(Data(table(projection).utf8), to: directory.appendingPathComponent("projection.tsv"))
    }

    /// Rows of tab-separated values, shortest round-trip decimal form of each float32.
    static func table(_ points: PointSet) -> String {
        var text = ""
        for i in 0..<points.count {
            text += (0..<points.dimension).map { "\(Float(points[i, $0]))" }.joined(separator: "\t")
            text += "\n"
        }
        return text
    }

    static func clean(_ label: String) -> String {
        let cleaned = label.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "\r", with: " ")
        return cleaned.isEmpty ? " " : cleaned
    }
}
