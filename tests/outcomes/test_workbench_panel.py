"""The workbench of a published or sent report: its forwardings, with the forms in place."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.outcomes.models import ForwardingState, Instruction
from tests.factories import days_ago, make_report

pytestmark = pytest.mark.django_db


def bench(report) -> str:
    return reverse("office:workbench", args=[report.pk])


def test_it_shows_each_forwarding_with_its_forms(cast, client_for):
    report = make_report(cast, state="published")
    page = client_for(cast.editor).get(bench(report)).content.decode()
    assert "报送与采用（2）" in page and "全国政协" in page and "市委" in page
    assert reverse("outcomes:forward", args=[report.pk]) in page and "报送其他对象" in page
    for forwarding in report.forwardings.all():
        assert reverse("outcomes:adopt", args=[forwarding.pk]) in page
        assert reverse("outcomes:not_adopted", args=[forwarding.pk]) in page
        assert reverse("outcomes:instruct", args=[forwarding.pk]) in page
        # Each form has ids of its own: two forwardings, no clash.
        assert f'id="ad{forwarding.pk}_adopted_on"' in page
    assert "data-confirm=" in page  # 未采用 asks first


def test_it_shows_no_panel_before_publication(cast, client_for):
    report = make_report(cast, state="accepted")
    assert "报送与采用" not in client_for(cast.editor).get(bench(report)).content.decode()


def test_recording_from_the_workbench_comes_back_to_it(cast, client_for):
    report = make_report(cast, state="published")
    national, city = (report.forwardings.get(recipient=r) for r in cast.recipients)
    client = client_for(cast.editor)
    here = bench(report)
    response = client.post(
        reverse("outcomes:adopt", args=[national.pk]),
        {"kind": "single", "carrier": "", "adopted_on": days_ago(0).isoformat(), "next": here},
    )
    assert response.status_code == 302 and response["Location"] == here
    response = client.post(
        reverse("outcomes:not_adopted", args=[city.pk]),
        {"reason": "out_of_scope", "note": "", "confirm": "on", "next": here},
    )
    assert response["Location"] == here
    client.post(
        reverse("outcomes:instruct", args=[national.pk]),
        {
            "leader_name": "某某",
            "leader_title": "副省长",
            "level": "provincial",
            "text": "请研究。",
            "instructed_on": days_ago(0).isoformat(),
            "next": here,
        },
    )
    national.refresh_from_db()
    city.refresh_from_db()
    assert national.state == ForwardingState.ADOPTED
    assert city.state == ForwardingState.NOT_ADOPTED and city.not_adopted_reason == "out_of_scope"
    assert Instruction.objects.filter(forwarding=national).exists()
    page = client.get(here).content.decode()
    assert "单篇采用" in page and "不属对方职责范围" in page and "副省长某某" in page


def test_a_foreign_next_is_ignored(cast, client_for):
    report = make_report(cast, state="published")
    forwarding = report.forwardings.first()
    response = client_for(cast.editor).post(
        reverse("outcomes:adopt", args=[forwarding.pk]),
        {"kind": "single", "adopted_on": days_ago(0).isoformat(), "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("outcomes:forwarding", args=[forwarding.pk])
