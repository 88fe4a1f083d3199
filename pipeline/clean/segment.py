"""Lines to paragraphs.

A document is either *hard-wrapped* (PDF extraction, e-mail: most lines end
mid-sentence at a fixed width) or *line-per-paragraph* (web text, markdown).
In wrapped text the lines of a block are joined with one space (mapped to the
raw line break), line-end hyphenation is resolved with the lexicon, and a
block is split where a new paragraph visibly starts (a short line ending a
sentence, a page-break line with a leading space after a sentence end, an
all-caps heading, a bullet). Page numbers and running heads are dropped;
all-caps headings split over lines or blocks are put back together.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .lexicon import stopwords
from .metadata import MONTH_NAME
from .normalize import DocLexicon, collapse_spaces, keep_hyphen, strip_footnotes
from .offsets import Builder, MText, Removed

RE_BLANKISH = re.compile(r"^\s*$")
RE_RULE = re.compile(r"^\s*(?:([-*_=~])[ \t]*)(?:\1[ \t]*){2,}$")
_ROMAN = r"(?=[ivxlcdm])m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
RE_PAGE = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:[Pp]age\s+|[Pp]\.\s*)?(?:\d{1,3}|" + _ROMAN + r")(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*[-–—])?\s*$"
)
RE_MD_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+(?:#+[ \t]+)*(.*?)(?:[ \t]+#+)?[ \t]*$")
RE_MD_LIST = re.compile(r"^[ \t]*[-*+][ \t]+(?=\S)")
RE_MD_QUOTE = re.compile(r"^[ \t]*>[ \t]?")
RE_GLYPH_BULLET = re.compile(r"^\s*[•▪◦●‣∙■□➢►▸]\s")
RE_TERMINAL = re.compile(r"[.!?:…][\"”’)\]]*\d{0,3}\s*$")
RE_SOFT_END = re.compile(r"[^\W\d_]-$")
RE_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
RE_LEFT_WORD = re.compile(r"(\S+)-$")
RE_RIGHT_WORD = re.compile(r"^\S+")

WRAP_MAX_WIDTH = 130  # a document whose typical line is longer is not hard-wrapped
SHORT_LINE = 0.6  # a line shorter than this share of the typical width ends a paragraph


@dataclass
class Para:
    """One paragraph of the cleaned text, before classification."""

    mt: MText
    heading: int = 0  # markdown level 1-6; 0 if not a markdown heading
    caps: bool = False  # set entirely in capitals
    brk_before: int = -1  # raw offset of the line break before the paragraph
    brk_after: int = -1  # raw offset of the line break after it

    @property
    def text(self) -> str:
        return self.mt.text


@dataclass
class Line:
    mt: MText
    kind: str  # text, blank, heading, page
    indent: int
    level: int = 0
    bullet: bool = False
    caps: bool = False
    brk_before: int = -1
    brk_after: int = -1


def is_caps(text: str) -> bool:
    cased = [c for c in text if c.isupper() or c.islower()]
    return len(cased) >= 4 and all(c.isupper() for c in cased)


def _split_lines(mt: MText) -> list[tuple[MText, int, int]]:
    """(line, raw offset of the break before, raw offset of the break after)."""
    out = []
    text = mt.text
    start = 0
    prev_brk = -1
    while True:
        j = text.find("\n", start)
        end = len(text) if j < 0 else j
        brk = -1 if j < 0 else mt.offs[j]
        out.append((mt.slice(start, end), prev_brk, brk))
        if j < 0:
            return out
        prev_brk = brk
        start = j + 1


def _lstrip_re(mt: MText, rx: re.Pattern[str]) -> MText:
    m = rx.match(mt.text)
    if m is None or m.end() == 0:
        return mt
    return mt.slice(m.end(), len(mt))


def classify_lines(mt: MText, markdown: bool, removed: Removed) -> list[Line]:
    lines: list[Line] = []
    for lmt, bb, ba in _split_lines(mt):
        text = lmt.text
        indent = len(text) - len(text.lstrip())
        if RE_BLANKISH.match(text) or RE_RULE.match(text):
            lines.append(Line(lmt, "blank", indent, brk_before=bb, brk_after=ba))
            continue
        level = 0
        bullet = False
        if markdown:
            m = RE_MD_HEADING.match(text)
            if m:
                level = len(m.group(1))
                lmt = lmt.slice(m.start(2), m.end(2))
            else:
                lmt = _lstrip_re(lmt, RE_MD_QUOTE)
                before = len(lmt)
                lmt = _lstrip_re(lmt, RE_MD_LIST)
                bullet = len(lmt) != before
        if RE_PAGE.match(lmt.text):
            s = lmt.strip()
            if s.text:
                removed.append((*s.raw_span(), "page_number"))
            lines.append(Line(s, "page", indent, brk_before=bb, brk_after=ba))
            continue
        s = lmt.strip()
        if not s.text:
            lines.append(Line(s, "blank", indent, brk_before=bb, brk_after=ba))
            continue
        bullet = bullet or RE_GLYPH_BULLET.match(s.text) is not None
        lines.append(Line(s, "heading" if level else "text", indent, level=level, bullet=bullet,
                          caps=is_caps(s.text), brk_before=bb, brk_after=ba))
    return lines


def _percentile(values: list[int], q: float) -> float:
    if not values:
        return 0.0
    v = sorted(values)
    return float(v[min(len(v) - 1, int(q * len(v)))])


def wrap_width(lines: list[Line]) -> Optional[float]:
    """Typical line width if the document is hard-wrapped, else None."""
    body = [ln for ln in lines if ln.kind == "text" and not ln.caps]
    if len(body) < 5:
        return None
    width = _percentile([len(ln.mt) for ln in body], 0.8)
    if width > WRAP_MAX_WIDTH or width < 20:
        return None
    # in wrapped text most lines that are followed by another line end mid-sentence
    inner = [a for a, b in zip(lines, lines[1:]) if a.kind == "text" and b.kind == "text"]
    if len(inner) < 3:
        return None
    open_ends = sum(1 for a in inner if not RE_TERMINAL.search(a.mt.text))
    if open_ends < 0.5 * len(inner):
        return None
    return width


def drop_running_heads(lines: list[Line], removed: Removed) -> None:
    """Short lines repeated 3+ times (ignoring digits) in wrapped text are running heads."""
    keys: dict[str, list[int]] = {}
    for i, ln in enumerate(lines):
        if ln.kind != "text":
            continue
        # a running head sits at a page edge: next to a page number or a blank line
        before = lines[i - 1].kind if i > 0 else "blank"
        after = lines[i + 1].kind if i + 1 < len(lines) else "blank"
        if "page" not in (before, after) and "blank" not in (before, after):
            continue
        words = [w.lower() for w in RE_WORD.findall(ln.mt.text) if not w.isdigit()]
        if 2 <= len(words) <= 10:
            keys.setdefault(" ".join(words), []).append(i)
    first_lines = set([i for i, ln in enumerate(lines) if ln.kind != "blank"][:3])
    # the first occurrence may be the title the running head repeats
    heads = [[i for i in idx if i not in first_lines] for idx in keys.values() if len(idx) >= 3]
    n_text = sum(1 for ln in lines if ln.kind == "text")
    if sum(len(idx) for idx in heads) > 0.3 * n_text:
        return  # too many to be page furniture: the text itself repeats
    for idx in heads:
        for i in idx:
            ln = lines[i]
            removed.append((*ln.mt.raw_span(), "running_head"))
            ln.kind = "page"


class _ParaBuilder:
    def __init__(self) -> None:
        self.b = Builder()
        self.heading = 0
        self.caps = True
        self.brk_before = -1
        self.brk_after = -1
        self.n = 0

    def add_line(self, ln: Line) -> None:
        if self.n == 0:
            self.brk_before = ln.brk_before
            self.heading = ln.level
        self.b.add(ln.mt, 0, len(ln.mt))
        self.caps = self.caps and ln.caps
        self.brk_after = ln.brk_after
        self.n += 1


def join_into(b: Builder, left_text: str, right: MText, brk: int, doc: Optional[DocLexicon] = None) -> None:
    """Append `right` to a paragraph whose text so far is `left_text`, resolving
    a line-end hyphen; the joining space (if any) maps to the raw break `brk`."""
    if RE_SOFT_END.search(left_text) and right.text[:1].isalnum():
        lw = RE_LEFT_WORD.search(left_text)
        rw = RE_RIGHT_WORD.match(right.text)
        if right.text[:1].isalpha() and not keep_hyphen(lw.group(1) if lw else left_text,
                                                        rw.group(0) if rw else right.text, doc):
            _pop_last(b)
        b.add(right, 0, len(right))
        return
    if left_text.endswith(("—", "–")) and len(left_text) > 1 and not left_text[-2].isspace():
        b.add(right, 0, len(right))
        return
    b.lit(" ", brk)
    b.add(right, 0, len(right))


def _pop_last(b: Builder) -> None:
    while b.chars and not b.chars[-1]:
        b.chars.pop()
    if b.chars:
        b.chars[-1] = b.chars[-1][:-1]
        b.offs.pop()
        b.link.pop()


def build_paragraphs(lines: list[Line], width: Optional[float], doc: Optional[DocLexicon] = None) -> list[Para]:
    paras: list[Para] = []
    cur: Optional[_ParaBuilder] = None
    prev: Optional[Line] = None
    cur_text = ""

    def flush() -> None:
        nonlocal cur, cur_text
        if cur is not None and cur.n:
            mt = cur.b.build()
            paras.append(Para(mt, heading=cur.heading, caps=cur.caps, brk_before=cur.brk_before,
                              brk_after=cur.brk_after))
        cur, cur_text = None, ""

    for ln in lines:
        if ln.kind == "page":
            continue  # transparent: a page number inside a paragraph does not split it
        if ln.kind == "blank":
            flush()
            prev = None
            continue
        if cur is not None and prev is not None and width is not None and _continues(prev, ln, width):
            join_into(cur.b, cur_text, ln.mt, prev.brk_after, doc)
            cur.caps = cur.caps and ln.caps
            cur.brk_after = ln.brk_after
            cur.n += 1
            cur_text = ln.mt.text  # the next join only looks at the end of the last line
        else:
            flush()
            cur = _ParaBuilder()
            cur.add_line(ln)
            cur_text = ln.mt.text
        prev = ln
    flush()
    return paras


RE_NOTE_START = re.compile(r"^\d{1,3} (?!" + MONTH_NAME + r")[A-Z][a-zA-Z]")
# "Report date: 17 July 2024", "Prepared by: …": a front-matter field, one per line
RE_FIELD = re.compile(r"^[A-Z][\w’'/-]*(?: [\w’'/-]+){0,3}:\s+\S")


def _continues(a: Line, b: Line, width: float) -> bool:
    """In wrapped text, does line b continue the paragraph of line a?"""
    if a.kind == "heading" or b.kind == "heading":
        return False
    if RE_FIELD.match(a.mt.text) and RE_FIELD.match(b.mt.text):
        return False  # consecutive "Label: value" lines are separate fields, not wrapped prose
    if RE_TERMINAL.search(a.mt.text) and RE_NOTE_START.match(b.mt.text):
        return False  # "… 2024." then "6 Interviews with …": the next footnote or numbered item
    if a.caps or b.caps:
        return a.caps and b.caps
    if b.bullet:
        return False
    if RE_TERMINAL.search(a.mt.text):
        if len(a.mt) < SHORT_LINE * width:
            return False
        first = b.mt.text[:1]
        if b.indent > 0 and (first.isupper() or first.isdigit() or first in "\"“‘'(["):
            return False
    return True


# --- paragraph-level repairs (textual, so that cleaning is idempotent) ---------------------

RE_LAST_WORD = re.compile(r"([^\W\d_]+)\W*$")
RE_FIRST_WORD = re.compile(r"^\W*([^\W\d_]+)")
RE_OPEN_END = re.compile(r"[^\W_]$|[,;]$")


class _Run:
    """Paragraphs being merged into one: what the continuation tests look at."""

    __slots__ = ("parts", "first_text", "last_text", "caps", "n_words")

    def __init__(self, p: Para) -> None:
        self.parts = [p]
        self.first_text = p.text
        self.last_text = p.text
        self.caps = p.caps
        self.n_words = len(RE_WORD.findall(p.text))

    def add(self, p: Para) -> None:
        self.parts.append(p)
        self.last_text = p.text
        self.caps = self.caps and p.caps
        self.n_words += len(RE_WORD.findall(p.text))


def _heading_continues(a: _Run, b: Para) -> bool:
    if not (a.caps and b.caps):
        return False
    sw = stopwords()
    first = RE_FIRST_WORD.match(b.text)
    last = RE_LAST_WORD.search(a.last_text)
    return bool((first and first.group(1).lower() in sw) or (last and last.group(1).lower() in sw)
                or a.last_text.rstrip().endswith((":", ",", "-", "—", "–")))


RE_BYLINE_START = re.compile(r"^(?:by|par)\s+[A-Z]")


def _prose_continues(a: _Run, b: Para) -> bool:
    if a.caps or b.caps:
        return False
    ta, tb = a.last_text, b.text
    if RE_SOFT_END.search(ta) and tb[:1].isalnum():
        return True  # a word or compound split at the end of a line
    if not tb[:1].islower() or RE_BYLINE_START.match(tb):
        return False
    if RE_GLYPH_BULLET.match(a.first_text) or RE_GLYPH_BULLET.match(tb):
        return False
    return bool(RE_OPEN_END.search(ta)) and a.n_words >= 6 and len(RE_WORD.findall(tb)) >= 2


def merge_paragraphs(paras: list[Para], doc: Optional[DocLexicon] = None) -> list[Para]:
    """Put back paragraphs split by a page break, a scrape artefact or a removed passage:
    a hyphenated word across the split, an all-caps heading continued on the next
    block ("... PROSPECTS" + "AND CHALLENGES"), or prose that stops mid-sentence
    followed by a paragraph starting in lower case."""
    runs: list[_Run] = []
    for p in paras:
        if runs and (_heading_continues(runs[-1], p) or _prose_continues(runs[-1], p)):
            runs[-1].add(p)
        else:
            runs.append(_Run(p))
    out: list[Para] = []
    for run in runs:
        first = run.parts[0]
        if len(run.parts) == 1:
            out.append(first)
            continue
        b = Builder()
        b.add(first.mt, 0, len(first.mt))
        for prev, p in zip(run.parts, run.parts[1:]):
            join_into(b, prev.text, p.mt, prev.brk_after if prev.brk_after >= 0 else p.brk_before, doc)
        out.append(Para(b.build(), heading=first.heading, caps=run.caps, brk_before=first.brk_before,
                        brk_after=run.parts[-1].brk_after))
    return out


def finish_paragraph(p: Para, removed: Removed) -> Para:
    mt = strip_footnotes(p.mt, removed)
    mt = collapse_spaces(mt)
    return Para(mt, heading=p.heading, caps=p.caps, brk_before=p.brk_before, brk_after=p.brk_after)


def segment(mt: MText, markdown: bool, removed: Removed) -> list[Para]:
    lines = classify_lines(mt, markdown, removed)
    width = wrap_width(lines)
    if width is not None:
        drop_running_heads(lines, removed)
    doc = DocLexicon(mt.text)
    paras = build_paragraphs(lines, width, doc)
    paras = [finish_paragraph(p, removed) for p in paras]
    paras = [p for p in paras if p.text]
    return merge_paragraphs(paras, doc)
