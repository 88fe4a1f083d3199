"""Cleaning stage: raw PDF/web text in; clean text, an exact offset map and metadata out.

    from pipeline.clean import clean, CleanDoc
    doc = clean(raw)
    doc.text          # paragraphs separated by "\\n\\n", wrapped lines joined by single spaces
    doc.offsets       # raw index of every clean character (non-decreasing)
    doc.to_raw(s, e)  # raw span of clean span [s, e)
    doc.removed       # raw regions dropped, with a reason
    doc.meta          # pipeline.schema.DocMeta read from the text (never the file time)

Steps (see each module): `normalize` (characters, inline markup, footnote
markers, the dehyphenation lexicon), `segment` (lines to paragraphs, page
numbers, running heads), `boilerplate` (furniture, position, metadata),
`dedup` (exact and near-duplicate passages), `metadata` (dates, bylines).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..schema import DocMeta
from .boilerplate import classify
from .normalize import is_markdown, nfc, normalize_chars, strip_dateline, strip_inline_markup
from .offsets import Builder, MText, Removed, merge_regions
from .segment import Para, segment

__all__ = ["clean", "CleanDoc"]


@dataclass(frozen=True)
class CleanDoc:
    text: str
    offsets: list[int]
    removed: list[tuple[int, int, str]] = field(default_factory=list)
    meta: DocMeta = field(default_factory=DocMeta)

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Raw [start, end) of the clean span [start, end)."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"clean span {start}-{end} outside 0-{len(self.text)}")
        return self.offsets[start], self.offsets[end - 1] + 1


def _line_extent(raw: str, a: int, b: int) -> tuple[int, int]:
    """Widen a raw region to the whole lines it lies on (without the line breaks)."""
    while a > 0 and raw[a - 1] not in "\r\n":
        a -= 1
    while b < len(raw) and raw[b] not in "\r\n":
        b += 1
    return a, b


def _assemble(paras: list[Para]) -> MText:
    b = Builder()
    for k, p in enumerate(paras):
        if k:
            prev = paras[k - 1]
            lo = prev.mt.offs[-1]
            hi = p.mt.offs[0]
            s1 = prev.brk_after if lo < prev.brk_after <= hi else hi
            s2 = p.brk_before if s1 <= p.brk_before <= hi else s1
            b.lit("\n", s1)
            b.lit("\n", s2)
        b.add(p.mt, 0, len(p.mt))
    return nfc(b.build())


def _strip_lede_dateline(kept: list, title, removed: Removed) -> list:
    """A news dateline ("NIAMEY, March 27 -") opens the lede, the first prose paragraph after
    the title; only there is a capitalised word followed by a dash read as one."""
    tried = 0
    for i, p in enumerate(kept[:5]):
        if p.text == title or len(p.text) < 100:
            continue
        mt = strip_dateline(p.mt, removed)
        if mt is not p.mt:
            return [*kept[:i], Para(mt, heading=p.heading, caps=p.caps, brk_before=p.brk_before, brk_after=p.brk_after),
                    *kept[i + 1:]]
        tried += 1
        if tried == 2:  # the lede, or the paragraph after a standfirst
            break
    return kept


def clean(raw: str) -> CleanDoc:
    """Clean one document. Pure and deterministic; an empty string gives an empty document."""
    if not raw:
        return CleanDoc(text="", offsets=[], removed=[], meta=DocMeta())
    removed: Removed = []
    mt = normalize_chars(raw)
    markdown = is_markdown(mt.text)
    mt = strip_inline_markup(mt, removed, markdown)
    paras = segment(mt, markdown, removed)
    kept, meta, dropped = classify(paras)
    kept = _strip_lede_dateline(kept, meta.title, removed)
    for p, why in dropped:
        removed.append((*_line_extent(raw, *p.mt.raw_span()), why))
    out = _assemble(kept)
    return CleanDoc(
        text=out.text,
        offsets=out.offs,
        removed=merge_regions(removed),
        meta=DocMeta(
            title=meta.title,
            author="; ".join(meta.authors) or None,
            publisher=meta.publisher,
            published=meta.published,
            url=None,
        ),
    )
