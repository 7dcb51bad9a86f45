import NeuralCore
import PhonoscopeCLI

// OpenBLAS's kernel is fixed when the library loads (at the first matrix product, see
// COpenBLAS), so the better one is named before any subcommand runs; those that never
// multiply matrices skip reading /proc/cpuinfo.
let withoutMatrixProducts: Set<String> = ["features", "speak", "convert", "corpus", "g2p", "nw"]
if CommandLine.arguments.count < 2 || !withoutMatrixProducts.contains(CommandLine.arguments[1]) {
    BLASKernel.configure()
}
Phonoscope.main()
