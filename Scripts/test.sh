#!/usr/bin/env bash
# README's second command: install missing Debian packages, check formatting, build, and run
# every test. The tests need no Python and no network: their oracles are committed fixtures.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash Scripts/install-debian-packages.sh
echo "== swift-format lint (.swift-format)"
swift-format lint --strict --recursive Package.swift Sources Tests Benchmarks
echo "== swift build --build-tests"
swift build --build-tests
echo "== swift test"
swift test --skip-build --parallel
