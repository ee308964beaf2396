"""Existing issues keep their numbers; each series' 总第N期 is counted by year and number."""

from django.db import migrations


def backfill(apps, schema_editor):
    Issue = apps.get_model("bulletins", "Issue")
    Counter = apps.get_model("core", "Counter")
    totals: dict[int, int] = {}
    numbered = Issue.objects.filter(number__isnull=False).order_by("bulletin_id", "year", "number")
    for issue in numbered.only("pk", "bulletin_id"):
        totals[issue.bulletin_id] = totals.get(issue.bulletin_id, 0) + 1
        Issue.objects.filter(pk=issue.pk).update(cumulative_number=totals[issue.bulletin_id])
    for bulletin_id, last in totals.items():
        Counter.objects.update_or_create(
            key=f"issue-total:{bulletin_id}", year=0, defaults={"last": last}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("bulletins", "0003_numbering_opinions_approval_chain"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
