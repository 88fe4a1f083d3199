"""The extraction run: a folder of texts in, the dataset out.

Per document: ingest -> clean -> spaCy (names) -> dates -> quantities; then, for
the corpus, entity resolution and the writers. A document that fails at any
stage is recorded (documents.status = error, one row in `errors`) and the run
goes on; nothing is written until every table is complete.
"""
from __future__ import annotations

import bisect
import csv
import datetime as dt
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from . import kb as kbmod
from .clean import CleanDoc, clean
from .dates import extract_dates
from .errors import DocumentError, InputError
from .export import ensure_writable, output_lock, write_dataset
from .ingest import DEFAULT_MAX_BYTES, RawDoc, doc_id_for, read_document, relative_name
from .nlp import build_nlp
from .quantities import find_quantities
from .resolve import EntityMention, resolve
from .schema import DateRow, DocMeta, DocumentRow, ErrorRow, MentionRow, QuantityRow

META_FIELDS = ("title", "author", "publisher", "published", "url")


@dataclass
class DocResult:
    document: DocumentRow
    clean_text: str = ""
    mentions: list[MentionRow] = field(default_factory=list)
    entity_mentions: list[EntityMention] = field(default_factory=list)
    dates: list[DateRow] = field(default_factory=list)
    quantities: list[QuantityRow] = field(default_factory=list)
    error: ErrorRow | None = None


@dataclass
class Summary:
    n_documents: int
    n_failed: int
    per_label: Counter
    seconds: float
    failures: list[ErrorRow] = field(default_factory=list)

    def line(self) -> str:
        labels = ", ".join(f"{k} {self.per_label.get(k, 0)}" for k in ("PLACE", "GROUP", "FIGURE", "DATE", "QUANTITY"))
        return (f"{self.n_documents} documents ({self.n_documents - self.n_failed} ok, {self.n_failed} failed); "
                f"mentions: {labels}; {self.seconds:.1f} s")


def list_inputs(input_dir: Path, exclude: Path | None = None) -> list[Path]:
    """Every *.txt under the folder (recursively), sorted by relative path.

    Skipped: hidden files and folders (".git/", macOS "._x.txt" resource forks, a
    dataset's own ".versions/") and, when the output lies inside the input, the output.
    """
    if not input_dir.exists():
        raise InputError(f"{input_dir}: input folder does not exist")
    if not input_dir.is_dir():
        raise InputError(f"{input_dir}: is not a folder")
    try:
        found = [p for p in input_dir.rglob("*.txt") if (p.is_file() or p.is_symlink())
                 and not any(part.startswith(".") for part in p.relative_to(input_dir).parts)]
    except OSError as e:
        raise InputError(f"{input_dir}: cannot list the input folder ({e.strerror or e})") from e
    if exclude is not None:
        skip = exclude.resolve()
        if skip == input_dir.resolve():
            raise InputError(f"{input_dir}: is also the output folder; choose another --output")
        if skip.is_relative_to(input_dir.resolve()):  # the dataset's own clean/*.txt are not inputs
            found = [p for p in found if not p.parent.resolve().is_relative_to(skip)]
    files = sorted(found, key=lambda p: relative_name(p, input_dir))
    if not files:
        raise InputError(f"{input_dir}: no *.txt files to process")
    return files


