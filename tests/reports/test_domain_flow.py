"""The whole life of a report through the domain functions, without HTTP."""

from __future__ import annotations

import pytest

from minyi.audit.models import Event, verify_chain
from minyi.notify.models import Notification
from minyi.outcomes.actions import do_record_adoption, do_record_instruction
from minyi.outcomes.models import AdoptionKind, InstructionLevel
from minyi.reports.models import State
from tests.factories import days_ago, make_report


@pytest.mark.django_db(transaction=True)
def test_it_takes_a_report_from_draft_to_adoption_and_instruction(cast):
    report = make_report(cast, state="published")
    assert report.state == State.PUBLISHED
    assert report.serial.endswith("-0001")
    forwarding = report.forwardings.get(recipient=cast.recipients[0])
    do_record_adoption(
        forwarding,
        cast.editor,
        kind=AdoptionKind.SINGLE,
        adopted_on=days_ago(0),
        carrier="全国政协《社情民意信息》第12期",
    )
    do_record_instruction(
        forwarding,
        cast.editor,
        leader_name="某某",
        leader_title="副省长",
        level=InstructionLevel.PROVINCIAL,
        text="请省民政厅研究。",
        instructed_on=days_ago(0),
    )
    verbs = list(Event.objects.for_report(report.pk).values_list("verb", flat=True))
    assert verbs == [
        "create",
        "submit",
        "accept",
        "send_for_sign_off",
        "sign_off",
        "publish",
        "forward",
        "forward",
        "adopt",
        "instruct",
    ]
    messages = list(Notification.objects.filter(user=cast.member).values_list("verb", flat=True))
    assert "adopt" in messages and "instruct" in messages
    assert verify_chain() is None
