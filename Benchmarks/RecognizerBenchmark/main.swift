// The recogniser benchmark's Swift side: forward passes of the `speechless` and `small`
// Wav2Letters on 60 s of features, one training step (batch 8 x 10 s: forward, CTC, backward,
// Adam), each convolution's GFLOP/s, and the machine's sgemm rate. Benchmarks/run_recognizer.sh
// runs it next to Benchmarks/torch_recognizer.py on the same inputs and prints the table.
//
// Usage: recognizer-benchmark WORKDIR THREADS REPEATS
// Reads WORKDIR/features-60s.npy (7501 x 128) and WORKDIR/batch-8x10s.npy (8 x 1251 x 128),
// WORKDIR/targets.npy (8 x 150, labels 0..27); prints one JSON object.
import COpenBLAS
import Foundation
import NeuralCore
import PhonoscopeIO
import Recognizer

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

func load(_ url: URL) throws -> Tensor {
    let array = try NPYArray<Float>(contentsOf: url)
    return Tensor(shape: array.shape, values: array.elements)
}

/// Multiply-adds of a convolution on `frames` output frames, times 2.
func flops(_ conv: Conv1d, outputFrames: Int) -> Double {
    2 * Double(outputFrames) * Double(conv.outChannels) * Double(conv.inChannels * conv.kernelSize)
}

let arguments = CommandLine.arguments
guard arguments.count == 4, let threads = Int(arguments[2]), let repeats = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: recognizer-benchmark WORKDIR THREADS REPEATS\n".utf8))
    exit(2)
}
BLASKernel.configure()
let work = URL(fileURLWithPath: arguments[1])
ParallelLoop.setThreads(threads)
let features = try load(work.appendingPathComponent("features-60s.npy"))
let batch = try load(work.appendingPathComponent("batch-8x10s.npy"))
let targetArray = try NPYArray<Int64>(contentsOf: work.appendingPathComponent("targets.npy"))
let targets = (0..<targetArray.shape[0]).map { row in
    (0..<targetArray.shape[1]).map { Int(targetArray.elements[row * targetArray.shape[1] + $0]) }
}

var result: [String: Any] = ["threads": threads, "repeats": repeats]

// sgemm rate at the shape of speechless layer 9 on 60 s (rows x width x out).
do {
    let (m, k, n) = (3751, 250 * 32, 2000)
    let a = [Float](repeating: 0.5, count: m * k)
    let b = [Float](repeating: 0.25, count: n * k)
    var c = [Float](repeating: 0, count: m * n)
    var times: [Double] = []
    for _ in 0..<repeats {
        times.append(
            seconds {
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k), 1, a, Int32(k), b, Int32(k),
                    0, &c, Int32(n))
            })
    }
    result["sgemm_gflops"] = 2 * Double(m) * Double(n) * Double(k) / median(times) / 1e9
}

for architecture in ["speechless", "small"] {
    guard let config = RecognizerConfig.preset(architecture, language: .en) else { continue }
    let model = try Recognizer(config: config, seed: 1)
    model.applyHeInitialization()
    let input = Tensor(shape: [1] + features.shape, values: features.values)
    _ = try model.network.forward(input)  // warm-up: buffers, OpenBLAS threads
    var forwardTimes: [Double] = []
    for _ in 0..<repeats { forwardTimes.append(try seconds { _ = try model.network.forward(input) }) }

    // Each layer alone, on the input it sees in the network.
    var layerRates: [[String: Any]] = []
    var x = input
    for layer in model.network.layers {
        var output = x
        var times: [Double] = []
        for _ in 0..<repeats { times.append(try seconds { output = try layer.forward(x) }) }
        if let conv = layer as? Conv1d {
            let frames = output.shape[1]
            layerRates.append([
                "layer": conv.name, "seconds": median(times),
                "gflops": flops(conv, outputFrames: frames) / median(times) / 1e9,
            ])
        }
        x = output
    }

    // One training step: forward, CTC (mean over the batch of loss / target length), backward, Adam.
    // Like PyTorch for an input that does not require a gradient, no gradient for the features.
    model.computesInputGradient = false
    var optimizer = try Adam(learningRate: 1e-4)
    let parameters = model.parameters
    func step() throws {
        let logits = try model.network.forward(batch)
        let lengths = Array(repeating: logits.shape[1], count: batch.shape[0])
        var (_, gradient) = try CTC.loss(
            logits: logits, lengths: lengths, targets: targets, blank: model.alphabet.blankIndex)
        let scale = 1 / Float(batch.shape[0] * targets[0].count)
        for i in gradient.values.indices { gradient.values[i] *= scale }
        model.network.zeroGradients()
        model.network.backward(gradient)
        optimizer.step(parameters)
    }
    try step()  // warm-up
    var stepTimes: [Double] = []
    for _ in 0..<repeats { stepTimes.append(try seconds { try step() }) }
    result[architecture] = [
        "parameters": model.parameterCount, "forward_seconds": median(forwardTimes),
        "train_step_seconds": median(stepTimes), "layers": layerRates,
    ]
}

let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys, .prettyPrinted])
print(String(decoding: json, as: UTF8.self))
