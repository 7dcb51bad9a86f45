#!/usr/bin/env python3
"""Write the NumPy-made .npy fixtures of Tests/PhonoscopeIOTests (pip install numpy)."""
import os

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "PhonoscopeIOTests", "Fixtures")
os.makedirs(ROOT, exist_ok=True)
np.save(os.path.join(ROOT, "f32_2x3.npy"), np.arange(6, dtype="<f4").reshape(2, 3))
np.save(os.path.join(ROOT, "f64_3.npy"), np.array([1.5, -2, 3], dtype="<f8"))
np.save(os.path.join(ROOT, "i64_3.npy"), np.array([1, -2, 3], dtype="<i8"))
np.save(os.path.join(ROOT, "i32_3.npy"), np.array([1, -2, 3], dtype="<i4"))
np.save(os.path.join(ROOT, "f32_fortran_2x3.npy"), np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)))
