"""Reading awkward files: every encoding decoded and recorded, every non-text file refused with a reason."""
import codecs
import os

import pytest

from pipeline.errors import DocumentError, InputError
from pipeline.extract import _check_unique_ids, files_not_read, list_inputs
from pipeline.ingest import decode, doc_id_for, read_document

FRENCH = "Le général Saïd Chengriha a déclaré à Alger que l’armée reste vigilante. "


def write(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    return p


@pytest.mark.parametrize("data, what", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "ZIP"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "Microsoft Office"),
    (b"{\\rtf1\\ansi\\deff0 {\\fonttbl}", "RTF"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
    (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip"),
])
def test_known_binary_formats_are_named(tmp_path, data, what):
    with pytest.raises(DocumentError) as e:
        read_document(write(tmp_path, "renamed.txt", data + os.urandom(200)), tmp_path)
    assert e.value.stage == "ingest"
    assert e.value.message.startswith("renamed.txt: is ") and what in e.value.message


def test_random_bytes_are_refused(tmp_path):
    with pytest.raises(DocumentError, match="renamed.txt: .*(binary|not text)"):
        read_document(write(tmp_path, "renamed.txt", b"\x00" + os.urandom(4000)), tmp_path)


def test_utf8_with_a_few_windows_1252_bytes_is_kept(tmp_path):
    data = (FRENCH * 3).encode("utf-8") + b"It\x92s a \x93quote\x94. " + (FRENCH * 2).encode("utf-8")
    d = read_document(write(tmp_path, "mixed.txt", data), tmp_path)
    assert d.encoding == "utf-8+cp1252"
    assert "It’s a “quote”." in d.text and d.text.count("général") == 5


def test_utf16_without_bom_is_read(tmp_path):
    text = "The Algerian army deployed 5,000 soldiers near Tamanrasset.\r\n"
    for codec in ("utf-16-le", "utf-16-be"):
        d = read_document(write(tmp_path, f"{codec}.txt", text.encode(codec)), tmp_path)
        assert d.text == text and d.encoding == codec


def test_utf16_with_bom_is_read(tmp_path):
    text = "Tébessa, Algérie"
    d = read_document(write(tmp_path, "u16.txt", text.encode("utf-16")), tmp_path)
    assert d.text == text and d.encoding == "utf-16"


def test_short_windows_1252_is_reported_as_cp1252(tmp_path):
    d = read_document(write(tmp_path, "short.txt", "The army’s “plan” for Tébessa".encode("cp1252")), tmp_path)
    assert d.text == "The army’s “plan” for Tébessa" and d.encoding == "cp1252"


def test_arabic_code_page_is_detected(tmp_path):
    text = "أعلن الجيش الجزائري عن نشر خمسة آلاف جندي قرب الحدود مع مالي والنيجر. " * 4
    d = read_document(write(tmp_path, "ar.txt", text.encode("cp1256")), tmp_path)
    assert d.text == text and d.encoding == "cp1256"


def test_bom_only_file_is_empty(tmp_path):
    with pytest.raises(DocumentError, match="empty"):
        read_document(write(tmp_path, "bom.txt", codecs.BOM_UTF8 + b"\r\n"), tmp_path)


def test_size_limit_names_the_size_and_the_option(tmp_path):
    with pytest.raises(DocumentError) as e:
        read_document(write(tmp_path, "big.txt", b"word " * 1000), tmp_path, max_bytes=4000)
    assert e.value.message == "big.txt: 5,000 bytes exceeds the size limit of 4,000 (split the file, or raise the limit with --max-bytes)"


def test_broken_symlink_is_reported(tmp_path):
    (tmp_path / "link.txt").symlink_to(tmp_path / "missing.txt")
    with pytest.raises(DocumentError, match="link.txt: is a broken symbolic link"):
        read_document(tmp_path / "link.txt", tmp_path)


def test_directory_named_txt_is_reported(tmp_path):
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(DocumentError, match="folder.txt: is a directory"):
        read_document(tmp_path / "folder.txt", tmp_path)


def test_doc_id_is_the_relative_path_without_txt():
    from pathlib import Path

    root = Path("/corpus")
    assert doc_id_for(root / "004_x.txt", root) == "004_x"
    assert doc_id_for(root / "2019" / "jan" / "report.v2.txt", root) == "2019/jan/report.v2"
    assert doc_id_for(root / "a.txt") == "a"


def test_same_name_in_two_subfolders_gives_two_ids(tmp_path):
    a = read_document(write(tmp_path, "north/report.txt", b"Algeria."), tmp_path)
    b = read_document(write(tmp_path, "south/report.txt", b"Mali."), tmp_path)
    assert (a.doc_id, b.doc_id) == ("north/report", "south/report")
    assert (a.source_path, b.source_path) == ("north/report.txt", "south/report.txt")


def test_inputs_are_listed_by_relative_path_and_skip_the_output(tmp_path):
    for name in ("b.txt", "a/z.txt", "a.txt", "out/clean/a.txt", "notes.md", "._b.txt", ".git/x.txt", "old/.versions/1/clean/a.txt"):
        write(tmp_path, name, b"x")
    files = list_inputs(tmp_path, exclude=tmp_path / "out")
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["a.txt", "a/z.txt", "b.txt"]
    with pytest.raises(InputError, match="also the output folder"):
        list_inputs(tmp_path, exclude=tmp_path)


def test_txt_extension_is_matched_in_any_case(tmp_path):
    for name in ("REPORT.TXT", "b.Txt", "c.txt", "d.txt.bak"):
        write(tmp_path, name, b"x")
    files = list_inputs(tmp_path)
    assert [f.name for f in files] == ["REPORT.TXT", "b.Txt", "c.txt"]
    assert [doc_id_for(f, tmp_path) for f in files] == ["REPORT", "b", "c"]


def test_same_name_with_two_cases_of_extension_is_refused_not_merged(tmp_path):
    paths = [write(tmp_path, "a.txt", b"x"), write(tmp_path, "a.TXT", b"y")]
    with pytest.raises(InputError, match="both get the doc_id 'a'"):
        _check_unique_ids(paths, tmp_path)


def test_files_that_are_not_text_are_named_not_dropped_silently(tmp_path):
    for name in ("a.txt", "2019/report.pdf", "page.html", ".hidden.pdf", ".git/config", "out/mentions.parquet", "meta.csv"):
        write(tmp_path, name, b"x")
    assert files_not_read(tmp_path, exclude=tmp_path / "out", also=tmp_path / "meta.csv") == ["2019/report.pdf", "page.html"]
    assert files_not_read(tmp_path, exclude=tmp_path / "out") == ["2019/report.pdf", "meta.csv", "page.html"]


def test_decode_never_re_guesses_valid_utf8():
    text = "Ã© is what mojibake looks like; the file itself is valid UTF-8."
    assert decode(text.encode("utf-8"), "x") == (text, "utf-8")
