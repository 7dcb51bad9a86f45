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


def save(name, key, tensor):
    file = f"{name}_{key}.npy"
    np.save(os.path.join(ROOT, file), np.ascontiguousarray(tensor.detach().numpy().astype(np.float32)))
    return file


def other_layers():
    """Conv2d, Linear, pools and (log-)softmax: channels-last images [B, H, W, C] on our side."""
    torch.manual_seed(1)
    out = []

    def record(name, kind, x, fn, params, options, to_ours=lambda t: t, from_ours=lambda t: t):
        x = x.clone().requires_grad_()
        y = fn(x)
        r = torch.randn_like(y)
        (y * r).sum().backward()
        files = dict(input=save(name, "input", to_ours(x)), output=save(name, "output", to_ours(y)),
                     output_gradient=save(name, "output_gradient", to_ours(r)),
                     input_gradient=save(name, "input_gradient", to_ours(x.grad)))
        for key, p in params.items():
            files[key] = save(name, key, p)
            files[key + "_gradient"] = save(name, key + "_gradient", p.grad)
        out.append(dict(name=name, kind=kind, options=options, files=files))

    nhwc = lambda t: t.permute(0, 2, 3, 1)
    w = (0.3 * torch.randn(4, 3, 3, 2)).requires_grad_()
    b = (0.1 * torch.randn(4)).requires_grad_()
    record("conv2d", "conv2d", torch.randn(2, 3, 7, 6),
           lambda x: torch.nn.functional.conv2d(x, w, b, stride=(2, 1), padding=(1, 0)),
           dict(weight=w, bias=b), dict(kernel=[3, 2], stride=[2, 1], padding=[1, 0], cin=3, cout=4), nhwc)
    lw = (0.3 * torch.randn(5, 8)).requires_grad_()
    lb = (0.1 * torch.randn(5)).requires_grad_()
    record("linear", "linear", torch.randn(3, 4, 8), lambda x: torch.nn.functional.linear(x, lw, lb),
           dict(weight=lw, bias=lb), dict(cin=8, cout=5))
    record("maxpool2d", "maxpool2d", torch.randn(2, 3, 6, 7), lambda x: torch.nn.functional.max_pool2d(x, (2, 3), (2, 2)),
           {}, dict(kernel=[2, 3], stride=[2, 2]), nhwc)
    record("avgpool2d", "avgpool2d", torch.randn(1, 2, 5, 5), lambda x: torch.nn.functional.avg_pool2d(x, (3, 2), (1, 2)),
           {}, dict(kernel=[3, 2], stride=[1, 2]), nhwc)
    record("log_softmax", "log_softmax", 5 * torch.randn(3, 4, 29), lambda x: torch.nn.functional.log_softmax(x, -1),
           {}, {})
    record("softmax", "softmax", 3 * torch.randn(6, 10), lambda x: torch.nn.functional.softmax(x, -1), {}, {})
    return out


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
        json.dump(dict(torch=torch.__version__, conv1d=manifest, layers=other_layers()), f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
