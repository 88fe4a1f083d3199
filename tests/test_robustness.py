"""End to end on the seeds, alone and mixed with one file of every bad kind.

One extraction of the seeds is shared by the module; the bad corpus is extracted
once too. Fixtures are generated here, never committed.
"""
from __future__ import annotations

import codecs
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

import pipeline
from conftest import ROOT, SEEDS
from pipeline import extract
from pipeline.export import dataset_folder, dataset_names
from pipeline.extract import run_extract
from pipeline.schema import TABLES

SEED_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))
CRLF_SOURCE = "004_46608a76e80a700b"


def tree_digest(folder: Path) -> dict[str, str]:
    """sha256 of every file of the dataset `.current` names (recursively, clean/ included)."""
    base = dataset_folder(folder)
    return {p.relative_to(base).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(base.rglob("*")) if p.is_file()}


def visible_digest(folder: Path) -> dict[str, str]:
    """sha256 of what a person sees at the top level (links followed)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if rel.startswith(".") or not p.is_file():
            continue
        out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    for name in dataset_names():  # rglob does not descend into the clean/ link
        if (folder / name).is_dir():
            for p in sorted((folder / name).rglob("*")):
                if p.is_file():
                    out[f"{name}/{p.relative_to(folder / name).as_posix()}"] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def clean_text(folder: Path, doc_id: str) -> str:
    with (folder / "clean" / f"{doc_id}.txt").open(encoding="utf-8", newline="") as fh:
        return fh.read()


def squash(s: str) -> str:
    """Compare raw and cleaned surfaces modulo what the cleaner undoes: whitespace, line-end hyphens, escapes."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011\\]+", "", unicodedata.normalize("NFKC", s))


def rows(tables: dict, table: str, doc_ids) -> pd.DataFrame:
    t = tables[table]
    return t[t["doc_id"].isin(list(doc_ids))].sort_values(list(t.columns[:3])).reset_index(drop=True)


# --- the seeds --------------------------------------------------------------------


# `seed_run` (one extraction of the seeds per test session) lives in conftest.py


def test_every_table_is_written_and_loads(seed_run):
    out, summary, tables = seed_run
    assert summary.n_documents == len(SEED_IDS) and summary.n_failed == 0
    assert set(tables) == set(TABLES)
    for name in dataset_names():
        assert (out / name).exists(), name
    for name, model in TABLES.items():
        assert list(tables[name].columns) == list(model.model_fields), name
    assert sorted(tables["documents"]["doc_id"]) == SEED_IDS
    assert set(tables["documents"]["status"]) == {"ok"} and tables["errors"].empty
    assert len(tables["mentions"]) > 100
    assert set(tables["dates"]["mention_id"]) <= set(tables["mentions"]["mention_id"])
    assert set(tables["quantities"]["mention_id"]) <= set(tables["mentions"]["mention_id"])
    ents = set(tables["entities"]["entity_id"])
    assert set(tables["mentions"]["entity_id"].dropna()) <= ents


def test_mentions_are_exact_slices_and_trace_back_to_the_raw_file(seed_run):
    out, _, tables = seed_run
    docs = tables["documents"].set_index("doc_id")
    for doc_id, ms in tables["mentions"].groupby("doc_id"):
        text = clean_text(out, doc_id)
        raw = (SEEDS / docs.loc[doc_id, "source_path"]).read_bytes().decode("utf-8")
        assert len(text) == docs.loc[doc_id, "n_chars_clean"] and len(raw) == docs.loc[doc_id, "n_chars_raw"]
        for m in ms.itertuples():
            assert m.text == text[m.start:m.end], m.mention_id
            assert 0 <= m.raw_start < m.raw_end <= len(raw), m.mention_id
            assert squash(raw[m.raw_start:m.raw_end]) == squash(m.text), m.mention_id
            assert m.mention_id == f"{doc_id}:{m.start}-{m.end}:{m.label}"


def test_rerun_in_another_order_is_byte_identical(seed_run, tmp_path, monkeypatch):
    """Same input, files created in reverse order with other mtimes, processed in reverse: the same bytes."""
    out, _, _ = seed_run
    src = tmp_path / "copy"
    src.mkdir()
    for i, p in enumerate(sorted(SEEDS.glob("*.txt"), reverse=True)):
        shutil.copyfile(p, src / p.name)
        os.utime(src / p.name, (1_000_000_000 + i, 1_000_000_000 + i))
    listed = extract.list_inputs
    monkeypatch.setattr(extract, "list_inputs", lambda d, exclude=None: list(reversed(listed(d, exclude))))
    again = tmp_path / "again"
    run_extract(src, again, batch_size=2)
    assert tree_digest(again) == tree_digest(out)


