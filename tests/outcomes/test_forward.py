"""Forwarding a published or sent-directly report to recipients it has not gone to yet."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.notify.models import Notification
from minyi.outcomes.models import Forwarding, Recipient, RecipientLevel
from minyi.reports.models import Urgency
from minyi.reports.workflow import transition
from tests.factories import make_report

pytestmark = pytest.mark.django_db


def forward_url(report) -> str:
    return reverse("outcomes:forward", args=[report.pk])


@pytest.fixture
def sent_directly(cast):
    report = make_report(cast, state="signed_off", urgency=Urgency.URGENT, title="急报：汛情")
    transition(report, "send_directly", cast.editor)
    return report


def test_it_forwards_a_sent_directly_report_and_tells_the_author(
    cast, client_for, sent_directly, django_capture_on_commit_callbacks
):
    client = client_for(cast.editor)
    page = client.get(forward_url(sent_directly)).content.decode()
    assert "全国政协" in page and "市委" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            forward_url(sent_directly), {"recipients": [r.pk for r in cast.recipients]}, follow=True
        )
    assert "已报送全国政协、市委" in response.content.decode()
    assert set(sent_directly.forwardings.values_list("recipient", flat=True)) == {
        r.pk for r in cast.recipients
    }
    assert Notification.objects.filter(user=cast.member, verb="forward").count() == 2


def test_it_offers_only_recipients_not_yet_forwarded_to(cast, client_for):
    report = make_report(cast, state="published")
    province = Recipient.objects.create(name="省政协", level=RecipientLevel.PROVINCIAL)
    client = client_for(cast.editor)
    form = client.get(forward_url(report)).context["form"]
    assert list(form.fields["recipients"].queryset) == [province]
    # Forwarding again to one it already went to is refused, and nothing is stored.
    response = client.post(
        forward_url(report), {"recipients": [cast.recipients[0].pk, province.pk]}
    )
    assert response.status_code == 400
    assert "所选报送对象已报送过或已停用" in response.content.decode()
    assert not Forwarding.objects.filter(recipient=province).exists()
    client.post(forward_url(report), {"recipients": [province.pk], "note": "专报"})
    assert Forwarding.objects.get(recipient=province).note == "专报"


def test_it_refuses_forwarding_without_a_recipient(cast, client_for, sent_directly):
    response = client_for(cast.editor).post(forward_url(sent_directly), {})
    assert "请选择报送对象" in response.content.decode()
    assert not sent_directly.forwardings.exists()


def test_it_refuses_a_report_that_has_not_gone_out(cast, client_for):
    report = make_report(cast, state="signed_off")
    client = client_for(cast.editor)
    assert "只有已编发或已直报的稿件可以报送" in client.get(forward_url(report)).content.decode()
    response = client.post(forward_url(report), {"recipients": [cast.recipients[0].pk]})
    assert "只有已编发或已直报的稿件可以报送" in response.content.decode()
    assert not Forwarding.objects.exists()


def test_it_hides_other_peoples_drafts_and_refuses_non_editors(cast, client_for, sent_directly):
    draft = make_report(cast, state="draft")
    # The office never sees someone else's draft: 404, not a page saying why.
    assert client_for(cast.editor).get(forward_url(draft)).status_code == 404
    for name in ("member", "liaison", "outsider", "approver", "leader"):
        client = client_for(getattr(cast, name))
        url = forward_url(sent_directly)
        assert client.get(url).status_code == 403
        assert client.post(url, {"recipients": [cast.recipients[0].pk]}).status_code == 403
    assert not Forwarding.objects.exists()
