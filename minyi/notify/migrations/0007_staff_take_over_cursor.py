"""The staff_take_over consumer of the event log starts after the events on record (``start_cursor``)."""

from django.db import migrations

from minyi.audit.models import start_cursor


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_event_consumers"),
        ("notify", "0006_author_feedback_cursor"),
    ]

    operations = [start_cursor("staff_take_over")]
