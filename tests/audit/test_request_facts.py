"""Every event written while a request is served carries the client's address and user agent."""

from __future__ import annotations

from django.urls import reverse

from minyi.audit.models import Event, verify_chain
from tests.factories import make_report

BROWSER = "Mozilla/5.0 (Windows NT 10.0) 测试浏览器"


def test_an_office_action_records_the_ip_and_user_agent_of_the_request(cast, client_for):
    report = make_report(cast, state="submitted")
    client = client_for(cast.editor)
    client.post(
        reverse("office:claim", args=[report.pk]),
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT=BROWSER,
    )
    event = Event.objects.filter(verb="claim", report_id=report.pk).get()
    assert event.ip == "203.0.113.7"
    assert event.user_agent == BROWSER
    assert verify_chain() is None


def test_a_hostile_user_agent_is_cut_to_a_bounded_length(cast, client_for):
    report = make_report(cast, state="submitted")
    client_for(cast.editor).post(
        reverse("office:claim", args=[report.pk]), HTTP_USER_AGENT="x" * 10_000
    )
    event = Event.objects.filter(verb="claim", report_id=report.pk).get()
    assert len(event.user_agent) == 300


def test_events_outside_a_request_carry_no_client(cast):
    make_report(cast, state="submitted")
    assert set(Event.objects.values_list("user_agent", flat=True)) == {""}
    assert verify_chain() is None
