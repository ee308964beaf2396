"""PostgreSQL: keep the rows of ``search_reportdocument`` narrow; nothing elsewhere.

A document row held its pglz-compressed ``body_terms`` (about 1.7 kB) inline and its
``vector`` (about 4.8 kB, which pglz cannot compress) in TOAST, so the heap was
2 kB a row, four rows a page. Every bitmap scan of the GIN index adds one heap page
per match to its bitmap and visits it, so a word in one report in five meant a
page per match. With ``toast_tuple_target = 128`` the body goes to TOAST as well
(still compressed) and a row is about 100 bytes: at 300k reports the heap went from
585 MB to 31 MB, and the GIN probes for the newest matches ran 2.5–5 times faster.

``VACUUM FULL`` rewrites the existing rows into the new layout and rebuilds the
indexes (a freshly built GIN index is also smaller: 484 MB to 256 MB at 300k). It
locks the table for its duration (2.3 minutes at 300k reports, so budget ~8 at 1M);
it is what makes the option apply to rows written before it, and can be run again
by hand any time. The rows written after this migration get the layout by
themselves.

Only together with ``PostgresBackend`` ranking the window's ids by primary key:
with the narrow heap the planner prices a sequential scan that detoasts every
tsvector as cheap, and chose one for the former id-range ranking query (4 s).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

POSTGRES_FORWARDS = [
    "ALTER TABLE search_reportdocument SET (toast_tuple_target = 128)",
    "VACUUM FULL search_reportdocument",
    "ANALYZE search_reportdocument",
]
POSTGRES_BACKWARDS = ["ALTER TABLE search_reportdocument RESET (toast_tuple_target)"]


def _run(schema_editor: Any, statements: list[str]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in statements:
        schema_editor.execute(sql)


def forwards(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, POSTGRES_FORWARDS)


def backwards(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, POSTGRES_BACKWARDS)


class Migration(migrations.Migration):
    # VACUUM cannot run inside a transaction block.
    atomic = False

    dependencies = [("search", "0004_band_keys_in_documents")]

    operations = [migrations.RunPython(forwards, backwards)]
