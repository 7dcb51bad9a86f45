import AudioFeatures
import Foundation
import NeuralCore
import PhonoscopeIO
import SeededRandom
import Testing

/// `phonoscope train`, `transcribe`, `evaluate`, `logits` and `import-torch` end to end (issue
/// list): every bad input fails with a non-zero exit and a message that names the file or value
/// and what would be valid, and loses nothing; training resumes exactly, survives Ctrl-C and a
/// full disk, and skips non-finite batches.
///
/// Models are tiny (`TestArchitecture`) and the corpus reuses the four recordings of
/// `Tests/CorpusTests/Fixtures/en`, so a training step takes milliseconds.
@Suite(.serialized)
struct RecognizerCommandTests {
    // MARK: - Bad input

    @Test func configAndWeightsThatDisagreeNameTheTensorAndBothShapes() throws {
        let directory = try TemporaryDirectory()
        let features = try writeFeatures(frames: 100, features: 128, at: directory.url.appendingPathComponent("in.npy"))
        let weightsPath = directory.path("shape/model.safetensors")
        try writeModel(
            at: directory.url.appendingPathComponent("shape"), architecture: .tiny,
            editWeights: { weights in
                weights["conv2.weight"] = Tensor(zeros: [16, 16, 5])
            })
        for command in ["logits", "transcribe"] {
            let output = command == "logits" ? ["-o", directory.path("out.npy")] : []
            try expectFailure(
                [command, "--model", directory.path("shape"), features] + output, leaves: directory,
                mentioning: [weightsPath, "\"conv2.weight\"", "[16, 16, 5]", "[16, 16, 7]"])
        }
        try writeModel(
            at: directory.url.appendingPathComponent("missing"), architecture: .tiny,
            editWeights: { weights in
                weights["conv3.bias"] = nil
            })
        try expectFailure(
            ["transcribe", "--model", directory.path("missing"), features], leaves: directory,
            mentioning: [directory.path("missing/model.safetensors"), "\"conv3.bias\"", "missing"])
        try writeModel(
            at: directory.url.appendingPathComponent("extra"), architecture: .tiny,
            editWeights: { weights in
                weights["conv4.weight"] = Tensor(zeros: [29, 29, 1])
            })
        try expectFailure(
            ["transcribe", "--model", directory.path("extra"), features], leaves: directory,
            mentioning: [directory.path("extra/model.safetensors"), "\"conv4.weight\"", "conv1.weight"])
    }

    @Test func anUnknownLayerTypeNamesTheLayerAndTheValidTypes() throws {
        let directory = try TemporaryDirectory()
        let features = try writeFeatures(frames: 100, features: 128, at: directory.url.appendingPathComponent("in.npy"))
        func lstm(_ config: inout [String: Any]) {
            guard var layers = config["layers"] as? [[String: Any]] else { return }
            layers[3]["type"] = "lstm"
            config["layers"] = layers
        }
        try writeModel(at: directory.url.appendingPathComponent("model"), architecture: .tiny, editConfig: lstm)
        let mentions = ["layer 3", "\"lstm\"", "valid: conv1d, relu, dropout"]
        try expectFailure(
            ["logits", "--model", directory.path("model"), features, "-o", directory.path("out.npy")],
            leaves: directory, mentioning: [directory.path("model/config.json")] + mentions)
        // The same config as `train --arch`: refused before anything is written.
        try writeCorpus(at: directory.url.appendingPathComponent("corpus"), splits: ["train", "dev"])
        try expectFailure(
            trainArguments(
                corpus: directory.path("corpus"), arch: directory.path("model/config.json"),
                output: directory.path("trained")),
            leaves: directory, mentioning: [directory.path("model/config.json")] + mentions)
    }

    enum Corruption: String, CaseIterable, Sendable {
        case headerLengthPastTheEnd
        case dataOffsetsOutOfRange
        case truncatedData
        case truncatedHeader
        case shorterThanTheHeaderLength
    }

