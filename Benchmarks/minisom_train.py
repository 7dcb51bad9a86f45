#!/usr/bin/env python3
"""The SOM benchmark's MiniSom side: the same data sets, settings and seeds as som-benchmark.

MiniSom(columns, rows, features, sigma=1, learning_rate=0.5, random_seed=seed) with its defaults
(Gaussian neighbourhood, asymptotic decay, rectangular), random_weights_init(data), then
train(data, iterations, random_order=True). Reports the mean wall time of one training
(initialisation included; after one short untimed warm-up) and the mean final quantization_error and topographic_error.

Usage: python3 Benchmarks/minisom_train.py WORKDIR SEEDS NAME:ROWS:COLUMNS:ITERATIONS...
Prints one JSON object keyed by NAME.
"""
import json
import sys
import time
from importlib.metadata import version

import numpy as np
from minisom import MiniSom


def main():
    work, seeds = sys.argv[1], int(sys.argv[2])
    result = {"minisom": version("minisom"), "numpy": np.__version__}
    for specification in sys.argv[3:]:
        name, rows, columns, iterations = specification.split(":")
        rows, columns, iterations = int(rows), int(columns), int(iterations)
        data = np.load(f"{work}/{name}.npy")
        warm_up = MiniSom(columns, rows, data.shape[1], random_seed=0)
        warm_up.random_weights_init(data)
        warm_up.train(data, min(iterations, 100), random_order=True)
        seconds, quantization, topographic = [], [], []
        for seed in range(seeds):
            start = time.perf_counter()
            som = MiniSom(columns, rows, data.shape[1], sigma=1.0, learning_rate=0.5, random_seed=seed)
            som.random_weights_init(data)
            som.train(data, iterations, random_order=True)
            seconds.append(time.perf_counter() - start)
            quantization.append(som.quantization_error(data))
            topographic.append(som.topographic_error(data))
        result[name] = {"seconds": float(np.mean(seconds)), "quantization_error": float(np.mean(quantization)),
                        "topographic_error": float(np.mean(topographic))}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
