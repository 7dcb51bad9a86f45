import Foundation
import NeuralCore

/// Where a profile came from and how it was made; stored in the NAPs file's metadata as JSON
/// (key "info") and compared field by field before shards merge.
public struct ProfileInfo: Sendable, Codable, Equatable {
    public var model: String
    /// FNV-1a 64 of the model's config.json and model.safetensors: the same weights.
    public var modelFingerprint: String
    public var corpus: String
    /// FNV-1a 64 of the corpus's manifest.jsonl.
    public var corpusFingerprint: String
    /// The split profiled ("all" for every utterance).
    public var split: String
    public var options: ProfileOptions
    public var layers: [ProfileLayer]
    /// Input frames per output frame of the model (the rate tau counts in).
    public var outputStride: Int
    /// "K/N" for a shard, nil for a whole run or a merge of all shards.
    public var shard: String?
    /// Shards merged into this profile ("K/N" each), empty when it was profiled in one run.
    public var mergedShards: [String] = []
    /// Utterances that contributed, and those left out with the reason.
    public var utterances: Int
    public var skipped: [String: String] = [:]
    /// Groups dropped by --min-count, with their counts.
    public var droppedGroups: [String: Int] = [:]

    public init(
        model: String, modelFingerprint: String, corpus: String, corpusFingerprint: String, split: String,
        options: ProfileOptions, layers: [ProfileLayer], outputStride: Int, shard: String?, utterances: Int
    ) {
        self.outputStride = outputStride
        self.model = model
        self.modelFingerprint = modelFingerprint
        self.corpus = corpus
        self.corpusFingerprint = corpusFingerprint
        self.split = split
        self.options = options
        self.layers = layers
        self.shard = shard
        self.utterances = utterances
    }

    /// FNV-1a 64 of the files' bytes, in hex.
    public static func fingerprint(of urls: [URL]) throws -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for url in urls {
            let data = try Data(contentsOf: url)
            data.withUnsafeBytes { bytes in
                for byte in bytes {
                    hash ^= UInt64(byte)
                    hash = hash &* 0x100_0000_01b3
                }
            }
        }
        return String(hash, radix: 16)
    }

    /// The first field in which two profiles differ so that they may not merge, with both values.
    public func mergeConflict(with other: ProfileInfo) -> (field: String, mine: String, theirs: String)? {
        if modelFingerprint != other.modelFingerprint {
            return ("models", "\(model) [\(modelFingerprint)]", "\(other.model) [\(other.modelFingerprint)]")
        }
        if corpusFingerprint != other.corpusFingerprint {
            return ("corpora", "\(corpus) [\(corpusFingerprint)]", "\(other.corpus) [\(other.corpusFingerprint)]")
        }
        if split != other.split { return ("splits", split, other.split) }
        if options.fingerprint != other.options.fingerprint {
            let mine = Self.describe(options.fingerprint)
            let theirs = Self.describe(other.options.fingerprint)
            let keys = Set(mine.keys).union(theirs.keys).sorted()
            let differing = keys.filter { mine[$0] != theirs[$0] }
            return (
                "options", differing.map { "\($0) \(mine[$0] ?? "-")" }.joined(separator: ", "),
                differing.map { "\($0) \(theirs[$0] ?? "-")" }.joined(separator: ", ")
            )
        }
        if layers != other.layers {
            return (
                "layers", layers.map(\.name).joined(separator: ","), other.layers.map(\.name).joined(separator: ",")
            )
        }
        return nil
    }

    /// The options as key -> JSON text.
    static func describe(_ options: ProfileOptions) -> [String: String] {
        guard let data = try? JSONEncoder().encode(options),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [:] }
        return object.mapValues { "\($0)" }
    }
}

/// A NAPs file: a safetensors file that NumPy reads (`safetensors.numpy.load_file`), holding
/// one profile's exact sums and what made it.
///
/// Tensors, for each recorded layer L (its name: "input", "conv1", ...), groups G in the sorted
/// order of the metadata's "groups", window W = 2 h + 1 frames and C channels:
/// - `L.mean` F32 [G, W, C]: the NAP, sum / count;
/// - `L.sum`, `L.sumsq` F64 [G, W, C], with `L.sum_residual`, `L.sumsq_residual`: each sum is
///   exactly value + residual (the residual makes merges exact; for analysis `L.sum` alone is
///   the sum to double precision);
/// - `L.gfp_sum`, `L.gfp_sumsq` (+ residuals) F64 [G, W]: sums of single-trial global field power;
/// - `L.times_ms` F32 [W]: the window's times relative to the event;
/// - `L.trials` F32 [N, W]: kept single-trial GFP traces, with `trials.group` (index into
///   groups), `trials.duration` (s), `trials.utterance`, `trials.event` F64 [N];
/// - `counts` F64 [G]: events per group.
/// Metadata: "format" = "phonoscope-naps", "info" (JSON `ProfileInfo`), "groups" (JSON list),
/// and for reading at a glance "kind", "tau", "model", "corpus", "layers".
public struct ProfileFile: Sendable {
    public static let format = "phonoscope-naps"
    public var info: ProfileInfo
    public var accumulator: ProfileAccumulator

