import AudioFeatures
import Foundation
import NeuralCore
import Phonetics
import Testing

@testable import Recognizer

/// Configs, presets, geometry, model directories and the errors of bad configs and weights.
struct RecognizerModelTests {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("phonoscope-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func speechlessHasThePapersParameterCount() throws {
        let english = try Recognizer(config: .speechless(language: .en))
        #expect(english.parameterCount == 24_662_529)
        #expect(english.alphabet.count == 29)
        #expect(english.alphabet.blankIndex == 28)
        let german = try Recognizer(config: .speechless(language: .de))
        #expect(german.alphabet.count == 33)
        #expect(german.parameterCount == 24_662_529 + 4 * 2001)
    }

    @Test func smallStaysUnderEightMillion() throws {
        for language in Language.allCases {
            let model = try Recognizer(config: .small(language: language))
            #expect(model.parameterCount <= 8_000_000)
            #expect(model.network.layers.filter { $0 is Conv1d }.count == 11)
        }
        #expect(try Recognizer(config: .small(language: .en)).parameterCount == 7_831_889)
    }

    @Test func receptiveFieldAndFrameRateMatchScience() throws {
        let model = try Recognizer(config: .small(language: .en))
        #expect(model.receptiveField == 194)
        #expect(model.frameStride == 2)
        #expect(model.outputFrameDuration == 0.016)
        // Keras "same" with stride 2: ceil(T / 2) output frames, for odd and even T.
        for frames in [194, 195, 400, 401] { #expect(model.outputLength(frames) == (frames + 1) / 2) }
    }

    @Test func torchaudioPresetMatchesItsLayout() throws {
        let alphabet = try Alphabet(labels: Array("_abc"), blankIndex: 0)
        let model = try Recognizer(config: .torchaudioWav2Letter(numFeatures: 40, alphabet: alphabet))
        let names = model.parameters.map(\.name)
        #expect(names.first == "acoustic_model.0.weight")
        #expect(names.last == "acoustic_model.20.bias")
        #expect(model.parameters[0].value.shape == [250, 40, 48])
        // torchaudio pads layer 9 by 16 on both sides, so it outputs one frame more than its input.
        #expect(model.outputLength(400) == 201)
    }

    @Test func sameSeedSameNetworkAndOneFramePerTwo() throws {
        // Seeded init gives the same network twice; 200 input frames give 100 output frames.
        let a = try Recognizer(config: .small(language: .en), seed: 3)
        let b = try Recognizer(config: .small(language: .en), seed: 3)
        #expect(a.parameters.map(\.value) == b.parameters.map(\.value))
        let frames = 200
        let values = (0..<(frames * 128)).map { Float(sin(Double($0) * 0.37)) }
        let single = try a.logits(features: FeatureMatrix(frameCount: frames, binCount: 128, values: values))
        #expect(single.shape == [100, 29])
    }

    @Test func modelDirectoryRoundTrips() throws {
        let directory = try Self.temporaryDirectory()
        let model = try Recognizer(config: .small(language: .de), seed: 5)
        try model.save(to: directory)
        let loaded = try Recognizer(directory: directory)
        #expect(loaded.config == model.config)
        #expect(loaded.parameters.map(\.value) == model.parameters.map(\.value))
        // float16 weights load as float32, within half precision.
        try model.save(to: directory, dtype: .f16)
        let half = try Recognizer(directory: directory)
        let difference = zip(half.parameters[0].value.values, model.parameters[0].value.values).map { abs($0 - $1) }
            .max()
        #expect((difference ?? 1) < 1e-3)
    }

    @Test func averagedModelsHoldTheMeanOfEveryTensor() throws {
        let directories = try (0..<3).map { _ in try Self.temporaryDirectory() }
        let models = try (0..<3).map { try Recognizer(config: .small(language: .en), seed: UInt64(10 + $0)) }
        for (model, directory) in zip(models, directories) { try model.save(to: directory) }
        let averaged = try Recognizer.averaged(directories)
        #expect(averaged.config == models[0].config)
        for (index, parameter) in averaged.parameters.enumerated() {
            for i in stride(from: 0, to: parameter.value.count, by: 997) {
                let mean = models.map { Double($0.parameters[index].value.values[i]) }.reduce(0, +) / 3
                #expect(abs(Double(parameter.value.values[i]) - mean) <= 1e-7 * max(1, abs(mean)))
            }
        }
        // A model of another alphabet does not average with English ones.
        let german = try Self.temporaryDirectory()
        try Recognizer(config: .small(language: .de), seed: 1).save(to: german)
        #expect(throws: RecognizerError.self) { _ = try Recognizer.averaged([directories[0], german]) }
    }

    @Test func weightsThatDisagreeNameTheTensorAndBothShapes() throws {
        let directory = try Self.temporaryDirectory()
        let model = try Recognizer(config: .small(language: .en))
        var tensors = model.weights().tensors
        tensors["conv3.weight"] = Tensor(zeros: [250, 250, 5])
        try SafeTensors(tensors: tensors).write(to: directory.appendingPathComponent("model.safetensors"))
        try model.config.write(to: directory.appendingPathComponent("config.json"))
        #expect(throws: RecognizerError.self) { try Recognizer(directory: directory) }
        do {
            _ = try Recognizer(directory: directory)
        } catch {
            let message = "\(error)"
            #expect(message.contains("conv3.weight"))
            #expect(message.contains("[250, 250, 5]"))
            #expect(message.contains("[250, 250, 7]"))
        }
        tensors["conv3.weight"] = nil
        try SafeTensors(tensors: tensors).write(to: directory.appendingPathComponent("model.safetensors"))
        #expect(
            throws: RecognizerError.missingTensor(path: directory.path + "/model.safetensors", name: "conv3.weight")
        ) {
            try Recognizer(directory: directory)
        }
    }

