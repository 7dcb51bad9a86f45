// The clustering benchmark's Swift side: pdist + linkage of WORKDIR/points.npy (float64, n x d)
// for average, ward and single linkage (Euclidean), each the median of REPEATS runs, and how
// many rows of each Z equal SciPy's WORKDIR/scipy-<method>.npy when that file exists.
// Benchmarks/run_clustering.sh runs it next to Benchmarks/scipy_linkage.py on the same data.
//
// Usage: clustering-benchmark WORKDIR REPEATS   (prints one JSON object)
import Clustering
import Foundation
import PhonoscopeIO

/// Debian 12's OpenBLAS does not know recent Xeons and falls back to its slow SSE3 kernel; as
/// NeuralCore's `BLASKernel` does, set OPENBLAS_CORETYPE from the CPU flags and re-execute once
/// (the variable is read when the library loads). Kept here so the benchmark needs only Clustering.
func reexecuteWithBLASKernelIfNeeded() {
    guard getenv("OPENBLAS_CORETYPE") == nil,
        let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
        let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return }
    let flags = Set(line.split(separator: " "))
    let coreType: String
    if ["avx512f", "avx512bw", "avx512vl", "avx512dq"].allSatisfy(flags.contains) {
        coreType = "SkylakeX"
    } else if ["avx2", "fma"].allSatisfy(flags.contains) {
        coreType = "Haswell"
    } else {
        return
    }
    setenv("OPENBLAS_CORETYPE", coreType, 1)
    execv("/proc/self/exe", CommandLine.unsafeArgv)
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1
        ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

let arguments = CommandLine.arguments
guard arguments.count == 3, let repeats = Int(arguments[2]), repeats >= 1 else {
    FileHandle.standardError.write(Data("usage: clustering-benchmark WORKDIR REPEATS\n".utf8))
    exit(2)
}
reexecuteWithBLASKernelIfNeeded()
let work = URL(fileURLWithPath: arguments[1])
let points = try NPYArray<Double>(contentsOf: work.appendingPathComponent("points.npy"))
guard points.shape.count == 2 else {
    FileHandle.standardError.write(Data("points.npy must be 2-D, got shape \(points.shape)\n".utf8))
    exit(2)
}
let (rows, dimension) = (points.shape[0], points.shape[1])
var result: [String: Any] = ["rows": rows, "dimension": dimension, "repeats": repeats]
var pdistTimes: [Double] = []
for method in [LinkageMethod.average, .ward, .single] {
    var times: [Double] = []
    var linkageTimes: [Double] = []
    var z: LinkageMatrix?
    for _ in 0..<repeats {
        var distances: CondensedDistances?
        let distanceTime = try seconds {
            distances = try PairwiseDistances.compute(
                points.elements, rows: rows, dimension: dimension, metric: .euclidean)
        }
        guard let distances else { exit(1) }
        let linkageTime = try seconds { z = try HierarchicalClustering.linkage(distances: distances, method: method) }
        pdistTimes.append(distanceTime)
        linkageTimes.append(linkageTime)
        times.append(distanceTime + linkageTime)
    }
    var entry: [String: Any] = ["seconds": median(times), "linkage_seconds": median(linkageTimes)]
    let reference = work.appendingPathComponent("scipy-\(method.rawValue).npy")
    if let z, let theirs = try? NPYArray<Double>(contentsOf: reference) {
        let ours = z.scipyArray
        var equalRows = 0
        var maximumRelative = 0.0
        for row in 0..<(rows - 1) {
            let a = ours[(4 * row)..<(4 * row + 4)].map { $0 }
            let b = theirs.elements[(4 * row)..<(4 * row + 4)].map { $0 }
            if a[0] == b[0] && a[1] == b[1] && a[3] == b[3] { equalRows += 1 }
            maximumRelative = max(maximumRelative, abs(a[2] - b[2]) / max(abs(b[2]), 1e-300))
        }
        entry["equal_rows"] = equalRows
        entry["max_relative_height_difference"] = maximumRelative
    }
    result[method.rawValue] = entry
}
result["pdist_seconds"] = median(pdistTimes)
let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
