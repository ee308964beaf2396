"""Per-(year, member) and per-(year, unit) totals of the ledger, rebuilt where the ledger changes.

The rankings order members by ``points_key`` (points, then distinct adopted, published and
submitted reports) and units by their rate and counts. Grouping the year's ledger for that on
every request cost most of the ranking page; these tables hold the same numbers, one row per
member or unit. ``ledger.refresh`` and ``ledger.recompute_year`` call ``rebuild`` in the
transaction that writes the ledger rows, for the members and units whose rows they replaced.

Rebuilt, never added to: each affected total is recomputed from its ledger rows with the very
aggregate the tables used (``rankings.ledger_counts``), so the totals equal a fresh grouping of
the ledger, and rebuilding twice gives the same rows (the consumer may run an event again).
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from typing import Any

from django.db.models import Model

from minyi.core.rows import insert_plain_rows
from minyi.scoring.models import MemberScoreTotal, Score, UnitScoreTotal
from minyi.scoring.rankings import ledger_counts

#: The columns filled from ``ledger_counts``: every count the ranking tables show.
COLUMNS = (
    "points",
    "submitted",
    "published",
    "adopted",
    "instructed",
    "instructions",
    "adopted_national",
    "adopted_provincial",
    "adopted_municipal",
    "adopted_department",
)
CENT = Decimal("0.01")


def rebuild(
    year: int,
    members: Collection[int] | None = None,
    units: Collection[int | None] | None = None,
) -> None:
    """Recompute the year's totals of ``members`` and ``units`` (None: all) from the ledger."""
    _rebuild(MemberScoreTotal, "member_id", year, members)
    _rebuild(UnitScoreTotal, "unit_id", year, units)


def _rebuild(
    model: type[Model], column: str, year: int, keys: Collection[int | None] | None
) -> None:
    stale = model._default_manager.filter(year=year)  # type: ignore[attr-defined]
    rows = Score.objects.for_year(year).filter(**{f"{column}__isnull": False})
    if keys is not None:
        wanted = [k for k in keys if k is not None]
        if not wanted:
            return
        stale = stale.filter(**{f"{column}__in": wanted})
        rows = rows.filter(**{f"{column}__in": wanted})
    stale.delete()
    counts = {name: expr for name, expr in ledger_counts().items() if name in COLUMNS}
    found = rows.order_by().values(column).annotate(**counts)
    insert_plain_rows(
        model._meta.db_table, ("year", column, *COLUMNS), (_values(year, column, r) for r in found)
    )


def _values(year: int, column: str, row: dict[str, Any]) -> tuple:
    # Quantized as ``Line.fill`` does: SQLite sums decimals as floating point.
    points = Decimal(row["points"] or 0).quantize(CENT)
    return (year, row[column], points, *(row[name] or 0 for name in COLUMNS[1:]))
