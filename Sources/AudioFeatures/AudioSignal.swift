/// A mono signal: samples in [-1, 1] (float, as libsndfile scales integer formats) at a rate.
public struct AudioSignal: Sendable, Equatable {
    /// The samples, one per time step.
    public var samples: [Float]
    /// Samples per second (Hz).
    public var sampleRate: Int

    public init(samples: [Float], sampleRate: Int) {
        self.samples = samples
        self.sampleRate = sampleRate
    }

    /// Duration in seconds.
    public var duration: Double { Double(samples.count) / Double(sampleRate) }
}

/// How several channels become one.
public enum ChannelSelection: Sendable, Equatable {
    /// The mean of all channels (what `librosa.to_mono` does).
    case mixDown
    /// One channel, counted from 0.
    case channel(Int)
}
