"""Normalising one QUANTITY span into a `QuantityValue` (pure, spaCy-free, cached).

The span text is read left to right: qualifier ("about", "more than") ->
currency sign or code -> number expression (single, range, vague) -> suffix
qualifier ("+", "or more") -> currency word, unit or hyphenated unit ->
counted noun words. `item`, when the caller found it through the parse, wins
over the noun words of the span; `sentence` (or an explicit `casualty`) decides
the casualties category for people.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..schema import QuantityValue
from . import patterns as P
from .numbers import Amount, atom_amount, range_amount


@dataclass(frozen=True)
class SpanParse:
    """What the span text says, before any decision about unit and category."""

    amount: Amount | None
    approx: str = "exact"
    currency: str | None = None      # ISO code (or "dinar" when the country is unknown)
    unit: str | None = None          # measure unit: percent, km, mile, ...
    unit_category: str | None = None  # category implied by the measure unit
    strong: bool = False             # "5,000-strong"
    rest: str = ""                   # words after the number and unit (the counted noun phrase)
    core_start: int = 0              # offsets of the number expression within the cleaned span text
    core_end: int = 0


def _clean(text: str) -> str:
    return P.WS.sub(" ", P.HYPHEN_RE.sub("-", text.replace("\\$", "$"))).strip()


def _currency_from_word(word: str, qual: str | None, sentence: str) -> str:
    w = P.WS.sub(" ", word.lower()).rstrip("s") if not word.lower().endswith(("yen", "yuan")) else word.lower()
    w = {"pound sterling": "pound sterling", "pounds sterling": "pound sterling"}.get(P.WS.sub(" ", word.lower()), w)
    if qual:
        q = P.WS.sub(" ", qual.strip().lower())
        if q in P.CURRENCY_QUALIFIERS:
            code = P.CURRENCY_QUALIFIERS[q]
            if w == "dollar" and code not in {"USD", "CAD", "AUD", "HKD"}:
                return "USD"
            return code
    code = P.CURRENCY_WORDS.get(w) or P.CURRENCY_WORDS.get(w.rstrip("e")) or "dinar"
    if code == "dinar":
        for cue, iso in P.DINAR_CUES:
            if cue.search(sentence):
                return iso
    return code


def parse_span(text: str, sentence: str = "") -> SpanParse:
    """Read a quantity span (see module doc). Offsets refer to `_clean(text)`."""
    t = _clean(text)
    pos = 0
    approx = "exact"
    q = P.QUALIFIER_AT_START.match(t)
    if q:
        approx = P.QUALIFIER_APPROX.get(P.WS.sub(" ", q.group(0).strip().lower()), "exact")
        pos = q.end()
    b = P.RANGE_LEAD.match(t, pos)
    if b:
        pos = b.end()
    currency = None
    c = P.CURRENCY_AT_START.match(t[pos:])
    if c:
        cur = c.group("cur")
        currency = P.CURRENCY_SYMBOLS.get(cur, cur.upper() if cur.upper() in P.CURRENCY_CODES else None)
        pos += c.end()
    m = P.NUMBER_ATOM.match(t, pos)
    if not m:
        return SpanParse(amount=None, approx=approx, currency=currency, rest=t[pos:].strip())
    core_start = pos
    amount = atom_amount(m)
    pos = m.end()
    if amount is not None and not amount.vague:
        tail = P.RANGE_TAIL.match(t, pos)
        if tail:
            m2 = P.NUMBER_ATOM.match(t, tail.end())
            if m2 and not m2.group("vague"):
                second = atom_amount(m2)
                combined = range_amount(amount, second) if second is not None else None
                if combined is not None:
                    amount = combined
                    pos = m2.end()
                    if tail.group("cur") and not currency:
                        cur = tail.group("cur")
                        currency = P.CURRENCY_SYMBOLS.get(cur, cur.upper())
    core_end = pos
    sq = P.SUFFIX_QUALIFIER.match(t, pos)
    if sq:
        approx = P.SUFFIX_APPROX.get(P.WS.sub(" ", sq.group(0).strip().lower()), approx)
        pos = sq.end()
    unit = unit_category = None
    strong = False
    ca = P.CURRENCY_AFTER.match(t, pos)
    if ca and (ca.group("curw") or ca.group("code")):
        if ca.group("code"):
            code = ca.group("code").upper()
        else:
            code = _currency_from_word(ca.group("curw"), ca.group("curq"), sentence)
        if currency is None or currency == code or (currency == "USD" and code == "USD"):
            currency = currency or code
            pos = ca.end()
    if currency is None:
        h = P.HYPHEN_UNIT_AFTER.match(t, pos)
        u = P.UNIT_AFTER.match(t, pos)
        of = P.OF_BEFORE_UNIT.match(t, pos)
        if u is None and amount is not None and amount.vague and of:
            u = P.UNIT_AFTER.match(t, of.end())
        if h:
            word = h.group("hunit").lower()
            if word == "strong":
                strong = True
            else:
                unit, unit_category = _unit_of(word)
            pos = h.end()
        elif u and not (amount is not None and amount.magnitude == "m" and u.group("unit").lower() in {"m"}):
            unit, unit_category = _unit_of(u.group("unit"))
            pos = u.end()
    rest = t[pos:].strip()
    trailing = P.TRAILING_QUALIFIER.search(rest)
    if trailing and approx == "exact":
        approx = P.SUFFIX_APPROX[P.WS.sub(" ", trailing.group(0).strip().lower())]
        rest = rest[:trailing.start()]
    if (amount is not None and amount.magnitude == "m" and currency is None and unit is None
            and P.METRE_CONTEXT.match(t[pos:]) and amount.value is not None):
        amount = Amount(value=amount.value / 1e6)
        unit, unit_category = "m", "distance"
    return SpanParse(amount=amount, approx=approx, currency=currency, unit=unit, unit_category=unit_category,
                     strong=strong, rest=rest, core_start=core_start, core_end=core_end)


def _unit_of(word: str) -> tuple[str, str]:
    w = P.WS.sub(" ", word.lower())
    if w in P.UNITS:
        return P.UNITS[w]
    for cand in (w[:-2] if w.endswith("es") else w, w[:-1] if w.endswith("s") else w):
        if cand in P.UNITS:
            return P.UNITS[cand]
    return (w, "other")


# --- nouns -----------------------------------------------------------------------------


def lemma_noun(word: str) -> str:
    """Singular of a (plural) noun; a small rule lemmatiser with the lexicon's exceptions."""
    w = word.strip()
    if not w:
        return w
    low = w.lower()
    if low in P.LEMMA_EXCEPTIONS:
        out = P.LEMMA_EXCEPTIONS[low]
    elif low.endswith("men") and len(low) > 4 and low not in {"specimen", "regimen", "abdomen"}:
        out = low[:-3] + "man"
    elif low.endswith("ies") and len(low) > 4:
        out = low[:-3] + "y"
    elif low.endswith(("sses", "shes", "ches", "xes", "zzes")):
        out = low[:-2]
    elif low.endswith("is") and w[:1].isupper() and len(low) > 4:
        out = low[:-1]                               # demonyms: "Iraqis", "Somalis"
    elif low.endswith("s") and not low.endswith(("ss", "us", "is", "'s", "’s")) and len(low) > 2:
        out = low[:-1]
    else:
        out = low
    if w[:1].isupper() and not w.isupper() and out == out.lower():
        out = out[:1].upper() + out[1:]   # proper nouns keep their capital ("Americans" -> "American")
    elif w.isupper() and len(w) > 1:
        out = w[:-1] if w.endswith("S") and out != low else w  # "IEDs" handled by exceptions; "UAV" stays
        if low in P.LEMMA_EXCEPTIONS:
            out = P.LEMMA_EXCEPTIONS[low]
    return out


