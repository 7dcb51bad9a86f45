#!/usr/bin/env python3
"""Write the 8x8 handwritten-digits corpus (Corpora/images/digits) from scikit-learn's copy.

scikit-learn bundles the test part of the UCI "Optical Recognition of Handwritten Digits" data
(1797 images of 8x8 counts 0..16, labels 0..9) as sklearn.datasets.load_digits(). This script
stores it as plain .npy files that Phonoscope reads without Python:

  images.npy  uint8 (1797, 8, 8)  raw pixel counts 0..16, in scikit-learn's order
  labels.npy  uint8 (1797,)       the digit 0..9 of each image
  split.npy   uint8 (1797,)       0 = train, 1 = validation, 2 = test (stratified, seeded)
  README.md   provenance, licences, split counts, the regenerating command, SHA-256 of each file

The split is made of two stratified sklearn.model_selection.train_test_split calls on the
image indices, both with random_state=0:
  1. test_size=0.2 of all 1797 images  -> 360 test images;
  2. test_size=180 of the remaining 1437 -> 180 validation images, the other 1257 are train.

Nothing here is random beyond those seeded calls, so reruns write byte-identical files.

Run with numpy and scikit-learn (used: a venv with numpy 2.4 and scikit-learn 1.9):
    python3 Scripts/make_digits_data.py
"""
import hashlib
import os

import numpy as np
import sklearn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

OUT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Corpora", "images", "digits"))
TRAIN, VALIDATION, TEST = 0, 1, 2
SPLIT_NAMES = {TRAIN: "train", VALIDATION: "validation", TEST: "test"}
COMMAND = "python3 Scripts/make_digits_data.py"


def make_split(labels):
    """Stratified, seeded train / validation / test assignment of every image index."""
    indices = np.arange(labels.shape[0])
    rest, test = train_test_split(indices, test_size=0.2, stratify=labels, random_state=0)
    train, validation = train_test_split(rest, test_size=180, stratify=labels[rest], random_state=0)
    split = np.full(labels.shape[0], 255, dtype=np.uint8)
    split[train] = TRAIN
    split[validation] = VALIDATION
    split[test] = TEST
    assert (split != 255).all()
    assert (len(train), len(validation), len(test)) == (1257, 180, 360), (len(train), len(validation), len(test))
    return split


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def counts_table(labels, split):
    rows = ["| split | " + " | ".join(str(d) for d in range(10)) + " | total |",
            "|---" * 12 + "|"]
    for code in (TRAIN, VALIDATION, TEST):
        per = [int(((split == code) & (labels == d)).sum()) for d in range(10)]
        rows.append(f"| {SPLIT_NAMES[code]} ({code}) | " + " | ".join(str(n) for n in per) + f" | {sum(per)} |")
    per = [int((labels == d).sum()) for d in range(10)]
    rows.append("| all | " + " | ".join(str(n) for n in per) + f" | {sum(per)} |")
    return "\n".join(rows)


