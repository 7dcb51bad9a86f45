"""Oracles for the sanity checks' similarity measures (Tests/ExplainersTests/Fixtures/similarity.json).

    pip install numpy scipy scikit-image
    python3 Scripts/make_sanity_fixtures.py

For a few pairs of 8 x 8 maps (random, with ties, identical, one constant) it stores
scipy.stats.spearmanr's correlation and skimage.metrics.structural_similarity with
data_range=1 and its defaults (7 x 7 uniform windows, K1 0.01, K2 0.03, sample covariance),
computed on the maps as given (values in [0, 1]).
"""
import json
import os

import numpy as np
import scipy
import scipy.stats
import skimage
from skimage.metrics import structural_similarity

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "ExplainersTests", "Fixtures", "similarity.json")


def main():
    rng = np.random.default_rng(11)
    a = rng.random((8, 8))
    b = np.clip(a + 0.3 * rng.standard_normal((8, 8)), 0, 1)
    ties_a = np.round(rng.random((8, 8)) * 4) / 4
    ties_b = np.round(rng.random((8, 8)) * 4) / 4
    pairs = {"random": (a, b), "ties": (ties_a, ties_b), "identical": (a, a), "unrelated": (a, rng.random((8, 8)))}
    cases = []
    for name, (x, y) in pairs.items():
        cases.append({
            "name": name, "a": x.ravel().tolist(), "b": y.ravel().tolist(),
            "spearman": float(scipy.stats.spearmanr(x.ravel(), y.ravel()).statistic),
            "ssim": float(structural_similarity(x, y, data_range=1.0)),
        })
    with open(OUT, "w") as f:
        json.dump({"scipy": scipy.__version__, "skimage": skimage.__version__, "cases": cases}, f, indent=1)
        f.write("\n")
    for case in cases:
        print(f"{case['name']}: spearman {case['spearman']:.6f}, ssim {case['ssim']:.6f}")


if __name__ == "__main__":
    main()
