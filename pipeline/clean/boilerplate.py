"""Paragraph classification: article text vs page furniture (jusText in spirit).

Features per paragraph: length, stop-word density, link density (share of
characters that were link anchor text), terminal punctuation, whether it is a
heading, a date line, a byline, a known boilerplate phrase.

A *good* paragraph is prose: >= 140 characters with >= 20% stop words (or
>= 300 characters ending a sentence, for languages the stop list lacks).
Decisions, in order:
1. known phrases (`knowledge/boilerplate_phrases.txt`): the block goes; a
   *section* phrase ("RECOMMENDED", "Related articles") takes the following
   non-prose blocks with it; an *author box* phrase takes what follows up to
   the next heading. Short link-dense blocks (>= 50% anchor text) go.
2. exact and near duplicates (`dedup`).
3. position: the *header* is what precedes the first good paragraph. Its
   title is the first markdown H1 or title-like line (3-30 words); short
   blocks before the title (edition selectors, site clocks) go; after it,
   date lines and bylines go to metadata, and when such furniture is present
   short labels (<= 3 words, no sentence end: "Brief Analysis") go too. The
   *tail* is what follows the last good paragraph: only sentences stay there,
   and text-like blocks (list items) before the last of them (footer menus,
   teaser names and dates go). Between the two everything
   stays unless step 1 or 2 removed it.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional

from .dedup import find_duplicates
from .lexicon import boilerplate_phrases, stopwords
from .metadata import RE_BY, parse_byline, parse_copyright, parse_date_line
from .segment import RE_WORD, Para, merge_paragraphs

GOOD_CHARS = 140
GOOD_STOP = 0.20
GOOD_CHARS_NO_STOP = 300
LINK_DENSE = 0.5
LABEL_WORDS = 3
TITLE_WORDS = (3, 30)

RE_NORM = re.compile(r"[^\w\s'’&]+")
RE_SENTENCE_END = re.compile(r"[.!?…][\"”’)\]]*$")
# "Home > World > Africa": short items joined by breadcrumb separators
RE_BREADCRUMB = re.compile(r"^[^\W\d_][^>›»\n]{0,40}(?:\s[>›»]\s[^>›»\n]{1,40}){1,8}$")
# "Home | Africa | Politics", "Search · Subscribe · Sign in", "Accept all | Reject all": a menu
RE_MENU_SPLIT = re.compile(r"\s+[|·•]\s+")
MENU_ITEM_WORDS = 4
# consent banners: long enough to pass as prose, but never article text
RE_CONSENT = re.compile(r"\bcookies?\b.*\b(?:accept|consent|privacy|preferences|agree)|"
                        r"\b(?:accept|consent|privacy|preferences|agree)\b.*\bcookies?\b", re.IGNORECASE | re.DOTALL)
CONSENT_WORDS = 80
# "Share:", "Read more:", "Also read:", "Tags:", "Related:" — a labelled line of page furniture
RE_LABEL_LINE = re.compile(r"^(?:share(?: this(?: article| story| page)?)?|follow us(?: on)?|tags?|topics?|read more|"
                           r"read also|also read|related(?: articles| stories| content)?|see also|more on this|"
                           r"most read|recommended|prepared by|compiled by|contacts?|for more information)\s*:", re.IGNORECASE)
LABEL_LINE_WORDS = 40
# wire credits closing a story: "(Reporting by A in B; Editing by C)"
RE_CREDITS = re.compile(r"^\(?\s*(?:additional )?(?:reporting|writing|editing|compiled|written|research|graphics) by\b[^()]*\)?\s*$",
                        re.IGNORECASE)
CREDITS_WORDS = 80
# a wire slug: "NIGERIA-SECURITY/LAKECHAD (UPDATE 2)", "MALI-POLITICS/"
RE_SLUG = re.compile(r"^[A-Z0-9][A-Z0-9\-]*(?:/[A-Z0-9\-]*)+(?:\s*\((?:UPDATE|URGENT|CORRECTED|REFILE)[^)]*\))?$|"
                     r"^[A-Z0-9][A-Z0-9\-/ ]+\((?:UPDATE|URGENT|CORRECTED|REFILE)[^)]*\)$")
RE_READ_TIME = re.compile(r"^\d{1,3}\s*(?:-|–)?\s*min(?:ute)?s?\.?\s+read$", re.IGNORECASE)


@dataclass
class Features:
    n_chars: int
    n_words: int
    stop: float
    link: float
    good: bool
    prose: bool
    terminal: bool
    date: Optional[tuple[dt.date, str]]
    phrase: Optional[str]
    byline: bool  # starts like "By ..."
    breadcrumb: bool
    furniture: Optional[str] = None


def is_menu(text: str) -> bool:
    """Three or more short items joined by | · • (a site menu, a consent or share bar);
    not a table row of numbers."""
    items = [x.strip(" []") for x in RE_MENU_SPLIT.split(text.strip())]
    if len(items) < 3 or any(not x for x in items):
        return False
    return all(len(RE_WORD.findall(x)) <= MENU_ITEM_WORDS and not RE_SENTENCE_END.search(x)
               and not any(ch.isdigit() for ch in x) for x in items[1:]) and len(RE_WORD.findall(items[0])) <= 6


def furniture_kind(text: str, n_words: int) -> Optional[str]:
    """Page furniture recognised by its form, whatever the site: consent banners, menus,
    labelled share/teaser lines, reading times."""
    if n_words <= CONSENT_WORDS and RE_CONSENT.search(text):
        return "consent"
    if is_menu(text):
        return "menu"
    if n_words <= LABEL_LINE_WORDS and RE_LABEL_LINE.match(text):
        return "label-line"
    if RE_READ_TIME.match(text.strip()):
        return "read-time"
    if n_words <= CREDITS_WORDS and RE_CREDITS.match(text.strip()):
        return "credits"
    if RE_SLUG.match(text.strip()):
        return "slug"
    return None


def phrase_kind(text: str) -> Optional[str]:
    norm = " ".join(RE_NORM.sub(" ", text.lower()).split())
    if not norm:
        return None
    phrases = boilerplate_phrases()
    kind = phrases.get(norm)
    if kind is not None:
        return kind
    words = norm.split()
    for k in range(2, min(len(words), 6) + 1):
        if phrases.get(" ".join(words[:k])) == "block" and len(words) <= k + 4:
            return "block"
    if len(words) <= 25:
        for phrase, kind in phrases.items():
            if kind == "contains" and phrase in norm:
                return "contains"
    return None


def features(p: Para) -> Features:
    text = p.text
    words = RE_WORD.findall(text)
    n_words = len(words)
    sw = stopwords()
    stop = sum(1 for w in words if w.lower() in sw) / n_words if n_words else 0.0
    nonspace = sum(1 for c in text if not c.isspace())
    linked = sum(1 for c, f in zip(text, p.mt.link) if f and not c.isspace())
    link = linked / nonspace if nonspace else 0.0
    terminal = RE_SENTENCE_END.search(text) is not None
    good = (len(text) >= GOOD_CHARS and stop >= GOOD_STOP) or (len(text) >= GOOD_CHARS_NO_STOP and terminal)
    prose = good or (terminal and n_words >= 4 and stop >= 0.1)
    furniture = furniture_kind(text, n_words)
    if furniture is not None:
        good = prose = False  # a consent banner is long and full of stop words, and still not article text
    return Features(len(text), n_words, stop, link, good, prose, terminal, parse_date_line(text),
                    phrase_kind(text), RE_BY.match(text) is not None,
                    n_words <= 12 and RE_BREADCRUMB.match(text.replace("[", "").replace("]", "")) is not None, furniture)


def _is_heading(p: Para) -> bool:
    return p.heading > 0 or p.caps


def _title_candidate(p: Para, f: Features) -> bool:
    lo, hi = TITLE_WORDS
    return (lo <= f.n_words <= hi and f.date is None and not f.byline and f.link < LINK_DENSE
            and f.n_chars <= 250 and not (f.terminal and f.n_words >= 15 and p.text.endswith(".")))


def _fallback_title(paras: list[Para]) -> Optional[str]:
    """No title-like line heads the text: the first all-caps heading of 4+ real words
    in the first half (a PDF's title block), else the first markdown H1."""
    half = paras[: max(1, (len(paras) + 1) // 2)]
    for p in half:
        if p.caps and sum(1 for w in RE_WORD.findall(p.text) if len(w) >= 3 and w.isalpha()) >= 4:
            return p.text
    for p in paras:
        if p.heading == 1:
            return p.text
    return None


@dataclass
class Meta:
    title: Optional[str] = None
    authors: tuple[str, ...] = ()
    publisher: Optional[str] = None
    published: Optional[dt.date] = None


def _one_round(paras: list[Para], meta: Meta) -> dict[int, str]:
    """Index -> reason for the paragraphs this round drops; fills unset fields of `meta`."""
    n = len(paras)
    feats = [features(p) for p in paras]
    drop: dict[int, str] = {}

    # copyright lines name the publisher
    for i, p in enumerate(paras):
        if feats[i].n_chars <= 200:
            pub = parse_copyright(p.text)
            if pub:
                meta.publisher = meta.publisher or pub
                drop[i] = "metadata:copyright"

    # 1. known phrases, sections, author boxes, breadcrumbs, link lists
    i = 0
    while i < n:
        f = feats[i]
        if i in drop:
            i += 1
            continue
        if f.phrase in ("block", "contains"):
            drop[i] = "boilerplate:phrase"
        elif f.furniture is not None and f.date is None:
            drop[i] = f"boilerplate:{f.furniture}"
        elif f.breadcrumb:
            drop[i] = "boilerplate:breadcrumb"
        elif f.phrase == "section":
            drop[i] = "boilerplate:section"
            j = i + 1
            while j < n and not feats[j].good:
                drop.setdefault(j, "boilerplate:section")
                j += 1
            i = j
            continue
        elif f.phrase == "box":
            drop[i] = "boilerplate:author-box"
            j = i + 1
            while j < n and j - i <= 3 and not _is_heading(paras[j]):
                drop.setdefault(j, "boilerplate:author-box")
                j += 1
            i = j
            continue
        elif f.link >= LINK_DENSE and not f.good and not f.byline:
            drop[i] = "boilerplate:links"
        i += 1

    # 2. duplicates
    alive = [k for k in range(n) if k not in drop]
    for k, why in find_duplicates([paras[a].text for a in alive]).items():
        drop[alive[k]] = why

    # 3. position
    alive = [k for k in range(n) if k not in drop]
    goods = [k for k in alive if feats[k].good]
    if not goods:
        if meta.title is None:
            for k in alive[:3]:
                f = feats[k]
                if _title_candidate(paras[k], f) and not f.terminal and f.n_words <= 20:
                    meta.title = paras[k].text
                    break
        return drop
    first, last = goods[0], goods[-1]
    head = [k for k in alive if k < first]
    h1 = [k for k in head if paras[k].heading == 1 and _title_candidate(paras[k], feats[k])]
    cands = h1 or [k for k in head if _title_candidate(paras[k], feats[k])]
    if cands:
        title_i = cands[0]
        if meta.title is None:
            meta.title = paras[title_i].text
        for k in head:
            if k < title_i and (feats[k].n_words < TITLE_WORDS[0] or feats[k].date is not None):
                drop[k] = "boilerplate:header"
        gap = [k for k in head if k > title_i]
        furniture = any(title_i < k < first for k in drop)
    else:
        title_i = None
        gap = head
        furniture = any(k < first for k in drop)
    # a standfirst often sits between the title and the byline: date lines and bylines up to
    # the second prose paragraph are still the header's
    second = goods[1] if len(goods) > 1 else first
    zone = gap + [k for k in alive if first < k < second and not feats[k].good]
    dates: list[tuple[int, dt.date, str]] = []
    for k in zone:
        if feats[k].date is not None:
            d, kind = feats[k].date
            dates.append((k, d, kind))
            drop[k] = "metadata:date"
    authors: list[str] = []
    for k in zone:
        if k in drop or paras[k].heading or paras[k].caps:
            continue
        near = any(0 <= k + d < n and feats[k + d].date is not None for d in (-1, 1))
        by = parse_byline(paras[k].text, near)
        if by is None:
            continue
        names, outlet, when = by
        authors.extend(a for a in names if a not in authors)
        if outlet and not meta.publisher:
            meta.publisher = outlet
        if when is not None:
            dates.append((k, when, "published"))
        drop[k] = "metadata:byline"
    if furniture or dates or authors:
        for k in gap:
            f = feats[k]
            if k not in drop and f.n_words <= LABEL_WORDS and not f.terminal and f.n_chars <= 40:
                drop[k] = "boilerplate:label"
    if authors and not meta.authors:
        meta.authors = tuple(authors)
    published = [(k, d) for k, d, kind in dates if kind == "published"] or [(k, d) for k, d, _ in dates]
    if published and meta.published is None:
        published.sort()
        meta.published = published[0][1] if title_i is not None else published[-1][1]
    tail = [k for k in alive if k > last and k not in drop]
    last_prose = max((k for k in tail if feats[k].prose), default=last)
    for k in tail:
        f = feats[k]
        # text-like blocks (a list) before the tail's last sentence stay; menus, names, dates go
        if not f.prose and not (k < last_prose and f.n_words >= 4 and f.stop > 0):
            drop[k] = "boilerplate:tail"
    return drop


MAX_ROUNDS = 6


def classify(paras: list[Para]) -> tuple[list[Para], Meta, list[tuple[Para, str]]]:
    """Return the kept paragraphs (merged where split), the metadata, and the dropped
    paragraphs with their reason.

    Dropping a block can make two pieces of a split paragraph adjacent, and
    merging them can turn a fragment into prose that moves the header/tail
    boundaries; so drop-and-merge rounds run until nothing changes, which is
    also what makes cleaning idempotent.
    """
    meta = Meta()
    dropped: list[tuple[Para, str]] = []
    kept = merge_paragraphs(paras)
    for _ in range(MAX_ROUNDS):
        drop = _one_round(kept, meta)
        dropped.extend((kept[k], why) for k, why in sorted(drop.items()))
        survivors = [p for k, p in enumerate(kept) if k not in drop]
        merged = merge_paragraphs(survivors)
        changed = bool(drop) or len(merged) != len(survivors)
        kept = merged
        if not changed:
            break
    if meta.title is not None and not any(p.text == meta.title or meta.title in p.text for p in kept):
        meta.title = None
    if meta.title is None:
        meta.title = _fallback_title(kept)
    return kept, meta, dropped
