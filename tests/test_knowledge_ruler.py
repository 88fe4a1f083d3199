"""The knowledge ruler (pipeline/knowledge_ruler.py): pre-tokenised patterns, same matches as a span_ruler.

The compiled file is a cache of a derivation; these tests pin that it is current, that it
gives exactly what a `span_ruler` fed the same phrases gives, and that a stale or broken
file is never trusted.
"""
from __future__ import annotations

import json
import shutil

import pytest
from spacy.tokens import Doc

from pipeline import kb as kbmod
from pipeline import knowledge_ruler as R
from pipeline.clean import clean
from pipeline.knowledge import KNOWLEDGE_DIR

from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# Written for this test: overlapping names, an alias inside a longer name, curly and straight
# apostrophes, sentence-initial capitals, and words that must not match.
SENTENCES = (
    "Al-Qaeda in the Islamic Maghreb and the Islamic State in the Greater Sahara clashed near Ménaka and Gao.",
    "The Ministry of Defence in Tripoli said the Libyan National Army had left Sirte and Ben Gardane.",
    "N’Djamena and N'Djamena both host the G5 Sahel force; may the market in Agadez reopen.",
    "Niger, Nigeria, Libya and Liberia signed; Tunis hosted Tunisia's talks with the African Union.",
)


@pytest.fixture(scope="module")
def compiled(stock_nlp):
    """(fingerprint, patterns) of the committed file, and the patterns compiled now."""
    stamp, patterns = R.read_compiled(R.COMPILED_PATTERNS)
    return stamp, patterns, R.compile_patterns(stock_nlp)


@pytest.fixture(scope="module")
def span_ruler_nlp(stock_nlp):
    """The reference: a span_ruler fed the phrase strings (what the ruler replaces)."""
    import spacy

    nlp = spacy.blank("en", vocab=stock_nlp.vocab)
    nlp.tokenizer = stock_nlp.tokenizer
    ruler = nlp.add_pipe("span_ruler", name="knowledge", config={"spans_key": "knowledge", "phrase_matcher_attr": "ORTH"})
    ruler.add_patterns(kbmod.phrase_patterns(kbmod.load_kb()))
    return nlp


@pytest.fixture(scope="module")
def ruler(stock_nlp, compiled):
    r = R.KnowledgeRuler(stock_nlp)
    r.add_patterns(compiled[1])
    return r


def _spans(doc: Doc) -> list[tuple[int, int, str, str]]:
    return sorted((s.start, s.end, s.label_, s.id_) for s in doc.spans["knowledge"])


def test_compiled_file_is_current_with_the_knowledge_files(compiled):
    stamp, on_disk, now = compiled
    here = R.fingerprint_sources()
    assert stamp["sources_sha256"] == here, "knowledge files changed since the patterns were compiled: run `make knowledge`"
    assert stamp["compiler"] == str(R.COMPILER_VERSION)
    assert [{**p, "orth": R.tokens_of(p)} for p in on_disk] == now, "pattern derivation changed: run `make knowledge`"


def test_file_leaves_out_only_tokens_that_space_splitting_gives_back(compiled):
    _, on_disk, now = compiled
    assert len(on_disk) == len(now) > 10_000
    stored = sum("orth" in p for p in on_disk)
    assert 0 < stored < len(on_disk)  # "al-Qaeda" needs its tokens; "Ben Gardane" does not
    assert all(R.tokens_of(p) == p["pattern"].split(" ") for p in on_disk if "orth" not in p)


@pytest.mark.parametrize("text", SENTENCES)
def test_ruler_matches_exactly_what_a_span_ruler_matches(text, ruler, span_ruler_nlp, stock_nlp):
    ours = ruler(stock_nlp.make_doc(text))
    reference = span_ruler_nlp(text)
    assert _spans(ours) == _spans(reference)
    assert _spans(ours), "the sentences name known entities"


