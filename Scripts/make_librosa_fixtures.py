#!/usr/bin/env python3
"""Regenerate the librosa/soundfile/soxr oracle fixtures for the AudioFeatures tests.

Usage:  pip install librosa==0.11.0 soundfile scipy numpy
        python3 Scripts/make_librosa_fixtures.py

Writes Tests/AudioFeaturesTests/Fixtures/ (signals, reference arrays, audio files in several
formats, manifest.json). The Swift tests read these files and never need Python. The speech
signal comes from the `espeak-ng` command (Debian package espeak-ng) so that the whole set is
reproducible here without downloads.
"""
import json
import os
import subprocess
import tempfile
import warnings

import librosa
import numpy as np
import scipy.signal
import soundfile as sf

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "AudioFeaturesTests", "Fixtures")
SR = 16000


def save(name, array):
    path = os.path.join(ROOT, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.save(path, np.ascontiguousarray(array))
    return name


def make_signals():
    n = int(0.6 * SR)
    t = np.arange(n) / SR
    with tempfile.TemporaryDirectory() as tmp:
        wav = os.path.join(tmp, "speech.wav")
        subprocess.run(["espeak-ng", "-v", "en-us", "-w", wav, "phonemes in time"], check=True)
        speech, _ = librosa.load(wav, sr=SR)  # soxr_hq from 22,050 Hz
    start = int(np.argmax(np.abs(speech) > 0.01))
    speech = speech[start:start + n]
    speech = np.pad(speech, (0, n - len(speech)))
    rng = np.random.default_rng(7)
    return {
        "speech": speech.astype(np.float32),
        "chirp": (0.5 * scipy.signal.chirp(t, f0=100, t1=t[-1], f1=7000, method="logarithmic")).astype(np.float32),
        "noise": (0.1 * rng.standard_normal(n)).astype(np.float32),
        # About -100 dB per bin: exercises the amin floor and the dB tolerance rule.
        "silence": (1e-5 * rng.standard_normal(n)).astype(np.float32),
    }


# name, settings, signals
CASES = [
    ("c512", dict(n_fft=512, hop_length=128, win_length=512, window="hann", center=True, n_mels=128, fmin=0.0, fmax=None, htk=False, norm="slaney"), ["speech", "chirp", "noise", "silence"]),
    ("c400", dict(n_fft=400, hop_length=160, win_length=400, window="hann", center=True, n_mels=80, fmin=0.0, fmax=None, htk=False, norm="slaney"), ["speech", "chirp", "noise", "silence"]),
    ("c256htk", dict(n_fft=256, hop_length=80, win_length=200, window="hann", center=True, n_mels=40, fmin=50.0, fmax=7600.0, htk=True, norm=None), ["speech", "chirp"]),
    ("c1024nc", dict(n_fft=1024, hop_length=160, win_length=800, window="hann", center=False, n_mels=128, fmin=20.0, fmax=8000.0, htk=False, norm="slaney"), ["speech", "noise"]),
    ("c512ham", dict(n_fft=512, hop_length=80, win_length=400, window="hamming", center=True, n_mels=80, fmin=125.0, fmax=7500.0, htk=True, norm="slaney"), ["chirp", "silence"]),
    ("c400nc", dict(n_fft=400, hop_length=128, win_length=320, window="hann", center=False, n_mels=40, fmin=0.0, fmax=4000.0, htk=False, norm=None), ["speech", "noise"]),
    ("c1024", dict(n_fft=1024, hop_length=128, win_length=1024, window="hann", center=True, n_mels=80, fmin=0.0, fmax=None, htk=True, norm=None), ["chirp", "silence"]),
    ("c256ham", dict(n_fft=256, hop_length=160, win_length=256, window="hamming", center=False, n_mels=40, fmin=300.0, fmax=6000.0, htk=False, norm="slaney"), ["noise", "speech"]),
    ("c512htk", dict(n_fft=512, hop_length=160, win_length=480, window="hann", center=True, n_mels=128, fmin=0.0, fmax=None, htk=True, norm="slaney"), ["speech", "chirp"]),
    ("c256empty", dict(n_fft=256, hop_length=128, win_length=256, window="hann", center=True, n_mels=128, fmin=0.0, fmax=None, htk=False, norm="slaney"), ["noise"]),
]


def mel_cases(signals):
    cases = []
    for name, s, signal_names in CASES:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            basis = librosa.filters.mel(sr=SR, n_fft=s["n_fft"], n_mels=s["n_mels"], fmin=s["fmin"], fmax=s["fmax"], htk=s["htk"], norm=s["norm"])
        empty = any("Empty filters" in str(w.message) for w in caught)
        entry = dict(name=name, settings=s, empty_filters=empty, basis=save(f"librosa/{name}_basis.npy", basis.astype(np.float32)), signals=[])
        for sig in signal_names:
            y = signals[sig]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                mel = librosa.feature.melspectrogram(
                    y=y, sr=SR, n_fft=s["n_fft"], hop_length=s["hop_length"], win_length=s["win_length"], window=s["window"],
                    center=s["center"], power=2.0, n_mels=s["n_mels"], fmin=s["fmin"], fmax=s["fmax"], htk=s["htk"], norm=s["norm"])
            db = librosa.power_to_db(mel, ref=1.0, amin=1e-10, top_db=None)
            mfcc = librosa.feature.mfcc(S=librosa.power_to_db(mel), n_mfcc=20, dct_type=2, norm="ortho")  # top_db=80, librosa's default
            entry["signals"].append(dict(
                signal=sig,
                mel=save(f"librosa/{name}_{sig}_mel.npy", mel.T.astype(np.float32)),
                db=save(f"librosa/{name}_{sig}_db.npy", db.T.astype(np.float32)),
                mfcc=save(f"librosa/{name}_{sig}_mfcc.npy", mfcc.T.astype(np.float32)),
            ))
        cases.append(entry)
    return cases


def preset_cases(signals):
    out = []
    for sig in ["speech", "noise"]:
        y = signals[sig]
        # speechless ([KUNZE17]): power -> dB floored at -150 dB -> 128 Slaney mels on the dB values -> z-score.
        power = np.abs(librosa.stft(y, n_fft=512, hop_length=128, window="hann", center=True)) ** 2
        db = 10 * np.log10(np.maximum(1e-15, power))
        mel = librosa.filters.mel(sr=SR, n_fft=512, n_mels=128) @ db
        z = (mel - mel.mean()) / mel.std()
        # logmel: 400/160, 80 mels, power_to_db(ref 1, amin 1e-10, no top_db).
        logmel = librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=SR, n_fft=400, hop_length=160, win_length=400, n_mels=80), ref=1.0, amin=1e-10, top_db=None)
        out.append(dict(signal=sig, power512=save(f"presets/{sig}_power512.npy", power.T.astype(np.float32)),
                        speechless=save(f"presets/{sig}_speechless.npy", z.T.astype(np.float32)),
                        logmel=save(f"presets/{sig}_logmel.npy", logmel.T.astype(np.float32))))
    return out


