"""Dates stage: detection (`find_dates`) — spans per the guideline, modifiers, and
what is not a date. Every sentence is written for the test."""
from __future__ import annotations

import pytest

from pipeline.dates import DateSpan, find_dates


def spans(text):
    out = find_dates(text)
    for s in out:
        assert isinstance(s, DateSpan)
        assert text[s.start:s.end] == s.text
    return [(s.text, s.modifier) for s in out]


CASES = [
    # absolute forms
    ("The accord was signed in Algiers on October 7, 2025, after a week of talks.", [("October 7, 2025", None)]),
    ("Talks resumed on 7 October 2025 in Tunis.", [("7 October 2025", None)]),
    ("The general launched his offensive on 16 May with air support.", [("16 May", None)]),
    ("Fighting resumed in June 2015 near the coast.", [("June 2015", None)]),
    ("The garrison was built in 1963.", [("1963", None)]),
    ("Forts built during the 1930s still stand.", [("1930s", None)]),
    ("Rivalries that date from the '90s persist.", [("'90s", "from")]),
    ("Smuggling has flourished since the late 1980s in the region.", [("late 1980s", "since")]),
    ("The civil war ended in the early 2000s.", [("early 2000s", None)]),
    ("The minister was appointed in early 2014.", [("early 2014", None)]),
    ("The crossing was closed in summer 2018 after clashes.", [("summer 2018", None)]),
    ("The border's summer 2018 closure hurt traders.", [("summer 2018", None)]),
    ("In mid-May, the embassy was evacuated.", [("mid-May", None)]),
    ("The talks stalled in late October 2015.", [("late October 2015", None)]),
    ("Patrols intensified during the early months of 2011.", [("early months of 2011", None)]),
    ("The fort dates from the 19th century.", [("19th century", "from")]),
    # ranges
    ("The meetings, held from October 6 to 8, were cordial.", [("October 6 to 8", None)]),
    ("The October 6\u20138 visit of the minister ended well.", [("October 6\u20138", None)]),
    ("Police ran 140 operations between January and September 2025.", [("January and September 2025", None)]),
    ("Recruits left from 2011 to 2016 for Syria.", [("2011 to 2016", None)]),
    ("Numbers between 2011 and 2017 reached 1,500.", [("2011 and 2017", None)]),
    ("Cooperation grew in 2011 and 2017.", [("2011", None), ("2017", None)]),
    ("The 2011\u20132016 period was violent.", [("2011\u20132016", None)]),
    ("The 2015-16 budget rose.", [("2015-16", None)]),
    ("It lasted from late 2012 to early 2013.", [("late 2012 to early 2013", None)]),
    # modifiers
    ("From late 2012, cooperation expanded.", [("late 2012", "from")]),
    ("Aid has been provided since 2011 to the ministry.", [("2011", "since")]),
    ("The post-2011 transitions failed.", [("2011", "after")]),
    ("The pre-2011 regime fell.", [("2011", "before")]),
    ("Until 2011, the country was stable.", [("2011", "until")]),
    ("After 2013, the situation worsened.", [("2013", "after")]),
    ("Attacks were rare before 2012.", [("2012", "before")]),
    # relative
    ("The announcement came on Tuesday by an official.", [("Tuesday", None)]),
    ("On Monday, a general spoke on the radio; Mondays are usually quiet.", [("Monday", None)]),
    ("Over the past two years the framework collapsed.", [("past two years", None)]),
    ("Over the last 3 years, the two armies cooperated.", [("last 3 years", None)]),
    ("Hundreds joined during the past nine months.", [("past nine months", None)]),
    ("More than half of whom joined last year.", [("last year", None)]),
    ("The oil bonanza of the last decade funded the army.", [("last decade", None)]),
    ("Two years ago the border was opened.", [("Two years ago", None)]),
    # year as a modifier (Decision 32)
    ("The 2015 report of the task force was damning.", [("2015", None)]),
    ("Algeria's estimated 2025 budget is large.", [("2025", None)]),
    ("Mali's 2015 peace accords were fragile.", [("2015", None)]),
    ("In 2015 troops were moved south.", [("2015", None)]),
    # line breaks inside a date, footnote numbers glued after it
    ("the Arab League in February\n2011; Algeria objected.", [("February\n2011", None)]),
    ("attacks were very limited before 2012.13 The rise came later.", [("2012", "before")]),
    ("in June 2013.20 With its difficult economy", [("June 2013", None)]),
    # a bare month name needs a context
    ("May the talks succeed. In May, the army moved.", [("May", None)]),
    ("August clashes in the capital killed dozens.", [("August", None)]),
    ("Operation August Storm began; April Longley wrote about it.", []),
    ("Prime Minister May spoke. Haftar's March on Tripoli stalled.", []),
    ("The June 5 Movement marched.", []),
]

NOT_DATES = [
    "Today, the group continues to pose a threat; now it is weaker; currently it hides.",
    "The weeks-long operation has thrown the country into turmoil.",
    "The conflict lasted for more than a decade and the army has more than 2 decades of experience.",
    "On the same day, 2 days after the killing, officials met.",
    "Over 2 years later, neither side had won; the siege lasted 3 years.",
    "Algeria has deployed 5,000 soldiers and 50,000 troops.",
    "The brigade deployed 2015 troops and 1999 vehicles to the frontier.",
    "It bought 8 Black Hawk UH-60M helicopters and 4x4 vehicles.",
    "The 5+5 Dialogue met in Rome.",
    "Resolution 2259 was adopted; see page 2017 and Vision 2030.",
    "The attack took place at 1400 GMT; some 2000 people fled.",
    "Nearly 2000 were arrested, more than 2000 killed and about 2000 more displaced.",
    "The Arab Spring reached Libya.",
    "In their 20s, many recruits left.",
    "The pact expires in a few years, in recent years, in the coming years.",
    "Black Friday and Bloody Sunday are names.",
    "The link www.example.org/2018/09/report is dead.",
    "A two-year plan and a 10-year deal were signed.",
    "The army moved south; the next year it withdrew, and the following year it returned.",
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_detection(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text", NOT_DATES, ids=[t[:40] for t in NOT_DATES])
def test_not_dates(text):
    assert spans(text) == []


def test_offsets_and_order_in_a_longer_text():
    text = ("Since 2011, the border has been porous. In January 2013, militants struck a gas plant.\n\n"
            "On March 18, 2015, gunmen attacked a museum; in June 2015 a hotel.")
    got = find_dates(text)
    assert [s.text for s in got] == ["2011", "January 2013", "March 18, 2015", "June 2015"]
    assert [s.start for s in got] == sorted(s.start for s in got)
    assert got[0].modifier == "since"
    for s in got:
        assert text[s.start:s.end] == s.text


def test_no_leading_article_or_preposition():
    for s in find_dates("in the 1970s, on Monday, since the late 1980s, over the past two years"):
        assert not s.text.lower().startswith(("the ", "in ", "on ", "since ", "over "))
