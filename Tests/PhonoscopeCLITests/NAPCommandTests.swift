import Foundation
import Introspection
import NeuralCore
import Testing

/// `phonoscope nap`, `nap merge` and `erp` end to end with the shipped English model on the
/// corpus fixture (four utterances with true TextGrids).
struct NAPCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let model = repository.appendingPathComponent("Corpora/models/en-small").path
    static let corpus = repository.appendingPathComponent("Tests/CorpusTests/Fixtures/en").path

    /// `nap` on the fixture, recording a few layers so the test stays quick.
    func nap(_ extra: [String], output: String) throws -> CommandRunner.Result {
        try CommandRunner.run(
            [
                "nap", "--model", Self.model, "--corpus", Self.corpus, "--layers", "0,1,11", "--tau", "3",
                "--min-count",
                "1", "-o", output,
            ] + extra)
    }

    @Test(arguments: ["nap", "gradnap", "snap"])
    func shardsMergeIntoExactlyTheUnshardedFile(kind: String) throws {
        let directory = try TemporaryDirectory()
        let whole = try nap(["--kind", kind], output: directory.path("whole.naps"))
        #expect(whole.status == 0, "\(whole.standardError)")
        #expect(whole.standardOutput.contains("3 layers (input, conv1, conv11)"))
        for k in 1...3 {
            let part = try nap(["--kind", kind, "--shard", "\(k)/3"], output: directory.path("part\(k).naps"))
            #expect(part.status == 0, "\(part.standardError)")
        }
        // The parts in any order.
        let merged = try CommandRunner.run(
            [
                "nap", "merge", directory.path("part3.naps"), directory.path("part1.naps"),
                directory.path("part2.naps"),
                "--min-count", "1", "-o", directory.path("merged.naps"),
            ])
        #expect(merged.status == 0, "\(merged.standardError)")
        let a = try SafeTensors(contentsOf: directory.url.appendingPathComponent("whole.naps"))
        let b = try SafeTensors(contentsOf: directory.url.appendingPathComponent("merged.naps"))
        #expect(a.float64Tensors == b.float64Tensors)
        #expect(a.tensors == b.tensors)
        let info = try ProfileFile(contentsOf: directory.url.appendingPathComponent("merged.naps")).info
        #expect(info.shard == nil && info.mergedShards == ["1/3", "2/3", "3/3"] && info.utterances == 4)
        #expect(a.metadata["groups"]?.contains("ð") == true)
    }

    @Test func erpDrawsEveryFigureOfALayer() throws {
        let directory = try TemporaryDirectory()
        #expect(try nap([], output: directory.path("en.naps")).status == 0)
        let input = try CommandRunner.run(
            [
                "erp", "--naps", directory.path("en.naps"), "--layer", "0", "--plot", "all", "-o",
                directory.path("in.png"),
            ])
        #expect(input.status == 0, "\(input.standardError)")
        let conv1 = try CommandRunner.run(
            [
                "erp", "--naps", directory.path("en.naps"), "--layer", "conv1", "--units", "0,7", "--groups", "t,s,ə",
                "-o", directory.path("units.pdf"),
            ])
        #expect(conv1.status == 0, "\(conv1.standardError)")
        let files = try directory.contents()
        for name in [
            "in-lines.png", "in-image.png", "in-heatmap.png", "in-heatmap-groups.png", "in-spectrogram.png",
            "units.pdf",
        ] {
            #expect(files.contains(name), "\(name) missing")
        }
    }

    @Test func badInputIsRefusedWithWhatIsValid() throws {
        let directory = try TemporaryDirectory()
        let noLayer = try nap(["--layers", "0,99"], output: directory.path("x.naps"))
        #expect(noLayer.status != 0 && noLayer.standardError.contains("99") && noLayer.standardError.contains("conv11"))
        #expect(!FileManager.default.fileExists(atPath: directory.path("x.naps")))

        let letters = try nap(["--unit", "letter"], output: directory.path("x.naps"))
        #expect(letters.status != 0 && letters.standardError.contains("--alignments"))

        // Groups with no events are reported and skipped.
        let groups = try nap(["--groups", "t,s,zz"], output: directory.path("g.naps"))
        #expect(groups.status == 0, "\(groups.standardError)")
        #expect(groups.standardError.contains("groups with no events, skipped: zz"))
        #expect(groups.standardOutput.contains("in 2 groups"))

        // Merging profiles of different options is refused, naming the difference.
        #expect(try nap(["--tau", "4", "--shard", "1/2"], output: directory.path("tau4.naps")).status == 0)
        #expect(try nap(["--shard", "2/2"], output: directory.path("tau3.naps")).status == 0)
        let mixed = try CommandRunner.run(
            ["nap", "merge", directory.path("tau3.naps"), directory.path("tau4.naps"), "-o", directory.path("m.naps")])
        #expect(mixed.status != 0 && mixed.standardError.contains("tau 3") && mixed.standardError.contains("tau 4"))
        let twice = try CommandRunner.run(
            ["nap", "merge", directory.path("tau3.naps"), directory.path("tau3.naps"), "-o", directory.path("m.naps")])
        #expect(twice.status != 0 && twice.standardError.contains("same shard"))
        #expect(!FileManager.default.fileExists(atPath: directory.path("m.naps")))

        // erp: a layer the file does not hold, and a file that is not a NAPs file.
        let erp = try CommandRunner.run(
            ["erp", "--naps", directory.path("g.naps"), "--layer", "5", "-o", directory.path("e.png")])
        #expect(erp.status != 0 && erp.standardError.contains("0 (input), 1 (conv1), 11 (conv11)"))
        let weights = Self.repository.appendingPathComponent("Corpora/models/en-small/model.safetensors").path
        let notNAPs = try CommandRunner.run(["erp", "--naps", weights, "--layer", "1", "-o", directory.path("e.png")])
        #expect(notNAPs.status != 0 && notNAPs.standardError.contains("not a Phonoscope NAP file"))
        #expect(!FileManager.default.fileExists(atPath: directory.path("e.png")))
    }

    @Test func lettersComeFromAlignOutput() throws {
        let directory = try TemporaryDirectory()
        let alignments = directory.url.appendingPathComponent("align")
        try FileManager.default.createDirectory(at: alignments, withIntermediateDirectories: true)
        // Hand-made events for en-00001: three letters and their phonemes.
        let line = """
            {"id":"en-00001","duration":4.77,"words":[{"word":"if","start":0.3,"end":0.5}],\
            "letters":[{"letter":"i","word":0,"frame":19,"lastFrame":20,"time":0.31,"end":0.33},\
            {"letter":"f","word":0,"frame":25,"lastFrame":26,"time":0.41,"end":0.43},\
            {"letter":"i","word":0,"frame":60,"lastFrame":61,"time":9.5,"end":9.6}],\
            "phonemes":[{"phoneme":"ɪ","word":0,"letters":"i","frame":19,"time":0.31},\
            {"phoneme":"f","word":0,"letters":"f","frame":25,"time":0.41}]}

            """
        try Data(line.utf8).write(to: alignments.appendingPathComponent("events.jsonl"))
        let result = try nap(
            ["--alignments", alignments.path, "--unit", "letter", "--kind", "gradnap", "--gradient-label", "aligned"],
            output: directory.path("letters.naps"))
        #expect(result.status == 0, "\(result.standardError)")
        // The event at 9.5 s lies outside the 4.77 s audio; the other utterances have no events.
        #expect(result.standardError.contains("1 events lie outside their audio"))
        #expect(result.standardError.contains("skipped en-00000: no events"))
        let file = try ProfileFile(contentsOf: directory.url.appendingPathComponent("letters.naps"))
        #expect(file.groups == ["f", "i"] && file.count("i") == 1 && file.count("f") == 1)
    }
}
