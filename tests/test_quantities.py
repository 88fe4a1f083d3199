"""QUANTITIES stage, model-free part: parse_number and normalise_quantity (issue 5).

Every phrase here was written for the test; none is copied from the seeds.
"""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.quantities import normalise_quantity, parse_amount, parse_number
from pipeline.quantities.normalise import item_from_words, lemma_noun
from pipeline.schema import QuantityValue

# --- parse_number ------------------------------------------------------------------

NUMBERS = [
    ("12", 12), ("3,250", 3250), ("1,204,500", 1204500), ("0.75", 0.75), ("12.5", 12.5), ("1,250.5", 1250.5),
    ("nine", 9), ("eleven", 11), ("forty-two", 42), ("forty two", 42), ("ninety-nine", 99),
    ("three hundred", 300), ("six hundred and forty", 640), ("twelve thousand", 12000),
    ("two million", 2e6), ("half a million", 5e5), ("a million", 1e6), ("a dozen", 12), ("three dozen", 36),
    ("a hundred", 100), ("one and a half million", 1.5e6), ("four and a half billion", 4.5e9),
    ("2.4 million", 2.4e6), ("7 billion", 7e9), ("3m", 3e6), ("4.2bn", 4.2e9), ("650k", 650000),
    ("$12 billion", 12e9), ("€40 million", 40e6), ("£3.5m", 3.5e6), ("US$ 2.1bn", 2.1e9), ("1,5 million", 1.5e6),
]


@pytest.mark.parametrize("text,expected", NUMBERS)
def test_parse_number(text, expected):
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "none", "several", "a few", "thousands", "10 to 20", "between 4 and 9",
                                  "hundreds of thousands", "the army", "fifth"])
def test_parse_number_none_for_non_numbers_ranges_and_vague(text):
    assert parse_number(text) is None


def test_parse_amount_ranges_and_vague():
    r = parse_amount("between 40 and 60")
    assert (r.low, r.value, r.high) == (40, None, 60)  # ranges: value null (Decision 58)
    r = parse_amount("$4-6 million")
    assert (r.low, r.high) == (4e6, 6e6)
    r = parse_amount("five or six hundred")
    assert (r.low, r.high) == (500, 600)
    v = parse_amount("tens of thousands")
    assert v.vague and v.low == 20000 and v.value is None and v.high is None


# --- normalise_quantity: table ------------------------------------------------------
# (span text, keyword arguments, expected fields)

