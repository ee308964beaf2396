"""Start the points_ledger consumer of the event log after the events already on record.

On an installation with history, the consumer's effects for past events are already
there (they were made by direct calls before the event log drove them), so it must
not replay them; on a fresh database the log is empty and it starts from the first.
"""

from django.db import migrations

from minyi.audit.models import start_cursor


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_event_consumers"),
        ("scoring", "0002_fewer_ledger_indexes"),
    ]

    operations = [start_cursor("points_ledger")]