def audio_files():
    """Small stereo files in every format the reader must handle, with soundfile's decoding."""
    rate = 22050
    t = np.arange(int(0.1 * rate)) / rate
    stereo = np.stack([0.5 * np.sin(2 * np.pi * 440 * t), 0.25 * np.sin(2 * np.pi * 660 * t)], axis=1).astype(np.float32)
    formats = [("pcm_u8.wav", "WAV", "PCM_U8"), ("pcm_16.wav", "WAV", "PCM_16"), ("pcm_24.wav", "WAV", "PCM_24"),
               ("pcm_32.wav", "WAV", "PCM_32"), ("float.wav", "WAV", "FLOAT"), ("pcm_16.flac", "FLAC", "PCM_16"),
               ("vorbis.ogg", "OGG", "VORBIS")]
    out = []
    for name, fmt, subtype in formats:
        path = os.path.join(ROOT, "audio", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        sf.write(path, stereo, rate, format=fmt, subtype=subtype)
        decoded, _ = sf.read(path, dtype="float32", always_2d=True)
        mono16k, _ = librosa.load(path, sr=SR, mono=True)  # mean of channels, then soxr_hq
        out.append(dict(file=f"audio/{name}", rate=rate, channels=2, lossy=(subtype == "VORBIS"),
                        decoded=save(f"audio/{name}.decoded.npy", decoded), mono16k=save(f"audio/{name}.mono16k.npy", mono16k)))
    return out


def resampling(signals):
    out = []
    rng = np.random.default_rng(3)
    for rate in [8000, 22050, 44100]:
        n = int(0.25 * rate)
        t = np.arange(n) / rate
        x = (0.3 * np.sin(2 * np.pi * 300 * t) + 0.05 * rng.standard_normal(n)).astype(np.float32)
        y = librosa.resample(x, orig_sr=rate, target_sr=SR, res_type="soxr_hq")
        out.append(dict(rate=rate, input=save(f"resample/in_{rate}.npy", x), output=save(f"resample/out_{rate}.npy", y.astype(np.float32))))
    return out


def main():
    signals = make_signals()
    manifest = dict(
        librosa=librosa.__version__, sample_rate=SR,
        signals={k: save(f"signals/{k}.npy", v) for k, v in signals.items()},
        mel_cases=mel_cases(signals), presets=preset_cases(signals), audio=audio_files(), resampling=resampling(signals))
    with open(os.path.join(ROOT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
