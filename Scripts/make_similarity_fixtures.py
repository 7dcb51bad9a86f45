"""Fixtures for Introspection's RepresentationSimilarity: Spearman (scipy.stats.spearmanr, ties
included), Pearson and linear CKA (Kornblith et al. 2019, the feature-space formula
||Y^T X||_F^2 / (||X^T X||_F ||Y^T Y||_F) on column-centred matrices) on small random data.

Usage: python3 Scripts/make_similarity_fixtures.py   (needs numpy, scipy)
Writes Tests/IntrospectionTests/Fixtures/similarity.json.
"""
import json
import os

import numpy as np
from scipy import stats

rng = np.random.default_rng(2026)
cases = []
for n, p, q in [(5, 3, 4), (12, 7, 2), (30, 10, 20)]:
    x = rng.standard_normal((n, p))
    y = x @ rng.standard_normal((p, q)) + 0.5 * rng.standard_normal((n, q))
    xc = x - x.mean(0)
    yc = y - y.mean(0)
    cka = np.linalg.norm(yc.T @ xc) ** 2 / (np.linalg.norm(xc.T @ xc) * np.linalg.norm(yc.T @ yc))
    a = rng.integers(0, 5, size=n).astype(float)  # many ties
    b = a + rng.integers(0, 3, size=n)
    cases.append({
        "n": n, "p": p, "q": q, "x": x.ravel().tolist(), "y": y.ravel().tolist(), "cka": float(cka),
        "a": a.tolist(), "b": b.tolist(),
        "spearman": float(stats.spearmanr(a, b).statistic),
        "pearson": float(stats.pearsonr(a, b).statistic),
        "ranks": stats.rankdata(a).tolist(),
    })
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "..", "Tests", "IntrospectionTests", "Fixtures", "similarity.json"), "w") as f:
    json.dump({"scipy": __import__("scipy").__version__, "cases": cases}, f)
