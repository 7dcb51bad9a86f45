import NeuralCore
import PhonoscopeCLI

// OpenBLAS's kernel is fixed when the library loads, so picking a better one costs a second
// process start; subcommands that never multiply matrices skip it.
let withoutMatrixProducts: Set<String> = ["features", "speak", "convert", "corpus", "g2p", "nw"]
if CommandLine.arguments.count < 2 || !withoutMatrixProducts.contains(CommandLine.arguments[1]) {
    BLASKernel.reexecuteIfNeeded()
}
Phonoscope.main()
