"""Score predictions against the gold set.

Mentions are compared on *raw* offsets — both the gold and the pipeline anchor
every mention to the raw file — so the score does not depend on the cleaner.
Mention-level counts follow SemEval-2013 (nervaluate): strict = same span and
label; partial = overlapping span, same label, a boundary error counting half.
"""
from __future__ import annotations

import hashlib
import html
import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from nervaluate import Evaluator

from .ingest import document_path
from .schema import ENTITY_LABELS, LABELS


@dataclass
class Span:
    doc_id: str
    label: str
    start: int  # raw offsets, end exclusive
    end: int
    text: str = ""
    entity: str | None = None
    attrs: dict = field(default_factory=dict)
    sentence: str = ""

    @property
    def key(self) -> tuple:
        return (self.doc_id, self.label, self.start, self.end)


def _nerv(spans: list[Span]) -> list[dict]:
    # nervaluate's ends are inclusive
    return [{"label": s.label, "start": s.start, "end": s.end - 1} for s in spans]


def prf(correct: float, n_pred: int, n_gold: int) -> dict:
    p = correct / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = correct / n_gold if n_gold else (1.0 if not n_pred else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "n_gold": n_gold, "n_pred": n_pred}


def mention_scores(gold: dict[str, list[Span]], pred: dict[str, list[Span]], labels=LABELS) -> dict:
    """Per label and overall (micro, macro) strict and partial P/R/F1 via nervaluate."""
    docs = sorted(set(gold) | set(pred))
    true = [_nerv(sorted(gold.get(d, []), key=lambda s: (s.start, s.end))) for d in docs]
    predicted = [_nerv(sorted(pred.get(d, []), key=lambda s: (s.start, s.end))) for d in docs]
    res = Evaluator(true, predicted, tags=list(labels)).evaluate()
    out: dict = {"per_label": {}, "overall": {}}
    for mode in ("strict", "partial"):
        for label in labels:
            if label in res["entities"]:
                r = res["entities"][label][mode]
                row = {"precision": r.precision, "recall": r.recall, "f1": r.f1, "n_gold": r.possible, "n_pred": r.actual,
                       "correct": r.correct, "partial": r.partial}
            else:  # nervaluate omits labels absent from both sides
                n_gold = sum(1 for d in true for s in d if s["label"] == label)
                n_pred = sum(1 for d in predicted for s in d if s["label"] == label)
                row = {**prf(0, n_pred, n_gold), "correct": 0, "partial": 0}
            out["per_label"].setdefault(label, {})[mode] = row
        o = res["overall"][mode]
        out["overall"][mode] = {"precision": o.precision, "recall": o.recall, "f1": o.f1, "n_gold": o.possible,
                                "n_pred": o.actual, "correct": o.correct, "partial": o.partial}
        f1s = [out["per_label"][lab][mode]["f1"] for lab in labels]
        out["overall"][f"{mode}_macro_f1"] = sum(f1s) / len(f1s)
    return out


def _same_number(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)


def value_scores(gold: dict[str, list[Span]], pred: dict[str, list[Span]]) -> tuple[dict, list[tuple[Span, Span]]]:
    """Normalisation accuracy over strictly matched DATE and QUANTITY mentions."""
    pmap = {s.key: s for ss in pred.values() for s in ss}
    out, wrong = {}, []
    date_fields = ("value", "start", "end")
    qty_fields = ("value", "low", "high", "unit", "approx", "category")
    for label, fields in (("DATE", date_fields), ("QUANTITY", qty_fields)):
        n, all_ok = 0, 0
        per_field = Counter()
        value_unit = 0
        for ss in gold.values():
            for g in ss:
                if g.label != label or g.key not in pmap:
                    continue
                p = pmap[g.key]
                n += 1
                ok_fields = {}
                for f in fields:
                    gv, pv = g.attrs.get(f), p.attrs.get(f)
                    ok = _same_number(gv, pv) if f in ("low", "high") or (label == "QUANTITY" and f == "value") else gv == pv
                    ok_fields[f] = ok
                    per_field[f] += ok
                if label == "QUANTITY":
                    value_unit += all(ok_fields[f] for f in ("value", "low", "high", "unit"))
                if label == "DATE":
                    good = all(ok_fields.values())
                else:
                    good = all(ok_fields[f] for f in ("value", "low", "high", "unit"))
                all_ok += good
                if not all(ok_fields.values()):
                    wrong.append((g, p))
        out[label] = {"matched": n, "accuracy": all_ok / n if n else None,
                      "per_field": {f: per_field[f] / n if n else None for f in fields}}
        if label == "QUANTITY":
            out[label]["value_unit_accuracy"] = value_unit / n if n else None
    return out, wrong


