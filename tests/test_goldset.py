"""The gold set: anchoring, validation (run on the real gold) and export."""
import json

import pytest

import pipeline
from conftest import GOLD, ROOT, SEEDS
from pipeline import goldset
from pipeline.errors import GoldFileError


# --- the locator ---------------------------------------------------------------------

@pytest.mark.parametrize("raw,surface,expected", [
    ("the fall of Col. Muam-\nmar Qadhafi, and", "Muammar Qadhafi", "Muam-\nmar Qadhafi"),
    ("a grant of \\$3.7 million (link)", "$3.7 million", "$3.7 million"),
    ("along its 965\u2011kilometer frontier", "965-kilometer", "965\u2011kilometer"),
    ("known as the M\u2019zab Val-\nley, between", "M\u2019zab Valley", "M\u2019zab Val-\nley"),
    ("military-to-\nmilitary cooperation", "military-to-military", "military-to-\nmilitary"),
])
def test_surface_is_found_across_what_the_cleaner_undoes(raw, surface, expected):
    m = goldset.surface_pattern(surface).search(raw)
    assert m and m.group() == expected


def test_locator_respects_word_boundaries():
    assert goldset.surface_pattern("Niger").search("Nigeria and Niger") .start() == len("Nigeria and ")
    assert goldset.surface_pattern("IS").search("ISIS, then IS") .start() == len("ISIS, then ")


def test_locator_skips_excluded_regions_and_keeps_reading_order():
    raw = "Mali (dup: Mali Niger) Niger and Mali."
    excluded = [goldset.Region(5, 22, "duplicate")]
    rows = [{"label": "PLACE", "text": "Mali", "_line": 1}, {"label": "PLACE", "text": "Niger", "_line": 2},
            {"label": "PLACE", "text": "Mali", "_line": 3}]
    located, problems = goldset.locate_annotations(raw, rows, excluded, ROOT / "x.jsonl")
    assert not problems
    assert [(r["raw_start"], r["raw_end"]) for r in located] == [(0, 4), (23, 28), (33, 37)]


def test_locator_reports_rows_out_of_order():
    rows = [{"label": "PLACE", "text": "Niger", "_line": 1}, {"label": "PLACE", "text": "Mali", "_line": 2}]
    _, problems = goldset.locate_annotations("Mali and Niger.", rows, [], ROOT / "x.jsonl")
    assert problems and "out of reading order" in problems[0]


def test_a_surname_right_after_the_full_name_does_not_anchor_inside_it():
    rows = [{"label": "FIGURE", "text": "Khalifa Haftar", "_line": 1}, {"label": "FIGURE", "text": "Haftar", "_line": 2}]
    located, _ = goldset.locate_annotations("General Khalifa Haftar met ... General Haftar's men", rows, [], ROOT / "x.jsonl")
    assert located[1]["raw_start"] > located[0]["raw_end"]


# --- the real gold -----------------------------------------------------------------------------

def test_the_gold_set_passes_its_checker():
    problems, counts = goldset.check(GOLD, SEEDS)
    assert problems == []
    assert sorted(counts) == sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert all(sum(c.values()) > 0 for c in counts.values())


def test_the_holdout_gold_passes_its_checker():
    problems, counts = goldset.check(ROOT / "holdout" / "gold", ROOT / "holdout" / "seeds")
    assert problems == [] and len(counts) == 20


def test_gold_is_reassembled_exactly_from_annotations_and_adjudication(tmp_path):
    import runpy
    import shutil

    before = {p.name: p.read_bytes() for p in GOLD.glob("*.jsonl")}
    # `python gold/assemble.py` rebuilds the gold in place; run it in a copy and compare
    copy = tmp_path / "repo"
    shutil.copytree(GOLD, copy / "gold")
    shutil.copytree(SEEDS, copy / "seeds")
    shutil.copytree(ROOT / "pipeline", copy / "pipeline")
    ns = runpy.run_path(str(copy / "gold" / "assemble.py"), run_name="assemble")
    assert ns["main"]([]) == 0
    after = {p.name: p.read_bytes() for p in (copy / "gold").glob("*.jsonl")}
    assert after == before


def test_holdout_gold_is_reassembled_exactly_from_annotations_and_adjudication(tmp_path):
    import runpy
    import shutil

    holdout = ROOT / "holdout"
    before = {p.name: p.read_bytes() for p in (holdout / "gold").glob("*.jsonl")}
    copy = tmp_path / "holdout"
    shutil.copytree(holdout / "gold", copy / "gold")
    ns = runpy.run_path(str(GOLD / "assemble.py"), run_name="assemble")
    assert ns["main"](["--gold", str(copy / "gold"), "--seeds", str(holdout / "seeds"), "--primary", "A,A2,A3,A4,A5"]) == 0
    after = {p.name: p.read_bytes() for p in (copy / "gold").glob("*.jsonl")}
    assert after == before and len(after) == 20


def test_gold_export_loads_as_a_dataset(tmp_path):
    goldset.export(GOLD, SEEDS, tmp_path / "g")
    t = pipeline.load(tmp_path / "g")
    assert len(t["mentions"]) == sum(len(v) for v in goldset.load_gold(GOLD).values())
    assert (t["mentions"]["source"] == "gold").all()
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (tmp_path / "g" / "clean").glob("*.txt")}
    for m in t["mentions"].itertuples():
        assert texts[m.doc_id][m.start:m.end] == m.text
    assert t["entities"]["n_docs"].max() >= 4  # Algeria, Libya, Tunisia appear across the seeds


# --- malformed gold is named precisely ------------------------------------------------------------

def test_malformed_gold_names_file_and_line(tmp_path):
    (tmp_path / "d1.jsonl").write_text(json.dumps({"doc_id": "d1", "label": "PLACE", "text": "Mali", "raw_start": 0}) + "\n")
    with pytest.raises(GoldFileError, match=r"d1\.jsonl:1: missing field\(s\) raw_end"):
        goldset.load_gold(tmp_path)
