"""CSV input for the CLI: UTF-8 (BOM tolerated), RFC 4180 quoting, newlines inside fields."""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["column_list", "joined", "parse_filter", "read_rows"]

# Report bodies can exceed csv's default 128 KiB field limit.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def read_rows(path: str | Path, row_filter: tuple[str, str] | None = None) -> list[dict[str, str]]:
    """Return the rows of a CSV file as dicts, keeping only rows matching row_filter."""
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if row_filter:
        column, value = row_filter
        rows = [r for r in rows if r.get(column) == value]
    return rows


def require_columns(rows: Sequence[dict[str, str]], columns: Sequence[str], path: str) -> None:
    """Raise SystemExit with a clear message when a column is missing from the file."""
    if rows:
        missing = [c for c in columns if c not in rows[0]]
        if missing:
            raise SystemExit(f"{path}: no column(s) {', '.join(missing)}")


def column_list(spec: str) -> list[str]:
    """Split a comma-separated column list, ignoring blanks."""
    return [c.strip() for c in spec.split(",") if c.strip()]


def joined(row: dict[str, str], columns: Sequence[str]) -> str:
    """Join a row's text columns in the order given, one newline between them."""
    return "\n".join(row.get(c) or "" for c in columns)


def parse_filter(spec: str | None) -> tuple[str, str] | None:
    """Parse ``column=value`` (e.g. ``split=dev``) into a tuple."""
    if not spec:
        return None
    column, sep, value = spec.partition("=")
    if not sep:
        raise SystemExit(f"filter must look like column=value, got {spec!r}")
    return column.strip(), value.strip()
