"""Exports to XLSX, parsed back with openpyxl: Chinese headers, values, filters, access."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from minyi.exchange.exports import FORWARDING_COLUMNS, REPORT_COLUMNS
from minyi.exchange.roster import COLUMNS as ROSTER_COLUMNS
from minyi.outcomes.actions import do_record_adoption, do_record_instruction
from minyi.outcomes.models import AdoptionKind, InstructionLevel
from minyi.people.models import Member
from minyi.reports.models import Urgency
from tests.exchange.conftest import read_sheet
from tests.factories import make_report


@pytest.fixture
def world(cast):
    """Reports in several states and units; one of the outsider's, one still a draft."""
    return {
        "draft": make_report(cast, title="草稿一篇"),
        "submitted": make_report(
            cast, state="submitted", title="=1+2 已报送", urgency=Urgency.URGENT
        ),
        "accepted": make_report(cast, state="accepted", title="已受理的一篇"),
        "published": make_report(cast, state="published", title="已编发的一篇"),
        "outsider": make_report(
            cast, by=cast.outsider, state="submitted", title="九三的一篇", unit=cast.other_unit
        ),
    }


def export(client, **params) -> list[list]:
    response = client.get(reverse("exchange:export_reports"), params)
    assert response.status_code == 200, response.content.decode()
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return read_sheet(response.getvalue())


def titles(rows: list[list]) -> set[str]:
    return {row[0] for row in rows[1:]}


def test_it_exports_the_triage_list_with_chinese_headers_and_its_filters(cast, client_for, world):
    client = client_for(cast.editor)
    rows = export(client, list="triage")
    assert rows[0] == REPORT_COLUMNS
    assert titles(rows) == {"=1+2 已报送", "已受理的一篇", "九三的一篇"}
    urgent = next(r for r in rows if r[0] == "=1+2 已报送")
    report = world["submitted"]
    assert urgent == [
        "=1+2 已报送",  # text, not a formula
        report.situation,
        report.analysis,
        report.suggestions,
        "张明",
        "民盟市委",
        timezone.localtime(report.submitted_at).date().isoformat(),
        "民生保障 / 养老服务",
        report.serial,
        "已报送",
        "急报",
        "",  # 密级: not marked
    ]
    filtered = export(client, list="triage", state="submitted", unit=cast.unit.pk)
    assert titles(filtered) == {"=1+2 已报送"}
    assert titles(export(client, list="triage", urgency="urgent")) == {"=1+2 已报送"}
    assert titles(export(client, list="triage", q="九三")) == {"九三的一篇"}


def test_a_members_export_holds_only_what_they_may_see(cast, client_for, world):
    mine = export(client_for(cast.member), list="mine")
    assert titles(mine) == {"草稿一篇", "=1+2 已报送", "已受理的一篇", "已编发的一篇"}
    assert titles(export(client_for(cast.member), list="mine", state="draft")) == {"草稿一篇"}
    assert titles(export(client_for(cast.outsider))) == {"九三的一篇"}
    assert titles(export(client_for(cast.officer))) == set()
    assert titles(export(client_for(cast.leader))) == {"已编发的一篇"}
    # The office never sees other people's drafts, in an export either.
    assert "草稿一篇" not in titles(export(client_for(cast.editor)))


def test_it_refuses_an_invalid_filter_instead_of_exporting_everything(cast, client_for, world):
    client = client_for(cast.editor)
    for params in ({"list": "triage", "unit": "999999"}, {"state": "nonsense"}):
        response = client.get(reverse("exchange:export_reports"), params)
        assert response.status_code == 400
        assert "筛选条件有误，未导出" in response.content.decode()
    response = client.get(reverse("exchange:export_forwardings"), {"recipient": "x"})
    assert response.status_code == 400
    assert client.get(reverse("exchange:export_reports"), {"list": "nope"}).status_code == 404


