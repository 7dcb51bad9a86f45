#!/usr/bin/env python3
"""librosa's side of the `features` benchmark: load + features + save, timed in-process
(interpreter start-up and imports excluded, which favours librosa).

Usage: python3 Benchmarks/librosa_features.py AUDIO PRESET OUT.npy REPEATS
Prints the median seconds of REPEATS runs.

       python3 Benchmarks/librosa_features.py AUDIO PRESET OUT.npy --serve
Runs once untimed (warm-up) and prints "ready", then runs once per line read from standard
input, printing each run's seconds on a line of its own, until standard input ends:
Benchmarks/run.sh alternates these runs with phonoscope's, so that both sides see the same
moments of a shared machine.
"""
import statistics
import sys
import time

import librosa
import numpy as np


def speechless(path):
    y, sr = librosa.load(path, sr=16000)
    power = np.abs(librosa.stft(y, n_fft=512, hop_length=128, window="hann", center=True)) ** 2
    db = librosa.power_to_db(power, ref=1.0, amin=1e-15, top_db=None)
    mel = librosa.filters.mel(sr=sr, n_fft=512, n_mels=128) @ db
    return ((mel - mel.mean()) / mel.std()).T


def logmel(path):
    y, sr = librosa.load(path, sr=16000)
    mel = librosa.feature.melspectrogram(y=y, sr=sr, n_fft=400, hop_length=160, win_length=400, n_mels=80)
    return librosa.power_to_db(mel, ref=1.0, amin=1e-10, top_db=None).T


def timed(run, path, out):
    start = time.perf_counter()
    np.save(out, np.ascontiguousarray(run(path), dtype=np.float32))
    return time.perf_counter() - start


def main():
    path, preset, out = sys.argv[1], sys.argv[2], sys.argv[3]
    run = {"speechless": speechless, "logmel": logmel}[preset]
    if sys.argv[4] == "--serve":
        timed(run, path, out)
        print("ready", flush=True)
        for _ in sys.stdin:
            print(f"{timed(run, path, out):.6f}", flush=True)
        return
    times = [timed(run, path, out) for _ in range(int(sys.argv[4]))]
    print(f"{statistics.median(times):.4f}")


if __name__ == "__main__":
    main()
