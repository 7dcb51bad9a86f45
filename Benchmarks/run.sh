#!/usr/bin/env bash
# The `features` benchmark: times real time on a 10-minute 16 kHz WAV, one thread, both presets,
# `phonoscope features` (the whole command: process start, file I/O, features, .npy) side by
# side with librosa (load + features + save) in the same run, pinned to one core.
#
# Usage: bash Benchmarks/run.sh [REPEATS]     (needs: pip install librosa)
# Prints a Markdown table for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repeats=${1:-7}
work=Benchmarks/work
mkdir -p "$work"
bash Scripts/install-debian-packages.sh
swift build -c release --static-swift-stdlib --product phonoscope >/dev/null
bin=$(swift build -c release --show-bin-path)/phonoscope
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMBA_NUM_THREADS=1
pin="taskset -c 0"
command -v taskset >/dev/null || pin=""

audio=$work/ten-minutes.wav
if [ ! -f "$audio" ]; then
    # Real speech: one paragraph spoken by eSpeak NG, repeated to exactly 600 s, 16-bit PCM.
    "$bin" speak "$(tr '\n' ' ' < Benchmarks/paragraph.txt)" -o "$work/paragraph.wav" >/dev/null
    python3 - "$work/paragraph.wav" "$audio" <<'PY'
import sys, numpy as np, soundfile as sf
y, sr = sf.read(sys.argv[1], dtype="float32")
n = 600 * sr
sf.write(sys.argv[2], np.resize(y, n), sr, subtype="PCM_16")
PY
fi
seconds=$(python3 -c "import soundfile as sf; print(sf.info('$audio').duration)")

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# One run of phonoscope, timed by bash's own clock (no `date` process inside the interval), in
# seconds; its summary line goes to /dev/null, so only timings reach the medians.
time_phonoscope() {
    local start end
    start=${EPOCHREALTIME/./}
    $pin "$bin" features "$audio" --preset "$1" -o "$work/phonoscope-$1.npy" >/dev/null
    end=${EPOCHREALTIME/./}
    printf '%d.%06d\n' $(((end - start) / 1000000)) $(((end - start) % 1000000))
}

echo "| preset | phonoscope (s) | phonoscope (x real time) | librosa $(python3 -c 'import librosa; print(librosa.__version__)') (s) | librosa (x real time) | ratio | ratio per pair (min - max) |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for preset in speechless logmel; do
    # Alternating: librosa waits in one warm process (librosa_features.py --serve, which runs
    # once untimed first) and runs once per line it reads, right after each phonoscope run, so
    # that both sides of each pair see the same moment of this shared machine.
    coproc LIBROSA { $pin python3 Benchmarks/librosa_features.py "$audio" "$preset" "$work/librosa-$preset.npy" --serve; }
    read -r _ <&"${LIBROSA[0]}"  # "ready": Python's imports and warm-up must not overlap our runs
    time_phonoscope "$preset" >/dev/null  # warm-up: the binary and the input in the page cache
    : >"$work/pairs-$preset.txt"
    for _ in $(seq "$repeats"); do
        ours=$(time_phonoscope "$preset")
        echo go >&"${LIBROSA[1]}"
        read -r theirs <&"${LIBROSA[0]}"
        echo "$ours $theirs" >>"$work/pairs-$preset.txt"
    done
    exec {LIBROSA[1]}>&-
    wait "$LIBROSA_PID"
    ours=$(cut -d' ' -f1 "$work/pairs-$preset.txt" | median)
    theirs=$(cut -d' ' -f2 "$work/pairs-$preset.txt" | median)
    python3 - "$preset" "$ours" "$theirs" "$seconds" "$work/phonoscope-$preset.npy" "$work/librosa-$preset.npy" "$work/pairs-$preset.txt" <<'PY'
import sys, numpy as np
preset, ours, theirs, seconds = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
a, b = np.load(sys.argv[5]), np.load(sys.argv[6])
assert a.shape == b.shape, (a.shape, b.shape)
pairs = np.loadtxt(sys.argv[7], ndmin=2)
ratios = pairs[:, 1] / pairs[:, 0]
print(f"| {preset} | {ours:.3f} | {seconds / ours:,.0f} | {theirs:.3f} | {seconds / theirs:,.0f} | {theirs / ours:.1f}x "
      f"| {ratios.min():.1f}x - {ratios.max():.1f}x |")
print(f"<!-- {preset}: max |phonoscope - librosa| = {np.abs(a - b).max():.2e} over {a.shape} -->")
PY
done
echo
echo "Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc --all) cores (one used: taskset -c 0, BLAS/OpenMP threads 1), $(date -u +%Y-%m-%d). Median of $repeats alternating pairs of runs, after one warm-up run of each."
echo
echo "Where phonoscope's time goes (one run each, /usr/bin/time):"
echo
for preset in speechless logmel; do
    /usr/bin/time -f "- $preset: %e s elapsed = %U s user + %S s system; %R minor page faults; peak memory %M KB" \
        $pin "$bin" features "$audio" --preset "$preset" -o "$work/phonoscope-$preset.npy" 2>&1
done
