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
import gc
import multiprocessing
import sys
import time
from collections import Counter, deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from functools import lru_cache
from typing import Iterable, Iterator

from . import kb as kbmod
from .clean import CleanDoc, clean
from .clean.lexicon import zipf
from .dates import extract_dates
from .errors import DocumentError, InputError
from .export import DatasetWriter, ensure_writable, output_lock
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
    not_read: list[str] = field(default_factory=list)  # visible files of the input folder that are not *.txt

    def line(self) -> str:
        labels = ", ".join(f"{k} {self.per_label.get(k, 0)}" for k in ("PLACE", "GROUP", "FIGURE", "DATE", "QUANTITY"))
        return (f"{self.n_documents} documents ({self.n_documents - self.n_failed} ok, {self.n_failed} failed); "
                f"mentions: {labels}; {self.seconds:.1f} s")


def _visible_files(input_dir: Path, exclude: Path | None) -> list[Path]:
    """Files (and links) under the folder, recursively, minus hidden ones and the output folder."""
    if not input_dir.exists():
        raise InputError(f"{input_dir}: input folder does not exist")
    if not input_dir.is_dir():
        raise InputError(f"{input_dir}: is not a folder")
    try:
        found = [p for p in input_dir.rglob("*") if (p.is_file() or p.is_symlink())
                 and not any(part.startswith(".") for part in p.relative_to(input_dir).parts)]
    except OSError as e:
        raise InputError(f"{input_dir}: cannot list the input folder ({e.strerror or e})") from e
    if exclude is not None:
        skip = exclude.resolve()
        if skip == input_dir.resolve():
            raise InputError(f"{input_dir}: is also the output folder; choose another --output")
        if skip.is_relative_to(input_dir.resolve()):  # the dataset's own clean/*.txt are not inputs
            found = [p for p in found if not p.parent.resolve().is_relative_to(skip)]
    return found


def _is_text_name(path: Path) -> bool:
    return path.suffix.lower() == ".txt"  # "REPORT.TXT" from a Windows share is a document too


def list_inputs(input_dir: Path, exclude: Path | None = None) -> list[Path]:
    """Every *.txt under the folder (recursively, any case of the extension), sorted by relative path.

    Skipped: hidden files and folders (".git/", macOS "._x.txt" resource forks, a
    dataset's own ".versions/") and, when the output lies inside the input, the output.
    """
    files = sorted((p for p in _visible_files(input_dir, exclude) if _is_text_name(p)),
                   key=lambda p: relative_name(p, input_dir))
    if not files:
        raise InputError(f"{input_dir}: no *.txt files to process")
    return files


def files_not_read(input_dir: Path, exclude: Path | None = None, also: Path | None = None) -> list[str]:
    """Visible files of the input folder that are not *.txt (a PDF, an HTML page, a .docx): the
    run does not read them, and says so, so that nothing an analyst put there is dropped silently.
    `also`: a file that is not a document (the --metadata sidecar)."""
    own = also.resolve() if also is not None else None
    return sorted(relative_name(p, input_dir) for p in _visible_files(input_dir, exclude)
                  if not _is_text_name(p) and (own is None or p.resolve() != own))


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


@lru_cache(maxsize=1)
def process_nlp():
    """The nlp of this process, built once, with the word-frequency tables the cleaner needs.

    Both live as long as the process: millions of objects that the cyclic garbage collector
    would otherwise re-scan at every full collection. `gc.freeze()` moves them out of its
    view (GC time 0.25 -> 0.09 s on the five seeds, 0.48 -> 0.17 s on fifty documents;
    benchmarks/README.md)."""
    nlp = build_nlp()
    zipf("the")  # loads the frequency tables now, so that they are frozen with the model
    gc.freeze()
    return nlp


def process_batch(batch: list[Path], root: Path, sidecar: dict[str, dict[str, str]],
                  max_bytes: int = DEFAULT_MAX_BYTES) -> list[DocResult]:
    """One DocResult per path of the batch, in the batch's order (the unit of work of a worker)."""
    nlp = process_nlp()
    results: list[DocResult | None] = []
    prepared: list[tuple[int, Path, RawDoc, CleanDoc, DocMeta, str]] = []
    for path in batch:
        raw = None
        try:
            raw = _stage("ingest", relative_name(path, root), read_document, path, root, max_bytes)
            cd = _stage("clean", raw.source_path, clean, raw.text)
            meta, origin = _stage("clean", raw.source_path, _merge_meta, cd.meta, sidecar.get(raw.doc_id, {}))
            if len(cd.text) > nlp.max_length:
                raise DocumentError("nlp", f"{raw.source_path}: {len(cd.text):,} characters after cleaning exceeds "
                                           f"the model's limit of {nlp.max_length:,}; split the file into parts")
            prepared.append((len(results), path, raw, cd, meta, origin))
            results.append(None)
        except DocumentError as e:
            results.append(_failed(path, root, e, raw))
    docs = _run_model(nlp, [p[3].text for p in prepared], [p[2].source_path for p in prepared])  # one process
    for (k, path, raw, cd, meta, origin), doc in zip(prepared, docs):
        try:
            if isinstance(doc, DocumentError):
                raise doc
            results[k] = _stage("analyse", raw.source_path, analyse, raw, cd, doc, meta, origin)
        except DocumentError as e:
            results[k] = _failed(path, root, e, raw)
    return results


