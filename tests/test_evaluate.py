"""Scorer arithmetic on small hand-built gold/prediction pairs whose counts are known."""
import pytest

from pipeline.evaluate import Span, bcubed, entity_set_scores, error_rows, mention_scores, value_scores


def S(label, a, b, entity=None, doc="d", **attrs):
    return Span(doc, label, a, b, f"t{a}", entity, attrs)


def test_exact_match_is_perfect():
    gold = {"d": [S("PLACE", 0, 5), S("GROUP", 10, 14)]}
    r = mention_scores(gold, {"d": [S("PLACE", 0, 5), S("GROUP", 10, 14)]})
    assert r["overall"]["strict"]["f1"] == 1.0
    assert r["per_label"]["PLACE"]["strict"]["precision"] == 1.0


def test_boundary_error_is_wrong_under_strict_and_half_right_under_partial():
    # gold: 2 PLACEs; pred: one exact, one overlapping (boundary error), one spurious
    gold = {"d": [S("PLACE", 0, 5), S("PLACE", 10, 20)]}
    pred = {"d": [S("PLACE", 0, 5), S("PLACE", 10, 15), S("PLACE", 30, 35)]}
    r = mention_scores(gold, pred)["per_label"]["PLACE"]
    assert r["strict"]["precision"] == pytest.approx(1 / 3)
    assert r["strict"]["recall"] == pytest.approx(1 / 2)
    # partial: correct 1 + 0.5 * partial 1 = 1.5; P = 1.5/3, R = 1.5/2
    assert r["partial"]["precision"] == pytest.approx(0.5)
    assert r["partial"]["recall"] == pytest.approx(0.75)


def test_adjacent_spans_do_not_count_as_overlapping():
    # end offsets are exclusive: [0,5) and [5,9) only touch
    gold = {"d": [S("PLACE", 0, 5)]}
    pred = {"d": [S("PLACE", 5, 9)]}
    r = mention_scores(gold, pred)["per_label"]["PLACE"]["partial"]
    assert r["precision"] == 0.0 and r["recall"] == 0.0


def test_duplicate_predicted_span_counts_once_as_correct_and_once_as_spurious():
    gold = {"d": [S("DATE", 3, 7)]}
    pred = {"d": [S("DATE", 3, 7), S("DATE", 3, 7)]}
    r = mention_scores(gold, pred)["per_label"]["DATE"]["strict"]
    assert r["recall"] == 1.0
    assert r["precision"] == pytest.approx(0.5)


def test_wrong_label_same_span_is_a_miss_for_both_labels():
    gold = {"d": [S("PLACE", 0, 5)]}
    pred = {"d": [S("GROUP", 0, 5)]}
    r = mention_scores(gold, pred)["per_label"]
    assert r["PLACE"]["strict"]["recall"] == 0.0
    assert r["GROUP"]["strict"]["precision"] == 0.0


def test_macro_f1_is_mean_of_label_f1():
    gold = {"d": [S("PLACE", 0, 5), S("GROUP", 10, 14)]}
    pred = {"d": [S("PLACE", 0, 5)]}
    r = mention_scores(gold, pred, labels=("PLACE", "GROUP"))
    assert r["overall"]["strict_macro_f1"] == pytest.approx((1.0 + 0.0) / 2)


def test_value_accuracy_counts_only_matched_mentions():
    gold = {"d": [S("DATE", 0, 4, value="2011", start="2011-01-01", end="2011-12-31"),
                  S("DATE", 10, 14, value="2012", start="2012-01-01", end="2012-12-31"),
                  S("QUANTITY", 20, 25, value=5000.0, low=None, high=None, unit="person", approx="exact", category="personnel")]}
    pred = {"d": [S("DATE", 0, 4, value="2011", start="2011-01-01", end="2011-12-31"),
                  S("DATE", 10, 14, value="2012-01", start="2012-01-01", end="2012-01-31"),
                  S("QUANTITY", 20, 25, value=5000.0, low=None, high=None, unit="person", approx="approximately", category="personnel")]}
    r, wrong = value_scores(gold, pred)
    assert r["DATE"]["matched"] == 2 and r["DATE"]["accuracy"] == 0.5
    assert r["QUANTITY"]["value_unit_accuracy"] == 1.0
    assert r["QUANTITY"]["per_field"]["approx"] == 0.0
    assert len(wrong) == 2


