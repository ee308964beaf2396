"""A 批示's words reach the authors only when the office records that they may."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minyi.audit.models import Event
from minyi.notify.models import Notification
from minyi.outcomes.models import Instruction
from tests.factories import days_ago, make_report

pytestmark = pytest.mark.django_db
WORDS = "请省民政厅抓紧研究落实。"


@pytest.fixture
def forwarding(cast):
    report = make_report(cast, state="published")
    return report.forwardings.get(recipient=cast.recipients[0])


def instruct(client, forwarding, **extra):
    data = {
        "leader_name": "某某",
        "leader_title": "副省长",
        "level": "provincial",
        "text": WORDS,
        "instructed_on": days_ago(1).isoformat(),
        **extra,
    }
    return client.post(reverse("outcomes:instruct", args=[forwarding.pk]), data)


def author_message(cast) -> str:
    return Notification.objects.get(user=cast.member, verb="instruct").message


def test_by_default_authors_see_that_there_is_a_instruction_but_not_its_words(
    cast, client_for, forwarding, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert instruct(client_for(cast.editor), forwarding).status_code == 302
    assert Instruction.objects.get().text_for_authors is False
    page = client_for(cast.member).get(reverse("reports:detail", args=[forwarding.report_id])).text
    assert "副省长某某" in page and "省级" in page and days_ago(1).isoformat() in page
    assert WORDS not in page and "批示内容未向反映人公开。" in page
    assert WORDS not in author_message(cast) and "获副省长某某批示（省级）" in author_message(cast)
    # Nor is it in the event the authors' notification is made from.
    assert WORDS not in str(Event.objects.get(verb="instruct").payload)
    # The liaison of the unit reads the report page too, and is not shown the words either.
    liaison_page = client_for(cast.liaison).get(
        reverse("reports:detail", args=[forwarding.report_id])
    )
    assert WORDS not in liaison_page.text


def test_when_allowed_authors_read_the_words_on_the_page_and_in_the_notification(
    cast, client_for, forwarding, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        instruct(client_for(cast.editor), forwarding, text_for_authors="on")
    assert Instruction.objects.get().text_for_authors is True
    page = client_for(cast.member).get(reverse("reports:detail", args=[forwarding.report_id])).text
    assert WORDS in page
    assert author_message(cast).endswith(f"批示内容：{WORDS}")


def test_leaders_and_the_office_always_read_the_words(cast, client_for, forwarding):
    instruct(client_for(cast.editor), forwarding)
    url = reverse("reports:detail", args=[forwarding.report_id])
    assert WORDS in client_for(cast.leader).get(url).text
    assert WORDS in client_for(cast.editor).get(url).text


def test_a_member_may_not_record_one_and_bad_input_changes_nothing(cast, client_for, forwarding):
    assert instruct(client_for(cast.member), forwarding).status_code in (403, 404)
    response = instruct(client_for(cast.editor), forwarding, level="", text_for_authors="on")
    assert response.status_code == 400 and "请选择批示级别" in response.text
    assert not Instruction.objects.exists()
    assert not Event.objects.filter(verb="instruct").exists()


def test_the_form_offers_the_choice_unticked(cast, client_for, forwarding):
    page = client_for(cast.editor).get(reverse("outcomes:forwarding", args=[forwarding.pk])).text
    assert 'name="text_for_authors"' in page and "批示内容可告知反映人" in page
    assert 'name="text_for_authors" checked' not in page
