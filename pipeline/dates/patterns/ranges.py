"""Ranges: two calendar points joined by a dash, "to", "until", "through" or
(after "between") "and"; day ranges inside one month ("October 6 to 8",
"6-8 October 2025"); and short year ranges ("2015-16", "2011/12")."""
from __future__ import annotations

import re

from . import absolute
from .common import DAY, HY, HYPHENS, MONTH, OWS, WS, YEAR, strip_names

# The separator between the two ends. An em dash only joins two ends written
# without spaces (in prose a spaced em dash opens an aside).
SEP = rf"(?:{OWS}[{HYPHENS}]{OWS}|{WS}(?i:to|until|till|through|thru|and){WS}|\u2014)"
SEP_RE = re.compile(SEP)

# Points that may stand at either end of a range, longest forms first so that
# the regex engine prefers them.
_END_KINDS = (
    "mdy", "dmy", "my", "md", "dm", "part_month", "season",
    "part_year", "months_of_year", "half_year", "quarter_year", "decade", "century", "year",
)
_POINT = dict(absolute.POINTS)
_END = "(?:" + "|".join(strip_names(_POINT[k]) for k in _END_KINDS) + f"|{strip_names(absolute.MONTH_BARE)})"

RANGES: list[tuple[str, str]] = [
    # "October 6 to 8", "October 6-8, 2025"
    ("range_day", rf"{MONTH}{WS}{DAY}{SEP}{DAY}(?:,?{WS}{YEAR})?"),
    # "6 to 8 October", "6-8 October 2025"
    ("range_day", rf"{DAY}{SEP}{DAY}{WS}(?:of{WS})?{MONTH}(?:,?{WS}{YEAR})?"),
    # "2015-16", "2011/12", "2011/2012"
    ("range_year_short", rf"{YEAR}(?:{HY}|/)[0-9]{{2}}(?:[0-9]{{2}})?(?![0-9])"),
    # any two points: "2011 to 2016", "January and September 2025", "late 2012 to early 2013"
    ("range", rf"{_END}{SEP}(?:(?i:the){WS})?{_END}"),
]

DETECT: list[tuple[str, re.Pattern[str]]] = [(kind, re.compile(p)) for kind, p in RANGES]

SHORT_YEAR_RANGE = re.compile(rf"(?P<y1>{YEAR})(?:{HY}|/)(?P<y2>[0-9]{{2}}|[0-9]{{4}})(?![0-9])")
