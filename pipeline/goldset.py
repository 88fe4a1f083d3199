"""The hand-labelled gold set: anchoring, validation and export.

Annotators list mentions in reading order with their cleaned surface text
(`gold/annotations/<annotator>/<doc_id>.jsonl`); `locate` anchors each one to
raw character offsets, tolerating what the cleaner will undo (line-end
hyphenation, markdown escapes, non-breaking hyphens, line breaks). Anchoring to
the raw file keeps the gold valid when the cleaner changes; `check` re-derives
the cleaned surface through the offset map and fails loudly on any drift.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter

from . import schema
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LABELS = ("PLACE", "GROUP", "FIGURE", "DATE", "QUANTITY")

_HYPHENS = "-\u2010\u2011\u2012\u2013"
_QUOTES = {"'": "'\u2019\u2018", "\u2019": "'\u2019\u2018", '"': '"\u201c\u201d', "\u201c": '"\u201c\u201d', "\u201d": '"\u201c\u201d'}
# Between two letters of one word the raw text may hold a line-end hyphen.
_SOFT_BREAK = r"(?:-[ \t]*\r?\n[ \t]*)?"


@dataclass(frozen=True)
class Region:
    raw_start: int
    raw_end: int
    why: str


class GoldError(ValueError):
    """A gold file that cannot be used; the message names file, line and problem."""


@lru_cache(maxsize=4096)
def surface_pattern(text: str) -> re.Pattern[str]:
    """A regex finding `text` (cleaned surface) in the raw file."""
    parts: list[str] = []
    prev = ""
    for ch in text:
        if ch.isspace():
            if parts and parts[-1] == r"\s+":
                continue
            parts.append(r"\s+")
        elif ch in _HYPHENS:
            parts.append(f"[{_HYPHENS}]\\s*")
        elif ch in _QUOTES:
            parts.append(f"[{re.escape(_QUOTES[ch])}]")
        elif ch.isalnum():
            if prev.isalpha() and ch.isalpha():
                parts.append(_SOFT_BREAK)
            parts.append(re.escape(ch))
        else:
            # markdown escapes ("\\$3.7") are dropped by the cleaner: inside the span the
            # backslash may occur, before it it is not part of the mention
            parts.append((r"\\?" if parts else "") + re.escape(ch))
        prev = ch
    body = "".join(parts)
    left = r"(?<![^\W_])" if text[:1].isalnum() else ""
    right = r"(?![^\W_])" if text[-1:].isalnum() else ""
    return re.compile(left + body + right)


def locate(raw: str, surface: str, cursor: int, excluded: list[Region]) -> tuple[int, int] | None:
    """First match of `surface` at or after `cursor` that lies outside every excluded region."""
    pattern = surface_pattern(surface)
    pos = cursor
    while True:
        m = pattern.search(raw, pos)
        if m is None:
            return None
        inside = next((r for r in excluded if m.start() < r.raw_end and m.end() > r.raw_start), None)
        if inside is None:
            return m.start(), m.end()
        pos = max(m.start() + 1, inside.raw_end)


def load_scope(gold_dir: Path) -> dict:
    path = gold_dir / "scope.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise GoldError(f"{path}: missing (the out-of-scope regions of each seed)") from e
    except json.JSONDecodeError as e:
        raise GoldError(f"{path}:{e.lineno}: not valid JSON: {e.msg}") from e


def excluded_regions(scope: dict, doc_id: str) -> list[Region]:
    return [Region(r["raw_start"], r["raw_end"], r["why"]) for r in scope.get("excluded", {}).get(doc_id, [])]


def read_jsonl(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise GoldError(f"{path}:{n}: not valid JSON: {e.msg}") from e
        if not isinstance(row, dict):
            raise GoldError(f"{path}:{n}: expected a JSON object, got {type(row).__name__}")
        row["_line"] = n
        rows.append(row)
    return rows


def locate_annotations(raw: str, rows: list[dict], excluded: list[Region], path: Path) -> tuple[list[dict], list[str]]:
    """Anchor annotator rows (in reading order) to raw offsets; return (located, problems)."""
    located, problems = [], []
    cursor = 0
    for row in rows:
        if "anchor" in row:  # moves the cursor without making a mention
            hit = locate(raw, str(row["anchor"]), cursor, excluded)
            if hit is None:
                problems.append(f"{path}:{row['_line']}: anchor {row['anchor']!r} not found after raw offset {cursor}")
            else:
                cursor = hit[0]
            continue
        surface = row.get("text")
        if not isinstance(surface, str) or not surface.strip():
            problems.append(f"{path}:{row['_line']}: missing 'text'")
            continue
        if row.get("label") not in LABELS:
            problems.append(f"{path}:{row['_line']}: label {row.get('label')!r} is not one of {', '.join(LABELS)}")
            continue
        hit = locate(raw, surface, cursor, excluded)
        if hit is None:
            again = locate(raw, surface, 0, excluded)
            where = f" (it occurs earlier, at raw {again[0]}: the rows are out of reading order)" if again else ""
            problems.append(f"{path}:{row['_line']}: {surface!r} not found after raw offset {cursor}{where}")
            continue
        start, end = hit
        out = {k: v for k, v in row.items() if k != "_line"}
        out["raw_start"], out["raw_end"] = start, end
        located.append(out)
        cursor = end  # spans never overlap: the next mention starts after this one
    return located, problems


def context(raw: str, start: int, end: int, width: int = 40) -> str:
    left = raw[max(0, start - width):start].replace("\n", " ")
    right = raw[end:end + width].replace("\n", " ")
    return f"{left}[[{raw[start:end]}]]{right}"


# --- the finished gold set: gold/<doc_id>.jsonl, one span per line ---------------

PLACE_KINDS = set(schema.PLACE_KINDS)
GROUP_KINDS = set(schema.GROUP_KINDS)
GRANULARITIES = set(schema.GRANULARITIES)
APPROX = set(schema.APPROX_VALUES)
CATEGORIES = set(schema.QUANTITY_CATEGORIES)
MODIFIERS = {None, *schema.DATE_MODIFIERS}
UNITS = {"person", "count", "km", "mile", "percent", "m", "kg", "tonne", "barrel", "km2"}  # besides ISO 4217 codes
_ISO_VALUE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$|^\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}$")
REQUIRED = ("doc_id", "label", "text", "raw_start", "raw_end")


def gold_files(gold_dir: Path) -> list[Path]:
    return sorted(p for p in gold_dir.glob("*.jsonl"))


def load_gold(gold_dir: Path) -> dict[str, list[dict]]:
    """doc_id -> rows (sorted by raw offset). Raises GoldError naming file and line."""
    from .errors import GoldFileError

    files = gold_files(gold_dir)
    if not files:
        raise GoldFileError(f"{gold_dir}: no gold files (*.jsonl)")
    out: dict[str, list[dict]] = {}
    for path in files:
        try:
            rows = read_jsonl(path)
        except GoldError as e:
            raise GoldFileError(str(e)) from e
        for r in rows:
            missing = [k for k in REQUIRED if k not in r]
            if missing:
                raise GoldFileError(f"{path}:{r['_line']}: missing field(s) {', '.join(missing)}")
            if r["doc_id"] != path.stem:
                raise GoldFileError(f"{path}:{r['_line']}: doc_id {r['doc_id']!r} does not match the file name")
        out[path.stem] = sorted(rows, key=lambda r: (r["raw_start"], r["raw_end"]))
    return out


def _check_attrs(r: dict, where: str) -> list[str]:
    p = []
    label = r["label"]
    if label == "PLACE":
        if r.get("kind") not in PLACE_KINDS:
            p.append(f"{where}: PLACE kind {r.get('kind')!r} is not one of {sorted(PLACE_KINDS)}")
        c = r.get("country")
        if c is not None and not re.fullmatch(r"[A-Z]{2}", str(c)):
            p.append(f"{where}: country {c!r} is not ISO 3166-1 alpha-2")
    elif label == "GROUP":
        if r.get("kind") not in GROUP_KINDS:
            p.append(f"{where}: GROUP kind {r.get('kind')!r} is not one of {sorted(GROUP_KINDS)}")
    elif label == "DATE":
        v = r.get("value")
        if v is not None and not _ISO_VALUE.match(str(v)):
            p.append(f"{where}: DATE value {v!r} is not ISO 8601 (YYYY, YYYY-MM, YYYY-MM-DD or start/end)")
        if r.get("granularity") not in GRANULARITIES:
            p.append(f"{where}: granularity {r.get('granularity')!r} is not one of {sorted(GRANULARITIES)}")
        if r.get("modifier") not in MODIFIERS:
            p.append(f"{where}: modifier {r.get('modifier')!r} is not one of since/until/before/after/from")
        try:
            s = dt.date.fromisoformat(r["start"]) if r.get("start") else None
            e = dt.date.fromisoformat(r["end"]) if r.get("end") else None
        except ValueError as err:
            p.append(f"{where}: start/end are not ISO dates ({err})")
        else:
            if (s is None) != (e is None) or (s and e and s > e):
                p.append(f"{where}: start {s} / end {e} are not an interval")
            if v is None and s is not None:
                p.append(f"{where}: start/end given but value is null")
    elif label == "QUANTITY":
        for k in ("value", "low", "high"):
            if r.get(k) is not None and not isinstance(r.get(k), (int, float)):
                p.append(f"{where}: {k} {r.get(k)!r} is not a number")
        if r.get("value") is None and r.get("low") is None:
            p.append(f"{where}: a QUANTITY needs a value or a low bound")
        unit = r.get("unit")
        if unit not in UNITS and not re.fullmatch(r"[A-Z]{3}", str(unit)):
            p.append(f"{where}: unit {unit!r} is neither a known unit nor an ISO 4217 code")
        if r.get("approx") not in APPROX:
            p.append(f"{where}: approx {r.get('approx')!r} is not one of {sorted(APPROX)}")
        if r.get("category") not in CATEGORIES:
            p.append(f"{where}: category {r.get('category')!r} is not one of {sorted(CATEGORIES)}")
        lo, v, hi = r.get("low"), r.get("value"), r.get("high")
        if v is not None and ((lo is not None and lo > v) or (hi is not None and hi < v)):
            p.append(f"{where}: low <= value <= high does not hold")
    if label in ("PLACE", "GROUP", "FIGURE") and not r.get("entity"):
        p.append(f"{where}: {label} mention without an entity key")
    return p


def clean_span(cd, raw_start: int, raw_end: int) -> tuple[int, int] | None:
    """Map a raw span to the clean span covering the same characters (None if it was removed)."""
    import bisect

    offs = cd.offsets
    i = bisect.bisect_left(offs, raw_start)
    j = bisect.bisect_left(offs, raw_end)
    if i >= j:
        return None
    return i, j


def check(gold_dir: Path, seeds: Path) -> tuple[list[str], dict[str, Counter]]:
    """Validate every gold file; returns (problems, counts per doc and label)."""
    from collections import Counter

    from .clean import clean

    problems: list[str] = []
    counts: dict[str, Counter] = {}
    scope = load_scope(gold_dir)
    gold = load_gold(gold_dir)
    entity_label: dict[str, tuple[str, str]] = {}
    for doc_id, rows in gold.items():
        path = gold_dir / f"{doc_id}.jsonl"
        raw_path = seeds / f"{doc_id}.txt"
        if not raw_path.exists():
            problems.append(f"{path}: no raw document {raw_path}")
            continue
        raw = raw_path.read_text(encoding="utf-8")
        cd = clean(raw)
        excluded = excluded_regions(scope, doc_id)
        counts[doc_id] = Counter(r["label"] for r in rows)
        prev_end, prev_line = -1, 0
        for r in rows:
            where = f"{path}:{r['_line']}"
            if r["label"] not in LABELS:
                problems.append(f"{where}: label {r['label']!r} is not one of {', '.join(LABELS)}")
                continue
            a, b = r["raw_start"], r["raw_end"]
            if not (isinstance(a, int) and isinstance(b, int) and 0 <= a < b <= len(raw)):
                problems.append(f"{where}: raw offsets {a}-{b} out of range (file has {len(raw)} characters)")
                continue
            if a < prev_end:
                problems.append(f"{where}: overlaps the mention on line {prev_line}")
            prev_end, prev_line = b, r["_line"]
            if any(a < x.raw_end and b > x.raw_start for x in excluded):
                problems.append(f"{where}: lies in an out-of-scope region")
            if not surface_pattern(r["text"]).fullmatch(raw[a:b]):
                problems.append(f"{where}: text {r['text']!r} does not match the raw span {raw[a:b]!r}")
            span = clean_span(cd, a, b)
            if span is None:
                problems.append(f"{where}: {r['text']!r} was removed by the cleaner")
            elif cd.text[span[0]:span[1]] != r["text"]:
                problems.append(f"{where}: cleaned surface {cd.text[span[0]:span[1]]!r} != gold text {r['text']!r}")
            problems.extend(_check_attrs(r, where))
            if r.get("entity"):
                prev = entity_label.setdefault(r["entity"], (r["label"], where))
                if prev[0] != r["label"]:
                    problems.append(f"{where}: entity {r['entity']!r} is a {r['label']} here but a {prev[0]} at {prev[1]}")
    return problems, counts


def export(gold_dir: Path, seeds: Path, output: Path) -> None:
    """Write the gold as the tables `extract` writes, so `pipeline.load` reads it."""
    import hashlib
    from collections import defaultdict

    from .clean import clean
    from .export import write_dataset
    from .schema import DateRow, DocumentRow, EntityRow, MentionRow, QuantityRow

    gold = load_gold(gold_dir)
    documents, mentions, dates, quantities = [], [], [], []
    ent_rows: dict[str, list[tuple[dict, str]]] = defaultdict(list)
    clean_texts = {}
    for doc_id, rows in gold.items():
        raw_bytes = (seeds / f"{doc_id}.txt").read_bytes()
        raw = raw_bytes.decode("utf-8")
        cd = clean(raw)
        clean_texts[doc_id] = cd.text
        documents.append(DocumentRow(doc_id=doc_id, source_path=f"{doc_id}.txt", sha256=hashlib.sha256(raw_bytes).hexdigest(),
                                     title=cd.meta.title, author=cd.meta.author, publisher=cd.meta.publisher,
                                     published=cd.meta.published, n_chars_raw=len(raw), n_chars_clean=len(cd.text)))
        for r in rows:
            span = clean_span(cd, r["raw_start"], r["raw_end"]) or (0, 0)
            mid = f"{doc_id}:{span[0]}-{span[1]}:{r['label']}"
            eid = f"gold:{r['entity']}" if r.get("entity") else None
            mentions.append(MentionRow(mention_id=mid, doc_id=doc_id, label=r["label"], text=r["text"], start=span[0], end=span[1],
                                       raw_start=r["raw_start"], raw_end=r["raw_end"], sentence="", entity_id=eid,
                                       role=r.get("role"), source="gold"))
            if eid:
                ent_rows[eid].append((r, doc_id))
            if r["label"] == "DATE":
                dates.append(DateRow(mention_id=mid, doc_id=doc_id, text=r["text"], value=r.get("value"),
                                     start_date=r.get("start"), end_date=r.get("end"), granularity=r.get("granularity"),
                                     relative=bool(r.get("relative")), modifier=r.get("modifier")))
            if r["label"] == "QUANTITY":
                quantities.append(QuantityRow(mention_id=mid, doc_id=doc_id, text=r["text"], value=r.get("value"), low=r.get("low"),
                                              high=r.get("high"), unit=r.get("unit"), item=r.get("item"),
                                              approx=r.get("approx") or "exact", category=r.get("category") or "other"))
    entities = []
    for eid, items in sorted(ent_rows.items()):
        first = items[0][0]
        roles = sorted({r.get("role") for r, _ in items if r.get("role")})
        entities.append(EntityRow(entity_id=eid, label=first["label"], name=first["entity"], kind=first.get("kind"),
                                  country=first.get("country"), aliases=sorted({r["text"] for r, _ in items}),
                                  role=roles[0] if roles else None, n_mentions=len(items), n_docs=len({d for _, d in items})))
    write_dataset(output, {"documents": documents, "mentions": mentions, "entities": entities, "dates": dates,
                           "quantities": quantities, "errors": []}, clean_texts)


def read_located(folders: list[Path]) -> dict[str, list[dict]]:
    """doc_id -> located rows, merged over several annotation folders of one annotator."""
    out: dict[str, list[dict]] = {}
    for folder in folders:
        for path in sorted(folder.glob("*.located.jsonl")):
            doc_id = path.name.split(".")[0]
            out.setdefault(doc_id, []).extend(read_jsonl(path))
    for rows in out.values():
        rows.sort(key=lambda r: (r["raw_start"], r["raw_end"]))
    return out


def agreement(a: dict[str, list[dict]], b: dict[str, list[dict]], scope: dict) -> tuple[dict, list[dict]]:
    """Span F1 per label between two annotators over the double-annotated regions, and the disagreements."""
    from .evaluate import Span, mention_scores

    regions = scope.get("double_annotated", {})
    sa: dict[str, list] = {}
    sb: dict[str, list] = {}
    for doc_id, region in regions.items():
        lo, hi = (0, 10**12) if region == "all" else (region["raw_start"], region["raw_end"])
        for src, dst in ((a, sa), (b, sb)):
            dst[doc_id] = [Span(doc_id, r["label"], r["raw_start"], r["raw_end"], r["text"], r.get("entity"), r)
                           for r in src.get(doc_id, []) if lo <= r["raw_start"] < hi]
    scores = mention_scores(sa, sb)
    diffs = []
    for doc_id in sorted(regions):
        ka = {s.key: s for s in sa.get(doc_id, [])}
        kb_ = {s.key: s for s in sb.get(doc_id, [])}
        for k in sorted(set(ka) | set(kb_), key=lambda k: (k[2], k[3])):
            x, y = ka.get(k), kb_.get(k)
            if x and y:
                fields = [f for f in ("value", "start", "end", "low", "high", "unit", "approx", "category", "kind", "country")
                          if x.attrs.get(f) != y.attrs.get(f)]
                if fields:
                    diffs.append({"doc_id": doc_id, "kind": "attributes", "label": k[1], "raw_start": k[2], "raw_end": k[3],
                                  "a": x.text, "b": y.text, "fields": {f: [x.attrs.get(f), y.attrs.get(f)] for f in fields}})
            else:
                diffs.append({"doc_id": doc_id, "kind": "only_a" if x else "only_b", "label": k[1], "raw_start": k[2],
                              "raw_end": k[3], "a": x.text if x else "", "b": y.text if y else ""})
    return scores, diffs
