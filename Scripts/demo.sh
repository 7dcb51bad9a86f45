#!/usr/bin/env bash
# README's first command: install missing Debian packages, build phonoscope (release), and run
# the main job end to end. Until `phonoscope demo` exists this synthesises an English and a
# German sentence with eSpeak NG and draws their spectrograms (speechless and logmel presets),
# then makes a small English and German corpus with the true time of every phoneme and draws
# one utterance of each, Praat-style, and transcribes the English sentence with the shipped
# English recogniser.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash Scripts/install-debian-packages.sh
echo "== swift build -c release"
swift build -c release --product phonoscope
bin=$(swift build -c release --show-bin-path)/phonoscope
out=${1:-demo-output}
mkdir -p "$out"
"$bin" speak "phonemes leave their traces in every layer of the network" --voice en-us -o "$out/english.flac"
"$bin" speak "jede Schicht des Netzes hört etwas anderes" --voice de -o "$out/german.flac"
for language in english german; do
    "$bin" features "$out/$language.flac" --preset speechless -o "$out/$language-speechless.npy" --plot "$out/$language-speechless.png"
    "$bin" features "$out/$language.flac" --preset logmel -o "$out/$language-logmel.npy" --plot "$out/$language-logmel.png"
done
for language in en de; do
    "$bin" corpus synth --language "$language" --count 40 --seed 1 -o "$out/corpus-$language"
    "$bin" corpus stats "$out/corpus-$language" | head -5
    "$bin" corpus show "$language-00001" --corpus "$out/corpus-$language" -o "$out/utterance-$language.png"
done
# The shipped English recogniser on the demo sentence (a sentence it never saw in training).
echo "== phonoscope transcribe --model Corpora/models/en-small $out/english.flac"
"$bin" transcribe --model Corpora/models/en-small "$out/english.flac"
echo "Wrote to $out/:"
ls -l "$out"
