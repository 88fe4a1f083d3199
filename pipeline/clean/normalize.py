"""Character- and token-level normalisation. Regexes are compiled once; the
functions are small and pure (an `MText` in, an `MText` out).

- `normalize_chars`: CRLF/CR to LF, NFC, non-breaking and odd spaces to " ",
  non-breaking hyphens to "-", soft hyphens and zero-width marks dropped.
- `strip_inline_markup`: markdown links reduced to their anchor text, link
  targets and URLs dropped, emphasis marks and backslash escapes dropped,
  decorative end-marks (dingbats such as "❖") dropped.
- `strip_footnotes`: footnote numbers glued to a word ("transitions,1",
  "(AQIM).11", "2012.13") dropped; real numbers ("7.4 %", "2015", "5+5") kept.
- `keep_hyphen`: the lexicon decision for a line-end hyphen.
- `collapse_spaces`: runs of white space inside a paragraph to one space.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from typing import Optional

from .lexicon import zipf
from .metadata import MONTH_NAME
from .offsets import Builder, MText, Piece, Removed, sub

# --- characters ---------------------------------------------------------------

_SPACES = "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_DROP = "\u00ad\u200b\u2060\ufeff"
CHAR_MAP: dict[str, str] = {c: " " for c in _SPACES}
CHAR_MAP.update({c: "\n" for c in _BREAKS})
CHAR_MAP.update({c: "" for c in _DROP})
CHAR_MAP.update({"\u2010": "-", "\u2011": "-"})


def _joins_previous(c: str) -> bool:
    """Characters NFC may compose with what precedes them."""
    return unicodedata.combining(c) != 0 or "\u1160" <= c <= "\u11ff" or "\u0300" <= c <= "\u036f"


def normalize_chars(raw: str) -> MText:
    """Map line breaks, spaces, hyphens and invisible marks; then NFC. Offsets index `raw`."""
    chars: list[str] = []
    offs: list[int] = []
    i, n = 0, len(raw)
    while i < n:
        c = raw[i]
        if c == "\r":
            chars.append("\n")
            offs.append(i)
            i += 2 if i + 1 < n and raw[i + 1] == "\n" else 1
            continue
        rep = CHAR_MAP.get(c)
        if rep is not None:
            if rep:
                chars.append(rep)
                offs.append(i)
        elif c == "\n" or not (c < " " or "\x7f" <= c <= "\x9f" or "\ud800" <= c <= "\udfff"):
            chars.append(c)
            offs.append(i)
        i += 1
    return nfc(MText("".join(chars), offs))


def nfc(mt: MText) -> MText:
    """Compose to NFC cluster by cluster; composed characters map to the cluster's first raw char."""
    text = mt.text
    if unicodedata.is_normalized("NFC", text):
        return mt
    out = Builder()
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and _joins_previous(text[j]):
            j += 1
        cluster = text[i:j]
        norm = unicodedata.normalize("NFC", cluster)
        if norm == cluster:
            out.add(mt, i, j)
        else:
            out.lit(norm, mt.offs[i], mt.link[i])
        i = j
    return out.build()


# --- inline markup ---------------------------------------------------------------

_URLISH = r"(?:https?://|www\.|/|mailto:)"
RE_MARKDOWN = re.compile(r"(?m)^[ \t]{0,3}#{1,6}[ \t]+\S|\[[^\[\]\n]*\]\([^()\n]*\)|\*\*[^\s*]")
RE_IMAGE = re.compile(r"!\[[^\[\]\n]*\]\([^()\n]*\)")
# "anchor \(/path\)" scraped into the anchor text of a link
RE_ESCAPED_PATH = re.compile(r"[ \t]*\\\(" + _URLISH + r"[^\s()\\]*\\\)")
# " (<https://...>)" or " ([http://...](#))" after anchor text: the link's target
_NOT_BLANK_LINE = r"(?:[^\[\]\n]|\n(?![ \t]*\n))"
RE_LINK_TARGET = re.compile(
    r"[ \t]*\((?:<" + _URLISH + r"[^>\n]*>|\[" + _URLISH + _NOT_BLANK_LINE + r"*\]\([^)\s]*\))\)"
)
RE_PAREN_URL = re.compile(r"[ \t]*\((?:https?://|www\.)[^\s)]*\)")
RE_LINK = re.compile(
    r"\[(?P<a>" + r"(?:[^\[\]\n]|\n(?![ \t]*\n))*" + r")\]"
    r"(?:\(\s*(?:<[^>\n]*>|[^)\s]*)(?:\s+\"[^\"\n]*\")?\s*\)|\[[^\]\n]*\])"
)
RE_AUTOLINK = re.compile(r"<(?:https?://|mailto:|www\.)[^>\s]*>")
RE_REFDEF = re.compile(r"(?m)^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S+.*$")
RE_STRONG = re.compile(r"\*\*+|(?<![\w])__+|__+(?![\w])")
RE_EM_STAR = re.compile(r"(?<![\w*\\])\*(?=[^\s*])(?P<t>[^*\n]*?[^\s*\\])\*(?![\w*])")
RE_EM_UNDER = re.compile(r"(?<![\w\\])_(?=[^\s_])(?P<t>[^_\n]*?[^\s_\\])_(?![\w])")
RE_ESCAPE = re.compile(r"\\(?P<c>[\\`*_{}\[\]()#+\-.!$|<>~\"'&%=])")


