"""Finding QUANTITY mentions in a parsed document.

Regular expressions (patterns.py) find every number expression in `doc.text`
and decide what the guideline excludes (years, dates, ordinals, durations,
model names, footnote and page numbers, "one"); the span is then grown left to
a currency sign and a qualifier ("about", "more than") and right to a currency
word or unit. For counts, the dependency parse and the tags find the counted
noun: the noun phrase after the number (or after "of" for "thousands of"),
whose head noun ends the span, with conjoined nouns ("soldiers and
policemen"). A name (from `exclude`) between the number and the noun keeps the
span to the number alone (decision 35). The model's CARDINAL/MONEY/PERCENT/
QUANTITY entities, when the Doc has them, only add candidates the expressions
missed.
"""
from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from spacy.tokens import Doc, Token

from ..schema import QuantityValue
from . import patterns as P
from .normalise import lemma_noun, normalise_quantity
from .numbers import Amount, atom_amount, range_amount

_NOUN_POS = {"NOUN", "PROPN"}
_NP_HYPHEN = set(P.HYPHENS)
_MAX_NP = 8
_ENT_LABELS = {"CARDINAL", "MONEY", "PERCENT", "QUANTITY"}


@dataclass(frozen=True)
class QuantityMention:
    start: int            # char offsets in doc.text
    end: int
    text: str
    value: QuantityValue
    source: str           # which rule produced it


@dataclass
class _Core:
    start: int            # number expression (no qualifier, no currency)
    end: int
    amount: Amount
    words: bool           # written in words
    kind: str             # single | range | vague


