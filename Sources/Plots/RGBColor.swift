/// A colour as red, green and blue intensities in [0, 1] (sRGB, as cairo takes them).
public struct RGBColor: Sendable, Equatable, Hashable {
    public var red: Double
    public var green: Double
    public var blue: Double

    public init(red: Double, green: Double, blue: Double) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A grey of the given intensity (0 black, 1 white).
    public init(gray: Double) {
        self.init(red: gray, green: gray, blue: gray)
    }

    public static let black = RGBColor(gray: 0)
    public static let white = RGBColor(gray: 1)

    /// The colour as cairo's RGB24 pixel: 0x00RRGGBB in native byte order, each channel
    /// rounded to the nearest of 256 levels.
    var rgb24Pixel: UInt32 {
        func byte(_ channel: Double) -> UInt32 {
            UInt32((min(max(channel, 0), 1) * 255).rounded())
        }
        return byte(red) << 16 | byte(green) << 8 | byte(blue)
    }
}