# --- the seeds plus one file of each bad kind ----------------------------------------

NLP_BOOM, CLEAN_BOOM, ANALYSE_BOOM = "QQSPACYBOOMQQ", "QQCLEANBOOMQQ", "QQANALYSEBOOMQQ"
MAX_BYTES = 250_000
FRENCH = "Le général Saïd Chengriha a déclaré à Alger que l’armée reste vigilante près de Tébessa. "

# doc_id -> (stage, what the message must say)
EXPECTED_FAILURES = {
    "empty": ("ingest", r"^empty\.txt: empty file \(0 bytes\)$"),
    "blank": ("ingest", r"^blank\.txt: empty file \(only whitespace\)$"),
    "binary": ("ingest", r"^binary\.txt: looks binary .*convert it to plain text"),
    "scan": ("ingest", r"^scan\.txt: is a PDF document, not plain text; extract its text first"),
    "huge": ("ingest", r"^huge\.txt: 300,000 bytes exceeds the size limit of 250,000 .*--max-bytes"),
    "vanished": ("ingest", r"^vanished\.txt: vanished before it could be read"),
    "dangling": ("ingest", r"^dangling\.txt: is a broken symbolic link$"),
    "nlp-boom": ("nlp", r"^nlp-boom\.txt: nlp failed: ValueError: \[E999\] simulated"),
    "clean-boom": ("clean", r"^clean-boom\.txt: clean failed: MemoryError: simulated"),
    "analyse-boom": ("analyse", r"^analyse-boom\.txt: analyse failed: LookupError: simulated"),
}


class _FlakyModel:
    """The real model, except that any batch or text holding NLP_BOOM raises as spaCy would."""

    def __init__(self, nlp):
        self.nlp = nlp
        self.max_length = nlp.max_length

    def pipe(self, texts, n_process=1):
        texts = list(texts)
        if any(NLP_BOOM in t for t in texts):
            raise ValueError("[E999] simulated batch failure")
        return self.nlp.pipe(texts, n_process=n_process)

    def __call__(self, text):
        if NLP_BOOM in text:
            raise ValueError("[E999] simulated spaCy failure")
        return self.nlp(text)


def _make_bad_corpus(src: Path) -> None:
    for p in SEEDS.glob("*.txt"):
        shutil.copyfile(p, src / p.name)
    (src / "empty.txt").write_bytes(b"")
    (src / "blank.txt").write_bytes(b" \r\n\t\n")
    (src / "binary.txt").write_bytes(b"\x00\x01" + os.urandom(5000))
    (src / "scan.txt").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + os.urandom(3000))
    (src / "huge.txt").write_bytes(b"Algeria. " * 33_333 + b"xxx")
    (src / "vanished.txt").write_text("Mali and Niger.", encoding="utf-8")
    (src / "dangling.txt").symlink_to(src / "nowhere.txt")
    (src / "legacy-cp1252.txt").write_bytes((FRENCH * 4).encode("cp1252"))
    (src / "legacy-latin1.txt").write_bytes(("La frontière algéro-tunisienne reste fermée près de Tébessa. " * 4).encode("latin-1"))
    (src / "bom.txt").write_bytes(codecs.BOM_UTF8 + "The Algerian army deployed 5,000 soldiers near Tamanrasset in March 2019.\n".encode())
    (src / "sub").mkdir()
    (src / "sub" / f"{CRLF_SOURCE}.txt").write_text("Same file name, other folder: Tunisia and Algeria signed it in 2014.\n")
    (src / "nlp-boom.txt").write_text(f"Libya {NLP_BOOM} and Chad.", encoding="utf-8")
    (src / "clean-boom.txt").write_text(f"Niger {CLEAN_BOOM}.", encoding="utf-8")
    (src / "analyse-boom.txt").write_text(f"Morocco {ANALYSE_BOOM}.", encoding="utf-8")


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory, seed_run):
    base = tmp_path_factory.mktemp("bad_run")
    src, out = base / "in", base / "out"
    src.mkdir()
    _make_bad_corpus(src)
    real_list, real_clean, real_analyse, real_build = extract.list_inputs, extract.clean, extract.analyse, extract.process_nlp

    def list_then_delete(d, exclude=None):
        files = real_list(d, exclude)
        (src / "vanished.txt").unlink()  # gone between listing and reading
        return files

    def clean(text):
        if CLEAN_BOOM in text:
            raise MemoryError("simulated")
        return real_clean(text)

    def analyse(raw, *args):
        if ANALYSE_BOOM in raw.text:
            raise LookupError("simulated")
        return real_analyse(raw, *args)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(extract, "list_inputs", list_then_delete)
        mp.setattr(extract, "clean", clean)
        mp.setattr(extract, "analyse", analyse)
        mp.setattr(extract, "process_nlp", lambda: _FlakyModel(real_build()))
        summary = run_extract(src, out, max_bytes=MAX_BYTES, batch_size=4)
    return src, out, summary, pipeline.load(out)


