#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Rebuild Corpora/text/en.txt and Corpora/text/de.txt from Debian fortunes.

The sentence lists are cut out of the fortune cookie files shipped by the
Debian packages ``fortunes`` / ``fortunes-min`` (English, BSD licence) and
``fortunes-de`` (German, GPL-2+), and normalised to exactly the characters
the recogniser alphabets can spell:

* English: ``a-z``, space and apostrophe
* German:  ``a-z``, ``ä ö ü ß``, space and apostrophe

Prerequisites (Debian 12)::

    apt-get install -y fortunes fortunes-de wamerican wngerman
    python3 Scripts/make_sentence_lists.py

The output is deterministic: the same installed package versions always give
byte-identical files.  Only the Python standard library is used.  The rules
are documented in ``Corpora/text/README.md``; keep the two in step.

Pipeline, per fortune file:

1. The file list comes from ``dpkg-query -L`` of the packages (so files from
   other fortune packages that happen to be installed - e.g. ``fortunes-off``
   - are never read).  Files under an ``off/`` directory, files whose ``.dat``
   index has the STR_ROTATED (rot13, i.e. offensive) flag, and the ASCII-art
   collections are skipped.
2. Entries are split on ``%`` lines.  Attribution lines (``-- Author``,
   ``— Author``) and their indented continuation lines are dropped, as is an
   inline `` -- Author`` after a closing quote or full stop.
3. Lines that look like code, markup, URLs, e-mail, ASCII art or shouting
   are dropped and act as hard boundaries.  IRC nick prefixes (``<nick>``),
   speaker labels (``Q:``, ``A:``, ``Name:`` at the start of a line) and
   bullets (``- ``) start a new paragraph and are removed.  Blank lines end a
   paragraph.  The lines of a paragraph are joined with spaces.
4. Paragraphs are split into sentences after ``.``, ``!``, ``?`` or ``…``
   (plus closing quotes/brackets) when the next word starts with an upper
   case letter (or the paragraph ends).  No split after a known
   abbreviation, a single letter or a number followed by a period.
5. Each candidate sentence is filtered (see ``reject_reason``) and normalised
   (see ``normalise``); German pre-1996 spellings such as "daß" become "dass"
   (``modernise_eszett``, off with ``--old-spelling``); the language check
   (``language_ok``) uses the ``wamerican`` and ``wngerman`` word lists.
6. Of the distinct survivors, ``--limit`` (default 10,000) per language are
   kept: those with the fewest words missing from the word list first, ties
   broken by the SHA-256 of the line; the files are written sorted.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import os
import re
import struct
import subprocess
import sys
import unicodedata

FORTUNE_ROOT = "/usr/share/games/fortunes"
EN_WORDS = "/usr/share/dict/american-english"   # package wamerican
DE_WORDS = "/usr/share/dict/ngerman"             # package wngerman

PACKAGES = {
    "en": ["fortunes", "fortunes-min"],
    "de": ["fortunes-de"],
}
# Collections that are pictures, not text.
EXCLUDED_FILES = {"art", "ascii-art", "asciiart"}

MIN_WORDS = 3
MAX_WORDS = 20
# Sentences written per language (the files stay at a few hundred KB).
DEFAULT_LIMIT = 10000

STR_ROTATED = 0x4  # strfile flag: entries are rot13-encoded (offensive)

# --------------------------------------------------------------------------
# Character classes

LETTERS = {
    "en": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "de": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZäöüÄÖÜß",
}
# Characters mapped to the apostrophe before anything else.
APOSTROPHE_VARIANTS = {"\u2019": "'", "\u2018": "'", "\u00b4": "'",
                       "`": "'", "\u201b": "'", "\u02bc": "'"}
# Punctuation that is allowed in the source and deleted (or, for dashes and
# hyphens, turned into a space) during normalisation.
REMOVABLE_PUNCT = set('.,;:!?"()\u201c\u201d\u201e\u201f\u00ab\u00bb'
                      '\u2039\u203a\u2026-\u2013\u2014\u2015')
SENTENCE_END = ".!?\u2026"
CLOSERS = "\"')]\u201d\u201c\u00bb\u00ab\u203a\u2039\u2019"
OPENERS = "\"'(\u201c\u201e\u00ab\u00bb\u2039\u203a\u2018"

