"""PostgreSQL ranking with RUM: add the title tier's RUM index (``search.rum.TIER_INDEX``).

Only where the RUM index of ``vector`` exists (migration 0007 could create the
extension); elsewhere nothing changes. At 1M reports the build reads every vector once.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

from minyi.search.rum import TIER_INDEX, create_tier, rum_index_exists


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql" and rum_index_exists():
        with schema_editor.connection.cursor() as cursor:
            create_tier(cursor)


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TIER_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0007_rum_ranking")]

    operations = [migrations.RunPython(forwards, backwards)]