def test_bad_corpus_runs_to_the_end_and_counts_the_failures(bad_run):
    src, _, summary, tables = bad_run
    n_files = sum(1 for p in src.rglob("*.txt")) + 1  # + the one that vanished
    assert summary.n_documents == n_files == len(tables["documents"])
    assert summary.n_failed == len(EXPECTED_FAILURES) == len(tables["errors"])
    assert "failed" in summary.line() and f"{len(EXPECTED_FAILURES)} failed" in summary.line()
    assert sorted(f.doc_id for f in summary.failures) == sorted(EXPECTED_FAILURES)


def test_every_bad_file_is_in_errors_with_an_actionable_reason(bad_run):
    _, _, _, tables = bad_run
    errors = tables["errors"].set_index("doc_id")
    docs = tables["documents"].set_index("doc_id")
    assert set(errors.index) == set(EXPECTED_FAILURES)
    for doc_id, (stage, pattern) in EXPECTED_FAILURES.items():
        e = errors.loc[doc_id]
        assert e["stage"] == stage, doc_id
        assert re.search(pattern, e["error"]), (doc_id, e["error"])
        assert e["source_path"] == f"{doc_id}.txt"
        assert docs.loc[doc_id, "status"] == "error"
        assert docs.loc[doc_id, "error"] == f"{stage}: {e['error']}"
    assert not set(tables["mentions"]["doc_id"]) & set(EXPECTED_FAILURES)
    ok = docs[docs["status"] == "ok"]
    assert ok["error"].isna().all() and len(ok) == len(docs) - len(EXPECTED_FAILURES)


def test_good_documents_rows_are_identical_to_a_run_without_the_bad_files(seed_run, bad_run):
    seed_out, _, seed = seed_run
    _, bad_out, _, bad = bad_run
    for table in ("documents", "mentions", "dates", "quantities"):
        pd.testing.assert_frame_equal(rows(bad, table, SEED_IDS), rows(seed, table, SEED_IDS), obj=table)
    for doc_id in SEED_IDS:
        assert clean_text(bad_out, doc_id) == clean_text(seed_out, doc_id)


def _analyse_file(path: Path, root: Path):
    """One document through the stages of the run (ingest, clean, model, analyse)."""
    from pipeline.clean import clean
    from pipeline.ingest import read_document
    from pipeline.nlp import build_nlp

    raw = read_document(path, root)
    cd = clean(raw.text)
    return raw, extract.analyse(raw, cd, build_nlp()(cd.text), cd.meta, "")


def test_crlf_copy_has_the_same_mentions_and_valid_raw_offsets(seed_run, tmp_path):
    out, _, tables = seed_run
    lf = (SEEDS / f"{CRLF_SOURCE}.txt").read_bytes().replace(b"\r\n", b"\n")
    (tmp_path / "crlf.txt").write_bytes(lf.replace(b"\n", b"\r\n"))
    raw, result = _analyse_file(tmp_path / "crlf.txt", tmp_path)
    assert "\r\n" in raw.text and raw.encoding == "utf-8"
    assert result.clean_text == clean_text(out, CRLF_SOURCE)
    key = ["label", "start", "end", "text"]
    seed = rows(tables, "mentions", [CRLF_SOURCE])[key]
    crlf = pd.DataFrame([m.model_dump() for m in result.mentions])[key]
    assert len(crlf) > 10
    pd.testing.assert_frame_equal(crlf.sort_values(key).reset_index(drop=True), seed.sort_values(key).reset_index(drop=True),
                                  check_dtype=False)
    for m in result.mentions:
        assert 0 <= m.raw_start < m.raw_end <= len(raw.text)
        assert squash(raw.text[m.raw_start:m.raw_end]) == squash(m.text), m.mention_id


