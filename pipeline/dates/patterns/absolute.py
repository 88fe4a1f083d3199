"""Absolute temporal expressions: calendar dates, months, years, decades,
centuries, seasons and the early/mid/late parts of them.

Each entry of `POINTS` is (kind, pattern with named groups). `normalise`
full-matches a span against `PARSE[kind]`; `detect` scans a document with
`DETECT[kind]` (the same pattern without group names).
"""
from __future__ import annotations

import re

from .common import APOS, DAY, HY, MONTH, MONTH_FULL, NUMBER, OWS, PART, SEASON, WEEKDAY_ANY, WS, YEAR, strip_names

HY_OR_WS = rf"(?:{HY}|{WS})"
_WEEKDAY_PREFIX = rf"(?:(?P<weekday>{WEEKDAY_ANY}),?{WS})?"
# "the beginning of", "the end of" (the article stays outside the span)
_PART_OF = rf"(?P<partof>(?i:beginning|start|middle|end)){WS}(?i:of){WS}"
_PART_HY = rf"(?P<part>{PART}){HY_OR_WS}"

POINTS: list[tuple[str, str]] = [
    # day level -----------------------------------------------------------------
    ("mdy", rf"{_WEEKDAY_PREFIX}(?P<month>{MONTH}){WS}(?P<day>{DAY})(?:,{OWS}|{WS})(?P<year>{YEAR})"),
    ("dmy", rf"{_WEEKDAY_PREFIX}(?P<day>{DAY}){WS}(?:of{WS})?(?P<month>{MONTH}),?{WS}(?P<year>{YEAR})"),
    ("iso", r"(?P<year>1[0-9]{3}|20[0-9]{2})-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12][0-9]|3[01])(?![0-9])"),
    ("numeric", r"(?P<a>[0-3]?[0-9])(?P<sep1>[/.])(?P<b>[01]?[0-9])(?P<sep2>[/.])(?P<year>1[0-9]{3}|20[0-9]{2})(?![0-9])"),
    ("md", rf"{_WEEKDAY_PREFIX}(?P<month>{MONTH}){WS}(?P<day>{DAY})"),
    ("dm", rf"{_WEEKDAY_PREFIX}(?P<day>{DAY}){WS}(?:of{WS})?(?P<month>{MONTH})"),
    # month level ---------------------------------------------------------------
    ("my", rf"(?P<month>{MONTH}),?{WS}(?:of{WS})?(?P<year>{YEAR})"),
    ("part_month", rf"(?:{_PART_HY}|{_PART_OF})(?P<month>{MONTH_FULL})(?:,?{WS}(?:of{WS})?(?P<year>{YEAR}))?"),
    ("iso_month", r"(?P<year>1[0-9]{3}|20[0-9]{2})-(?P<month>0[1-9]|1[0-2])(?![0-9])"),
    # season --------------------------------------------------------------------
    ("season", rf"(?P<season>{SEASON}){WS}(?:(?i:of){WS})?(?P<year>{YEAR})(?:(?:{HY}|/)(?P<year2>[0-9]{{2}}(?:[0-9]{{2}})?)(?![0-9]))?"),
    # year level ----------------------------------------------------------------
    ("part_year", rf"(?:{_PART_HY}|{_PART_OF})(?P<year>{YEAR})"),
    # "the early months of 2011" (Decision 27: = early 2011); "the first three months of 2015" (exact)
    ("months_of_year", rf"(?P<months>(?i:early|first|opening|late|last|final|closing)){WS}(?:(?P<n>{NUMBER}){WS})?(?i:months){WS}(?i:of){WS}(?P<year>{YEAR})"),
    ("half_year", rf"(?P<half>(?i:first|second|latter)){WS}(?i:half){WS}(?i:of){WS}(?P<year>{YEAR})"),
    ("quarter_year", rf"(?:(?P<quarter>(?i:first|second|third|fourth|last|final)){WS}(?i:quarter){WS}(?i:of){WS}|Q(?P<q>[1-4]){WS}(?:of{WS})?)(?P<year>{YEAR})"),
    ("year", rf"(?P<year>{YEAR})"),
    # decade and century ----------------------------------------------------------
    ("decade", rf"(?:{_PART_HY}|{_PART_OF}(?:(?i:the){WS})?)?(?:(?P<dec4>(?:1[0-9]|20)[0-9]0){APOS}?s|(?P<apos>{APOS})?(?P<dec2>[0-9]0){APOS}?s)(?![A-Za-z0-9])"),
    ("century", rf"(?:{_PART_HY}|{_PART_OF}(?:(?i:the){WS})?)?(?P<ord>(?:1[0-9]|2[01]|[1-9])(?:st|nd|rd|th)|(?i:eighteenth|nineteenth|twentieth|twenty[- ]first)){HY_OR_WS}(?i:century)(?![A-Za-z])"),
]

PARSE: dict[str, re.Pattern[str]] = {kind: re.compile(p) for kind, p in POINTS}
DETECT: dict[str, re.Pattern[str]] = {kind: re.compile(strip_names(p)) for kind, p in POINTS}

# bare month name (no day, no year): resolved against the document date
MONTH_BARE = rf"(?P<month>{MONTH_FULL})"
PARSE_MONTH_BARE = re.compile(MONTH_BARE)
DETECT_MONTH_BARE = re.compile(strip_names(MONTH_BARE))
# a day number alone: only as one end of a range ("October 6 to 8", "6 to 8 October")
DAY_ONLY = re.compile(rf"(?P<day>{DAY})(?:,?{WS}(?P<year>{YEAR}))?")