class _Excluded:
    """Char spans a quantity must not overlap (names and dates found by earlier stages)."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        self.spans = sorted((int(a), int(b)) for a, b in spans if b > a)
        self.starts = [a for a, _ in self.spans]
        self.max_end = list(itertools.accumulate((b for _, b in self.spans), max))

    def overlapping(self, start: int, end: int) -> tuple[int, int] | None:
        """One excluded span overlapping [start, end), or None."""
        j = bisect.bisect_left(self.starts, end) - 1      # spans[:j+1] start before `end`
        while j >= 0 and self.max_end[j] > start:
            a, b = self.spans[j]
            if b > start:
                return (a, b)
            j -= 1
        return None


# --- char-level filters ------------------------------------------------------------


def _line_of(text: str, start: int, end: int) -> str:
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    return text[a: len(text) if b < 0 else b]


def _digits_context_ok(text: str, s: int, e: int, *, left: bool = True) -> bool:
    """Reject numbers glued to letters or symbols: UH-60M, 4x4, 5+5, 24/7, 15:58, post-2011, entirely.2, 1990s.

    `left=False` checks only the right side (the second number of a range "30-40").
    """
    before = text[s - 1] if s > 0 else " "
    before2 = text[s - 2] if s > 1 else " "
    after = text[e] if e < len(text) else " "
    after2 = text[e + 1] if e + 1 < len(text) else " "
    if not left:
        before, before2 = " ", " "
    if before.isalpha() or before == "_":
        return False
    if before in _NP_HYPHEN | {"/", "+", "×", ":", "#", "@", "&", "="} and (before2.isalnum()):
        return False
    if before in ".,;:)]”’\"'!?" and (before2.isalpha() or before2 in ".,;:)]”’\"'!?%"):
        return False                                     # footnote marker glued to a word: "entirely.2", "us.”19"
    if before == "." and before2.isdigit():
        return False                                     # version-like "1.2.3"
    if after in "/:×" and after2.isdigit():
        return False
    if after == "+" and after2.isalnum():
        return False
    if after.isalpha():
        return bool(P.GLUED_UNIT.match(text, e)) and not (
            after.lower() in "mkb" and before in _NP_HYPHEN)
    if after in _NP_HYPHEN and after2.isalpha():
        return bool(P.HYPHEN_UNIT_AFTER.match(text, e))
    if after in _NP_HYPHEN and after2.isdigit():
        return True                                      # range, checked by the caller
    return True


def _words_context_ok(text: str, s: int, e: int) -> bool:
    before = text[s - 1] if s > 0 else " "
    after = text[e] if e < len(text) else " "
    after2 = text[e + 1] if e + 1 < len(text) else " "
    if before in _NP_HYPHEN or before.isalpha():
        return False                                     # "one-third" right part, "ex-two"
    if after in _NP_HYPHEN and after2.isalpha():
        return bool(P.HYPHEN_UNIT_AFTER.match(text, e))  # "two-thirds", "three-day", "two-state" are not quantities
    return True


def _is_year(raw: str) -> bool:
    if raw.isdigit() and len(raw) == 4 and 1800 <= int(raw) <= 2100:
        return True
    mm = P.YEAR_FOOTNOTE.fullmatch(raw)       # "2013.20": year + glued footnote
    return bool(mm and 1800 <= int(mm.group(1)) <= 2100)


def _yearlike(text: str, core: _Core) -> bool:
    """A year ("2011"), or a range of years ("2011-2016", "2011 and 2017")."""
    if core.words or core.amount.magnitude or core.kind == "vague":
        return False
    raw = text[core.start:core.end]
    if core.kind == "single":
        return _is_year(raw)
    parts = [p for p in P.NON_DIGITS.split(raw) if p]
    return len(parts) == 2 and all(_is_year(p) or (p.isdigit() and len(p) == 2) for p in parts) and _is_year(parts[0])


def _next_word(text: str, pos: int) -> str:
    m = P.NEXT_WORD.match(text, pos, pos + 60)
    return m.group(1) if m else ""


def _known_noun(word: str) -> bool:
    lem = lemma_noun(word).lower()
    return lem in P.PERSON_NOUNS or lem in P.EQUIPMENT_NOUNS


# --- parse helpers ---------------------------------------------------------------------


class _Tokens:
    def __init__(self, doc: Doc):
        self.doc = doc
        self.starts = [t.idx for t in doc]

    def first_at_or_after(self, char: int) -> int:
        return bisect.bisect_left(self.starts, char)

    def containing(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.starts, char) - 1)


def _is_casualty_token(t: Token) -> bool:
    low, lem = t.lower_, t.lemma_.lower()
    if low in P.CASUALTY_WORDS or lem in P.CASUALTY_WORDS:
        return True
    return lem == "life" and (t.head.lemma_.lower() in P.CASUALTY_LIFE_VERBS or t.head.head.lemma_.lower()
                              in P.CASUALTY_LIFE_VERBS)


_VICTIM_DEPS = {"nsubj", "nsubjpass", "dobj", "conj", "appos", "attr", "oprd", "nummod", "compound", "amod", "dep"}
_VICTIM_PREPS = {"of", "among", "including"}


def _casualty(tok: Token) -> bool:
    """Does the clause report `tok` (the counted noun, or the bare number) killed, dead or wounded?

    The walk goes up the parse only through edges that keep `tok` the victim: subject or object of
    the verb, "of"/"among"/"including" phrases, conjuncts; "across the three countries" stops it.
    """
    if _is_casualty_token(tok):
        return True                                  # "20 casualties", "claimed 100 lives"
    for c in tok.children:
        if c.dep_ in {"amod", "acl", "relcl", "appos", "oprd"} and _is_casualty_token(c):
            return True
    cur = tok
    for _ in range(8):
        head = cur.head
        if head is cur:
            return False
        dep = cur.dep_
        if not (dep in _VICTIM_DEPS or (dep == "pobj" and head.lower_ in _VICTIM_PREPS)
                or (dep == "prep" and cur.lower_ in _VICTIM_PREPS)):
            return False
        cur = head
        if _is_casualty_token(cur):
            return True
        if cur.pos_ in {"VERB", "AUX"} and cur.lower_ != "including":
            for c in cur.children:
                if c.dep_ in {"oprd", "xcomp", "acomp", "attr", "conj"} and _is_casualty_token(c):
                    return True                      # "left 14 dead", "were reported killed"
                if c.dep_ == "prep" and c.lower_ == "among":
                    if any(g.dep_ == "pobj" and _is_casualty_token(g) for g in c.children):
                        return True                  # "were among the dead"
            return False
    return False


def _item_of(head: Token) -> str:
    """Lemma of the counted noun with its lower-case noun compounds ("counterterrorism operation")."""
    words = []
    i = head.i - 1
    while i >= 0:
        t = head.doc[i]
        if t.dep_ == "compound" and t.pos_ == "NOUN" and t.is_alpha and t.is_lower and t.head.i in {head.i, i + 1}:
            words.insert(0, t.lower_)
            i -= 1
        else:
            break
    if head.pos_ == "PROPN" or head.text[:1].isupper() and head.i > 0 and not head.is_sent_start:
        lem = lemma_noun(head.text)
    else:
        low = head.lower_
        lem = P.LEMMA_EXCEPTIONS.get(low) or (head.lemma_.lower() if head.lemma_ else lemma_noun(low))
        if lem == low and low.endswith("s") and head.tag_ in {"NNS", "NNPS"}:
            lem = lemma_noun(low)
    return " ".join(words + [lem])


_PARTITIVE_DETS = {"the", "these", "those", "its", "their", "his", "her", "our", "your", "my"}


def _after_proper_noun(doc: Doc, text: str, i: int, start: int) -> bool:
    """The number directly follows a capitalised proper noun (a name's number, not a count)."""
    j = i - 1
    while j >= 0 and doc[j].is_space:
        j -= 1
    if j < 0 or doc[i].idx != start:
        return False
    prev = doc[j]
    gap = text[prev.idx + len(prev.text):start]  # `text` is doc.text: rebuilding it costs O(len(doc)) per call
    if gap not in {" ", ""} or prev.pos_ != "PROPN" or not prev.text[:1].isupper() or prev.is_sent_start:
        return False
    low = prev.lower_.rstrip(".")
    return low not in P.MONTHS and low not in P.QUALIFIER_APPROX and low not in {"us", "u.s"}


def _plural(t: Token) -> bool:
    """Plural noun; a proper noun tagged plural must also look plural ("Americans", not "African")."""
    if t.tag_ == "NNS":
        return True
    return t.tag_ == "NNPS" and t.lower_.endswith("s")


def _next_word_tok(doc: Doc, i: int) -> Token | None:
    """The next token after i that is not whitespace."""
    j = i + 1
    while j < len(doc) and doc[j].is_space:
        j += 1
    return doc[j] if j < len(doc) else None


@dataclass
class _NP:
    head: Token | None = None
    end_tok: int = -1          # last token index of the noun phrase (head or conjoined head)
    item: str | None = None
    name_between: bool = False


def _np_after(doc: Doc, k: int, excl: _Excluded) -> _NP:
    """The counted noun phrase starting at token k (number tokens end before k)."""
    n = len(doc)
    i = k
    head_i = -1
    name_between = False
    seen_plural_noun = False
    skipped = 0                                     # tokens inside names do not count against _MAX_NP
    while i < n and i - k - skipped < _MAX_NP:
        t = doc[i]
        if t.is_space:
            i += 1
            skipped += 1
            continue
        ex = excl.overlapping(t.idx, t.idx + len(t.text))
        if ex is not None:
            if ex[0] < doc[k].idx:
                break                               # the excluded span reaches back over the number
            name_between = True
            j = i
            while j < n and doc[j].idx < ex[1]:
                j += 1
            # a parenthesised acronym after the name: "(AES)"
            if j + 2 < n and doc[j].text == "(" and doc[j + 2].text == ")":
                j += 3
            skipped += j - i
            i = j
            continue
        if t.text in _NP_HYPHEN and i > k and i + 1 < n and doc[i - 1].whitespace_ == "" and t.whitespace_ == "":
            i += 1
            continue
        glued = i > k and doc[i - 1].whitespace_ == "" and not doc[i - 1].is_space
        if t.tag_ == "POS" or t.lower_ in {"'s", "’s", "'", "’"}:
            break
        if any(ch.isalnum() for ch in t.text) and not t.like_num and (
                glued and not t.is_punct or t.pos_ in {"NUM", "X", "SYM"} and any(ch.isalpha() for ch in t.text)):
            i += 1                                  # inside a model name: "UH-60M", "F-16", "Su-30MKA"
            continue
        if t.pos_ == "NUM" and i > k and doc[i - 1].pos_ == "PROPN":
            i += 1                                  # model number after a maker: "Cessna 208"
            continue
        if t.pos_ in _NOUN_POS or (t.pos_ == "NUM" and t.dep_ == "compound" and i > k):
            if t.pos_ == "NOUN" or _plural(t):
                head_i = i
            elif head_i < 0 or doc[head_i].pos_ == "PROPN":
                head_i = i
            seen_plural_noun = seen_plural_noun or _plural(t)
            nxt = _next_word_tok(doc, i)
            cont = nxt is not None and (
                nxt.pos_ in _NOUN_POS
                or (nxt.text in _NP_HYPHEN and nxt.idx == t.idx + len(t.text))
                or (nxt.pos_ == "NUM" and (nxt.dep_ == "compound" or t.pos_ == "PROPN")))
            if not cont and nxt is not None and t.pos_ == "PROPN" and not _plural(t) and (
                    nxt.pos_ == "ADJ" or nxt.pos_ == "CCONJ" and nxt.lower_ in {"and", "or"}):
                cont = True                         # a proper-noun modifier: "Northern African and Southern European"
            if not cont:
                break
            i += 1
            continue
        if t.pos_ == "ADJ" or (t.tag_ in {"VBN", "VBG"} and t.dep_ in {"amod", "compound"}):
            if head_i >= 0 and doc[head_i].pos_ == "NOUN":
                break
            i += 1
            continue
        if t.pos_ == "CCONJ" and t.lower_ in {"and", "or"} and head_i < 0 or (
                t.pos_ == "CCONJ" and head_i >= 0 and doc[head_i].pos_ == "PROPN" and not seen_plural_noun):
            nxt = _next_word_tok(doc, i)
            if nxt is not None and nxt.pos_ in {"ADJ", "PROPN"} and i > k:
                i += 1
                continue
            break
        nw = _next_word_tok(doc, i)
        if t.pos_ == "ADV" and nw is not None and nw.pos_ in {"ADJ", "VERB"} and t.dep_ == "advmod":
            i += 1
            continue
        break
    if head_i < 0:
        return _NP(name_between=name_between)
    head = doc[head_i]
    if head.pos_ == "PROPN" and not _plural(head):
        # a singular proper noun is a name, not what is counted ("the three Alliance ...")
        return _NP(name_between=True) if name_between else _NP()
    item = _item_of(head)
    end_tok = head_i
    # conjoined counted nouns: "soldiers and policemen"
    cc = _next_word_tok(doc, head_i)
    if cc is not None and cc.lower_ in {"and", "or"} and cc.pos_ == "CCONJ" and cc.i + 1 < n:
        j = cc.i
        m = j + 1
        while m < n and m - j <= 4 and (doc[m].pos_ == "ADJ" or doc[m].is_space):
            m += 1
        if m < n and doc[m].pos_ == "NOUN" and _plural(doc[m]) and _plural(head) \
                and doc[m].is_alpha and not doc[m].like_num and doc[m].lower_ not in P.LEX["vague"] \
                and excl.overlapping(doc[m].idx, doc[m].idx + len(doc[m].text)) is None \
                and not any(c.dep_ in {"nummod", "det", "poss"} for c in doc[m].children) \
                and doc[m].lemma_.lower() not in P.TIME_UNITS:
            nxt = _next_word_tok(doc, m)
            if nxt is None or nxt.pos_ != "NOUN":
                item = f"{item} and {_item_of(doc[m])}"
                end_tok = m
    return _NP(head=head, end_tok=end_tok, item=item, name_between=name_between)


def _count_subject_item(tok: Token) -> tuple[str | None, bool]:
    """Item of a bare number from its subject: "the number of foreign fighters reached 2,400" -> ("fighter", False);
    "the death toll rose to 45" -> (None, True)."""
    verb = tok.head
    if verb.pos_ == "ADP":
        verb = verb.head
    if verb is tok or verb.pos_ not in {"VERB", "AUX"}:
        return None, False
    for subj in verb.children:
        if subj.dep_ not in {"nsubj", "nsubjpass"} or subj.lemma_.lower() not in P.COUNT_SUBJECT_NOUNS:
            continue
        hurt = subj.lemma_.lower() == "toll" or any(
            c.dep_ in {"compound", "amod"} and c.lemma_.lower() in {"death", "casualty", "fatality"}
            for c in subj.children)
        for prep in subj.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for pobj in prep.children:
                    if pobj.dep_ != "pobj":
                        continue
                    if _is_casualty_token(pobj):
                        return None, True                 # "the number of injured"
                    if pobj.pos_ in _NOUN_POS:
                        return _item_of(pobj), hurt
        for c in subj.children:                           # "troop numbers"
            if c.dep_ == "compound" and c.pos_ == "NOUN" and c.i == subj.i - 1 and not _is_casualty_token(c):
                return _item_of(c), hurt
        return None, hurt
    return None, False


# --- the scan ----------------------------------------------------------------------------


def _sentence(doc: Doc, tok_i: int) -> str:
    try:
        return doc[tok_i].sent.text
    except ValueError:                       # no sentence boundaries on this Doc
        t = doc.text
        return _line_of(t, doc[tok_i].idx, doc[tok_i].idx)


def _make_core(text: str, m: re.Match) -> _Core | None:
    amount = atom_amount(m)
    if amount is None:
        return None
    s, e = m.span()
    words = bool(m.group("words") or m.group("vague"))
    if not words and not _digits_context_ok(text, s, e):
        return None
    if words and not _words_context_ok(text, s, e):
        return None
    return _Core(start=s, end=e, amount=amount, words=words, kind="vague" if amount.vague else "single")


def _extend_range(text: str, core: _Core) -> tuple[_Core | None, int]:
    """Join "5,000 to 6,000", "between 20 and 30", "two or three", "$2-3 million". Returns (core, consumed_end)."""
    if core.kind != "single":
        return core, core.end
    tail = P.RANGE_TAIL.match(text, core.end)
    if not tail:
        return core, core.end
    conn = tail.group("conn").lower()
    m2 = P.NUMBER_ATOM.match(text, tail.end())
    if not m2 or m2.group("vague"):
        return core, core.end
    lead = core.start                              # before a currency sign: "from $10.3bn to $11.2bn"
    cb = P.CURRENCY_BEFORE.search(text, max(0, lead - 5), lead)
    if cb:
        lead = cb.start()
    if conn == "and" and not P.BETWEEN_BEFORE.search(text, max(0, lead - 10), lead):
        return core, core.end
    if conn == "to":
        fb = P.FROM_BEFORE.search(text, max(0, lead - 40), lead)
        if fb and fb.group("prev") and fb.group("prev").lower() in P.CHANGE_WORDS:
            return core, core.end                  # "rose from 3,000 to 5,000": two numbers, not a range
    second = atom_amount(m2)
    if second is None or bool(m2.group("words")) != core.words:
        return core, core.end
    if not core.words and not _digits_context_ok(text, m2.start(), m2.end(), left=False):
        return None, m2.end()
    combined = range_amount(core.amount, second)
    if combined is None:
        if conn in P.HYPHENS + "\u2013\u2014" and not core.words:
            return None, m2.end()                  # "216-71", "3-1": codes and scores, not quantities
        return core, core.end
    return _Core(start=core.start, end=m2.end(), amount=combined, words=core.words, kind="range"), m2.end()


def _excluded_by_context(text: str, core: _Core, unit_follows: bool, currency_before: bool) -> bool:
    s, e = core.start, core.end
    raw = text[s:e]
    # dates: "13 Nov", "May 16", "October 6 to 8"
    if not core.words and not unit_follows and not currency_before:
        if P.MONTH_BEFORE.search(text, max(0, s - 12), s) or P.MONTH_AFTER.match(text[e:e + 14]):
            return True
    # durations and ages: "3 years", "two-day", "25-year-old", "three times"
    if P.TIME_AFTER.match(text, e):
        return True
    # identifiers: "Resolution 2254", "No. 5", "Article 51", "p. 12"
    idm = P.IDENTIFIER_BEFORE.search(text, max(0, s - 25), s)
    if idm and not core.words:
        w = idm.group("w")
        if w.lower() in P.IDENTIFIER_WORDS and (w[:1].isupper() or w.endswith(".")
                                                or w.lower() not in {"number", "no", "order", "act", "bill", "point"}):
            return True
    if not core.words:
        line_start = text.rfind("\n", 0, s) + 1
        line = _line_of(text, s, e).strip()
        if line == raw or (line[-1:] in {".", ")"} and line[:-1].strip() == raw):
            return True                              # a page number alone on its line
        if not text[line_start:s].strip() and P.LIST_MARKER_AFTER.match(text, e):
            return True                              # a list marker "1." / "2)" opening a line
        if not text[line_start:s].strip() and not unit_follows and not currency_before and _SECTION_NUMBER.fullmatch(raw) \
                and _FOOTNOTE_NOTE.match(text, e):
            return True                              # a footnote or section number: "3 Interviews with …", "3.2 Routes …"
    return False


_SECTION_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,2}){0,3}")
# after a line-initial number: a capitalised word (a month there was already read as a date above)
_FOOTNOTE_NOTE = re.compile(r" [A-Z][a-zA-Z]+")


