#!/usr/bin/env python3
"""Regenerate the PyTorch oracle for Tests/NeuralCoreTests (pip install torch numpy).

For each Conv1d setting it draws an input, weights and an output-gradient R with a fixed seed,
runs torch.nn.functional.conv1d, back-propagates L = sum(output * R), and saves - time-major,
as the Swift core stores sequences - input [B, T, C], weight [out, in, k] (PyTorch's layout),
bias, R, output [B, T', out] and the gradients of input, weight and bias as .npy files plus a
manifest.json. The tests need no Python.
"""
import json
import os

import numpy as np
import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "NeuralCoreTests", "Fixtures")
CASES = [
    dict(name="speechless_layer1_like", batch=2, length=40, cin=16, cout=8, kernel=48, stride=2, padding=23, dilation=1),
    dict(name="same_k7", batch=1, length=25, cin=10, cout=12, kernel=7, stride=1, padding=3, dilation=1),
    dict(name="dilated", batch=3, length=30, cin=5, cout=6, kernel=3, stride=2, padding=1, dilation=3),
    dict(name="pointwise", batch=2, length=9, cin=20, cout=7, kernel=1, stride=1, padding=0, dilation=1),
]


def main():
    os.makedirs(ROOT, exist_ok=True)
    torch.manual_seed(0)
    manifest = []
    for case in CASES:
        x = torch.randn(case["batch"], case["cin"], case["length"], dtype=torch.float32, requires_grad=True)
        w = (0.2 * torch.randn(case["cout"], case["cin"], case["kernel"])).requires_grad_()
        b = (0.1 * torch.randn(case["cout"])).requires_grad_()
        y = torch.nn.functional.conv1d(x, w, b, stride=case["stride"], padding=case["padding"], dilation=case["dilation"])
        r = torch.randn_like(y)
        (y * r).sum().backward()
        arrays = dict(
            input=x.detach().permute(0, 2, 1), weight=w.detach(), bias=b.detach(), output_gradient=r.permute(0, 2, 1),
            output=y.detach().permute(0, 2, 1), input_gradient=x.grad.permute(0, 2, 1), weight_gradient=w.grad,
            bias_gradient=b.grad)
        files = {}
        for key, tensor in arrays.items():
            files[key] = f"{case['name']}_{key}.npy"
            np.save(os.path.join(ROOT, files[key]), np.ascontiguousarray(tensor.numpy().astype(np.float32)))
        manifest.append(dict(case, files=files))
    with open(os.path.join(ROOT, "manifest.json"), "w") as f:
        json.dump(dict(torch=torch.__version__, conv1d=manifest), f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
