import ArgumentParser
import AudioFeatures
import Corpus
import Explainers
import Foundation
import NeuralCore
import PhonoscopeIO
import Plots
import Recognizer

/// `phonoscope explain` on a recogniser: the spectrogram's share in one letter at one frame,
/// or in the CTC log-likelihood of a whole transcript, drawn over time and frequency with the
/// word and phone tiers.
extension ExplainCommand {
    static let speechMethods: [Method] = [
        ExplainerMethod.saliency, .gradientXInput, .integratedGradients, .smoothgrad, .guidedBackprop, .deconvnet,
        .gradCam, .guidedGradCam, .occlusion, .lrp, .deepTaylor,
    ].map { .one($0) }

    /// Whether `model` is a recogniser directory (its config says so).
    static func isRecognizer(_ model: String) -> Bool {
        let url = URL(fileURLWithPath: model).appendingPathComponent("config.json")
        guard let data = try? Data(contentsOf: url),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return false }
        return object["format"] as? String == "phonoscope-recognizer"
    }

    func runSpeech() throws {
        let recognizer = try ModelInput.recognizer(model)
        let methods = method == .all ? Self.speechMethods : [method]
        if let unsupported = methods.first(where: { !Self.speechMethods.contains($0) }) {
            throw ExplainerError.invalidOption(
                name: "METHOD", value: "\(unsupported.rawValue) for a recogniser",
                valid: Self.speechMethods.map(\.rawValue).joined(separator: ", "))
        }
        // The utterance: a corpus entry (with its tiers) or an audio file.
        let signal: AudioSignal
        var tiers: [FigureTier] = []
        var name: String
        var reference: String?
        if let corpus, let utterance {
            let speechCorpus = try SpeechCorpus(directory: URL(fileURLWithPath: corpus))
            let entry = try speechCorpus.entry(id: utterance)
            signal = try speechCorpus.signal(for: entry)
            tiers = ((try speechCorpus.alignment(for: entry)?.tiers) ?? []).map { tier in
                FigureTier(
                    name: tier.name,
                    intervals: tier.intervals.filter { $0.start < signal.duration }.map {
                        FigureInterval(start: $0.start, end: min($0.end, signal.duration), label: $0.label)
                    })
            }
            name = entry.id
            reference = entry.text
        } else if let input {
            signal = try AudioFile.read(URL(fileURLWithPath: input), sampleRate: 16000)
            name = URL(fileURLWithPath: input).lastPathComponent
        } else {
            throw ValidationError("give an audio file, or --corpus DIR --utterance ID, to explain a recogniser")
        }
        guard let configuration = recognizer.featureConfiguration else {
            throw ValidationError("\(model) has no feature preset, so it cannot read audio")
        }
        let extractor = try FeatureExtractor(configuration)
        let features = try extractor.features(of: signal, source: name)
        try recognizer.checkLength(features.frameCount, source: name)
        let logits = try recognizer.logits(features: features, source: name)
        let (outputFrames, classes) = (logits.shape[0], logits.shape[1])
        let greedy = try CTC.greedy(
            scores: logits.values, frames: outputFrames, classes: classes, blank: recognizer.alphabet.blankIndex)

        // The objective and what the figure calls it.
        let objective: SpeechObjective
        let target: Int
        let described: String
        let seconds = recognizer.outputFrameDuration ?? 0.016
        var frame = self.frame
        if frame == nil, let letter {
            // A letter without a frame: where the greedy path first emits it.
            let encoded = try recognizer.alphabet.encode(letter, source: "--letter")
            guard encoded.count == 1, let index = greedy.labels.firstIndex(of: encoded[0]) else {
                throw ExplainerError.invalidOption(
                    name: "--letter", value: letter,
                    valid: "a letter of the greedy transcription \"" + recognizer.alphabet.decode(greedy.labels)
                        + "\", or give --frame T as well")
            }
            frame = greedy.startFrames[index]
        }
        if let frame {
            objective = .letter(frame: frame)
            guard frame >= 0, frame < outputFrames else {
                throw ExplainerError.invalidOption(
                    name: "--frame", value: String(frame), valid: "an output frame 0 to \(outputFrames - 1)")
            }
            if let letter {
                let encoded = try recognizer.alphabet.encode(letter, source: "--letter")
                guard encoded.count == 1 else {
                    throw ExplainerError.invalidOption(
                        name: "--letter", value: letter, valid: "one letter of the model's alphabet")
                }
                target = encoded[0]
            } else {
                target = greedy.path[frame]
            }
            let symbol = recognizer.alphabet.labels[target]
            described =
                "'\(symbol == " " ? "space" : String(symbol))' at \(String(format: "%.2f", (recognizer.outputFrameTime(frame) ?? Double(frame) * seconds))) s"
        } else {
            let text = transcript ?? reference ?? recognizer.alphabet.decode(greedy.labels)
            objective = .transcript(try recognizer.alphabet.encode(text, source: "--transcript"))
            target = 0
            described = "\"\(text)\""
        }
        let x = Tensor(shape: [1, features.frameCount, features.binCount, 1], values: features.values)
        var settings = try options(batch: x, pixelScale: 1)
        settings.window = try window.map { try Self.size($0, option: "--window") } ?? (16, 16)
        settings.stride = try stride.map { try Self.size($0, option: "--stride") } ?? (8, 8)
        settings.layer = layer ?? "relu5"
        // Deep Taylor's zB rule at the input: the spectrogram's own range.
        if let low = features.values.min(), let high = features.values.max(), low < high {
            settings.inputRange = low...high
        }

        let base = URL(fileURLWithPath: output)
        var written: [String] = []
        for m in methods {
            guard case .one(let chosen) = m else { continue }
            if chosen == .lrp || chosen == .deepTaylor, case .transcript = objective {
                throw ExplainerError.invalidOption(
                    name: chosen.rawValue, value: "on a transcript",
                    valid: "one letter at one frame: give --letter c or --frame T")
            }
            let wrapped = try objective.network(
                for: recognizer, frames: features.frameCount, relevance: chosen == .lrp || chosen == .deepTaylor)
            let explainer = ImageExplainer(network: wrapped.network, classCount: wrapped.classCount)
            let attribution = try explainer.attribute(chosen, x, targets: [target], options: settings)
            let path =
                methods.count == 1
                ? base.path
                : base.deletingPathExtension().path + "-\(m.rawValue)." + base.pathExtension
            // Colour limits at the 99th percentile of |value|: a few extreme cells (the lowest
            // band in silences) would otherwise wash out the rest; larger values saturate.
            let magnitudes = attribution.values.map { abs($0) }.sorted()
            let peak = magnitudes.isEmpty ? 0 : magnitudes[min(magnitudes.count - 1, magnitudes.count * 99 / 100)]
            var figure = UtteranceFigure(
                samples: signal.samples, sampleRate: signal.sampleRate, spectrogram: attribution.values,
                frameCount: features.frameCount, binCount: features.binCount,
                secondsPerFrame: Double(configuration.stft.hopLength) / Double(configuration.sampleRate),
                binFrequencies: extractor.filterbank.centerFrequencies, tiers: tiers,
                title: "\(name): \(m.rawValue) of \(described) (\(URL(fileURLWithPath: model).lastPathComponent))")
            figure.colormap = .blueWhiteRed
            figure.colorLimits = peak > 0 ? -peak...peak : -1...1
            figure.colorbarLabel = "attribution (saturated beyond the 99th percentile of |value|)"
            figure.size.width = min(4000, max(1000, 300 * signal.duration))
            try figure.write(to: URL(fileURLWithPath: path))
            written.append(path)
            if let npy, methods.count == 1 {
                try NPYArray(shape: [features.frameCount, features.binCount], elements: attribution.values).write(
                    to: URL(fileURLWithPath: npy))
            }
        }
        print("wrote " + written.joined(separator: ", ") + ": \(described)")
    }
}