def _dingbat_class() -> str:
    ranges = [(0x2190, 0x21FF), (0x2300, 0x23FF), (0x2500, 0x27BF), (0x2900, 0x2BFF), (0x1F300, 0x1FAFF)]
    chars = []
    for lo, hi in ranges:
        for cp in range(lo, hi + 1):
            if cp <= sys.maxunicode and unicodedata.category(chr(cp)) == "So":
                chars.append(chr(cp))
    return "".join(re.escape(c) for c in chars)


_DINGBATS = _dingbat_class()
RE_DINGBAT = re.compile(r"(?m)(?:(?<=\s)|^)[" + _DINGBATS + r"]+(?=\s|$)")


def is_markdown(text: str) -> bool:
    return RE_MARKDOWN.search(text) is not None


def _drop(_m: re.Match[str]) -> list[Piece]:
    return []


def _keep(group: str):
    def fn(m: re.Match[str]) -> list[Piece]:
        return [(m.start(group), m.end(group))]

    return fn


def _link_span(m: re.Match[str]) -> tuple[int, int]:
    return m.start("a"), m.end("a")


def _reduce_links(mt: MText, removed: Removed) -> MText:
    """[anchor](target) -> anchor (flagged as link text); the target is reported as a removed URL."""

    def fn(m: re.Match[str]) -> list[Piece]:
        if m.end() > m.end("a") + 1:
            removed.append((mt.offs[m.end("a") + 1], mt.offs[m.end() - 1] + 1, "url"))
        return [(m.start("a"), m.end("a"))]

    return sub(mt, RE_LINK, fn, mark_link=_link_span)


def strip_inline_markup(mt: MText, removed: Removed, markdown: bool) -> MText:
    """Links to anchor text, URLs and targets out, emphasis and escapes out, dingbats out."""
    mt = sub(mt, RE_IMAGE, _drop, removed, "image")
    mt = sub(mt, RE_ESCAPED_PATH, _drop, removed, "url")
    mt = sub(mt, RE_LINK_TARGET, _drop, removed, "url")
    mt = sub(mt, RE_PAREN_URL, _drop, removed, "url")
    mt = sub(mt, RE_AUTOLINK, _drop, removed, "url")
    if markdown:
        mt = _reduce_links(mt, removed)
        mt = sub(mt, RE_REFDEF, _drop, removed, "url")
        mt = sub(mt, RE_STRONG, _drop)
        mt = sub(mt, RE_EM_STAR, _keep("t"))
        mt = sub(mt, RE_EM_UNDER, _keep("t"))
        mt = sub(mt, RE_ESCAPE, _keep("c"))
    mt = sub(mt, RE_DINGBAT, _drop, removed, "symbol")
    return mt


# --- footnote markers ----------------------------------------------------------------

# A word of 2+ letters (or a year) + 1-3 punctuation marks + 1-3 digits that end the token.
RE_FOOTNOTE = re.compile(
    r"(?:(?P<w>(?<![^\W\d_])[^\W\d_]{2,})|(?P<y>(?<![\w$€£.,])(?:1[89]|20)\d\d))"
    r"(?P<p>[.,;:!?)\]”’\"']{1,3})(?P<n>\d{1,3})(?=[\s”’\"')\]]|$)"
)
RE_SUPERSCRIPT = re.compile(r"(?<=[^\W\d_]|[.,;:)\]”’\"'])[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+(?=[\s.,;:)\]”’\"']|$)")
# numbering abbreviations after which a number is a real reference ("p.12", "No.5")
_NUMBERING = frozenset("p pp no nos nr vol vols art arts fig figs ch chap sec para paras op cf col ed n".split())


def _footnote(m: re.Match[str]) -> list[Piece] | None:
    w = m.group("w")
    if w is not None and m.group("p").startswith(".") and w.lower() in _NUMBERING:
        return None
    return [(m.start(), m.end("p"))]


def _superscript(m: re.Match[str]) -> list[Piece] | None:
    if m.group() in ("\u00b2", "\u00b3") and m.string[max(0, m.start() - 1)] == "m":
        return None  # km², m³
    return []


