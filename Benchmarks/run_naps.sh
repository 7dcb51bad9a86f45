#!/usr/bin/env bash
# The NAP benchmark (issue 6): phonoscope nap (NAP and GradNAP, every layer of the shipped
# English model) over a synthetic corpus of COUNT utterances, wall time and peak memory.
# The targets: 2,000 utterances in under 10 minutes (NAP) and 30 minutes (GradNAP) on 2 cores,
# memory bounded by the accumulators, not the corpus.
#
# Usage: bash Benchmarks/run_naps.sh [COUNT] [KINDS]   (default 2000, "nap gradnap")
# Prints a Markdown table for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
count=${1:-2000}
kinds=${2:-nap gradnap}
work=Benchmarks/work
mkdir -p "$work"
bash Scripts/install-debian-packages.sh
swift build -c release --static-swift-stdlib --product phonoscope >/dev/null
bin=$(swift build -c release --show-bin-path)/phonoscope
corpus="$work/en-$count"
[ -f "$corpus/manifest.jsonl" ] || "$bin" corpus synth --language en --count "$count" --seed 11 -o "$corpus" >/dev/null
hours=$("$bin" corpus stats "$corpus" --json | python3 -c 'import json,sys; print(round(sum(s["hours"] for s in json.load(sys.stdin)["splits"]), 2))' 2>/dev/null || echo "?")
echo "| kind | utterances | audio (h) | events | wall time | peak memory |"
echo "|---|---:|---:|---:|---:|---:|"
for kind in $kinds; do
    /usr/bin/time -f "%e %M" -o "$work/time-$kind.txt" \
        "$bin" nap --model Corpora/models/en-small --corpus "$corpus" --kind "$kind" -o "$work/en-$kind.naps" \
        >"$work/nap-$kind.out" 2>"$work/nap-$kind.err"
    read -r seconds kilobytes <"$work/time-$kind.txt"
    events=$(grep -o '[0-9]* events' "$work/nap-$kind.out" | head -1)
    printf '| %s | %s | %s | %s | %d min %02d s | %d MB |\n' "$kind" "$count" "$hours" "${events% events}" \
        "$(( ${seconds%.*} / 60 ))" "$(( ${seconds%.*} % 60 ))" "$(( kilobytes / 1024 ))"
done
