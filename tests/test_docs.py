"""The README's column reference is generated from the schema; they must not drift apart."""
import re

from conftest import ROOT
from pipeline.schema import TABLES, columns_markdown


def test_readme_columns_match_the_schema():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- columns:start -->\n(.*)\n<!-- columns:end -->", readme, re.S)
    assert block, "README lacks the generated columns block"
    assert block.group(1).strip() == columns_markdown().strip(), "regenerate with: python -m pipeline columns"


def test_every_table_is_documented():
    md = columns_markdown()
    for name, model in TABLES.items():
        assert f"`{name}`" in md
        for field in model.model_fields:
            assert f"`{field}`" in md
