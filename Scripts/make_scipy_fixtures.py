#!/usr/bin/env python3
"""Writes the oracle fixtures of Tests/ClusteringTests from SciPy and scikit-learn.

Usage: python3 Scripts/make_scipy_fixtures.py   (needs: pip install numpy scipy scikit-learn)

For several small random data sets (n = 2, 3, 7, 20, 30, 120; d = 1, 5, 40; one with duplicate
rows, one of small integers with many ties) and every metric x method SciPy allows, it records
pdist, linkage Z, the optimal-ordering leaf order, the cophenetic correlation, fcluster maxclust
labels and silhouettes; separately, adjusted Rand indices and purities of label pairs, and the
Newick string of one tree with IPA labels. The data are rounded to a few decimals so that the
JSON stays small (the rounded numbers are the data; nothing is lost).
Tests never run Python: they read Tests/ClusteringTests/Fixtures/*.json.
"""
import json
import os

import numpy as np
import scipy
import sklearn
from scipy.cluster.hierarchy import cophenet, fcluster, leaves_list, linkage, optimal_leaf_ordering, to_tree
from scipy.spatial.distance import pdist
from sklearn.metrics import adjusted_rand_score, silhouette_score

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ClusteringTests", "Fixtures")
METHODS = ["single", "complete", "average", "weighted", "centroid", "median", "ward"]
EUCLIDEAN_ONLY = {"centroid", "median", "ward"}


def datasets():
    rng = np.random.default_rng(20240611)
    sets = []

    def add(name, x, metrics=("euclidean", "cosine", "correlation")):
        sets.append((name, np.asarray(x, dtype=np.float64), metrics))

    add("n2_d1", np.round(rng.standard_normal((2, 1)), 6), ("euclidean",))
    add("n30_d1", np.round(rng.standard_normal((30, 1)), 6), ("euclidean",))
    add("n3_d5", np.round(rng.standard_normal((3, 5)), 6))
    add("n7_d5", np.round(rng.standard_normal((7, 5)), 6))
    add("n30_d40", np.round(rng.standard_normal((30, 40)), 4))
    add("n120_d5", np.round(rng.standard_normal((120, 5)), 5))
    base = np.round(rng.standard_normal((14, 5)), 3)
    dup = np.concatenate([base, base[rng.integers(0, 14, 6)]])
    add("n20_d5_duplicates", dup[rng.permutation(20)])
    ints = rng.integers(-2, 3, (60, 5)).astype(np.float64)
    ints = ints[np.ptp(ints, axis=1) > 0][:20]  # no zero and no constant rows: SciPy gives NaN there
    add("n20_d5_integers", ints)
    return sets


def has_ties(values, tolerance=1e-9):
    v = np.sort(np.asarray(values, dtype=np.float64))
    if len(v) < 2:
        return False
    scale = np.maximum(np.abs(v[1:]), 1e-300)
    return bool(np.any((v[1:] - v[:-1]) <= tolerance * scale))


def z_rows(z):
    return [[int(r[0]), int(r[1]), float(r[2]), int(r[3])] for r in z]


def linkage_case(x, metric, method, y):
    n = len(x)
    z = linkage(x, method=method, metric=metric)
    assert np.allclose(z, linkage(y, method=method))
    tied = has_ties(y) or has_ties(z[:, 2])
    c, coph = cophenet(z, y)
    case = {"method": method, "Z": z_rows(z), "tied": tied, "copheneticCorrelation": None if np.isnan(c) else float(c)}
    if tied:
        # The cophenetic matrix as indices into the sorted distinct heights, which keeps it small.
        levels = sorted(set(float(h) for h in z[:, 2]))
        case["copheneticLevels"] = levels
        case["copheneticIndex"] = [levels.index(float(v)) for v in coph]
    else:
        case["optimalLeaves"] = [int(i) for i in leaves_list(optimal_leaf_ordering(z, y))]
        zo = linkage(x, method=method, metric=metric, optimal_ordering=True)
        assert list(leaves_list(zo)) == case["optimalLeaves"]
        # Rows whose two children optimal ordering swapped (the rest of Z is unchanged).
        assert np.array_equal(zo[:, 2:], z[:, 2:])
        case["optimalSwapped"] = [i for i in range(n - 1) if zo[i, 0] != z[i, 0]]
        assert all(zo[i, 0] == z[i, 1] and zo[i, 1] == z[i, 0] for i in case["optimalSwapped"])
    ks = range(1, n + 2) if n <= 7 else range(2, 6)
    case["maxclust"] = {str(k): [int(v) for v in fcluster(z, k, criterion="maxclust")] for k in ks}
    sil = {}
    for k, labels in case["maxclust"].items():
        count = len(set(labels))
        if 2 <= count <= n - 1:
            sil[k] = float(silhouette_score(squareform(y), labels, metric="precomputed"))
    case["silhouette"] = sil
    case["leaves"] = [int(i) for i in leaves_list(z)]
    return case


