"""催办: per recipient, the forwardings overdue for an answer.

Chasing is on record (one event each); the list comes as DOCX and XLSX.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from minyi.audit.models import Event
from minyi.outcomes.models import Forwarding
from tests.factories import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def late(cast):
    """Two reports sent to both recipients 60 days ago (overdue), one 3 days ago (not)."""
    old = [make_report(cast, state="published", title=f"久未反馈的建议{n}") for n in (1, 2)]
    make_report(cast, state="published", title="刚报送的建议")
    Forwarding.objects.filter(report__in=old).update(
        forwarded_at=timezone.now() - dt.timedelta(days=60)
    )
    Forwarding.objects.exclude(report__in=old).update(
        forwarded_at=timezone.now() - dt.timedelta(days=3)
    )
    return old


def url(name, recipient=None):
    return reverse(f"outcomes:{name}", args=[recipient.pk] if recipient else [])


def test_the_overview_counts_overdue_forwardings_per_recipient(cast, client_for, late):
    page = client_for(cast.editor).get(url("chase")).content.decode()
    assert "全国政协" in page and "市委" in page and "2 条" in page
    assert url("chase_recipient", cast.recipients[0]) in page


def test_the_recipient_page_lists_only_its_overdue_forwardings(cast, client_for, late):
    response = client_for(cast.editor).get(url("chase_recipient", cast.recipients[0]))
    rows = response.context["rows"]
    assert {f.report.title for f in rows} == {"久未反馈的建议1", "久未反馈的建议2"}
    assert {f.recipient for f in rows} == {cast.recipients[0]}
    assert "刚报送的建议" not in response.content.decode()


def test_chasing_records_one_event_per_forwarding_and_counts_it(cast, client_for, late):
    national = cast.recipients[0]
    client = client_for(cast.editor)
    response = client.post(url("chase_recipient", national), follow=True)
    assert "已登记催办全国政协 2 条报送记录" in response.content.decode()
    events = Event.objects.filter(verb="chase")
    assert events.count() == 2
    assert {e.report_id for e in events} == {r.pk for r in late}
    assert all(e.payload["recipient"] == "全国政协" for e in events)
    chased = Forwarding.objects.filter(recipient=national, report__in=late)
    assert set(chased.values_list("chase_count", flat=True)) == {1}
    assert all(f.last_chased_at for f in chased)
    # The other recipient's forwardings were not chased.
    assert not Forwarding.objects.filter(recipient=cast.recipients[1], chase_count__gt=0).exists()
    # The report's timeline shows the chase to the office.
    page = client.get(reverse("office:workbench", args=[late[0].pk])).content.decode()
    assert "催办" in page and "已等待" in page


def test_chasing_a_recipient_with_nothing_overdue_is_refused(cast, client_for):
    make_report(cast, state="published")
    before = Event.objects.count()
    response = client_for(cast.editor).post(url("chase_recipient", cast.recipients[0]), follow=True)
    assert "没有逾期未反馈的报送记录，无需催办" in response.content.decode()
    assert Event.objects.count() == before


def test_the_chase_list_as_word(cast, client_for, late):
    response = client_for(cast.editor).get(url("chase_docx", cast.recipients[0]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "全国政协：" in text and "2 篇" in text
    cells = [c.text for row in document.tables[0].rows for c in row.cells]
    assert late[0].serial in cells and "久未反馈的建议2" in cells
    assert Event.objects.filter(verb="export", payload__what="chase_docx").count() == 1


def test_the_chase_list_as_excel(cast, client_for, late):
    response = client_for(cast.editor).get(url("chase_xlsx", cast.recipients[1]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "催办清单：市委"
    assert rows[1][:3] == ("序号", "流水号", "标题")
    assert {row[2] for row in rows[2:]} == {"久未反馈的建议1", "久未反馈的建议2"}
    assert Event.objects.filter(verb="export", payload__what="chase_xlsx").count() == 1


def test_an_unknown_recipient_is_not_found(cast, client_for):
    client = client_for(cast.editor)
    assert client.get(reverse("outcomes:chase_recipient", args=[987654])).status_code == 404
    assert client.get(reverse("outcomes:chase_docx", args=[987654])).status_code == 404


@pytest.mark.parametrize("name", ["member", "officer", "liaison", "approver", "leader", "outsider"])
def test_it_refuses_chasing_to_everyone_but_editors(cast, client_for, late, name):
    client = client_for(getattr(cast, name))
    before = Event.objects.count()
    national = cast.recipients[0]
    for target in (url("chase"), url("chase_docx", national), url("chase_xlsx", national)):
        assert client.get(target).status_code == 403
    assert client.post(url("chase_recipient", national)).status_code == 403
    assert Event.objects.count() == before
    assert not Forwarding.objects.filter(chase_count__gt=0).exists()
