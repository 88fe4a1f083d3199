"""Parsing the number part of a quantity: digits, words, magnitudes, vague amounts, ranges.

Word sequences ("seven", "twenty-five", "two hundred and fifty thousand") are
read by text2num (`text_to_num.text2num`); the forms it does not take ("half a
million", "a dozen", "a million", "1.5m", "$25 billion", "thousands") are
handled here before it is called.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from text_to_num import text2num

from . import patterns as P

_A_FACTOR = {"a": 1.0, "an": 1.0, "half a": 0.5, "a half": 0.5, "one and a half": 1.5, "a quarter": 0.25,
             "a quarter of a": 0.25, "three quarters of a": 0.75}
_MAG_WORD = {"hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "dozen": 12.0}


@dataclass(frozen=True)
class Amount:
    """The numeric content of one expression: a value, or low/high for ranges and vague amounts."""

    value: float | None = None
    low: float | None = None
    high: float | None = None
    vague: bool = False
    words: bool = False          # written in words ("seven"), not digits
    magnitude: str | None = None  # the magnitude word or suffix as written ("million", "m", "bn")


def _clean(text: str) -> str:
    return P.WS.sub(" ", P.HYPHEN_RE.sub("-", text)).strip()


def _digits_value(digits: str) -> float | None:
    d = digits.strip()
    if P.DECIMAL_COMMA.fullmatch(d):       # decimal comma before a magnitude: "1,5 million"
        d = d.replace(",", ".")
    else:
        d = d.replace(",", "")
    try:
        return float(d)
    except ValueError:
        return None


def _magnitude_value(mag: str | None) -> float:
    if not mag:
        return 1.0
    total = 1.0
    for part in mag.strip().lower().split():
        factor = P.MAGNITUDES.get(part)
        if factor is None:
            return float("nan")
        total *= factor
    return total


def words_value(text: str) -> float | None:
    """Value of a number written in words, or None: "seven", "twenty-five", "half a million", "a dozen"."""
    t = _clean(text).lower()
    if not t:
        return None
    m = P.A_FORM.match(t)
    if m:
        return _A_FACTOR[P.WS.sub(" ", m.group("pre"))] * _MAG_WORD[m.group("mag")]
    m = P.AND_A_HALF.match(t)
    if m:
        head = words_value(m.group("head"))
        return None if head is None else (head + 0.5) * _MAG_WORD[m.group("mag")]
    if t.endswith("dozen"):
        head = t[: -len("dozen")].strip()
        if not head:
            return 12.0
        h = words_value(head)
        return None if h is None else h * 12.0
    try:
        return float(text2num(t.replace("-", " "), "en"))
    except ValueError:
        return None


def _single(m: re.Match) -> Amount | None:
    if m.group("words"):
        w = m.group("words")
        v = words_value(w)
        mag = P.WORD_MAGNITUDE_END.search(w.strip())
        return None if v is None else Amount(value=v, words=True, magnitude=mag.group(1).lower() if mag else None)
    base = _digits_value(m.group("digits"))
    if base is None:
        return None
    mag = m.group("mag")
    factor = _magnitude_value(mag)
    if factor != factor:  # nan: unknown magnitude
        return None
    return Amount(value=round(base * factor, 6), magnitude=mag.strip().lower() if mag else None)


def vague_amount(text: str) -> Amount | None:
    """"thousands" -> low 2000; "tens of thousands" -> 20000; "several hundred" -> 300; value and high None."""
    t = _clean(text).lower()
    m = P.VAGUE_OF.fullmatch(t)
    if m:
        low = P.LEX["vague"][m.group(1)] * P.MAGNITUDES[m.group(2)[:-1]]
        return Amount(low=float(low), vague=True, words=True)
    m = P.VAGUE_MULTIPLIED.fullmatch(t)
    if m:
        base = 12.0 if m.group(2) == "dozen" else P.MAGNITUDES[m.group(2)]
        return Amount(low=float(P.LEX["vague_multipliers"][m.group(1)] * base), vague=True, words=True)
    if t in P.LEX["vague"]:
        return Amount(low=float(P.LEX["vague"][t]), vague=True, words=True)
    return None


def atom_amount(m: re.Match) -> Amount | None:
    """The Amount of one `patterns.NUMBER_ATOM` match."""
    if m.group("vague"):
        return vague_amount(m.group("vague"))
    return _single(m)


def range_amount(a: Amount, b: Amount) -> Amount | None:
    """Combine the two ends of a range; a bare first end takes the second's magnitude ("2-3 million")."""
    if a.value is None or b.value is None:
        return None
    low, high = a.value, b.value
    if b.magnitude and not a.magnitude:
        factor = _magnitude_value(b.magnitude)
        if low * factor <= high:
            low = low * factor
    if not low < high:
        return None
    # value stays null: a midpoint is a number the text never gives (GUIDELINES, Decision 58)
    return Amount(value=None, low=low, high=high, words=a.words and b.words)


@lru_cache(maxsize=4096)
def parse_amount(text: str) -> Amount | None:
    """Parse a whole number expression (single number, range or vague amount) with no other words.

    Currency signs/codes and a percent sign around it are ignored. Returns None
    when the text is not exactly a number expression.
    """
    t = _clean(text)
    t = P.CURRENCY_AT_START.sub("", t, count=1)
    t = P.PERCENT_END.sub("", t)
    t = P.RANGE_LEAD.sub("", t, count=1)
    m = P.NUMBER_ATOM.match(t)
    if not m:
        return None
    first = atom_amount(m)
    rest = t[m.end():]
    if first is None:
        return None
    if not rest.strip():
        return first
    if first.vague:
        return None
    tail = P.RANGE_TAIL.match(rest)
    if tail:
        m2 = P.NUMBER_ATOM.match(rest, tail.end())
        if m2 and not rest[m2.end():].strip() and not m2.group("vague"):
            second = atom_amount(m2)
            if second is not None:
                return range_amount(first, second)
    return None


@lru_cache(maxsize=4096)
def parse_number(text: str) -> float | None:
    """The value of one number: "5,000" 5000; "7.4"; "seven" 7; "twenty-five" 25; "half a million" 5e5;
    "1.5m" 1.5e6; "$25 billion" 2.5e10; "a dozen" 12. None for ranges, vague amounts and non-numbers."""
    if not isinstance(text, str):
        return None
    a = parse_amount(text)
    if a is None or a.vague or a.low is not None:
        return None
    return a.value
