"""Normalisation of one DATE span to a `DateValue` (gold/GUIDELINES.md, DATE).

A small grammar (patterns/) parses the span into `Point`s; this module turns
them into ISO values at the expression's own granularity. dateparser is the
fallback for single dates the grammar does not know, and is only trusted
when the text writes a year and dateparser's `period` says how much of the
date was given, so no day or month is ever invented. Relative expressions
are resolved against the document date (`anchor`); without one they keep a
null value. Nothing here guesses.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache
from types import MappingProxyType
from typing import Optional

from dateutil.relativedelta import relativedelta

from ..schema import DateModifier, DateValue
from .models import Bounds, Point
from .patterns import absolute, relative, ranges
from .patterns.common import (
    ORDINAL_WORDS,
    SEASONS,
    day_number,
    month_number,
    number_value,
    weekday_number,
)

__all__ = ["normalise_date", "parse_point", "range_points", "full_date_year", "lacks_year", "month_level_year"]

# --- small calendar helpers -----------------------------------------------------


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _month_bounds(year: int, month: int) -> Bounds:
    return Bounds(dt.date(year, month, 1), dt.date(year, month, _last_day(year, month)))


def _year_bounds(first: int, last: int) -> Bounds:
    return Bounds(dt.date(first, 1, 1), dt.date(last, 12, 31))


_YEAR_PARTS = {  # (first month, last month)
    "early": (1, 4), "mid": (5, 8), "late": (9, 12),
    "h1": (1, 6), "h2": (7, 12),
    "q1": (1, 3), "q2": (4, 6), "q3": (7, 9), "q4": (10, 12),
}
_DECADE_PARTS = {None: (0, 9), "early": (0, 4), "mid": (3, 6), "late": (5, 9)}
_CENTURY_PARTS = {None: (0, 99), "early": (0, 33), "mid": (34, 66), "late": (67, 99)}
_SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11)}


def _part_word(word: Optional[str]) -> Optional[str]:
    """early/mid/late from "early", "mid", "middle", "late", "beginning", "start", "end"."""
    if word is None:
        return None
    w = word.lower()
    if w in ("early", "beginning", "start", "first", "opening"):
        return "early"
    if w in ("mid", "middle"):
        return "mid"
    if w in ("late", "end", "last", "final", "closing"):
        return "late"
    return None


def bounds(p: Point, year: Optional[int] = None) -> Optional[Bounds]:
    """Inclusive first and last day of `p`; `year` supplies a missing year."""
    y = p.year if p.year is not None else year
    if p.ambiguous:
        return None
    try:
        if p.gran == "day":
            if y is None or p.month is None or p.day is None:
                return None
            d = dt.date(y, p.month, p.day)
            return Bounds(d, d)
        if p.gran == "month":
            if y is None or p.month is None:
                return None
            last = _last_day(y, p.month)
            first_day, last_day = {None: (1, last), "early": (1, 10), "mid": (11, 20), "late": (21, last)}[p.part]
            return Bounds(dt.date(y, p.month, first_day), dt.date(y, p.month, last_day))
        if p.gran == "season":
            if y is None or p.season is None:
                return None
            if p.season == "winter":  # December of the year before to February of the named year
                return Bounds(dt.date(y - 1, 12, 1), dt.date(y, 2, _last_day(y, 2)))
            m1, m2 = _SEASON_MONTHS[p.season]
            return Bounds(dt.date(y, m1, 1), dt.date(y, m2, _last_day(y, m2)))
        if p.gran == "year":
            if y is None:
                return None
            if p.part is None:
                return _year_bounds(y, y)
            if p.part.startswith("months:"):  # explicit month span "months:1-3"
                m1, m2 = (int(x) for x in p.part[7:].split("-"))
            else:
                m1, m2 = _YEAR_PARTS[p.part]
            return Bounds(dt.date(y, m1, 1), dt.date(y, m2, _last_day(y, m2)))
        if p.gran == "decade" and p.first_year is not None:
            a, b = _DECADE_PARTS[p.part]
            return _year_bounds(p.first_year + a, p.first_year + b)
        if p.gran == "century" and p.first_year is not None:
            a, b = _CENTURY_PARTS[p.part]
            return _year_bounds(p.first_year + a, p.first_year + b)
    except (ValueError, KeyError):  # 31 April, 29 February of a common year, unknown part
        return None
    return None


# --- parsing a span into a Point --------------------------------------------------


def _point_from(kind: str, m: re.Match[str]) -> Optional[Point]:
    g = m.groupdict()
    if kind in ("mdy", "dmy", "iso", "md", "dm"):
        month = int(g["month"]) if kind == "iso" else month_number(g["month"])
        day = int(g["day"]) if kind == "iso" else day_number(g["day"])
        year = int(g["year"]) if g.get("year") else None
        p = Point("day", year=year, month=month, day=day)
        if year is not None and bounds(p) is None:
            return None  # "February 30, 2015"
        if year is None and not 1 <= day <= (29 if month == 2 else _last_day(2001, month)):
            return None
        return p
    if kind == "numeric":
        if g["sep1"] != g["sep2"]:
            return None
        a, b, year = int(g["a"]), int(g["b"]), int(g["year"])
        if g["sep1"] == ".":  # dotted numeric dates are day.month.year
            day, month = a, b
        elif a > 12 >= b:
            day, month = a, b
        elif b > 12 >= a:
            day, month = b, a
        elif a == b:
            day = month = a
        else:  # 03/04/2015: March 4 or 3 April; never guess
            return Point("day", year=year, ambiguous=True)
        p = Point("day", year=year, month=month, day=day)
        return p if bounds(p) is not None else None
    if kind == "iso_month":
        year, month = int(g["year"]), int(g["month"])
        if month > year % 100:  # "2011-12" is the range 2011-2012, not December 2011
            return None
        return Point("month", year=year, month=month)
    if kind == "my":
        return Point("month", year=int(g["year"]), month=month_number(g["month"]))
    if kind == "part_month":
        return Point("month", year=int(g["year"]) if g.get("year") else None, month=month_number(g["month"]),
                     part=_part_word(g.get("part") or g.get("partof")))
    if kind == "season":
        season = SEASONS[g["season"].lower()]
        year = int(g["year"])
        if g.get("year2"):  # "winter 2018/19": the second year names the January
            y2 = g["year2"]
            second = int(y2) if len(y2) == 4 else (year // 100) * 100 + int(y2)
            if len(y2) == 2 and second < year:
                second += 100
            if second != year + 1 or season != "winter":
                return None
            year = second
        return Point("season", year=year, season=season)
    if kind == "part_year":
        return Point("year", year=int(g["year"]), part=_part_word(g.get("part") or g.get("partof")))
    if kind == "months_of_year":
        if g.get("n"):  # "the first three months of 2015", "the last six months of 2014"
            n = number_value(g["n"])
            if not n or n > 12:
                return None
            part = _part_word(g["months"])
            first, last = (1, n) if part == "early" else (13 - n, 12)
            return Point("year", year=int(g["year"]), part=f"months:{first}-{last}")
        return Point("year", year=int(g["year"]), part=_part_word(g["months"]))
    if kind == "half_year":
        return Point("year", year=int(g["year"]), part="h1" if g["half"].lower() == "first" else "h2")
    if kind == "quarter_year":
        if g.get("q"):
            q = int(g["q"])
        else:
            q = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4, "final": 4}[g["quarter"].lower()]
        return Point("year", year=int(g["year"]), part=f"q{q}")
    if kind == "year":
        return Point("year", year=int(g["year"]))
    if kind == "decade":
        part = _part_word(g.get("part") or g.get("partof"))
        if g.get("dec4"):
            first = int(g["dec4"])
            if first % 100 == 0 and first < 2000:  # "the 1800s", "the 1900s": the century
                return Point("century", first_year=first, part=part)
            return Point("decade", first_year=first, part=part)
        two = int(g["dec2"])
        if two == 20:  # the '20s: 1920s or 2020s
            return Point("decade", ambiguous=True, part=part)
        return Point("decade", first_year=(1900 if two >= 30 else 2000) + two, part=part)
    if kind == "century":
        o = g["ord"].lower()
        n = ORDINAL_WORDS.get(o.replace("-", " ")) or ORDINAL_WORDS.get(o) or int(re.sub(r"\D", "", o))
        return Point("century", first_year=(n - 1) * 100, part=_part_word(g.get("part") or g.get("partof")))
    return None


@lru_cache(maxsize=8192)
def parse_point(text: str) -> Optional[Point]:
    """The single calendar point written by `text` (no range, no relative), or None."""
    for kind, rx in absolute.PARSE.items():
        m = rx.fullmatch(text)
        if m:
            p = _point_from(kind, m)
            if p is not None:
                return p
    m = absolute.PARSE_MONTH_BARE.fullmatch(text)
    if m:
        return Point("month", month=month_number(m["month"]))
    return None


# --- ranges ---------------------------------------------------------------------


def _day_only(text: str) -> Optional[tuple[int, Optional[int]]]:
    m = absolute.DAY_ONLY.fullmatch(text)
    if not m:
        return None
    return day_number(m["day"]), int(m["year"]) if m["year"] else None


def range_points(text: str) -> Optional[tuple[Point, Point]]:
    """Split a range at its separator into two complete-as-written points."""
    m = ranges.SHORT_YEAR_RANGE.fullmatch(text)
    if m:
        y1, y2s = int(m["y1"]), m["y2"]
        if len(y2s) == 4:
            y2 = int(y2s)
        else:
            y2 = (y1 // 100) * 100 + int(y2s)
            if y2 <= y1 and y1 % 100 >= 90 and int(y2s) < 10:  # "1999-00", "1998-01"
                y2 += 100
        if y2 > y1:
            return Point("year", year=y1), Point("year", year=y2)
        return None
    for sep in ranges.SEP_RE.finditer(text):
        left_text, right_text = text[: sep.start()].strip(), text[sep.end():].strip()
        if right_text[:4].lower() == "the ":  # "the 19th century to the early 20th century"
            right_text = right_text[4:]
        if not left_text or not right_text:
            continue
        left, right = parse_point(left_text), parse_point(right_text)
        if left is None and right is not None and right.gran == "day" and right.month is not None:
            d = _day_only(left_text)  # "6 to 8 October"
            if d and d[1] is None:
                left = Point("day", month=right.month, day=d[0])
        if right is None and left is not None and left.gran == "day" and left.month is not None:
            d = _day_only(right_text)  # "October 6 to 8", "October 6-8, 2025"
            if d:
                if d[1] is not None and left.year is not None:
                    continue
                right = Point("day", month=left.month, day=d[0], year=d[1])
                if d[1] is not None:
                    left = Point("day", month=left.month, day=left.day, year=d[1])
        if left is None or right is None or left.ambiguous or right.ambiguous:
            continue
        if left.gran == "month" and left.year is None and left.part is None and right.gran not in ("month", "day"):
            continue  # "May to 2015"
        return left, right
    return None


def _with_year(p: Point, year: int) -> Point:
    return Point(p.gran, year=year, month=p.month, day=p.day, part=p.part, season=p.season, first_year=p.first_year)


def _range_bounds(left: Point, right: Point, base_year: Optional[int], anchor: Optional[dt.date]) -> Optional[tuple[Bounds, bool]]:
    """Bounds of a range and whether the anchor was needed. A missing year comes
    from the other end, then from `base_year` (year inheritance), then from the anchor."""
    relative_used = False
    if left.needs_year and not right.needs_year and right.year is not None:
        left = _with_year(left, right.year)
        b1, b2 = bounds(left), bounds(right)
        if b1 and b2 and b1.start > b2.end:  # "December 28 to January 3, 2015"
            left = _with_year(left, right.year - 1)
    elif right.needs_year and not left.needs_year and left.year is not None:
        right = _with_year(right, left.year)
        b1, b2 = bounds(left), bounds(right)
        if b1 and b2 and b1.start > b2.end:
            right = _with_year(right, left.year + 1)
    elif left.needs_year and right.needs_year:
        if base_year is not None and (_inherits(left) or _inherits(right)):
            year = base_year
        elif anchor is not None:
            year = anchor.year
            relative_used = True
        else:
            return None
        left, right = _with_year(left, year), _with_year(right, year)
        b1, b2 = bounds(left), bounds(right)
        if b1 and b2 and b1.start > b2.end:
            left = _with_year(left, year - 1)
        b1 = bounds(left)
        if relative_used and b1 is not None and anchor is not None and b1.start > anchor:
            left, right = _with_year(left, year - 1), _with_year(right, year - 1)
            b1, b2 = bounds(left), bounds(right)
            if b1 and b2 and b1.start > b2.end:
                left = _with_year(left, year - 2)
    b1, b2 = bounds(left), bounds(right)
    if b1 is None or b2 is None or b1.start > b2.end:
        return None
    return Bounds(b1.start, b2.end), relative_used


# --- relative expressions ---------------------------------------------------------

_UNIT_DELTA = {
    "day": lambda n: relativedelta(days=n),
    "week": lambda n: relativedelta(weeks=n),
    "month": lambda n: relativedelta(months=n),
    "year": lambda n: relativedelta(years=n),
    "decade": lambda n: relativedelta(years=10 * n),
}


def _unit(word: str) -> str:
    w = word.lower()
    return w[:-1] if w.endswith("s") else w


def _week_of(d: dt.date) -> Bounds:
    monday = d - dt.timedelta(days=d.weekday())
    return Bounds(monday, monday + dt.timedelta(days=6))


def _season_instances(season: str, around: int) -> list[Bounds]:
    out = []
    for y in range(around - 2, around + 3):
        b = bounds(Point("season", year=y, season=season))
        if b is not None:
            out.append(b)
    return out


def _relative(kind: str, m: re.Match[str], anchor: Optional[dt.date]) -> Optional[DateValue]:
    """Value of a relative expression; None when the text is not one after all."""
    g = m.groupdict()
    rel = (g.get("rel") or "").lower()
    if kind == "weekday":
        gran = "day"
    elif kind == "rel_month":
        gran = "month"
    elif kind == "rel_season":
        gran = "season"
    elif kind == "rel_part_year":
        gran = "year"
    elif kind == "rel_unit":
        u = g["unit"].lower()
        gran = "range" if rel == "past" or u == "week" or (u == "decade" and rel != "this") else {"year": "year", "month": "month", "decade": "decade"}[u]
    elif kind == "rel_n":
        gran = "range"
    elif kind == "ago":
        gran = {"day": "day", "week": "range", "month": "month", "year": "year", "decade": "year"}[_unit(g["unit"])]
    else:
        gran = "day"
    if anchor is None:
        return DateValue(granularity=gran, relative=True)

    b: Optional[Bounds] = None
    if kind == "weekday":
        wd = weekday_number(g["weekday"])
        back = (anchor.weekday() - wd) % 7
        if rel == "last":
            back = back or 7
        if rel == "next":
            d = anchor + dt.timedelta(days=(wd - anchor.weekday()) % 7 or 7)
        else:
            d = anchor - dt.timedelta(days=back)
        b = Bounds(d, d)
    elif kind == "rel_month":
        month = month_number(g["month"])
        candidates = [_month_bounds(y, month) for y in range(anchor.year - 1, anchor.year + 2)]
        if rel == "last":
            b = max((c for c in candidates if c.end < anchor), key=lambda c: c.start)
        elif rel == "next":
            b = min((c for c in candidates if c.start > anchor), key=lambda c: c.start)
        else:
            b = _month_bounds(anchor.year, month)
    elif kind == "rel_season":
        season = SEASONS[g["season"].lower()]
        inst = _season_instances(season, anchor.year)
        if rel == "last":
            b = max((c for c in inst if c.end < anchor), key=lambda c: c.start)
        elif rel == "next":
            b = min((c for c in inst if c.start > anchor), key=lambda c: c.start)
        else:
            containing = [c for c in inst if c.start <= anchor <= c.end]
            b = containing[0] if containing else min((c for c in inst if c.start > anchor), key=lambda c: c.start)
    elif kind == "rel_part_year":
        year = anchor.year + {"last": -1, "this": 0, "next": 1}[rel]
        b = bounds(Point("year", year=year, part=_part_word(g.get("part") or g.get("partof"))))
    elif kind == "rel_unit":
        u = g["unit"].lower()
        if rel == "past" or (u == "decade" and rel == "last"):
            b = Bounds(anchor - _UNIT_DELTA[u](1), anchor)
        elif u == "decade":
            if rel == "this":
                first = anchor.year - anchor.year % 10
                b = _year_bounds(first, first + 9)
            else:
                b = Bounds(anchor, anchor + _UNIT_DELTA[u](1))
        else:
            step = {"last": -1, "this": 0, "next": 1}[rel]
            if u == "year":
                b = _year_bounds(anchor.year + step, anchor.year + step)
            elif u == "month":
                first = anchor.replace(day=1) + relativedelta(months=step)
                b = _month_bounds(first.year, first.month)
            else:
                b = _week_of(anchor + dt.timedelta(weeks=step))
    elif kind == "rel_n":
        n = number_value(g["n"])
        if not n:
            return None
        delta = _UNIT_DELTA[_unit(g["unit"])](n)
        b = Bounds(anchor, anchor + delta) if rel in ("next", "coming") else Bounds(anchor - delta, anchor)
    elif kind == "ago":
        n = number_value(g["n"])
        if not n:
            return None
        u = _unit(g["unit"])
        d = anchor - _UNIT_DELTA[u](n)
        if u == "day":
            b = Bounds(d, d)
        elif u == "week":
            b = _week_of(d)
        elif u == "month":
            b = _month_bounds(d.year, d.month)
        else:
            b = _year_bounds(d.year, d.year)
    elif kind == "deictic":
        d = anchor + dt.timedelta(days=-1 if g["word"].lower() == "yesterday" else 1)
        b = Bounds(d, d)
    if b is None:
        return None
    return _value(b, gran, relative=True)


# --- building the DateValue -------------------------------------------------------


def _iso(b: Bounds, gran: str) -> str:
    """ISO string at the granularity when `b` is one whole day, month or year; else start/end."""
    s, e = b.start, b.end
    if gran == "day" and s == e:
        return s.isoformat()
    if gran == "month" and s.day == 1 and (s.year, s.month) == (e.year, e.month) and e.day == _last_day(e.year, e.month):
        return f"{s.year:04d}-{s.month:02d}"
    if gran == "year" and (s.month, s.day, e.month, e.day) == (1, 1, 12, 31) and s.year == e.year:
        return f"{s.year:04d}"
    return f"{s.isoformat()}/{e.isoformat()}"


def _value(b: Bounds, gran: str, *, relative: bool, iso: Optional[str] = None) -> DateValue:
    return DateValue(value=iso or _iso(b, gran), start=b.start, end=b.end, granularity=gran, relative=relative)


def _point_value(p: Point, b: Bounds, relative: bool) -> DateValue:
    if p.gran == "day":
        return _value(b, "day", relative=relative, iso=b.start.isoformat())
    if p.gran == "month":
        iso = f"{b.start.year:04d}-{b.start.month:02d}" if p.part is None else None
        return _value(b, "month", relative=relative, iso=iso)
    if p.gran == "year":
        return _value(b, "year", relative=relative, iso=f"{b.start.year:04d}" if p.part is None else None)
    if p.gran == "century":
        return _value(b, "range", relative=relative)
    return _value(b, p.gran, relative=relative)


def _inherits(p: Point) -> bool:
    """Decision 31 applies to a day+month ("16 May", "October 6 to 8") and to a part of a
    month ("mid-May"); a bare month name follows Decision 30 (the document date)."""
    return p.gran == "day" or (p.gran == "month" and p.part is not None)


def _resolve_point(p: Point, year_hint: Optional[int], anchor: Optional[dt.date]) -> DateValue:
    gran = "range" if p.gran == "century" else p.gran
    if p.ambiguous:
        return DateValue(granularity=gran)
    if not p.needs_year:
        b = bounds(p)
        return _point_value(p, b, relative=False) if b else DateValue(granularity=gran)
    if year_hint is not None and _inherits(p):  # Decision 31: the year of the nearest preceding full date
        b = bounds(p, year_hint)
        return _point_value(p, b, relative=False) if b else DateValue(granularity=gran)
    if anchor is None:  # the document date would have been needed
        return DateValue(granularity=gran, relative=True)
    # Decision 30: the most recent such day/month on or before the document date.
    for year in range(anchor.year, anchor.year - 9, -1):  # 29 February may need a few years
        b = bounds(p, year)
        if b is not None and b.start <= anchor:
            return _point_value(p, b, relative=True)
    return DateValue(granularity=gran, relative=True)


# --- dateparser (fallback for single dates the grammar does not know) ------------

_DP_SETTINGS = MappingProxyType({
    "PREFER_DATES_FROM": "past",
    "RETURN_TIME_AS_PERIOD": True,
    "PREFER_DAY_OF_MONTH": "first",
    "REQUIRE_PARTS": ["year"],
})
_HAS_YEAR = re.compile(r"(?<![0-9])(1[0-9]{3}|20[0-9]{2})(?![0-9])")
_NO_ANCHOR = dt.datetime(2000, 1, 1)


@lru_cache(maxsize=64)
def _dateparser(anchor: Optional[dt.date]):
    from dateparser.date import DateDataParser  # imported lazily: its import costs ~0.5 s

    base = dt.datetime.combine(anchor, dt.time()) if anchor is not None else _NO_ANCHOR
    return DateDataParser(languages=["en"], settings={**_DP_SETTINGS, "RELATIVE_BASE": base})


def _via_dateparser(text: str, anchor: Optional[dt.date]) -> Optional[DateValue]:
    years = _HAS_YEAR.findall(text)
    if len(years) != 1:  # a written year is required: nothing relative, nothing guessed
        return None
    data = _dateparser(anchor).get_date_data(text)
    if data is None or data.date_obj is None or data.date_obj.year != int(years[0]):
        return None
    d = data.date_obj.date()
    if data.period == "day" or data.period == "time":
        return _value(Bounds(d, d), "day", relative=False, iso=d.isoformat())
    if data.period == "month":
        return _point_value(Point("month", year=d.year, month=d.month), _month_bounds(d.year, d.month), False)
    if data.period == "year":
        return _point_value(Point("year", year=d.year), _year_bounds(d.year, d.year), False)
    return None


# --- public -------------------------------------------------------------------------

_LEADING = re.compile(
    r"^(?:(?P<mod>(?i:ever\s+since|since|up\s+until|until|till|through|thru|prior\s+to|before|after|from))\s+"
    r"|(?P<glued>(?i:post|pre))[-\u2010\u2011\u2013]?(?=[0-9])|(?i:the|between|in|on|during|of)\s+)"
)
_MODIFIER: dict[str, DateModifier] = {
    "ever since": "since", "since": "since", "up until": "until", "until": "until", "till": "until",
    "through": "until", "thru": "until",
    "prior to": "before", "before": "before", "after": "after", "from": "from", "post": "after", "pre": "before",
}
_SPACES = re.compile(r"\s+")


def _clean(text: str) -> tuple[str, Optional[DateModifier]]:
    t = _SPACES.sub(" ", text.replace("\u2019", "'").replace("\u00a0", " ")).strip().strip(",;:")
    modifier: Optional[DateModifier] = None
    while True:
        m = _LEADING.match(t)
        if not m:
            break
        word = m["mod"] or m["glued"]
        if word and modifier is None:
            modifier = _MODIFIER[_SPACES.sub(" ", word.lower())]
        t = t[m.end():].strip()
    return t, modifier


def _normalise(t: str, anchor: Optional[dt.date], year_hint: Optional[int]) -> Optional[DateValue]:
    p = parse_point(t)
    if p is not None:
        return _resolve_point(p, year_hint, anchor)
    for kind, rx in relative.PARSE.items():
        m = rx.fullmatch(t)
        if m:
            try:
                v = _relative(kind, m, anchor)
            except (ValueError, OverflowError):  # "the last 900 decades": outside the calendar
                return DateValue(relative=True)
            if v is not None:
                return v
    pts = range_points(t)
    if pts is not None:
        left, right = pts
        rb = _range_bounds(left, right, year_hint, anchor)
        if rb is None:
            needs = left.needs_year and right.needs_year
            return DateValue(granularity="range", relative=needs and anchor is None and year_hint is None)
        b, used = rb
        return _value(b, "range", relative=used)
    return None


@lru_cache(maxsize=16384)
def normalise_date(text: str, anchor: Optional[dt.date], *, year_hint: Optional[int] = None) -> DateValue:
    """Normalise one DATE span. Pure and cached (same text, anchor and hint: parsed once).

    `anchor` is the document's publication date (None when it has none);
    `year_hint` is the year of the nearest preceding full date (Decision 31),
    used only by expressions that write no year. Unparseable text gives a
    DateValue whose value is None.
    """
    t, modifier = _clean(text)
    value = _normalise(t, anchor, year_hint)
    if value is None and t.endswith("."):
        value = _normalise(t[:-1].rstrip(), anchor, year_hint)
    if value is None:
        value = _via_dateparser(t, anchor) or DateValue()
    if modifier == "from" and value.granularity == "range":
        modifier = None  # "from 2011 to 2016": "from" belongs to the range
    if modifier is not None:
        value = value.model_copy(update={"modifier": modifier})
    return value


@lru_cache(maxsize=8192)
def full_date_year(text: str) -> Optional[int]:
    """The year of `text` when it writes a full date (day, month and year), else None.

    "October 7, 2025" -> 2025; "October 6-8, 2025" -> 2025; "January 2013" -> None.
    """
    t, _ = _clean(text)
    p = parse_point(t)
    if p is not None:
        return p.year if p.explicit_day else None
    pts = range_points(t)
    if pts is not None:
        left, right = pts
        if left.gran == "day" and right.explicit_day:
            return right.year
    return None



@lru_cache(maxsize=8192)
def lacks_year(text: str) -> bool:
    """A calendar day or month written without its year ("16 May", "mid-May", "May", "October 6 to 8")."""
    t, _ = _clean(text)
    p = parse_point(t)
    if p is not None:
        return p.needs_year
    pts = range_points(t)
    return pts is not None and pts[0].needs_year and pts[1].needs_year


@lru_cache(maxsize=8192)
def month_level_year(text: str) -> Optional[int]:
    """The year written by a day- or month-level expression ("20 June 2015", "June 2015",
    "late June 2015", "6-8 June 2015"); None otherwise."""
    t, _ = _clean(text)
    p = parse_point(t)
    if p is None:
        pts = range_points(t)
        p = pts[1] if pts is not None else None
    if p is not None and p.gran in ("day", "month") and p.year is not None and not p.ambiguous:
        return p.year
    return None
