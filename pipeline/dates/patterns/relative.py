"""Relative expressions, resolved against the document date (Decisions 29-30)."""
from __future__ import annotations

import re

from .common import HY, MONTH_FULL, NUMBER, PART, SEASON, WEEKDAY_FULL, WS, strip_names

HY_OR_WS = rf"(?:{HY}|{WS})"

RELATIVES: list[tuple[str, str]] = [
    # "last Tuesday", "Monday"
    ("weekday", rf"(?:(?P<rel>(?i:last|next|this)){WS})?(?P<weekday>{WEEKDAY_FULL})"),
    # "last May", "next October"
    ("rel_month", rf"(?P<rel>(?i:last|next|this)){WS}(?P<month>{MONTH_FULL})"),
    # "last summer"
    ("rel_season", rf"(?P<rel>(?i:last|next|this)){WS}(?P<season>{SEASON})"),
    # "late last year", "the end of this year": a part of a year named relatively
    ("rel_part_year", rf"(?:(?P<part>{PART}){HY_OR_WS}|(?P<partof>(?i:beginning|start|middle|end)){WS}(?i:of){WS})(?P<rel>(?i:last|this|next)){WS}(?i:year)(?![A-Za-z])"),
    # "last year", "this month", "past decade"
    ("rel_unit", rf"(?P<rel>(?i:last|next|this|past)){WS}(?P<unit>(?i:year|month|week|decade))(?![A-Za-z])"),
    # "past two years", "last 4 years", "next five months"
    ("rel_n", rf"(?P<rel>(?i:last|past|next|coming)){WS}(?P<n>{NUMBER}){WS}(?P<unit>(?i:days?|weeks?|months?|years?|decades?))(?![A-Za-z])"),
    # "three years ago", "a week ago"
    ("ago", rf"(?P<n>{NUMBER}|(?i:an?)){WS}(?P<unit>(?i:days?|weeks?|months?|years?|decades?)){WS}(?i:ago)(?![A-Za-z])"),
    ("deictic", r"(?P<word>(?i:yesterday|tomorrow))(?![A-Za-z])"),
]

PARSE: dict[str, re.Pattern[str]] = {kind: re.compile(p) for kind, p in RELATIVES}
DETECT: dict[str, re.Pattern[str]] = {kind: re.compile(strip_names(p)) for kind, p in RELATIVES}
