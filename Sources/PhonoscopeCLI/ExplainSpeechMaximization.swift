import ArgumentParser
import AudioFeatures
import Explainers
import Foundation
import NeuralCore
import Plots
import Recognizer

/// `phonoscope explain activation-maximization --model RECOGNISER`: the spectrogram that drives
/// one unit hardest, and the audio it stands for.
extension ExplainCommand {
    static let lowestAudibleHz = 80.0

    func runSpeechActivationMaximization() throws {
        let recognizer = try ModelInput.recognizer(model)
        guard let configuration = recognizer.featureConfiguration else {
            throw ValidationError("\(model) has no feature preset, so its input cannot become audio")
        }
        let network = try SpeechObjective.imageNetwork(for: recognizer)
        let bins = recognizer.config.numFeatures
        let hop = Double(configuration.stft.hopLength) / Double(configuration.sampleRate)
        guard duration > 0, duration <= 30 else {
            throw ValidationError("--duration \(duration) is invalid; valid: more than 0 and at most 30 seconds")
        }
        let frames = max(1, Int((duration / hop).rounded()))
        try recognizer.checkLength(frames, source: "--duration \(duration)")
        // The unit: a letter's logit, or a channel of a layer; each averaged over output frames.
        let unit: ActivationMaximization.Unit
        let described: String
        if let letter {
            let encoded = try recognizer.alphabet.encode(letter, source: "--letter")
            guard encoded.count == 1, let last = network.layers.last?.name else {
                throw ValidationError("--letter \(letter) is invalid; valid: one letter of the model's alphabet")
            }
            unit = .channel(layer: last, index: encoded[0])
            described = "the logit of '\(letter == " " ? "space" : letter)'"
        } else if let channel = self.unit {
            let name = layer ?? "relu5"
            unit = .channel(layer: name, index: channel)
            described = "\(name) channel \(channel)"
        } else {
            throw ValidationError(
                "activation-maximization on a recogniser needs --letter c or --unit K (a channel of --layer, "
                    + "default relu5)")
        }
        // Per element the unit's gradient is spread over frames x bins, so the penalties are
        // a tenth of the digits': 0.01 and 0.02 keep the spectrogram within +-0.2 (the logit
        // of 's' reaches 1.7), 1e-5 and 1e-4 drive it to the box's edges (112); 0.001 and
        // 0.002 reach 20 with values within -1.6...4, like speech's.
        var search = activationSearch(l2: 0.001, smoothness: 0.002)
        search.jitterColumns = false
        // z-scored features: nearly all of an utterance's values lie within 4 standard deviations.
        (search.low, search.high) = (-4, 4)
        let (x, value) = try search.run(network: network, unit: unit, shape: [1, frames, bins, 1])
        // For listening, bands centred below 80 Hz are set to the quietest value: the lowest
        // band is pushed to the box's top (eSpeak NG has little energy there, so the model has
        // learnt nothing about it) and as audio it is a rumble that takes the whole peak level.
        let extractor = try FeatureExtractor(configuration)
        var features = FeatureMatrix(frameCount: frames, binCount: bins, values: x.values)
        let quietest = x.values.min() ?? 0
        for (band, centre) in extractor.filterbank.centerFrequencies.enumerated() where centre < Self.lowestAudibleHz {
            for t in 0..<frames { features.values[t * bins + band] = quietest }
        }
        let signal = try FeatureInversion(configuration: configuration).audio(from: features)
        let audioPath = audio ?? URL(fileURLWithPath: output).deletingPathExtension().path + ".wav"
        try AudioFile.write(signal, to: URL(fileURLWithPath: audioPath))
        var figure = UtteranceFigure(
            samples: signal.samples, sampleRate: signal.sampleRate, spectrogram: x.values, frameCount: frames,
            binCount: bins, secondsPerFrame: hop, binFrequencies: extractor.filterbank.centerFrequencies, tiers: [],
            title: "Activation maximisation of \(described) (\(URL(fileURLWithPath: model).lastPathComponent)); "
                + "the waveform is its Griffin-Lim audio")
        figure.colorbarLabel = "z-scored log-mel"
        let (lowest, highest) = (x.values.min() ?? 0, x.values.max() ?? 0)
        figure.colorLimits = lowest < highest ? lowest...highest : (lowest - 1)...(lowest + 1)
        figure.size.width = min(4000, max(1000, 400 * duration))
        try figure.write(to: URL(fileURLWithPath: output))
        print(
            "wrote \(output) and \(audioPath): \(described) reaches " + String(format: "%.2f", value)
                + String(format: " on %.2f s (%d frames)", Double(frames) * hop, frames))
    }
}
