#!/usr/bin/env bash
# The C probes behind the numbers BENCHMARKS.md's features section quotes from outside the
# benchmark itself: FFTW plans and layouts (fft_plans.c), writing and normalising the output
# (output_io.c), the half-length complex transform with the shipped split kernel against the
# real transform with the power kernel (split_power.c, built with the Swift toolchain's clang
# from Sources/CSpectralKernels), the moments kernel against its earlier four-sum form
# (moments.c), and process start with the libraries phonoscope links now (18) and linked
# before they were loaded on first use (57), for a static Swift program that only prints.
# Usage: bash Benchmarks/probes/run.sh      (needs gcc, swiftc, the Debian -dev packages)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pin="taskset -c 0"
command -v taskset >/dev/null || pin=""
gcc -O2 fft_plans.c -o "$tmp/fft_plans" -lfftw3 -lfftw3f -lm
gcc -O2 output_io.c -o "$tmp/output_io"
kernels=../../Sources/CSpectralKernels
clang -O2 -I"$kernels/include" split_power.c "$kernels/SpectralKernels.c" -o "$tmp/split_power" -lfftw3 -lfftw3f -lm
clang -O2 -I"$kernels/include" moments.c "$kernels/SpectralKernels.c" -o "$tmp/moments" -lm
$pin "$tmp/fft_plans"
$pin "$tmp/split_power"
$pin "$tmp/moments"
$pin "$tmp/output_io" ../work 2>/dev/null || $pin "$tmp/output_io" "$tmp"
echo 'print(CommandLine.arguments.count)' >"$tmp/hello.swift"
few="-lsndfile -lfftw3 -lfftw3f -lsoxr"
all="$few -lcairo -lespeak-ng -lopenblas"
for set in few all; do
    # shellcheck disable=SC2086
    swiftc -O -static-stdlib "$tmp/hello.swift" -o "$tmp/hello-$set" -Xlinker --no-as-needed ${!set} 2>/dev/null
    libraries=$(ldd "$tmp/hello-$set" | wc -l)
    best=$(for _ in $(seq 30); do
        start=${EPOCHREALTIME/./}
        OPENBLAS_NUM_THREADS=1 $pin "$tmp/hello-$set" >/dev/null
        end=${EPOCHREALTIME/./}
        echo $((end - start))
    done | sort -n | head -1)
    echo "static Swift program linked with $libraries shared objects: start to exit best of 30 $((best / 1000)).$(printf '%03d' $((best % 1000))) ms"
done
