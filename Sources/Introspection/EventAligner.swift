import AudioFeatures
import Foundation
import NeuralCore
import Phonetics
import Recognizer

/// Why one utterance could not be aligned; the run reports it and goes on.
public struct AlignmentFailure: Error, Sendable, Codable, Equatable, CustomStringConvertible {
    public var id: String
    public var reason: String

    public init(id: String, reason: String) {
        self.id = id
        self.reason = reason
    }

    public var description: String { "\(id): \(reason)" }
}

/// Phoneme events of utterances from a recogniser: the CTC path (forced or greedy) gives letter
/// onsets, the G2P gives each word's phonemes, and learned letter-phoneme scores align them.
public struct EventAligner {
    public let recognizer: Recognizer
    public let g2p: any GraphemeToPhoneme
    public let scores: LetterPhonemeScores
    public let options: EventOptions
    public let language: Language

    public init(
        recognizer: Recognizer, g2p: any GraphemeToPhoneme, scores: LetterPhonemeScores, options: EventOptions,
        language: Language
    ) {
        self.recognizer = recognizer
        self.g2p = g2p
        self.scores = scores
        self.options = options
        self.language = language
    }

    /// The phonemes of each word of `transcript`.
    public func pronunciations(of transcript: String, id: String) throws -> [[String]] {
        let words: [String]
        do {
            words = try WordSplitter.words(of: transcript, language: language)
        } catch {
            throw AlignmentFailure(id: id, reason: "\(error)")
        }
        return try words.map { word in
            guard let pronunciation = try g2p.pronunciation(of: word), !pronunciation.phonemes.isEmpty else {
                throw AlignmentFailure(id: id, reason: "the G2P has no pronunciation for \"\(word)\"")
            }
            return pronunciation.phonemes
        }
    }

    /// Events of one utterance from its features (the recogniser's front end) and transcript.
    public func events(id: String, features: FeatureMatrix, transcript: String, duration: Double) throws
        -> UtteranceEvents
    {
        let text = recognizer.alphabet.normalize(transcript)
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw AlignmentFailure(id: id, reason: "the transcript is empty")
        }
        let labels: [Int]
        do {
            labels = try recognizer.alphabet.encode(text, source: "transcript of \(id)")
        } catch {
            throw AlignmentFailure(id: id, reason: "\(error)")
        }
        let pronunciations = try self.pronunciations(of: text, id: id)
        let logits: Tensor
        do {
            logits = try recognizer.logits(features: features, source: id)
        } catch {
            throw AlignmentFailure(id: id, reason: "\(error)")
        }
        let (frames, classes) = (logits.shape[0], logits.shape[1])
        let logProbabilities = CTC.logSoftmax(logits.values, frames: frames, classes: classes).map { Float($0) }
        let blank = recognizer.alphabet.blankIndex
        let characters = Array(text)
        var spans: [EventDerivation.LetterSpan]
        switch options.path {
        case .forced:
            guard
                let alignment = try CTC.forcedAlignment(
                    logProbabilities: logProbabilities, frames: frames, classes: classes, target: labels, blank: blank)
            else {
                throw AlignmentFailure(
                    id: id,
                    reason:
                        "cannot align \(labels.count) letters to \(frames) output frames (the audio is too short for the transcript)"
                )
            }
            spans = zip(characters, alignment.spans).map { ($0, $1) }
        case .greedy:
            let greedy = try CTC.greedy(scores: logProbabilities, frames: frames, classes: classes, blank: blank)
            var runs: [ClosedRange<Int>] = []
            for (k, start) in greedy.startFrames.enumerated() {
                var end = start
                while end + 1 < frames && greedy.path[end + 1] == greedy.labels[k] { end += 1 }
                runs.append(start...end)
            }
            let letters = greedy.labels.map { recognizer.alphabet.labels[$0] }
            spans = EventDerivation.greedySpans(transcript: characters, greedyLetters: letters, greedyRuns: runs)
        }
        let model = recognizer
        return EventDerivation.derive(
            id: id, letterSpans: spans, pronunciations: pronunciations, scores: scores, options: options,
            frameTime: { model.outputFrameTime($0) ?? 0 }, frameDuration: model.outputFrameDuration ?? 0,
            duration: duration)
    }
}