P, C = "person", "count"
TABLE = [
    # people and personnel, digits
    ("3,400 soldiers", {}, dict(value=3400, unit=P, item="soldier", approx="exact", category="personnel")),
    ("1,250 police officers", {"item": "police officer"}, dict(value=1250, unit=P, category="personnel")),
    ("about 600 fighters", {}, dict(value=600, approx="approximately", category="personnel", item="fighter")),
    ("around 90 militants", {}, dict(value=90, approx="approximately", category="personnel")),
    ("some 450 recruits", {}, dict(value=450, approx="approximately", category="personnel")),
    ("roughly 2,000 gendarmes", {}, dict(value=2000, approx="approximately", category="personnel")),
    ("nearly 800 troops", {}, dict(value=800, approx="approximately", item="troop")),
    ("estimated 12,000 jihadists", {}, dict(value=12000, approx="approximately", category="personnel")),
    ("1,800 guards and policemen", {}, dict(item="guard and policeman", category="personnel", unit=P)),
    ("700 soldiers and civilians", {}, dict(unit=P, category="other", item="soldier and civilian")),
    ("4,500 migrants", {}, dict(value=4500, unit=P, item="migrant", category="other")),
    ("65 workers", {}, dict(value=65, unit=P, item="worker", category="other")),
    ("140 Malians", {}, dict(value=140, unit=P, item="Malian", category="other")),
    ("18 Iraqis", {}, dict(unit=P, item="Iraqi")),
    ("22 women and children", {}, dict(unit=P, item="woman and child")),
    ("3 policemen", {}, dict(value=3, unit=P, item="policeman", category="personnel")),
    # casualties (sentence or explicit decision)
    ("14 soldiers", {"sentence": "An ambush killed 14 soldiers near the wells."}, dict(category="casualties")),
    ("nine villagers", {"sentence": "Gunmen shot dead nine villagers on Friday."},
     dict(value=9, category="casualties")),
    ("30 civilians", {"sentence": "At least 30 civilians were wounded in the shelling."},
     dict(category="casualties")),
    ("6 recruits", {"sentence": "The academy trained 6 recruits this spring."}, dict(category="personnel")),
    ("40 people", {"casualty": True}, dict(category="casualties", unit=P)),
    ("40 people", {"casualty": False, "sentence": "an attack killed 40 people"}, dict(category="other")),
    # counts of things and events
    ("five countries", {}, dict(value=5, unit=C, item="country", category="other")),
    ("twelve border posts", {"item": "border post"}, dict(value=12, unit=C, item="border post")),
    ("more than 90 raids", {}, dict(value=90, approx="more_than", unit=C, item="raid")),
    ("over 300 arrests", {}, dict(value=300, approx="more_than")),
    ("at least 11 attacks", {}, dict(value=11, approx="at_least")),
    ("no fewer than 7 camps", {}, dict(value=7, approx="at_least")),
    ("up to 25 patrols", {}, dict(value=25, approx="at_most")),
    ("at most 4 bases", {}, dict(value=4, approx="at_most")),
    ("fewer than 15 convoys", {}, dict(value=15, approx="less_than")),
    ("less than 200 kg", {}, dict(value=200, approx="less_than", unit="kg", item=None)),
    ("under 50 vehicles", {}, dict(value=50, approx="less_than", category="equipment")),
    ("6 Tiger attack helicopters", {"item": "attack helicopter"}, dict(unit=C, category="equipment")),
    ("24 armoured vehicles", {}, dict(value=24, item="vehicle", category="equipment")),
    ("300 rifles", {}, dict(category="equipment", item="rifle")),
    ("2,500+ drones", {}, dict(value=2500, approx="at_least", category="equipment")),
    ("1,000 or more rounds", {}, dict(value=1000, approx="at_least", item="round")),
    ("1,000 rounds or more", {}, dict(value=1000, approx="at_least")),
    # words
    ("seventeen hostages", {}, dict(value=17, unit=P, item="hostage")),
    ("thirty-six trucks", {}, dict(value=36, item="truck", category="equipment")),
    ("two hundred and fifty detainees", {}, dict(value=250, unit=P)),
    ("half a million refugees", {}, dict(value=500000, unit=P, item="refugee")),
    ("a dozen boats", {}, dict(value=12, item="boat", category="equipment")),
    ("a million displaced", {}, dict(value=1e6)),
    # vague amounts: low only (decision 36)
    ("thousands of protesters", {}, dict(value=None, low=2000, high=None, unit=P, item="protester")),
    ("tens of thousands of refugees", {}, dict(value=None, low=20000, high=None)),
    ("hundreds of smugglers", {}, dict(value=None, low=200, unit=P)),
    ("dozens of fighters", {}, dict(value=None, low=24, category="personnel", approx="approximately")),
    ("thousands of migrants", {}, dict(low=2000, approx="approximately")),  # vague amounts are approximate (decision 51)
    ("at least hundreds of fighters", {}, dict(low=200, approx="at_least")),  # unless a qualifier says more
    ("US$ 37.4 million", {}, dict(value=37.4e6, unit="USD", category="money")),  # code-symbol then a space
    ("EUR 250,000", {}, dict(value=250000, unit="EUR", category="money")),
    ("hundreds of thousands of people", {}, dict(low=200000, value=None)),
    ("several thousand troops", {}, dict(low=3000, value=None, category="personnel")),
    ("millions of dollars", {}, dict(low=2e6, value=None, unit="USD", category="money", item=None)),
    # ranges
    ("3,000 to 4,000 soldiers", {}, dict(value=None, low=3000, high=4000, category="personnel")),
    ("between 15 and 25 insurgents", {}, dict(low=15, high=25, value=None)),
    ("15 and 25 insurgents", {}, dict(low=15, high=25)),
    ("200-300 militiamen", {}, dict(low=200, high=300, item="militiaman")),
    ("8–10 percent", {}, dict(low=8, high=10, unit="percent", category="percent")),
    ("$2-4 billion", {}, dict(low=2e9, high=4e9, unit="USD")),
    ("four or five ministers", {}, dict(low=4, high=5, unit=P)),
    # money
    ("$4.6 million", {}, dict(value=4.6e6, unit="USD", item=None, category="money", approx="exact")),
    ("more than $250 million", {}, dict(value=2.5e8, approx="more_than", unit="USD")),
    ("approaching $18 billion", {}, dict(value=1.8e10, approx="approximately")),
    ("$7 billion US dollars", {}, dict(value=7e9, unit="USD")),
    ("12 million U.S. dollars", {}, dict(value=12e6, unit="USD")),
    ("€350 million", {}, dict(value=3.5e8, unit="EUR")),
    ("40 million euros", {}, dict(value=4e7, unit="EUR")),
    ("£1.2bn", {}, dict(value=1.2e9, unit="GBP")),
    ("2.3m dollars", {}, dict(value=2.3e6, unit="USD")),
    ("USD 90 million", {}, dict(value=9e7, unit="USD")),
    ("15 million Tunisian dinars", {}, dict(value=1.5e7, unit="TND")),
    ("600 million dinars", {"sentence": "Algeria's budget added 600 million dinars for border posts."},
     dict(unit="DZD")),
    ("3 billion CFA francs", {}, dict(value=3e9, unit="XOF")),
    ("$95,000", {}, dict(value=95000, unit="USD")),
    # distance and area
    ("1,450 km", {}, dict(value=1450, unit="km", category="distance", item=None)),
    ("about 900 kilometres", {}, dict(value=900, unit="km", approx="approximately")),
    ("560 miles", {}, dict(value=560, unit="mile", category="distance")),
    ("1,376-kilometre", {}, dict(value=1376, unit="km", category="distance")),
    ("300-mile", {}, dict(value=300, unit="mile")),
    ("2,200 square kilometres", {}, dict(value=2200, unit="km2", category="distance")),
    ("4km", {}, dict(value=4, unit="km")),
    # percent
    ("3.9 %", {}, dict(value=3.9, unit="percent", category="percent", item=None)),
    ("12%", {}, dict(value=12, unit="percent")),
    ("about 6 percent", {}, dict(value=6, approx="approximately", unit="percent")),
    ("15 per cent", {}, dict(value=15, unit="percent")),
    ("nearly forty percent", {}, dict(value=40, unit="percent")),
    # hyphenated personnel strength
    ("3,500-strong", {"item": "force"}, dict(value=3500, unit=P, item="force", category="personnel")),
]