def squareform(y):
    from scipy.spatial.distance import squareform as sf

    return sf(y)


def newick(z, labels):
    root = to_tree(z)

    def text(node, parent_height):
        length = parent_height - node.dist
        if node.is_leaf():
            body = quoted(labels[node.id])
        else:
            body = "(" + text(node.left, node.dist) + "," + text(node.right, node.dist) + ")"
        return body if parent_height is None else f"{body}:{float(length)!r}"

    def quoted(label):
        if any(ch in label for ch in "()[]':;,_") or any(ch.isspace() for ch in label) or label == "":
            return "'" + label.replace("'", "''") + "'"
        return label

    def top(node):
        if node.is_leaf():
            return quoted(labels[node.id])
        return "(" + text(node.left, node.dist) + "," + text(node.right, node.dist) + ")"

    return top(root) + ";"


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(7)
    cases = []
    for name, x, metrics in datasets():
        entry = {"name": name, "rows": int(x.shape[0]), "dimension": int(x.shape[1]), "data": x.ravel().tolist(),
                 "metrics": []}
        for metric in metrics:
            y = pdist(x, metric)
            assert np.all(np.isfinite(y)), (name, metric)
            m = {"metric": metric, "linkages": []}
            if len(y) <= 500:
                m["distances"] = y.tolist()
            else:
                idx = sorted(rng.choice(len(y), 60, replace=False).tolist())
                m["distanceSample"] = [[int(i), float(y[i])] for i in idx]
            for method in METHODS:
                if method in EUCLIDEAN_ONLY and metric != "euclidean":
                    continue
                m["linkages"].append(linkage_case(x, metric, method, y))
            entry["metrics"].append(m)
        cases.append(entry)

    scores = []
    for n, ka, kb in [(10, 3, 3), (25, 4, 2), (40, 5, 5), (40, 1, 3), (12, 12, 2), (30, 3, 30)]:
        a = rng.integers(0, ka, n).tolist()
        b = rng.integers(0, kb, n).tolist() if kb < n else list(range(n))
        cont = {}
        for p, t in zip(a, b):
            cont[(p, t)] = cont.get((p, t), 0) + 1
        purity = sum(max(v for (p, t), v in cont.items() if p == q) for q in set(a)) / n
        scores.append({"a": a, "b": b, "ari": float(adjusted_rand_score(b, a)), "purity": float(purity)})
    # Silhouettes with singleton clusters and with exact zero distances.
    sil = []
    for n, k in [(9, 3), (12, 5), (15, 12)]:
        x = np.round(rng.standard_normal((n, 3)), 3)
        x[1] = x[0]
        labels = rng.integers(0, k, n)
        labels[: k] = np.arange(k)
        labels[-1] = k  # a singleton
        y = pdist(x)
        sil.append({"rows": n, "distances": y.tolist(), "labels": labels.tolist(),
                    "silhouette": float(silhouette_score(squareform(y), labels, metric="precomputed"))})

    x = np.round(rng.standard_normal((7, 3)), 3)
    z = linkage(x, "average")
    labels = ["ʃ", "aɪ", "t͡s", "ŋ", "a b", "it's", "x_y"]
    tree = {"data": x.ravel().tolist(), "rows": 7, "dimension": 3, "labels": labels, "newick": newick(z, labels)}
    try:
        import io

        from Bio import Phylo

        parsed = Phylo.read(io.StringIO(tree["newick"]), "newick")
        names = sorted(t.name for t in parsed.get_terminals())
        assert names == sorted(labels), names
        depths = parsed.depths()
        for t in parsed.get_terminals():
            assert abs(depths[t] - z[-1, 2]) < 1e-9, (t.name, depths[t])
        tree["checkedWithBiopython"] = True
    except ImportError:
        tree["checkedWithBiopython"] = False

    meta = {"generator": "Scripts/make_scipy_fixtures.py", "numpy": np.__version__, "scipy": scipy.__version__,
            "sklearn": sklearn.__version__}
    for file, content in [("linkage.json", {"meta": meta, "datasets": cases}),
                          ("scores.json", {"meta": meta, "pairs": scores, "silhouettes": sil, "tree": tree})]:
        with open(os.path.join(OUT, file), "w") as f:
            json.dump(content, f, separators=(",", ":"), ensure_ascii=False)
            f.write("\n")
        print(file, os.path.getsize(os.path.join(OUT, file)), "bytes")


if __name__ == "__main__":
    main()
