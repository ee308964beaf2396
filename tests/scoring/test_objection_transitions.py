"""Every move of a points objection, generated from ``scoring.workflow.OBJECTION_TRANSITIONS``."""

from __future__ import annotations

import pytest

from minyi.audit.statemachine import ActionRefused
from minyi.scoring.actions import do_file_objection, do_resolve_objection
from minyi.scoring.models import Correction, Objection, ObjectionState
from minyi.scoring.workflow import OBJECTIONS
from tests.factories import Cast
from tests.scoring.helpers import make_admin, this_year
from tests.transition_matrix import (
    matrix_tests,
    snapshot,
)

pytestmark = pytest.mark.django_db


def objection(cast: Cast) -> Objection:
    return do_file_objection(cast.member, year=this_year(), text="三月的一篇漏计")


(
    test_each_move_is_allowed_for_its_roles,
    test_each_move_is_refused_to_every_other_role,
    test_each_action_is_refused_from_every_wrong_state,
    test_a_move_on_a_stale_copy_is_refused,
) = matrix_tests(OBJECTIONS, objection, stale_by="admin")


def test_it_requires_a_reply(cast):
    item = objection(cast)
    before = snapshot(item)
    with pytest.raises(ActionRefused, match="须填写处理意见"):
        do_resolve_objection(make_admin(), item, upheld=False, reply=" ")
    assert snapshot(item) == before


def test_a_second_resolution_from_a_stale_page_leaves_no_correction_behind(cast):
    first = objection(cast)
    second = Objection.objects.get(pk=first.pk)
    admin = make_admin()
    do_resolve_objection(admin, first, upheld=False, reply="已核实，无漏计")
    with pytest.raises(ActionRefused, match="该申诉已被他人处理"):
        do_resolve_objection(admin, second, upheld=True, reply="属实", points="1")
    first.refresh_from_db()
    assert first.state == ObjectionState.REJECTED and first.correction is None
    assert not Correction.objects.exists()


def test_it_upholds_with_a_correction_and_says_so_in_the_event(cast):
    item = objection(cast)
    event_count = snapshot(item)[1]
    do_resolve_objection(make_admin(), item, upheld=True, reply="核实属实", points="1")
    item.refresh_from_db()
    assert (item.state, item.reply, item.correction.points) == ("upheld", "核实属实", 1)
    assert item.resolved_by == make_admin() and item.resolved_at is not None
    assert snapshot(item)[1] == event_count + 1
