"""Every move of an annual notice, generated from ``scoring.workflow.NOTICE_TRANSITIONS``."""

from __future__ import annotations

import pytest

from minyi.audit.statemachine import ActionRefused
from minyi.scoring.actions import do_confirm_notice, do_publish_notice
from minyi.scoring.models import AnnualNotice, NoticeState
from minyi.scoring.workflow import NOTICES
from tests.factories import Cast
from tests.transition_matrix import (
    assert_allowed,
    assert_refused_from_wrong_states,
    assert_refused_to_others,
    assert_refused_when_stale,
    people,
    row_ids,
    rows,
    snapshot,
)

pytestmark = pytest.mark.django_db
ROWS = rows(NOTICES)


def notice(cast: Cast) -> AnnualNotice:
    """A drafted notice of a year no other notice of the test has (one per year)."""
    year = 2000 + AnnualNotice.objects.count()
    return AnnualNotice.objects.create(year=year, title=f"{year}年度通报", created_by=cast.editor)


@pytest.mark.parametrize("row", ROWS, ids=row_ids(ROWS))
def test_it_allows_each_move_for_its_roles(cast, row):
    assert_allowed(NOTICES, lambda: notice(cast), people(cast), row)


@pytest.mark.parametrize("row", ROWS, ids=row_ids(ROWS))
def test_it_refuses_each_move_for_every_other_role(cast, row):
    assert_refused_to_others(NOTICES, lambda: notice(cast), people(cast), row)


@pytest.mark.parametrize("action", sorted(NOTICES.actions))
def test_it_refuses_each_action_from_every_wrong_state(cast, action):
    assert_refused_from_wrong_states(NOTICES, lambda: notice(cast), people(cast), action)


@pytest.mark.parametrize("row", ROWS, ids=row_ids(ROWS))
def test_it_refuses_a_move_when_someone_else_moved_the_notice_first(cast, row):
    assert_refused_when_stale(NOTICES, lambda: notice(cast), row, cast.approver)


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
