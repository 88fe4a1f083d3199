"""Arbitrary Unicode through `clean` and the analysis: no exception, offsets always valid."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from pipeline.clean import clean
from pipeline.extract import analyse
from pipeline.ingest import RawDoc

# Realistic material to splice arbitrary characters into, so the entity, date and
# quantity paths are exercised too, not only the empty-text ones.
_SEED = (SEEDS / "004_46608a76e80a700b.txt").read_text(encoding="utf-8")
_PIECES = [_SEED[i:i + 160] for i in range(0, 4000, 160)] + [
    "Gen. Saïd Chengriha met AQIM leaders near Tébessa on 3 March 2019; 5,000 soldiers.\r\n",
    "# Heading\n\n* item one\n* item two\n\nsecurity coop-\neration in the Sahel",
    "\ufeff\u200b\u00ad\u2011\u00a0\u202f\u0301e\u0627\u0644\u062c\u0632\u0627\u0626\u0631",
]
texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=20)), max_size=6).map("".join),
)


def _check_offsets(raw: str, cd) -> None:
    assert len(cd.offsets) == len(cd.text)
    assert all(a <= b for a, b in zip(cd.offsets, cd.offsets[1:])), "offsets must be non-decreasing"
    assert all(0 <= o < len(raw) for o in cd.offsets)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_clean_never_raises_and_offsets_are_valid(raw):
    _check_offsets(raw, clean(raw))


@pytest.fixture(scope="module")
def nlp():
    from pipeline.nlp import build_nlp

    return build_nlp()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(raw=texts)
def test_analysis_never_raises_and_every_mention_is_an_exact_slice(nlp, raw):
    cd = clean(raw)
    _check_offsets(raw, cd)
    doc = RawDoc(doc_id="fuzz", source_path="fuzz.txt", text=raw, sha256="0" * 64, encoding="utf-8", n_bytes=len(raw))
    result = analyse(doc, cd, nlp(cd.text), cd.meta, "")
    for m in result.mentions:
        assert m.text == cd.text[m.start:m.end]
        assert 0 <= m.start < m.end <= len(cd.text)
        assert 0 <= m.raw_start < m.raw_end <= len(raw)
    ids = [m.mention_id for m in result.mentions]
    assert len(ids) == len(set(ids))