def read_sidecar(path: Path) -> dict[str, dict[str, str]]:
    """The analyst's own collection records: doc_id + any of url/title/author/publisher/published."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise InputError(f"{path}: cannot read the metadata file ({e.strerror})") from e
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: the metadata file is not UTF-8 (byte {e.start}); save it as UTF-8 CSV") from e
    if not text.strip():
        raise InputError(f"{path}: the metadata file is empty (it needs a header with a 'doc_id' column)")
    dialect = csv.excel_tab if path.suffix.lower() in (".tsv", ".tab") or "\t" in text.splitlines()[0] else csv.excel
    reader = csv.DictReader(text.splitlines(), dialect=dialect)
    if not reader.fieldnames or "doc_id" not in reader.fieldnames:
        raise InputError(f"{path}: the metadata file needs a 'doc_id' column (found: {', '.join(reader.fieldnames or [])})")
    out = {}
    for n, row in enumerate(reader, start=2):
        doc_id = (row.get("doc_id") or "").strip()
        if not doc_id:
            raise InputError(f"{path}:{n}: empty doc_id")
        values = {k: (row.get(k) or "").strip() for k in META_FIELDS if (row.get(k) or "").strip()}
        if "published" in values:
            try:
                values["published"] = dt.date.fromisoformat(values["published"][:10]).isoformat()
            except ValueError as e:
                raise InputError(f"{path}:{n}: published {values['published']!r} is not an ISO date (YYYY-MM-DD)") from e
        out[doc_id] = values
    return out


def _merge_meta(text_meta: DocMeta, sidecar: dict[str, str]) -> tuple[DocMeta, str]:
    values, origin = {}, []
    for f in META_FIELDS:
        if f in sidecar:
            values[f] = dt.date.fromisoformat(sidecar[f]) if f == "published" else sidecar[f]
            origin.append(f"{f}=sidecar")
        else:
            values[f] = getattr(text_meta, f)
            if values[f] is not None:
                origin.append(f"{f}=text")
    return DocMeta(**values), ";".join(origin)


class _Sentences:
    """Sentence lookup by character offset (bisect over sentence starts)."""

    def __init__(self, doc):
        self.bounds = [(s.start_char, s.end_char) for s in doc.sents] or [(0, len(doc.text))]
        self.starts = [b[0] for b in self.bounds]
        self.text = doc.text

    def at(self, offset: int) -> str:
        i = max(0, bisect.bisect_right(self.starts, offset) - 1)
        a, b = self.bounds[i]
        return self.text[a:b].strip()


def _mention(doc_id: str, cd: CleanDoc, label: str, start: int, end: int, sentences: _Sentences, source: str,
             role: str | None = None) -> MentionRow:
    raw_start, raw_end = cd.to_raw(start, end)
    return MentionRow(
        mention_id=f"{doc_id}:{start}-{end}:{label}",
        doc_id=doc_id, label=label, text=cd.text[start:end], start=start, end=end,
        raw_start=raw_start, raw_end=raw_end, sentence=sentences.at(start), role=role, source=source,
    )


def analyse(raw: RawDoc, cd: CleanDoc, doc, meta: DocMeta, meta_origin: str) -> DocResult:
    """Everything after the model: mentions with offsets, dates, quantities."""
    doc_id = raw.doc_id
    sentences = _Sentences(doc)
    result = DocResult(document=DocumentRow(
        doc_id=doc_id, source_path=raw.source_path, sha256=raw.sha256, title=meta.title, author=meta.author,
        publisher=meta.publisher, published=meta.published, url=meta.url, metadata_source=meta_origin or None,
        encoding=raw.encoding, n_chars_raw=len(raw.text), n_chars_clean=len(cd.text),
    ), clean_text=cd.text)
    taken: list[tuple[int, int]] = []
    for ent in doc.ents:
        m = _mention(doc_id, cd, ent.label_, ent.start_char, ent.end_char, sentences, ent._.source or "model", ent._.role)
        result.mentions.append(m)
        taken.append((ent.start_char, ent.end_char))
        result.entity_mentions.append(EntityMention(
            mention_id=m.mention_id, doc_id=doc_id, label=m.label, text=m.text, start=m.start, kind=ent._.kind,
            country=ent._.country, kb_id=ent._.entity_key if ent._.entity_key and not ent._.entity_key.startswith("expansion:") else None,
            link_key=ent._.entity_key if ent._.entity_key and ent._.entity_key.startswith("expansion:") else None,
            role=ent._.role,
        ))
    for span, value in extract_dates(cd.text, meta.published):
        if any(span.start < b and span.end > a for a, b in taken):
            continue
        m = _mention(doc_id, cd, "DATE", span.start, span.end, sentences, "rule:dates")
        result.mentions.append(m)
        taken.append((span.start, span.end))
        result.dates.append(DateRow(
            mention_id=m.mention_id, doc_id=doc_id, text=m.text, value=value.value, start_date=value.start,
            end_date=value.end, granularity=value.granularity, relative=value.relative,
            modifier=value.modifier or span.modifier,
        ))
    for q in find_quantities(doc, exclude=list(taken)):
        m = _mention(doc_id, cd, "QUANTITY", q.start, q.end, sentences, q.source)
        result.mentions.append(m)
        v = q.value
        result.quantities.append(QuantityRow(
            mention_id=m.mention_id, doc_id=doc_id, text=m.text, value=v.value, low=v.low, high=v.high,
            unit=v.unit, item=v.item, approx=v.approx, category=v.category,
        ))
    result.mentions.sort(key=lambda r: (r.start, r.end))
    return result


def _failed(path: Path, root: Path, err: DocumentError, raw: RawDoc | None = None) -> DocResult:
    rel = raw.source_path if raw else relative_name(path, root)
    doc_id = raw.doc_id if raw else doc_id_for(path, root)
    return DocResult(
        document=DocumentRow(doc_id=doc_id, source_path=rel, sha256=raw.sha256 if raw else "", status="error",
                             error=f"{err.stage}: {err.message}", encoding=raw.encoding if raw else None,
                             n_chars_raw=len(raw.text) if raw else None),
        error=ErrorRow(doc_id=doc_id, source_path=rel, stage=err.stage, error=err.message),
    )


def _batches(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def process(paths: list[Path], root: Path, sidecar: dict[str, dict[str, str]], batch_size: int = 16,
            max_bytes: int = DEFAULT_MAX_BYTES, workers: int = 1, progress: bool = False) -> Iterable[DocResult]:
    """Yield one DocResult per input path, in input order, streaming in batches."""
    nlp = build_nlp()
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(paths), unit="doc", file=sys.stderr)
    for batch in _batches(paths, batch_size):
        prepared: list[tuple[Path, RawDoc, CleanDoc, DocMeta, str]] = []
        for path in batch:
            raw = None
            try:
                raw = _stage("ingest", relative_name(path, root), read_document, path, root, max_bytes)
                cd = _stage("clean", raw.source_path, clean, raw.text)
                meta, origin = _stage("clean", raw.source_path, _merge_meta, cd.meta, sidecar.get(raw.doc_id, {}))
                if len(cd.text) > nlp.max_length:
                    raise DocumentError("nlp", f"{raw.source_path}: {len(cd.text):,} characters after cleaning exceeds "
                                               f"the model's limit of {nlp.max_length:,}; split the file into parts")
                prepared.append((path, raw, cd, meta, origin))
            except DocumentError as e:
                yield _failed(path, root, e, raw)
                if bar:
                    bar.update(1)
        docs = _run_model(nlp, [p[2].text for p in prepared], [p[1].source_path for p in prepared], workers)
        for (path, raw, cd, meta, origin), doc in zip(prepared, docs):
            try:
                if isinstance(doc, DocumentError):
                    raise doc
                yield _stage("analyse", raw.source_path, analyse, raw, cd, doc, meta, origin)
            except DocumentError as e:
                yield _failed(path, root, e, raw)
            if bar:
                bar.update(1)
    if bar:
        bar.close()


def _stage(stage: str, name: str, fn, *args):
    """Run one stage on one document; any failure becomes a DocumentError naming the file and stage.

    This is the per-document isolation boundary, so it deliberately catches every
    `Exception` (a bug in one stage must cost one document, not the run); the
    original stays attached as `__cause__`. KeyboardInterrupt/SystemExit pass.
    """
    try:
        return fn(*args)
    except DocumentError:
        raise
    except Exception as e:  # noqa: BLE001 - isolation boundary, see the docstring
        raise DocumentError(stage, f"{name}: {stage} failed: {type(e).__name__}: {_one_line(e)}") from e


def _one_line(e: BaseException, limit: int = 300) -> str:
    text = " ".join(str(e).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _run_model(nlp, texts: list[str], names: list[str], workers: int) -> list:
    """nlp.pipe over a batch; if the batch fails, retry one by one to isolate the bad document."""
    try:
        return list(nlp.pipe(texts, n_process=max(1, workers)))
    except Exception:  # noqa: BLE001 - isolation boundary: find the document that fails on its own
        out = []
        for text, name in zip(texts, names):
            try:
                out.append(_stage("nlp", name, nlp, text))
            except DocumentError as e:
                out.append(e)
        return out


def run_extract(input_dir: Path, output: Path, metadata: Path | None = None, batch_size: int = 16, workers: int = 1,
                max_bytes: int = DEFAULT_MAX_BYTES, keep_clean: bool = True, progress: bool = False) -> Summary:
    """Read, analyse and write; the input and the output folder are checked before any document is read.

    The output folder is locked for the whole run (a second run into it fails at
    once) and the dataset is switched in atomically at the end (export.write_dataset).
    """
    t0 = time.perf_counter()
    paths = list_inputs(input_dir, exclude=output)
    _check_unique_ids(paths, input_dir)
    sidecar = read_sidecar(metadata) if metadata else {}
    with output_lock(output):
        ensure_writable(output)
        documents, mentions, dates, quantities, errors, ents = [], [], [], [], [], []
        clean_texts: dict[str, str] = {}
        per_label: Counter = Counter()
        for r in process(paths, input_dir, sidecar, batch_size=batch_size, max_bytes=max_bytes, workers=workers,
                         progress=progress):
            documents.append(r.document)
            if r.error:
                errors.append(r.error)
                continue
            clean_texts[r.document.doc_id] = r.clean_text
            mentions.extend(r.mentions)
            ents.extend(r.entity_mentions)
            dates.extend(r.dates)
            quantities.extend(r.quantities)
            per_label.update(m.label for m in r.mentions)
        # resolution sees the mentions in one canonical order, whatever order the documents were processed in
        ents.sort(key=lambda m: (m.doc_id, m.start, m.mention_id))
        entities = resolve(ents, kbmod.load_kb())
        eid = {m.mention_id: m.entity_id for m in ents}
        mentions = [m.model_copy(update={"entity_id": eid.get(m.mention_id)}) for m in mentions]
        write_dataset(output, {"documents": documents, "mentions": mentions, "entities": entities, "dates": dates,
                               "quantities": quantities, "errors": errors}, clean_texts, keep_clean=keep_clean)
    errors.sort(key=lambda e: e.doc_id)
    return Summary(n_documents=len(documents), n_failed=len(errors), per_label=per_label,
                   seconds=time.perf_counter() - t0, failures=errors)


def _check_unique_ids(paths: list[Path], root: Path) -> None:
    """doc_ids come from relative paths, so they are unique; should two ever meet, stop rather than merge them."""
    seen: dict[str, str] = {}
    for p in paths:
        doc_id, rel = doc_id_for(p, root), relative_name(p, root)
        if doc_id in seen:
            raise InputError(f"{rel} and {seen[doc_id]} both get the doc_id {doc_id!r}; rename one")
        seen[doc_id] = rel
