#!/usr/bin/env bash
# README's second command: install missing Debian packages, check formatting, build, and run
# every test, then run the notebooks in Notebooks-md/ in their quick mode as doctests. The tests
# need no Python and no network: their oracles are committed fixtures.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash Scripts/install-debian-packages.sh
echo "== swift-format lint (.swift-format)"
swift-format lint --strict --recursive Package.swift Sources Tests Benchmarks
echo "== swift build --build-tests"
swift build --build-tests
echo "== swift test"
swift test --skip-build --parallel
echo "== notebooks: phonoscope notebook run --quick --check Notebooks-md/*.md (release build)"
swift build -c release --static-swift-stdlib --product phonoscope
.build/release/phonoscope notebook run --quick --check Notebooks-md/*.md
