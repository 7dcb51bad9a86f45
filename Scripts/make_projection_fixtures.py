#!/usr/bin/env python3
"""Writes the oracle fixtures of Tests/ProjectionsTests from scikit-learn and umap-learn.

Usage:
  python3 -m venv /tmp/venv-proj && /tmp/venv-proj/bin/pip install scikit-learn umap-learn numpy
  /tmp/venv-proj/bin/python Scripts/make_projection_fixtures.py

Made with scikit-learn 1.9, umap-learn 0.5.12, NumPy 2.4. Tests never run Python: they read
Tests/ProjectionsTests/Fixtures/*.json and *.npy.

- digits.npy: 400 rows of scikit-learn's digits (8 x 8 images, values 0..16) with Gaussian
  jitter (sd 0.25) so that no two distances tie (ties would make the k-th neighbour, and so
  the oracles, depend on sort order), float32. The float32 values are the data.
- pca.json: PCA (sklearn.decomposition.PCA) of a tall (50 x 8) and a wide (12 x 30) matrix:
  mean, components (svd_flip with u_based_decision=False), transformed rows, explained variance
  and its ratio.
- tsne.json: the Barnes-Hut joint P (`_joint_probabilities_nn` on the 3 * perplexity + 1
  nearest neighbours' squared distances) of 70 blob points (and their blobs); the exact joint P
  (`_joint_probabilities`) of 8 points with the KL divergence and gradient
  (`_kl_divergence`) at a random embedding; sklearn's TSNE (random_state 0, PCA init) on the
  digits: final KL divergence and trustworthiness (5 neighbours).
- umap.json: umap-learn on the first 120 digits rows: exact 15-NN (precomputed distances, as
  umap-learn does below 4,096 points), `smooth_knn_dist` sigmas and rhos, the
  `fuzzy_simplicial_set` graph (COO triplets); `find_ab_params` for several min_dist/spread;
  UMAP(random_state=42) on all 400 rows: trustworthiness (5 neighbours).
- scores.json: neighbourhood hit (k = 6, brute force, stable order) and
  sklearn.manifold.trustworthiness (k = 5 and 10) of a random 2-D layout of 100 labelled points.
"""
import json
import os

import numpy as np
import sklearn
import umap
from sklearn.datasets import load_digits, make_blobs
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE, trustworthiness
from sklearn.manifold._t_sne import _joint_probabilities, _joint_probabilities_nn, _kl_divergence
from sklearn.metrics import pairwise_distances
from sklearn.neighbors import NearestNeighbors
from umap.umap_ import find_ab_params, fuzzy_simplicial_set, nearest_neighbors, smooth_knn_dist

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ProjectionsTests", "Fixtures")


def rows(a, digits=10):
    return [[round(float(v), digits) for v in r] for r in np.asarray(a)]


def flat(a, digits=10):
    return [round(float(v), digits) for v in np.asarray(a).ravel()]


def write_json(name, obj):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")


def digits_data():
    rng = np.random.default_rng(7)
    x, y = load_digits(return_X_y=True)
    pick = np.sort(rng.choice(len(x), 400, replace=False))
    data = (x[pick] + rng.normal(0, 0.25, (400, 64))).astype(np.float32)
    np.save(os.path.join(OUT, "digits.npy"), data)
    with open(os.path.join(OUT, "digits-labels.txt"), "w") as f:
        f.write("".join(f"{int(v)}\n" for v in y[pick]))
    return data.astype(np.float64), y[pick]


def pca_cases():
    rng = np.random.default_rng(11)
    cases = []
    tall = np.round(rng.standard_normal((50, 8)) @ rng.standard_normal((8, 8)) + 3, 6)
    wide = np.round(rng.standard_normal((12, 30)) @ np.diag(np.linspace(3, 0.1, 30)), 6)
    for name, x, k in [("tall", tall, 3), ("wide", wide, 2)]:
        pca = PCA(n_components=k).fit(x)
        cases.append({
            "name": name, "rows": x.shape[0], "dimension": x.shape[1], "components": k,
            "data": flat(x), "mean": flat(pca.mean_), "componentsMatrix": rows(pca.components_),
            "transformed": rows(pca.transform(x)), "explainedVariance": flat(pca.explained_variance_),
            "explainedVarianceRatio": flat(pca.explained_variance_ratio_),
        })
    return cases


def sparse_triplets(m):
    m = m.tocoo()
    order = np.lexsort((m.col, m.row))
    return {"rows": [int(v) for v in m.row[order]], "columns": [int(v) for v in m.col[order]],
            "values": [float(v) for v in m.data[order]]}


