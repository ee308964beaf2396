"""The commission_delivery consumer of the event log starts after the events on record."""

from django.db import migrations

from minyi.audit.models import start_cursor


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_event_consumers"),
        ("duties", "0001_initial"),
    ]

    operations = [start_cursor("commission_delivery")]