# Tokens that are abbreviations when followed by a period (compared in lower
# case, without the period).  Words that are also ordinary words at the end
# of a sentence ("no", "art", "fig", "so", ...) are deliberately absent; the
# generic rules (single letter + period, internal periods, period followed
# by a lower-case word) catch most of the rest.
ABBREVIATIONS = {
    # English
    "mr", "mrs", "ms", "messrs", "dr", "drs", "prof", "rev", "gen", "col",
    "lt", "capt", "sgt", "maj", "cmdr", "adm", "gov", "sen", "rep", "pres",
    "st", "mt", "ft", "jr", "sr", "vs", "etc", "al", "ca", "cf", "approx",
    "dept", "univ", "inc", "ltd", "co", "corp", "bros", "vol", "pp", "esp",
    "jan", "feb", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "eg", "ie", "viz", "ibid", "op", "cit", "ps", "pps", "nb", "wm",
    "chas", "thos", "geo", "jas", "hon", "supt", "insp", "yr", "yrs", "hrs",
    "min", "mins", "sec", "secs", "oz", "lb", "lbs", "ft", "km", "kg", "cm",
    "mm", "ml", "mph", "ave", "blvd", "rd",
    # German
    "hr", "hrn", "fr", "frl", "dipl", "ing", "usw", "bzw", "zb", "evtl",
    "ggf", "vgl", "sog", "inkl", "bzgl", "dh", "ua", "uä", "uvm", "usf",
    "nr", "mio", "mrd", "jh", "jhd", "jhdt", "std", "sek", "abs", "bd",
    "tel", "str", "okt", "dez", "bspw", "ebd", "geb", "gest", "hl", "kath",
    "ev", "röm", "engl", "franz", "lat", "griech", "dt", "allg", "ehem",
    "eigtl", "gegr", "jhs", "lt", "mind", "max", "ggü", "zzgl", "zt", "od",
    "bes", "ff", "anm", "verf", "hrsg", "übers", "zit", "ca", "dr", "med",
    "phil", "rer", "nat", "jur", "theol", "pfr", "kap", "tsd",
}

# --------------------------------------------------------------------------
# Line level patterns

# "-- Mark Twain", "— Goethe", "--Anonymous"
ATTRIBUTION_LINE = re.compile(r"^(?:--|\u2014|\u2015|\u2013\u2013)")
# '"... end of quote."  -- Author' on one line
INLINE_ATTRIBUTION = re.compile(
    r"(?<=[.!?\u2026\"'\u201c\u201d\u00bb\u00ab)])\s+(?:--|\u2014|\u2015)\s*\S.*$")
# "<nick> text", "<@nick> text" (IRC logs)
IRC_PREFIX = re.compile(r"^<[@+%]?[^<>\s]{1,30}>\s*")
# Speaker labels and headings at the start of a line: "Q:", "A:", "Rezept:",
# "Murphy's Law:", "Mutter:" (one to three capitalised words).
LABEL_PREFIX = re.compile(
    r"^[A-ZÄÖÜ][\w'’.-]*(?:\s+[A-ZÄÖÜ][\w'’.-]*){0,2}\s*:\s+", re.UNICODE)
# "- item", "* item" bullets and "1. item"-like numbering handled as labels.
BULLET_PREFIX = re.compile(r"^(?:[-\u2013\u2022]\s+)")
# Anything that looks like code, markup, URLs, e-mail or ASCII art.
CODE_LIKE = re.compile(
    r"[{}\[\]<>|\\=$#@^~_*+/%&]"     # programming / markup / URL / e-mail chars
    r"|://|\bwww\.|\w\.(?:com|org|net|edu|gov|de|at|ch)\b"
    r"|;\s*$|\w\(|\(\s*\)"            # "foo();", "call(x)", "()"
    r"|\.\.\.\.\.|---|\s{5,}\S.*\s{5,}"  # separators, columns
)


def is_shouting(line: str) -> bool:
    """Mostly upper case (at least 8 letters, >= 60 % capitals)."""
    letters = [c for c in line if c.isalpha()]
    if len(letters) < 8:
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper / len(letters) >= 0.6


# --------------------------------------------------------------------------
# Package and file discovery


def run(cmd: list[str]) -> str:
    return subprocess.run(cmd, check=True, capture_output=True,
                          text=True).stdout


def package_versions(packages: list[str]) -> list[tuple[str, str]]:
    out = run(["dpkg-query", "-W", "-f", "${Package}\t${Version}\n"]
              + packages)
    return [tuple(line.split("\t", 1)) for line in out.splitlines() if line]


