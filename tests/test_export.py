"""Writers derive from the schema; output is deterministic, atomic and loads typed."""
import datetime as dt
import hashlib

import pandas as pd
import pyarrow.parquet as pq
import pytest

import pipeline
from pipeline.export import arrow_schema, write_dataset
from pipeline.schema import TABLES, DateRow, DocumentRow, EntityRow, MentionRow, QuantityRow


def rows():
    docs = [DocumentRow(doc_id="b", source_path="b.txt", sha256="0" * 64, published=dt.date(2019, 1, 24)),
            DocumentRow(doc_id="a", source_path="a.txt", sha256="1" * 64)]
    mentions = [MentionRow(mention_id="a:0-7:PLACE", doc_id="a", label="PLACE", text="Algeria", start=0, end=7, raw_start=0,
                           raw_end=7, sentence="Algeria.", entity_id="place:DZ", source="knowledge"),
                MentionRow(mention_id="a:10-14:DATE", doc_id="a", label="DATE", text="2011", start=10, end=14, raw_start=12,
                           raw_end=16, sentence="In 2011.", source="rule:dates")]
    entities = [EntityRow(entity_id="place:DZ", label="PLACE", name="Algeria", kind="country", country="DZ", aliases=["Algeria"],
                          n_mentions=1, n_docs=1)]
    dates = [DateRow(mention_id="a:10-14:DATE", doc_id="a", text="2011", value="2011", start_date=dt.date(2011, 1, 1),
                     end_date=dt.date(2011, 12, 31), granularity="year")]
    quantities = [QuantityRow(mention_id="a:20-35:QUANTITY", doc_id="a", text="5,000 soldiers", value=5000, unit="person",
                              item="soldier", category="personnel")]
    return {"documents": docs, "mentions": mentions, "entities": entities, "dates": dates, "quantities": quantities, "errors": []}


def digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_parquet_columns_are_the_schema_fields(tmp_path):
    write_dataset(tmp_path, rows(), {"a": "Algeria"})
    for name, model in TABLES.items():
        t = pq.read_table(tmp_path / f"{name}.parquet")
        assert t.schema.names == list(model.model_fields), name
        assert t.schema.equals(arrow_schema(model), check_metadata=False)
        header = (tmp_path / f"{name}.csv").read_text().splitlines()[0]
        assert header.replace('"', "").split(",") == list(model.model_fields)


def test_two_writes_are_byte_identical_whatever_the_row_order(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_dataset(a, rows(), {"a": "Algeria"})
    shuffled = {k: list(reversed(v)) for k, v in rows().items()}
    write_dataset(b, shuffled, {"a": "Algeria"})
    assert digest(a) == digest(b)


def test_failed_write_leaves_previous_dataset_intact(tmp_path, monkeypatch):
    write_dataset(tmp_path, rows(), {"a": "Algeria"})
    before = digest(tmp_path)
    import pipeline.export as ex

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(ex, "_write_jsonl", boom)
    with pytest.raises(Exception, match="disk full"):
        write_dataset(tmp_path, {**rows(), "documents": []}, {})
    assert digest(tmp_path) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".staging")]


def test_load_gives_typed_frames(tmp_path):
    write_dataset(tmp_path, rows(), {"a": "Algeria"})
    t = pipeline.load(tmp_path)
    assert set(t) == set(TABLES)
    assert pd.api.types.is_datetime64_any_dtype(t["dates"]["start_date"])
    assert pd.api.types.is_datetime64_any_dtype(t["documents"]["published"])
    assert t["quantities"]["value"].dtype == pd.Float64Dtype()
    assert t["mentions"]["start"].dtype == pd.Int64Dtype()
    assert isinstance(t["entities"]["aliases"].iloc[0], (list, tuple)) or hasattr(t["entities"]["aliases"].iloc[0], "tolist")
    assert list(t["documents"]["doc_id"]) == ["a", "b"]


def test_jsonl_nests_mentions_and_values(tmp_path):
    import json

    write_dataset(tmp_path, rows(), {"a": "Algeria"})
    docs = [json.loads(x) for x in (tmp_path / "dataset.jsonl").read_text().splitlines()]
    a = next(d for d in docs if d["doc_id"] == "a")
    date = next(m for m in a["mentions"] if m["label"] == "DATE")
    assert date["value"]["value"] == "2011" and date["value"]["start_date"] == "2011-01-01"