def find_quantities(doc: Doc, exclude: Sequence[tuple[int, int]] = ()) -> list[QuantityMention]:
    """QUANTITY mentions of a parsed Doc, in text order, none overlapping `exclude` or each other."""
    text = doc.text
    excl = _Excluded(exclude)
    toks = _Tokens(doc)
    out: list[QuantityMention] = []
    seen_atoms: list[tuple[int, int]] = []
    consumed = 0
    atoms = list(P.NUMBER_ATOM.finditer(text))
    for m in atoms:
        seen_atoms.append(m.span())
        if m.start() < consumed:
            continue
        core = _make_core(text, m)
        if core is None:
            continue
        core, range_end = _extend_range(text, core)
        if core is None:
            consumed = range_end
            continue
        mention = _build(doc, toks, text, core, excl)
        if mention is not None:
            out.append(mention)
            consumed = max(mention.end, core.end)
        else:
            consumed = max(consumed, core.end if core.kind == "range" else 0)
    out.extend(_from_entities(doc, out, seen_atoms, excl))
    out.sort(key=lambda q: q.start)
    return _conversions_share_qualifier(text, out)


_CONVERSION_GAP = re.compile(r"\s*[(\[]\s*")


def _conversions_share_qualifier(text: str, out: list[QuantityMention]) -> list[QuantityMention]:
    """'about 1,300 km (800 miles)': the converted unit in parentheses is the same
    measurement, so it takes the qualifier of the one before it (Decision 51)."""
    for i in range(1, len(out)):
        prev, cur = out[i - 1], out[i]
        if cur.value.approx == "exact" and prev.value.approx != "exact" and _CONVERSION_GAP.fullmatch(text[prev.end:cur.start]):
            out[i] = QuantityMention(cur.start, cur.end, cur.text, cur.value.model_copy(update={"approx": prev.value.approx}),
                                     cur.source)
    return out


