"""Search only ever returns what the user may read, and the filters narrow it."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from minyi.reports.models import Category, Urgency
from minyi.search import index_report, search_reports
from minyi.search.models import ReportDocument
from tests.factories import make_report
from tests.search.helpers import found, indexed

pytestmark = pytest.mark.django_db


def test_it_never_returns_another_units_report(cast, client_for):
    ours = indexed(cast, "关于完善社区养老服务的建议")
    theirs = indexed(cast, "关于养老护理员培训的建议", by=cast.outsider, unit=cast.other_unit)
    assert found(client_for(cast.member), "养老") == [ours.pk]
    assert found(client_for(cast.liaison), "养老") == [ours.pk]
    # The outsider gets nothing of the cast's unit, only their own report.
    assert found(client_for(cast.outsider), "养老") == [theirs.pk]
    # The office sees both submitted reports.
    assert set(found(client_for(cast.editor), "养老")) == {ours.pk, theirs.pk}


def test_it_applies_access_in_the_query_not_after_it(cast):
    for n in range(3):
        indexed(cast, f"关于养老护理第{n}项的建议", by=cast.outsider, unit=cast.other_unit)
    ours = indexed(cast, "关于完善社区养老服务的建议")
    # One row asked for, one row of the member's own returned: nothing was cut later.
    hits = search_reports(cast.member, "养老", limit=1)
    assert [h.report.pk for h in hits] == [ours.pk]


def test_it_hides_drafts_from_leaders_and_shows_them_published_reports(cast, client_for):
    draft = indexed(cast, "关于养老服务补贴的建议", state="draft")
    published = indexed(cast, "关于完善社区养老服务的建议", state="published")
    assert found(client_for(cast.leader), "养老") == [published.pk]
    # The office does not see other people's drafts either; the author does.
    assert found(client_for(cast.editor), "养老") == [published.pk]
    assert set(found(client_for(cast.member), "养老")) == {draft.pk, published.pk}


def test_it_narrows_by_state_unit_category_and_urgency(cast, client_for):
    routine = indexed(cast, "关于完善社区养老服务的建议")
    urgent = indexed(cast, "关于养老机构疫情防控的急报", state="accepted", urgency=Urgency.URGENT)
    other = indexed(cast, "关于养老金发放的建议", by=cast.outsider, unit=cast.other_unit)
    other.category = Category.objects.create(name="社会治理")
    other.save(update_fields=["category"])
    client = client_for(cast.editor)
    assert set(found(client, "养老")) == {routine.pk, urgent.pk, other.pk}
    assert found(client, "养老", state="accepted") == [urgent.pk]
    assert found(client, "养老", urgency="urgent") == [urgent.pk]
    assert found(client, "养老", unit=cast.other_unit.pk) == [other.pk]
    # A parent category includes its sub-categories.
    parent = cast.category.parent
    assert set(found(client, "养老", category=parent.pk)) == {routine.pk, urgent.pk}


def test_it_narrows_by_period_and_rejects_a_reversed_one(cast, client_for):
    report = indexed(cast, "关于完善社区养老服务的建议")
    day = report.submitted_at.astimezone().date().isoformat()
    client = client_for(cast.editor)
    assert found(client, "养老", date_from=day, date_to=day) == [report.pk]
    assert found(client, "养老", date_from="2000-01-01", date_to="2000-12-31") == []
    response = client.get(
        reverse("search:results"), {"q": "养老", "date_from": "2001-01-02", "date_to": "2001-01-01"}
    )
    assert "起始日期不能晚于截止日期" in response.content.decode()
    assert response.context["page"] is None


def test_it_pages_twenty_results_at_a_time(cast, client_for):
    for n in range(21):
        indexed(cast, f"关于养老服务第{n}项的建议", state="draft")
    client = client_for(cast.member)
    assert len(found(client, "养老")) == 20
    assert len(found(client, "养老", page=2)) == 1
    page = client.get(reverse("search:results"), {"q": "养老"}).content.decode()
    assert "第 1 / 2 页，共 21 篇" in page
    assert "q=%E5%85%BB%E8%80%81&amp;page=2" in page


def test_it_indexes_existing_reports_with_the_rebuild_command(cast, client_for, capsys):
    report = make_report(cast, state="submitted", title="关于规范医保定点药店的建议")
    client = client_for(cast.member)
    # As if the report predated the search index (an upgrade, or a raw import).
    ReportDocument.objects.all().delete()
    assert found(client, "医保") == []
    call_command("rebuild_search_index")
    assert found(client, "医保") == [report.pk]
    assert ReportDocument.objects.count() == 1
    out = capsys.readouterr().out
    assert "1 / 1 篇" in out
    assert "共索引 1 篇信息" in out


def test_it_reindexes_changed_text_and_rebuilds_without_duplicates(cast, client_for):
    report = indexed(cast, "关于完善社区养老服务的建议")
    report.title = "关于规范医保定点药店的建议"
    report.save(update_fields=["title"])
    index_report(report)
    call_command("rebuild_search_index", stdout=io.StringIO())
    client = client_for(cast.member)
    assert found(client, "医保") == [report.pk]
    assert found(client, "药店") == [report.pk]
    assert found(client, "社区") == []
