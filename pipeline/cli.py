"""Command line: `python -m pipeline extract | score | gold …`.

Exit codes: 0 ok; 2 extract: every document failed; 3 input folder missing or
empty; 4 output folder not writable; 5 malformed gold file; 6 extract: some
documents failed (the others were written). Errors are one line, no traceback.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from . import goldset
from .errors import EXIT_ALL_FAILED, EXIT_GOLD, EXIT_INPUT, EXIT_SOME_FAILED, PipelineError

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
gold_app = typer.Typer(no_args_is_help=True, help="Work with the hand-labelled gold set.")
app.add_typer(gold_app, name="gold")


def _fail(message: str, code: int) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _guarded(fn, *args, **kwargs):
    """Call fn; a named error ends the command with its one-line message and exit code."""
    try:
        return fn(*args, **kwargs)
    except goldset.GoldError as e:
        _fail(str(e), EXIT_GOLD)
    except PipelineError as e:
        _fail(str(e), e.exit_code)


def validate_gold_files(gold_dir: Path) -> list[str]:
    """Structural problems of the gold files, one `file:line: problem` each (what would crash the readers)."""
    problems: list[str] = []
    for path in goldset.gold_files(gold_dir):
        try:
            data = path.read_bytes()
        except OSError as e:
            problems.append(f"{path}: cannot be read ({e.strerror or e})")
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            line = data[:e.start].count(b"\n") + 1
            problems.append(f"{path}:{line}: not valid UTF-8 (byte {e.start}); save it as UTF-8")
            continue
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path}:{n}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                problems.append(f"{where}: not valid JSON: {e.msg} (column {e.colno})")
                continue
            if not isinstance(row, dict):
                problems.append(f"{where}: expected a JSON object, got {type(row).__name__}")
                continue
            missing = [k for k in goldset.REQUIRED if k not in row]
            if missing:
                problems.append(f"{where}: missing field(s) {', '.join(missing)}")
                continue
            if row["doc_id"] != path.stem:
                problems.append(f"{where}: doc_id {row['doc_id']!r} does not match the file name {path.name}")
            for k in ("raw_start", "raw_end"):
                if not isinstance(row[k], int) or isinstance(row[k], bool) or row[k] < 0:
                    problems.append(f"{where}: {k} {row[k]!r} is not a non-negative integer")
            for k in ("text", "label"):
                if not isinstance(row[k], str):
                    problems.append(f"{where}: {k} {row[k]!r} is not a string")
    return problems


def _check_gold_files(gold_dir: Path) -> None:
    problems = validate_gold_files(gold_dir)
    for p in problems[:-1]:
        typer.echo(f"error: {p}", err=True)
    if problems:
        _fail(problems[-1], EXIT_GOLD)


@app.command()
def extract(
    input: Path = typer.Option(Path("seeds"), "--input", "-i", help="Folder of *.txt documents (searched recursively; hidden files and folders skipped)."),
    output: Path = typer.Option(Path("outputs"), "--output", "-o", help="Folder the dataset is written to."),
    metadata: Path = typer.Option(None, "--metadata", help="CSV/TSV sidecar: doc_id + url/title/author/publisher/published; overrides the text."),
    workers: int = typer.Option(1, "--workers", min=1, help="Processes for the spaCy model (output identical to 1)."),
    batch_size: int = typer.Option(16, "--batch-size", min=1, help="Documents per streaming batch."),
    max_bytes: int = typer.Option(20_000_000, "--max-bytes", min=1, help="Refuse files larger than this."),
    keep_intermediate: bool = typer.Option(True, "--keep-intermediate/--no-keep-intermediate", help="Write outputs/clean/<doc_id>.txt (what the NLP stage saw)."),
) -> None:
    """Turn a folder of reports into the dataset (documents, mentions, entities, dates, quantities, errors).

    A document that fails is recorded in `errors` and the run goes on; the previous
    dataset is replaced only when the new one is complete. Exit 0: all documents
    ok; 6: some failed; 2: all failed; 3: input unusable; 4: output unwritable.
    """
    from .extract import run_extract

    summary = _guarded(run_extract, input, output, metadata=metadata, batch_size=batch_size, workers=workers,
                       max_bytes=max_bytes, keep_clean=keep_intermediate, progress=sys.stderr.isatty())
    typer.echo(summary.line(), err=True)
    if summary.not_read:
        shown = ", ".join(summary.not_read[:10]) + (f" and {len(summary.not_read) - 10} more" if len(summary.not_read) > 10 else "")
        typer.echo(f"not read ({len(summary.not_read)} file(s) in {input} are not *.txt; convert them to text first): {shown}", err=True)
    if summary.n_failed:
        shown = summary.failures[:10]
        for f in shown:
            typer.echo(f"  failed [{f.stage}] {f.error}", err=True)
        more = f" ({summary.n_failed - len(shown)} more not shown)" if summary.n_failed > len(shown) else ""
        typer.echo(f"{summary.n_failed} of {summary.n_documents} document(s) failed{more}: see {output / 'errors.csv'}", err=True)
    if summary.n_failed == summary.n_documents:
        raise typer.Exit(EXIT_ALL_FAILED)
    if summary.n_failed:
        raise typer.Exit(EXIT_SOME_FAILED)


@gold_app.command("locate")
def gold_locate(
    annotations: Path = typer.Argument(..., help="Folder of one annotator's <doc_id>.jsonl files (rows in reading order)."),
    seeds: Path = typer.Option(Path("seeds"), help="Folder of the raw documents."),
    gold_dir: Path = typer.Option(Path("gold"), help="Gold folder holding scope.json."),
    show: bool = typer.Option(False, help="Print every located mention with its raw context."),
) -> None:
    """Anchor an annotator's mention lists to raw offsets (writes <doc_id>.located.jsonl beside them)."""
    scope = _guarded(goldset.load_scope, gold_dir)
    n_problems = 0
    for path in sorted(annotations.glob("*.jsonl")):
        if path.name.endswith(".located.jsonl"):
            continue
        doc_id = path.stem
        raw_path = seeds / f"{doc_id}.txt"
        if not raw_path.exists():
            typer.echo(f"{path}: no raw document {raw_path}", err=True)
            n_problems += 1
            continue
        raw = raw_path.read_text(encoding="utf-8")
        rows = _guarded(goldset.read_jsonl, path)
        located, problems = goldset.locate_annotations(raw, rows, goldset.excluded_regions(scope, doc_id), path)
        for p in problems:
            typer.echo(p, err=True)
        n_problems += len(problems)
        out = path.with_name(f"{doc_id}.located.jsonl")
        out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in located), encoding="utf-8")
        typer.echo(f"{doc_id}: {len(located)} located, {len(problems)} problems -> {out}")
        if show:
            for r in located:
                typer.echo(f"  {r['label']:8} {goldset.context(raw, r['raw_start'], r['raw_end'])}")
    if n_problems:
        raise typer.Exit(1)