def bcubed(gold: dict[str, list[Span]], pred: dict[str, list[Span]]) -> dict:
    """B-cubed precision/recall of entity clusters over strictly matched PLACE/GROUP/FIGURE mentions."""
    pmap = {s.key: s for ss in pred.values() for s in ss}
    items = []
    for ss in gold.values():
        for g in ss:
            if g.label in ENTITY_LABELS and g.key in pmap and g.entity and pmap[g.key].entity:
                items.append((g.entity, pmap[g.key].entity))
    if not items:
        return {"precision": None, "recall": None, "f1": None, "n": 0}
    by_gold, by_pred = defaultdict(list), defaultdict(list)
    for i, (ge, pe) in enumerate(items):
        by_gold[ge].append(i)
        by_pred[pe].append(i)
    p_sum = r_sum = 0.0
    for ge, pe in items:
        same_pred = by_pred[pe]
        same_gold = by_gold[ge]
        both = sum(1 for j in same_pred if items[j][0] == ge)
        p_sum += both / len(same_pred)
        r_sum += both / len(same_gold)
    p, r = p_sum / len(items), r_sum / len(items)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "n": len(items)}


def entity_set_scores(gold: dict[str, list[Span]], pred: dict[str, list[Span]]) -> dict:
    """Document-level entity sets: a predicted entity is right in a document when one of its
    mentions there strictly matches a mention of a gold entity of that document."""
    pmap = {s.key: s for ss in pred.values() for s in ss}
    tp = n_gold = n_pred = 0
    for doc in sorted(set(gold) | set(pred)):
        g_ents = {g.entity for g in gold.get(doc, []) if g.label in ENTITY_LABELS and g.entity}
        p_ents = {p.entity for p in pred.get(doc, []) if p.label in ENTITY_LABELS and p.entity}
        pairs = {(g.entity, pmap[g.key].entity) for g in gold.get(doc, [])
                 if g.label in ENTITY_LABELS and g.key in pmap and g.entity and pmap[g.key].entity}
        found_gold = {ge for ge, _ in pairs}
        found_pred = {pe for _, pe in pairs}
        tp += len(found_gold)
        n_gold += len(g_ents)
        n_pred += len(p_ents) - len(found_pred) + len(found_gold)  # merged/split predictions counted once
    return prf(tp, n_pred, n_gold)


def error_rows(gold: dict[str, list[Span]], pred: dict[str, list[Span]], wrong_values: list[tuple[Span, Span]]) -> list[dict]:
    """Every FP, FN, boundary error, label error and wrong value, biggest classes first."""
    rows = []
    for doc in sorted(set(gold) | set(pred)):
        gs, ps = gold.get(doc, []), pred.get(doc, [])
        pkeys = {p.key for p in ps}
        gkeys = {g.key for g in gs}
        for g in gs:
            if g.key in pkeys:
                continue
            over = [p for p in ps if p.start < g.end and p.end > g.start]
            same_label = [p for p in over if p.label == g.label]
            if same_label:
                p = same_label[0]
                rows.append(_row("boundary", g, p))
            elif over:
                rows.append(_row("label", g, over[0]))
            else:
                rows.append(_row("missed", g, None))
        for p in ps:
            if p.key in gkeys:
                continue
            if not any(g.start < p.end and g.end > p.start for g in gs):
                rows.append(_row("spurious", None, p))
    for g, p in wrong_values:
        rows.append(_row("wrong_value", g, p))
    sizes = Counter((r["error"], r["label"]) for r in rows)
    rows.sort(key=lambda r: (-sizes[(r["error"], r["label"])], r["error"], r["label"], r["doc_id"], r["raw_start"]))
    return rows


