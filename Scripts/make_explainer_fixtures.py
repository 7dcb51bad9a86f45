#!/usr/bin/env python3
"""Captum oracles for the explainer tests (Tests/ExplainersTests/Fixtures).

Trains a fixed small CNN on the train split of Corpora/images/digits (run
Scripts/make_digits_data.py first), rounds its weights to float32 and saves them as
model.safetensors, then - with the model in float64 built from exactly those float32 weights -
runs Captum's attribution methods on six cases and saves every result as float32 .npy:

  model.safetensors          conv1/conv2/conv3/fc weight and bias, PyTorch layouts, float32
  inputs.npy                 (6, 1, 8, 8) pixels / 16; cases = images 0..4 (target = label)
                             and image 3 again with target 8
  targets.npy                (6,) int64
  logits.npy                 (6, 10) float64 model's logits, stored as float32
  saliency_abs.npy, saliency.npy, input_x_gradient.npy,
  integrated_gradients_gl.npy, integrated_gradients_trapezoid.npy,
  guided_backprop.npy, deconvolution.npy,
  grad_cam.npy, grad_cam_raw.npy (6, 1, 4, 4), grad_cam_upsampled.npy, guided_grad_cam.npy,
  occlusion_2x2_s1.npy, occlusion_3x3_s2.npy,
  lrp_epsilon.npy, lrp_epsilon_025.npy, lrp_gamma.npy, lrp_alpha1beta0.npy
                             (6, 1, 8, 8) unless noted
  integrated_gradients.json  convergence delta of both IG variants per case
  lrp.json                   per LRP variant and case: rules, sum of input relevance,
                             target logit, Captum's convergence delta
  manifest.json              versions, model, training, cases, files and shapes, and the
                             largest difference between each Captum result and the
                             independent re-implementation in this script (the formulas of
                             README.md), which the script asserts to be tiny

Every method except Captum itself is re-implemented below from the formulas written in the
fixture README; the script fails if Captum and those formulas disagree, so the README is
checked each time the fixtures are made. The training is seeded and runs on one CPU thread;
the oracles depend only on the saved weights.

Run with torch, captum, numpy, safetensors (used: a venv with torch 2.15, captum 0.9,
numpy 2.4, safetensors 0.8, scikit-learn 1.9 for the data script):
    python3 Scripts/make_digits_data.py
    python3 Scripts/make_explainer_fixtures.py
"""
import json
import math
import os
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import captum
from captum.attr import (LRP, Deconvolution, GuidedBackprop, GuidedGradCam, InputXGradient,
                         IntegratedGradients, LayerAttribution, LayerGradCam, Occlusion, Saliency)
from captum.attr._utils.lrp_rules import Alpha1_Beta0_Rule, EpsilonRule, GammaRule
import safetensors
from safetensors.torch import load_file, save_file

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "Corpora", "images", "digits"))
OUT = os.path.normpath(os.path.join(HERE, "..", "Tests", "ExplainersTests", "Fixtures"))

CASE_INDICES = [0, 1, 2, 3, 4, 3]   # dataset image of each case
CASE_TARGET_OVERRIDE = {5: 8}       # case 5: image 3 (a "3") explained for class 8
EPOCHS, BATCH, LR = 30, 64, 1e-2
IG_STEPS = 32


