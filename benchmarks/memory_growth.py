"""Memory growth of everything after the model, at corpus sizes the real benchmark cannot reach.

    .venv/bin/python benchmarks/memory_growth.py [--docs 250,1000,4000] [--code DIR]

The seeds are processed once for real (`pipeline.extract.process`); then, in a fresh
process per size, `run_extract` runs over N documents with `process` replaced by a
generator that yields renamed copies of those results (unique doc_id and mention_id).
So the model is not loaded and not run: what is measured is what the project keeps
and writes per document — the accumulated rows, resolution, the writers — which is
what must not grow with the corpus. Prints peak RSS above the process's starting
point, and bytes per document between sizes.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import pickle
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARK = "MEM_RESULT "


def _hwm_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _renamed(r, old: str, new: str):
    """A copy of one DocResult under another doc_id (every id that embeds it)."""
    def mid(x: str) -> str:
        return new + x[len(old):] if x.startswith(old + ":") else x

    out = dataclasses.replace(r)
    out.document = r.document.model_copy(update={"doc_id": new, "source_path": new + ".txt"})
    out.mentions = [m.model_copy(update={"doc_id": new, "mention_id": mid(m.mention_id)}) for m in r.mentions]
    out.dates = [d.model_copy(update={"doc_id": new, "mention_id": mid(d.mention_id)}) for d in r.dates]
    out.quantities = [q.model_copy(update={"doc_id": new, "mention_id": mid(q.mention_id)}) for q in r.quantities]
    out.entity_mentions = [dataclasses.replace(e, doc_id=new, mention_id=mid(e.mention_id)) for e in r.entity_mentions]
    if r.error is not None:
        out.error = r.error.model_copy(update={"doc_id": new})
    return out


def child(pickle_path: Path, n_docs: int, workdir: Path) -> dict:
    import pipeline.extract as ex

    templates = pickle.loads(pickle_path.read_bytes())
    corpus = workdir / "in"
    corpus.mkdir()
    for k in range(n_docs):
        (corpus / f"c{k:06d}_{templates[k % len(templates)].document.doc_id}.txt").write_text("x\n")

    def fake_process(paths, root, sidecar, **kw):
        for k, p in enumerate(paths):
            new = ex.doc_id_for(p, root)
            t = templates[int(new[1:7]) % len(templates)]
            yield _renamed(t, t.document.doc_id, new)

    ex.process = fake_process
    start_rss = _rss_kb()
    t0 = time.perf_counter()
    ex.run_extract(corpus, workdir / "out")
    seconds = time.perf_counter() - t0
    return {"docs": n_docs, "start_rss_kb": start_rss, "peak_kb": _hwm_kb(), "seconds": seconds}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", default="250,1000,4000")
    ap.add_argument("--code", type=Path, default=None)
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args()
    code = (a.code or Path(os.environ.get("BENCH_CODE", ROOT))).resolve()
    sys.path.insert(0, str(code))
    if a.child:
        print(MARK + json.dumps(child(a.child, a.n, a.workdir)), flush=True)
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="sahel-mem-"))
    try:
        from pipeline.extract import list_inputs, process

        seeds = ROOT / "seeds"
        results = list(process(list_inputs(seeds), seeds, {}))
        pk = tmp / "templates.pickle"
        pk.write_bytes(pickle.dumps(results))
        print(f"templates: {len(results)} seed results, {sum(len(r.mentions) for r in results)} mentions")
        rows = []
        for n in [int(x) for x in a.docs.split(",")]:
            wd = tmp / f"n{n}"
            wd.mkdir()
            env = {**os.environ, "PYTHONPATH": str(code), "BENCH_CODE": str(code)}
            p = subprocess.run([sys.executable, __file__, "--child", str(pk), "--n", str(n), "--workdir", str(wd)],
                               capture_output=True, text=True, env=env, cwd=code)
            line = [ln for ln in p.stdout.splitlines() if ln.startswith(MARK)]
            if p.returncode or not line:
                sys.stderr.write(p.stderr[-4000:])
                raise SystemExit(f"child for {n} failed")
            r = json.loads(line[-1][len(MARK):])
            r["growth_mb"] = (r["peak_kb"] - r["start_rss_kb"]) / 1024
            rows.append(r)
            shutil.rmtree(wd, ignore_errors=True)
            print(f"{n:>6} docs: peak {r['peak_kb'] / 1024:7.0f} MB, above start {r['growth_mb']:7.1f} MB, "
                  f"{r['seconds']:6.1f} s ({1000 * r['seconds'] / n:.1f} ms/doc)", flush=True)
        print("\n| documents | peak RSS MB | above start MB | kB per document | seconds | ms/doc |\n|---:|---:|---:|---:|---:|---:|")
        for r in rows:
            print(f"| {r['docs']} | {r['peak_kb'] / 1024:.0f} | {r['growth_mb']:.1f} | "
                  f"{1024 * r['growth_mb'] / r['docs']:.0f} | {r['seconds']:.1f} | {1000 * r['seconds'] / r['docs']:.1f} |")
        if len(rows) >= 2:
            a0, b0 = rows[0], rows[-1]
            slope = (b0["peak_kb"] - a0["peak_kb"]) / (b0["docs"] - a0["docs"])
            print(f"\nmarginal growth {a0['docs']} -> {b0['docs']} documents: {slope:.0f} kB per document")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
