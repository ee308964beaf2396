"""Add the database-specific full-text structures next to ``search_reportdocument``.

SQLite: an FTS5 table kept in step with the documents by triggers.
PostgreSQL: a generated tsvector column ('simple' configuration, title weight A,
body B) with a GIN index. Other databases get nothing (search is unsupported).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "report_id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_reportdocument BEGIN "
    "INSERT INTO search_fts(rowid, report_id, title, body) "
    "VALUES (new.report_id, new.report_id, new.title_terms, new.body_terms); END",
    "CREATE TRIGGER search_fts_update AFTER UPDATE ON search_reportdocument BEGIN "
    "DELETE FROM search_fts WHERE rowid = old.report_id; "
    "INSERT INTO search_fts(rowid, report_id, title, body) "
    "VALUES (new.report_id, new.report_id, new.title_terms, new.body_terms); END",
    "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_reportdocument BEGIN "
    "DELETE FROM search_fts WHERE rowid = old.report_id; END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_CREATE = [
    "ALTER TABLE search_reportdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, title_terms), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, body_terms), 'B')) STORED",
    "CREATE INDEX search_reportdocument_vector_gin ON search_reportdocument USING gin (vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_reportdocument_vector_gin",
    "ALTER TABLE search_reportdocument DROP COLUMN IF EXISTS vector",
]


def _run(schema_editor: Any, statements: dict[str, list[str]]) -> None:
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def forwards(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE})


def backwards(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
