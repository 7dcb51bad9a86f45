import AudioFeatures
import Foundation
import NeuralCore
import PhonoscopeIO
import Testing

/// `phonoscope classifier` and `phonoscope explain` end to end on the shipped digit model.
struct ExplainCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardizedFileURL
    static var model: String { root.appendingPathComponent("Corpora/models/digits-cnn").path }
    static var digits: String { root.appendingPathComponent("Corpora/images/digits").path }

    @Test func theShippedModelReachesItsAccuracy() throws {
        let result = try CommandRunner.run([
            "classifier", "evaluate", "--model", Self.model, "--data", Self.digits, "--json",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect((json["accuracy"] as? Double ?? 0) >= 0.97)
        #expect(json["images"] as? Int == 360)
    }

    @Test func trainingIsReproducible() throws {
        let directory = try TemporaryDirectory()
        for name in ["a", "b"] {
            let run = try CommandRunner.run([
                "classifier", "train", "--data", Self.digits, "-o", directory.path(name), "--epochs", "1",
                "--channels", "4,4,8",
            ])
            #expect(run.status == 0, "\(run.standardError)")
            #expect(run.standardOutput.contains("best validation accuracy"))
        }
        let a = try Data(contentsOf: URL(fileURLWithPath: directory.path("a/model.safetensors")))
        let b = try Data(contentsOf: URL(fileURLWithPath: directory.path("b/model.safetensors")))
        #expect(a == b)
    }

    @Test func everyMethodDrawsAFigureAndWritesTheMaps() throws {
        let directory = try TemporaryDirectory()
        let result = try CommandRunner.run([
            "explain", "all", "--model", Self.model, "--data", Self.digits, "--index", "0,7", "-o",
            directory.path("all.png"), "--npy", directory.path("maps.npy"), "--json",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let maps = try NPYArray<Float>(contentsOf: URL(fileURLWithPath: directory.path("maps.npy")))
        #expect(maps.shape == [2, 12, 8, 8])
        let png = try Data(contentsOf: URL(fileURLWithPath: directory.path("all.png")))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 20_000)
        #expect(result.standardOutput.contains("\"grad-cam\""))
        for format in ["svg", "pdf"] {
            let other = try CommandRunner.run([
                "explain", "lrp", "--composite", "epsilon-gamma-box", "--model", Self.model, "--data", Self.digits,
                "-o", directory.path("lrp.\(format)"),
            ])
            #expect(other.status == 0, "\(other.standardError)")
        }
    }

    @Test func sanityTellsWhichMethodsDependOnTheModel() throws {
        let directory = try TemporaryDirectory()
        let result = try CommandRunner.run([
            "explain", "sanity", "--model", Self.model, "--data", Self.digits, "--index", "0,1", "--label-epochs", "2",
            "-o", directory.path("sanity.png"),
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("| method | all layers random | random labels |"))
        #expect(result.standardOutput.contains("| saliency | "))
        #expect(result.standardOutput.components(separatedBy: "\n").filter { $0.hasPrefix("| ") }.count == 13)
        for stage in ["sanity: fc\n", "sanity: fc-conv1", "sanity: random labels"] {
            #expect(result.standardError.contains(stage), "\(result.standardError)")
        }
        #expect(FileManager.default.fileExists(atPath: directory.path("sanity.png")))
    }

    @Test func aRecogniserIsExplainedOverItsSpectrogram() throws {
        let directory = try TemporaryDirectory()
        let english = Self.root.appendingPathComponent("Corpora/models/en-small").path
        let corpus = Self.root.appendingPathComponent("Tests/CorpusTests/Fixtures/en").path
        let base = ["--model", english, "--corpus", corpus, "--utterance", "en-00000"]
        let letter = try CommandRunner.run(
            [
                "explain", "gradient-x-input", "--letter", "t", "-o", directory.path("t.png"), "--npy",
                directory.path("t.npy"),
            ]
                + base)
        #expect(letter.status == 0, "\(letter.standardError)")
        #expect(letter.standardOutput.contains("'t' at "), "\(letter.standardOutput)")
        let map = try NPYArray<Float>(contentsOf: URL(fileURLWithPath: directory.path("t.npy")))
        #expect(map.shape == [460, 128])
        // Deep Taylor (z+ inside, zB over the spectrogram's own range) gives no negative relevance.
        let taylor = try CommandRunner.run(
            [
                "explain", "deep-taylor", "--letter", "t", "-o", directory.path("d.png"), "--npy",
                directory.path("d.npy"),
            ]
                + base)
        #expect(taylor.status == 0, "\(taylor.standardError)")
        let relevance = try NPYArray<Float>(contentsOf: URL(fileURLWithPath: directory.path("d.npy"))).elements
        let peak = relevance.map { abs($0) }.max() ?? 0
        #expect(peak > 0 && relevance.allSatisfy { $0 >= -1e-5 * peak })
        let transcript = try CommandRunner.run(
            ["explain", "saliency", "-o", directory.path("s.svg")] + base)
        #expect(transcript.status == 0, "\(transcript.standardError)")
        #expect(transcript.standardOutput.contains("\"any tool when dropped"), "\(transcript.standardOutput)")
        for (arguments, message) in [
            (["explain", "cam", "-o", directory.path("c.png")] + base, "valid: saliency, gradient-x-input"),
            (["explain", "lrp", "-o", directory.path("l.png")] + base, "give --letter c or --frame T"),
            (
                ["explain", "deep-taylor", "-o", directory.path("dt.png")] + base,
                "deep-taylor on a transcript is invalid"
            ),
            (
                ["explain", "saliency", "--frame", "9999", "-o", directory.path("f.png")] + base,
                "--frame 9999 is invalid"
            ),
            (
                ["explain", "saliency", "--letter", "q", "-o", directory.path("q.png")] + base,
                "a letter of the greedy transcription"
            ),
        ] {
            let result = try CommandRunner.run(arguments)
            #expect(result.status != 0)
            #expect(result.standardError.contains(message), "\(arguments): \(result.standardError)")
        }
        #expect(try directory.contents() == ["d.npy", "d.png", "s.svg", "t.npy", "t.png"])
    }

    @Test func badInputIsNamed() throws {
        let directory = try TemporaryDirectory()
        let base = ["--model", Self.model, "--data", Self.digits, "-o", directory.path("x.png")]
        for (arguments, message) in [
            (["explain", "grad-cam", "--layer", "conv9"] + base, "no layer \"conv9\"; valid: conv1, relu1"),
            (["explain", "saliency", "--target", "12"] + base, "target class 12 is out of range; valid: 0 to 9"),
            (["explain", "saliency", "--index", "5000"] + base, "--index 5000 is invalid"),
            (["explain", "occlusion", "--window", "3"] + base, "--window 3 is invalid"),
        ] {
            let result = try CommandRunner.run(arguments)
            #expect(result.status != 0)
            #expect(result.standardError.contains(message), "\(arguments): \(result.standardError)")
        }
        // An image of the wrong size, and a baseline equal to the input.
        let wrong = directory.path("wrong.npy")
        try NPYArray(shape: [7, 8], elements: [Float](repeating: 1, count: 56)).write(to: URL(fileURLWithPath: wrong))
        let size = try CommandRunner.run([
            "explain", "saliency", wrong, "--model", Self.model, "-o", directory.path("w.png"),
        ])
        #expect(
            size.standardError.contains("an image of shape 1 x 7 x 8 x 1; the model takes 8 x 8 pixels"),
            "\(size.standardError)")
        let image = directory.path("image.npy")
        try NPYArray(shape: [8, 8], elements: (0..<64).map { Float($0 % 17) }).write(to: URL(fileURLWithPath: image))
        let same = try CommandRunner.run([
            "explain", "integrated-gradients", image, "--baseline", image, "--model", Self.model, "-o",
            directory.path("ig.png"),
        ])
        #expect(same.status != 0)
        #expect(same.standardError.contains("the baseline equals the input"), "\(same.standardError)")
        #expect(try directory.contents() == ["image.npy", "wrong.npy"])
    }
}

/// `explain filters`, `top-activations` and `nearest-neighbors` on the shipped models.
struct ExplainFeatureViewCommandTests {
    @Test func filtersTopActivationsAndNeighboursDrawFigures() throws {
        let directory = try TemporaryDirectory()
        let model = ExplainCommandTests.model
        let digits = ExplainCommandTests.digits
        let filters = try CommandRunner.run(["explain", "filters", "--model", model, "-o", directory.path("f.svg")])
        #expect(filters.status == 0, "\(filters.standardError)")
        #expect(filters.standardOutput.contains("16 conv1 filters of 3 x 3 pixels"))
        let speech = try CommandRunner.run([
            "explain", "filters", "--model",
            ExplainCommandTests.root.appendingPathComponent("Corpora/models/en-small").path,
            "--top", "4", "-o", directory.path("k.png"),
        ])
        #expect(speech.status == 0, "\(speech.standardError)")
        #expect(speech.standardOutput.contains("4 of 250 conv1 kernels (128 mel x 48 frames)"))

        let top = try CommandRunner.run([
            "explain", "top-activations", "--model", model, "--data", digits, "--units", "2-4", "--top", "5",
            "--split", "test", "-o", directory.path("t.png"), "--json",
        ])
        #expect(top.status == 0, "\(top.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(top.standardOutput.utf8)) as? [String: Any])
        let units = try #require(json["units"] as? [[String: Any]])
        let splits = try NPYArray<Double>(contentsOf: URL(fileURLWithPath: digits + "/split.npy")).elements
        #expect(units.map { $0["unit"] as? Int } == [2, 3, 4])
        for unit in units {
            let examples = try #require(unit["examples"] as? [[String: Any]])
            let values = examples.compactMap { $0["value"] as? Double }
            #expect(values.count == 5 && values == values.sorted(by: >))
            // Test images only (split 2).
            #expect(examples.allSatisfy { splits[$0["image"] as? Int ?? 0] == 2 })
        }

        let near = try CommandRunner.run([
            "explain", "nearest-neighbors", "--model", model, "--data", digits, "--index", "1500,1700",
            "--neighbors", "4", "-o", directory.path("n.pdf"), "--json",
        ])
        #expect(near.status == 0, "\(near.standardError)")
        let answer = try #require(
            try JSONSerialization.jsonObject(with: Data(near.standardOutput.utf8)) as? [String: Any])
        #expect((answer["agreement"] as? Double ?? 0) > 0.95)
        #expect(answer["dimension"] as? Int == 64)
        let queries = try #require(answer["queries"] as? [[String: Any]])
        #expect(queries.count == 2)
        #expect(try directory.contents() == ["f.svg", "k.png", "n.pdf", "t.png"])
    }

    @Test func aRecognizerUnitBecomesAudio() throws {
        let directory = try TemporaryDirectory()
        let english = ExplainCommandTests.root.appendingPathComponent("Corpora/models/en-small").path
        let run = try CommandRunner.run([
            "explain", "activation-maximization", "--model", english, "--letter", "s", "--steps", "3",
            "--duration", "1.6", "-o", directory.path("am.png"),
        ])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("the logit of 's' reaches"), "\(run.standardOutput)")
        let audio = try AudioFile.read(URL(fileURLWithPath: directory.path("am.wav")))
        #expect(audio.sampleRate == 16000)
        #expect(abs(audio.duration - 1.6) < 0.02, "\(audio.duration) s")
        let peak = audio.samples.map { abs($0) }.max() ?? 0
        #expect(abs(peak - 0.891) < 0.01, "peak \(peak), expected -1 dBFS")
        for (arguments, message) in [
            (["--duration", "0.5", "--letter", "s"], "fewer than the model's receptive field"),
            (["--letter", "ab"], "--letter ab is invalid"),
            ([], "needs --letter c or --unit K"),
            (["--unit", "9999"], "target class 9999 is out of range"),
        ] {
            let bad = try CommandRunner.run(
                [
                    "explain", "activation-maximization", "--model", english, "--steps", "1", "-o",
                    directory.path("x.png"),
                ]
                    + arguments)
            #expect(bad.status != 0)
            #expect(bad.standardError.contains(message), "\(arguments): \(bad.standardError)")
        }
        #expect(try directory.contents() == ["am.png", "am.wav"])
    }

    @Test func activationsFeedTheLinearLayer() throws {
        // The pooled features times fc's weights plus its bias are the logits: the shipped
        // model's 354 of 360 test images come out right from the written rows alone.
        let directory = try TemporaryDirectory()
        let run = try CommandRunner.run([
            "classifier", "activations", "--model", ExplainCommandTests.model, "--data", ExplainCommandTests.digits,
            "-o", directory.path("x.npy"), "--labels", directory.path("labels.txt"),
        ])
        #expect(run.status == 0, "\(run.standardError)")
        let x = try NPYArray<Float>(contentsOf: URL(fileURLWithPath: directory.path("x.npy")))
        #expect(x.shape == [360, 64])
        let labels = try String(contentsOfFile: directory.path("labels.txt"), encoding: .utf8)
            .split(separator: "\n").map { Int($0) ?? -1 }
        #expect(labels.count == 360)
        let weights = try SafeTensors(
            contentsOf: URL(fileURLWithPath: ExplainCommandTests.model + "/model.safetensors"))
        let w = try #require(weights.tensors["fc.weight"]).values
        let b = try #require(weights.tensors["fc.bias"]).values
        var right = 0
        for n in 0..<360 {
            let scores = (0..<10).map { c in (0..<64).reduce(b[c]) { $0 + w[c * 64 + $1] * x.elements[n * 64 + $1] } }
            if scores.indices.max(by: { scores[$0] < scores[$1] }) == labels[n] { right += 1 }
        }
        #expect(right == 354)
    }

    @Test func badInputIsNamed() throws {
        let directory = try TemporaryDirectory()
        let model = ExplainCommandTests.model
        let digits = ExplainCommandTests.digits
        for (arguments, message) in [
            (["explain", "top-activations", "--model", model], "top-activations needs --data DIR"),
            (
                ["explain", "top-activations", "--model", model, "--data", digits, "--units", "70"],
                "--units 70 is invalid; valid: channels 0 to 63 of relu3"
            ),
            (
                ["explain", "top-activations", "--model", model, "--data", digits, "--units", "x"],
                "--units x is invalid"
            ),
            (
                ["explain", "nearest-neighbors", "--model", model, "--data", digits, "--split", "dev"],
                "--split dev is invalid; valid: train, validation, test, all"
            ),
            (
                ["explain", "nearest-neighbors", "--model", model, "--data", digits, "--layer", "conv9"],
                "no layer \"conv9\""
            ),
            (["explain", "filters", "--model", model, "--units", "16"], "--units 16 is out of range; valid: 0 to 15"),
        ] {
            let result = try CommandRunner.run(arguments + ["-o", directory.path("x.png")])
            #expect(result.status != 0)
            #expect(result.standardError.contains(message), "\(arguments): \(result.standardError)")
        }
        #expect(try directory.contents() == [])
    }
}
