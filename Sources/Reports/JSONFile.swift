import Foundation

/// A JSON object read from a phonoscope output, with lookups that tolerate missing keys
/// (the report shows "-" for them).
struct JSONObject {
    let values: [String: Any]

    init(_ values: [String: Any]) { self.values = values }

    /// Reads `relativePath` in `directory`; errors name the file.
    static func read(_ relativePath: String, in directory: URL) throws -> JSONObject {
        let url = directory.appendingPathComponent(relativePath)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ReportError.missingFiles(directory: directory.path, files: [relativePath])
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ReportError.unreadable(path: url.path, reason: "not a JSON object")
        }
        return JSONObject(object)
    }

    func double(_ key: String) -> Double? {
        if let number = values[key] as? NSNumber { return number.doubleValue }
        if let text = values[key] as? String { return Double(text) }
        return nil
    }

    func int(_ key: String) -> Int? { (values[key] as? NSNumber)?.intValue }
    func string(_ key: String) -> String? { values[key] as? String }
    func bool(_ key: String) -> Bool? { (values[key] as? NSNumber)?.boolValue }
    func object(_ key: String) -> JSONObject? { (values[key] as? [String: Any]).map(JSONObject.init) }
    func objects(_ key: String) -> [JSONObject] { (values[key] as? [[String: Any]] ?? []).map(JSONObject.init) }
    func strings(_ key: String) -> [String] { values[key] as? [String] ?? [] }
}

/// Number formats of the report's tables.
enum Format {
    static func fixed(_ value: Double?, _ digits: Int = 3) -> String {
        guard let value else { return "-" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value.isNaN { return "nan" }
        return String(format: "%.\(digits)f", value)
    }

    static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "-" }
        return String(format: "%.2f %%", value * 100)
    }

    static func int(_ value: Int?) -> String { value.map(String.init) ?? "-" }
}
