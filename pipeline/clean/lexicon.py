"""Word lists the cleaner consults: stop words, boilerplate phrases, word frequencies.

Dehyphenation asks `wordfreq` (frequencies of real usage in English and
French) whether a line-end split is a broken word or a true compound; see
`normalize.keep_hyphen`. When wordfreq is not installed every lookup returns
0.0, which makes the cleaner join every lower-case split (the common case in
justified text) — degraded, never failing.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

KNOWLEDGE = Path(__file__).resolve().parent / "knowledge"
LANGS = ("en", "fr")


def _lines(name: str) -> list[str]:
    path = KNOWLEDGE / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return []
    return [ln.rstrip("\n") for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(w.strip().lower() for w in _lines("stopwords.txt"))


@lru_cache(maxsize=1)
def boilerplate_phrases() -> dict[str, str]:
    """phrase -> kind (block, contains, section, box)."""
    out: dict[str, str] = {}
    for ln in _lines("boilerplate_phrases.txt"):
        kind, _, phrase = ln.partition("\t")
        kind, phrase = kind.strip(), " ".join(phrase.lower().split())
        if kind in ("block", "contains", "section", "box") and phrase:
            out[phrase] = kind
    return out


def _load_zipf() -> Optional[Callable[[str, str], float]]:
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        return None
    return zipf_frequency


_ZIPF: Optional[Callable[[str, str], float]] = None
_ZIPF_LOADED = False


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """Zipf frequency of `word` (lower-cased), the higher of English and French; 0.0 if unknown."""
    global _ZIPF, _ZIPF_LOADED
    if not _ZIPF_LOADED:
        _ZIPF = _load_zipf()
        _ZIPF_LOADED = True
    if _ZIPF is None or not word:
        return 0.0
    w = word.lower()
    best = 0.0
    for lang in LANGS:
        try:
            best = max(best, _ZIPF(w, lang))
        except (LookupError, ValueError):
            continue
    return best