    @Test func unknownLayerTypeIsNamed() throws {
        var config = RecognizerConfig.small(language: .en)
        config.layers[1].type = "gelu"
        #expect(
            throws: RecognizerError.unknownLayerType(
                path: "config.json", layer: 1, type: "gelu", valid: RecognizerConfig.layerTypes)
        ) { try config.validate() }
    }

    @Test func alphabetWithoutBlankIsRejected() throws {
        var config = RecognizerConfig.small(language: .en)
        config.blankIndex = nil
        #expect(throws: RecognizerError.self) { try config.validate() }
        do { try config.validate() } catch { #expect("\(error)".contains("no blank")) }
        #expect(throws: RecognizerError.self) { try Alphabet(labels: Array("abc"), blankIndex: 3) }
    }

    @Test func configFileErrorsNameTheFile() throws {
        let directory = try Self.temporaryDirectory()
        let url = directory.appendingPathComponent("config.json")
        try Data("{\"format\": \"phonoscope-recognizer\"".utf8).write(to: url)
        do {
            _ = try RecognizerConfig(contentsOf: url)
            Issue.record("a truncated config was accepted")
        } catch {
            #expect("\(error)".contains(url.path))
        }
        try RecognizerConfig.small(language: .en).write(to: url)
        #expect(try RecognizerConfig(contentsOf: url) == .small(language: .en))
    }

    @Test func transcriptsOutsideTheAlphabetAreRejected() throws {
        let alphabet = Alphabet.standard(for: .en)
        #expect(try alphabet.encode("it's") == [8, 19, 27, 18])
        do {
            _ = try alphabet.encode("naïve")
            Issue.record("ï was accepted")
        } catch {
            #expect("\(error)".contains("\"ï\""))
            #expect("\(error)".contains("offset 2"))
        }
        #expect(alphabet.decode([7, 8, 28, 8]) == "hii")
    }

    @Test func inputShorterThanTheReceptiveFieldIsAnError() throws {
        let model = try Recognizer(config: .small(language: .en))
        let short = FeatureMatrix(frameCount: 100, binCount: 128, values: [Float](repeating: 0, count: 12_800))
        #expect(throws: RecognizerError.inputTooShort(source: "x.wav", frames: 100, required: 194, seconds: 1.552)) {
            try model.logits(features: short, source: "x.wav")
        }
    }

    @Test func germanStartsFromEnglishLetterByLetter() throws {
        let english = try Recognizer(config: .small(language: .en), seed: 1)
        let german = try Recognizer(config: .small(language: .de), seed: 2)
        _ = try german.initialize(from: english)
        #expect(german.parameters[0].value == english.parameters[0].value)
        let width = 384
        let source = english.parameters.first { $0.name == "conv11.weight" }?.value.values ?? []
        let target = german.parameters.first { $0.name == "conv11.weight" }?.value.values ?? []
        // "z" (25) and the blank (28 in English, 32 in German) keep their rows.
        #expect(Array(target[(25 * width)..<(26 * width)]) == Array(source[(25 * width)..<(26 * width)]))
        #expect(Array(target[(32 * width)..<(33 * width)]) == Array(source[(28 * width)..<(29 * width)]))
    }
}
