"""The author_feedback consumer of the event log starts after the events on record (``start_cursor``)."""

from django.db import migrations

from minyi.audit.models import start_cursor


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_event_consumers"),
        ("notify", "0005_hot_topics_kind"),
    ]

    operations = [start_cursor("author_feedback")]
