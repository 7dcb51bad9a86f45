#!/usr/bin/env python3
"""Fixtures for the torchaudio Wav2Letter parity tests (Tests/RecognizerTests).

Builds torchaudio.models.Wav2Letter(num_classes=5, input_type="mfcc", num_features=8), fills
every tensor of its state dict from an integer hash (so the Swift test recomputes the same 23 M
weights instead of reading a 90 MB file), runs it on a fixed feature matrix and writes:

  input.npy           (300, 8) features, frames x features (time-major, as Phonoscope reads them)
  logits.npy          (frames', 5) the acoustic model's output (after its last ReLU, before
                      log_softmax), time-major
  input_gradient.npy  (300, 8) d ctc_loss / d input
  conv1_bias_gradient.npy (250,) d ctc_loss / d acoustic_model.0.bias
  expected.json       the CTC loss (reduction "sum") of TARGET, the torch/torchaudio versions

Weight rule (shared with the Swift test): the k-th value (0-based, row-major) of tensor number
n (state-dict order: acoustic_model.0.weight, .0.bias, .2.weight, ...) is
    ((k * 2654435761 + n * 40503 + 12345) mod 2^32) / 2^32 * 2 - 1, times sqrt(6 / fan_in)
for weights and times 0.1 / sqrt(fan_in) for biases, fan_in = in_channels x kernel_size.

Run with any torch and torchaudio (used: a venv with torch 2.11 and torchaudio 2.11 from PyPI):
    python3 Scripts/make_wav2letter_fixtures.py
"""
import json
import math
import os

import numpy as np
import torch
import torchaudio

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "RecognizerTests", "Fixtures", "wav2letter")
FEATURES, CLASSES, FRAMES = 8, 5, 300
TARGET = [1, 2, 2, 3, 4, 1, 3]  # labels 1..4, blank 0, with a repeat


def hashed(count, n):
    k = np.arange(count, dtype=np.uint64)
    h = (k * np.uint64(2654435761) + np.uint64(n * 40503 + 12345)) % np.uint64(2**32)
    return h.astype(np.float64) / 2.0**32 * 2.0 - 1.0


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    model = torchaudio.models.Wav2Letter(num_classes=CLASSES, input_type="mfcc", num_features=FEATURES)
    model = model.double()
    state = model.state_dict()
    with torch.no_grad():
        for n, (name, tensor) in enumerate(state.items()):
            if name.endswith(".weight"):
                fan_in = tensor.shape[1] * tensor.shape[2]
                scale = math.sqrt(6.0 / fan_in)
            else:
                fan_in = state[name.replace(".bias", ".weight")].shape[1] * state[name.replace(".bias", ".weight")].shape[2]
                scale = 0.1 / math.sqrt(fan_in)
            values = (hashed(tensor.numel(), n) * scale).astype(np.float32).astype(np.float64)
            tensor.copy_(torch.from_numpy(values.reshape(tensor.shape)))
    model.load_state_dict(state)

    t = np.arange(FRAMES * FEATURES, dtype=np.float64).reshape(FRAMES, FEATURES)
    features = (np.sin(t * 0.37) + 0.5 * np.cos(t * 0.011)).astype(np.float32)
    x = torch.from_numpy(features.astype(np.float64).T[None].copy()).requires_grad_(True)  # [1, features, frames]
    acoustic = model.acoustic_model(x)  # [1, classes, frames']
    log_probs = torch.nn.functional.log_softmax(acoustic, dim=1)
    # torchaudio's own forward is acoustic_model + log_softmax(dim=1): check we reproduce it.
    assert torch.allclose(model(x), log_probs)
    frames_out = acoustic.shape[2]
    loss = torch.nn.functional.ctc_loss(
        log_probs.permute(2, 0, 1), torch.tensor([TARGET]), torch.tensor([frames_out]), torch.tensor([len(TARGET)]),
        blank=0, reduction="sum")
    loss.backward()

    np.save(os.path.join(OUT, "input.npy"), features)
    np.save(os.path.join(OUT, "logits.npy"), acoustic[0].T.detach().numpy().astype(np.float32))
    np.save(os.path.join(OUT, "input_gradient.npy"), x.grad[0].T.numpy().astype(np.float32))
    bias_grad = model.acoustic_model[0].bias.grad.numpy().astype(np.float32)
    np.save(os.path.join(OUT, "conv1_bias_gradient.npy"), bias_grad)
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump({
            "ctc_loss": loss.item(), "target": TARGET, "blank": 0, "frames_out": frames_out,
            "torch": torch.__version__, "torchaudio": torchaudio.__version__,
            "state_dict_keys": list(state.keys()),
        }, f, indent=1)
        f.write("\n")
    print(f"{OUT}: frames {frames_out}, loss {loss.item():.6f}, logits max {acoustic.abs().max().item():.4f}")


if __name__ == "__main__":
    main()
