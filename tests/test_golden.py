"""Golden regression run: the seeds' dataset must not change unnoticed.

The snapshot (tests/golden/seeds.jsonl) is the pipeline's own output on the
seeds, reviewed when it was written. It is not a measure of quality (that is
`make score` against the hand-labelled gold); it guards against accidental
change. After an intended change, review the diff this test prints and refresh:
    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""
import json
import math
import os

from conftest import ROOT

SNAPSHOT = ROOT / "tests" / "golden" / "seeds.jsonl"


def _plain(v):
    if v is None or (isinstance(v, float) and math.isnan(v)) or str(v) in ("<NA>", "NaT"):
        return None
    if hasattr(v, "isoformat"):
        return v.isoformat()[:10]
    if hasattr(v, "item"):
        return v.item()
    if str(v) in ("<NA>", "NaT"):
        return None
    return v


def snapshot_rows(tables) -> list[str]:
    rows = []
    d = tables["documents"]
    for r in d.sort_values("doc_id").itertuples():
        rows.append(json.dumps({"doc": r.doc_id, "title": _plain(r.title), "published": _plain(r.published),
                                "author": _plain(r.author), "n_chars_clean": _plain(r.n_chars_clean)}, ensure_ascii=False))
    values = {}
    for r in tables["dates"].itertuples():
        values[r.mention_id] = {"value": _plain(r.value), "start": _plain(r.start_date), "end": _plain(r.end_date)}
    for r in tables["quantities"].itertuples():
        values[r.mention_id] = {k: _plain(getattr(r, k)) for k in ("value", "low", "high", "unit", "item", "approx", "category")}
    m = tables["mentions"].sort_values(["doc_id", "start", "end", "label"])
    for r in m.itertuples():
        rows.append(json.dumps({"m": r.mention_id, "text": r.text, "raw": [int(r.raw_start), int(r.raw_end)],
                                "entity": _plain(r.entity_id), **values.get(r.mention_id, {})}, ensure_ascii=False))
    return rows


def test_seed_outputs_match_the_reviewed_snapshot(seed_run):
    _, _, tables = seed_run
    got = snapshot_rows(tables)
    if os.environ.get("UPDATE_GOLDEN") == "1" or not SNAPSHOT.exists():
        SNAPSHOT.write_text("\n".join(got) + "\n", encoding="utf-8")
    want = SNAPSHOT.read_text(encoding="utf-8").splitlines()
    missing = [r for r in want if r not in set(got)]
    extra = [r for r in got if r not in set(want)]
    assert not missing and not extra, (
        f"{len(missing)} snapshot rows gone, {len(extra)} new rows.\n- "
        + "\n- ".join(missing[:15]) + "\n+ " + "\n+ ".join(extra[:15]))