    @Test(arguments: Corruption.allCases)
    func corruptSafetensorsNameTheFile(_ corruption: Corruption) throws {
        let directory = try TemporaryDirectory()
        let features = try writeFeatures(frames: 100, features: 128, at: directory.url.appendingPathComponent("in.npy"))
        let model = directory.url.appendingPathComponent("model")
        try writeModel(at: model, architecture: .tiny)
        let weightsURL = model.appendingPathComponent("model.safetensors")
        let bytes = try Data(contentsOf: weightsURL)
        let headerLength = Int(
            bytes.prefix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) })
        let dataLength = bytes.count - 8 - headerLength
        let corrupted: Data
        let mentions: [String]
        switch corruption {
        case .headerLengthPastTheEnd:
            corrupted = withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { Data($0) } + bytes.dropFirst(8)
            mentions = ["header length \(bytes.count) bytes does not fit", "at most \(bytes.count - 8)"]
        case .dataOffsetsOutOfRange:
            // conv2.bias's offsets reach 400 bytes past the data; the header is rewritten whole.
            let header = bytes.subdata(in: 8..<(8 + headerLength))
            var fields = try #require(try JSONSerialization.jsonObject(with: header) as? [String: Any])
            var entry = try #require(fields["conv2.bias"] as? [String: Any])
            let offsets = try #require(entry["data_offsets"] as? [Int])
            entry["data_offsets"] = [offsets[0], dataLength + 400]
            fields["conv2.bias"] = entry
            var newHeader = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
            newHeader += Data(repeating: 0x20, count: (8 - newHeader.count % 8) % 8)
            corrupted =
                withUnsafeBytes(of: UInt64(newHeader.count).littleEndian) { Data($0) } + newHeader
                + bytes.suffix(dataLength)
            mentions = ["\"conv2.bias\"", "data_offsets [\(offsets[0]), \(dataLength + 400)]", "end <= \(dataLength)"]
        case .truncatedData:
            corrupted = bytes.prefix(bytes.count - 1000)
            mentions = ["reach past the data section of \(dataLength - 1000) bytes", "truncated"]
        case .truncatedHeader:
            corrupted = bytes.prefix(8 + headerLength / 2)
            mentions = ["header length \(headerLength) bytes does not fit"]
        case .shorterThanTheHeaderLength:
            corrupted = bytes.prefix(5)
            mentions = ["5 bytes", "fewer than the 8"]
        }
        try corrupted.write(to: weightsURL)
        for command in ["transcribe", "evaluate"] {
            let arguments =
                command == "transcribe"
                ? ["transcribe", "--model", model.path, features]
                : ["evaluate", "--model", model.path, "--corpus", directory.path("none"), "--split", "dev"]
            try expectFailure(arguments, leaves: directory, mentioning: [weightsURL.path] + mentions)
        }
        // `train --init` reads the same file before anything is written.
        try writeModel(at: directory.url.appendingPathComponent("arch"), architecture: .tiny)
        try writeCorpus(at: directory.url.appendingPathComponent("corpus"), splits: ["train", "dev"])
        try expectFailure(
            trainArguments(
                corpus: directory.path("corpus"), arch: directory.path("arch/config.json"),
                output: directory.path("trained"), extra: ["--init", model.path]),
            leaves: directory, mentioning: [weightsURL.path] + mentions)
    }

    @Test func anAlphabetWithoutABlankIsRefused() throws {
        let directory = try TemporaryDirectory()
        let features = try writeFeatures(frames: 100, features: 128, at: directory.url.appendingPathComponent("in.npy"))
        try writeModel(
            at: directory.url.appendingPathComponent("model"), architecture: .tiny,
            editConfig: { config in
                config["blank_index"] = nil
            })
        try expectFailure(
            ["transcribe", "--model", directory.path("model"), features], leaves: directory,
            mentioning: [directory.path("model/config.json"), "no blank", "\"blank_index\" is missing"])
        // import-torch: a blank index outside the labels, refused before the weights are read.
        try Data("not read".utf8).write(to: directory.url.appendingPathComponent("state.safetensors"))
        for blank in ["4", "-1"] {
            try expectFailure(
                [
                    "import-torch", "--arch", "torchaudio-wav2letter", "--weights", directory.path("state.safetensors"),
                    "--num-features", "8", "--labels", "abc_", "--blank-index=\(blank)", "-o", directory.path("out"),
                ], leaves: directory, mentioning: ["blank index \(blank)", "4 labels", "valid: 0...3"])
        }
    }

    @Test func audioShorterThanTheReceptiveFieldIsRefused() throws {
        let directory = try TemporaryDirectory()
        try writeModel(at: directory.url.appendingPathComponent("deep"), architecture: .deep)
        let wav = directory.path("short.wav")
        let tone = (0..<8000).map { Float(sin(Double($0) * 0.2) * 0.4) }
        try AudioFile.write(AudioSignal(samples: tone, sampleRate: 16000), to: URL(fileURLWithPath: wav))
        try expectFailure(
            ["transcribe", "--model", directory.path("deep"), wav], leaves: directory,
            mentioning: [wav, "receptive field of 194 frames", "1.55 s"])
        // A features .npy one frame short of the tiny model's field (1 + 47 + 6 x 2 = 60 frames).
        try writeModel(at: directory.url.appendingPathComponent("tiny"), architecture: .tiny)
        let features = try writeFeatures(frames: 59, features: 128, at: directory.url.appendingPathComponent("in.npy"))
        try expectFailure(
            ["logits", "--model", directory.path("tiny"), features, "-o", directory.path("out.npy")],
            leaves: directory, mentioning: [features, "59 feature frames", "receptive field of 60 frames"])
        let result = try CommandRunner.run([
            "logits", "--model", directory.path("tiny"),
            try writeFeatures(frames: 60, features: 128, at: directory.url.appendingPathComponent("ok.npy")),
            "-o", directory.path("out.npy"), "--json",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("\"frames\": 30"))
    }

    @Test func transcriptsOutsideTheAlphabetNameTheCharacter() throws {
        let directory = try TemporaryDirectory()
        try writeModel(at: directory.url.appendingPathComponent("model"), architecture: .tiny)
        let features = try writeFeatures(frames: 100, features: 128, at: directory.url.appendingPathComponent("in.npy"))
        try expectFailure(
            [
                "logits", "--model", directory.path("model"), features, "-o", directory.path("out.npy"),
                "--transcript", "h\u{E9}llo", "--json",
            ], leaves: directory,
            mentioning: ["--transcript", "\"\u{E9}\"", "U+E9", "offset 1", "valid: \"abcdefghijklmnopqrstuvwxyz '\""])
        // In a corpus: the manifest reader names the file and line ...
        try writeCorpus(
            at: directory.url.appendingPathComponent("accented"), splits: ["train", "train", "dev"],
            texts: [1: "h\u{E9}llo world"])
        try writeModel(at: directory.url.appendingPathComponent("arch"), architecture: .tiny)
        try expectFailure(
            trainArguments(
                corpus: directory.path("accented"), arch: directory.path("arch/config.json"),
                output: directory.path("trained")),
            leaves: directory, mentioning: [directory.path("accented/manifest.jsonl") + ":2", "\"\u{E9}\"", "offset 1"])
        // ... and a German transcript for an English model names the recording.
        try writeCorpus(
            at: directory.url.appendingPathComponent("german"), splits: ["train", "dev"], language: "de",
            texts: [0: "sch\u{F6}n"])
        try expectFailure(
            trainArguments(
                corpus: directory.path("german"), arch: directory.path("arch/config.json"),
                output: directory.path("trained")),
            leaves: directory,
            mentioning: [directory.path("german/audio/en-00000.flac") + " transcript", "\"\u{F6}\"", "offset 3"])
    }

    @Test func aCorpusWithoutTrainingUtterancesIsRefused() throws {
        let directory = try TemporaryDirectory()
        try writeModel(at: directory.url.appendingPathComponent("tiny"), architecture: .tiny)
        try writeModel(at: directory.url.appendingPathComponent("deep"), architecture: .deep)
        try writeCorpus(
            at: directory.url.appendingPathComponent("held-out"), splits: ["test", "dev", "test-voices", "dev"])
        try expectFailure(
            trainArguments(
                corpus: directory.path("held-out"), arch: directory.path("tiny/config.json"),
                output: directory.path("trained")),
            leaves: directory,
            mentioning: [directory.path("held-out"), "split \"train\"", "no utterance with split \"train\""])
        // Training utterances that are all shorter than the receptive field (0.67 s < 1.55 s).
        try writeCorpus(at: directory.url.appendingPathComponent("short"), splits: ["dev", "test", "train"])
        try expectFailure(
            trainArguments(
                corpus: directory.path("short"), arch: directory.path("deep/config.json"),
                output: directory.path("trained")),
            leaves: directory, mentioning: [directory.path("short"), "receptive field (194 frames)"])
        // evaluate on a split the manifest lacks lists the splits it has.
        try expectFailure(
            [
                "evaluate", "--model", directory.path("tiny"), "--corpus", directory.path("held-out"), "--split",
                "train",
            ],
            leaves: directory, mentioning: ["split \"train\"", "its splits: dev, test, test-voices"])
    }

    // MARK: - Training

    @Test func aDiskThatFillsDuringACheckpointKeepsThePreviousOne() throws {
        let directory = try TemporaryDirectory()
        let corpus = try standardCorpus(in: directory)
        let arch = try tinyArch(in: directory)
        let output = directory.url.appendingPathComponent("trained")
        let arguments = trainArguments(corpus: corpus, arch: arch, output: output.path, extra: ["--max-steps", "1"])
        let first = try CommandRunner.run(arguments)
        #expect(first.status == 0, "\(first.standardError)")
        let checkpoint = output.appendingPathComponent("checkpoint.safetensors")
        let before = try snapshot(output)
        #expect(before["checkpoint.safetensors"] != nil)
        // The next checkpoint (about 1.2 MB) meets a 256 KiB file-size limit: write(2) fails with
        // EFBIG, as on a full disk (SIGXFSZ ignored so that the process sees the error).
        let full = try run(
            URL(fileURLWithPath: "/bin/bash"),
            ["-c", "trap '' XFSZ; ulimit -f 256; exec \"$0\" \"$@\"", CommandRunner.executable.path]
                + arguments + ["--resume"])
        #expect(full.status != 0)
        #expect(full.standardError.contains(checkpoint.path), "\(full.standardError)")
        #expect(full.standardError.contains("cannot write: File too large"), "\(full.standardError)")
        let after = try snapshot(output)
        #expect(after.keys.sorted() == before.keys.sorted(), "partial files left behind: \(after.keys.sorted())")
        #expect(after["checkpoint.safetensors"] == before["checkpoint.safetensors"], "the checkpoint changed")
        #expect(after == before, "training.json changed")
        // And it still resumes.
        let resumed = try CommandRunner.run(arguments + ["--resume"])
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(resumed.standardOutput.contains("stopped after 2 steps"), "\(resumed.standardOutput)")
    }

    @Test func resumeContinuesExactly() throws {
        let directory = try TemporaryDirectory()
        let corpus = try standardCorpus(in: directory)
        let arch = try tinyArch(in: directory)
        // Three batches an epoch: four steps cross an epoch's end (dev CER, model written).
        let straight = directory.path("straight")
        let once = try CommandRunner.run(
            trainArguments(corpus: corpus, arch: arch, output: straight, extra: ["--max-steps", "4"]))
        #expect(once.status == 0, "\(once.standardError)")
        #expect(once.standardOutput.contains("stopped after 4 steps, epoch 1/2"), "\(once.standardOutput)")
        let split = directory.path("split")
        let half = try CommandRunner.run(
            trainArguments(corpus: corpus, arch: arch, output: split, extra: ["--max-steps", "2"]))
        #expect(half.status == 0, "\(half.standardError)")
        let rest = try CommandRunner.run(
            trainArguments(corpus: corpus, arch: arch, output: split, extra: ["--max-steps", "2", "--resume"]))
        #expect(rest.status == 0, "\(rest.standardError)")
        #expect(rest.standardOutput.contains("stopped after 4 steps, epoch 1/2"), "\(rest.standardOutput)")

        let a = try SafeTensors(contentsOf: URL(fileURLWithPath: straight + "/checkpoint.safetensors"))
        let b = try SafeTensors(contentsOf: URL(fileURLWithPath: split + "/checkpoint.safetensors"))
        #expect(a.tensors.keys.sorted() == b.tensors.keys.sorted())
        #expect(a.tensors.keys.contains { $0.hasPrefix("model.") } && a.tensors.keys.contains { $0.hasPrefix("adam.") })
        for (name, tensor) in a.tensors {
            let other = b.tensors[name]
            #expect(other?.shape == tensor.shape, "\(name)")
            #expect(
                other?.values.map(\.bitPattern) == tensor.values.map(\.bitPattern), "\(name) differs after --resume")
        }
        #expect(a.tensors["model.conv1.weight"] != nil)
        // The epoch's model (written at step 3 in both runs) is the same file.
        let modelA = try Data(contentsOf: URL(fileURLWithPath: straight + "/model.safetensors"))
        let modelB = try Data(contentsOf: URL(fileURLWithPath: split + "/model.safetensors"))
        #expect(modelA == modelB)
    }

    @Test func ctrlCWritesACheckpointAndExitsWith130() throws {
        let directory = try TemporaryDirectory()
        let logs = try TemporaryDirectory()
        let corpus = try standardCorpus(in: directory)
        let arch = try tinyArch(in: directory)
        let output = directory.url.appendingPathComponent("trained")
        let arguments = trainArguments(
            corpus: corpus, arch: arch, output: output.path, epochs: 1000, extra: ["--checkpoint-every", "1"])
        let process = Process()
        process.executableURL = CommandRunner.executable
        process.arguments = arguments
        let errorLog = logs.url.appendingPathComponent("stderr.txt")
        try Data().write(to: errorLog)
        process.standardError = try FileHandle(forWritingTo: errorLog)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let checkpoint = output.appendingPathComponent("checkpoint.safetensors")
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: checkpoint.path), process.isRunning, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        let early = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
        #expect(process.isRunning, "train ended before a checkpoint: \(early)")
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let messages = try String(contentsOf: errorLog, encoding: .utf8)
        #expect(process.terminationReason == .exit, "killed by signal \(process.terminationStatus): \(messages)")
        #expect(process.terminationStatus == 130, "\(messages)")
        #expect(messages.contains("interrupted: checkpoint saved at step"), "\(messages)")
        #expect(messages.contains("--resume"))
        #expect(try directory.contents().allSatisfy { !$0.contains(".partial") })
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: output.path).allSatisfy { !$0.contains(".partial") })
        // The checkpoint loads: the run goes on from it.
        let saved = try SafeTensors(contentsOf: checkpoint)
        #expect(saved.metadata["state"] != nil)
        let resumed = try CommandRunner.run(arguments + ["--resume", "--max-steps", "1"])
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(resumed.standardOutput.contains("stopped after"), "\(resumed.standardOutput)")
    }

    @Test func nonFiniteLossesSkipTheBatchAndSayWhy() throws {
        let directory = try TemporaryDirectory()
        let corpus = try standardCorpus(in: directory)
        let arch = try tinyArch(in: directory)
        // A NaN output bias: every frame's scores hold a NaN, so every CTC loss is NaN.
        try writeModel(
            at: directory.url.appendingPathComponent("nan"), architecture: .tiny,
            editWeights: { weights in
                weights["conv3.bias"]?.values[5] = .nan
            })
        // Four steps: the first epoch's three batches (its end writes a checkpoint whose history
        // holds a NaN train loss), then one of the second.
        let arguments = trainArguments(corpus: corpus, arch: arch, output: directory.path("trained"))
        let result = try CommandRunner.run(arguments + ["--init", directory.path("nan"), "--max-steps", "4"])
        #expect(result.status == 0, "\(result.standardError)")
        let skipped = result.standardError.components(separatedBy: "\n").filter { $0.contains("batch skipped") }
        #expect(skipped.count == 4, "\(result.standardError)")
        for line in skipped {
            #expect(line.contains("CTC loss is") && line.contains("nan for u0"), "\(line)")
        }
        #expect(result.standardError.contains("epoch 1: train loss nan"), "\(result.standardError)")
        #expect(result.standardOutput.contains("stopped after 4 steps"), "\(result.standardOutput)")
        let history = try Data(contentsOf: URL(fileURLWithPath: directory.path("trained/training.json")))
        #expect(String(decoding: history, as: UTF8.self).contains("\"trainLoss\" : \"NaN\""))
        // The checkpoint with the NaN in its history resumes.
        let resumed = try CommandRunner.run(arguments + ["--resume", "--max-steps", "1"])
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(resumed.standardOutput.contains("stopped after 5 steps"), "\(resumed.standardOutput)")
        // logits reports the NaN loss as NaN, not as an infeasible transcript's infinity.
        let features = try writeFeatures(frames: 100, features: 128, at: directory.url.appendingPathComponent("in.npy"))
        let logits = try CommandRunner.run([
            "logits", "--model", directory.path("nan"), features, "-o", directory.path("out.npy"), "--transcript",
            "abc", "--json",
        ])
        #expect(logits.status == 0, "\(logits.standardError)")
        #expect(logits.standardOutput.contains("\"ctc_loss\": NaN"), "\(logits.standardOutput)")
    }

    // MARK: - Output

    @Test func importTorchRoundTrip() throws {
        let directory = try TemporaryDirectory()
        // torchaudio's Wav2Letter(num_classes=4, input_type="mfcc", num_features=8) state dict.
        let labels = "abc_"
        var generator = SeededGenerator(seed: 7)
        var tensors: [String: Tensor] = [:]
        let shapes: [(inChannels: Int, outChannels: Int, kernel: Int)] =
            [(8, 250, 48)] + Array(repeating: (250, 250, 7), count: 7) + [
                (250, 2000, 32), (2000, 2000, 1), (2000, 4, 1),
            ]
        for (index, shape) in shapes.enumerated() {
            let bound = 1 / Float(shape.inChannels * shape.kernel).squareRoot()
            tensors["acoustic_model.\(2 * index).weight"] = uniform(
                [shape.outChannels, shape.inChannels, shape.kernel], bound: bound, generator: &generator)
            tensors["acoustic_model.\(2 * index).bias"] = uniform(
                [shape.outChannels], bound: bound, generator: &generator)
        }
        let state = directory.url.appendingPathComponent("state.safetensors")
        try SafeTensors(tensors: tensors, metadata: ["format": "pt"]).write(to: state)
        let importArguments = [
            "import-torch", "--arch", "torchaudio-wav2letter", "--weights", state.path, "--labels", labels,
            "--blank-index", "3", "-o", directory.path("imported"),
        ]
        // The wrong --num-features: the first layer's shapes disagree; nothing is written.
        try expectFailure(
            importArguments + ["--num-features", "10"], leaves: directory,
            mentioning: [state.path, "\"acoustic_model.0.weight\"", "[250, 8, 48]", "[250, 10, 48]"])

        let imported = try CommandRunner.run(importArguments + ["--num-features", "8"])
        #expect(imported.status == 0, "\(imported.standardError)")
        #expect(imported.standardOutput.contains("4 classes (blank 3)"), "\(imported.standardOutput)")
        for file in ["config.json", "model.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: directory.path("imported/\(file)")), "\(file)")
        }
        let weights = try SafeTensors(contentsOf: URL(fileURLWithPath: directory.path("imported/model.safetensors")))
        #expect(weights.tensors == tensors)

        // 250 frames: layer 0 (k 48, stride 2, padding 23) gives 125, layer 16 (k 32, padding 16)
        // one more, 126.
        let features = try writeFeatures(frames: 250, features: 8, at: directory.url.appendingPathComponent("in.npy"))
        let result = try CommandRunner.run([
            "logits", "--model", directory.path("imported"), features, "-o", directory.path("logits.npy"),
            "--transcript", "abca", "--json",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let logits = try NPYArray<Float>(contentsOf: URL(fileURLWithPath: directory.path("logits.npy")))
        #expect(logits.shape == [126, 4])
        #expect(logits.elements.allSatisfy { $0.isFinite && $0 >= 0 }, "outputs after the final ReLU")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(json["frames"] as? Int == 126)
        #expect(json["classes"] as? Int == 4)
        let loss = try #require(json["ctc_loss"] as? Double)
        #expect(loss.isFinite && loss > 0)
    }

    @Test func transcribeAndEvaluatePrintTheirFormats() throws {
        let directory = try TemporaryDirectory()
        try writeModel(at: directory.url.appendingPathComponent("model"), architecture: .tiny)
        try writeCorpus(at: directory.url.appendingPathComponent("corpus"), splits: ["train", "dev", "dev", "test"])
        let letters = Set("abcdefghijklmnopqrstuvwxyz '")

        let wav = directory.path("tone.wav")
        let tone = (0..<16000).map { Float(sin(Double($0) * 0.2) * 0.4) }
        try AudioFile.write(AudioSignal(samples: tone, sampleRate: 16000), to: URL(fileURLWithPath: wav))
        let features = try writeFeatures(frames: 120, features: 128, at: directory.url.appendingPathComponent("in.npy"))
        let plain = try CommandRunner.run(["transcribe", "--model", directory.path("model"), wav])
        #expect(plain.status == 0, "\(plain.standardError)")
        #expect(plain.standardOutput.hasSuffix("\n"))
        #expect(plain.standardOutput.dropLast().allSatisfy(letters.contains), "\(plain.standardOutput)")
        let two = try CommandRunner.run([
            "transcribe", "--model", directory.path("model"), wav, features, "--beam", "4",
        ])
        #expect(two.status == 0, "\(two.standardError)")
        let lines = two.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 2 && lines[0].hasPrefix(wav + "\t") && lines[1].hasPrefix(features + "\t"))
        let json = try CommandRunner.run(["transcribe", "--model", directory.path("model"), wav, "--json"])
        #expect(json.status == 0, "\(json.standardError)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: String])
        #expect(object.keys.sorted() == ["file", "text"])
        #expect(object["file"] == wav)

        let evaluation = try CommandRunner.run([
            "evaluate", "--model", directory.path("model"), "--corpus", directory.path("corpus"), "--split", "dev",
            "--json",
        ])
        #expect(evaluation.status == 0, "\(evaluation.standardError)")
        let scores = try #require(
            try JSONSerialization.jsonObject(with: Data(evaluation.standardOutput.utf8)) as? [String: Any])
        #expect(
            scores.keys.sorted() == [
                "cer", "ctc_loss", "decoder", "exact", "sentence_accuracy", "skipped_too_short", "split", "utterances",
                "wer",
            ])
        #expect(scores["utterances"] as? Int == 2)
        // Exactly right sentences: each one has no character edits, so CER 0 means all of them.
        let exact = try #require(scores["exact"] as? Int)
        #expect((0...2).contains(exact))
        #expect(scores["sentence_accuracy"] as? Double == Double(exact) / 2)
        if scores["cer"] as? Double == 0 { #expect(exact == 2) }
        if exact == 2 { #expect(scores["cer"] as? Double == 0) }
        // --verbose prints each reference and hypothesis; "(exact)" marks exactly the equal pairs.
        let verbose = try CommandRunner.run([
            "evaluate", "--model", directory.path("model"), "--corpus", directory.path("corpus"), "--split", "dev",
            "--verbose",
        ])
        #expect(verbose.status == 0, "\(verbose.standardError)")
        let printed = verbose.standardError.split(separator: "\n").map(String.init)
        var marked = 0
        for index in printed.indices.dropLast(2) where printed[index + 1].hasPrefix("  ref: ") {
            let line = printed[index]
            let reference = printed[index + 1].dropFirst(7)
            let hypothesis = printed[index + 2]
            #expect(hypothesis.hasPrefix("  hyp: "))
            #expect(line.hasSuffix("(exact)") == (reference == hypothesis.dropFirst(7)))
            if line.hasSuffix("(exact)") { marked += 1 }
        }
        #expect(printed.filter { $0.hasPrefix("  ref: ") }.count == 2)
        #expect(marked == exact)
        #expect(verbose.standardOutput.contains("\(exact) exactly right"))
        #expect(scores["decoder"] as? String == "greedy")
        // Beam search with a letter language model from the corpus's train transcripts.
        let fused = try CommandRunner.run([
            "evaluate", "--model", directory.path("model"), "--corpus", directory.path("corpus"), "--split", "dev",
            "--json", "--beam", "4", "--lm-corpus", directory.path("corpus"), "--lm-order", "3",
        ])
        #expect(fused.status == 0, "\(fused.standardError)")
        #expect(
            fused.standardError.contains("language model: 3-gram over 1 train transcripts"), "\(fused.standardError)")
        let fusedScores = try #require(
            try JSONSerialization.jsonObject(with: Data(fused.standardOutput.utf8)) as? [String: Any])
        #expect(fusedScores["decoder"] as? String == "beam 4 + 3-gram letter LM (weight 0.5, bonus 1.0)")
        let greedyLM = try CommandRunner.run([
            "evaluate", "--model", directory.path("model"), "--corpus", directory.path("corpus"), "--lm-corpus",
            directory.path("corpus"),
        ])
        #expect(greedyLM.status != 0 && greedyLM.standardError.contains("--lm-corpus needs --beam N"))
        // Lexicon fusion: a word list (mixed case, a word with a letter outside the alphabet) joins
        // the train transcripts' words.
        let words = directory.url.appendingPathComponent("words.txt")
        try "Any\ntool\ncafé\n\nwhen\n".write(to: words, atomically: true, encoding: .utf8)
        let lexicon = try CommandRunner.run([
            "evaluate", "--model", directory.path("model"), "--corpus", directory.path("corpus"), "--split", "dev",
            "--json", "--beam", "4", "--lm-corpus", directory.path("corpus"), "--lexicon", words.path,
            "--oov-penalty", "6",
        ])
        #expect(lexicon.status == 0, "\(lexicon.standardError)")
        #expect(lexicon.standardError.contains("(1 lines with other letters left out)"), "\(lexicon.standardError)")
        let lexiconScores = try #require(
            try JSONSerialization.jsonObject(with: Data(lexicon.standardOutput.utf8)) as? [String: Any])
        #expect(
            lexiconScores["decoder"] as? String
                == "beam 4 + 6-gram letter LM (weight 0.5, bonus 1.0) + lexicon words.txt (OOV penalty 6.0)")
        let unread = try CommandRunner.run([
            "evaluate", "--model", directory.path("model"), "--corpus", directory.path("corpus"), "--beam", "4",
            "--lm-corpus", directory.path("corpus"), "--lexicon", directory.path("none.txt"),
        ])
        #expect(unread.status != 0 && unread.standardError.contains(directory.path("none.txt")))
        let lexiconOnly = try CommandRunner.run([
            "evaluate", "--model", directory.path("model"), "--corpus", directory.path("corpus"), "--beam", "4",
            "--lexicon", words.path,
        ])
        #expect(lexiconOnly.status != 0 && lexiconOnly.standardError.contains("--lexicon needs --lm-corpus"))
        for key in ["cer", "wer", "ctc_loss"] {
            let value = try #require(scores[key] as? Double, "\(key)")
            #expect(value.isFinite && value >= 0, "\(key) \(value)")
        }
        let text = try CommandRunner.run([
            "evaluate", "--model", directory.path("model"), "--corpus", directory.path("corpus"), "--split", "dev",
        ])
        #expect(text.status == 0)
        #expect(text.standardOutput.contains("dev: CER "), "\(text.standardOutput)")
        #expect(text.standardOutput.contains("2 utterances"))
        // A transcript that no path of the utterance's frames can spell: an infinite loss, as a
        // string, since JSON has no infinity.
        try writeCorpus(
            at: directory.url.appendingPathComponent("infeasible"), splits: ["test", "test", "dev"],
            texts: [2: String(repeating: "ab ", count: 20)])
        let infinite = try CommandRunner.run([
            "evaluate", "--model", directory.path("model"), "--corpus", directory.path("infeasible"), "--split", "dev",
            "--json",
        ])
        #expect(infinite.status == 0, "\(infinite.standardError)")
        let infiniteScores = try #require(
            try JSONSerialization.jsonObject(with: Data(infinite.standardOutput.utf8)) as? [String: Any])
        #expect(infiniteScores["ctc_loss"] as? String == "Infinity", "\(infinite.standardOutput)")
    }
}

