#!/usr/bin/env python3
"""Regenerate the safetensors and optimiser oracles for Tests/NeuralCoreTests.

Needs: pip install numpy torch safetensors. The Swift tests need no Python.

safetensors/ (the Python `safetensors` library as the oracle):
  tensors_f32.safetensors  - a scalar, 1-D, 2-D, 3-D, an empty [0, 3] tensor and an "edge" tensor of
                             float16 rounding cases, saved as F32 with one metadata key;
  tensors_f16.safetensors  - the same float32 values cast with numpy's astype(float16) (round to
                             nearest even, overflow to +-inf) and saved as F16, one metadata key;
  mixed.safetensors        - BF16, F64, F32 and F16 tensors (via safetensors.torch) and four metadata keys;
  <file>__<tensor>.npy     - the exact values each tensor holds, as float32 (BF16 and F16 widen
                             exactly; F64 is rounded to nearest by numpy);
  source__<tensor>.npy     - the float32 originals, which Swift encodes to compare bytes;
  manifest.json            - per file: its metadata and tensor -> .npy file.
  Only one metadata key goes into the byte-compared files: the library keeps metadata in a Rust
  HashMap, so with two or more keys its own output order changes from run to run.

optim/ (torch.optim and torch.nn.utils as the oracle, single-tensor code paths, foreach=False):
  two parameters "layer.weight" [3, 4] and "layer.bias" [5] with fixed initial values and a fixed
  gradient per step; for each case the values after every one of 5 steps. Cases: SGD (lr 0.1,
  momentum 0.9, weight decay 1e-3) with and without Nesterov, Adam (lr 1e-2, weight decay 1e-2),
  Adam with its defaults (lr 1e-3), and clip_grad_norm_ once clipping (max_norm 1) and once not
  (max_norm 100): gradients after clipping and the returned total norm.
"""
import json
import os

import numpy as np
import safetensors
import torch
from safetensors.numpy import save_file as save_numpy
from safetensors.torch import save_file as save_torch

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "NeuralCoreTests", "Fixtures")
SAFETENSORS = os.path.join(FIXTURES, "safetensors")
OPTIM = os.path.join(FIXTURES, "optim")

# Float16 edge cases: exact values, ties that round to even (1 + 2^-11 -> 1, 1 + 3 * 2^-11 -> 1 + 2^-9),
# the largest finite half and values that round to it or overflow to +-inf, subnormals, underflow to 0
# (2^-25 is the tie between 0 and the smallest subnormal 2^-24), -0 and infinities.
EDGE = [0.0, -0.0, 1.0, -2.5, 0.1, -3.14159265, 1 + 2**-11, 1 + 3 * 2**-11, 65504.0, 65519.0, 65520.0, 1e6, -1e6,
        6e-8, 2**-24, 2**-25, 2**-25 * 1.0001, 1e-9, 6.1e-5, float("inf"), float("-inf")]


def npy(directory, name, array):
    np.save(os.path.join(directory, name), np.array(array, order="C"))  # ascontiguousarray would make 0-d 1-d
    return name


