"""manage.py import_messages PATH.csv: real citizen messages as submitted reports.

Reads the ``replies.csv`` / ``hot_messages.csv`` layout (留言编号, 留言用户,
留言主题, 留言时间, 留言详情, optionally 答复意见, 答复时间). Each message
becomes a report entered and submitted by a system account 留言导入 (no
password, inactive: nobody logs in as it and it gets no notifications).

Idempotent: every imported message gets an ``import_message`` event whose
payload holds its 留言编号; messages with such an event are skipped. The
编号 also appears in the report's 非委员反映人 line for people to see.
All rows go in one transaction: a bad file imports nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Q

from minyi.audit.models import Event, record
from minyi.audit.statemachine import ActionRefused
from minyi.people.models import Organization, OrgKind, User
from minyi.reports.actions import do_create_report, do_submit
from minyi.reports.models import Report

REQUIRED_COLUMNS = ("留言编号", "留言用户", "留言主题", "留言时间", "留言详情")
PLACEHOLDER = "（原留言未单列建议）"
TRUNCATED = "……（原留言过长，以下从略）"
VERB = "import_message"
IMPORTER = "message-importer"


class Command(BaseCommand):
    help = "把网上群众留言（CSV）导入为已报送的社情民意信息；按留言编号去重，可重复运行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="CSV 文件路径（UTF-8 编码）")
        parser.add_argument("--limit", type=int, default=None, help="只读取文件的前 N 条留言")
        parser.add_argument("--unit", default="", help="报送单位名称或简称（默认本级政协）")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        rows = list(read_rows(path, options["limit"]))
        unit = find_unit(options["unit"])
        with transaction.atomic():
            done = import_rows(rows, unit, source=path.name)
        self.stdout.write(
            self.style.SUCCESS(
                f"导入完成：新导入 {done['imported']} 条，"
                f"已导入过而跳过 {done['existing']} 条，内容不全而跳过 {done['invalid']} 条。"
            )
        )


def read_rows(path: Path, limit: int | None) -> Iterator[dict[str, str]]:
    """Yield the file's rows; refuse a missing file or one without the needed columns."""
    if not path.is_file():
        raise CommandError(f"找不到文件“{path}”，请检查路径是否正确。没有导入任何留言。")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            if missing := [c for c in REQUIRED_COLUMNS if c not in columns]:
                raise CommandError(
                    f"文件“{path.name}”缺少必需的列：{'、'.join(missing)}。"
                    f"需要的列是：{'、'.join(REQUIRED_COLUMNS)}（可选：答复意见、答复时间）。"
                    "没有导入任何留言。"
                )
            for count, row in enumerate(reader):
                if limit is not None and count >= limit:
                    return
                yield {k: (v or "").strip() for k, v in row.items() if k}
    except UnicodeDecodeError as error:
        raise CommandError(
            f"文件“{path.name}”不是 UTF-8 编码的 CSV 文件，请另存为 UTF-8 后再导入。"
            "没有导入任何留言。"
        ) from error


def find_unit(name: str) -> Organization:
    if name:
        unit = Organization.objects.filter(Q(name=name) | Q(short_name=name)).first()
        if unit is None:
            raise CommandError(f"找不到报送单位“{name}”，请填写单位全称或简称。没有导入任何留言。")
        return unit
    unit = Organization.objects.filter(kind=OrgKind.HOST).first()
    if unit is None:
        raise CommandError("系统中还没有本级政协单位，请用 --unit 指定报送单位。没有导入任何留言。")
    return unit


def importer_account() -> User:
    user, created = User.objects.get_or_create(
        username=IMPORTER, defaults={"display_name": "留言导入", "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def import_rows(rows: list[dict[str, str]], unit: Organization, *, source: str) -> dict[str, int]:
    user = importer_account()
    # str(): SQLite hands numeric-looking JSON strings back as numbers.
    ids = Event.objects.filter(verb=VERB).values_list("payload__message_id", flat=True)
    seen = {str(i) for i in ids}
    done = {"imported": 0, "existing": 0, "invalid": 0}
    for row in rows:
        number = row["留言编号"]
        if number in seen:
            done["existing"] += 1
            continue
        if not (number and row["留言主题"] and row["留言详情"]):
            done["invalid"] += 1
            continue
        try:
            import_one(row, unit, user, source=source)
        except ActionRefused:
            done["invalid"] += 1
            continue
        seen.add(number)
        done["imported"] += 1
    return done


def import_one(row: dict[str, str], unit: Organization, user: User, *, source: str) -> Report:
    number, posted = row["留言编号"], parse_time(row["留言时间"])
    when = f"，{posted:%Y-%m-%d}留言" if posted else ""
    with transaction.atomic():
        report = do_create_report(
            user,
            fields=text_fields(row),
            submitting_unit=unit,
            informant=f"网民{row['留言用户']}（留言编号{number}{when}）"[:200],
        )
        replied = parse_time(row.get("答复时间", ""))
        record(
            VERB,
            report,
            actor=user,
            report_id=report.pk,
            payload={
                "source": source,
                "message_id": number,
                "user": row["留言用户"],
                "posted_at": posted.isoformat() if posted else row["留言时间"],
                "replied_at": replied.isoformat() if replied else row.get("答复时间", ""),
                "reply": row.get("答复意见", "")[:2000],
            },
        )
        do_submit(report, user)
    return report


def text_fields(row: dict[str, str]) -> dict[str, str]:
    """Title from 留言主题, situation from 留言详情, cut to fit the length limit."""
    room = settings.REPORT_MAX_CHARS - len(PLACEHOLDER)
    situation = row["留言详情"]
    if len(situation) > room:
        situation = situation[: room - len(TRUNCATED)] + TRUNCATED
    return {
        "title": row["留言主题"][:200],
        "situation": situation,
        "analysis": "",
        "suggestions": PLACEHOLDER,
    }


def parse_time(text: str) -> dt.datetime | None:
    """Parse ``2019/9/19 11:37:05`` (or a date alone); None if it is not a time."""
    for fmt in ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    return None
