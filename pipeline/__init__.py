"""Extract places, groups, figures, dates and quantities from North African and
Sahel security texts into a typed dataset whose every value traces back to the
source characters."""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["load", "__version__"]


def load(path="outputs"):
    """Load the dataset written by `extract` (or `gold export`) as pandas DataFrames."""
    from .export import load as _load

    return _load(path)
