#!/usr/bin/env python3
"""Regenerate the Biopython oracle for Needleman-Wunsch (pip install biopython).

Writes Tests/PhoneticsTests/Fixtures/nw.json: a list of cases, each with two sequences of
one-character symbols, the scores (match, mismatch, gap open, gap extend; linear when open
equals extend), and the optimal global score of Bio.Align.PairwiseAligner in mode "global"
with the same scores for inner and end gaps, plus the number of optimal alignments it finds.
The cases mix hand-picked ones (identical, no common symbol, gaps at the ends) with random sequences over small alphabets drawn from a fixed seed. The tests need no
Python. (Biopython refuses empty sequences; the tests check those against the rule.)
"""
import json
import os
import random

import Bio
from Bio import Align

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "PhoneticsTests", "Fixtures", "nw.json")

SCORES = [
    # (match, mismatch, open, extend)
    (1.0, -1.0, -1.0, -1.0),
    (2.0, -1.0, -2.0, -2.0),
    (1.0, 0.0, 0.0, 0.0),
    (5.0, -4.0, -10.0, -0.5),
    (1.0, -1.0, -3.0, -1.0),
    (2.0, -3.0, -5.0, -2.0),
    (1.5, -0.5, -0.7, -0.2),
]

HAND = [
    ("abc", "abc"),
    ("abc", "xyz"),
    ("aaaa", "aa"),
    ("thought", "toht"),
    ("knight", "nait"),
    ("gattaca", "gcatgcu"),
    ("abcabc", "cba"),
]


def aligner_for(match, mismatch, open_, extend):
    aligner = Align.PairwiseAligner()
    aligner.mode = "global"
    aligner.match_score = match
    aligner.mismatch_score = mismatch
    aligner.open_gap_score = open_
    aligner.extend_gap_score = extend
    return aligner


def main():
    rng = random.Random(20261123)
    pairs = list(HAND)
    for _ in range(40):
        alphabet = rng.choice(["ab", "abc", "acgt", "abcdefgh"])
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        b = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        pairs.append((a, b))
    cases = []
    for index, (a, b) in enumerate(pairs):
        for match, mismatch, open_, extend in SCORES:
            aligner = aligner_for(match, mismatch, open_, extend)
            score = aligner.score(a, b)
            count = len(aligner.align(a, b))
            cases.append({
                "a": a, "b": b, "match": match, "mismatch": mismatch, "gap_open": open_, "gap_extend": extend,
                "score": score, "optimal_alignments": count,
            })
    with open(OUT, "w") as f:
        json.dump({"biopython": Bio.__version__, "cases": cases}, f, indent=0)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
