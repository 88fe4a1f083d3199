"""Reading raw files: encodings detected and recorded, bad files refused with a clear message."""
import codecs

import pytest

from pipeline.errors import DocumentError
from pipeline.ingest import read_document

TEXT = "Le général Saïd Chengriha a rencontré le ministre à Alger. L’accord renforce la sécurité."


def write(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_utf8_is_read_as_is(tmp_path):
    d = read_document(write(tmp_path, "a.txt", TEXT.encode("utf-8")), tmp_path)
    assert d.text == TEXT and d.encoding == "utf-8" and d.doc_id == "a"


def test_utf8_bom_is_dropped_and_recorded(tmp_path):
    d = read_document(write(tmp_path, "b.txt", codecs.BOM_UTF8 + TEXT.encode("utf-8")), tmp_path)
    assert d.text == TEXT and d.encoding == "utf-8-sig"


def test_windows_1252_is_detected(tmp_path):
    text = "Le général Saïd Chengriha a déclaré à Alger que l’armée reste vigilante. " * 5
    d = read_document(write(tmp_path, "c.txt", text.encode("cp1252")), tmp_path)
    assert "général" in d.text and "Saïd" in d.text
    assert d.encoding.replace("-", "").replace("_", "").lower() in {"cp1252", "windows1252", "latin1", "iso88591"}


def test_latin1_is_detected(tmp_path):
    text = "La frontière algéro-tunisienne reste fermée près de Tébessa depuis des années. " * 5
    d = read_document(write(tmp_path, "d.txt", text.encode("latin-1")), tmp_path)
    assert "frontière" in d.text and "Tébessa" in d.text


def test_crlf_is_kept_in_the_raw_text(tmp_path):
    d = read_document(write(tmp_path, "e.txt", b"line one\r\nline two\r\n"), tmp_path)
    assert d.text == "line one\r\nline two\r\n"


def test_binary_file_is_refused_with_the_file_name(tmp_path):
    data = bytes(range(256)) * 50
    with pytest.raises(DocumentError) as e:
        read_document(write(tmp_path, "image.txt", data), tmp_path)
    assert "image.txt" in e.value.message and e.value.stage == "ingest"


def test_empty_file_is_refused(tmp_path):
    with pytest.raises(DocumentError, match="empty"):
        read_document(write(tmp_path, "empty.txt", b"  \n"), tmp_path)


def test_size_limit_is_enforced_with_a_hint(tmp_path):
    with pytest.raises(DocumentError, match="--max-bytes"):
        read_document(write(tmp_path, "big.txt", b"x" * 2000), tmp_path, max_bytes=1000)


def test_vanished_file_is_reported(tmp_path):
    with pytest.raises(DocumentError, match="vanished"):
        read_document(tmp_path / "gone.txt", tmp_path)


def test_sha256_is_of_the_raw_bytes(tmp_path):
    import hashlib

    data = codecs.BOM_UTF8 + TEXT.encode("utf-8")
    d = read_document(write(tmp_path, "f.txt", data), tmp_path)
    assert d.sha256 == hashlib.sha256(data).hexdigest()
