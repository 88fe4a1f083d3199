"""QUANTITIES stage on parsed text: find_quantities spans, exclusions, the pandas question (issue 5).

Sentences were written for the test. The stock model is the session fixture `stock_nlp`.
"""
from __future__ import annotations

import pytest

from pipeline.quantities import QuantityMention, find_quantities


@pytest.fixture(scope="module")
def run(stock_nlp):
    cache = {}

    def _run(text: str, exclude_phrases: tuple[str, ...] = ()) -> list[QuantityMention]:
        key = (text, exclude_phrases)
        if key not in cache:
            doc = stock_nlp(text)
            exclude = []
            for p in exclude_phrases:
                i = text.index(p)
                exclude.append((i, i + len(p)))
            found = find_quantities(doc, exclude=exclude)
            for q in found:   # invariants for every call
                assert text[q.start:q.end] == q.text
                assert not any(a < q.end and b > q.start for a, b in exclude)
            assert all(x.end <= y.start for x, y in zip(found, found[1:]))
            cache[key] = found
        return cache[key]

    return _run


def spans(found):
    return [q.text for q in found]


# (sentence, names/dates to exclude, expected span texts, checks on the mention with that text)
CASES = [
    ("The ministry has moved 3,200 soldiers and gendarmes to the southern frontier.", (),
     ["3,200 soldiers and gendarmes"],
     {"3,200 soldiers and gendarmes": dict(value=3200, unit="person", item="soldier and gendarme",
                                           category="personnel")}),
    ("Gunmen killed 17 miners at a gold site near the border.", (), ["17 miners"],
     {"17 miners": dict(category="casualties", unit="person", item="miner")}),
    ("The army deployed 2,000 troops after an ambush that killed 9 farmers.", (),
     ["2,000 troops", "9 farmers"],
     {"2,000 troops": dict(category="personnel"), "9 farmers": dict(category="casualties")}),
    ("The clashes resulted in the deaths of eleven shepherds.", (), ["eleven shepherds"],
     {"eleven shepherds": dict(value=11, category="casualties")}),
    ("Donors pledged more than $45 million for the programme.", (), ["more than $45 million"],
     {"more than $45 million": dict(value=45e6, unit="USD", approx="more_than", category="money", item=None)}),
    ("The pipeline runs for roughly 1,100 km (684 miles) across the desert.", (),
     ["roughly 1,100 km", "684 miles"],
     {"roughly 1,100 km": dict(value=1100, unit="km", approx="approximately", category="distance"),
      "684 miles": dict(value=684, unit="mile")}),
    ("Patrols watch the 460-kilometre frontier with the neighbour.", (), ["460-kilometre"],
     {"460-kilometre": dict(value=460, unit="km", category="distance")}),
    ("Defence takes 6.1 % of the budget and around 3 percent of output.", (), ["6.1 %", "around 3 percent"],
     {"6.1 %": dict(value=6.1, unit="percent", item=None), "around 3 percent": dict(approx="approximately")}),
    ("Hundreds of migrants and tens of thousands of herders crossed the plateau.", (),
     ["Hundreds of migrants", "tens of thousands of herders"],
     {"Hundreds of migrants": dict(value=None, low=200, high=None, item="migrant"),
      "tens of thousands of herders": dict(low=20000, item="herder")}),
    ("Between 300 and 400 militants attacked the town.", (), ["300 and 400 militants"],
     {"300 and 400 militants": dict(low=300, high=400, category="personnel")}),
    ("Officials expect 5,000 to 6,500 returnees this year.", (), ["5,000 to 6,500 returnees"],
     {"5,000 to 6,500 returnees": dict(low=5000, high=6500)}),
    ("The navy bought 4 C-130J aircraft and twelve patrol boats.", (), ["4 C-130J aircraft", "twelve patrol boats"],
     {"4 C-130J aircraft": dict(item="aircraft", category="equipment", unit="count"),
      "twelve patrol boats": dict(value=12, item="patrol boat", category="equipment")}),
    ("Security forces conducted 85 counterinsurgency raids in the hills.", (), ["85 counterinsurgency raids"],
     {"85 counterinsurgency raids": dict(item="counterinsurgency raid", unit="count", category="other")}),
    ("The two rival parliaments met again in the capital.", (), ["two rival parliaments"],
     {"two rival parliaments": dict(value=2, item="parliament", unit="count")}),
    ("The number of foreign fighters reached about 2,400 by the end of the war.", (), ["about 2,400"],
     {"about 2,400": dict(value=2400, item="fighter", unit="person", category="personnel")}),
    ("The tourism industry employs half a million people.", (), ["half a million people"],
     {"half a million people": dict(value=500000, unit="person", item="people")}),
    ("Rabat spent $6 billion U.S. dollars on new jets.", (), ["$6 billion U.S. dollars"],
     {"$6 billion U.S. dollars": dict(value=6e9, unit="USD")}),
    ("A fund of €1.2bn and another of 300 million euros were announced.", (), ["€1.2bn", "300 million euros"],
     {"€1.2bn": dict(value=1.2e9, unit="EUR"), "300 million euros": dict(value=3e8, unit="EUR")}),
    ("Over 60 schools and nearly 20 clinics closed.", (), ["Over 60 schools", "nearly 20 clinics"],
     {"Over 60 schools": dict(approx="more_than"), "nearly 20 clinics": dict(approx="approximately")}),
    ("The regiment has a 1,500-strong reserve.", (), ["1,500-strong"],
     {"1,500-strong": dict(value=1500, unit="person", category="personnel")}),
    ("More than 900 people died across the two provinces last year.", (),
     ["More than 900 people", "two provinces"],
     {"More than 900 people": dict(category="casualties", approx="more_than"),
      "two provinces": dict(category="other", unit="count")}),
    ("The floods claimed over 70 lives, including 12 pupils.", (), ["over 70 lives", "12 pupils"],
     {"over 70 lives": dict(category="casualties", unit="person"), "12 pupils": dict(category="casualties")}),
    ("The blast left 8 dead and 19 wounded.", (), ["8", "19"],
     {"8": dict(category="casualties", unit="person"), "19": dict(category="casualties")}),
    ("Three of the kidnappers were shot dead.", (), ["Three"],
     {"Three": dict(value=3, item="kidnapper", category="casualties")}),
    ("The smugglers drove hundreds of kilometres and earned millions of dollars.", (),
     ["hundreds of kilometres", "millions of dollars"],
     {"hundreds of kilometres": dict(low=200, unit="km", value=None), "millions of dollars": dict(unit="USD")}),
    ("The army moved 3 Mi-17 transport helicopters and a 300 km-long convoy.", (),
     ["3 Mi-17 transport helicopters", "300 km"],
     {"3 Mi-17 transport helicopters": dict(item="transport helicopter", category="equipment"),
      "300 km": dict(unit="km")}),
    ("Spending rose from $2.1bn to $2.6bn, and aid of $30-40 million followed.", (),
     ["$2.1bn", "$2.6bn", "$30-40 million"],
     {"$2.1bn": dict(value=2.1e9, low=None), "$30-40 million": dict(low=3e7, high=4e7, unit="USD")}),
    # decision 35: a name between the number and the noun keeps the span to the number
    ("Ministers of the four Liptako Gourma Authority states met.", ("Liptako Gourma Authority",), ["four"],
     {"four": dict(value=4, item="state")}),
    ("Talks with the three Economic Community of Central African States (ECCAS) capitals stalled.",
     ("Economic Community of Central African States", "ECCAS"), ["three"],
     {"three": dict(value=3, item="capital", unit="count")}),
    # names and dates given in `exclude` are never overlapped
    ("The contingent has served for the past three years in the region.", ("past three years",), [], {}),
]