def dat_is_rotated(path: str) -> bool:
    """True when the strfile index of `path` marks it as rot13/offensive."""
    candidates = [path + ".dat"]
    # fortunes-de keeps its .dat files in /usr/share/games/fortunes-de and
    # symlinks only the debconf-selected ones into fortunes/de/.
    if "/de/" in path:
        candidates.append(os.path.join(FORTUNE_ROOT + "-de",
                                       os.path.basename(path) + ".dat"))
    for dat in candidates:
        if os.path.exists(dat):
            with open(dat, "rb") as f:
                header = f.read(20)
            if len(header) == 20:
                flags = struct.unpack(">5I", header)[4]
                if flags & STR_ROTATED:
                    return True
    return False


def fortune_files(lang: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Text fortune files of the language's packages, sorted; plus skips."""
    files, skipped = [], []
    for pkg in PACKAGES[lang]:
        for path in run(["dpkg-query", "-L", pkg]).splitlines():
            if not path.startswith(FORTUNE_ROOT + "/"):
                continue
            rel = path[len(FORTUNE_ROOT) + 1:]
            if lang == "en" and "/" in rel:
                continue
            if lang == "de" and not rel.startswith("de/"):
                continue
            name = os.path.basename(path)
            if (os.path.islink(path) or not os.path.isfile(path)
                    or name.endswith((".dat", ".u8"))):
                continue
            if "/off/" in "/" + rel or name.endswith("-o"):
                skipped.append((rel, "offensive (off/ directory)"))
            elif dat_is_rotated(path):
                skipped.append((rel, "offensive (rot13 flag in .dat)"))
            elif name in EXCLUDED_FILES:
                skipped.append((rel, "ASCII art"))
            else:
                files.append(path)
    return sorted(set(files)), sorted(set(skipped))


# --------------------------------------------------------------------------
# Parsing


def entries(text: str):
    """Fortune entries (lists of lines), separated by '%' lines."""
    cur: list[str] = []
    for line in text.splitlines():
        if line.strip() == "%":
            if cur:
                yield cur
            cur = []
        elif line.startswith("%%"):
            continue                       # strfile comment
        else:
            cur.append(line.rstrip())
    if cur:
        yield cur


def paragraphs(entry: list[str]):
    """Runs of consecutive prose lines, joined with spaces."""
    out: list[str] = []
    cur: list[str] = []

    def flush():
        if cur:
            out.append(" ".join(cur))
            cur.clear()

    in_attribution = False
    for raw in entry:
        line = raw.strip()
        for k, v in APOSTROPHE_VARIANTS.items():
            line = line.replace(k, v)
        if not line:
            flush()
            in_attribution = False
            continue
        if ATTRIBUTION_LINE.match(line):
            flush()
            in_attribution = True
            continue
        if in_attribution and raw[:1] in (" ", "\t"):
            continue                       # wrapped attribution
        in_attribution = False
        m = IRC_PREFIX.match(line)
        if m:
            flush()
            line = line[m.end():]
        line = INLINE_ATTRIBUTION.sub("", line)
        if not line or CODE_LIKE.search(line) or is_shouting(line):
            flush()
            continue
        m = BULLET_PREFIX.match(line) or LABEL_PREFIX.match(line)
        if m:
            flush()
            line = line[m.end():]
        if line.endswith(":"):
            flush()                        # heading ("Imperativ:") - drop
            continue
        if line:
            cur.append(line)
    flush()
    return out


BOUNDARY = re.compile(
    "[" + re.escape(SENTENCE_END) + "]+[" + re.escape(CLOSERS) + "]*(?=\\s|$)")


def _word_before(text: str, end: int) -> str:
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end].lstrip(OPENERS)


def split_sentences(par: str):
    """Split a paragraph after sentence-final punctuation."""
    sentences = []
    start = 0
    for m in BOUNDARY.finditer(par):
        punct = m.group(0).rstrip(CLOSERS)
        if punct == ".":
            word = _word_before(par, m.start())
            if (word.lower() in ABBREVIATIONS or len(word) == 1
                    or "." in word or word[-1:].isdigit()):
                continue                   # abbreviation / number: no split
        rest = par[m.end():].lstrip()
        if rest:
            nxt = rest.lstrip(OPENERS + "-\u2013\u2014 ")[:1]
            if not nxt.isupper():
                continue                   # next word lower case: no split
        sentences.append(par[start:m.end()].strip())
        start = m.end()
    tail = par[start:].strip()
    if tail:
        sentences.append(tail)             # no final punctuation
    return sentences