def _build(doc: Doc, toks: _Tokens, text: str, core: _Core, excl: _Excluded) -> QuantityMention | None:
    if excl.overlapping(core.start, core.end):
        return None
    start = core.start
    # currency sign or code before the number
    currency_before = False
    cb = P.CURRENCY_BEFORE.search(text, max(0, start - 5), start)
    if cb and not (cb.start() > 0 and text[cb.start() - 1].isalnum() and cb.group(0)[:1].isalpha()):
        start = cb.start()
        currency_before = True
    # what follows the number
    pos = core.end
    sq = P.SUFFIX_QUALIFIER.match(text, pos)
    if sq and sq.group(0) == "+":
        pos = sq.end()
    elif sq and sq.group(0).strip().lower() in {"or more"}:
        pos = sq.end()
    unit_end = None
    source = "rule:count"
    ca = P.CURRENCY_AFTER.match(text, pos)
    hu = P.HYPHEN_UNIT_AFTER.match(text, pos)
    un = P.UNIT_AFTER.match(text, pos)
    if un is None and core.kind == "vague" and P.OF_BEFORE_UNIT.match(text, pos):
        un = P.UNIT_AFTER.match(text, P.OF_BEFORE_UNIT.match(text, pos).end())
    strong = False
    if ca and (ca.group("curw") or ca.group("code")) and not (currency_before and ca.group("code")):
        if not (ca.group(0).lstrip().lower().startswith("of") and core.kind != "vague"):
            unit_end, source = ca.end(), "rule:money"
    elif currency_before:
        unit_end, source = pos, "rule:money"
    if unit_end is None and hu:
        unit_end = hu.end()
        strong = hu.group("hunit").lower() == "strong"
        source = "rule:hyphen-unit"
    elif unit_end is None and un and not (core.amount.magnitude == "m" and un.group("unit").lower() == "m"):
        unit_end, source = un.end(), "rule:unit"
    if _yearlike(text, core):
        if not (currency_before or unit_end is not None and not strong or _known_noun(_next_word(text, core.end))):
            return None
    if _excluded_by_context(text, core, unit_end is not None, currency_before):
        return None
    # qualifier before
    qb = P.QUALIFIER_BEFORE.search(text, max(0, start - 40), start)
    if qb and not excl.overlapping(qb.start(), start):
        start = qb.start()
    tok_i = toks.containing(max(core.start, core.end - 1))
    if not core.words and not currency_before and _after_proper_noun(doc, text, toks.containing(core.start), core.start):
        return None                                  # "Resolution 2254", "Cessna 208", "Brigade 19"
    sentence = _sentence(doc, tok_i)
    if unit_end is not None and not strong:
        end = unit_end
        if excl.overlapping(start, end):
            return None
        value = normalise_quantity(text[start:end], sentence=sentence)
        if core.kind == "range":
            source += "+range"
        return _mention(text, start, end, value, source) if _keep(value, core) else None
    # counts: the counted noun through the parse
    k = toks.first_at_or_after(unit_end if strong else pos)
    partitive = None
    if k < len(doc) and doc[k].lower_ == "of":
        k2 = k + 1
        has_det = k2 < len(doc) and doc[k2].lower_ in _PARTITIVE_DETS
        if has_det:
            k2 += 1
        np = _np_after(doc, k2, excl)
        if core.kind != "vague":
            # partitive "two of the attackers": the span is the number, the item the noun
            partitive = np if (has_det and np.head is not None and _plural(np.head)) else None
            np = _NP()
    else:
        np = _np_after(doc, k, excl)
    end = unit_end if strong else pos
    item = np.item
    casualty = None
    source = "rule:count+parse"
    if np.head is not None and not np.name_between and not strong:
        end = doc[np.end_tok].idx + len(doc[np.end_tok].text)
        casualty = _casualty(np.head)
    elif np.head is not None:
        casualty = _casualty(np.head)
        source = "rule:count+name" if np.name_between else "rule:strong"
    elif partitive is not None:
        item = partitive.item
        casualty = _casualty(partitive.head) or _casualty(doc[tok_i])
        source = "rule:count-partitive"
    else:
        num_tok = doc[tok_i]
        subj_item, hurt = _count_subject_item(num_tok)
        item = subj_item
        casualty = hurt or _casualty(num_tok)
        source = "rule:count-bare"
        if core.words and core.kind != "vague" and not casualty and item is None:
            return None                          # "the two", "one of": no counted noun
    if item is not None and (item.split()[-1].lower() in P.TIME_UNITS or item.lower() in {"time", "times"}):
        return None
    if excl.overlapping(start, end):
        if excl.overlapping(core.start, end) is None:
            start = core.start
        else:
            return None
    if core.kind == "range":
        source += "+range"
    elif core.kind == "vague":
        source += "+vague"
    value = normalise_quantity(text[start:end], item=item, sentence=sentence, casualty=casualty)
    if strong and value.unit == "person" and item is not None and not value.item:
        value = value.model_copy(update={"item": item})
    return _mention(text, start, end, value, source) if _keep(value, core) else None


