import json, calendar
def P(text, kind, country, entity=None):
    return {"label":"PLACE","text":text,"kind":kind,"country":country,"entity":entity or text}
def G(text, kind, entity=None):
    return {"label":"GROUP","text":text,"kind":kind,"entity":entity or text}
def F(text, role, entity=None):
    return {"label":"FIGURE","text":text,"role":role,"entity":entity or text}
def D(text, value, start, end, gran, rel=False, mod=None):
    return {"label":"DATE","text":text,"value":value,"start":start,"end":end,"granularity":gran,"relative":rel,"modifier":mod}
def Y(text, y=None, rel=False, mod=None):
    y = y or text
    return D(text, str(y), f"{y}-01-01", f"{y}-12-31", "year", rel, mod)
def M(text, y, m, rel=False, mod=None):
    last = calendar.monthrange(y, m)[1]
    return D(text, f"{y}-{m:02d}", f"{y}-{m:02d}-01", f"{y}-{m:02d}-{last}", "month", rel, mod)
def DAY(text, iso, rel=False, mod=None):
    return D(text, iso, iso, iso, "day", rel, mod)
def R(text, s, e, gran="range", rel=False, mod=None):
    return D(text, f"{s}/{e}", s, e, gran, rel, mod)
def NULL(text, gran, mod=None):
    return D(text, None, None, None, gran, True, mod)
def Q(text, value, unit, item, approx, category, low=None, high=None):
    return {"label":"QUANTITY","text":text,"value":value,"low":low,"high":high,"unit":unit,"item":item,"approx":approx,"category":category}
def VAGUE(text, low, unit, item, category):
    return Q(text, None, unit, item, "approximately", category, low=low)
def RANGE(text, low, high, unit, item, approx, category):
    return Q(text, None, unit, item, approx, category, low=low, high=high)
def write(doc, rows):
    with open(doc + ".jsonl", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(doc, len(rows))