// MARK: - Helpers

/// The repository root, for the fixture corpus.
private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A recogniser architecture for tests: convolutions, a ReLU after each but the last, the English
/// alphabet (blank last, index 28) and the `speechless` front end (128 features).
private struct TestArchitecture {
    struct Convolution {
        let inChannels: Int
        let outChannels: Int
        let kernelSize: Int
        var stride = 1
        let padding: [Int]
    }

    let convolutions: [Convolution]

    static let labels = Array("abcdefghijklmnopqrstuvwxyz '_").map(String.init)

    /// Three convolutions (about 100,000 parameters); receptive field 1 + 47 + 6 x 2 = 60 frames.
    static let tiny = TestArchitecture(convolutions: [
        Convolution(inChannels: 128, outChannels: 16, kernelSize: 48, stride: 2, padding: [23, 24]),
        Convolution(inChannels: 16, outChannels: 16, kernelSize: 7, padding: [3, 3]),
        Convolution(inChannels: 16, outChannels: 29, kernelSize: 1, padding: [0, 0]),
    ])

    /// The `small` preset's kernels and strides with 4 channels: its receptive field of 194 frames.
    static let deep = TestArchitecture(
        convolutions: [Convolution(inChannels: 128, outChannels: 4, kernelSize: 48, stride: 2, padding: [23, 24])]
            + Array(repeating: Convolution(inChannels: 4, outChannels: 4, kernelSize: 7, padding: [3, 3]), count: 7)
            + [
                Convolution(inChannels: 4, outChannels: 4, kernelSize: 32, padding: [15, 16]),
                Convolution(inChannels: 4, outChannels: 4, kernelSize: 1, padding: [0, 0]),
                Convolution(inChannels: 4, outChannels: 29, kernelSize: 1, padding: [0, 0]),
            ])

