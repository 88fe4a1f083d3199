"""Exact and near-duplicate paragraphs, by word-shingle containment.

Each paragraph is reduced to its set of word 5-grams (lower-cased words),
indexed in a dict shingle -> paragraphs, so the cost is linear in the text
(postings are short unless a passage really is repeated many times).

Two cases:
- a *composite*: a paragraph most of whose shingles occur in other paragraphs
  and that contains most of several (>= 3) other paragraphs — a scraped,
  flattened copy of the article (a run-on blob of near-copies). Dropped
  wherever it stands, even before the paragraphs it copies.
- a *repeat*: a paragraph mostly contained in one earlier paragraph is dropped
  (first occurrence kept); an earlier paragraph mostly contained in a later,
  longer one is dropped instead (the first *full* occurrence is kept).
Paragraphs that merely share a sentence or two (a summary and a foreword)
are far below these thresholds and stay.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Sequence

SHINGLE = 5
MIN_SHINGLES = 3  # paragraphs with fewer shingles (under ~7 words) are never compared
REPEAT = 0.8  # share of a paragraph's shingles found in one other paragraph
COMPOSITE_COVER = 0.6  # share of a composite's shingles found in other paragraphs
COMPOSITE_PART = 0.5  # share of another paragraph's shingles found in the composite
COMPOSITE_PARTS = 3  # how many such paragraphs make a composite
MAX_POSTINGS = 64

RE_TOKEN = re.compile(r"[^\W_]+")


def shingles(text: str, n: int = SHINGLE) -> set[tuple[str, ...]]:
    words = [w.lower() for w in RE_TOKEN.findall(text)]
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def find_duplicates(texts: Sequence[str]) -> dict[int, str]:
    """Indices of paragraphs to drop -> reason ("duplicate:composite" / "duplicate")."""
    sets = [shingles(t) for t in texts]
    index: dict[tuple[str, ...], list[int]] = {}
    for i, s in enumerate(sets):
        if len(s) < MIN_SHINGLES:
            continue
        for sh in s:
            post = index.setdefault(sh, [])
            if len(post) < MAX_POSTINGS:
                post.append(i)

    def overlaps(i: int) -> tuple[Counter, int]:
        """Shared shingle counts with every other paragraph, and how many of i's shingles occur elsewhere."""
        shared: Counter = Counter()
        covered = 0
        for sh in sets[i]:
            post = index.get(sh, ())
            hit = False
            for j in post:
                if j != i:
                    shared[j] += 1
                    hit = True
            covered += hit
        return shared, covered

    drop: dict[int, str] = {}
    shared_of: dict[int, Counter] = {}
    for i, s in enumerate(sets):
        if len(s) < MIN_SHINGLES:
            continue
        shared, covered = overlaps(i)
        shared_of[i] = shared
        if covered < COMPOSITE_COVER * len(s):
            continue
        parts = sum(1 for j, c in shared.items()
                    if len(sets[j]) >= MIN_SHINGLES and c >= COMPOSITE_PART * len(sets[j]) and len(sets[j]) < len(s))
        if parts >= COMPOSITE_PARTS:
            drop[i] = "duplicate:composite"

    for i, s in enumerate(sets):
        if i in drop or len(s) < MIN_SHINGLES:
            continue
        for j, c in sorted(shared_of.get(i, Counter()).items()):
            if j >= i or j in drop:
                continue
            if c >= REPEAT * len(s):
                drop[i] = "duplicate"  # i repeats an earlier paragraph
                break
            if c >= REPEAT * len(sets[j]) and len(s) > len(sets[j]):
                drop[j] = "duplicate"  # the earlier one was a partial copy of this fuller one
    return drop
