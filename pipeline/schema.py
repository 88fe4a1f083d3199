"""The single source of truth for every output table and normalised value.

Writers (Parquet, CSV, JSONL), `load`, the gold exporter and the README's
column tables all derive from these models; add a column here and nowhere else.
"""
from __future__ import annotations

import datetime as dt
from typing import Literal, Optional, get_args

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

# The same vocabularies as plain tuples, for validators that do not go through pydantic
# (the gold checker, the knowledge build): derived, never restated.
PLACE_KINDS: tuple[str, ...] = get_args(PlaceKind)
GROUP_KINDS: tuple[str, ...] = get_args(GroupKind)
GRANULARITIES: tuple[str, ...] = get_args(Granularity)
DATE_MODIFIERS: tuple[str, ...] = get_args(DateModifier)
APPROX_VALUES: tuple[str, ...] = get_args(Approx)
QUANTITY_CATEGORIES: tuple[str, ...] = get_args(QuantityCategory)


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

    doc_id: str = Field(description="stable id: the path under the input folder without .txt")
    source_path: str = Field(description="path as given under the input folder")
    sha256: str = Field(description="hash of the raw bytes")
    title: Optional[str] = Field(None, description="title as the text (or the sidecar) gives it")
    author: Optional[str] = Field(None, description="author(s) where stated")
    publisher: Optional[str] = Field(None, description="publisher where stated")
    published: Optional[dt.date] = Field(None, description="the document's own date; never the file time")
    url: Optional[str] = Field(None, description="from the metadata sidecar")
    metadata_source: Optional[str] = Field(None, description="per field: text or sidecar, as 'field=origin;…'")
    encoding: Optional[str] = Field(None, description="encoding the raw bytes were decoded with")
    n_chars_raw: Optional[int] = Field(None, description="characters of the decoded raw text")
    n_chars_clean: Optional[int] = Field(None, description="characters of the cleaned text")
    status: Literal["ok", "error"] = Field("ok", description="error: see `error` and the errors table")
    error: Optional[str] = Field(None, description="stage: message, for failed documents")


class MentionRow(_Frozen):
    """One row per mention of any label (`mentions`)."""

    mention_id: str = Field(description="doc_id:start-end:label (cleaned offsets), stable across runs")
    doc_id: str = Field(description="the document (documents.doc_id)")
    label: Label = Field(description="which of the five labels")
    text: str = Field(description="exactly clean_text[start:end]")
    start: int = Field(description="offset in the cleaned text (outputs/clean/<doc_id>.txt)")
    end: int = Field(description="end offset in the cleaned text (exclusive)")
    raw_start: int = Field(description="offset in the raw file (characters of the decoded text)")
    raw_end: int = Field(description="end offset in the raw file (exclusive)")
    sentence: str = Field(description="the sentence of the cleaned text holding the mention")
    entity_id: Optional[str] = Field(None, description="PLACE/GROUP/FIGURE: canonical entity")
    role: Optional[str] = Field(None, description="FIGURE: title or role attached to the name here")
    source: str = Field(description="rule or model that produced it")


class EntityRow(_Frozen):
    """One row per canonical PLACE/GROUP/FIGURE (`entities`)."""

    entity_id: str = Field(description="stable id: the knowledge-file id or derived from the canonical name")
    label: Label = Field(description="PLACE, GROUP or FIGURE")
    name: str = Field(description="canonical name (knowledge file, else the most complete form)")
    kind: Optional[str] = Field(None, description="PLACE: country/city/region/feature/facility/supranational; GROUP: armed_group/state_body/international/party/media_research/other")
    country: Optional[str] = Field(None, description="ISO 3166-1 alpha-2")
    aliases: list[str] = Field(default_factory=list, description="every surface form seen")
    role: Optional[str] = Field(None, description="FIGURE: the most frequent role attached to the name")
    latitude: Optional[float] = Field(None, description="PLACE: from the gazetteer")
    longitude: Optional[float] = Field(None, description="PLACE: from the gazetteer")
    n_mentions: int = Field(0, description="mentions in the corpus")
    n_docs: int = Field(0, description="documents mentioning it")


class DateRow(_Frozen):
    """One row per DATE mention (`dates`)."""

    mention_id: str = Field(description="the mention (mentions.mention_id)")
    doc_id: str = Field(description="the document")
    text: str = Field(description="the date expression as written")
    value: Optional[str] = Field(None, description="ISO 8601 at the expression's granularity, or start/end; null when unresolvable")
    start_date: Optional[dt.date] = Field(None, description="first day covered (inclusive)")
    end_date: Optional[dt.date] = Field(None, description="last day covered (inclusive)")
    granularity: Optional[Granularity] = Field(None, description="day, month, season, year, decade or range")
    relative: bool = Field(False, description="the expression needs the document date")
    modifier: Optional[DateModifier] = Field(None, description="since/until/before/after/from before it")


class QuantityRow(_Frozen):
    """One row per QUANTITY mention (`quantities`)."""

    mention_id: str = Field(description="the mention (mentions.mention_id)")
    doc_id: str = Field(description="the document")
    text: str = Field(description="the quantity as written")
    value: Optional[float] = Field(None, description="the number; null for vague amounts")
    low: Optional[float] = Field(None, description="lower bound of a range or vague amount")
    high: Optional[float] = Field(None, description="upper bound of a range")
    unit: Optional[str] = Field(None, description="person, count, km, mile, percent or ISO 4217 currency")
    item: Optional[str] = Field(None, description="lemma of what is counted")
    approx: Approx = Field("exact", description="exact, approximately, at_least, at_most, more_than, less_than")
    category: QuantityCategory = Field("other", description="personnel, casualties, money, distance, percent, equipment, other")


class ErrorRow(_Frozen):
    """One row per document that failed (`errors`)."""

    doc_id: str = Field(description="the document")
    source_path: str = Field(description="the file under the input folder")
    stage: str = Field(description="ingest, clean, nlp or analyse")
    error: str = Field(description="what went wrong, naming the file")


TABLES: dict[str, type[BaseModel]] = {
    "documents": DocumentRow,
    "mentions": MentionRow,
    "entities": EntityRow,
    "dates": DateRow,
    "quantities": QuantityRow,
    "errors": ErrorRow,
}


def columns_markdown() -> str:
    """The README's column tables, derived from the models above."""
    import typing

    def type_name(annotation) -> str:
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin is typing.Union:
            inner = [a for a in args if a is not type(None)]
            return type_name(inner[0]) + " (nullable)"
        if origin is typing.Literal:
            return " / ".join(str(a) for a in args)
        if origin is list:
            return f"list of {type_name(args[0])}"
        return {str: "string", int: "integer", float: "number", bool: "boolean", dt.date: "date"}.get(annotation, str(annotation))

    out = []
    for table, model in TABLES.items():
        out += [f"#### `{table}` — {model.__doc__.strip().splitlines()[0]}", "", "| column | type | meaning |", "|---|---|---|"]
        for name, info in model.model_fields.items():
            out.append(f"| `{name}` | {type_name(info.annotation)} | {info.description or ''} |")
        out.append("")
    return "\n".join(out)
