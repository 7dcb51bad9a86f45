#!/usr/bin/env python3
"""Writes Tests/TopographyTests/Fixtures/minisom.json: MiniSom's answers for Topography's tests.

MiniSom (pip install minisom numpy; written with MiniSom 2.3.6) is driven by hand with a recorded
sequence of sample indices and given initial weights, so that the update rule can be compared
exactly: for t, i in enumerate(order): som.update(x_i, som.winner(x_i), t, T). For the final
weights the script also records quantization_error, topographic_error and distance_map, and for
the data pca_weights_init.

Layout: MiniSom(x, y) keeps weights as (x, y, dim); Topography calls y rows and x columns and
stores cells row-major, so every weight array here is weights.transpose(1, 0, 2) flattened, and
distance_map is transposed to rows x columns. A winner (x, y) is the cell y * columns + x.

Usage: python3 Scripts/make_minisom_fixtures.py
"""
import json
import os

from importlib.metadata import version

import numpy as np
from minisom import MiniSom


def blobs(rng, count, dimension, centres):
    centre = rng.normal(0, 3, size=(centres, dimension))
    labels = rng.integers(0, centres, size=count)
    return centre[labels] + rng.normal(0, 1, size=(count, dimension))


def ours(weights):
    """MiniSom (x, y, dim) weights as Topography's row-major (rows = y, columns = x) list."""
    return weights.transpose(1, 0, 2).reshape(-1).tolist()


def case(name, rng, data, rows, columns, topology, sigma, learning_rate, iterations):
    count, dimension = data.shape
    som = MiniSom(columns, rows, dimension, sigma=sigma, learning_rate=learning_rate, topology=topology)
    initial = rng.uniform(-1, 1, size=(columns, rows, dimension)) * data.std(axis=0) + data.mean(axis=0)
    som._weights = initial.copy()
    order = rng.integers(0, count, size=iterations)
    winners = []
    for t, index in enumerate(order):
        x, y = som.winner(data[index])
        winners.append(int(y) * columns + int(x))
        som.update(data[index], (x, y), t, iterations)
    xx, yy = som.get_euclidean_coordinates()
    pca = MiniSom(columns, rows, dimension, topology=topology)
    pca.pca_weights_init(data)
    return {
        "name": name,
        "count": count,
        "dimension": dimension,
        "rows": rows,
        "columns": columns,
        "topology": topology,
        "sigma": sigma,
        "learningRate": learning_rate,
        "data": data.reshape(-1).tolist(),
        "initialWeights": ours(initial),
        "order": order.tolist(),
        "winners": winners,
        "finalWeights": ours(som.get_weights()),
        "quantizationError": float(som.quantization_error(data)),
        "topographicError": float(som.topographic_error(data)),
        "distanceMap": som.distance_map().T.reshape(-1).tolist(),
        "pcaWeights": ours(pca.get_weights()),
        "positionsX": xx.T.reshape(-1).tolist(),
        "positionsY": yy.T.reshape(-1).tolist(),
    }


def quality(rng, seeds=5):
    """MiniSom's own seeded training (random_weights_init, train random_order=True), 5 seeds."""
    data = blobs(rng, 200, 4, 5)
    rows, columns, iterations = 8, 8, 2000
    errors, topographic = [], []
    for seed in range(seeds):
        som = MiniSom(columns, rows, 4, sigma=1.0, learning_rate=0.5, random_seed=seed)
        som.random_weights_init(data)
        som.train(data, iterations, random_order=True)
        errors.append(som.quantization_error(data))
        topographic.append(som.topographic_error(data))
    return {"count": 200, "dimension": 4, "rows": rows, "columns": columns, "iterations": iterations,
            "data": data.reshape(-1).tolist(), "meanQuantizationError": float(np.mean(errors)),
            "meanTopographicError": float(np.mean(topographic))}


def main():
    rng = np.random.default_rng(20240611)
    cases = [
        case("blobs-40x3-rect", rng, blobs(rng, 40, 3, 3), 4, 5, "rectangular", 1.0, 0.5, 120),
        case("blobs-100x5-rect", rng, blobs(rng, 100, 5, 4), 6, 7, "rectangular", 1.5, 0.5, 300),
        case("blobs-40x3-hex-odd", rng, blobs(rng, 40, 3, 3), 5, 4, "hexagonal", 1.0, 0.5, 120),
        case("blobs-100x5-hex-even", rng, blobs(rng, 100, 5, 4), 6, 5, "hexagonal", 1.2, 0.4, 300),
        case("wide-20x50-rect", rng, blobs(rng, 20, 50, 2), 3, 4, "rectangular", 1.0, 0.5, 80),
    ]
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "Tests", "TopographyTests", "Fixtures", "minisom.json")
    with open(path, "w") as handle:
        json.dump({"minisom": version("minisom"), "numpy": np.__version__, "cases": cases,
                   "quality": quality(rng)}, handle)
    print(f"wrote {os.path.normpath(path)} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