README = """# digits: 8x8 handwritten digits

1797 grey-level images of handwritten digits, 8 x 8 pixels, each pixel a count 0..16, with
their labels 0..9 and a fixed train / validation / test split. Written by
`Scripts/make_digits_data.py` from the copy that scikit-learn {sklearn_version} bundles
(`sklearn.datasets.load_digits()`); do not edit the files by hand.

## Files

| file | dtype | shape | content |
|---|---|---|---|
| `images.npy` | uint8 | (1797, 8, 8) | raw pixel counts 0..16, row-major (row, column), in scikit-learn's order |
| `labels.npy` | uint8 | (1797,) | digit 0..9 of each image |
| `split.npy` | uint8 | (1797,) | 0 = train, 1 = validation, 2 = test |

All three are plain NumPy `.npy` files (format version 1.0, C order), as written by
`numpy.save` (numpy {numpy_version}). Models in this project feed `images / 16` as float input.

SHA-256:

| file | SHA-256 |
|---|---|
{hash_rows}

## Provenance

The images are the test part (`optdigits.tes`) of the UCI Machine Learning Repository data set
"Optical Recognition of Handwritten Digits", made by E. Alpaydin and C. Kaynak (Department of
Computer Engineering, Bogazici University, Istanbul; dated July 1998, donated to UCI on 30 June
1998). The forms were filled in by 43 people: 30 wrote the UCI training part and 13 others the
test part, so all 1797 images here come from those 13 writers (the training part, 3823
images, is not in scikit-learn and not here). NIST's preprocessing programs extracted
normalised 32 x 32 bitmaps of the digits from the preprinted forms; each bitmap was then
divided into non-overlapping 4 x 4 blocks and the "on" pixels of each block counted, which
gives the 8 x 8 matrix of integers 0..16 stored here.

scikit-learn ships these data as `sklearn/datasets/data/digits.csv.gz` (64 pixel columns and
the label per row); `load_digits()` reshapes them to 8 x 8. Nothing was changed except the
cast from float64 to uint8 (all values are integers 0..16).

Source page: https://archive.ics.uci.edu/dataset/80/optical+recognition+of+handwritten+digits

## Licences

- scikit-learn, through which the data were obtained, is distributed under the BSD-3-Clause
  licence.
- The data set itself: Creative Commons Attribution 4.0 International (CC BY 4.0), as far as
  could be checked: a third-party reference to this data set's UCI page gives CC BY 4.0 and
  the DOI 10.24432/C50P49, but the copy of the UCI page itself that could be read while
  writing this note was cut off before its licence line, so the licence was not confirmed
  first-hand from UCI. Check the UCI page before relying on it. Under CC BY 4.0, credit the
  creators (citation below).

## Citation

As scikit-learn's documentation of `load_digits` gives it:

- C. Kaynak (1995). Methods of Combining Multiple Classifiers and Their Applications to
  Handwritten Digit Recognition. MSc Thesis, Institute of Graduate Studies in Science and
  Engineering, Bogazici University.
- E. Alpaydin, C. Kaynak (1998). Cascading Classifiers. Kybernetika.

The data set as a UCI record: Alpaydin, E. & Kaynak, C. (1998). Optical Recognition of
Handwritten Digits. UCI Machine Learning Repository. https://doi.org/10.24432/C50P49

## Split

Stratified by label and deterministic, from two calls of
`sklearn.model_selection.train_test_split` on the indices 0..1796, both with `random_state=0`:

1. `train_test_split(indices, test_size=0.2, stratify=labels, random_state=0)`: the test
   part, 360 images (20 %, rounded up as scikit-learn does);
2. `train_test_split(rest, test_size=180, stratify=labels[rest], random_state=0)` on the 1437
   others: 180 validation images; the remaining 1257 are train.

Images per split and class:

{counts}

## Regenerating

From the repository root, with numpy and scikit-learn installed
(`pip install numpy scikit-learn`):

    {command}

The same scikit-learn version gives byte-identical files (the hashes above); another version
could in principle split differently, so compare the hashes.
"""


def main():
    os.makedirs(OUT, exist_ok=True)
    digits = load_digits()
    raw = digits.images
    assert raw.shape == (1797, 8, 8) and raw.min() >= 0 and raw.max() <= 16
    assert (raw == np.round(raw)).all()
    images = raw.astype(np.uint8)
    labels = digits.target.astype(np.uint8)
    assert labels.shape == (1797,) and set(np.unique(labels)) == set(range(10))
    split = make_split(labels)

    files = {"images.npy": images, "labels.npy": labels, "split.npy": split}
    hashes = {}
    for name, array in files.items():
        path = os.path.join(OUT, name)
        np.save(path, np.ascontiguousarray(array))
        back = np.load(path)
        assert back.dtype == array.dtype and back.shape == array.shape and (back == array).all()
        hashes[name] = sha256(path)

    hash_rows = "\n".join(f"| `{name}` | `{digest}` |" for name, digest in hashes.items())
    text = README.format(sklearn_version=sklearn.__version__, numpy_version=np.__version__,
                         hash_rows=hash_rows, counts=counts_table(labels, split), command=COMMAND)
    with open(os.path.join(OUT, "README.md"), "w") as f:
        f.write(text)

    print(f"wrote {OUT}")
    for name, array in files.items():
        size = os.path.getsize(os.path.join(OUT, name))
        print(f"  {name:12s} {str(array.dtype):6s} {str(array.shape):12s} {size:7d} bytes  sha256 {hashes[name]}")
    print("  split counts: " + ", ".join(f"{SPLIT_NAMES[c]} {int((split == c).sum())}" for c in (TRAIN, VALIDATION, TEST)))
    print(f"  scikit-learn {sklearn.__version__}, numpy {np.__version__}")


if __name__ == "__main__":
    main()
