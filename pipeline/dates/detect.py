"""Detection of DATE mentions in a cleaned document (gold/GUIDELINES.md, DATE).

Every pattern of patterns/ proposes candidates; guards drop what the
guidelines say is not a date (quantities, numbers in names, durations, bare
"May", "Arab Spring", ...); the longest candidates win and never overlap.
Spans carry no leading article or preposition; a preceding
since/until/before/after/from (or a glued "post-"/"pre-") becomes the
span's modifier.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..schema import DateModifier
from .models import DateSpan
from .normalise import normalise_date, parse_point, range_points
from .patterns import absolute, duration, ranges, relative
from .patterns.common import HYPHENS

__all__ = ["find_dates"]


@dataclass(frozen=True)
class _Cand:
    start: int
    end: int
    kind: str


def _at_word_start(rx: re.Pattern[str]) -> re.Pattern[str]:
    """Only try a pattern where a word starts (a date never continues a word); ~5x faster."""
    return re.compile(rf"(?<![A-Za-z0-9])(?:{rx.pattern})")


_DETECTORS: list[tuple[str, re.Pattern[str]]] = [
    (kind, _at_word_start(rx))
    for kind, rx in (
        [(k, rx) for k, rx in absolute.DETECT.items() if k != "iso_month"]
        + [("month_bare", absolute.DETECT_MONTH_BARE)]
        + list(relative.DETECT.items())
        + ranges.DETECT
    )
]
_DURATION = _at_word_start(duration.DURATION)
_RANGE_KINDS = {"range", "range_day", "range_year_short"}

_PRE_MODIFIER = re.compile(
    r"(?:^|[^\w])(?P<mod>(?i:ever\s+since|since|up\s+until|until|till|through|thru|prior\s+to|before|after|from))"
    r"[^\S\n]+(?:(?i:the)[^\S\n]+)?$"
)
_GLUED_MODIFIER = re.compile(rf"(?:^|[^\w])(?P<mod>(?i:post|pre))[{HYPHENS}]?$")
_MODIFIER: dict[str, DateModifier] = {
    "ever since": "since", "since": "since", "up until": "until", "until": "until", "till": "until",
    "through": "until", "thru": "until",
    "prior to": "before", "before": "before", "after": "after", "from": "from", "post": "after", "pre": "before",
}
_BETWEEN_BEFORE = re.compile(r"(?:^|[^\w])(?i:between)[^\S\n]+(?:(?i:the)[^\S\n]+)?$")
_CAPITALISED_WORD_BEFORE = re.compile(r"(?:^|[^.!?:;\n\"“(\s])[^\S\n]*\b[A-Z][\w'’\-]*[^\S\n]+$")
_CAPITALISED_WORD_AFTER = re.compile(r"^[^\S\n]+[A-Z][a-z]")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n\"“(])[^\S\n]*$")
_DEC2_NO_APOS = re.compile(r"^(?:(?i:early|mid|middle|late)[-\u2010\u2011\u2012\u2013\s]+)?[0-9]0s$")
_THE_BEFORE = re.compile(r"(?:^|[^\w])(?i:the)[^\S\n]+$")
_PREV_BAD = set("$€£#+/\\_@%&=*^~")
_GLUED_YEAR_PREFIX = re.compile(rf"(?:^|[^\w])(?i:post|pre)[{HYPHENS}]$")


def _word_ok_before(text: str, c: _Cand) -> bool:
    """The candidate does not continue a word, number, URL or amount on its left."""
    if c.start == 0:
        return True
    prev = text[c.start - 1]
    if prev.isalnum() or prev in _PREV_BAD:
        return False
    if text[c.start].isdigit():
        if prev in ".,:'’":
            return False
        if prev in HYPHENS:  # "post-2011" yes, "UH-2011", "COVID-2019" no
            return bool(_GLUED_YEAR_PREFIX.search(text[max(0, c.start - 6): c.start]))
    return True


def _word_ok_after(text: str, c: _Cand) -> bool:
    after = text[c.end: c.end + 6]
    if after[:1].isalnum() or after[:1] in "%+":
        return False
    if text[c.end - 1].isdigit():
        if re.match(r"^[.,][0-9]{3}(?![0-9])", after):  # "2,000" style grouping
            return False
        if re.match(rf"^[{HYPHENS}/:][0-9]", after):  # a number joined to another that formed no range
            return False
    return True


def _accept(text: str, c: _Cand) -> bool:
    span = text[c.start: c.end]
    before = text[max(0, c.start - 40): c.start]
    if not (_word_ok_before(text, c) and _word_ok_after(text, c)):
        return False
    kind = c.kind
    if kind in ("year", "range", "range_year_short") and re.search(r"(?<![0-9])[0-9]{4}$", span):
        if duration.QUANTITY_NOUN_AFTER.match(text[c.end: c.end + 30]):
            if not duration.STRONG_TEMPORAL_BEFORE.search(before):  # "2015 troops", "1400 GMT"
                return False
    if span[0].isdigit() and duration.NAME_OR_QUALIFIER_BEFORE.search(before):  # "Resolution 2259", "about 2000"
        return False
    if kind in ("year", "range_year_short") or (kind == "range" and re.match(r"^[0-9]{4}(?![0-9])", span)):
        if int(span[:4]) < 1900 and not duration.EARLY_YEAR_BEFORE.search(before):
            return False
    if kind == "decade" and _DEC2_NO_APOS.match(span) and not span[0].isalpha():
        if not _THE_BEFORE.search(before):  # "the 90s" yes, "in their 20s" no
            return False
    if kind in ("md", "dm", "range_day") and duration.NAME_AFTER_DAY_MONTH.match(text[c.end: c.end + 20]):
        return False  # "the June 5 Movement"
    if kind == "rel_unit" and span[:4].lower() == "next" and _THE_BEFORE.search(before):
        return False  # "the next year" follows the narrative, not the document date
    if kind == "weekday" and duration.NAME_BEFORE_WEEKDAY.search(before):
        return False  # "Black Friday"
    if kind in ("season", "rel_season") and duration.NAME_BEFORE_SEASON.search(before):
        return False  # "Arab Spring 2011"
    if kind == "month_bare":
        if _CAPITALISED_WORD_AFTER.match(text[c.end: c.end + 3]):  # "April Longley", but "in April Algeria"
            return bool(duration.STRONG_TEMPORAL_BEFORE.search(before))
        if duration.MONTH_CONTEXT_BEFORE.search(before):
            return True
        if span == "May":  # the modal verb at a sentence start
            return False
        if re.search(r"['’]s?[^\S\n]+$", before):  # "Haftar's March on Tripoli"
            return False
        if _CAPITALISED_WORD_BEFORE.search(before) and not _SENTENCE_START.search(before):
            return False  # "Operation August Storm"
    if kind in _RANGE_KINDS:
        flat = re.sub(r"\s+", " ", span)
        pts = range_points(flat)
        if pts is None:
            return False
        if not (pts[0].needs_year and pts[1].needs_year) and normalise_date(flat, None).value is None:
            return False  # "2016 to 2011": the ends are reversed
        if re.search(r"\s(?i:and)\s", span) and not _BETWEEN_BEFORE.search(before):
            return False  # "in 2011 and 2017" are two years; "between 2011 and 2017" one range
    elif kind in absolute.DETECT and parse_point(re.sub(r"\s+", " ", span)) is None:
        return False  # "February 30, 2015"
    return True


def _inside_duration(durations: list[tuple[int, int]], c: _Cand) -> bool:
    """Part of a duration that names no calendar period ("3 years later", "weeks-long")."""
    if c.kind in ("rel_n", "ago", "rel_unit", "rel_part_year"):
        return False
    return any(s <= c.start and c.end <= e for s, e in durations)


def _modifier(text: str, c: _Cand) -> Optional[DateModifier]:
    before = text[max(0, c.start - 30): c.start]
    m = _GLUED_MODIFIER.search(before)
    if m:
        return _MODIFIER[m["mod"].lower()]
    m = _PRE_MODIFIER.search(before)
    if not m:
        return None
    mod = _MODIFIER[re.sub(r"\s+", " ", m["mod"].lower())]
    if mod == "from" and (c.kind in _RANGE_KINDS or c.kind == "rel_n"):
        return None  # "from 2011 to 2016": "from" belongs to the range; "learned from the last 4 years"
    return mod


def find_dates(text: str) -> list[DateSpan]:
    """DATE mentions of a cleaned document, in document order."""
    cands: list[_Cand] = []
    for kind, rx in _DETECTORS:
        for m in rx.finditer(text):
            if m.end() > m.start():
                cands.append(_Cand(m.start(), m.end(), kind))
    durations = [(m.start(), m.end()) for m in _DURATION.finditer(text)]
    cands = [c for c in cands if _accept(text, c) and not _inside_duration(durations, c)]
    cands.sort(key=lambda c: (-(c.end - c.start), c.start))
    taken: list[_Cand] = []
    occupied: list[tuple[int, int]] = []
    for c in cands:
        if any(c.start < e and s < c.end for s, e in occupied):
            continue
        taken.append(c)
        occupied.append((c.start, c.end))
    taken.sort(key=lambda c: c.start)
    out = []
    for c in taken:
        out.append(DateSpan(c.start, c.end, text[c.start: c.end], _modifier(text, c)))
    return out