    public init(info: ProfileInfo, accumulator: ProfileAccumulator) {
        self.info = info
        self.accumulator = accumulator
    }

    public var groups: [String] { accumulator.groups }
    public var layers: [ProfileLayer] { accumulator.layers }

    /// The position of the layer named or numbered `text` among the recorded layers.
    public func layerPosition(_ text: String) throws -> Int {
        if let position = layers.firstIndex(where: { $0.name == text || String($0.index) == text }) {
            return position
        }
        throw ProfileError.unknownLayer(
            value: text,
            valid: "the layers this file holds: " + layers.map { "\($0.index) (\($0.name))" }.joined(separator: ", "))
    }

    /// Times in ms of the window of layer position `l`.
    public func times(_ l: Int) -> [Double] {
        let half = accumulator.halfWindow(l)
        return (0..<(2 * half + 1)).map { Double($0 - half) * layers[l].framePeriod * 1000 }
    }

    // MARK: Writing

    public func encoded() throws -> SafeTensors {
        let groups = groups
        var wide: [String: Float64Tensor] = [:]
        var tensors: [String: Tensor] = [:]
        wide["counts"] = Float64Tensor(
            shape: [groups.count], values: groups.map { Double(accumulator.counts[$0] ?? 0) })
        for (l, layer) in layers.enumerated() {
            let window = accumulator.window(l)
            let channels = layer.channels
            var fields: [String: [Double]] = [:]
            var mean: [Float] = []
            for group in groups {
                let sums = accumulator.sums[l][group] ?? ProfileAccumulator.Sums(window: window, channels: channels)
                let count = Double(accumulator.counts[group] ?? 0)
                for (name, values) in [
                    ("sum", sums.sum), ("sumsq", sums.sumOfSquares), ("gfp_sum", sums.gfpSum),
                    ("gfp_sumsq", sums.gfpSumOfSquares),
                ] {
                    for v in values {
                        guard let (value, residual) = FixedPoint.split(v) else {
                            throw ProfileError.exactStorageOverflow(layer: layer.name, group: group)
                        }
                        fields[name, default: []].append(value)
                        fields[name + "_residual", default: []].append(residual)
                    }
                }
                mean += sums.sum.map { Float(FixedPoint.double($0) / max(count, 1)) }
            }
            for (name, values) in fields {
                let shape = name.hasPrefix("gfp") ? [groups.count, window] : [groups.count, window, channels]
                wide["\(layer.name).\(name)"] = Float64Tensor(shape: shape, values: values)
            }
            tensors["\(layer.name).mean"] = Tensor(shape: [groups.count, window, channels], values: mean)
            tensors["\(layer.name).times_ms"] = Tensor(shape: [window], values: times(l).map { Float($0) })
            tensors["\(layer.name).trials"] = Tensor(
                shape: [accumulator.trials.count, window], values: accumulator.trials.flatMap { $0.traces[l] })
        }
        let trials = accumulator.trials
        let groupIndex = Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($1, Double($0)) })
        wide["trials.group"] = Float64Tensor(shape: [trials.count], values: trials.map { groupIndex[$0.group] ?? -1 })
        wide["trials.duration"] = Float64Tensor(shape: [trials.count], values: trials.map(\.duration))
        wide["trials.utterance"] = Float64Tensor(shape: [trials.count], values: trials.map { Double($0.utterance) })
        wide["trials.event"] = Float64Tensor(shape: [trials.count], values: trials.map { Double($0.event) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let metadata = [
            "format": Self.format,
            "info": String(decoding: try encoder.encode(info), as: UTF8.self),
            "groups": String(decoding: try encoder.encode(groups), as: UTF8.self),
            "kind": info.options.kind.rawValue, "tau": String(info.options.tau), "model": info.model,
            "corpus": info.corpus, "layers": layers.map(\.name).joined(separator: ","),
        ]
        return SafeTensors(tensors: tensors, metadata: metadata, float64Tensors: wide)
    }

    /// Writes the file atomically.
    public func write(to url: URL) throws { try encoded().write(to: url) }

    // MARK: Reading

    public init(contentsOf url: URL) throws {
        let path = url.path
        let file = try SafeTensors(contentsOf: url)
        func invalid(_ reason: String) -> ProfileError { .invalidFile(path: path, reason: reason) }
        guard file.metadata["format"] == Self.format else {
            throw invalid("its metadata has no \"format\": \"\(Self.format)\"; make one with phonoscope nap")
        }
        let decoder = JSONDecoder()
        guard let infoText = file.metadata["info"], let groupsText = file.metadata["groups"],
            let info = try? decoder.decode(ProfileInfo.self, from: Data(infoText.utf8)),
            let groups = try? decoder.decode([String].self, from: Data(groupsText.utf8))
        else { throw invalid("the metadata \"info\" or \"groups\" is missing or not valid JSON") }
        func wide(_ name: String, _ count: Int) throws -> [Double] {
            guard let tensor = file.float64Tensors[name], tensor.values.count == count else {
                throw invalid("tensor \(name) is missing, not F64, or not of \(count) values")
            }
            return tensor.values
        }
        let countValues = try wide("counts", groups.count)
        var counts: [String: Int] = [:]
        for (group, count) in zip(groups, countValues) { counts[group] = Int(count) }
        let shell = ProfileAccumulator(
            layers: info.layers, tau: info.options.tau, outputStride: info.outputStride, trialsPerGroup: 0)
        let trialGroups = file.float64Tensors["trials.group"]?.values ?? []
        let trialCount = trialGroups.count
        let durations = try wide("trials.duration", trialCount)
        let utterances = try wide("trials.utterance", trialCount)
        let events = try wide("trials.event", trialCount)
        var sums: [[String: ProfileAccumulator.Sums]] = []
        var traces: [[[Float]]] = Array(repeating: [], count: trialCount)
        for (l, layer) in info.layers.enumerated() {
            let window = shell.window(l)
            let channels = layer.channels
            var byGroup: [String: ProfileAccumulator.Sums] = [:]
            var fields: [String: [Int128]] = [:]
            for name in ["sum", "sumsq", "gfp_sum", "gfp_sumsq"] {
                let size = groups.count * (name.hasPrefix("gfp") ? window : window * channels)
                let values = try wide("\(layer.name).\(name)", size)
                let residuals = try wide("\(layer.name).\(name)_residual", size)
                fields[name] = try zip(values, residuals).map { value, residual in
                    guard let v = FixedPoint.joined(value: value, residual: residual) else {
                        throw invalid("tensor \(layer.name).\(name) holds a value that is not an exact sum")
                    }
                    return v
                }
            }
            for (g, group) in groups.enumerated() {
                var entry = ProfileAccumulator.Sums(window: window, channels: channels)
                let cells = window * channels
                entry.sum = Array(fields["sum", default: []][(g * cells)..<((g + 1) * cells)])
                entry.sumOfSquares = Array(fields["sumsq", default: []][(g * cells)..<((g + 1) * cells)])
                entry.gfpSum = Array(fields["gfp_sum", default: []][(g * window)..<((g + 1) * window)])
                entry.gfpSumOfSquares = Array(fields["gfp_sumsq", default: []][(g * window)..<((g + 1) * window)])
                byGroup[group] = entry
            }
            sums.append(byGroup)
            guard let kept = file.tensors["\(layer.name).trials"], kept.count == trialCount * window else {
                throw invalid("tensor \(layer.name).trials is missing or not [\(trialCount), \(window)]")
            }
            for n in 0..<trialCount { traces[n].append(Array(kept.values[(n * window)..<((n + 1) * window)])) }
        }
        var trials: [ProfileAccumulator.Trial] = []
        for n in 0..<trialCount {
            let g = Int(trialGroups[n])
            guard groups.indices.contains(g) else { throw invalid("trials.group holds \(g), not a group index") }
            trials.append(
                ProfileAccumulator.Trial(
                    utterance: Int(utterances[n]), event: Int(events[n]), group: groups[g], duration: durations[n],
                    traces: traces[n]))
        }
        self.info = info
        self.accumulator = ProfileAccumulator(
            layers: info.layers, tau: info.options.tau, outputStride: info.outputStride,
            trialsPerGroup: info.options.trialsPerGroup, sums: sums, counts: counts, trials: trials)
    }
}
