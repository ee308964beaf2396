"""Adverse ratings show their reason everywhere and are reviewed before the notice is confirmed."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from minyi.audit.models import Event
from minyi.core import clock
from minyi.outcomes.actions import do_record_adoption
from minyi.scoring.models import AnnualNotice, NoticeState, RatingReview
from tests.factories import make_report
from tests.scoring.helpers import make_rules, this_year

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def notice(cast, client_for):
    """The information officer 李华 tops the year (adopted nationally) but sent one report only.

    Short of the yearly minimum in any month (and, after January, of the monthly duty too).
    """
    make_rules(min_volume_for_rate=1, member_min_reports=2, officer_min_monthly=1)
    report = make_report(cast, by=cast.officer, state="published")
    forwarding = report.forwardings.get(recipient__name="全国政协")
    do_record_adoption(forwarding, cast.editor, kind="single", adopted_on=clock.localdate())
    make_report(cast, state="published")
    make_report(cast, state="published", title="关于第二件事的建议")
    client_for(cast.editor).post(reverse("scoring:notice_new"), {"year": this_year()})
    return AnnualNotice.objects.get(year=this_year())


def _missing_months() -> str:
    today = clock.localdate()
    return "、".join(f"{m}月" for m in range(1, today.month)) + "未报送"


def test_the_rankings_and_member_pages_give_the_reason_for_each_rating(cast, client_for, notice):
    if clock.localdate().month == 1:
        pytest.skip("in January no earlier month is due")
    editor = client_for(cast.editor)
    rankings = editor.get(reverse("scoring:rankings")).content.decode()
    assert "评定依据" in rankings and _missing_months() in rankings
    member_page = editor.get(reverse("scoring:member", args=[cast.officer.member_id]))
    assert "依据：未完成最低任务" in member_page.content.decode()
    own = client_for(cast.member).get(reverse("scoring:mine")).content.decode()
    assert "依据：年度积分" in own


def test_the_approver_cannot_confirm_while_an_adverse_rating_is_unreviewed(
    cast, client_for, notice
):
    page = client_for(cast.approver).get(reverse("scoring:notice", args=[notice.pk]))
    assert "待复核" in page.content.decode() and "李华" in page.content.decode()
    response = client_for(cast.approver).post(
        reverse("scoring:notice_step", args=[notice.pk, "confirm"]), follow=True
    )
    assert "尚有 1 项不利评定未经复核（李华）" in response.content.decode()
    notice.refresh_from_db()
    assert notice.state == NoticeState.DRAFT
    assert not Event.objects.filter(verb="notice_confirm").exists()


def test_a_review_needs_the_editor_a_decision_and_a_note(cast, client_for, notice):
    url = reverse("scoring:notice_review", args=[notice.pk])
    data = {"member": cast.officer.member_id, "decision": "confirm", "note": "确未按月报送"}
    for role in (cast.approver, cast.member, cast.leader):
        before = Event.objects.count()
        assert client_for(role).post(url, data).status_code in (403, 404)
        assert not RatingReview.objects.exists() and Event.objects.count() == before
    editor = client_for(cast.editor)
    for bad, message in (
        ({**data, "note": " "}, "请填写复核说明"),
        ({**data, "decision": "maybe"}, "请选择复核结论"),
        ({**data, "decision": "override", "band": "不称职"}, "与原评定相同"),
        ({**data, "decision": "override", "band": "杰出"}, "请选择改定后的档次"),
        ({**data, "member": cast.member.member_id}, "不属于需复核的不利评定"),
    ):
        response = editor.post(url, bad)
        assert response.status_code == 400 and message in response.content.decode(), message
    assert not RatingReview.objects.exists()
    assert not Event.objects.filter(verb="rating_review").exists()


def test_an_override_is_an_event_shows_in_the_docx_and_unblocks_confirmation(
    cast, client_for, notice
):
    editor = client_for(cast.editor)
    note = "该员3至11月借调省里，经主任会议同意免除月度任务"
    response = editor.post(
        reverse("scoring:notice_review", args=[notice.pk]),
        {"member": cast.officer.member_id, "decision": "override", "band": "优秀", "note": note},
    )
    assert response.status_code == 302
    review = RatingReview.objects.get()
    assert (review.band, review.final_band, review.decision) == ("不称职", "优秀", "override")
    event = Event.objects.get(verb="rating_review")
    assert event.payload["final_band"] == "优秀" and event.payload["note"] == note
    approver = client_for(cast.approver)
    approver.post(reverse("scoring:notice_step", args=[notice.pk, "confirm"]))
    notice.refresh_from_db()
    assert notice.state == NoticeState.CONFIRMED
    docx = editor.get(reverse("scoring:notice_docx", args=[notice.pk])).content
    rows = _member_rows(Document(io.BytesIO(docx)))
    assert rows["李华"]["档次"] == "优秀" and note in rows["李华"]["评定依据"]


def test_every_rating_in_the_docx_matches_its_reason(cast, client_for, notice):
    docx = client_for(cast.editor).get(reverse("scoring:notice_docx", args=[notice.pk])).content
    doc = Document(io.BytesIO(docx))
    rows = _member_rows(doc)
    assert rows, "the notice lists its top members"
    for name, row in rows.items():
        reason = row["评定依据"]
        if row["档次"] == "不称职":
            assert reason.startswith("未完成最低任务"), (name, reason)
            if clock.localdate().month > 1:
                assert _missing_months() in reason, (name, reason)
            continue
        # A band by points: the reason states the points, which lie in the band's range.
        found = re.match(
            r"年度积分 ([\d.]+) 分（不低于 ([\d.]+) 分(?:、低于 ([\d.]+) 分)?）", reason
        )
        assert found, (name, reason)
        points, low, high = (float(x) if x else None for x in found.groups())
        assert points == float(row["积分"]) and points >= low and (high is None or points < high)
    # The two charts are pictures in the document, PNG-encoded.
    pictures = [r for r in doc.part.rels.values() if "image" in r.reltype]
    assert len(pictures) == 2
    assert all(p.target_part.blob.startswith(b"\x89PNG") for p in pictures)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "图1" in text and "图2" in text


def _member_rows(doc) -> dict[str, dict[str, str]]:
    table = next(t for t in doc.tables if t.rows[0].cells[-1].text == "评定依据")
    headers = [c.text for c in table.rows[0].cells]
    return {
        row.cells[1].text: dict(zip(headers, (c.text for c in row.cells), strict=True))
        for row in table.rows[1:]
    }


def test_the_scores_workbook_gives_each_band_its_reason(cast, client_for, notice):
    response = client_for(cast.editor).get(reverse("scoring:export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    headers = rows[0]
    by_name = {row[1]: dict(zip(headers, row, strict=True)) for row in rows[1:]}
    officer = by_name["李华"]
    assert officer["档次"] == "不称职" and officer["评定依据"].startswith("未完成最低任务")
    member = by_name[cast.member.member.name]
    assert member["评定依据"].startswith(f"年度积分 {member['积分']:.2f} 分")


def test_an_overridden_rating_prints_its_note_once_on_the_page_and_in_the_docx(
    cast, client_for, notice
):
    editor = client_for(cast.editor)
    note = "该员借调省里，经主任会议同意免除月度任务"
    editor.post(
        reverse("scoring:notice_review", args=[notice.pk]),
        {"member": cast.officer.member_id, "decision": "override", "band": "优秀", "note": note},
    )
    html = editor.get(reverse("scoring:notice", args=[notice.pk])).content.decode()
    cells = re.findall(r'<td data-label="评定依据">(.*?)</td>', html, re.S)
    [cell] = [c for c in cells if note in c]
    assert cell.count(note) == 1 and "经复核改定" in cell
    docx = editor.get(reverse("scoring:notice_docx", args=[notice.pk])).content
    reason = _member_rows(Document(io.BytesIO(docx)))["李华"]["评定依据"]
    assert reason.count(note) == 1 and reason.startswith("经复核改定")
