"""Text that remembers where every character came from.

`MText` is a string plus, for each character, the raw offset it came from and
a flag saying whether it was the anchor text of a link (for link density).
Every cleaning step is written as an edit of an `MText` whose replacement is
made only of pieces of the input (or of literal characters that name the raw
offset they stand for), so the offset map stays exact by construction.
"""
from __future__ import annotations

import re
from typing import Callable, Optional, Sequence, Union

# A piece of a replacement: a (start, end) span of the input MText, or a
# (literal_text, raw_offset) pair for characters that stand in for raw ones
# (a space that replaces a line break, a "-" that replaces U+2011, ...).
Piece = Union[tuple[int, int], tuple[str, int]]

Removed = list[tuple[int, int, str]]


class MText:
    """A string with a raw offset (and a link flag) per character."""

    __slots__ = ("text", "offs", "link")

    def __init__(self, text: str, offs: Sequence[int], link: Optional[bytearray] = None) -> None:
        self.text = text
        self.offs = list(offs)
        self.link = bytearray(len(text)) if link is None else link

    def __len__(self) -> int:
        return len(self.text)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"MText({self.text!r})"

    def slice(self, a: int, b: int) -> "MText":
        return MText(self.text[a:b], self.offs[a:b], self.link[a:b])

    def raw_span(self, a: int = 0, b: Optional[int] = None) -> tuple[int, int]:
        """Raw [start, end) covered by characters a..b (b exclusive)."""
        if b is None:
            b = len(self.text)
        if b <= a:
            raise ValueError("empty span has no raw extent")
        return self.offs[a], self.offs[b - 1] + 1

    def strip(self) -> "MText":
        t = self.text
        a, b = 0, len(t)
        while a < b and t[a].isspace():
            a += 1
        while b > a and t[b - 1].isspace():
            b -= 1
        return self.slice(a, b)


class Builder:
    """Accumulates characters with their raw offsets."""

    __slots__ = ("chars", "offs", "link")

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.offs: list[int] = []
        self.link = bytearray()

    def add(self, mt: MText, a: int, b: int) -> None:
        if b > a:
            self.chars.append(mt.text[a:b])
            self.offs.extend(mt.offs[a:b])
            self.link.extend(mt.link[a:b])

    def lit(self, s: str, off: int, link: int = 0) -> None:
        if s:
            self.chars.append(s)
            self.offs.extend([off] * len(s))
            self.link.extend([link] * len(s))

    def __len__(self) -> int:
        return len(self.offs)

    def build(self) -> MText:
        return MText("".join(self.chars), self.offs, self.link)


def sub(
    mt: MText,
    pattern: re.Pattern[str],
    fn: Callable[[re.Match[str]], Optional[list[Piece]]],
    removed: Optional[Removed] = None,
    reason: Optional[str] = None,
    mark_link: Optional[Callable[[re.Match[str]], Optional[tuple[int, int]]]] = None,
) -> MText:
    """Replace every match of `pattern` by the pieces `fn(match)` returns.

    `fn` returns None to leave a match alone. Spans it returns must lie inside
    the match, in order. Characters of a match that no span keeps are dropped;
    when `reason` is given their raw extent is appended to `removed`.
    `mark_link(match)` may name a (start, end) span whose kept characters get
    the link flag (anchor text of a link).
    """
    text = mt.text
    out = Builder()
    pos = 0
    changed = False
    for m in pattern.finditer(text):
        pieces = fn(m)
        if pieces is None:
            continue
        changed = True
        out.add(mt, pos, m.start())
        cur = m.start()
        lk = mark_link(m) if mark_link is not None else None
        for p in pieces:
            if isinstance(p[0], str):
                out.lit(p[0], int(p[1]))
                continue
            a, b = int(p[0]), int(p[1])
            if a < cur or b > m.end() or b < a:
                raise ValueError("replacement span outside its match")
            if removed is not None and reason and a > cur:
                removed.append((mt.offs[cur], mt.offs[a - 1] + 1, reason))
            if lk is not None:
                start = len(out)
                out.add(mt, a, b)
                la, lb = max(a, lk[0]), min(b, lk[1])
                for k in range(la, lb):
                    out.link[start + (k - a)] = 1
            else:
                out.add(mt, a, b)
            cur = b
        if removed is not None and reason and m.end() > cur:
            removed.append((mt.offs[cur], mt.offs[m.end() - 1] + 1, reason))
        pos = m.end()
    if not changed:
        return mt
    out.add(mt, pos, len(text))
    return out.build()


def merge_regions(regions: Removed) -> Removed:
    """Sort regions and merge overlapping or touching ones that share a reason."""
    out: Removed = []
    for a, b, r in sorted(regions):
        if b <= a:
            continue
        if out and out[-1][2] == r and a <= out[-1][1]:
            pa, pb, _ = out[-1]
            out[-1] = (pa, max(pb, b), r)
        else:
            out.append((a, b, r))
    return out
