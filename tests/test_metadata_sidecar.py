"""The analyst's collection records override what the text says, and anchor relative dates."""
import pipeline
from pipeline.extract import run_extract

TEXT = """# Border Tensions Rise

Officials in Niamey said on Tuesday that attacks had doubled since last year, and that
the situation had worsened over the past two years.
"""


def test_sidecar_overrides_text_metadata_and_anchors_relative_dates(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "note1.txt").write_text(TEXT, encoding="utf-8")
    (src / "note2.txt").write_text(TEXT, encoding="utf-8")
    sidecar = tmp_path / "records.csv"
    sidecar.write_text("doc_id,published,publisher,url\nnote1,2020-05-14,Sahel Monitor,https://example.org/a\n", encoding="utf-8")
    run_extract(src, tmp_path / "out", metadata=sidecar)
    t = pipeline.load(tmp_path / "out")
    docs = t["documents"].set_index("doc_id")
    assert str(docs.loc["note1", "published"].date()) == "2020-05-14"
    assert docs.loc["note1", "publisher"] == "Sahel Monitor"
    assert "published=sidecar" in docs.loc["note1", "metadata_source"]
    assert "title=text" in docs.loc["note1", "metadata_source"]
    assert docs.loc["note1", "title"] == "Border Tensions Rise"
    dates = t["dates"].set_index(["doc_id", "text"])
    assert dates.loc[("note1", "last year"), "value"] == "2019"
    assert bool(dates.loc[("note1", "last year"), "relative"])
    # without a record and without a date in the text: relative dates stay null, never guessed
    assert dates.loc[("note2", "last year"), "value"] is None or str(dates.loc[("note2", "last year"), "value"]) in ("nan", "<NA>", "None")
    assert str(dates.loc[("note1", "Tuesday"), "value"]) == "2020-05-12"
