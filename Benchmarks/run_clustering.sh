#!/usr/bin/env bash
# The clustering benchmark: Phonoscope's Clustering against SciPy, pdist + linkage (Euclidean)
# of the same random points (default 5000 x 250, standard normal, float64), average, ward and
# single linkage, median of REPEATS runs each, in one run. SciPy runs first and saves its Z, so
# the Swift side also reports how many rows of its Z equal SciPy's.
#
# Usage: bash Benchmarks/run_clustering.sh [ROWS] [DIMENSION] [REPEATS]   (needs: pip install numpy scipy)
# Prints a Markdown table for BENCHMARKS.md. OpenBLAS uses all cores for the Gram matrix unless
# OPENBLAS_NUM_THREADS says otherwise; SciPy's pdist and linkage are single-threaded.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rows=${1:-5000}
dimension=${2:-250}
repeats=${3:-3}
work=Benchmarks/work/clustering
mkdir -p "$work"
# SCRATCH=/some/dir builds there instead of the default .build (for a checkout others build in).
scratch=(${SCRATCH:+--scratch-path "$SCRATCH"})
swift build -c release --static-swift-stdlib "${scratch[@]}" --product clustering-benchmark >/dev/null
bin=$(swift build -c release "${scratch[@]}" --show-bin-path)/clustering-benchmark

python3 - "$work" "$rows" "$dimension" <<'PY'
import sys, numpy as np
work, rows, dimension = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
np.save(f"{work}/points.npy", np.random.default_rng(11).standard_normal((rows, dimension)))
PY

theirs=$(python3 Benchmarks/scipy_linkage.py "$work" "$repeats")
ours=$("$bin" "$work" "$repeats")
python3 - "$ours" "$theirs" <<'PY'
import json, sys
ours, theirs = json.loads(sys.argv[1]), json.loads(sys.argv[2])
n = ours["rows"]
print(f"| method | phonoscope s | scipy {theirs['scipy']} s | ratio | phonoscope linkage only s | scipy linkage only s | rows of Z equal to SciPy's |")
print("|---|---:|---:|---:|---:|---:|---:|")
for method in ["average", "ward", "single"]:
    o, t = ours[method], theirs[method]
    print(f"| {method} | {o['seconds']:.3f} | {t['seconds']:.3f} | {t['seconds'] / o['seconds']:.2f}x | "
          f"{o['linkage_seconds']:.3f} | {t['linkage_seconds']:.3f} | {o.get('equal_rows', '-')} / {n - 1} |")
print()
print(f"pdist alone: phonoscope {ours['pdist_seconds']:.3f} s, scipy {theirs['pdist_seconds']:.3f} s. "
      f"Ratio is SciPy's time over Phonoscope's (above 1: Phonoscope faster); times are pdist + linkage.")
PY
echo
echo "Data: $rows x $dimension float64. Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc --all) cores, $(date -u +%Y-%m-%d). Median of $repeats runs."
