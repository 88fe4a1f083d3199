"""Internal value objects of the dates stage (the public value is `schema.DateValue`)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple, Optional

from ..schema import DateModifier


class DateSpan(NamedTuple):
    """A detected DATE mention: character offsets into the text it was found in."""

    start: int
    end: int
    text: str
    modifier: Optional[DateModifier] = None


@dataclass(frozen=True)
class Point:
    """One calendar point or period as written, possibly without its year.

    gran: day | month | year | season | decade | century.
    part: early | mid | late (of a month, year, decade, century); of a year also h1/h2,
    q1..q4, or "months:a-b" ("the first three months of 2015" -> months:1-3).
    year: the year as written (None when the text gives none). For a season it is the
    year the season is named by; winter YYYY is December YYYY-1 to February YYYY.
    """

    gran: str
    year: Optional[int] = None
    month: Optional[int] = None
    day: Optional[int] = None
    part: Optional[str] = None
    season: Optional[str] = None
    first_year: Optional[int] = None  # decade / century: first year
    ambiguous: bool = False  # written, but cannot be resolved without a guess ("03/04/2015", "the '20s")

    @property
    def needs_year(self) -> bool:
        return self.gran in ("day", "month", "season") and self.year is None

    @property
    def explicit_day(self) -> bool:
        """Day, month and year all written: a *full date* for year inheritance (Decision 31)."""
        return self.gran == "day" and self.year is not None and not self.ambiguous


@dataclass(frozen=True)
class Bounds:
    start: dt.date
    end: dt.date
