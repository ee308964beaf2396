"""Tables ready to query after bulk writes: fresh planner statistics, flushed GIN lists.

Without statistics SQLite's planner guesses (with no ``sqlite_stat1`` it prefers an equality
index over a range), and PostgreSQL's autovacuum may not have analysed a table that a bulk load
has just filled. On PostgreSQL a GIN index with ``fastupdate`` (the default) also keeps new
entries in a pending list that every lookup reads in full until VACUUM (or autovacuum's
ANALYZE, never a manual one) merges it: after a 100k-report import the band-key lookup took
8–17 ms instead of 0.3 ms. ``analyze`` therefore flushes the pending lists of the tables'
GIN indexes (``gin_clean_pending_list``) before analysing them. Measured against building
the band-key index with ``fastupdate = off`` (bench/search_gin_fastupdate.py, 100k rows):
on + flush 21.3 s, off 39.4 s, the same lookups after; so fastupdate stays on.

Called after ``load_demo --scale`` (the whole database: on PostgreSQL a ``VACUUM (ANALYZE)``,
see ``vacuum_whole``), a historical import and a search index rebuild with the tables they
wrote, and by the search index consumer when a catch-up batch has changed a tenth of its table
(``refresh_if_stale``); the worker runs ``optimize_statistics`` nightly.
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
    """``ANALYZE`` the tables of ``models``, or the whole database; returns the tables named.

    The whole database on PostgreSQL, outside a transaction: ``VACUUM (ANALYZE)``, which also
    merges the GIN pending lists and sets the visibility map (``vacuum_whole``).
    """
    if models is None:
        if vacuum_whole():
            return []
        if connection.vendor == "postgresql":
            flush_gin_pending(None)
        with connection.cursor() as cursor:
            if connection.vendor in ("sqlite", "postgresql"):
                cursor.execute("ANALYZE")
        return []
    tables = sorted({m._meta.db_table for m in models})
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and tables:
            flush_gin_pending(tables)
            cursor.execute("ANALYZE " + ", ".join(quote(t) for t in tables))
        elif connection.vendor == "sqlite":
            for table in tables:
                cursor.execute(f"ANALYZE {quote(table)}")
    return tables


def vacuum_whole() -> bool:
    """PostgreSQL, outside a transaction: ``VACUUM (ANALYZE)`` the database; False otherwise.

    Only VACUUM sets the visibility map, without which PostgreSQL cannot answer from an index
    alone: a count of a liaison's 24,642 notifications read 13,600 table pages (116 ms) on a
    100,000-report database that autovacuum had not reached (it is off on this project's test
    server, and can be behind a bulk load anywhere). VACUUM cannot run inside a transaction.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    return True


#: The GIN indexes of some tables (``%s`` = their names; NULL = every table).
GIN_INDEXES = (
    "SELECT i.indexrelid FROM pg_index i"
    " JOIN pg_class ix ON ix.oid = i.indexrelid JOIN pg_am am ON am.oid = ix.relam"
    " JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace"
    " WHERE am.amname = 'gin' AND n.nspname = current_schema()"
    " AND (%s::text[] IS NULL OR t.relname = ANY(%s::text[]))"
)


def flush_gin_pending(tables: list[str] | None) -> int:
    """PostgreSQL: merge the pending lists of the GIN indexes of ``tables`` (None: all).

    Returns the index pages that were pending; 0 elsewhere.
    """
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(GIN_INDEXES, [tables, tables])
        flushed = 0
        for (index,) in cursor.fetchall():
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            flushed += cursor.fetchone()[0]
    return flushed


#: Rows changed since the last analyse, and rows estimated, of one table.
_CHANGES = (
    "SELECT s.n_mod_since_analyze, c.reltuples FROM pg_stat_user_tables s"
    " JOIN pg_class c ON c.oid = s.relid WHERE s.relname = %s AND s.schemaname = current_schema()"
)


def refresh_if_stale(models: Iterable[type[Model]], share: float = 0.1) -> list[str]:
    """PostgreSQL: ``analyze`` the tables of ``models`` changed by more than ``share`` since
    their last analyse (autovacuum's own rule, for servers where it is off or behind).

    For a writer that cannot tell a bulk write from a trickle (an event-log consumer
    catching up): a few catalogue reads when nothing is due. Returns the tables analysed.
    """
    if connection.vendor != "postgresql":
        return []
    stale = []
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(_CHANGES, [model._meta.db_table])
            row = cursor.fetchone()
            if row and (row[1] < 0 or row[0] > 50 + share * row[1]):
                stale.append(model)
    return analyze(stale) if stale else []


def optimize() -> str:
    """SQLite: ``PRAGMA optimize`` over every table; PostgreSQL: ``VACUUM (ANALYZE)``."""
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
    if vacuum_whole():
        return "VACUUM (ANALYZE)"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return "ANALYZE"
    return ""


@job
def optimize_statistics() -> str:
    return optimize() or "无需更新"


register_periodic(
    "optimize_statistics",
    "更新查询规划统计信息（SQLite PRAGMA optimize / PostgreSQL VACUUM ANALYZE）",
    optimize_statistics,
    daily_at("04:00"),
    "每天 04:00",
)
