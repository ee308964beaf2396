"""Every move of a forwarding, generated from ``outcomes.workflow.TRANSITIONS``."""

from __future__ import annotations

import pytest

from minyi.audit.models import Event
from minyi.audit.statemachine import ActionRefused
from minyi.outcomes.actions import do_record_adoption, do_record_not_adopted
from minyi.outcomes.models import Adoption, Forwarding, ForwardingState
from minyi.outcomes.workflow import FORWARDINGS
from tests.factories import Cast, days_ago, make_report
from tests.transition_matrix import (
    matrix_tests,
    snapshot,
)

pytestmark = pytest.mark.django_db


def forwarding(cast: Cast) -> Forwarding:
    """A published report's forwarding to the first recipient, awaiting an answer."""
    report = make_report(cast, state="published")
    return report.forwardings.get(recipient=cast.recipients[0])


(
    test_each_move_is_allowed_for_its_roles,
    test_each_move_is_refused_to_every_other_role,
    test_each_action_is_refused_from_every_wrong_state,
    test_a_move_on_a_stale_copy_is_refused,
) = matrix_tests(FORWARDINGS, forwarding, stale_by="editor")


def test_it_records_an_adoption_once_when_two_clerks_record_it_at_once(cast):
    first = forwarding(cast)
    second = Forwarding.objects.get(pk=first.pk)
    do_record_adoption(first, cast.editor, kind="single", adopted_on=days_ago(0))
    before = snapshot(first)
    with pytest.raises(ActionRefused, match="该报送记录已被他人处理"):
        do_record_adoption(second, cast.editor, kind="combined", adopted_on=days_ago(0))
    assert snapshot(first) == before
    assert Adoption.objects.get(forwarding=first).kind == "single"


def test_it_records_a_late_adoption_after_not_adopted(cast):
    item = forwarding(cast)
    do_record_not_adopted(item, cast.editor)
    do_record_adoption(item, cast.editor, kind="transfer", adopted_on=days_ago(0))
    item.refresh_from_db()
    assert item.state == ForwardingState.ADOPTED and item.adoption.kind == "transfer"
    event = Event.objects.filter(verb="adopt", report_id=item.report_id).get()
    assert event.payload["from"] == ForwardingState.NOT_ADOPTED
    assert (event.payload["recipient"], event.payload["kind"]) == ("全国政协", "转送")
