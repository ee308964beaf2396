"""Every move of an annual notice, generated from ``scoring.workflow.NOTICE_TRANSITIONS``."""

from __future__ import annotations

import pytest

from minyi.audit.statemachine import ActionRefused
from minyi.scoring.actions import do_confirm_notice, do_publish_notice
from minyi.scoring.models import AnnualNotice, NoticeState
from minyi.scoring.workflow import NOTICES
from tests.factories import Cast
from tests.transition_matrix import (
    matrix_tests,
    snapshot,
)

pytestmark = pytest.mark.django_db


def notice(cast: Cast) -> AnnualNotice:
    """A drafted notice of a year no other notice of the test has (one per year)."""
    year = 2000 + AnnualNotice.objects.count()
    return AnnualNotice.objects.create(year=year, title=f"{year}年度通报", created_by=cast.editor)


(
    test_each_move_is_allowed_for_its_roles,
    test_each_move_is_refused_to_every_other_role,
    test_each_action_is_refused_from_every_wrong_state,
    test_a_move_on_a_stale_copy_is_refused,
) = matrix_tests(NOTICES, notice, stale_by="approver")


def test_publishing_from_a_stale_page_freezes_nothing(cast):
    item = notice(cast)
    do_confirm_notice(cast.approver, item, keep=set())
    stale = AnnualNotice.objects.get(pk=item.pk)
    do_publish_notice(cast.approver, item)
    item.refresh_from_db()
    before = snapshot(item)
    with pytest.raises(ActionRefused, match="该年度通报已被他人处理"):
        do_publish_notice(cast.approver, stale)
    assert snapshot(item) == before
    assert item.state == NoticeState.PUBLISHED and item.figures["year"] == item.year
