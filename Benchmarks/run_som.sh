#!/usr/bin/env bash
# The SOM benchmark: Topography's SelfOrganizingMap against MiniSom on the same .npy data, same
# settings (sigma 1, learning rate 0.5, Gaussian, asymptotic decay, rectangular, random rows as
# initial weights, random order), 5 seeds each, in one run:
#   filters: 250 items x 6144 (first-layer filters, 48 taps x 128 features), 16 x 16, 2500 iterations;
#   naps:    250 items x 59 (NAP profiles), 16 x 16, 2500 iterations;
#   blobs:   5000 items x 250, 30 x 30, 50000 iterations.
# The data are synthetic, made here by NumPy: a few latent factors plus noise, so maps have structure.
#
# Usage: bash Benchmarks/run_som.sh [THREADS] [SEEDS] [SCRATCH]   (needs: pip install minisom numpy)
# THREADS (default 1) is OpenBLAS's thread count on both sides; SCRATCH an optional
# `swift build --scratch-path`. Prints a Markdown table for BENCHMARKS.md. MiniSom takes about
# 10 minutes of the run on 2 cores with 5 seeds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
threads=${1:-1}
seeds=${2:-5}
scratch=()
if [ -n "${3:-}" ]; then scratch=(--scratch-path "$3"); fi
work=Benchmarks/work
mkdir -p "$work"
swift build -c release --static-swift-stdlib "${scratch[@]}" --product som-benchmark >/dev/null
bin=$(swift build -c release "${scratch[@]}" --show-bin-path)/som-benchmark

python3 - "$work" <<'PY'
import sys, numpy as np
work = sys.argv[1]
rng = np.random.default_rng(11)
def latent(count, dimension, factors, noise):
    return rng.standard_normal((count, factors)) @ rng.standard_normal((factors, dimension)) \
        + noise * rng.standard_normal((count, dimension))
np.save(f"{work}/filters.npy", latent(250, 6144, 6, 0.5))
np.save(f"{work}/naps.npy", latent(250, 59, 4, 0.3))
np.save(f"{work}/blobs.npy", rng.normal(0, 3, (12, 250))[rng.integers(0, 12, 5000)] + rng.standard_normal((5000, 250)))
PY

sets=(filters:16:16:2500 naps:16:16:2500 blobs:30:30:50000)
# OpenBLAS 0.3.21 (Debian 12) misdetects recent Xeons; pick its kernel as NeuralCore's BLASKernel does.
coretype=""
if grep -qw avx512f /proc/cpuinfo && grep -qw avx512bw /proc/cpuinfo; then coretype=SkylakeX
elif grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo; then coretype=Haswell; fi
ours=$(OPENBLAS_NUM_THREADS=$threads OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-$coretype} "$bin" "$work" "$seeds" "${sets[@]}")
theirs=$(OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads python3 Benchmarks/minisom_train.py "$work" "$seeds" "${sets[@]}")
python3 - "$ours" "$theirs" "$seeds" "${sets[@]}" <<'PY'
import json, sys
ours, theirs, seeds = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
shapes = {"filters": "250 x 6144", "naps": "250 x 59", "blobs": "5000 x 250"}
print(f"| data | grid | iterations | phonoscope (s) | MiniSom {theirs['minisom']} (s) | ratio | "
      f"QE ours / MiniSom (mean of {seeds} seeds) | TE ours / MiniSom |")
print("|---|---|---:|---:|---:|---:|---|---|")
for spec in sys.argv[4:]:
    name, rows, columns, iterations = spec.split(":")
    o, t = ours[name], theirs[name]
    print(f"| {name} {shapes.get(name, '')} | {rows} x {columns} | {int(iterations):,} | {o['seconds']:.3f} | "
          f"{t['seconds']:.3f} | {t['seconds'] / o['seconds']:.1f}x | {o['quantization_error']:.4f} / "
          f"{t['quantization_error']:.4f} ({100 * (o['quantization_error'] / t['quantization_error'] - 1):+.1f} %) | "
          f"{o['topographic_error']:.3f} / {t['topographic_error']:.3f} |")
print()
print("Times are the mean of one training (initialisation included) over the seeds; ratio is MiniSom's "
      "time over Phonoscope's (above 1: Phonoscope faster). QE: mean distance to the best-matching cell; "
      "TE: share of items whose two best cells are not neighbours.")
PY
echo
echo "Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc --all) cores, OpenBLAS threads $threads on both sides, $(date -u +%Y-%m-%d)."
