import ArgumentParser

/// The `phonoscope` command: one subcommand per file in this folder.
public struct Phonoscope: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "phonoscope",
        abstract:
            "Look inside convolutional speech recognisers: features, models, phoneme events, activation profiles.",
        discussion: """
            Examples:
              phonoscope speak "the quick brown fox" -o fox.flac
              phonoscope features fox.flac -o fox.npy --preset logmel --plot fox.png
              phonoscope convert recording.ogg -o recording.wav --sample-rate 16000 \\
                --channel 0
            """,
        version: "0.1.0",
        subcommands: [
            FeaturesCommand.self, SpeakCommand.self, ConvertCommand.self, CorpusCommand.self, TrainCommand.self,
            TranscribeCommand.self,
            EvaluateCommand.self, LogitsCommand.self, ImportTorchCommand.self, G2PCommand.self, NWCommand.self,
            AlignCommand.self, NAPCommand.self, ERPCommand.self, ClusterCommand.self, SOMCommand.self,
            CompareCommand.self, DemoCommand.self, ReportCommand.self, NotebookCommand.self, ClassifierCommand.self,
            ExplainCommand.self, ProjectCommand.self, AverageModelsCommand.self,
        ]
    )

    public init() {}
}
