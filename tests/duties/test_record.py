"""A member's yearly 履职 record: the page, the DOCX, and the office's print of a sector or unit."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from minyi.audit.models import Event
from minyi.duties.actions import do_answer
from minyi.outcomes.models import Adoption
from minyi.people.models import Sector
from tests.duties.helpers import make_commission
from tests.factories import make_report, settle
from tests.scoring.helpers import make_rules, this_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(cast):
    make_rules()
    published = make_report(cast, state="published", title="被采用的一篇")
    forwarding = published.forwardings.get(recipient=cast.recipients[0])
    Adoption.objects.create(
        forwarding=forwarding,
        kind="single",
        adopted_on=timezone.localdate(published.submitted_at),
        recorded_by=cast.editor,
    )
    make_report(cast, state="declined", title="不予采用的一篇")
    make_report(cast, title="仍是草稿的一篇")
    declined = make_commission(cast)
    do_answer(declined, cast.member, "decline", "近期出差")
    settle()
    return published


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_member_sees_their_year_reports_fates_commissions_points_duties(
    cast, client_for, history
):
    page = client_for(cast.member).get(
        reverse("members:record", args=[cast.member.member_id]) + f"?year={this_year()}"
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "被采用的一篇" in html and "不予采用的一篇" in html
    assert "仍是草稿的一篇" not in html  # drafts were never submitted
    assert "被全国政协采用" in html
    assert "近期出差" in html and "已婉拒" in html
    assert "报送信息" in html and "全年报送不少于 1 篇" in html


def test_the_docx_holds_the_same_record_in_official_layout(cast, client_for, history):
    response = client_for(cast.member).get(
        reverse("members:record_docx", args=[cast.member.member_id]) + f"?year={this_year()}"
    )
    assert response.status_code == 200
    text = _text(response.content)
    assert f"张明{this_year()}年度社情民意信息履职情况" in text
    assert "被采用的一篇" in text and "近期出差" in text and "全年报送不少于 1 篇" in text
    assert Event.objects.filter(verb="download", payload__what="duty_record_docx").exists()


def test_others_cannot_read_a_members_record(cast, client_for, history):
    url = reverse("members:record", args=[cast.member.member_id])
    assert client_for(cast.outsider).get(url).status_code == 404
    assert client_for(cast.officer).get(url).status_code == 404
    before = Event.objects.count()
    docx = reverse("members:record_docx", args=[cast.member.member_id])
    assert client_for(cast.outsider).get(docx).status_code == 404
    assert Event.objects.count() == before


def test_the_office_prints_a_sector_one_page_each(cast, client_for, history):
    sector = Sector.objects.get(name="经济界")
    response = client_for(cast.editor).get(
        reverse("members:records"), {"sector": sector.pk, "year": this_year(), "format": "docx"}
    )
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    titles = [p for p in doc.paragraphs if "年度社情民意信息履职情况" in p.text]
    assert {p.text[:2] for p in titles} >= {"张明", "李华", "周外"}
    assert sum(1 for p in titles if p.paragraph_format.page_break_before) == len(titles) - 1


def test_the_print_refuses_bad_input_and_other_roles(cast, client_for, history):
    bad = client_for(cast.editor).get(reverse("members:records"), {"format": "docx"})
    assert bad.status_code == 400 and "请选择界别或单位" in bad.content.decode()
    refused = client_for(cast.member).get(
        reverse("members:records"), {"unit": cast.unit.pk, "format": "docx"}
    )
    assert refused.status_code == 403
