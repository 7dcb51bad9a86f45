#!/usr/bin/env bash
# The recogniser benchmark: Phonoscope's NeuralCore against PyTorch on the CPU, same
# architectures (speechless, small), same inputs, same thread count, in one run.
#   forward: one 60 s utterance (7501 x 128 features);
#   training step: batch 8 x 10 s (1251 frames each), CTC, backward, Adam.
# Also each convolution's GFLOP/s in the forward pass and the machine's sgemm rate.
#
# Usage: bash Benchmarks/run_recognizer.sh [THREADS] [REPEATS]   (needs: pip install torch numpy)
# Prints a Markdown table for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
threads=${1:-2}
repeats=${2:-5}
work=Benchmarks/work
mkdir -p "$work"
bash Scripts/install-debian-packages.sh
swift build -c release --static-swift-stdlib --product recognizer-benchmark >/dev/null
bin=$(swift build -c release --show-bin-path)/recognizer-benchmark

python3 - "$work" <<'PY'
import sys, numpy as np
work = sys.argv[1]
rng = np.random.default_rng(7)
np.save(f"{work}/features-60s.npy", rng.standard_normal((7501, 128)).astype(np.float32))
np.save(f"{work}/batch-8x10s.npy", rng.standard_normal((8, 1251, 128)).astype(np.float32))
np.save(f"{work}/targets.npy", rng.integers(0, 28, size=(8, 150)).astype(np.int64))
PY

ours=$("$bin" "$work" "$threads" "$repeats")
theirs=$(python3 Benchmarks/torch_recognizer.py "$work" "$threads" "$repeats")
python3 - "$ours" "$theirs" <<'PY'
import json, sys
ours, theirs = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"| model | parameters | phonoscope forward 60 s (s) | PyTorch {theirs['torch']} forward (s) | forward ratio | "
      "phonoscope train step 8 x 10 s (s) | PyTorch train step (s) | train ratio |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for name in ["speechless", "small"]:
    o, t = ours[name], theirs[name]
    assert o["parameters"] == t["parameters"], (name, o["parameters"], t["parameters"])
    print(f"| {name} | {o['parameters']:,} | {o['forward_seconds']:.3f} | {t['forward_seconds']:.3f} | "
          f"{t['forward_seconds'] / o['forward_seconds']:.2f}x | {o['train_step_seconds']:.3f} | "
          f"{t['train_step_seconds']:.3f} | {t['train_step_seconds'] / o['train_step_seconds']:.2f}x |")
print()
print(f"Ratios are PyTorch's time over Phonoscope's (above 1: Phonoscope faster). "
      f"sgemm rate (cblas_sgemm, 3751 x 2000 x 8000): {ours['sgemm_gflops']:.0f} GFLOP/s.")
print()
print("| layer | speechless forward (ms) | GFLOP/s | small forward (ms) | GFLOP/s |")
print("|---|---:|---:|---:|---:|")
for a, b in zip(ours["speechless"]["layers"], ours["small"]["layers"]):
    print(f"| {a['layer']} | {a['seconds'] * 1000:.1f} | {a['gflops']:.0f} | {b['seconds'] * 1000:.1f} | {b['gflops']:.0f} |")
PY
echo
echo "Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc --all) cores, $threads threads on both sides, $(date -u +%Y-%m-%d). Median of $repeats runs after one warm-up."
