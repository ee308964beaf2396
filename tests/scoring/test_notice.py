"""The annual notice: proposals, confirmation, publication (frozen), DOCX, public page."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document

from minyi.core import clock
from minyi.outcomes.actions import do_record_adoption
from minyi.scoring.models import AnnualNotice, Commendation
from tests.factories import make_report
from tests.scoring.helpers import make_admin, make_rules, this_year

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def year_of_work(cast):
    make_rules(min_volume_for_rate=1, member_min_reports=0, officer_min_monthly=0)
    report = make_report(cast, state="published")
    forwarding = report.forwardings.get(recipient__name="全国政协")
    do_record_adoption(forwarding, cast.editor, kind="single", adopted_on=clock.localdate())
    make_report(cast, by=cast.outsider, state="submitted", unit=cast.other_unit)
    return report


def _run_flow(cast, client_for) -> AnnualNotice:
    editor = client_for(cast.editor)
    response = editor.post(reverse("scoring:notice_new"), {"year": this_year()})
    notice = AnnualNotice.objects.get(year=this_year())
    assert response["Location"] == reverse("scoring:notice", args=[notice.pk])
    editor.post(
        reverse("scoring:notice_edit", args=[notice.pk]),
        {"title": notice.title, "opening": "各单位：\n现将情况通报如下。", "closing": "特此通报。"},
    )
    return notice


def test_it_proposes_commendations_by_the_rules(cast, client_for, year_of_work):
    notice = _run_flow(cast, client_for)
    kinds = {(c.kind, c.name) for c in notice.commendations.all()}
    assert ("unit", cast.unit.label) in kinds
    assert ("member", "张明") in kinds
    assert ("report", f"《{year_of_work.title}》") in kinds


def test_it_lets_the_approver_confirm_then_publish_and_freezes_the_figures(
    cast, client_for, year_of_work
):
    notice = _run_flow(cast, client_for)
    keep = [c.pk for c in notice.commendations.exclude(kind="unit")]
    approver = client_for(cast.approver)
    approver.post(reverse("scoring:notice_step", args=[notice.pk, "confirm"]), {"keep": keep})
    approver.post(reverse("scoring:notice_step", args=[notice.pk, "publish"]))
    notice.refresh_from_db()
    assert notice.state == "published"
    assert notice.figures["totals"]["submitted"] == 2
    assert notice.figures["commendations"]["unit"] == []  # the approver struck it out
    # Later work does not change a published notice.
    make_report(cast, state="submitted")
    page = client_for(cast.leader).get(reverse("scoring:notice", args=[notice.pk])).content.decode()
    assert "全年共报送社情民意信息 2 篇" in page


def test_it_refuses_to_publish_before_confirmation(cast, client_for, year_of_work):
    notice = _run_flow(cast, client_for)
    client_for(cast.approver).post(reverse("scoring:notice_step", args=[notice.pk, "publish"]))
    notice.refresh_from_db()
    assert notice.state == "draft" and notice.figures == {}


def test_it_renders_the_notice_as_an_official_docx(cast, client_for, year_of_work):
    notice = _run_flow(cast, client_for)
    response = client_for(cast.editor).get(reverse("scoring:notice_docx", args=[notice.pk]))
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert notice.title in text and "现将情况通报如下。" in text and "特此通报。" in text
    assert "全年共报送社情民意信息 2 篇，编发 1 篇，被上级采用 1 篇" in text
    units, members = doc.tables
    assert [c.text for c in units.rows[0].cells][:3] == ["名次", "单位", "报送"]
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in units.rows[1:]}
    assert rows[cast.unit.label][2:5] == ["1", "1", "1"]
    assert rows[cast.unit.label][6] == "100.0%"
    assert members.rows[1].cells[1].text == "张明"
    # Chinese fonts are set for East Asian text on every run (GB/T 9704 faces).
    title_run = next(p for p in doc.paragraphs if p.text == notice.title).runs[0]
    fonts = title_run._element.rPr.rFonts
    assert (
        fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "方正小标宋简体"
    )
    body = next(p for p in doc.paragraphs if p.text == "特此通报。").runs[0]
    assert body.font.size.pt == 16


def test_it_shows_the_published_notice_publicly_once_the_admin_enables_it(
    cast, client_for, client, year_of_work
):
    notice = _run_flow(cast, client_for)
    approver = client_for(cast.approver)
    approver.post(
        reverse("scoring:notice_step", args=[notice.pk, "confirm"]),
        {"keep": list(Commendation.objects.values_list("pk", flat=True))},
    )
    approver.post(reverse("scoring:notice_step", args=[notice.pk, "publish"]))
    client_for(make_admin()).post(reverse("scoring:notice_step", args=[notice.pk, "public"]))
    client.logout()
    page = client.get(reverse("scoring:public_notice", args=[notice.pk])).content.decode()
    assert notice.title in page and "张明" in page
    assert notice.title in client.get(reverse("scoring:public_notices")).content.decode()
