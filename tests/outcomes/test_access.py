"""Only information editors reach the outcome pages; nobody else changes an outcome."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.outcomes.models import Adoption, ForwardingState, Instruction
from tests.factories import days_ago, make_report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["member", "officer", "liaison", "outsider", "approver", "leader"])
def test_it_refuses_every_outcome_page_to_non_editors(cast, client_for, name):
    report = make_report(cast, state="published")
    forwarding = report.forwardings.first()
    client = client_for(getattr(cast, name))
    today = days_ago(0).isoformat()
    pages = [
        ("get", reverse("outcomes:pending"), {}),
        ("get", reverse("outcomes:forwarding", args=[forwarding.pk]), {}),
        (
            "post",
            reverse("outcomes:adopt", args=[forwarding.pk]),
            {"kind": "single", "adopted_on": today},
        ),
        ("post", reverse("outcomes:not_adopted", args=[forwarding.pk]), {}),
        (
            "post",
            reverse("outcomes:instruct", args=[forwarding.pk]),
            {"leader_name": "某", "level": "municipal", "text": "阅", "instructed_on": today},
        ),
        ("get", reverse("outcomes:forward", args=[report.pk]), {}),
    ]
    for method, url, data in pages:
        assert getattr(client, method)(url, data).status_code == 403, url
    forwarding.refresh_from_db()
    assert forwarding.state == ForwardingState.PENDING
    assert not Adoption.objects.exists() and not Instruction.objects.exists()


def test_it_gives_editors_every_outcome_page(cast, client_for):
    report = make_report(cast, state="published")
    forwarding = report.forwardings.first()
    client = client_for(cast.editor)
    for url in (
        reverse("outcomes:pending"),
        reverse("outcomes:forwarding", args=[forwarding.pk]),
        reverse("outcomes:forward", args=[report.pk]),
    ):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("outcomes:forwarding", args=[9999])).status_code == 404
