"""Read raw documents: bytes -> text, with the encoding recorded and bad files refused.

UTF-8 (with or without BOM) is tried first because nearly every scraped or
extracted file is UTF-8; only then is a detector asked, so a valid UTF-8 file is
never "re-guessed" into mojibake. Offsets everywhere are character offsets into
the decoded text returned here.
"""
from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from .errors import DocumentError

DEFAULT_MAX_BYTES = 20_000_000
_CONTROL_OK = {"\n", "\r", "\t", "\f", "\v"}


@dataclass(frozen=True)
class RawDoc:
    doc_id: str
    source_path: str
    text: str
    sha256: str
    encoding: str
    n_bytes: int


def doc_id_for(path: Path) -> str:
    """Stable id from the file name (not from processing order)."""
    return path.stem


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Bytes -> (text, encoding name); raises DocumentError for binary data."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as e:
            raise DocumentError("ingest", f"{name}: starts with a UTF-8 BOM but is not valid UTF-8 at byte {e.start}") from e
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as e:
            raise DocumentError("ingest", f"{name}: has a UTF-16 BOM but does not decode as UTF-16") from e
    if b"\x00" in data[:8192]:
        raise DocumentError("ingest", f"{name}: looks binary (NUL bytes), not a text document; convert it to text first")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = _best_match(data)
    if best is None:
        raise DocumentError("ingest", f"{name}: not text in any known encoding (binary file renamed .txt?)")
    text = str(best)
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in _CONTROL_OK)
    if controls > max(8, len(text) // 100):
        raise DocumentError("ingest", f"{name}: decodes as {best.encoding} but is mostly control characters (binary file?)")
    return text, best.encoding


# Sources in this field are English/French/Arabic; among equally coherent single-byte
# guesses the Western code pages are by far the likeliest (cp1250 and cp1252 often tie).
_PREFERRED = ("cp1252", "latin_1", "iso8859_15")


def _best_match(data: bytes):
    results = list(from_bytes(data))
    if not results:
        return None
    best = min(results, key=lambda r: (r.chaos, -r.coherence))
    for r in results:
        if r.encoding in _PREFERRED and r.chaos <= best.chaos + 0.05:
            return r
    return best


def read_document(path: Path, root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDoc:
    """Read one file; every failure is a DocumentError naming the file."""
    rel = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError("ingest", f"{rel}: {size:,} bytes exceeds the size limit of {max_bytes:,} (raise it with --max-bytes)")
        data = path.read_bytes()
    except FileNotFoundError as e:
        raise DocumentError("ingest", f"{rel}: vanished before it could be read") from e
    except PermissionError as e:
        raise DocumentError("ingest", f"{rel}: not readable (permission denied)") from e
    except IsADirectoryError as e:
        raise DocumentError("ingest", f"{rel}: is a directory") from e
    if not data.strip():
        raise DocumentError("ingest", f"{rel}: empty file")
    text, encoding = decode(data, rel)
    return RawDoc(
        doc_id=doc_id_for(path),
        source_path=rel,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        n_bytes=len(data),
    )
