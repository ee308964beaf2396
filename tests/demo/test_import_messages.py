"""manage.py import_messages: real citizen messages become submitted reports, once."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from minyi.audit.models import Event, verify_chain
from minyi.people.models import Organization, OrgKind
from minyi.reports.models import Report, State

COLUMNS = ["留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "答复意见", "答复时间"]


def replies_csv() -> Path:
    path = Path(settings.SHARED_DATA_DIR) / "teddy2020" / "replies.csv"
    if not path.is_file():
        pytest.skip(f"没有找到公开留言数据 {path}（设置 MINYI_SHARED_DATA 指向 shared/data）")
    return path


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_messages", *args, stdout=out)
    return out.getvalue()


def write_csv(path: Path, columns: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(rows)
    return path


@pytest.fixture
def host(db) -> Organization:
    Organization.objects.create(name="民盟市委", short_name="民盟", kind=OrgKind.DEMOCRATIC_PARTY)
    return Organization.objects.create(name="示范市政协", kind=OrgKind.HOST)


def test_it_imports_the_first_50_replies_once(host):
    path = replies_csv()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        first = next(csv.DictReader(handle))
    assert "新导入 50 条" in run(str(path), "--limit", "50")
    assert Report.objects.filter(state=State.SUBMITTED, submitting_unit=host).count() == 50
    report = Report.objects.get(
        title=first["留言主题"][:200], informant__contains=first["留言编号"]
    )
    assert report.suggestions == "（原留言未单列建议）"
    assert report.situation.startswith(first["留言详情"][:50])
    assert report.serial and report.body_length <= settings.REPORT_MAX_CHARS
    output = run(str(path), "--limit", "50")
    assert "新导入 0 条" in output and "跳过 50 条" in output
    assert Report.objects.count() == 50
    assert Event.objects.filter(verb="import_message").count() == 50
    assert verify_chain() is None


def test_it_refuses_a_file_with_other_columns_and_imports_nothing(host, tmp_path):
    path = write_csv(
        tmp_path / "labeled.csv", ["split", "一级标签", "留言文本"], [["dev", "x", "y"]]
    )
    with pytest.raises(CommandError, match="缺少必需的列：留言编号"):
        run(str(path))
    assert Report.objects.count() == 0


def test_it_refuses_a_missing_file(host, tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        run(str(tmp_path / "nope.csv"))
    assert Report.objects.count() == 0


def test_it_files_messages_under_the_named_unit_and_refuses_an_unknown_one(host, tmp_path):
    rows = [["9001", "A0001", "某小区停车难", "2019/9/19 11:37:05", "小区车位严重不足。", "", ""]]
    path = write_csv(tmp_path / "m.csv", COLUMNS, rows)
    with pytest.raises(CommandError, match="找不到报送单位“无此单位”"):
        run(str(path), "--unit", "无此单位")
    assert Report.objects.count() == 0
    run(str(path), "--unit", "民盟")
    report = Report.objects.get()
    assert report.submitting_unit.name == "民盟市委"
    assert "留言编号9001" in report.informant and "2019-09-19" in report.informant


def test_it_shortens_an_overlong_message_to_the_length_limit(host, tmp_path):
    rows = [["9002", "A0002", "很长的留言", "2019/9/19", "长" * 3000, "已转办。", "2019/10/1"]]
    run(str(write_csv(tmp_path / "long.csv", COLUMNS, rows)))
    report = Report.objects.get()
    assert report.state == State.SUBMITTED
    assert report.body_length <= settings.REPORT_MAX_CHARS
    assert report.situation.endswith("以下从略）")
    event = Event.objects.get(verb="import_message")
    assert event.payload["reply"] == "已转办。" and event.payload["replied_at"].startswith(
        "2019-10-01"
    )


def test_it_skips_rows_without_a_title_or_text(host, tmp_path):
    rows = [["9003", "A3", "", "2019/9/19", "正文"], ["9004", "A4", "标题", "2019/9/19", ""]]
    output = run(str(write_csv(tmp_path / "bad.csv", COLUMNS[:5], rows)))
    assert "内容不全而跳过 2 条" in output
    assert Report.objects.count() == 0
