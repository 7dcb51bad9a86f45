import AudioFeatures
import Corpus
import Foundation
import NeuralCore

/// How outputs become text: the best path, or prefix beam search (optionally with a character
/// language model fused in).
public enum CTCDecoder: Sendable {
    case greedy
    case beam(width: Int, fusion: LanguageModelFusion?)
}

/// A transcription of one input: the decoded text of the model's outputs.
public struct Transcription: Sendable, Equatable, Codable {
    public var text: String
    /// The CTC loss of the reference transcript (sum over frames), when one was given.
    public var ctcLoss: Double?
}

extension Recognizer {
    /// Transcription of a feature matrix (greedy unless `decoder` says otherwise); with
    /// `reference`, also its CTC loss.
    public func transcribe(
        features: FeatureMatrix, source: String, reference: String? = nil, decoder: CTCDecoder = .greedy
    ) throws -> Transcription {
        let output = try logits(features: features, source: source)
        let frames = output.shape[0]
        let classes = output.shape[1]
        let labels: [Int]
        switch decoder {
        case .greedy:
            labels = try CTC.greedy(
                scores: output.values, frames: frames, classes: classes, blank: alphabet.blankIndex
            ).labels
        case .beam(let width, let fusion):
            labels =
                try CTC.beamSearch(
                    logits: output.values, frames: frames, classes: classes, blank: alphabet.blankIndex,
                    beamWidth: width, fusion: fusion
                ).first?.labels ?? []
        }
        var loss: Double?
        if let reference {
            let target = try alphabet.encode(reference, source: "\(source) transcript")
            loss = Double(
                try CTC.loss(
                    logits: output.values, frames: frames, classes: classes, target: target, blank: alphabet.blankIndex
                )
                .loss)
        }
        return Transcription(text: alphabet.decode(labels), ctcLoss: loss)
    }
}

/// Corpus-level scores: CER and WER pooled over utterances (sum of edits over sum of reference
/// lengths) and the mean CTC loss per utterance.
public struct Evaluation: Sendable, Codable, Equatable {
    public var cer: Double
    public var wer: Double
    public var ctcLoss: Double
    public var utterances: Int
    /// Utterances whose hypothesis equals the reference exactly (after the alphabet's
    /// normalisation, which both already have).
    public var exact = 0
    /// The fraction of utterances transcribed exactly right (1 - sentence error rate).
    public var sentenceAccuracy: Double { utterances == 0 ? 0 : Double(exact) / Double(utterances) }
    /// Pooled sums behind the rates, so that partial evaluations merge exactly.
    var characterEdits = 0
    var characters = 0
    var wordEdits = 0
    var words = 0

    public init(cer: Double, wer: Double, ctcLoss: Double, utterances: Int) {
        self.cer = cer
        self.wer = wer
        self.ctcLoss = ctcLoss
        self.utterances = utterances
    }

    /// This evaluation and `other` pooled as one.
    public func merged(with other: Evaluation) -> Evaluation {
        let count = utterances + other.utterances
        var result = Evaluation(
            cer: 0, wer: 0,
            ctcLoss: count == 0
                ? 0 : (ctcLoss * Double(utterances) + other.ctcLoss * Double(other.utterances)) / Double(count),
            utterances: count)
        result.exact = exact + other.exact
        result.characterEdits = characterEdits + other.characterEdits
        result.characters = characters + other.characters
        result.wordEdits = wordEdits + other.wordEdits
        result.words = words + other.words
        result.cer = ErrorRate.ratio(result.characterEdits, result.characters)
        result.wer = ErrorRate.ratio(result.wordEdits, result.words)
        return result
    }

    enum CodingKeys: String, CodingKey {
        case cer, wer, utterances, exact
        case ctcLoss = "ctc_loss"
    }

    /// Scores `utterances` (clean features) one at a time, as `transcribe` would.
    static func run(recognizer: Recognizer, utterances: [TrainingUtterance]) throws -> Evaluation {
        try run(recognizer: recognizer, items: utterances.map { ($0.id, $0.features, $0.text) }, hypotheses: nil)
    }

    /// Scores items of (source, features, reference); `hypotheses`, if given, receives each
    /// item's source and reference with its transcription.
    public static func run(
        recognizer: Recognizer, items: [(source: String, features: FeatureMatrix, reference: String)],
        decoder: CTCDecoder = .greedy, hypotheses: ((_ source: String, _ reference: String, Transcription) -> Void)?
    ) throws -> Evaluation {
        var characters = ErrorRateAccumulator(unit: .characters)
        var words = ErrorRateAccumulator(unit: .words)
        var lossSum = 0.0
        var exact = 0
        for item in items {
            let result = try recognizer.transcribe(
                features: item.features, source: item.source, reference: item.reference, decoder: decoder)
            characters.add(reference: item.reference, hypothesis: result.text)
            words.add(reference: item.reference, hypothesis: result.text)
            lossSum += result.ctcLoss ?? 0
            if result.text == item.reference { exact += 1 }
            hypotheses?(item.source, item.reference, result)
        }
        var result = Evaluation(
            cer: characters.rate, wer: words.rate, ctcLoss: items.isEmpty ? 0 : lossSum / Double(items.count),
            utterances: items.count)
        result.exact = exact
        result.characterEdits = characters.edits.total
        result.characters = characters.referenceLength
        result.wordEdits = words.edits.total
        result.words = words.referenceLength
        return result
    }
}
