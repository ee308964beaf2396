"""Seed one policy row per notification kind so the office sees and can change them in the admin."""

from django.db import migrations

#: Kinds and whether they start mandatory (mirrors minyi.notify.kinds.KINDS).
SEED = {"report_status": False, "outcome": True, "action_needed": False, "deadline": True}


def seed(apps, schema_editor):
    KindPolicy = apps.get_model("notify", "KindPolicy")
    for kind, mandatory in SEED.items():
        KindPolicy.objects.get_or_create(kind=kind, defaults={"mandatory": mandatory})


class Migration(migrations.Migration):
    dependencies = [("notify", "0003_dispatch_kindpolicy_preference_scheduledrun_and_more")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
