"""``make_report`` reaches every state the way the application does, or says it cannot."""

from __future__ import annotations

import pytest

from minyi.audit.models import Event
from minyi.reports.models import State, Urgency
from minyi.reports.workflow import TRANSITIONS
from tests.factories import make_report, path_to

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", State.values)
def test_it_reaches_every_state_through_its_recorded_moves(cast, state):
    report = make_report(cast, state=state, urgency=Urgency.URGENT)
    assert report.state == state
    moves = Event.objects.filter(object_type="reports.report", object_id=str(report.pk))
    verbs = [verb for verb in moves.values_list("verb", flat=True) if verb != "create"]
    assert verbs == [action for action, _ in path_to(state)]


def test_it_walks_the_shortest_path_of_the_table():
    for state in State.values:
        path = path_to(state)
        current = State.DRAFT
        for action, move in path:
            assert TRANSITIONS[(current, action)] is move
            current = move.target
        assert current == state


def test_it_publishes_through_a_signed_off_issue(cast):
    report = make_report(cast, state="published")
    event = Event.objects.for_report(report.pk).get(verb="publish")
    assert event.payload["issue_id"] and report.forwardings.count() == len(cast.recipients)


def test_it_raises_for_a_state_it_cannot_reach(cast):
    with pytest.raises(ValueError, match="cannot reach state 'nowhere'"):
        make_report(cast, state="nowhere")


def test_it_raises_for_a_move_the_report_is_not_fit_for(cast):
    with pytest.raises(ValueError, match="send_directly refused: 只有急报、特报"):
        make_report(cast, state="sent_directly", urgency=Urgency.ROUTINE)
