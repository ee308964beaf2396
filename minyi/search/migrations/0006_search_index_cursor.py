"""The search_index consumer of the event log starts after the events on record (``start_cursor``)."""

from django.db import migrations

from minyi.audit.models import start_cursor


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_event_consumers"),
        ("search", "0005_postgres_vector_tuning"),
    ]

    operations = [start_cursor("search_index")]
