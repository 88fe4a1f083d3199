"""The single source of truth for every output table and normalised value.

Writers (Parquet, CSV, JSONL), `load`, the gold exporter and the README's
column tables all derive from these models; add a column here and nowhere else.
"""
from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

Label = Literal["PLACE", "GROUP", "FIGURE", "DATE", "QUANTITY"]
LABELS: tuple[str, ...] = ("PLACE", "GROUP", "FIGURE", "DATE", "QUANTITY")
ENTITY_LABELS: tuple[str, ...] = ("PLACE", "GROUP", "FIGURE")

PlaceKind = Literal["country", "city", "region", "feature", "facility", "supranational"]
GroupKind = Literal["armed_group", "state_body", "international", "party", "media_research", "other"]
Granularity = Literal["day", "month", "season", "year", "decade", "range"]
DateModifier = Literal["since", "until", "before", "after", "from"]
Approx = Literal["exact", "approximately", "at_least", "at_most", "more_than", "less_than"]
QuantityCategory = Literal["personnel", "casualties", "money", "distance", "percent", "equipment", "other"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --- normalised values (returned by the pure stage functions) ----------------


class DateValue(_Frozen):
    """A DATE normalised per gold/GUIDELINES.md; value None when unresolvable."""

    value: Optional[str] = Field(None, description="ISO 8601 at the expression's granularity, or 'start/end'")
    start: Optional[dt.date] = Field(None, description="first day covered (inclusive)")
    end: Optional[dt.date] = Field(None, description="last day covered (inclusive)")
    granularity: Optional[Granularity] = None
    relative: bool = Field(False, description="the document date was needed to resolve it")
    modifier: Optional[DateModifier] = Field(None, description="since/until/before/after/from preceding the span")


class QuantityValue(_Frozen):
    """A QUANTITY normalised per gold/GUIDELINES.md."""

    value: Optional[float] = None
    low: Optional[float] = None
    high: Optional[float] = None
    unit: Optional[str] = Field(None, description="person, count, km, mile, percent or an ISO 4217 code")
    item: Optional[str] = Field(None, description="lemma of what is counted")
    approx: Approx = "exact"
    category: QuantityCategory = "other"


class DocMeta(_Frozen):
    title: Optional[str] = None
    author: Optional[str] = None
    publisher: Optional[str] = None
    published: Optional[dt.date] = None
    url: Optional[str] = None


# --- output tables -------------------------------------------------------------


class DocumentRow(_Frozen):
    """One row per input file (`documents`)."""

    doc_id: str = Field(description="stable id: the file stem")
    source_path: str = Field(description="path as given under the input folder")
    sha256: str = Field(description="hash of the raw bytes")
    title: Optional[str] = None
    author: Optional[str] = None
    publisher: Optional[str] = None
    published: Optional[dt.date] = Field(None, description="the document's own date; never the file time")
    url: Optional[str] = None
    metadata_source: Optional[str] = Field(None, description="per field: text or sidecar, as 'field=origin;…'")
    encoding: Optional[str] = Field(None, description="encoding the raw bytes were decoded with")
    n_chars_raw: Optional[int] = None
    n_chars_clean: Optional[int] = None
    status: Literal["ok", "error"] = "ok"
    error: Optional[str] = None


class MentionRow(_Frozen):
    """One row per mention of any label (`mentions`)."""

    mention_id: str = Field(description="doc_id:label:start-end, stable across runs")
    doc_id: str
    label: Label
    text: str = Field(description="exactly clean_text[start:end]")
    start: int = Field(description="offset in the cleaned text")
    end: int
    raw_start: int = Field(description="offset in the raw file (characters of the decoded text)")
    raw_end: int
    sentence: str = Field(description="the sentence of the cleaned text holding the mention")
    entity_id: Optional[str] = Field(None, description="PLACE/GROUP/FIGURE: canonical entity")
    role: Optional[str] = Field(None, description="FIGURE: title or role attached to the name here")
    source: str = Field(description="rule or model that produced it")


class EntityRow(_Frozen):
    """One row per canonical PLACE/GROUP/FIGURE (`entities`)."""

    entity_id: str
    label: Label
    name: str
    kind: Optional[str] = None
    country: Optional[str] = Field(None, description="ISO 3166-1 alpha-2")
    aliases: list[str] = Field(default_factory=list)
    role: Optional[str] = None
    latitude: Optional[float] = None
    longitude: Optional[float] = None
    n_mentions: int = 0
    n_docs: int = 0


class DateRow(_Frozen):
    """One row per DATE mention (`dates`)."""

    mention_id: str
    doc_id: str
    text: str
    value: Optional[str] = None
    start_date: Optional[dt.date] = None
    end_date: Optional[dt.date] = None
    granularity: Optional[Granularity] = None
    relative: bool = False
    modifier: Optional[DateModifier] = None


class QuantityRow(_Frozen):
    """One row per QUANTITY mention (`quantities`)."""

    mention_id: str
    doc_id: str
    text: str
    value: Optional[float] = None
    low: Optional[float] = None
    high: Optional[float] = None
    unit: Optional[str] = None
    item: Optional[str] = None
    approx: Approx = "exact"
    category: QuantityCategory = "other"


class ErrorRow(_Frozen):
    """One row per document that failed (`errors`)."""

    doc_id: str
    source_path: str
    stage: str
    error: str


TABLES: dict[str, type[BaseModel]] = {
    "documents": DocumentRow,
    "mentions": MentionRow,
    "entities": EntityRow,
    "dates": DateRow,
    "quantities": QuantityRow,
    "errors": ErrorRow,
}
