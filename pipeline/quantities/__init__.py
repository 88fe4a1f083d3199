"""QUANTITIES stage: numbers with what they count, normalised (issue 5).

    parse_number("half a million")            -> 500000.0
    normalise_quantity("about 50,000 troops")  -> QuantityValue(value=50000, unit="person", item="troop", ...)
    find_quantities(doc, exclude=[...])        -> [QuantityMention(start, end, text, value, source), ...]

`parse_number` and `normalise_quantity` need no spaCy model; `find_quantities`
reads a parsed Doc. Word lists live in `lexicon.json` (see README.md here).
"""
from __future__ import annotations

from .numbers import parse_amount, parse_number
from .normalise import normalise_quantity

__all__ = ["parse_number", "parse_amount", "normalise_quantity", "find_quantities", "QuantityMention"]


def __getattr__(name: str):
    # detect imports spaCy; keep the pure functions importable without it
    if name in {"find_quantities", "QuantityMention"}:
        from . import detect

        return getattr(detect, name)
    raise AttributeError(name)
