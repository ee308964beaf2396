"""The staff_issue_returned consumer starts after the events on record (``start_cursor``)."""

from django.db import migrations

from minyi.audit.models import start_cursor


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_event_consumers"),
        ("notify", "0009_commission_kind"),
    ]

    operations = [start_cursor("staff_issue_returned")]
