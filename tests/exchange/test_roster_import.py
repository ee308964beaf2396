"""Roster (委员名册) import: dry run row by row, apply, idempotency, malformed files."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minyi.audit.models import Event, verify_chain
from minyi.exchange.models import ImportJob, ImportStatus
from minyi.people.models import Member, Organization, Sector
from tests.exchange.conftest import ROSTER_HEADERS, XLSX, docx_file, xlsx_file
from tests.factories import make_member, make_user

ROWS = [
    ["张明", "经济界", "民盟市委", "", "否", ""],  # 2: the cast's member, as on file
    ["李华", "教育界", "民盟市委", "副主委", "是", "138 0000 0001"],  # 3: changes
    ["王新", "医药卫生界", "东城区政协、九三学社市委", "主任医师", "否", 13900000002],  # 4: new
    ["赵错", "不存在界", "无名单位", "", "也许", "12345"],  # 5: four problems
    ["", "经济界", "民盟市委", "", "否", ""],  # 6: no name
    ["王新", "教育界", "民盟市委", "", "否", "13900000002"],  # 7: same as line 4
]


def upload(client, rows=ROWS, name="名册.xlsx"):
    return client.post(
        reverse("exchange:roster_import"), {"file": xlsx_file(name, ROSTER_HEADERS, rows)}
    )


def plan_of(response) -> dict[int, dict]:
    job = ImportJob.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    return {e["line"]: e for e in job.plan}


def snapshot() -> list[tuple]:
    return [
        (
            m.name,
            m.phone,
            m.sector_id,
            m.title,
            m.is_information_officer,
            sorted(o.pk for o in m.organizations.all()),
        )
        for m in Member.objects.order_by("id").prefetch_related("organizations")
    ]


@pytest.fixture
def admin_client(admin, client_for, sectors, units):
    return client_for(admin)


def test_it_plans_every_row_with_its_reason_and_changes_nothing(admin_client):
    before, events = snapshot(), Event.objects.count()
    response = upload(admin_client)
    assert response.status_code == 302
    plan = plan_of(response)
    assert [plan[n]["action"] for n in range(2, 8)] == [
        "unchanged",
        "update",
        "create",
        "rejected",
        "rejected",
        "rejected",
    ]
    assert plan[3]["reason"] == "变更：界别、职务、手机"  # 李华 is an officer already
    assert plan[4]["wanted"]["phone"] == "13900000002"  # a number cell, not 1.39e10
    for problem in (
        "未知界别“不存在界”",
        "未知单位“无名单位”",
        "“是”或“否”",
        "手机号“12345”格式不正确",
    ):
        assert problem in plan[5]["reason"]
    assert plan[6]["reason"] == "缺少姓名"
    assert plan[7]["reason"] == "与第 4 行重复"
    assert snapshot() == before and Event.objects.count() == events

    page = admin_client.get(response.url)
    assert "这是预览，尚未修改任何数据" in page.content.decode()
    for text in ("新增", "更新", "无变化", "拒绝", "未知界别“不存在界”", "与第 4 行重复"):
        assert text in page.content.decode()


def test_it_applies_the_plan_in_one_go_and_records_one_event(admin_client, admin):
    response = upload(admin_client)
    applied = admin_client.post(response.url + "apply/", follow=True)
    assert "导入完成：新增 1 人，更新 1 人，无变化 1 人，拒绝 3 行。" in applied.content.decode()
    li = Member.objects.get(name="李华")
    assert (li.sector.name, li.title, li.is_information_officer, li.phone) == (
        "教育界",
        "副主委",
        True,
        "13800000001",
    )
    wang = Member.objects.get(name="王新")
    assert sorted(o.name for o in wang.organizations.all()) == ["九三学社市委", "示范市东城区政协"]
    assert not Member.objects.filter(name="赵错").exists()
    event = Event.objects.get(verb="import_roster")
    assert event.actor == admin and event.payload["create"] == 1 and event.payload["rejected"] == 3
    assert verify_chain() is None


def test_it_changes_nothing_when_the_same_file_is_imported_again(admin_client):
    first = upload(admin_client)
    admin_client.post(first.url + "apply/")
    after_first, members = snapshot(), Member.objects.count()
    # The same job confirmed twice (a double click) does nothing more.
    admin_client.post(first.url + "apply/")
    again = upload(admin_client)
    plan = plan_of(again)
    assert {plan[n]["action"] for n in (2, 3, 4)} == {"unchanged"}
    page = admin_client.get(again.url).content.decode()
    assert "本文件不会带来任何变化" in page
    admin_client.post(again.url + "apply/")
    assert snapshot() == after_first and Member.objects.count() == members


def test_it_matches_by_name_and_phone_and_keeps_a_phone_the_file_leaves_empty(admin_client):
    Member.objects.filter(name="李华").update(phone="13800000001")
    twin = make_member("张明", Organization.objects.get(name="九三学社市委"))
    twin.phone = "13700000000"
    twin.save()
    rows = [
        ["李华", "经济界", "民盟市委", "", "是", ""],  # keeps 13800000001: unchanged
        ["张明", "经济界", "民盟市委", "", "否", ""],  # two 张明 and no phone: cannot tell
        ["张明", "经济界", "九三学社市委", "", "否", "13700000000"],  # the twin, by phone
        ["李华", "经济界", "民盟市委", "", "是", "13600000000"],  # another 李华
    ]
    plan = plan_of(upload(admin_client, rows))
    assert plan[2]["action"] == "unchanged"
    assert plan[3]["action"] == "rejected" and "请填写手机号以便区分" in plan[3]["reason"]
    assert plan[4]["action"] == "unchanged" and plan[4]["member_id"] == twin.pk
    assert plan[5]["action"] == "create" and "同名委员" in plan[5]["reason"]


def test_it_refuses_a_stale_plan_and_shows_the_fresh_one(admin_client):
    response = upload(admin_client)
    # Someone adds 王新 in the admin between the dry run and the confirmation.
    wang = make_member("王新", Organization.objects.get(name="九三学社市委"))
    count = Member.objects.count()
    page = admin_client.post(response.url + "apply/", follow=True).content.decode()
    assert "自预览以来委员数据已有变化" in page
    assert Member.objects.count() == count
    assert plan_of(response)[4]["member_id"] == wang.pk  # the fresh plan now updates 王新


def test_two_uploads_of_one_file_cannot_both_create_the_same_member(admin_client):
    first, second = upload(admin_client), upload(admin_client)
    admin_client.post(first.url + "apply/")
    admin_client.post(second.url + "apply/")
    assert Member.objects.filter(name="王新").count() == 1


def _huge_roster() -> SimpleUploadedFile:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(ROSTER_HEADERS)
    for n in range(20_001):
        sheet.append([f"委员{n}", "经济界", "民盟市委", "", "否", ""])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("huge.xlsx", out.getvalue(), content_type=XLSX)


@pytest.mark.parametrize(
    ("make_file", "message"),
    [
        (
            lambda: SimpleUploadedFile("名册.xlsx", "姓名,手机\n张三,1".encode()),
            "请上传 Excel 2007 及以上版本",
        ),
        (lambda: docx_file("名册.xlsx", "不是表格", []), "请上传 Excel 2007 及以上版本"),
        (
            lambda: xlsx_file("名册.xlsx", ["姓名", "单位"], [["张三", "民盟市委"]]),
            "文件缺少以下列：界别、职务、是否特约信息员、手机",
        ),
        (lambda: xlsx_file("名册.xlsx", None), "文件是空的"),
        (lambda: xlsx_file("名册.xlsx", ROSTER_HEADERS), "文件中只有表头，没有委员数据"),
        (_huge_roster, "一次最多导入 20000 行"),
        (lambda: SimpleUploadedFile("名册.xlsx", b"\0" * (20 * 1024 * 1024 + 1)), "超过 20 MB"),
    ],
    ids=["not-xlsx", "docx-renamed", "missing-columns", "empty", "header-only", "huge", "too-big"],
)
def test_it_refuses_a_malformed_file_with_a_clear_message_and_changes_nothing(
    admin_client, make_file, message
):
    before, events = snapshot(), Event.objects.count()
    response = admin_client.post(reverse("exchange:roster_import"), {"file": make_file()})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot() == before and Event.objects.count() == events
    assert not ImportJob.objects.exists()


def test_it_asks_for_a_file_when_none_is_chosen(admin_client):
    response = admin_client.post(reverse("exchange:roster_import"), {})
    assert response.status_code == 400 and "请选择要上传的 Excel 文件" in response.content.decode()


def test_only_the_uploader_sees_and_confirms_their_job(admin_client, cast, sectors):
    response = upload(admin_client)
    other = make_user("admin2", "admin")
    admin_client.force_login(other)
    assert admin_client.get(response.url).status_code == 404
    assert admin_client.post(response.url + "apply/").status_code == 404
    assert ImportJob.objects.get().status == ImportStatus.PLANNED


def test_an_admin_imports_the_325_member_roster_from_excel(admin_client, units):
    sectors = [Sector.objects.get_or_create(name=f"第{n + 1}界别")[0] for n in range(26)]
    rows = [
        [
            f"委员{n:03d}",
            sectors[n % 26].name,
            units[n % 3].name,
            "委员" if n % 5 else "副主任",
            "是" if n < 30 else "否",
            f"139{n:08d}",
        ]
        for n in range(325)
    ]
    members = Member.objects.count()
    response = upload(admin_client, rows, name="第十二届委员名册.xlsx")
    page = admin_client.post(response.url + "apply/", follow=True).content.decode()
    assert "新增 325 人，更新 0 人，无变化 0 人，拒绝 0 行" in page
    assert Member.objects.count() == members + 325
    assert Member.objects.filter(is_information_officer=True, name__startswith="委员").count() == 30
    assert Member.objects.get(name="委员324").sector == sectors[324 % 26]
    again = plan_of(upload(admin_client, rows))
    assert {e["action"] for e in again.values()} == {"unchanged"}