    /// `config.json` as a JSON object.
    var config: [String: Any] {
        var layers: [[String: Any]] = []
        for (index, convolution) in convolutions.enumerated() {
            layers.append([
                "type": "conv1d", "name": "conv\(index + 1)", "in_channels": convolution.inChannels,
                "out_channels": convolution.outChannels, "kernel_size": convolution.kernelSize,
                "stride": convolution.stride, "padding": convolution.padding, "dilation": 1,
            ])
            if index < convolutions.count - 1 { layers.append(["type": "relu", "name": "relu\(index + 1)"]) }
        }
        return [
            "format": "phonoscope-recognizer", "version": 1, "architecture": "test", "language": "en",
            "features": "speechless", "num_features": 128, "labels": Self.labels, "blank_index": 28,
            "final_activation": "softmax", "layers": layers,
        ]
    }

    /// Seeded weights within PyTorch's default bounds (1 / sqrt(fan_in)).
    func weights(seed: UInt64 = 1) -> [String: Tensor] {
        var generator = SeededGenerator(seed: seed)
        var tensors: [String: Tensor] = [:]
        for (index, convolution) in convolutions.enumerated() {
            let bound = 1 / Float(convolution.inChannels * convolution.kernelSize).squareRoot()
            tensors["conv\(index + 1).weight"] = uniform(
                [convolution.outChannels, convolution.inChannels, convolution.kernelSize], bound: bound,
                generator: &generator)
            tensors["conv\(index + 1).bias"] = uniform([convolution.outChannels], bound: bound, generator: &generator)
        }
        return tensors
    }
}