class DigitsCNN(nn.Module):
    """The fixture model; module names are shared with the Swift side."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.relu2 = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.conv3 = nn.Conv2d(16, 32, 3, padding=1)
        self.relu3 = nn.ReLU()
        self.gap = nn.AvgPool2d(4)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = self.relu1(self.conv1(x))
        x = self.relu2(self.conv2(x))
        x = self.pool(x)
        x = self.relu3(self.conv3(x))
        x = self.gap(x)
        # A functional flatten, not nn.Flatten: Captum's LRP needs a rule for every leaf
        # module and has none for nn.Flatten.
        return self.fc(x.flatten(1))


PARAM_KEYS = ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "conv3.weight", "conv3.bias",
              "fc.weight", "fc.bias"]


# ----------------------------------------------------------------------------- data, training

def load_data():
    images = np.load(os.path.join(DATA, "images.npy"))
    labels = np.load(os.path.join(DATA, "labels.npy"))
    split = np.load(os.path.join(DATA, "split.npy"))
    assert images.shape == (1797, 8, 8) and labels.shape == (1797,) and split.shape == (1797,)
    return images, labels, split


def train(images, labels, split):
    torch.manual_seed(0)
    model = DigitsCNN()
    x = torch.from_numpy(images[split == 0].astype(np.float32) / 16.0).unsqueeze(1)
    y = torch.from_numpy(labels[split == 0].astype(np.int64))
    optimiser = torch.optim.Adam(model.parameters(), lr=LR)
    generator = torch.Generator().manual_seed(0)
    history = []
    for epoch in range(EPOCHS):
        order = torch.randperm(x.shape[0], generator=generator)
        total = 0.0
        for start in range(0, x.shape[0], BATCH):
            batch = order[start:start + BATCH]
            optimiser.zero_grad()
            loss = F.cross_entropy(model(x[batch]), y[batch])
            loss.backward()
            optimiser.step()
            total += loss.item() * batch.numel()
        history.append(total / x.shape[0])
    return model, history


def accuracy(model, images, labels, mask):
    with torch.no_grad():
        x = torch.from_numpy(images[mask].astype(np.float64) / 16.0).unsqueeze(1)
        predicted = model(x).argmax(1).numpy()
    return float((predicted == labels[mask]).mean())


# ----------------------------------------------------------------------------- references
# Independent re-implementations of what Captum computes (see README.md). They use plain
# autograd or numpy, never Captum's hooks.

def weights(model):
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def target_gradient(model, x, targets):
    x = x.clone().requires_grad_()
    out = model(x)
    (grad,) = torch.autograd.grad(out[torch.arange(x.shape[0]), targets].sum(), x)
    return grad


def forward_steps(w):
    """The model as a list of (name, kind, f(a, weight, bias)) on float64 tensors."""
    conv = lambda a, W, b: F.conv2d(a, W, b, padding=1)
    return [
        ("conv1", "linear", conv), ("relu1", "relu", None),
        ("conv2", "linear", conv), ("relu2", "relu", None),
        ("pool", "linear", lambda a, W, b: F.max_pool2d(a, 2)),
        ("conv3", "linear", conv), ("relu3", "relu", None),
        ("gap", "linear", lambda a, W, b: F.avg_pool2d(a, 4)),
        ("flatten", "flatten", None),
        ("fc", "linear", lambda a, W, b: F.linear(a, W, b)),
    ]


def lrp_reference(w, x, targets, rules, layer_sums=None):
    """LRP by the README formulas. rules: layer name -> (kind, parameter, eps). If layer_sums is
    a dict, it receives per case the total relevance at the input of each layer."""
    steps = forward_steps(w)
    inputs, a = [], x
    for name, kind, f in steps:
        inputs.append(a)
        if kind == "relu":
            a = torch.relu(a)
        elif kind == "flatten":
            a = a.flatten(1)
        else:
            a = f(a, w.get(name + ".weight"), w.get(name + ".bias"))
    y = a
    n = torch.arange(x.shape[0])
    relevance = torch.zeros_like(y)
    relevance[n, targets] = y[n, targets]
    for (name, kind, f), a_in in zip(reversed(steps), reversed(inputs)):
        if kind == "relu":
            continue                        # relevance passes a ReLU unchanged
        if kind == "flatten":
            relevance = relevance.reshape(a_in.shape)
            continue
        rule, parameter, eps = rules[name]
        W, b = w.get(name + ".weight"), w.get(name + ".bias")
        if W is not None and rule == "gamma":
            W = W + parameter * W.clamp(min=0)
        elif W is not None and rule == "alpha1beta0":
            W = W.clamp(min=0)
        a_in = a_in.clone().requires_grad_()
        z = f(a_in, W, b)                   # bias included
        sign = torch.sign(z)
        sign[sign == 0] = 1
        s = (relevance / (z + eps * sign)).detach()
        (c,) = torch.autograd.grad((z * s).sum(), a_in)
        relevance = (a_in * c).detach()
        if layer_sums is not None:
            layer_sums[name] = [float(v) for v in relevance.flatten(1).sum(1)]
    return relevance


class _ModifiedReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, z, mode):
        ctx.save_for_backward(z)
        ctx.mode = mode
        return z.clamp(min=0)

    @staticmethod
    def backward(ctx, g):
        (z,) = ctx.saved_tensors
        if ctx.mode == "guided":
            return torch.relu(g * (z > 0).to(g.dtype)), None
        return torch.relu(g), None        # deconvolution


def modified_relu_gradient(w, x, targets, mode):
    x = x.clone().requires_grad_()
    r = lambda z: _ModifiedReLU.apply(z, mode)
    a = r(F.conv2d(x, w["conv1.weight"], w["conv1.bias"], padding=1))
    a = r(F.conv2d(a, w["conv2.weight"], w["conv2.bias"], padding=1))
    a = F.max_pool2d(a, 2)
    a = r(F.conv2d(a, w["conv3.weight"], w["conv3.bias"], padding=1))
    y = F.linear(F.avg_pool2d(a, 4).flatten(1), w["fc.weight"], w["fc.bias"])
    (g,) = torch.autograd.grad(y[torch.arange(x.shape[0]), targets].sum(), x)
    return g


def relu3_activation(w, x):
    a = torch.relu(F.conv2d(x, w["conv1.weight"], w["conv1.bias"], padding=1))
    a = torch.relu(F.conv2d(a, w["conv2.weight"], w["conv2.bias"], padding=1))
    a = F.max_pool2d(a, 2)
    return torch.relu(F.conv2d(a, w["conv3.weight"], w["conv3.bias"], padding=1))


def grad_cam_reference(w, x, targets, relu):
    A = relu3_activation(w, x)                                   # (N, 32, 4, 4)
    # d y_t / d A[k, i, j] = fc.weight[t, k] / 16 at every position (AvgPool2d(4), then fc)
    alpha = w["fc.weight"][targets] / 16.0                       # (N, 32) = spatial mean of it
    cam = (alpha[:, :, None, None] * A).sum(1, keepdim=True)
    return cam.clamp(min=0) if relu else cam


def bilinear_reference(cam, size):
    """F.interpolate(mode="bilinear", align_corners=False) written out, numpy float64."""
    cam = np.asarray(cam, dtype=np.float64)
    n, c, h, w_in = cam.shape
    out_h, out_w = size

    def taps(out_len, in_len):
        scale = in_len / out_len
        rows = []
        for i in range(out_len):
            src = max(scale * (i + 0.5) - 0.5, 0.0)
            i0 = min(int(math.floor(src)), in_len - 1)
            i1 = min(i0 + 1, in_len - 1)
            rows.append((i0, i1, src - i0))
        return rows

    out = np.zeros((n, c, out_h, out_w))
    for i, (r0, r1, ly) in enumerate(taps(out_h, h)):
        for j, (c0, c1, lx) in enumerate(taps(out_w, w_in)):
            out[:, :, i, j] = ((1 - ly) * ((1 - lx) * cam[:, :, r0, c0] + lx * cam[:, :, r0, c1])
                               + ly * ((1 - lx) * cam[:, :, r1, c0] + lx * cam[:, :, r1, c1]))
    return out


def nearest_reference(cam, size):
    """F.interpolate(mode="nearest"): source index floor(i * in / out)."""
    cam = np.asarray(cam, dtype=np.float64)
    rows = [int(math.floor(i * cam.shape[2] / size[0])) for i in range(size[0])]
    cols = [int(math.floor(j * cam.shape[3] / size[1])) for j in range(size[1])]
    return cam[:, :, rows][:, :, :, cols]


def occlusion_reference(model, x, targets, window, stride):
    """Sum over windows of (f(x) - f(x with window set to 0)), divided per pixel by the number
    of windows covering it. Window starts 0, s, 2s, ... (ceil((D - k) / s) + 1 of them per
    axis); the last one may run past the border and is cut there."""
    n = torch.arange(x.shape[0])
    with torch.no_grad():
        base = model(x)[n, targets]
        total = torch.zeros_like(x)
        count = torch.zeros_like(x)
        H, W = x.shape[2:]
        starts = lambda D, k, s: [i * s for i in range(int(math.ceil((D - k) / s)) + 1)]
        for r in starts(H, window, stride):
            for c in starts(W, window, stride):
                mask = torch.zeros_like(x)
                mask[:, :, r:r + window, c:c + window] = 1
                diff = base - model(x * (1 - mask))[n, targets]
                total += diff[:, None, None, None] * mask
                count += mask
    return total / count


def integrated_gradients_reference(model, x, targets, method, round_weights=True, float32_alphas=True):
    if method == "gausslegendre":
        nodes, gl_weights = np.polynomial.legendre.leggauss(IG_STEPS)
        alphas = 0.5 * (1 + nodes)
        steps = 0.5 * gl_weights
    else:                                     # riemann_trapezoid
        if float32_alphas:                    # Captum: torch.linspace in float32, then .tolist()
            alphas = torch.linspace(0, 1, IG_STEPS).numpy().astype(np.float64)
        else:
            alphas = np.arange(IG_STEPS) / (IG_STEPS - 1)
        steps = np.full(IG_STEPS, 1.0 / IG_STEPS)
        steps[0] /= 2
        steps[-1] /= 2
    if round_weights:                         # Captum multiplies by torch.tensor(steps).float()
        steps = steps.astype(np.float32).astype(np.float64)
    total = torch.zeros_like(x)
    for alpha, step in zip(alphas, steps):
        total += step * target_gradient(model, float(alpha) * x, targets)
    return total * x


# ----------------------------------------------------------------------------- Captum runs

def set_rules(model, assignment):
    for name, rule in assignment.items():
        setattr(getattr(model, name), "rule", rule)


LRP_VARIANTS = {
    "lrp_epsilon": dict(
        describe="Captum defaults: no rule set, so every Conv2d, MaxPool2d, AvgPool2d and Linear gets "
                 "EpsilonRule() whose epsilon is 1e-9; ReLU has no rule",
        captum=lambda: {},
        reference={n: ("epsilon", None, 1e-9) for n in ["conv1", "conv2", "pool", "conv3", "gap", "fc"]}),
    "lrp_epsilon_025": dict(
        describe="EpsilonRule(epsilon=0.25) on conv1, conv2, pool, conv3, gap and fc",
        captum=lambda: {n: EpsilonRule(epsilon=0.25) for n in ["conv1", "conv2", "pool", "conv3", "gap", "fc"]},
        reference={n: ("epsilon", None, 0.25) for n in ["conv1", "conv2", "pool", "conv3", "gap", "fc"]}),
    "lrp_gamma": dict(
        describe="GammaRule(gamma=0.25) on conv1, conv2, conv3 (set_bias_to_zero=False, stabiliser 1e-9); "
                 "EpsilonRule(epsilon=0.25) on fc; pool and gap default EpsilonRule() (1e-9)",
        captum=lambda: {"conv1": GammaRule(gamma=0.25), "conv2": GammaRule(gamma=0.25),
                        "conv3": GammaRule(gamma=0.25), "fc": EpsilonRule(epsilon=0.25)},
        reference={"conv1": ("gamma", 0.25, 1e-9), "conv2": ("gamma", 0.25, 1e-9),
                   "conv3": ("gamma", 0.25, 1e-9), "fc": ("epsilon", None, 0.25),
                   "pool": ("epsilon", None, 1e-9), "gap": ("epsilon", None, 1e-9)}),
    "lrp_alpha1beta0": dict(
        describe="Alpha1_Beta0_Rule() on conv1, conv2, conv3 and fc (set_bias_to_zero=False, stabiliser "
                 "1e-9); pool and gap default EpsilonRule() (1e-9)",
        captum=lambda: {n: Alpha1_Beta0_Rule() for n in ["conv1", "conv2", "conv3", "fc"]},
        reference={"conv1": ("alpha1beta0", None, 1e-9), "conv2": ("alpha1beta0", None, 1e-9),
                   "conv3": ("alpha1beta0", None, 1e-9), "fc": ("alpha1beta0", None, 1e-9),
                   "pool": ("epsilon", None, 1e-9), "gap": ("epsilon", None, 1e-9)}),
}


def max_diff(a, b):
    a = np.asarray(a.detach() if torch.is_tensor(a) else a, dtype=np.float64)
    b = np.asarray(b.detach() if torch.is_tensor(b) else b, dtype=np.float64)
    assert a.shape == b.shape, (a.shape, b.shape)
    return float(np.abs(a - b).max())


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(1)
    warnings.filterwarnings("ignore", message="Setting backward hooks on ReLU activations")
    warnings.filterwarnings("ignore", message="Input Tensor 0 did not already require gradients")
    images, labels, split = load_data()

    trained, history = train(images, labels, split)
    # float32 weights -> the file; float64 model from exactly those values -> every oracle.
    state = {k: v.detach().to(torch.float32).contiguous() for k, v in trained.state_dict().items()}
    assert list(state) == PARAM_KEYS, list(state)
    save_file(state, os.path.join(OUT, "model.safetensors"))
    model = DigitsCNN().double()
    model.load_state_dict({k: v.double() for k, v in load_file(os.path.join(OUT, "model.safetensors")).items()})
    model.eval()
    w = weights(model)
    acc = {name: accuracy(model, images, labels, split == code)
           for code, name in [(0, "train"), (1, "validation"), (2, "test")]}

    x = torch.from_numpy(np.stack([images[i] for i in CASE_INDICES]).astype(np.float64) / 16.0).unsqueeze(1)
    targets = torch.tensor([CASE_TARGET_OVERRIDE.get(c, int(labels[i])) for c, i in enumerate(CASE_INDICES)],
                           dtype=torch.int64)
    with torch.no_grad():
        logits = model(x)
    n = torch.arange(x.shape[0])
    target_logit = logits[n, targets]

    results, checks = {}, {}

    def check(name, value, tolerance):
        checks[name] = value
        assert value <= tolerance, f"{name}: Captum and the README formula differ by {value}"

    # 1-2. gradients
    grad = target_gradient(model, x, targets)
    results["saliency_abs"] = Saliency(model).attribute(x, target=targets, abs=True)
    results["saliency"] = Saliency(model).attribute(x, target=targets, abs=False)
    results["input_x_gradient"] = InputXGradient(model).attribute(x, target=targets)
    check("saliency_abs", max_diff(results["saliency_abs"], grad.abs()), 1e-13)
    check("saliency", max_diff(results["saliency"], grad), 1e-13)
    check("input_x_gradient", max_diff(results["input_x_gradient"], grad * x), 1e-13)

    # 3. integrated gradients
    ig = IntegratedGradients(model)
    ig_json = {}
    for key, method in [("integrated_gradients_gl", "gausslegendre"),
                        ("integrated_gradients_trapezoid", "riemann_trapezoid")]:
        attr, delta = ig.attribute(x, baselines=0, target=targets, n_steps=IG_STEPS, method=method,
                                   return_convergence_delta=True)
        attr = attr.detach()
        results[key] = attr
        ref = integrated_gradients_reference(model, x, targets, method)
        check(key, max_diff(attr, ref), 1e-12)
        checks[key + "_vs_unrounded_step_sizes"] = max_diff(
            attr, integrated_gradients_reference(model, x, targets, method, round_weights=False))
        if method == "riemann_trapezoid":
            checks[key + "_vs_float64_alphas"] = max_diff(
                attr, integrated_gradients_reference(model, x, targets, method, float32_alphas=False))
        with torch.no_grad():
            own_delta = attr.sum((1, 2, 3)) - (target_logit - model(torch.zeros_like(x))[n, targets])
        check(key + "_delta", max_diff(delta, own_delta), 1e-12)
        ig_json[key] = dict(method=method, n_steps=IG_STEPS, baselines=0,
                            attribution_sum=[float(v) for v in attr.sum((1, 2, 3))],
                            convergence_delta=[float(v) for v in delta])

    # 4. modified ReLU gradients
    results["guided_backprop"] = GuidedBackprop(model).attribute(x, target=targets)
    results["deconvolution"] = Deconvolution(model).attribute(x, target=targets)
    check("guided_backprop", max_diff(results["guided_backprop"], modified_relu_gradient(w, x, targets, "guided")), 1e-13)
    check("deconvolution", max_diff(results["deconvolution"], modified_relu_gradient(w, x, targets, "deconv")), 1e-13)

    # 5. Grad-CAM
    gc = LayerGradCam(model, model.relu3)
    results["grad_cam"] = gc.attribute(x, target=targets, relu_attributions=True)
    results["grad_cam_raw"] = gc.attribute(x, target=targets, relu_attributions=False)
    results["grad_cam_upsampled"] = LayerAttribution.interpolate(results["grad_cam"], (8, 8), interpolate_mode="bilinear")
    results["guided_grad_cam"] = GuidedGradCam(model, model.relu3).attribute(x, target=targets)
    check("grad_cam", max_diff(results["grad_cam"], grad_cam_reference(w, x, targets, True)), 1e-13)
    check("grad_cam_raw", max_diff(results["grad_cam_raw"], grad_cam_reference(w, x, targets, False)), 1e-13)
    check("grad_cam_upsampled", max_diff(results["grad_cam_upsampled"],
                                         bilinear_reference(results["grad_cam"].detach().numpy(), (8, 8))), 1e-13)
    check("grad_cam_upsampled_vs_align_corners_false", max_diff(
        results["grad_cam_upsampled"],
        F.interpolate(results["grad_cam"], (8, 8), mode="bilinear", align_corners=False)), 0.0)
    guided_ref = (modified_relu_gradient(w, x, targets, "guided").numpy()
                  * nearest_reference(grad_cam_reference(w, x, targets, True).numpy(), (8, 8)))
    check("guided_grad_cam", max_diff(results["guided_grad_cam"], guided_ref), 1e-13)

    # 6. occlusion (Captum returns float32 here: it casts the float64 sum to float32 before
    # dividing by the float32 window count)
    occ = Occlusion(model)
    for key, window, stride in [("occlusion_2x2_s1", 2, 1), ("occlusion_3x3_s2", 3, 2)]:
        results[key] = occ.attribute(x, target=targets, sliding_window_shapes=(1, window, window),
                                     strides=(1, stride, stride), baselines=0)
        checks[key + "_dtype"] = str(results[key].dtype)
        ref = occlusion_reference(model, x, targets, window, stride)
        check(key, max_diff(results[key], ref) / max(1.0, float(ref.abs().max())), 1e-6)

    # 7. LRP
    lrp_json = {}
    refused = {}
    for key, variant in LRP_VARIANTS.items():
        try:
            set_rules(model, variant["captum"]())
            attr, delta = LRP(model).attribute(x, target=targets, return_convergence_delta=True)
        except Exception as error:  # a rule Captum refuses: record it, skip the file
            refused[key] = f"{type(error).__name__}: {error}"
            for name in ["conv1", "conv2", "pool", "conv3", "gap", "fc"]:
                if hasattr(getattr(model, name), "rule"):
                    delattr(getattr(model, name), "rule")
            continue
        with torch.no_grad():
            assert torch.equal(model(x), logits), "LRP did not restore the weights"
        results[key] = attr
        layer_sums = {}
        ref = lrp_reference(w, x, targets, variant["reference"], layer_sums)
        check(key, max_diff(attr, ref) / max(1.0, float(ref.abs().max())), 1e-10)
        attr, delta = attr.detach(), delta.detach()
        sums = attr.sum((1, 2, 3))
        lrp_json[key] = dict(rules=variant["describe"],
                             input_relevance_sum=[float(v) for v in sums],
                             target_logit=[float(v) for v in target_logit],
                             convergence_delta=[float(v) for v in delta],
                             layer_input_relevance_sum=layer_sums)
        check(key + "_delta", max_diff(delta, target_logit - sums), 1e-12)

    # ---- write
    def save(name, array, dtype=np.float32):
        array = array.detach().numpy() if torch.is_tensor(array) else array
        np.save(os.path.join(OUT, name), np.ascontiguousarray(np.asarray(array).astype(dtype)))

    save("inputs.npy", x)
    save("targets.npy", targets, np.int64)
    save("logits.npy", logits)
    shapes = {}
    for key, value in results.items():
        save(key + ".npy", value)
        shapes[key + ".npy"] = list(value.shape)
    with open(os.path.join(OUT, "integrated_gradients.json"), "w") as f:
        json.dump(ig_json, f, indent=1)
    with open(os.path.join(OUT, "lrp.json"), "w") as f:
        json.dump(lrp_json, f, indent=1)

    manifest = dict(
        versions=dict(torch=torch.__version__, captum=captum.__version__, numpy=np.__version__,
                      safetensors=safetensors.__version__),
        model=dict(input="(N, 1, 8, 8) = pixels / 16, NCHW", weights="model.safetensors (float32)",
                   keys=PARAM_KEYS, oracle_dtype="float64",
                   modules=["conv1 Conv2d(1,8,3,padding=1)", "relu1 ReLU", "conv2 Conv2d(8,16,3,padding=1)",
                            "relu2 ReLU", "pool MaxPool2d(2)", "conv3 Conv2d(16,32,3,padding=1)", "relu3 ReLU",
                            "gap AvgPool2d(4)", "x.flatten(1) (functional)", "fc Linear(32,10)"]),
        training=dict(data="Corpora/images/digits, split == 0 (1257 images)", seed=0, epochs=EPOCHS,
                      batch=BATCH, optimiser="Adam", lr=LR, loss="cross_entropy",
                      epoch_mean_loss=[round(v, 6) for v in history], accuracy=acc),
        cases=[dict(case=c, image_index=i, label=int(labels[i]), target=int(targets[c]),
                    predicted=int(logits[c].argmax())) for c, i in enumerate(CASE_INDICES)],
        files=dict({"inputs.npy": [6, 1, 8, 8], "targets.npy": [6], "logits.npy": [6, 10]}, **shapes),
        captum_refused=refused,
        reference_max_abs_diff=checks,
    )
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)

    total = 0
    print(f"wrote {OUT}")
    for name in sorted(os.listdir(OUT)):
        size = os.path.getsize(os.path.join(OUT, name))
        total += size
        print(f"  {name:36s} {size:7d} bytes")
    print(f"  total {total} bytes")
    print(f"  accuracy: " + ", ".join(f"{k} {v:.4f}" for k, v in acc.items()))
    print(f"  cases: " + ", ".join(f"img {i} t={int(t)} pred={int(l.argmax())}" for i, t, l in zip(CASE_INDICES, targets, logits)))
    for key, value in lrp_json.items():
        print(f"  {key:18s} sum R_in " + " ".join(f"{v:8.4f}" for v in value["input_relevance_sum"])
              + " | logit " + " ".join(f"{v:8.4f}" for v in value["target_logit"]))
    for key, value in ig_json.items():
        print(f"  {key:32s} delta " + " ".join(f"{v:+.2e}" for v in value["convergence_delta"]))
    print("  largest Captum-vs-formula difference: " + ", ".join(
        f"{k} {v:.1e}" for k, v in checks.items() if isinstance(v, float)))
    if refused:
        print("  Captum refused: " + "; ".join(f"{k}: {v}" for k, v in refused.items()))
    print(f"  torch {torch.__version__}, captum {captum.__version__}, numpy {np.__version__}")


if __name__ == "__main__":
    main()
