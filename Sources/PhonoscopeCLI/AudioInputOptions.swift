import ArgumentParser
import AudioFeatures
import Foundation

/// How an input audio file becomes one channel (shared by every command that reads audio).
struct ChannelOption: ParsableArguments {
    @Option(help: "Use only this channel, counted from 0 (default: the mean of all channels).")
    var channel: Int?

    var selection: ChannelSelection { channel.map { .channel($0) } ?? .mixDown }

    func validate() throws {
        if let channel, channel < 0 {
            throw ValidationError("--channel \(channel) is invalid; valid: 0 or more (0 is the first channel)")
        }
    }
}
