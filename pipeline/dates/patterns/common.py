"""Vocabulary and regex fragments shared by every date pattern.

Fragments are plain strings so that patterns can be composed; each module
compiles its own patterns once at import. Named groups are only used in the
patterns that `normalise` parses with; `strip_names` turns a parsing pattern
into a detection fragment that can be repeated inside a larger regex.
"""
from __future__ import annotations

import re

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6,
}
SEASONS: dict[str, str] = {"spring": "spring", "summer": "summer", "autumn": "autumn", "fall": "autumn", "winter": "winter"}

_UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS_WORDS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
ORDINAL_WORDS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "twenty-first": 21, "twenty first": 21,
}

# --- whitespace and punctuation ------------------------------------------------
# One or more spaces, or a single line break (a date may wrap, a paragraph may not split it).
WS = r"(?:[^\S\n]+|[^\S\n]*\n[^\S\n]*)"
OWS = r"(?:[^\S\n]*|[^\S\n]*\n[^\S\n]*)"
HYPHENS = "-\u2010\u2011\u2012\u2013"
HY = f"[{HYPHENS}]"
DASHES = HYPHENS + "\u2014"
APOS = "['\u2019]"

# --- tokens ---------------------------------------------------------------------
_MONTH_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH_ABBR = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
MONTH = rf"(?:(?:{_MONTH_FULL})|(?:{_MONTH_ABBR})\.?)(?![A-Za-z])"
MONTH_FULL = rf"(?:{_MONTH_FULL})(?![A-Za-z])"
WEEKDAY_FULL = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?![A-Za-z])"
WEEKDAY_ANY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)\.?(?![A-Za-z])"
DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?(?![0-9A-Za-z])"
YEAR = r"(?:1[0-9]{3}|20[0-9]{2})(?![0-9])"
SEASON = r"(?i:spring|summer|autumn|fall|winter)(?![A-Za-z])"
PART = r"(?i:early|mid|middle|late)"

_NUM_WORD = "|".join(sorted(list(_UNITS_WORDS) + list(_TENS_WORDS), key=len, reverse=True))
NUMBER = (
    rf"(?:[1-9][0-9]{{0,2}}(?![0-9,.])|(?i:(?:{'|'.join(_TENS_WORDS)})[{HYPHENS} ](?:one|two|three|four|five|six|seven|eight|nine)"
    rf"|{_NUM_WORD}|a\s+dozen|a\s+couple\s+of|a\s+couple)(?![A-Za-z]))"
)

# Strip (?P<name>...) so a parsing pattern can be reused inside a detection regex.
_NAMED = re.compile(r"\(\?P<\w+>")


def strip_names(pattern: str) -> str:
    return _NAMED.sub("(?:", pattern)


def month_number(token: str) -> int | None:
    return MONTHS.get(token.strip().rstrip(".").lower())


def weekday_number(token: str) -> int | None:
    return WEEKDAYS.get(token.strip().rstrip(".").lower())


def day_number(token: str) -> int:
    return int(re.sub(r"(?:st|nd|rd|th)$", "", token.strip().lower()))


def number_value(token: str) -> int | None:
    """Digits or English number words ("two", "twenty-five", "a dozen") -> int."""
    t = re.sub(r"\s+", " ", token.strip().lower())
    if t.isdigit():
        return int(t)
    if t in ("a", "an", "one"):
        return 1
    if t == "a dozen":
        return 12
    if t in ("a couple", "a couple of"):
        return 2
    if t in _UNITS_WORDS:
        return _UNITS_WORDS[t]
    if t in _TENS_WORDS:
        return _TENS_WORDS[t]
    parts = re.split(f"[{HYPHENS} ]", t)
    if len(parts) == 2 and parts[0] in _TENS_WORDS and parts[1] in _UNITS_WORDS and 0 < _UNITS_WORDS[parts[1]] < 10:
        return _TENS_WORDS[parts[0]] + _UNITS_WORDS[parts[1]]
    return None
