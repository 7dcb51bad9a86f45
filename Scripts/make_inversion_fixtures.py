#!/usr/bin/env python3
"""Regenerate the librosa oracle for the feature-inversion tests (istft, mel_to_stft, griffinlim).

Usage:  python3 -m venv /tmp/venv-librosa
        /tmp/venv-librosa/bin/pip install librosa==0.11.0 numpy scipy
        /tmp/venv-librosa/bin/python Scripts/make_inversion_fixtures.py

Writes Tests/AudioFeaturesTests/Fixtures/inversion/ (float32 .npy arrays and manifest.json,
about 300 KB). The signals are the committed Fixtures/signals/{speech,chirp}.npy (made by
Scripts/make_librosa_fixtures.py from eSpeak NG), cut to 0.3 s, so nothing here needs eSpeak.
Complex spectrograms are stored time-major as float32 (frames, bins, 2): (re, im) pairs.
The Swift tests (Tests/AudioFeaturesTests/InversionTests.swift) read these and never need Python.
"""
import json
import os

import librosa
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "Tests", "AudioFeaturesTests", "Fixtures")
ROOT = os.path.join(FIXTURES, "inversion")
SR = 16000
CUT = int(0.3 * SR)


def save(name, array):
    path = os.path.join(ROOT, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.save(path, np.ascontiguousarray(array, dtype=np.float32))
    return name


def complex_time_major(matrix):
    """(bins, frames) complex -> (frames, bins, 2) float32."""
    return np.stack([matrix.real.T, matrix.imag.T], axis=-1).astype(np.float32)


def signal(name):
    return np.load(os.path.join(FIXTURES, "signals", f"{name}.npy"))[:CUT].astype(np.float32)


# name, STFT settings, frames, length (None: natural). Random complex spectra, not the STFT of
# any signal, so that the overlap-add, the squared-window division and the trimming all matter.
ISTFT_CASES = [
    ("c512", dict(n_fft=512, hop_length=128, win_length=512, window="hann", center=True), 12, None),
    ("c512long", dict(n_fft=512, hop_length=128, win_length=512, window="hann", center=True), 12, 1600),
    ("c512short", dict(n_fft=512, hop_length=128, win_length=512, window="hann", center=True), 12, 1000),
    ("c400nc", dict(n_fft=400, hop_length=160, win_length=320, window="hann", center=False), 10, None),
    ("c256ham", dict(n_fft=256, hop_length=64, win_length=256, window="hamming", center=True), 16, 900),
]


def istft_cases():
    rng = np.random.default_rng(11)
    out = []
    for name, s, frames, length in ISTFT_CASES:
        bins = s["n_fft"] // 2 + 1
        spectrum = (rng.standard_normal((bins, frames)) + 1j * rng.standard_normal((bins, frames))).astype(np.complex64)
        y = librosa.istft(spectrum, length=length, **s)
        out.append(dict(name=name, settings=s, length=length, spectrum=save(f"istft_{name}_in.npy", complex_time_major(spectrum)),
                        signal=save(f"istft_{name}_out.npy", y)))
    # A real STFT round trip: istft(stft(speech)) is the speech again (NOLA).
    y = signal("speech")
    s = ISTFT_CASES[0][1]
    rebuilt = librosa.istft(librosa.stft(y, **s), length=len(y), **s)
    out.append(dict(name="speech", settings=s, length=len(y), spectrum=None, signal=save("istft_speech_out.npy", rebuilt)))
    return out


def mel_cases():
    """mel_to_stft on the preset banks: consistent input (the mel power of real audio) and a
    perturbed one (no spectrum has exactly these mel values)."""
    out = []
    rng = np.random.default_rng(5)
    for name, sig, n_fft, hop, n_mels, perturb in [("speechless", "speech", 512, 128, 128, False),
                                                    ("speechlessnoisy", "speech", 512, 128, 128, True),
                                                    ("logmel", "chirp", 400, 160, 80, False)]:
        y = signal(sig)
        mel = librosa.feature.melspectrogram(y=y, sr=SR, n_fft=n_fft, hop_length=hop, n_mels=n_mels, power=2.0)
        if perturb:
            mel = (mel * np.exp(0.5 * rng.standard_normal(mel.shape))).astype(np.float32)
        stft = librosa.feature.inverse.mel_to_stft(mel, sr=SR, n_fft=n_fft, power=2.0)
        out.append(dict(name=name, n_fft=n_fft, n_mels=n_mels, consistent=not perturb, mel=save(f"mel_{name}_in.npy", mel.T),
                        magnitude=save(f"mel_{name}_out.npy", stft.T)))
    return out


def griffinlim_cases():
    out = []
    y = signal("speech")
    s = dict(n_fft=512, hop_length=128, win_length=512, window="hann", center=True)
    magnitude = np.abs(librosa.stft(y, **s)).astype(np.float32)
    mag_name = save("griffinlim_speech_magnitude.npy", magnitude.T)
    for n_iter, momentum in [(4, 0.99), (32, 0.99), (8, 0.0)]:
        rebuilt = librosa.griffinlim(magnitude, n_iter=n_iter, momentum=momentum, init=None, **s)
        rebuilt_magnitude = np.abs(librosa.stft(rebuilt, **s))
        convergence = float(np.linalg.norm(rebuilt_magnitude - magnitude) / np.linalg.norm(magnitude))
        out.append(dict(name=f"speech_{n_iter}_{momentum}", settings=s, n_iter=n_iter, momentum=momentum, magnitude=mag_name,
                        signal=save(f"griffinlim_speech_{n_iter}_{momentum}.npy", rebuilt), spectral_convergence=convergence))
    return out


def db_case():
    db = np.linspace(-150, 20, 35).astype(np.float32)
    return dict(db=save("db_in.npy", db), power=save("db_power_ref1.npy", librosa.db_to_power(db, ref=1.0)),
                power_ref=save("db_power_ref3.npy", librosa.db_to_power(db, ref=3.0)))


def main():
    manifest = dict(librosa=librosa.__version__, sample_rate=SR, istft=istft_cases(), mel_to_stft=mel_cases(),
                    griffinlim=griffinlim_cases(), db_to_power=db_case())
    with open(os.path.join(ROOT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
