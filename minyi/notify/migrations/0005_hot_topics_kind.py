"""Add the weekly hot topics (每周热点) kind, with its policy row for the admin."""

from django.db import migrations, models


def seed(apps, schema_editor):
    KindPolicy = apps.get_model("notify", "KindPolicy")
    KindPolicy.objects.get_or_create(kind="hot_topics", defaults={"mandatory": False})


class Migration(migrations.Migration):
    dependencies = [("notify", "0004_seed_kind_policies")]

    operations = [
        migrations.AlterField(
            model_name="kindpolicy",
            name="kind",
            field=models.CharField(
                choices=[
                    ("report_status", "我的信息进展"),
                    ("outcome", "采用和批示"),
                    ("action_needed", "待我处理"),
                    ("deadline", "时限提醒"),
                    ("hot_topics", "每周热点"),
                ],
                max_length=30,
                unique=True,
                verbose_name="通知类别",
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
