"""Every XLSX export is one ``export`` event: who, from where, which list, the filters, the rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.audit.models import Event, verify_chain
from minyi.people.models import Role
from tests.factories import make_report, make_user

ADDRESS = "192.0.2.44"
BROWSER = "Mozilla/5.0 (Macintosh) 导出测试"


@pytest.fixture
def reports(cast):
    return [
        make_report(cast, state="submitted", title="已报送的一篇"),
        make_report(cast, state="accepted", title="已受理的一篇"),
    ]


def export(client, url: str, params: dict | None = None) -> Event:
    response = client.get(url, params or {}, REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    (event,) = Event.objects.filter(verb="export")
    assert (event.ip, event.user_agent) == (ADDRESS, BROWSER)
    assert verify_chain() is None
    return event


def test_a_report_list_export_records_the_list_its_filters_and_its_rows(cast, client_for, reports):
    url = reverse("exchange:export_reports")
    event = export(client_for(cast.editor), url, {"list": "triage", "state": "submitted"})
    assert event.actor == cast.editor
    # An export has no one object: it is on record on the account that exported.
    assert (event.object_type, event.object_id) == ("people.user", str(cast.editor.pk))
    assert event.payload["what"] == "reports:triage"
    assert event.payload["filters"] == {"list": "triage", "state": "submitted"}
    assert event.payload["rows"] == 1
    assert event.payload["name"].endswith(".xlsx")


def test_a_forwardings_export_is_on_record(cast, client_for, reports):
    event = export(client_for(cast.editor), reverse("exchange:export_forwardings"))
    assert event.payload["what"] == "forwardings"
    assert event.payload["rows"] == 0


def test_a_roster_export_counts_the_members(cast, client_for):
    admin = make_user("admin", Role.ADMIN)
    event = export(client_for(admin), reverse("exchange:export_roster"))
    assert event.actor == admin
    assert event.payload["what"] == "roster"
    assert event.payload["rows"] == 3  # the cast's three members


def test_the_scores_export_records_the_year(cast, client_for, reports):
    event = export(client_for(cast.editor), reverse("scoring:export"), {"year": "2026"})
    assert event.payload["what"] == "scores"
    assert event.payload["filters"]["year"] == 2026
    assert event.payload["rows"] == 3


def test_a_statistics_figure_export_records_the_figure(cast, client_for, reports):
    url = reverse("insights:figure_xlsx", args=["by-unit"])
    event = export(client_for(cast.leader), url, {"year": "2026"})
    assert event.actor == cast.leader
    assert event.payload["what"] == "figure:by-unit"
    assert event.payload["filters"] == {"year": "2026"}
    assert event.payload["title"]


def test_a_refused_export_writes_nothing(cast, client_for, reports):
    response = client_for(cast.member).get(reverse("exchange:export_forwardings"))
    assert response.status_code == 403
    bad = client_for(cast.editor).get(reverse("exchange:export_reports"), {"state": "nonsense"})
    assert bad.status_code == 400
    assert not Event.objects.filter(verb="export").exists()
