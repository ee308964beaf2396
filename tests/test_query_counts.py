"""Each main page costs the same number of queries with 2 or 8 reports in every state.

A page whose query count grows with the data (an N+1: one query per row, or per member, or
per report) is slow on a ten-year archive however fast it is on the demo. Every role's main
pages are fetched once to warm the session, then counted, at a small and at a four times
larger data set; the counts must be equal. ``bench/pages.py`` measures the same pages for time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minyi.core import clock
from minyi.outcomes.actions import do_record_adoption
from minyi.reports.models import Report, State, Urgency
from tests.factories import Cast, make_report, settle
from tests.scoring.helpers import make_admin, make_rules

pytestmark = pytest.mark.django_db

SMALL, LARGE = 2, 8
STATES = (
    State.DRAFT,
    State.SUBMITTED,
    State.RETURNED,
    State.ACCEPTED,
    State.DECLINED,
    State.AWAITING_SIGN_OFF,
    State.PUBLISHED,
    State.SENT_DIRECTLY,
)


def _first(state: str) -> Callable[[Cast], int]:
    return lambda cast: Report.objects.filter(state=state).order_by("id").first().pk


#: role → pages: (url name, query string, the object the URL names, if any).
PAGES: dict[str, list[tuple[str, str, Callable[[Cast], Any] | None]]] = {
    "member": [
        ("reports:mine", "", None),
        ("reports:mine", "state=submitted", None),
        ("reports:new", "", None),
        ("reports:detail", "", _first(State.PUBLISHED)),
        ("scoring:mine", "", None),
        ("notify:list", "", None),
        ("notify:list", "kind=report_status&read=unread&period=30", None),
        ("search:results", "q=养老", None),
    ],
    "liaison": [
        ("reports:mine", "", None),
        ("deadlines:unit", "", None),
        ("scoring:rankings", "", None),
    ],
    "editor": [
        ("office:triage", "", None),
        ("office:triage", "state=published&order=arrival", None),
        ("office:workbench", "", _first(State.ACCEPTED)),
        ("bulletins:list", "", None),
        ("outcomes:pending", "", None),
        ("outcomes:pending", "state=all", None),
        # The register's search, filters, overdue and counts per filter stay flat too.
        ("outcomes:pending", "state=all&sort=newest&q=养老&overdue=on", None),
        ("outcomes:pending", "state=adopted&recipient=1&since=2020-01-01", None),
        ("outcomes:chase", "", None),
        ("office:workbench", "", _first(State.PUBLISHED)),
        ("insights:dashboard", "", None),
        ("insights:dashboard", "year=", None),
        # Quarter, date range, sector and a first-level category: still a fixed count.
        ("insights:dashboard", "year=2026&quarter=4&since=2026-10-01&sector=1&category=1", None),
        ("scoring:rankings", "", None),
        ("search:results", "q=养老", None),
    ],
    "approver": [
        ("office:sign_off_queue", "", None),
        ("office:review", "", _first(State.AWAITING_SIGN_OFF)),
        ("bulletins:reader", "", None),
    ],
    "leader": [
        ("bulletins:reader", "", None),
        ("insights:dashboard", "", None),
        ("insights:hot_topics", "", None),
        ("scoring:rankings", "", None),
        ("reports:detail", "", _first(State.PUBLISHED)),
    ],
    "admin": [
        ("scoring:rankings", "", None),
        ("scoring:objections", "", None),
        ("notify:background", "", None),
        ("home", "", None),
    ],
}


def _seed(cast: Cast, per_state: int) -> None:
    """``per_state`` reports in each state, from three authors in two units; half adopted."""
    authors = [
        (cast.member, cast.unit),
        (cast.officer, cast.unit),
        (cast.outsider, cast.other_unit),
    ]
    for n in range(per_state):
        by, unit = authors[n % len(authors)]
        for state in STATES:
            urgency = Urgency.URGENT if state == State.SENT_DIRECTLY else Urgency.ROUTINE
            report = make_report(cast, by=by, unit=unit, state=state, urgency=urgency)
            if state == State.PUBLISHED and n % 2 == 0:
                forwarding = report.forwardings.order_by("id").first()
                do_record_adoption(
                    forwarding, cast.editor, kind="single", adopted_on=clock.localdate()
                )
    settle()


def _counts(client_for: Any, cast: Cast) -> dict[str, int]:
    found = {}
    for role, pages in PAGES.items():
        client = client_for(make_admin() if role == "admin" else getattr(cast, role))
        for name, query, target in pages:
            url = reverse(name, args=[target(cast)] if target else [])
            url += f"?{query}" if query else ""
            client.get(url)  # warm: the session's first request caches what later ones reuse
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, f"{role} {url}: {response.status_code}"
            found[f"{role} {name}?{query}"] = len(captured.captured_queries)
    return found


def test_it_spends_as_many_queries_on_each_main_page_with_four_times_the_data(cast, client_for):
    make_rules()
    _seed(cast, SMALL)
    small = _counts(client_for, cast)
    _seed(cast, LARGE - SMALL)
    large = _counts(client_for, cast)
    grown = {page: (small[page], n) for page, n in large.items() if n != small[page]}
    assert not grown, f"query count grows with the data (small → large): {grown}"