def _keep(value: QuantityValue, core: _Core) -> bool:
    if value.value is None and value.low is None:
        return False
    if value.unit in {"person", "count"} and core.kind == "single" and value.value is not None and value.value < 2:
        return False                             # decision 34: counts start at two; "one" never
    return True


def _mention(text: str, start: int, end: int, value: QuantityValue, source: str) -> QuantityMention:
    while end > start and text[end - 1] in " \t\n\r":
        end -= 1
    return QuantityMention(start=start, end=end, text=text[start:end], value=value, source=source)


def _from_entities(doc: Doc, found: list[QuantityMention], seen_atoms: list[tuple[int, int]],
                   excl: _Excluded) -> list[QuantityMention]:
    """Model entities that hold no number expression the rules looked at (rare: the rules' safety net)."""
    extra = []
    for ent in doc.ents:
        if ent.label_ not in _ENT_LABELS:
            continue
        a, b = ent.start_char, ent.end_char
        if any(s < b and e > a for s, e in seen_atoms) or any(q.start < b and q.end > a for q in found):
            continue
        if excl.overlapping(a, b):
            continue
        value = normalise_quantity(ent.text, sentence=_sentence(doc, ent.start))
        if value.value is not None and value.value >= 2 or value.low is not None:
            extra.append(QuantityMention(start=a, end=b, text=ent.text, value=value, source=f"ner:{ent.label_}"))
    return extra
