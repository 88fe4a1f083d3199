"""Write and load the dataset. Every column and type comes from `schema.TABLES`.

Tables are written to a staging folder inside the output and switched in with
one atomic rename only when every file is complete, so an interrupted run leaves
the previous dataset intact (see `write_dataset` for the exact guarantee). Rows
are sorted by their key before writing, so a run over the same input writes
byte-identical files whatever the processing order.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import types
import typing
from contextlib import contextmanager, suppress
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Iterator

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from pydantic import BaseModel

from .errors import OutputError
from .schema import TABLES

try:
    import fcntl
except ImportError:  # not POSIX: no cross-process lock
    fcntl = None

CURRENT = ".current"
VERSIONS = ".versions"
LOCK = ".lock"

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
    """Write every table into a new version folder, then switch the dataset to it in one step.

    Layout (all relative, so the folder can be moved or copied with its links):

        <output>/.versions/<run>/       one complete dataset: tables, dataset.jsonl, clean/
        <output>/.current               symlink -> .versions/<run>   (the commit point)
        <output>/documents.parquet      symlink -> .current/documents.parquet (likewise every table, clean/)

    Guarantee: the tables are written into a staging folder that nobody reads;
    only when every file is complete is the folder renamed into `.versions/` and
    `.current` switched to it with one atomic rename(2). A run killed at any
    moment (kill -9, crash, Ctrl-C, full disk) leaves `.current`, and so every
    top-level name, on the previous complete dataset or on the new complete
    one, never a mix. `load` resolves `.current` once and reads every table from
    that one version, so it never mixes versions even while another run
    finishes; superseded versions are deleted after the switch (a reader that
    resolved one just before is retried on the new one). Limits: POSIX only
    (symlinks, flock); the tables are fsynced before the switch, the clean texts
    are not; on the first run into a folder written by an older pipeline (real
    files at the top level) the top-level names become links one by one after
    the switch, while `load` already reads the new version.
    """
    with output_lock(output):
        ensure_writable(output)
        staging = _new_staging(output)
        try:
            arrow = {name: to_arrow(name, tables.get(name, [])) for name in TABLES}
            for name, t in arrow.items():
                write_table(staging, name, t)
            _write_jsonl(staging / "dataset.jsonl", arrow)
            if keep_clean:
                _write_clean(staging / "clean", clean_texts)
            _commit(output, staging, keep_clean)
        except OSError as e:
            raise OutputError(f"{output}: writing the dataset failed ({e})") from e
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        _remove_stale(output)


def _new_staging(output: Path) -> Path:
    try:
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=output))
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; the dataset is as readable as any folder
    except OSError as e:
        raise OutputError(f"{output}: cannot write the output folder ({e.strerror or e})") from e
    return staging


def _commit(output: Path, staging: Path, keep_clean: bool) -> None:
    """fsync the finished staging folder, rename it into .versions/ and switch .current to it."""
    _fsync_files(staging)
    versions = output / VERSIONS
    versions.mkdir(exist_ok=True)
    version = versions / f"{dt.datetime.now():%Y%m%dT%H%M%S}-{staging.name[len('.staging-'):]}"
    os.rename(staging, version)
    _fsync_dir(versions)
    _publish(output, version, keep_clean)


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


# --- streaming: rows written as documents arrive, memory independent of the corpus ----------

ROW_GROUP = 65_536  # rows per Parquet row group: the most rows of one table held in memory at once


class _TableSink:
    """One table streamed to <table>.parquet and <table>.csv. Rows must arrive in key order
    (`SORT_KEYS`); they are held as Arrow (compact) and flushed one row group at a time,
    so a table of up to ROW_GROUP rows is written exactly as `write_table` writes it."""

    def __init__(self, folder: Path, table: str, csv: bool = True):
        self.table, self.schema = table, arrow_schema(TABLES[table])
        self.pq_path, self.csv_path = folder / f"{table}.parquet", (folder / f"{table}.csv" if csv else None)
        self.pending: list[pa.Table] = []
        self.n_pending = 0
        self.pq_writer = self.csv_writer = None

    def add_rows(self, rows: list[BaseModel]) -> pa.Table:
        t = to_arrow(self.table, rows)
        self.add_arrow(t)
        return t

    def add_arrow(self, t: pa.Table) -> None:
        if t.num_rows:
            self.pending.append(t)
            self.n_pending += t.num_rows
        if self.n_pending >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        t = pa.concat_tables(self.pending).combine_chunks() if self.pending else self.schema.empty_table()
        self.pending, self.n_pending = [], 0
        if self.pq_writer is None:
            self.pq_writer = pq.ParquetWriter(self.pq_path, self.schema, compression="zstd", write_statistics=False)
        self.pq_writer.write_table(t, row_group_size=ROW_GROUP)
        if self.csv_path is not None:
            c = _csv_ready(t)
            if self.csv_writer is None:
                self.csv_writer = pacsv.CSVWriter(self.csv_path, c.schema)
            self.csv_writer.write_table(c)

    def close(self) -> None:
        if self.pending or self.pq_writer is None:  # an empty table is still written (schema, header)
            self._flush()
        for w in (self.pq_writer, self.csv_writer):
            if w is not None:
                w.close()


class DatasetWriter:
    """Write a dataset while the documents are processed (same files as `write_dataset`).

        with DatasetWriter(output, keep_clean) as w:
            for each document, in doc_id order:
                w.add(document, mentions, dates, quantities, error, clean_text)
            w.finish(entities, entity_id_of)   # {mention_id: entity_id}

    Documents, dates, quantities, errors and clean texts go straight to their final
    files; mentions (whose entity_id is known only after resolution) are staged and
    rewritten in one streamed pass by `finish`, as is dataset.jsonl. Peak memory is
    one row group per table, whatever the corpus size. The dataset is committed
    exactly as `write_dataset` commits it; on an exception nothing is published.
    """

    def __init__(self, output: Path, keep_clean: bool = True):
        self.output, self.keep_clean = output, keep_clean
        self._lock = output_lock(output)
        self._lock.__enter__()
        try:
            ensure_writable(output)
            self.staging = _new_staging(output)
            self.work = self.staging / ".work"  # staged mentions and jsonl, removed before the commit
            self.work.mkdir()
            if keep_clean:
                (self.staging / "clean").mkdir()
        except BaseException:
            self._lock.__exit__(None, None, None)
            raise
        self.sinks = {name: _TableSink(self.staging, name) for name in ("documents", "dates", "quantities", "errors")}
        self.staged_mentions = _TableSink(self.work, "mentions", csv=False)
        self.jsonl = (self.work / "dataset.jsonl").open("w", encoding="utf-8")
        self.last_doc_id: str | None = None

    def __enter__(self) -> "DatasetWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if not self.jsonl.closed:
                self.jsonl.close()
            shutil.rmtree(self.staging, ignore_errors=True)  # gone after a commit; debris after a failure
        finally:
            self._lock.__exit__(exc_type, exc, tb)
        if exc_type is None:
            _remove_stale(self.output)

    def add(self, document: BaseModel, mentions: list[BaseModel] = (), dates: list[BaseModel] = (),
            quantities: list[BaseModel] = (), error: BaseModel | None = None, clean_text: str | None = None) -> None:
        doc_id = document.doc_id
        if self.last_doc_id is not None and doc_id <= self.last_doc_id:
            raise ValueError(f"DatasetWriter: documents must arrive in doc_id order ({doc_id!r} after {self.last_doc_id!r})")
        self.last_doc_id = doc_id
        try:
            d = self.sinks["documents"].add_rows([document])
            dt_ = self.sinks["dates"].add_rows(list(dates))
            qt = self.sinks["quantities"].add_rows(list(quantities))
            self.sinks["errors"].add_rows([error] if error is not None else [])
            mt = self.staged_mentions.add_rows(list(mentions))
            if clean_text is not None and self.keep_clean:
                _write_clean_one(self.staging / "clean", doc_id, clean_text)
            # the document's dataset.jsonl record, entity ids still empty (filled in by finish)
            values = {r["mention_id"]: r for r in dt_.to_pylist()}
            values.update({r["mention_id"]: r for r in qt.to_pylist() if r["mention_id"] not in values})
            ms = []
            for m in mt.to_pylist():
                extra = values.get(m["mention_id"])
                if extra:
                    m = {**m, "value": {k: v for k, v in extra.items() if k not in ("mention_id", "doc_id", "text")}}
                ms.append(m)
            record = {**d.to_pylist()[0], "mentions": ms}
            self.jsonl.write(json.dumps(record, ensure_ascii=False, default=_jsonable, sort_keys=False) + "\n")
        except OSError as e:
            raise OutputError(f"{self.output}: writing the dataset failed ({e})") from e

    def finish(self, entities: list[BaseModel], entity_id_of: dict[str, str | None]) -> None:
        """Entities table; mentions and dataset.jsonl with their entity ids; then the atomic switch."""
        try:
            for sink in self.sinks.values():
                sink.close()
            self.staged_mentions.close()
            self.jsonl.close()
            write_table(self.staging, "entities", to_arrow("entities", entities))
            final = _TableSink(self.staging, "mentions")
            schema = final.schema
            eid_col = schema.get_field_index("entity_id")
            for batch in pq.ParquetFile(self.staged_mentions.pq_path).iter_batches(batch_size=ROW_GROUP):
                t = pa.Table.from_batches([batch])
                ids = pa.array([entity_id_of.get(m) for m in t.column("mention_id").to_pylist()], pa.string())
                cols = [ids if i == eid_col else t.column(name) for i, name in enumerate(schema.names)]
                final.add_arrow(pa.Table.from_arrays(cols, schema=schema))
            final.close()
            with (self.work / "dataset.jsonl").open(encoding="utf-8") as src, \
                    (self.staging / "dataset.jsonl").open("w", encoding="utf-8") as dst:
                for line in src:
                    record = json.loads(line)
                    for m in record["mentions"]:
                        m["entity_id"] = entity_id_of.get(m["mention_id"])
                    dst.write(json.dumps(record, ensure_ascii=False, default=_jsonable, sort_keys=False) + "\n")
            shutil.rmtree(self.work)
            _commit(self.output, self.staging, self.keep_clean)
        except OSError as e:
            raise OutputError(f"{self.output}: writing the dataset failed ({e})") from e


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_clean(folder: Path, clean_texts: dict[str, str]) -> None:
    """clean/<doc_id>.txt, exactly the text the offsets index (no newline translation)."""
    folder.mkdir()
    for doc_id, text in sorted(clean_texts.items()):
        _write_clean_one(folder, doc_id, text)


def _write_clean_one(folder: Path, doc_id: str, text: str) -> None:
    rel = PurePosixPath(f"{doc_id}.txt")
    if rel.is_absolute() or ".." in rel.parts:
        raise OutputError(f"doc_id {doc_id!r} cannot be used as a file name under clean/")
    target = folder.joinpath(*rel.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def _fsync_files(folder: Path) -> None:
    for f in sorted(folder.iterdir()):
        if f.is_file():
            fd = os.open(f, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    """Persist a folder's entries (renames); best effort: some platforms cannot open or fsync a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    with suppress(OSError):
        os.fsync(fd)
    os.close(fd)


