import AudioFeatures
import Foundation
import Testing

/// Every bad input of `phonoscope features` (issue list): a message that names the value and
/// what would be valid, a non-zero exit, and no output file left behind.
struct BadInputCommandTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        /// Arguments; "IN" and "OUT" are replaced by the input audio and output paths.
        let arguments: [String]
        /// Writes the input file (nil: the input is a valid 1 s tone).
        let input: Input
        /// Texts the error message must contain ("IN" is replaced by the input path).
        let mentions: [String]
        var testDescription: String { name }
    }

    enum Input: Sendable {
        case tone
        case missing
        case directory
        case bytes([UInt8])
        case truncatedOf([Float])
        case samples([Float])
    }

    static let tone: [Float] = (0..<16000).map { i in Float(sin(Double(i) * 0.2) * 0.4) }

    static let cases: [Case] = [
        Case(name: "missing file", arguments: ["IN", "-o", "OUT"], input: .missing, mentions: ["IN", "no such file"]),
        Case(name: "a directory", arguments: ["IN", "-o", "OUT"], input: .directory, mentions: ["IN", "directory"]),
        Case(
            name: "unreadable audio", arguments: ["IN", "-o", "OUT"], input: .bytes(Array("not audio".utf8)),
            mentions: ["IN", "cannot decode"]),
        Case(
            name: "truncated audio", arguments: ["IN", "-o", "OUT"], input: .truncatedOf(tone),
            mentions: ["IN", "truncated"]),
        Case(
            name: "zero samples", arguments: ["IN", "-o", "OUT"], input: .samples([]), mentions: ["IN", "0 samples"]),
        Case(
            name: "shorter than one frame", arguments: ["IN", "-o", "OUT"],
            input: .samples([Float](repeating: 0.1, count: 300)), mentions: ["IN", "300 samples", "512"]),
        Case(
            name: "NaN samples", arguments: ["IN", "-o", "OUT"], input: .samples(Array(tone.prefix(1000)) + [.nan]),
            mentions: ["IN", "sample 1000", "nan"]),
        Case(
            name: "infinite samples", arguments: ["IN", "-o", "OUT"], input: .samples([.infinity] + tone),
            mentions: ["IN", "sample 0", "inf"]),
        Case(
            name: "sample rate 0", arguments: ["IN", "-o", "OUT", "--sample-rate", "0"], input: .tone,
            mentions: ["--sample-rate 0", "positive"]),
        Case(
            name: "negative sample rate", arguments: ["IN", "-o", "OUT", "--sample-rate=-8000"], input: .tone,
            mentions: ["--sample-rate -8000", "positive"]),
        Case(
            name: "n_fft below win_length", arguments: ["IN", "-o", "OUT", "--n-fft", "256", "--win-length", "400"],
            input: .tone, mentions: ["--win-length 400", "256"]),
        Case(
            name: "hop 0", arguments: ["IN", "-o", "OUT", "--hop-length", "0"], input: .tone,
            mentions: ["--hop-length 0", ">= 1"]),
        Case(
            name: "fmax above Nyquist", arguments: ["IN", "-o", "OUT", "--fmax", "9000"], input: .tone,
            mentions: ["--fmax 9000", "8000"]),
        Case(
            name: "unknown preset", arguments: ["IN", "-o", "OUT", "--preset", "mfcc40"], input: .tone,
            mentions: ["mfcc40", "speechless", "logmel"]),
        Case(
            name: "output in a missing directory", arguments: ["IN", "-o", "DIR/missing/out.npy"], input: .tone,
            mentions: ["missing", "does not exist"]),
        Case(
            name: "plot with an unknown extension", arguments: ["IN", "-o", "OUT", "--plot", "DIR/figure.jpg"],
            input: .tone, mentions: ["figure.jpg", ".png"]),
    ]

    @Test(arguments: cases)
    func failsCleanly(_ c: Case) throws {
        let directory = try TemporaryDirectory()
        let input = directory.path("input.wav")
        let inputURL = URL(fileURLWithPath: input)
        switch c.input {
        case .tone:
            try AudioFile.write(AudioSignal(samples: Self.tone, sampleRate: 16000), to: inputURL)
        case .missing:
            break
        case .directory:
            try FileManager.default.createDirectory(at: inputURL, withIntermediateDirectories: false)
        case .bytes(let bytes):
            try Data(bytes).write(to: inputURL)
        case .truncatedOf(let samples):
            try AudioFile.write(AudioSignal(samples: samples, sampleRate: 16000), to: inputURL)
            let data = try Data(contentsOf: inputURL)
            try data.prefix(data.count / 2).write(to: inputURL)
        case .samples(let samples):
            try AudioFile.write(AudioSignal(samples: samples, sampleRate: 16000), to: inputURL)
        }
        let before = try directory.contents()
        let arguments =
            ["features"]
            + c.arguments.map {
                $0.replacingOccurrences(of: "IN", with: input).replacingOccurrences(
                    of: "OUT", with: directory.path("out.npy")
                )
                .replacingOccurrences(of: "DIR", with: directory.url.path)
            }
        let result = try CommandRunner.run(arguments)
        #expect(result.status != 0, "\(c.name): exit status 0")
        for mention in c.mentions.map({ $0.replacingOccurrences(of: "IN", with: input) }) {
            #expect(
                result.standardError.lowercased().contains(mention.lowercased()),
                "\(c.name): the message does not mention \(mention): \(result.standardError)")
        }
        #expect(try directory.contents() == before, "\(c.name): files were left behind")
    }

    @Test func tooManyMelsWarnsButSucceeds() throws {
        let directory = try TemporaryDirectory()
        let input = directory.path("tone.wav")
        try AudioFile.write(AudioSignal(samples: Self.tone, sampleRate: 16000), to: URL(fileURLWithPath: input))
        let result = try CommandRunner.run([
            "features", input, "-o", directory.path("out.npy"), "--n-fft", "256", "--n-mels", "128",
        ])
        #expect(result.status == 0)
        #expect(result.standardError.contains("empty"))
        #expect(result.standardError.contains("--n-mels 128"))
        #expect(FileManager.default.fileExists(atPath: directory.path("out.npy")))
    }
}