@pytest.mark.parametrize("text,exclude,expected,checks", CASES, ids=[c[0][:40] for c in CASES])
def test_find_quantities(run, text, exclude, expected, checks):
    found = run(text, exclude)
    assert spans(found) == expected
    by_text = {q.text: q for q in found}
    for span, fields in checks.items():
        v = by_text[span].value
        for k, want in fields.items():
            got = getattr(v, k)
            assert got == (pytest.approx(want) if isinstance(want, float) else want), (span, k, got)


NOT_QUANTITIES = [
    "In 2017 the plan was revised, and the 2015 accord stayed in force.",            # years
    "The convoy of 4x4 pickups joined the 5+5 initiative and the G5 Sahel force.",     # models and names
    "He flew a UH-60M and later an F-16 over the area.",
    "The second round was held on 14 March, and the third on May 2.",               # ordinals, dates
    "The operation lasted 3 years and the talks took two days.",                     # durations
    "The 25-year-old suspect was jailed for a three-month term.",                    # ages, hyphenated durations
    "One of the officers said no one was hurt.",                                      # "one"
    "The unit was disbanded.14 Its officers moved north.",                            # footnote marker
    "Resolution 2254 and Article 51 were cited on page 12.",                          # identifiers
    "The two met in private; both sides called it a two-state solution.",            # "the two", hyphenated
    "Half of them joined; two-thirds stayed home.",                                   # fractions
    "The mandate ran from 2013 to 2016 and again between 2018 and 2020.",            # year ranges
    "At 15:30 on 9/11 the 24/7 desk logged the 1990s files and the 3rd report.",     # clock, dates, ordinals
    "Flight 8271 left Brigade 19 headquarters; Law 2015-26 applies.",                 # identifiers
]