def dataset_names(keep_clean: bool = True) -> list[str]:
    """The top-level names of a dataset folder (each a link into `.current/`)."""
    names = [f"{t}.{ext}" for t in TABLES for ext in ("parquet", "csv")] + ["dataset.jsonl"]
    return names + (["clean"] if keep_clean else [])


def _symlink_over(target: str, link: Path) -> None:
    """Make `link` a symlink to `target`, replacing what is there with one rename."""
    tmp = link.with_name(f".tmp-{link.name}-{os.getpid()}")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, link)


def _publish(output: Path, version: Path, keep_clean: bool) -> None:
    """Switch `.current` to the finished version (the atomic step), then make sure the top-level links exist."""
    current = output / CURRENT
    if current.exists() and not current.is_symlink():
        raise OutputError(f"{current}: exists and is not a link; move it away and run again")
    _symlink_over(f"{VERSIONS}/{version.name}", current)
    _fsync_dir(output)
    for name in dataset_names(keep_clean):
        link = output / name
        target = f"{CURRENT}/{name}"
        if link.is_symlink():
            if os.readlink(link) != target:
                _symlink_over(target, link)
        elif link.is_dir():  # a real clean/ folder from an older pipeline
            old = output / f".old-{name}-{os.getpid()}"
            os.replace(link, old)
            _symlink_over(target, link)
            shutil.rmtree(old, ignore_errors=True)
        else:
            _symlink_over(target, link)
    clean = output / "clean"
    if not keep_clean and clean.is_symlink():
        clean.unlink()


