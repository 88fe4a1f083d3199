"""Find and normalise the dates of one document (Decision 31 applied in order)."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from ..schema import DateValue
from .detect import find_dates
from .models import DateSpan
from .normalise import full_date_year, normalise_date

__all__ = ["extract_dates"]


def extract_dates(text: str, anchor: Optional[dt.date]) -> list[tuple[DateSpan, DateValue]]:
    """Every DATE mention of `text` with its value, in document order.

    A day+month (or month) written without a year takes the year of the
    nearest preceding full date (day, month and year) in the document; failing
    that it is resolved against `anchor`, the publication date; failing that
    its value is null.
    """
    out: list[tuple[DateSpan, DateValue]] = []
    last_full_year: Optional[int] = None
    for span in find_dates(text):
        value = normalise_date(span.text, anchor, year_hint=last_full_year)
        if span.modifier is not None and value.modifier != span.modifier:
            value = value.model_copy(update={"modifier": span.modifier})
        year = full_date_year(span.text)
        if year is not None:
            last_full_year = year
        out.append((span, value))
    return out
