"""Find and normalise the dates of one document, in document order."""
from __future__ import annotations

import datetime as dt
import re
from typing import Optional

from ..schema import DateValue
from .detect import find_dates
from .models import DateSpan
from .normalise import full_date_year, lacks_year, month_level_year, normalise_date

__all__ = ["extract_dates"]

# Between two coordinated dates: "15 May and 20 June 2015", "May, June and July 2014".
_COORDINATION = re.compile(r"^[^\S\n]*(?:,[^\S\n]*)?(?:(?:and|or|&)[^\S\n]+)?$")


def _coordinated_years(text: str, spans: list[DateSpan]) -> list[Optional[int]]:
    """For each span without a year, the year written by the date it is coordinated with."""
    years: list[Optional[int]] = [None] * len(spans)
    for i in range(len(spans) - 2, -1, -1):
        if not lacks_year(spans[i].text):
            continue
        nxt = spans[i + 1]
        gap = text[spans[i].end: nxt.start]
        if not gap or not _COORDINATION.match(gap):
            continue
        years[i] = month_level_year(nxt.text) or years[i + 1]
    return years


def extract_dates(text: str, anchor: Optional[dt.date]) -> list[tuple[DateSpan, DateValue]]:
    """Every DATE mention of `text` with its value, in document order.

    A day+month (or part of a month) written without a year takes, in order:
    the year of a date it is coordinated with ("15 May and 20 June 2015");
    the year of the nearest preceding full date (day, month and year) in the
    document (Decision 31); the document date `anchor` (Decision 30); else
    its value is null.
    """
    spans = find_dates(text)
    coordinated = _coordinated_years(text, spans)
    out: list[tuple[DateSpan, DateValue]] = []
    last_full_year: Optional[int] = None
    for span, year in zip(spans, coordinated):
        if year is not None:
            value = normalise_date(f"{span.text} {year}", anchor)
        else:
            value = normalise_date(span.text, anchor, year_hint=last_full_year)
        if value.modifier != span.modifier:
            value = value.model_copy(update={"modifier": span.modifier})
        full = full_date_year(span.text)
        if full is not None:
            last_full_year = full
        out.append((span, value))
    return out