def item_from_words(rest: str) -> str | None:
    """Item from the counted-noun words of a span, without a parse: last noun, conjunctions kept."""
    r = P.LEADING_JUNK.sub("", rest.strip()).strip(" ,.;:()")
    if not r:
        return None
    words = P.WORD_RE.findall(r)
    if not words:
        return None
    if " and " in f" {r} ":
        left, right = P.AND_SPLIT.split(r, maxsplit=1)
        lw, rw = P.WORD_RE.findall(left), P.WORD_RE.findall(right)
        if lw and rw and _looks_plural(lw[-1]):
            return f"{lemma_noun(lw[-1])} and {lemma_noun(rw[-1])}"
    return lemma_noun(words[-1])


def _looks_plural(word: str) -> bool:
    low = word.lower()
    return low in P.LEMMA_EXCEPTIONS or (low.endswith("s") and not low.endswith("ss")) or low.endswith("men")


def _parts(item: str) -> list[str]:
    return [p.strip() for p in P.CONJ_SPLIT.split(item) if p.strip()]


def _head(part: str) -> str:
    return part.split()[-1] if part.split() else part


def is_person(item: str | None) -> bool:
    if not item:
        return False
    for part in _parts(item):
        low = part.lower()
        if low in P.PERSON_NOUNS or _head(low) in P.PERSON_NOUNS:
            return True
        head = _head(part)
        if head[:1].isupper() and head.isalpha() and head.lower().endswith(P.DEMONYM_SUFFIXES) and len(head) > 3:
            return True
    return False


