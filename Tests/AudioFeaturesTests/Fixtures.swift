import Foundation
import PhonoscopeIO

/// The librosa oracle made by Scripts/make_librosa_fixtures.py (read, never regenerated, here).
struct LibrosaFixtures: Decodable {
    struct Settings: Decodable {
        let nFft: Int
        let hopLength: Int
        let winLength: Int
        let window: String
        let center: Bool
        let nMels: Int
        let fmin: Double
        let fmax: Double?
        let htk: Bool
        let norm: String?
    }
    struct SignalReference: Decodable {
        let signal: String
        let mel: String
        let db: String
        let mfcc: String
    }
    struct MelCase: Decodable {
        let name: String
        let settings: Settings
        let emptyFilters: Bool
        let basis: String
        let signals: [SignalReference]
    }
    struct Preset: Decodable {
        let signal: String
        let power512: String
        let speechless: String
        let logmel: String
    }
    struct AudioFixture: Decodable {
        let file: String
        let rate: Int
        let channels: Int
        let lossy: Bool
        let decoded: String
        let mono16k: String
    }
    struct Resampling: Decodable {
        let rate: Int
        let input: String
        let output: String
    }
    let librosa: String
    let sampleRate: Int
    let signals: [String: String]
    let melCases: [MelCase]
    let presets: [Preset]
    let audio: [AudioFixture]
    let resampling: [Resampling]

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures")

    static let shared: LibrosaFixtures = {
        do {
            let data = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return try decoder.decode(LibrosaFixtures.self, from: data)
        } catch {
            fatalError("cannot read the fixture manifest: \(error)")
        }
    }()

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    static func array(_ name: String) throws -> NPYArray<Float> { try NPYArray<Float>(contentsOf: url(name)) }

    static func signal(_ name: String) throws -> [Float] {
        guard let file = shared.signals[name] else { throw FixtureError.missing(name) }
        return try array(file).elements
    }

    enum FixtureError: Error { case missing(String) }
}
