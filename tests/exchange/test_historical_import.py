"""An archive import stays an archive: own dates and year, its fate and outcomes, no live work."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from minyi.audit.models import Event
from minyi.deadlines.models import ReportClock
from minyi.exchange.models import ImportJob
from minyi.notify.models import Notification
from minyi.outcomes.models import Adoption, Forwarding, Instruction
from minyi.reports.models import Report, State
from minyi.scoring.ledger import recompute_year
from minyi.scoring.models import Score
from tests.exchange.conftest import read_sheet, xlsx_file
from tests.factories import settle
from tests.scoring.helpers import make_rules

HEADERS = [
    "标题",
    "情况",
    "意见建议",
    "反映人",
    "报送单位",
    "报送日期",
    "紧急程度",
    "状态",
    "采用单位",
    "采用类型",
    "采用载体",
    "采用日期",
    "批示级别",
    "批示领导",
    "批示内容",
    "批示日期",
]
ADOPTED = [
    "关于加快老旧小区加装电梯的建议",
    "加装电梯推进缓慢。",
    "出台费用分摊指导意见。",
    "张明",
    "民盟市委",
    "2019-05-06",
    "急报",
    "已采用",
    "全国政协",
    "单篇采用",
    "全国政协《社情民意信息》第 88 期",
    "2019-05-20",
    "省级",
    "王省长",
    "请住建厅研究落实。",
    "2019-06-01",
]
DECLINED = ["关于增设公交站台遮雨棚的建议", "站台无遮雨棚。", "增设遮雨棚。", "张明"]
DECLINED += ["民盟市委", "2020/3/2", "", "不予采用"] + [""] * 8


@pytest.fixture
def editor(cast, client_for):
    return client_for(cast.editor)


def _plan(client, rows, **extra):
    upload = client.post(
        reverse("exchange:reports_import"),
        {"files": xlsx_file("档案.xlsx", HEADERS, rows), **extra},
    )
    assert upload.status_code == 302, upload.content.decode()
    job = ImportJob.objects.get()
    data = {k: "" if v is None else str(v) for k, v in job.mapping.items()}
    plan = client.post(upload.url, data)
    assert plan.status_code == 302
    return plan.url


def test_a_row_dated_2019_keeps_its_date_year_state_and_outcomes(cast, editor):
    make_rules(year=2019)
    editor.post(_plan(editor, [ADOPTED, DECLINED]) + "apply/")
    settle()  # Every consumer of the log runs, as the worker would.
    report = Report.objects.get(title=ADOPTED[0])
    assert report.is_historical and report.state == State.PUBLISHED
    assert report.serial.startswith("2019-")  # Its own year's counter, not today's.
    assert timezone.localtime(report.submitted_at).date() == dt.date(2019, 5, 6)
    assert timezone.localtime(report.created_at).date() == dt.date(2019, 5, 6)
    forwarding = Forwarding.objects.get(report=report)
    assert forwarding.recipient.name == "全国政协" and forwarding.state == "adopted"
    adoption = Adoption.objects.get(forwarding=forwarding)
    assert (adoption.kind, adoption.adopted_on) == ("single", dt.date(2019, 5, 20))
    assert adoption.carrier == "全国政协《社情民意信息》第 88 期"
    instruction = Instruction.objects.get(forwarding=forwarding)
    assert (instruction.level, instruction.leader_name) == ("provincial", "王省长")
    assert instruction.instructed_on == dt.date(2019, 6, 1)
    declined = Report.objects.get(title=DECLINED[0])
    assert declined.state == State.DECLINED and declined.serial.startswith("2020-")
    events = Event.objects.for_report(report.pk)
    assert [e.verb for e in events] == [
        "create",
        "submit",
        "publish",
        "forward",
        "adopt",
        "instruct",
    ]
    assert all(e.payload["historical"] for e in events)
    assert timezone.localtime(events.get(verb="adopt").created_at).date() == dt.date(2019, 5, 20)
    # No live work: no clocks, not in triage, nobody told, no points until the year is recomputed.
    assert not ReportClock.objects.filter(report__is_historical=True).exists()
    triage = editor.get(reverse("office:triage"))
    assert triage.status_code == 200
    assert ADOPTED[0] not in triage.content.decode()
    assert not Notification.objects.exists()
    assert not Score.objects.filter(report=report).exists()
    recompute_year(2019)
    kinds = set(Score.objects.filter(report=report, year=2019).values_list("kind", flat=True))
    assert kinds == {"submitted", "published", "adopted", "instructed"}


def test_bad_cells_name_their_column_and_nothing_of_them_is_stored(cast, editor):
    bad_state = [*ADOPTED[:7], "已受理", *[""] * 8]
    no_recipient = [*ADOPTED[:8], "", *ADOPTED[9:]]
    unknown = [*ADOPTED[:8], "国务院办公厅", *ADOPTED[9:12], "乡级", *ADOPTED[13:]]
    undated = [*DECLINED[:5], "", *DECLINED[6:]]
    url = _plan(editor, [bad_state, no_recipient, unknown, undated])
    page = editor.get(url).content.decode()
    for message in (
        "“状态”列：无法识别“已受理”",
        "“采用单位”列：有采用或批示记录时须写明采用单位",
        "“采用单位”列：未知报送对象“国务院办公厅”",
        "“批示级别”列：无法识别“乡级”",
        "“报送日期”列：缺少报送日期",
    ):
        assert message in page, message
    editor.post(url + "apply/")
    assert not Report.objects.exists() and not Forwarding.objects.exists()
    assert not Adoption.objects.exists() and not Instruction.objects.exists()


def test_only_the_editor_imports_archives_or_downloads_the_template(cast, client_for, editor):
    template = editor.get(reverse("exchange:reports_template"))
    assert template.status_code == 200
    headers = read_sheet(template.content)[0]
    assert headers[:3] == ["标题", "情况", "原因分析"] and "批示内容" in headers
    for role in (cast.member, cast.liaison, cast.approver):
        client = client_for(role)
        assert client.get(reverse("exchange:reports_template")).status_code == 403
        before = Event.objects.count()
        files = xlsx_file("档案.xlsx", HEADERS, [ADOPTED])
        response = client.post(reverse("exchange:reports_import"), {"files": files})
        assert response.status_code == 403
        assert not ImportJob.objects.exists() and Event.objects.count() == before
