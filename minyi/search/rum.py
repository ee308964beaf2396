"""The RUM index of the search vector on PostgreSQL, when the extension is there.

A GIN index finds the reports holding the words but knows nothing of their rank: to
rank, PostgreSQL reads every match's tsvector (TOASTed, about 5 kB each), which is why
``PostgresBackend`` ranks only the newest ``RANK_WINDOW`` matches. A RUM index keeps
the word positions and weights in the index and returns matches in relevance order
(``vector <=> query``, the distance 1 / ``ts_rank``), so the best 20 of *all* matches
come from the index alone. It needs the ``rum`` extension (Debian
``postgresql-<major>-rum``, installed by ``scripts/ensure-postgres-rum.sh``); where the
extension is missing, or the database user may not create it, the GIN index stays and
search keeps its window. The RUM index replaces the GIN index of ``vector`` (it answers
``@@`` too, so keeping both would only slow writes).
"""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, connection, transaction

RUM_INDEX = "search_reportdocument_vector_rum"
GIN_INDEX = "search_reportdocument_vector_gin"
CREATE_RUM = (
    f"CREATE INDEX IF NOT EXISTS {RUM_INDEX} ON search_reportdocument"
    " USING rum (vector rum_tsvector_ops)"
)
CREATE_GIN = f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON search_reportdocument USING gin (vector)"


def rum_available(cursor: Any) -> bool:
    """Whether the server has the extension's files (installed or installable)."""
    cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
    return cursor.fetchone() is not None


def rum_index_exists() -> bool:
    """Whether search can rank from a RUM index (PostgreSQL only; one catalogue read)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [RUM_INDEX])
        return bool(cursor.fetchone()[0])


def use_rum(conn: Any = connection) -> bool:
    """Create the extension and the RUM index, then drop the GIN one; False if not possible.

    In a savepoint: a server without the package, or a user who may not create the
    extension, leaves the migration (and the GIN index) as it was.
    """
    if conn.vendor != "postgresql":
        return False
    with conn.cursor() as cursor:
        if not rum_available(cursor):
            return False
        try:
            with transaction.atomic(using=conn.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
                cursor.execute(CREATE_RUM)
                cursor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
        except DatabaseError:
            return False
    return True


def use_gin(schema_editor: Any) -> None:
    """Going back: the GIN index again, the RUM index dropped (the extension stays)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_GIN)
    schema_editor.execute(f"DROP INDEX IF EXISTS {RUM_INDEX}")