def make_safetensors():
    os.makedirs(SAFETENSORS, exist_ok=True)
    rng = np.random.default_rng(0)
    source = {
        "encoder.conv1.weight": (0.3 * rng.standard_normal((4, 3, 5))).astype(np.float32),
        "encoder.conv1.bias": (0.1 * rng.standard_normal(4)).astype(np.float32),
        "head.weight": rng.standard_normal((2, 6)).astype(np.float32),
        "scale": np.array(0.125, dtype=np.float32),
        "empty": np.zeros((0, 3), dtype=np.float32),
        "edge": np.array(EDGE, dtype=np.float32),
    }
    manifest = {"safetensors": safetensors.__version__, "numpy": np.__version__, "torch": torch.__version__,
                "source": {name: npy(SAFETENSORS, f"source__{name}.npy", value) for name, value in source.items()},
                "files": {}}

    def record(file, metadata, tensors):
        manifest["files"][file] = {
            "metadata": metadata,
            "tensors": {name: npy(SAFETENSORS, f"{file.split('.')[0]}__{name}.npy", value)
                        for name, value in tensors.items()}}

    # One metadata key, with characters JSON must escape (quote, backslash, controls) and non-ASCII.
    note = {"note": "Phonoscope fixture: \"quoted\", back\\slash, tab\t, newline\n, bell\x07, caf\u00e9, \u97f3/"}
    save_numpy(source, os.path.join(SAFETENSORS, "tensors_f32.safetensors"), metadata=note)
    record("tensors_f32.safetensors", note, source)

    with np.errstate(over="ignore"):
        halves = {name: value.astype(np.float16) for name, value in source.items()}
    f16_metadata = {"dtype": "float16"}
    save_numpy(halves, os.path.join(SAFETENSORS, "tensors_f16.safetensors"), metadata=f16_metadata)
    record("tensors_f16.safetensors", f16_metadata, {k: v.astype(np.float32) for k, v in halves.items()})

    generator = torch.Generator().manual_seed(1)
    mixed = {
        "bf16.weight": torch.randn(3, 4, generator=generator).to(torch.bfloat16),
        "f64.values": (torch.randn(7, generator=generator, dtype=torch.float64) * 1e3),
        "f32.values": torch.randn(2, 2, generator=generator),
        "f16.values": torch.randn(5, generator=generator).to(torch.float16),
    }
    mixed_metadata = {"format": "pt", "model": "tiny", "epoch": "3", "note": "four keys, any order"}
    save_torch(mixed, os.path.join(SAFETENSORS, "mixed.safetensors"), metadata=mixed_metadata)
    record("mixed.safetensors", mixed_metadata, {k: v.to(torch.float32).numpy() for k, v in mixed.items()})

    with open(os.path.join(SAFETENSORS, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")


OPTIMIZER_CASES = [
    dict(name="sgd_momentum", kind="sgd", options=dict(lr=0.1, momentum=0.9, weight_decay=1e-3, nesterov=False)),
    dict(name="sgd_nesterov", kind="sgd", options=dict(lr=0.1, momentum=0.9, weight_decay=1e-3, nesterov=True)),
    dict(name="adam", kind="adam", options=dict(lr=1e-2, weight_decay=1e-2)),
    dict(name="adam_defaults", kind="adam", options=dict(lr=1e-3)),
]
STEPS = 5


def make_optim():
    os.makedirs(OPTIM, exist_ok=True)
    torch.manual_seed(2)
    names = ["layer.weight", "layer.bias"]
    initial = [torch.randn(3, 4), 0.5 * torch.randn(5)]
    gradients = [[torch.randn(3, 4), 2 * torch.randn(5)] for _ in range(STEPS)]
    manifest = {"torch": torch.__version__, "steps": STEPS, "parameters": names,
                "initial": [npy(OPTIM, f"initial_{i}.npy", t.numpy()) for i, t in enumerate(initial)],
                "gradients": [[npy(OPTIM, f"gradient_step{s}_{i}.npy", t.numpy()) for i, t in enumerate(step)]
                              for s, step in enumerate(gradients)],
                "optimizers": [], "clipping": []}
    for case in OPTIMIZER_CASES:
        parameters = [torch.nn.Parameter(t.clone()) for t in initial]
        if case["kind"] == "sgd":
            optimizer = torch.optim.SGD(parameters, foreach=False, **case["options"])
        else:
            optimizer = torch.optim.Adam(parameters, foreach=False, **case["options"])
        results = []
        for s in range(STEPS):
            for p, g in zip(parameters, gradients[s]):
                p.grad = g.clone()
            optimizer.step()
            results.append([npy(OPTIM, f"{case['name']}_step{s}_{i}.npy", p.detach().numpy())
                            for i, p in enumerate(parameters)])
        manifest["optimizers"].append(dict(case, results=results))
    for name, max_norm in [("clip_scaled", 1.0), ("clip_unchanged", 100.0)]:
        parameters = [torch.nn.Parameter(t.clone()) for t in initial]
        for p, g in zip(parameters, gradients[0]):
            p.grad = g.clone()
        norm = torch.nn.utils.clip_grad_norm_(parameters, max_norm, foreach=False)
        manifest["clipping"].append(dict(
            name=name, max_norm=max_norm, norm=npy(OPTIM, f"{name}_norm.npy", norm.numpy()),
            gradients=[npy(OPTIM, f"{name}_gradient_{i}.npy", p.grad.numpy()) for i, p in enumerate(parameters)]))
    with open(os.path.join(OPTIM, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    make_safetensors()
    make_optim()
