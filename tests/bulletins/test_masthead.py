"""GB/T 9704 版头 and 版记 of an issue and of a single report, read back with python-docx."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings
from docx import Document
from docx.oxml.ns import qn

from minyi.bulletins.actions import (
    do_compose,
    do_create_issue,
    do_send_issue_for_sign_off,
    do_sign_off_issue,
)
from minyi.bulletins.models import IssueCopy
from minyi.bulletins.render import render_issue_docx, render_report_docx
from minyi.outcomes.models import Recipient, RecipientLevel
from minyi.reports.models import Report
from tests.factories import REPORT_TEXT, make_report, publish

pytestmark = pytest.mark.django_db

SECOND_TITLE = "关于规范校外培训机构收费的建议"


def lines_of(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def face_of(data: bytes, text: str) -> str:
    doc = Document(io.BytesIO(data))
    run = next(r for p in doc.paragraphs for r in p.runs if r.text == text)
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def mark(report: Report, level: str, until: dt.date | None = None) -> None:
    Report.objects.filter(pk=report.pk).update(confidentiality=level, confidential_until=until)


@pytest.fixture
def two_items(cast):
    first = make_report(cast, state="signed_off")
    second = make_report(cast, state="signed_off", title=SECOND_TITLE)
    return publish(cast, [first, second])


def test_it_lists_the_items_in_a_contents_block_when_an_issue_has_several(cast, two_items):
    lines = lines_of(render_issue_docx(two_items))
    start = lines.index("目　录")
    assert lines[start + 1 : start + 3] == [f"1．{REPORT_TEXT['title']}", f"2．{SECOND_TITLE}"]
    # The contents come after the 版头 and before the first item's title.
    assert start > lines.index("社情民意")
    assert start < lines.index(REPORT_TEXT["title"])


def test_it_prints_no_contents_for_a_single_item(cast):
    issue = publish(cast, [make_report(cast, state="signed_off")])
    assert "目　录" not in lines_of(render_issue_docx(issue))


def test_it_prints_the_copy_number_in_six_digits_on_the_top_left(cast, two_items):
    data = render_issue_docx(two_items, copy_number=7)
    lines = lines_of(data)
    assert lines[0] == "000007"
    assert lines[1] == "社情民意"
    assert face_of(data, "000007") == "黑体"
    assert "000007" not in lines_of(render_issue_docx(two_items))


def test_it_carries_the_highest_marking_of_its_items_with_the_latest_period(cast, two_items):
    first, second = [item.report for item in two_items.items.all()]
    mark(first, "internal")
    mark(second, "secret", dt.date(2027, 6, 30))
    lines = lines_of(render_issue_docx(two_items))
    assert lines[0] == "秘密★2027年6月30日"
    mark(second, "")
    assert lines_of(render_issue_docx(two_items))[0] == "内部"
    mark(first, "")
    assert lines_of(render_issue_docx(two_items))[0] == "社情民意"


def test_it_prints_the_urgency_of_the_most_urgent_item(cast):
    routine = make_report(cast, state="signed_off")
    urgent = make_report(cast, state="signed_off", title=SECOND_TITLE, urgency="urgent")
    issue = publish(cast, [routine, urgent])
    assert lines_of(render_issue_docx(issue))[0] == "加急"
    Report.objects.filter(pk=urgent.pk).update(urgency="special")
    assert lines_of(render_issue_docx(issue))[0] == "特急"


def test_it_orders_copy_number_marking_and_urgency_as_the_standard_does(cast, two_items):
    first = two_items.items.first().report
    mark(first, "secret", dt.date(2027, 1, 1))
    Report.objects.filter(pk=first.pk).update(urgency="special")
    lines = lines_of(render_issue_docx(two_items, copy_number=12))
    assert lines[:4] == ["000012", "秘密★2027年1月1日", "特急", "社情民意"]


def test_it_names_the_signer_only_on_an_issue_sent_upward(cast):
    department = Recipient.objects.create(name="市民政局", level=RecipientLevel.DEPARTMENT)
    issue = do_create_issue(cast.bulletin, cast.editor)
    report = make_report(cast, state="signed_off")
    do_compose(issue, cast.editor, reports=[report], main=[department], copy=[])
    do_send_issue_for_sign_off(issue, cast.editor)
    do_sign_off_issue(issue, cast.approver, opinion="同意。", acknowledged=True)
    issue.refresh_from_db()
    lines = lines_of(render_issue_docx(issue))
    assert lines[1] == f"{issue.year}年第{issue.number}期（总第{issue.cumulative_number}期）"
    assert not any("签发人" in line for line in lines)


def test_it_prints_the_signer_in_kai_after_a_fangsong_label(cast, two_items):
    data = render_issue_docx(two_items)
    assert lines_of(data)[1].endswith("\t签发人：钱秘书长")
    assert face_of(data, "钱秘书长").startswith("楷体")
    assert face_of(data, "\t签发人：").startswith("仿宋")


def test_it_prints_the_editor_note_in_kai_before_the_first_item(cast, two_items):
    type(two_items).objects.filter(pk=two_items.pk).update(
        editor_note="本期两篇信息均涉及民生。\n请各部门参阅。"
    )
    two_items.refresh_from_db()
    data = render_issue_docx(two_items)
    lines = lines_of(data)
    note = lines.index("编者按：本期两篇信息均涉及民生。")
    assert lines[note + 1] == "请各部门参阅。"
    assert lines.index("目　录") < note < lines.index(REPORT_TEXT["title"])
    assert face_of(data, "编者按：") == "黑体"
    assert face_of(data, "请各部门参阅。").startswith("楷体")


def test_it_prints_no_editor_note_when_there_is_none(cast, two_items):
    assert not any(line.startswith("编者按") for line in lines_of(render_issue_docx(two_items)))


def test_it_counts_the_printed_copies_in_the_imprint(cast, two_items):
    assert not any("共印" in line for line in lines_of(render_issue_docx(two_items)))
    for number in (1, 2, 3):
        IssueCopy.objects.create(issue=two_items, number=number, printed_by=cast.editor)
    lines = lines_of(render_issue_docx(two_items))
    assert lines[-1] == "（共印3份）"
    assert lines[-2].startswith(f"{settings.HOST_NAME}研究室\t")
    assert lines[-2].endswith("印发")


def test_it_gives_a_single_report_the_masthead_of_a_bulletin_item(cast):
    report = make_report(cast, state="submitted", urgency="special")
    mark(report, "secret", dt.date(2027, 3, 1))
    report.refresh_from_db()
    data = render_report_docx(report)
    lines = lines_of(data)
    assert lines[:5] == [
        "秘密★2027年3月1日",
        "特急",
        f"{settings.HOST_NAME}社情民意信息",
        f"编号：{report.serial}",
        lines[4],
    ]
    assert lines[4].startswith(f"{settings.HOST_NAME}研究室编\t")
    doc = Document(io.BytesIO(data))
    masthead = next(r for p in doc.paragraphs for r in p.runs if r.text.endswith("社情民意信息"))
    assert str(masthead.font.color.rgb) == "E60012"
    assert face_of(data, f"{settings.HOST_NAME}社情民意信息") == "方正小标宋简体"


def test_it_renders_in_the_same_number_of_queries_whatever_the_items(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(n: int) -> int:
        reports = [make_report(cast, state="signed_off", title=f"第{k}篇建议") for k in range(n)]
        issue = publish(cast, reports)
        issue = type(issue).objects.select_related("bulletin", "approver").get(pk=issue.pk)
        with CaptureQueriesContext(connection) as captured:
            render_issue_docx(issue, copy_number=1)
        return len(captured)

    assert queries(2) == queries(6)