@pytest.mark.parametrize("text", NOT_QUANTITIES, ids=[t[:40] for t in NOT_QUANTITIES])
def test_exclusions(run, text):
    assert spans(run(text)) == []


def test_footnote_numbers_opening_a_line_are_not_quantities(run):
    text = ("The road was closed in 2019.\n\n2 Interviews with customs officers, May 2022.\n"
            "3 Statements by the ministry.\n\n12 soldiers were wounded in the blast.")
    assert spans(run(text)) == ["12 soldiers"]


@pytest.mark.parametrize("text,span", [
    ("Witnesses said troops executed 14 villagers at the market.", "14 villagers"),
    ("The army said it had neutralised dozens of fighters near the border.", "dozens of fighters"),
])
def test_executions_and_neutralisations_are_casualties(run, text, span):
    (q,) = [q for q in run(text) if q.text == span]
    assert q.value.category == "casualties"


def test_currency_code_before_the_amount_is_money_not_an_organisation(stock_nlp):
    from pipeline.nlp import build_nlp

    nlp = build_nlp()
    doc = nlp("A foundation pledged EUR 250,000 and the state MRU 15 million for the schools.")
    assert not [e for e in doc.ents if e.text in ("EUR", "MRU")]
    found = find_quantities(doc, exclude=[(e.start_char, e.end_char) for e in doc.ents])
    assert [(q.text, q.value.unit) for q in found] == [("EUR 250,000", "EUR"), ("MRU 15 million", "MRU")]


def test_page_number_line_is_not_a_quantity(run):
    text = "The patrols continued along the border.\n\n17\n\nThe talks resumed with 40 delegates."
    assert spans(run(text)) == ["40 delegates"]


def test_sources_name_the_rule(run):
    found = run("Rebels seized 30 trucks and $2 million in cash.")
    assert {q.text: q.source for q in found} == {"30 trucks": "rule:count+parse", "$2 million": "rule:money"}


def test_personnel_by_document_is_one_groupby(stock_nlp):
    pd = pytest.importorskip("pandas")
    docs = {
        "a": "The government deployed 4,000 troops and 600 police officers. Gunmen killed 12 soldiers.",
        "b": "Some 2,500 soldiers were sent north, and about 300 gendarmes joined them.",
    }
    rows = []
    for doc_id, text in docs.items():
        for q in find_quantities(stock_nlp(text)):
            rows.append({"doc_id": doc_id, "text": q.text, **q.value.model_dump()})
    df = pd.DataFrame(rows)
    per_doc = df[df.category == "personnel"].groupby("doc_id")["value"].sum()
    assert per_doc.to_dict() == {"a": 4600.0, "b": 2800.0}
    assert df.loc[df.text == "12 soldiers", "category"].item() == "casualties"


def test_doc_without_parse_still_finds_measures():
    spacy = pytest.importorskip("spacy")
    doc = spacy.blank("en")("A grant of $4 million covered 12 % of a 310 km road.")
    assert [q.text for q in find_quantities(doc)] == ["$4 million", "12 %", "310 km"]


def test_empty_and_numberless_docs(stock_nlp):
    assert find_quantities(stock_nlp("")) == []
    assert find_quantities(stock_nlp("No figures were given by the ministry.")) == []