_DL_MONTH = MONTH_NAME
# a news dateline opening the first paragraph: "MAIDUGURI, Nigeria, March 4 (Agency) -", "NIAMEY, March 27 -",
# "TUNIS (Reuters) —", "OUAGADOUGOU —": place in capitals, optional country and date, optional agency, a dash
RE_DATELINE = re.compile(
    r"^(?P<dl>[A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+){0,3}(?:, [A-Z][\w'’.\-]+(?: [A-Z][\w'’.\-]+){0,2})?"
    r"(?:,? (?:" + _DL_MONTH + r" \d{1,2}|\d{1,2} " + _DL_MONTH + r")(?:, \d{4})?)?)"
    r"\s*(?P<agency>\([A-Z][^()\n]{1,40}\))?\s*(?P<dash>[-–—]{1,2})\s+(?=[A-Z“\"‘'])")


def _dateline(m: re.Match[str]) -> list[Piece] | None:
    if m.group("agency"):  # "(Agency)": a wire credit (Decision 20), kept with the space after it
        end = m.end("agency")
        keep_space = end < m.end() and m.string[end].isspace()
        return [(m.start("agency"), end + 1 if keep_space else end)]
    return []


def strip_dateline(mt: MText, removed: Removed) -> MText:
    """Drop a news dateline at the start of a paragraph (it is document metadata, Decision 1),
    keeping a wire agency's credit."""
    return sub(mt, RE_DATELINE, _dateline, removed, "metadata:dateline")


def strip_footnotes(mt: MText, removed: Removed) -> MText:
    mt = sub(mt, RE_FOOTNOTE, _footnote, removed, "footnote")
    return sub(mt, RE_SUPERSCRIPT, _superscript, removed, "footnote")


# --- hyphenation -----------------------------------------------------------------------

JOIN_ZIPF = 2.5  # a joined form at least this frequent is a word: "within", "deliberated"
PART_MARGIN = 1.5  # ... or at most this much rarer than the rarer part of the split
RE_LETTERS_HEAD = re.compile(r"[^\W\d_]+")
RE_LAST_SEGMENT = re.compile(r"([^\W\d_]+)$")
RE_DOC_TOKEN = re.compile(r"(?<![-\w])[^\W\d_]+(?:-[^\W\d_]+)*(?![\w-])")


class DocLexicon:
    """Words and hyphenated pairs a document writes out in full (not split at a line end)."""

    __slots__ = ("words", "compounds")

    def __init__(self, text: str) -> None:
        self.words: set[str] = set()
        self.compounds: set[str] = set()
        for m in RE_DOC_TOKEN.finditer(text):
            parts = m.group().lower().split("-")
            self.words.update(parts)
            if len(parts) > 1:
                self.words.discard(m.group().lower())
                self.compounds.update(f"{x}-{y}" for x, y in zip(parts, parts[1:]))
            else:
                self.words.add(parts[0])


def keep_hyphen(left: str, right: str, doc: Optional[DocLexicon] = None) -> bool:
    """Is the line-end hyphen between `left` and `right` a true hyphen?

    `left` is the text before the hyphen (its last hyphen-segment is used),
    `right` the text that starts the next line. A split before a capital or a
    digit is a true hyphen ("Al-Qaeda", "post-2011"). Otherwise the document
    itself is asked first (does it write "regimes" or "cross-border" elsewhere?),
    then the lexicon: join when the joined form is a word ("re-gimes" ->
    "regimes", "with-in" -> "within") or not much rarer than the rarer part;
    keep the hyphen when the joined form is rare and much rarer than both
    parts ("cross-border", "far-reaching", "military-to-military").
    """
    m_left = RE_LAST_SEGMENT.search(left)
    m_right = RE_LETTERS_HEAD.match(right)
    if m_left is None or m_right is None:
        return True
    a, b = m_left.group(1), m_right.group(0)
    if not b[0].islower():
        return True
    joined, pair = (a + b).lower(), f"{a}-{b}".lower()
    if doc is not None:
        seen_joined, seen_pair = joined in doc.words, pair in doc.compounds
        if seen_joined != seen_pair:
            return seen_pair
    zj = zipf(joined)
    return zj < JOIN_ZIPF and zj < min(zipf(a), zipf(b)) - PART_MARGIN


# --- white space ----------------------------------------------------------------------

RE_SPACE_RUN = re.compile(r"\s{2,}|[^\S ]")


def collapse_spaces(mt: MText) -> MText:
    """Runs of white space to one space (mapped to the run's first char); ends stripped."""

    def fn(m: re.Match[str]) -> list[Piece]:
        if m.group() == " ":
            return [(m.start(), m.end())]
        return [(" ", mt.offs[m.start()])]

    return sub(mt, RE_SPACE_RUN, fn).strip()
