import AudioFeatures
import Foundation
import PhonoscopeIO
import Recognizer

/// What model commands read: audio through the model's front end, or a features `.npy`
/// (frames x features, float32) fed as it is.
enum ModelInput {
    static func features(of path: String, recognizer: Recognizer, channel: ChannelSelection) throws -> FeatureMatrix {
        let url = URL(fileURLWithPath: path)
        guard url.pathExtension.lowercased() == "npy" else {
            return try recognizer.features(ofFile: url, channel: channel)
        }
        let array = try NPYArray<Float>(contentsOf: url)
        guard array.shape.count == 2 else {
            throw RecognizerError.invalidOption(
                name: "features file \(path)", value: "of shape \(array.shape)",
                valid: "a 2-D array (frames, \(recognizer.config.numFeatures))")
        }
        return FeatureMatrix(frameCount: array.shape[0], binCount: array.shape[1], values: array.elements)
    }

    /// Loads a model directory, naming it in errors.
    static func recognizer(_ path: String) throws -> Recognizer {
        try Recognizer(directory: URL(fileURLWithPath: path))
    }
}
