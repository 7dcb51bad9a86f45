#!/usr/bin/env bash
# README's first command: install missing Debian packages, build phonoscope (release), and run
# the main job, `phonoscope demo`: for the shipped English and German recognisers, a freshly
# synthesised evaluation corpus each, recognition scores, phoneme events and their scores, NAPs
# and GradNAPs of every layer with ERP figures, a SOM of the first-layer filters, dendrograms
# and class scores per layer, and the English-vs-German comparison, as a static report in
# demo-output/index.html (3 min 52 s on 2 cores after a 2.5-minute build, measured from a clean
# clone). Rerunning resumes: stages that finished are skipped.
#   bash Scripts/demo.sh [OUTPUT_DIR] [phonoscope demo options, e.g. --quick or --count 100]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash Scripts/install-debian-packages.sh
echo "== swift build -c release --static-swift-stdlib"
swift build -c release --static-swift-stdlib --product phonoscope
bin=$(swift build -c release --show-bin-path)/phonoscope
out=${1:-demo-output}
shift || true
"$bin" demo -o "$out" "$@"
echo "Open $out/index.html in a browser (offline; every figure is a PNG beside it)."
