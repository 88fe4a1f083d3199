"""The knowledge ruler: exact-case phrase matching of every name in the knowledge files.

It does what a `span_ruler` with `phrase_matcher_attr="ORTH"` does, with the same output
(`doc.spans["knowledge"]`, one span per match, label = PLACE/GROUP/FIGURE, `span.id_` =
the entry id), but it is fed *pre-tokenised* patterns. Why: a `span_ruler` tokenises each
of its ~13,000 phrase patterns when they are added, and deriving them from the knowledge
files takes longer still — together ~0.8 s at every start, a fifth of a five-document run
(issue 7). The patterns are compiled once, with their tokens, into
`knowledge/phrase_patterns.jsonl` (`make knowledge`); here their ORTH hashes go straight
into a `PhraseMatcher`. The file carries a fingerprint of everything it was derived from:
when it does not match (an edited gazetteer, another spaCy or model version), the patterns
are compiled in memory instead, so a stale file can slow a start but never change a result.
"""
from __future__ import annotations

import hashlib
import json
import logging
import sys
import unicodedata
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import hash_string
from spacy.tokens import Doc, Span

from . import kb as kbmod
from .knowledge import KNOWLEDGE_DIR
from .knowledge import package_version as _version

COMPILED_PATTERNS = KNOWLEDGE_DIR / "phrase_patterns.jsonl"
SPANS_KEY = "knowledge"
# Bump when the pattern derivation (kb.phrase_patterns and what it calls) changes meaning;
# tests/test_knowledge_ruler.py also recompiles and compares byte for byte.
COMPILER_VERSION = 2  # 2: particle case variants
# The knowledge files the patterns are derived from (what kb.load_kb reads).
SOURCE_FILES = ("places.jsonl", "groups.jsonl", "figures.jsonl", "demonyms.json", "titles.json", "ambiguous_aliases.json")


class KnowledgeRulerError(ValueError):
    """A compiled pattern file that cannot be read (named, with the reason)."""


def fingerprint_sources(knowledge_dir: Path = KNOWLEDGE_DIR) -> str:
    """sha256 over the knowledge files the patterns are derived from."""
    h = hashlib.sha256()
    for name in SOURCE_FILES:
        h.update(name.encode())
        h.update((knowledge_dir / name).read_bytes())
    return h.hexdigest()


def fingerprint(nlp: Language, knowledge_dir: Path = KNOWLEDGE_DIR) -> dict[str, str]:
    """Everything the compiled patterns depend on: the source files' bytes, the tokenizer
    (spaCy minor version and model version: the project pins spaCy to 3.8.x, and the test
    suite re-tokenises every pattern with the installed tokenizer), the common-word list
    (wordfreq) and the Unicode tables (diacritic folding), plus the compiler's own version."""
    return {
        "compiler": str(COMPILER_VERSION),
        "sources_sha256": fingerprint_sources(knowledge_dir),
        "spacy": ".".join(_version("spacy").split(".")[:2]),
        "model": f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')}-{nlp.meta.get('version', '')}",
        "wordfreq": _version("wordfreq"),
        "unicode": unicodedata.unidata_version,
    }


def compile_patterns(nlp: Language, kb: kbmod.KnowledgeBase | None = None) -> list[dict]:
    """The knowledge phrase patterns with their tokens (`orth`), as the nlp's tokenizer splits them."""
    patterns = kbmod.phrase_patterns(kb or kbmod.load_kb())
    out = []
    for p, doc in zip(patterns, nlp.tokenizer.pipe(p["pattern"] for p in patterns)):
        orth = [t.text for t in doc]
        if orth:
            out.append({**p, "orth": orth})
    return out


def tokens_of(pattern: dict) -> list[str]:
    """A compiled pattern's tokens: `orth` when the file stores it, else the space-split text
    (the file leaves `orth` out when it is just that, which halves its size)."""
    return pattern.get("orth") or pattern["pattern"].split(" ")


def render(patterns: list[dict], stamp: dict[str, str]) -> str:
    """The compiled file: a header line with the fingerprint, then one pattern per line."""
    lines = [json.dumps({"fingerprint": stamp, "n_patterns": len(patterns)}, ensure_ascii=False, sort_keys=True)]
    for p in patterns:
        row = {k: v for k, v in p.items() if k != "orth" or v != p["pattern"].split(" ")}
        lines.append(json.dumps(row, ensure_ascii=False, sort_keys=True))
    return "\n".join(lines) + "\n"