def test_ruler_matches_exactly_what_a_span_ruler_matches_on_the_seeds(ruler, span_ruler_nlp, stock_nlp):
    n = 0
    for path in sorted(SEEDS.glob("*.txt")):
        text = clean(path.read_text(encoding="utf-8")).text
        ours, reference = ruler(stock_nlp.make_doc(text)), span_ruler_nlp(text)
        assert _spans(ours) == _spans(reference), path.name
        n += len(ours.spans["knowledge"])
    assert n > 500


def test_overlapping_names_are_all_kept(ruler, stock_nlp):
    doc = ruler(stock_nlp.make_doc("Fighters of Al-Qaeda in the Islamic Maghreb"))
    texts = {s.text for s in doc.spans["knowledge"]}
    assert {"Al-Qaeda in the Islamic Maghreb", "Al-Qaeda", "Maghreb"} <= texts


def test_match_carries_label_and_entry_id(ruler, stock_nlp):
    doc = ruler(stock_nlp.make_doc("They met in Tunis."))
    (span,) = [s for s in doc.spans["knowledge"] if s.text == "Tunis"]
    assert span.label_ == "PLACE" and span.id_.startswith("place:")
    assert kbmod.load_kb().entries[span.id_].name == "Tunis"


def test_matching_is_case_exact(ruler, stock_nlp):
    doc = ruler(stock_nlp.make_doc("tunis and TUNIS are not the city as written"))
    assert not [s for s in doc.spans["knowledge"] if s.text.lower() == "tunis"]


def test_doc_without_names_gets_an_empty_group(ruler, stock_nlp):
    doc = ruler(stock_nlp.make_doc("nothing here is named at all"))
    assert list(doc.spans["knowledge"]) == []


def test_current_file_is_used(stock_nlp):
    patterns, origin = R.load_patterns(stock_nlp)
    assert origin == "compiled" and len(patterns) > 10_000


def _copy_knowledge(tmp_path):
    folder = tmp_path / "knowledge"
    folder.mkdir()
    for name in (*R.SOURCE_FILES, R.COMPILED_PATTERNS.name):
        shutil.copyfile(KNOWLEDGE_DIR / name, folder / name)
    return folder


def test_edited_knowledge_file_makes_the_compiled_file_stale(tmp_path, stock_nlp, compiled):
    folder = _copy_knowledge(tmp_path)
    with (folder / "places.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "xx-new-town", "name": "Newtown", "kind": "city"}) + "\n")
    patterns, origin = R.load_patterns(stock_nlp, folder / R.COMPILED_PATTERNS.name)
    assert origin == "live"
    assert patterns == compiled[2]  # compiled from the installed knowledge, never from a stale cache


def test_other_tokenizer_version_makes_the_compiled_file_stale(tmp_path, stock_nlp):
    folder = _copy_knowledge(tmp_path)
    path = folder / R.COMPILED_PATTERNS.name
    lines = path.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    header["fingerprint"]["spacy"] = "3.8.0-other"
    path.write_text("\n".join([json.dumps(header), *lines[1:]]) + "\n", encoding="utf-8")
    assert R.load_patterns(stock_nlp, path)[1] == "live"


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_damaged_compiled_file_is_not_trusted(tmp_path, stock_nlp, damage):
    folder = _copy_knowledge(tmp_path)
    path = folder / R.COMPILED_PATTERNS.name
    text = path.read_text(encoding="utf-8")
    path.write_text({"truncate": text[: len(text) // 2], "garbage": "{not json\n", "empty": ""}[damage], encoding="utf-8")
    with pytest.raises(R.KnowledgeRulerError, match=path.name):
        R.read_compiled(path)
    assert R.load_patterns(stock_nlp, path)[1] == "live"


def test_check_command_reports_current_file(capsys):
    assert R.main(["--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_built_pipeline_uses_the_knowledge_ruler_first():
    from pipeline.nlp import build_nlp

    nlp = build_nlp()
    assert nlp.pipe_names[0] == "knowledge"
    assert isinstance(nlp.get_pipe("knowledge"), R.KnowledgeRuler)
    assert nlp.get_pipe("knowledge").origin == "compiled"
