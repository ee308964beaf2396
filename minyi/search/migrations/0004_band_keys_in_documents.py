"""Move the LSH band keys from 25 ``ReportBand`` rows per report into ``band_keys``.

The keys become words of a second full-text index: an external-content FTS5 table
``search_band_fts`` on SQLite, a generated ``band_vector`` with a GIN index on
PostgreSQL. At the same time SQLite's ``search_fts`` becomes an external-content
table over ``search_reportdocument`` (the terms were stored twice: 4 KB a report).

External-content FTS5 tables trust their triggers: a later migration that makes
Django rebuild ``search_reportdocument`` on SQLite (it drops the table, and its
triggers with it) must recreate them and run ``rebuild`` as this one does.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

SQLITE_DROP_OLD = [
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TABLE IF EXISTS search_fts",
]
_ADD = (
    "INSERT INTO search_fts(rowid, title_terms, body_terms) "
    "VALUES (new.report_id, new.title_terms, new.body_terms); "
    "INSERT INTO search_band_fts(rowid, band_keys) VALUES (new.report_id, new.band_keys);"
)
# External content: an entry is removed by handing FTS5 the values it indexed.
_REMOVE = (
    "INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms) "
    "VALUES ('delete', old.report_id, old.title_terms, old.body_terms); "
    "INSERT INTO search_band_fts(search_band_fts, rowid, band_keys) "
    "VALUES ('delete', old.report_id, old.band_keys);"
)
SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title_terms, body_terms, "
    "content='search_reportdocument', content_rowid='report_id', "
    "tokenize='unicode61 remove_diacritics 0')",
    # detail=none: a band key is found or not; positions and counts would be dead weight.
    "CREATE VIRTUAL TABLE search_band_fts USING fts5(band_keys, "
    "content='search_reportdocument', content_rowid='report_id', "
    "detail=none, tokenize='ascii')",
    f"CREATE TRIGGER search_fts_insert AFTER INSERT ON search_reportdocument BEGIN {_ADD} END",
    "CREATE TRIGGER search_fts_update AFTER UPDATE ON search_reportdocument BEGIN "
    f"{_REMOVE} {_ADD} END",
    f"CREATE TRIGGER search_fts_delete AFTER DELETE ON search_reportdocument BEGIN {_REMOVE} END",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    "INSERT INTO search_band_fts(search_band_fts) VALUES ('rebuild')",
]
POSTGRES_CREATE = [
    "ALTER TABLE search_reportdocument ADD COLUMN band_vector tsvector GENERATED ALWAYS AS "
    "(strip(to_tsvector('simple'::regconfig, band_keys))) STORED",
    "CREATE INDEX search_reportdocument_band_gin ON search_reportdocument "
    "USING gin (band_vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_reportdocument_band_gin",
    "ALTER TABLE search_reportdocument DROP COLUMN IF EXISTS band_vector",
]
_U64_MASK = (1 << 64) - 1


def drop_sqlite_structures(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_DROP_OLD:
            schema_editor.execute(sql)


def copy_band_keys(apps: Any, schema_editor: Any) -> None:
    """Write each report's band rows (in band order) into its document as words."""
    band_model = apps.get_model("search", "ReportBand")
    document_model = apps.get_model("search", "ReportDocument")
    rows = band_model.objects.order_by("report_id", "band").values_list("report_id", "key")
    words: dict[int, list[str]] = {}
    for report_id, key in rows.iterator(chunk_size=10_000):
        words.setdefault(report_id, []).append(f"k{key & _U64_MASK:016x}")
    for report_id, keys in words.items():
        document_model.objects.filter(pk=report_id).update(band_keys=" ".join(keys))


def create_structures(apps: Any, schema_editor: Any) -> None:
    statements = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def drop_structures(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for sql in POSTGRES_DROP:
            schema_editor.execute(sql)
    elif vendor == "sqlite":
        for sql in [*SQLITE_DROP_OLD, "DROP TABLE IF EXISTS search_band_fts"]:
            schema_editor.execute(sql)


def restore_sqlite_structures(apps: Any, schema_editor: Any) -> None:
    """Going back: 0002's copy-of-the-terms FTS table, filled from the documents."""
    if schema_editor.connection.vendor != "sqlite":
        return
    from importlib import import_module

    previous = import_module("minyi.search.migrations.0002_fulltext_structures")
    for sql in previous.SQLITE_CREATE:
        schema_editor.execute(sql)
    schema_editor.execute(
        "INSERT INTO search_fts(rowid, report_id, title, body) "
        "SELECT report_id, report_id, title_terms, body_terms FROM search_reportdocument"
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0003_report_band")]

    operations = [
        migrations.RunPython(drop_sqlite_structures, restore_sqlite_structures),
        migrations.AddField(
            model_name="reportdocument",
            name="band_keys",
            field=models.TextField(blank=True, default="", verbose_name="相似度分段"),
        ),
        migrations.RunPython(copy_band_keys, migrations.RunPython.noop),
        migrations.DeleteModel(name="ReportBand"),
        migrations.RunPython(create_structures, drop_structures),
    ]
