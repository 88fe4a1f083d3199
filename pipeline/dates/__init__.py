"""DATES stage: detection and normalisation of temporal expressions.

    normalise_date(text, anchor, *, year_hint=None) -> DateValue
    find_dates(text) -> list[DateSpan]
    extract_dates(text, anchor) -> list[tuple[DateSpan, DateValue]]

Rules: gold/GUIDELINES.md, section DATE and Decisions 26-33.
"""
from .detect import find_dates
from .extract import extract_dates
from .models import DateSpan
from .normalise import normalise_date

__all__ = ["DateSpan", "extract_dates", "find_dates", "normalise_date"]
