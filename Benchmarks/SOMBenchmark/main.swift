// The SOM benchmark's Swift side: trains Topography's SelfOrganizingMap on each data set of
// Benchmarks/run_som.sh with 5 seeds, and reports the mean wall time of one training
// (initialisation included; after one short untimed warm-up) and the mean final quantisation and topographic errors.
//
// Usage: som-benchmark WORKDIR SEEDS NAME:ROWS:COLUMNS:ITERATIONS...
// Reads WORKDIR/NAME.npy (items x features, float64); prints one JSON object keyed by NAME.
import Foundation
import PhonoscopeIO
import Topography

let arguments = CommandLine.arguments
guard arguments.count >= 4, let seeds = Int(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: som-benchmark WORKDIR SEEDS NAME:ROWS:COLUMNS:ITERATIONS...\n".utf8))
    exit(2)
}
let work = URL(fileURLWithPath: arguments[1])
var result: [String: Any] = [:]
for specification in arguments[3...] {
    let parts = specification.split(separator: ":").map(String.init)
    guard parts.count == 4, let rows = Int(parts[1]), let columns = Int(parts[2]), let iterations = Int(parts[3])
    else {
        FileHandle.standardError.write(Data("bad data set \(specification)\n".utf8))
        exit(2)
    }
    let array = try NPYArray<Double>(contentsOf: work.appendingPathComponent("\(parts[0]).npy"))
    let (count, dimension) = (array.shape[0], array.shape[1])
    // One untimed warm-up (library loading, first-touch page faults), as the MiniSom side does.
    _ = try SelfOrganizingMap.train(
        data: array.elements, count: count, dimension: dimension,
        configuration: SOMConfiguration(rows: rows, columns: columns, iterations: min(iterations, 100)))
    var seconds: [Double] = []
    var quantization: [Double] = []
    var topographic: [Double] = []
    for seed in 0..<seeds {
        let configuration = SOMConfiguration(rows: rows, columns: columns, iterations: iterations, seed: UInt64(seed))
        let start = DispatchTime.now().uptimeNanoseconds
        let som = try SelfOrganizingMap.train(
            data: array.elements, count: count, dimension: dimension, configuration: configuration)
        seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        quantization.append(som.quantizationError(data: array.elements, count: count))
        topographic.append(som.topographicError(data: array.elements, count: count))
    }
    func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
    result[parts[0]] = [
        "seconds": mean(seconds), "quantization_error": mean(quantization), "topographic_error": mean(topographic),
    ]
}
let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
