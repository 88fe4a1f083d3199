"""Assemble gold/<doc_id>.jsonl from the annotators' located files and the adjudication log.

Reproducible: `python gold/assemble.py` rebuilds the gold from
gold/annotations/A-*/ (the primary annotation) and gold/annotations/adjudication.jsonl
(every decision taken after comparing with the second annotator, or after
re-reading the text). Nothing here reads pipeline output.

The held-out gold is built the same way:
`python gold/assemble.py --gold holdout/gold --seeds holdout/seeds --primary A,A2`.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

GOLD = Path(__file__).resolve().parent
PRIMARY = ["A-000a", "A-000b", "A-001", "A-rest"]
KEEP = ("doc_id", "label", "text", "raw_start", "raw_end", "entity", "kind", "country", "role", "value", "start", "end",
        "granularity", "relative", "modifier", "low", "high", "unit", "item", "approx", "category")


def _match(row: dict, m: dict) -> bool:
    return all(row.get(k) == v for k, v in m.items())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=GOLD, help="gold folder (annotations/ inside; <doc_id>.jsonl written here)")
    ap.add_argument("--seeds", type=Path, default=GOLD.parent / "seeds", help="the raw documents")
    ap.add_argument("--primary", default=",".join(PRIMARY), help="primary annotators' folders under annotations/, comma-separated")
    a = ap.parse_args(argv)
    gold, seeds = a.gold.resolve(), a.seeds.resolve()
    docs: dict[str, list[dict]] = {}
    for folder in a.primary.split(","):
        for path in sorted((gold / "annotations" / folder).glob("*.located.jsonl")):
            doc_id = path.name.split(".")[0]
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    r = json.loads(line)
                    r["doc_id"] = doc_id
                    docs.setdefault(doc_id, []).append(r)
    log_path = gold / "annotations" / "adjudication.jsonl"
    log = [json.loads(x) for x in log_path.read_text(encoding="utf-8").splitlines() if x.strip()] if log_path.exists() else []
    for a in log:
        targets = docs if a["doc_id"] == "*" else {a["doc_id"]: docs[a["doc_id"]]}
        hits = 0
        for doc_id, rows in targets.items():
            if a["action"] == "rename_entity":
                for r in rows:
                    if r.get("entity") == a["from"]:
                        r["entity"] = a["to"]
                        hits += 1
                continue
            if a["action"] == "add":
                continue
            for i, r in enumerate(list(rows)):
                if not _match(r, a["match"]):
                    continue
                hits += 1
                if a["action"] == "set":
                    r.update(a["set"])
                elif a["action"] == "delete":
                    rows.remove(r)
                elif a["action"] == "replace":
                    # locate each replacement inside the replaced raw span
                    new = []
                    cursor = r["raw_start"]
                    raw = (seeds / f"{doc_id}.txt").read_text(encoding="utf-8")
                    sys.path.insert(0, str(GOLD.parent))
                    from pipeline.goldset import surface_pattern

                    for w in a["with"]:
                        m = surface_pattern(w["text"]).search(raw, cursor)
                        if m is None or m.start() >= r["raw_end"]:
                            print(f"replacement {w['text']!r} not found in {doc_id}", file=sys.stderr)
                            return 1
                        new.append({**w, "doc_id": doc_id, "raw_start": m.start(), "raw_end": m.end()})
                        cursor = m.end()
                    idx = rows.index(r)
                    rows[idx:idx + 1] = new
                elif a["action"] == "add":
                    pass
        if a["action"] == "add":
            docs[a["doc_id"]].append(a["row"])
            hits = 1
        if hits == 0:
            print(f"adjudication did not apply: {a}", file=sys.stderr)
            return 1
    for doc_id, rows in sorted(docs.items()):
        rows.sort(key=lambda r: (r["raw_start"], r["raw_end"]))
        out = gold / f"{doc_id}.jsonl"
        out.write_text("".join(json.dumps({k: r[k] for k in KEEP if k in r}, ensure_ascii=False) + "\n" for r in rows),
                       encoding="utf-8")
        print(f"{out.name}: {len(rows)} mentions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