def _row(kind: str, g: Span | None, p: Span | None) -> dict:
    ref = g or p
    return {
        "error": kind, "label": ref.label, "doc_id": ref.doc_id, "raw_start": ref.start, "raw_end": ref.end,
        "gold_text": g.text if g else "", "pred_text": p.text if p else "",
        "pred_label": p.label if p else "", "pred_raw_start": p.start if p else "", "pred_raw_end": p.end if p else "",
        "gold_value": json.dumps(g.attrs, default=str, sort_keys=True) if g and g.attrs else "",
        "pred_value": json.dumps(p.attrs, default=str, sort_keys=True) if p and p.attrs else "",
        "pred_source": p.attrs.get("source", "") if p else "",
        "sentence": (g.sentence if g and g.sentence else (p.sentence if p else "")),
    }


def per_document(gold: dict[str, list[Span]], pred: dict[str, list[Span]]) -> dict[str, dict]:
    out = {}
    for doc in sorted(set(gold) | set(pred)):
        s = mention_scores({doc: gold.get(doc, [])}, {doc: pred.get(doc, [])})
        out[doc] = {"strict": s["overall"]["strict"], "partial": s["overall"]["partial"],
                    "per_label_strict_f1": {lab: s["per_label"][lab]["strict"]["f1"] for lab in LABELS}}
    return out


def render_html(doc_id: str, raw: str, gold: list[Span], pred: list[Span]) -> str:
    """displaCy rendering of the raw text: gold above, prediction below, errors marked."""
    from spacy import displacy

    gkeys = {s.key for s in gold}
    pkeys = {s.key for s in pred}

    def ents(spans, keys_other):
        return [{"start": s.start, "end": s.end, "label": s.label if s.key in keys_other else f"{s.label} ✗"}
                for s in sorted(spans, key=lambda s: (s.start, s.end))]

    colors = {"PLACE": "#9fd3c7", "GROUP": "#f6c177", "FIGURE": "#c5a3ff", "DATE": "#a3c4f3", "QUANTITY": "#f7a8b8"}
    colors.update({f"{k} ✗": "#ff4d4d" for k in list(colors)})
    opts = {"colors": colors}
    g_html = displacy.render({"text": raw, "ents": ents(gold, pkeys), "title": "gold"}, style="ent", manual=True, options=opts, page=False)
    p_html = displacy.render({"text": raw, "ents": ents(pred, gkeys), "title": "predicted"}, style="ent", manual=True, options=opts, page=False)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(doc_id)}</title></head><body>"
            f"<h1>{html.escape(doc_id)}</h1><p>Red labels (✗): gold mentions the pipeline missed or mis-spanned (top), "
            f"predictions not in the gold (bottom). Text shown is the raw file.</p>"
            f"<div style='display:flex;flex-direction:column;gap:2em'>{g_html}<hr>{p_html}</div></body></html>")


def _fmt(x) -> str:
    return "–" if x is None else f"{x:.3f}"


