"""Seed the default service levels; admins change them afterwards in 系统管理."""

from __future__ import annotations

from django.db import migrations

HOURS, DAYS = "working_hours", "working_days"
FAST = {"triage": (2, HOURS), "sign_off": (1, DAYS)}
DEFAULTS = {
    "urgent": FAST,
    # 特报 is handled at least as fast as 急报.
    "special": FAST,
    "routine": {"triage": (3, DAYS), "decision": (10, DAYS), "sign_off": (2, DAYS)},
}


def seed(apps, schema_editor):
    ServiceLevel = apps.get_model("deadlines", "ServiceLevel")
    for urgency, stages in DEFAULTS.items():
        for stage, (amount, unit) in stages.items():
            ServiceLevel.objects.get_or_create(
                urgency=urgency, stage=stage, defaults={"amount": amount, "unit": unit}
            )


def unseed(apps, schema_editor):
    apps.get_model("deadlines", "ServiceLevel").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