/// Values drawn uniformly from [-bound, bound).
private func uniform(_ shape: [Int], bound: Float, generator: inout SeededGenerator) -> Tensor {
    let count = shape.reduce(1, *)
    var values = [Float](repeating: 0, count: count)
    for i in 0..<count { values[i] = (2 * generator.unitFloat() - 1) * bound }
    return Tensor(shape: shape, values: values)
}

/// A model directory (`config.json`, `model.safetensors`); `editConfig` and `editWeights` may
/// spoil either before it is written.
private func writeModel(
    at url: URL, architecture: TestArchitecture, editConfig: (inout [String: Any]) -> Void = { _ in },
    editWeights: (inout [String: Tensor]) -> Void = { _ in }
) throws {
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    var config = architecture.config
    editConfig(&config)
    try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys])
        .write(to: url.appendingPathComponent("config.json"))
    var weights = architecture.weights()
    editWeights(&weights)
    try SafeTensors(tensors: weights).write(to: url.appendingPathComponent("model.safetensors"))
}

/// A features `.npy` (frames x features) of seeded values; returns its path.
private func writeFeatures(frames: Int, features: Int, at url: URL) throws -> String {
    var generator = SeededGenerator(seed: 11)
    let values = (0..<(frames * features)).map { _ in 2 * generator.unitFloat() - 1 }
    try NPYArray(shape: [frames, features], elements: values).write(to: url)
    return url.path
}