def test_encodings_are_detected_and_recorded(bad_run):
    _, out, _, tables = bad_run
    enc = tables["documents"].set_index("doc_id")["encoding"]
    assert enc["legacy-cp1252"] == "cp1252"
    assert enc["legacy-latin1"] in {"cp1252", "latin_1", "iso8859_15"}
    assert enc["bom"] == "utf-8-sig" and enc[SEED_IDS[0]] == "utf-8"
    assert "Saïd Chengriha" in clean_text(out, "legacy-cp1252") and "l’armée" in clean_text(out, "legacy-cp1252")
    assert "frontière algéro-tunisienne" in clean_text(out, "legacy-latin1")
    assert clean_text(out, "bom").startswith("The Algerian army")


def test_same_file_name_in_a_subfolder_does_not_collide(bad_run):
    _, out, _, tables = bad_run
    docs = tables["documents"].set_index("doc_id")
    assert docs.loc[CRLF_SOURCE, "source_path"] == f"{CRLF_SOURCE}.txt"
    assert docs.loc[f"sub/{CRLF_SOURCE}", "source_path"] == f"sub/{CRLF_SOURCE}.txt"
    assert clean_text(out, f"sub/{CRLF_SOURCE}").startswith("Same file name")
    assert tables["mentions"]["mention_id"].is_unique


# --- interruption -------------------------------------------------------------------


def _holds_lock(pid: int, lock: Path) -> bool:
    """True once the process has opened `<output>/.lock` (the run has listed its input and begun)."""
    fd_dir = Path(f"/proc/{pid}/fd")
    try:
        return any(os.readlink(fd) == str(lock) for fd in fd_dir.iterdir())
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see the run start")
def test_kill_9_mid_run_leaves_the_previous_dataset_intact(seed_run, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(seed_run[0], out, symlinks=True)
    before, before_files = visible_digest(out), tree_digest(out)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for k in range(40):
        for p in SEEDS.glob("*.txt"):
            shutil.copyfile(p, corpus / f"{k:02d}-{p.name}")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", "-i", str(corpus), "-o", str(out)],
                            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not _holds_lock(proc.pid, (out / ".lock").resolve()):
            assert proc.poll() is None, "extract ended before it could be killed"
            assert time.monotonic() < deadline, "extract never started"
            time.sleep(0.05)
        time.sleep(3)  # well into the run: model loaded, documents being read and analysed
        assert proc.poll() is None, "extract finished before it could be killed"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert visible_digest(out) == before
    assert tree_digest(out) == before_files
    assert len(list((out / ".versions").iterdir())) == 1
    t = pipeline.load(out)
    assert sorted(t["documents"]["doc_id"]) == SEED_IDS


SMALL_TABLES = '''
def small_tables(tag):
    # A tiny dataset whose every row carries `tag`, to tell two versions apart.
    from pipeline.schema import DocumentRow, ErrorRow, MentionRow

    docs = [DocumentRow(doc_id=f"{tag}-{i}", source_path=f"{tag}-{i}.txt", sha256=tag * 4) for i in range(3)]
    mentions = [MentionRow(mention_id=f"{tag}-{i}:0-4:PLACE", doc_id=f"{tag}-{i}", label="PLACE", text="Mali", start=0,
                           end=4, raw_start=0, raw_end=4, sentence="Mali.", source=tag) for i in range(3)]
    errors = [ErrorRow(doc_id=f"{tag}-9", source_path=f"{tag}-9.txt", stage="ingest", error=tag)]
    return {"documents": docs, "mentions": mentions, "errors": errors}, {f"{tag}-{i}": f"Mali {tag}" for i in range(3)}
'''
exec(SMALL_TABLES)

# In a child process, die (os._exit, as under kill -9) right before the n-th rename/link of write_dataset.
CRASH_SCRIPT = SMALL_TABLES + r'''
import os, sys
from pathlib import Path
import pipeline.export as ex

for arg in sys.argv[1:]:
    folder, n = arg.rsplit("=", 1)
    n = int(n)
    pid = os.fork()
    if pid == 0:
        calls = [0]
        def dying(fn):
            def wrapper(*a, **k):
                calls[0] += 1
                if calls[0] == n:
                    os._exit(137)  # as if killed right before this rename/link
                return fn(*a, **k)
            return wrapper
        os.replace, os.rename, os.symlink = dying(os.replace), dying(os.rename), dying(os.symlink)
        ex.write_dataset(Path(folder), *small_tables("new"))
        os._exit(0)
    os.waitpid(pid, 0)
'''


def _version_tag(folder: Path) -> set[str]:
    """Which version(s) `load` and the visible files show: {'old'}, {'new'}, or both if mixed."""
    t = pipeline.load(folder)
    tags = {d.split("-")[0] for d in t["documents"]["doc_id"]} | {m.split("-")[0] for m in t["mentions"]["doc_id"]}
    tags |= {e.split("-")[0] for e in t["errors"]["doc_id"]}
    return tags


def _visible_tags(folder: Path) -> set[str]:
    tags = set()
    for name in ("documents.csv", "mentions.csv", "errors.csv", "dataset.jsonl"):
        text = (folder / name).read_text(encoding="utf-8")
        tags |= set(re.findall(r"\b(old|new)-\d", text))
    tags = {t.split("-")[0] for t in tags}
    tags |= {p.stem.split("-")[0] for p in (folder / "clean").iterdir()}
    return tags


def _legacy(folder: Path) -> None:
    """Turn a dataset folder into the layout older pipelines wrote: real files at the top level."""
    base = dataset_folder(folder)
    for name in dataset_names():
        link = folder / name
        link.unlink()
        if (base / name).is_dir():
            shutil.copytree(base / name, link)
        else:
            shutil.copyfile(base / name, link)
    (folder / ".current").unlink()
    shutil.rmtree(folder / ".versions")


def test_a_crash_at_any_step_of_the_switch_never_shows_a_mix(tmp_path):
    from pipeline.export import write_dataset

    scenarios = {}
    for layout, points in (("links", range(1, 5)), ("legacy", (1, 2, 3, 4, 5, 18, 33, 34, 35, 36, 37))):
        for n in points:
            folder = tmp_path / f"{layout}-{n}"
            write_dataset(folder, *small_tables("old"))
            if layout == "legacy":
                _legacy(folder)
            scenarios[folder] = (layout, n, visible_digest(folder))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", CRASH_SCRIPT, *(f"{f}={n}" for f, (_, n, _) in scenarios.items())],
                   cwd=ROOT, env=env, check=True, timeout=120)
    seen = set()
    for folder, (layout, n, before) in scenarios.items():
        tags = _version_tag(folder)
        assert len(tags) == 1, (layout, n, tags)
        seen.add((layout, *tags))
        if tags == {"old"}:
            assert visible_digest(folder) == before, (layout, n)
        if layout == "links":
            assert _visible_tags(folder) == tags, (layout, n)
        # the next run cleans up after the killed one
        write_dataset(folder, *small_tables("new"))
        assert _version_tag(folder) == _visible_tags(folder) == {"new"}
        assert [p.name for p in folder.iterdir() if p.name.startswith((".staging", ".old", ".tmp"))] == []
        assert len(list((folder / ".versions").iterdir())) == 1
    assert {("links", "old"), ("links", "new"), ("legacy", "old"), ("legacy", "new")} <= seen