@app.command()
def score(
    pred: Path = typer.Option(Path("outputs"), "--pred", help="Dataset folder written by extract."),
    gold: Path = typer.Option(Path("gold"), "--gold", help="Gold folder (gold/<doc_id>.jsonl)."),
    input: Path = typer.Option(Path("seeds"), "--input", help="The raw documents (for the stock-model baseline and the HTML views)."),
    report: Path = typer.Option(None, "--report", help="Report folder (default: <pred>/report)."),
    baseline: bool = typer.Option(True, "--baseline/--no-baseline", help="Also score the stock spaCy model."),
) -> None:
    """Precision/recall of the dataset against the gold set; writes score.md, score.json, errors.csv, docs/*.html."""
    from .evaluate import score as run_score

    report = report or pred / "report"
    _check_gold_files(gold)
    try:
        result = _guarded(run_score, pred, gold, input, report, baseline=baseline)
    except FileNotFoundError as e:
        _fail(str(e), EXIT_INPUT)
    for d, why in result.get("not_extracted", {}).items():
        typer.echo(f"warning: gold document {d}: {why}; its gold mentions count as missed", err=True)
    m = result["pipeline"]["mentions"]
    for lab, s in m["per_label"].items():
        st = s["strict"]
        typer.echo(f"{lab:9} strict P {st['precision']:.3f} R {st['recall']:.3f} F1 {st['f1']:.3f}  (gold {st['n_gold']}, pred {st['n_pred']})")
    o = m["overall"]["strict"]
    typer.echo(f"{'overall':9} strict P {o['precision']:.3f} R {o['recall']:.3f} F1 {o['f1']:.3f}")
    typer.echo(f"report: {report / 'score.md'}")


