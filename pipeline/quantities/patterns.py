"""Word lists and regular expressions of the QUANTITIES stage, compiled once.

Everything language-specific lives in `lexicon.json` beside this file (see
README.md); this module turns it into frozen sets and compiled patterns that
`numbers`, `normalise` and `detect` share.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from types import MappingProxyType

LEXICON_PATH = Path(__file__).with_name("lexicon.json")


def _load() -> dict:
    with LEXICON_PATH.open(encoding="utf-8") as fh:
        return json.load(fh)


LEX = MappingProxyType(_load())

HYPHENS = "-\u2010\u2011\u2012"          # hyphen-minus, hyphen, non-breaking hyphen, figure dash
DASHES = "\u2013\u2014"                   # en and em dash (ranges)
HYPHEN = f"[{HYPHENS}]"
RANGE_DASH = f"[{HYPHENS}{DASHES}]"


def _alt(words, *, boundary: bool = True) -> str:
    """An alternation of literal phrases, longest first, spaces matching any whitespace."""
    parts = []
    for w in sorted(set(words), key=len, reverse=True):
        p = re.escape(w).replace(r"\ ", r"\s+")
        if boundary and w[-1].isalnum():
            p += r"\b"
        if boundary and w[0].isalnum():
            p = r"\b" + p
        parts.append(p)
    return "(?:" + "|".join(parts) + ")"


# --- qualifiers -----------------------------------------------------------------

QUALIFIER_APPROX: dict[str, str] = {}
for _approx, _words in LEX["qualifiers"].items():
    for _w in _words:
        QUALIFIER_APPROX[_w.lower()] = _approx
_PREFIX_QUALIFIERS = [w for w in QUALIFIER_APPROX if w not in {"+", "or so", "more or less"}]
# a qualifier right before the number (the text up to the number's start must end with it)
QUALIFIER_BEFORE = re.compile(r"(?:^|(?<=[\s(\[“\"']))" + _alt(_PREFIX_QUALIFIERS) + r"\s*$", re.I)
QUALIFIER_AT_START = re.compile(r"^\s*" + _alt(_PREFIX_QUALIFIERS) + r"\s*", re.I)
SUFFIX_QUALIFIER = re.compile(r"(?:\+|\s+or\s+more\b|\s+or\s+so\b|\s+plus\b)", re.I)
SUFFIX_APPROX = {"+": "at_least", "or more": "at_least", "or so": "approximately", "plus": "at_least"}

# --- numbers ----------------------------------------------------------------------

MAGNITUDES: dict[str, float] = {k: float(v) for k, v in LEX["magnitudes"].items()}
_MAG_WORDS = ["hundred", "thousand", "million", "billion", "trillion"]
_NW = _alt(LEX["number_words"])

DIGITS = (
    r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?"      # 5,000  1,056.5
    r"|\d+,\d{1,2}(?=\s*(?:million|billion|bn|mn)\b)"  # 1,5 million (decimal comma)
    r"|\d+(?:\.\d+)?"                        # 7.4  1500
    r"|\.\d+)"
)
# magnitude after digits: "3.7 million", "25 billion", "1.5m", "$2bn", "30k"
DIGIT_MAG = (
    r"(?:\s*(?:" + "|".join(_MAG_WORDS) + r")\b(?:\s+(?:million|billion)\b)?"
    r"|\s?(?:bn|mn|mln|tn)\b|(?:k|m|b)\b)"
)
_A_FORMS = (
    r"(?:(?:\ba|\ban|\bhalf\s+a|\ba\s+half|\bone\s+and\s+a\s+half|\ba\s+quarter(?:\s+of\s+a)?"
    r"|\bthree\s+quarters\s+of\s+a)\s+(?:dozen|hundred|thousand|million|billion|trillion)\b)"
)
WORDNUM = (
    r"(?:" + _A_FORMS + r"|" + _NW + r"(?:(?:\s+and\s+|\s+|" + HYPHEN + r")" + _NW + r")*"
    r"(?:\s+and\s+a\s+half\s+(?:million|billion)\b)?)"
)
_VAGUE_BASE = LEX["vague"]
VAGUE = (
    r"(?:\b(?:tens|hundreds|dozens|scores)\s+of\s+(?:thousands|millions|billions)\b"
    r"|\b(?:several|a\s+few|a\s+couple\s+of|many)\s+(?:hundred|thousand|million|billion|dozen)\b"
    r"|\b(?:" + "|".join(_VAGUE_BASE) + r")\b)"
)
SINGLE = r"(?:(?P<digits>" + DIGITS + r")(?P<mag>" + DIGIT_MAG + r")?|(?P<words>" + WORDNUM + r"))"

# one number expression (vague first so "hundreds of thousands" wins over "hundreds")
NUMBER_ATOM = re.compile(r"(?P<vague>" + VAGUE + r")|" + SINGLE, re.I)

# --- currencies -------------------------------------------------------------------

CURRENCY_SYMBOLS: dict[str, str] = dict(LEX["currency_symbols"])
CURRENCY_CODES = frozenset(LEX["currency_codes"])
CURRENCY_WORDS: dict[str, str] = dict(LEX["currency_words"])
CURRENCY_QUALIFIERS: dict[str, str] = dict(LEX["currency_qualifiers"])
DINAR_COUNTRIES: dict[str, str] = dict(LEX["dinar_countries"])

_SYM = "(?:" + "|".join(re.escape(s) for s in sorted(CURRENCY_SYMBOLS, key=len, reverse=True)) + ")"
_CODE = r"(?:\b(?:" + "|".join(sorted(CURRENCY_CODES)) + r")\b)"
CURRENCY_PREFIX = r"(?P<cur>" + _SYM + r"|" + _CODE + r")\s?"
# the text before a number ends with a currency sign or code
CURRENCY_BEFORE = re.compile(r"(?:" + _SYM + r"|" + _CODE + r")\s?$")  # "US$37.4m", "US$ 37.4M", "EUR 250,000"
CURRENCY_AT_START = re.compile(r"^\s*" + CURRENCY_PREFIX)

_CUR_WORD = (
    r"(?:" + "|".join(
        re.escape(w).replace(r"\ ", r"\s+") + ("" if w.endswith(("s", "yen", "yuan", "naira", "renminbi")) else "s?")
        for w in sorted(CURRENCY_WORDS, key=len, reverse=True)
    ) + r")\b"
)
_CUR_QUAL = r"(?:" + "|".join(
    re.escape(w).replace(r"\ ", r"\s+") for w in sorted(CURRENCY_QUALIFIERS, key=len, reverse=True)
) + r")"
# currency after the number: " U.S. dollars", " Tunisian dinars", " euros", " USD", " of dollars"
CURRENCY_AFTER = re.compile(
    r"(?:\s+of)?\s+(?P<curq>" + _CUR_QUAL + r"\s+)?(?P<curw>" + _CUR_WORD + r")|\s?(?P<code>" + _CODE + r")", re.I
)

# --- units ------------------------------------------------------------------------

UNITS: dict[str, tuple[str, str]] = {k.lower(): (v[0], v[1]) for k, v in LEX["units"].items()}
_UNIT_ALTS = []
for _u in sorted(UNITS, key=len, reverse=True):
    if _u == "%":
        continue
    _p = re.escape(_u).replace(r"\ ", r"\s+")
    if _u[-1].isalpha() and _u not in {"km", "mi", "kg", "pct", "sq km"}:
        _p += "(?:s|es)?"
    _UNIT_ALTS.append(_p)
# a unit not glued to a following word ("Mi-24" is no mile), except "km-long", "mile-wide"
UNIT_AFTER = re.compile(r"\s?(?P<unit>%|(?:" + "|".join(_UNIT_ALTS) + r")\b"
                        r"(?![-‐‑](?!(?:long|wide|deep|high|tall)\b)\w)(?!\w))", re.I)
OF_BEFORE_UNIT = re.compile(r"\s+of(?=\s)", re.I)      # "hundreds of kilometres"
HYPHEN_UNIT_AFTER = re.compile(HYPHEN + r"(?P<hunit>" + _alt(LEX["hyphen_units"]) + r")(?!" + HYPHEN + r"?\w)", re.I)

TIME_UNITS = frozenset(LEX["time_units"])
_TIME = r"(?:" + "|".join(
    re.escape(w) + ("" if not w[-1].isalpha() else r"(?:s|es)?") for w in sorted(TIME_UNITS, key=len, reverse=True)
) + r"|centuries|millennia)"
TIME_AFTER = re.compile(r"\s*(?:" + HYPHEN + r"\s*)?(?:long\s+|consecutive\s+|straight\s+|more\s+|full\s+|whole\s+|"
                        r"additional\s+|successive\s+|previous\s+|past\s+|last\s+|next\s+|further\s+)?"
                        + _TIME + r"\b", re.I)

MONTHS = frozenset(LEX["months"])
_MON = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
MONTH_BEFORE = re.compile(r"\b" + _MON + r"\s*$", re.I)
MONTH_AFTER = re.compile(r"^(?:st|nd|rd|th)?\s*(?:of\s+)?" + _MON + r"\b", re.I)

IDENTIFIER_WORDS = frozenset(w.lower() for w in LEX["identifier_words"])
IDENTIFIER_BEFORE = re.compile(r"(?:^|(?<=\W))(?P<w>[A-Za-z][A-Za-z.]*)\s*$")

# range connectors between two numbers
RANGE_TAIL = re.compile(r"\s*(?P<conn>" + RANGE_DASH + r"|\bto\b|\bor\b|\band\b)\s*(?:" + CURRENCY_PREFIX + r")?", re.I)
BETWEEN_BEFORE = re.compile(r"\bbetween\s+$", re.I)
FROM_BEFORE = re.compile(r"\b(?P<prev>\w+)?\s*\bfrom\s+$", re.I)

CHANGE_WORDS = frozenset(LEX["change_words"])

# --- nouns --------------------------------------------------------------------------

PERSONNEL_NOUNS = frozenset(w.lower() for w in LEX["personnel_nouns"])
PERSON_NOUNS = frozenset(w.lower() for w in LEX["person_nouns"]) | PERSONNEL_NOUNS
EQUIPMENT_NOUNS = frozenset(w.lower() for w in LEX["equipment_nouns"])
DEMONYM_SUFFIXES = tuple(LEX["demonym_suffixes"])
CASUALTY_WORDS = frozenset(LEX["casualty_words"])
CASUALTY_LIFE_VERBS = frozenset(LEX["casualty_life_verbs"])
COUNT_SUBJECT_NOUNS = frozenset(LEX["count_subject_nouns"])
LEMMA_EXCEPTIONS: dict[str, str] = dict(LEX["lemma_exceptions"])

CASUALTY_RE = re.compile(
    _alt([w for w in CASUALTY_WORDS if " " not in w] + ["deaths", "wounds", "injuries", "casualties", "fatalities",
                                                        "kills", "dies", "bodies", "corpses", "shot dead",
                                                        "gunned down", "massacres", "tolls"])
    + r"|\b(?:took|take|taking|claimed|claim|claiming|cost|costing|lost|lose|losing)\s+(?:the\s+|their\s+)?lives\b",
    re.I,
)

WORD_RE = re.compile(r"[^\W\d_](?:[\w'’.-]*[^\W_])?", re.U)

# --- small helpers shared by numbers / normalise / detect ----------------------------

WS = re.compile(r"\s+")
HYPHEN_RE = re.compile(HYPHEN)
DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")
A_FORM = re.compile(
    r"^(?P<pre>a|an|half\s+a|a\s+half|one\s+and\s+a\s+half|a\s+quarter(?:\s+of\s+a)?|three\s+quarters\s+of\s+a)\s+"
    r"(?P<mag>dozen|hundred|thousand|million|billion|trillion)$",
    re.I,
)
AND_A_HALF = re.compile(r"^(?P<head>.+?)\s+and\s+a\s+half\s+(?P<mag>million|billion)$", re.I)
WORD_MAGNITUDE_END = re.compile(r"(hundred|thousand|million|billion|trillion)$", re.I)
VAGUE_OF = re.compile(r"(tens|hundreds|dozens|scores) of (thousands|millions|billions)")
VAGUE_MULTIPLIED = re.compile(r"(several|a few|a couple of|many) (hundred|thousand|million|billion|dozen)")
PERCENT_END = re.compile(r"\s?%$")
RANGE_LEAD = re.compile(r"(?:between|from)\s+", re.I)
TRAILING_QUALIFIER = re.compile(r"\s*\bor\s+(?:more|so)$", re.I)
METRE_CONTEXT = re.compile(r"^\s*" + HYPHEN + r"?\s*(?:long|high|wide|deep|tall)\b", re.I)
DINAR_CUES = tuple((re.compile(r"\b" + re.escape(cue) + r"\b", re.I), iso) for cue, iso in DINAR_COUNTRIES.items())
LEADING_JUNK = re.compile(r"^(?:of\s+)?(?:the\s+|these\s+|those\s+|their\s+|its\s+)?", re.I)
AND_SPLIT = re.compile(r"\s+and\s+")
CONJ_SPLIT = re.compile(r"\s+(?:and|or)\s+")
GLUED_UNIT = re.compile(r"(?:km|kms|mi|kg|bn|mn|m|k|b|tn|mln)\b", re.I)
YEAR_FOOTNOTE = re.compile(r"(\d{4})\.(\d{1,3})")
NON_DIGITS = re.compile(r"[^\d.]+")
NEXT_WORD = re.compile(r"\s*([^\W\d_][\w'-]*)")
LIST_MARKER_AFTER = re.compile(r"[.)]\s")