# --- the model stage ------------------------------------------------------------------


def test_text_longer_than_the_model_accepts_is_refused_with_a_reason(tmp_path, monkeypatch):
    class Short:
        max_length = 40

        def pipe(self, texts, n_process=1):
            return [f"doc:{t}" for t in texts]

    (tmp_path / "long.txt").write_text("Algeria and Tunisia signed a border accord in 2014 at Tebessa.")
    (tmp_path / "short.txt").write_text("Mali and Niger.")
    monkeypatch.setattr(extract, "process_nlp", Short)
    monkeypatch.setattr(extract, "analyse", lambda raw, cd, doc, meta, origin: doc)
    out = list(extract.process(sorted(tmp_path.glob("*.txt")), tmp_path, {}))
    assert out[1] == "doc:Mali and Niger."
    assert out[0].error.stage == "nlp"
    assert out[0].error.error.startswith("long.txt: ") and "exceeds the model's limit of 40; split the file" in out[0].error.error


def test_a_batch_failure_that_no_single_document_reproduces_loses_nothing():
    class Flaky:
        def pipe(self, texts, n_process=1):
            raise RuntimeError("worker died")

        def __call__(self, text):
            return text.upper()

    assert extract._run_model(Flaky(), ["a", "b"], ["a.txt", "b.txt"], 1) == ["A", "B"]


def test_two_workers_write_the_same_dataset_as_one(seed_run, tmp_path):
    """--workers 2 (a process pool of whole-document workers) must not change a byte."""
    out1, _, _ = seed_run
    out2 = tmp_path / "w2"
    run_extract(SEEDS, out2, workers=2, batch_size=2)
    for name in ("documents", "mentions", "entities", "dates", "quantities", "errors"):
        for ext in ("parquet", "csv"):
            assert (out1 / f"{name}.{ext}").read_bytes() == (out2 / f"{name}.{ext}").read_bytes(), f"{name}.{ext}"
    assert (out1 / "dataset.jsonl").read_bytes() == (out2 / "dataset.jsonl").read_bytes()
