"""Entity resolution: one entity per real-world thing, across documents.

Order-independent by construction: every mention gets a *key* from what it says
(knowledge-file id, acronym link, surname link, transliteration key), keys are
clustered, and a cluster's id is derived from its members — never from the
order documents arrived in.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from . import kb as kbmod
from .schema import EntityRow

_PARTICLES = re.compile(r"\b(?:al|el|ul|ad|ed|as|es|at|et|an|en|ar|er|az|ez)[-\s]+(?=\w)")
_NON_WORD = re.compile(r"[^a-z0-9 ]+")


@dataclass(slots=True)  # one per mention of the corpus, kept until resolution: no per-object dict
class EntityMention:
    """What resolution needs to know of one PLACE/GROUP/FIGURE mention."""

    mention_id: str
    doc_id: str
    label: str
    text: str
    start: int
    kind: str | None = None
    country: str | None = None
    kb_id: str | None = None
    link_key: str | None = None  # acronym/expansion link inside a document
    role: str | None = None
    entity_id: str | None = field(default=None)


@lru_cache(maxsize=65536)
def translit_key(name: str) -> str:
    """A spelling-insensitive key for Arabic-origin names.

    Qadhafi / Qaddafi / Gaddafi -> 'kadafi'; Tamanrasset / Tamnarasset stay close;
    particles (al-, el-), diacritics, doubled consonants, dh/kh/gh/ou spellings
    are folded so that only the consonant skeleton and vowel quality remain.
    """
    s = unicodedata.normalize("NFKD", name)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = s.replace("'", "").replace("\u2019", "").replace("`", "")
    s = _PARTICLES.sub("", s)
    s = _NON_WORD.sub(" ", s)
    for a, b in (("dh", "d"), ("th", "t"), ("kh", "k"), ("gh", "g"), ("ch", "sh"), ("ou", "u"), ("oo", "u"), ("ee", "i"),
                 ("gu", "g"), ("q", "k"), ("g", "k"), ("c", "k"), ("ph", "f"), ("w", "u"), ("y", "i"), ("e", "a"), ("o", "u")):
        s = s.replace(a, b)
    s = re.sub(r"(.)\1+", r"\1", s)  # doubled letters
    return " ".join(s.split())


def skeleton(key: str) -> str:
    """Consonants only (first letter kept): the coarse blocking key for fuzzy matching."""
    return "".join(ch for i, ch in enumerate(key) if ch not in "aiu" or i == 0).replace(" ", "")


def similar(a: str, b: str) -> bool:
    """Two transliteration keys of one name, conservatively: same skeleton or a near-identical spelling."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5:
        return False
    sa, sb = skeleton(a), skeleton(b)
    if sa[:1] != sb[:1]:
        return False
    if sa == sb and len(sa) >= 4:
        return fuzz.ratio(a, b) >= 75
    return fuzz.ratio(a, b) >= 90 and fuzz.ratio(sa, sb) >= 85


def _is_surname_of(short: str, full: str) -> bool:
    """'Haftar' of 'Khalifa Haftar'; 'Chengriha' of 'Saïd Chengriha'."""
    s, f = short.split(), full.split()
    return 1 <= len(s) < len(f) and [translit_key(x) for x in f[-len(s):]] == [translit_key(x) for x in s]


