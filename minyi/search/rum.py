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

RUM scores every match before it returns the best, so a word in a third of a million
reports costs half a second. A second, small RUM index serves those: the *title tier*
(``search_title_tier(vector)``), each report's vector cut down to the words of its
title, with all their positions (title and body), so that a report's score there for
those words is its score in the whole vector. It is about a twentieth of the first.
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
TIER_INDEX = "search_reportdocument_title_tier_rum"
#: The vector without the words that are only in the body: the title's words (weight A)
#: are deleted from a copy, which leaves the body-only words, which are deleted from the
#: vector. Built-in C functions only, so PostgreSQL inlines it and writes stay cheap.
TIER_FUNCTION = (
    "CREATE OR REPLACE FUNCTION search_title_tier(v tsvector) RETURNS tsvector"
    " IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql AS $$"
    "SELECT ts_delete(v, tsvector_to_array(ts_delete(v, tsvector_to_array(ts_filter(v, '{a}')))))"
    "$$"
)
CREATE_TIER = (
    f"CREATE INDEX IF NOT EXISTS {TIER_INDEX} ON search_reportdocument"
    " USING rum (search_title_tier(vector) rum_tsvector_ops)"
)
#: ANALYZE would compute the tier of 30,000 sampled rows for statistics nobody reads:
#: search forces the ordered index scan (``RUM_SETTINGS``) and needs no estimate of it.
TIER_NO_STATISTICS = f"ALTER INDEX {TIER_INDEX} ALTER COLUMN 1 SET STATISTICS 0"


def rum_available(cursor: Any) -> bool:
    """Whether the server has the extension's files (installed or installable)."""
    cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
    return cursor.fetchone() is not None


def rum_index_exists() -> bool:
    """Whether search can rank from a RUM index (PostgreSQL only; one catalogue read)."""
    return rum_indexes()[0]


def rum_indexes() -> tuple[bool, bool]:
    """Whether the RUM index and the title tier's exist (PostgreSQL only; one catalogue read)."""
    if connection.vendor != "postgresql":
        return False, False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_regclass(%s) IS NOT NULL, to_regclass(%s) IS NOT NULL",
            [RUM_INDEX, TIER_INDEX],
        )
        rum, tier = cursor.fetchone()
    return bool(rum), bool(tier)


#: The title tier's function and RUM index, in order (the extension must exist).
TIER_STATEMENTS = (TIER_FUNCTION, CREATE_TIER, TIER_NO_STATISTICS)


def create_tier(cursor: Any) -> None:
    for statement in TIER_STATEMENTS:
        cursor.execute(statement)


def use_rum(conn: Any = connection) -> bool:
    """Create the extension and the RUM indexes, then drop the GIN one; False if not possible.

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
                create_tier(cursor)
                cursor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
        except DatabaseError:
            return False
    return True


def use_gin(schema_editor: Any) -> None:
    """Going back: the GIN index again, the RUM indexes dropped (the extension stays)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_GIN)
    schema_editor.execute(f"DROP INDEX IF EXISTS {RUM_INDEX}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {TIER_INDEX}")
