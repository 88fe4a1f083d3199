import json
SEEDS = "/work/main/holdout/seeds/"
def region(t, start_str, end_str, why, occ=1, after=0):
    s = after
    for _ in range(occ):
        s = t.index(start_str, s) + (0 if _ == occ - 1 else 1)
    e = t.index(end_str, s) + len(end_str)
    return {"raw_start": s, "raw_end": e, "why": why, "head": t[s:s+30], "tail": t[max(s, e-30):e]}
def load(d): return open(SEEDS + d + ".txt", encoding="utf-8").read()
ex = {}
d = "h05_algeria_tunisia_border_paper"; t = load(d)
ex[d] = [
 region(t, "Nadia Ferchichi", "October 2023", "cover author line, affiliation and date (byline: document metadata)"),
 region(t, "CMSS Policy Paper No. 17", "CMSS Policy Paper No. 17", "running head", occ=1),
 region(t, "\n2\n\nBetween the Mountain", "the Algeria-Tunisia Frontier", "page number and running head at page break"),
 region(t, "\n3\n\nCMSS Policy Paper", "CMSS Policy Paper No. 17", "page number and running head at page break"),
 region(t, "\n4\n", "\n4", "page number"),
]
# fix page-number regions to start at the digit (skip the leading newline)
for r in ex[d][2:]:
    r["raw_start"] += 1
    r["head"] = t[r["raw_start"]:r["raw_start"]+30]
    r["tail"] = t[max(r["raw_start"], r["raw_end"]-30):r["raw_end"]]
d = "h06_burkina_attack_web"; t = load(d)
ex[d] = [
 region(t, "Skip to main content", "\nBURKINA FASO", "site navigation, cookie banner, breadcrumb and section label"),
 region(t, "By Aminata", "Email | Copy link", "byline, publication date line, reading time and share buttons"),
 region(t, "OUAGADOUGOU — ", "OUAGADOUGOU — ", "dateline"),
 region(t, "**Read more:**", "-five-years-20240526)", "teaser link (\"Read more\")"),
 region(t, "(https://www.hrw.org/)", "(https://www.hrw.org/)", "link URL"),
 region(t, "RELATED\n", "alliance-of-sahel-states-aes)", "\"RELATED\" teaser block"),
 region(t, "No group had claimed", "request for comment.", "scraped duplicate of the paragraph \"No group had claimed ... request for comment.\" (first occurrence kept)", occ=2),
 region(t, "(https://www.nrc.no/)", "(https://www.nrc.no/)", "link URL"),
 region(t, "Topics: [Burkina Faso]", "All rights reserved.", "topic tags, share buttons, newsletter box, \"MOST READ\" teasers, site footer"),
]
d = "h07_mauritania_refugees_sitrep"; t = load(d)
ex[d] = [
 region(t, "Report date: 17 July 2024", "inter-agency coordination cell", "report date and \"Prepared by\" lines (dateline/byline: document metadata)"),
 region(t, "Contact: Coordination cell", "Inter-Agency Coordination Officer", "contact block (author/contact box)"),
]
d = "h08_fezzan_oped"; t = load(d)
ex[d] = [
 region(t, "OPINION | LIBYA", "OPINION | LIBYA", "section label"),
 region(t, "By Karim Mansouri", "By Karim Mansouri", "byline"),
 region(t, "Karim Mansouri is a researcher", "are his own.", "author box (bio)"),
]
for d, rs in ex.items():
    t = load(d)
    for r in rs:
        assert t[r["raw_start"]:r["raw_start"]+30] == r["head"] and t[max(r["raw_start"], r["raw_end"]-30):r["raw_end"]] == r["tail"]
        print(d, r["raw_start"], r["raw_end"], repr(t[r["raw_start"]:r["raw_end"]][:60]), '...', repr(t[r["raw_end"]-40:r["raw_end"]]))
out = {"_doc": "Raw-text regions of held-out documents h05-h08 that the guidelines put out of scope (decisions 1-3: navigation, cookie banner, breadcrumb and section labels, bylines and date lines, dateline, author box, link URLs, share buttons, teaser blocks, newsletter box, footer, scraped duplicate passage, running heads and page numbers). Offsets are character offsets into the raw file decoded as UTF-8; head/tail are the first/last 30 characters of each region. Nothing inside a region is annotated. Lines set entirely in capitals are not annotated (decision 3) but are not listed here, as in the earlier held-out scope.",
       "excluded": ex, "double_annotated": {}}
json.dump(out, open("/work/main/holdout/gold/annotations/A2/scope.json", "w", encoding="utf-8"), ensure_ascii=False, indent=1)
