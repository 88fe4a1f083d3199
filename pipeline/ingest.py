"""Read raw documents: bytes -> text, with the encoding recorded and bad files refused.

UTF-8 (with or without BOM) is tried first because nearly every scraped or
extracted file is UTF-8; only then is a detector asked, so a valid UTF-8 file is
never "re-guessed" into mojibake. Offsets everywhere are character offsets into
the decoded text returned here (CRLF line ends are kept: "\\r" is a character).

The `encoding` recorded per document is one of: "utf-8", "utf-8-sig" (BOM
dropped), "utf-16" (BOM), "utf-16-le"/"utf-16-be" (no BOM), "utf-8+cp1252"
(UTF-8 with a few stray Windows-1252 bytes, each read as cp1252), or the codec
the detector chose (e.g. "cp1252", "latin_1", "cp1256").
"""
from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePath

from charset_normalizer import from_bytes

from .errors import DocumentError

DEFAULT_MAX_BYTES = 20_000_000
_CONTROL_OK = {"\n", "\r", "\t", "\f", "\v"}

# Formats that are often renamed .txt by accident; refused with what to do instead.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document, not plain text; extract its text first (e.g. `pdftotext file.pdf`)"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx/.odt), not plain text; extract or save it as plain text first"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Microsoft Office file (.doc/.xls), not plain text; save it as plain text first"),
    (b"{\\rtf", "an RTF document, not plain text; save it as plain text first"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image, not a text document"),
    (b"\xff\xd8\xff", "a JPEG image, not a text document"),
    (b"GIF87a", "a GIF image, not a text document"),
    (b"GIF89a", "a GIF image, not a text document"),
    (b"\x1f\x8b", "gzip-compressed, not plain text; decompress it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive, not plain text; extract it first"),
    (b"Rar!\x1a\x07", "a RAR archive, not plain text; extract it first"),
    (b"\x7fELF", "an executable, not a text document"),
)

# A well-formed multi-byte UTF-8 sequence (RFC 3629).
_UTF8_MULTI = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_HIGH = bytes(range(128, 256))


@dataclass(frozen=True)
class RawDoc:
    doc_id: str
    source_path: str
    text: str
    sha256: str
    encoding: str
    n_bytes: int


def relative_name(path: Path, root: Path) -> str:
    """The file's path under the input folder, with '/' separators (the path itself if outside it)."""
    rel = path.relative_to(root) if path.is_relative_to(root) else path
    return PurePath(rel).as_posix()


def doc_id_for(path: Path, root: Path | None = None) -> str:
    """Stable id from the file's place under the input folder (never from processing order).

    `seeds/004_x.txt` -> "004_x"; `corpus/2019/report.txt` -> "2019/report", so two
    files with the same name in different subfolders never collide.
    """
    name = relative_name(path, root) if root is not None else PurePath(path.name).as_posix()
    return name[:-4] if name.lower().endswith(".txt") else str(PurePath(name).with_suffix(""))


def document_path(input_dir: Path, doc_id: str) -> Path | None:
    """The input file of a doc_id: `<doc_id>.txt`, or that name with the extension in another case."""
    path = input_dir / f"{doc_id}.txt"
    if path.is_file():
        return path
    folder, stem = path.parent, PurePath(doc_id).name
    if folder.is_dir():
        for candidate in sorted(folder.iterdir()):
            if candidate.suffix.lower() == ".txt" and candidate.name[:-4] == stem and candidate.is_file():
                return candidate
    return None


def _cp1252_byte(exc: UnicodeError) -> tuple[str, int]:
    """codecs error handler: each byte that is not UTF-8 is read as Windows-1252 (else Latin-1)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    chunk = exc.object[exc.start:exc.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in chunk), exc.end


codecs.register_error("pipeline-cp1252", _cp1252_byte)


def sniff_format(data: bytes) -> str | None:
    """What a non-text file is, from its first bytes (None when no known signature matches)."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the bytes look like mostly-Latin UTF-16 without a BOM."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    for zeros, other, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= 0.9 * len(zeros) and other.count(0) <= 0.01 * len(other):
            return codec
    return None


