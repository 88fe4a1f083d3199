"""Where the time goes: a stage-by-stage breakdown of `run_extract` (issue 7).

    .venv/bin/python benchmarks/profile_stages.py [--size 10] [--cprofile out.pstats] [--code DIR]

1. `run_extract` over an N× corpus with timing wrappers around the functions
   `pipeline.extract` calls (read, clean, model, analyse -> dates / quantities /
   sentences, resolution, writing, nlp build). Wall-clock, no profiler overhead.
2. The spaCy pipeline component by component over the same cleaned texts, each
   component applied to the whole (materialised) batch in turn, so the stock
   components (the floor) and the project's rulers + `sahel_entities` are
   separated.
3. With --cprofile, a cProfile of the whole run (the top project functions by
   own time are printed; open the file with snakeviz/pstats for the rest).

A diagnostic, not a test; prints markdown tables.
"""
from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = Path(os.environ.get("BENCH_CODE", ROOT)).resolve()


def _corpus(seeds: Path, copies: int, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for r in range(copies):
        for s in sorted(seeds.glob("*.txt")):
            t = folder / f"c{r:03d}_{s.stem}{s.suffix}"
            if not t.exists():
                shutil.copyfile(s, t)
    return folder


def stage_breakdown(corpus: Path, out: Path, workers: int) -> tuple[dict, float, int]:
    import pipeline.extract as ex

    acc: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)

    def wrap(mod, name, label):
        real = getattr(mod, name, None)
        if real is None:  # a stage this version of the code does not have
            return

        def timed(*a, **k):
            t = time.process_time()  # CPU time of this process: other load on the machine does not count
            try:
                return real(*a, **k)
            finally:
                acc[label] += time.process_time() - t
                calls[label] += 1

        setattr(mod, name, timed)

    for name, label in [("build_nlp", "build_nlp (one-time)"), ("read_document", "read_document"), ("clean", "clean"),
                        ("_run_model", "spaCy nlp.pipe (model + rulers + sahel_entities)"), ("process_batch", "  (process_batch: all per-document work together)"), ("analyse", "analyse (total)"),
                        ("extract_dates", "  analyse: dates"), ("find_quantities", "  analyse: quantities"),
                        ("_Sentences", "  analyse: sentence index"), ("_mention", "  analyse: mention rows"),
                        ("resolve", "resolve"), ("write_dataset", "write_dataset"), ("_merge_meta", "merge meta")]:
        wrap(ex, name, label)
    if hasattr(ex, "DatasetWriter"):  # the streaming writer (proposed): rows written per document, then finish
        wrap(ex.DatasetWriter, "add", "DatasetWriter.add (streamed writing)")
        wrap(ex.DatasetWriter, "finish", "DatasetWriter.finish (mentions pass, commit)")
    gc_time = {"t": 0.0, "t0": 0.0, "n": 0}

    def on_gc(phase, info):  # the cyclic GC's share (it grows with the live objects a run keeps)
        if phase == "start":
            gc_time["t0"] = time.process_time()
        else:
            gc_time["t"] += time.process_time() - gc_time["t0"]
            gc_time["n"] += 1

    gc.callbacks.append(on_gc)
    t0 = time.process_time()
    summary = ex.run_extract(corpus, out, workers=workers)
    total = time.process_time() - t0
    gc.callbacks.remove(on_gc)
    acc["(other: rows, model_copy, load_kb …)"] = total - sum(v for k, v in acc.items() if not k.startswith("  "))
    acc[f"  of all the above: cyclic GC ({gc_time['n']} collections)"] = gc_time["t"]
    return dict(acc), total, summary.n_documents


def component_breakdown(corpus: Path, batch_size: int = 16) -> tuple[list[tuple[str, float]], int, float]:
    from pipeline.clean import clean
    from pipeline.ingest import read_document
    from pipeline.nlp import build_nlp

    texts = [clean(read_document(p, corpus).text).text for p in sorted(corpus.rglob("*.txt"))]
    t = time.perf_counter()
    nlp = build_nlp()
    build = time.perf_counter() - t
    rows = []
    n_tokens = 0
    totals: dict[str, float] = defaultdict(float)
    for i in range(0, len(texts), batch_size):
        chunk = texts[i:i + batch_size]
        t = time.process_time()
        docs = [nlp.make_doc(x) for x in chunk]
        totals["tokenizer"] += time.process_time() - t
        for name, proc in nlp.pipeline:
            t = time.process_time()
            if hasattr(proc, "pipe"):
                docs = list(proc.pipe(docs, batch_size=batch_size))
            else:
                docs = [proc(d) for d in docs]
            totals[name] += time.process_time() - t
        n_tokens += sum(len(d) for d in docs)
    rows = list(totals.items())
    return rows, n_tokens, build


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=10)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    ap.add_argument("--code", type=Path, default=None, help="checkout to measure (default: this one)")
    ap.add_argument("--cprofile", type=Path, default=None, help="also write a cProfile of run_extract here")
    ap.add_argument("--skip-components", action="store_true")
    a = ap.parse_args()
    code = (a.code or CODE).resolve()
    sys.path.insert(0, str(code))
    os.chdir(code)
    tmp = Path(tempfile.mkdtemp(prefix="sahel-prof-"))
    try:
        corpus = _corpus(a.seeds.resolve(), a.size, tmp / f"x{a.size}")
        acc, total, n_docs = stage_breakdown(corpus, tmp / "out", a.workers)
        print(f"## run_extract stages (CPU seconds), {a.size}× corpus ({n_docs} documents), workers={a.workers}, total {total:.1f} s\n")
        print("| stage | seconds | share | ms/doc |\n|---|---:|---:|---:|")
        for k, v in acc.items():
            print(f"| {k} | {v:.2f} | {v / total:.0%} | {1000 * v / n_docs:.0f} |")
        if not a.skip_components:
            # the lru_cache of build_nlp makes the second build free; clear it for an honest number
            import pipeline.nlp as nlpmod

            nlpmod.build_nlp.cache_clear()
            rows, n_tokens, build = component_breakdown(corpus)
            ctotal = sum(v for _, v in rows)
            print(f"\n## spaCy components (CPU seconds), materialised batches of 16 ({n_tokens:,} tokens; build_nlp {build:.1f} s)\n")
            print("| component | seconds | share | tokens/s alone |\n|---|---:|---:|---:|")
            for k, v in rows:
                print(f"| {k} | {v:.2f} | {v / ctotal:.0%} | {n_tokens / v:,.0f} |")
            print(f"| **all** | {ctotal:.2f} | 100% | {n_tokens / ctotal:,.0f} |")
        if a.cprofile:
            import cProfile
            import pstats

            import pipeline.extract as ex

            pr = cProfile.Profile()
            pr.enable()
            ex.run_extract(corpus, tmp / "out2", workers=a.workers)
            pr.disable()
            pr.dump_stats(a.cprofile)
            st = pstats.Stats(pr)
            rows = [(v[2], v[3], k) for k, v in st.stats.items() if "pipeline/" in k[0]]  # tottime, cumtime
            rows.sort(reverse=True)
            print(f"\n## cProfile: project functions by own time (profile in {a.cprofile})\n")
            print("| own s | cum s | function |\n|---:|---:|---|")
            for tt, ct, (f, line, fn) in rows[:25]:
                print(f"| {tt:.2f} | {ct:.2f} | {Path(f).parent.name}/{Path(f).name}:{line} {fn} |")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