def process(paths: list[Path], root: Path, sidecar: dict[str, dict[str, str]], batch_size: int = 16,
            max_bytes: int = DEFAULT_MAX_BYTES, workers: int = 1, progress: bool = False) -> Iterable[DocResult]:
    """Yield one DocResult per input path, in input order, streaming in batches.

    workers > 1: a pool of processes, each with its own nlp (built once per process),
    runs `process_batch` on successive batches; results are yielded in input order, so
    the output is identical to one worker. At most 2 x workers batches are in flight."""
    bar = None
    if workers > 1:  # small corpora: smaller batches, so that every worker gets a share (order is kept)
        batch_size = max(1, min(batch_size, len(paths) // (4 * workers)))
    batches = _batches(paths, batch_size)
    if workers <= 1:
        results = (process_batch(b, root, sidecar, max_bytes) for b in batches)
    else:
        results = _in_pool(batches, workers, (root, sidecar, max_bytes))
    for batch_results in results:
        if progress and bar is None:  # only once the pool has forked its workers: tqdm starts a thread
            from tqdm import tqdm

            bar = tqdm(total=len(paths), unit="doc", file=sys.stderr)
        for r in batch_results:
            yield r
            if bar:
                bar.update(1)
    if bar:
        bar.close()


_WORKER_ARGS: tuple = ()


def _worker_init(args: tuple) -> None:
    global _WORKER_ARGS
    _WORKER_ARGS = args
    process_nlp()  # once per process, before the first batch


def _worker_batch(batch: list[Path]) -> list[DocResult]:
    return process_batch(batch, *_WORKER_ARGS)


def _in_pool(batches: Iterator[list[Path]], workers: int, args: tuple) -> Iterator[list[DocResult]]:
    """Ordered, bounded parallel map of process_batch over the platform's default start method
    (Linux: fork, so workers inherit the imported modules; spawn elsewhere: `pipeline` and its
    spaCy factory are importable there too). A ProcessPoolExecutor, not multiprocessing.Pool:
    a worker that dies or cannot build the model fails the run (BrokenProcessPool) instead of
    being respawned for ever."""
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(), initializer=_worker_init,
                             initargs=(args,)) as pool:
        pending: deque = deque()
        for batch in batches:
            pending.append(pool.submit(_worker_batch, batch))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


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


SPACY_CHARS = 100_000  # characters per spaCy minibatch: its memory grows with the tokens it holds


def _minibatches(texts: list[str], max_chars: int = SPACY_CHARS) -> Iterator[tuple[int, int]]:
    """[i, j) ranges of consecutive texts of at most max_chars together (at least one text each)."""
    i = 0
    while i < len(texts):
        j, size = i + 1, len(texts[i])
        while j < len(texts) and size + len(texts[j]) <= max_chars:
            size += len(texts[j])
            j += 1
        yield i, j
        i = j


def _run_model(nlp, texts: list[str], names: list[str], workers: int = 1) -> list:
    """nlp.pipe over a batch in minibatches of at most SPACY_CHARS characters (spaCy's memory
    grows with the tokens of a minibatch); a minibatch that fails is retried one document at
    a time to isolate the bad one. `workers` is unused: parallelism is a process pool around
    `process_batch`, each process running the model on one core."""
    out: list = []
    for i, j in _minibatches(texts):
        try:
            docs = list(nlp.pipe(texts[i:j]))  # the chunk is one spaCy minibatch (default batch_size 1000)
        except Exception:  # noqa: BLE001 - isolation boundary: find the document that fails on its own
            docs = []
            for text, name in zip(texts[i:j], names[i:j]):
                try:
                    docs.append(_stage("nlp", name, nlp, text))
                except DocumentError as e:
                    docs.append(e)
        out.extend(docs)
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
    # processed in doc_id order, the order of every table: rows are written as they come
    paths.sort(key=lambda p: doc_id_for(p, input_dir))
    sidecar = read_sidecar(metadata) if metadata else {}
    with output_lock(output):
        ensure_writable(output)
        n_documents = 0
        errors: list[ErrorRow] = []
        ents: list[EntityMention] = []  # compact: what resolution needs, nothing of the text
        per_label: Counter = Counter()
        with DatasetWriter(output, keep_clean=keep_clean) as writer:
            for r in process(paths, input_dir, sidecar, batch_size=batch_size, max_bytes=max_bytes, workers=workers,
                             progress=progress):
                n_documents += 1
                writer.add(r.document, r.mentions, r.dates, r.quantities, r.error,
                           None if r.error else r.clean_text)
                if r.error:
                    errors.append(r.error)
                    continue
                ents.extend(r.entity_mentions)
                per_label.update(m.label for m in r.mentions)
            # resolution sees the mentions in one canonical order, whatever order the documents were processed in
            ents.sort(key=lambda m: (m.doc_id, m.start, m.mention_id))
            entities = resolve(ents, kbmod.load_kb())
            writer.finish(entities, {m.mention_id: m.entity_id for m in ents})
    errors.sort(key=lambda e: e.doc_id)
    return Summary(n_documents=n_documents, n_failed=len(errors), per_label=per_label,
                   seconds=time.perf_counter() - t0, failures=errors,
                   not_read=files_not_read(input_dir, exclude=output, also=metadata))


def _check_unique_ids(paths: list[Path], root: Path) -> None:
    """doc_ids come from relative paths, so they are unique; should two ever meet, stop rather than merge them."""
    seen: dict[str, str] = {}
    for p in paths:
        doc_id, rel = doc_id_for(p, root), relative_name(p, root)
        if doc_id in seen:
            raise InputError(f"{rel} and {seen[doc_id]} both get the doc_id {doc_id!r}; rename one")
        seen[doc_id] = rel