/// A corpus whose utterances reuse the four recordings of `Tests/CorpusTests/Fixtures/en` in
/// turn: utterance i (id `u0i`) has split `splits[i]` and the recording's transcript, unless
/// `texts[i]` replaces it.
private func writeCorpus(at url: URL, splits: [String], language: String = "en", texts: [Int: String] = [:]) throws {
    let fixture = repository.appendingPathComponent("Tests/CorpusTests/Fixtures/en")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
        at: fixture.appendingPathComponent("audio"), to: url.appendingPathComponent("audio"))
    let recordings = try String(contentsOf: fixture.appendingPathComponent("manifest.jsonl"), encoding: .utf8)
        .split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    var manifest = Data()
    for (index, split) in splits.enumerated() {
        var entry = recordings[index % recordings.count]
        entry["id"] = String(format: "u%02d", index)
        entry["split"] = split
        entry["language"] = language
        entry["alignment"] = nil
        if let text = texts[index] { entry["text"] = text }
        manifest += try JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys]) + Data("\n".utf8)
    }
    try manifest.write(to: url.appendingPathComponent("manifest.jsonl"))
}

/// Six training utterances (three batches of two) and two dev ones.
private func standardCorpus(in directory: TemporaryDirectory) throws -> String {
    try writeCorpus(
        at: directory.url.appendingPathComponent("corpus"),
        splits: ["train", "train", "train", "train", "train", "train", "dev", "dev"])
    return directory.path("corpus")
}