@pytest.mark.parametrize("text,kwargs,expected", TABLE, ids=[t[0] for t in TABLE])
def test_normalise_table(text, kwargs, expected):
    v = normalise_quantity(text, **kwargs)
    got = {k: getattr(v, k) for k in expected}
    for k, want in expected.items():
        if isinstance(want, (int, float)) and not isinstance(want, bool) and want is not None:
            assert got[k] == pytest.approx(want), (k, got)
        else:
            assert got[k] == want, (k, got)


def test_table_is_large_enough():
    assert len(TABLE) >= 60


def test_normalise_returns_schema_type_and_is_cached():
    a = normalise_quantity("about 70 fighters")
    assert isinstance(a, QuantityValue)
    assert normalise_quantity("about 70 fighters") is a


def test_unreadable_span_gives_empty_value():
    v = normalise_quantity("no number here")
    assert v.value is None and v.low is None and v.high is None


@pytest.mark.parametrize("word,lemma", [("soldiers", "soldier"), ("policemen", "policeman"), ("countries", "country"),
                                        ("people", "people"), ("police", "police"), ("militias", "militia"),
                                        ("Americans", "American"), ("buses", "bus"), ("crises", "crisis"),
                                        ("women", "woman"), ("aircraft", "aircraft"), ("IEDs", "IED")])
