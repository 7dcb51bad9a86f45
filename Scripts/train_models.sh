#!/usr/bin/env bash
# How the shipped models in Corpora/models/ were made, step by step (each step resumes or is
# skipped when its output exists). Not part of the tests; run it to retrain them.
#
# Usage: bash Scripts/train_models.sh [WORKDIR]      (default: corpora-and-models/)
# Wall time on 2 cores: about 5 min per corpus, about 10 min per epoch of training.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash Scripts/install-debian-packages.sh
swift build -c release --static-swift-stdlib --product phonoscope
bin=$(swift build -c release --show-bin-path)/phonoscope
work=${1:-corpora-and-models}
mkdir -p "$work"

for language in en de; do
    "$bin" corpus synth --language "$language" --count 8000 --seed 1 -o "$work/$language"
done

train() {  # train DIR ARGS...: train into DIR, resuming its checkpoint if there is one (a finished run resumes as a no-op)
    local dir=$1
    shift
    if [ -f "$dir/checkpoint.safetensors" ]; then
        "$bin" train "$@" -o "$dir" --resume
    else
        "$bin" train "$@" -o "$dir"
    fi
}
# English, stage 1: 4 epochs from He-initialised weights (dev CER 18 % after it).
train "$work/en-small-stage1" --corpus "$work/en" --arch small --epochs 4 --learning-rate 8e-4 \
    --warmup-steps 200 --checkpoint-every 100 --float16
# English, stage 2: 5 more epochs from stage 1's model, a fresh warm-up and cosine decay.
train "$work/en-small-stage2" --corpus "$work/en" --arch small --init "$work/en-small-stage1" --epochs 5 \
    --learning-rate 5e-4 --warmup-steps 100 --final-learning-rate 1e-5 --checkpoint-every 100 --float16
# English, stage 3: 3 more epochs from stage 2's model (German starts from this one).
train "$work/en-small-stage3" --corpus "$work/en" --arch small --init "$work/en-small-stage2" --epochs 3 \
    --learning-rate 3e-4 --warmup-steps 50 --final-learning-rate 5e-6 --checkpoint-every 100 --float16
# English, stage 4: 10 more epochs from stage 3's model, another batch order (seed 2).
train "$work/en-small-stage4" --corpus "$work/en" --arch small --init "$work/en-small-stage3" --epochs 10 \
    --learning-rate 2e-4 --warmup-steps 50 --final-learning-rate 3e-6 --checkpoint-every 100 --seed 2 --float16
# English, stage 5: 8 more epochs from stage 4's model, a fresh warm-up, seed 3.
train "$work/en-small-stage5" --corpus "$work/en" --arch small --init "$work/en-small-stage4" --epochs 8 \
    --learning-rate 1.5e-4 --warmup-steps 50 --final-learning-rate 2e-6 --checkpoint-every 100 --seed 3 --float16
# English, stage 6: 6 more epochs from stage 5's model, seed 4; the shipped weights.
train "$work/en-small" --corpus "$work/en" --arch small --init "$work/en-small-stage5" --epochs 6 \
    --learning-rate 6e-5 --warmup-steps 50 --final-learning-rate 1e-6 --checkpoint-every 100 --seed 4 --float16

for split in test test-voices; do
    "$bin" evaluate --model "$work/en-small" --corpus "$work/en" --split "$split" --json
done

# German, stage 1: from the English model, output rows remapped letter by letter (ä ö ü ß new).
train "$work/de-small-stage1" --corpus "$work/de" --arch small --init "$work/en-small-stage3" --epochs 2 \
    --learning-rate 5e-4 --warmup-steps 100 --final-learning-rate 1e-5 --checkpoint-every 100 --float16
# German, stage 2: 3 more epochs from stage 1's model, seed 2; the shipped weights (run with one
# thread beside English training).
train "$work/de-small" --corpus "$work/de" --arch small --init "$work/de-small-stage1" --epochs 3 \
    --learning-rate 3e-4 --warmup-steps 50 --final-learning-rate 3e-6 --checkpoint-every 100 --seed 2 --float16 \
    --threads 1
for split in test test-voices; do
    "$bin" evaluate --model "$work/de-small" --corpus "$work/de" --split "$split" --json
done