/// The tiny architecture's `config.json`, for `train --arch`.
private func tinyArch(in directory: TemporaryDirectory) throws -> String {
    try writeModel(at: directory.url.appendingPathComponent("arch"), architecture: .tiny)
    return directory.path("arch/config.json")
}

/// `train` with small batches, one thread and a short warm-up.
private func trainArguments(
    corpus: String, arch: String, output: String, epochs: Int = 2, extra: [String] = []
) -> [String] {
    [
        "train", "--corpus", corpus, "--arch", arch, "-o", output, "--batch-size", "2", "--dev-limit", "2",
        "--threads", "1", "--epochs", String(epochs), "--warmup-steps", "2",
    ] + extra
}

/// Every file and folder under `url` with its bytes (folders as empty data).
private func snapshot(_ url: URL) throws -> [String: Data] {
    var result: [String: Data] = [:]
    guard let enumerator = FileManager.default.enumerator(atPath: url.path) else { return result }
    while let item = enumerator.nextObject() as? String {
        let path = url.appendingPathComponent(item).path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
        result[isDirectory.boolValue ? item + "/" : item] =
            isDirectory.boolValue ? Data() : try Data(contentsOf: URL(fileURLWithPath: path))
    }
    return result
}

/// Runs `arguments` and checks the failure: a non-zero exit, a message on standard error that
/// contains every one of `mentions`, nothing on standard output, and no file under `directory`
/// created, changed or removed.
private func expectFailure(
    _ arguments: [String], leaves directory: TemporaryDirectory, mentioning mentions: [String],
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let before = try snapshot(directory.url)
    let result = try CommandRunner.run(arguments)
    #expect(result.status != 0, "\(arguments): exit status 0", sourceLocation: sourceLocation)
    for mention in mentions {
        #expect(
            result.standardError.contains(mention), "\(arguments): no \"\(mention)\" in: \(result.standardError)",
            sourceLocation: sourceLocation)
    }
    #expect(result.standardOutput.isEmpty, "\(result.standardOutput)", sourceLocation: sourceLocation)
    let after = try snapshot(directory.url)
    #expect(
        after.keys.sorted() == before.keys.sorted(), "\(arguments): files created or removed",
        sourceLocation: sourceLocation)
    #expect(after == before, "\(arguments): files changed", sourceLocation: sourceLocation)
}

/// Runs any executable, capturing its output as `CommandRunner` does.
private func run(_ executable: URL, _ arguments: [String]) throws -> CommandRunner.Result {
    try CommandRunner.run(executable, arguments)
}