def read_compiled(path: Path) -> tuple[dict[str, str], list[dict]]:
    """(fingerprint, patterns) of a compiled file."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        header = json.loads(lines[0])
        patterns = [json.loads(line) for line in lines[1:] if line]
    except (OSError, IndexError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise KnowledgeRulerError(f"{path}: not a compiled pattern file ({e})") from e
    if len(patterns) != header.get("n_patterns"):
        raise KnowledgeRulerError(f"{path}: {len(patterns)} patterns, header says {header.get('n_patterns')} (truncated?)")
    return header.get("fingerprint", {}), patterns


def load_patterns(nlp: Language, path: Path = COMPILED_PATTERNS) -> tuple[list[dict], str]:
    """The compiled patterns when their fingerprint matches this installation, else compiled
    now. Returns (patterns, where they came from)."""
    if path.exists():
        try:
            stamp, patterns = read_compiled(path)
        except KnowledgeRulerError:
            stamp, patterns = {}, []
        if patterns and stamp == fingerprint(nlp, path.parent):
            return patterns, "compiled"
    logging.getLogger(__name__).warning(
        "%s does not match the knowledge files or the installed spaCy/model: patterns compiled at start "
        "(same results, ~0.8 s slower); `make knowledge` refreshes the file", path)
    return compile_patterns(nlp), "live"


@Language.factory("knowledge_ruler", default_config={"spans_key": SPANS_KEY})
def make_knowledge_ruler(nlp: Language, name: str, spans_key: str):
    return KnowledgeRuler(nlp, spans_key=spans_key)


class KnowledgeRuler:
    """Exact-case (ORTH) phrase matcher over pre-tokenised patterns; every match is kept
    (overlaps included), as a span with the pattern's label and id, like a `span_ruler`."""

    def __init__(self, nlp: Language, spans_key: str = SPANS_KEY):
        self.spans_key = spans_key
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._keys: dict[int, tuple[str, str]] = {}
        self.n_patterns = 0
        self.origin = "empty"
        self._strings = nlp.vocab.strings

    def add_patterns(self, patterns: list[dict]) -> None:
        """Patterns as `{"label", "id", "pattern", "orth": [token texts]}` (see `tokens_of`)."""
        grouped: dict[str, list[list[int]]] = {}
        for p in patterns:
            key = repr((p["label"], p["id"]))
            if key not in grouped:
                grouped[key] = []
                self._keys[self._strings.add(key)] = (p["label"], p["id"])
                self._strings.add(p["label"])
                self._strings.add(p["id"])
            grouped[key].append([hash_string(t) for t in tokens_of(p)])
        for key, keywords in grouped.items():
            self.matcher.add(key, keywords)
        self.n_patterns += len(patterns)

    def __call__(self, doc: Doc) -> Doc:
        found = set()
        for match_id, start, end in self.matcher(doc):
            if start != end:
                found.add((start, end, *self._keys[match_id]))
        doc.spans[self.spans_key] = [Span(doc, s, e, label=label, span_id=pid) for s, e, label, pid in sorted(found)]
        return doc


def main(argv: list[str] | None = None) -> int:
    """`python -m pipeline.knowledge_ruler [--check]`: (re)compile the pattern file."""
    import spacy

    from .nlp import MODEL

    check = "--check" in (argv if argv is not None else sys.argv[1:])
    nlp = spacy.load(MODEL)
    text = render(compile_patterns(nlp), fingerprint(nlp))
    current = COMPILED_PATTERNS.read_text(encoding="utf-8") if COMPILED_PATTERNS.exists() else ""
    if check:
        if current != text:
            print(f"{COMPILED_PATTERNS}: out of date; run `make knowledge`", file=sys.stderr)
            return 1
        print(f"{COMPILED_PATTERNS}: up to date")
        return 0
    COMPILED_PATTERNS.write_text(text, encoding="utf-8")
    print(f"{COMPILED_PATTERNS}: {text.count(chr(10)) - 1} patterns")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
