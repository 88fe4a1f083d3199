"""Write and load the dataset. Every column and type comes from `schema.TABLES`.

Tables are written to a temporary folder next to the output and moved into place
only when every file is complete, so an interrupted run leaves the previous
dataset intact. Rows are sorted by their key before writing, so a run over the
same input writes byte-identical files whatever the processing order.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import types
import typing
from pathlib import Path
from typing import Any, Iterable

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from pydantic import BaseModel

from .errors import OutputError
from .schema import TABLES

SORT_KEYS: dict[str, tuple[str, ...]] = {
    "documents": ("doc_id",),
    "mentions": ("doc_id", "start", "end", "label"),
    "entities": ("entity_id",),
    "dates": ("doc_id", "mention_id"),
    "quantities": ("doc_id", "mention_id"),
    "errors": ("doc_id", "stage"),
}


def _arrow_type(annotation: Any) -> pa.DataType:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _arrow_type(args[0])
    if origin is typing.Literal:
        return pa.string()
    if origin is list:
        return pa.list_(_arrow_type(typing.get_args(annotation)[0]))
    mapping = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_(), dt.date: pa.date32()}
    if annotation in mapping:
        return mapping[annotation]
    raise TypeError(f"no Arrow type for {annotation!r}")


def arrow_schema(model: type[BaseModel]) -> pa.Schema:
    """The Parquet schema of a table, derived from its pydantic row model."""
    fields = []
    for name, info in model.model_fields.items():
        fields.append(pa.field(name, _arrow_type(info.annotation), nullable=not info.is_required() or info.default is None,
                               metadata={"description": info.description or ""}))
    return pa.schema(fields)


def _sort_key(table: str, row: dict) -> tuple:
    return tuple((row[k] is None, row[k] if row[k] is not None else "") for k in SORT_KEYS[table])


def to_arrow(table: str, rows: Iterable[BaseModel]) -> pa.Table:
    model = TABLES[table]
    records = [r.model_dump() for r in rows]
    records.sort(key=lambda r: _sort_key(table, r))
    schema = arrow_schema(model)
    columns = {name: [r[name] for r in records] for name in schema.names}
    return pa.Table.from_pydict(columns, schema=schema)


def _csv_ready(t: pa.Table) -> pa.Table:
    """CSV has no lists: list columns become JSON text."""
    cols = []
    for name in t.column_names:
        col = t.column(name)
        if pa.types.is_list(col.type):
            col = pa.array([json.dumps(v, ensure_ascii=False) if v is not None else None for v in col.to_pylist()], pa.string())
        cols.append(col)
    return pa.table(cols, names=t.column_names)


def write_table(folder: Path, table: str, t: pa.Table) -> None:
    pq.write_table(t, folder / f"{table}.parquet", compression="zstd", write_statistics=False)
    pacsv.write_csv(_csv_ready(t), folder / f"{table}.csv")


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def write_dataset(output: Path, tables: dict[str, list[BaseModel]], clean_texts: dict[str, str],
                  keep_clean: bool = True) -> None:
    """Write every table atomically: build in a temp folder, then swap it in."""
    try:
        output.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=output))
    except OSError as e:
        raise OutputError(f"{output}: cannot write the output folder ({e.strerror})") from e
    try:
        arrow = {name: to_arrow(name, tables.get(name, [])) for name in TABLES}
        for name, t in arrow.items():
            write_table(staging, name, t)
        _write_jsonl(staging / "dataset.jsonl", arrow)
        if keep_clean:
            (staging / "clean").mkdir()
            for doc_id, text in sorted(clean_texts.items()):
                (staging / "clean" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        _swap_in(staging, output, list(TABLES) + ["dataset"], keep_clean)
    except OSError as e:
        raise OutputError(f"{output}: writing the dataset failed ({e})") from e
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_jsonl(path: Path, arrow: dict[str, pa.Table]) -> None:
    """One JSON object per document with its mentions (and their values) nested."""
    docs = arrow["documents"].to_pylist()
    by_doc: dict[str, list[dict]] = {}
    dates = {r["mention_id"]: r for r in arrow["dates"].to_pylist()}
    quantities = {r["mention_id"]: r for r in arrow["quantities"].to_pylist()}
    for m in arrow["mentions"].to_pylist():
        extra = dates.get(m["mention_id"]) or quantities.get(m["mention_id"])
        if extra:
            m = {**m, "value": {k: v for k, v in extra.items() if k not in ("mention_id", "doc_id", "text")}}
        by_doc.setdefault(m["doc_id"], []).append(m)
    with path.open("w", encoding="utf-8") as fh:
        for d in docs:
            record = {**d, "mentions": by_doc.get(d["doc_id"], [])}
            fh.write(json.dumps(record, ensure_ascii=False, default=_jsonable, sort_keys=False) + "\n")


def _swap_in(staging: Path, output: Path, names: list[str], keep_clean: bool) -> None:
    """Move the finished files over the old ones; each rename is atomic."""
    for f in sorted(staging.iterdir()):
        if f.is_file():
            os.replace(f, output / f.name)
    if keep_clean:
        target = output / "clean"
        old = None
        if target.exists():
            old = output / f".old-clean-{os.getpid()}"
            os.replace(target, old)
        os.replace(staging / "clean", target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def load(path: str | os.PathLike = "outputs") -> dict[str, "pandas.DataFrame"]:  # noqa: F821
    """The dataset as pandas DataFrames: dates as datetime64, nullable ints/bools, lists as lists."""
    import pandas as pd

    folder = Path(path)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no dataset here (run `make extract` first)")
    mapper = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype(), pa.float64(): pd.Float64Dtype()}.get
    frames = {}
    for name, model in TABLES.items():
        file = folder / f"{name}.parquet"
        if not file.exists():
            continue
        t = pq.read_table(file, schema=arrow_schema(model))
        frames[name] = t.to_pandas(types_mapper=mapper, date_as_object=False)
    return frames
