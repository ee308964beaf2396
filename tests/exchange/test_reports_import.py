"""Historical reports import: XLSX/CSV through the mapping screen, DOCX files, progress."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from minyi.audit.models import Event, verify_chain
from minyi.core.http import serving
from minyi.exchange import archive, bulk, reports_import
from minyi.exchange.models import ImportJob, ImportProgress, ImportStatus
from minyi.reports.models import Report, ReportAuthor, Revision, State
from minyi.search.backends import document_for, search_reports
from minyi.search.models import ReportDocument
from tests.exchange.conftest import docx_file, xlsx_file
from tests.factories import settle

HEADERS = [
    "信息标题",
    "基本情况",
    "原因",
    "对策建议",
    "作者",
    "来源单位",
    "报送时间",
    "分类",
    "备注",
]
GOOD = [
    [
        "关于规范校外培训机构收费的建议",
        "部分培训机构预收费超过一年。",
        "监管手段不足。",
        "建立预收费资金存管制度。",
        "张明、家长代表王某",
        "民盟市委",
        "2024年3月5日",
        "养老服务",
        "x",
    ],
    [
        "关于加强老旧小区电梯加装的建议",
        "老旧小区加装电梯推进缓慢。",
        "",
        "简化审批。",
        "李华",
        "东城区政协",
        "2024/4/1",
        "民生保障 / 养老服务",
        "",
    ],
]
BAD = [
    ["", "没有标题的情况。", "", "建议。", "张明", "民盟市委", "2024-01-01", "", ""],
    ["缺少建议的一篇", "情况。", "", "", "张明", "无此单位", "明天", "无此类别", ""],
]


def csv_file(name: str, encoding: str, rows=GOOD + BAD) -> SimpleUploadedFile:
    lines = [",".join(HEADERS)] + [",".join(f'"{c}"' for c in row) for row in rows]
    return SimpleUploadedFile(name, "\r\n".join(lines).encode(encoding), content_type="text/csv")


@pytest.fixture
def editor_client(cast, client_for, units):
    return client_for(cast.editor)


def upload(client, files, **extra):
    # Rows without a 状态 column are archived as 已编发 (the upload's default state).
    data = {"files": files, "state": State.PUBLISHED, **extra}
    return client.post(reverse("exchange:reports_import"), data)


def job_of(response) -> ImportJob:
    return ImportJob.objects.get(
        pk=response.url.rstrip("/").split("/")[-2 if "mapping" in response.url else -1]
    )


def confirm_mapping(client, response, **override):
    """Submit the mapping screen as guessed (plus ``override``), returning the plan URL."""
    job = job_of(response)
    data = {k: "" if v is None else str(v) for k, v in job.mapping.items()} | override
    return client.post(response.url, data)


def test_it_guesses_the_columns_and_shows_a_sample_on_the_mapping_screen(editor_client):
    response = upload(editor_client, xlsx_file("历史信息.xlsx", HEADERS, GOOD + BAD))
    assert response.status_code == 302 and "/mapping/" in response.url
    job = job_of(response)
    assert job.mapping == {
        "title": 0,
        "situation": 1,
        "analysis": 2,
        "suggestions": 3,
        "authors": 4,
        "unit": 5,
        "date": 6,
        "category": 7,
        **dict.fromkeys(("urgency", "state", "recipient", "adoption_kind", "carrier"), None),
        **dict.fromkeys(("adopted_on", "instruction_level", "leader", "instruction_text"), None),
        "instructed_on": None,
    }
    page = editor_client.get(response.url).content.decode()
    assert "选择对应列" in page and "关于规范校外培训机构收费的建议" in page
    assert not Report.objects.exists()


def test_it_refuses_a_mapping_without_required_fields_or_with_a_column_twice(editor_client):
    response = upload(editor_client, xlsx_file("历史信息.xlsx", HEADERS, GOOD))
    missing = confirm_mapping(editor_client, response, title="")
    assert missing.status_code == 400 and "请指定哪一列是“标题”" in missing.content.decode()
    twice = confirm_mapping(editor_client, response, analysis="1")
    assert twice.status_code == 400 and "同一列不能对应两个字段" in twice.content.decode()
    assert job_of(response).plan == []


def _import_table(client, files):
    mapping = upload(client, files)
    plan = confirm_mapping(client, mapping)
    assert plan.status_code == 302
    return plan


@pytest.mark.parametrize(
    "make_file",
    [
        lambda: xlsx_file("历史信息.xlsx", HEADERS, GOOD + BAD),
        lambda: csv_file("历史信息.csv", "gbk"),
        lambda: csv_file("历史信息.csv", "utf-8-sig"),
    ],
    ids=["xlsx", "csv-gbk", "csv-utf8-bom"],
)
def test_it_imports_good_rows_and_lists_bad_ones_with_reasons(editor_client, cast, make_file):
    plan_url = _import_table(editor_client, make_file()).url
    page = editor_client.get(plan_url).content.decode()
    assert "可导入 <strong>2</strong> 篇" in page
    for reason in (
        "缺少标题",
        "缺少“意见建议”",
        "未知报送单位“无此单位”",
        "“报送日期”列：“明天”无法识别",
        "未知类别“无此类别”",
    ):
        assert reason in page
    assert not Report.objects.exists()  # the preview changed nothing

    editor_client.post(plan_url + "apply/")
    first = Report.objects.get(title=GOOD[0][0])
    assert first.state == State.PUBLISHED and first.is_historical
    assert first.serial.startswith("2024-")  # Numbered in its own year, not today's.
    assert [a.member.name for a in first.report_authors.all()] == ["张明"]
    assert first.informant == "家长代表王某"
    assert first.submitting_unit == cast.unit and first.category == cast.category
    assert timezone.localtime(first.submitted_at).date() == dt.date(2024, 3, 5)
    assert first.current_revision().note == "历史导入" and first.analysis == "监管手段不足。"
    second = Report.objects.get(title=GOOD[1][0])
    assert second.submitting_unit.short_name == "东城区政协" and second.analysis == ""
    assert Report.objects.count() == 2
    assert [e.verb for e in Event.objects.for_report(first.pk)] == ["create", "submit", "publish"]
    assert Event.objects.filter(verb="import_reports").get().payload["imported"] == 2
    assert verify_chain() is None
    settle()  # The search_index consumer indexes the imported reports after commit.
    hits = search_reports(cast.editor, "培训机构")
    assert [h.report for h in hits] == [first]


def test_importing_the_same_file_twice_adds_nothing_the_second_time(editor_client):
    editor_client.post(_import_table(editor_client, csv_file("a.csv", "utf-8-sig")).url + "apply/")
    count, last_event = Report.objects.count(), Event.objects.order_by("pk").last().pk
    plan_url = _import_table(editor_client, csv_file("a.csv", "utf-8-sig")).url
    page = editor_client.get(plan_url).content.decode()
    assert "可导入 <strong>0</strong> 篇" in page and "已导入过" in page
    editor_client.post(plan_url + "apply/")
    assert Report.objects.count() == count
    assert not Event.objects.filter(pk__gt=last_event).exclude(verb="import_reports").exists()


def test_it_refuses_files_it_cannot_read_and_creates_no_job(editor_client):
    cases = [
        ([SimpleUploadedFile("x.txt", b"hello")], "只能上传 .xlsx、.csv 或 .docx 文件"),
        (
            [xlsx_file("a.xlsx", HEADERS, GOOD), xlsx_file("b.xlsx", HEADERS, GOOD)],
            "一次只能上传一个",
        ),
        ([SimpleUploadedFile("a.xlsx", b"not a zip")], "请上传 Excel 2007 及以上版本"),
        ([xlsx_file("a.xlsx", HEADERS)], "文件中只有表头，没有数据行"),
        ([SimpleUploadedFile("a.csv", b"\xff\xfe\x00t\x00i")], "不是文本格式的 CSV 文件"),
        ([SimpleUploadedFile("a.docx", b"PK not really")], "a.docx：无法读取 Word 文件"),
    ]
    for files, message in cases:
        response = upload(editor_client, files)
        assert response.status_code == 400, message
        assert message in response.content.decode()
    assert not ImportJob.objects.exists() and not Report.objects.exists()


def test_it_imports_one_report_per_word_file_by_its_headings(editor_client, cast):
    structured = docx_file(
        "养老.docx",
        "关于发展社区嵌入式养老服务的建议",
        [
            ("", "反映人：张明、社区居民代表"),
            ("", "报送单位：民盟市委"),
            ("", "报送日期：2023年6月1日"),
            ("2", "一、基本情况"),
            ("", "我市老年人口持续增加。"),
            ("", "社区养老床位不足。"),
            ("2", "二、原因分析"),
            ("", "用地难、运营难。"),
            ("2", "三、意见建议"),
            ("", "一是保障用地；二是给予补贴。"),
        ],
    )
    inline = docx_file(
        "停车.docx",
        "关于缓解医院周边停车难的建议",
        [
            ("", "报送日期：2022-11-30"),
            ("", "状态：不予采用"),
            ("", "情况：三甲医院周边停车位严重不足。"),
            ("", "建议：错时共享机关停车位。"),
        ],
    )
    response = upload(
        editor_client, [structured, inline], unit=cast.other_unit.pk, informant="市民李四"
    )
    assert response.status_code == 302 and "/mapping/" not in response.url
    editor_client.post(response.url + "apply/")
    first = Report.objects.get(title="关于发展社区嵌入式养老服务的建议")
    assert first.situation == "我市老年人口持续增加。\n社区养老床位不足。"
    assert first.analysis == "用地难、运营难。"
    assert first.suggestions == "一是保障用地；二是给予补贴。"
    assert first.author_names() == ["张明", "社区居民代表"] and first.submitting_unit == cast.unit
    second = Report.objects.get(title="关于缓解医院周边停车难的建议")
    assert (second.situation, second.analysis, second.suggestions) == (
        "三甲医院周边停车位严重不足。",
        "",
        "错时共享机关停车位。",
    )
    # Defaults from the upload form fill what the file leaves out; a file's 状态 line wins.
    assert second.submitting_unit == cast.other_unit and second.informant == "市民李四"
    assert (first.state, second.state) == (State.PUBLISHED, State.DECLINED)
    assert (first.serial[:4], second.serial[:4]) == ("2023", "2022")


def test_the_progress_endpoint_reports_how_far_the_import_is(editor_client):
    plan_url = _import_table(editor_client, xlsx_file("a.xlsx", HEADERS, GOOD + BAD)).url
    progress = plan_url + "progress/"
    before = editor_client.get(progress, {"format": "json"}).json()
    assert before == {"status": "planned", "done": 0, "total": 4, "percent": 0}
    assert "<progress" in editor_client.get(progress).content.decode()
    result = editor_client.post(plan_url + "apply/", HTTP_HX_REQUEST="true")
    assert "导入完成：成功 <strong>2</strong> 篇" in result.content.decode()
    after = editor_client.get(progress, {"format": "json"}).json()
    assert after == {"status": "applied", "done": 4, "total": 4, "percent": 100}
    # The finished bar no longer polls.
    assert "hx-get" not in editor_client.get(progress).content.decode()


def test_a_job_stores_its_cells_as_text_not_escapes(editor_client):
    job = job_of(upload(editor_client, xlsx_file("a.xlsx", HEADERS, GOOD)))
    with connection.cursor() as cursor:
        cursor.execute("SELECT rows FROM exchange_importjob WHERE id = %s", [job.pk])
        [raw] = cursor.fetchone()
    # Escaped (\\uXXXX) the rows and plan of 10,000 reports took twice the bytes.
    assert GOOD[0][0] in (raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False))
    assert job.rows[0][0] == GOOD[0][0]


def test_a_running_import_shows_the_rows_its_committed_chunks_hold(editor_client):
    plan_url = _import_table(editor_client, xlsx_file("a.xlsx", HEADERS, GOOD + BAD)).url
    job = ImportJob.objects.get(pk=plan_url.rstrip("/").split("/")[-1])
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    ImportProgress.objects.create(job=job, done=3)
    now = editor_client.get(plan_url + "progress/", {"format": "json"}).json()
    assert now == {"status": "running", "done": 3, "total": 4, "percent": 75}


def test_a_failed_chunk_keeps_the_chunks_before_it(editor_client, monkeypatch):
    plan_url = _import_table(editor_client, xlsx_file("a.xlsx", HEADERS, GOOD + BAD)).url
    job = ImportJob.objects.get(pk=plan_url.rstrip("/").split("/")[-1])
    monkeypatch.setattr(reports_import, "CHUNK", 1)
    real, calls = archive.create_historical, []

    def second_fails(entries, user, **kw):
        calls.append(entries)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(entries, user, **kw)

    monkeypatch.setattr(archive, "create_historical", second_fails)
    with pytest.raises(RuntimeError):
        reports_import.apply_job(job, job.created_by)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.result["imported"] == 1
    assert job.done == 3  # two rejected rows and the one committed report
    assert list(Report.objects.values_list("title", flat=True)) == [GOOD[0][0]]
    assert ImportProgress.objects.get(job=job).done == 3
    assert verify_chain() is None


def test_bulk_rows_are_the_rows_the_orm_would_write(cast):
    """The raw inserts must fill every column as Model.save() would: defaults included."""
    values = {"title": "关于公交站台遮雨棚的建议", "situation": "站台无遮雨棚。"}
    values |= {"analysis": "", "suggestions": "增设遮雨棚。"}
    entry = {"values": values, "informant": "市民甲", "author_ids": [cast.member.member.pk]}
    entry |= {"unit_id": cast.unit.pk, "category_id": None, "date": "2024-05-06"}
    # As in the import's request: the rows carry its client's address.
    with serving(RequestFactory().post("/", REMOTE_ADDR="10.0.0.1")):
        [pk] = bulk.create_submitted([entry], cast.editor, job_id=7)
    report = Report.objects.get(pk=pk)
    fresh = Report()  # every column bulk.py does not set keeps the model's default
    skip = {"id", "serial", "informant", "submitting_unit", "created_by", "updated_at"}
    skip |= {"state", "revision_number", "original_revision_number", *values}
    skip |= {"created_at", "submitted_at", "state_changed_at", "urgency", "category"}
    for field in Report._meta.concrete_fields:
        if field.name not in skip:
            assert getattr(report, field.attname) == getattr(fresh, field.attname), field.name
    assert report.updated_at is not None and report.urgency == "routine"
    assert timezone.localtime(report.submitted_at) == timezone.make_aware(
        dt.datetime(2024, 5, 6, 9)
    )
    assert Revision.objects.get(report=report).text_fields() == report.text_fields()
    assert ReportAuthor.objects.get(report=report).member_id == cast.member.member.pk
    settle()
    doc = ReportDocument.objects.get(report=report)
    fresh_doc = document_for(report)
    assert (doc.title_terms, doc.body_terms, doc.band_keys) == (
        fresh_doc.title_terms,
        fresh_doc.body_terms,
        fresh_doc.band_keys,
    )
    assert len(doc.band_keys.split()) == 25
    events = list(Event.objects.for_report(pk))
    assert [(e.verb, e.actor_id, e.ip) for e in events] == [
        ("create", cast.editor.pk, "10.0.0.1"),
        ("submit", cast.editor.pk, "10.0.0.1"),
    ]
    assert events[0].payload == {"title": values["title"], "import_job": 7}
    assert verify_chain() is None
    assert [h.report for h in search_reports(cast.editor, "遮雨棚")] == [report]


def test_only_the_uploader_sees_their_import_job(editor_client, cast):
    from tests.factories import make_user

    plan_url = _import_table(editor_client, xlsx_file("a.xlsx", HEADERS, GOOD)).url
    editor_client.force_login(make_user("editor2", "editor"))
    for url in (plan_url, plan_url + "progress/", plan_url + "mapping/"):
        assert editor_client.get(url).status_code == 404
    assert editor_client.post(plan_url + "apply/").status_code == 404
    assert not Report.objects.exists()