@gold_app.command("check")
def gold_check(
    gold_dir: Path = typer.Option(Path("gold"), "--gold", help="Gold folder."),
    seeds: Path = typer.Option(Path("seeds"), "--seeds", help="Folder of the raw documents."),
) -> None:
    """Validate every gold file (offsets, surface after cleaning, labels, attributes, entity ids); print counts."""
    _check_gold_files(gold_dir)
    problems, counts = _guarded(goldset.check, gold_dir, seeds)
    from .schema import LABELS

    typer.echo(f"{'document':28} " + " ".join(f"{lab:>8}" for lab in LABELS) + f" {'total':>7}")
    for doc_id, c in sorted(counts.items()):
        typer.echo(f"{doc_id:28} " + " ".join(f"{c.get(lab, 0):>8}" for lab in LABELS) + f" {sum(c.values()):>7}")
    total = sum(counts.values(), start=__import__("collections").Counter())
    typer.echo(f"{'all':28} " + " ".join(f"{total.get(lab, 0):>8}" for lab in LABELS) + f" {sum(total.values()):>7}")
    for p in problems:
        typer.echo(p, err=True)
    if problems:
        _fail(f"{len(problems)} problem(s) in the gold set", EXIT_GOLD)
    typer.echo("gold check: ok")


@gold_app.command("export")
def gold_export(
    output: Path = typer.Option(..., "--output", help="Folder to write the gold tables to."),
    gold_dir: Path = typer.Option(Path("gold"), "--gold", help="Gold folder."),
    seeds: Path = typer.Option(Path("seeds"), "--seeds", help="Folder of the raw documents."),
) -> None:
    """Write the gold as dataset tables (mentions, entities, dates, quantities) readable by pipeline.load."""
    _check_gold_files(gold_dir)
    _guarded(goldset.export, gold_dir, seeds, output)
    typer.echo(f"gold tables written to {output}")


@app.command()
def columns() -> None:
    """Print the column tables of every output table (derived from the schema)."""
    from .schema import columns_markdown

    typer.echo(columns_markdown())


@gold_app.command("agreement")
def gold_agreement(
    a: list[Path] = typer.Option(..., "--a", help="Annotator A's folders (located files)."),
    b: list[Path] = typer.Option(..., "--b", help="Annotator B's folders."),
    gold_dir: Path = typer.Option(Path("gold"), "--gold", help="Gold folder holding scope.json (double_annotated regions)."),
) -> None:
    """Inter-annotator span agreement per label over the double-annotated regions, and every disagreement."""
    import json as _json

    scope = goldset.load_scope(gold_dir)
    scores, diffs = goldset.agreement(goldset.read_located(a), goldset.read_located(b), scope)
    typer.echo(f"{'label':9} {'A':>5} {'B':>5} {'strict F1':>10} {'partial F1':>11}")
    for lab, sc in scores["per_label"].items():
        typer.echo(f"{lab:9} {sc['strict']['n_gold']:>5} {sc['strict']['n_pred']:>5} {sc['strict']['f1']:>10.3f} {sc['partial']['f1']:>11.3f}")
    o = scores["overall"]
    typer.echo(f"{'overall':9} {o['strict']['n_gold']:>5} {o['strict']['n_pred']:>5} {o['strict']['f1']:>10.3f} {o['partial']['f1']:>11.3f}")
    for d in diffs:
        typer.echo(_json.dumps(d, ensure_ascii=False))


def main() -> None:
    app(prog_name="python -m pipeline")
