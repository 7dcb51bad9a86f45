#!/usr/bin/env python3
"""The clustering benchmark's SciPy side: pdist + linkage of WORKDIR/points.npy for average, ward
and single linkage (Euclidean), each the median of REPEATS runs; saves each Z as
WORKDIR/scipy-<method>.npy for the Swift side to compare against. Prints one JSON object.

Usage: python3 Benchmarks/scipy_linkage.py WORKDIR REPEATS   (needs: pip install numpy scipy)
"""
import json
import statistics
import sys
import time

import numpy as np
import scipy
from scipy.cluster.hierarchy import linkage
from scipy.spatial.distance import pdist

work, repeats = sys.argv[1], int(sys.argv[2])
x = np.load(f"{work}/points.npy")
result = {"scipy": scipy.__version__, "rows": x.shape[0], "dimension": x.shape[1]}
pdist_times = []
for method in ["average", "ward", "single"]:
    times, linkage_times = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        y = pdist(x, "euclidean")
        middle = time.perf_counter()
        z = linkage(y, method)
        end = time.perf_counter()
        pdist_times.append(middle - start)
        linkage_times.append(end - middle)
        times.append(end - start)
    np.save(f"{work}/scipy-{method}.npy", z)
    result[method] = {"seconds": statistics.median(times), "linkage_seconds": statistics.median(linkage_times)}
result["pdist_seconds"] = statistics.median(pdist_times)
print(json.dumps(result))