def _mostly_utf8(data: bytes) -> bool:
    """More well-formed multi-byte UTF-8 sequences than stray bytes: UTF-8 with a few legacy bytes pasted in."""
    n_high = len(data) - len(data.translate(None, _HIGH))
    valid = _UTF8_MULTI.findall(data)
    n_valid_bytes = sum(len(v) for v in valid)
    return bool(valid) and len(valid) >= n_high - n_valid_bytes


def _control_heavy(text: str) -> bool:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in _CONTROL_OK)
    return controls > max(8, len(text) // 100)


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Bytes -> (text, encoding name); raises DocumentError for binary data."""
    what = sniff_format(data)
    if what:
        raise DocumentError("ingest", f"{name}: is {what}")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as e:
            raise DocumentError("ingest", f"{name}: starts with a UTF-8 BOM but is not valid UTF-8 at byte {e.start + 3}; "
                                          "re-save it as UTF-8") from e
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as e:
            raise DocumentError("ingest", f"{name}: has a UTF-16 BOM but does not decode as UTF-16; re-save it as UTF-8") from e
    if b"\x00" in data[:8192]:
        codec = _utf16_without_bom(data)
        if codec:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                text = None
            if text is not None and not _control_heavy(text):
                return text, codec
        raise DocumentError("ingest", f"{name}: looks binary (NUL bytes), not a text document; convert it to plain text first")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return data.decode("utf-8", errors="pipeline-cp1252"), "utf-8+cp1252"
    best = _best_match(data)
    if best is None:
        raise DocumentError("ingest", f"{name}: not text in any known encoding (binary file renamed .txt?); "
                                      "convert it to UTF-8 plain text first")
    text = str(best)
    if _control_heavy(text):
        raise DocumentError("ingest", f"{name}: decodes as {best.encoding} but is mostly control characters (binary file?)")
    return text, _name_of(data, text, best.encoding)


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


def _name_of(data: bytes, text: str, guessed: str) -> str:
    """Report a preferred code page when it reads the bytes to the very same text (cp1250 vs cp1252 ties)."""
    for codec in _PREFERRED:
        if codec == guessed:
            return codec
        try:
            if data.decode(codec) == text:
                return codec
        except UnicodeDecodeError:
            continue
    return guessed


def read_document(path: Path, root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDoc:
    """Read one file; every failure is a DocumentError naming the file."""
    rel = relative_name(path, root)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError("ingest", f"{rel}: {size:,} bytes exceeds the size limit of {max_bytes:,} "
                                          "(split the file, or raise the limit with --max-bytes)")
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)  # the file may have grown since stat()
    except FileNotFoundError as e:
        if path.is_symlink():
            raise DocumentError("ingest", f"{rel}: is a broken symbolic link") from e
        raise DocumentError("ingest", f"{rel}: vanished before it could be read (deleted or moved during the run)") from e
    except PermissionError as e:
        raise DocumentError("ingest", f"{rel}: not readable (permission denied)") from e
    except IsADirectoryError as e:
        raise DocumentError("ingest", f"{rel}: is a directory") from e
    except OSError as e:
        raise DocumentError("ingest", f"{rel}: cannot be read ({e.strerror or e})") from e
    if len(data) > max_bytes:
        raise DocumentError("ingest", f"{rel}: grew past the size limit of {max_bytes:,} bytes while being read "
                                      "(raise it with --max-bytes)")
    if not data:
        raise DocumentError("ingest", f"{rel}: empty file (0 bytes)")
    text, encoding = decode(data, rel)
    if not text.strip():
        raise DocumentError("ingest", f"{rel}: empty file (only whitespace)")
    return RawDoc(
        doc_id=doc_id_for(path, root),
        source_path=rel,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        n_bytes=len(data),
    )