def is_personnel(item: str | None) -> bool:
    if not item:
        return False
    parts = _parts(item)
    return bool(parts) and all(p.lower() in P.PERSONNEL_NOUNS or _head(p.lower()) in P.PERSONNEL_NOUNS
                               for p in parts)


def is_equipment(item: str | None) -> bool:
    if not item:
        return False
    parts = _parts(item)
    return bool(parts) and all(p.lower() in P.EQUIPMENT_NOUNS or _head(p.lower()) in P.EQUIPMENT_NOUNS
                               for p in parts)


def casualty_in_sentence(text: str, sentence: str, window: int = 7) -> bool:
    """A killed/dead/wounded word within `window` words of the mention in its sentence."""
    if not sentence:
        return False
    s = P.WS.sub(" ", sentence)
    t = P.WS.sub(" ", text).strip()
    i = s.find(t) if t else -1
    if i < 0:
        return bool(P.CASUALTY_RE.search(s))
    before = s[:i].split()[-window:]
    after = s[i + len(t):].split()[:window]
    return bool(P.CASUALTY_RE.search(" ".join(before) + " " + t + " " + " ".join(after)))


@lru_cache(maxsize=8192)
def normalise_quantity(text: str, *, item: str | None = None, sentence: str = "",
                       casualty: bool | None = None) -> QuantityValue:
    """Normalise one QUANTITY span per gold/GUIDELINES.md (QUANTITY, decisions 34-41).

    `item`: lemma of the counted noun found by detection (wins over the span's own words);
    `sentence`: the mention's sentence, read for the casualties category and dinar countries;
    `casualty`: an explicit decision (from the parse) that overrides the sentence heuristic.
    A span with no readable number gives an empty QuantityValue (value/low/high None).
    """
    sp = parse_span(text, sentence)
    a = sp.amount
    if a is None:
        return QuantityValue(approx=sp.approx)
    # a vague amount ("dozens", "tens of thousands") is approximate unless a qualifier says more (Decision 51)
    approx = "approximately" if a.vague and sp.approx == "exact" else sp.approx
    fields = dict(value=a.value if not a.vague else None, low=a.low, high=a.high, approx=approx)
    if sp.currency:
        return QuantityValue(**fields, unit=sp.currency, item=None, category="money")
    if sp.unit:
        return QuantityValue(**fields, unit=sp.unit, item=None, category=sp.unit_category or "other")
    it = item if item is not None else item_from_words(sp.rest)
    # the parse said the counted noun was killed/wounded: it names people even when the lexicon lacks it
    person = sp.strong or is_person(it) or (casualty is True and it is not None and not is_equipment(it))
    hurt = casualty if casualty is not None else casualty_in_sentence(text, sentence)
    if person or (it is None and casualty):
        unit = "person"
        if hurt:
            category = "casualties"
        elif sp.strong or is_personnel(it):
            category = "personnel"
        else:
            category = "other"
    else:
        unit = "count"
        category = "equipment" if is_equipment(it) else "other"
    return QuantityValue(**fields, unit=unit, item=it, category=category)
