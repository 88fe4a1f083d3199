"""Dates stage: properties checked with hypothesis.

- start <= end for every resolved value, whatever the expression and anchor;
- the value's granularity (and the shape of its ISO string) matches the text;
- day-level dates round-trip through every written form;
- nothing below the written granularity is invented (a month is a whole month);
- relative values are anchored on or around the document date;
- detection never crashes, returns ordered, non-overlapping spans that are
  exactly the text at their offsets.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dates import extract_dates, find_dates, normalise_date

FAST = settings(max_examples=150, deadline=None)

MONTHS = list(calendar.month_name)[1:]
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))
anchors = st.one_of(st.none(), st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31)))
years = st.integers(min_value=1900, max_value=2099)
months = st.integers(min_value=1, max_value=12)

ISO_SHAPE = {
    "day": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "month": re.compile(r"^\d{4}-\d{2}$|^\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}$"),
    "year": re.compile(r"^\d{4}$|^\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}$"),
}
INTERVAL = re.compile(r"^\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}$")


def _day_forms(d: dt.date) -> list[str]:
    m, ab = MONTHS[d.month - 1], calendar.month_abbr[d.month]
    wd = calendar.day_name[d.weekday()]
    return [
        f"{m} {d.day}, {d.year}",
        f"{d.day} {m} {d.year}",
        f"{ab}. {d.day}, {d.year}" if ab != "May" else f"{ab} {d.day}, {d.year}",
        f"{wd}, {m} {d.day}, {d.year}",
        f"{d.day}th of {m}, {d.year}" if d.day not in (1, 2, 3, 21, 22, 23, 31) else f"{d.day} {m} {d.year}",
        d.isoformat(),
        f"{d.day:02d}.{d.month:02d}.{d.year}",
    ]


@FAST
@given(dates, anchors)
def test_day_level_dates_round_trip(d, anchor):
    for text in _day_forms(d):
        v = normalise_date(text, anchor)
        assert (v.value, v.start, v.end, v.granularity, v.relative) == (d.isoformat(), d, d, "day", False), text


@FAST
@given(years, months, anchors)
def test_month_year_is_a_whole_month(y, m, anchor):
    v = normalise_date(f"{MONTHS[m - 1]} {y}", anchor)
    assert v.value == f"{y:04d}-{m:02d}" and v.granularity == "month"
    assert v.start == dt.date(y, m, 1) and v.end == dt.date(y, m, calendar.monthrange(y, m)[1])


@FAST
@given(years, anchors)
def test_year_is_a_whole_year(y, anchor):
    v = normalise_date(str(y), anchor)
    assert (v.value, v.start, v.end, v.granularity) == (str(y), dt.date(y, 1, 1), dt.date(y, 12, 31), "year")


# (text, expected granularity) generators for every form of the grammar
def _expressions():
    part = st.sampled_from(["early", "mid-", "late", "Early", "mid "])
    month = st.sampled_from(MONTHS)
    season = st.sampled_from(["spring", "summer", "autumn", "fall", "winter"])
    decade = st.integers(min_value=190, max_value=209).map(lambda n: n * 10).filter(lambda d: d != 1900)  # "the 1900s" is the century (see the table)
    unit = st.sampled_from(["days", "weeks", "months", "years", "decades"])
    n = st.one_of(st.integers(min_value=1, max_value=40).map(str), st.sampled_from(["two", "three", "nine", "twenty-five"]))
    weekday = st.sampled_from(list(calendar.day_name))
    y2 = years.filter(lambda y: y < 2099)
    return st.one_of(
        st.tuples(years.map(str), st.just("year")),
        st.builds(lambda p, y: (f"{p.strip()}{'' if p.endswith('-') else ' '}{y}".replace("  ", " "), "year"), part, years),
        st.builds(lambda mo, y: (f"{mo} {y}", "month"), month, years),
        st.builds(lambda p, mo: (f"{p.strip()}{'' if p.endswith('-') else ' '}{mo}", "month"), part, month),
        st.builds(lambda mo, d: (f"{d} {mo}", "day"), month, st.integers(min_value=1, max_value=28)),
        st.builds(lambda s, y: (f"{s} {y}", "season"), season, years.filter(lambda y: y > 1900)),
        st.builds(lambda d: (f"{d}s", "decade"), decade),
        st.builds(lambda p, d: (f"{p.strip()}{'' if p.endswith('-') else ' '}{d}s", "decade"), part, decade),
        st.builds(lambda a, b: (f"{min(a, b)} to {max(a, b) + 1}", "range"), y2, y2),
        st.builds(lambda mo, a, b, y: (f"{mo} {min(a, b)} to {max(a, b)}, {y}", "range"), month,
                  st.integers(1, 28), st.integers(1, 28), years),
        st.builds(lambda a, b, y: (f"{MONTHS[min(a, b) - 1]} and {MONTHS[max(a, b) - 1]} {y}", "range"),
                  months, months, years),
        st.builds(lambda r, k, u: (f"{r} {k} {u}", "range"), st.sampled_from(["last", "past", "next"]), n, unit),
        st.builds(lambda w: (w, "day"), weekday),
    )


@FAST
@given(_expressions(), anchors, st.one_of(st.none(), years))
def test_start_before_end_and_granularity_matches_text(expr, anchor, hint):
    text, gran = expr
    v = normalise_date(text, anchor, year_hint=hint)
    assert v.granularity == gran, text
    if v.value is None:
        assert v.start is None and v.end is None
        return
    assert v.start is not None and v.end is not None and v.start <= v.end, text
    if gran in ISO_SHAPE:
        assert ISO_SHAPE[gran].match(v.value), (text, v.value)
    else:
        assert INTERVAL.match(v.value), (text, v.value)
    if "/" in v.value:
        assert v.value == f"{v.start.isoformat()}/{v.end.isoformat()}"
    else:
        assert v.value == v.start.isoformat()[: len(v.value)]


@FAST
@given(st.sampled_from(["Monday", "Friday", "May", "16 May", "mid-October", "last year", "past two years",
                        "last 4 months", "October 6 to 8"]),
       st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31)))
def test_relative_values_do_not_pass_the_document_date(text, anchor):
    v = normalise_date(text, anchor)
    assert v.relative is True and v.value is not None
    assert v.start <= anchor
    if text.startswith(("last", "past")):
        assert v.end <= anchor


@FAST
@given(st.sampled_from(["Monday", "16 May", "mid-May", "last year", "past two years", "May", "October 6 to 8"]))
def test_relative_without_document_date_is_null(text):
    v = normalise_date(text, None)
    assert v.value is None and v.start is None and v.end is None


PROSE = st.lists(
    st.sampled_from([
        "In", "since", "the", "late", "early", "mid-", "1980s", "2011", "2015", "to", "and", "between", "May",
        "October", "6", "8", "7,", "2025", "troops", "5,000", "last", "past", "two", "years", "Monday", "summer",
        "2018", ".", ",", "\n", "post-", "2013.12", "weeks-long", "today", "'90s", "from", "until", "–", "Arab", "Spring",
    ]),
    max_size=30,
).map(" ".join)


@FAST
@given(st.one_of(PROSE, st.text(max_size=200)), anchors)
def test_detection_is_total_and_spans_are_consistent(text, anchor):
    got = extract_dates(text, anchor)
    prev_end = -1
    for span, value in got:
        assert text[span.start:span.end] == span.text and span.text.strip() == span.text
        assert span.start >= prev_end
        prev_end = span.end
        if value.value is not None:
            assert value.start <= value.end
    assert [s for s, _ in got] == find_dates(text)


@FAST
@given(st.text(max_size=60), anchors)
def test_normalise_is_total(text, anchor):
    v = normalise_date(text, anchor)
    assert v.value is None or (v.start is not None and v.end is not None and v.start <= v.end)
