"""Load the regional knowledge files (pipeline/knowledge/) once per process.

The files are data, built from public sources (see pipeline/knowledge/README.md);
this module only reads them and turns them into spaCy patterns and lookups.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache


# Words that are also gazetteer names but are far more often ordinary English
# (sentence-initial capitals would otherwise turn them into places).
_COMMON_WORDS = frozenset(
    """a an and are as at be bar bo but by can do for from go had has he her his how i if in is it its man may
    me mark no not of on or our she so than that the their them then there these they this to up us was we were
    what when where which who will with you your said says say new old big all any one two three four five six
    seven eight nine ten first last next more most much many such same other only also well still even just
    over under after before between during since until while among against about into onto upon""".split()
)


@dataclass(frozen=True)
class Entry:
    id: str
    name: str
    label: str
    kind: str | None
    country: str | None
    aliases: tuple[str, ...]
    case_sensitive: frozenset[str] = field(default_factory=frozenset)
    role: str | None = None
    lat: float | None = None
    lon: float | None = None


@lru_cache(maxsize=262144)
def fold(text: str) -> str:
    """Lowercase, strip diacritics and unify quotes/hyphens: a lookup key
    (the knowledge package's `fold`, lower-cased and space-normalised)."""
    from .knowledge import fold as strip_marks

    text = strip_marks(text).replace("\u2011", "-").replace("\u2010", "-")
    return " ".join(text.lower().split())


def _entry(row: dict, label: str) -> Entry:
    return Entry(
        id=f"{label.lower()}:{row['id']}",
        name=row["name"],
        label=label,
        kind=row.get("kind"),
        country=row.get("country"),
        aliases=tuple(a for a in row.get("aliases", []) if a),
        case_sensitive=frozenset(row.get("case_sensitive_aliases", [])),
        role=row.get("role"),
        lat=row.get("lat"),
        lon=row.get("lon"),
    )


@dataclass
class KnowledgeBase:
    entries: dict[str, Entry]
    demonyms: dict[str, str | None]
    titles: dict[str, list[str]]
    # (label, alias key) -> default entry id, or None: the alias names several entities
    # and only the context can decide (pipeline/knowledge/ambiguous_aliases.json)
    ambiguous: dict[tuple[str, str], str | None] = field(default_factory=dict)

    def default_for(self, label: str, form: str) -> tuple[bool, str | None]:
        """(is_ambiguous, default id) for a surface form."""
        key = (label, alias_key(form))
        if key in self.ambiguous:
            return True, self.ambiguous[key]
        return False, None

    def surface_forms(self, entry: Entry) -> list[str]:
        forms = {entry.name, *entry.aliases}
        return sorted(f for f in forms if f.strip())

    @lru_cache(maxsize=None)
    def by_surface(self) -> dict[str, list[str]]:
        """folded surface form -> entry ids (several when ambiguous)."""
        out: dict[str, list[str]] = {}
        for e in self.entries.values():
            for form in self.surface_forms(e):
                out.setdefault(fold(form), []).append(e.id)
        return out

    def __hash__(self) -> int:  # lru_cache on methods needs a hash; one KB per process
        return id(self)


@lru_cache(maxsize=1)
def load_kb() -> KnowledgeBase:
    """The knowledge files, read through the knowledge package's own loaders."""
    from . import knowledge as K

    entries: dict[str, Entry] = {}
    for rows, label in ((K.load_places(), "PLACE"), (K.load_groups(), "GROUP"), (K.load_figures(), "FIGURE")):
        for row in rows:
            e = _entry(row, label)
            entries.setdefault(e.id, e)
    ambiguous: dict[tuple[str, str], str | None] = {}
    for label, items in K.load_ambiguous().items():
        if label.startswith("_"):
            continue
        for item in items:
            default = item.get("default")
            ambiguous[(label, item["key"])] = f"{label.lower()}:{default}" if default else None
    return KnowledgeBase(entries=entries, demonyms=K.load_demonyms(), titles=K.load_titles(), ambiguous=ambiguous)


def alias_key(form: str) -> str:
    """The knowledge package's own key for comparing aliases."""
    from .knowledge import alias_key as _alias_key

    return _alias_key(form)


def is_risky_form(form: str, case_sensitive: bool = False) -> bool:
    """Words that are common English in their written case are not matched
    ("May", "Man"); an all-caps case-sensitive acronym ("US") is not at risk."""
    if case_sensitive and form.isupper():
        return len(form) < 2
    return fold(form) in _COMMON_WORDS or len(form) < 2


def _common_word(form: str) -> bool:
    from .clean.lexicon import zipf

    return zipf(form.lower()) >= 3.5


def _prefix_forms(kb: KnowledgeBase) -> tuple[set[str], set[str]]:
    """Folded demonyms and country names: what may stand before a body's name."""
    demonyms = {fold(d) for d in kb.demonyms}
    countries = set()
    for e in kb.entries.values():
        if e.label == "PLACE" and e.kind == "country":
            countries.update(fold(f) for f in kb.surface_forms(e))
    return demonyms, countries


def usable_forms(kb: KnowledgeBase, e: Entry, prefixes: tuple[set[str], set[str]], names_by_label: dict[str, set[str]]) -> list[str]:
    """The surface forms the matcher should look for, per the span rules:
    - a nationality/country prefix is part of a name only when the canonical name has it
      ("Algerian People's National Army"); "Libyan National Transitional Council" and
      "U.S. Department of Defense" match as the bare name (Decision 15);
    - "Middle East and North Africa" is two mentions, so coordinations of known names are skipped;
    - straight and curly apostrophes are both matched."""
    demonyms, countries = prefixes
    own = {fold(f) for f in kb.surface_forms(e)}
    out = set()
    for form in kb.surface_forms(e):
        folded = fold(form)
        words = folded.split()
        if form != e.name and len(words) > 1:
            stripped = None
            for n in range(1, min(3, len(words))):
                head = " ".join(words[:n])
                if head in demonyms or head in countries:
                    stripped = " ".join(words[n:]).removeprefix("'s ").strip()
                    break
            if stripped and stripped in own:
                continue
        if " and " in folded:
            left, _, right = folded.partition(" and ")
            if left in names_by_label[e.label] and right in names_by_label[e.label]:
                continue
        out.add(form)
        if "'" in form:
            out.add(form.replace("'", "\u2019"))
        if "\u2019" in form:
            out.add(form.replace("\u2019", "'"))
    return sorted(out)


# Arabic and French particles inside a place or person name, written either way by sources
# ("Hodh ech Chargui" / "Hodh Ech Chargui", "Bir el-Ater" / "Bir El-Ater")
_PARTICLE = re.compile(r"(?<=[\s])(el|al|ech|ed|es|et|ad|as|at|az|an|ar|ash|ould|ag|ben|bin|ibn|abu|de|du|la|le|les|des)(?=[\s\-‐‑])",
                       re.IGNORECASE)


def _particle_case_variants(form: str) -> set[str]:
    """The form with its non-initial particles all lower-case and all capitalised."""
    if not _PARTICLE.search(form):
        return set()
    return {_PARTICLE.sub(lambda m: m.group(1).lower(), form), _PARTICLE.sub(lambda m: m.group(1).capitalize(), form)}


def phrase_patterns(kb: KnowledgeBase) -> list[dict]:
    """span_ruler patterns (exact case) with the entry id as pattern id."""
    prefixes = _prefix_forms(kb)
    names_by_label: dict[str, set[str]] = {"PLACE": set(), "GROUP": set(), "FIGURE": set()}
    for e in kb.entries.values():
        names_by_label[e.label].update(fold(f) for f in kb.surface_forms(e))
    patterns = []
    seen = set()
    for e in kb.entries.values():
        for form in usable_forms(kb, e, prefixes, names_by_label):
            base = form.replace("\u2019", "'")
            if is_risky_form(form, base in e.case_sensitive or form in e.case_sensitive):
                continue
            if form != e.name and " " not in form and not form.isupper() and _common_word(form):
                continue  # "Air" (for the Aïr Mountains): an alias that is an everyday word
            ambiguous, default = kb.default_for(e.label, base)
            if ambiguous and default is not None and default != e.id:
                continue  # only the default entity answers to a shared alias
            variants = {form}
            if " " in form and not form.isupper():
                variants |= _particle_case_variants(form)  # "Hodh ech Chargui" / "Hodh Ech Chargui"
            if form not in e.case_sensitive and base not in e.case_sensitive and not (form.isupper() and len(form) <= 5):
                variants.add(form[:1].upper() + form[1:])  # sentence-initial "Al-Qaeda"
                first = form.split()[0] if " " in form else ""
                if first in ("North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central"):
                    variants.add(form[:1].lower() + form[1:])  # "north Africa"
            for v in variants:
                key = (e.label, v, e.id)
                if key not in seen:
                    seen.add(key)
                    patterns.append({"label": e.label, "pattern": v, "id": e.id})
    patterns.sort(key=lambda p: (p["label"], p["pattern"], p["id"]))
    return patterns
