"""The navigation's to-do counts (待办): per role, linking to the filtered list, constant cost."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minyi.deadlines.clocks import catch_up
from minyi.reports.models import State
from tests.deadlines.helpers import at, when
from tests.factories import make_report, settle

pytestmark = pytest.mark.django_db


def todos(client, path: str = "/search/") -> dict[str, tuple[int, str]]:
    """label → (count, link) from the page's 待办 bar."""
    html = client.get(path).text
    bar = re.search(r'<nav class="todos"[^>]*>(.*?)</nav>', html, re.S)
    if bar is None:
        return {}
    found = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)<span class="count">(\d+)</span>', bar[1])
    return {label: (int(count), link.replace("&amp;", "&")) for link, label, count in found}


def test_it_shows_an_editor_what_waits_with_links_to_the_filtered_lists(cast, client_for):
    make_report(cast, state=State.SUBMITTED)
    make_report(cast, state=State.SUBMITTED)
    make_report(cast, state=State.PUBLISHED)  # forwarded to two recipients
    found = todos(client_for(cast.editor))
    assert found["待受理"] == (2, "/office/triage/?state=submitted&order=arrival")
    assert found["待登记反馈"] == (2, "/outcomes/?state=pending&sort=waiting")
    assert found["超期"][1] == "/deadlines/overdue/"
    assert "待审签" not in found
    # The link opens the triage list narrowed to those two.
    assert "共 2 篇" in client_for(cast.editor).get(found["待受理"][1]).text


def test_it_counts_reports_past_their_stored_deadline_as_overdue(cast, client_for):
    with when(at(2025, 11, 17, 9, 0)):
        make_report(cast, state=State.SUBMITTED, urgency="urgent")
        settle()
    with when(at(2025, 11, 18, 9, 0)):
        catch_up()
        assert todos(client_for(cast.editor))["超期"][0] == 1


def test_it_shows_an_approver_the_sign_offs_and_a_member_the_returned(cast, client_for):
    make_report(cast, state=State.AWAITING_SIGN_OFF)
    make_report(cast, state=State.RETURNED)
    assert todos(client_for(cast.approver))["待审签"] == (1, "/office/sign-off/")
    assert todos(client_for(cast.member))["待修改"] == (1, "/reports/?state=returned")
    # Another unit's member has nothing returned; a leader has no to-do bar.
    assert todos(client_for(cast.outsider))["待修改"][0] == 0
    assert todos(client_for(cast.leader)) == {}


def test_it_costs_the_same_queries_with_four_times_the_work(cast, client_for):
    client = client_for(cast.editor)

    def cost() -> int:
        client.get("/search/")
        with CaptureQueriesContext(connection) as queries:
            client.get("/search/")
        return len(queries)

    make_report(cast, state=State.SUBMITTED)
    make_report(cast, state=State.PUBLISHED)
    small = cost()
    for _ in range(3):
        make_report(cast, state=State.SUBMITTED)
        make_report(cast, state=State.PUBLISHED)
    assert cost() == small