def resolve(mentions: list[EntityMention], kb: kbmod.KnowledgeBase) -> list[EntityRow]:
    """Assign `entity_id` to every mention (in place) and return the entities table."""
    surface = kb.by_surface()
    kb_by_key: dict[tuple[str, str], set[str]] = defaultdict(set)
    for e in kb.entries.values():
        for form in kb.surface_forms(e):
            kb_by_key[(e.label, translit_key(form))].add(e.id)

    # 1. knowledge ids, by exact (folded) surface or by transliteration key when unambiguous
    for m in mentions:
        if m.kb_id is None:
            ids = [i for i in surface.get(kbmod.fold(m.text), []) if kb.entries[i].label == m.label]
            if len(ids) != 1:
                ids = sorted(kb_by_key.get((m.label, translit_key(m.text)), ()))
            if len(ids) == 1:
                m.kb_id = ids[0]

    # 2. inside a document: acronym links and surname -> full name
    by_doc: dict[str, list[EntityMention]] = defaultdict(list)
    for m in mentions:
        by_doc[m.doc_id].append(m)
    key_of: dict[str, str] = {}
    for doc_id, ms in by_doc.items():
        ms.sort(key=lambda m: m.start)
        link_target: dict[str, str] = {}
        for m in ms:
            if m.link_key and m.kb_id:
                link_target[m.link_key] = m.kb_id
        full_names = [m for m in ms if m.label == "FIGURE" and len(m.text.split()) >= 2]
        stated: dict[tuple[str, str], set[str]] = defaultdict(set)
        for m in ms:
            if m.label == "GROUP" and m.kind == "state_body" and m.country:
                stated[(doc_id, translit_key(m.text))].add(m.country)
        state_country = {k: next(iter(v)) for k, v in stated.items() if len(v) == 1}
        for m in ms:
            if m.kb_id:
                key_of[m.mention_id] = m.kb_id
            elif m.link_key and m.link_key in link_target:
                key_of[m.mention_id] = link_target[m.link_key]
            elif m.link_key:
                key_of[m.mention_id] = f"{m.label.lower()}:link:{m.link_key}"
            elif m.label == "GROUP" and m.kind == "state_body":
                # "Ministry of Interior" of Tunisia and of Algeria are different bodies: the key carries
                # the stated country, else that of a same-name mention in the document, else the
                # document itself (never merged across documents on the name alone)
                country = m.country or state_country.get((doc_id, translit_key(m.text)))
                scope = f"@{country.lower()}" if country else f"@doc-{_slug(doc_id)}"
                key_of[m.mention_id] = f"group:name{scope}:{translit_key(m.text)}"
            else:
                key_of[m.mention_id] = f"{m.label.lower()}:name:{translit_key(m.text)}"
        for m in ms:
            if m.label != "FIGURE" or len(m.text.split()) != 1 or m.kb_id:
                continue
            earlier = [f for f in full_names if f.start < m.start and _is_surname_of(m.text, f.text)]
            anywhere = earlier or [f for f in full_names if _is_surname_of(m.text, f.text)]
            if anywhere:
                target = anywhere[-1] if earlier else anywhere[0]
                key_of[m.mention_id] = key_of[target.mention_id]
                if target.kb_id:
                    m.kb_id = target.kb_id

    # 3. across documents: merge name keys that are spelling variants (blocked by skeleton)
    parent: dict[str, str] = {}

    def find(k: str) -> str:
        while parent.get(k, k) != k:
            k = parent[k]
        return k

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            # knowledge ids are preferred roots, then the smaller key: order-independent
            lo, hi = sorted((ra, rb), key=lambda k: (":name" in k or ":link:" in k, k))
            parent[hi] = lo

    name_keys = sorted({k for k in key_of.values() if ":name" in k})
    blocks: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for k in name_keys:
        label, scope, tkey = k.split(":", 2)  # scope "name" or "name@<country>": never merged across
        blocks[(label, scope, skeleton(tkey)[:3])].append(k)
    for keys in blocks.values():
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                if similar(a.split(":", 2)[2], b.split(":", 2)[2]):
                    union(a, b)
    # a surname-only entity in one document joins a unique full name elsewhere
    fulls = defaultdict(list)
    for k in name_keys:
        label, _, tkey = k.split(":", 2)
        if label == "figure" and " " in tkey:
            fulls[tkey.split()[-1]].append(k)
    for k in name_keys:
        label, _, tkey = k.split(":", 2)
        if label == "figure" and " " not in tkey and len(set(find(x) for x in fulls.get(tkey, []))) == 1:
            union(k, fulls[tkey][0])

    # 4. entity ids, canonical names, the entities table
    clusters: dict[str, list[EntityMention]] = defaultdict(list)
    for m in mentions:
        clusters[find(key_of[m.mention_id])].append(m)
    rows = []
    for root, ms in clusters.items():
        entry = kb.entries.get(root)
        forms = Counter(m.text for m in ms)
        if entry is not None:
            name = entry.name
        else:
            name = sorted(forms, key=lambda f: (-len(f.split()), -forms[f], f))[0]
        label = ms[0].label
        scope = root.split(":", 2)[1] if root.count(":") >= 2 else ""
        country_tag = "-" + scope.split("@", 1)[1] if entry is None and "@" in scope else ""
        if country_tag.startswith("-doc-"):
            country_tag = "-" + country_tag[5:]
        entity_id = root if entry is not None else f"{label.lower()}:{_slug(translit_key(name))}{country_tag}"
        for m in ms:
            m.entity_id = entity_id
        kinds = Counter(m.kind for m in ms if m.kind)
        countries = Counter(m.country for m in ms if m.country)
        roles = Counter(m.role for m in ms if m.role)
        rows.append(EntityRow(
            entity_id=entity_id,
            label=label,
            name=name,
            kind=(entry.kind if entry and entry.kind else (sorted(kinds, key=lambda k: (-kinds[k], k))[0] if kinds else None)),
            country=(entry.country if entry and entry.country else (sorted(countries, key=lambda c: (-countries[c], c))[0] if countries else None)),
            aliases=sorted(forms),
            role=(sorted(roles, key=lambda r: (-roles[r], r))[0] if roles else (entry.role if entry else None)),
            latitude=entry.lat if entry else None,
            longitude=entry.lon if entry else None,
            n_mentions=len(ms),
            n_docs=len({m.doc_id for m in ms}),
        ))
    return _dedupe_ids(rows, mentions)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _dedupe_ids(rows: list[EntityRow], mentions: list[EntityMention]) -> list[EntityRow]:
    """Two clusters whose names slug alike are the same entity: merge their rows."""
    merged: dict[str, EntityRow] = {}
    docs_of: dict[str, set[str]] | None = None
    for r in rows:
        if r.entity_id not in merged:
            merged[r.entity_id] = r
            continue
        if docs_of is None:  # built once, only when a duplicate id occurs
            docs_of = defaultdict(set)
            for m in mentions:
                docs_of[m.entity_id].add(m.doc_id)
        a = merged[r.entity_id]
        docs = docs_of[r.entity_id]
        merged[r.entity_id] = a.model_copy(update={
            "aliases": sorted(set(a.aliases) | set(r.aliases)),
            "n_mentions": a.n_mentions + r.n_mentions,
            "n_docs": len(docs),
        })
    return sorted(merged.values(), key=lambda r: r.entity_id)
