"""PostgreSQL with the ``rum`` extension available: rank from a RUM index of ``vector``.

Guarded: only when ``pg_available_extensions`` lists ``rum`` and the extension can be
created; otherwise nothing changes and the GIN index stays (see ``minyi.search.rum``).
Run ``scripts/ensure-postgres-rum.sh`` before migrating to get the package; a database
migrated without it can switch later with ``manage.py rebuild_search_index --rum``.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

from minyi.search.rum import use_gin, use_rum


def forwards(apps: Any, schema_editor: Any) -> None:
    use_rum(schema_editor.connection)


def backwards(apps: Any, schema_editor: Any) -> None:
    use_gin(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0006_search_index_cursor")]

    operations = [migrations.RunPython(forwards, backwards)]