def write_report(folder: Path, result: dict, errors: list[dict]) -> None:
    import csv

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "score.json").write_text(json.dumps(result, indent=1, sort_keys=True, default=str), encoding="utf-8")
    cols = ["error", "label", "doc_id", "raw_start", "raw_end", "gold_text", "pred_text", "pred_label",
            "pred_raw_start", "pred_raw_end", "gold_value", "pred_value", "pred_source", "sentence"]
    with (folder / "errors.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        w.writerows(errors)
    (folder / "score.md").write_text(markdown(result, errors), encoding="utf-8")


def _sample_note(result: dict) -> str:
    """Whether the figures are in-sample: the rules were developed while looking at some documents."""
    dev, n = result.get("in_sample_docs", []), result["n_docs"]
    if n and len(dev) == n:
        return "In-sample: the rules were developed while looking at these documents; expect lower figures on unseen text."
    if dev:
        return (f"Mixed: {len(dev)} of {n} documents were used to develop the rules ({', '.join(dev)}); "
                "the figures mix in-sample and unseen text.")
    return "None of these documents is one the rules were developed on (pipeline/development_docs.json)."


def markdown(result: dict, errors: list[dict]) -> str:
    lines = ["# Extraction scores", "",
             f"Gold: {result['gold_dir']} ({result['n_docs']} documents). "
             f"{_sample_note(result)}",
             *(["", "**Gold documents without a result** (all their gold mentions count as missed):", ""]
               + [f"- `{d}`: {why}" for d, why in result["not_extracted"].items()] if result.get("not_extracted") else []),
             "", "## Mentions (strict: same span and label; partial: overlap, same label)", "",
             "| label | gold | pipeline P | R | F1 | partial F1 | stock spaCy P | R | F1 | lift (F1) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    pipe, base = result["pipeline"]["mentions"], result.get("baseline", {}).get("mentions")
    for lab in list(LABELS):
        s, pa = pipe["per_label"][lab]["strict"], pipe["per_label"][lab]["partial"]
        b = base["per_label"][lab]["strict"] if base else None
        lines.append(f"| {lab} | {s['n_gold']} | {_fmt(s['precision'])} | {_fmt(s['recall'])} | **{_fmt(s['f1'])}** | {_fmt(pa['f1'])} | "
                     f"{_fmt(b['precision']) if b else '–'} | {_fmt(b['recall']) if b else '–'} | {_fmt(b['f1']) if b else '–'} | "
                     f"{('+' if s['f1'] - b['f1'] >= 0 else '') + format(s['f1'] - b['f1'], '.3f') if b else '–'} |")
    for mode in ("strict", "partial"):
        o = pipe["overall"][mode]
        bo = base["overall"][mode] if base else None
        lines.append(f"| overall {mode} (micro) | {o['n_gold']} | {_fmt(o['precision'])} | {_fmt(o['recall'])} | **{_fmt(o['f1'])}** | | "
                     f"{_fmt(bo['precision']) if bo else '–'} | {_fmt(bo['recall']) if bo else '–'} | {_fmt(bo['f1']) if bo else '–'} | |")
        lines.append(f"| overall {mode} (macro F1) | | | | {_fmt(pipe['overall'][mode + '_macro_f1'])} | | | | "
                     f"{_fmt(base['overall'][mode + '_macro_f1']) if base else '–'} | |")
    v = result["pipeline"]["values"]
    lines += ["", "## Normalisation (over strictly matched mentions)", "",
              f"- DATE: {v['DATE']['matched']} matched; value+start+end all right: **{_fmt(v['DATE']['accuracy'])}** "
              f"(value {_fmt(v['DATE']['per_field']['value'])}, start {_fmt(v['DATE']['per_field']['start'])}, end {_fmt(v['DATE']['per_field']['end'])})",
              f"- QUANTITY: {v['QUANTITY']['matched']} matched; value+unit (value, low, high, unit) right: **{_fmt(v['QUANTITY']['value_unit_accuracy'])}**; "
              + ", ".join(f"{k} {_fmt(x)}" for k, x in v["QUANTITY"]["per_field"].items()),
              "", "## Entity resolution", "",
              f"- B-cubed over matched PLACE/GROUP/FIGURE mentions ({result['pipeline']['bcubed']['n']}): "
              f"P {_fmt(result['pipeline']['bcubed']['precision'])}, R {_fmt(result['pipeline']['bcubed']['recall'])}, **F1 {_fmt(result['pipeline']['bcubed']['f1'])}**",
              f"- document-level entity sets: P {_fmt(result['pipeline']['entity_sets']['precision'])}, R {_fmt(result['pipeline']['entity_sets']['recall'])}, "
              f"F1 {_fmt(result['pipeline']['entity_sets']['f1'])}",
              "", "## Per document (strict, all labels)", "", "| document | gold | pred | P | R | F1 | PLACE | GROUP | FIGURE | DATE | QUANTITY |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for doc, s in result["pipeline"]["per_document"].items():
        st = s["strict"]
        lines.append(f"| {doc} | {st['n_gold']} | {st['n_pred']} | {_fmt(st['precision'])} | {_fmt(st['recall'])} | {_fmt(st['f1'])} | "
                     + " | ".join(_fmt(s["per_label_strict_f1"][lab]) for lab in LABELS) + " |")
    classes = Counter((e["error"], e["label"]) for e in errors)
    lines += ["", "## Biggest error classes", "", "| error | label | count | examples |", "|---|---|---:|---|"]
    for (kind, lab), n in classes.most_common(12):
        ex = [e for e in errors if e["error"] == kind and e["label"] == lab][:3]
        shown = "; ".join(f"`{e['gold_text'] or e['pred_text']}`" + (f" → `{e['pred_text']}`" if e['gold_text'] and e['pred_text'] and e['gold_text'] != e['pred_text'] else "") for e in ex)
        lines.append(f"| {kind} | {lab} | {n} | {shown} |")
    lines += ["", "Every error is listed in `errors.csv`; `docs/<doc_id>.html` shows gold and prediction one above the other.", ""]
    return "\n".join(lines)


# --- loading and the `score` command ---------------------------------------------

BASELINE_MAP = {"GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE", "ORG": "GROUP", "PERSON": "FIGURE", "DATE": "DATE",
                "CARDINAL": "QUANTITY", "MONEY": "QUANTITY", "PERCENT": "QUANTITY", "QUANTITY": "QUANTITY"}


def _context(raw: str, start: int, end: int, width: int = 100) -> str:
    return " ".join(raw[max(0, start - width):min(len(raw), end + width)].split())


def gold_spans(gold_dir: Path) -> dict[str, list[Span]]:
    from .goldset import load_gold

    out: dict[str, list[Span]] = {}
    for doc_id, rows in load_gold(gold_dir).items():
        out[doc_id] = [Span(doc_id, r["label"], r["raw_start"], r["raw_end"], r["text"], r.get("entity"),
                            {k: r.get(k) for k in ("value", "start", "end", "granularity", "low", "high", "unit", "item", "approx", "category") if k in r})
                       for r in rows]
    return out


def pred_spans(pred_dir: Path, doc_ids: set[str] | None = None, tables: dict | None = None) -> dict[str, list[Span]]:
    from .export import load

    t = tables if tables is not None else load(pred_dir)
    if "mentions" not in t:
        raise FileNotFoundError(f"{pred_dir}: no mentions table (run `make extract` first)")
    dates = {r.mention_id: r for r in t["dates"].itertuples()}
    qty = {r.mention_id: r for r in t["quantities"].itertuples()}

    import pandas as pd

    def none(x):
        return None if x is None or (not isinstance(x, (list, tuple)) and pd.isna(x)) else x

    def iso(x):
        x = none(x)
        return None if x is None else x.date().isoformat()

    def num(x):
        x = none(x)
        return None if x is None else float(x)

    out: dict[str, list[Span]] = defaultdict(list)
    for m in t["mentions"].itertuples():
        if doc_ids is not None and m.doc_id not in doc_ids:
            continue
        attrs = {"source": m.source}
        if m.mention_id in dates:
            d = dates[m.mention_id]
            attrs.update(value=none(d.value), start=iso(d.start_date), end=iso(d.end_date), granularity=none(d.granularity))
        if m.mention_id in qty:
            q = qty[m.mention_id]
            attrs.update(value=num(q.value), low=num(q.low), high=num(q.high), unit=none(q.unit), item=none(q.item), approx=none(q.approx),
                         category=none(q.category))
        entity = m.entity_id if isinstance(m.entity_id, str) else None
        out[m.doc_id].append(Span(m.doc_id, m.label, int(m.raw_start), int(m.raw_end), m.text, entity, attrs, m.sentence))
    return dict(out)


def baseline_spans(input_dir: Path, doc_ids: list[str]) -> dict[str, list[Span]]:
    """The stock model on the same cleaned text, its labels mapped to the five."""
    from .clean import clean
    from .ingest import read_document
    from .nlp import build_nlp

    nlp = build_nlp(rules=False)
    out: dict[str, list[Span]] = {}
    for doc_id in doc_ids:
        path = document_path(input_dir, doc_id) or input_dir / f"{doc_id}.txt"
        raw = read_document(path, input_dir)
        cd = clean(raw.text)
        doc = nlp(cd.text)
        spans = []
        for e in doc.ents:
            label = BASELINE_MAP.get(e.label_)
            if label:
                rs, re_ = cd.to_raw(e.start_char, e.end_char)
                spans.append(Span(doc_id, label, rs, re_, e.text, f"{label}:{e.text}", {"source": f"stock:{e.label_}"}))
        out[doc_id] = spans
    return out


DEVELOPMENT_DOCS = Path(__file__).resolve().parent / "development_docs.json"


def development_hashes(path: Path = DEVELOPMENT_DOCS) -> set[str]:
    """sha256 of the raw documents the rules were developed on (pipeline/development_docs.json)."""
    return set(json.loads(path.read_text(encoding="utf-8"))["documents"].values())


def in_sample_docs(input_dir: Path, doc_ids: list[str]) -> list[str]:
    """The gold documents whose raw bytes are development documents: their scores are in-sample,
    whatever the file is called now."""
    dev = development_hashes()
    out = []
    for d in doc_ids:
        path = document_path(input_dir, d)
        if path is not None and hashlib.sha256(path.read_bytes()).hexdigest() in dev:
            out.append(d)
    return out


def not_extracted(pred_dir: Path, doc_ids: list[str], tables: dict | None = None) -> dict[str, str]:
    """Gold documents the dataset has no result for, with why: every gold mention in them
    counts as missed, which the report must say rather than let it pass for low recall."""
    from .export import load

    docs = (tables if tables is not None else load(pred_dir)).get("documents")
    status = {} if docs is None else {r.doc_id: (r.status, r.error) for r in docs.itertuples()}
    out = {}
    for d in doc_ids:
        if d not in status:
            out[d] = "not in the dataset (not extracted)"
        elif status[d][0] != "ok":
            out[d] = f"extraction failed: {status[d][1]}"
    return out


def score(pred_dir: Path, gold_dir: Path, input_dir: Path, report_dir: Path, baseline: bool = True) -> dict:
    gold = gold_spans(gold_dir)
    doc_ids = sorted(gold)
    paths = {d: document_path(input_dir, d) for d in doc_ids}
    raw_texts = {d: p.read_text(encoding="utf-8") for d, p in paths.items() if p is not None}
    for d, spans in gold.items():
        for s in spans:
            s.sentence = _context(raw_texts.get(d, ""), s.start, s.end)
    from .export import load

    tables = load(pred_dir)
    pred = pred_spans(pred_dir, set(doc_ids), tables)
    values, wrong = value_scores(gold, pred)
    result = {
        "gold_dir": str(gold_dir), "n_docs": len(doc_ids), "in_sample_docs": in_sample_docs(input_dir, doc_ids),
        "not_extracted": not_extracted(pred_dir, doc_ids, tables),
        "pipeline": {"mentions": mention_scores(gold, pred), "values": values, "bcubed": bcubed(gold, pred),
                     "entity_sets": entity_set_scores(gold, pred), "per_document": per_document(gold, pred)},
    }
    if baseline:
        base = baseline_spans(input_dir, doc_ids)
        result["baseline"] = {"mentions": mention_scores(gold, base), "per_document": per_document(gold, base)}
    errors = error_rows(gold, pred, wrong)
    write_report(report_dir, result, errors)
    docs_dir = report_dir / "docs"
    docs_dir.mkdir(parents=True, exist_ok=True)
    for d in doc_ids:
        if d in raw_texts:
            (docs_dir / f"{d}.html").write_text(render_html(d, raw_texts[d], gold.get(d, []), pred.get(d, [])), encoding="utf-8")
    return result
