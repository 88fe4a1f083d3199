"""Document metadata read from the text itself: dates, bylines, copyright lines.

Only what the text states is returned; nothing comes from the file system.
Which date is *the* publication date (the byline's, not the site clock's nor
a teaser's) is decided by position in `boilerplate.classify`; this module
only recognises the lines.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Optional

from .lexicon import stopwords

MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    [
        "january jan janvier janv",
        "february feb febr février fevrier févr fevr",
        "march mar mars",
        "april apr avril avr",
        "may mai",
        "june jun juin",
        "july jul juillet juil",
        "august aug août aout",
        "september sep sept septembre",
        "october oct octobre",
        "november nov novembre",
        "december dec décembre decembre déc",
    ],
    start=1,
):
    for _n in _names.split():
        MONTHS[_n] = _i

_MON = "(?:" + "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True)) + r")\.?"
# a month name or abbreviation, English or French, any case (for other modules' patterns)
MONTH_NAME = r"(?i:" + _MON + r")(?![^\W\d_])"
_WD = (r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|"
       r"saturday|sunday|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\.?,?\s+)?")
_DAY = r"(\d{1,2})(?:st|nd|rd|th|er)?"
_YEAR = r"((?:19|20)\d\d)"
_TIME = (r"(?:\s*(?:[,|·•@-]|–|—|at|à)?\s*\d{1,2}[:h.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?"
         r"(?:\s*(?:gmt|utc|[a-z]{2,5}|[+-]\d{2}:?\d{2}))?)?")
_PREFIX = (r"(?:(published|posted|updated|last updated|first published|date|dated|report date|date of report|"
           r"publication date|date of publication|issued|released|publié|publié le|"
           r"mis à jour|mis à jour le)\s*(?:on|:|le)?\s*)?")

# each: (regex, order of the day/month/year groups)
_DATE_FORMS = [
    (re.compile(_WD + _DAY + r"\s+(" + _MON + r"),?\s+" + _YEAR, re.IGNORECASE), "dmy"),
    (re.compile(_WD + "(" + _MON + r")\s+" + _DAY + r",?\s+" + _YEAR, re.IGNORECASE), "mdy"),
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:z|[+-]\d\d:?\d\d)?)?", re.IGNORECASE), "ymd"),
]
_LINE_FORMS = [
    (re.compile(r"^\s*" + _PREFIX + "(?:" + rx.pattern + ")" + _TIME + r"\s*$", re.IGNORECASE), order)
    for rx, order in _DATE_FORMS
]


def _to_date(groups: tuple[str, ...], order: str) -> Optional[dt.date]:
    vals = dict(zip(order, groups))
    mon = vals["m"]
    month = int(mon) if mon.isdigit() else MONTHS.get(mon.lower().rstrip("."))
    if month is None:
        return None
    try:
        return dt.date(int(vals["y"]), month, int(vals["d"]))
    except ValueError:
        return None


_PART_SPLIT = re.compile(r"\s+[|·•]\s+")
_UPDATED_TIME = re.compile(r"^\s*(?:updated|last updated|mis à jour)\s*:?\s*\d{1,2}[:h.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?"
                           r"(?:\s*(?:gmt|utc|[a-z]{2,5}|[+-]\d{2}:?\d{2}))?\s*$", re.IGNORECASE)


def parse_date_line(text: str) -> Optional[tuple[dt.date, str]]:
    """A block that is only a date (with an optional label and time) -> (date, label).

    "Published 25 June 2024, 16:42 GMT | Updated 25 June 2024, 19:10 GMT": every part a
    date line -> the published one (else the first)."""
    parts = _PART_SPLIT.split(text.strip())
    if len(parts) > 1:
        parts = [x for x in parts if not _UPDATED_TIME.match(x)]  # "| Updated 7:05pm GMT": a time, no date
        found = [parse_date_line(x) for x in parts]
        if found and all(found):
            return next((f for f in found if f[1] == "published"), found[0])
        return None
    if len(text) > 80:
        return None
    for rx, order in _LINE_FORMS:
        m = rx.match(text)
        if m:
            prefix = (m.group(1) or "").lower()
            d = _to_date(tuple(g for g in m.groups()[1:4]), order)
            if d is not None:
                return d, ("updated" if "updated" in prefix or "mis à jour" in prefix else "published")
    return None


def find_date(text: str) -> Optional[dt.date]:
    """The first date written out in `text` (for bylines such as "By X | Jan 5, 2020")."""
    best: Optional[tuple[int, dt.date]] = None
    for rx, order in _DATE_FORMS:
        for m in rx.finditer(text):
            d = _to_date(m.groups()[:3], order)
            if d is not None and (best is None or m.start() < best[0]):
                best = (m.start(), d)
            if d is not None:
                break
    return best[1] if best else None


# --- bylines --------------------------------------------------------------------------

_NAME_TOKEN = r"(?:[A-Z][\w'’.-]*|(?:al|el|ben|bin|de|du|van|von|der|la|le|da|di|ibn|abu)-?)"
_NAME = _NAME_TOKEN + r"(?:\s+" + _NAME_TOKEN + r"){0,4}"
RE_BY = re.compile(r"^(?:by|written by|words by|reporting by|text by|par)\s*:?\s+(?P<rest>.+)$", re.IGNORECASE)
RE_NAME_OUTLET = re.compile(r"^(?P<name>" + _NAME + r")\s+(?:[-–—|/,])\s+(?P<outlet>[^.!?]+?)\s*$")
RE_NAME_ONLY = re.compile(r"^" + _NAME + r"$")
RE_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bet\b)\s*")
RE_REST_SPLIT = re.compile(r"\s+[|·•/]\s+|\s+[-–—]\s+|,\s+(?=\S*\d)")
RE_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?)?\s*,?\s*"
    r"(?P<pub>[^.|©]{2,80}?)\s*(?:[.|,]|all rights reserved|$)",
    re.IGNORECASE,
)


def _is_name(s: str) -> bool:
    s = s.strip()
    if not s or len(s) > 60 or not RE_NAME_ONLY.match(s):
        return False
    tokens = s.split()
    return 1 <= len(tokens) <= 5 and any(t[:1].isupper() for t in tokens)


def split_names(s: str) -> list[str]:
    return [n.strip() for n in RE_NAME_SPLIT.split(s) if _is_name(n)]


def parse_byline(text: str, near_date: bool) -> Optional[tuple[list[str], Optional[str], Optional[dt.date]]]:
    """(authors, publisher or None, date or None) if `text` is a byline.

    "By A and B", "by A | Jan 5, 2020", "A - Outlet" (when next to a date line),
    "A B" alone (when next to a date line).
    """
    text = " ".join(text.split())
    if not text or len(text) > 160 or text.endswith((".", "!", "?")) and not text.lower().startswith("by "):
        return None
    m = RE_BY.match(text)
    if m:
        rest = m.group("rest")
        parts = RE_REST_SPLIT.split(rest, maxsplit=1)
        names = split_names(parts[0])
        if not names:
            return None
        tail = parts[1] if len(parts) > 1 else ""
        when = find_date(tail) if tail else None
        outlet = tail.strip() if tail and when is None and not any(ch.isdigit() for ch in tail) else None
        return names, outlet or None, when
    if not near_date:
        return None
    m = RE_NAME_OUTLET.match(text)
    if m and len(text.split()) <= 10:
        names = split_names(m.group("name"))
        outlet = m.group("outlet").strip()
        if names and find_date(outlet) is None:
            return names, outlet or None, None
    if RE_NAME_ONLY.match(text) and 2 <= len(text.split()) <= 4:
        if not any(w.lower() in stopwords() for w in text.split()):
            return [text], None, None
    return None


def parse_copyright(text: str) -> Optional[str]:
    m = RE_COPYRIGHT.match(" ".join(text.split()))
    if not m:
        return None
    pub = m.group("pub").strip(" ,.-")
    return pub or None
