"""The seeds are immutable raw data: byte-for-byte the shared originals."""
import hashlib

import pytest

from conftest import ROOT, SEEDS


def _manifest():
    lines = (ROOT / "tests" / "seeds.sha256").read_text().split("\n")
    return dict(reversed(line.split("  ", 1)) for line in lines if line.strip())


def test_seed_hashes_match_the_manifest():
    manifest = _manifest()
    assert len(manifest) == 5
    for name, digest in manifest.items():
        assert hashlib.sha256((SEEDS / name).read_bytes()).hexdigest() == digest, name


def test_seeds_are_the_shared_originals():
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds not present in this checkout")
    for original in sorted(shared.glob("*.txt")):
        assert (SEEDS / original.name).read_bytes() == original.read_bytes(), original.name
