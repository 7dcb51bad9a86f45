import PhonoscopeCLI

BLASKernel.reexecuteIfNeeded()
Phonoscope.main()