def tsne_fixture(digits, labels):
    x, blob = make_blobs(n_samples=70, n_features=6, centers=3, random_state=1)
    x = np.round(x, 6)
    perplexity = 10.0
    k = min(len(x) - 1, int(3.0 * perplexity + 1))
    knn = NearestNeighbors(n_neighbors=k, metric="euclidean").fit(x)
    graph = knn.kneighbors_graph(mode="distance")
    graph.data **= 2
    p = _joint_probabilities_nn(graph, perplexity, 0)

    rng = np.random.default_rng(3)
    tiny = np.round(rng.standard_normal((8, 4)), 6)
    d = pairwise_distances(tiny, squared=True).astype(np.float32)
    p_exact = _joint_probabilities(d, 3.0, 0)  # condensed
    embedding = np.round(rng.standard_normal((8, 2)), 6)
    kl, grad = _kl_divergence(embedding.ravel(), p_exact, 1, 8, 2)

    model = TSNE(n_components=2, perplexity=30.0, init="pca", random_state=0, method="barnes_hut")
    y = model.fit_transform(digits)
    return {
        "blobs": {"rows": 70, "dimension": 6, "perplexity": perplexity, "data": flat(x), "labels": [int(v) for v in blob],
                  "joint": sparse_triplets(p)},
        "tiny": {
            "rows": 8, "dimension": 4, "perplexity": 3.0, "data": flat(tiny), "jointCondensed": flat(p_exact, 14),
            "embedding": flat(embedding), "kl": float(kl), "gradient": flat(grad, 14),
        },
        "digits": {
            "perplexity": 30.0, "kl": float(model.kl_divergence_), "iterations": int(model.n_iter_),
            "trustworthiness": float(trustworthiness(digits, y, n_neighbors=5)),
        },
    }


def umap_fixture(digits):
    x = digits[:120]
    dmat = pairwise_distances(x)
    knn_indices, knn_dists, _ = nearest_neighbors(dmat, 15, "precomputed", {}, False, np.random.RandomState(0))
    sigmas, rhos = smooth_knn_dist(knn_dists, 15.0)
    graph, _, _ = fuzzy_simplicial_set(dmat, 15, np.random.RandomState(0), "precomputed")
    ab = []
    for min_dist, spread in [(0.1, 1.0), (0.5, 1.0), (0.05, 2.0), (0.001, 1.0), (0.25, 0.5)]:
        a, b = find_ab_params(spread, min_dist)
        ab.append({"minDist": min_dist, "spread": spread, "a": float(a), "b": float(b)})
    model = umap.UMAP(n_neighbors=15, min_dist=0.1, random_state=42)
    y = model.fit_transform(digits)
    return {
        "graphCase": {
            "rows": 120, "neighbors": 15, "knnIndices": [[int(v) for v in r] for r in knn_indices],
            "knnDistances": rows(knn_dists), "sigmas": flat(sigmas), "rhos": flat(rhos),
            "graph": sparse_triplets(graph),
        },
        "ab": ab,
        "digits": {"trustworthiness": float(trustworthiness(digits, y, n_neighbors=5))},
    }


def scores_fixture():
    rng = np.random.default_rng(5)
    labels = rng.integers(0, 3, 100)
    x = rng.standard_normal((100, 10)) + labels[:, None] * 0.8
    y = x[:, :2] + rng.standard_normal((100, 2)) * 0.5
    x, y = np.round(x, 6), np.round(y, 6)
    d = pairwise_distances(y)
    np.fill_diagonal(d, np.inf)
    k = 6
    hits = []
    for i in range(len(y)):
        nearest = np.argsort(d[i], kind="stable")[:k]
        hits.append(np.mean(labels[nearest] == labels[i]))
    return {
        "rows": 100, "dimension": 10, "data": flat(x), "embedding": flat(y), "labels": [int(v) for v in labels],
        "neighborhoodHit6": float(np.mean(hits)),
        "trustworthiness5": float(trustworthiness(x, y, n_neighbors=5)),
        "trustworthiness10": float(trustworthiness(x, y, n_neighbors=10)),
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    digits, labels = digits_data()
    versions = {"sklearn": sklearn.__version__, "umap": umap.__version__, "numpy": np.__version__}
    write_json("pca.json", {"versions": versions, "cases": pca_cases()})
    write_json("tsne.json", {"versions": versions, **tsne_fixture(digits, labels)})
    write_json("umap.json", {"versions": versions, **umap_fixture(digits)})
    write_json("scores.json", {"versions": versions, **scores_fixture()})


if __name__ == "__main__":
    main()
