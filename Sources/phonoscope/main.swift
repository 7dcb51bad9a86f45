import PhonoscopeCLI

Phonoscope.main()
