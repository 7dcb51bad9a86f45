#!/usr/bin/env python3
"""Regenerate the PyTorch CTC oracle for Tests/RecognizerTests/Fixtures/CTC (pip install torch numpy).

For each case it draws logits [T, C] and a target with a fixed seed, evaluates
torch.nn.functional.ctc_loss(log_softmax(logits), ..., reduction='sum') in float64 and
back-propagates it to the logits. It saves, time-major as the Swift side stores them:
  <name>_logits.npy    float32 [T, C] (the values both sides start from)
  <name>_target.npy    int64 [L]
  <name>_loss.npy      float64 [1]     (+inf when the input is too short: zero_infinity=False)
  <name>_gradient.npy  float32 [T, C]  d loss / d logits (zero_infinity=True, so an infeasible
                                       case has the all-zero gradient the Swift side promises)
and one padded batch, logits [B, T, C] with lengths and one target file per utterance, plus
manifest.json. The tests need no Python.
"""
import json
import os

import numpy as np
import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "RecognizerTests", "Fixtures", "CTC")
ENGLISH = "abcdefghijklmnopqrstuvwxyz '"  # the Wav2Letter alphabet; the blank is index 28, last


def letters(text):
    return [ENGLISH.index(ch) for ch in text]


def random_target(generator, length, classes, blank):
    labels = [c for c in range(classes) if c != blank]
    return [labels[i] for i in torch.randint(len(labels), (length,), generator=generator).tolist()]


def ctc(logits, targets, lengths, blank, zero_infinity):
    """Summed CTC loss of a batch logits [B, T, C] (float64) and its gradient w.r.t. the logits."""
    x = logits.clone().requires_grad_()
    log_probs = torch.nn.functional.log_softmax(x, dim=-1).transpose(0, 1)  # torch wants [T, B, C]
    flat = torch.tensor([label for target in targets for label in target], dtype=torch.long)
    losses = torch.nn.functional.ctc_loss(
        log_probs, flat, torch.tensor(lengths), torch.tensor([len(t) for t in targets]), blank=blank,
        reduction="none", zero_infinity=zero_infinity)
    losses.sum().backward()
    return losses.detach(), x.grad


def save(name, key, array):
    file = f"{name}_{key}.npy"
    np.save(os.path.join(ROOT, file), np.ascontiguousarray(array))
    return file


def single(name, frames, classes, blank, target, scale, generator):
    logits32 = (scale * torch.randn(frames, classes, generator=generator)).float()
    logits = logits32.double().unsqueeze(0)
    loss, _ = ctc(logits, [target], [frames], blank, zero_infinity=False)
    _, gradient = ctc(logits, [target], [frames], blank, zero_infinity=True)
    files = dict(
        logits=save(name, "logits", logits32.numpy()),
        target=save(name, "target", np.array(target, dtype=np.int64)),
        loss=save(name, "loss", loss.numpy().astype(np.float64)),
        gradient=save(name, "gradient", gradient[0].numpy().astype(np.float32)))
    return dict(name=name, frames=frames, classes=classes, blank=blank, files=files)


def batch(name, frames, classes, blank, lengths, target_lengths, generator):
    logits32 = (2 * torch.randn(len(lengths), frames, classes, generator=generator)).float()
    targets = [random_target(generator, n, classes, blank) for n in target_lengths]
    losses, _ = ctc(logits32.double(), targets, lengths, blank, zero_infinity=False)
    _, gradient = ctc(logits32.double(), targets, lengths, blank, zero_infinity=True)
    files = dict(
        logits=save(name, "logits", logits32.numpy()),
        lengths=save(name, "lengths", np.array(lengths, dtype=np.int64)),
        losses=save(name, "losses", losses.numpy().astype(np.float64)),
        gradient=save(name, "gradient", gradient.numpy().astype(np.float32)))
    for i, target in enumerate(targets):
        files[f"target{i}"] = save(name, f"target{i}", np.array(target, dtype=np.int64))
    return dict(name=name, frames=frames, classes=classes, blank=blank, batch=len(lengths), files=files)


def main():
    os.makedirs(ROOT, exist_ok=True)
    for file in os.listdir(ROOT):
        if file.endswith(".npy") or file == "manifest.json":
            os.remove(os.path.join(ROOT, file))
    g = torch.Generator().manual_seed(2006)
    cases = [
        single("random_blank0", 12, 5, 0, random_target(g, 4, 5, 0), 1.0, g),
        single("random_blank_last", 15, 6, 5, random_target(g, 5, 6, 5), 1.5, g),
        single("hello", 16, 29, 28, letters("hello"), 2.0, g),
        single("aab", 7, 4, 0, [1, 1, 2], 1.0, g),
        # exactly as many frames as "aab" needs (3 labels + 1 blank between the a's): one path
        single("aab_tight", 4, 4, 0, [1, 1, 2], 1.0, g),
        single("too_short", 3, 4, 0, [1, 1, 2], 1.0, g),
        # 5 frames hold 5 letters but not "hello", whose "ll" needs a blank between them
        single("hello_too_short", 5, 29, 28, letters("hello"), 1.0, g),
        single("empty_target", 6, 4, 3, [], 1.0, g),
        single("peaky_c33", 50, 33, 32, random_target(g, 20, 33, 32), 5.0, g),
    ]
    batches = [batch("batch", 20, 7, 6, [20, 14, 9, 3], [6, 4, 5, 4], g)]
    with open(os.path.join(ROOT, "manifest.json"), "w") as f:
        json.dump(dict(torch=torch.__version__, single=cases, batch=batches), f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
