"""Dates stage: normalisation table (gold/GUIDELINES.md DATE, Decisions 26-33) and
year inheritance in `extract_dates`. Every sentence here is written for the test."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.dates import extract_dates, normalise_date
from pipeline.dates import normalise as norm_module
from pipeline.schema import DateValue

D = dt.date
A = D(2018, 9, 12)  # a Wednesday: the document date of most rows


def row(text, value, start, end, gran, *, anchor=A, hint=None, relative=False, modifier=None, id=None):
    return pytest.param(text, anchor, hint, value, start, end, gran, relative, modifier, id=id or f"{text!r}")


NULL = (None, None, None)

TABLE = [
    # --- day ------------------------------------------------------------------------
    row("October 7, 2025", "2025-10-07", D(2025, 10, 7), D(2025, 10, 7), "day"),
    row("7 October 2025", "2025-10-07", D(2025, 10, 7), D(2025, 10, 7), "day"),
    row("Oct. 7, 2025", "2025-10-07", D(2025, 10, 7), D(2025, 10, 7), "day"),
    row("7th of October, 2025", "2025-10-07", D(2025, 10, 7), D(2025, 10, 7), "day"),
    row("Tuesday, October 7, 2025", "2025-10-07", D(2025, 10, 7), D(2025, 10, 7), "day"),
    row("Wed, 12 Sep 2018", "2018-09-12", A, A, "day"),
    row("2025-10-07", "2025-10-07", D(2025, 10, 7), D(2025, 10, 7), "day"),
    row("13/09/2018", "2018-09-13", D(2018, 9, 13), D(2018, 9, 13), "day"),
    row("09/13/2018", "2018-09-13", D(2018, 9, 13), D(2018, 9, 13), "day"),
    row("12.09.2018", "2018-09-12", A, A, "day"),
    row("03/04/2015", *NULL, "day", id="numeric date, day/month order unknown"),
    row("February 29, 2016", "2016-02-29", D(2016, 2, 29), D(2016, 2, 29), "day"),
    row("12-Sep-2018", "2018-09-12", A, A, "day", id="dateparser fallback, day"),
    # --- day + month without a year (Decisions 30-31) ----------------------------------
    row("16 May", "2018-05-16", D(2018, 5, 16), D(2018, 5, 16), "day", relative=True),
    row("16 May", *NULL, "day", anchor=None, relative=True, id="16 May, no document date"),
    row("16 May", "2014-05-16", D(2014, 5, 16), D(2014, 5, 16), "day", anchor=None, hint=2014, id="16 May, year hint"),
    row("October 6", "2017-10-06", D(2017, 10, 6), D(2017, 10, 6), "day", relative=True, id="most recent on or before"),
    row("29 February", "2016-02-29", D(2016, 2, 29), D(2016, 2, 29), "day", relative=True),
    # --- month ----------------------------------------------------------------------
    row("June 2015", "2015-06", D(2015, 6, 1), D(2015, 6, 30), "month"),
    row("June of 2015", "2015-06", D(2015, 6, 1), D(2015, 6, 30), "month"),
    row("Sept. 2015", "2015-09", D(2015, 9, 1), D(2015, 9, 30), "month"),
    row("Sep-2018", "2018-09", D(2018, 9, 1), D(2018, 9, 30), "month", id="dateparser fallback, month"),
    row("May", "2018-05", D(2018, 5, 1), D(2018, 5, 31), "month", relative=True),
    row("October", "2017-10", D(2017, 10, 1), D(2017, 10, 31), "month", relative=True),
    row("May", *NULL, "month", anchor=None, relative=True, id="May, no document date"),
    row("mid-May", "2018-05-11/2018-05-20", D(2018, 5, 11), D(2018, 5, 20), "month", relative=True),
    row("mid-May", *NULL, "month", anchor=None, relative=True, id="mid-May, no document date"),
    row("mid-May", "2014-05-11/2014-05-20", D(2014, 5, 11), D(2014, 5, 20), "month", anchor=None, hint=2014,
        id="mid-May, year hint"),
    row("early May 2014", "2014-05-01/2014-05-10", D(2014, 5, 1), D(2014, 5, 10), "month"),
    row("late October 2015", "2015-10-21/2015-10-31", D(2015, 10, 21), D(2015, 10, 31), "month"),
    row("late February 2016", "2016-02-21/2016-02-29", D(2016, 2, 21), D(2016, 2, 29), "month"),
    row("beginning of March 2017", "2017-03-01/2017-03-10", D(2017, 3, 1), D(2017, 3, 10), "month"),
    # --- year and its parts -----------------------------------------------------------
    row("2011", "2011", D(2011, 1, 1), D(2011, 12, 31), "year"),
    row("early 2014", "2014-01-01/2014-04-30", D(2014, 1, 1), D(2014, 4, 30), "year"),
    row("mid-2014", "2014-05-01/2014-08-31", D(2014, 5, 1), D(2014, 8, 31), "year"),
    row("late 2011", "2011-09-01/2011-12-31", D(2011, 9, 1), D(2011, 12, 31), "year"),
    row("Late 2011", "2011-09-01/2011-12-31", D(2011, 9, 1), D(2011, 12, 31), "year"),
    row("early months of 2011", "2011-01-01/2011-04-30", D(2011, 1, 1), D(2011, 4, 30), "year"),
    row("end of 2016", "2016-09-01/2016-12-31", D(2016, 9, 1), D(2016, 12, 31), "year"),
    row("first half of 2014", "2014-01-01/2014-06-30", D(2014, 1, 1), D(2014, 6, 30), "year"),
    row("Q3 2015", "2015-07-01/2015-09-30", D(2015, 7, 1), D(2015, 9, 30), "year"),
    row("first three months of 2015", "2015-01-01/2015-03-31", D(2015, 1, 1), D(2015, 3, 31), "year"),
    row("last six months of 2014", "2014-07-01/2014-12-31", D(2014, 7, 1), D(2014, 12, 31), "year"),
    # --- seasons (meteorological, northern hemisphere) ------------------------------------
    row("summer 2018", "2018-06-01/2018-08-31", D(2018, 6, 1), D(2018, 8, 31), "season"),
    row("autumn 2015", "2015-09-01/2015-11-30", D(2015, 9, 1), D(2015, 11, 30), "season"),
    row("fall of 2015", "2015-09-01/2015-11-30", D(2015, 9, 1), D(2015, 11, 30), "season"),
    row("spring 2012", "2012-03-01/2012-05-31", D(2012, 3, 1), D(2012, 5, 31), "season"),
    row("winter 2018", "2017-12-01/2018-02-28", D(2017, 12, 1), D(2018, 2, 28), "season"),
    row("winter 2019/20", "2019-12-01/2020-02-29", D(2019, 12, 1), D(2020, 2, 29), "season"),
    # --- decades and centuries -----------------------------------------------------------
    row("1930s", "1930-01-01/1939-12-31", D(1930, 1, 1), D(1939, 12, 31), "decade"),
    row("the 1930s", "1930-01-01/1939-12-31", D(1930, 1, 1), D(1939, 12, 31), "decade"),
    row("1930's", "1930-01-01/1939-12-31", D(1930, 1, 1), D(1939, 12, 31), "decade"),
    row("'90s", "1990-01-01/1999-12-31", D(1990, 1, 1), D(1999, 12, 31), "decade"),
    row("early 1980s", "1980-01-01/1984-12-31", D(1980, 1, 1), D(1984, 12, 31), "decade"),
    row("mid-1980s", "1983-01-01/1986-12-31", D(1983, 1, 1), D(1986, 12, 31), "decade"),
    row("late 1980s", "1985-01-01/1989-12-31", D(1985, 1, 1), D(1989, 12, 31), "decade"),
    row("the early 2000s", "2000-01-01/2004-12-31", D(2000, 1, 1), D(2004, 12, 31), "decade"),
    row("the '20s", *NULL, "decade", id="the '20s: 1920s or 2020s"),
    row("end of the 1990s", "1995-01-01/1999-12-31", D(1995, 1, 1), D(1999, 12, 31), "decade"),
    row("20th century", "1900-01-01/1999-12-31", D(1900, 1, 1), D(1999, 12, 31), "range"),
    row("the 1800s", "1800-01-01/1899-12-31", D(1800, 1, 1), D(1899, 12, 31), "range"),
    # --- ranges (Decision 33) ----------------------------------------------------------
    row("October 6 to 8", "2025-10-06/2025-10-08", D(2025, 10, 6), D(2025, 10, 8), "range", anchor=None, hint=2025),
    row("October 6\u20138", "2025-10-06/2025-10-08", D(2025, 10, 6), D(2025, 10, 8), "range", anchor=None, hint=2025),
    row("October 6 to 8", *NULL, "range", anchor=None, relative=True, id="day range, no year anywhere"),
    row("October 6-8, 2025", "2025-10-06/2025-10-08", D(2025, 10, 6), D(2025, 10, 8), "range"),
    row("6 to 8 October 2014", "2014-10-06/2014-10-08", D(2014, 10, 6), D(2014, 10, 8), "range"),
    row("December 28 to January 3, 2015", "2014-12-28/2015-01-03", D(2014, 12, 28), D(2015, 1, 3), "range"),
    row("January and September 2025", "2025-01-01/2025-09-30", D(2025, 1, 1), D(2025, 9, 30), "range"),
    row("between January and September 2025", "2025-01-01/2025-09-30", D(2025, 1, 1), D(2025, 9, 30), "range"),
    row("2011 to 2016", "2011-01-01/2016-12-31", D(2011, 1, 1), D(2016, 12, 31), "range"),
    row("from 2011 to 2016", "2011-01-01/2016-12-31", D(2011, 1, 1), D(2016, 12, 31), "range"),
    row("2011 and 2017", "2011-01-01/2017-12-31", D(2011, 1, 1), D(2017, 12, 31), "range"),
    row("2011\u20132016", "2011-01-01/2016-12-31", D(2011, 1, 1), D(2016, 12, 31), "range"),
    row("2015-16", "2015-01-01/2016-12-31", D(2015, 1, 1), D(2016, 12, 31), "range"),
    row("1999-00", "1999-01-01/2000-12-31", D(1999, 1, 1), D(2000, 12, 31), "range"),
    row("late 2012 to early 2013", "2012-09-01/2013-04-30", D(2012, 9, 1), D(2013, 4, 30), "range"),
    row("May 2014 to June 2015", "2014-05-01/2015-06-30", D(2014, 5, 1), D(2015, 6, 30), "range"),
    row("1990s\u20132000s", "1990-01-01/2009-12-31", D(1990, 1, 1), D(2009, 12, 31), "range"),
    row("2016 to 2011", *NULL, "range", id="reversed range"),
    # --- modifiers (Decision 26) --------------------------------------------------------
    row("since 2011", "2011", D(2011, 1, 1), D(2011, 12, 31), "year", modifier="since"),
    row("post-2011", "2011", D(2011, 1, 1), D(2011, 12, 31), "year", modifier="after"),
    row("pre-2011", "2011", D(2011, 1, 1), D(2011, 12, 31), "year", modifier="before"),
    row("until 2011", "2011", D(2011, 1, 1), D(2011, 12, 31), "year", modifier="until"),
    row("through 2016", "2016", D(2016, 1, 1), D(2016, 12, 31), "year", modifier="until"),
    row("from late 2012", "2012-09-01/2012-12-31", D(2012, 9, 1), D(2012, 12, 31), "year", modifier="from"),
    # --- weekdays (Decision 30; the anchor is a Wednesday) ------------------------------
    row("Tuesday", "2018-09-11", D(2018, 9, 11), D(2018, 9, 11), "day", relative=True),
    row("Wednesday", "2018-09-12", A, A, "day", relative=True),
    row("last Wednesday", "2018-09-05", D(2018, 9, 5), D(2018, 9, 5), "day", relative=True),
    row("next Monday", "2018-09-17", D(2018, 9, 17), D(2018, 9, 17), "day", relative=True),
    row("Monday", *NULL, "day", anchor=None, relative=True, id="Monday, no document date"),
    # --- relative units (Decision 29) -------------------------------------------------------
    row("last year", "2017", D(2017, 1, 1), D(2017, 12, 31), "year", relative=True),
    row("this year", "2018", D(2018, 1, 1), D(2018, 12, 31), "year", relative=True),
    row("next year", "2019", D(2019, 1, 1), D(2019, 12, 31), "year", relative=True),
    row("late last year", "2017-09-01/2017-12-31", D(2017, 9, 1), D(2017, 12, 31), "year", relative=True),
    row("last month", "2018-08", D(2018, 8, 1), D(2018, 8, 31), "month", relative=True),
    row("last week", "2018-09-03/2018-09-09", D(2018, 9, 3), D(2018, 9, 9), "range", relative=True),
    row("past year", "2017-09-12/2018-09-12", D(2017, 9, 12), A, "range", relative=True),
    row("past two years", "2016-09-12/2018-09-12", D(2016, 9, 12), A, "range", relative=True),
    row("past two years", *NULL, "range", anchor=None, relative=True, id="past two years, no document date"),
    row("last 4 years", "2014-09-12/2018-09-12", D(2014, 9, 12), A, "range", relative=True),
    row("past nine months", "2017-12-12/2018-09-12", D(2017, 12, 12), A, "range", relative=True),
    row("last twenty-five years", "1993-09-12/2018-09-12", D(1993, 9, 12), A, "range", relative=True),
    row("next five years", "2018-09-12/2023-09-12", A, D(2023, 9, 12), "range", relative=True),
    row("last decade", "2008-09-12/2018-09-12", D(2008, 9, 12), A, "range", relative=True),
    row("past two decades", "1998-09-12/2018-09-12", D(1998, 9, 12), A, "range", relative=True),
    row("three years ago", "2015", D(2015, 1, 1), D(2015, 12, 31), "year", relative=True),
    row("yesterday", "2018-09-11", D(2018, 9, 11), D(2018, 9, 11), "day", relative=True),
    row("last May", "2018-05", D(2018, 5, 1), D(2018, 5, 31), "month", relative=True),
    row("last May", "2017-05", D(2017, 5, 1), D(2017, 5, 31), "month", anchor=D(2018, 5, 15), relative=True,
        id="last May, in May"),
    row("last summer", "2018-06-01/2018-08-31", D(2018, 6, 1), D(2018, 8, 31), "season", relative=True),
    # --- not dates, or invalid ---------------------------------------------------------
    row("today", *NULL, None, id="today (Decision 28)"),
    row("now", *NULL, None),
    row("currently", *NULL, None),
    row("3 years", *NULL, None),
    row("weeks-long", *NULL, None),
    row("2 days after", *NULL, None),
    row("more than a decade", *NULL, None),
    row("5,000", *NULL, None),
    row("UH-60M", *NULL, None),
    row("5+5", *NULL, None),
    row("2015 troops", *NULL, None),
    row("Arab Spring", *NULL, None),
    row("", *NULL, None, id="empty"),
    row("February 30, 2015", *NULL, None),
    row("February 29, 2015", *NULL, None),
    row("12 septembre 2018", *NULL, None, id="English only"),
]


@pytest.mark.parametrize("text,anchor,hint,value,start,end,gran,relative,modifier", TABLE)
def test_normalise_table(text, anchor, hint, value, start, end, gran, relative, modifier):
    v = normalise_date(text, anchor, year_hint=hint)
    assert isinstance(v, DateValue)
    got = (v.value, v.start, v.end, v.granularity, v.relative, v.modifier)
    assert got == (value, start, end, gran, relative, modifier)


def test_table_is_large_enough():
    assert len(TABLE) >= 60


def test_no_invented_day_or_month():
    # The measured failures of bare dateparser: none may come back with a made-up day.
    assert normalise_date("June 2015", A).value == "2015-06"
    assert normalise_date("1930s", A).value == "1930-01-01/1939-12-31"
    assert normalise_date("2011", A).value == "2011"


def test_year_hint_ignored_when_a_year_is_written():
    assert normalise_date("16 May 2012", A, year_hint=2025).value == "2012-05-16"
    assert normalise_date("June 2015", None, year_hint=2025).value == "2015-06"


def test_bare_month_does_not_inherit_a_year():
    # Decision 31 is for day+month (and parts of a month); a month name follows Decision 30.
    assert normalise_date("August", D(2019, 1, 24), year_hint=2019).value == "2018-08"
    assert normalise_date("August", None, year_hint=2019).value is None


def test_normalisation_is_cached():
    normalise_date.cache_clear()
    first = normalise_date("late 1980s", A)
    second = normalise_date("late 1980s", A)
    assert first is second
    info = normalise_date.cache_info()
    assert (info.hits, info.misses) == (1, 1)


def test_dateparser_is_built_once_per_anchor():
    norm_module._dateparser.cache_clear()
    normalise_date.cache_clear()
    normalise_date("12-Sep-2018", A)
    normalise_date("13-Sep-2018", A)
    assert norm_module._dateparser.cache_info().misses == 1


# --- extract_dates: detection + normalisation + year inheritance (Decision 31) -----------


def _values(text, anchor):
    return [(s.text, v.value, s.modifier) for s, v in extract_dates(text, anchor)]


def test_year_inherited_from_nearest_preceding_full_date():
    text = ("The ministers signed the pact on October 7, 2025 in the capital. The meetings, held from "
            "October 6 to 8, covered training. By mid-May a new round was planned, and on 16 May the "
            "officials met again.")
    assert _values(text, None) == [
        ("October 7, 2025", "2025-10-07", None),
        ("October 6 to 8", "2025-10-06/2025-10-08", None),
        ("mid-May", "2025-05-11/2025-05-20", None),
        ("16 May", "2025-05-16", None),
    ]


def test_month_and_year_is_not_a_full_date():
    text = "After the siege in January 2013 the army moved. On 16 May it attacked; in mid-May it withdrew."
    assert _values(text, None) == [
        ("January 2013", "2013-01", None),
        ("16 May", None, None),
        ("mid-May", None, None),
    ]


def test_nearest_full_date_wins_and_later_ones_do_not_count():
    text = ("On 2 June, talks opened. On March 3, 2014 a truce held; on June 5, 2016 it broke. "
            "On 7 July a new truce was signed.")
    got = _values(text, None)
    assert got[0] == ("2 June", None, None)
    assert got[-1] == ("7 July", "2016-07-07", None)


def test_coordinated_dates_share_the_written_year():
    text = "The accords were signed on 15 May and 20 June 2015; talks ran in May, June and July 2014."
    assert _values(text, D(2020, 1, 1)) == [
        ("15 May", "2015-05-15", None),
        ("20 June 2015", "2015-06-20", None),
        ("May", "2014-05", None),
        ("June", "2014-06", None),
        ("July 2014", "2014-07", None),
    ]


def test_relative_dates_use_the_document_date():
    text = "The minister spoke on Tuesday. Last year the budget grew; over the past two years it doubled."
    assert _values(text, A) == [
        ("Tuesday", "2018-09-11", None),
        ("Last year", "2017", None),
        ("past two years", "2016-09-12/2018-09-12", None),
    ]
    assert [v for _, v, _ in _values(text, None)] == [None, None, None]


def test_modifier_reaches_the_value():
    [(span, value)] = extract_dates("Aid has flowed since 2011.", None)
    assert span.modifier == "since" and value.modifier == "since" and value.value == "2011"
