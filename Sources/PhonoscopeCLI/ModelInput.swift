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

    /// A matrix of items (.npy, float64 or float32, rows are items) as doubles with its rows
    /// and columns; `option` names the command-line option in errors.
    static func matrix(_ path: String, option: String = "--input") throws -> (values: [Double], rows: Int, columns: Int)
    {
        let url = URL(fileURLWithPath: path)
        let (values, shape): ([Double], [Int])
        if let array = try? NPYArray<Double>(contentsOf: url) {
            (values, shape) = (array.elements, array.shape)
        } else {
            let array = try NPYArray<Float>(contentsOf: url)
            (values, shape) = (array.elements.map(Double.init), array.shape)
        }
        guard shape.count == 2 else {
            throw RecognizerError.invalidOption(
                name: "\(option) \(path)", value: "of shape \(shape)", valid: "a 2-D array (items, features)")
        }
        return (values, shape[0], shape[1])
    }
}
