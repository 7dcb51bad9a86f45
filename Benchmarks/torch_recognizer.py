#!/usr/bin/env python3
"""The recogniser benchmark's PyTorch side (Benchmarks/run_recognizer.sh runs it beside
recognizer-benchmark on the same inputs).

The same architectures as Phonoscope's `speechless` and `small` presets (11 Conv1d layers, ReLU,
Keras-style "same" padding done by ConstantPad1d so the frame counts match), float32 on the CPU
with torch.set_num_threads(THREADS). Forward: one utterance of 60 s under torch.no_grad().
Training step: batch 8 x 10 s, forward, log_softmax + ctc_loss (reduction "mean"), backward,
Adam step. Prints one JSON object.

Usage: python3 Benchmarks/torch_recognizer.py WORKDIR THREADS REPEATS
"""
import json
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn


def wav2letter(wide, classes=29, features=128, width=250):
    layers = [nn.ConstantPad1d((23, 24), 0.0), nn.Conv1d(features, width, 48, stride=2), nn.ReLU()]
    for _ in range(7):
        layers += [nn.Conv1d(width, width, 7, padding=3), nn.ReLU()]
    layers += [nn.ConstantPad1d((15, 16), 0.0), nn.Conv1d(width, wide, 32), nn.ReLU()]
    layers += [nn.Conv1d(wide, wide, 1), nn.ReLU(), nn.Conv1d(wide, classes, 1)]
    return nn.Sequential(*layers)


def timed(fn, repeats):
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    work, threads, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    features = torch.from_numpy(np.load(f"{work}/features-60s.npy")).T[None].contiguous()  # [1, 128, T]
    batch = torch.from_numpy(np.load(f"{work}/batch-8x10s.npy")).permute(0, 2, 1).contiguous()  # [8, 128, T]
    targets = torch.from_numpy(np.load(f"{work}/targets.npy"))
    result = {"threads": threads, "repeats": repeats, "torch": torch.__version__}
    for name, wide in [("speechless", 2000), ("small", 384)]:
        model = wav2letter(wide)
        parameters = sum(p.numel() for p in model.parameters())

        def forward():
            with torch.no_grad():
                model(features)

        optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)

        def step():
            logits = model(batch)  # [8, C, T']
            log_probs = torch.log_softmax(logits, dim=1).permute(2, 0, 1)
            lengths = torch.full((batch.shape[0],), log_probs.shape[0], dtype=torch.long)
            target_lengths = torch.full((batch.shape[0],), targets.shape[1], dtype=torch.long)
            loss = nn.functional.ctc_loss(log_probs, targets, lengths, target_lengths, blank=28)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

        result[name] = {
            "parameters": parameters, "forward_seconds": timed(forward, repeats),
            "train_step_seconds": timed(step, repeats),
        }
    print(json.dumps(result, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