# --------------------------------------------------------------------------
# Filtering and normalisation

WORD_SPLIT = re.compile(r"\s+")


def reject_reason(sent: str, lang: str) -> str | None:
    """Why a raw candidate sentence is dropped, or None to keep it."""
    letters = LETTERS[lang]
    stripped = sent.rstrip(CLOSERS)
    if not stripped or stripped[-1] not in SENTENCE_END:
        return "no final punctuation"
    first = next((c for c in sent if c.isalpha() or c.isdigit()), "")
    if any(c.isdigit() for c in sent):
        return "digits"
    if not first.isupper():
        return "does not start with a capital"
    for c in sent:
        if c in letters or c in REMOVABLE_PUNCT or c == "'" or c == " ":
            continue
        if c.isalpha():
            return "letter outside alphabet"
        return "other character"
    tokens = WORD_SPLIT.split(sent.strip())
    for i, tok in enumerate(tokens):
        core = tok.strip(OPENERS + CLOSERS)
        body = core.rstrip(SENTENCE_END + ",;:")
        if re.search(r"\w\.\w", core):
            return "abbreviation"          # e.g. z.B. e.g. U.S.A. a.m.
        if core.endswith(".") and not core.endswith(".."):
            if body.lower() in ABBREVIATIONS or len(body) == 1:
                return "abbreviation"
            if i < len(tokens) - 1:
                return "abbreviation"      # period followed by lower case
        for part in re.split(r"[-\u2013\u2014]+", body):
            part = part.strip("'")
            if not part:
                continue
            caps = sum(1 for c in part if c.isupper())
            if caps >= 2:
                if re.fullmatch(r"(?:Mc|Mac|O'|D')[A-Z][a-zäöüß']+", part):
                    continue
                return "acronym / mixed case"
    return None


def normalise(sent: str, lang: str) -> str:
    """Lower-case, punctuation-free, single-spaced form of a sentence."""
    s = sent
    # hyphens/dashes become spaces ("well-known" -> "well known")
    s = re.sub(r"[-\u2013\u2014\u2015]+", " ", s)
    s = "".join(" " if c in REMOVABLE_PUNCT else c for c in s)
    s = s.lower()
    words = []
    for w in s.split():
        w = w.strip("'")                   # quote-apostrophes
        if w:
            words.append(w)
    return " ".join(words)


def normalised_reject_reason(line: str, lang: str) -> str | None:
    words = line.split()
    if not MIN_WORDS <= len(words) <= MAX_WORDS:
        return "word count"
    allowed = set(LETTERS[lang].lower()) | {"'"}
    for w in words:
        if not set(w) <= allowed:
            return "other character"
        if "''" in w:
            return "other character"
        if len(w) == 1 and w not in SINGLE_LETTER_WORDS[lang]:
            return "single letter"
    return None


SINGLE_LETTER_WORDS = {"en": {"a", "i", "o"}, "de": {"o"}}


def load_words(path: str) -> set[str]:
    with open(path, encoding="utf-8") as f:
        return {w.strip().lower() for w in f if w.strip()}


def known(word: str, words: set[str]) -> bool:
    """In the word list, directly or as "<word>'s" / "<word>'<clitic>"."""
    if word in words:
        return True
    return "'" in word and word.split("'")[0] in words


def modernise_eszett(line: str, de: set[str]) -> str:
    """Pre-1996 German spelling: "daß" -> "dass", "muß" -> "muss".

    A word containing ß is rewritten with ss only when the ß form is NOT in
    the wngerman list (current spelling) and the ss form is.  Words that are
    spelt with ß today ("maß", "groß", "straße") are never touched.
    """
    words = line.split()
    for i, w in enumerate(words):
        if "ß" in w and not known(w, de):
            alt = w.replace("ß", "ss")
            if known(alt, de):
                words[i] = alt
    return " ".join(words)


def unknown_count(line: str, words: set[str]) -> int:
    return sum(1 for w in line.split() if not known(w, words))


