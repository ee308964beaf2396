"""The report_facts consumer starts after the events on record, with every row filled in.

The backfill runs the consumer's own code (``facts.recompute_all``), so the rows are
exactly what the consumer would have written. On a fresh database there are no events
and it does nothing.
"""

from typing import Any

from django.db import migrations

from minyi.audit.models import start_cursor


def backfill(apps: Any, schema_editor: Any) -> None:
    if not apps.get_model("audit", "Event").objects.exists():
        return
    from minyi.insights.facts import recompute_all

    recompute_all()


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_event_user_agent"),
        ("insights", "0001_report_facts"),
        ("outcomes", "0007_forwarding_recalled"),
    ]

    operations = [
        start_cursor("report_facts"),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