def test_lemma_noun(word, lemma):
    assert lemma_noun(word) == lemma


def test_item_from_words_keeps_conjunctions_and_drops_modifiers():
    assert item_from_words("soldiers and policemen") == "soldier and policeman"
    assert item_from_words("local and foreign traders") == "trader"
    assert item_from_words("of displaced families") == "family"


# --- hypothesis properties -----------------------------------------------------------

_ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _words(n: int) -> str:
    """English words for 1 <= n < 1,000,000 (written for the test, hyphenated tens)."""
    if n >= 1000:
        head, rest = divmod(n, 1000)
        return _words(head) + " thousand" + (" " + _words(rest) if rest else "")
    if n >= 100:
        head, rest = divmod(n, 100)
        return _ONES[head] + " hundred" + (" and " + _words(rest) if rest else "")
    if n >= 20:
        t, o = divmod(n, 10)
        return _TENS[t] + ("-" + _ONES[o] if o else "")
    return _ONES[n]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_digits_round_trip(n):
    assert parse_number(f"{n:,}") == n
    assert parse_number(str(n)) == n


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_decimal_round_trip(d):
    assert parse_number(f"{d:,.2f}") == pytest.approx(float(d))


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=1, max_value=999_999))
def test_words_round_trip(n):
    assert parse_number(_words(n)) == n


_QUALS = ["", "about ", "more than ", "at least ", "up to ", "fewer than ", "roughly "]
_NOUNS = ["troops", "migrants", "vehicles", "raids", "km", "percent", "million dollars"]


@settings(max_examples=250, deadline=None)
@given(
    qual=st.sampled_from(_QUALS),
    a=st.integers(min_value=2, max_value=50_000),
    width=st.integers(min_value=0, max_value=50_000),
    form=st.sampled_from(["single", "to", "dash", "between", "vague"]),
    noun=st.sampled_from(_NOUNS),
    vague=st.sampled_from(["dozens of", "hundreds of", "thousands of", "tens of thousands of"]),
)
def test_low_value_high_ordered(qual, a, width, form, noun, vague):
    b = a + width + 1
    core = {"single": f"{a:,}", "to": f"{a:,} to {b:,}", "dash": f"{a}-{b}", "between": f"between {a} and {b}",
            "vague": vague}[form]
    v = normalise_quantity(f"{qual}{core} {noun}")
    assert v.value is not None or v.low is not None
    if v.low is not None and v.value is not None:
        assert v.low <= v.value
    if v.high is not None and v.value is not None:
        assert v.value <= v.high
    if v.low is not None and v.high is not None:
        assert v.low <= v.high
    if form == "vague":
        assert v.value is None and v.high is None and v.low > 0
    elif form == "single":
        scale = 1e6 if noun == "million dollars" else 1
        assert v.value == a * scale and v.low is None and v.high is None
    else:
        assert v.low is not None and v.high is not None
    assert math.isfinite(v.value if v.value is not None else v.low)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("0123456789,.-– $€%kmbn") + [" million", " of", " thousands", " to",
                                                                   " about", " troops", "one", "\u2011"]),
                max_size=25).map("".join))
def test_normalise_never_raises(text):
    v = normalise_quantity(text)
    assert isinstance(v, QuantityValue)
    if v.low is not None and v.high is not None:
        assert v.low <= v.high
    n = parse_number(text)
    assert n is None or isinstance(n, float)
