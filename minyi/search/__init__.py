"""Chinese full-text search of reports: the whole public API is ``__all__``.

Names are loaded on first use, because this package is imported while Django is
still loading apps and its backends need the models.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = [
    "Count",
    "Filters",
    "Hit",
    "Similar",
    "count_for_page",
    "count_reports",
    "index_report",
    "rebuild_index",
    "search_reports",
    "similar_reports",
]
_SIMILAR = {"Similar", "similar_reports"}


def __getattr__(name: str) -> Any:
    if name in _SIMILAR:
        return getattr(import_module("minyi.search.similar"), name)
    if name in __all__:
        return getattr(import_module("minyi.search.backends"), name)
    raise AttributeError(f"module 'minyi.search' has no attribute {name!r}")
