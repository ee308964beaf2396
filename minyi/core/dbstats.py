"""Fresh statistics for the query planner after bulk writes, and a periodic refresh.

Without statistics SQLite's planner guesses (with no ``sqlite_stat1`` it prefers an equality
index over a range), and PostgreSQL's autovacuum may not have analysed a table that a bulk load
has just filled. Called after ``load_demo --scale``, a historical import and a search index
rebuild, with the tables they wrote; the worker runs ``optimize_statistics`` every night.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from django.db import connection
from django.db.models import Model

from minyi.core.jobs import daily_at, job, register_periodic

#: Rows SQLite samples per index in the nightly ``PRAGMA optimize`` (its documented advice for
#: long-lived connections): bounded work however big the archive grows.
SQLITE_ANALYSIS_LIMIT = 1000


def analyze(models: Iterable[type[Model]] | None = None) -> list[str]:
    """``ANALYZE`` the tables of ``models``, or the whole database; returns the tables named."""
    if models is None:
        with connection.cursor() as cursor:
            if connection.vendor in ("sqlite", "postgresql"):
                cursor.execute("ANALYZE")
        return []
    tables = sorted({m._meta.db_table for m in models})
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and tables:
            cursor.execute("ANALYZE " + ", ".join(quote(t) for t in tables))
        elif connection.vendor == "sqlite":
            for table in tables:
                cursor.execute(f"ANALYZE {quote(table)}")
    return tables


def optimize() -> str:
    """SQLite: ``PRAGMA optimize`` over every table; PostgreSQL: ``ANALYZE`` everything."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
            if sqlite3.sqlite_version_info >= (3, 46, 0):
                # 0x10002: analyse where useful, looking at every table, not only those this
                # connection has queried (the worker's connection has queried few).
                cursor.execute("PRAGMA optimize = 0x10002")
                return "PRAGMA optimize"
            # Older SQLite only looks at the tables this connection used: analyse them all,
            # sampled (``analysis_limit``), which is what 0x10002 would do.
            cursor.execute("ANALYZE")
            return "ANALYZE"
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
            return "ANALYZE"
    return ""


@job
def optimize_statistics() -> str:
    return optimize() or "无需更新"


register_periodic(
    "optimize_statistics",
    "更新查询规划统计信息（SQLite PRAGMA optimize / PostgreSQL ANALYZE）",
    optimize_statistics,
    daily_at("04:00"),
    "每天 04:00",
)