def test_it_exports_forwardings_with_adoptions_and_instructions(cast, client_for, world):
    national, city = cast.recipients
    published = world["published"]
    to_national = published.forwardings.get(recipient=national)
    do_record_adoption(
        to_national,
        cast.editor,
        kind=AdoptionKind.SINGLE,
        adopted_on=timezone.localdate(),
        carrier="全国政协《社情民意信息》第 3 期",
    )
    do_record_instruction(
        to_national,
        cast.editor,
        leader_name="王主席",
        leader_title="主席",
        level=InstructionLevel.NATIONAL,
        text="请有关部门研究。",
        instructed_on=timezone.localdate(),
    )
    client = client_for(cast.editor)
    response = client.get(reverse("exchange:export_forwardings"), {"state": "all"})
    rows = read_sheet(response.content)
    assert rows[0] == FORWARDING_COLUMNS
    by_recipient = {row[2]: row for row in rows[1:]}
    assert set(by_recipient) == {"全国政协", "市委"}
    adopted = by_recipient["全国政协"]
    today = timezone.localdate().isoformat()
    assert adopted[:2] == [published.serial, "已编发的一篇"]
    assert adopted[5:] == [
        "已采用",
        "单篇采用",
        "全国政协《社情民意信息》第 3 期",
        today,
        f"王主席（{today}）：请有关部门研究。",
        "",  # 密级: not marked
    ]
    # The page's default (待反馈) and a recipient filter are honoured.
    pending = read_sheet(client.get(reverse("exchange:export_forwardings")).content)
    assert [row[2] for row in pending[1:]] == ["市委"]
    only_city = client.get(
        reverse("exchange:export_forwardings"), {"state": "all", "recipient": city.pk}
    )
    assert [row[2] for row in read_sheet(only_city.content)[1:]] == ["市委"]


def test_it_exports_the_roster_in_the_import_layout(cast, client_for, admin):
    Member.objects.filter(name="李华").update(phone="13800000001", title="副主委")
    rows = read_sheet(client_for(admin).get(reverse("exchange:export_roster")).content)
    assert rows[0] == ROSTER_COLUMNS
    assert ["李华", "经济界", "民盟市委", "副主委", "是", "13800000001"] in rows
    assert ["张明", "经济界", "民盟市委", "", "否", ""] in rows
    assert len(rows) == 1 + Member.objects.count()


def test_the_export_file_is_named_in_chinese_with_the_date(cast, client_for, world):
    response = client_for(cast.member).get(reverse("exchange:export_reports"))
    day = f"{timezone.localdate():%Y%m%d}"
    assert (
        f"filename*=utf-8''%E7%A4%BE%E6%83%85%E6%B0%91%E6%84%8F%E4%BF%A1%E6%81%AF-{day}.xlsx"
        in (response["Content-Disposition"])
    )


def test_list_pages_link_to_their_export_with_the_current_filters(cast, client_for, world):
    editor = client_for(cast.editor)
    triage = editor.get(reverse("office:triage"), {"urgency": "urgent"}).content.decode()
    link = reverse("exchange:export_reports") + "?list=triage&amp;urgency=urgent"
    assert link in triage
    assert titles(export(editor, list="triage", urgency="urgent")) == {"=1+2 已报送"}
    pending = editor.get(reverse("outcomes:pending"), {"state": "all"}).content.decode()
    assert reverse("exchange:export_forwardings") + "?state=all" in pending
    mine = client_for(cast.member).get(reverse("reports:mine"), {"state": "draft"}).content.decode()
    assert reverse("exchange:export_reports") + "?list=mine&amp;state=draft" in mine


def test_the_menu_offers_imports_to_the_roles_that_may_use_them(cast, client_for, admin):
    editor_page = client_for(cast.editor).get(reverse("office:triage")).content.decode()
    assert "历史信息导入" in editor_page and "名册导入" not in editor_page
    admin_page = client_for(admin).get(reverse("exchange:roster_import")).content.decode()
    assert "名册导入" in admin_page and "历史信息导入" not in admin_page
    member_page = client_for(cast.member).get(reverse("reports:mine")).content.decode()
    assert "名册导入" not in member_page and "历史信息导入" not in member_page


@pytest.mark.parametrize("which", ["mine", "all"])
def test_a_refused_export_never_echoes_control_characters(cast, client_for, world, which):
    response = client_for(cast.member).get(
        reverse("exchange:export_reports"), {"list": which, "state": "\x00"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "筛选条件有误，未导出" in page and "\x00" not in page and "\ufffd" not in page
    if which == "mine":
        assert "所选状态无效。" in page
