// swift-tools-version: 6.0
// Phonoscope: looking inside convolutional speech recognisers.
// Licence: GPL-3.0-or-later (FFTW and eSpeak NG are GPL). See LICENSE.
//
// Targets stack downward (see README "Layout"): the phonoscope CLI on top, then the science
// targets, then Plots and PhonoscopeIO, and the C shims at the bottom. Each C shim is a
// `.systemLibrary` found through pkg-config; the Debian package that provides it is named
// in `providers` so that a missing library produces a useful hint.

import PackageDescription

func system(_ name: String, pkgConfig: String, debian: String) -> Target {
    .systemLibrary(name: name, pkgConfig: pkgConfig, providers: [.apt([debian])])
}

let package = Package(
    name: "Phonoscope",
    products: [
        .executable(name: "phonoscope", targets: ["phonoscope"]),
        .library(name: "AudioFeatures", targets: ["AudioFeatures"]),
        .library(name: "Plots", targets: ["Plots"]),
        .library(name: "SpeechSynthesis", targets: ["SpeechSynthesis"]),
        .library(name: "PhonoscopeIO", targets: ["PhonoscopeIO"]),
        .library(name: "Phonetics", targets: ["Phonetics"]),
        .library(name: "Corpus", targets: ["Corpus"]),
        .library(name: "NeuralCore", targets: ["NeuralCore"]),
        .library(name: "Recognizer", targets: ["Recognizer"]),
        .library(name: "Introspection", targets: ["Introspection"]),
        .library(name: "Explainers", targets: ["Explainers"]),
        .library(name: "Projections", targets: ["Projections"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        // C shims: a module map and a one-line header each, no Swift API.
        system("CSndFile", pkgConfig: "sndfile", debian: "libsndfile1-dev"),
        system("CFFTW", pkgConfig: "fftw3f", debian: "libfftw3-dev"),
        system("CSoxr", pkgConfig: "soxr", debian: "libsoxr-dev"),
        // OpenBLAS, cairo and eSpeak NG (headers from libopenblas-dev, libcairo2-dev,
        // libespeak-ng-dev) are opened with dlopen on first use rather than linked, so that
        // commands that never call them (features) start without loading ~40 shared libraries:
        // each shim defines the functions Phonoscope calls as forwarders (CLibraryLoader).
        .target(name: "CLibraryLoader", exclude: ["README.md"]),
        .target(name: "COpenBLAS", dependencies: ["CLibraryLoader"], exclude: ["README.md"]),
        .target(name: "CCairo", dependencies: ["CLibraryLoader"], exclude: ["README.md"]),
        .target(name: "CESpeakNG", dependencies: ["CLibraryLoader"], exclude: ["README.md"]),

        // The front end's inner loops (window, power, dB, sparse mel, moments), built for the
        // baseline CPU and for AVX + FMA, chosen at run time.
        .target(name: "CSpectralKernels", exclude: ["README.md"]),

        // Files the outside world sees: .npy arrays and atomic output files.
        .target(name: "PhonoscopeIO", exclude: ["README.md"]),
        // SplitMix64 with stable shuffles and draws: same seed, same result on any Swift version.
        .target(name: "SeededRandom", exclude: ["README.md"]),
        // Tensors, layers with forward/backward and hooks, optimisers, safetensors.
        .target(
            name: "NeuralCore", dependencies: ["COpenBLAS", "SeededRandom", "PhonoscopeIO"], exclude: ["README.md"]),
        // Figures on cairo from plain arrays; never imports models.
        .target(name: "Plots", dependencies: ["CCairo", "PhonoscopeIO"], exclude: ["README.md"]),
        // Audio files, resampling, STFT, mel, dB, MFCC, normalisation.
        .target(
            name: "AudioFeatures",
            dependencies: ["CSndFile", "CFFTW", "CSoxr", "CSpectralKernels", "PhonoscopeIO"],
            exclude: ["README.md"]
        ),
        // Speech from text with eSpeak NG, with the time of every phoneme.
        .target(
            name: "SpeechSynthesis", dependencies: ["CESpeakNG", "AudioFeatures", "Phonetics"], exclude: ["README.md"]),
        // Phoneme inventories, TextGrids, alphabets (later: G2P, Needleman-Wunsch).
        .target(name: "Phonetics", dependencies: ["PhonoscopeIO"], exclude: ["README.md"]),
        // Corpora: manifests, synthesis with eSpeak NG, readers, LibriSpeech import.
        .target(
            name: "Corpus",
            dependencies: ["AudioFeatures", "SpeechSynthesis", "Phonetics", "PhonoscopeIO", "SeededRandom"],
            exclude: ["README.md"]
        ),
        // Wav2Letter configs and models, CTC loss, decoding, error rates, training, PyTorch import.
        .target(
            name: "Recognizer",
            dependencies: ["NeuralCore", "AudioFeatures", "Corpus", "Phonetics", "PhonoscopeIO", "SeededRandom"],
            exclude: ["README.md"]
        ),
        // Phoneme events (letters from CTC paths, G2P, Needleman-Wunsch), their scoring; NAPs, GradNAPs, SNAPs.
        .target(
            name: "Introspection",
            dependencies: [
                "Recognizer", "NeuralCore", "AudioFeatures", "Phonetics", "PhonoscopeIO", "Clustering", "Topography",
            ],
            exclude: ["README.md"]
        ),
        // Hierarchical clustering equal to SciPy's, distances on OpenBLAS, cluster scores.
        .target(
            name: "Clustering", dependencies: ["COpenBLAS"], exclude: ["README.md"],
            // libm for sqrt and rounding: the target imports no Foundation that would bring it.
            linkerSettings: [.linkedLibrary("m")]),
        // The image classifier and the explainers (saliency to LRP) on the neural core.
        .target(
            name: "Explainers",
            dependencies: ["NeuralCore", "Recognizer", "Clustering", "Projections", "PhonoscopeIO", "SeededRandom"],
            exclude: ["README.md"]),
        // PCA, t-SNE (scikit-learn's) and UMAP (umap-learn's) embeddings, their scores, Projector files.
        .target(
            name: "Projections", dependencies: ["COpenBLAS", "SeededRandom", "PhonoscopeIO"], exclude: ["README.md"]),
        // The demo pipeline (stages of phonoscope commands, resumable) and the static HTML report.
        .target(name: "Reports", dependencies: ["PhonoscopeIO"], exclude: ["README.md"]),
        // Every subcommand, one file each; the executable only calls `Phonoscope.main()`.
        .target(
            name: "PhonoscopeCLI",
            dependencies: [
                "AudioFeatures", "Plots", "SpeechSynthesis", "PhonoscopeIO", "Phonetics", "Corpus", "NeuralCore",
                "Recognizer", "Introspection", "Clustering", "Topography", "Reports", "Explainers", "Projections",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["README.md"]
        ),
        .executableTarget(name: "phonoscope", dependencies: ["PhonoscopeCLI", "NeuralCore"], exclude: ["README.md"]),
        // The recogniser benchmark's Swift side (Benchmarks/run_recognizer.sh runs it beside PyTorch).
        .executableTarget(
            name: "recognizer-benchmark", dependencies: ["Recognizer", "NeuralCore", "PhonoscopeIO", "COpenBLAS"],
            path: "Benchmarks/RecognizerBenchmark"),
        // Kohonen self-organising maps as MiniSom trains them, with quantisation/topographic error and U-matrix.
        .target(
            name: "Topography", dependencies: ["SeededRandom", "COpenBLAS", "Projections"], exclude: ["README.md"]),
        // The SOM benchmark's Swift side (Benchmarks/run_som.sh runs it beside MiniSom).
        .executableTarget(
            name: "som-benchmark", dependencies: ["Topography", "PhonoscopeIO"], path: "Benchmarks/SOMBenchmark"),
        // The clustering benchmark's Swift side (Benchmarks/run_clustering.sh runs it beside SciPy).
        .executableTarget(
            name: "clustering-benchmark", dependencies: ["Clustering", "PhonoscopeIO"],
            path: "Benchmarks/ClusteringBenchmark"),

        .testTarget(name: "PhonoscopeIOTests", dependencies: ["PhonoscopeIO"], exclude: ["Fixtures"]),
        .testTarget(
            name: "AudioFeaturesTests",
            dependencies: ["AudioFeatures", "PhonoscopeIO", "COpenBLAS", "SeededRandom"],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "PlotsTests", dependencies: ["Plots", "PhonoscopeIO"]),
        .testTarget(name: "SpeechSynthesisTests", dependencies: ["SpeechSynthesis"]),
        .testTarget(
            name: "NeuralCoreTests", dependencies: ["NeuralCore", "PhonoscopeIO", "SeededRandom"], exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "RecognizerTests",
            dependencies: ["Recognizer", "NeuralCore", "PhonoscopeIO", "SeededRandom"],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "PhoneticsTests", dependencies: ["Phonetics"], exclude: ["Fixtures"]),
        .testTarget(
            name: "IntrospectionTests",
            dependencies: ["Introspection", "Phonetics", "Recognizer", "NeuralCore", "AudioFeatures", "SeededRandom"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "CorpusTests",
            dependencies: ["Corpus", "Phonetics", "SpeechSynthesis", "AudioFeatures", "SeededRandom"],
            exclude: ["Fixtures"]),
        .testTarget(name: "ClusteringTests", dependencies: ["Clustering"], exclude: ["Fixtures"]),
        .testTarget(
            name: "TopographyTests", dependencies: ["Topography", "SeededRandom"], exclude: ["Fixtures"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports"]),
        .testTarget(
            name: "ProjectionsTests", dependencies: ["Projections", "PhonoscopeIO", "SeededRandom"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "ExplainersTests", dependencies: ["Explainers", "NeuralCore", "Recognizer", "PhonoscopeIO"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "PhonoscopeCLITests",
            dependencies: [
                "PhonoscopeCLI", "AudioFeatures", "PhonoscopeIO", "Introspection", "NeuralCore", "phonoscope",
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
