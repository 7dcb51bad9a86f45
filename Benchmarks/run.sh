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
time_phonoscope() {
    for _ in $(seq "$repeats"); do
        local start end
        # bash's own clock (no `date` process inside the interval): microseconds.
        start=${EPOCHREALTIME/./}
        # Its summary line goes to /dev/null: only the timings may reach the median.
        $pin "$bin" features "$audio" --preset "$1" -o "$work/phonoscope-$1.npy" >/dev/null
        end=${EPOCHREALTIME/./}
        printf '%d.%06d\n' $(((end - start) / 1000000)) $(((end - start) % 1000000))
    done | median
}

echo "| preset | phonoscope (s) | phonoscope (x real time) | librosa $(python3 -c 'import librosa; print(librosa.__version__)') (s) | librosa (x real time) | ratio |"
echo "|---|---:|---:|---:|---:|---:|"
for preset in speechless logmel; do
    ours=$(time_phonoscope "$preset")
    theirs=$($pin python3 Benchmarks/librosa_features.py "$audio" "$preset" "$work/librosa-$preset.npy" "$repeats")
    python3 - "$preset" "$ours" "$theirs" "$seconds" "$work/phonoscope-$preset.npy" "$work/librosa-$preset.npy" <<'PY'
import sys, numpy as np
preset, ours, theirs, seconds = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
a, b = np.load(sys.argv[5]), np.load(sys.argv[6])
assert a.shape == b.shape, (a.shape, b.shape)
print(f"| {preset} | {ours:.3f} | {seconds / ours:,.0f} | {theirs:.3f} | {seconds / theirs:,.0f} | {theirs / ours:.1f}x |")
print(f"<!-- {preset}: max |phonoscope - librosa| = {np.abs(a - b).max():.2e} over {a.shape} -->")
PY
done
echo
echo "Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc --all) cores (one used: taskset -c 0, BLAS/OpenMP threads 1), $(date -u +%Y-%m-%d). Median of $repeats runs."
echo
echo "Where phonoscope's time goes (one run each, /usr/bin/time):"
echo
for preset in speechless logmel; do
    /usr/bin/time -f "- $preset: %e s elapsed = %U s user + %S s system; %R minor page faults; peak memory %M KB" \
        $pin "$bin" features "$audio" --preset "$preset" -o "$work/phonoscope-$preset.npy" 2>&1
done
