"""The points_ledger consumer of the event log starts after the events on record (``start_cursor``)."""

from django.db import migrations

from minyi.audit.models import start_cursor


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_event_consumers"),
        ("scoring", "0002_fewer_ledger_indexes"),
    ]

    operations = [start_cursor("points_ledger")]
