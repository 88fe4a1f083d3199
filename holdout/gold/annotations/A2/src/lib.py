import json, calendar
ROWS = []
def P(text, kind, country, entity=None):
    ROWS.append({"label": "PLACE", "text": text, "kind": kind, "country": country, "entity": entity or text})
def G(text, kind, entity=None):
    ROWS.append({"label": "GROUP", "text": text, "kind": kind, "entity": entity or text})
def F(text, role, entity=None):
    ROWS.append({"label": "FIGURE", "text": text, "role": role, "entity": entity or text})
def _d(text, value, start, end, gran, rel, mod):
    ROWS.append({"label": "DATE", "text": text, "value": value, "start": start, "end": end,
                 "granularity": gran, "relative": rel, "modifier": mod})
def Y(text, y, rel=False, mod=None):
    _d(text, str(y), f"{y}-01-01", f"{y}-12-31", "year", rel, mod)
def M(text, y, m, rel=False, mod=None):
    last = calendar.monthrange(y, m)[1]
    _d(text, f"{y}-{m:02d}", f"{y}-{m:02d}-01", f"{y}-{m:02d}-{last:02d}", "month", rel, mod)
def DAY(text, y, m, d, rel=False, mod=None):
    v = f"{y}-{m:02d}-{d:02d}"
    _d(text, v, v, v, "day", rel, mod)
def IV(text, s, e, gran, rel=False, mod=None):
    _d(text, f"{s}/{e}", s, e, gran, rel, mod)
def NULLD(text, gran, mod=None):
    _d(text, None, None, None, gran, True, mod)
def Q(text, value, unit, item, approx, cat, low=None, high=None):
    ROWS.append({"label": "QUANTITY", "text": text, "value": value, "low": low, "high": high,
                 "unit": unit, "item": item, "approx": approx, "category": cat})
def write(path):
    with open(path, "w", encoding="utf-8") as f:
        for r in ROWS:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(path, len(ROWS))