def _remove_stale(output: Path) -> None:
    """Delete superseded versions and what killed runs left behind (only ever under the lock)."""
    current = output / CURRENT
    keep = Path(os.readlink(current)).name if current.is_symlink() else None
    versions = output / VERSIONS
    if versions.is_dir():
        for v in versions.iterdir():
            if v.name != keep:
                shutil.rmtree(v, ignore_errors=True)
    for f in output.iterdir():
        if not f.name.startswith((".staging-", ".old-", ".tmp-", ".probe-")):
            continue
        if f.is_dir() and not f.is_symlink():
            shutil.rmtree(f, ignore_errors=True)
        else:
            with suppress(FileNotFoundError):
                f.unlink()


_HELD: dict[str, int] = {}


@contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """Hold `<output>/.lock` so two runs never write one dataset folder at once (re-entrant in a process)."""
    ensure_folder(output)
    key = str(output.resolve())
    if key in _HELD:
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    try:
        fd = os.open(output / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise OutputError(f"{output}: cannot write the output folder ({e.strerror or e})") from e
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as e:
                raise OutputError(f"{output}: another run is writing to this folder; wait for it or choose another --output") from e
            except OSError:  # a file system that cannot lock (some network mounts): go on without the guard
                pass
        _HELD[key] = 1
        try:
            yield
        finally:
            del _HELD[key]
    finally:
        os.close(fd)  # closing releases the flock


def ensure_folder(output: Path) -> None:
    """Create the output folder, or say plainly why it cannot be."""
    if output.exists() and not output.is_dir():
        raise OutputError(f"{output}: exists and is not a folder")
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{output}: cannot create the output folder ({e.strerror or e})") from e


def ensure_writable(output: Path) -> None:
    """Fail before any work if files cannot be created in the output folder."""
    ensure_folder(output)
    try:
        fd, probe = tempfile.mkstemp(prefix=".probe-", dir=output)
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise OutputError(f"{output}: cannot write the output folder ({e.strerror or e})") from e


def dataset_folder(path: str | os.PathLike) -> Path:
    """The folder holding one complete dataset: `.current`'s target, or the folder itself (older layout)."""
    folder = Path(path)
    current = folder / CURRENT
    if current.is_symlink():
        target = folder / os.readlink(current)
        if not target.is_dir():
            raise FileNotFoundError(f"{current}: points to a missing version ({target.name}); run extract again")
        return target
    return folder


def load(path: str | os.PathLike = "outputs") -> dict[str, "pandas.DataFrame"]:  # noqa: F821
    """The dataset as pandas DataFrames: dates as datetime64, nullable ints/bools, lists as lists.

    Every table comes from the one version `.current` named when reading began.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no dataset here (run `make extract` first)")
    version = dataset_folder(folder)
    try:
        return _load_tables(version)
    except FileNotFoundError:
        again = dataset_folder(folder)
        if again == version:
            raise
        return _load_tables(again)  # another run switched versions and deleted this one while we read


def _load_tables(folder: Path) -> dict[str, "pandas.DataFrame"]:  # noqa: F821
    import pandas as pd

    mapper = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype(), pa.float64(): pd.Float64Dtype()}.get
    frames = {}
    for name, model in TABLES.items():
        file = folder / f"{name}.parquet"
        if not file.exists():
            continue
        t = pq.read_table(file, schema=arrow_schema(model))
        frames[name] = t.to_pandas(types_mapper=mapper, date_as_object=False)
    return frames
