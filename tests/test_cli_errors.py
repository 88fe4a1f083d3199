"""CLI errors that help: one line naming the problem, a distinct exit code, never a traceback."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from conftest import GOLD, ROOT, SEEDS
from pipeline import extract
from pipeline.cli import app
from pipeline.errors import EXIT_ALL_FAILED, EXIT_GOLD, EXIT_INPUT, EXIT_OUTPUT, EXIT_SOME_FAILED

runner = CliRunner()


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def one_error_line(result) -> str:
    lines = [x for x in result.stderr.splitlines() if x.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0][len("error: "):]


@pytest.fixture
def no_model(monkeypatch):
    """Errors about the folders must come before any document is read or the model is loaded."""
    def refuse(*a, **k):
        raise AssertionError("the model was loaded although the run could not succeed")

    monkeypatch.setattr(extract, "process_nlp", refuse)
    monkeypatch.setattr(extract, "build_nlp", refuse)


# --- extract: input and output folders ----------------------------------------------


def test_missing_input_folder(tmp_path, no_model):
    r = invoke("extract", "--input", tmp_path / "nope", "--output", tmp_path / "out")
    assert r.exit_code == EXIT_INPUT == 3
    assert one_error_line(r) == f"{tmp_path / 'nope'}: input folder does not exist"
    assert not (tmp_path / "out").exists()


def test_input_is_a_file(tmp_path, no_model):
    (tmp_path / "a.txt").write_text("x")
    r = invoke("extract", "--input", tmp_path / "a.txt", "--output", tmp_path / "out")
    assert r.exit_code == EXIT_INPUT and one_error_line(r).endswith("is not a folder")


def test_empty_input_folder(tmp_path, no_model):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.md").write_text("not a .txt")
    r = invoke("extract", "--input", tmp_path / "in", "--output", tmp_path / "out")
    assert r.exit_code == EXIT_INPUT and one_error_line(r) == f"{tmp_path / 'in'}: no *.txt files to process"


def test_output_inside_a_file(tmp_path, no_model):
    (tmp_path / "file").write_text("x")
    r = invoke("extract", "--input", SEEDS, "--output", tmp_path / "file" / "out")
    assert r.exit_code == EXIT_OUTPUT == 4
    assert one_error_line(r).startswith(f"{tmp_path / 'file' / 'out'}: cannot create the output folder (")


def test_output_is_a_file(tmp_path, no_model):
    (tmp_path / "out").write_text("x")
    r = invoke("extract", "--input", SEEDS, "--output", tmp_path / "out")
    assert r.exit_code == EXIT_OUTPUT and one_error_line(r) == f"{tmp_path / 'out'}: exists and is not a folder"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can write anywhere")
def test_read_only_output_folder(tmp_path, no_model):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o500)
    try:
        r = invoke("extract", "--input", SEEDS, "--output", out)
    finally:
        out.chmod(0o700)
    assert r.exit_code == EXIT_OUTPUT and "cannot write the output folder" in one_error_line(r)


def test_output_folder_in_use_by_another_run(tmp_path, no_model):
    fcntl = pytest.importorskip("fcntl")
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        r = invoke("extract", "--input", SEEDS, "--output", out)
    assert r.exit_code == EXIT_OUTPUT and "another run is writing to this folder" in one_error_line(r)


def test_output_is_the_input_folder(tmp_path, no_model):
    (tmp_path / "a.txt").write_text("Mali.")
    r = invoke("extract", "--input", tmp_path, "--output", tmp_path)
    assert r.exit_code == EXIT_INPUT and "also the output folder" in one_error_line(r)


def test_bad_metadata_file(tmp_path, no_model):
    meta = tmp_path / "meta.csv"
    meta.write_text("doc_id,published\n004_46608a76e80a700b,24/01/2019\n")
    r = invoke("extract", "--input", SEEDS, "--output", tmp_path / "out", "--metadata", meta)
    assert r.exit_code == EXIT_INPUT
    assert one_error_line(r) == f"{meta}:2: published '24/01/2019' is not an ISO date (YYYY-MM-DD)"


# --- extract: documents that fail ----------------------------------------------------


def test_every_document_failed_exits_2_and_still_writes_the_errors(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    (src / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    r = invoke("extract", "--input", src, "--output", tmp_path / "out")
    assert r.exit_code == EXIT_ALL_FAILED == 2
    assert "2 documents (0 ok, 2 failed)" in r.stderr
    assert "failed [ingest] empty.txt: empty file (0 bytes)" in r.stderr
    assert "failed [ingest] photo.txt: is a PNG image, not a text document" in r.stderr
    assert (tmp_path / "out" / "errors.csv").read_text().count("\n") == 3


def test_some_documents_failed_exits_6_and_writes_the_others(tmp_path):
    import pipeline

    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("The Algerian army deployed 5,000 soldiers near Tamanrasset in March 2019.\n")
    (src / "empty.txt").write_bytes(b"")
    r = invoke("extract", "--input", src, "--output", tmp_path / "out")
    assert r.exit_code == EXIT_SOME_FAILED == 6
    assert "2 documents (1 ok, 1 failed)" in r.stderr and "1 of 2 document(s) failed" in r.stderr
    t = pipeline.load(tmp_path / "out")
    assert dict(zip(t["documents"]["doc_id"], t["documents"]["status"])) == {"empty": "error", "good": "ok"}
    assert len(t["mentions"]) >= 2


def test_success_exits_0(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("Mali and Niger signed the accord in Bamako in 2015.\n")
    r = invoke("extract", "--input", src, "--output", tmp_path / "out")
    assert r.exit_code == 0 and "1 documents (1 ok, 0 failed)" in r.stderr
    assert "not read" not in r.stderr


def test_files_that_are_not_text_are_reported_and_the_run_goes_on(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "GOOD.TXT").write_text("Mali and Niger signed the accord in Bamako in 2015.\n")
    (src / "report.pdf").write_bytes(b"%PDF-1.7 ...")
    r = invoke("extract", "--input", src, "--output", tmp_path / "out")
    assert r.exit_code == 0 and "1 documents (1 ok, 0 failed)" in r.stderr
    assert "not read (1 file(s)" in r.stderr and "report.pdf" in r.stderr and "convert them to text first" in r.stderr


# --- malformed gold files ---------------------------------------------------------------


@pytest.fixture
def gold(tmp_path):
    """A copy of the gold folder to break."""
    g = tmp_path / "gold"
    g.mkdir()
    shutil.copy(GOLD / "scope.json", g / "scope.json")
    for p in sorted(GOLD.glob("*.jsonl"))[:2]:
        shutil.copy(p, g / p.name)
    return g


def _break(path, line_no: int, new_line: str | bytes) -> None:
    lines = path.read_bytes().split(b"\n")
    lines[line_no - 1] = new_line if isinstance(new_line, bytes) else new_line.encode("utf-8")
    path.write_bytes(b"\n".join(lines))


def _first_gold(gold):
    return sorted(gold.glob("*.jsonl"))[0]


@pytest.mark.parametrize("line, problem", [
    ('{"doc_id": "X", "label": "PLACE"', "not valid JSON: Expecting ',' delimiter (column 33)"),
    ('["a", "list"]', "expected a JSON object, got list"),
    ('{"doc_id": "@", "label": "PLACE", "text": "Mali"}', "missing field(s) raw_start, raw_end"),
    ('{"doc_id": "@", "label": "PLACE", "text": "Mali", "raw_start": "12", "raw_end": 16}', "raw_start '12' is not a non-negative integer"),
    ('{"doc_id": "@", "label": "PLACE", "text": "Mali", "raw_start": 12, "raw_end": null}', "raw_end None is not a non-negative integer"),
    ('{"doc_id": "someone-else", "label": "PLACE", "text": "Mali", "raw_start": 1, "raw_end": 5}', "doc_id 'someone-else' does not match the file name"),
])
@pytest.mark.parametrize("command", ["check", "score"])
def test_malformed_gold_line_is_named(gold, tmp_path, line, problem, command):
    path = _first_gold(gold)
    _break(path, 3, line.replace("@", path.stem))
    if command == "check":
        r = invoke("gold", "check", "--gold", gold, "--seeds", SEEDS)
    else:
        r = invoke("score", "--gold", gold, "--pred", tmp_path / "no-pred", "--input", SEEDS, "--no-baseline")
    assert r.exit_code == EXIT_GOLD == 5
    assert one_error_line(r).startswith(f"{path}:3: {problem}")


def test_gold_file_that_is_not_utf8(gold):
    path = _first_gold(gold)
    _break(path, 2, '{"doc_id": "x", "text": "Tébessa"}'.encode("cp1252"))
    r = invoke("gold", "check", "--gold", gold, "--seeds", SEEDS)
    assert r.exit_code == EXIT_GOLD
    assert one_error_line(r).startswith(f"{path}:2: not valid UTF-8 (byte ")


def test_malformed_scope_file(gold):
    (gold / "scope.json").write_text('{"excluded": {\n  "a": [1, 2,]\n}}\n')
    r = invoke("gold", "check", "--gold", gold, "--seeds", SEEDS)
    assert r.exit_code == EXIT_GOLD
    assert one_error_line(r).startswith(f"{gold / 'scope.json'}:2: not valid JSON")


def test_every_structural_problem_is_listed_one_per_line(gold):
    a, b = sorted(gold.glob("*.jsonl"))
    _break(a, 1, "{oops")
    _break(b, 4, '{"doc_id": "%s"}' % b.stem)
    r = invoke("gold", "check", "--gold", gold, "--seeds", SEEDS)
    assert r.exit_code == EXIT_GOLD
    lines = r.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"error: {a}:1: not valid JSON") and lines[1].startswith(f"error: {b}:4: missing field(s)")


def test_no_gold_files(tmp_path):
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "scope.json").write_text("{}")
    r = invoke("gold", "check", "--gold", tmp_path / "gold", "--seeds", SEEDS)
    assert r.exit_code == EXIT_GOLD and one_error_line(r) == f"{tmp_path / 'gold'}: no gold files (*.jsonl)"


def test_score_without_a_dataset(gold, tmp_path):
    r = invoke("score", "--gold", gold, "--pred", tmp_path / "nothing", "--input", SEEDS, "--no-baseline")
    assert r.exit_code == EXIT_INPUT
    assert "no dataset here" in one_error_line(r)


def test_semantic_gold_problems_are_file_line_lines(gold):
    path = _first_gold(gold)
    row = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    row["raw_end"] = row["raw_start"] + 10**7
    _break(path, 1, json.dumps(row, ensure_ascii=False))
    r = invoke("gold", "check", "--gold", gold, "--seeds", SEEDS)
    assert r.exit_code == EXIT_GOLD
    lines = r.stderr.splitlines()
    assert lines[0].startswith(f"{path}:1: raw offsets ") and "out of range" in lines[0]
    assert lines[-1] == "error: 1 problem(s) in the gold set"


# --- the real command line: no traceback reaches the terminal --------------------------


def test_python_dash_m_pipeline_prints_one_line_and_no_traceback(tmp_path, gold):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    path = _first_gold(gold)
    _break(path, 2, '{"doc_id": ')
    for args, code, expected in (
        (["extract", "--input", str(tmp_path / "missing"), "--output", str(tmp_path / "out")], EXIT_INPUT,
         f"error: {tmp_path / 'missing'}: input folder does not exist"),
        (["gold", "check", "--gold", str(gold), "--seeds", str(SEEDS)], EXIT_GOLD,
         f"error: {path}:2: not valid JSON: Expecting value (column 12)"),
    ):
        p = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=120)
        assert p.returncode == code, p.stderr
        assert p.stderr.strip() == expected and p.stdout == ""