def language_ok(line: str, lang: str, en: set[str], de: set[str]) -> bool:
    """Language heuristic on the word lists (see README).

    own   = words found only in the target language's list,
    other = words found only in the other language's list.
    Keep if own > other and at least half of the words are in the target
    language's list.
    """
    words = line.split()
    mine, theirs = (en, de) if lang == "en" else (de, en)
    own = sum(1 for w in words if known(w, mine) and not known(w, theirs))
    other = sum(1 for w in words if known(w, theirs) and not known(w, mine))
    n_known = sum(1 for w in words if known(w, mine))
    return own > other and n_known * 2 >= len(words)


# --------------------------------------------------------------------------


def build(lang: str, en_words: set[str], de_words: set[str], stats,
          old_spelling: bool) -> list[str]:
    files, skipped = fortune_files(lang)
    kept: set[str] = set()
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = unicodedata.normalize("NFC", f.read())
        for entry in entries(text):
            for par in paragraphs(entry):
                for sent in split_sentences(par):
                    stats["candidates"] += 1
                    reason = reject_reason(sent, lang)
                    if reason is None:
                        line = normalise(sent, lang)
                        if lang == "de" and not old_spelling:
                            line = modernise_eszett(line, de_words)
                        reason = normalised_reject_reason(line, lang)
                    if reason is None and not language_ok(
                            line, lang, en_words, de_words):
                        reason = "language check"
                    if reason is None and line in kept:
                        reason = "duplicate"
                    if reason:
                        stats["drop: " + reason] += 1
                        continue
                    kept.add(line)
    stats["distinct sentences passing all rules"] = len(kept)
    return sorted(kept), files, skipped


def select(lines: list[str], words: set[str], limit: int, stats) -> list[str]:
    """At most `limit` lines: fewest out-of-dictionary words first, ties
    broken by SHA-256 of the line (a fixed pseudo-random order, so the
    subset spreads over all source files).  Returned sorted."""
    if limit <= 0 or len(lines) <= limit:
        return sorted(lines)
    ranked = sorted(lines, key=lambda l: (
        unknown_count(l, words),
        hashlib.sha256(l.encode("utf-8")).hexdigest()))
    chosen = ranked[:limit]
    stats["max unknown words in a selected line"] = unknown_count(
        chosen[-1], words)
    return sorted(chosen)


def main(argv=None) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=os.path.normpath(
        os.path.join(here, "..", "Corpora", "text")),
        help="output directory (default: Corpora/text)")
    ap.add_argument("--limit", type=int, default=DEFAULT_LIMIT,
                    help="sentences per language, 0 = all "
                         f"(default {DEFAULT_LIMIT})")
    ap.add_argument("--old-spelling", action="store_true",
                    help="keep pre-1996 German ß spellings (daß, muß)")
    ap.add_argument("--verbose", action="store_true",
                    help="list the source files used")
    args = ap.parse_args(argv)

    for p in (EN_WORDS, DE_WORDS, FORTUNE_ROOT):
        if not os.path.exists(p):
            sys.exit(f"missing {p}; run: apt-get install -y fortunes "
                     "fortunes-de wamerican wngerman")
    en_words, de_words = load_words(EN_WORDS), load_words(DE_WORDS)
    os.makedirs(args.out, exist_ok=True)

    all_pkgs = sorted({p for v in PACKAGES.values() for p in v}
                      | {"wamerican", "wngerman"})
    print("packages:")
    for name, version in package_versions(all_pkgs):
        print(f"  {name} {version}")

    for lang in ("en", "de"):
        stats: collections.Counter = collections.Counter()
        lines, files, skipped = build(lang, en_words, de_words, stats,
                                      args.old_spelling)
        lines = select(lines, en_words if lang == "en" else de_words,
                       args.limit, stats)
        out = os.path.join(args.out, f"{lang}.txt")
        with open(out, "w", encoding="utf-8", newline="\n") as f:
            f.writelines(line + "\n" for line in lines)
        words = sum(len(l.split()) for l in lines)
        shown = os.path.relpath(out, os.path.join(here, ".."))
        print(f"{lang}: {len(lines)} sentences, {words} words -> {shown} "
              f"({os.path.getsize(out)} bytes) from {len(files)} files")
        if args.verbose:
            for p in files:
                print(f"    {os.path.relpath(p, FORTUNE_ROOT)}")
        for rel, why in skipped:
            print(f"    skipped {rel}: {why}")
        for key in sorted(stats, key=lambda k: (-stats[k], k)):
            print(f"    {key}: {stats[key]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
