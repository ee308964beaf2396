"""Every move of a commission (约稿), generated from ``duties.workflow.TRANSITIONS``."""

from __future__ import annotations

import pytest

from minyi.duties.models import Commission
from minyi.duties.workflow import ADDRESSEE, MACHINE
from tests.duties.helpers import make_commission
from tests.factories import Cast
from tests.transition_matrix import matrix_tests

pytestmark = pytest.mark.django_db


def commission(cast: Cast) -> Commission:
    return make_commission(cast)


(
    test_each_move_is_allowed_for_its_roles,
    test_each_move_is_refused_to_every_other_role,
    test_each_action_is_refused_from_every_wrong_state,
    test_a_move_on_a_stale_copy_is_refused,
) = matrix_tests(MACHINE, commission, holders={ADDRESSEE: ("member",)}, stale_by="editor")
