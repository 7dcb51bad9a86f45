import NeuralCore
import PhonoscopeCLI

BLASKernel.reexecuteIfNeeded()
Phonoscope.main()
