"""The report_clocks consumer starts after the events on record, with every report's clocks filled in.

The backfill runs the consumer's own code (``clocks.recompute_all``), reading only the
report and event columns a clock needs, so later columns cannot break it. On a fresh
database there are no events and it does nothing.
"""

from typing import Any

from django.db import migrations

from minyi.audit.models import start_cursor


def backfill(apps: Any, schema_editor: Any) -> None:
    if not apps.get_model("audit", "Event").objects.exists():
        return
    from minyi.deadlines.clocks import recompute_all

    recompute_all()


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_event_user_agent"),
        ("deadlines", "0004_report_clocks"),
    ]

    operations = [
        start_cursor("report_clocks"),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