def test_bcubed_penalises_a_merge_of_two_entities():
    # gold: a,a,b ; pred puts all three in one cluster
    gold = {"d": [S("PLACE", 0, 1, "a"), S("PLACE", 2, 3, "a"), S("PLACE", 4, 5, "b")]}
    pred = {"d": [S("PLACE", 0, 1, "x"), S("PLACE", 2, 3, "x"), S("PLACE", 4, 5, "x")]}
    r = bcubed(gold, pred)
    # precision: a-items 2/3 each, b-item 1/3 -> (2/3+2/3+1/3)/3 = 5/9; recall 1
    assert r["precision"] == pytest.approx(5 / 9)
    assert r["recall"] == pytest.approx(1.0)


def test_bcubed_penalises_a_split():
    gold = {"d": [S("FIGURE", 0, 1, "p"), S("FIGURE", 2, 3, "p")]}
    pred = {"d": [S("FIGURE", 0, 1, "x"), S("FIGURE", 2, 3, "y")]}
    r = bcubed(gold, pred)
    assert r["precision"] == 1.0 and r["recall"] == pytest.approx(0.5)


def test_entity_sets_per_document():
    gold = {"d": [S("PLACE", 0, 1, "a"), S("PLACE", 4, 5, "b")]}
    pred = {"d": [S("PLACE", 0, 1, "x"), S("PLACE", 8, 9, "z")]}
    r = entity_set_scores(gold, pred)
    assert r["recall"] == pytest.approx(0.5)
    assert r["precision"] == pytest.approx(0.5)


def test_error_rows_classify_and_sort_biggest_class_first():
    gold = {"d": [S("PLACE", 0, 5), S("PLACE", 10, 20), S("GROUP", 30, 33), S("FIGURE", 40, 45)]}
    pred = {"d": [S("PLACE", 10, 15), S("PLACE", 50, 55), S("PLACE", 60, 65), S("PLACE", 30, 33)]}
    rows = error_rows(gold, pred, [])
    kinds = [(r["error"], r["label"]) for r in rows]
    assert kinds[0] == ("spurious", "PLACE") and kinds[1] == ("spurious", "PLACE")
    assert ("boundary", "PLACE") in kinds and ("missed", "PLACE") in kinds
    assert ("label", "GROUP") in kinds and ("missed", "FIGURE") in kinds


# --- what a report says about its documents ---------------------------------------------

from pipeline import evaluate as ev  # noqa: E402
from pipeline.ingest import document_path  # noqa: E402

from conftest import SEEDS  # noqa: E402


def test_development_documents_are_in_sample_whatever_their_name(tmp_path):
    seed = sorted(SEEDS.glob("*.txt"))[2]
    (tmp_path / "renamed.txt").write_bytes(seed.read_bytes())
    (tmp_path / "edited.txt").write_bytes(seed.read_bytes() + b"\nOne more line.\n")
    (tmp_path / "new.txt").write_text("A report nobody tuned rules on.\n")
    assert ev.in_sample_docs(tmp_path, ["edited", "new", "renamed", "absent"]) == ["renamed"]


def test_development_list_is_the_seeds_and_the_held_out_batches_that_were_read():
    import hashlib

    holdout = SEEDS.parent / "holdout" / "seeds"
    read = [p for p in holdout.glob("h*.txt") if 5 <= int(p.name[1:3]) <= 16]  # batches 2-4 (holdout/README.md)
    expected = {hashlib.sha256(p.read_bytes()).hexdigest() for p in [*SEEDS.glob("*.txt"), *read]}
    assert len(read) == 12 and ev.development_hashes() == expected


@pytest.mark.parametrize("dev, n, says", [
    (["a", "b"], 2, "In-sample"),
    (["a"], 2, "Mixed: 1 of 2 documents"),
    ([], 2, "None of these documents"),
])
def test_report_says_whether_figures_are_in_sample(dev, n, says):
    assert ev._sample_note({"in_sample_docs": dev, "n_docs": n}).startswith(says)


def test_gold_documents_without_a_result_are_named(tmp_path):
    from pipeline.extract import run_extract

    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("Mali and Niger signed the accord in Bamako in 2015.\n")
    (src / "broken.txt").write_bytes(b"\x00\x01\x02\x03 binary")
    run_extract(src, tmp_path / "out")
    missing = ev.not_extracted(tmp_path / "out", ["broken", "good", "never_extracted"])
    assert set(missing) == {"broken", "never_extracted"}
    assert missing["broken"].startswith("extraction failed: ")
    assert missing["never_extracted"] == "not in the dataset (not extracted)"


def test_document_path_finds_the_extension_in_any_case(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "REPORT.TXT").write_text("x")
    (tmp_path / "a.txt").write_text("x")
    assert document_path(tmp_path, "a") == tmp_path / "a.txt"
    assert document_path(tmp_path, "sub/REPORT") == tmp_path / "sub" / "REPORT.TXT"
    assert document_path(tmp_path, "sub/report") is None
    assert document_path(tmp_path, "missing/x") is None
